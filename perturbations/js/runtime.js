/*
 * gymfuzz page runtime.
 *
 * Installs one global, window.__gymfuzz, at most once per document (a proxy and a Playwright
 * init script may both inject it), in the top-level frame only. Reads its config from GYMFUZZ_CONFIG, a variable the
 * bundle declares in the scope around this file (see perturbations/bundle.py); run on its own
 * it starts with an empty config.
 *
 * Perturbation files call window.__gymfuzz.register(kind, factory). When the runtime starts
 * (after DOMContentLoaded) it builds one instance per config entry, listens for the agent
 * events its triggers name, decides each eligible occurrence with a PRNG keyed by
 * "seed:instance id:occurrence" (never Math.random, never the clock), and reports every
 * decision to window.__gymfuzz.events and to config.report_url.
 *
 * Every "fired" event names, in its detail, the element the perturbation acted on (element:
 * the trigger's element when it is a target, else the first target) and, when another
 * element's event triggered it, that one (trigger_element), as 'tag#id[role=..] "name"'.
 *
 * Triggers: "load", "appear" (a MutationObserver), the agent events (pointerdown, click,
 * focus, input, change, submit, keydown) on the trigger's selector, "step" (every pointer or
 * key press: nth is the step index) and "navigate" (pushState, replaceState, popstate); each
 * with an optional delay_ms after its event. Events that gymfuzz's own nodes receive, or that
 * a perturbation dispatches itself (fire.synthetic), never count as agent events.
 *
 * Counts are per episode, not per document: a multi-page app loads many documents in one
 * episode, and a perturbation that fires once fires once in the episode. Each instance's count
 * and whether it is spent are written to the tab's sessionStorage at every occurrence,
 * synchronously, so they survive a navigation that follows at once (a submit), and each new
 * document of the episode starts from them. They span the documents of one origin in one tab,
 * which is what an episode's browser context drives. The key names the episode, the seed and
 * the plan id: the proxy gives every plan it installs a fresh id (the data-gymfuzz-plan
 * attribute of the script element it injects), so a new episode starts from zero even in the
 * same tab under the same episode name and seed. Starting afresh drops the counts of earlier
 * episodes from the tab.
 */
