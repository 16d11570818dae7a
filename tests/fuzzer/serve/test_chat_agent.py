"""The ``chat`` agent against a scripted OpenAI-compatible endpoint started by the test.

The stand-in "model" is the dropdown policy reading the observation out of the prompt; its
first reply is no action at all. The test checks the protocol and the loop: the request
shape, the malformed reply recorded and answered with an error observation, the episode
judged, the replies in the journal.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fuzzer.agents import resolve_agent
from fuzzer.agents.chat import PROMPT, extract_action
from fuzzer.agents.dropdown_policy import DropdownPolicy
from fuzzer.play.journal import read_journal
from fuzzer.play.runner import run_episodes
from fuzzer.serve.driver import PageView
from scenarios.pack import open_pack
from tests.fuzzer.serve.conftest import Served

MALFORMED = "Let me think about which dropdown to open first."


class ScriptedModel:
    """A chat-completions endpoint whose replies come from the dropdown policy."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.policy = DropdownPolicy()

    async def complete(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(body)
        prompt = body["messages"][-1]["content"]
        if len(body["messages"]) == 2:
            self.policy.reset()
            content = MALFORMED
        else:
            goal = re.search(r"^Goal: (.*)$", prompt, re.M)
            tree = prompt.split("Accessibility tree:\n", 1)[1]
            action = await self.policy.next_action(
                PageView(goal[1] if goal else "", tree, "", None)
            )
            content = f"Next:\n```\n{action}\n```"
        return JSONResponse(
            {
                "id": "x",
                "object": "chat.completion",
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content},
                    }
                ],
            }
        )


@pytest_asyncio.fixture
async def endpoint() -> AsyncIterator[tuple[str, ScriptedModel]]:
    async with scripted_endpoint() as running:
        yield running


@contextlib.asynccontextmanager
async def scripted_endpoint() -> AsyncIterator[tuple[str, ScriptedModel]]:
    """A :class:`ScriptedModel` served on 127.0.0.1 in the running loop: (base URL, model)."""
    model = ScriptedModel()
    app = Starlette(routes=[Route("/v1/chat/completions", model.complete, methods=["POST"])])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/v1", model
    finally:
        server.should_exit = True
        await task


@pytest.mark.browser
@pytest.mark.proxy
async def test_chat_agent_plays_an_episode_and_keeps_the_replies(
    endpoint: tuple[str, ScriptedModel], dropdown_pack: Path, tmp_path: Path
) -> None:
    base_url, model = endpoint
    scenario = next(sc for sc in open_pack(dropdown_pack).scenarios() if sc.solvable)
    journal = tmp_path / "results.jsonl"
    [result] = await run_episodes(
        [scenario],
        ["chat"],
        ["unperturbed"],
        ledger_dir=tmp_path / "ledgers",
        journal=journal,
        agent_options={"base_url": base_url, "model": "scripted", "max_steps": "25"},
    )
    assert result.agent == "chat" and result.agent_error is None
    assert result.passed, result.summary

    first = model.requests[0]
    assert first["model"] == "scripted" and first["messages"][0] == {
        "role": "system",
        "content": PROMPT,
    }
    # The malformed reply is answered with an error observation, and the loop goes on.
    second_prompt = model.requests[1]["messages"][-1]["content"]
    assert "Last action error: ActionError:" in second_prompt
    assert model.requests[1]["messages"][2] == {"role": "assistant", "content": MALFORMED}

    [record] = list(read_journal(journal))
    transcript = record["transcript"]
    assert transcript[0]["reply"] == MALFORMED and transcript[0]["action"] == MALFORMED
    assert transcript[1]["observation_error"].startswith("ActionError:")
    assert transcript[-1]["action"].startswith("send_msg_to_user(")
    assert len(transcript) == len(model.requests)


