/*
 * gymfuzz page perturbation "identity_churn": when triggered (often on every interaction,
 * trigger.repeat), the ids (params.ids) and class names (params.classes) of every element in
 * the target subtrees get a fresh seeded suffix, as with frameworks that generate them per
 * render. Selectors the agent recorded stop matching; roles, names and text stay.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;
  var originals = new WeakMap(); // element -> {id, classes} before any churn

  function token(random) {
    return Math.floor(random() * 0x100000).toString(36);
  }

  gf.register("identity_churn", function (ctx) {
    var p = ctx.params;
    var churnIds = p.ids !== false;
    var churnClasses = p.classes === true;

    return function apply(fire) {
      var suffix = "-" + token(fire.random("suffix"));
      var changed = 0;
      Array.prototype.forEach.call(document.querySelectorAll(ctx.selector), function (root) {
        var all = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
        all.forEach(function (el) {
          if (el.closest("[data-gymfuzz]")) {
            return;
          }
          var orig = originals.get(el);
          if (!orig) {
            orig = { id: el.id, classes: Array.prototype.slice.call(el.classList) };
            originals.set(el, orig);
          }
          if (churnIds && orig.id) {
            el.id = orig.id + suffix;
            changed += 1;
          }
          if (churnClasses && orig.classes.length) {
            el.className = orig.classes
              .map(function (c) {
                return c + suffix;
              })
              .join(" ");
            changed += 1;
          }
        });
      });
      return { suffix: suffix, changed: changed, ids: churnIds, classes: churnClasses };
    };
  });
})();
