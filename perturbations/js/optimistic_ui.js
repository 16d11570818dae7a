/*
 * gymfuzz page perturbation "optimistic_ui": when triggered (typically by the click on a
 * save button), shows a success notice (role=status, params.message) at once, before the app
 * knows the outcome, and hides the app's own feedback (elements matching params.hide_selector)
 * for params.hide_ms: a failed save looks like a success until then.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("optimistic_ui", function (ctx) {
    var p = ctx.params;
    var hideMs = Math.floor(u.num(p.hide_ms, 0, 600000, 3000));
    var toastMs = Math.floor(u.num(p.toast_ms, 0, 600000, 3000));
    var hideSelector = typeof p.hide_selector === "string" ? p.hide_selector : null;

    return function apply(fire) {
      var toast = u.make("div", "optimistic_ui", ctx.id);
      toast.setAttribute("role", "status");
      toast.textContent = u.text(p.message, "Saved");
      u.style(toast, {
        position: "fixed",
        bottom: "16px",
        left: "16px",
        "z-index": "2147480000",
        background: "#1e7b34",
        color: "#fff",
        padding: "10px 16px",
        "border-radius": "4px",
        font: "15px sans-serif",
        "pointer-events": "none",
      });
      u.mount(toast);

      var hidden = [];
      var observer = null;
      function hideAll() {
        Array.prototype.forEach.call(document.querySelectorAll(hideSelector), function (el) {
          if (hidden.indexOf(el) < 0) {
            hidden.push(el);
            el.setAttribute("data-gymfuzz-hidden", ctx.id);
            el.style.setProperty("visibility", "hidden", "important");
          }
        });
      }
      if (hideSelector && hideMs > 0) {
        hideAll();
        observer = new MutationObserver(fire.guard(hideAll));
        observer.observe(document.documentElement, { childList: true, subtree: true });
        fire.later(function () {
          observer.disconnect();
          hidden.forEach(function (el) {
            el.style.removeProperty("visibility");
            el.removeAttribute("data-gymfuzz-hidden");
          });
          fire.report("revealed", { elements: hidden.length });
        }, hideMs);
      }
      if (toastMs > 0) {
        fire.later(function () {
          toast.remove();
        }, toastMs);
      }
      return { hide_ms: hideSelector ? hideMs : 0, toast_ms: toastMs };
    };
  });
})();
