"""Verdicts: the outcome of judging one episode, explaining every rule with its records."""

from __future__ import annotations

import json
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, model_validator

from scenarios.verify.diff import Change
from scenarios.verify.state import Row

RecordOp = Literal["added", "updated", "removed", "present", "missing", "request"]
"""How a record relates to a rule: a change from the diff, a row ``present`` at the end, a
row an ``equals`` requirement expected but the end state lacks (``missing``, no key), or a
``request`` from the episode's traffic (table ``http``, keyed by its ledger ``seq``)."""

RuleKind = Literal["required", "allowed", "forbidden", "network", "escalation"]
"""Which part of the spec a result comes from."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Record(_Frozen):
    """A record a rule looked at. `row` is the row after the change (or the last row seen,
    for ``removed``; the final row, for ``present``); `before` is set for updates only."""

    table: str
    op: RecordOp
    pk: str
    row: Row
    fields: tuple[str, ...] = ()
    before: Row | None = None

    @classmethod
    def of_change(cls, change: Change) -> Record:
        return cls(
            table=change.table,
            op=change.op,
            pk=change.pk,
            row=change.row,
            fields=change.fields,
            before=change.before,
        )

    @classmethod
    def of_row(cls, table: str, pk: str, row: Row) -> Record:
        return cls(table=table, op="present", pk=pk, row=row)

    @classmethod
    def of_missing(cls, table: str, row: Row) -> Record:
        return cls(table=table, op="missing", pk="", row=row)

    @classmethod
    def of_request(cls, row: Row) -> Record:
        return cls(table="http", op="request", pk=str(row.get("seq", "")), row=row)

    def describe(self) -> str:
        """A short label: ``bookings updated #2 (title)``, ``bookings #5`` for a present row,
        ``rooms missing row``, ``POST /api/bookings -> 201 (seq 12)`` for a request."""
        if self.op == "missing":
            return f"{self.table} missing row"
        if self.op == "request":
            status = self.row.get("status")
            outcome = status if status is not None else self.row.get("error") or "no response"
            return f"{self.row.get('method')} {self.row.get('path')} -> {outcome} (seq {self.pk})"
        op = "" if self.op == "present" else f" {self.op}"
        label = f"{self.table}{op} #{self.pk}"
        return f"{label} ({', '.join(self.fields)})" if self.fields else label


class RuleResult(_Frozen):
    """How one rule of the spec fared, with the records that matched (or offended) it."""

    name: str
    kind: RuleKind
    passed: bool
    message: str
    records: tuple[Record, ...] = ()

    def describe(self) -> str:
        """One line: ``FAIL required 'one booking': expected exactly 1 ..., found 2 (#5, #6)``."""
        return f"{'PASS' if self.passed else 'FAIL'} {self.kind} '{self.name}': {self.message}"


class Verdict(_Frozen):
    """The judgement of one episode: passed only if every result passed.

    Build it with `Verdict.of`; store it with `to_json` and read it back with `from_json`.
    """

    passed: bool
    results: tuple[RuleResult, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.passed != all(r.passed for r in self.results):
            raise ValueError(f"passed is {self.passed} but the results say {not self.passed}")
        return self

    @classmethod
    def of(cls, results: list[RuleResult] | tuple[RuleResult, ...]) -> Verdict:
        """The verdict of these results."""
        return cls(passed=all(r.passed for r in results), results=tuple(results))

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        """The failed results, in spec order."""
        return tuple(r for r in self.results if not r.passed)

    def summary(self) -> str:
        """One line: the first failure (and how many more), or ``PASS`` with the check count."""
        failures = self.failures
        if not failures:
            return f"PASS all {len(self.results)} checks held"
        line = failures[0].describe()
        if len(failures) > 1:
            line += f" (+{len(failures) - 1} more failures)"
        return line

    def explain(self) -> str:
        """Every result on its own line, each followed by its records."""
        lines = []
        for result in self.results:
            lines.append(result.describe())
            for record in result.records:
                lines.append(f"    {record.describe()}: {json.dumps(record.row, default=str)}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The verdict as JSON data (``before`` appears on updated records only)."""
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_json(cls, data: Any) -> Verdict:
        """Read back a verdict written by `to_json`."""
        return cls.model_validate(data)
