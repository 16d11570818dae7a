"""Playing the fuzzer's episodes: journaled, resumable, one harness for the whole run.

The search, the shrinker and the certifier ask an :class:`EpisodeRunner` for batches of
jobs (:class:`fuzzer.play.runner.Job`) and get one :class:`Observation` each. The real runner,
:class:`HarnessRunner`, answers from its results journal (:mod:`fuzzer.play.journal`) when the
episode is already recorded there, and plays it otherwise (starting the site, proxy and
browser on first need), appending the result. Because the search is a deterministic function
of its seed and of the outcomes it sees, a resumed run asks for the same jobs again and
plays only those the journal is missing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from fuzzer.fuzz.signals import near_misses
from fuzzer.play.episode import EpisodeResult
from fuzzer.play.journal import Journal, read_journal, result_key
from fuzzer.play.ledger import Fire, fires, read_records
from fuzzer.play.runner import Job

if TYPE_CHECKING:
    from fuzzer.play.harness import Harness
    from fuzzer.targets.choose import TargetsFactory


@dataclass(frozen=True)
class Observation:
    """An episode's result, the faults that fired in it, and its near misses (see
    :mod:`fuzzer.fuzz.signals`)."""

    result: EpisodeResult
    fires: tuple[Fire, ...] = field(default=())
    signals: frozenset[str] = field(default=frozenset())

    @property
    def error(self) -> bool:
        """The harness failed: the episode says nothing about the agent."""
        return self.result.harness_error is not None

    @property
    def failed(self) -> bool:
        """The verifier failed the agent (harness errors are not failures)."""
        return not self.result.passed and not self.error


class EpisodeRunner(Protocol):
    """Plays jobs; the results come back in job order."""

    async def episodes(self, jobs: Sequence[Job]) -> list[Observation]: ...


class HarnessRunner:
    """Plays jobs on a real harness with at most ``workers`` at once (see the module docstring).

    Use as ``async with HarnessRunner(...) as runner``. ``progress`` is called with each
    result played (not with those read back from the journal). ``played`` counts the
    episodes played by this runner, ``used`` the distinct episodes asked for (played or read
    back): after a finished run, the journal holds exactly ``used`` records.
    """

    def __init__(
        self,
        journal: Path,
        ledger_dir: Path,
        *,
        resume: bool,
        workers: int,
        progress: Callable[[EpisodeResult], None] | None = None,
        targets: TargetsFactory | None = None,
        agent_options: Mapping[str, str] | None = None,
    ) -> None:
        self.ledger_dir = ledger_dir
        self.targets = targets
        #: ``--agent-option`` values, given to every agent that takes options (``chat``)
        self.agent_options = tuple(sorted((agent_options or {}).items()))
        self.workers = max(1, workers)
        self.progress = progress
        self.played = 0
        self._used: set[tuple[str, str, str, int]] = set()
        self._known: dict[tuple[str, str, str, int], EpisodeResult] = {}
        self._sink = Journal.open(journal, resume=resume)  # cuts a torn last line off
        if resume:
            for record in read_journal(journal):
                self._known[result_key(record)] = EpisodeResult.from_json(record)
        self._stack = contextlib.AsyncExitStack()
        self._harness: Harness | None = None
        self._names: dict[str, str] = {}
        self._sem = asyncio.Semaphore(self.workers)
        self._start_lock = asyncio.Lock()
        #: Episodes being played now, so that searches asking for the same one at once
        #: share one play (and one journal record).
        self._playing: dict[tuple[str, str, str, int], asyncio.Future[EpisodeResult]] = {}

    @property
    def used(self) -> int:
        return len(self._used)

    async def __aenter__(self) -> HarnessRunner:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self._stack.aclose()
        finally:
            self._sink.close()

    def _agent_name(self, spec: str) -> str:
        if spec not in self._names:
            from fuzzer.agents import resolve_agent

            self._names[spec] = resolve_agent(spec, dict(self.agent_options))().name
        return self._names[spec]

    async def _harness_up(self) -> Harness:
        async with self._start_lock:
            if self._harness is None:
                from fuzzer.play.harness import start_harness

                self._harness = await self._stack.enter_async_context(
                    start_harness(self.ledger_dir, self.targets() if self.targets else None)
                )
            return self._harness

    def _observe(self, result: EpisodeResult) -> Observation:
        from proxy_addons.episodes import EpisodeRegistry

        path = EpisodeRegistry(ledger_dir=self.ledger_dir).ledger_path(result.episode or None)
        records = read_records(path) if result.episode else []
        return Observation(result, tuple(fires(records)), near_misses(records))

    async def _one(self, job: Job) -> Observation:
        key = (job.scenario.id, self._agent_name(job.agent), job.condition, job.trial)
        self._used.add(key)
        known = self._known.get(key)
        if known is None and key in self._playing:
            known = await asyncio.shield(self._playing[key])
        if known is None:
            self._playing[key] = asyncio.get_running_loop().create_future()
            try:
                known = await self._play(job, key)
            except BaseException as exc:
                shared = self._playing.pop(key)
                if isinstance(exc, asyncio.CancelledError):
                    shared.cancel()
                else:
                    shared.set_exception(exc)
                    shared.exception()  # marked retrieved: no warning when nobody waited
                raise
            self._playing.pop(key).set_result(known)
        return self._observe(known)

    async def _play(self, job: Job, key: tuple[str, str, str, int]) -> EpisodeResult:
        from fuzzer.play.runner import play

        harness = await self._harness_up()
        async with self._sem:
            known = await play(harness, replace(job, agent_options=self.agent_options))
        self._sink.write(known)
        self._known[key] = known
        self.played += 1
        if self.progress is not None:
            self.progress(known)
        return known

    async def episodes(self, jobs: Sequence[Job]) -> list[Observation]:
        """Observations of ``jobs``, in order; recorded ones are read back, not played."""
        return list(await asyncio.gather(*(self._one(j) for j in jobs)))
