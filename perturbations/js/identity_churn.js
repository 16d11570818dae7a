/*
 * gymfuzz page perturbation "identity_churn": when triggered (often on every interaction,
 * trigger.repeat), the ids (params.ids), class names (params.classes) and the values of the
 * data-* hook attributes named in params.hooks of every element in the target subtrees get a
 * fresh seeded suffix, as with frameworks that generate them per render. Selectors the agent
 * recorded stop matching; roles, names and text stay.
 */
(function () {
  "use strict";

  var gf = window.__gymfuzz;
  if (!gf) {
    return;
  }
  var u = gf.util;
  var originals = new WeakMap(); // element -> {id, classes, hooks} before any churn
  // Original name -> its churned name, for the app's own lookups (params.lookups).
  var renamed = { id: Object.create(null), cls: Object.create(null), hook: Object.create(null) };
  var patched = false;
  // Attributes that name ids: renamed ids are renamed there too, so labels, descriptions
  // and popups stay linked (as with a framework that generates its ids).
  var REFS = ["for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns",
    "aria-activedescendant", "aria-errormessage", "list", "form", "headers"];
  var churnedFrom = Object.create(null); // churned id -> original id

  function relink() {
    var changed = 0;
    var selector = REFS.map(function (a) {
      return "[" + a + "]";
    }).join(",");
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (el) {
      REFS.forEach(function (a) {
        var now = el.getAttribute(a);
        if (now === null) {
          return;
        }
        // Read the current value (the app may have changed it) back to original ids first.
        var value = now.split(/\s+/).map(function (id) {
          var orig = churnedFrom[id] || id;
          return renamed.id[orig] || orig;
        }).join(" ");
        if (value !== now) {
          el.setAttribute(a, value);
          changed += 1;
        }
      });
    });
    return changed;
  }

  // "#seat" -> ":is(#seat,#seat-k3)": elements renamed and elements the app creates later
  // under their original names both match. Selectors already naming a churned name pass.
  function translate(selector) {
    if (typeof selector !== "string") {
      return selector;
    }
    var out = selector.replace(/([#.])(-?[_a-zA-Z][\w-]*)/g, function (all, sigil, name) {
      var to = (sigil === "#" ? renamed.id : renamed.cls)[name];
      return to ? ":is(" + all + "," + sigil + to + ")" : all;
    });
    return out.replace(
      /\[(data-[\w-]+)=(["']?)([^"'\]]*)\2\]/g,
      function (all, attr, quote, value) {
        var to = renamed.hook[attr + "=" + value];
        return to ? ":is(" + all + ",[" + attr + '="' + to + '"])' : all;
      }
    );
  }

  function wrap(proto, name) {
    var original = proto && proto[name];
    if (typeof original !== "function") {
      return;
    }
    proto[name] = function (selector) {
      var args = Array.prototype.slice.call(arguments);
      args[0] = translate(selector);
      return original.apply(this, args);
    };
  }

  // The app's scripts keep finding what was renamed; selectors evaluated elsewhere (an
  // agent's locators, recorded scripts) see only the new names.
  function keepLookups() {
    if (patched) {
      return;
    }
    patched = true;
    [Document.prototype, Element.prototype, DocumentFragment.prototype].forEach(function (p) {
      wrap(p, "querySelector");
      wrap(p, "querySelectorAll");
    });
    wrap(Element.prototype, "matches");
    wrap(Element.prototype, "closest");
    // Comparisons the app makes (el.id === "seat", classList.contains("card")) keep working.
    var idProp = Object.getOwnPropertyDescriptor(Element.prototype, "id");
    if (idProp && idProp.get && idProp.configurable) {
      Object.defineProperty(Element.prototype, "id", {
        configurable: true,
        enumerable: idProp.enumerable,
        get: function () {
          var real = idProp.get.call(this);
          return churnedFrom[real] || real;
        },
        set: idProp.set,
      });
    }
    var contains = DOMTokenList.prototype.contains;
    DOMTokenList.prototype.contains = function (token) {
      var to = renamed.cls[token];
      return contains.call(this, token) || (to !== undefined && contains.call(this, to));
    };
    var byId = Document.prototype.getElementById;
    Document.prototype.getElementById = function (id) {
      var to = renamed.id[id];
      return (to && byId.call(this, to)) || byId.call(this, id);
    };
  }

  function token(random) {
    return Math.floor(random() * 0x100000).toString(36);
  }

  gf.register("identity_churn", function (ctx) {
    var p = ctx.params;
    var churnIds = p.ids !== false;
    var churnClasses = p.classes === true;
    var lookups = p.lookups === true;
    var hooks = Array.isArray(p.hooks) ? p.hooks.filter(function (h) {
      return typeof h === "string" && /^data-[a-z0-9_-]+$/.test(h);
    }) : [];

    return function apply(fire) {
      if (lookups) {
        keepLookups();
      }
      var suffix = "-" + token(fire.random("suffix"));
      var changed = 0;
      Array.prototype.forEach.call(document.querySelectorAll(ctx.selector), function (root) {
        var all = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
        all.forEach(function (el) {
          if (u.isOwn(el)) {
            return;
          }
          var orig = originals.get(el);
          if (!orig) {
            orig = { id: el.getAttribute("id") || "", classes: Array.prototype.slice.call(el.classList), hooks: {} };
            hooks.forEach(function (name) {
              if (el.hasAttribute(name)) {
                orig.hooks[name] = el.getAttribute(name);
              }
            });
            originals.set(el, orig);
          }
          Object.keys(orig.hooks).forEach(function (name) {
            el.setAttribute(name, orig.hooks[name] + suffix);
            renamed.hook[name + "=" + orig.hooks[name]] = orig.hooks[name] + suffix;
            changed += 1;
          });
          if (churnIds && orig.id) {
            el.setAttribute("id", orig.id + suffix);
            renamed.id[orig.id] = orig.id + suffix;
            churnedFrom[orig.id + suffix] = orig.id;
            changed += 1;
          }
          if (churnClasses && orig.classes.length) {
            el.className = orig.classes
              .map(function (c) {
                renamed.cls[c] = c + suffix;
                return c + suffix;
              })
              .join(" ");
            changed += 1;
          }
        });
      });
      if (churnIds) {
        changed += relink();
      }
      return {
        suffix: suffix,
        changed: changed,
        ids: churnIds,
        classes: churnClasses,
        hooks: hooks,
        lookups: lookups,
      };
    };
  });
})();
