// Helpers shared by the site's pages (loaded before each page's script).
//
// `request` never throws: it answers {status, data}, where status 0 means a network error
// and data is null when the body is not JSON (e.g. a truncated response). `loadAssets` loads
// a widget library's stylesheets and scripts (/api/config names them) and answers whether
// all of them loaded.
"use strict";

window.BookingSite = Object.freeze({
  find(selector) {
    return document.querySelector(selector);
  },

  el(tag, attrs = {}, text = "") {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  },

  async request(url, options = {}) {
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
  },

  async loadAssets(widget) {
    const load = (tag, attrs) =>
      new Promise((resolve) => {
        const node = document.createElement(tag);
        for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
        node.addEventListener("load", () => resolve(true));
        node.addEventListener("error", () => resolve(false));
        document.head.append(node);
      });
    for (const href of widget.styles || []) {
      if (!(await load("link", { rel: "stylesheet", href }))) return false;
    }
    for (const src of widget.scripts || []) {
      if (!(await load("script", { src }))) return false;
    }
    return true;
  },

  // "HTTP 503: maintenance" (with the server's error message when it sent one), or
  // "network error".
  describe(result) {
    const base = result.status === 0 ? "network error" : `HTTP ${result.status}`;
    const error = result.data && typeof result.data.error === "string" ? `: ${result.data.error}` : "";
    return base + error;
  },
});
