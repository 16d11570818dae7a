// Inbox page: two folders of mail, a message view, and a compose form.
//
// Robustness contract (the fuzzer's page perturbations rely on it):
// * all state lives in the `state` object below, never in DOM nodes (the compose fields are
//   read when the form is sent);
// * one delegated listener per event type on `document` handles every control, and every
//   render looks elements up again, so a subtree replaced by `cloneNode(true)` keeps working;
// * responses to superseded requests are dropped (sequence numbers), so a late folder list
//   or message never overwrites a newer one;
// * the send status says "sent" only after the server answered 2xx; one send at a time.
"use strict";

(() => {
  const FOLDERS = ["inbox", "sent"];

  const state = {
    folder: "inbox",
    list: { state: "loading", rows: [], message: "", seq: 0 },
    view: { id: null, state: "idle", row: null, message: "", seq: 0 },
    composing: false,
    send: { state: "idle", text: "", busy: false },
  };

  // ---- helpers ----------------------------------------------------------------------

  const { find, el, request, describe } = window.BookingSite;

  const isRow = (row) => row && Number.isInteger(row.id) && typeof row.subject === "string";

  // ---- rendering ----------------------------------------------------------------------

  function messageItem(row) {
    const item = el("li", { class: "message", "data-id": String(row.id), tabindex: "0" });
    item.append(
      el("span", { class: "from" }, row.sender),
      el("span", { class: "to" }, row.recipient),
      el("span", { class: "subject" }, row.subject),
    );
    return item;
  }

  function renderFolders() {
    for (const folder of FOLDERS) {
      const button = find(`#folder-${folder}`);
      if (button) button.setAttribute("aria-pressed", String(folder === state.folder));
    }
  }

  function renderList() {
    const list = find("#message-list");
    const note = find("#messages-note");
    const l = state.list;
    if (list) {
      list.dataset.folder = state.folder;
      list.dataset.state = l.state;
      const key = JSON.stringify([state.folder, l.rows]);
      if (list.dataset.rendered !== key) {
        list.replaceChildren(...l.rows.map(messageItem));
        list.dataset.rendered = key;
      }
      for (const item of list.querySelectorAll("li.message")) {
        if (item.dataset.id === String(state.view.id)) item.setAttribute("aria-current", "true");
        else item.removeAttribute("aria-current");
      }
    }
    if (note) {
      note.textContent = l.message;
      note.hidden = !l.message;
    }
  }

  function renderView() {
    const view = find("#message-view");
    if (!view) return;
    const v = state.view;
    view.hidden = v.id === null;
    if (v.id === null) {
      view.removeAttribute("data-id");
      view.removeAttribute("data-rendered");
      view.replaceChildren();
      return;
    }
    const key = JSON.stringify([v.id, v.state, v.row, v.message]);
    view.dataset.id = String(v.id);
    view.dataset.state = v.state;
    if (view.dataset.rendered === key) return;
    view.dataset.rendered = key;
    if (v.state === "ready") {
      const from = el("p", { class: "meta" }, "From: ");
      from.append(el("span", { class: "from" }, v.row.sender));
      const to = el("p", { class: "meta" }, "To: ");
      to.append(el("span", { class: "to" }, v.row.recipient));
      view.replaceChildren(
        el("h3", { class: "subject" }, v.row.subject),
        from,
        to,
        el("div", { class: "body" }, v.row.body),
      );
    } else if (v.state === "error") {
      const error = el("p", { class: "error" }, `${v.message} `);
      error.append(el("button", { type: "button", class: "view-retry" }, "Retry"));
      view.replaceChildren(error);
    } else {
      view.replaceChildren(el("p", { class: "note" }, "Loading…"));
    }
  }

  function renderCompose() {
    const form = find("#compose-form");
    if (form) form.hidden = !state.composing;
    const send = find("#send");
    if (send) send.disabled = state.send.busy;
    const status = find("#send-status");
    if (status) {
      status.dataset.state = state.send.state;
      status.textContent = state.send.text;
    }
  }

  function render() {
    renderFolders();
    renderList();
    renderView();
    renderCompose();
  }

  // ---- server -------------------------------------------------------------------------

  async function loadList() {
    const seq = ++state.list.seq;
    const folder = state.folder;
    state.list.state = "loading";
    render();
    const result = await request(`/api/emails?folder=${encodeURIComponent(folder)}`);
    if (seq !== state.list.seq) return; // another folder or refresh was asked for meanwhile
    const rows = result.status === 200 && result.data ? result.data.emails : null;
    if (!Array.isArray(rows) || !rows.every(isRow)) {
      // Keep what is shown, but say plainly that it may be stale.
      state.list.state = "error";
      state.list.message = `Could not load the ${folder} folder (${describe(result)}). Click Refresh to try again.`;
    } else {
      Object.assign(state.list, { state: "ready", rows, message: rows.length ? "" : "No messages." });
    }
    render();
  }

  function showFolder(folder) {
    if (!FOLDERS.includes(folder)) return;
    if (folder !== state.folder) {
      state.folder = folder;
      state.list.rows = [];
      closeView();
    }
    loadList();
  }

  function closeView() {
    state.view.seq += 1;
    Object.assign(state.view, { id: null, state: "idle", row: null, message: "" });
  }

  async function openMessage(id) {
    const v = state.view;
    const seq = ++v.seq;
    Object.assign(v, { id, state: "loading", row: null, message: "" });
    render();
    const result = await request(`/api/emails/${id}`);
    if (seq !== v.seq) return; // another message was opened meanwhile
    if (result.status === 200 && isRow(result.data) && result.data.id === id) {
      Object.assign(v, { state: "ready", row: result.data });
    } else {
      Object.assign(v, { state: "error", message: `Could not open the message (${describe(result)}).` });
    }
    render();
  }

  function fieldValue(selector) {
    const field = find(selector);
    return field ? field.value : "";
  }

  async function send() {
    if (state.send.busy) return; // one send at a time: a double click must not send twice
    const body = { to: fieldValue("#to"), subject: fieldValue("#subject"), body: fieldValue("#body") };
    Object.assign(state.send, { busy: true, state: "sending", text: "Sending…" });
    render();
    const result = await request("/api/emails", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    state.send.busy = false;
    if (result.status >= 200 && result.status < 300) {
      const row = result.data;
      const text = isRow(row) ? `Sent to ${row.recipient} (#${row.id}).` : "Sent.";
      Object.assign(state.send, { state: "sent", text });
      for (const selector of ["#to", "#subject", "#body"]) {
        const field = find(selector);
        if (field) field.value = "";
      }
      state.composing = false;
      if (state.folder === "sent") loadList();
    } else {
      Object.assign(state.send, { state: "error", text: `Not sent (${describe(result)}).` });
    }
    render();
  }

  function compose(open) {
    state.composing = open;
    if (open && !state.send.busy) Object.assign(state.send, { state: "idle", text: "" });
    render();
    if (open) find("#to")?.focus();
  }

  // ---- events: one delegated listener per event type ----------------------------------------

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const message = target.closest("#message-list li.message");
    if (message) {
      const id = Number(message.getAttribute("data-id"));
      if (Number.isInteger(id)) openMessage(id);
    } else if (target.closest("#folder-inbox")) {
      showFolder("inbox");
    } else if (target.closest("#folder-sent")) {
      showFolder("sent");
    } else if (target.closest("#refresh-messages")) {
      loadList();
    } else if (target.closest(".view-retry")) {
      if (state.view.id !== null) openMessage(state.view.id);
    } else if (target.closest("#compose")) {
      compose(true);
    } else if (target.closest("#cancel-compose")) {
      compose(false);
    }
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const message = target && target.closest("#message-list li.message");
    if (message && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openMessage(Number(message.getAttribute("data-id")));
    }
  });

  document.addEventListener("submit", (event) => {
    if (event.target instanceof Element && event.target.id === "compose-form") {
      event.preventDefault();
      send();
    }
  });

  render();
  loadList();
})();
