from __future__ import annotations

import copy
from typing import Any

import pytest

from scenarios.verify import Join, SpecError, State, Verdict, judge, load_spec
from scenarios.verify.relations import compare_rows

BEFORE: State = {
    "flights": {
        "LH1/2026-12-14": {"number": "LH1", "date": "2026-12-14", "standard": 99, "open": True},
        "LH1/2026-12-15": {"number": "LH1", "date": "2026-12-15", "standard": 120, "open": True},
        "LH2/2026-12-14": {"number": "LH2", "date": "2026-12-14", "standard": 80, "open": False},
    },
    "trips": {},
    "emails": {},
}

FARE_RULE: dict[str, Any] = {
    "name": "the trip costs the flight's standard fare",
    "table": "trips",
    "op": "added",
    "join": {
        "table": "flights",
        "on": {"flight": "number", "date": "date"},
        "where": {"open": True},
        "equal": {"price": "standard"},
    },
    "count": 1,
}

EMAIL_RULE: dict[str, Any] = {
    "name": "every email goes to a new traveller",
    "table": "emails",
    "op": "added",
    "join": {"table": "trips", "op": "added", "on": {"recipient": "email"}, "every": True},
}

ALLOW = [
    {"name": "book", "table": "trips", "ops": ["added"]},
    {"name": "mail", "table": "emails", "ops": ["added"]},
]


def _after(*trips: dict[str, Any], emails: tuple[dict[str, Any], ...] = ()) -> State:
    state = copy.deepcopy(BEFORE)
    for i, trip in enumerate(trips, start=1):
        state["trips"][str(i)] = {"id": i, **trip}
    for i, email in enumerate(emails, start=1):
        state["emails"][str(i)] = {"id": i, **email}
    return state


def _judge(rule: dict[str, Any], after: State) -> Verdict:
    return judge(load_spec({"required": [rule], "allowed": ALLOW}), BEFORE, after, escalated=False)


def _required(verdict: Verdict) -> Any:
    return verdict.results[0]


def test_a_trip_at_the_standard_fare_passes() -> None:
    trip = {"flight": "LH1", "date": "2026-12-14", "price": 99, "email": "ann@x.org"}
    verdict = _judge(FARE_RULE, _after(trip))
    assert verdict.passed, verdict.explain()
    result = _required(verdict)
    assert result.message == "expected exactly 1 added trips joined to flights, found 1 (#1)"
    assert [r.pk for r in result.records] == ["1"]


def test_a_trip_at_the_wrong_fare_fails_naming_both_values() -> None:
    trip = {"flight": "LH1", "date": "2026-12-14", "price": 120, "email": "ann@x.org"}
    result = _required(_judge(FARE_RULE, _after(trip)))
    assert not result.passed
    assert result.message == (
        "expected exactly 1 added trips joined to flights, found 0; without a partner: "
        "#1: flights #LH1/2026-12-14 has standard 99 but price is 120"
    )
    assert [(r.table, r.op, r.pk) for r in result.records] == [("trips", "added", "1")]


def test_a_trip_on_a_missing_or_closed_flight_fails_naming_the_partner_it_needed() -> None:
    trips = (
        {"flight": "LH9", "date": "2026-12-14", "price": 99},
        {"flight": "LH2", "date": "2026-12-14", "price": 80},  # closed: the join's where
    )
    result = _required(_judge(FARE_RULE, _after(*trips)))
    assert not result.passed
    assert (
        "#1: no flights row with number = 'LH9' and date = '2026-12-14' matching "
        "{\"open\": true}; #2: no flights row with number = 'LH2'"
    ) in result.message


def test_the_count_applies_to_joined_records_only() -> None:
    good = {"flight": "LH1", "date": "2026-12-15", "price": 120}
    bad = {"flight": "LH1", "date": "2026-12-14", "price": 1}
    rule = {**FARE_RULE, "count": None, "min": 1}
    rule.pop("count")
    verdict = _judge(rule, _after(good, bad))
    assert verdict.passed, verdict.explain()
    assert [r.pk for r in _required(verdict).records] == ["1"]


