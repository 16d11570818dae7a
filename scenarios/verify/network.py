"""Network rules: facts about an episode's HTTP traffic, judged from the proxy's ledger.

Some checks cannot be read from a database: "exactly one successful booking POST", "no
DELETE ever", "no write was lost before it reached the backend". A spec's
``network`` section states them::

    "network": [
      {"name": "one successful booking POST", "method": "POST", "path": "/api/bookings",
       "status": "2xx", "count": 1},
      {"name": "no DELETE ever", "method": "DELETE", "count": 0},
      {"name": "no write lost before the backend", "method": ["POST", "PATCH"],
       "reached_backend": false, "max": 0}
    ]

A rule counts the episode's requests that match every field it gives:

* `method`: one method or a list (case-insensitive);
* `path`: a glob over the URL path without its query (``/api/bookings/*``; ``*`` also
  crosses ``/``), or a regex written ``re:^/api/bookings/\\d+$`` — the same forms a fault's
  ``match.path`` takes;
* `host`: a glob over the request host (``api.example.com``, ``*.example.com``); judged
  only when the ledger records each request's ``host`` (otherwise the rule fails, saying so);
* `status`: an exact code (``201``), a class (``"2xx"``, ``"5xx"``), or a list of those; a
  request that got no response (connection killed, or the ledger ended first) has no status
  and never matches a `status`;
* `reached_backend`: whether the request got to the app (false when a fault answered or
  killed it first); unknown when the ledger has no outcome for it, which matches neither.

The count must be exactly `count`, or within `min`..`max`; every rule needs one of them.
gymfuzz's own reserved paths (``/__gymfuzz/...``) are never counted; requests the proxy
passed through to other hosts (outside the app's scope) are counted like any other.

`Traffic` is the episode's requests, read from a ledger with `Traffic.read` or built from
ledger records with `Traffic.from_records`; pass it to ``judge(..., traffic=...)``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import Field, field_validator, model_validator

from proxy_addons.envelope import RESERVED_PREFIX
from proxy_addons.ledger import read_ledger
from scenarios.verify.base import Bound, Counted, Name, SpecModel
from scenarios.verify.verdict import Record, RuleResult

_MAX_LISTED = 5  # requests named inline in a message; all of them are in the records
_STATUS_CLASS = re.compile(r"^[1-5]xx$")
_METHOD = re.compile(r"^[A-Za-z]+$")

StatusPattern = int | str


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request of the episode and what became of it.

    `seq` is the ledger sequence number of its request record; `status` is None when no
    response was delivered; `reached_backend` is None when the ledger does not say.
    """

    seq: int
    method: str
    path: str
    status: int | None = None
    reached_backend: bool | None = None
    error: str | None = None
    faults: tuple[str, ...] = field(default=())
    host: str | None = None

    def describe(self) -> str:
        """``POST /api/bookings -> 201 (seq 12)``."""
        outcome = str(self.status) if self.status is not None else (self.error or "no response")
        return f"{self.method} {self.path} -> {outcome} (seq {self.seq})"

    def to_row(self) -> dict[str, Any]:
        """The exchange as a verdict record row."""
        row: dict[str, Any] = {
            "seq": self.seq,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "reached_backend": self.reached_backend,
        }
        if self.host is not None:
            row["host"] = self.host
        if self.error is not None:
            row["error"] = self.error
        if self.faults:
            row["faults"] = list(self.faults)
        return row


