"""The OpenEnv ``Environment`` of ``gymfuzz serve``: one per client session.

OpenEnv's server builds one :class:`BrowserEnvironment` per WebSocket session and calls
its ``reset_async``/``step_async`` on the server's event loop, where the shared browser
lives (see :mod:`fuzzer.serve.app`). Each environment drives an
:class:`~fuzzer.serve.session.EpisodeSession`; its episodes are isolated from every other
session's (own tenant database, own plan and ledger, own browser context).

``reset`` takes, besides OpenEnv's ``seed`` and ``episode_id``: ``pack`` (the name of a
served pack; default the first), ``scenario`` (a scenario id of that pack; default a
seeded draw), ``condition`` (``perturbed``, the default, or ``unperturbed``) and
``max_steps`` (a lower step budget for this episode).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from openenv.core.env_server.interfaces import Environment
from openenv.core.env_server.types import EnvironmentMetadata

from fuzzer.serve.models import BrowserActionModel, EpisodeState, PageObservation
from fuzzer.serve.session import EpisodeSession, SessionError, StepReport

if TYPE_CHECKING:
    from fuzzer.serve.app import ServeRuntime


class BrowserEnvironment(Environment[BrowserActionModel, PageObservation, EpisodeState]):
    """One client's sessions of gymfuzz episodes (module docstring)."""

    SUPPORTS_CONCURRENT_SESSIONS = True

    def __init__(self, runtime: ServeRuntime) -> None:
        super().__init__()
        self.runtime = runtime
        self.session: EpisodeSession | None = None
        self.pack: str | None = None
        self.reaped = False
        runtime.live.add(self)

    def reset(
        self, seed: int | None = None, episode_id: str | None = None, **kwargs: Any
    ) -> PageObservation:
        raise SessionError("reset: this environment is asynchronous; use reset_async")

    def step(
        self, action: BrowserActionModel, timeout_s: float | None = None, **kwargs: Any
    ) -> PageObservation:
        raise SessionError("step: this environment is asynchronous; use step_async")

    async def reset_async(
        self,
        seed: int | None = None,
        episode_id: str | None = None,
        pack: str | None = None,
        scenario: str | None = None,
        condition: str = "perturbed",
        max_steps: int | None = None,
    ) -> PageObservation:
        """Open a new episode (module docstring) and return its first observation."""
        name = pack if pack is not None else self.runtime.default_pack
        if name not in self.runtime.packs:
            raise SessionError(
                f"pack: no pack {name!r} is served; served: {', '.join(self.runtime.packs)}"
            )
        if self.session is None or self.pack != name:
            if self.session is not None:
                await self.session.close()
            self.session = EpisodeSession(
                self.runtime.host(),
                self.runtime.packs[name],
                budgets=self.runtime.budgets,
                screenshots=self.runtime.screenshots,
            )
            self.pack = name
        self.reaped = False
        report = await self.session.reset(
            seed=seed,
            scenario=scenario,
            condition=condition,  # type: ignore[arg-type]  # checked by the session
            max_steps=max_steps,
        )
        return _observation(report)

    async def step_async(
        self, action: BrowserActionModel, timeout_s: float | None = None, **kwargs: Any
    ) -> PageObservation:
        """Carry out ``action.action``; the last step of an episode carries its reward."""
        if self.reaped:
            raise SessionError(
                "step: the episode was closed after "
                f"{self.runtime.idle_timeout_s:g} s without a step; call reset()"
            )
        if self.session is None:
            raise SessionError("step: call reset() first")
        return _observation(await self.session.step(action.action))

    @property
    def state(self) -> EpisodeState:
        """The current episode's scenario id, step count, ledger path and progress."""
        if self.session is None:
            return EpisodeState()
        return EpisodeState(**self.session.state())

    def get_metadata(self) -> EnvironmentMetadata:
        return EnvironmentMetadata(
            name="gymfuzz",
            description="Web tasks under seeded UI and network perturbations, judged by "
            "the backend state. Actions: BrowserGym action strings; observations: "
            "goal, accessibility tree with element ids, URL, last action error.",
            version="0.1.0",
        )

    async def reap(self) -> None:
        """Close the open episode (its client stopped stepping); the next step says so."""
        if self.session is not None and self.session.current is not None:
            if not self.session.current.closed and not self.session.done:
                self.reaped = True
            await self.session.close()

    def close(self) -> None:
        """Free the open episode's browser context (the client went away)."""
        self.runtime.live.discard(self)
        session = self.session
        if session is None:
            return
        loop = self.runtime.loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:  # OpenEnv's stateless HTTP routes close on the loop itself
            self.runtime.spawn(session.close())
            return
        # WebSocket sessions are closed from their own worker thread: wait for the loop.
        future = asyncio.run_coroutine_threadsafe(session.close(), loop)
        with contextlib.suppress(Exception):
            future.result(timeout=30)


def _observation(report: StepReport) -> PageObservation:
    return PageObservation(
        **report.view.to_json(),
        done=report.done,
        reward=report.reward,
        metadata=report.metadata,
    )
