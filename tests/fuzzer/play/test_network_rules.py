"""Network rules judged from the real ledger of episodes through the real proxy and site."""

from __future__ import annotations

from typing import Any

import pytest

from fuzzer.play.episode import run_episode
from fuzzer.play.harness import Harness
from proxy_addons.ledger import read_ledger
from scenarios.generate import iter_scenarios
from scenarios.model import Scenario
from scenarios.verify import load_spec
from tests.fuzzer.api_agent import ApiAgent

pytestmark = [pytest.mark.browser, pytest.mark.proxy, pytest.mark.asyncio(loop_scope="module")]

SCENARIOS = list(iter_scenarios("calendar", 3, 2025))

NETWORK = [
    {
        "name": "one successful booking POST",
        "method": "POST",
        "path": "/api/bookings",
        "status": "2xx",
        "count": 1,
    },
    {"name": "no DELETE ever", "method": "DELETE", "count": 0},
    {"name": "reserved paths never count", "path": "/__gymfuzz/*", "count": 0},
    {"name": "the app's host", "host": "127.0.0.1", "method": "POST", "min": 1},
    {"name": "no other host", "host": "example.*", "count": 0},
]


def with_network_rules(sc: Scenario, *faults: dict[str, Any]) -> Scenario:
    spec = load_spec({**sc.verifier.to_json(), "network": NETWORK})
    return sc.model_copy(update={"verifier": spec, "faults": tuple(faults)})


def results_by_name(verdict: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    assert verdict is not None
    return {r["name"]: r for r in verdict["results"]}


async def test_network_rules_pass_from_the_real_ledger(harness: Harness) -> None:
    sc = with_network_rules(SCENARIOS[0])
    agent = ApiAgent(
        "net-once",
        [
            ("POST", "/__gymfuzz/events", {"event": "probe"}),  # answered by the proxy
            ("POST", "/api/bookings", dict(sc.goal.fields)),
        ],
    )
    result = await run_episode(harness, sc, agent, condition="unperturbed")
    assert agent.statuses == [204, 201]
    assert result.passed, result.summary
    results = results_by_name(result.verdict)
    (post,) = results["one successful booking POST"]["records"]
    assert post["op"] == "request"
    assert {k: post["row"][k] for k in ("method", "path", "status", "reached_backend")} == {
        "method": "POST",
        "path": "/api/bookings",
        "status": 201,
        "reached_backend": True,
    }
    path = harness.proxy.ledger_path(result.episode)
    assert path is not None
    records = list(read_ledger(path))
    # The seq named in the verdict is the request's own record in the ledger.
    (request,) = [r for r in records if r.get("seq") == int(post["pk"]) and r["type"] == "request"]
    assert (request["method"], request["path"]) == ("POST", "/api/bookings")
    # The proxy did log its reserved path; the rule still counted none of it.
    assert any(r.get("path", "").startswith("/__gymfuzz/") for r in records)
    assert results["reserved paths never count"]["records"] == []
    # The ledger names each request's host, so host rules are judged, not refused.
    assert request["host"] == "127.0.0.1"
    assert [r["row"]["host"] for r in results["the app's host"]["records"]] == ["127.0.0.1"]


async def test_a_delete_and_a_lost_post_fail_the_network_rules(harness: Harness) -> None:
    fault = {
        "id": "down",
        "layer": "network",
        "kind": "http_error",
        "match": {"methods": ["POST"], "path": "/api/bookings"},
        "trigger": {"count": 1},
        "params": {"status": 503, "when": "before"},
    }
    sc = with_network_rules(SCENARIOS[1], fault)
    agent = ApiAgent(
        "net-meddler",
        [
            ("POST", "/api/bookings", dict(sc.goal.fields)),  # 503 before the backend
            ("POST", "/api/bookings", dict(sc.goal.fields)),  # the retry succeeds
            ("DELETE", "/api/bookings/999999", None),  # no such booking: nothing changes
        ],
    )
    result = await run_episode(harness, sc, agent)
    assert agent.statuses == [503, 201, 404]
    assert not result.passed
    assert result.failed_rules == ["no DELETE ever"]
    results = results_by_name(result.verdict)
    (delete,) = results["no DELETE ever"]["records"]
    assert (delete["row"]["path"], delete["row"]["status"]) == ("/api/bookings/999999", 404)
    assert "DELETE /api/bookings/999999 -> 404" in results["no DELETE ever"]["message"]
    # The faulted POST never reached the backend and did not count as a success.
    (post,) = results["one successful booking POST"]["records"]
    assert post["row"]["status"] == 201
