"""The ledger: one append-only JSONL file per episode, the ground truth of what happened.

Each line is one record with at least ``type`` (``plan``, ``request``, ``response``,
``error``, ``page``, ``verdict``...), ``seq`` (order of writing, from 0) and ``t_ms``
(milliseconds since the ledger was opened, monotonic clock). Records are flushed as they
are written, so a reader (or a crash) never sees a half-written line.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


class Ledger:
    """Append records to ``path``; safe to call from several threads."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seq = 0
        self._t0 = time.monotonic()
        self._fh = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = path.open("a", encoding="utf-8")

    def write(self, record: Mapping[str, Any]) -> None:
        """Append one record (``seq`` and ``t_ms`` are added)."""
        with self._lock:
            line = {"seq": self._seq, "t_ms": round((time.monotonic() - self._t0) * 1000, 3)}
            line.update(record)
            self._seq += 1
            if self._fh is not None:
                self._fh.write(json.dumps(line, separators=(",", ":"), default=str) + "\n")
                self._fh.flush()

    def close(self) -> None:
        """Close the file; later writes are dropped."""
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None


def read_ledger(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the records of a ledger file, skipping a torn last line."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue
