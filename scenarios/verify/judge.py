"""`judge`: decide an episode from the backend state before and after it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from scenarios.verify.base import row_matches
from scenarios.verify.diff import Change, diff_states, pk_sort_key
from scenarios.verify.network import Traffic, check_network
from scenarios.verify.relations import Join, compare_rows, find_partner, partner_rows
from scenarios.verify.spec import CHANGE_OPS, ChangeRule, Requirement, VerifierSpec
from scenarios.verify.state import Row, State
from scenarios.verify.verdict import Record, RuleResult, Verdict

_MAX_LISTED = 5  # records named inline in a message; all of them are in `records`


def judge(
    spec: VerifierSpec,
    before: State,
    after: State,
    *,
    escalated: bool,
    traffic: Traffic | None = None,
) -> Verdict:
    """Judge one episode by its backend state and traffic, never by the screen.

    Diffs `before` against `after` and reports, in this order: one result per required rule
    (with the records it counted), one per allowed rule (with the changes it permitted), one
    failing ``not-allowed: ...`` result per change no allowed rule permits, one per forbidden
    rule (with the changes it caught), one per network rule (with the requests it counted),
    and one ``escalation`` result. The verdict passes only if every result passes.

    Args:
        spec: the task's verifier.
        before: the backend state when the episode started.
        after: the backend state when it ended.
        escalated: whether the agent reported that it could not finish the task.
        traffic: the episode's requests, read from its ledger (``Traffic.read(path)``).
            Needed only by a spec with network rules; without it each of them fails.

    >>> spec = VerifierSpec.model_validate({
    ...     "required": [{"name": "booked", "table": "bookings", "op": "added", "count": 1}],
    ...     "allowed": [{"name": "book", "table": "bookings", "ops": ["added"]}],
    ... })
    >>> judge(spec, {}, {}, escalated=False).summary()
    "FAIL required 'booked': expected exactly 1 added bookings, found 0"
    >>> judge(spec, {}, {"bookings": {"5": {"id": 5}}}, escalated=False).summary()
    'PASS all 3 checks held'
    """
    before, after = spec.without_ignored(before), spec.without_ignored(after)
    changes = list(diff_states(before, after).changes())
    results = [_check_required(rule, changes, after) for rule in spec.required]
    results += _check_allowed(spec.allowed, changes)
    results += [_check_forbidden(rule, changes) for rule in spec.forbidden]
    results += [check_network(rule, traffic) for rule in spec.network]
    results.append(_check_escalation(spec.expect_escalation, escalated, changes))
    return Verdict.of(results)


def _check_required(rule: Requirement, changes: Sequence[Change], after: State) -> RuleResult:
    if rule.op == "equals":
        return _check_equals(rule, after)
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
    if rule.join is not None:
        return _check_joined(rule, rule.join, records, subject, changes, after)
    found = len(records)
    message = f"expected {rule.expected()} {subject}, found {found}{_pks(records)}"
    return RuleResult(
        name=rule.name,
        kind="required",
        passed=rule.holds_for(found),
        message=message,
        records=tuple(records),
    )


def _check_joined(
    rule: Requirement,
    join: Join,
    candidates: Sequence[Record],
    subject: str,
    changes: Sequence[Change],
    after: State,
) -> RuleResult:
    """Count the candidates that have a partner; name the ones that do not, and why."""
    partners = partner_rows(join, changes, after)
    counted: list[Record] = []
    orphans: list[tuple[Record, str]] = []
    for record in candidates:
        check = find_partner(join, record.row, partners)
        if check.partner is None:
            orphans.append((record, check.problem))
        else:
            counted.append(record)
    subject += f" joined to {join.table}"
    passed = rule.holds_for(len(counted)) and not (join.every and orphans)
    message = f"expected {rule.expected()} {subject}, found {len(counted)}{_pks(counted)}"
    if join.every:
        message = f"expected every {subject}; {len(counted)} of {len(candidates)} have a partner"
        if rule.has_bounds and not rule.holds_for(len(counted)):
            message += f" (expected {rule.expected()})"
    # A failure explains itself with the records that found no partner, and why (for
    # 'absent' those are the good ones: its offenders are the records it counted).
    explain = orphans if not passed and rule.op != "absent" else []
    if explain:
        shown = "; ".join(f"#{r.pk}: {why}" for r, why in explain[:_MAX_LISTED])
        more = f"; +{len(explain) - _MAX_LISTED} more" if len(explain) > _MAX_LISTED else ""
        message += f"; without a partner: {shown}{more}"
    records = counted + [r for r, _ in explain]
    return RuleResult(
        name=rule.name, kind="required", passed=passed, message=message, records=tuple(records)
    )


def _check_equals(rule: Requirement, after: State) -> RuleResult:
    rows = after.get(rule.table, {})
    actual = [
        (pk, rows[pk]) for pk in sorted(rows, key=pk_sort_key) if row_matches(rows[pk], rule.where)
    ]
    expected: list[Row] = [dict(row) for row in rule.rows or ()]
    missing, unexpected = compare_rows(expected, actual, rule.ignore)
    matching = f" matching {_json(rule.where)}" if rule.where else ""
    ignoring = f" (ignoring {', '.join(rule.ignore)})" if rule.ignore else ""
    subject = f"{rule.table} rows{matching}{ignoring}"
    records = [Record.of_row(rule.table, pk, row) for pk, row in unexpected]
    records += [Record.of_missing(rule.table, row) for row in missing]
    if not records:
        message = f"{subject} equal the {len(expected)} expected rows"
    else:
        parts = []
        if unexpected:
            shown = ", ".join(_json(row) for _, row in unexpected[:_MAX_LISTED])
            parts.append(f"{len(unexpected)} unexpected{_pks(records[: len(unexpected)])}: {shown}")
        if missing:
            shown = ", ".join(_json(row) for row in missing[:_MAX_LISTED])
            parts.append(f"{len(missing)} expected but missing: {shown}")
        message = f"{subject} differ from the {len(expected)} expected rows: {'; '.join(parts)}"
    return RuleResult(
        name=rule.name, kind="required", passed=not records, message=message, records=tuple(records)
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