(function () {
  "use strict";

  if (window.__gymfuzz) {
    return; // already installed in this document: the first install owns the page
  }
  if (window.top !== window) {
    // Perturbations target the page the agent drives; init scripts and the proxy also reach
    // iframes (ads, widgets), where a copy would fire duplicate events under the same ids.
    return;
  }

  var DEFAULT_REPORT_URL = "/__gymfuzz/events";
  var OWN_MARK = "data-gymfuzz";
  var AGENT_EVENTS = ["pointerdown", "click", "focus", "input", "change", "submit", "keydown"];
  // An agent "step" is one pointer press or key press on the app.
  var STEP_EVENTS = ["pointerdown", "keydown"];
  // A hash change fires popstate too: listening to hashchange as well would count it twice.
  var NAV_EVENTS = ["popstate"];

  // Keep our own references: the page may patch fetch or timers after we install.
  var nativeFetch = typeof window.fetch === "function" ? window.fetch.bind(window) : null;
  var nativeSetTimeout = window.setTimeout.bind(window);
  var perf = window.performance;
  var t0 = perf.now();

  var raw = typeof GYMFUZZ_CONFIG === "object" && GYMFUZZ_CONFIG !== null ? GYMFUZZ_CONFIG : {};
  var config = {
    episode: typeof raw.episode === "string" ? raw.episode : "",
    seed: typeof raw.seed === "number" ? raw.seed : 0,
    report_url: raw.report_url === null ? null : raw.report_url || DEFAULT_REPORT_URL,
    perturbations: Array.isArray(raw.perturbations) ? raw.perturbations : [],
    plan_id: planId(),
  };

  var COUNTS_PREFIX = "__gymfuzz:counts:";
  var COUNTS_KEY = COUNTS_PREFIX + [config.episode, config.seed, config.plan_id || ""].join(":");

  // The id of the plan the proxy injected this runtime for; null when no proxy put it in the
  // page (a Playwright init script, an evaluate).
  function planId() {
    var script = document.currentScript;
    var id = script ? script.getAttribute("data-gymfuzz-plan") : null;
    return id ? id : null;
  }

  var events = [];
  var seq = 0;
  var factories = Object.create(null);
  var instances = [];
  var listening = Object.create(null);
  var observer = null;
  var ownNodes = new WeakSet();
  var started = false;
  var synthetic = 0; // > 0 while a perturbation dispatches events itself

  // ---- seeded randomness -------------------------------------------------------------------

  // xmur3 string hash: turns a key string into a 32-bit seed.
  function hashKey(str) {
    var h = 1779033703 ^ str.length;
    for (var i = 0; i < str.length; i++) {
      h = Math.imul(h ^ str.charCodeAt(i), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^ (h >>> 16)) >>> 0;
  }

  // mulberry32: a small 32-bit PRNG returning floats in [0, 1).
  function mulberry32(a) {
    return function () {
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function prng(key) {
    return mulberry32(hashKey(key));
  }

  // ---- reporting ---------------------------------------------------------------------------

  // Events reach the proxy once the page has loaded (or 3 s after its DOM was ready, for a
  // page whose load never ends, or when it is left): a report sent while the page loads
  // would compete with the page's own requests, and the idle runtime must cost the load
  // nothing. They are recorded in `events` at once all the same.
  var held = document.readyState === "complete" ? null : [];

  function flushHeld() {
    if (held === null) {
      return;
    }
    var queued = held;
    held = null;
    queued.forEach(send);
  }

  if (held !== null) {
    window.addEventListener("load", function () {
      setTimeout(flushHeld, 0);
    }, { once: true });
    document.addEventListener("DOMContentLoaded", function () {
      setTimeout(flushHeld, 3000);
    }, { once: true });
    window.addEventListener("pagehide", flushHeld, { once: true });
  }

  function post(ev) {
    if (config.report_url === null || nativeFetch === null) {
      return;
    }
    if (held !== null) {
      held.push(ev);
      return;
    }
    send(ev);
  }

  function send(ev) {
    try {
      var pending = nativeFetch(config.report_url, {
        method: "POST",
        keepalive: true,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ev),
      });
      if (pending && typeof pending.catch === "function") {
        pending.catch(function () {});
      }
    } catch (e) {
      // The page may run without the proxy: reporting is best effort.
    }
  }

  function report(inst, name, occurrence, detail) {
    seq += 1;
    var ev = {
      seq: seq,
      episode: config.episode,
      perturbation: inst ? inst.id : null,
      kind: inst ? inst.kind : "runtime",
      event: name,
      occurrence: occurrence,
      t_ms: Math.round(perf.now() - t0),
      detail: detail || {},
    };
    events.push(ev);
    post(ev);
    return ev;
  }

  function errorDetail(phase, err) {
    var message;
    try {
      message = err && err.message ? String(err.message) : String(err);
    } catch (e) {
      message = "unprintable error";
    }
    return { phase: phase, message: message };
  }

  // ---- instances ---------------------------------------------------------------------------

  function makeInstance(entry, index) {
    var spec = entry && typeof entry === "object" ? entry : {};
    var target = spec.target && typeof spec.target.selector === "string" ? spec.target.selector : null;
    var trig = spec.trigger && typeof spec.trigger === "object" ? spec.trigger : {};
    return {
      id: typeof spec.id === "string" ? spec.id : "#" + index,
      kind: typeof spec.kind === "string" ? spec.kind : "",
      selector: target,
      params: spec.params && typeof spec.params === "object" ? spec.params : {},
      probability: typeof spec.probability === "number" ? spec.probability : 1,
      trigger: {
        event: typeof trig.event === "string" ? trig.event : "load",
        selector: typeof trig.selector === "string" ? trig.selector : target,
        nth: typeof trig.nth === "number" && trig.nth >= 1 ? Math.floor(trig.nth) : 1,
        repeat: trig.repeat === true,
        delay_ms: typeof trig.delay_ms === "number" && trig.delay_ms > 0 ? trig.delay_ms : 0,
      },
      seen: 0, // occurrences of the trigger event counted so far, in this episode
      spent: false, // fired (or skipped) its one occurrence, in this episode
      done: false, // no later occurrence can fire in this document
      apply: null,
      appeared: new WeakSet(),
    };
  }

  // ---- counts per episode (see the header) --------------------------------------------------

  function loadCounts() {
    try {
      var parsed = JSON.parse(window.sessionStorage.getItem(COUNTS_KEY) || "{}");
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (e) {
      return {}; // no storage (an opaque origin) or a value the page overwrote
    }
  }

  function saveCounts() {
    var counts = {};
    instances.forEach(function (inst) {
      counts[inst.id] = { seen: inst.seen, spent: inst.spent };
    });
    try {
      window.sessionStorage.setItem(COUNTS_KEY, JSON.stringify(counts));
    } catch (e) {
      // No storage: counts are then per document, the best this page allows.
    }
  }

  // Forget what earlier episodes left in the tab: only the current one's counts matter.
  function dropOtherCounts() {
    try {
      var stale = [];
      for (var i = 0; i < window.sessionStorage.length; i++) {
        var key = window.sessionStorage.key(i);
        if (key && key.indexOf(COUNTS_PREFIX) === 0 && key !== COUNTS_KEY) {
          stale.push(key);
        }
      }
      stale.forEach(function (key) {
        window.sessionStorage.removeItem(key);
      });
    } catch (e) {
      // No storage: nothing to forget.
    }
  }

  function resumeCounts() {
    dropOtherCounts();
    var saved = loadCounts();
    var resumed = {};
    instances.forEach(function (inst) {
      var entry = saved[inst.id];
      if (entry && typeof entry.seen === "number" && entry.seen > 0) {
        inst.seen = entry.seen;
        inst.spent = entry.spent === true;
        inst.done = inst.spent;
        resumed[inst.id] = inst.seen;
      }
    });
    return resumed;
  }

  function disable(inst, phase, err) {
    inst.done = true;
    report(inst, "error", inst.seen, errorDetail(phase, err));
  }

  // Run fn; a throwing perturbation must not break the page, so report and carry on.
  function guarded(inst, occurrence, phase, fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (err) {
        report(inst, "error", occurrence, errorDetail(phase, err));
        return undefined;
      }
    };
  }

  function fire(inst, occurrence, eventType, element) {
    var named = nameElements(inst, element); // before the perturbation changes the page
    var applying = true;
    var queued = [];
    var api = {
      occurrence: occurrence,
      trigger: eventType,
      element: element,
      // A PRNG for the perturbation's own choices, keyed like decisions plus a label.
      random: function (label) {
        return prng(config.seed + ":" + inst.id + ":" + occurrence + ":" + label);
      },
      // Reports made while applying come after the "fired" event they belong to.
      report: function (name, detail) {
        if (applying) {
          queued.push([name, detail]);
        } else {
          report(inst, name, occurrence, detail);
        }
      },
      guard: function (fn) {
        return guarded(inst, occurrence, "callback", fn);
      },
      later: function (fn, ms) {
        return nativeSetTimeout(guarded(inst, occurrence, "timer", fn), ms);
      },
      own: function (node) {
        ownNodes.add(node);
        return node;
      },
      // Run fn; events it dispatches (el.click(), form.reset()) are not agent events.
      synthetic: function (fn) {
        synthetic += 1;
        try {
          return fn();
        } finally {
          synthetic -= 1;
        }
      },
    };
    var result;
    try {
      result = inst.apply(api);
    } catch (err) {
      applying = false;
      report(inst, "error", occurrence, errorDetail("fire", err));
      queued.forEach(function (q) {
        report(inst, q[0], occurrence, q[1]);
      });
      return;
    }
    applying = false;
    var detail = { trigger: eventType };
    if (named.element) {
      detail.element = named.element;
    }
    if (named.trigger_element) {
      detail.trigger_element = named.trigger_element;
    }
    if (result && typeof result === "object") {
      Object.keys(result).forEach(function (k) {
        detail[k] = result[k];
      });
    }
    report(inst, "fired", occurrence, detail);
    queued.forEach(function (q) {
      report(inst, q[0], occurrence, q[1]);
    });
  }

  // What a firing acts on (the trigger's element when that is a target, else the page's
  // first target), and the element whose event triggered it when that is another one.
  function nameElements(inst, element) {
    var trigger = element && element.nodeType === 1 ? element : null;
    var acted = trigger && matchesTarget(inst, trigger) ? trigger : firstTarget(inst);
    return {
      element: acted ? describe(acted) : null,
      trigger_element: trigger && trigger !== acted ? describe(trigger) : null,
    };
  }

  // The first element of the page (not gymfuzz's own) matching inst's target selector.
  function firstTarget(inst) {
    if (!inst.selector) {
      return null;
    }
    var found;
    try {
      found = document.querySelectorAll(inst.selector);
    } catch (e) {
      return null; // a bad selector: the perturbation reports it itself
    }
    for (var i = 0; i < found.length; i++) {
      if (!isOwn(found[i])) {
        return found[i];
      }
    }
    return null;
  }

  function matchesTarget(inst, el) {
    try {
      return inst.selector !== null && el.matches(inst.selector);
    } catch (e) {
      return false;
    }
  }

  // A short, readable name of an element for the ledger: tag, id, role and type, and its
  // accessible name where it has one (aria-label, else its text, else its placeholder),
  // e.g. 'button[type=submit] "Create ticket"' or 'select#field-priority'.
  function describe(el) {
    var out = el.tagName.toLowerCase();
    if (el.id) {
      out += "#" + el.id;
    }
    ["role", "type", "name"].forEach(function (attr) {
      var v = el.getAttribute(attr);
      if (v) {
        out += "[" + attr + "=" + v + "]";
      }
    });
    var label = el.getAttribute("aria-label") || el.getAttribute("placeholder") || "";
    if (!label && el !== document.body && el !== document.documentElement) {
      label = (el.textContent || "").replace(/\s+/g, " ").trim();
    }
    if (label) {
      out += ' "' + (label.length > 40 ? label.slice(0, 39) + "\u2026" : label) + '"';
    }
    return out.length > 120 ? out.slice(0, 120) : out;
  }

  // One occurrence of inst's trigger event: count it, and decide if it is eligible.
  function occur(inst, eventType, element) {
    if (inst.done) {
      return;
    }
    inst.seen += 1;
    var k = inst.seen;
    var t = inst.trigger;
    if (k >= t.nth && !t.repeat) {
      inst.spent = true;
      inst.done = true;
    }
    saveCounts(); // before anything fires: the agent's next action may leave the page
    if (k < t.nth) {
      return;
    }
    var draw = prng(config.seed + ":" + inst.id + ":" + k)();
    if (!(draw < inst.probability)) {
      report(inst, "skipped", k, { trigger: eventType });
      return;
    }
    if (t.delay_ms > 0) {
      nativeSetTimeout(function () {
        fire(inst, k, eventType, element);
      }, t.delay_ms);
    } else {
      fire(inst, k, eventType, element);
    }
  }

  // ---- agent events ------------------------------------------------------------------------

  function isOwn(el) {
    return el.closest("[" + OWN_MARK + "]") !== null;
  }

  function onAgentEvent(ev) {
    if (synthetic > 0) {
      return;
    }
    var el = ev.target;
    if (el && el.nodeType === 9) {
      el = el.documentElement; // a key press with nothing focused
    }
    if (el && el.nodeType === 3) {
      el = el.parentElement;
    }
    if (!el || el.nodeType !== 1 || isOwn(el)) {
      return; // events on gymfuzz's own UI are not agent events on the app
    }
    var isStep = STEP_EVENTS.indexOf(ev.type) >= 0;
    instances.slice().forEach(function (inst) {
      if (isStep && !inst.done && inst.trigger.event === "step") {
        occur(inst, "step", el); // steps count every agent action, whatever its target
        return;
      }
      if (inst.done || inst.trigger.event !== ev.type) {
        return;
      }
      var match;
      try {
        match = el.closest(inst.trigger.selector);
      } catch (err) {
        disable(inst, "selector", err);
        return;
      }
      if (match) {
        occur(inst, ev.type, match);
      }
    });
  }

  function listen(type) {
    if (!listening[type]) {
      listening[type] = true;
      document.addEventListener(type, onAgentEvent, true);
    }
  }

  // ---- navigation ------------------------------------------------------------------------

  // Same-document navigations (pushState, replaceState, popstate): the runtime
  // lives on across them, so "navigate" counts them. A full page load is a new document,
  // which resumes the episode's counts (see the header) but is no "navigate" itself.
  function onNavigate(how) {
    instances.slice().forEach(function (inst) {
      if (!inst.done && inst.trigger.event === "navigate") {
        occur(inst, "navigate:" + how, null);
      }
    });
  }

  function wrapHistory(name) {
    var original = history[name];
    if (typeof original !== "function") {
      return;
    }
    history[name] = function () {
      var result = original.apply(this, arguments);
      try {
        onNavigate(name);
      } catch (err) {
        // Never let a perturbation break the app's own navigation.
      }
      return result;
    };
  }

  function listenNavigation() {
    wrapHistory("pushState");
    wrapHistory("replaceState");
    NAV_EVENTS.forEach(function (type) {
      window.addEventListener(type, function () {
        onNavigate(type);
      });
    });
  }

  // ---- appear ------------------------------------------------------------------------------

  function appearInstances() {
    return instances.filter(function (inst) {
      return !inst.done && inst.trigger.event === "appear";
    });
  }

  // Count every not-yet-seen element under root (inclusive) matching inst's selector.
  function scanAppear(inst, root, countIt) {
    var found = [];
    try {
      if (root.matches(inst.trigger.selector)) {
        found.push(root);
      }
      Array.prototype.push.apply(found, root.querySelectorAll(inst.trigger.selector));
    } catch (err) {
      disable(inst, "selector", err);
      return;
    }
    for (var i = 0; i < found.length; i++) {
      if (inst.appeared.has(found[i]) || isOwn(found[i])) {
        continue;
      }
      inst.appeared.add(found[i]);
      if (countIt) {
        occur(inst, "appear", found[i]);
        if (inst.done) {
          return;
        }
      }
    }
  }

  function onMutations(records) {
    var active = appearInstances();
    if (active.length === 0) {
      observer.disconnect();
      observer = null;
      return;
    }
    records.forEach(function (rec) {
      for (var i = 0; i < rec.addedNodes.length; i++) {
        var node = rec.addedNodes[i];
        if (node.nodeType !== 1 || !node.isConnected) {
          continue;
        }
        // Nodes a perturbation inserted (a re-rendered widget) are not new app content:
        // mark what they hold as seen, or a rerender on "appear" would retrigger itself.
        var counts = !ownNodes.has(node);
        active.forEach(function (inst) {
          if (!inst.done) {
            scanAppear(inst, node, counts);
          }
        });
      }
    });
  }

  // ---- start -------------------------------------------------------------------------------

  function start() {
    if (started) {
      return;
    }
    started = true;
    var navigating = false;
    instances = config.perturbations.map(makeInstance);
    var resumed = resumeCounts();
    var startDetail = {
      instances: instances.map(function (inst) {
        return inst.id;
      }),
    };
    if (Object.keys(resumed).length > 0) {
      startDetail.resumed = resumed; // counts carried over from the episode's earlier pages
    }
    report(null, "started", 0, startDetail);
    instances.forEach(function (inst) {
      var factory = factories[inst.kind];
      if (!factory) {
        disable(inst, "init", "unknown perturbation kind " + JSON.stringify(inst.kind));
        return;
      }
      try {
        inst.apply = factory({
          id: inst.id,
          kind: inst.kind,
          selector: inst.selector,
          params: inst.params,
          episode: config.episode,
          seed: config.seed,
        });
        if (typeof inst.apply !== "function") {
          throw new TypeError("factory for " + inst.kind + " did not return a function");
        }
      } catch (err) {
        disable(inst, "init", err);
        return;
      }
      var type = inst.trigger.event;
      if (AGENT_EVENTS.indexOf(type) >= 0) {
        listen(type);
      } else if (type === "step") {
        STEP_EVENTS.forEach(listen);
      } else if (type === "navigate") {
        navigating = true;
      } else if (type !== "load" && type !== "appear") {
        disable(inst, "init", "unknown trigger event " + JSON.stringify(type));
      }
    });
    if (navigating) {
      listenNavigation();
    }
    if (appearInstances().length > 0) {
      observer = new MutationObserver(onMutations);
      observer.observe(document, { childList: true, subtree: true });
    }
    instances.forEach(function (inst) {
      if (inst.done) {
        return;
      }
      if (inst.trigger.event === "load") {
        occur(inst, "load", null);
      } else if (inst.trigger.event === "appear") {
        scanAppear(inst, document.documentElement, true);
      }
    });
  }

  // ---- public surface ----------------------------------------------------------------------

  var api = {
    version: 1,
    config: config,
    events: events,
    util: null, // shared tools for perturbation scripts, set by perturbation_tools.js
    register: function (kind, factory) {
      if (typeof kind === "string" && typeof factory === "function" && !factories[kind]) {
        factories[kind] = factory; // first registration wins, like the first install
      }
    },
  };
  Object.defineProperty(window, "__gymfuzz", {
    value: api,
    writable: false,
    enumerable: false,
    configurable: false,
  });

  // SPA navigations (pushState, replaceState, popstate) keep this document, so they keep
  // this state: counts and decisions continue across them with nothing to do here.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    // Evaluated into a loaded page: start once the rest of the bundle has registered.
    Promise.resolve().then(start);
  }
})();
