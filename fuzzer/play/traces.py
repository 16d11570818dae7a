"""Playwright traces of episodes: recorded per browser context, kept for the failed ones.

``gymfuzz run --traces failed`` (the default) records a Playwright trace (screenshots and DOM
snapshots of every action) of each episode's browser context and keeps the zip only when the
episode fails; ``--traces all`` keeps every one and ``--traces off`` records none. Zips live
beside the results journal, one per episode, named by episode id::

    results.jsonl
    results.traces/<scenario_id>.<agent>.<p|u><trial>.zip

and the journal record's ``trace`` field holds that path relative to the journal's folder
(``results.traces/....zip``). Open one with ``playwright show-trace PATH`` or drop it on
https://trace.playwright.dev. A zip appears under its final name only once complete: it is
written as ``.<name>.part`` and renamed.

Tracing never fails an episode: an error while starting, stopping or keeping a trace is
logged and recorded in the record's ``trace_error`` field, and the episode is judged as usual.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

    from fuzzer.play.episode import EpisodeResult

logger = logging.getLogger(__name__)

TraceMode = Literal["off", "failed", "all"]
#: The accepted values of ``--traces``, in order of how much they keep.
TRACE_MODES: tuple[TraceMode, ...] = get_args(TraceMode)
PARTIAL_SUFFIX = ".part"


@dataclass(frozen=True)
class TracePolicy:
    """Which episodes keep a Playwright trace, and where the zips go.

    Args:
        mode: ``off`` (record nothing), ``failed`` (keep the failed episodes' traces) or
            ``all`` (keep every episode's trace).
        directory: folder of the zips (created when the first trace is recorded).
        relative_to: folder the journal's ``trace`` paths are relative to (the journal's
            own folder).

    Raises:
        ValueError: ``mode`` is not one of :data:`TRACE_MODES`.
    """

    mode: TraceMode
    directory: Path
    relative_to: Path

    def __post_init__(self) -> None:
        if self.mode not in TRACE_MODES:
            raise ValueError(f"traces: expected one of {', '.join(TRACE_MODES)}, got {self.mode!r}")

    @classmethod
    def beside(cls, journal: Path, mode: TraceMode) -> TracePolicy:
        """The layout ``gymfuzz run`` uses: ``RESULTS.traces/`` next to ``RESULTS.jsonl``."""
        return cls(mode, journal.with_suffix(".traces"), journal.parent)

    @property
    def records(self) -> bool:
        """Whether episodes are traced at all."""
        return self.mode != "off"

    def zip_path(self, episode: str) -> Path:
        """Where the kept trace of ``episode`` lives."""
        return self.directory / f"{episode}.zip"

    def partial_path(self, episode: str) -> Path:
        """Where the trace of ``episode`` is written before it is kept or dropped."""
        return self.directory / f".{episode}.zip{PARTIAL_SUFFIX}"

    def remove_partials(self) -> int:
        """Delete half-written traces left by a killed run; returns how many."""
        if not self.directory.is_dir():
            return 0
        stale = list(self.directory.glob(f".*.zip{PARTIAL_SUFFIX}"))
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def record_path(self, path: Path) -> str:
        """``path`` as the journal stores it: relative to :attr:`relative_to`, with ``/``."""
        try:
            return Path(os.path.relpath(path, self.relative_to)).as_posix()
        except ValueError:  # another drive (Windows): no relative path exists
            return path.resolve().as_posix()


class TraceRecording:
    """The trace of one browser context; build with :meth:`start`, end with :meth:`stop`.

    ``error`` holds what went wrong (``None`` if nothing did); no method raises.
    """

    def __init__(self, context: BrowserContext | None, path: Path | None) -> None:
        self._context = context
        self.path = path
        self.error: str | None = None

    @classmethod
    async def start(cls, context: BrowserContext, path: Path | None) -> TraceRecording:
        """Start tracing ``context`` into ``path``; with ``path=None`` do nothing."""
        if path is None:
            return cls(None, None)
        from playwright.async_api import Error as PlaywrightError

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
            await context.tracing.start(screenshots=True, snapshots=True)
        except (PlaywrightError, OSError) as exc:
            recording = cls(None, None)
            recording._fail("start", path, exc)
            return recording
        return cls(context, path)

    async def stop(self) -> None:
        """Stop tracing and write the zip (before the context closes)."""
        if self._context is None or self.path is None:
            return
        from playwright.async_api import Error as PlaywrightError

        context, self._context = self._context, None
        try:
            await context.tracing.stop(path=self.path)
        except (PlaywrightError, OSError) as exc:
            self._fail("stop", self.path, exc)

    def _fail(self, step: str, path: Path, exc: BaseException) -> None:
        first = str(exc).splitlines()[0] if str(exc) else ""
        self.error = f"{step}: {type(exc).__name__}: {first}"
        logger.warning("trace %s: %s", path.name, self.error)


def keep_trace(policy: TracePolicy | None, result: EpisodeResult, episode: str) -> EpisodeResult:
    """Keep or drop the trace ``episode`` wrote, by ``policy`` and whether ``result`` passed.

    A kept trace is renamed from its partial name to :meth:`TracePolicy.zip_path` and named
    in the returned result's ``trace``; a dropped one is deleted. A failure to do either is
    logged and recorded in ``trace_error``, never raised.
    """
    if policy is None or not policy.records or not episode:
        return result
    partial, final = policy.partial_path(episode), policy.zip_path(episode)
    try:
        if result.passed and policy.mode == "failed":
            partial.unlink(missing_ok=True)
            return result
        if not partial.exists():
            error = result.trace_error or "no trace was written"
            return replace(result, trace=None, trace_error=error)
        os.replace(partial, final)
    except OSError as exc:
        logger.warning("trace %s: %s", final.name, exc)
        return replace(result, trace=None, trace_error=f"keep: {type(exc).__name__}: {exc}")
    return replace(result, trace=policy.record_path(final))
