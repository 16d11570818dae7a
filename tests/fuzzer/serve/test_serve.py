"""``gymfuzz serve`` driven by OpenEnv's own client: concurrent isolated sessions, the same
rewards as ``gymfuzz run`` for the same policy, seeded replay, bad input, reaping."""

from __future__ import annotations

import asyncio
import base64
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import websockets

from fuzzer.agents.dropdown_policy import DropdownPolicy
from fuzzer.play.runner import run_episodes
from fuzzer.serve.client import BrowserActionModel, GymfuzzEnv, play_served
from fuzzer.serve.session import Budgets
from proxy_addons.ledger import read_ledger
from tests.fuzzer.serve.conftest import Served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.proxy,
    pytest.mark.asyncio(loop_scope="module"),
]

SESSIONS = 20
POLICY_AGENT = "fuzzer.agents.dropdown_policy:agent"


def _client(served: Served) -> GymfuzzEnv:
    return GymfuzzEnv(base_url=served.url, message_timeout_s=180)


async def _play(served: Served, seed: int) -> dict[str, Any]:
    """One session: reset with ``seed``, play the dropdown policy to the end."""
    async with _client(served) as env:
        result = await play_served(env, DropdownPolicy(), seed=seed)
        state = await env.state()
        return {
            "seed": seed,
            "scenario_id": state.scenario_id,
            "episode": state.episode_id,
            "ledger": state.ledger,
            "reward": result.reward,
            "metadata": result.metadata,
        }


def _decisions(ledger: str) -> dict[tuple[Any, ...], bool]:
    """Each fault decision of an episode's ledger, keyed by what it was decided on."""
    out: dict[tuple[Any, ...], bool] = {}
    for rec in read_ledger(Path(ledger)):
        if rec.get("type") == "request":
            for d in rec.get("decisions", []):
                out[(rec["method"], rec["path"], d["id"], d["occurrence"])] = bool(d["fired"])
    return out


