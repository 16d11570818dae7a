/*
 * gymfuzz page transform "content": when triggered, changes what the target subtrees say,
 * never what they do: params.variant "long_text" (seeded filler words appended to labels,
 * headings, cells, links and buttons), "locale" (dates and numbers in displayed text written
 * as params.locale writes them) or "distractors" (params.count harmless blocks inserted at
 * seeded places). Text the app renders later gets the same treatment (a MutationObserver).
 * Scripts, styles, form fields and gymfuzz's own nodes are left alone.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;

  var LONG = "label, legend, h1, h2, h3, h4, h5, h6, th, td, dt, dd, li, a, button, option," +
    " summary, caption, [role=option], [role=tab], [role=menuitem]";
  var SKIP = "script, style, noscript, textarea, [contenteditable]," +
    " [data-gymfuzz]";
  var FILLER = [
    "recommended", "for your convenience", "as selected", "standard option", "see details",
    "personal", "default", "applies to all", "optional", "updated", "for this account",
    "current", "available now", "preferred", "from your profile", "as configured",
  ];
  var MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ];
  // One pass over the text with every pattern at once, so a rewritten value is never
  // matched again (a "2.12.2026" must not then read as the number 2.12).
  var PATTERN = new RegExp(
    [
      "\\b(\\d{4})-(\\d{2})-(\\d{2})\\b", // 1-3: ISO date
      "\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})\\b", // 4-6: US date
      "\\b(" + MONTHS.join("|") + ") (\\d{1,2}), (\\d{4})\\b", // 7-9: December 2, 2026
      "\\b(" + MONTHS.join("|") + ") (\\d{4})\\b", // 10-11: December 2026
      "\\b(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+\\.\\d+)\\b", // 12: 1,234.5 or 3.25
    ].join("|"),
    "g"
  );

  function localizer(locale) {
    function date(y, m, d, monthStyle) {
      var opts = { year: "numeric", month: monthStyle, timeZone: "UTC" };
      if (d !== null) {
        opts.day = "numeric";
      }
      return new Intl.DateTimeFormat(locale, opts).format(Date.UTC(y, m - 1, d || 1));
    }
    function number(text) {
      var plain = text.replace(/,/g, "");
      var dot = plain.indexOf(".");
      var digits = dot < 0 ? 0 : plain.length - dot - 1;
      return new Intl.NumberFormat(locale, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(Number(plain));
    }
    return function (text) {
      return text.replace(PATTERN, function (all) {
        var g = arguments;
        if (g[1]) {
          return date(+g[1], +g[2], +g[3], "numeric");
        }
        if (g[4]) {
          return +g[4] <= 12 && +g[5] <= 31 ? date(+g[6], +g[4], +g[5], "numeric") : all;
        }
        if (g[7]) {
          return date(+g[9], MONTHS.indexOf(g[7]) + 1, +g[8], "long");
        }
        if (g[10]) {
          return date(+g[11], MONTHS.indexOf(g[10]) + 1, null, "long");
        }
        return number(g[12]);
      });
    };
  }

  // Exactly `words` words, from seeded phrases of the FILLER list.
  function filler(random, words) {
    var out = [];
    while (out.length < words) {
      Array.prototype.push.apply(out, FILLER[Math.floor(random() * FILLER.length)].split(" "));
    }
    return out.slice(0, words).join(" ");
  }

  function skipped(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    return !el || el.closest(SKIP) !== null;
  }

  // Rewrites text nodes; remembers what it wrote so its own writes are not rewritten again.
  function textRewriter(rewrite) {
    var written = new WeakMap();
    return function (root) {
      var changed = 0;
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      var nodes = [];
      if (root.nodeType === 3) {
        nodes.push(root);
      }
      while (walker.nextNode()) {
        nodes.push(walker.currentNode);
      }
      nodes.forEach(function (node) {
        if (written.get(node) === node.data || !node.data.trim() || skipped(node)) {
          return;
        }
        var next = rewrite(node);
        if (next !== null && next !== node.data) {
          node.data = next;
          changed += 1;
        }
        written.set(node, node.data);
      });
      return changed;
    };
  }

  // long_text: the last non-empty text node directly inside each matching element.
  function lengthener(random, words) {
    return function (node) {
      var el = node.parentElement;
      if (!el || !el.matches(LONG)) {
        return null;
      }
      for (var n = el.lastChild; n; n = n.previousSibling) {
        if (n.nodeType === 3 && n.data.trim()) {
          return n === node ? node.data.replace(/\s*$/, " " + filler(random, words)) : null;
        }
      }
      return null;
    };
  }

  var BLOCKS = [
    function tip(el) {
      el.setAttribute("role", "note");
      el.textContent = "Tip: you can change these settings at any time from your profile.";
    },
    function related(el) {
      var title = document.createElement("strong");
      title.textContent = "Related articles";
      el.appendChild(title);
      var list = document.createElement("ul");
      ["How we keep your data safe", "What's new this month", "Getting started guide"]
        .forEach(function (text) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = "#";
          a.textContent = text;
          a.addEventListener("click", function (ev) {
            ev.preventDefault(); // harmless: reading it goes nowhere
          });
          li.appendChild(a);
          list.appendChild(li);
        });
      el.appendChild(list);
    },
    function promo(el) {
      var heading = document.createElement("strong");
      heading.textContent = "New: travel insurance for every trip";
      var button = document.createElement("button");
      button.type = "button"; // inside a form it must never submit it
      button.textContent = "Learn more";
      el.appendChild(heading);
      el.appendChild(document.createTextNode(" "));
      el.appendChild(button);
    },
  ];

  function distract(roots, count, fire, id) {
    var random = fire.random("places");
    var inserted = 0;
    roots.forEach(function (root) {
      for (var i = 0; i < count; i++) {
        var block = u.make("aside", "content", id);
        u.style(block, { display: "block", margin: "8px 0", padding: "8px",
          border: "1px dashed #999", font: "14px/1.4 sans-serif" });
        BLOCKS[Math.floor(random() * BLOCKS.length)](block);
        var kids = root.children;
        var at = Math.floor(random() * (kids.length + 1));
        root.insertBefore(block, at < kids.length ? kids[at] : null);
        inserted += 1;
      }
    });
    return inserted;
  }


  function watch(targets, rewriteTree, fire) {
    var observer = new MutationObserver(
      fire.guard(function (records) {
        var changed = 0;
        records.forEach(function (rec) {
          if (rec.type === "characterData") {
            changed += rewriteTree(rec.target);
          }
          Array.prototype.forEach.call(rec.addedNodes, function (node) {
            if (node.isConnected && (node.nodeType === 1 || node.nodeType === 3)) {
              changed += rewriteTree(node);
            }
          });
        });
        if (changed > 0) {
          fire.report("updated", { changed: changed });
        }
      })
    );
    targets.forEach(function (root) {
      observer.observe(root, { childList: true, subtree: true, characterData: true });
    });
  }

  gf.register("content", function (ctx) {
    var p = ctx.params;
    var variant = p.variant === "locale" || p.variant === "distractors" ? p.variant : "long_text";
    var words = Math.floor(u.num(p.words, 1, 20, 6));
    var count = Math.floor(u.num(p.count, 1, 10, 3));
    var locale = u.text(p.locale, "de-DE");

    return function apply(fire) {
      var targets = u.appElements(ctx.selector);
      if (variant === "distractors") {
        return { variant: variant, changed: distract(targets, count, fire, ctx.id) };
      }
      var rewrite;
      if (variant === "locale") {
        var localize = localizer(locale);
        rewrite = function (node) {
          return localize(node.data);
        };
      } else {
        rewrite = lengthener(fire.random("words"), words);
      }
      var rewriteTree = textRewriter(rewrite);
      var changed = 0;
      targets.forEach(function (root) {
        changed += rewriteTree(root);
      });
      watch(targets, rewriteTree, fire);
      return { variant: variant, changed: changed, locale: variant === "locale" ? locale : null };
    };
  });
})();
