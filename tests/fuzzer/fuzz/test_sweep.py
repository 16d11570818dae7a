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
    md = (tmp_path / "weakness_sweep.md").read_text()
    assert "| dropdown | 3p | 0% |" in md
    counts = [sum(t[k] for t in doc["tally"]) for k in ("yes", "tie", "no", "none")]
    assert f"| all | | | {len(rows)} | {' | '.join(map(str, counts))} | |" in md


def test_the_sweep_is_compared_with_the_real_planted_run(sweep: ModuleType, tmp_path: Path) -> None:
    argv = ["--drills", "dropdown", "--budget", "12", "--seeds", "0", "--results", str(tmp_path)]
    swept = {r["weakness"]: r["medians"] for r in sweep.main(argv)["weaknesses"]}
    names = [w.name for w in load("planted").weaknesses("dropdown")]
    # one seed: the median is the first detection (13 when missed)
    firsts = {n: (m["coverage"] if m["coverage"] <= 12 else None) for n, m in swept.items()}
    real = dict.fromkeys(names) | {n: firsts[n] for n in names}
    real[names[0]] = 12 if firsts[names[0]] != 12 else 11  # the real run saw it elsewhere
    rows = [
        {"drill": "dropdown", "seed": 0, "strategy": "coverage", "episodes": 12,
         "first_detection": real},
        # a seed the sweep did not play, and a search longer than its budget: not compared
        {"drill": "dropdown", "seed": 7, "strategy": "coverage", "episodes": 12,
         "first_detection": real},
        {"drill": "dropdown", "seed": 0, "strategy": "pack", "episodes": 50,
         "first_detection": real},
        {"drill": "calendar", "seed": 0, "strategy": "random", "episodes": 12,
         "first_detection": {}},
    ]  # fmt: skip
    planted = tmp_path / "planted.json"
    planted.write_text(json.dumps({"rows": rows}))
    doc = sweep.main([*argv, "--planted", str(planted), "--name", "sweep-vs-real"])
    a = doc["agreement"]
    assert (a["seeds"], a["compared"], a["equal"]) == ([0], 4, 3)
    assert [(d["weakness"], d["real"], d["sweep"]) for d in a["differ"]] == [
        (names[0], real[names[0]], firsts[names[0]])
    ]
    md = (tmp_path / "sweep-vs-real.md").read_text()
    assert "(`planted.json`, seeds 0): the sweep's" in md and "real run's in 3 of 4" in md
    assert f"| dropdown | 0 | coverage | {names[0]} | {real[names[0]]} |" in md
    assert json.loads((tmp_path / "sweep-vs-real.json").read_text())["agreement"] == a
    # no real run at all: said, not guessed
    doc = sweep.main([*argv, "--planted", str(tmp_path / "none.json")])
    assert doc["agreement"]["compared"] == 0
    assert "nothing compared" in (tmp_path / "weakness_sweep.md").read_text()


@pytest.mark.parametrize(
    "content", ['{"rows": 3', '{"rows": 3}', '{"rows": [{"drill": "x"}]}', "[]"]
)
def test_a_bad_planted_file_is_a_usage_error(
    sweep: ModuleType, tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(SystemExit) as exit_:
        sweep.main(
            ["--drills", "dropdown", "--planted", str(bad), "--results", str(tmp_path / "r")]
        )
    assert exit_.value.code == 2
    assert f"--planted: {bad}: not the results of fuzz_planted.py" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
