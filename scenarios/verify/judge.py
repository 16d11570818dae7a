"""`judge`: decide an episode from the backend state before and after it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from scenarios.verify.diff import Change, diff_states, pk_sort_key
from scenarios.verify.spec import CHANGE_OPS, ChangeRule, Requirement, VerifierSpec, row_matches
from scenarios.verify.state import State
from scenarios.verify.verdict import Record, RuleResult, Verdict

_MAX_LISTED = 5  # records named inline in a message; all of them are in `records`


def judge(spec: VerifierSpec, before: State, after: State, *, escalated: bool) -> Verdict:
    """Judge one episode by its backend state, never by the screen.

    Diffs `before` against `after` and reports, in this order: one result per required rule
    (with the records it counted), one per allowed rule (with the changes it permitted), one
    failing ``not-allowed: ...`` result per change no allowed rule permits, one per forbidden
    rule (with the changes it caught), and one ``escalation`` result. The verdict passes only
    if every result passes.

    Args:
        spec: the task's verifier.
        before: the backend state when the episode started.
        after: the backend state when it ended.
        escalated: whether the agent reported that it could not finish the task.

    >>> spec = VerifierSpec.model_validate({
    ...     "required": [{"name": "booked", "table": "bookings", "op": "added", "count": 1}],
    ...     "allowed": [{"name": "book", "table": "bookings", "ops": ["added"]}],
    ... })
    >>> judge(spec, {}, {}, escalated=False).summary()
    "FAIL required 'booked': expected exactly 1 added bookings, found 0"
    >>> judge(spec, {}, {"bookings": {"5": {"id": 5}}}, escalated=False).summary()
    'PASS all 3 checks held'
    """
    changes = list(diff_states(before, after).changes())
    results = [_check_required(rule, changes, after) for rule in spec.required]
    results += _check_allowed(spec.allowed, changes)
    results += [_check_forbidden(rule, changes) for rule in spec.forbidden]
    results.append(_check_escalation(spec.expect_escalation, escalated, changes))
    return Verdict.of(results)


def _check_required(rule: Requirement, changes: Sequence[Change], after: State) -> RuleResult:
    matching = f" matching {_json(rule.where)}" if rule.where else ""
    if rule.op in CHANGE_OPS:
        records = [
            Record.of_change(c)
            for c in changes
            if c.table == rule.table and c.op == rule.op and row_matches(c.row, rule.where)
        ]
        subject = f"{rule.op} {rule.table}{matching}"
    else:
        rows = after.get(rule.table, {})
        records = [
            Record.of_row(rule.table, pk, rows[pk])
            for pk in sorted(rows, key=pk_sort_key)
            if row_matches(rows[pk], rule.where)
        ]
        subject = f"{rule.table} rows{matching} in the final state"
    found = len(records)
    message = f"expected {rule.expected()} {subject}, found {found}{_pks(records)}"
    return RuleResult(
        name=rule.name,
        kind="required",
        passed=rule.holds_for(found),
        message=message,
        records=tuple(records),
    )


def _check_allowed(rules: Sequence[ChangeRule], changes: Sequence[Change]) -> list[RuleResult]:
    results = []
    for rule in rules:
        permitted = [Record.of_change(c) for c in changes if rule.permits(c)]
        results.append(
            RuleResult(
                name=rule.name,
                kind="allowed",
                passed=True,
                message=f"permitted {_changes(len(permitted))}{_pks(permitted)}",
                records=tuple(permitted),
            )
        )
    for change in changes:
        if any(rule.permits(change) for rule in rules):
            continue
        results.append(
            RuleResult(
                name=f"not-allowed: {change.describe()}",
                kind="allowed",
                passed=False,
                message=_why_not_allowed(rules, change),
                records=(Record.of_change(change),),
            )
        )
    return results


def _why_not_allowed(rules: Sequence[ChangeRule], change: Change) -> str:
    if not rules:
        return "the spec allows no changes"
    for rule in rules:
        # The most useful hint: a rule that would permit this update but for its fields.
        if (
            rule.table == change.table
            and change.op in rule.ops
            and row_matches(change.row, rule.where)
            and not rule.permits_fields(change)
        ):
            extra = sorted(set(change.fields) - set(rule.fields or ()))
            return (
                f"allowed rule '{rule.name}' permits updating only {', '.join(rule.fields or ())}"
                f", but this update also changed {', '.join(extra)}"
            )
    return "no allowed rule permits this change"


def _check_forbidden(rule: ChangeRule, changes: Sequence[Change]) -> RuleResult:
    caught = [c for c in changes if rule.catches(c)]
    if caught:
        listed = ", ".join(c.describe() for c in caught[:_MAX_LISTED])
        more = f", +{len(caught) - _MAX_LISTED} more" if len(caught) > _MAX_LISTED else ""
        message = f"{_changes(len(caught))} that must never happen: {listed}{more}"
    else:
        message = "no such change"
    return RuleResult(
        name=rule.name,
        kind="forbidden",
        passed=not caught,
        message=message,
        records=tuple(Record.of_change(c) for c in caught),
    )


def _check_escalation(expected: bool, escalated: bool, changes: Sequence[Change]) -> RuleResult:
    records = tuple(Record.of_change(c) for c in changes)
    if expected and escalated and not changes:
        passed, message, records = True, "agent escalated and changed nothing, as expected", ()
    elif expected and escalated:
        passed = False
        message = f"agent escalated but changed the backend: {_changes(len(changes))}"
    elif expected:
        passed = False
        message = "expected the agent to escalate (the task is unsolvable), but it did not"
    elif escalated:
        passed, message, records = False, "agent escalated on a solvable task", ()
    else:
        passed, message, records = True, "agent did not escalate", ()
    return RuleResult(
        name="escalation", kind="escalation", passed=passed, message=message, records=records
    )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _changes(n: int) -> str:
    return f"{n} change" if n == 1 else f"{n} changes"


def _pks(records: Sequence[Record]) -> str:
    if not records:
        return ""
    shown = [f"#{r.pk}" for r in records[:_MAX_LISTED]]
    if len(records) > _MAX_LISTED:
        shown.append(f"+{len(records) - _MAX_LISTED} more")
    return f" ({', '.join(shown)})"
