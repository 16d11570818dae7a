"""The ``gymfuzz serve`` application: OpenEnv's own server around gymfuzz episodes.

:func:`build_app` returns the FastAPI app that OpenEnv's ``create_app`` makes (``/ws`` for
sessions, ``/reset``, ``/step``, ``/state``, ``/schema``, ``/metadata``, ``/health``),
with a lifespan that starts the site, the proxy and one Chromium when the server starts
and stops them when it stops. Sessions share the browser (one context each) and are
isolated by episode id. A session whose client stops stepping for ``idle_timeout_s`` has
its episode closed (its browser context freed); a client that disconnects has its session
destroyed by OpenEnv, which closes the episode too.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import weakref
from collections.abc import AsyncIterator, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuzzer.serve.host import EpisodeHost, start_host
from fuzzer.serve.session import Budgets
from fuzzer.targets.choose import TargetsFactory
from scenarios.model import Scenario

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from fuzzer.serve.environment import BrowserEnvironment


@dataclass
class ServeRuntime:
    """What every session of one server shares: packs, budgets, the running host."""

    packs: Mapping[str, Sequence[Scenario]]
    ledger_dir: Path
    budgets: Budgets = field(default_factory=Budgets)
    screenshots: bool = False
    idle_timeout_s: float = 300.0
    #: the apps to serve on (``None``: the embedded site), see :mod:`fuzzer.targets.choose`
    targets: TargetsFactory | None = None
    loop: asyncio.AbstractEventLoop | None = None
    live: weakref.WeakSet[BrowserEnvironment] = field(default_factory=weakref.WeakSet)
    _host: EpisodeHost | None = None
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.packs:
            raise ValueError("packs: serve at least one pack")
        if self.idle_timeout_s <= 0:
            raise ValueError(f"idle_timeout_s: must be positive, got {self.idle_timeout_s}")

    @property
    def default_pack(self) -> str:
        return next(iter(self.packs))

    def host(self) -> EpisodeHost:
        if self._host is None:
            raise RuntimeError("the server is not running (its lifespan has not started)")
        return self._host

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run ``coro`` in the background on the server's loop, holding a reference."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Start the host and the idle reaper; on exit close every episode, then the host."""
        self.loop = asyncio.get_running_loop()
        async with start_host(self.ledger_dir, self.targets) as host:
            self._host = host
            reaper = asyncio.create_task(self._reap_forever())
            try:
                yield
            finally:
                reaper.cancel()
                for env in list(self.live):
                    await env.reap()
                if self._tasks:
                    await asyncio.gather(*self._tasks, return_exceptions=True)
                self._host = None

    async def reap_idle(self) -> int:
        """Close the episodes of sessions idle longer than ``idle_timeout_s``; how many."""
        reaped = 0
        for env in list(self.live):
            session = env.session
            if session is None or session.current is None or session.current.closed:
                continue
            if session.idle_for() > self.idle_timeout_s:
                await env.reap()
                reaped += 1
        return reaped

    async def _reap_forever(self) -> None:
        interval = max(0.5, min(30.0, self.idle_timeout_s / 4))
        while True:
            await asyncio.sleep(interval)
            await self.reap_idle()


def build_app(runtime: ServeRuntime, *, max_sessions: int = 64) -> Starlette:
    """OpenEnv's app for ``runtime`` (module docstring)."""
    from openenv.core.env_server.http_server import create_app

    from fuzzer.serve.environment import BrowserEnvironment
    from fuzzer.serve.models import BrowserActionModel, EpisodeState, PageObservation

    app: Starlette = create_app(
        functools.partial(BrowserEnvironment, runtime),
        BrowserActionModel,
        PageObservation,
        env_name="gymfuzz",
        max_concurrent_envs=max_sessions,
        state_cls=EpisodeState,
    )
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with runtime.running(), inner(application) as state:
            yield state

    app.router.lifespan_context = lifespan
    app.state.gymfuzz = runtime
    return app
