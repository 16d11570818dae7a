"""The ledger: one append-only JSONL file per episode, the ground truth of what happened.

Each line is one record with at least ``type`` (``plan``, ``request``, ``response``,
``error``, ``page``, ``verdict``...), ``seq`` (order of writing, from 0) and ``t_ms``
(milliseconds since the ledger was opened, monotonic clock). Records are flushed as they
are written, so a reader (or a crash) never sees a half-written line.

A proxy may see many episodes (one client can name thousands), so ledgers share an
:class:`OpenFiles` budget: at most ``limit`` files are open at once, the least recently
written one is closed when another needs a handle, and it is reopened (appending) on its
next record. An episode's records stay in one file, in order, whatever the eviction.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

#: open ledger files per proxy by default (far below the usual limit of 1024 descriptors)
DEFAULT_OPEN_FILES = 128


class OpenFiles:
    """A least-recently-used budget of open ledger files, shared by the ledgers of a proxy."""

    def __init__(self, limit: int = DEFAULT_OPEN_FILES) -> None:
        if limit < 1:
            raise ValueError(f"open ledger files: expected at least 1 (got {limit!r})")
        self.limit = limit
        self._open: OrderedDict[int, Ledger] = OrderedDict()
        self._lock = threading.Lock()

    def touch(self, ledger: Ledger) -> list[Ledger]:
        """Mark ``ledger`` most recently used; return the ledgers that must close their file."""
        with self._lock:
            self._open[id(ledger)] = ledger
            self._open.move_to_end(id(ledger))
            victims = []
            while len(self._open) > self.limit:
                victims.append(self._open.popitem(last=False)[1])
            return victims

    def forget(self, ledger: Ledger) -> None:
        """``ledger`` closed its file on its own."""
        with self._lock:
            self._open.pop(id(ledger), None)

    def drain(self) -> list[Ledger]:
        """Every ledger holding an open file, forgotten here (the caller closes them)."""
        with self._lock:
            ledgers = list(self._open.values())
            self._open.clear()
            return ledgers

    def count(self) -> int:
        """How many ledger files are open now."""
        with self._lock:
            return len(self._open)


class Ledger:
    """Append records to ``path``; safe to call from several threads.

    Args:
        path: the JSONL file (``None``: records are numbered and dropped).
        files: the budget of open files this ledger shares (``None``: keep its own file open).
    """

    def __init__(self, path: Path | None, files: OpenFiles | None = None) -> None:
        self.path = path
        self._files = files
        self._lock = threading.Lock()
        self._seq = 0
        self._t0 = time.monotonic()
        self._fh: IO[str] | None = None
        self._closed = path is None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, record: Mapping[str, Any]) -> None:
        """Append one record (``seq`` and ``t_ms`` are added)."""
        with self._lock:
            line = {"seq": self._seq, "t_ms": round((time.monotonic() - self._t0) * 1000, 3)}
            line.update(record)
            self._seq += 1
            if self._closed or self.path is None:
                return
            if self._fh is None:
                self._fh = self.path.open("a", encoding="utf-8")
            self._fh.write(json.dumps(line, separators=(",", ":"), default=str) + "\n")
            self._fh.flush()
        if self._files is not None:
            # Outside our lock: a victim takes its own lock to close its file.
            for victim in self._files.touch(self):
                victim._release()

    def release(self) -> None:
        """Close the file to free its descriptor; the next record reopens it."""
        self._release()
        if self._files is not None:
            self._files.forget(self)

    def _release(self) -> None:
        """Close the file to free its descriptor; the next record reopens it."""
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None

    def close(self) -> None:
        """Close the file; later writes are dropped."""
        with self._lock:
            self._closed = True
            if self._fh is not None:
                self._fh.close()
                self._fh = None
        if self._files is not None:
            self._files.forget(self)


def read_ledger(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the records of a ledger file, skipping a torn last line."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue
