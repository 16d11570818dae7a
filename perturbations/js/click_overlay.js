/*
 * gymfuzz page perturbation "click_overlay": when triggered, lays a layer over each target
 * element of the app (never over gymfuzz's own nodes, such as a modal's button) that takes
 * the clicks meant for it. The layer removes itself after params.clicks_to_dismiss clicks on
 * it, or after params.duration_ms (0: never by itself).
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("click_overlay", function (ctx) {
    var p = ctx.params;
    var needed = Math.floor(u.num(p.clicks_to_dismiss, 1, 5, 1));
    var duration = Math.floor(u.num(p.duration_ms, 0, 600000, 0));
    var veil = p.visible === true ? "rgba(255, 255, 255, 0.45)" : "rgba(255, 255, 255, 0)";

    return function apply(fire) {
      var layers = [];

      function remove(layer, index, reason) {
        if (layer.isConnected) {
          layer.remove();
          fire.report("removed", { index: index, reason: reason });
        }
      }

      u.appElements(ctx.selector).forEach(function (el) {
        var r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) {
          return;
        }
        var index = layers.length;
        var layer = u.make("div", "click_overlay", ctx.id);
        u.style(layer, {
          position: "absolute",
          left: r.left + window.scrollX - 4 + "px",
          top: r.top + window.scrollY - 4 + "px",
          width: r.width + 8 + "px",
          height: r.height + 8 + "px",
          "z-index": "2147482000",
          background: veil,
          "pointer-events": "auto",
          margin: "0",
          padding: "0",
          border: "0",
        });
        var hits = 0;
        layer.addEventListener(
          "click",
          fire.guard(function (ev) {
            ev.preventDefault();
            ev.stopPropagation();
            hits += 1;
            fire.report("intercepted", { index: index, clicks: hits });
            if (hits >= needed) {
              remove(layer, index, "clicked");
            }
          })
        );
        // Absolute in the root element: document coordinates, whatever the body's position.
        document.documentElement.appendChild(layer);
        layers.push(layer);
      });
      if (duration > 0) {
        fire.later(function () {
          layers.forEach(function (layer, index) {
            remove(layer, index, "timeout");
          });
        }, duration);
      }
      return { covered: layers.length, clicks_to_dismiss: needed, duration_ms: duration };
    };
  });
})();
