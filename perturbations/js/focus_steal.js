/*
 * gymfuzz page perturbation "focus_steal": when triggered, a search box (gymfuzz's own, in a
 * small bar fixed at the top right) takes the keyboard focus, so the keys the agent types
 * next land there instead of in the field it was filling.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("focus_steal", function (ctx) {
    var p = ctx.params;
    var box = null;

    function build() {
      var bar = u.make("div", "focus_steal", ctx.id);
      u.style(bar, {
        position: "fixed",
        top: "8px",
        right: "8px",
        "z-index": "2147480000",
        background: "#eee",
        padding: "6px",
        border: "1px solid #999",
        font: "14px sans-serif",
      });
      var input = document.createElement("input");
      input.type = "search";
      input.setAttribute("aria-label", u.text(p.label, "Search"));
      input.placeholder = u.text(p.label, "Search");
      bar.appendChild(input);
      u.mount(bar);
      return input;
    }

    return function apply(fire) {
      if (!box || !box.isConnected) {
        box = build();
      }
      var from = document.activeElement;
      box.focus();
      return {
        from: from && from !== document.body ? from.tagName.toLowerCase() : null,
        stolen: document.activeElement === box,
      };
    };
  });
})();
