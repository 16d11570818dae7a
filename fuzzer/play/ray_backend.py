"""The Ray backend: episodes spread over Ray actors, each with its own harness.

Each actor starts its own targets (the embedded site, or one instance of the app a target
file launches), one proxy and one browser, and plays the jobs sent to it, a few at a time (an
async actor). The driver sends jobs round-robin and journals each result as soon
as it arrives, so ``--resume`` works as with the local backend. Results do not depend on
which actor played a job: scenarios carry their own seeds and each episode its own tenant,
plan and browser context.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fuzzer.play.episode import EpisodeResult
from fuzzer.play.harness import start_harness
from fuzzer.play.runner import Job, play
from fuzzer.targets.choose import TargetsFactory

EPISODES_PER_ACTOR = 2


class EpisodeWorker:
    """A Ray actor body (wrapped with ``ray.remote`` at run time)."""

    def __init__(self, ledger_dir: str, targets: TargetsFactory | None = None) -> None:
        self.ledger_dir = Path(ledger_dir)
        self.targets = targets
        self._stack = contextlib.AsyncExitStack()
        self._harness: Any = None

    async def start(self) -> None:
        chosen = None if self.targets is None else self.targets()
        self._harness = await self._stack.enter_async_context(
            start_harness(self.ledger_dir, chosen)
        )

    async def run(self, job: Job) -> dict[str, Any]:
        return (await play(self._harness, job)).to_json()

    async def stop(self) -> None:
        await self._stack.aclose()


async def run_on_ray(
    jobs: Sequence[Job],
    *,
    workers: int,
    ledger_dir: Path,
    on_result: Callable[[EpisodeResult], None],
    targets: TargetsFactory | None = None,
) -> list[EpisodeResult]:
    """Play ``jobs`` on ``workers`` actors; call ``on_result`` as each finishes.

    ``targets`` builds each actor's targets (give it one app instance: the actors are the
    workers); the modules on this process's ``sys.path`` (an agent module of the current
    directory, say) are on the actors' path too when Ray is started here.
    """
    try:
        import ray as ray_module
    except ImportError:
        raise ValueError(
            "--backend ray: ray is not installed (pip install 'gymfuzz[ray]')"
        ) from None
    ray: Any = ray_module  # its stubs do not cover actor options
    started_here = not ray.is_initialized()
    if started_here:
        path = os.pathsep.join(p or os.getcwd() for p in sys.path)
        ray.init(
            num_cpus=max(1, workers),
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={"env_vars": {"PYTHONPATH": path}},
        )
    try:
        actor_cls = ray.remote(EpisodeWorker).options(
            num_cpus=1, max_concurrency=EPISODES_PER_ACTOR
        )
        count = max(1, min(workers, len(jobs)))
        actors = [actor_cls.remote(str(ledger_dir), targets) for _ in range(count)]
        await asyncio.gather(*(a.start.remote() for a in actors))

        async def one(i: int, job: Job) -> EpisodeResult:
            result = EpisodeResult.from_json(await actors[i % len(actors)].run.remote(job))
            on_result(result)
            return result

        try:
            return list(await asyncio.gather(*(one(i, j) for i, j in enumerate(jobs))))
        finally:
            await asyncio.gather(*(a.stop.remote() for a in actors), return_exceptions=True)
    finally:
        if started_here:
            ray.shutdown()
