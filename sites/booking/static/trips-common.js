// Helpers shared by the trip booking page's modules (see trips.js for the page's contract).

// find (the element matching a selector, looked up anew on every call), el, request (fetch()
// that never throws) and describe ("HTTP 503: <the server's message>" or "network error") are
// site.js's (window.BookingSite), which trips.html loads before this module.
export const { find, el, request, describe } = window.BookingSite;

export const FARE_NAMES = { basic: "Basic", standard: "Standard", flex: "Flex" };

export const euros = (amount) => `€${amount}`;
