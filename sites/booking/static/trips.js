// Trip booking page: one flow shown a step at a time (search, results, passenger, payment,
// review, done) and the "My trips" list. Loaded as a module; its parts are
// trips-suggest.js (airport autosuggest), trips-results.js (results step),
// trips-rules.js (inline validation), trips-list.js ("My trips"), trips-common.js (helpers).
//
// Robustness contract (the fuzzer's page perturbations rely on it), as on the calendar page:
// * all state lives in the `state` object below, never in DOM nodes; inputs copy their value
//   into it on every `input` event, and it is written back when the search step is re-entered;
// * one delegated listener per event type on `document` handles every control, and every
//   render looks elements up again, so a subtree replaced by `cloneNode(true)` keeps working;
// * "today" (the date field's minimum, the card expiry check) comes from /api/config, never
//   from the browser clock;
// * responses to superseded requests are dropped (sequence numbers), so a late autosuggest,
//   flight list or trip list never overwrites a newer one;
// * a trip is "saved" only after the server answered 2xx with the stored row.
import { FARE_NAMES, describe, el, euros, find, request } from "./trips-common.js";
import { loadTrips, renderTrips } from "./trips-list.js";
import { renderResults } from "./trips-results.js";
import { ISO_DATE, passengerErrors, paymentErrors, searchErrors } from "./trips-rules.js";
import {
  AIRPORT_FIELDS, airportKey, airportTyped, closeSuggest, emptySuggest, pickAirport, renderSuggest,
  syncAirportInput,
} from "./trips-suggest.js";

const STEPS = ["search", "results", "passenger", "payment", "review", "done"];
const FARES = ["basic", "standard", "flex"];
const ERROR_FIELDS = [
  "origin", "destination", "depart-date", "pax-name", "pax-email", "card-number", "card-expiry", "card-cvc",
];

function emptyForm() {
  return {
    airports: { origin: { text: "", code: "" }, destination: { text: "", code: "" } },
    date: "",
    passenger: { name: "", email: "" },
    card: { number: "", expiry: "", cvc: "" },
  };
}

const state = {
  today: "", // "YYYY-MM-DD", from /api/config
  configSeq: 0,
  step: "search",
  form: emptyForm(), // what the user typed or picked
  suggest: { origin: emptySuggest(), destination: emptySuggest() },
  search: null, // {origin, destination, date} the results belong to
  flights: [],
  flightsState: "idle", // idle | loading | ready | error
  flightsError: "",
  flightsSeq: 0,
  nonstop: false,
  sort: "price", // price | departure
  choice: null, // {flight: a flight of the server's answer, fare}
  errors: {}, // input id -> message
  saving: false,
  saveSeq: 0,
  status: { state: "idle", text: "" },
  reference: "",
  trips: [],
  tripsState: "loading",
  tripsMessage: "",
  tripsSeq: 0,
};

async function loadConfig() {
  const seq = ++state.configSeq;
  const result = await request("/api/config");
  if (seq !== state.configSeq) return;
  const today = result.status === 200 && result.data ? result.data.today : null;
  if (typeof today === "string" && ISO_DATE.test(today)) {
    state.today = today;
    const input = find("#depart-date");
    if (input) input.min = today;
  }
}

// ---- inline errors --------------------------------------------------------------------

// Replace the errors of *fields* with *errors*; true when there are none.
function check(fields, errors) {
  for (const field of fields) delete state.errors[field];
  Object.assign(state.errors, errors);
  renderErrors();
  return Object.keys(errors).length === 0;
}

function renderErrors() {
  for (const field of ERROR_FIELDS) {
    const input = find(`#${field}`);
    let note = find(`.field-error[data-for="${field}"]`);
    const message = state.errors[field];
    if (!message) {
      if (note) note.remove();
      if (input) input.removeAttribute("aria-invalid");
      continue;
    }
    if (!note && input) {
      note = el("p", { class: "field-error", "data-for": field, id: `${field}-error` });
      (input.closest(".field") || input.parentElement).append(note);
    }
    if (note) note.textContent = message;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", `${field}-error`);
    }
  }
}

// ---- steps ----------------------------------------------------------------------------

function goTo(step) {
  if (!STEPS.includes(step)) return;
  state.step = step;
  for (const field of AIRPORT_FIELDS) closeSuggest(state, field);
  render();
}

function submitSearch() {
  if (!state.today) loadConfig(); // a failed config load gets another chance
  for (const field of AIRPORT_FIELDS) closeSuggest(state, field);
  if (!check(["origin", "destination", "depart-date"], searchErrors(state.form, state.today))) return;
  const { airports, date } = state.form;
  state.search = { origin: airports.origin.code, destination: airports.destination.code, date };
  state.choice = null;
  goTo("results");
  loadFlights();
}

async function loadFlights() {
  if (!state.search) return;
  const seq = ++state.flightsSeq;
  state.flightsState = "loading";
  state.flights = [];
  renderResults(state);
  const result = await request(`/api/flights?${new URLSearchParams(state.search)}`);
  if (seq !== state.flightsSeq) return; // a newer search was started meanwhile
  const flights = result.status === 200 && result.data ? result.data.flights : null;
  if (Array.isArray(flights)) {
    state.flights = flights.filter((f) => f && typeof f.number === "string" && f.fares);
    state.flightsState = "ready";
  } else {
    state.flightsState = "error";
    state.flightsError = `Could not load flights (${describe(result)}).`;
  }
  renderResults(state);
}

function chooseFare(number, fare) {
  if (state.flightsState !== "ready" || !FARES.includes(fare)) return;
  // The price comes from the server's answer, not from the (possibly altered) DOM.
  const flight = state.flights.find((f) => f.number === number);
  if (!flight) return;
  state.choice = { flight, fare };
  goTo("passenger");
}

function toPayment() {
  if (check(["pax-name", "pax-email"], passengerErrors(state.form.passenger))) goTo("payment");
}

function toReview() {
  if (!check(["card-number", "card-expiry", "card-cvc"], paymentErrors(state.form.card, state.today))) return;
  state.status = { state: "idle", text: "" };
  goTo("review");
}

function failureText(result) {
  if (result.status >= 200 && result.status < 300) {
    return `Could not read the server's reply (HTTP ${result.status}). Check My trips before trying again.`;
  }
  return `Could not book the trip (${describe(result)}). Try again.`;
}

