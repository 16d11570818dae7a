"""Insert the page-script runtime into HTML documents.

The script goes where it runs before the page's own scripts: as the first child of ``<head>``,
else before the first ``<script>`` or ``<body>``, else after ``<html>`` or the doctype. The
point is found by a tokenizer (:mod:`proxy_addons.htmlscan`), so a ``<head>`` written inside
a script's string, a comment or an attribute value is never taken for the real one.

Documents larger than :data:`MAX_DOCUMENT_BYTES` (decoded) pass untouched: rewriting them
would hold the proxy for too long, and the ledger's response record says so
(``inject_skipped``).

:func:`inject_document` works on the decoded body bytes of any charset: it finds the charset
(byte-order mark, ``Content-Type``, ``<meta charset>``, else UTF-8), inserts the script, and
encodes the document back in that charset. The script itself is pure ASCII (other characters
are written as JavaScript ``\\uXXXX`` escapes, and ``</script`` can never appear in it), so it
survives any ASCII-compatible charset, and a document that does not decode is left untouched.
A ``<meta http-equiv="Content-Security-Policy">`` policy is extended with the script's hash
(see :mod:`proxy_addons.csp`).
"""

from __future__ import annotations

import codecs
import re

from proxy_addons.csp import allow_script, script_hash
from proxy_addons.htmlscan import insertion_point

#: documents above this size (after content decoding) are passed on untouched
MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*['"]?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHARSET = re.compile(r"""charset\s*=\s*['"]?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_META_CSP = re.compile(
    r"""(<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*"""
    r"""\bcontent\s*=\s*)(["'])(.*?)\2""",
    re.IGNORECASE | re.DOTALL,
)
_PLAN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF16_LE, "utf-16"),
)


def is_html(content_type: str | None) -> bool:
    """True for ``text/html`` and ``application/xhtml+xml`` responses."""
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime in ("text/html", "application/xhtml+xml")


def script_body(script: str) -> str:
    """``script`` made safe to embed inline: ASCII only, no ``</script`` inside."""
    # A literal "</script" anywhere in the code would end the element early; in JS source it
    # can only sit in a string, comment or regex, where "<\/script" means the same.
    body = re.sub(r"</(script)", r"<\\/\1", script, flags=re.IGNORECASE)
    if body.isascii():  # the usual case, and it is on every page load: no per-character pass
        return body
    # Non-ASCII characters can only sit in strings, comments, regexes or identifiers, where a
    # \uXXXX escape means the same; as ASCII the script survives any page charset.
    return "".join(c if ord(c) < 128 else "".join(f"\\u{u:04x}" for u in _utf16(c)) for c in body)


def _utf16(c: str) -> list[int]:
    data = c.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def script_tag(script: str, nonce: str | None = None) -> str:
    """A ``<script>`` element holding ``script``, made safe to embed inline."""
    attr = f' nonce="{nonce}"' if nonce else ""
    return f'<script data-gymfuzz="runtime"{attr}>{script_body(script)}</script>'


def inject(html_text: str, tag: str) -> str:
    """Return ``html_text`` with ``tag`` inserted where it runs first (see module docstring)."""
    at = insertion_point(html_text)
    return html_text[:at] + tag + html_text[at:]


def document_charset(content: bytes, content_type: str | None) -> str:
    """The charset of an HTML document: BOM, then ``Content-Type``, then ``<meta>``, else UTF-8."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    m = _CHARSET.search(content_type or "")
    if m is None:
        meta = _META_CHARSET.search(content[:4096])
        return meta.group(1).decode("ascii") if meta else "utf-8"
    return m.group(1)


def _allow_in_meta(html_text: str, source: str) -> str:
    def repl(m: re.Match[str]) -> str:
        quote = m.group(2)
        policy = allow_script(m.group(3), source if quote == '"' else source.replace("'", "&#39;"))
        return f"{m.group(1)}{quote}{policy}{quote}"

    return _META_CSP.sub(repl, html_text)


def inject_document(
    content: bytes, content_type: str | None, script: str, plan_id: str | None = None
) -> bytes | None:
    """``content`` with ``script`` injected, same charset; ``None`` if it cannot be decoded.

    ``plan_id`` (letters, digits, ``-`` and ``_`` only) goes in the element's
    ``data-gymfuzz-plan`` attribute, where the page runtime reads it (its counts are kept per
    plan id).
    """
    if plan_id is not None and not _PLAN_ID.fullmatch(plan_id):
        raise ValueError(f"plan_id: expected letters, digits, '-' or '_', got {plan_id!r}")
    charset = document_charset(content, content_type)
    attr = "" if plan_id is None else f' data-gymfuzz-plan="{plan_id}"'
    try:
        text = content.decode(charset)
        body = script_body(script)
        text = _allow_in_meta(text, script_hash(body))
        return inject(text, f'<script data-gymfuzz="runtime"{attr}>{body}</script>').encode(charset)
    except (LookupError, UnicodeError):
        return None
