"""Ledgers under a budget of open files: evicted, reopened, never out of order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proxy_addons.ledger import Ledger, OpenFiles


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_the_least_recently_written_ledger_gives_its_file_back(tmp_path: Path) -> None:
    files = OpenFiles(limit=2)
    ledgers = [Ledger(tmp_path / f"e{i}.jsonl", files) for i in range(3)]
    for i, ledger in enumerate(ledgers):
        ledger.write({"type": "t", "n": i})
    assert files.count() == 2
    assert ledgers[0]._fh is None and ledgers[2]._fh is not None
    ledgers[0].write({"type": "t", "n": 10})  # reopened, appending; now e1 is the oldest
    assert ledgers[1]._fh is None
    assert [(r["seq"], r["n"]) for r in _lines(tmp_path / "e0.jsonl")] == [(0, 0), (1, 10)]
    for ledger in ledgers:
        ledger.close()
    assert files.count() == 0


def test_a_closed_ledger_drops_later_records(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "e.jsonl", OpenFiles(limit=1))
    ledger.write({"type": "a"})
    ledger.close()
    ledger.write({"type": "b"})
    assert [r["type"] for r in _lines(tmp_path / "e.jsonl")] == ["a"]


def test_the_budget_needs_one_file_at_least() -> None:
    with pytest.raises(ValueError, match=r"open ledger files: expected at least 1 \(got 0\)"):
        OpenFiles(limit=0)
