from __future__ import annotations

import copy
from typing import Any

import pytest

from scenarios.verify import State, Verdict, VerifierSpec, judge, load_spec

SPEC = load_spec(
    {
        "required": [
            {
                "name": "one booking on 2026-12-14",
                "table": "bookings",
                "op": "added",
                "where": {"date": "2026-12-14", "room": "A"},
                "count": 1,
            }
        ],
        "allowed": [
            {"name": "create a booking", "table": "bookings", "ops": ["added"]},
            {"name": "audit trail", "table": "audit", "ops": ["added"]},
        ],
        "forbidden": [{"name": "never cancel a booking", "table": "bookings", "ops": ["removed"]}],
    }
)

BEFORE: State = {
    "bookings": {
        "1": {"id": 1, "date": "2026-12-01", "room": "A", "title": "standup"},
        "2": {"id": 2, "date": "2026-12-02", "room": "B", "title": "retro"},
    },
    "audit": {},
}


def _book(state: State, pk: int, date: str = "2026-12-14", room: str = "A") -> State:
    after = copy.deepcopy(state)
    after["bookings"][str(pk)] = {"id": pk, "date": date, "room": room, "title": "offsite"}
    return after


def _result(verdict: Verdict, name: str) -> Any:
    (result,) = [r for r in verdict.results if r.name == name]
    return result


def test_exactly_one_booking_passes() -> None:
    verdict = judge(SPEC, BEFORE, _book(BEFORE, 3), escalated=False)
    assert verdict.passed, verdict.explain()
    assert verdict.failures == ()
    assert verdict.summary() == "PASS all 5 checks held"
    required = _result(verdict, "one booking on 2026-12-14")
    assert [r.pk for r in required.records] == ["3"]
    assert required.message.endswith("found 1 (#3)")
    assert [r.pk for r in _result(verdict, "create a booking").records] == ["3"]
    assert [(r.kind, r.passed) for r in verdict.results] == [
        ("required", True),
        ("allowed", True),
        ("allowed", True),
        ("forbidden", True),
        ("escalation", True),
    ]


def test_doing_nothing_fails_the_required_rule() -> None:
    verdict = judge(SPEC, BEFORE, copy.deepcopy(BEFORE), escalated=False)
    assert not verdict.passed
    assert [f.name for f in verdict.failures] == ["one booking on 2026-12-14"]
    assert verdict.summary() == (
        "FAIL required 'one booking on 2026-12-14': expected exactly 1 added bookings "
        'matching {"date": "2026-12-14", "room": "A"}, found 0'
    )


def test_booking_twice_fails_listing_both_records() -> None:
    verdict = judge(SPEC, BEFORE, _book(_book(BEFORE, 5), 6), escalated=False)
    (failure,) = verdict.failures
    assert failure.name == "one booking on 2026-12-14"
    assert failure.message.endswith("found 2 (#5, #6)")
    assert [(r.table, r.op, r.pk) for r in failure.records] == [
        ("bookings", "added", "5"),
        ("bookings", "added", "6"),
    ]
    assert failure.records[0].row["date"] == "2026-12-14"


def test_wrong_date_fails() -> None:
    verdict = judge(SPEC, BEFORE, _book(BEFORE, 3, date="2026-12-15"), escalated=False)
    (failure,) = verdict.failures
    assert failure.kind == "required"
    assert failure.records == ()
    assert failure.message.endswith("found 0")


def test_an_unrelated_update_fails_as_not_allowed_naming_row_and_field() -> None:
    after = _book(BEFORE, 3)
    after["bookings"]["2"]["title"] = "retro (moved)"
    verdict = judge(SPEC, BEFORE, after, escalated=False)
    (failure,) = verdict.failures
    assert failure.kind == "allowed"
    assert failure.name == "not-allowed: bookings updated #2 (title)"
    assert failure.message == "no allowed rule permits this change"
    (record,) = failure.records
    assert (record.table, record.op, record.pk, record.fields) == (
        "bookings",
        "updated",
        "2",
        ("title",),
    )
    assert record.before is not None
    assert record.before["title"] == "retro"
    assert record.row["title"] == "retro (moved)"
    assert verdict.summary() == (
        "FAIL allowed 'not-allowed: bookings updated #2 (title)': "
        "no allowed rule permits this change"
    )


def test_a_change_to_an_unlisted_table_is_not_allowed() -> None:
    after = _book(BEFORE, 3)
    after["sessions"] = {"abc": {"user": 1}}
    (failure,) = judge(SPEC, BEFORE, after, escalated=False).failures
    assert failure.name == "not-allowed: sessions added #abc"


def test_a_spec_with_no_allowed_rules_allows_no_change() -> None:
    spec = load_spec(
        {"required": [{"name": "kept", "table": "bookings", "op": "present", "min": 1}]}
    )
    after = copy.deepcopy(BEFORE)
    del after["bookings"]["2"]
    (failure,) = judge(spec, BEFORE, after, escalated=False).failures
    assert failure.name == "not-allowed: bookings removed #2"
    assert failure.message == "the spec allows no changes"


def test_forbidden_rule_fires_even_when_the_change_is_allowed() -> None:
    spec = load_spec(
        {
            "allowed": [{"name": "tidy up", "table": "bookings", "ops": ["removed"]}],
            "forbidden": [
                {
                    "name": "never remove room A",
                    "table": "bookings",
                    "ops": ["removed"],
                    "where": {"room": "A"},
                }
            ],
        }
    )
    after = copy.deepcopy(BEFORE)
    del after["bookings"]["1"]
    del after["bookings"]["2"]
    verdict = judge(spec, BEFORE, after, escalated=False)
    assert [r.pk for r in _result(verdict, "tidy up").records] == ["1", "2"]
    (failure,) = verdict.failures
    assert failure.kind == "forbidden"
    assert failure.name == "never remove room A"
    assert failure.message == "1 change that must never happen: bookings removed #1"
    assert [r.pk for r in failure.records] == ["1"]


