"""Put the page script into a mitmproxy response: which pages, decode, inject, extend the CSP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from proxy_addons.classify import is_navigation
from proxy_addons.csp import allow_script, script_hash
from proxy_addons.flowinfo import FlowInfo
from proxy_addons.injection import MAX_DOCUMENT_BYTES, inject_document, is_html, script_body

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow, Response

CSP_HEADERS = ("content-security-policy", "content-security-policy-report-only")
#: request headers that let an app answer ``304 Not Modified``: the browser would then show
#: its cached copy, which has no page script or an earlier episode's
CONDITIONAL_HEADERS = ("if-none-match", "if-modified-since")
#: response headers that let a browser keep or revalidate a copy of an injected page
VALIDATOR_HEADERS = ("etag", "last-modified", "expires")


def inject_page(flow: HTTPFlow, info: FlowInfo) -> bool:
    """Put the page script into a page the browser shows; False if it did not go in.

    Any page the browser navigates to gets it, whatever the method (a form POST that
    re-renders the form with its errors) and whatever the status but redirects and empty
    answers (a 404 page, a 422 re-render); fetch/XHR answers other than ``GET`` do not. A page
    that should have had it and did not says why in ``info.inject_skipped``.
    """
    script = info.state.plan.page_script
    resp = flow.response
    if (
        script is None
        or resp is None
        or not info.in_scope
        or not info.reached_backend
        or not is_navigation(flow.request)
        or not _shows_a_page(resp.status_code)
        or not is_html(resp.headers.get("content-type"))
    ):
        return False
    if info.inject_skipped is None:
        info.inject_skipped = inject_into_response(resp, script, info.state.plan_id)
    if info.inject_skipped is not None:
        return False
    uncacheable(resp)
    return True


def ask_for_the_page(flow: HTTPFlow, info: FlowInfo) -> None:
    """Drop a document request's conditional headers when its answer gets the page script.

    Pages with the script are never cached (see :func:`uncacheable`), but a copy cached
    before (without the proxy, or under an older proxy) would answer a revalidation with
    ``304`` and the browser would show that copy: the app must send the page itself. Other
    resources keep their caching.
    """
    if info.state.plan.page_script is None or not info.in_scope or info.resource != "document":
        return
    for name in CONDITIONAL_HEADERS:
        flow.request.headers.pop(name, None)


def uncacheable(resp: Response) -> None:
    """Make an injected page uncacheable: its script belongs to one episode's plan.

    A browser that kept the page (a tab reused across episodes, as MiniWoB++'s is) would
    otherwise show it again, with the earlier episode's name, seed and counts, to the next
    episode, without asking the proxy at all.
    """
    for name in VALIDATOR_HEADERS:
        resp.headers.pop(name, None)
    resp.headers["cache-control"] = "no-store"


def over_cap(content_length: str) -> bool:
    """True if a ``Content-Length`` already says the document is too large to rewrite."""
    return content_length.isdigit() and int(content_length) > MAX_DOCUMENT_BYTES


def _shows_a_page(status: int) -> bool:
    """A status whose HTML body the browser renders (not a redirect, not an empty answer)."""
    return status >= 200 and status != 204 and not 300 <= status < 400


def inject_into_response(resp: Response, script: str, plan_id: str | None = None) -> str | None:
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
    new = inject_document(content, resp.headers.get("content-type"), script, plan_id)
    if new is None:
        return "the document does not decode in its charset"
    source = script_hash(script_body(script))
    for name in CSP_HEADERS:
        policies = resp.headers.get_all(name)
        if policies:
            resp.headers.set_all(name, [allow_script(p, source) for p in policies])
    resp.content = new
    return None
