"""``benchmarks/per_drill.kept_rows``: a run redoes some rows of a results file and keeps the
rest, but only rows measured with the same arguments."""

from __future__ import annotations

import json
from pathlib import Path

from tests.benchmark_modules import load

per_drill = load("per_drill")

ROWS = [
    {"drill": "calendar", "strategy": "coverage", "seed": 0},
    {"drill": "calendar", "strategy": "random", "seed": 0},
    {"drill": "dropdown", "strategy": "coverage", "seed": 0},
]


def _file(tmp_path: Path, arguments: dict[str, object]) -> Path:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"arguments": arguments, "rows": ROWS}))
    return path


def test_rows_the_run_does_not_redo_are_kept(tmp_path: Path) -> None:
    path = _file(tmp_path, {"budget": 100, "drills": ["calendar", "dropdown"], "workers": 4})
    now = {"budget": 100, "drills": ["calendar"], "workers": 2}
    kept = per_drill.kept_rows(
        path, now, lambda r: r["drill"] == "calendar" and r["strategy"] == "random",
        loose=("drills", "workers"),
    )  # fmt: skip
    assert kept == [ROWS[0], ROWS[2]]


def test_rows_measured_with_other_arguments_are_dropped(tmp_path: Path) -> None:
    path = _file(tmp_path, {"budget": 100, "drills": ["calendar", "dropdown"], "workers": 4})
    # The budget differs: nothing is kept. Workers differ too, and count unless loose.
    assert per_drill.kept_rows(path, {"budget": 50, "drills": []}, lambda r: False) == []
    same_budget = {"budget": 100, "drills": [], "workers": 2}
    assert per_drill.kept_rows(path, same_budget, lambda r: False) == []
    loose = per_drill.kept_rows(path, same_budget, lambda r: False, loose=("drills", "workers"))
    assert loose == ROWS


def test_no_file_keeps_nothing(tmp_path: Path) -> None:
    assert per_drill.kept_rows(tmp_path / "none.json", {}, lambda r: False) == []