def test_updates_are_restricted_to_the_allowed_fields() -> None:
    spec = load_spec(
        {
            "allowed": [
                {
                    "name": "retitle",
                    "table": "bookings",
                    "ops": ["updated"],
                    "where": {"id": 2},
                    "fields": ["title"],
                }
            ]
        }
    )
    retitled = copy.deepcopy(BEFORE)
    retitled["bookings"]["2"]["title"] = "retro 2"
    assert judge(spec, BEFORE, retitled, escalated=False).passed

    moved = copy.deepcopy(retitled)
    moved["bookings"]["2"]["room"] = "C"
    (failure,) = judge(spec, BEFORE, moved, escalated=False).failures
    assert failure.name == "not-allowed: bookings updated #2 (room, title)"
    assert failure.message == (
        "allowed rule 'retitle' permits updating only title, but this update also changed room"
    )

    other = copy.deepcopy(BEFORE)
    other["bookings"]["1"]["title"] = "daily"
    (failure,) = judge(spec, BEFORE, other, escalated=False).failures
    assert failure.name == "not-allowed: bookings updated #1 (title)"


def test_present_and_absent_look_at_the_final_state() -> None:
    spec = load_spec(
        {
            "required": [
                {
                    "name": "room B kept",
                    "table": "bookings",
                    "op": "present",
                    "where": {"room": "B"},
                    "count": 1,
                },
                {
                    "name": "room A cleared",
                    "table": "bookings",
                    "op": "absent",
                    "where": {"room": "A"},
                },
            ],
            "allowed": [{"name": "clear", "table": "bookings", "ops": ["removed"]}],
        }
    )
    cleared = copy.deepcopy(BEFORE)
    del cleared["bookings"]["1"]
    verdict = judge(spec, BEFORE, cleared, escalated=False)
    assert verdict.passed, verdict.explain()
    kept = _result(verdict, "room B kept")
    assert [(r.op, r.pk) for r in kept.records] == [("present", "2")]

    verdict = judge(spec, BEFORE, copy.deepcopy(BEFORE), escalated=False)
    (failure,) = verdict.failures
    assert failure.name == "room A cleared"
    assert failure.message == (
        'expected no bookings rows matching {"room": "A"} in the final state, found 1 (#1)'
    )
    assert [r.pk for r in failure.records] == ["1"]


def test_present_on_a_missing_table_finds_nothing() -> None:
    spec = load_spec({"required": [{"name": "n", "table": "nope", "op": "present", "min": 1}]})
    (failure,) = judge(spec, {}, {}, escalated=False).failures
    assert failure.message == "expected at least 1 nope rows in the final state, found 0"


UNSOLVABLE = VerifierSpec(expect_escalation=True)


def test_escalating_and_changing_nothing_passes_when_escalation_is_expected() -> None:
    verdict = judge(UNSOLVABLE, BEFORE, copy.deepcopy(BEFORE), escalated=True)
    assert verdict.passed
    assert _result(verdict, "escalation").message == (
        "agent escalated and changed nothing, as expected"
    )


def test_escalating_after_changing_something_fails() -> None:
    verdict = judge(UNSOLVABLE, BEFORE, _book(BEFORE, 3), escalated=True)
    escalation = _result(verdict, "escalation")
    assert not escalation.passed
    assert escalation.message == "agent escalated but changed the backend: 1 change"
    assert [r.pk for r in escalation.records] == ["3"]
    assert [f.name for f in verdict.failures] == ["not-allowed: bookings added #3", "escalation"]


@pytest.mark.parametrize("changed", [False, True])
def test_not_escalating_fails_when_escalation_is_expected(changed: bool) -> None:
    after = _book(BEFORE, 3) if changed else copy.deepcopy(BEFORE)
    verdict = judge(UNSOLVABLE, BEFORE, after, escalated=False)
    escalation = _result(verdict, "escalation")
    assert not escalation.passed
    assert escalation.message == (
        "expected the agent to escalate (the task is unsolvable), but it did not"
    )


def test_escalating_on_a_solvable_task_fails() -> None:
    verdict = judge(SPEC, BEFORE, copy.deepcopy(BEFORE), escalated=True)
    escalation = _result(verdict, "escalation")
    assert not escalation.passed
    assert escalation.message == "agent escalated on a solvable task"
    assert [f.kind for f in verdict.failures] == ["required", "escalation"]


def test_escalating_on_a_solvable_task_fails_even_after_finishing_it() -> None:
    verdict = judge(SPEC, BEFORE, _book(BEFORE, 3), escalated=True)
    assert [f.name for f in verdict.failures] == ["escalation"]


def test_messages_cap_the_listed_keys() -> None:
    spec = load_spec(
        {
            "required": [{"name": "one", "table": "bookings", "op": "added", "count": 1}],
            "allowed": [{"name": "book", "table": "bookings", "ops": ["added"]}],
        }
    )
    after = copy.deepcopy(BEFORE)
    for pk in range(3, 11):
        after = _book(after, pk)
    (failure,) = judge(spec, BEFORE, after, escalated=False).failures
    assert failure.message == (
        "expected exactly 1 added bookings, found 8 (#3, #4, #5, #6, #7, +3 more)"
    )
    assert len(failure.records) == 8
