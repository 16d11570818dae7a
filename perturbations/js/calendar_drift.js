/*
 * gymfuzz page perturbation "calendar_drift": counts the agent's clicks on the picker's
 * "next" and "previous" controls (params.next_selector, params.prev_selector); when
 * triggered, it clicks the opposite control as many times as needed to bring the picker back
 * to the month it showed first, through the app's own handlers, just after the event.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }

  function hit(el, selector) {
    try {
      return el && el.nodeType === 1 && el.closest(selector) !== null;
    } catch (err) {
      return false;
    }
  }

  gf.register("calendar_drift", function (ctx) {
    var next = ctx.params.next_selector;
    var prev = ctx.params.prev_selector;
    var offset = 0; // agent months forward from the first month shown
    var drifting = false;
    document.addEventListener(
      "click",
      function (ev) {
        if (drifting || !ev.isTrusted) {
          return;
        }
        if (hit(ev.target, next)) {
          offset += 1;
        } else if (hit(ev.target, prev)) {
          offset -= 1;
        }
      },
      true
    );

    return function apply(fire) {
      var months = offset;
      fire.later(function () {
        var selector = months > 0 ? prev : next;
        var done = 0;
        drifting = true;
        try {
          for (var i = 0; i < Math.abs(months); i++) {
            var control = document.querySelector(selector); // re-query: pickers re-render
            if (!control) {
              break;
            }
            fire.synthetic(function () {
              control.click();
            });
            done += 1;
          }
        } finally {
          drifting = false;
        }
        offset -= months > 0 ? done : -done;
        fire.report("drifted", { months: months > 0 ? -done : done });
      }, 0);
      return { offset: months };
    };
  });
})();
