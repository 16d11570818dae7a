/*
 * gymfuzz page perturbation "skeleton": when triggered (typically on load), every target is
 * taken out of view and a grey placeholder of about its size stands in its place for
 * params.duration_ms; then the real content comes back (the page "populates").
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("skeleton", function (ctx) {
    var p = ctx.params;
    var duration = Math.floor(u.num(p.duration_ms, 0, 600000, 1500));

    return function apply(fire) {
      var swapped = [];
      Array.prototype.forEach.call(document.querySelectorAll(ctx.selector), function (el) {
        if (!el.parentNode || el === document.body || el === document.documentElement) {
          return;
        }
        var r = el.getBoundingClientRect();
        var ghost = u.make("div", "skeleton", ctx.id);
        ghost.setAttribute("aria-busy", "true");
        ghost.setAttribute("aria-label", "Loading");
        u.style(ghost, {
          display: "block",
          "box-sizing": "border-box",
          width: Math.max(r.width, 40) + "px",
          height: Math.max(r.height, 16) + "px",
          background: "repeating-linear-gradient(#e3e3e3 0 14px, #fff 14px 22px)",
          "border-radius": "4px",
        });
        el.parentNode.insertBefore(ghost, el);
        el.style.setProperty("display", "none", "important");
        swapped.push([el, ghost]);
      });
      fire.later(function () {
        swapped.forEach(function (pair) {
          pair[0].style.removeProperty("display");
          pair[1].remove();
        });
        fire.report("populated", { elements: swapped.length });
      }, duration);
      return { elements: swapped.length, duration_ms: duration };
    };
  });
})();
