/*
 * gymfuzz page perturbation "zoom_shift": when triggered, scales the target elements (often
 * the whole page, target "html") by params.scale, with CSS zoom (layout reflows) or a
 * transform (layout kept, pixels move). Everything the agent measured before is off.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("zoom_shift", function (ctx) {
    var p = ctx.params;
    var scale = u.num(p.scale, 0.25, 4, 0.7);
    var mode = p.mode === "transform" ? "transform" : "zoom";

    return function apply(fire) {
      var targets = Array.prototype.slice.call(document.querySelectorAll(ctx.selector));
      targets.forEach(function (el) {
        if (mode === "zoom") {
          el.style.setProperty("zoom", String(scale), "important");
        } else {
          el.style.setProperty("transform", "scale(" + scale + ")", "important");
          el.style.setProperty("transform-origin", "0 0", "important");
        }
      });
      window.dispatchEvent(new Event("resize"));
      return { scale: scale, mode: mode, scaled: targets.length };
    };
  });
})();
