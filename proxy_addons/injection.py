"""Insert the page-script runtime into HTML documents.

The script goes in as the first child of ``<head>`` (or right after ``<html>``, or at the very
start when the document has neither), so it runs before the page's own scripts.
"""

from __future__ import annotations

import re

_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_HTML = re.compile(r"<html(?:\s[^>]*)?>", re.IGNORECASE)
_DOCTYPE = re.compile(r"\s*<!doctype[^>]*>", re.IGNORECASE)


def is_html(content_type: str | None) -> bool:
    """True for ``text/html`` and ``application/xhtml+xml`` responses."""
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime in ("text/html", "application/xhtml+xml")


def script_tag(script: str, nonce: str | None = None) -> str:
    """A ``<script>`` element holding ``script``, made safe to embed inline."""
    # A literal "</script" anywhere in the code would end the element early; in JS source it
    # can only sit in a string, comment or regex, where "<\/script" means the same.
    body = re.sub(r"</(script)", r"<\\/\1", script, flags=re.IGNORECASE)
    attr = f' nonce="{nonce}"' if nonce else ""
    return f'<script data-gymfuzz="runtime"{attr}>{body}</script>'


def inject(html: str, tag: str) -> str:
    """Return ``html`` with ``tag`` inserted where it runs first (see the module docstring)."""
    for pattern in (_HEAD, _HTML, _DOCTYPE):
        m = pattern.search(html, 0, 65_536) if pattern is not _DOCTYPE else pattern.match(html)
        if m:
            return html[: m.end()] + tag + html[m.end() :]
    return tag + html
