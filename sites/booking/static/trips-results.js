// The results step of the trip booking page: skeleton rows while loading, then the flights
// the nonstop filter lets through, in the chosen order, each with its three fare buttons.
import { FARE_NAMES, el, euros, find } from "./trips-common.js";

const FARES = ["basic", "standard", "flex"];
const SKELETON_ROWS = 3;

export function visibleFlights(state) {
  const flights = state.flights.filter((f) => !state.nonstop || f.stops === 0);
  const byDeparture = (a, b) => a.depart.localeCompare(b.depart) || a.number.localeCompare(b.number);
  const byPrice = (a, b) => a.fares.basic - b.fares.basic || byDeparture(a, b);
  return flights.sort(state.sort === "departure" ? byDeparture : byPrice);
}

function flightItem(state, flight) {
  const item = el("li", {
    class: "flight",
    "data-flight": flight.number,
    "data-stops": String(flight.stops),
    "data-depart": flight.depart,
  });
  const stops = flight.stops === 0 ? "Nonstop" : `${flight.stops} stop${flight.stops === 1 ? "" : "s"}`;
  const info = el("div", { class: "flight-info" });
  info.append(
    el("span", { class: "flight-number" }, flight.number),
    el("span", { class: "flight-times" }, `${flight.depart} – ${flight.arrive}`),
    el("span", { class: "flight-stops" }, stops),
  );
  const fares = el("div", { class: "fares" });
  for (const fare of FARES) {
    const choice = state.choice;
    const chosen = Boolean(choice && choice.flight.number === flight.number && choice.fare === fare);
    const price = flight.fares[fare];
    fares.append(
      el(
        "button",
        { type: "button", class: "fare", "data-fare": fare, "data-price": String(price), "aria-pressed": String(chosen) },
        `${FARE_NAMES[fare]} ${euros(price)}`,
      ),
    );
  }
  item.append(info, fares);
  return item;
}

function renderList(state) {
  const list = find("#results");
  if (!list) return;
  const loading = state.flightsState === "loading";
  list.setAttribute("aria-busy", String(loading));
  if (loading) {
    const rows = [];
    for (let i = 0; i < SKELETON_ROWS; i += 1) rows.push(el("li", { class: "skeleton", "aria-hidden": "true" }));
    list.replaceChildren(...rows);
  } else {
    const shown = state.flightsState === "ready" ? visibleFlights(state) : [];
    list.replaceChildren(...shown.map((flight) => flightItem(state, flight)));
  }
}

export function renderResults(state) {
  const summary = find("#results-summary");
  if (summary && state.search) {
    const { origin, destination, date } = state.search;
    summary.textContent = `${origin} → ${destination} on ${date}`;
  }
  renderList(state);
  const error = find("#results-error");
  if (error) {
    error.hidden = state.flightsState !== "error";
    const message = error.querySelector(".message");
    if (message) message.textContent = state.flightsState === "error" ? state.flightsError : "";
  }
  const empty = find("#no-results");
  if (empty) {
    const none = state.flightsState === "ready" && visibleFlights(state).length === 0;
    empty.hidden = !none;
    if (none) {
      empty.textContent = state.flights.length
        ? `No nonstop flights on this day. Clear "Nonstop only" to see all ${state.flights.length}.`
        : "No flights match this search. Try another date or route.";
    }
  }
}