def test_chat_needs_an_endpoint_and_reads_actions_from_replies() -> None:
    with pytest.raises(ValueError, match=r"chat needs base_url=\.\.\."):
        resolve_agent("chat", {})
    with pytest.raises(ValueError, match=r"chat needs model=\.\.\."):
        resolve_agent("chat", {"base_url": "http://127.0.0.1:9/v1"})
    with pytest.raises(ValueError, match="chat has no option 'modle'"):
        resolve_agent("chat", {"base_url": "http://127.0.0.1:9/v1", "modle": "x"})
    with pytest.raises(ValueError, match="max_steps"):
        resolve_agent("chat", {"base_url": "http://127.0.0.1:9/v1", "model": "m", "max_steps": "0"})
    agent = resolve_agent("chat", {"base_url": "http://127.0.0.1:9/v1", "model": "m"})()
    assert agent.name == "chat"
    assert extract_action('Sure.\n```python\nclick("3")\n```') == 'click("3")'
    assert extract_action("thinking...\nfill('4', 'AMS')") == "fill('4', 'AMS')"
    assert json.dumps(extract_action("")) == '""'


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "gymfuzz: error: --agent-option: chat needs base_url=..."),
        (["--agent-option", "base_url"], "gymfuzz: error: --agent-option: expected KEY=VALUE"),
    ],
)
@pytest.mark.parametrize("command", ["run", "gate", "fuzz"])
def test_chat_without_an_endpoint_exits_2_before_any_episode(
    dropdown_pack: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    message: str,
    command: str,
) -> None:
    from fuzzer.cli import main

    out = tmp_path / "out"
    argv = {
        "run": ["run", str(dropdown_pack), "--agent", "chat", "--out", str(out)],
        "gate": ["gate", str(dropdown_pack), "--careful", "chat"],
        "fuzz": ["fuzz", "--drill", "dropdown", "--agent", "chat", "--budget", "2"],
    }[command]
    code = main([*argv, *options, *(["--out", str(out)] if command == "fuzz" else [])])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.browser
@pytest.mark.proxy
async def test_gate_and_fuzz_play_the_chat_agent_with_its_options(
    endpoint: tuple[str, ScriptedModel], dropdown_pack: Path, tmp_path: Path
) -> None:
    from fuzzer.fuzz.play import HarnessRunner
    from fuzzer.play.gate import check_specs
    from fuzzer.play.runner import Job

    base_url, model = endpoint
    options = {"base_url": base_url, "model": "scripted", "max_steps": "25"}
    scenario = next(sc for sc in open_pack(dropdown_pack).scenarios() if sc.solvable)
    calm = scenario.without_faults()
    report = await check_specs(
        [calm], ledger_dir=tmp_path / "gate", careful="chat", agent_options=options, workers=1
    )
    assert report.passed, report.lines()
    asked = len(model.requests)
    assert asked >= 2  # the model played the careful side of the gate

    async with HarnessRunner(
        tmp_path / "episodes.jsonl",
        tmp_path / "fuzz",
        resume=False,
        workers=1,
        agent_options=options,
    ) as runner:
        [seen] = await runner.episodes([Job(calm, "chat", "perturbed", 0)])
    assert seen.result.agent == "chat" and seen.result.passed, seen.result.summary
    assert len(model.requests) > asked


@pytest.mark.browser
@pytest.mark.proxy
@pytest.mark.asyncio(loop_scope="module")
async def test_the_chat_policy_plays_through_gymfuzz_serve(served: Served) -> None:
    from fuzzer.agents.chat import ChatPolicy
    from fuzzer.serve.client import GymfuzzEnv, play_served

    async with scripted_endpoint() as (base_url, model):
        policy = ChatPolicy(base_url, "scripted")
        async with GymfuzzEnv(base_url=served.url, message_timeout_s=180) as env:
            result = await play_served(env, policy, seed=4, condition="unperturbed")
    assert result.done and result.reward == 1.0, result.metadata.get("summary")
    assert result.metadata["ended_by"] == "message"
    # the first reply was no action: the server answered it with an error observation
    assert policy.transcript[1]["observation_error"]
    assert len(model.requests) == len(policy.transcript) >= 3