@dataclass(frozen=True, slots=True)
class Traffic:
    """The requests of one episode, in the order the proxy saw them.

    >>> traffic = Traffic.from_records([
    ...     {"seq": 3, "type": "request", "flow": "f1", "method": "POST", "path": "/api/b"},
    ...     {"seq": 4, "type": "response", "flow": "f1", "status": 201, "reached_backend": True},
    ... ])
    >>> [e.describe() for e in traffic.exchanges]
    ['POST /api/b -> 201 (seq 3)']
    """

    exchanges: tuple[Exchange, ...] = ()

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Traffic:
        """Pair the ledger's ``request`` records with their ``response`` or ``error`` record
        (by flow id). Reserved ``/__gymfuzz/`` paths and other record types are skipped.

        Each run of an episode starts with a ``plan`` record; a ledger file holding several
        runs of the same episode id (they append) yields the last run only."""
        requests: dict[str, dict[str, Any]] = {}
        for record in records:
            kind, flow = record.get("type"), record.get("flow")
            if kind == "plan":
                requests.clear()
            if not isinstance(flow, str):
                continue
            if kind == "request" and not str(record.get("path", "")).startswith(RESERVED_PREFIX):
                requests[flow] = {
                    "seq": int(record.get("seq", -1)),
                    "method": str(record.get("method", "")).upper(),
                    "path": str(record.get("path", "")),
                }
                if isinstance(record.get("host"), str):
                    requests[flow]["host"] = record["host"].lower()
            elif kind in ("response", "error") and flow in requests:
                outcome = requests[flow]
                status = record.get("status")
                outcome["status"] = status if isinstance(status, int) else None
                reached = record.get("reached_backend")
                outcome["reached_backend"] = reached if isinstance(reached, bool) else None
                if kind == "error":
                    outcome["error"] = str(record.get("error") or "error")
                outcome["faults"] = _fault_kinds(record.get("faults"))
        exchanges = sorted((Exchange(**fields) for fields in requests.values()), key=_by_seq)
        return cls(tuple(exchanges))

    @classmethod
    def read(cls, path: Path) -> Traffic:
        """The traffic recorded in a ledger file (a missing file raises `FileNotFoundError`)."""
        return cls.from_records(read_ledger(path))


def _by_seq(exchange: Exchange) -> int:
    return exchange.seq


def _fault_kinds(facts: object) -> tuple[str, ...]:
    if not isinstance(facts, list):
        return ()
    kinds = (str(f.get("kind")) for f in facts if isinstance(f, Mapping) and f.get("kind"))
    return tuple(dict.fromkeys(kinds))