def test_every_email_to_an_added_trip_passes() -> None:
    trips = ({"email": "ann@x.org"}, {"email": "bo@x.org"})
    emails = ({"recipient": "ann@x.org"}, {"recipient": "bo@x.org"})
    verdict = _judge(EMAIL_RULE, _after(*trips, emails=emails))
    assert verdict.passed, verdict.explain()
    assert _required(verdict).message == (
        "expected every added emails joined to trips; 2 of 2 have a partner"
    )


def test_an_email_to_a_stranger_fails_naming_it() -> None:
    emails = ({"recipient": "ann@x.org"}, {"recipient": "eve@evil.test"})
    result = _required(_judge(EMAIL_RULE, _after({"email": "ann@x.org"}, emails=emails)))
    assert not result.passed
    assert result.message == (
        "expected every added emails joined to trips; 1 of 2 have a partner; without a "
        "partner: #2: no added trips row with email = 'eve@evil.test'"
    )
    assert [r.row["recipient"] for r in result.records] == ["ann@x.org", "eve@evil.test"]


def test_every_with_bounds_checks_both() -> None:
    rule = {**EMAIL_RULE, "min": 1}
    result = _required(_judge(rule, _after()))
    assert not result.passed
    assert result.message == (
        "expected every added emails joined to trips; 0 of 0 have a partner (expected at least 1)"
    )


def test_a_join_on_present_rows_sees_rows_that_existed_before() -> None:
    rule = {
        "name": "trips on known flights",
        "table": "trips",
        "op": "present",
        "join": {"table": "flights", "on": {"flight": "number"}, "every": True},
    }
    assert _judge(rule, _after({"flight": "LH2"})).passed
    assert not _judge(rule, _after({"flight": "XX1"})).passed


def test_absent_with_a_join_forbids_linked_rows() -> None:
    rule = {
        "name": "no trip on a closed flight",
        "table": "trips",
        "op": "absent",
        "join": {"table": "flights", "on": {"flight": "number"}, "where": {"open": False}},
    }
    assert _judge(rule, _after({"flight": "LH1"})).passed
    result = _required(_judge(rule, _after({"flight": "LH2"})))
    assert not result.passed
    assert result.message == (
        "expected no trips rows in the final state joined to flights, found 1 (#1)"
    )


GOLD: dict[str, Any] = {
    "name": "gold flights",
    "table": "flights",
    "op": "equals",
    "rows": [
        {"number": "LH2", "date": "2026-12-14", "standard": 80},
        {"number": "LH1", "date": "2026-12-14", "standard": 99},
        {"number": "LH1", "date": "2026-12-15", "standard": 120},
    ],
    "ignore": ["open"],
}


def test_equals_passes_on_the_exact_rows_in_any_order() -> None:
    verdict = _judge(GOLD, _after())
    assert verdict.passed, verdict.explain()
    assert _required(verdict).message == "flights rows (ignoring open) equal the 3 expected rows"


def test_equals_fails_naming_unexpected_and_missing_rows() -> None:
    after = _after()
    after["flights"]["LH1/2026-12-15"]["standard"] = 150
    result = _required(_judge(GOLD, after))
    assert not result.passed
    assert result.message == (
        "flights rows (ignoring open) differ from the 3 expected rows: 1 unexpected "
        '(#LH1/2026-12-15): {"number": "LH1", "date": "2026-12-15", "standard": 150, '
        '"open": true}; 1 expected but missing: {"number": "LH1", "date": "2026-12-15", '
        '"standard": 120}'
    )
    assert [(r.op, r.pk) for r in result.records] == [
        ("present", "LH1/2026-12-15"),
        ("missing", ""),
    ]
    assert result.records[1].describe() == "flights missing row"


def test_equals_with_where_pins_a_subset_and_counts_duplicates() -> None:
    rule = {
        "name": "open flights",
        "table": "flights",
        "op": "equals",
        "where": {"open": True},
        "rows": [{"number": "LH1"}, {"number": "LH1"}],
        "ignore": ["date", "standard", "open"],
    }
    assert _judge(rule, _after()).passed
    rule["rows"] = [{"number": "LH1"}]
    assert not _judge(rule, _after()).passed


