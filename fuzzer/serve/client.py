"""The client of ``gymfuzz serve``: OpenEnv's own ``EnvClient``, typed for gymfuzz.

::

    from fuzzer.serve.client import GymfuzzEnv, BrowserActionModel

    async with GymfuzzEnv(base_url="http://127.0.0.1:8765") as env:
        result = await env.reset(seed=3)                # or scenario="dropdown-0002"
        while not result.done:
            action = my_policy(result.observation.axtree, result.observation.goal)
            result = await env.step(BrowserActionModel(action=action))
        print(result.reward, result.metadata["summary"])

Each client is one session on the server (one WebSocket). ``env.sync()`` gives the
blocking form. :func:`play_served` plays any action-string policy (the chat agent's
:class:`~fuzzer.agents.chat.ChatPolicy`, a scripted one) to the end of an episode.
Server-side errors (an unknown scenario, an action string that does not
parse) raise ``RuntimeError`` carrying OpenEnv's error code; the session stays usable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openenv.core.client_types import StepResult
from openenv.core.env_client import EnvClient

from fuzzer.serve.actions import ActionError, parse_action
from fuzzer.serve.driver import PageView
from fuzzer.serve.models import BrowserActionModel, EpisodeState, PageObservation

if TYPE_CHECKING:
    from fuzzer.agents.policy import ActionPolicy

__all__ = ["BrowserActionModel", "EpisodeState", "GymfuzzEnv", "PageObservation", "play_served"]


class GymfuzzEnv(EnvClient[BrowserActionModel, PageObservation, EpisodeState]):
    """A session of ``gymfuzz serve`` (module docstring)."""

    def _step_payload(self, action: BrowserActionModel) -> dict[str, Any]:
        return {"action": action.action}

    def _parse_result(self, payload: dict[str, Any]) -> StepResult[PageObservation]:
        fields = dict(payload.get("observation", {}))
        metadata = payload.get("metadata") or fields.pop("metadata", None) or {}
        fields.pop("metadata", None)
        obs = PageObservation(
            **fields,
            done=bool(payload.get("done", False)),
            reward=payload.get("reward"),
            metadata=metadata,
        )
        return StepResult(
            observation=obs,
            reward=payload.get("reward"),
            done=bool(payload.get("done", False)),
            metadata=metadata,
        )

    def _parse_state(self, payload: dict[str, Any]) -> EpisodeState:
        return EpisodeState(**payload)


async def play_served(
    env: GymfuzzEnv,
    policy: ActionPolicy,
    *,
    seed: int | None = None,
    scenario: str | None = None,
    max_invalid: int = 5,
    **reset: Any,
) -> StepResult[PageObservation]:
    """Reset ``env`` (``seed``, ``scenario`` and the other ``reset`` arguments of the
    server) and step ``policy`` until the episode ends; the last result carries the reward,
    the verdict and the faults fired in its ``metadata``.

    A reply that is not an action string is answered with the same observation and its
    ``last_action_error`` (``ActionError: ...``), without a step; ``max_invalid`` of them in
    a row raise :class:`~fuzzer.serve.actions.ActionError`. ``policy`` is any
    :class:`~fuzzer.agents.policy.ActionPolicy`, e.g. the chat agent's::

        policy = ChatPolicy("http://127.0.0.1:8000/v1", "Qwen/Qwen3-8B")
        result = await play_served(env, policy, seed=7)
    """
    policy.reset()
    given = {"seed": seed, "scenario": scenario, **reset}
    result = await env.reset(**{k: v for k, v in given.items() if v is not None})
    error: str | None = None
    invalid = 0
    while not result.done:
        obs = result.observation
        view = PageView(obs.goal, obs.axtree, obs.url, error or obs.last_action_error)
        action = await policy.next_action(view)
        try:
            parse_action(action)
        except ActionError as exc:
            invalid += 1
            if invalid >= max_invalid:
                raise ActionError(f"{invalid} replies in a row were not actions: {exc}") from exc
            error = f"ActionError: {exc}"
            continue
        error, invalid = None, 0
        result = await env.step(BrowserActionModel(action=action))
    return result
