// Helpers shared by the trip booking page's modules (see trips.js for the page's contract).

// The element matching *selector*, looked up anew on every call (never cached).
export const find = (selector) => document.querySelector(selector);

export function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

// fetch() that never throws: {status, data}; status 0 means a network error and data is
// null when the body is not JSON (e.g. a truncated response).
export async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", ...options });
  } catch {
    return { status: 0, data: null };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { status: response.status, data };
}

// "HTTP 503: <the server's error message>" or "network error".
export function describe(result) {
  const base = result.status === 0 ? "network error" : `HTTP ${result.status}`;
  const detail = result.data && typeof result.data.error === "string" ? `: ${result.data.error}` : "";
  return base + detail;
}

export const FARE_NAMES = { basic: "Basic", standard: "Standard", flex: "Flex" };

export const euros = (amount) => `€${amount}`;
