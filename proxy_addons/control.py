"""The control API: manage a running proxy over HTTP, answered by the proxy itself.

Requests to ``/__gymfuzz/control/...`` (through either listener, any host) never reach the
app. Every call but ``health`` needs the proxy's control token, sent as
``Authorization: Bearer <token>``; without a configured token the API is off (``403``).

``GET /__gymfuzz/control/health``
    ``200 {"ok": true, "episodes": <number of known episodes>}``.
``PUT /__gymfuzz/control/plans/<episode>``
    body: a plan or a scenario (one JSON object). Validated first: a bad plan is answered
    ``400 {"error": "<episode>.faults[0].params.ms: ... (got -1)"}`` and the old plan stays.
    A good one replaces the episode's plan atomically (``204``): requests already in flight
    finish under the plan they started with. The episode ``_default`` is the default plan.
``DELETE /__gymfuzz/control/plans/<episode>``
    forget the episode's plan (its later requests get the default plan); ``204``.
``GET /__gymfuzz/control/ledger/<episode>``
    the episode's ledger as JSONL (``application/x-ndjson``); ``404`` if none.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from proxy_addons.envelope import RESERVED_PREFIX
from proxy_addons.episodes import EpisodeRegistry
from proxy_addons.plan import PlanError, parse_plan

CONTROL_PREFIX = RESERVED_PREFIX + "control/"
DEFAULT_EPISODE = "_default"


@dataclass(frozen=True)
class Reply:
    """What the proxy answers to a control request."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"


def _error(status: int, message: str) -> Reply:
    return Reply(status, json.dumps({"error": message}).encode())


def authorized(headers: Mapping[str, str], token: str) -> bool:
    """True if ``headers`` carry ``Authorization: Bearer <token>`` (compared in constant time)."""
    scheme, _, given = headers.get("authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given, token)


def handle(
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    registry: EpisodeRegistry,
    token: str,
) -> Reply:
    """Answer one control request (``path`` starts with :data:`CONTROL_PREFIX`)."""
    parts = [unquote(p) for p in path.split("?", 1)[0][len(CONTROL_PREFIX) :].split("/")]
    if parts == ["health"] and method == "GET":
        return Reply(200, json.dumps({"ok": True, "episodes": registry.count()}).encode())
    if not token:
        return _error(403, "the control API is off: the proxy has no control token")
    if not authorized(headers, token):
        return _error(401, "missing or wrong control token (Authorization: Bearer <token>)")
    if len(parts) != 2 or not parts[1]:
        return _error(404, f"unknown control path {path!r}")
    what, name = parts
    episode = None if name == DEFAULT_EPISODE else name
    if what == "plans" and method == "PUT":
        return _put_plan(registry, episode, name, body)
    if what == "plans" and method == "DELETE":
        if episode is None:
            registry.set_plan(parse_plan({}))
        else:
            registry.clear(episode)
        return Reply(204)
    if what == "ledger" and method == "GET":
        ledger = registry.ledger_path(episode)
        if ledger is None or not ledger.exists():
            return _error(404, f"no ledger for episode {name!r}")
        return Reply(200, ledger.read_bytes(), "application/x-ndjson")
    return _error(405 if what in ("plans", "ledger") else 404, f"{method} {path} is not allowed")


def _put_plan(registry: EpisodeRegistry, episode: str | None, name: str, body: bytes) -> Reply:
    try:
        data = json.loads(body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _error(400, f"{name}: not JSON: {exc}")
    if isinstance(data, dict):
        data = {**data, "episode": episode}
    try:
        plan = parse_plan(data, source=name)
    except PlanError as exc:
        return _error(400, str(exc))
    registry.set_plan(plan)
    return Reply(204)
