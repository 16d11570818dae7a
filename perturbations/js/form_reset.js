/*
 * gymfuzz page perturbation "form_reset": when triggered, every target form (or every field
 * inside a target that is not a form) silently goes back to its initial values. No input or
 * change event is sent, so the app and the agent are not told.
 *
 * A field's initial value is the one it had when the user first touched it (focus, pointer,
 * key, or the first edit), else when it appeared in the page, else its default (the HTML
 * value attribute). The default alone is not enough:
 * some harnesses copy live values into the value attribute before every observation
 * (BrowserGym does), which would make a reset to defaults a no-op.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }

  var FIELD = /^(INPUT|SELECT|TEXTAREA)$/;
  var FIELDS = "input, select, textarea";
  // field -> {checked, selected, value}: when first touched, and when first seen in the page
  var touched = new WeakMap();
  var seen = new WeakMap();

  function snapshot(el) {
    return { checked: el.checked, selected: el.selectedIndex, value: el.value };
  }

  function remember(event) {
    var el = event.target;
    if (el && FIELD.test(el.tagName || "") && !touched.has(el)) {
      touched.set(el, snapshot(el));
    }
  }

  function see(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    var found = FIELD.test(root.tagName || "") ? [root] : [];
    Array.prototype.push.apply(found, root.querySelectorAll(FIELDS));
    found.forEach(function (el) {
      if (!seen.has(el)) {
        seen.set(el, snapshot(el));
      }
    });
  }

  ["focusin", "beforeinput", "pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, remember, true);
  });
  see(document);
  new MutationObserver(function (mutations) {
    mutations.forEach(function (m) {
      Array.prototype.forEach.call(m.addedNodes, see);
    });
  }).observe(document, { childList: true, subtree: true });

  function resetField(el) {
    var before;
    var first = touched.get(el) || seen.get(el);
    if (el.type === "checkbox" || el.type === "radio") {
      before = el.checked;
      el.checked = first ? first.checked : el.defaultChecked;
      return before !== el.checked;
    }
    if (el.tagName === "SELECT") {
      before = el.selectedIndex;
      if (first) {
        el.selectedIndex = first.selected;
      } else {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = o.defaultSelected;
        });
      }
      return before !== el.selectedIndex;
    }
    if (el.type === "file" || el.type === "hidden" || !("defaultValue" in el)) {
      return false;
    }
    before = el.value;
    el.value = first ? first.value : el.defaultValue;
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
