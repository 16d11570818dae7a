"""Put the page script into a mitmproxy response: decode, inject, extend the CSP, re-encode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from proxy_addons.csp import allow_script, script_hash
from proxy_addons.injection import MAX_DOCUMENT_BYTES, inject_document, script_body

if TYPE_CHECKING:
    from mitmproxy.http import Response

CSP_HEADERS = ("content-security-policy", "content-security-policy-report-only")


def inject_into_response(resp: Response, script: str) -> str | None:
    """Inject ``script`` into an HTML response in place; ``None`` if done, else why not.

    The body is decoded (gzip, br, deflate, zstd; an unknown coding leaves it untouched),
    injected in its own charset (:func:`proxy_addons.injection.inject_document`), and encoded
    back with the same coding. Every Content-Security-Policy header gets the script's hash.
    A document above :data:`~proxy_addons.injection.MAX_DOCUMENT_BYTES` is left untouched.
    """
    try:
        content = resp.get_content()
    except ValueError:
        return f"unknown content-encoding {resp.headers.get('content-encoding', '')!r}"
    if not content:
        return "empty body"
    if len(content) > MAX_DOCUMENT_BYTES:
        return f"document of {len(content)} bytes is above the {MAX_DOCUMENT_BYTES}-byte cap"
    new = inject_document(content, resp.headers.get("content-type"), script)
    if new is None:
        return "the document does not decode in its charset"
    source = script_hash(script_body(script))
    for name in CSP_HEADERS:
        policies = resp.headers.get_all(name)
        if policies:
            resp.headers.set_all(name, [allow_script(p, source) for p in policies])
    resp.content = new
    return None
