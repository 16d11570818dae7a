"""Helpers of the transform tests: a plain outside page served on 127.0.0.1, a page digest.

The outside page (``pages/signup.html``, a library's join form) was written as any small site
is, with no knowledge of gymfuzz. Its server records every form it receives: that list is
the page's backend state.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from playwright.async_api import Page

SIGNUP = (Path(__file__).parent / "pages" / "signup.html").read_bytes()

#: The outside page's parts, for :class:`~.transform_cases.TransformCase`.
SIGNUP_PARTS = {"page": "body", "form": "form.join", "group": "nav.top, .cards"}


class OutsideSite:
    """The outside page's server: its URL and the forms it received."""

    def __init__(self, url: str, received: list[dict[str, list[str]]]) -> None:
        self.url = url
        self.received = received


@contextlib.contextmanager
def serve_signup() -> Iterator[OutsideSite]:
    """Serve the join page on 127.0.0.1; ``POST /join`` stores the form, events get 204."""
    received: list[dict[str, list[str]]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._send(200, "text/html", SIGNUP)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length).decode()
            if self.path == "/join":
                received.append(parse_qs(body))
                self._send(200, "text/html", b"<!doctype html><h1>Welcome!</h1>")
            else:
                self._send(204, "text/plain", b"")

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield OutsideSite(f"http://127.0.0.1:{server.server_address[1]}", received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# What the digest reads of every element: enough to tell themes, layouts, text and names apart.
_DIGEST_JS = """() => {
  const props = ["display", "color", "background-color", "font-family", "font-size",
    "grid-template-columns", "flex-direction", "zoom", "transition-duration", "position",
    "width"];
  const rows = [document.documentElement.clientWidth, matchMedia(
    "(prefers-reduced-motion: reduce)").matches];
  for (const el of document.querySelectorAll("*")) {
    const cs = getComputedStyle(el);
    const attrs = Array.from(el.attributes, a => a.name + "=" + a.value).join(" ");
    const text = Array.from(el.childNodes).filter(n => n.nodeType === 3)
      .map(n => n.data).join("");
    rows.push([el.tagName, attrs, text, props.map(p => cs.getPropertyValue(p)).join("|")]);
  }
  return JSON.stringify(rows);
}"""


async def page_digest(page: Page) -> str:
    """A digest of the page as rendered: its elements, attributes, text and computed looks."""
    text: str = await page.evaluate(_DIGEST_JS)
    return hashlib.sha256(text.encode()).hexdigest()


async def fill_signup(page: Page) -> None:
    """Join like a careful agent: by labels and roles, checking each value it sets."""
    for label, value in (("First name", "Ada"), ("Last name", "Byron"), ("Email", "ada@x.org")):
        field = page.get_by_label(label)
        await field.scroll_into_view_if_needed()
        await field.fill(value)
        assert await field.input_value() == value
    branch = page.get_by_label("Branch")
    await branch.select_option("river")
    assert await branch.input_value() == "river"
    box = page.get_by_label("Send me the newsletter")
    await box.check()
    assert await box.is_checked()
    await page.get_by_role("button", name="Join").click()
    await page.get_by_role("heading", name="Welcome!").wait_for()


#: What :func:`fill_signup` makes the server store.
SIGNUP_FORM = {
    "first": ["Ada"],
    "last": ["Byron"],
    "email": ["ada@x.org"],
    "branch": ["river"],
    "news": ["yes"],
}
