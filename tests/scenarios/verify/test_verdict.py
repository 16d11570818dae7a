from __future__ import annotations

import json

import pytest

from scenarios.verify import Change, Record, RuleResult, State, Verdict, judge, load_spec


def _result(name: str, passed: bool, **extra: object) -> RuleResult:
    return RuleResult.model_validate(
        {"name": name, "kind": "required", "passed": passed, "message": "m", **extra}
    )


def test_verdict_passes_only_if_every_result_passes() -> None:
    assert Verdict.of([_result("a", True), _result("b", True)]).passed
    verdict = Verdict.of([_result("a", True), _result("b", False), _result("c", False)])
    assert not verdict.passed
    assert [f.name for f in verdict.failures] == ["b", "c"]
    assert verdict.summary() == "FAIL required 'b': m (+1 more failures)"


def test_an_inconsistent_verdict_is_rejected() -> None:
    with pytest.raises(ValueError, match="passed is True but the results say False"):
        Verdict(passed=True, results=(_result("a", False),))


def test_verdict_json_round_trip_keeps_the_records() -> None:
    spec = load_spec(
        {
            "allowed": [{"name": "book", "table": "bookings", "ops": ["added"]}],
        }
    )
    before: State = {"bookings": {"1": {"id": 1, "title": "a", "note": None}}}
    after: State = {
        "bookings": {"1": {"id": 1, "title": "b", "note": None}, "2": {"id": 2, "note": None}}
    }
    verdict = judge(spec, before, after, escalated=False)
    data = verdict.to_json()
    assert Verdict.from_json(json.loads(json.dumps(data))) == verdict
    assert data["passed"] is False
    failure = next(r for r in data["results"] if not r["passed"])
    assert failure == {
        "name": "not-allowed: bookings updated #1 (title)",
        "kind": "allowed",
        "passed": False,
        "message": "no allowed rule permits this change",
        "records": [
            {
                "table": "bookings",
                "op": "updated",
                "pk": "1",
                "row": {"id": 1, "title": "b", "note": None},
                "fields": ["title"],
                "before": {"id": 1, "title": "a", "note": None},
            }
        ],
    }
    added = next(r for r in data["results"] if r["name"] == "book")["records"][0]
    assert added == {
        "table": "bookings",
        "op": "added",
        "pk": "2",
        "row": {"id": 2, "note": None},
        "fields": [],
    }


def test_explain_lists_every_result_with_its_records() -> None:
    spec = load_spec({"allowed": [{"name": "book", "table": "bookings", "ops": ["added"]}]})
    verdict = judge(spec, {}, {"bookings": {"2": {"id": 2}}}, escalated=True)
    assert verdict.explain() == (
        "PASS allowed 'book': permitted 1 change (#2)\n"
        '    bookings added #2: {"id": 2}\n'
        "FAIL escalation 'escalation': agent escalated on a solvable task"
    )


def test_record_describe() -> None:
    change = Change("bookings", "updated", "2", {"t": 1}, ("t",), {"t": 0})
    assert Record.of_change(change).describe() == "bookings updated #2 (t)"
    assert Record.of_row("bookings", "5", {}).describe() == "bookings #5"
