/*
 * gymfuzz page perturbation "autosuggest": once triggered, every input into a target text
 * field opens a suggestion list (role=listbox) under it that covers what lies below (often
 * the next field). While the list is open it takes ArrowUp/ArrowDown, and Enter picks the
 * highlighted suggestion instead of submitting. Escape or a click elsewhere closes it until
 * the next input. Suggestions come from params.suggestions, or are made from the typed text.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;
  var ENDINGS = [" Street", "ville", " Center", "ton", " (popular)"];

  gf.register("autosuggest", function (ctx) {
    var p = ctx.params;
    var fixed = Array.isArray(p.suggestions) ? p.suggestions.map(String) : [];
    var size = Math.floor(u.num(p.max_items, 1, 10, 5));

    return function apply(fire) {
      var random = fire.random("order");
      var list = null;
      var field = null;
      var items = [];
      var active = 0;
      var opened = 0;

      function close(reason) {
        if (list) {
          list.remove();
          list = null;
          fire.report("closed", { reason: reason });
        }
      }

      function highlight(i) {
        active = (i + items.length) % items.length;
        Array.prototype.forEach.call(list.children, function (li, j) {
          li.setAttribute("aria-selected", j === active ? "true" : "false");
          u.style(li, { background: j === active ? "#cde" : "#fff" });
        });
      }

      function pick(i, how) {
        var value = items[i];
        var target = field;
        close("picked");
        fire.synthetic(function () {
          target.value = value;
          target.dispatchEvent(new Event("input", { bubbles: true }));
          target.dispatchEvent(new Event("change", { bubbles: true }));
        });
        fire.report("picked", { value: value, how: how });
      }

      function open(input) {
        close("replaced");
        var typed = input.value;
        var pool = fixed.length
          ? fixed
          : ENDINGS.map(function (ending) {
              return typed + ending;
            });
        items = u.shuffle(pool, random).slice(0, size);
        field = input;
        active = 0;
        opened += 1;
        var r = input.getBoundingClientRect();
        list = u.make("ul", "autosuggest", ctx.id);
        list.setAttribute("role", "listbox");
        u.style(list, {
          position: "absolute",
          left: r.left + window.scrollX + "px",
          top: r.bottom + window.scrollY + "px",
          "min-width": Math.max(r.width, 240) + "px",
          margin: "0",
          padding: "0",
          "list-style": "none",
          background: "#fff",
          color: "#111",
          border: "1px solid #888",
          "z-index": "2147481000",
          font: "15px/1.4 sans-serif",
          "box-shadow": "0 4px 12px rgba(0, 0, 0, 0.25)",
        });
        items.forEach(function (text, i) {
          var li = document.createElement("li");
          li.setAttribute("role", "option");
          li.textContent = text;
          u.style(li, { padding: "8px 10px", cursor: "pointer" });
          li.addEventListener(
            "mousedown",
            fire.guard(function (ev) {
              ev.preventDefault(); // keep the focus in the field
              pick(i, "click");
            })
          );
          list.appendChild(li);
        });
        document.documentElement.appendChild(list);
        highlight(0);
        fire.report("opened", { items: items, opened: opened });
      }

      function inTarget(el) {
        try {
          return el && el.nodeType === 1 && el.matches(ctx.selector);
        } catch (err) {
          return false;
        }
      }

      document.addEventListener(
        "input",
        fire.guard(function (ev) {
          if (inTarget(ev.target) && ev.isTrusted) {
            open(ev.target);
          }
        }),
        true
      );
      window.addEventListener(
        "keydown",
        fire.guard(function (ev) {
          if (!list || ev.target !== field) {
            return;
          }
          if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
            highlight(active + (ev.key === "ArrowDown" ? 1 : -1));
          } else if (ev.key === "Enter") {
            pick(active, "enter");
          } else if (ev.key === "Escape") {
            close("escape");
          } else {
            return;
          }
          ev.preventDefault();
          ev.stopImmediatePropagation();
        }),
        true
      );
      document.addEventListener(
        "mousedown",
        fire.guard(function (ev) {
          if (list && !list.contains(ev.target) && ev.target !== field) {
            close("outside");
          }
        }),
        true
      );
      if (inTarget(document.activeElement) && document.activeElement.value) {
        open(document.activeElement);
      }
      return { suggestions: fixed.length ? "fixed" : "from_text", max_items: size };
    };
  });
})();
