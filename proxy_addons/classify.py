"""Facts about a request read from its headers: its resource type, its episode credential.

A request's resource type (``document``, ``fetch`` or ``asset``) comes, in this order, from:

1. ``Sec-Fetch-Dest``, which browsers send on HTTPS and localhost pages;
2. ``Accept``, when it names a kind: ``text/html`` (a page load, for ``GET``), ``image/*``,
   ``text/css``, fonts, audio or video (an asset), ``application/json`` or XML (fetch);
3. the path's extension (``.js``, ``.css``, images, fonts: an asset).

When none of these tells (a client such as curl sends ``Accept: */*`` and no ``Sec-Fetch-*``),
the request is taken for ``fetch`` but marked unsure, and faults that act on the response are
matched by the response's ``Content-Type`` instead (:func:`resource_of_content_type`).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from mitmproxy.http import Request

_DOCUMENT_DESTS = frozenset({"document", "iframe", "frame"})
_ASSET_DESTS = frozenset(
    {
        *("script", "style", "image", "font", "audio", "video", "track", "manifest"),
        *("worker", "sharedworker", "serviceworker", "object", "embed", "xslt"),
    }
)
_ASSET_EXTENSIONS = (
    *(".js", ".mjs", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"),
    *(".ico", ".woff", ".woff2", ".ttf", ".otf", ".mp4", ".webm", ".mp3", ".wasm"),
)
_ASSET_MEDIA_PREFIXES = ("image/", "font/", "audio/", "video/")
_ASSET_MEDIA = frozenset(
    {
        *("text/css", "text/javascript", "application/javascript", "application/x-javascript"),
        *("application/wasm", "application/font-woff", "application/vnd.ms-fontobject"),
    }
)
_FETCH_MEDIA = frozenset(
    {
        *("application/json", "application/xml", "text/xml", "text/plain", "text/event-stream"),
        *("application/x-www-form-urlencoded", "multipart/form-data", "application/x-ndjson"),
    }
)


class Resource(NamedTuple):
    """A request's resource type and whether its headers really said so."""

    kind: str
    sure: bool


def _media_kind(media: str, method: str) -> str | None:
    """The resource type a single media type stands for, or ``None``."""
    if media in ("text/html", "application/xhtml+xml"):
        return "document" if method == "GET" else "fetch"
    if media.startswith(_ASSET_MEDIA_PREFIXES) or media in _ASSET_MEDIA:
        return "asset"
    if media in _FETCH_MEDIA or media.endswith(("+json", "+xml")):
        return "fetch"
    return None


def classify(req: Request) -> Resource:
    """Classify a request from its headers (see the module docstring)."""
    dest = req.headers.get("sec-fetch-dest", "").lower()
    if dest in _DOCUMENT_DESTS:
        return Resource("document", True)
    if dest in _ASSET_DESTS:
        return Resource("asset", True)
    if dest:
        return Resource("fetch", True)  # "empty" (fetch/XHR), "report" and the like
    accept = req.headers.get("accept", "").lower()
    if "text/html" in accept or "application/xhtml+xml" in accept:
        return Resource("document" if req.method == "GET" else "fetch", True)
    first = accept.split(",", 1)[0].split(";", 1)[0].strip()
    kind = _media_kind(first, req.method) if first else None
    if kind is not None:
        return Resource(kind, True)
    if req.path.split("?", 1)[0].lower().endswith(_ASSET_EXTENSIONS):
        return Resource("asset", True)
    return Resource("fetch", False)


def is_navigation(req: Request) -> bool:
    """True for a request whose answer the browser shows as a page, whatever its method.

    ``GET`` always counts (clients such as curl say nothing more); another method counts when
    ``Sec-Fetch-Dest`` names a document or frame, or, without it, when ``Accept`` asks for
    HTML, as a browser's form submission does (``fetch`` sends ``*/*``).
    """
    if req.method == "GET":
        return True
    dest = req.headers.get("sec-fetch-dest", "").lower()
    if dest:
        return dest in _DOCUMENT_DESTS
    accept = req.headers.get("accept", "").lower()
    return "text/html" in accept or "application/xhtml+xml" in accept


def resource_type(req: Request) -> str:
    """Classify a request as ``document``, ``fetch`` or ``asset`` from its headers."""
    return classify(req).kind


def resource_of_content_type(content_type: str | None, method: str) -> str | None:
    """The resource type a response's ``Content-Type`` shows, or ``None`` if it shows none."""
    if not content_type:
        return None
    return _media_kind(content_type.split(";", 1)[0].strip().lower(), method.upper())


def parse_proxy_auth(value: str) -> str | None:
    """The username of a ``Basic`` proxy credential, or ``None`` if unreadable."""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")[0]
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user or None
