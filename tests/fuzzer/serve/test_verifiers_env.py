"""The ``verifiers`` environment, loaded by the library's own loader and played through the
library's own rollout API against a scripted chat-completions endpoint on 127.0.0.1.

The stand-in "model" answers with tool calls: the dropdown policy's action strings, read off
the observation in the last message, turned into calls of the environment's tools. A
do-nothing script answers with a plain reply at once. The rewards must be the gymfuzz
verdict that the episode's ledger records: 1 for the solving script, 0 for the other.

verifiers pins an mcp release that OpenEnv's excludes, so these tests run in the verifiers
virtualenv (``scripts/verifiers-venv``, then ``.gymfuzz/verifiers-venv/bin/python -m pytest
tests/fuzzer/serve/test_verifiers_env.py``) and skip elsewhere.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fuzzer.agents.dropdown_policy import DropdownPolicy
from fuzzer.serve.actions import parse_action
from fuzzer.serve.driver import PageView
from scenarios.generate import generate_pack
from scenarios.pack import open_pack

vf = pytest.importorskip("verifiers", reason="verifiers lives in .gymfuzz/verifiers-venv")
OpenAIChatCompletionsClient = pytest.importorskip("verifiers.clients").OpenAIChatCompletionsClient

KEY_VAR = "GYMFUZZ_TEST_MODEL_KEY"

#: The environment's tool arguments, in the order of each action string's arguments.
TOOL_ARGS = {
    "click": ("bid",),
    "fill": ("bid", "value"),
    "select_option": ("bid", "option"),
    "press": ("bid", "key"),
    "scroll": ("delta_x", "delta_y"),
    "goto": ("url",),
    "noop": ("wait_ms",),
    "send_msg_to_user": ("text",),
}


def tool_call(action: str) -> tuple[str, dict[str, Any]]:
    """An action string as a call of the environment's tool of the same name."""
    parsed = parse_action(action)
    return parsed.name, dict(zip(TOOL_ARGS[parsed.name], parsed.args, strict=False))


