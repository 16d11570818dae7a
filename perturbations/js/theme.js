/*
 * gymfuzz page transform "theme": when triggered, adds one stylesheet that gives the app
 * another theme: params.variant "dark", "high_contrast", "font" (params.font_family, every
 * text params.font_scale times its size) or "reduced_motion" (animations and transitions
 * end at once; matchMedia reports prefers-reduced-motion). Nothing is hidden or disabled.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  // Every element of the app, never gymfuzz's own nodes.
  var APP = ":not([data-gymfuzz]):not([data-gymfuzz] *)";
  var MOTION_QUERY = /prefers-reduced-motion\s*:\s*reduce/;

  var SHEETS = {
    dark: [
      "html" + APP + ", body" + APP + " { background: #121417 !important; color-scheme: dark; }",
      "body *" + APP + " { background-color: transparent !important; color: #e4e6eb !important;" +
        " border-color: #4a4f57 !important; }",
      "body :is(input, select, textarea, button, dialog, [role=dialog], [role=listbox]," +
        " [role=menu], .card, section, nav, header, footer, table)" + APP +
        " { background-color: #22262c !important; }",
      "body a" + APP + " { color: #8ab4f8 !important; }",
    ],
    high_contrast: [
      "html" + APP + ", body" + APP + " { background: #000 !important; }",
      "body *" + APP + " { background-color: #000 !important; color: #fff !important;" +
        " border-color: #fff !important; text-shadow: none !important;" +
        " box-shadow: none !important; }",
      "body :is(input, select, textarea, button)" + APP +
        " { border: 2px solid #fff !important; }",
      "body a" + APP + " { color: #ff0 !important; text-decoration: underline !important; }",
      "body :focus" + APP + " { outline: 3px solid #ff0 !important; outline-offset: 2px; }",
      "body :disabled" + APP + " { color: #0f0 !important; }",
    ],
    reduced_motion: [
      "*" + APP + ", *" + APP + "::before, *" + APP + "::after" +
        " { animation-duration: 0.001ms !important; animation-delay: 0s !important;" +
        " animation-iteration-count: 1 !important; transition-duration: 0.001ms !important;" +
        " transition-delay: 0s !important; scroll-behavior: auto !important; }",
    ],
  };

  function fontRules(family) {
    return ["body, body *" + APP + " { font-family: " + family + " !important; }"];
  }

  // Each element of the page gets its own size times scale, measured before any is written
  // (a written ancestor would change what its children inherit). Content rendered later
  // inherits the scaled sizes.
  function scaleFonts(root, scale) {
    var all = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
    var sizes = all.map(function (el) {
      return u.isOwn(el) ? NaN : parseFloat(window.getComputedStyle(el).fontSize);
    });
    var count = 0;
    all.forEach(function (el, i) {
      if (isFinite(sizes[i]) && sizes[i] > 0) {
        el.style.setProperty("font-size", (sizes[i] * scale).toFixed(2) + "px", "important");
        count += 1;
      }
    });
    return count;
  }

  function reduceMotionQueries() {
    var original = window.matchMedia;
    if (typeof original !== "function") {
      return;
    }
    window.matchMedia = function (query) {
      var result = original.apply(window, arguments);
      if (typeof query === "string" && MOTION_QUERY.test(query)) {
        try {
          Object.defineProperty(result, "matches", { value: true });
        } catch (e) {
          // A frozen result keeps the browser's answer; the stylesheet still applies.
        }
      }
      return result;
    };
  }

  gf.register("theme", function (ctx) {
    var p = ctx.params;
    var known = p.variant === "font" || Object.prototype.hasOwnProperty.call(SHEETS, p.variant);
    var variant = known ? p.variant : "dark";
    var family = u.text(p.font_family, "Georgia, serif");
    var scale = u.num(p.font_scale, 0.75, 2, 1.25);

    return function apply(fire) {
      var rules = variant === "font" ? fontRules(family) : SHEETS[variant];
      var sheet = u.make("style", "theme", ctx.id);
      sheet.textContent = rules.join("\n");
      (document.head || document.documentElement).appendChild(sheet);
      var detail = { variant: variant, rules: rules.length };
      if (variant === "reduced_motion") {
        reduceMotionQueries();
      }
      if (variant === "font") {
        detail.font_family = family;
        detail.scaled = scaleFonts(document.body || document.documentElement, scale);
      }
      return detail;
    };
  });
})();
