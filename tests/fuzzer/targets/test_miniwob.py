"""The runner plays MiniWoB++ task pages: real proxy and Chromium, the reward as verdict."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.async_api import Page

from fuzzer.agents import AgentOutcome, Task
from fuzzer.play.episode import EpisodeResult
from fuzzer.play.harness import Harness
from fuzzer.play.runner import Job, play
from fuzzer.targets.miniwob_pack import page_fault
from fuzzer.targets.miniwob_scenarios import miniwob_scenario
from proxy_addons.ledger import read_ledger
from scenarios.model import Scenario

pytestmark = [pytest.mark.browser, pytest.mark.proxy, pytest.mark.asyncio(loop_scope="module")]
pytest.importorskip("miniwob", reason="MiniWoB++ comes with the extra 'gym'")

AGENTS = "fuzzer.targets.miniwob_agents"
ONE_CLICK = f"{AGENTS}:OneClickAgent"
CAREFUL = f"{AGENTS}:CarefulMiniWoBAgent"
MODAL = page_fault(
    "m1", "modal", "#area", {"event": "appear", "selector": "#area button"}, title="Hi", text="x"
)


def ledger(harness: Harness, result: EpisodeResult) -> list[dict[str, Any]]:
    path = harness.proxy.ledger_path(result.episode)
    assert path is not None
    return list(read_ledger(path))


async def run(harness: Harness, sc: Scenario, agent: str, condition: str = "perturbed") -> Any:
    return await play(harness, Job(sc, agent, condition, 0))  # type: ignore[arg-type]


class WaitForTheEnd:
    """Does nothing until the task's START screen is back (its timer ran out)."""

    name = "wait-for-the-end"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        await page.locator("#sync-task-cover").wait_for(state="visible", timeout=60_000)
        return AgentOutcome()


class ClickThenStartAgain:
    """Clicks the right button, then the START screen, which would begin a new problem."""

    name = "click-then-start"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        label = re.search(r'"(.+?)"', task.goal).group(1)  # type: ignore[union-attr]
        await page.locator("#area").get_by_role("button", name=label, exact=True).first.click()
        await page.locator("#sync-task-cover").click()
        return AgentOutcome()


async def test_the_runner_plays_click_button_with_the_one_click_agent(harness: Harness) -> None:
    result = await run(harness, miniwob_scenario("click-button", id="cb-plain", seed=3), ONE_CLICK)
    assert result.passed, result.summary
    assert result.drill == "miniwob" and result.agent == "miniwob-one-click"
    assert result.verdict["source"] == "env_reward" and result.verdict["outcome"] == "passed"
    assert result.verdict["env_reward"] == 1.0
    assert re.fullmatch(r'Click on the ".+" button\.', result.verdict["utterance"])
    assert result.faults_fired == [] and result.harness_error is None
    records = ledger(harness, result)
    pages = [r["path"] for r in records if r["type"] == "request" and r["resource"] == "document"]
    assert pages == ["/miniwob/click-button.html"]  # the task page came through the proxy
    assert records[-1]["type"] == "verdict" and records[-1]["passed"] is True


async def test_the_seed_fixes_the_problem(harness: Harness) -> None:
    utterances = []
    for trial, seed in enumerate([5, 5, 6, 7, 8]):
        sc = miniwob_scenario("click-button", id=f"cb-seed{trial}", seed=seed)
        utterances.append((await run(harness, sc, ONE_CLICK)).verdict["utterance"])
    assert utterances[0] == utterances[1]
    assert len(set(utterances)) > 1


async def test_a_modal_is_seen_and_changes_the_outcome(harness: Harness) -> None:
    sc = miniwob_scenario("click-button", id="cb-modal", seed=3, faults=[MODAL])
    naive = await run(harness, sc, ONE_CLICK)
    assert not naive.passed
    assert naive.verdict["outcome"] == "failed"
    assert naive.verdict["reason"] == "agent stopped before the task ended"
    assert naive.faults_fired == ["modal"] and naive.failed_rules == ["env_reward"]
    events = [(r["kind"], r["event"]) for r in ledger(harness, naive) if r["type"] == "page"]
    assert ("modal", "fired") in events and ("modal", "shown") in events

    assert (await run(harness, sc, ONE_CLICK, "unperturbed")).passed  # same task, no modal
    careful = await run(harness, sc, CAREFUL)
    assert careful.passed and careful.faults_fired == ["modal"]
    events = [(r["kind"], r["event"]) for r in ledger(harness, careful) if r["type"] == "page"]
    assert ("modal", "dismissed") in events


async def test_latency_is_in_the_ledger_and_lengthens_the_timer(harness: Harness) -> None:
    latency = {
        "id": "n1",
        "layer": "network",
        "kind": "latency",
        "match": {"resource": "document"},
        "probability": 1.0,
        "params": {"ms": 300},
    }
    sc = miniwob_scenario("click-button", id="cb-slow", seed=3, faults=[latency])
    result = await run(harness, sc, ONE_CLICK)
    assert result.passed and result.faults_fired == ["latency"]
    assert result.verdict["timer_ms"] == 10_000 + 5 * 300
    fired = [
        d["kind"]
        for r in ledger(harness, result)
        if r["type"] == "request"
        for d in r["decisions"]
        if d["fired"]
    ]
    assert fired == ["latency"]


async def test_an_agent_that_stops_early_fails(harness: Harness) -> None:
    result = await run(harness, miniwob_scenario("click-button", id="cb-noop", seed=3), "noop")
    assert not result.passed and result.harness_error is None
    assert result.summary == "FAIL env_reward=0.0 (agent stopped before the task ended)"


async def test_a_late_click_on_start_cannot_overwrite_the_result(harness: Harness) -> None:
    sc = miniwob_scenario("click-button", id="cb-restart", seed=3)
    result = await run(harness, sc, f"{__name__}:ClickThenStartAgain")
    assert result.passed and result.agent_error is None


async def test_the_task_timer_running_out_is_a_harness_limit(harness: Harness) -> None:
    sc = miniwob_scenario("click-button", id="cb-late", seed=3)
    result = await run(harness, sc, f"{__name__}:WaitForTheEnd")
    assert not result.passed
    assert result.verdict["outcome"] == "timeout" and result.verdict["reason"] == "timed out"
    assert result.harness_error == "MiniWoB++ task timer ran out (10000 ms)"
    assert json.loads(json.dumps(result.to_json()))["verdict"]["outcome"] == "timeout"
