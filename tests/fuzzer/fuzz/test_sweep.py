"""``benchmarks/weakness_sweep.py``: every weakness of a drill, and which strategy plans it
first (the searches are the real ones; episodes only say what fired)."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.benchmark_modules import load

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def sweep() -> ModuleType:
    return load("weakness_sweep")


def test_verdicts(sweep: ModuleType) -> None:
    def v(cov: float, rnd: float, pack: float) -> str:
        return sweep.verdict({"coverage": cov, "random": rnd, "pack": pack}, 100)

    assert [v(3, 5, 4), v(4, 5, 4), v(6, 5, 9), v(101, 101, 101), v(101, 50, 101)] == [
        "yes", "tie", "no", "none", "no",
    ]  # fmt: skip


def test_every_weakness_of_the_dropdown_but_the_unreached_levels(sweep: ModuleType) -> None:
    found = sweep.every_weakness("dropdown")
    by = {c: [w for cat, w in found if cat == c] for c in ("1k", "2k", "1p", "2p", "3p")}
    assert (len(by["1k"]), len(by["2k"])) == (6, 15)
    assert len(by["1p"]) == 16 - 2  # false_toast's levels 3 and 4 never fire for careful
    assert not any(w.levels.get("false_toast") in (3, 4) for _, w in found)
    assert all(len(w.levels) == 3 for w in by["3p"])


def test_a_small_sweep_writes_its_tally(sweep: ModuleType, tmp_path: Path) -> None:
    doc = sweep.main(
        ["--drills", "dropdown", "--budget", "12", "--seeds", "0", "1", "--results", str(tmp_path)]
    )
    rows = {r["weakness"]: r for r in doc["weaknesses"]}
    assert len(rows) == len(sweep.every_weakness("dropdown"))
    # the fuzzer's first episode is a covering-array row completed with every kind on
    assert rows["lost_save+suggest"]["medians"]["coverage"] == 1
    # a weakness no strategy met counts as budget + 1 for each
    for r in rows.values():
        if r["verdict"] == "none":
            assert set(r["medians"].values()) == {13}
    assert sum(t["weaknesses"] for t in doc["tally"]) == len(rows)
    for t in doc["tally"]:
        assert t["yes"] + t["tie"] + t["no"] + t["none"] == t["weaknesses"]
    saved = json.loads((tmp_path / "weakness_sweep.json").read_text())
    assert saved["tally"] == doc["tally"]
    assert "| dropdown | 3p | 0% |" in (tmp_path / "weakness_sweep.md").read_text()
