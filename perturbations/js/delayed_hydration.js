/*
 * gymfuzz page perturbation "delayed_hydration": when triggered (typically on load), the
 * target controls look ready but are inert for params.duration_ms: clicks, key presses and
 * submits on them are swallowed before the app sees them, as before a framework hydrates.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;
  var BLOCKED = ["click", "keydown", "keypress", "beforeinput", "submit", "dblclick"];
  var REPORTED = ["click", "keydown", "submit"];

  gf.register("delayed_hydration", function (ctx) {
    var p = ctx.params;
    var duration = Math.floor(u.num(p.duration_ms, 0, 600000, 2000));

    return function apply(fire) {
      var swallowed = 0;
      var swallow = fire.guard(function (ev) {
        var el = ev.target && ev.target.nodeType === 1 ? ev.target : null;
        if (!el || !el.closest(ctx.selector)) {
          return;
        }
        ev.preventDefault();
        ev.stopImmediatePropagation();
        swallowed += 1;
        if (REPORTED.indexOf(ev.type) >= 0) {
          fire.report("swallowed", { event: ev.type });
        }
      });
      BLOCKED.forEach(function (type) {
        window.addEventListener(type, swallow, true);
      });
      fire.later(function () {
        BLOCKED.forEach(function (type) {
          window.removeEventListener(type, swallow, true);
        });
        fire.report("hydrated", { swallowed: swallowed });
      }, duration);
      return { duration_ms: duration };
    };
  });
})();
