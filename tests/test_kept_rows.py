"""``benchmarks/per_drill.kept_rows``: a run redoes some rows of a results file and keeps the
rest, but only rows measured with the same arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"rows": ROWS}),  # no arguments
        json.dumps({"arguments": {}, "rows": {"drill": "calendar"}}),  # rows not a list
        json.dumps({"arguments": {}, "rows": [{"seed": 0}]}),  # a row the run cannot read
    ],
)
def test_a_malformed_results_file_stops_the_run_naming_it(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "results.json"
    path.write_text(text)
    with pytest.raises(SystemExit) as stop:
        per_drill.kept_rows(path, {}, lambda r: r["drill"] == "calendar")
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: not a results file of this benchmark (") and err[-1] == "\n"
    assert path.read_text() == text  # left as it was


def test_results_part_checks_the_shape(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    assert per_drill.results_part(path, {"drills": dict}) is None
    path.write_text(json.dumps({"drills": {"calendar": {"n": 1}}}))
    assert per_drill.results_part(path, {"drills": dict}) == {"drills": {"calendar": {"n": 1}}}
    with pytest.raises(SystemExit):
        per_drill.results_part(path, {"drills": list})


def test_a_benchmark_given_a_malformed_results_file_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = load("fuzz_vs_random")
    results = tmp_path / "results"
    results.mkdir()
    (results / "fuzz_vs_random.json").write_text("[1, 2]")
    argv = ["--drills", "calendar", "--seeds", "0", "--work", str(tmp_path / "w"),
            "--results", str(results)]  # fmt: skip
    with pytest.raises(SystemExit) as stop:
        bench.main(argv)
    assert stop.value.code == 2
    assert "fuzz_vs_random.json: not a results file" in capsys.readouterr().err
    assert sorted(p.name for p in results.iterdir()) == ["fuzz_vs_random.json"]
    assert not (tmp_path / "w").exists()
