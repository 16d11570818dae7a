"""Which of an episode's faults fire on one request: matching, trigger counting, the keyed draw.

Matching requests are counted per fault in the order the proxy receives them (the trigger's
``start``/``every``/``count``), and per request key (``METHOD /path``) for the draw's
occurrence, so the same plan and seed give the same decisions whatever the concurrency.

One exception, for requests whose headers do not tell their resource type (see
:mod:`proxy_addons.classify`): a fault with a ``match.resource`` that acts only on the response
is decided when the response headers arrive, by the response's ``Content-Type``; those
requests are counted in the order their responses arrive.
"""

from __future__ import annotations

import time
from typing import Any

from proxy_addons import seeding
from proxy_addons.faults import Draw
from proxy_addons.flowinfo import FlowInfo
from proxy_addons.plan import ActiveFault


def request_key(method: str, path: str) -> str:
    """The key a request's draws are made under: its method and path without the query."""
    return f"{method} {path.split('?', 1)[0]}"


def decide_request(info: FlowInfo, method: str, host: str, path: str) -> list[dict[str, Any]]:
    """Decide every fault of the plan for a request; return the ledger's decisions.

    Fired faults are appended to ``info.fired``, observing ones to ``info.observers``, and
    faults to be decided on the response to ``info.deferred``.
    """
    state = info.state
    key = request_key(method, path)
    decisions: list[dict[str, Any]] = []
    now = time.monotonic()
    for active in state.plan.faults:
        match = active.envelope.match
        if (
            not info.sure
            and match.resource != "any"
            and active.fault.acts_on_response()
            and match.matches(method, host, path, "any")
        ):
            info.deferred.append(active)
            continue
        if not match.matches(method, host, path, info.resource):
            continue
        decision = decide_one(info, active, key, now)
        if decision is not None:
            decisions.append(decision)
    return decisions


def decide_late(info: FlowInfo, resource: str, method: str, path: str) -> list[dict[str, Any]]:
    """Decide the deferred faults once the response shows the resource type."""
    key = request_key(method, path)
    now = time.monotonic()
    decisions: list[dict[str, Any]] = []
    deferred, info.deferred = info.deferred, []
    for active in deferred:
        if active.envelope.match.resource == resource:
            decision = decide_one(info, active, key, now)
            if decision is not None:
                decisions.append(decision)
    return decisions


def decide_one(info: FlowInfo, active: ActiveFault, key: str, now: float) -> dict[str, Any] | None:
    """Count one matching request for ``active`` and draw; ``None`` if it is not counted."""
    state, env = info.state, active.envelope
    seed = state.plan.seed
    if active.fault.observes:
        info.observers.append(active)
    if env.id in state.latched:
        info.fired.append((active, Draw(seed, env.id, key, 0)))
        return {"id": env.id, "kind": env.kind, "fired": True, "latched": True}
    if env.trigger.after_ms:
        first = state.first_match.setdefault(env.id, now)
        if env.trigger.waiting((now - first) * 1000.0):
            return None
    n = state.matches[env.id] = state.matches.get(env.id, 0) + 1
    if not env.trigger.is_candidate(n):
        return None
    k = state.key_matches[(env.id, key)] = state.key_matches.get((env.id, key), 0) + 1
    fired = seeding.unit(seed, env.id, key, k) < env.probability
    if fired:
        info.fired.append((active, Draw(seed, env.id, key, k)))
        if active.fault.latches:
            state.latched.add(env.id)
    return {"id": env.id, "kind": env.kind, "occurrence": k, "fired": fired}
