// Booking page: calendar date picker, time slots, booking form and bookings list.
//
// Robustness contract (the fuzzer's page perturbations rely on it):
// * all state lives in the `state` object below, never in DOM nodes;
// * one delegated click listener on `document` handles every control, and every render
//   looks elements up again, so a subtree replaced by `cloneNode(true)` keeps working;
// * the calendar's "today" comes from /api/config, never from the browser clock;
// * the date field is drawn by the site's grid or, per tenant, by the browser's date input or
//   an npm date-picker library (date-widgets.js); a library's subtree replaced by a re-render
//   is mounted afresh from the state;
// * responses to superseded requests are dropped (sequence numbers), so late or
//   out-of-order answers never overwrite newer ones.
"use strict";

(() => {
  const MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
  ];
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

  const state = {
    today: "", // "YYYY-MM-DD", from /api/config
    month: "", // "YYYY-MM" shown in the calendar
    selected: "", // selected ISO date, or ""
    available: new Map(), // ISO date -> boolean, for every month loaded so far
    time: "", // selected slot start time "HH:MM" on the selected date, or ""
    slotsDate: "", // the date whose slots are shown (and in slotFree)
    slotFree: new Map(), // "HH:MM" -> boolean, for slotsDate
    monthSeq: 0,
    slotsSeq: 0,
    bookingsSeq: 0,
    confirmSeq: 0,
    widget: null, // {root, refresh} of a date-widgets.js adapter, or null for the grid
    widgetName: "calendar",
  };

  // ---- helpers ----------------------------------------------------------------------

  // find / el / request: site.js (window.BookingSite), loaded before this script.
  const { find, el, request } = window.BookingSite;

  function describe(result) {
    return result.status === 0 ? "network error" : `HTTP ${result.status}`;
  }

  function shiftMonth(month, delta) {
    const [year, number] = month.split("-").map(Number);
    const index = year * 12 + (number - 1) + delta;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
  }

  function monthLabel(month) {
    const [year, number] = month.split("-").map(Number);
    return `${MONTH_NAMES[number - 1]} ${year}`;
  }

  // Monday = 0 ... Sunday = 6, computed in UTC so the browser's time zone never matters.
  function weekdayIndex(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  }

  // ---- calendar ---------------------------------------------------------------------

  function calendarPart(selector) {
    return find(`#calendar ${selector}`) || find(`.calendar ${selector}`);
  }

  function setBusy(busy) {
    const calendar = find("#calendar") || find(".calendar");
    if (calendar) calendar.setAttribute("aria-busy", String(busy));
  }

  function renderHeader() {
    const label = calendarPart(".cal-month");
    if (label) {
      label.dataset.month = state.month;
      label.textContent = state.month ? monthLabel(state.month) : "";
    }
    const prev = calendarPart(".cal-prev");
    if (prev) prev.disabled = !state.today || state.month <= state.today.slice(0, 7);
  }

  function replaceGrid(grid) {
    const old = calendarPart(".cal-grid");
    if (old) old.replaceWith(grid);
  }

  function skeletonGrid() {
    const grid = el("div", { class: "cal-grid loading", role: "grid" });
    for (let i = 0; i < 35; i += 1) grid.append(el("span", { class: "cal-skeleton", "aria-hidden": "true" }));
    return grid;
  }

  function dayGrid(days) {
    const grid = el("div", { class: "cal-grid", role: "grid" });
    const lead = days.length ? weekdayIndex(days[0].date) : 0;
    for (let i = 0; i < lead; i += 1) grid.append(el("span", { class: "cal-blank" }));
    for (const day of days) {
      const button = el(
        "button",
        { type: "button", class: "cal-day", "data-date": day.date, "aria-pressed": String(day.date === state.selected) },
        String(Number(day.date.slice(8))),
      );
      if (!day.available) button.disabled = true;
      grid.append(button);
    }
    return grid;
  }

  function showCalendarError(message) {
    const box = calendarPart(".cal-error");
    if (!box) return;
    box.replaceChildren(document.createTextNode(`${message} `), el("button", { type: "button", class: "cal-retry" }, "Retry"));
    box.hidden = false;
  }

  function hideCalendarError() {
    const box = calendarPart(".cal-error");
    if (box) {
      box.hidden = true;
      box.replaceChildren();
    }
  }

  async function loadConfig() {
    setBusy(true);
    hideCalendarError();
    const result = await request("/api/config");
    const today = result.status === 200 && result.data ? result.data.today : null;
    if (typeof today !== "string" || !ISO_DATE.test(today)) {
      setBusy(false);
      showCalendarError(`Could not load the calendar (${describe(result)}).`);
      return;
    }
    state.today = today;
    const widget = result.data.date_widget;
    if (widget && widget.name !== "calendar") {
      if (!(await loadAssets(widget))) {
        setBusy(false);
        showCalendarError(`Could not load the date picker (${widget.name}).`);
        return;
      }
      state.widgetName = widget.name;
      state.month = today.slice(0, 7);
      mountWidget();
      new MutationObserver(remountIfReplaced).observe(document.body, { childList: true, subtree: true });
    }
    await showMonth(today.slice(0, 7));
  }

  // ---- a date widget other than the grid (date-widgets.js) --------------------------------

  async function loadAssets(widget) {
    const loaded = await window.BookingSite.loadAssets(widget);
    return loaded && Boolean(window.bookingDateWidgets && window.bookingDateWidgets[widget.name]);
  }

  const widgetApi = {
    get today() {
      return state.today;
    },
    month: () => state.month,
    selected: () => state.selected,
    isAvailable: (date) => state.available.get(date) === true,
    showMonth: (month) => {
      if (month && month !== state.month) showMonth(month);
    },
    pick: (date) => pickFromWidget(date),
  };

  // Draw the widget into #calendar (wherever it is now), replacing what the box holds.
  function mountWidget() {
    const calendar = find("#calendar") || find(".calendar");
    if (!calendar) return;
    const root = el("div", { class: "date-widget", "data-widget": state.widgetName });
    calendar.replaceChildren(root, el("p", { class: "cal-error", hidden: "" }));
    const adapter = window.bookingDateWidgets[state.widgetName](root, widgetApi);
    state.widget = { root, refresh: adapter.refresh };
  }

  // A re-render replaced the widget's subtree (a copy has no listeners): mount it afresh.
  function remountIfReplaced() {
    if (state.widget && !state.widget.root.isConnected) {
      mountWidget();
      state.widget.refresh();
    }
  }

  function refreshWidget() {
    if (state.widget && state.widget.root.isConnected) state.widget.refresh();
  }

  // A day typed or picked in the widget: only a day the server said is free.
  async function pickFromWidget(date) {
    if (!ISO_DATE.test(date)) return;
    if (!state.available.has(date)) await showMonth(date.slice(0, 7));
    if (state.available.get(date) !== true) {
      showCalendarError(`${date} cannot be booked.`);
      refreshWidget();
      return;
    }
    hideCalendarError();
    selectDay(date);
  }

  async function showMonth(month) {
    const seq = ++state.monthSeq;
    state.month = month;
    renderHeader();
    setBusy(true);
    hideCalendarError();
    replaceGrid(skeletonGrid());
    const result = await request(`/api/availability?month=${encodeURIComponent(month)}`);
    if (seq !== state.monthSeq) return; // a newer month was asked for meanwhile
    const data = result.data;
    if (result.status !== 200 || !data || data.month !== month || !Array.isArray(data.days)) {
      replaceGrid(el("div", { class: "cal-grid", role: "grid" }));
      setBusy(false);
      showCalendarError(`Could not load availability (${describe(result)}).`);
      return;
    }
    for (const day of data.days) state.available.set(day.date, day.available === true);
    replaceGrid(dayGrid(data.days));
    refreshWidget();
    setBusy(false);
  }

  // ---- time slots -------------------------------------------------------------------

  function slotsBox() {
    return find("#slots") || find(".slots");
  }

  function fillSlots(date, children, busy) {
    const box = slotsBox();
    if (!box) return;
    box.dataset.date = date;
    box.setAttribute("aria-busy", String(busy));
    box.replaceChildren(...children);
  }

  function slotButtons() {
    return [...state.slotFree.entries()].map(([time, free]) => {
      const button = el(
        "button",
        { type: "button", class: "slot", "data-time": time, "aria-pressed": String(time === state.time) },
        time,
      );
      if (!free) button.disabled = true;
      return button;
    });
  }

  async function loadSlots(date) {
    const seq = ++state.slotsSeq;
    state.slotsDate = "";
    state.slotFree = new Map();
    if (!date) {
      fillSlots("", [el("p", { class: "slots-hint" }, "Pick a day to see its free times.")], false);
      return;
    }
    const skeleton = [];
    for (let i = 0; i < 7; i += 1) skeleton.push(el("span", { class: "slot-skeleton", "aria-hidden": "true" }));
    fillSlots(date, skeleton, true);
    const result = await request(`/api/slots?date=${encodeURIComponent(date)}`);
    if (seq !== state.slotsSeq) return; // another day was picked meanwhile
    const data = result.data;
    if (result.status !== 200 || !data || data.date !== date || !Array.isArray(data.slots)) {
      const message = el("p", { class: "slots-error" }, `Could not load the times (${describe(result)}). `);
      message.append(el("button", { type: "button", class: "slots-retry" }, "Retry"));
      fillSlots(date, [message], false);
      return;
    }
    state.slotsDate = date;
    for (const slot of data.slots) state.slotFree.set(slot.time, slot.available === true);
    // A chosen time that is no longer free (booked meanwhile) is dropped, not kept silently.
    if (state.time && state.slotFree.get(state.time) !== true) state.time = "";
    fillSlots(date, slotButtons(), false);
    syncSelection();
  }

  function selectTime(time) {
    // Only a time the server said is free, on the day currently selected.
    if (state.slotsDate !== state.selected || state.slotFree.get(time) !== true) return;
    state.time = time;
    syncSelection();
  }

  function syncSelection() {
    for (const button of document.querySelectorAll(".cal-day")) {
      button.setAttribute("aria-pressed", String(button.dataset.date === state.selected));
    }
    for (const button of document.querySelectorAll(".slot")) {
      button.setAttribute("aria-pressed", String(button.dataset.time === state.time));
    }
    const output = find("#selected-date");
    if (output) output.textContent = state.selected;
    const time = find("#selected-time");
    if (time) time.textContent = state.time;
    refreshWidget();
  }

  function selectDay(date) {
    // Availability comes from the server's answer, not from the (possibly altered) DOM.
    if (state.available.get(date) !== true) return;
    if (date !== state.selected) {
      state.selected = date;
      state.time = "";
      loadSlots(date);
    }
    syncSelection();
  }

  // ---- booking and list -----------------------------------------------------------------

  function setStatus(stateName, text) {
    const status = find("#status");
    if (!status) return;
    status.dataset.state = stateName;
    status.textContent = text;
  }

  function failureText(result) {
    if (result.status === 201) {
      return "Could not read the server's reply (HTTP 201). Check the bookings list before trying again.";
    }
    const detail = result.data && typeof result.data.error === "string" ? `: ${result.data.error}` : "";
    return `Could not save the booking (${describe(result)})${detail}. Try again.`;
  }

  async function confirmBooking() {
    const seq = ++state.confirmSeq;
    const body = {
      title: find("#title")?.value ?? "",
      attendee: find("#attendee")?.value ?? "",
    };
    if (state.selected) body.date = state.selected;
    if (state.time) body.time = state.time;
    setStatus("saving", "Saving…");
    const result = await request("/api/bookings", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const row = result.data;
    const saved = result.status === 201 && row && Number.isInteger(row.id) && typeof row.date === "string";
    if (seq === state.confirmSeq) {
      if (saved) {
        setStatus("saved", `Booked #${row.id} on ${row.date} at ${row.time}`);
        if (state.selected === row.date && state.time === row.time) {
          state.selected = "";
          state.time = "";
        }
        syncSelection();
      } else {
        setStatus("error", failureText(result));
      }
    }
    loadBookings();
    if (state.month) showMonth(state.month);
    loadSlots(state.selected);
  }

  function bookingItem(row) {
    const item = el("li", { "data-id": String(row.id), "data-date": row.date, "data-time": row.time });
    item.append(
      el("span", { class: "title" }, row.title),
      document.createTextNode(" — "),
      el("span", { class: "attendee" }, row.attendee),
      document.createTextNode(" on "),
      el("time", { datetime: row.date }, row.date),
      document.createTextNode(" at "),
      el("time", { class: "slot-time", datetime: `${row.date}T${row.time}` }, row.time),
    );
    return item;
  }

  async function loadBookings() {
    const seq = ++state.bookingsSeq;
    const list = find("#bookings");
    if (list) list.dataset.state = "loading";
    const result = await request("/api/bookings");
    if (seq !== state.bookingsSeq) return;
    const current = find("#bookings");
    const message = find("#bookings-message");
    const rows = result.status === 200 && result.data ? result.data.bookings : null;
    if (!Array.isArray(rows)) {
      // Keep the last list, but say plainly that it may be stale.
      if (current) current.dataset.state = "error";
      if (message) {
        message.textContent = `Could not refresh the bookings (${describe(result)}). The list may be out of date.`;
        message.hidden = false;
      }
      return;
    }
    if (current) {
      current.replaceChildren(...rows.map(bookingItem));
      current.dataset.state = "ready";
    }
    if (message) {
      message.textContent = rows.length ? "" : "No bookings yet.";
      message.hidden = rows.length > 0;
    }
  }

  // ---- events: one delegated listener for the whole page -------------------------------

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const day = target.closest(".cal-day");
    const slot = target.closest(".slot");
    if (day) {
      selectDay(day.dataset.date || "");
    } else if (slot) {
      selectTime(slot.dataset.time || "");
    } else if (target.closest(".slots-retry")) {
      loadSlots(state.selected);
    } else if (target.closest(".cal-prev")) {
      if (state.month && state.month > state.today.slice(0, 7)) showMonth(shiftMonth(state.month, -1));
    } else if (target.closest(".cal-next")) {
      if (state.month) showMonth(shiftMonth(state.month, 1));
    } else if (target.closest(".cal-retry")) {
      if (state.today) showMonth(state.month);
      else loadConfig();
    } else if (target.closest("#confirm")) {
      confirmBooking();
    } else if (target.closest("#refresh-bookings")) {
      loadBookings();
    }
  });

  loadConfig();
  loadBookings();
})();
