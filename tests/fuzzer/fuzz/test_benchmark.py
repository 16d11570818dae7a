"""``benchmarks/fuzz_vs_random.py`` with a tiny budget on the real harness: both campaigns
run and the result files say what they found."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.benchmark_modules import load

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [pytest.mark.browser, pytest.mark.proxy]


def test_tiny_benchmark_writes_both_strategies(tmp_path: Path) -> None:
    bench = load("fuzz_vs_random")
    argv = [
        "--drills", "calendar", "--budget", "4", "--seeds", "0", "--workers", "2",
        "--shrink-budget", "2", "--max-failures", "1", "--k", "1",
        "--work", str(tmp_path / "work"), "--results", str(tmp_path / "results"),
    ]  # fmt: skip
    doc = bench.main(argv)
    rows = {r["strategy"]: r for r in doc["rows"]}
    assert set(rows) == {"coverage", "random"}
    for r in rows.values():
        assert r["search_episodes"] == 4 and r["harness_errors"] == 0
        assert r["failures"] >= 1  # the naive agent fails the calendar drill
        assert r["classes_found_per_100"] == 25 * len(r["classes_found"])
    assert set(doc["summary"]) == {"coverage", "random"}
    saved = json.loads((tmp_path / "results" / "fuzz_vs_random.json").read_text())
    assert saved["rows"] == doc["rows"]
    md = (tmp_path / "results" / "fuzz_vs_random.md").read_text()
    assert "| calendar | coverage | 0 |" in md and "| calendar | random | 0 |" in md

    again = bench.main(argv)  # resumed from --work: the same campaigns, nothing replayed
    assert [r["episodes_total"] for r in again["rows"]] == [
        r["episodes_total"] for r in doc["rows"]
    ]
    assert [r["classes_found"] for r in again["rows"]] == [r["classes_found"] for r in doc["rows"]]

    # The fuzzer alone (after a change to the search): the random row is kept, not replayed.
    random_folder = next((tmp_path / "work").glob("calendar-naive-random-*"))
    shutil.rmtree(random_folder)
    alone = bench.main([*argv, "--strategies", "coverage"])
    assert [r["strategy"] for r in alone["rows"]] == ["coverage", "random"]
    # Seconds and all, as the results file held them: the resumed call above added its own
    # (short) time to each campaign's clock, so the file is `again`'s, not `doc`'s.
    assert alone["rows"][1] == again["rows"][1]
    assert alone["rows"][1]["seconds"] >= doc["rows"][1]["seconds"]

    def timeless(r: dict[str, object]) -> dict[str, object]:
        return {k: v for k, v in r.items() if k != "seconds"}

    assert timeless(alone["rows"][0]) == timeless(doc["rows"][0])  # resumed from --work
    assert alone["arguments"]["strategies"] == ["coverage", "random"]
    assert not random_folder.exists()
