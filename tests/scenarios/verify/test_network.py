from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from proxy_addons.ledger import Ledger
from scenarios.verify import (
    Exchange,
    NetworkRule,
    SpecError,
    Traffic,
    Verdict,
    judge,
    load_spec,
)


def _flow(
    flow: str, method: str, path: str, status: int | None, *, reached: bool = True
) -> list[dict[str, Any]]:
    """The request and response records the proxy writes for one flow."""
    return [
        {"type": "request", "flow": flow, "method": method, "path": path, "decisions": []},
        {
            "type": "response",
            "flow": flow,
            "method": method,
            "path": path,
            "status": status,
            "reached_backend": reached,
            "faults": [],
        },
    ]


def _ledger(*flows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [{"type": "plan", "episode": "e1"}]
    for flow in flows:
        records.extend(flow)
    return [{"seq": i, **r} for i, r in enumerate(records)]


BOOKING_TRAFFIC = Traffic.from_records(
    _ledger(
        _flow("f1", "GET", "/", 200),
        _flow("f2", "GET", "/api/bookings?day=2026-12-14", 200),
        _flow("f3", "POST", "/api/bookings", 503, reached=False),
        _flow("f4", "POST", "/api/bookings", 201),
        # the page runtime's own event post: answered by the proxy, never counted
        [
            {
                "type": "response",
                "flow": "f5",
                "method": "POST",
                "path": "/__gymfuzz/events",
                "status": 204,
                "reached_backend": False,
            }
        ],
        _flow("f6", "POST", "/__gymfuzz/control/plans", 200, reached=False),
    )
)


def _spec(*rules: dict[str, Any]) -> Any:
    return load_spec({"network": list(rules)})


def _only(verdict: Verdict, name: str) -> Any:
    (result,) = [r for r in verdict.results if r.name == name]
    return result


def test_traffic_pairs_requests_with_their_outcome_and_skips_reserved_paths() -> None:
    assert [e.describe() for e in BOOKING_TRAFFIC.exchanges] == [
        "GET / -> 200 (seq 1)",
        "GET /api/bookings?day=2026-12-14 -> 200 (seq 3)",
        "POST /api/bookings -> 503 (seq 5)",
        "POST /api/bookings -> 201 (seq 7)",
    ]
    assert BOOKING_TRAFFIC.exchanges[2].reached_backend is False


def test_error_records_and_unfinished_requests() -> None:
    records = _ledger(
        [
            {"type": "request", "flow": "a", "method": "post", "path": "/api/x"},
            {
                "type": "error",
                "flow": "a",
                "error": "connection killed",
                "reached_backend": True,
                "faults": [{"id": "k", "kind": "connection_reset"}],
            },
        ],
        [{"type": "request", "flow": "b", "method": "GET", "path": "/api/y"}],
    )
    killed, unfinished = Traffic.from_records(records).exchanges
    assert killed == Exchange(
        1, "POST", "/api/x", None, True, "connection killed", ("connection_reset",)
    )
    assert killed.describe() == "POST /api/x -> connection killed (seq 1)"
    assert unfinished == Exchange(3, "GET", "/api/y")
    assert unfinished.describe() == "GET /api/y -> no response (seq 3)"


def test_a_ledger_with_several_runs_yields_the_last_one() -> None:
    first = _ledger(_flow("f1", "DELETE", "/api/bookings/1", 204))
    second = _ledger(_flow("f2", "POST", "/api/bookings", 201))
    traffic = Traffic.from_records(first + second)
    assert [(e.method, e.seq) for e in traffic.exchanges] == [("POST", 1)]


def test_traffic_is_read_from_a_real_ledger_file(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "e1.jsonl")
    for record in _ledger(_flow("f1", "POST", "/api/bookings", 201))[1:]:
        ledger.write({k: v for k, v in record.items() if k != "seq"})
    ledger.close()
    (exchange,) = Traffic.read(tmp_path / "e1.jsonl").exchanges
    assert exchange == Exchange(0, "POST", "/api/bookings", 201, True)


def test_exactly_one_successful_booking_post_passes_naming_the_request() -> None:
    rule = {
        "name": "one successful booking POST",
        "method": "POST",
        "path": "/api/bookings",
        "status": "2xx",
        "count": 1,
    }
    verdict = judge(_spec(rule), {}, {}, escalated=False, traffic=BOOKING_TRAFFIC)
    assert verdict.passed, verdict.explain()
    result = _only(verdict, "one successful booking POST")
    assert result.kind == "network"
    assert result.message == (
        "expected exactly 1 POST /api/bookings with status 2xx, found 1: "
        "POST /api/bookings -> 201 (seq 7)"
    )
    (record,) = result.records
    assert (record.table, record.op, record.pk) == ("http", "request", "7")
    assert record.row == {
        "seq": 7,
        "method": "POST",
        "path": "/api/bookings",
        "status": 201,
        "reached_backend": True,
    }
    assert record.describe() == "POST /api/bookings -> 201 (seq 7)"


def test_two_booking_posts_fail_naming_both() -> None:
    rule = {"name": "one booking POST", "method": "POST", "path": "/api/bookings", "count": 1}
    verdict = judge(_spec(rule), {}, {}, escalated=False, traffic=BOOKING_TRAFFIC)
    assert not verdict.passed
    assert verdict.summary() == (
        "FAIL network 'one booking POST': expected exactly 1 POST /api/bookings, found 2: "
        "POST /api/bookings -> 503 (seq 5); POST /api/bookings -> 201 (seq 7)"
    )
    assert [r.pk for r in _only(verdict, "one booking POST").records] == ["5", "7"]


@pytest.mark.parametrize(
    ("rule", "found"),
    [
        ({"method": "DELETE", "count": 0}, 0),
        ({"method": ["get", "DELETE"], "min": 2}, 2),
        ({"path": "/api/*", "min": 1}, 3),  # the query string is not part of the path
        ({"path": "re:^/api/bookings$", "count": 3}, 3),
        ({"status": 503, "count": 1}, 1),
        ({"status": ["5xx", 201], "count": 2}, 2),
        ({"status": "4xx", "count": 0}, 0),
        ({"reached_backend": False, "count": 1}, 1),
        ({"reached_backend": True, "method": "POST", "max": 1}, 1),
        ({"min": 4, "max": 4}, 4),  # every request, reserved paths excluded
    ],
)
def test_rule_fields_select_requests(rule: dict[str, Any], found: int) -> None:
    spec = _spec({"name": "r", **rule})
    result = _only(judge(spec, {}, {}, escalated=False, traffic=BOOKING_TRAFFIC), "r")
    assert result.passed, result.message
    assert len(result.records) == found


def test_no_delete_ever_fails_naming_the_delete() -> None:
    traffic = Traffic.from_records(_ledger(_flow("f1", "DELETE", "/api/bookings/1", 204)))
    spec = _spec({"name": "no DELETE ever", "method": "DELETE", "count": 0})
    verdict = judge(spec, {}, {}, escalated=False, traffic=traffic)
    assert verdict.summary() == (
        "FAIL network 'no DELETE ever': expected exactly 0 DELETE requests, found 1: "
        "DELETE /api/bookings/1 -> 204 (seq 1)"
    )


def test_a_request_without_a_response_has_no_status_and_unknown_backend() -> None:
    traffic = Traffic.from_records(
        _ledger([{"type": "request", "flow": "f", "method": "POST", "path": "/api/b"}])
    )
    for rule in ({"status": ["2xx", "5xx"]}, {"reached_backend": True}, {"reached_backend": False}):
        spec = _spec({"name": "r", **rule, "count": 0})
        assert judge(spec, {}, {}, escalated=False, traffic=traffic).passed


def test_network_rules_without_traffic_fail_clearly() -> None:
    spec = _spec({"name": "no DELETE ever", "method": "DELETE", "count": 0})
    verdict = judge(spec, {}, {}, escalated=False)
    assert not verdict.passed
    assert verdict.summary().startswith(
        "FAIL network 'no DELETE ever': no traffic to judge this rule by; pass the episode's ledger"
    )


def test_a_spec_without_network_rules_needs_no_traffic() -> None:
    spec = load_spec({"allowed": [{"name": "any", "table": "t", "ops": ["added"]}]})
    assert judge(spec, {}, {}, escalated=False).passed


def test_network_rules_round_trip_and_describe() -> None:
    data = {
        "network": [
            {"name": "a", "method": "post", "path": "/api/b", "status": ["2xx", 409], "count": 1},
            {"name": "b", "reached_backend": False, "max": 0},
        ]
    }
    spec = load_spec(data)
    assert spec.to_json() == {
        "network": [
            {"name": "a", "method": "POST", "path": "/api/b", "status": ["2xx", 409], "count": 1},
            {"name": "b", "reached_backend": False, "max": 0},
        ]
    }
    assert load_spec(json.loads(json.dumps(spec.to_json()))) == spec
    assert spec.network[0].describe_match() == "POST /api/b with status 2xx or 409"
    assert spec.network[1].describe_match() == "requests that never reached the backend"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"method": "DELETE"}, 'network[0]: a network rule needs count, min or max ("count": 0'),
        ({"method": "GET POST", "count": 0}, "network[0].method: 'GET POST' is not an HTTP method"),
        ({"method": [], "count": 0}, "network[0].method: method list is empty"),
        ({"status": "2XX", "count": 0}, "network[0].status: '2XX' is not a status: give a code"),
        ({"status": ["2xx", "ok"], "count": 0}, "network[0].status: 'ok' is not a status"),
        ({"status": [], "count": 0}, "network[0].status: status list is empty"),
        ({"status": 99, "count": 0}, "network[0].status: 99 is not an HTTP status (100 to 599)"),
        ({"status": 600, "count": 0}, "network[0].status: 600 is not an HTTP status"),
        ({"path": "re:(", "count": 0}, "network[0].path: 're:(' is not a valid regex"),
        (
            {"reached_backend": "yes", "count": 0},
            "network[0].reached_backend: 'yes' is not a boolean",
        ),
        ({"count": 1, "max": 2}, "network[0]: give either count (exact) or min/max"),
        ({"min": 3, "max": 2}, "network[0]: min 3 is greater than max 2"),
        ({"count": -1}, "network[0].count: -1 is less than 0"),
        ({"hots": "x", "count": 0}, "network[0].hots: unknown field (did you mean 'host'?)"),
    ],
)
def test_bad_network_rules_name_the_field_and_value(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=None) as info:
        load_spec({"network": [{"name": "r", **rule}]}, source="s.json")
    assert str(info.value).startswith("s.json: "), str(info.value)
    assert message in str(info.value), str(info.value)