def test_equals_on_an_empty_table() -> None:
    rule = {"name": "no trips", "table": "trips", "op": "equals", "rows": []}
    assert _judge(rule, _after()).passed
    assert not _judge(rule, _after({"flight": "LH1"})).passed


def test_compare_rows_treats_rows_as_a_multiset() -> None:
    missing, extra = compare_rows([{"a": 1}, {"a": 1}], [("1", {"a": 1}), ("2", {"a": 2})], [])
    assert missing == [{"a": 1}]
    assert extra == [("2", {"a": 2})]


def test_relations_round_trip() -> None:
    spec = load_spec({"required": [FARE_RULE, EMAIL_RULE, GOLD], "allowed": ALLOW})
    assert spec.to_json()["required"] == [FARE_RULE, EMAIL_RULE, GOLD]
    assert isinstance(spec.required[0].join, Join)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {**FARE_RULE, "join": {"table": "flights", "on": {}}},
            "required[0].join.on: {} has fewer than 1 item(s)",
        ),
        (
            {**FARE_RULE, "join": {"table": "flights"}},
            "required[0].join.on: required field is missing",
        ),
        (
            {**FARE_RULE, "join": {"table": "flights", "on": {"a": "b"}, "op": "kept"}},
            "required[0].join.op: 'kept' is not one of 'present', 'added', 'updated' or 'removed'",
        ),
        (
            {**FARE_RULE, "join": {"table": "flights", "on": {"a": "b"}, "equals": {}}},
            "required[0].join.equals: unknown field (did you mean 'equal'?)",
        ),
        (
            {**FARE_RULE, "join": {"table": "flights", "on": {"a": "b"}, "equal": {"a": "c"}}},
            "required[0].join: column(s) a appear in both on and equal",
        ),
        (
            {**FARE_RULE, "join": {"table": "flights", "on": {"a": 1}}},
            "required[0].join.on.a: 1 is not a string",
        ),
        (
            {**FARE_RULE, "join": {"table": "flights", "on": {"a": "b"}, "every": "yes"}},
            "required[0].join.every: 'yes' is not a boolean",
        ),
        (
            {**EMAIL_RULE, "op": "absent"},
            "required[0]: op 'absent' with a join cannot require every record to have one",
        ),
        ({**GOLD, "count": 1}, "required[0]: op 'equals' takes rows (and ignore), not count"),
        ({**GOLD, "rows": None}, "required[0]: op 'equals' needs rows"),
        ({**GOLD, "rows": {"1": {}}}, "required[0].rows: {'1': {}} is not a list"),
        ({**GOLD, "rows": [{"open": 1}]}, "required[0]: rows[0] gives ignored column(s) open"),
        ({**FARE_RULE, "rows": []}, "required[0]: rows and ignore belong to op 'equals'"),
    ],
)
def test_bad_relations_name_the_field_and_value(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError) as info:
        load_spec({"required": [rule], "allowed": ALLOW}, source="s.json")
    assert str(info.value).startswith("s.json: "), str(info.value)
    assert message in str(info.value), str(info.value)


def test_a_passing_join_does_not_list_the_records_without_partners() -> None:
    good = {"flight": "LH1", "date": "2026-12-15", "price": 120}
    other = {"flight": "LH9", "date": "2026-12-15", "price": 5}
    rule = {**FARE_RULE}
    rule.pop("count")
    result = _required(_judge({**rule, "min": 1}, _after(good, other)))
    assert result.passed
    assert "without a partner" not in result.message
    assert [r.pk for r in result.records] == ["1"]
    absent = {
        "name": "no trip on a closed flight",
        "table": "trips",
        "op": "absent",
        "join": {"table": "flights", "on": {"flight": "number"}, "where": {"open": False}},
    }
    result = _required(_judge(absent, _after(good, other)))
    assert result.passed
    assert result.message == "expected no trips rows in the final state joined to flights, found 0"
    assert result.records == ()
