// Give every element of the page a stable `bid` attribute (BrowserGym's element id).
// Ids already given stay; elements added since the last call get new ones, counted on from
// the page's own counter so that an id is never reused within a document.
(() => {
  const counter = window.__gymfuzzBids || (window.__gymfuzzBids = { next: 1 });
  const mark = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (!el.hasAttribute("bid")) el.setAttribute("bid", String(counter.next++));
      if (el.shadowRoot) mark(el.shadowRoot);
    }
  };
  mark(document);
  return counter.next - 1;
})()
