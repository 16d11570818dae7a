/*
 * gymfuzz page perturbation "form_reset": when triggered, every target form (or every field
 * inside a target that is not a form) silently goes back to its initial values. No input or
 * change event is sent, so the app and the agent are not told.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }

  function resetField(el) {
    var before;
    if (el.type === "checkbox" || el.type === "radio") {
      before = el.checked;
      el.checked = el.defaultChecked;
      return before !== el.checked;
    }
    if (el.tagName === "SELECT") {
      before = el.selectedIndex;
      Array.prototype.forEach.call(el.options, function (o) {
        o.selected = o.defaultSelected;
      });
      return before !== el.selectedIndex;
    }
    if (el.type === "file" || el.type === "hidden" || !("defaultValue" in el)) {
      return false;
    }
    before = el.value;
    el.value = el.defaultValue;
    return before !== el.value;
  }

  gf.register("form_reset", function (ctx) {
    return function apply(fire) {
      var changed = [];
      Array.prototype.forEach.call(document.querySelectorAll(ctx.selector), function (root) {
        var fields = root.tagName === "FORM" ? root.elements : root.querySelectorAll(
          "input, select, textarea"
        );
        Array.prototype.forEach.call(fields, function (el) {
          if (
            (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA") &&
            resetField(el)
          ) {
            changed.push(el.name || el.id || el.tagName.toLowerCase());
          }
        });
      });
      return { reset: changed };
    };
  });
})();
