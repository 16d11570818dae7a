"""The shared envelope of a network fault: which requests it matches, when, how often.

A network fault instance in a plan or scenario reads::

    {"id": "err-1", "layer": "network", "kind": "http_error",
     "match": {"methods": ["POST"], "path": "/api/bookings*", "resource": "fetch"},
     "trigger": {"start": 1, "every": 1, "count": 1},
     "probability": 1.0,
     "params": {"status": 503, "when": "before"}}

``match`` selects requests (all of its fields must hold); ``trigger`` picks which matching
requests are candidates, counted per fault from 1 (``start``, then every ``every``-th, at most
``count`` times); ``probability`` then decides each candidate with a draw keyed by
``(seed, fault id, request key, occurrence of that key)``.
"""

from __future__ import annotations

import fnmatch
import re
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: Paths under this prefix belong to gymfuzz itself and are never matched nor forwarded.
RESERVED_PREFIX = "/__gymfuzz/"

ResourceType = Literal["document", "fetch", "asset", "any"]


def compile_linear(pattern: str) -> Any:
    """Compile a ``re:`` path pattern with RE2, which matches in time linear in the path.

    Python's ``re`` backtracks: one request whose path meets a pattern such as ``^(a+)+$``
    would hold the proxy's event loop, and with it every episode, for minutes. Rejecting such
    patterns at plan load cannot be done reliably (nested quantifiers are only one shape of
    the problem), so ``re:`` patterns use the RE2 syntax instead: Python's, minus
    backreferences and lookaround, which are rejected here with the engine's reason.
    Raises ``ValueError``.
    """
    import re2  # type: ignore[import-untyped]

    options = re2.Options()
    options.log_errors = False  # the reason is in the exception; keep stderr clean
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args else str(exc)
        raise ValueError(
            f"invalid regex (RE2 syntax: no backreferences or lookaround): {reason}"
        ) from None


class RequestMatch(BaseModel):
    """Which requests a fault applies to.

    Args:
        methods: HTTP methods (upper case); ``None`` matches any method.
        path: a glob (``/api/*``) over the URL path, or a regex when written ``re:^/api/\\d+$``
            (RE2 syntax, matched in linear time: see :func:`compile_linear`).
        host: a glob over the request host; ``None`` matches any host.
        resource: ``document`` (page loads), ``fetch`` (XHR/fetch), ``asset`` (scripts, styles,
            images, fonts) or ``any``; read from ``Sec-Fetch-Dest``, else ``Accept`` or the
            extension, else, for faults acting on the response, from the response's
            ``Content-Type`` (see :mod:`proxy_addons.classify`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    methods: tuple[str, ...] | None = None
    path: str = "*"
    host: str | None = None
    resource: ResourceType = "any"

    @field_validator("methods")
    @classmethod
    def _upper(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if v is None else tuple(m.upper() for m in v)

    @field_validator("path")
    @classmethod
    def _valid_pattern(cls, v: str) -> str:
        if v.startswith("re:"):
            compile_linear(v[3:])
        return v

    @cached_property
    def _path_re(self) -> Any:
        if self.path.startswith("re:"):
            return compile_linear(self.path[3:])
        # fnmatch's translation uses atomic groups: a glob matches in linear time.
        return re.compile(fnmatch.translate(self.path))

    def matches(self, method: str, host: str, path: str, resource: str) -> bool:
        """True if a request with these properties is in scope of the fault.

        ``resource="any"`` checks every field but the resource type (not known yet).
        """
        if self.methods is not None and method.upper() not in self.methods:
            return False
        if self.resource != "any" and resource not in ("any", self.resource):
            return False
        if self.host is not None and not fnmatch.fnmatchcase(host, self.host):
            return False
        return bool(self._path_re.match(path.split("?", 1)[0]))


class OccurrenceTrigger(BaseModel):
    """Which matching requests are candidates, counted per fault from 1.

    ``start=3, count=1`` is "the 3rd request only"; ``every=5`` is "every 5th";
    ``count=2`` is "the first two". ``count=None`` means no limit. With ``after_ms=2000``
    the counting only starts once 2 s have passed since the fault's first matching request
    (``count=1, after_ms=2000``: "the first matching request after the agent dawdled 2 s").
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(default=1, ge=1)
    every: int = Field(default=1, ge=1)
    count: int | None = Field(default=None, ge=1)
    after_ms: float = Field(default=0.0, ge=0.0, le=86_400_000.0)

    def waiting(self, since_first_ms: float) -> bool:
        """True while matching requests are not counted yet (see ``after_ms``)."""
        return since_first_ms < self.after_ms

    def is_candidate(self, occurrence: int) -> bool:
        """True if the ``occurrence``-th counted matching request (1-based) is a candidate."""
        if occurrence < self.start or (occurrence - self.start) % self.every:
            return False
        if self.count is None:
            return True
        return (occurrence - self.start) // self.every < self.count


class NetworkEnvelope(BaseModel):
    """A network fault instance as written in a plan; ``params`` are checked by its kind."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=120)
    layer: Literal["network"] = "network"
    kind: str
    match: RequestMatch = RequestMatch()
    trigger: OccurrenceTrigger = OccurrenceTrigger()
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    params: dict[str, Any] = Field(default_factory=dict)
