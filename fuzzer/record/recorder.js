// gymfuzz record: the page side of a demonstration. Installed as an init script in every
// page of the recording context; reports each action the person (or the script) takes to
// the binding window.__gymfuzzRecord, with ways to find its element again, most robust
// first: role and accessible name, label, test id, text, CSS.
(() => {
  "use strict";
  const report = window.__gymfuzzRecord;
  if (typeof report !== "function" || window.__gymfuzzRecorder) return;
  window.__gymfuzzRecorder = true;

  const TEXT_TYPES = new Set(["", "text", "email", "search", "tel", "url", "number", "password"]);
  const CHOICE_TYPES = new Set(["checkbox", "radio"]);
  const BUTTON_TYPES = new Set(["submit", "button", "reset", "image"]);
  const CLICKABLE = "button, a[href], [role=button], [role=link], [role=tab], [role=menuitem], " +
    "[role=option], [role=checkbox], [role=radio], [role=gridcell], input, summary, label, td, li";

  const squash = (s) => (s || "").replace(/\s+/g, " ").trim();

  // The text a reader (and Playwright's accessible name) sees: like innerText, but as the
  // page wrote it, not as CSS shows it (no text-transform), hidden parts left out.
  function textOf(el) {
    let out = "";
    for (const node of el.childNodes) {
      if (node.nodeType === 3) { out += node.nodeValue; continue; }
      if (node.nodeType !== 1 || ["SCRIPT", "STYLE", "TEMPLATE"].includes(node.tagName)) continue;
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden" || node.getAttribute("aria-hidden") === "true") continue;
      const block = style.display !== "inline";
      out += (block ? " " : "") + textOf(node) + (block ? " " : "");
    }
    return out;
  }
  const short = (s) => { const t = squash(s); return t.length <= 80 ? t : ""; };

  function implicitRole(el) {
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (el.getAttribute("role")) return el.getAttribute("role");
    if (tag === "button" || (tag === "input" && BUTTON_TYPES.has(type))) return "button";
    if (tag === "a" && el.hasAttribute("href")) return "link";
    if (tag === "select") return el.multiple || el.size > 1 ? "listbox" : "combobox";
    if (tag === "textarea") return "textbox";
    if (tag === "input") {
      if (type === "checkbox") return "checkbox";
      if (type === "radio") return "radio";
      if (type === "search") return "searchbox";
      if (type === "number") return "spinbutton";
      if (el.hasAttribute("list")) return "combobox";
      if (["", "text", "email", "tel", "url"].includes(type)) return "textbox";
    }
    return "";
  }

  function labelText(el) {
    if (el.labels && el.labels.length) return short(textOf(el.labels[0]));
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      const parts = by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
      if (parts.length) return short(parts.map((p) => textOf(p)).join(" "));
    }
    return "";
  }

  function accessibleName(el) {
    const aria = el.getAttribute("aria-label");
    if (aria) return short(aria);
    const label = labelText(el);
    if (label) return label;
    const tag = el.tagName.toLowerCase();
    if (tag === "input" && BUTTON_TYPES.has((el.type || "").toLowerCase())) return short(el.value);
    if (["button", "a", "summary", "option", "td", "li"].includes(tag) || el.getAttribute("role")) {
      return short(textOf(el));
    }
    return short(el.getAttribute("title") || el.getAttribute("placeholder") || "");
  }

  const cssEscape = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s);
  const unique = (sel) => { try { return document.querySelectorAll(sel).length === 1; } catch (e) { return false; } };

  const usableId = (node) => node.id && !/\d{3,}/.test(node.id) && unique("#" + cssEscape(node.id));

  function cssPath(el) {
    const tag = el.tagName.toLowerCase();
    if (usableId(el)) return "#" + cssEscape(el.id);
    const href = tag === "a" && el.getAttribute("href");
    if (href && !href.startsWith("javascript:")) {
      const sel = `a[href="${href.replace(/"/g, '\\"')}"]`;
      if (unique(sel)) return sel;
    }
    const name = el.getAttribute("name");
    if (name) {
      const sel = `${tag}[name="${name.replace(/"/g, '\\"')}"]`;
      if (unique(sel)) return sel;
    }
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && node !== document.documentElement; node = node.parentElement) {
      if (node !== el && usableId(node)) { parts.unshift("#" + cssEscape(node.id)); break; }
      let part = node.tagName.toLowerCase();
      const parent = node.parentElement;
      const same = parent ? [...parent.children].filter((c) => c.tagName === node.tagName) : [];
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      parts.unshift(part);
    }
    return parts.join(" > ");
  }

  // Every way to find `el` again, most robust first (the replay takes the first that finds
  // exactly one visible element).
  // The row (or list item) an element sits in, named by its first cell: what tells apart
  // the "Add" links of a table, one per row.
  function container(el) {
    const row = el.closest("tr, [role=row], li");
    if (!row) return null;
    const first = row.querySelector("th, td, [role=rowheader], [role=cell], [role=gridcell]");
    const name = short(textOf(first || row));
    if (!name) return null;
    return { role: row.tagName.toLowerCase() === "li" ? "listitem" : "row", name };
  }

  function sameRoleAndName(el, role, name) {
    let n = 0;
    for (const other of document.querySelectorAll("a, button, input, select, textarea, [role]")) {
      if (implicitRole(other) === role && accessibleName(other) === name) n += 1;
    }
    return n;
  }

  function locators(el) {
    const out = [];
    const role = implicitRole(el);
    const name = accessibleName(el);
    if (role && name) {
      const within = sameRoleAndName(el, role, name) > 1 ? container(el) : null;
      out.push(within ? { by: "role", role, name, within } : { by: "role", role, name });
    }
    const label = labelText(el);
    if (label) out.push({ by: "label", label });
    const testId = el.getAttribute("data-testid") || el.getAttribute("data-test-id");
    if (testId) out.push({ by: "testid", testid: testId });
    const tag = el.tagName.toLowerCase();
    if (["button", "a", "summary", "td", "li", "span", "div", "option"].includes(tag)) {
      const text = short(textOf(el));
      if (text) out.push({ by: "text", text });
    }
    out.push({ by: "css", css: cssPath(el) });
    return out;
  }

  // The data attributes of an element and its nearest ancestors (a fare button's
  // data-fare, its flight row's data-flight), each with the values the same attribute takes
  // across the page (the other fares, the other flights): what a clicked choice was.
  const SKIP_DATA = new Set(["data-testid", "data-test-id"]);
  function keyed(el) {
    const out = [];
    let depth = 0;
    for (let node = el; node && node !== document.body && depth <= 4; node = node.parentElement, depth += 1) {
      for (const attr of node.attributes) {
        if (!attr.name.startsWith("data-") || SKIP_DATA.has(attr.name) || !attr.value || attr.value.length > 80) continue;
        const peers = new Set();
        for (const other of document.querySelectorAll(`${node.tagName.toLowerCase()}[${attr.name}]`)) {
          if (peers.size >= 30) break;
          peers.add(other.getAttribute(attr.name));
        }
        out.push({ depth, tag: node.tagName.toLowerCase(), attr: attr.name, value: attr.value, peers: [...peers] });
      }
    }
    return out;
  }

  // The nearest ancestor with an id of its own: where a keyed element is looked for.
  function scope(el) {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (usableId(node)) return "#" + cssEscape(node.id);
    }
    return "";
  }

  function describe(el) {
    const tag = el.tagName.toLowerCase();
    const info = {
      tag,
      type: (el.getAttribute("type") || "").toLowerCase(),
      role: implicitRole(el),
      name: el.getAttribute("name") || "",
      id: el.id || "",
      label: accessibleName(el),
      css: cssPath(el),
      locators: locators(el),
    };
    if (el.form) info.form = cssPath(el.form);
    const data = keyed(el);
    if (data.length) { info.keyed = data; info.scope = scope(el); }
    if (el.maxLength && el.maxLength > 0) info.maxlength = el.maxLength;
    if (el.min) info.min = el.min;
    if (el.max) info.max = el.max;
    return info;
  }

  const TEXTUAL = (el) => {
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute("type") || "").toLowerCase();
    return tag === "textarea" || (tag === "input" && (TEXT_TYPES.has(type) || ["date", "time", "datetime-local", "month"].includes(type)));
  };
  const sent = new WeakMap(); // the value last reported per field

  function commitField(el) {
    const last = sent.has(el) ? sent.get(el) : el.defaultValue;
    if (last === el.value) return;
    sent.set(el, el.value);
    const extra = { value: el.value };
    if (el.list) extra.options = [...el.list.options].map((o) => ({ value: o.value, label: o.value }));
    send("fill", el, extra);
  }

  function landmarks() {
    const h1 = document.querySelector("h1");
    return {
      url: location.pathname + location.search,
      title: squash(document.title),
      heading: h1 ? short(textOf(h1)) : "",
    };
  }

  function send(kind, el, extra) {
    const active = document.activeElement;
    if (kind !== "fill" && kind !== "load" && active && active !== el && active instanceof Element && TEXTUAL(active)) {
      commitField(active); // a typed value comes before the action that follows it
    }
    try {
      report({ kind, element: el ? describe(el) : null, page: landmarks(), at: Date.now(), ...extra });
    } catch (e) { /* a recorder must never break the page */ }
  }

  // A click on a field only focuses it; a field is recorded by its value (change).
  function isField(el) {
    const tag = el.tagName.toLowerCase();
    if (tag === "select" || tag === "textarea") return true;
    return tag === "input" && !BUTTON_TYPES.has((el.type || "").toLowerCase()) && !CHOICE_TYPES.has((el.type || "").toLowerCase());
  }

  document.addEventListener("click", (event) => {
    if (!event.isTrusted) return;
    const raw = event.target instanceof Element ? event.target : null;
    if (!raw) return;
    const el = raw.closest(CLICKABLE) || raw;
    if (isField(el) || el.tagName.toLowerCase() === "option") return;
    if (el.tagName.toLowerCase() === "label" && el.control) return; // the control's own click follows
    const extra = {};
    if (CHOICE_TYPES.has((el.type || "").toLowerCase())) extra.checked = !!el.checked;
    send("click", el, extra);
  }, true);

  document.addEventListener("change", (event) => {
    const el = event.target;
    if (!(el instanceof Element)) return;
    if (el.tagName.toLowerCase() === "select") {
      const chosen = [...el.selectedOptions];
      const options = [...el.options].filter((o) => o.value !== "").map((o) => ({ value: o.value, label: squash(o.label || o.text) }));
      send("select", el, {
        value: chosen.map((o) => o.value).join(","),
        option: chosen.map((o) => squash(o.label || o.text)).join(","),
        options,
      });
    } else if (TEXTUAL(el)) {
      commitField(el);
    }
  }, true);

  document.addEventListener("keydown", (event) => {
    if (!event.isTrusted || !["Enter", "Escape"].includes(event.key)) return;
    const el = event.target instanceof Element ? event.target : document.body;
    if (event.key === "Enter" && el.tagName.toLowerCase() === "textarea") return;
    if (TEXTUAL(el)) commitField(el); // the value Enter commits comes before the key
    send("press", el, { key: event.key });
  }, true);

  const loaded = () => send("load", null, {});
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", loaded);
  else loaded();
})();
