from __future__ import annotations

import json
import re
from typing import Any

import pytest

from scenarios.verify import (
    Change,
    ChangeRule,
    Requirement,
    SpecError,
    VerifierSpec,
    judge,
    load_spec,
    row_matches,
)

BOOKING_SPEC: dict[str, Any] = {
    "required": [
        {
            "name": "one booking on 2026-12-14",
            "table": "bookings",
            "op": "added",
            "where": {"date": "2026-12-14", "room": "A"},
            "count": 1,
        },
        {"name": "guest kept", "table": "guests", "op": "present", "where": {"id": 1}, "min": 1},
        {"name": "no holds left", "table": "holds", "op": "absent"},
    ],
    "allowed": [
        {"name": "create a booking", "table": "bookings", "ops": ["added"]},
        {
            "name": "rename a guest",
            "table": "guests",
            "ops": ["updated"],
            "where": {"id": 1},
            "fields": ["name"],
        },
    ],
    "forbidden": [{"name": "never cancel", "table": "bookings", "ops": ["removed"]}],
}


def test_spec_json_round_trips_exactly() -> None:
    spec = load_spec(BOOKING_SPEC)
    assert spec.to_json() == BOOKING_SPEC
    assert load_spec(json.loads(json.dumps(spec.to_json()))) == spec


def test_defaults_are_left_out_of_the_json() -> None:
    spec = load_spec({"expect_escalation": True})
    assert spec == VerifierSpec(expect_escalation=True)
    assert spec.to_json() == {"expect_escalation": True}
    assert VerifierSpec().to_json() == {}


def test_spec_is_frozen() -> None:
    spec = load_spec(BOOKING_SPEC)
    with pytest.raises(ValueError, match="frozen"):
        spec.expect_escalation = True


def _req(**fields: Any) -> dict[str, Any]:
    return {"name": "r", "table": "bookings", **fields}


def _rule(**fields: Any) -> dict[str, Any]:
    return {"name": "a", "table": "bookings", **fields}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"required": [_req(op="added_twice", count=1)]},
            "required[0].op: 'added_twice' is not one of 'added', 'updated', 'removed', "
            "'present', 'absent'",
        ),
        (
            {"required": [_req(op="present", wher={}, count=1)]},
            "required[0].wher: unknown field (did you mean 'where'?)",
        ),
        (
            {"bogus": 1},
            "bogus: unknown field (got 1); expected one of required, allowed, forbidden, network, "
            "ignore, expect_escalation",
        ),
        (
            {"required": [{"name": "r", "op": "absent"}]},
            "required[0].table: required field is missing",
        ),
        ({"required": [_req(op="present")]}, "required[0]: op 'present' needs count, min or max"),
        (
            {"required": [_req(op="absent", max=0)]},
            "required[0]: op 'absent' takes no count, min or max",
        ),
        (
            {"required": [_req(op="present", count=1, min=1)]},
            "required[0]: give either count (exact) or min/max (bounds), not both",
        ),
        (
            {"required": [_req(op="present", min=3, max=1)]},
            "required[0]: min 3 is greater than max 1",
        ),
        (
            {"required": [_req(op="present", count=-1)]},
            "required[0].count: -1 is less than 0",
        ),
        (
            {"required": [_req(op="present", count="1")]},
            "required[0].count: '1' is not an integer",
        ),
        (
            {"required": [_req(op="present", count=True)]},
            "required[0].count: True is not an integer",
        ),
        (
            {"required": [_req(name="", op="absent")]},
            "required[0].name: '' is shorter than 1 character(s)",
        ),
        ({"required": {}}, "required: {} is not a list"),
        ({"required": [1]}, "required[0]: 1 is not an object"),
        (
            {"required": [_req(op="present", count=1, where={"date": {1, 2}})]},
            "required[0].where.date: {1, 2} is not a JSON value",
        ),
        ({"allowed": [_rule(ops=[])]}, "allowed[0].ops: [] has fewer than 1 item(s)"),
        ({"allowed": [_rule(ops="added")]}, "allowed[0].ops: 'added' is not a list"),
        (
            {"allowed": [_rule(ops=["added", "changed"])]},
            "allowed[0].ops[1]: 'changed' is not one of 'added', 'updated' or 'removed'",
        ),
        (
            {"allowed": [_rule(ops=["added"], fields=["title"])]},
            "allowed[0]: fields only applies to updates",
        ),
        ({"forbidden": [_rule(ops=["updated"], fields=[])]}, "forbidden[0]: fields is empty"),
        (
            {"allowed": [_rule(ops=["added"]), _rule(ops=["removed"])]},
            "allowed: duplicate rule name 'a'",
        ),
        ({"expect_escalation": "yes"}, "expect_escalation: 'yes' is not a boolean"),
        (
            {"required": [_req(op="added", count=1)]},
            "required[0] 'r' needs added bookings records, but no allowed rule permits added "
            "on bookings",
        ),
        (
            {
                "required": [_req(op="added", min=1)],
                "allowed": [_rule(ops=["added"])],
                "expect_escalation": True,
            },
            "required[0] 'r' needs added bookings records, but expect_escalation means nothing "
            "may change",
        ),
    ],
)
def test_bad_spec_names_the_field_and_value(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match="^scenario.json: .*" + re.escape(message)):
        load_spec(data, source="scenario.json")


