"""``benchmarks/fuzz_planted.py``'s planting, detection, shrinking and certification, on the
fake runner (the real harness plays the same code when the benchmark runs)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from types import ModuleType

import pytest

from fuzzer.fuzz.search import search
from fuzzer.fuzz.space import SearchSpace
from fuzzer.play.journal import result_key
from scenarios.drills import DRILLS
from tests.benchmark_modules import load
from tests.fuzzer.fuzz.fakes import FakeRunner

ROOT = Path(__file__).resolve().parents[3]
#: The calendar's kind-level weakness: the days and the slot list both slowed.
KIND = "slow_availability+slow_slots"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load("fuzz_planted")


@pytest.fixture(scope="module")
def planted(bench: ModuleType) -> ModuleType:
    return load("planted")  # the copy fuzz_planted imports


def test_the_weaknesses_follow_the_rule_named_real_perturbations_and_levels(
    planted: ModuleType,
) -> None:
    for drill in DRILLS:
        space = SearchSpace(DRILLS[drill], seed=0)
        weaknesses = planted.weaknesses(drill)
        assert [w.way for w in weaknesses] == [2, 1, 2, 3]
        assert [w.kind for w in weaknesses] == ["kind", "parameter", "parameter", "parameter"]
        for w in weaknesses:
            for pid, level in w.levels.items():
                assert pid in space.ids, (drill, w.name, pid)
                assert level is None or 0 < level < space.sizes[space.ids.index(pid)]
                assert (pid, level) not in planted.UNREACHED.get(drill, ())
        kind, level, pair, triple = weaknesses
        Weakness = planted.Weakness
        share = {w.name: planted.share_in_pack(drill, w) for w in weaknesses}
        # the kind pair and the level are the least planned of their kinds
        kinds = [i for i, n in enumerate(space.sizes) if n > 1]
        assert share[kind.name] == min(
            planted.share_in_pack(drill, Weakness("", {space.ids[a]: None, space.ids[b]: None}))
            for a in kinds for b in kinds if a < b
        )  # fmt: skip
        assert 0 < share[level.name] <= min(
            planted.share_in_pack(drill, Weakness("", {space.ids[i]: lv}))
            for i in kinds for lv in range(1, space.sizes[i])
            if (space.ids[i], lv) not in planted.UNREACHED.get(drill, ())
        )  # fmt: skip
        # the interactions are rare, about 3% of the scenarios, and the triple is no
        # superset of the pair
        assert 0 < share[pair.name] <= 0.05 and 0 < share[triple.name] <= 0.05
        assert not pair.levels.items() <= triple.levels.items()
    assert [w.name for w in planted.weaknesses("calendar")] == [
        "slow_availability+slow_slots",
        "modal@8",
        "rerender_widget@1+rerender_slots@2",
        "rerender_widget@3+rerender_slots@2+slow_slots@1",
    ]


async def test_the_fuzzer_detects_certifies_and_shrinks_each_weakness_exactly(
    bench: ModuleType, planted: ModuleType
) -> None:
    space = SearchSpace(DRILLS["calendar"], seed=0)
    inner = FakeRunner(space)  # careful: passes everything unless a weakness is planted
    runner = planted.PlantedRunner(inner, space, planted.weaknesses("calendar"))
    log = await search(space, runner, agent=planted.PLANTED, budget=200, seed=0)
    found = bench.first_detections(space, runner, log)
    assert set(found) == {w.name for w in planted.weaknesses("calendar")}
    assert found[KIND][0] <= 4  # common: met at once
    # no failure without a planted weakness behind it
    assert all(runner.hits(t.genome, t.observation) for t in log.failures)
    args = argparse.Namespace(shrink_budget=40, batch=1, k=2)
    for w in planted.weaknesses("calendar"):
        cert = await bench.certify_one(space, inner, w, found[w.name][1], args)
        assert cert["certified"] and cert["careful_passed"] == 1, (w.name, cert)
        assert cert["exact"], (w.name, cert["kept"])


async def test_strategies_differ_on_the_rare_weakness(
    bench: ModuleType, planted: ModuleType
) -> None:
    space = SearchSpace(DRILLS["calendar"], seed=0)
    rare = planted.weaknesses("calendar")[-1]
    firsts = {}
    for strategy in bench.STRATEGIES:
        runner = planted.PlantedRunner(FakeRunner(space), space, [rare])
        log = await search(
            space, runner, agent=planted.PLANTED, budget=150, seed=1, strategy=strategy
        )
        firsts[strategy] = bench.first_detections(space, runner, log).get(rare.name, (None,))[0]
    # the pack holds this triple in one of its rows; the fuzzer, playing those rows
    # completed, meets it sooner
    assert firsts["pack"] is not None and firsts["coverage"] is not None
    assert firsts["coverage"] < firsts["pack"]


@pytest.mark.parametrize("strategy", ["coverage", "random", "pack"])
async def test_until_found_stops_a_search_with_the_same_detections(
    bench: ModuleType, strategy: str
) -> None:
    space = SearchSpace(DRILLS["calendar"], seed=1)
    args = argparse.Namespace(budget=90, batch=2, shrink_budget=30, k=1, until_found=False)
    full = await bench.run_search(args, FakeRunner(space), "calendar", 1, strategy)
    args.until_found = True
    short = await bench.run_search(args, FakeRunner(space), "calendar", 1, strategy)
    firsts = full["first_detection"].values()
    assert short["first_detection"] == full["first_detection"]
    assert short["certified"] == full["certified"]
    if None in firsts:  # not all found: the whole budget is played
        assert short["episodes"] == full["episodes"] == 90
    else:  # it stops after the batch of the last first detection
        last = max(f for f in firsts if f is not None)
        assert short["episodes"] == last + last % 2 < full["episodes"]
    assert (short["until_found"], full["until_found"]) == (True, False)


def test_a_run_of_other_seeds_keeps_the_rows_of_the_seeds_it_does_not_play(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def run_drill(args: argparse.Namespace, drill: str) -> list[dict[str, object]]:
        return [
            await bench.run_search(
                args, FakeRunner(SearchSpace(DRILLS[drill], seed)), drill, seed, strategy
            )
            for seed in args.seeds
            for strategy in args.strategies
        ]

    monkeypatch.setattr(bench, "run_drill", run_drill)
    common = ["--drills", "calendar", "--shrink-budget", "4", "--k", "1",
              "--results", str(tmp_path)]  # fmt: skip
    bench.main([*common, "--budget", "20", "--seeds", "0", "1"])
    doc = bench.main([*common, "--budget", "20", "--seeds", "2", "--until-found", "--workers", "1"])
    assert [(r["seed"], r["strategy"]) for r in doc["rows"]] == [
        (seed, s) for s in bench.STRATEGIES for seed in (0, 1, 2)
    ]
    assert doc["arguments"]["seeds"] == [0, 1, 2]
    assert {s["seeds"] for s in doc["summary"]} == {3}
    assert "seeds 0 to 2," in (tmp_path / "fuzz_planted.md").read_text()
    assert [bench.seed_list(s) for s in ([0], [3, 4], [0, 2, 5])] == ["0", "3, 4", "0, 2, 5"]
    # a seed played again replaces its rows
    doc = bench.main([*common, "--budget", "20", "--seeds", "1"])
    assert sorted({r["seed"] for r in doc["rows"]}) == [0, 1, 2] and len(doc["rows"]) == 9
    # another budget is measured differently: nothing is kept
    doc = bench.main([*common, "--budget", "10", "--seeds", "3"])
    assert {r["seed"] for r in doc["rows"]} == {3}


def test_summary_medians_count_misses_as_past_the_budget(
    bench: ModuleType, planted: ModuleType
) -> None:
    names = [w.name for w in planted.weaknesses("calendar")]
    rows = [
        {
            "drill": "calendar",
            "strategy": strategy,
            "first_detection": dict.fromkeys(names, first),
            "certified": {},
        }
        for strategy in bench.STRATEGIES
        for first in (3, None, 9)
    ]
    out = bench.summarize(rows, budget=50)
    s = next(x for x in out if x["strategy"] == "pack" and x["weakness"] == names[0])
    assert (s["found"], s["median"], s["min"], s["max"]) == (2, 9, 3, 9)


async def test_a_level_that_never_fires_shows_planned_but_not_fired(
    bench: ModuleType, planted: ModuleType
) -> None:
    space = SearchSpace(DRILLS["calendar"], seed=0)
    ninth = planted.weaknesses("calendar")[1]  # the modal at one level
    inner = FakeRunner(space, never_fires=frozenset({"modal"}))  # its trigger is never met
    runner = planted.PlantedRunner(inner, space, [ninth])
    log = await search(space, runner, agent=planted.PLANTED, budget=30, seed=0)
    fired, planned = bench.level_fires(space, ninth, log)["modal"]
    assert fired == 0 < planned
    assert bench.first_detections(space, runner, log) == {}
    fine = planted.PlantedRunner(FakeRunner(space), space, [ninth])
    log = await search(space, fine, agent=planted.PLANTED, budget=30, seed=0)
    fired, planned = bench.level_fires(space, ninth, log)["modal"]
    assert fired == planned > 0


def test_head_to_head_says_whether_the_fuzzer_was_lowest(bench: ModuleType) -> None:
    medians = {  # weakness -> (coverage, random, pack) medians; 101: not found
        "slow_availability+slow_slots": (1, 1, 2),
        "modal@8": (3, 5, 22),
        "rerender_widget@1+rerender_slots@2": (9, 21, 4),
        "rerender_widget@3+rerender_slots@2+slow_slots@1": (101, 101, 101),
    }
    summary = [
        {"drill": "calendar", "weakness": name, "strategy": strategy, "median": m,
         "found": int(m <= 100), "seeds": 1}
        for name, ms in medians.items()
        for strategy, m in zip(bench.STRATEGIES, ms, strict=True)
    ]  # fmt: skip
    rows = bench.head_to_head(summary)[2:]
    verdicts = [row.rstrip(" |").rsplit("| ", 1)[1] for row in rows]
    assert verdicts == ["tie", "yes", "no", "none found it"]
    assert "| 24.8% |" in rows[0]  # the kind pair is in a quarter of the scenarios
    assert "| 3.1% |" in rows[3]  # the 3-way one is rare


@pytest.mark.browser
@pytest.mark.proxy
def test_tiny_benchmark_on_the_real_harness(bench: ModuleType, tmp_path: Path) -> None:
    argv = [
        "--drills", "calendar", "--budget", "3", "--seeds", "0", "--k", "1",
        "--shrink-budget", "2", "--work", str(tmp_path / "work"),
        "--results", str(tmp_path / "results"),
    ]  # fmt: skip
    doc = bench.main(argv)
    rows = {r["strategy"]: r for r in doc["rows"]}
    assert set(rows) == set(bench.STRATEGIES)
    for r in rows.values():
        assert r["episodes"] == 3 and r["harness_errors"] == 0
        # a real careful episode where the days and the slot list were slowed counts as
        # that weakness
        assert r["first_detection"][KIND] is not None
        cert = r["certified"][KIND]
        assert cert["careful_passed"] == 1
    # The searches ran at once: the pack's rows, which the fuzzer also starts from, were
    # each played once for both and journaled once.
    run = rows["pack"]["run"]
    journal = (tmp_path / "work/calendar/episodes.jsonl").read_text().splitlines()
    keys = [result_key(json.loads(line)) for line in journal]
    assert len(keys) == len(set(keys)) == run["played"] == run["used"]
    md = (tmp_path / "results" / "fuzz_planted.md").read_text()
    assert f"| calendar | {KIND} | 2 | kind | coverage | 1/1 |" in md
    # the slowed slot list fired in every episode that planned it, in every search
    fires = [r["level_fires"][KIND]["slow_slots"] for r in rows.values()]
    assert all(f == n > 0 for f, n in fires)
    assert f"| calendar | {KIND} | slow_availability " in md
