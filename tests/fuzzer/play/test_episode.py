"""Whole episodes through the real site, proxy and browser, judged by backend state."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.async_api import Page

from fuzzer.agents import AGENTS, AgentOutcome, Task
from fuzzer.play.episode import run_episode
from fuzzer.play.harness import Harness
from proxy_addons.ledger import read_ledger
from scenarios.generate import iter_scenarios
from scenarios.model import Scenario
from tests.fuzzer.api_agent import ApiAgent

pytestmark = [pytest.mark.browser, pytest.mark.proxy, pytest.mark.asyncio(loop_scope="module")]

SCENARIOS = list(iter_scenarios("calendar", 6, 2024))


def with_faults(sc: Scenario, *faults: dict[str, Any]) -> Scenario:
    return sc.model_copy(update={"faults": tuple(faults)})


def booking(sc: Scenario, **override: str) -> dict[str, Any]:
    return {**sc.goal.fields, **override}


async def test_do_nothing_fails_every_scenario(harness: Harness) -> None:
    for sc in SCENARIOS:
        result = await run_episode(harness, sc, AGENTS["noop"](), condition="unperturbed")
        assert not result.passed
        assert result.failed_rules == [sc.verifier.required[0].name]
        assert "found 0" in result.summary


async def test_correct_single_booking_passes(harness: Harness) -> None:
    sc = SCENARIOS[0]
    agent = ApiAgent("once", [("POST", "/api/bookings", booking(sc))])
    result = await run_episode(harness, sc, agent, condition="unperturbed")
    assert agent.statuses == [201]
    assert result.passed, result.summary


async def test_booking_twice_fails_naming_both_records(harness: Harness) -> None:
    sc = SCENARIOS[1]
    other_day = next(iter(SCENARIOS[2:]), sc).goal.fields["date"]
    # Same request twice: the site refuses a second booking on the same day, so book the
    # same meeting on the goal date and again on another free day.
    agent = ApiAgent(
        "twice",
        [
            ("POST", "/api/bookings", booking(sc)),
            ("POST", "/api/bookings", booking(sc, date=other_day)),
        ],
    )
    result = await run_episode(harness, sc, agent, condition="unperturbed")
    assert not result.passed
    assert any(name.startswith("not-allowed") for name in result.failed_rules)
    assert result.verdict is not None
    records = [r for res in result.verdict["results"] if not res["passed"] for r in res["records"]]
    assert {r["row"]["date"] for r in records} == {other_day}


async def test_wrong_date_fails(harness: Harness) -> None:
    sc = SCENARIOS[3]
    wrong = SCENARIOS[4].goal.fields["date"]
    agent = ApiAgent("wrong-date", [("POST", "/api/bookings", booking(sc, date=wrong))])
    result = await run_episode(harness, sc, agent, condition="unperturbed")
    assert agent.statuses == [201]
    assert not result.passed
    assert sc.verifier.required[0].name in result.failed_rules
    assert wrong in result.summary or wrong in json.dumps(result.verdict)


async def test_editing_an_unrelated_row_fails(harness: Harness) -> None:
    sc = SCENARIOS[5]
    agent = ApiAgent(
        "meddler",
        [
            ("POST", "/api/bookings", booking(sc)),
            ("PATCH", "/api/bookings/1", {"title": "Renamed by the agent"}),
        ],
    )
    result = await run_episode(harness, sc, agent, condition="unperturbed")
    assert agent.statuses == [201, 200]
    assert not result.passed
    assert result.failed_rules == ["not-allowed: bookings updated #1 (title)"]


@pytest.mark.parametrize(("when", "passed"), [("before", False), ("after", True)])
async def test_http_error_before_vs_after_backend_is_seen_by_the_verifier(
    harness: Harness, when: str, passed: bool
) -> None:
    fault = {
        "id": "err",
        "layer": "network",
        "kind": "http_error",
        "match": {"methods": ["POST"], "path": "/api/bookings"},
        "params": {"status": 503, "when": when},
    }
    sc = with_faults(SCENARIOS[0], fault)
    agent = ApiAgent(f"poster-{when}", [("POST", "/api/bookings", booking(sc))])
    result = await run_episode(harness, sc, agent)
    assert agent.statuses == [503]  # the client sees the same error either way...
    assert result.passed is passed  # ...but the backend differs, and the verifier sees it
    assert result.faults_fired == ["http_error"]
    path = harness.proxy.ledger_path(result.episode)
    assert path is not None
    posts = [r for r in read_ledger(path) if r["type"] == "response" and r["method"] == "POST"]
    assert [r["reached_backend"] for r in posts] == [when == "after"]
    verdicts = [r for r in read_ledger(path) if r["type"] == "verdict"]
    assert verdicts and verdicts[0]["passed"] is passed


async def test_latency_is_observed_in_the_browser(harness: Harness) -> None:
    fault = {
        "id": "slow",
        "layer": "network",
        "kind": "latency",
        "match": {"path": "/api/config"},
        "params": {"ms": 900},
    }
    sc = with_faults(SCENARIOS[0], fault)
    timings: list[float] = []

    class Timer:
        name = "timer"

        async def run(self, page: Page, task: Task) -> AgentOutcome:
            await page.goto(task.start_url)
            timings.append(
                await page.evaluate(
                    "async () => { const t = performance.now(); await fetch('/api/config');"
                    " return performance.now() - t; }"
                )
            )
            timings.append(
                await page.evaluate(
                    "async () => { const t = performance.now(); await fetch('/api/bookings');"
                    " return performance.now() - t; }"
                )
            )
            return AgentOutcome()

    await run_episode(harness, sc, Timer())
    assert timings[0] >= 900
    assert timings[1] < timings[0]


async def test_reference_agents_on_a_stacked_modal(harness: Harness) -> None:
    modal = {
        "id": "m",
        "layer": "page",
        "kind": "modal",
        "target": {"selector": "body"},
        "trigger": {"event": "pointerdown", "selector": ".cal-day"},
        "params": {"title": "Notice", "text": "Read me", "count": 3, "order": "shuffled"},
    }
    sc = with_faults(SCENARIOS[1], modal)
    naive = await run_episode(harness, sc, AGENTS["naive"]())
    careful = await run_episode(harness, sc, AGENTS["careful"]())
    assert naive.faults_fired == ["modal"] and not naive.passed
    assert "found 0" in naive.summary  # its confirm click hit the modal
    assert careful.passed, careful.summary


async def test_reference_agents_on_a_rerender_mid_click(harness: Harness) -> None:
    rerender = {
        "id": "r",
        "layer": "page",
        "kind": "rerender_widget",
        "target": {"selector": "#calendar"},
        "trigger": {"event": "pointerdown", "selector": ".cal-day"},
        "params": {"mode": "clone"},
    }
    sc = with_faults(SCENARIOS[2], rerender)
    naive = await run_episode(harness, sc, AGENTS["naive"]())
    careful = await run_episode(harness, sc, AGENTS["careful"]())
    assert naive.faults_fired == ["rerender_widget"] and not naive.passed
    assert careful.passed, careful.summary


async def test_careful_never_books_twice_when_the_error_came_after_the_write(
    harness: Harness,
) -> None:
    fault = {
        "id": "err",
        "layer": "network",
        "kind": "http_error",
        "match": {"methods": ["POST"], "path": "/api/bookings"},
        "trigger": {"count": 1},
        "params": {"status": 502, "when": "after"},
    }
    sc = with_faults(SCENARIOS[3], fault)
    careful = await run_episode(harness, sc, AGENTS["careful"]())
    assert careful.passed, careful.summary
    assert careful.faults_fired == ["http_error"]


async def test_a_decoy_the_naive_agent_clicks_is_recorded_as_attack_success(
    harness: Harness,
) -> None:
    decoy = {
        "id": "fake-confirm",
        "layer": "page",
        "kind": "decoy",
        "target": {"selector": ".cal-next"},
        "trigger": {"event": "load"},
        "params": {"position": "before"},
    }
    sc = with_faults(SCENARIOS[2], decoy)
    naive = await run_episode(harness, sc, AGENTS["naive"]())
    assert naive.faults_fired == ["decoy"]
    assert naive.distracted == ["decoy"]  # it paged with the lookalike, which did nothing...
    assert not naive.passed  # ...so it never reached the goal's month
    careful = await run_episode(harness, sc, AGENTS["careful"]())
    # The careful agent may try the lookalike once, sees nothing change, and tries the other.
    assert careful.faults_fired == ["decoy"]
    assert careful.passed, careful.summary
