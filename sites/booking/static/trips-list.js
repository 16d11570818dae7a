// "My trips" on the trip booking page: the tenant's stored trips, reloaded on demand and
// after every booking attempt. A failed reload keeps the last list and says it may be stale.
import { FARE_NAMES, describe, el, euros, find, request } from "./trips-common.js";

function tripItem(trip) {
  const item = el("li", {
    "data-trip-id": String(trip.id),
    "data-flight": trip.flight,
    "data-date": trip.date,
    "data-fare": trip.fare,
    "data-passenger": trip.passenger,
    "data-email": trip.email,
  });
  item.append(
    el("span", { class: "trip-reference" }, trip.reference),
    document.createTextNode(` — ${trip.flight} on `),
    el("time", { datetime: trip.date }, trip.date),
    document.createTextNode(`, ${FARE_NAMES[trip.fare] || trip.fare} ${euros(trip.price)}, `),
    el("span", { class: "trip-passenger" }, trip.passenger),
  );
  return item;
}

export async function loadTrips(state) {
  const seq = ++state.tripsSeq;
  state.tripsState = "loading";
  renderTrips(state);
  const result = await request("/api/trips");
  if (seq !== state.tripsSeq) return; // a newer reload was started meanwhile
  const trips = result.status === 200 && result.data ? result.data.trips : null;
  if (Array.isArray(trips)) {
    state.trips = trips;
    state.tripsState = "ready";
    state.tripsMessage = trips.length ? "" : "No trips booked yet.";
  } else {
    state.tripsState = "error";
    state.tripsMessage = `Could not refresh your trips (${describe(result)}). The list may be out of date.`;
  }
  renderTrips(state);
}

export function renderTrips(state) {
  const list = find("#my-trips");
  if (list) {
    list.dataset.state = state.tripsState;
    if (state.tripsState !== "loading") list.replaceChildren(...state.trips.map(tripItem));
  }
  const message = find("#my-trips-message");
  if (message) {
    message.textContent = state.tripsState === "loading" ? "" : state.tripsMessage;
    message.hidden = !message.textContent;
  }
}