def test_every_problem_is_reported_at_once() -> None:
    data = {"required": [_req(op="nope", count=1)], "allowed": [_rule(ops=[])]}
    with pytest.raises(SpecError) as info:
        load_spec(data)
    assert str(info.value) == (
        "<spec>: required[0].op: 'nope' is not one of 'added', 'updated', 'removed', 'present', "
        "'absent' or 'equals'; "
        "allowed[0].ops: [] has fewer than 1 item(s)"
    )


def test_a_spec_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(SpecError, match=r"^x: a verifier spec is a JSON object, got array$"):
        load_spec([], source="x")  # type: ignore[arg-type]


def test_a_required_count_of_zero_needs_no_allowed_rule() -> None:
    load_spec({"required": [_req(op="added", count=0)]})
    load_spec({"required": [_req(op="removed", max=2)]})


def test_ignore_leaves_tables_and_columns_out_of_the_judgement() -> None:
    spec = load_spec(
        {
            "required": [_req(op="added", count=1)],
            "allowed": [_rule(ops=["added"])],
            "ignore": ["sessions", "users.last_login"],
        }
    )
    before = {"users": {"1": {"id": 1, "last_login": "a"}}}
    after = {
        "users": {"1": {"id": 1, "last_login": "b"}},
        "sessions": {"k": {"key": "k"}},
        "bookings": {"5": {"id": 5}},
    }
    assert judge(spec, before, after, escalated=False).passed
    renamed = {**after, "users": {"1": {"id": 1, "last_login": "b", "name": "x"}}}
    verdict = judge(spec, before, renamed, escalated=False)
    assert [r.name for r in verdict.failures] == ["not-allowed: users updated #1 (name)"]
    with pytest.raises(SpecError, match=r"ignore\[0\]: 'a.b.c'"):
        load_spec({"ignore": ["a.b.c"]})


def test_row_matches_is_column_equality() -> None:
    row = {"date": "2026-12-14", "room": "A", "paid": 1, "note": None}
    assert row_matches(row, {})
    assert row_matches(row, {"date": "2026-12-14", "room": "A"})
    assert row_matches(row, {"paid": True})  # SQLite stores booleans as 0/1
    assert row_matches(row, {"note": None})
    assert not row_matches(row, {"date": "2026-12-15"})
    assert not row_matches(row, {"missing": None})


@pytest.mark.parametrize(
    ("bounds", "found", "holds", "words"),
    [
        ({"count": 1}, 1, True, "exactly 1"),
        ({"count": 1}, 2, False, "exactly 1"),
        ({"min": 1}, 3, True, "at least 1"),
        ({"max": 2}, 3, False, "at most 2"),
        ({"min": 1, "max": 3}, 0, False, "between 1 and 3"),
        ({"min": 2, "max": 2}, 2, True, "exactly 2"),
    ],
)
def test_requirement_bounds(bounds: dict[str, int], found: int, holds: bool, words: str) -> None:
    req = Requirement.model_validate(_req(op="present", **bounds))
    assert req.holds_for(found) is holds
    assert req.expected() == words


_UPDATE = Change(
    "bookings",
    "updated",
    "2",
    {"id": 2, "status": "cancelled", "price": 10},
    ("price", "status"),
    {"id": 2, "status": "confirmed", "price": 9},
)


def test_allowed_rule_permits_only_listed_fields() -> None:
    only_status = ChangeRule.model_validate(_rule(ops=["updated"], fields=["status"]))
    both = ChangeRule.model_validate(_rule(ops=["updated"], fields=["status", "price"]))
    assert not only_status.permits(_UPDATE)
    assert both.permits(_UPDATE)


def test_allowed_rule_matches_where_on_the_row_after_an_update() -> None:
    after = ChangeRule.model_validate(_rule(ops=["updated"], where={"status": "cancelled"}))
    before = ChangeRule.model_validate(_rule(ops=["updated"], where={"status": "confirmed"}))
    assert after.permits(_UPDATE)
    assert not before.permits(_UPDATE)


def test_forbidden_rule_catches_any_listed_field_and_where_on_either_side() -> None:
    price = ChangeRule.model_validate(_rule(ops=["updated"], fields=["price"]))
    title = ChangeRule.model_validate(_rule(ops=["updated"], fields=["title"]))
    was_confirmed = ChangeRule.model_validate(_rule(ops=["updated"], where={"status": "confirmed"}))
    other_table = ChangeRule.model_validate({**_rule(ops=["updated"]), "table": "guests"})
    assert price.catches(_UPDATE)
    assert not title.catches(_UPDATE)
    assert was_confirmed.catches(_UPDATE)
    assert not other_table.catches(_UPDATE)


def test_the_documented_spec_format_loads_and_round_trips() -> None:
    import scenarios.verify.spec as spec_module

    doc = spec_module.__doc__ or ""
    example = doc.split("::\n", 1)[1].split("\n\n", 1)[0]
    data = json.loads(example)
    spec = load_spec(data, source="spec docstring")
    assert {"required", "allowed", "forbidden", "network"} <= set(data)
    assert load_spec(spec.to_json()) == spec