def test_network_rule_names_are_unique() -> None:
    rule = {"name": "same", "count": 0}
    with pytest.raises(SpecError, match="network: duplicate rule name 'same'"):
        load_spec({"network": [rule, rule]})


def test_network_rule_model_matches_directly() -> None:
    rule = NetworkRule(name="r", method=("PUT",), path="/api/*", count=0)
    assert rule.matches(Exchange(0, "put", "/api/x/1", 200, True))
    assert not rule.matches(Exchange(0, "PUT", "/static/app.js", 200, True))


def test_host_globs_match_when_the_ledger_records_hosts() -> None:
    records = _ledger(_flow("f1", "POST", "/api/b", 201), _flow("f2", "POST", "/collect", 204))
    records[1]["host"] = "App.Example.com"
    records[3]["host"] = "tracker.ads.test"
    traffic = Traffic.from_records(records)
    assert traffic.exchanges[0].host == "app.example.com"
    spec = _spec(
        {"name": "app", "host": "*.example.com", "method": "POST", "count": 1},
        {"name": "no tracking", "host": "*.ads.test", "count": 0},
    )
    verdict = judge(spec, {}, {}, escalated=False, traffic=traffic)
    assert _only(verdict, "app").passed
    assert _only(verdict, "app").records[0].row["host"] == "app.example.com"
    assert _only(verdict, "no tracking").message == (
        "expected exactly 0 requests on *.ads.test, found 1: POST /collect -> 204 (seq 3)"
    )


def test_a_host_rule_fails_when_the_ledger_has_no_hosts() -> None:
    spec = _spec({"name": "no tracking", "host": "*.ads.test", "count": 0})
    verdict = judge(spec, {}, {}, escalated=False, traffic=BOOKING_TRAFFIC)
    assert verdict.summary() == (
        "FAIL network 'no tracking': the rule matches host '*.ads.test', but the ledger does "
        "not record the host of every request; drop host from the rule"
    )