class ScriptedModel:
    """A chat-completions endpoint: ``solve`` plays the dropdown policy through the tools,
    ``idle`` replies "Done." at once, without touching the page."""

    def __init__(self) -> None:
        self.script = "solve"
        self.requests: list[dict[str, Any]] = []
        #: one policy per conversation (rollouts may run side by side), by its goal message
        self.policies: dict[str, DropdownPolicy] = {}

    async def complete(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(body)
        message: dict[str, Any] = {"role": "assistant", "content": "Done."}
        if self.script == "solve":
            goal_message = next(m for m in body["messages"] if m["role"] == "user")["content"]
            last = body["messages"][-1]
            if last["role"] == "user":
                self.policies[goal_message] = DropdownPolicy()
            policy = self.policies[goal_message]
            text = last["content"]
            text = text if isinstance(text, str) else "".join(p.get("text", "") for p in text)
            goal = re.search(r"^Goal: (.*)$", text, re.M)
            error = re.search(r"^Last action error: (.*)$", text, re.M)
            tree = text.split("Accessibility tree:\n", 1)[-1]
            view = PageView(
                goal[1] if goal else "",
                tree,
                "",
                None if error is None or error[1] == "none" else error[1],
            )
            name, args = tool_call(await policy.next_action(view))
            call_id = f"call_{len(self.requests)}"
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {"name": name, "arguments": json.dumps(args)},
                    }
                ],
            }
        finish = "tool_calls" if message.get("tool_calls") else "stop"
        return JSONResponse(
            {
                "id": f"cmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [{"index": 0, "finish_reason": finish, "message": message}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vf-packs") / "dropdown"
    generate_pack(out, drill="dropdown", count=4, seed=11)
    return out


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def endpoint() -> AsyncIterator[tuple[str, ScriptedModel]]:
    model = ScriptedModel()
    app = Starlette(routes=[Route("/v1/chat/completions", model.complete, methods=["POST"])])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the scripted endpoint did not start"
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/v1", model
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="module")
def env(pack: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    loaded = vf.load_environment(
        "gymfuzz",
        pack=str(pack),
        condition="unperturbed",
        max_steps=25,
        ledger_dir=str(tmp_path_factory.mktemp("vf-ledgers")),
    )
    try:
        yield loaded
    finally:
        loaded.close()


def ledger_verdict(path: str) -> dict[str, Any]:
    """The verdict record the episode's ledger ends with."""
    records = [json.loads(line) for line in Path(path).read_text().splitlines() if line]
    [verdict] = [r for r in records if r.get("type") == "verdict"]
    return verdict


async def play(env: Any, base_url: str, scenario_id: str, **override: Any) -> dict[str, Any]:
    """One rollout of the scenario's dataset row (fields replaced by ``override``), scored,
    through the library's API."""
    dataset = env.get_eval_dataset()
    [row] = [r for r in dataset if json.loads(json.dumps(r["info"]))["scenario"] == scenario_id]
    row = {**row, **override}
    config = vf.ClientConfig(api_base_url=base_url, api_key_var=KEY_VAR, max_retries=0)
    client = OpenAIChatCompletionsClient(config)
    try:
        output = await env.run_rollout(row, client, "scripted", {}, state_columns=["gymfuzz"])
    finally:
        await client.close()
    return dict(output)


@pytest.mark.browser
@pytest.mark.proxy
@pytest.mark.asyncio(loop_scope="module")
async def test_scripted_rollouts_score_the_gymfuzz_verdict(
    env: Any,
    endpoint: tuple[str, ScriptedModel],
    pack: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KEY_VAR, "unused")
    base_url, model = endpoint
    assert type(env).__name__ == "GymfuzzEnv" and env.env_id == "gymfuzz"
    scenario = next(sc for sc in open_pack(pack).scenarios() if sc.solvable)

    # The tools the model is offered are BrowserGym's actions; the state is no argument.
    offered = {t.name: t for t in env.tool_defs}
    assert set(offered) == set(TOOL_ARGS)
    assert list(offered["fill"].parameters["properties"]) == ["bid", "value"]

    model.script = "solve"
    solved = await play(env, base_url, scenario.id)
    result = solved["gymfuzz"]
    assert result["scenario_id"] == scenario.id and result["ended_by"] == "message"
    assert result["passed"] is True, result["summary"]
    assert ledger_verdict(result["ledger"])["passed"] is True
    assert solved["reward"] == 1.0
    assert solved["metrics"]["gymfuzz_verdict"] == 1.0
    # The first observation (the page's tree with element ids) was part of the prompt.
    first = model.requests[0]["messages"]
    assert first[-1]["role"] == "user" and "Accessibility tree:\n" in first[-1]["content"]
    assert any(m["role"] == "tool" for m in model.requests[-1]["messages"])

    model.script = "idle"
    seen = len(model.requests)
    idle = await play(env, base_url, scenario.id)
    result = idle["gymfuzz"]
    assert len(model.requests) == seen + 1  # one reply, no tool call: the episode ends
    assert result["ended_by"] == "reply" and result["message"] == "Done."
    assert result["passed"] is False
    assert ledger_verdict(result["ledger"])["passed"] is False
    assert idle["reward"] == 0.0
    # Per-rule partial credit is reported, and is no part of the reward by default.
    assert 0.0 <= idle["metrics"]["gymfuzz_rule_credit"] < 1.0
    assert result["ledger"] != solved["gymfuzz"]["ledger"]

    # Rollouts side by side (the library's evaluate, two at once) are isolated episodes.
    model.script = "solve"
    client = OpenAIChatCompletionsClient(
        vf.ClientConfig(api_base_url=base_url, api_key_var=KEY_VAR, max_retries=0)
    )
    try:
        both = await env.evaluate(
            client, "scripted", {}, num_examples=2, max_concurrent=2, state_columns=["gymfuzz"]
        )
    finally:
        await client.close()
    assert [dict(o)["reward"] for o in both["outputs"]] == [1.0, 1.0]  # solvable, unperturbed
    results = [dict(o)["gymfuzz"] for o in both["outputs"]]
    assert len({r["scenario_id"] for r in results}) == len({r["ledger"] for r in results}) == 2
    for output, result in zip(both["outputs"], results, strict=True):
        assert dict(output)["reward"] == (
            1.0 if ledger_verdict(result["ledger"])["passed"] else 0.0
        )

    # An episode that cannot open is the rollout's error, with no reward; the model is not
    # asked anything.
    seen = len(model.requests)
    broken = await play(env, base_url, scenario.id, info={"scenario": "no-such-scenario"})
    assert broken["reward"] == 0.0 and broken["gymfuzz"] is None
    assert "no-such-scenario" in str(broken["error"])
    assert len(model.requests) == seen


def reward_weights(env: Any) -> dict[str, float]:
    """Each reward function of the environment's rubric (a group of rubrics), by name."""
    names = env.rubric._get_reward_func_names()
    return dict(zip(names, env.rubric._get_reward_weights(), strict=True))


def test_partial_credit_is_a_separate_reward_function_off_by_default(pack: Path) -> None:
    plain = vf.load_environment("gymfuzz", pack=str(pack))
    weighted = vf.load_environment("gymfuzz", pack=str(pack), partial_credit=0.5)
    try:
        weights = reward_weights(plain)
        assert weights["gymfuzz_verdict"] == 1.0 and weights["gymfuzz_rule_credit"] == 0.0
        # every other function of the rubric (turns, tool calls) is a metric only
        assert {w for name, w in weights.items() if not name.startswith("gymfuzz_")} == {0.0}
        assert reward_weights(weighted)["gymfuzz_rule_credit"] == 0.5
        # one row per scenario of the pack, its id in the row's info
        ids = [json.loads(json.dumps(r["info"]))["scenario"] for r in plain.get_eval_dataset()]
        assert ids == [sc.id for sc in open_pack(pack).scenarios()]
    finally:
        plain.close()
        weighted.close()


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"pack": "/nonexistent/pack"}, "pack: '/nonexistent/pack'"),
        ({"condition": "sideways"}, "condition: expected perturbed or unperturbed"),
        ({"target": "/nonexistent/target.yaml"}, "/nonexistent/target.yaml"),
    ],
)
def test_bad_arguments_are_named(pack: Path, kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises((ValueError, RuntimeError), match=re.escape(named)):
        vf.load_environment("gymfuzz", **{"pack": str(pack), **kwargs})
