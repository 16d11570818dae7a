"""The verifier a demonstration implies: required, allowed, forbidden, and what to ignore.

Every change the demonstration made is put in one of four places, each with its reason
(kept in ``recording.md`` for the user to confirm):

* **required**: a row the goal's values went into (:mod:`fuzzer.record.fields`), written as
  a rule through the goal fields (``{"title": "{title}", "day": "{day}"}``; a value stored
  as another row's key through a ``join`` on that row's label), exactly once;
* **ignore**: what the app writes on its own: tables and columns the no-op baseline changed
  (nobody acting), what writes carrying none of the goal's values changed (a login's
  session and last-login clock), what page loads changed, and rows a goal write added
  beside the goal's rows that carry a clock of the moment and none of the goal's values
  (an admin log);
* **allowed**: other rows the goal's own write changed (a counter, a side record), allowed
  but not required;
* **forbidden**: every other table of the app may not change at all, and the goal's tables
  may not change in any other way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from fuzzer.record.fields import GoalField

#: How far from the demonstration a stored clock may be to count as "the moment".
CLOCK_SLACK = dt.timedelta(hours=36)
_VERB = {"added": "add", "updated": "update", "removed": "remove"}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


@dataclass
class Inferred:
    """A verifier spec (JSON data, with ``{field}`` placeholders) and the reasons behind it."""

    spec: dict[str, Any]
    reasons: dict[str, str] = field(default_factory=dict)


def _is_clock(value: Any, at: float) -> bool:
    """Whether ``value`` is a time stamp of the demonstration's moment (text or epoch
    seconds, milliseconds or microseconds)."""
    moment = dt.datetime.fromtimestamp(at, tz=dt.UTC)
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            stamp = dt.datetime.fromisoformat(value.replace(" ", "T")[:26])
        except ValueError:
            return False
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        return abs(stamp - moment) <= CLOCK_SLACK
    if isinstance(value, int) and not isinstance(value, bool) and value > 10**9:
        for scale in (1, 10**3, 10**6):
            if abs(value / scale - at) <= CLOCK_SLACK.total_seconds():
                return True
    return False


def _carries(body: dict[str, Any], fields: list[GoalField]) -> bool:
    values = {str(v) for v in body.values()} | {
        str(x) for v in body.values() if isinstance(v, list) for x in v
    }
    return any(f.value in values or str(f.value) in str(body) for f in fields)


def _key(change: dict[str, Any]) -> tuple[str, str, str]:
    return change["table"], change["op"], change["pk"]


def infer_verifier(demo: Any, fields: list[GoalField]) -> Inferred:
    """The verifier of :class:`~fuzzer.record.capture.Demonstration` ``demo`` with goal
    ``fields`` (see the module docstring)."""
    out = Inferred({})
    ignore: dict[str, str] = {}

    def skip(change: dict[str, Any], reason: str) -> None:
        if change["op"] == "updated":
            for column in change["fields"]:
                ignore.setdefault(f"{change['table']}.{column}", reason)
        else:
            ignore.setdefault(change["table"], reason)

    for change in demo.baseline:
        skip(change, "changed by the app with nobody acting (the no-op baseline)")
    goal_tables = {f.table for f in fields}
    required: dict[tuple[str, str, str], dict[str, Any]] = {}
    allowed: list[dict[str, Any]] = []
    attributed: set[tuple[str, str, str]] = set()
    for request in demo.requests:
        effects = request.get("effects") or []
        attributed |= {_key(c) for c in effects}
        carries = _carries(request.get("body") or {}, fields)
        where = f"{request['method']} {request['path']}"
        for change in effects:
            table = change["table"]
            if table in ignore:
                continue
            holds = [f for f in fields if f.table == table]
            if holds and change["op"] in ("added", "updated"):
                required[_key(change)] = _requirement(change, holds)
            elif not carries:
                skip(change, f"written by {where}, which carries none of the goal's values")
            elif change["op"] == "added" and any(
                _is_clock(v, demo.recorded_at) for v in change["row"].values()
            ):
                skip(change, f"a record of {where} stamped with its time (a log)")
            else:
                allowed.append(_side_effect(change, where))
    for change in demo.changes:
        if _key(change) not in attributed and change["table"] not in goal_tables:
            skip(change, "written while a page loaded")
    out.spec = _spec(demo, list(required.values()), allowed, ignore)
    out.reasons = {f"ignore {k}": v for k, v in ignore.items()}
    return out


def _requirement(change: dict[str, Any], holds: list[GoalField]) -> dict[str, Any]:
    table, op = change["table"], change["op"]
    where: dict[str, Any] = {}
    join = None
    for f in holds:
        if f.join is None:
            where[f.column] = "{" + f.name + "}"
        elif join is None:
            join = {
                "table": f.join["table"],
                "on": {f.column: f.join["key"]},
                "where": {f.join["label"]: "{" + f.name + "}"},
            }
    if op == "updated":  # the task is about this record
        key = next((c for c, v in change["row"].items() if str(v) == change["pk"]), None)
        if key is not None:
            where.setdefault(key, change["row"][key])
    described = ", ".join(f"{c} {v}" for c, v in where.items())
    rule: dict[str, Any] = {
        "name": f"one {table} row {op} with {described}",
        "table": table,
        "op": op,
        "where": where,
    }
    if join is not None:
        rule["join"] = join
    rule["count"] = 1
    return rule


def _side_effect(change: dict[str, Any], where: str) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "name": f"{where} may {_VERB[change['op']]} {change['table']} rows",
        "table": change["table"],
        "ops": [change["op"]],
    }
    if change["op"] == "updated":
        rule["fields"] = list(change["fields"])
    return rule


def _spec(
    demo: Any,
    required: list[dict[str, Any]],
    side: list[dict[str, Any]],
    ignore: dict[str, str],
) -> dict[str, Any]:
    allowed = [
        {
            "name": f"the goal: {r['name']}",
            "table": r["table"],
            "ops": [r["op"]],
            "where": r["where"],
        }
        for r in required
    ]
    seen = {a["name"] for a in allowed}
    for rule in side:
        if rule["name"] not in seen:
            seen.add(rule["name"])
            allowed.append(rule)
    changed = {r["table"] for r in required} | {r["table"] for r in side}
    ops_of: dict[str, set[str]] = {}
    for rule in allowed:
        ops_of.setdefault(rule["table"], set()).update(rule["ops"])
    forbidden = []
    for table in demo.tables:
        if table in ignore:
            continue
        ops = [op for op in ("added", "updated", "removed") if op not in ops_of.get(table, ())]
        if not ops:
            continue
        name = (
            f"no {' or '.join(ops)} rows in {table}"
            if table in changed
            else f"no changes in {table}"
        )
        forbidden.append({"name": name, "table": table, "ops": ops})
    spec: dict[str, Any] = {"required": required, "allowed": allowed, "forbidden": forbidden}
    if ignore:
        spec["ignore"] = sorted(ignore)
    return spec
