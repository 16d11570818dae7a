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


def test_episodes_without_a_plan_are_bounded_and_planned_ones_kept(tmp_path: Path) -> None:
    from proxy_addons.episodes import EpisodeRegistry
    from proxy_addons.plan import parse_plan

    registry = EpisodeRegistry(tmp_path, max_unplanned=3)
    registry.set_plan(parse_plan({"episode": "planned", "seed": 1, "faults": []}))
    for i in range(10):
        registry.get(f"stranger-{i}").ledger.write({"type": "note", "i": i})
    assert registry.count() == 4  # the planned episode and the 3 latest strangers
    assert registry.peek("planned") is not None
    assert registry.peek("stranger-6") is None and registry.peek("stranger-9") is not None
    # a forgotten stranger starts again: a new run in the same ledger file
    again = registry.get("stranger-0")
    again.ledger.write({"type": "note", "i": 0})
    path = registry.ledger_path("stranger-0")
    assert path is not None
    kinds = [json.loads(line)["type"] for line in path.read_text().splitlines()]
    assert kinds == ["plan", "note", "plan", "note"]
    # installing a plan makes an episode planned: never forgotten for strangers
    registry.set_plan(parse_plan({"episode": "stranger-9", "seed": 1, "faults": []}))
    for i in range(20, 30):
        registry.get(f"stranger-{i}")
    assert registry.peek("stranger-9") is not None and registry.peek("planned") is not None
    registry.close()