class NetworkRule(Counted, SpecModel):
    """Count the episode's requests that match `method`, `path`, `status` and
    `reached_backend` (each optional); the count must meet `count` or `min`/`max`.

    >>> rule = NetworkRule.model_validate(
    ...     {"name": "one booking", "method": "post", "path": "/api/bookings",
    ...      "status": "2xx", "count": 1})
    >>> rule.matches(Exchange(0, "POST", "/api/bookings?x=1", 201, True))
    True
    >>> rule.describe_match()
    'POST /api/bookings with status 2xx'
    """

    name: Name
    method: str | tuple[str, ...] | None = None
    path: str | None = None
    host: str | None = None
    status: StatusPattern | tuple[StatusPattern, ...] | None = None
    reached_backend: Annotated[bool, Field(strict=True)] | None = None
    count: Bound = None
    min: Bound = None
    max: Bound = None

    @field_validator("method")
    @classmethod
    def _check_method(cls, value: str | tuple[str, ...] | None) -> str | tuple[str, ...] | None:
        if value is None:
            return None
        methods = (value,) if isinstance(value, str) else value
        if not methods:
            raise ValueError("method list is empty, which matches nothing; drop it or list one")
        for method in methods:
            if not _METHOD.match(method):
                raise ValueError(f"{method!r} is not an HTTP method (GET, POST, ...)")
        upper = tuple(m.upper() for m in methods)
        return upper[0] if isinstance(value, str) else upper

    @field_validator("path")
    @classmethod
    def _check_path(cls, value: str | None) -> str | None:
        if value is not None and value.startswith("re:"):
            try:
                re.compile(value[3:])
            except re.error as exc:
                raise ValueError(f"{value!r} is not a valid regex: {exc}") from None
        return value

    @field_validator("status", mode="before")
    @classmethod
    def _check_status(cls, value: Any) -> Any:
        # Checked by hand, before pydantic: its error for a union lists every branch.
        if value is None:
            return None
        patterns = value if isinstance(value, list | tuple) else (value,)
        if not patterns:
            raise ValueError("status list is empty, which matches nothing; drop it or list one")
        for pattern in patterns:
            if isinstance(pattern, int) and not isinstance(pattern, bool):
                if not 100 <= pattern <= 599:
                    raise ValueError(f"{pattern} is not an HTTP status (100 to 599)")
            elif not (isinstance(pattern, str) and _STATUS_CLASS.match(pattern)):
                raise ValueError(
                    f"{pattern!r} is not a status: give a code like 201, a class like "
                    '"2xx" (1xx to 5xx), or a list of those'
                )
        return value

    @model_validator(mode="after")
    def _check_counts(self) -> Self:
        if not self.has_bounds:
            raise ValueError('a network rule needs count, min or max ("count": 0 means never)')
        self.check_bounds()
        return self

    @cached_property
    def _path_re(self) -> re.Pattern[str] | None:
        if self.path is None:
            return None
        if self.path.startswith("re:"):
            return re.compile(self.path[3:])
        return re.compile(fnmatch.translate(self.path))

    def matches(self, exchange: Exchange) -> bool:
        """Whether `exchange` is one of the requests this rule counts."""
        methods = (self.method,) if isinstance(self.method, str) else self.method
        if methods is not None and exchange.method.upper() not in methods:
            return False
        if self._path_re is not None and not self._path_re.match(exchange.path.split("?", 1)[0]):
            return False
        if self.host is not None and not (
            exchange.host is not None and fnmatch.fnmatchcase(exchange.host, self.host.lower())
        ):
            return False
        if self.status is not None and not _status_matches(self.status, exchange.status):
            return False
        return self.reached_backend is None or exchange.reached_backend is self.reached_backend

    def describe_match(self) -> str:
        """What the rule counts, in words: ``POST /api/bookings with status 2xx``."""
        methods = (self.method,) if isinstance(self.method, str) else self.method
        words = ["/".join(methods)] if methods else []
        words.append(self.path or "requests")
        if self.host is not None:
            words.append(f"on {self.host}")
        if self.status is not None:
            statuses = self.status if isinstance(self.status, tuple) else (self.status,)
            words.append(f"with status {' or '.join(map(str, statuses))}")
        if self.reached_backend is not None:
            words.append("that reached" if self.reached_backend else "that never reached")
            words.append("the backend")
        return " ".join(words)


def _status_matches(pattern: int | str | tuple[int | str, ...], status: int | None) -> bool:
    if status is None:
        return False
    patterns = pattern if isinstance(pattern, tuple) else (pattern,)
    for p in patterns:
        if isinstance(p, int) and status == p:
            return True
        if isinstance(p, str) and str(status)[:1] == p[0]:
            return True
    return False


def check_network(rule: NetworkRule, traffic: Traffic | None) -> RuleResult:
    """Judge one network rule against the episode's traffic.

    Without traffic the rule fails (it cannot be judged, so it must not pass silently).
    """
    if traffic is None:
        return RuleResult(
            name=rule.name,
            kind="network",
            passed=False,
            message="no traffic to judge this rule by; pass the episode's ledger "
            "(judge(..., traffic=Traffic.read(ledger_path)))",
        )
    if rule.host is not None and any(e.host is None for e in traffic.exchanges):
        # Counting nothing would let "count": 0 pass without looking: refuse instead.
        return RuleResult(
            name=rule.name,
            kind="network",
            passed=False,
            message=f"the rule matches host {rule.host!r}, but the ledger does not record "
            "the host of every request; drop host from the rule",
        )
    matched = [e for e in traffic.exchanges if rule.matches(e)]
    listed = "; ".join(e.describe() for e in matched[:_MAX_LISTED])
    if len(matched) > _MAX_LISTED:
        listed += f"; +{len(matched) - _MAX_LISTED} more"
    found = f"found {len(matched)}" + (f": {listed}" if listed else "")
    return RuleResult(
        name=rule.name,
        kind="network",
        passed=rule.holds_for(len(matched)),
        message=f"expected {rule.expected()} {rule.describe_match()}, {found}",
        records=tuple(Record.of_request(e.to_row()) for e in matched),
    )
