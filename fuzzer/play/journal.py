"""The results journal: append-only JSONL, one record per finished episode.

Each record carries its key, ``(scenario_id, agent, condition, trial)``. Records are flushed
and fsynced one by one, so a run killed at any moment loses at most the line being written;
:meth:`Journal.open` cuts such a torn last line off before appending, and reports which keys
are already done, so a resumed run plays exactly the missing episodes, and again those whose
only record is a harness error (the harness failed, the agent was never judged). Readers
take the last record of a key, so a replayed episode counts once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from fuzzer.play.episode import EpisodeResult

Key = tuple[str, str, str, int]


def result_key(record: dict[str, Any]) -> Key:
    """The identity of an episode in a journal record."""
    return (
        str(record["scenario_id"]),
        str(record["agent"]),
        str(record["condition"]),
        int(record["trial"]),
    )


def read_journal(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the complete records of a journal (a torn last line is skipped)."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.endswith("\n"):
                return
            yield json.loads(line)


class JournalError(ValueError):
    """A journal line that is not an episode record: ``file:line: why``."""


def load_results(
    path: Path, *, unknown: set[str] | None = None, torn_ok: bool = True
) -> list[EpisodeResult]:
    """Every episode a journal records, as :class:`~fuzzer.play.episode.EpisodeResult`: the
    last record of each key (a resumed run's replay of a harness error replaces it), in the
    order the keys first appear.

    Fields this version does not know (a newer journal) are left out and added to
    ``unknown``. A line that is not an episode record raises :class:`JournalError` naming
    the file and line; so does a cut-off last line unless ``torn_ok`` (then it is skipped).
    """
    results: dict[Key, EpisodeResult] = {}
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.endswith("\n"):
                    if torn_ok:
                        break
                    raise JournalError(
                        f"{path}:{n}: the last line is cut off (a run killed while writing "
                        "it; gymfuzz run --resume repairs the journal)"
                    )
                result = _result(line, path, n, unknown)
                results[result_key(result.to_json())] = result
    except UnicodeDecodeError:
        raise JournalError(f"{path}: not a results journal (not UTF-8 text)") from None
    return list(results.values())


def _result(line: str, path: Path, n: int, unknown: set[str] | None) -> EpisodeResult:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise JournalError(f"{path}:{n}: not a results record: not JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise JournalError(f"{path}:{n}: not a results record: expected a JSON object")
    try:
        result = EpisodeResult.from_json(record)
    except ValueError as exc:
        raise JournalError(f"{path}:{n}: {exc}") from None
    if unknown is not None:
        unknown |= EpisodeResult.unknown_fields(record)
    return result


class Journal:
    """An open journal; ``done`` holds the keys it already records."""

    def __init__(self, path: Path | None, fh: TextIO | None, done: set[Key]) -> None:
        self.path = path
        self.done = done
        self._fh = fh

    @classmethod
    def open(cls, path: Path | None, *, resume: bool) -> Journal:
        """Open ``path`` for appending; with ``resume``, keep and index what it holds."""
        if path is None:
            return cls(None, None, set())
        path.parent.mkdir(parents=True, exist_ok=True)
        done: set[Key] = set()
        if resume and path.exists():
            _cut_torn_tail(path)
            done = {result_key(r) for r in read_journal(path) if not r.get("harness_error")}
        fh = path.open("a" if resume else "w", encoding="utf-8")
        return cls(path, fh, done)

    def write(self, result: EpisodeResult) -> None:
        """Append one record durably."""
        self.done.add(result_key(result.to_json()))
        if self._fh is not None:
            self._fh.write(json.dumps(result.to_json(), sort_keys=True) + "\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _cut_torn_tail(path: Path) -> None:
    """Truncate a half-written last line (left by a kill mid-write)."""
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with path.open("r+b") as fh:
            fh.truncate(keep)
