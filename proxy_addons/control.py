"""The control API: manage a running proxy over HTTP, answered by the proxy itself.

Requests to ``/__gymfuzz/control/...`` (through either listener, any host) never reach the
app. Every call but ``health`` needs the proxy's control token, sent as
``Authorization: Bearer <token>``; without a configured token the API is off (``403``).

``GET /__gymfuzz/control/health``
    ``200 {"ok": true, "episodes": <number of known episodes>}``.
``PUT /__gymfuzz/control/plans/<episode>``
    body: a plan or a scenario (one JSON object, at most
    :data:`~proxy_addons.reserved.MAX_PLAN_BYTES`, else ``413`` before it is read). A scenario
    becomes a plan through the registry's plan converter (see
    :class:`~proxy_addons.episodes.EpisodeRegistry`), so its page perturbations are installed
    too; without a converter only its network faults are. Validated first: a bad plan is
    answered ``400 {"error": "<episode>.faults[0].params.ms: ... (got -1)"}`` and the old plan
    stays. A good one replaces the episode's plan atomically (``204``): requests already in
    flight finish under the plan they started with. The episode ``_default`` is the default
    plan.
``DELETE /__gymfuzz/control/plans/<episode>``
    forget the episode's plan (its later requests get the default plan); ``204``.
``GET /__gymfuzz/control/ledger/<episode>``
    the episode's ledger as JSONL (``application/x-ndjson``); ``404`` if none.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from urllib.parse import unquote

from proxy_addons.episodes import EpisodeRegistry
from proxy_addons.plan import PlanError, parse_plan
from proxy_addons.reserved import (
    CONTROL_PREFIX,
    MAX_PLAN_BYTES,
    MAX_PLAN_DEPTH,
    BodyError,
    Reply,
    load_json,
)

__all__ = ["CONTROL_PREFIX", "DEFAULT_EPISODE", "Reply", "authorized", "handle"]

DEFAULT_EPISODE = "_default"


def _error(status: int, message: str) -> Reply:
    return Reply(status, json.dumps({"error": message}).encode())


def authorized(headers: Mapping[str, str], token: str) -> bool:
    """True if ``headers`` carry ``Authorization: Bearer <token>`` (compared in constant time)."""
    scheme, _, given = headers.get("authorization", "").partition(" ")
    # Compared as bytes: a header may carry any byte (mitmproxy keeps non-UTF-8 ones as
    # surrogates), and compare_digest refuses non-ASCII text.
    raw = given.encode("utf-8", "surrogateescape")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(raw, token.encode())


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
        data = load_json(body, max_bytes=MAX_PLAN_BYTES, max_depth=MAX_PLAN_DEPTH)
    except BodyError as exc:
        return _error(exc.status, f"{name}: {exc}")
    if isinstance(data, dict):
        data = {**data, "episode": episode}
    try:
        plan = parse_plan(registry.convert(data, source=name), source=name)
    except PlanError as exc:
        return _error(400, str(exc))
    registry.set_plan(plan)
    return Reply(204)
