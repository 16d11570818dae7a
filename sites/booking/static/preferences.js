// Preferences page: three kinds of dropdown (native select, custom listbox, searchable
// combobox) that save optimistically, and a panel showing what the server really stores.
//
// Robustness contract (the fuzzer's page perturbations rely on it):
// * all state lives in the `state` object below, never in DOM nodes;
// * one delegated listener per event type on `document` handles every control, and every
//   render looks elements up again, so a subtree replaced by `cloneNode(true)` keeps working;
// * responses to superseded requests are dropped (sequence numbers): only the newest save of
//   a preference may set its status, only the newest search may fill the airport list;
// * the seat <select> may be drawn by an npm select library (select-widgets.js, the tenant's
//   `select_widget`); the library keeps the <select>'s value and `change` event;
// * a control shows a new choice at once, but its status says "Saved" only after the server
//   answered 2xx; on failure it says "Not saved" (the control keeps the new value) and
//   offers Retry. The "Stored settings" panel shows what the server holds.
"use strict";

(() => {
  const KEYS = ["seat", "meal", "home_airport"];
  const NAMES = { seat: "Seat", meal: "Meal", home_airport: "Home airport" };
  const SEATS = { aisle: "Aisle", middle: "Middle", window: "Window" };
  const MEALS = {
    standard: "Standard",
    vegetarian: "Vegetarian",
    vegan: "Vegan",
    kosher: "Kosher",
    halal: "Halal",
    gluten_free: "Gluten-free",
  };
  const MEAL_VALUES = Object.keys(MEALS);
  const STATUS_TEXT = { idle: "", saving: "Saving…", saved: "Saved", error: "Not saved" };
  const SEARCH_DELAY_MS = 150;

  const state = {
    loaded: false, // controls hold the server's values and are enabled
    chosen: { seat: "", meal: "", home_airport: "" }, // what the controls show
    airportLabel: "", // "City (CODE)" of chosen.home_airport
    saves: {
      seat: { state: "idle", detail: "", seq: 0 },
      meal: { state: "idle", detail: "", seq: 0 },
      home_airport: { state: "idle", detail: "", seq: 0 },
    },
    stored: null, // {values, labels} from the last good GET /api/preferences
    storedState: "loading",
    storedMessage: "",
    storedSeq: 0,
    meal: { open: false, active: -1 },
    airport: { editing: false, text: "", open: false, options: [], message: "", active: -1, seq: 0, timer: 0 },
    seatWidget: null, // {refresh} of a select-widgets.js adapter, or null for the browser's
    widgetPending: true, // the seat's widget is not known yet: the controls wait for it
  };

  // ---- helpers ----------------------------------------------------------------------

  const { find, el, request, describe, loadAssets } = window.BookingSite;

  function localLabel(key, value) {
    if (key === "seat") return SEATS[value] || value;
    if (key === "meal") return MEALS[value] || value;
    return value;
  }

  const airportText = (airport) => `${airport.city} (${airport.code})`;

  // ---- rendering ----------------------------------------------------------------------

  function renderSeat() {
    const select = find("#seat");
    if (!select) return;
    const enabled = state.loaded && !state.widgetPending;
    select.disabled = !enabled;
    if (state.loaded && select.value !== state.chosen.seat) select.value = state.chosen.seat;
    if (state.seatWidget) state.seatWidget.refresh(state.loaded ? state.chosen.seat : "", enabled);
  }

  // The tenant's select library, if any, drawn over the seat <select>.
  async function loadSeatWidget() {
    const result = await request("/api/config");
    const widget = result.status === 200 && result.data ? result.data.select_widget : null;
    if (!widget || widget.name === "native") {
      state.widgetPending = false; // the browser's own <select>
      render();
      return;
    }
    const mount = (await loadAssets(widget)) && window.bookingSelectWidgets[widget.name];
    const select = find("#seat");
    if (mount && select) state.seatWidget = mount(select);
    state.widgetPending = false;
    render();
  }

  function renderMeal() {
    const button = find("#meal-button");
    const list = find("#meal-list");
    if (button) {
      button.disabled = !state.loaded;
      button.textContent = state.loaded ? MEALS[state.chosen.meal] || state.chosen.meal : "…";
      button.dataset.value = state.chosen.meal;
      button.setAttribute("aria-expanded", String(state.meal.open));
      const active = MEAL_VALUES[state.meal.active];
      if (state.meal.open && active) button.setAttribute("aria-activedescendant", `meal-option-${active}`);
      else button.removeAttribute("aria-activedescendant");
    }
    if (!list) return;
    if (list.querySelectorAll('[role="option"]').length !== MEAL_VALUES.length) {
      list.replaceChildren(
        ...MEAL_VALUES.map((value) =>
          el("li", { role: "option", id: `meal-option-${value}`, "data-value": value }, MEALS[value]),
        ),
      );
    }
    for (const option of list.querySelectorAll('[role="option"]')) {
      const value = option.dataset.value;
      option.setAttribute("aria-selected", String(value === state.chosen.meal));
      option.classList.toggle("active", value === MEAL_VALUES[state.meal.active]);
    }
    list.hidden = !state.meal.open;
  }

  function airportListKey() {
    const a = state.airport;
    return JSON.stringify([a.options.map((o) => o.code), a.message]);
  }

  function renderAirport() {
    const a = state.airport;
    const input = find("#home-airport");
    if (input) {
      input.disabled = !state.loaded;
      const text = a.editing ? a.text : state.airportLabel;
      if (input.value !== text) input.value = text;
      if (state.chosen.home_airport) input.dataset.value = state.chosen.home_airport;
      input.setAttribute("aria-expanded", String(a.open));
      const active = a.options[a.active];
      if (a.open && active) input.setAttribute("aria-activedescendant", `airport-option-${active.code}`);
      else input.removeAttribute("aria-activedescendant");
    }
    const list = find("#home-airport-list");
    if (!list) return;
    const key = airportListKey();
    if (list.dataset.rendered !== key) {
      const items = a.options.map((o) =>
        el("li", { role: "option", id: `airport-option-${o.code}`, "data-value": o.code, "aria-selected": "false" },
          `${airportText(o)} – ${o.name}`),
      );
      if (a.message) items.push(el("li", { class: "note", "aria-disabled": "true" }, a.message));
      list.replaceChildren(...items);
      list.dataset.rendered = key;
    }
    a.options.forEach((o, i) => {
      const option = list.querySelector(`[data-value="${o.code}"]`);
      if (option) {
        option.classList.toggle("active", i === a.active);
        option.setAttribute("aria-selected", String(i === a.active));
      }
    });
    list.hidden = !a.open;
  }

  function renderSave(key) {
    const status = find(`[data-pref-status="${key}"]`);
    if (!status) return;
    const save = state.saves[key];
    status.dataset.state = save.state;
    status.textContent = STATUS_TEXT[save.state];
    const box = status.parentElement || status;
    let detail = box.querySelector(".save-detail");
    let retry = box.querySelector(`[data-retry="${key}"]`);
    if (save.state !== "error") {
      if (detail) detail.remove();
      if (retry) retry.remove();
      return;
    }
    if (!detail) {
      detail = el("span", { class: "save-detail" });
      status.after(detail);
    }
    detail.textContent = save.detail;
    if (!retry) {
      retry = el("button", { type: "button", class: "retry", "data-retry": key }, "Retry");
      detail.after(retry);
    }
  }

  function renderStored() {
    const list = find("#stored-prefs");
    const message = find("#stored-message");
    if (list) {
      list.dataset.state = state.storedState;
      const stored = state.stored;
      const key = stored ? JSON.stringify(stored) : "";
      if (list.dataset.rendered !== key) {
        list.replaceChildren(
          ...(stored ? KEYS : []).map((k) => {
            const value = stored.values[k];
            const label = typeof stored.labels[k] === "string" ? stored.labels[k] : localLabel(k, value);
            return el("li", { "data-key": k, "data-value": value }, `${NAMES[k]}: ${label}`);
          }),
        );
        list.dataset.rendered = key;
      }
    }
    if (message) {
      message.textContent = state.storedMessage;
      message.hidden = !state.storedMessage;
    }
  }

  function render() {
    const form = find("#prefs");
    if (form) form.setAttribute("aria-busy", String(!state.loaded || state.widgetPending));
    renderSeat();
    renderMeal();
    renderAirport();
    for (const key of KEYS) renderSave(key);
    renderStored();
  }

  // ---- server -------------------------------------------------------------------------

  async function loadStored() {
    const seq = ++state.storedSeq;
    state.storedState = "loading";
    render();
    const result = await request("/api/preferences");
    if (seq !== state.storedSeq) return; // a newer refresh was asked for meanwhile
    const data = result.status === 200 ? result.data : null;
    const values = data && data.preferences;
    if (!values || !KEYS.every((k) => typeof values[k] === "string")) {
      // Keep the last list, but say plainly that it may be stale.
      state.storedState = "error";
      state.storedMessage = `Could not load the stored settings (${describe(result)}). Click Refresh to try again.`;
      render();
      return;
    }
    const labels = data.labels && typeof data.labels === "object" ? data.labels : {};
    state.stored = { values: { ...values }, labels: { ...labels } };
    state.storedState = "ready";
    state.storedMessage = "";
    if (!state.loaded) {
      state.chosen = { seat: values.seat, meal: values.meal, home_airport: values.home_airport };
      state.airportLabel = typeof labels.home_airport === "string" ? labels.home_airport : values.home_airport;
      state.loaded = true;
    }
    render();
  }

  async function save(key) {
    const entry = state.saves[key];
    const value = state.chosen[key];
    const seq = ++entry.seq;
    entry.state = "saving";
    entry.detail = "";
    render();
    const result = await request(`/api/preferences/${encodeURIComponent(key)}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ value }),
    });
    if (seq !== entry.seq) return; // a newer choice owns the status now
    if (result.status >= 200 && result.status < 300) {
      entry.state = "saved";
    } else {
      entry.state = "error";
      entry.detail = `(${describe(result)})`;
    }
    render();
  }

  function choose(key, value) {
    if (!state.loaded) return;
    state.chosen[key] = value;
    render(); // show the choice at once; the status tells whether it was stored
    save(key);
  }

  // ---- meal listbox -------------------------------------------------------------------

  function openMeal(open) {
    state.meal.open = open;
    state.meal.active = open ? Math.max(0, MEAL_VALUES.indexOf(state.chosen.meal)) : -1;
    render();
  }

  function chooseMeal(value) {
    if (!(value in MEALS)) return;
    state.meal.open = false;
    state.meal.active = -1;
    choose("meal", value);
    find("#meal-button")?.focus();
  }

  function mealKey(event) {
    const m = state.meal;
    if (event.key === "Escape" && m.open) {
      event.preventDefault();
      openMeal(false);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!m.open) return openMeal(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      m.active = Math.min(MEAL_VALUES.length - 1, Math.max(0, m.active + step));
      render();
    } else if ((event.key === "Enter" || event.key === " ") && m.open) {
      event.preventDefault(); // the button's own click would toggle the list again
      chooseMeal(MEAL_VALUES[m.active]);
    }
  }

  // ---- home airport combobox --------------------------------------------------------------

  function stopSearch() {
    clearTimeout(state.airport.timer);
    state.airport.seq += 1; // answers still in flight are now stale
  }

  function closeAirport() {
    stopSearch();
    Object.assign(state.airport, { editing: false, text: "", open: false, options: [], message: "", active: -1 });
    render();
  }

  async function searchAirports() {
    const a = state.airport;
    const seq = ++a.seq;
    const query = a.text.trim();
    if (!query) {
      Object.assign(a, { open: false, options: [], message: "", active: -1 });
      render();
      return;
    }
    const result = await request(`/api/airports?q=${encodeURIComponent(query)}`);
    if (seq !== a.seq || !a.editing) return; // the user typed on, chose, or gave up
    const airports = result.status === 200 && result.data ? result.data.airports : null;
    if (!Array.isArray(airports)) {
      Object.assign(a, { open: true, options: [], active: -1, message: `Could not search airports (${describe(result)}).` });
    } else {
      const options = airports.filter((o) => o && typeof o.code === "string" && typeof o.city === "string");
      Object.assign(a, { open: true, options, active: -1, message: options.length ? "" : "No matching airports." });
    }
    render();
  }

  function airportInput(value) {
    const a = state.airport;
    a.editing = true;
    a.text = value;
    clearTimeout(a.timer);
    a.timer = setTimeout(searchAirports, SEARCH_DELAY_MS);
  }

  function chooseAirport(code) {
    const option = state.airport.options.find((o) => o.code === code);
    if (!option) return;
    state.airportLabel = airportText(option);
    closeAirport();
    choose("home_airport", code);
  }

  function airportKey(event) {
    const a = state.airport;
    if (event.key === "Escape") {
      event.preventDefault();
      closeAirport();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && a.options.length) {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      a.open = true;
      a.active = Math.min(a.options.length - 1, Math.max(0, a.active + step));
      render();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (a.open && a.options[a.active]) chooseAirport(a.options[a.active].code);
    }
  }

  // ---- events: one delegated listener per event type ----------------------------------------

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (state.meal.open && !target.closest(".listbox")) openMeal(false);
    if (state.airport.editing && !target.closest(".combobox")) closeAirport();

    const retry = target.closest("[data-retry]");
    const mealOption = target.closest('#meal-list [role="option"]');
    const airportOption = target.closest('#home-airport-list [role="option"][data-value]');
    if (retry) {
      const key = retry.getAttribute("data-retry");
      if (KEYS.includes(key) && state.loaded) save(key);
    } else if (mealOption) {
      chooseMeal(mealOption.getAttribute("data-value") || "");
    } else if (target.closest("#meal-button")) {
      if (state.loaded) openMeal(!state.meal.open);
    } else if (airportOption) {
      chooseAirport(airportOption.getAttribute("data-value") || "");
    } else if (target.closest("#refresh-prefs")) {
      loadStored();
    }
  });

  document.addEventListener("change", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.id === "seat") {
      if (target.value in SEATS) choose("seat", target.value);
      else render(); // an option the page does not know: show the real choice again
    }
  });

  document.addEventListener("input", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.id === "home-airport" && state.loaded) airportInput(target.value);
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest("#meal-button") || target.closest("#meal-list")) mealKey(event);
    else if (target.id === "home-airport") airportKey(event);
  });

  document.addEventListener("submit", (event) => {
    if (event.target instanceof Element && event.target.id === "prefs") event.preventDefault();
  });

  render();
  loadSeatWidget();
  loadStored();
})();
