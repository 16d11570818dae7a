// Server-backed airport autosuggest for the trip booking page's "From" and "To" fields.
//
// Typing queries GET /api/airports?q= after a short pause; an answer to a query that was
// superseded meanwhile (by more typing, a pick, or a step change) is dropped. Picking an
// option (click, or ArrowDown/ArrowUp then Enter) stores the code in the page state and
// shows "City (CODE)" with data-value="CODE" on the input; typing again un-picks it.
import { describe, el, find, request } from "./trips-common.js";

export const AIRPORT_FIELDS = ["origin", "destination"];
const SUGGEST_DELAY_MS = 150;

export function emptySuggest() {
  return { seq: 0, timer: 0, items: [], open: false, active: -1, note: "" };
}

const airportLabel = (airport) => `${airport.city} (${airport.code})`;

// The user typed in airport *field*: un-pick it and ask for suggestions after a pause.
export function airportTyped(state, field, input) {
  state.form.airports[field] = { text: input.value, code: "" };
  input.removeAttribute("data-value");
  delete state.errors[field];
  const suggest = state.suggest[field];
  clearTimeout(suggest.timer);
  suggest.seq += 1; // any answer still in flight is now superseded
  const query = input.value.trim();
  if (!query) {
    Object.assign(suggest, { items: [], open: false, active: -1, note: "" });
    renderSuggest(state, field);
    return;
  }
  const seq = suggest.seq;
  suggest.timer = setTimeout(() => fetchSuggestions(state, field, query, seq), SUGGEST_DELAY_MS);
}

async function fetchSuggestions(state, field, query, seq) {
  const result = await request(`/api/airports?q=${encodeURIComponent(query)}`);
  const suggest = state.suggest[field];
  if (seq !== suggest.seq) return;
  const airports = result.status === 200 && result.data ? result.data.airports : null;
  if (Array.isArray(airports)) {
    suggest.items = airports.filter((a) => a && typeof a.code === "string");
    suggest.note = suggest.items.length ? "" : "No matching airport";
  } else {
    suggest.items = [];
    suggest.note = `Could not load airports (${describe(result)}). Type again to retry.`;
  }
  suggest.open = true;
  suggest.active = -1;
  renderSuggest(state, field);
}

export function closeSuggest(state, field) {
  const suggest = state.suggest[field];
  clearTimeout(suggest.timer);
  suggest.seq += 1;
  Object.assign(suggest, { items: [], open: false, active: -1, note: "" });
  renderSuggest(state, field);
}

// Pick the suggested airport *code* (from the server's answer, not from the DOM's text).
export function pickAirport(state, field, code) {
  const airport = state.suggest[field].items.find((a) => a.code === code);
  if (!airport) return;
  state.form.airports[field] = { text: airportLabel(airport), code: airport.code };
  delete state.errors[field];
  closeSuggest(state, field);
  syncAirportInput(state, field);
}

function moveActive(state, field, delta) {
  const suggest = state.suggest[field];
  if (!suggest.items.length) return;
  suggest.open = true;
  suggest.active = Math.min(suggest.items.length - 1, Math.max(0, suggest.active + delta));
  renderSuggest(state, field);
}

// Keyboard use of the combobox; true when the key picked an airport.
export function airportKey(state, field, event) {
  const suggest = state.suggest[field];
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    moveActive(state, field, event.key === "ArrowDown" ? 1 : -1);
  } else if (event.key === "Enter" && suggest.open && suggest.items[suggest.active]) {
    event.preventDefault();
    pickAirport(state, field, suggest.items[suggest.active].code);
    return true;
  } else if (event.key === "Escape" && suggest.open) {
    closeSuggest(state, field);
  }
  return false;
}

// Show the state's text and picked code in the input (after a pick or a fresh start).
export function syncAirportInput(state, field) {
  const input = find(`#${field}`);
  if (!input) return;
  const { text, code } = state.form.airports[field];
  if (input.value !== text) input.value = text;
  if (code) input.dataset.value = code;
  else input.removeAttribute("data-value");
}

export function renderSuggest(state, field) {
  const suggest = state.suggest[field];
  const input = find(`#${field}`);
  const list = find(`#${field}-list`);
  const active = suggest.open ? suggest.items[suggest.active] : null;
  if (input) {
    input.setAttribute("aria-expanded", String(suggest.open));
    if (active) input.setAttribute("aria-activedescendant", `${field}-opt-${active.code}`);
    else input.removeAttribute("aria-activedescendant");
  }
  if (!list) return;
  if (!suggest.open) {
    list.hidden = true;
    list.replaceChildren();
    return;
  }
  const options = suggest.items.map((airport, index) => {
    const option = el(
      "li",
      {
        role: "option",
        id: `${field}-opt-${airport.code}`,
        "data-value": airport.code,
        "aria-selected": String(index === suggest.active),
      },
      `${airportLabel(airport)} – ${airport.name}`,
    );
    if (index === suggest.active) option.classList.add("active");
    return option;
  });
  if (suggest.note) options.push(el("li", { class: "note" }, suggest.note));
  list.replaceChildren(...options);
  list.hidden = false;
}
