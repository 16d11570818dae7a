/*
 * gymfuzz page perturbation "modal": when triggered, shows params.count modal dialogs, one
 * every params.stagger_ms, stacked in a seeded order ("shuffled": a later one may sit under
 * an earlier one) or in order of appearance ("in_order").
 *
 * Each modal is a full-viewport fixed backdrop that takes every pointer event, holding a
 * role=dialog box with a heading, a paragraph and a close button. Boxes cascade by stacking
 * layer so each is visible, and stay inside the viewport (scrollable if their text is long),
 * so the topmost close button is always reachable: closing them topmost first dismisses all.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }

  var Z_BASE = 2147483000; // near the top of the z-index range, below its maximum
  var STEP_PX = 24; // cascade offset between stacking layers
  var serial = 0; // unique ids for aria-labelledby within this document

  function intParam(value, lo, hi, fallback) {
    if (typeof value !== "number" || !isFinite(value)) {
      return fallback;
    }
    return Math.min(hi, Math.max(lo, Math.floor(value)));
  }

  function textParam(value, fallback) {
    return typeof value === "string" ? value : fallback;
  }

  // Inline !important styles: the app's stylesheets cannot hide or restyle the modal.
  function style(el, props) {
    Object.keys(props).forEach(function (name) {
      el.style.setProperty(name, props[name], "important");
    });
  }

  // layers[i] is the stacking layer (0 = bottom) of the i-th modal to appear.
  function stackingLayers(count, random) {
    var layers = [];
    for (var i = 0; i < count; i++) {
      layers.push(i);
    }
    if (random) {
      for (var j = count - 1; j > 0; j--) {
        var k = Math.floor(random() * (j + 1));
        var tmp = layers[j];
        layers[j] = layers[k];
        layers[k] = tmp;
      }
    }
    return layers;
  }

  function build(p, layer, count, instanceId) {
    serial += 1;
    var titleId = "gf-modal-title-" + serial;
    var drop = layer * STEP_PX; // 0 .. 96px down
    var shift = (layer - (count - 1) / 2) * STEP_PX; // -48 .. +48px around the centre

    var backdrop = document.createElement("div");
    backdrop.className = "gf-modal-backdrop";
    backdrop.setAttribute("data-gymfuzz", "modal");
    backdrop.setAttribute("data-gymfuzz-instance", instanceId);
    backdrop.setAttribute("data-gymfuzz-layer", String(layer));
    style(backdrop, {
      position: "fixed",
      inset: "0",
      "z-index": String(Z_BASE + layer),
      background: "rgba(0, 0, 0, 0.25)",
      "pointer-events": "auto",
      display: "block",
      visibility: "visible",
      opacity: "1",
      margin: "0",
      padding: "0",
    });

    var dialog = document.createElement("div");
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", titleId);
    style(dialog, {
      position: "absolute",
      "box-sizing": "border-box",
      width: "min(420px, calc(100% - 128px))",
      "min-width": "160px",
      top: "calc(10% + " + drop + "px)",
      left: "calc(50% + " + shift + "px)",
      transform: "translateX(-50%)",
      "max-height": "calc(85% - " + drop + "px)",
      overflow: "auto",
      background: "#fff",
      color: "#111",
      border: "1px solid #444",
      "border-radius": "6px",
      padding: "16px",
      "box-shadow": "0 6px 24px rgba(0, 0, 0, 0.35)",
      font: "15px/1.4 sans-serif",
      "text-align": "left",
    });

    var heading = document.createElement("h2");
    heading.id = titleId;
    heading.textContent = textParam(p.title, "Notice");
    style(heading, { margin: "0 0 8px", font: "bold 18px/1.3 sans-serif", color: "#111" });

    var body = document.createElement("p");
    body.textContent = textParam(p.text, "");
    style(body, { margin: "0 0 12px", color: "#111" });

    var close = document.createElement("button");
    close.type = "button";
    close.className = "gf-modal-close";
    close.textContent = textParam(p.close_label, "Close");
    style(close, {
      "pointer-events": "auto",
      cursor: "pointer",
      padding: "6px 14px",
      font: "15px sans-serif",
    });

    dialog.appendChild(heading);
    dialog.appendChild(body);
    dialog.appendChild(close);
    backdrop.appendChild(dialog);
    return { backdrop: backdrop, close: close };
  }

  gf.register("modal", function (ctx) {
    var p = ctx.params;
    var count = intParam(p.count, 1, 5, 1);
    var stagger = intParam(p.stagger_ms, 0, 10000, 0);
    var order = p.order === "in_order" ? "in_order" : "shuffled";

    return function apply(fire) {
      var layers = stackingLayers(count, order === "shuffled" ? fire.random("order") : null);
      var open = 0;

      function show(index) {
        var layer = layers[index];
        var parts = build(p, layer, count, ctx.id);
        parts.close.addEventListener(
          "click",
          fire.guard(function () {
            if (!parts.backdrop.isConnected) {
              return;
            }
            parts.backdrop.remove();
            open -= 1;
            fire.report("dismissed", { index: index, layer: layer, open: open });
          })
        );
        (document.body || document.documentElement).appendChild(parts.backdrop);
        open += 1;
        fire.report("shown", { index: index, layer: layer, open: open });
      }

      for (var i = 0; i < count; i++) {
        if (i === 0 || stagger === 0) {
          show(i);
        } else {
          fire.later(show.bind(null, i), i * stagger);
        }
      }
      return { count: count, order: order, layers: layers, stagger_ms: stagger };
    };
  });
})();
