/*
 * gymfuzz page perturbation "late_banner": when triggered, inserts a banner in the page flow
 * (at the top of the body, or just before the first target), pushing everything below it
 * down by params.height_px: a late layout shift. Its close button removes it.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  gf.register("late_banner", function (ctx) {
    var p = ctx.params;
    var height = Math.floor(u.num(p.height_px, 10, 1000, 120));

    return function apply(fire) {
      var banner = u.make("div", "late_banner", ctx.id);
      banner.setAttribute("role", "region");
      banner.setAttribute("aria-label", "Announcement");
      u.style(banner, {
        display: "block",
        position: "relative",
        "box-sizing": "border-box",
        height: height + "px",
        margin: "0",
        padding: "12px 16px",
        overflow: "hidden",
        background: "#fff3c4",
        color: "#111",
        "border-bottom": "1px solid #c9a400",
        font: "15px/1.4 sans-serif",
      });
      var text = document.createElement("span");
      text.textContent = u.text(p.text, "");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "gf-banner-close";
      close.textContent = u.text(p.close_label, "Dismiss");
      u.style(close, { "margin-left": "12px", cursor: "pointer" });
      close.addEventListener(
        "click",
        fire.guard(function () {
          banner.remove();
          fire.report("dismissed", {});
        })
      );
      banner.appendChild(text);
      banner.appendChild(close);

      var anchor = p.position === "before_target" ? document.querySelector(ctx.selector) : null;
      if (anchor && anchor.parentNode) {
        anchor.parentNode.insertBefore(banner, anchor);
      } else {
        var body = document.body || document.documentElement;
        body.insertBefore(banner, body.firstChild);
      }
      return { height_px: height, position: anchor ? "before_target" : "top" };
    };
  });
})();