async def test_concurrent_sessions_are_isolated_replayable_and_match_run(
    served: Served, tmp_path: Path
) -> None:
    seeds = [i % (SESSIONS // 2) for i in range(SESSIONS)]
    played = await asyncio.gather(*(_play(served, s) for s in seeds))

    # Isolation: one episode, one ledger, one tenant per session.
    assert len({p["episode"] for p in played}) == SESSIONS
    assert len({p["ledger"] for p in played}) == SESSIONS
    harness = served.runtime.host().harness
    scenarios = {sc.id: sc for sc in served.runtime.packs["dropdown"]}
    for p in played:
        plan = next(r for r in read_ledger(Path(p["ledger"])) if r.get("type") == "plan")
        assert p["episode"] in json.dumps(plan)
        state = await harness.target_for(scenarios[p["scenario_id"]]).snapshot(p["episode"])
        assert state is not None
        stored = {row["key"]: row["value"] for row in state["preferences"].values()}
        goal = scenarios[p["scenario_id"]].goal.fields
        if p["reward"] == 1.0 and scenarios[p["scenario_id"]].solvable:
            assert stored == {k: goal[k] for k in stored}, p["episode"]

    # Same seed, same scenario and the same fault decisions on the same requests.
    by_seed: dict[int, list[dict[str, Any]]] = {}
    for p in played:
        by_seed.setdefault(p["seed"], []).append(p)
    compared = 0
    for first, second in by_seed.values():
        assert first["scenario_id"] == second["scenario_id"]
        a, b = _decisions(first["ledger"]), _decisions(second["ledger"])
        for key in a.keys() & b.keys():
            assert a[key] == b[key], (first["scenario_id"], key)
            compared += 1
    assert compared > 0

    # The same policy through gymfuzz run earns the same reward on every scenario.
    ids = sorted({p["scenario_id"] for p in played})
    results = await run_episodes(
        [scenarios[i] for i in ids],
        [POLICY_AGENT],
        ["perturbed"],
        ledger_dir=tmp_path / "ledgers",
        workers=4,
    )
    run_reward = {r.scenario_id: 1.0 if r.passed else 0.0 for r in results}
    assert all(r.agent_error is None and r.harness_error is None for r in results), [
        (r.scenario_id, r.agent_error, r.harness_error) for r in results
    ]
    for p in played:
        assert p["reward"] == run_reward[p["scenario_id"]], (p["scenario_id"], p["metadata"])
    rewards = Counter(p["reward"] for p in played)
    assert rewards[1.0] > 0, rewards  # the policy solves some: equality is not all zeros
    assert all("verdict" in p["metadata"] and "faults_fired" in p["metadata"] for p in played)


async def test_bad_input_gets_openenv_errors_and_the_server_keeps_serving(
    served: Served,
) -> None:
    async with _client(served) as env:
        with pytest.raises(RuntimeError, match=r"no pack 'nope' is served.*EXECUTION_ERROR"):
            await env.reset(pack="nope")
        with pytest.raises(RuntimeError, match=r"no scenario 'dropdown-99999'.*EXECUTION_ERROR"):
            await env.reset(scenario="dropdown-99999")
        with pytest.raises(RuntimeError, match=r"step: call reset\(\) first"):
            await env.step(BrowserActionModel(action='click("1")'))
        first = await env.reset(scenario="dropdown-00000", condition="unperturbed")
        assert first.observation.goal and "combobox 'Seat'" in first.observation.axtree
        # Built without the model's check, as a client in another language would send them.
        for bad in ("click((", "rm('-rf')"):
            with pytest.raises(RuntimeError, match=r"Invalid message.*VALIDATION_ERROR"):
                await env.step(BrowserActionModel.model_construct(action=bad))
        # The session goes on: no step was counted, an element that is not there is the
        # agent's error in the observation, not the server's.
        assert (await env.state()).step_count == 0
        missing = await env.step(BrowserActionModel(action='click("999999")'))
        assert missing.observation.last_action_error is not None
        assert "TimeoutError" in missing.observation.last_action_error
        assert not missing.done

    ws_url = served.url.replace("http://", "ws://") + "/ws?session_id=no-such-session"
    async with websockets.connect(ws_url) as ws:
        reply = json.loads(await ws.recv())
    assert reply["type"] == "error"
    assert reply["data"]["code"] == "SESSION_ERROR"
    assert "Unknown session_id: no-such-session" in reply["data"]["message"]

    # The wire shape of a refused action names what is wrong with it.
    async with websockets.connect(served.url.replace("http://", "ws://") + "/ws") as ws:
        await ws.send(json.dumps({"type": "step", "data": {"action": "rm('-rf')"}}))
        refused = json.loads(await ws.recv())
    assert refused["type"] == "error" and refused["data"]["code"] == "VALIDATION_ERROR"
    assert "unknown action 'rm'" in refused["data"]["errors"][0]["msg"]

    async with _client(served) as env:  # still serving
        again = await env.reset(seed=1)
        assert again.observation.url.endswith("/preferences")


async def test_step_budget_ends_the_episode_with_a_verdict(served: Served) -> None:
    async with _client(served) as env:
        await env.reset(scenario="dropdown-00001", condition="unperturbed", max_steps=2)
        one = await env.step(BrowserActionModel(action="noop(0)"))
        assert not one.done
        two = await env.step(BrowserActionModel(action="noop(0)"))
        assert two.done and two.reward == 0.0
        assert two.metadata["ended_by"] == "step_budget"
        assert two.metadata["passed"] is False and two.metadata["verdict"]["passed"] is False
        state = await env.state()
        assert state.step_count == 2 and state.done and Path(str(state.ledger)).exists()
        with pytest.raises(RuntimeError, match="the episode is over"):
            await env.step(BrowserActionModel(action="noop(0)"))


async def test_abandoned_sessions_free_their_browser_contexts(served: Served) -> None:
    browser = served.runtime.host().harness.browser
    before = len(browser.contexts)
    env = _client(served)
    await env.reset(seed=2)
    assert len(browser.contexts) == before + 1
    # Idle past the timeout: the reaper closes the episode; the client is told on its step.
    served.runtime.idle_timeout_s = 0.01
    try:
        await asyncio.sleep(0.05)
        assert await served.runtime.reap_idle() == 1
    finally:
        served.runtime.idle_timeout_s = 300.0
    assert len(browser.contexts) == before
    with pytest.raises(RuntimeError, match=r"closed after .* without a step"):
        await env.step(BrowserActionModel(action="noop(0)"))
    # A client that goes away: OpenEnv destroys its session, which closes the episode.
    await env.reset(seed=3)
    assert len(browser.contexts) == before + 1
    await env.close()
    for _ in range(100):
        if len(browser.contexts) == before:
            break
        await asyncio.sleep(0.1)
    assert len(browser.contexts) == before


async def test_wall_clock_budget_ends_the_episode_and_screenshots_are_png(
    served: Served,
) -> None:
    runtime = served.runtime
    saved = runtime.budgets, runtime.screenshots
    runtime.budgets, runtime.screenshots = Budgets(max_steps=30, max_seconds=0.001), True
    try:
        async with _client(served) as env:  # a new session takes the server's settings
            first = await env.reset(scenario="dropdown-00002", condition="unperturbed")
            assert first.observation.screenshot is not None
            assert base64.b64decode(first.observation.screenshot).startswith(b"\x89PNG")
            last = await env.step(BrowserActionModel(action="noop(0)"))
    finally:
        runtime.budgets, runtime.screenshots = saved
    assert last.done and last.reward == 0.0
    assert last.metadata["ended_by"] == "time_budget"
