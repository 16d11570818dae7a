"""Facts about a request read from its headers: its resource type, its episode credential."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mitmproxy.http import Request

_ASSET_DESTS = frozenset(
    {"script", "style", "image", "font", "audio", "video", "track", "manifest"}
)
_ASSET_EXTENSIONS = (".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".woff", ".woff2")


def resource_type(req: Request) -> str:
    """Classify a request as ``document``, ``fetch`` or ``asset`` from its headers."""
    dest = req.headers.get("sec-fetch-dest", "").lower()
    if dest in ("document", "iframe", "frame"):
        return "document"
    if dest in _ASSET_DESTS:
        return "asset"
    if dest == "empty":
        return "fetch"
    if "text/html" in req.headers.get("accept", "") and req.method == "GET":
        return "document"
    path = req.path.split("?", 1)[0].lower()
    if path.endswith(_ASSET_EXTENSIONS):
        return "asset"
    return "fetch"


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
