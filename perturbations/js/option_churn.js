/*
 * gymfuzz page perturbation "option_churn": when triggered (typically when the agent opens a
 * dropdown), the options inside each target (params.option_selector) are reordered in a
 * seeded permutation, and optionally relabelled with params.label_suffix. Values and the
 * current selection are kept: only positions and labels move.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;
  var relabelled = new WeakSet();

  gf.register("option_churn", function (ctx) {
    var p = ctx.params;
    var optionSelector = u.text(p.option_selector, "option, [role=option]");
    var suffix = u.text(p.label_suffix, "");

    return function apply(fire) {
      var random = fire.random("order");
      var moved = 0;
      var orders = [];
      Array.prototype.forEach.call(document.querySelectorAll(ctx.selector), function (root) {
        var options = Array.prototype.slice.call(root.querySelectorAll(optionSelector));
        var byParent = new Map();
        options.forEach(function (o) {
          if (!byParent.has(o.parentNode)) {
            byParent.set(o.parentNode, []);
          }
          byParent.get(o.parentNode).push(o);
        });
        var selected = root.tagName === "SELECT" ? root.value : null;
        byParent.forEach(function (group, parent) {
          var order = u.shuffle(group, random);
          order.forEach(function (o) {
            parent.appendChild(o); // moves the node: handles stay valid, positions change
          });
          orders.push(
            order.map(function (o) {
              return group.indexOf(o);
            })
          );
          moved += group.length;
        });
        if (suffix) {
          options.forEach(function (o) {
            if (!relabelled.has(o)) {
              relabelled.add(o);
              if (o.tagName === "OPTION" && !o.hasAttribute("value")) {
                // An <option> with no value attribute has its text as value: keep that.
                o.setAttribute("value", o.value);
              }
              o.textContent = o.textContent + suffix;
            }
          });
        }
        if (selected !== null) {
          root.value = selected;
        }
      });
      return { options: moved, orders: orders, label_suffix: suffix };
    };
  });
})();
