"""A ``verifiers`` environment: a pack's scenarios as multi-turn browser tasks, scored by the
gymfuzz verdict.

    import verifiers as vf

    env = vf.load_environment("gymfuzz", pack="packs/dropdown")  # on the embedded site
    env = vf.load_environment(
        "gymfuzz", pack="packs/calendar", target="examples/django_calendar/target.yaml"
    )
    results = env.evaluate_sync(
        client=vf.ClientConfig(api_base_url="http://127.0.0.1:8000/v1", api_key_var="KEY"),
        model="Qwen/Qwen3-8B",
        num_examples=10,
    )

``vf.load_environment("gymfuzz", ...)`` imports the top-level module :mod:`gymfuzz` (the
library's loader imports the module named after the environment id) and calls its
``load_environment``, which is :func:`load_environment` here. It runs in a virtualenv of
its own (``scripts/verifiers-venv``): verifiers pins an ``mcp`` that OpenEnv's excludes, so
this module never imports OpenEnv. The target is the v0 API of the verifiers 0.3 line
(``load_environment`` returning a ``vf.Environment`` with a ``vf.Rubric``): the one the
Environments Hub's packages and prime-rl's environment server load.

* **Dataset**: one row per scenario of the pack (its id in ``info["scenario"]``); the
  prompt is the system message (the actions, as ``gymfuzz serve`` documents them) and the
  goal. When the rollout starts, the scenario's episode opens (the target reset, the plan
  installed on the proxy, a fresh browser context through it, as ``gymfuzz serve``'s
  reset) and the first observation (goal, URL, last action's error, accessibility tree
  with element ids) is added to the prompt.
* **Tools**: BrowserGym's actions, ``click``, ``fill``, ``select_option``, ``press``,
  ``scroll``, ``goto``, ``noop``, ``send_msg_to_user``. Each call becomes the action
  string ``gymfuzz serve`` takes (``click("12")``...) and is played by the same
  :class:`~fuzzer.serve.session.EpisodeSession`; the tool's answer is the next
  observation. ``send_msg_to_user`` ends the episode. A reply with no tool call ends it
  too: the reply is the message to the user (an escalation when it says the task cannot
  be done). So does the step or wall-clock budget, or the rollout's own end (turns, time,
  error), with an empty message.
* **Rubric**: :func:`gymfuzz_verdict`, 1.0 when the scenario's verifier passes the
  episode, else 0.0. :func:`gymfuzz_rule_credit` (the share of the verdict's rules that
  held) is per-rule partial credit; off by default: it is then a metric only (weight 0),
  and ``partial_credit=W`` makes it a reward function of weight ``W``.
  ``state["gymfuzz"]`` holds the episode's metadata: verdict, faults fired, ledger path.

The site (or the target file's app), the proxy and Chromium start at the first rollout, on
an event loop in a thread the environment owns (rollouts may come from any event loop), and
stop at the environment's teardown or :meth:`GymfuzzEnv.close`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import tempfile
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import verifiers as vf
from datasets import Dataset

from fuzzer.agents.chat import PROMPT, render_observation
from fuzzer.serve.host import EpisodeHost, start_host
from fuzzer.serve.session import Budgets, Condition, EpisodeSession, SessionError, StepReport
from fuzzer.targets.base import Target
from fuzzer.targets.choose import TargetsFactory, choose_targets
from scenarios.model import Scenario

__all__ = ["GymfuzzEnv", "gymfuzz_rule_credit", "gymfuzz_verdict", "load_environment"]

T = TypeVar("T")

#: The system message: the chat agent's (the same actions), told they are tools here.
SYSTEM_PROMPT = (
    PROMPT.replace(
        "Answer with exactly one action, in a fenced code block, for example:\n"
        '```\nclick("12")\n```\n',
        'Act by calling one tool per turn, for example click with bid "12".\n',
    )
    + "\nA reply without a tool call is your final message to the user."
)

#: The state keys this environment adds to a rollout's state.
EPISODE_KEY = "gymfuzz_episode"
RESULT_KEY = "gymfuzz"


def load_environment(
    pack: str | Path,
    target: str | Path | None = None,
    *,
    condition: str = "perturbed",
    max_steps: int = 30,
    max_seconds: float = 300.0,
    partial_credit: float = 0.0,
    num_examples: int = -1,
    ledger_dir: str | Path | None = None,
    **kwargs: Any,
) -> GymfuzzEnv:
    """The environment of ``pack`` (a pack directory) on ``target`` (the embedded site when
    ``None`` or ``"embedded"``, else an app's target file).

    Args:
        condition: ``perturbed`` (the scenarios' faults) or ``unperturbed`` (none).
        max_steps: actions per episode before it is judged as it stands.
        max_seconds: wall-clock seconds per episode, the same.
        partial_credit: weight of :func:`gymfuzz_rule_credit` in the reward (0: a metric).
        num_examples: the first N scenarios of the pack (-1: all).
        ledger_dir: where the proxy writes the episodes' ledgers (default: a new temporary
            folder, kept).
        kwargs: passed on to ``vf.StatefulToolEnv`` (e.g. ``timeout_seconds``).

    Raises ``ValueError`` naming the argument and value at fault (an unknown pack, a bad
    target file, a bad budget) before anything starts.
    """
    from fuzzer.commands.serve import load_packs

    if condition not in ("perturbed", "unperturbed"):
        raise ValueError(f"condition: expected perturbed or unperturbed, got {condition!r}")
    if isinstance(partial_credit, bool) or not isinstance(partial_credit, int | float):
        raise ValueError(f"partial_credit: expected a number >= 0, got {partial_credit!r}")
    if partial_credit < 0:
        raise ValueError(f"partial_credit: expected a number >= 0, got {partial_credit!r}")
    path = Path(pack)
    if not path.is_dir():
        raise ValueError(f"pack: {str(pack)!r} is not a pack directory")
    [(name, scenarios)] = load_packs([path]).items()
    for sc in scenarios:
        if sc.drill == "miniwob":
            raise ValueError(f"pack: scenario {sc.id!r} is a MiniWoB++ page, which is not served")
    if num_examples >= 0:
        scenarios = scenarios[:num_examples]
    return GymfuzzEnv(
        scenarios,
        pack_name=name,
        targets=choose_targets(target) or _embedded_site,
        budgets=Budgets(max_steps=max_steps, max_seconds=max_seconds),
        condition=condition,
        partial_credit=float(partial_credit),
        ledger_dir=None if ledger_dir is None else Path(ledger_dir),
        **kwargs,
    )


async def gymfuzz_verdict(state: Any) -> float:
    """1.0 when the scenario's verifier passed the episode, else 0.0."""
    result = state.get(RESULT_KEY) or {}
    return 1.0 if result.get("passed") else 0.0


async def gymfuzz_rule_credit(state: Any) -> float:
    """The share of the verdict's rules that held (per-rule partial credit); a verdict
    without rules (an outside judge's) gives 1.0 or 0.0 as it passed."""
    result = state.get(RESULT_KEY) or {}
    rules = (result.get("verdict") or {}).get("results")
    if not isinstance(rules, list) or not rules:
        return 1.0 if result.get("passed") else 0.0
    return sum(1 for r in rules if isinstance(r, dict) and r.get("passed")) / len(rules)


class _HostThread:
    """The episode host (site or app, proxy, Chromium) on an event loop in its own thread,
    started at the first :meth:`host` call; coroutines run there through :meth:`call`."""

    def __init__(self, ledger_dir: Path, targets: TargetsFactory | None) -> None:
        self.ledger_dir = ledger_dir
        self.targets = targets
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stack = contextlib.AsyncExitStack()
        self._started: concurrent.futures.Future[EpisodeHost] | None = None

    async def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the host's loop; await its result from any loop."""
        loop = self._ensure_loop()
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))

    async def host(self) -> EpisodeHost:
        with self._lock:
            loop = self._ensure_loop()
            if self._started is None:
                start = self._stack.enter_async_context(start_host(self.ledger_dir, self.targets))
                self._started = asyncio.run_coroutine_threadsafe(start, loop)
            started = self._started
        return await asyncio.wrap_future(started)

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=self._loop.run_forever, name="gymfuzz-verifiers-host", daemon=True
            )
            self._thread.start()
        return self._loop

    def close(self) -> None:
        """Stop the host (browser, proxy, site or app) and the loop's thread."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
            started, self._started = self._started, None
        if loop is None or thread is None:
            return
        try:
            if started is not None:
                with contextlib.suppress(Exception):
                    started.result(timeout=300)
                asyncio.run_coroutine_threadsafe(self._stack.aclose(), loop).result(timeout=120)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=30)
            if not thread.is_alive():
                loop.close()


class GymfuzzEnv(vf.StatefulToolEnv):
    """See the module docstring; build it with :func:`load_environment`."""

    def __init__(
        self,
        scenarios: tuple[Scenario, ...],
        *,
        pack_name: str,
        targets: TargetsFactory | None = None,
        budgets: Budgets | None = None,
        condition: str = "perturbed",
        partial_credit: float = 0.0,
        ledger_dir: Path | None = None,
        **kwargs: Any,
    ) -> None:
        self.scenarios = scenarios
        self.pack_name = pack_name
        self.budgets = budgets or Budgets()
        self.condition = condition
        self.gymfuzz_ledger_dir = ledger_dir or Path(tempfile.mkdtemp(prefix="gymfuzz-vf-"))
        self._host = _HostThread(self.gymfuzz_ledger_dir, targets)
        self._sessions: dict[str, EpisodeSession] = {}
        rubric = vf.Rubric(funcs=[gymfuzz_verdict], weights=[1.0])
        if partial_credit > 0:
            rubric.add_reward_func(gymfuzz_rule_credit, weight=partial_credit)
        else:
            rubric.add_metric(gymfuzz_rule_credit)
        rows = [
            {
                "question": sc.goal.text,
                "answer": "",
                "info": {"scenario": sc.id, "pack": pack_name, "drill": sc.drill},
            }
            for sc in scenarios
        ]
        kwargs.setdefault("max_turns", self.budgets.max_steps + 1)
        # a failure of the browser or the app ends the rollout as an error, not a tool reply
        kwargs.setdefault("stop_errors", [vf.InfraError])
        super().__init__(
            tools=[],
            dataset=Dataset.from_list(rows),
            eval_dataset=Dataset.from_list(rows),
            system_prompt=SYSTEM_PROMPT,
            rubric=rubric,
            **kwargs,
        )
        for tool in self._browser_tools():
            self.add_tool(tool, args_to_skip=["state"])

    # -- the episode of a rollout ------------------------------------------------------

    async def setup_state(self, state: Any) -> Any:
        """Open the row's scenario as a fresh episode; its first observation joins the
        prompt."""
        scenario = (state.get("info") or {}).get("scenario")
        condition: Condition = "unperturbed" if self.condition == "unperturbed" else "perturbed"
        try:
            host = await self._host.host()
            session = EpisodeSession(host, self.scenarios, budgets=self.budgets)
            report = await self._host.call(session.reset(scenario=scenario, condition=condition))
        except Exception as exc:  # the rollout records it as an infrastructure error
            raise vf.InfraError(f"gymfuzz: cannot open scenario {scenario!r}: {exc}") from exc
        key = f"{state['trajectory_id']}"
        self._sessions[key] = session
        state[EPISODE_KEY] = key
        state["prompt"] = [
            *state["prompt"],
            vf.UserMessage(role="user", content=render_observation(report.view, 0)),
        ]
        return await super().setup_state(state)

    def update_tool_args(
        self, tool_name: str, tool_args: dict[str, Any], messages: Any, state: Any, **kwargs: Any
    ) -> dict[str, Any]:
        return {**tool_args, "state": state}

    async def env_response(self, messages: Any, state: Any, **kwargs: Any) -> Any:
        replies = await super().env_response(messages, state, **kwargs)
        if state.get(RESULT_KEY) is not None:  # the episode ended: no more model turns
            state["final_env_response"] = replies
        return replies

    @vf.stop
    async def episode_over(self, state: Any) -> bool:
        return state.get(RESULT_KEY) is not None

    @vf.cleanup
    async def judge_episode(self, state: Any) -> None:
        """Judge an episode the model left open (a final reply with no tool call is its
        message to the user), then free its browser context."""
        key = state.get(EPISODE_KEY)
        session = self._sessions.pop(key, None) if key else None
        if session is None:
            return
        try:
            if state.get(RESULT_KEY) is None and not session.done:
                text = _final_reply(state)
                report = await self._host.call(session.step(_say(text)))
                self._record(state, report, ended_by="reply" if text else "rollout_end")
        except Exception as exc:  # no verdict: the rollout errs, its reward stays 0
            state["error"] = vf.InfraError(f"gymfuzz: cannot judge the episode: {exc}")
        finally:
            with contextlib.suppress(Exception):
                await self._host.call(session.close())

    @vf.teardown
    async def stop_host(self) -> None:
        self._host.close()  # blocks: this runs once, when the environment is torn down

    def close(self) -> None:
        """Stop the site or app, the proxy and the browser (idempotent)."""
        self._host.close()

    # -- the tools -----------------------------------------------------------------------

    async def _act(self, state: Any, action: str) -> str:
        session = self._sessions.get(state.get(EPISODE_KEY, ""))
        if session is None or session.done:
            return "The episode is over."
        try:
            report = await self._host.call(session.step(action))
        except SessionError as exc:
            return f"Error: {exc}"
        except Exception as exc:  # the browser or the app failed, not the model
            raise vf.InfraError(f"gymfuzz: {action}: {exc}") from exc
        if report.done:
            self._record(state, report, ended_by=str(report.metadata.get("ended_by")))
            return "The episode is over.\n" + render_observation(report.view, session.step_count)
        return render_observation(report.view, session.step_count)

    def _record(self, state: Any, report: StepReport, *, ended_by: str) -> None:
        state[RESULT_KEY] = {
            **report.metadata,
            "ended_by": ended_by,
            "reward": report.reward,
            "pack": self.pack_name,
        }

    def _browser_tools(self) -> list[Callable[..., Any]]:
        act = self._act

        async def click(bid: str, state: Any = None) -> str:
            """Click an element.

            Args:
                bid: the element's id, the number in brackets in the accessibility tree.
            """
            return await act(state, f"click({_q(bid)})")

        async def fill(bid: str, value: str, state: Any = None) -> str:
            """Replace the text of an input with value.

            Args:
                bid: the input's id in the accessibility tree.
                value: the text to type.
            """
            return await act(state, f"fill({_q(bid)}, {_q(value)})")

        async def select_option(bid: str, option: str, state: Any = None) -> str:
            """Choose an option of a select element by its value or label.

            Args:
                bid: the select's id in the accessibility tree.
                option: the option's value or label.
            """
            return await act(state, f"select_option({_q(bid)}, {_q(option)})")

        async def press(bid: str, key: str, state: Any = None) -> str:
            """Press a key in an element, e.g. Enter.

            Args:
                bid: the element's id in the accessibility tree.
                key: the key, as Playwright names it (Enter, Tab, ArrowDown...).
            """
            return await act(state, f"press({_q(bid)}, {_q(key)})")

        async def scroll(delta_x: float, delta_y: float, state: Any = None) -> str:
            """Scroll the page by pixels.

            Args:
                delta_x: pixels to the right.
                delta_y: pixels down.
            """
            return await act(state, f"scroll({float(delta_x)!r}, {float(delta_y)!r})")

        async def goto(url: str, state: Any = None) -> str:
            """Open a URL.

            Args:
                url: the URL (a path is taken on the current site).
            """
            return await act(state, f"goto({_q(url)})")

        async def noop(wait_ms: float = 1000, state: Any = None) -> str:
            """Wait, e.g. for suggestions to appear.

            Args:
                wait_ms: milliseconds to wait (at most 10000).
            """
            return await act(state, f"noop({float(wait_ms)!r})")

        async def send_msg_to_user(text: str, state: Any = None) -> str:
            """Finish: say what you did, or that you cannot do it and why.

            Args:
                text: the message to the user.
            """
            return await act(state, f"send_msg_to_user({_q(text)})")

        return [click, fill, select_option, press, scroll, goto, noop, send_msg_to_user]


def _embedded_site() -> list[Target]:
    """The embedded site alone (the harness's default adds MiniWoB++ pages, never served)."""
    from fuzzer.targets.embedded import EmbeddedSite

    return [EmbeddedSite()]


def _q(value: object) -> str:
    """A value as a string literal of an action string."""
    return json.dumps(str(value))


def _say(text: str) -> str:
    return f"send_msg_to_user({_q(text)})"


def _final_reply(state: Any) -> str:
    """The text of the model's last reply when it called no tool, else ``""``."""
    trajectory = state.get("trajectory") or []
    if not trajectory:
        return ""
    completion = trajectory[-1].get("completion") or []
    last = completion[-1] if completion else None
    if last is None or getattr(last, "role", None) != "assistant":
        return ""
    if getattr(last, "tool_calls", None):
        return ""
    content = getattr(last, "content", None)
    return content.strip() if isinstance(content, str) else ""
