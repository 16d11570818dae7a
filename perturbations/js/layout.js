/*
 * gymfuzz page transform "layout": when triggered, lays the page out differently according
 * to params.variant: "zoom" (CSS zoom params.scale on the root), "viewport" (the layout width
 * of a device class), "one_column" (multi-column grids, flex rows and floats in the targets
 * stacked), "two_column" (each target's children on a two-column grid), "reorder" (each
 * target's element children moved into a seeded order) or "sticky_header" (a fixed header of
 * params.height_px covering what scrolls under it). Nodes are moved or restyled, never
 * re-created: listeners, values and focus stay.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  var WIDTHS = { phone: 360, tablet: 768, laptop: 1280, wide: 1920 };
  var INERT = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, LINK: 1, META: 1 };


  function set(el, props) {
    u.style(el, props);
  }

  function zoom(scale) {
    set(document.documentElement, { zoom: String(scale) });
    window.dispatchEvent(new Event("resize"));
    return { scale: scale };
  }

  function viewport(widthClass) {
    var width = WIDTHS[widthClass] || WIDTHS.phone;
    set(document.documentElement, {
      width: width + "px",
      "min-width": width + "px",
      "max-width": width + "px",
      "overflow-x": "auto",
    });
    window.dispatchEvent(new Event("resize"));
    return { width: width, width_class: widthClass };
  }

  function elementChildren(el) {
    return Array.prototype.filter.call(el.children, function (c) {
      return !INERT[c.tagName] && !c.hasAttribute("data-gymfuzz");
    });
  }

  // Stack what sits side by side: grids get one track, flex rows become columns, floats clear.
  function oneColumn(roots) {
    var stacked = 0;
    roots.forEach(function (root) {
      var all = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
      var looks = all.map(function (el) {
        return window.getComputedStyle(el);
      });
      all.forEach(function (el, i) {
        var cs = looks[i];
        if (u.isOwn(el)) {
          return;
        }
        if (/grid$/.test(cs.display) && elementChildren(el).length > 1) {
          set(el, { "grid-template-columns": "minmax(0, 1fr)", "grid-auto-flow": "row" });
          elementChildren(el).forEach(function (c) {
            set(c, { "grid-column": "1 / -1" });
          });
          stacked += 1;
        } else if (/flex$/.test(cs.display) && /^row/.test(cs.flexDirection) &&
                   elementChildren(el).length > 1) {
          set(el, { "flex-direction": "column", "align-items": "stretch" });
          stacked += 1;
        } else if (cs.cssFloat === "left" || cs.cssFloat === "right") {
          set(el, { float: "none", width: "auto" });
          stacked += 1;
        }
      });
    });
    return { stacked: stacked };
  }

  function twoColumn(roots) {
    roots.forEach(function (root) {
      set(root, {
        display: "grid",
        "grid-template-columns": "repeat(2, minmax(0, 1fr))",
        "column-gap": "1.5rem",
        "align-items": "start",
      });
    });
    return { stacked: roots.length };
  }

  function reorder(roots, fire) {
    var orders = roots.map(function (root, i) {
      var kids = elementChildren(root);
      var idx = kids.map(function (_, j) {
        return j;
      });
      var order = u.shuffle(idx, fire.random("order:" + i));
      var same = order.every(function (v, j) {
        return v === j;
      });
      if (same && order.length > 1) {
        order.push(order.shift()); // a transform that acts: never the original order
      }
      order.forEach(function (j) {
        root.appendChild(kids[j]);
      });
      return order;
    });
    return { order: orders };
  }

  function stickyHeader(height, id) {
    var bar = u.make("header", "layout", id);
    bar.setAttribute("role", "banner");
    bar.textContent = "Welcome back";
    set(bar, {
      position: "fixed",
      top: "0",
      left: "0",
      right: "0",
      height: height + "px",
      "z-index": "2147482000",
      background: "#24364b",
      color: "#fff",
      font: "bold 18px/1 sans-serif",
      display: "flex",
      "align-items": "center",
      padding: "0 24px",
      "box-shadow": "0 2px 8px rgba(0, 0, 0, 0.3)",
      "pointer-events": "auto",
    });
    var body = document.body || document.documentElement;
    var pad = parseFloat(window.getComputedStyle(body).paddingTop) || 0;
    set(body, { "padding-top": pad + height + "px" });
    u.mount(bar);
    return { height_px: height };
  }

  gf.register("layout", function (ctx) {
    var p = ctx.params;
    var variant = typeof p.variant === "string" ? p.variant : "zoom";
    var scale = u.num(p.scale, 0.5, 2, 1.5);
    var height = Math.floor(u.num(p.height_px, 20, 300, 96));

    return function apply(fire) {
      var detail;
      if (variant === "viewport") {
        detail = viewport(p.width_class);
      } else if (variant === "one_column") {
        detail = oneColumn(u.appElements(ctx.selector));
      } else if (variant === "two_column") {
        detail = twoColumn(u.appElements(ctx.selector));
      } else if (variant === "reorder") {
        detail = reorder(u.appElements(ctx.selector), fire);
      } else if (variant === "sticky_header") {
        detail = stickyHeader(height, ctx.id);
      } else {
        variant = "zoom";
        detail = zoom(scale);
      }
      detail.variant = variant;
      return detail;
    };
  });
})();
