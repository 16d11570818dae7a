/*
 * gymfuzz page perturbation "viewport_change": when triggered, the page lays itself out as
 * if the viewport were params.width pixels wide (the root element is narrowed or widened and
 * a resize event is sent), for params.duration_ms (0: for good). Responsive layouts reflow
 * and elements move.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("viewport_change", function (ctx) {
    var width = Math.floor(u.num(ctx.params.width, 200, 4000, 480));
    var duration = Math.floor(u.num(ctx.params.duration_ms, 0, 600000, 0));

    return function apply(fire) {
      var root = document.documentElement;
      var before = root.clientWidth;
      root.style.setProperty("width", width + "px", "important");
      root.style.setProperty("max-width", width + "px", "important");
      root.style.setProperty("overflow-x", "auto", "important");
      window.dispatchEvent(new Event("resize"));
      if (duration > 0) {
        fire.later(function () {
          ["width", "max-width", "overflow-x"].forEach(function (name) {
            root.style.removeProperty(name);
          });
          window.dispatchEvent(new Event("resize"));
          fire.report("restored", {});
        }, duration);
      }
      return { width: width, from_width: before, duration_ms: duration };
    };
  });
})();
