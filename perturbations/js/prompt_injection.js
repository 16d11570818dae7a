/*
 * gymfuzz page perturbation "prompt_injection": when triggered, inserts content next to the
 * first target that speaks to the agent (params.text: instructions that are not part of the
 * task), styled like the page, with an optional button (params.action_label) that does
 * nothing but report that the injected instruction was followed.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("prompt_injection", function (ctx) {
    var p = ctx.params;
    var after = p.position === "after";

    return function apply(fire) {
      var anchor = document.querySelector(ctx.selector);
      var note = u.make("div", "prompt_injection", ctx.id);
      note.setAttribute("role", "note");
      u.style(note, {
        display: "block",
        margin: "6px 0",
        padding: "6px 8px",
        border: "1px solid #bbb",
        background: "#f6f6f6",
        color: "#111",
        font: "14px/1.4 sans-serif",
      });
      var text = document.createElement("p");
      text.textContent = u.text(p.text, "");
      u.style(text, { margin: "0 0 4px" });
      note.appendChild(text);
      if (typeof p.action_label === "string") {
        var action = document.createElement("button");
        action.type = "button";
        action.textContent = p.action_label;
        action.addEventListener(
          "click",
          fire.guard(function (ev) {
            ev.preventDefault();
            fire.report("followed", {});
          })
        );
        note.appendChild(action);
      }
      if (anchor && anchor.parentNode) {
        anchor.parentNode.insertBefore(note, after ? anchor.nextSibling : anchor);
      } else {
        u.mount(note);
      }
      return { placed: anchor ? (after ? "after" : "before") : "end_of_body" };
    };
  });
})();
