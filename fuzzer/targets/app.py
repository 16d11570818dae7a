"""Any web app described by a target file (:mod:`fuzzer.targets.spec`) as a target.

With ``launch``, :class:`AppTarget` starts one app instance per worker (``instances``), each
with its own ``{workdir}``, port and database; with ``url`` it uses the one running app.
Under ``isolation: worker`` an instance plays one episode at a time: an episode takes a free
instance at :meth:`~AppTarget.reset` and gives it back at :meth:`~AppTarget.release`. Under
``isolation: header`` episodes share instances, and the app tells them apart by the
``X-Gymfuzz-Episode`` header the proxy adds.

The verdict is the scenario's verifier on snapshots of the app's own state, with the
``ignore``\\ d tables and columns left out.
"""

from __future__ import annotations

import asyncio
import importlib
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from fuzzer.agents.base import Task
from fuzzer.play.errors import HarnessError
from fuzzer.targets.base import Isolation, Judgement, Played
from fuzzer.targets.embedded import judge_state
from fuzzer.targets.launch import AppProcess, fill
from fuzzer.targets.restore import SqlRestore
from fuzzer.targets.spec import (
    CommandReset,
    HttpReset,
    HttpState,
    PythonState,
    SqlState,
    TargetFileError,
    TargetSpec,
    load_target_file,
)
from scenarios.verify.state import State, StateSourceError, parse_state, without

if TYPE_CHECKING:
    from playwright.async_api import Page

    from scenarios.model import Scenario

Snapshot = Callable[[], Awaitable[State]]


@dataclass
class Instance:
    """One app instance: where it answers, how its state is read and reset."""

    url: str
    snapshot: Snapshot
    restore: SqlRestore | None = None
    process: AppProcess | None = None
    workdir: Path | None = None
    resets: list[float] = field(default_factory=list)

    def fill(self, text: str) -> str:
        if self.process is not None:
            return self.process.fill(text)
        return text


