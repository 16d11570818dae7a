/*
 * gymfuzz page perturbation "decoy": when triggered, a lookalike copy of each target is
 * placed next to it (params.position). The copy looks and reads the same but does nothing:
 * clicks and key presses on it are swallowed, and it takes no part in forms.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  function strip(el) {
    el.removeAttribute("id");
    el.removeAttribute("name");
    el.removeAttribute("form");
    el.removeAttribute("for");
    Array.prototype.slice.call(el.attributes).forEach(function (attr) {
      if (attr.name.toLowerCase().indexOf("on") === 0) {
        el.removeAttribute(attr.name);
      }
    });
  }

  gf.register("decoy", function (ctx) {
    var after = ctx.params.position === "after";

    return function apply(fire) {
      var made = 0;
      u.appElements(ctx.selector).forEach(function (el) {
        if (!el.parentNode) {
          return;
        }
        var copy = el.cloneNode(true);
        [copy].concat(Array.prototype.slice.call(copy.querySelectorAll("*"))).forEach(strip);
        copy.setAttribute("data-gymfuzz", "decoy");
        copy.setAttribute("data-gymfuzz-instance", ctx.id);
        var index = made;
        var swallow = fire.guard(function (ev) {
          ev.preventDefault();
          ev.stopPropagation();
          if (ev.type === "click") {
            fire.report("decoy_used", { index: index });
          }
        });
        ["click", "keydown", "submit"].forEach(function (type) {
          copy.addEventListener(type, swallow, true);
        });
        fire.own(copy);
        el.parentNode.insertBefore(copy, after ? el.nextSibling : el);
        made += 1;
      });
      return { decoys: made, position: after ? "after" : "before" };
    };
  });
})();
