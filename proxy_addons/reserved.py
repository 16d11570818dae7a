"""gymfuzz's own paths: answered by the proxy, sealed from the app.

A request whose path, percent-decoded and case-folded, starts with ``/__gymfuzz/`` is the
proxy's. It is answered by the proxy and never forwarded, whatever goes wrong while answering
it (a body too large, not JSON or nested too deeply, an unreadable credential, a handler that
fails): the answer is then a 4xx or 5xx with a one-line reason. Nothing of such a request,
its body, its ``Authorization`` token or the proxy credentials, reaches the app.

Limits, checked on the headers before the body is read, and again on the body:

* ``/__gymfuzz/events``: at most :data:`MAX_EVENT_BYTES` of JSON, nested at most
  :data:`MAX_EVENT_DEPTH` deep;
* ``/__gymfuzz/control/...``: at most :data:`MAX_PLAN_BYTES` (a plan or scenario of several
  thousand faults), nested at most :data:`MAX_PLAN_DEPTH` deep.

Bodies must say their length: a chunked body is refused with ``411``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from proxy_addons.envelope import RESERVED_PREFIX

EVENTS_PATH = RESERVED_PREFIX + "events"
CONTROL_PREFIX = RESERVED_PREFIX + "control/"
MAX_EVENT_BYTES = 64 * 1024
MAX_EVENT_DEPTH = 32
MAX_PLAN_BYTES = 4 * 1024 * 1024
MAX_PLAN_DEPTH = 64


@dataclass(frozen=True)
class Reply:
    """What the proxy answers on one of its own paths."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"


class BodyError(ValueError):
    """A body the proxy will not read; ``status`` is the HTTP status of the answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def plain(status: int, reason: str) -> Reply:
    """A one-line ``text/plain`` answer."""
    line = " ".join(reason.split())
    return Reply(status, f"gymfuzz: {line}\n".encode(), "text/plain; charset=utf-8")


def is_reserved(path: str) -> bool:
    """True if ``path`` (with its query) names one of gymfuzz's own paths, however spelled."""
    bare = unquote(path.split("?", 1)[0]).lower().replace("\\", "/")
    bare = "/" + bare.lstrip("/")
    return bare.startswith(RESERVED_PREFIX) or bare == RESERVED_PREFIX.rstrip("/")


def body_limit(path: str) -> int:
    """The largest body accepted on ``path``."""
    return MAX_PLAN_BYTES if path.startswith(CONTROL_PREFIX) else MAX_EVENT_BYTES


def check_headers(path: str, headers: Mapping[str, str]) -> Reply | None:
    """Refuse, before its body is read, a request whose body is too large or of unsaid length."""
    if "transfer-encoding" in headers:
        return plain(411, "a body to a gymfuzz path needs a Content-Length")
    length = headers.get("content-length")
    if length is None:
        return None
    if not length.strip().isdigit():
        return plain(400, f"unreadable Content-Length {length[:40]!r}")
    limit = body_limit(path)
    if int(length) > limit:
        return plain(413, f"body of {int(length)} bytes is above the {limit}-byte limit of {path}")
    return None


def load_json(body: bytes, *, max_bytes: int, max_depth: int) -> Any:
    """Parse a JSON body within the limits; :class:`BodyError` naming the problem if not."""
    if len(body) > max_bytes:
        raise BodyError(413, f"body of {len(body)} bytes is above the {max_bytes}-byte limit")
    try:
        data = json.loads(body or b"null")
    except RecursionError:
        raise BodyError(400, f"JSON nested deeper than {max_depth} levels") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BodyError(400, f"not JSON: {exc}") from None
    if _deeper_than(data, max_depth):
        raise BodyError(400, f"JSON nested deeper than {max_depth} levels")
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """True if ``data`` nests containers more than ``limit`` deep (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_event(method: str, path: str, body: bytes) -> dict[str, Any] | Reply:
    """A page-runtime event posted to :data:`EVENTS_PATH`, or the :class:`Reply` refusing it."""
    if path.split("?", 1)[0] != EVENTS_PATH:
        return plain(404, f"unknown gymfuzz path {path[:200]!r}")
    if method != "POST":
        return plain(405, f"{method} is not allowed on {EVENTS_PATH} (POST a JSON object)")
    try:
        event = load_json(body, max_bytes=MAX_EVENT_BYTES, max_depth=MAX_EVENT_DEPTH)
    except BodyError as exc:
        return plain(exc.status, str(exc))
    if not isinstance(event, dict):
        return plain(400, "expected a JSON object")
    return event