class AppTarget:
    """An app under test, from a target file (see the module docstring)."""

    def __init__(
        self, spec: TargetSpec, base: Path, *, instances: int = 1, source: Path | None = None
    ) -> None:
        self.spec = spec
        self.base = base
        self.source = source
        self.name = spec.name
        self.isolation: Isolation = spec.isolation
        self._count = instances if spec.launch is not None else 1
        self.instances: list[Instance] = []
        self._free: asyncio.Queue[Instance] = asyncio.Queue()
        self._bound: dict[str, Instance] = {}
        self._turn = itertools.count()

    @classmethod
    def from_file(cls, path: Path, *, instances: int = 1) -> AppTarget:
        """The target a file describes (:class:`~fuzzer.targets.spec.TargetFileError`)."""
        spec, base = load_target_file(path)
        return cls(spec, base, instances=instances, source=path)

    @property
    def url(self) -> str | None:
        return self.instances[0].url if self.instances else self.spec.url

    async def start(self) -> None:
        """Launch the instances, or check that the running app at ``url`` answers.

        An app that exits or does not answer while launching is a
        :class:`~fuzzer.play.errors.HarnessError`; a ``url`` nothing answers at is a
        :class:`~fuzzer.targets.spec.TargetFileError` naming the file and the value, raised
        before any state is read.
        """
        if self.spec.launch is None:
            await self._check_answers(self.spec.url or "")
        for _ in range(self._count):
            instance = await self._start_one()
            self.instances.append(instance)
            self._free.put_nowait(instance)

    async def _start_one(self) -> Instance:
        process = None
        url = self.spec.url or ""
        if self.spec.launch is not None:
            process = AppProcess(self.spec.launch, self.base)
            try:
                await asyncio.to_thread(process.start)
            except HarnessError as exc:
                raise HarnessError(f"{self.source or self.name}: launch: {exc}") from None
            url = process.url
        instance = Instance(url, self._snapshot_of(process), process=process)
        if self.spec.reset_mode == "restore":
            assert isinstance(self.spec.state, SqlState)
            instance.restore = SqlRestore(
                self._fill(self.spec.state.sql, process),
                ignore_tables=self.spec.ignored_tables,
                ignore_columns=self.spec.ignored_columns,
            )
            await instance.restore.save()
        return instance

    async def _check_answers(self, url: str) -> None:
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                await client.get(url)
        except httpx.TransportError as exc:
            where = self.source or self.name
            reason = str(exc) or type(exc).__name__
            raise TargetFileError(
                f"{where}: url: nothing answers at {url!r} ({reason}); start the app first, "
                "or give 'launch' so that gymfuzz starts it"
            ) from None

    def _fill(self, text: str, process: AppProcess | None) -> str:
        if process is None:
            return fill(text, port=0, workdir=self.base) if "{" in text else text
        return process.fill(text)

    def _snapshot_of(self, process: AppProcess | None) -> Snapshot:
        state = self.spec.state
        if isinstance(state, SqlState):
            from scenarios.verify import SqlStateSource

            return SqlStateSource(self._fill(state.sql, process)).snapshot
        if isinstance(state, HttpState):
            url = self._fill(state.http, process)
            return lambda: _http_state(url)
        assert isinstance(state, PythonState)
        return _python_state(state.python)

    async def stop(self) -> None:
        instances, self.instances = self.instances, []
        for instance in instances:
            if instance.restore is not None:
                instance.restore.close()
            if instance.process is not None:
                await asyncio.to_thread(instance.process.stop)

    async def heal(self) -> str | None:
        """Launch again every instance whose app exited: a new port and workdir, its
        restore snapshot taken anew (the episode that saw it die is played again)."""
        notes = []
        for instance in self.instances:
            process = instance.process
            if process is None or process.returncode is None:
                continue
            code = process.returncode
            if instance.restore is not None:
                instance.restore.close()
            await asyncio.to_thread(process.stop)
            fresh = await self._start_one()
            instance.url, instance.snapshot = fresh.url, fresh.snapshot
            instance.restore, instance.process = fresh.restore, fresh.process
            notes.append(f"{self.name}: the app had exited (code {code}); restarted at {fresh.url}")
        return "; ".join(notes) or None

    def plays(self, scenario: Scenario) -> bool:
        return True

    def instance_of(self, episode: str) -> Instance:
        try:
            return self._bound[episode]
        except KeyError:
            raise HarnessError(f"{episode}: no app instance (reset first)") from None

    async def reset(self, episode: str, scenario: Scenario) -> None:
        """Take an instance for ``episode`` and reset it as the target file says."""
        if self.isolation == "worker":
            instance = await self._free.get()
        else:
            instance = self.instances[next(self._turn) % len(self.instances)]
        self._bound[episode] = instance
        mode = self.spec.reset_mode
        loop = asyncio.get_running_loop()
        started = loop.time()
        if mode == "restore":
            assert instance.restore is not None
            try:
                await instance.restore.restore()
            except StateSourceError as exc:
                raise HarnessError(f"{episode}: reset: {exc}") from exc
        elif isinstance(mode, CommandReset):
            await _run_command([instance.fill(p) for p in mode.command], self.base)
        elif isinstance(mode, HttpReset):
            await _post(instance.fill(mode.http), episode)
        instance.resets.append(loop.time() - started)

    async def release(self, episode: str) -> None:
        instance = self._bound.pop(episode, None)
        if instance is not None and self.isolation == "worker":
            self._free.put_nowait(instance)

    async def snapshot(self, episode: str) -> State:
        try:
            state = await self.instance_of(episode).snapshot()
        except StateSourceError as exc:
            raise HarnessError(f"{episode}: state: {exc}") from exc
        return self._without_ignored(state)

    def _without_ignored(self, state: State) -> State:
        return without(state, self.spec.ignored_tables, self.spec.ignored_columns)

    async def begin(self, page: Page, episode: str, scenario: Scenario) -> Task:
        goal = scenario.goal
        start = goal.start if goal.start != "/" else self.spec.start
        url = self.instance_of(episode).url + start
        return Task(scenario.drill, goal.text, dict(goal.fields), url)

    async def observe(self, page: Page, episode: str) -> dict[str, Any]:
        return {}

    def judge(self, played: Played) -> Judgement:
        return judge_state(played)


async def _run_command(command: list[str], cwd: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        *command, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        tail = out.decode(errors="replace").strip().splitlines()[-1:] or ["(no output)"]
        raise HarnessError(f"reset.command exited with code {proc.returncode}: {tail[0]}")


async def _post(url: str, episode: str) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        resp = await client.post(url, headers={"X-Gymfuzz-Episode": episode})
    if resp.status_code >= 300:
        raise HarnessError(f"reset.http: {url} answered {resp.status_code}")


async def _http_state(url: str) -> State:
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            resp = await client.get(url)
        resp.raise_for_status()
        return parse_state(resp.json(), source=url)
    except (httpx.HTTPError, ValueError) as exc:
        raise StateSourceError(f"state: {url}: {exc}") from exc


def _python_state(spec: str) -> Snapshot:
    module_name, _, attr = spec.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise HarnessError(f"state.python: cannot load {spec!r} ({exc})") from None
    source = obj() if isinstance(obj, type) else obj
    snapshot = getattr(source, "snapshot", None)
    if snapshot is None:
        raise HarnessError(f"state.python: {spec!r} has no async snapshot()")
    result: Snapshot = snapshot
    return result
