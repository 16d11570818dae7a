/*
 * gymfuzz page perturbation "rerender_widget": when triggered, every subtree matching the
 * target selector is replaced by a fresh copy, as when a framework re-renders a widget.
 *
 * params.mode
 *   "clone" (default): replace the element with el.cloneNode(true). Every handle into the old
 *     subtree goes stale, and listeners bound directly to its nodes are gone (inline on*
 *     attributes and listeners delegated to document keep working).
 *   "move": a fresh element with the same tag and attributes takes the original children.
 *     Handles to the container go stale; the children keep their identity and listeners.
 *
 * With delay_ms 0 the replacement happens synchronously inside the runtime's capture-phase
 * listener, so a pointerdown trigger swaps the pressed node before the click completes.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }

  function countElements(root) {
    return 1 + root.getElementsByTagName("*").length;
  }

  function freshShell(el) {
    var qualified = el.prefix ? el.prefix + ":" + el.localName : el.localName;
    var shell = document.createElementNS(el.namespaceURI, qualified);
    for (var i = 0; i < el.attributes.length; i++) {
      var attr = el.attributes[i];
      shell.setAttributeNS(attr.namespaceURI, attr.name, attr.value);
    }
    while (el.firstChild) {
      shell.appendChild(el.firstChild);
    }
    return shell;
  }

  gf.register("rerender_widget", function (ctx) {
    var mode = ctx.params.mode === "move" ? "move" : "clone";
    return function apply(fire) {
      var matches = Array.prototype.slice.call(document.querySelectorAll(ctx.selector));
      // Replace outermost matches only: a nested match is replaced along with its ancestor.
      var roots = matches.filter(function (el) {
        return !matches.some(function (other) {
          return other !== el && other.contains(el);
        });
      });
      var nodes = 0;
      roots.forEach(function (el) {
        nodes += countElements(el);
        var fresh = mode === "clone" ? el.cloneNode(true) : freshShell(el);
        fire.own(fresh);
        el.replaceWith(fresh);
      });
      return { selector: ctx.selector, mode: mode, replaced: roots.length, nodes: nodes };
    };
  });
})();