async function confirmTrip() {
  if (state.saving || !state.choice || state.step !== "review") return;
  const seq = ++state.saveSeq;
  const { passenger, card } = state.form;
  const body = {
    flight: state.choice.flight.number,
    date: state.choice.flight.date,
    fare: state.choice.fare,
    passenger: passenger.name.trim(),
    email: passenger.email.trim(),
    card_number: card.number.trim(),
    card_expiry: card.expiry.trim(),
    card_cvc: card.cvc.trim(),
  };
  state.saving = true;
  state.status = { state: "saving", text: "Booking your trip…" };
  renderStatus();
  const result = await request("/api/trips", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (seq !== state.saveSeq) return;
  state.saving = false;
  const row = result.data;
  if (result.status >= 200 && result.status < 300 && row && typeof row.reference === "string") {
    state.reference = row.reference;
    state.status = { state: "saved", text: `Booked: ${row.reference}` };
    goTo("done");
  } else {
    state.status = { state: "error", text: failureText(result) };
    renderStatus();
  }
  loadTrips(state);
}

function editTrip() {
  state.status = { state: "idle", text: "" };
  goTo("search");
  syncInputs();
}

function newTrip() {
  Object.assign(state, {
    form: emptyForm(),
    search: null,
    flights: [],
    flightsState: "idle",
    flightsSeq: state.flightsSeq + 1,
    nonstop: false,
    sort: "price",
    choice: null,
    errors: {},
    reference: "",
    status: { state: "idle", text: "" },
  });
  goTo("search");
  syncInputs();
}

// ---- rendering ------------------------------------------------------------------------

const TEXT_INPUTS = {
  "depart-date": [(f) => f.date, (f, v) => { f.date = v; }],
  "pax-name": [(f) => f.passenger.name, (f, v) => { f.passenger.name = v; }],
  "pax-email": [(f) => f.passenger.email, (f, v) => { f.passenger.email = v; }],
  "card-number": [(f) => f.card.number, (f, v) => { f.card.number = v; }],
  "card-expiry": [(f) => f.card.expiry, (f, v) => { f.card.expiry = v; }],
  "card-cvc": [(f) => f.card.cvc, (f, v) => { f.card.cvc = v; }],
};

// Write the state's values into the inputs (after a fresh start or an edit).
function syncInputs() {
  for (const [id, [get]] of Object.entries(TEXT_INPUTS)) {
    const input = find(`#${id}`);
    if (input && input.value !== get(state.form)) input.value = get(state.form);
  }
  for (const field of AIRPORT_FIELDS) syncAirportInput(state, field);
  const nonstop = find("#filter-nonstop");
  if (nonstop) nonstop.checked = state.nonstop;
  const sort = find("#sort");
  if (sort) sort.value = state.sort;
}

function renderStep() {
  const root = find("#trip-flow") || find("main");
  if (root) root.dataset.step = state.step;
  for (const panel of document.querySelectorAll("[data-step-panel]")) {
    panel.hidden = panel.dataset.stepPanel !== state.step;
  }
}

function renderReview() {
  const choice = state.choice;
  for (const note of document.querySelectorAll("[data-step-panel] .chosen")) {
    note.textContent = choice
      ? `${choice.flight.number}, ${choice.flight.origin} → ${choice.flight.destination} on ${choice.flight.date}`
        + ` ${choice.flight.depart}, ${FARE_NAMES[choice.fare]} ${euros(choice.flight.fares[choice.fare])}`
      : "";
  }
  if (!choice) return;
  const { flight, fare } = choice;
  const { passenger, card } = state.form;
  const values = {
    flight: flight.number,
    date: `${flight.date}, ${flight.depart} – ${flight.arrive}`,
    route: `${flight.origin} → ${flight.destination}`,
    fare: FARE_NAMES[fare],
    price: euros(flight.fares[fare]),
    passenger: passenger.name.trim(),
    email: passenger.email.trim(),
    card: `•••• ${card.number.replace(/ /g, "").slice(-4)}, expires ${card.expiry.trim()}`,
  };
  for (const [name, value] of Object.entries(values)) {
    const cell = find(`#review [data-review="${name}"]`) || find(`[data-review="${name}"]`);
    if (cell) cell.textContent = value;
  }
}

function renderStatus() {
  const status = find("#trip-status");
  if (status) {
    status.dataset.state = state.status.state;
    status.textContent = state.status.text;
  }
  const confirm = find("#confirm-trip");
  if (confirm) confirm.disabled = state.saving;
  const reference = find("#trip-reference");
  if (reference) reference.textContent = state.reference;
}

function render() {
  renderStep();
  for (const field of AIRPORT_FIELDS) renderSuggest(state, field);
  renderResults(state);
  renderErrors();
  renderReview();
  renderStatus();
}

// ---- events: one delegated listener per event type ------------------------------------

function onValue(target) {
  if (AIRPORT_FIELDS.includes(target.id)) {
    airportTyped(state, target.id, target);
    renderErrors();
  } else if (TEXT_INPUTS[target.id]) {
    TEXT_INPUTS[target.id][1](state.form, target.value);
    if (state.errors[target.id]) {
      delete state.errors[target.id];
      renderErrors();
    }
  }
}

document.addEventListener("input", (event) => {
  if (event.target instanceof HTMLInputElement) onValue(event.target);
});

document.addEventListener("change", (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  if (target.id === "filter-nonstop") {
    state.nonstop = target.checked;
    renderResults(state);
  } else if (target.id === "sort") {
    state.sort = target.value === "departure" ? "departure" : "price";
    renderResults(state);
  } else if (target.id === "depart-date") {
    onValue(target);
  }
});

document.addEventListener("keydown", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (target && AIRPORT_FIELDS.includes(target.id) && airportKey(state, target.id, event)) renderErrors();
});

const CLICKS = {
  "#search": submitSearch,
  "#back-to-search": () => goTo("search"),
  "#results-retry": loadFlights,
  "#back-to-results": () => goTo("results"),
  "#to-payment": toPayment,
  "#back-to-passenger": () => goTo("passenger"),
  "#to-review": toReview,
  "#edit-trip": editTrip,
  "#confirm-trip": confirmTrip,
  "#new-trip": newTrip,
  "#refresh-trips": () => loadTrips(state),
};

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  // Clicking outside an airport field closes its suggestions.
  for (const field of AIRPORT_FIELDS) {
    if (state.suggest[field].open && !target.closest(`#${field}, #${field}-list`)) closeSuggest(state, field);
  }
  const option = target.closest('[role="option"][data-value]');
  const listbox = option && option.closest('[role="listbox"]');
  if (listbox) {
    const field = AIRPORT_FIELDS.find((name) => listbox.id === `${name}-list`);
    if (field) pickAirport(state, field, option.dataset.value || "");
    renderErrors();
    return;
  }
  const fare = target.closest(".fare");
  const flight = fare && fare.closest(".flight");
  if (flight) {
    chooseFare(flight.dataset.flight || "", fare.dataset.fare || "");
    return;
  }
  for (const [selector, action] of Object.entries(CLICKS)) {
    if (target.closest(selector)) {
      action();
      return;
    }
  }
});

render();
renderTrips(state);
loadConfig();
loadTrips(state);
