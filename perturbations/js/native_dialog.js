/*
 * gymfuzz page perturbation "native_dialog": right after the triggering event, opens a
 * native browser dialog (alert, confirm or prompt) with params.message. The page is blocked
 * until the dialog is answered; the answer is reported, and nothing else depends on it.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;
  // Our own references: the page may replace window.alert and friends.
  var natives = { alert: window.alert, confirm: window.confirm, prompt: window.prompt };

  gf.register("native_dialog", function (ctx) {
    var p = ctx.params;
    var type = natives[p.dialog] ? p.dialog : "alert";
    var message = u.text(p.message, "");
    var defaultText = u.text(p.default_text, "");

    return function apply(fire) {
      // Opened from a timer, not inside the agent's event: the action itself completes first.
      fire.later(function () {
        var answer =
          type === "prompt"
            ? natives.prompt.call(window, message, defaultText)
            : natives[type].call(window, message);
        fire.report("answered", { dialog: type, answer: type === "alert" ? null : answer });
      }, 0);
      return { dialog: type };
    };
  });
})();
