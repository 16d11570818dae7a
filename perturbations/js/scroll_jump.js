/*
 * gymfuzz page perturbation "scroll_jump": when triggered, the page (or each scrollable
 * target element) jumps to the top, the bottom, or a seeded position, as when a page
 * re-renders or restores a stale scroll offset. What the agent saw on screen has moved.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }

  gf.register("scroll_jump", function (ctx) {
    var to = ["top", "bottom", "random"].indexOf(ctx.params.to) >= 0 ? ctx.params.to : "random";

    return function apply(fire) {
      var random = fire.random("offset");
      var moves = [];
      var roots = Array.prototype.slice.call(document.querySelectorAll(ctx.selector));
      roots.forEach(function (el) {
        var page = el === document.documentElement || el === document.body;
        var scroller = page ? document.scrollingElement || document.documentElement : el;
        var max = Math.max(0, scroller.scrollHeight - scroller.clientHeight);
        var y = to === "top" ? 0 : to === "bottom" ? max : Math.floor(random() * (max + 1));
        var from = scroller.scrollTop;
        scroller.scrollTop = y;
        moves.push({ from: Math.round(from), to: Math.round(scroller.scrollTop) });
      });
      return { to: to, moves: moves };
    };
  });
})();
