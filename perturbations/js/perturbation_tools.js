/*
 * gymfuzz perturbation tools: small functions the perturbation scripts share, installed as
 * window.__gymfuzz.util right after the runtime (once per document, like the runtime).
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf || gf.util) {
    return;
  }

  gf.util = {
    // Inline !important styles: the app's stylesheets cannot hide or restyle our nodes.
    style: function (el, props) {
      Object.keys(props).forEach(function (name) {
        el.style.setProperty(name, props[name], "important");
      });
      return el;
    },
    num: function (value, lo, hi, fallback) {
      if (typeof value !== "number" || !isFinite(value)) {
        return fallback;
      }
      return Math.min(hi, Math.max(lo, value));
    },
    text: function (value, fallback) {
      return typeof value === "string" ? value : fallback;
    },
    // A new element marked as gymfuzz's own (events on it are not agent events).
    make: function (tag, kind, instanceId) {
      var el = document.createElement(tag);
      el.setAttribute("data-gymfuzz", kind);
      el.setAttribute("data-gymfuzz-instance", instanceId);
      return el;
    },
    // Seeded Fisher-Yates shuffle of a copy of items.
    shuffle: function (items, random) {
      var out = items.slice();
      for (var j = out.length - 1; j > 0; j--) {
        var k = Math.floor(random() * (j + 1));
        var tmp = out[j];
        out[j] = out[k];
        out[k] = tmp;
      }
      return out;
    },
    // Whether el is (inside) a node gymfuzz put in the page, not the app's own.
    isOwn: function (el) {
      return el.closest("[data-gymfuzz]") !== null;
    },
    // The app's elements matching selector (never gymfuzz's own nodes), in document order.
    appElements: function (selector) {
      return Array.prototype.slice.call(document.querySelectorAll(selector)).filter(function (el) {
        return el.closest("[data-gymfuzz]") === null;
      });
    },
    mount: function (node) {
      (document.body || document.documentElement).appendChild(node);
      return node;
    },
  };
})();
