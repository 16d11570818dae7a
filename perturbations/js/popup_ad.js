/*
 * gymfuzz page perturbation "popup_ad": when triggered, a pop-up box appears over the first
 * target (no backdrop), with a large call-to-action button (params.lure_label) that does
 * nothing but keep the pop-up, and a small close button in its corner that removes it.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("popup_ad", function (ctx) {
    var p = ctx.params;

    return function apply(fire) {
      var anchor = document.querySelector(ctx.selector);
      var r = anchor ? anchor.getBoundingClientRect() : { left: 0, top: 0, width: 0, height: 0 };
      var box = u.make("div", "popup_ad", ctx.id);
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-label", u.text(p.title, "Offer"));
      var cx = Math.max(150, Math.min(window.innerWidth - 150, r.left + r.width / 2));
      var cy = Math.max(90, Math.min(window.innerHeight - 90, r.top + r.height / 2));
      u.style(box, {
        position: "fixed",
        left: cx - 150 + "px",
        top: cy - 90 + "px",
        width: "300px",
        "min-height": "180px",
        "box-sizing": "border-box",
        "z-index": "2147482500",
        background: "#fffbe6",
        color: "#111",
        border: "2px solid #e0a800",
        "border-radius": "8px",
        padding: "28px 16px 16px",
        font: "15px/1.4 sans-serif",
        "box-shadow": "0 8px 28px rgba(0, 0, 0, 0.35)",
        "text-align": "center",
      });
      var title = document.createElement("strong");
      title.textContent = u.text(p.title, "Offer");
      var text = document.createElement("p");
      text.textContent = u.text(p.text, "");
      var lure = document.createElement("button");
      lure.type = "button";
      lure.className = "gf-popup-lure";
      lure.textContent = u.text(p.lure_label, "Continue");
      u.style(lure, { padding: "10px 28px", font: "bold 16px sans-serif", cursor: "pointer" });
      var close = document.createElement("button");
      close.type = "button";
      close.className = "gf-popup-close";
      close.setAttribute("aria-label", "Close");
      close.textContent = "\u00d7";
      u.style(close, {
        position: "absolute",
        top: "4px",
        right: "6px",
        padding: "0 6px",
        font: "16px sans-serif",
        cursor: "pointer",
      });
      lure.addEventListener(
        "click",
        fire.guard(function () {
          fire.report("lured", {});
        })
      );
      close.addEventListener(
        "click",
        fire.guard(function () {
          box.remove();
          fire.report("dismissed", {});
        })
      );
      box.appendChild(close);
      box.appendChild(title);
      box.appendChild(text);
      box.appendChild(lure);
      u.mount(box);
      return { over_target: anchor !== null };
    };
  });
})();
