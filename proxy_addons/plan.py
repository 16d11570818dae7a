"""An episode's plan: its seed, its network faults, and the page script to inject.

A plan is plain JSON::

    {"episode": "ep-0001", "seed": 7,
     "faults": [ <network fault envelopes> ],
     "page_script": "<JS evaluated in every HTML page of the episode>" | null,
     "hosts": ["app.example.com", "*.app.example.com"] | null}

**Scope.** A plan applies to the target app's own traffic only: requests to any other host
(a CDN, an analytics service, a login provider, the browser's or the harness's own calls)
get no fault and no page script, and are passed through untouched. ``hosts`` (host globs,
without port) says which hosts are the app. Without it the app is, in order: everything on a
reverse listener (it all goes to the upstream); the configured app host in forward mode
(``gymfuzz_app_host``, ``EmbeddedProxy(app_host=...)`` or the host of its ``upstream``,
``gymfuzz proxy --app-host``); else the host of the episode's first document request (page
load), and nothing before it. :mod:`proxy_addons.scope` has the rule.

Entries of ``faults`` whose ``layer`` is ``page`` are ignored here (they reach the page through
``page_script``), so a scenario as written in a pack is also a valid plan. Other top-level
keys are ignored. :func:`parse_plan` validates everything up front and raises
:class:`PlanError` naming the field and the value, so a bad plan never reaches a flow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from fielderrors import describe
from proxy_addons.envelope import NetworkEnvelope
from proxy_addons.faults import NetworkFault, make_fault, parse_params


class PlanError(ValueError):
    """A plan failed validation; the message names the field and the value."""


@dataclass(frozen=True)
class ActiveFault:
    """A validated fault instance: its envelope and the object that performs it."""

    envelope: NetworkEnvelope
    fault: NetworkFault


@dataclass(frozen=True)
class Plan:
    """A validated plan (see the module docstring)."""

    episode: str | None
    seed: int
    faults: tuple[ActiveFault, ...]
    page_script: str | None
    hosts: tuple[str, ...] | None = None
    #: some fault matches on the host (so the request's host must be read)
    needs_host: bool = False

    @property
    def page_script_sha256(self) -> str | None:
        """Hash of the page script, recorded in the ledger instead of the script itself."""
        if self.page_script is None:
            return None
        return hashlib.sha256(self.page_script.encode("utf-8")).hexdigest()


EMPTY_PLAN = Plan(episode=None, seed=0, faults=(), page_script=None)


def parse_plan(data: Any, *, source: str = "plan") -> Plan:
    """Validate a plan given as parsed JSON; raise :class:`PlanError` on any problem."""
    if not isinstance(data, Mapping):
        raise PlanError(f"{source}: expected a JSON object, got {type(data).__name__}")
    episode = data.get("episode")
    if episode is not None and (not isinstance(episode, str) or not episode):
        raise PlanError(f"{source}.episode: expected a non-empty string (got {episode!r})")
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise PlanError(f"{source}.seed: expected an integer (got {seed!r})")
    script = data.get("page_script")
    if script is not None and not isinstance(script, str):
        raise PlanError(f"{source}.page_script: expected a string or null (got {script!r})")
    raw_faults = data.get("faults", [])
    if not isinstance(raw_faults, list):
        raise PlanError(f"{source}.faults: expected a list (got {raw_faults!r})")
    faults = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_faults):
        where = f"{source}.faults[{i}]"
        if isinstance(raw, Mapping) and raw.get("layer") == "page":
            continue
        active = parse_fault(raw, where=where)
        if active.envelope.id in seen:
            raise PlanError(f"{where}.id: duplicate fault id {active.envelope.id!r}")
        seen.add(active.envelope.id)
        faults.append(active)
    hosts = data.get("hosts")
    if hosts is not None and (
        not isinstance(hosts, list) or not all(isinstance(h, str) and h for h in hosts)
    ):
        raise PlanError(f"{source}.hosts: expected a list of host globs or null (got {hosts!r})")
    return Plan(
        episode=episode,
        seed=seed,
        faults=tuple(faults),
        page_script=script,
        hosts=None if hosts is None else tuple(h.lower() for h in hosts),
        needs_host=any(f.envelope.match.host is not None for f in faults),
    )


def parse_fault(raw: Any, *, where: str = "fault") -> ActiveFault:
    """Validate one network fault envelope and its kind's params; :class:`PlanError` if bad."""
    try:
        env = NetworkEnvelope.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(describe(exc, where)) from None
    try:
        parse_params(env.kind, env.params, where=f"{where}.params")
    except ValueError as exc:
        unknown_kind = str(exc).startswith("unknown network fault kind")
        raise PlanError(f"{where}.kind: {exc}" if unknown_kind else str(exc)) from None
    return ActiveFault(env, make_fault(env.kind, env.params))
