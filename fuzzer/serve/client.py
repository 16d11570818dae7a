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
blocking form. Server-side errors (an unknown scenario, an action string that does not
parse) raise ``RuntimeError`` carrying OpenEnv's error code; the session stays usable.
"""

from __future__ import annotations

from typing import Any

from openenv.core.client_types import StepResult
from openenv.core.env_client import EnvClient

from fuzzer.serve.models import BrowserActionModel, EpisodeState, PageObservation

__all__ = ["BrowserActionModel", "EpisodeState", "GymfuzzEnv", "PageObservation"]


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
