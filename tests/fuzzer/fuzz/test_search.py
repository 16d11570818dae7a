"""The search's logic with a fake episode runner: deterministic, resumable, valid genomes."""

from __future__ import annotations

import random

import pytest

from fuzzer.fuzz.mutate import Mutator
from fuzzer.fuzz.search import STRATEGIES, SearchLog, Strategy, search
from fuzzer.fuzz.space import Genome, SearchSpace
from scenarios.drills import DRILLS
from tests.fuzzer.fuzz.fakes import FakeRunner


@pytest.fixture(scope="module")
def space() -> SearchSpace:
    return SearchSpace(DRILLS["calendar"], seed=0)


async def _genomes(space: SearchSpace, seed: int, budget: int, batch: int = 2) -> list[Genome]:
    log = await search(
        space, FakeRunner(space), agent="naive", budget=budget, seed=seed, batch=batch
    )
    return [t.genome for t in log.trials]


async def test_same_seed_same_genomes_and_another_seed_others(space: SearchSpace) -> None:
    first = await _genomes(space, seed=1, budget=30)
    assert first == await _genomes(space, seed=1, budget=30)
    assert first != await _genomes(space, seed=2, budget=30)


async def test_every_genome_is_new_valid_and_solvable(space: SearchSpace) -> None:
    genomes = await _genomes(space, seed=3, budget=60)
    assert len(genomes) == 60 == len(set(genomes))
    assert all(space.valid(g) for g in genomes)
    assert not any(DRILLS["calendar"].is_unsolvable(g.index) for g in genomes)


def _completes(g: Genome, row: tuple[int, ...]) -> bool:
    """Whether ``g`` keeps every level ``row`` switches on."""
    return all(lv == 0 or g.levels[i] == lv for i, lv in enumerate(row))


@pytest.mark.parametrize("drill", sorted(DRILLS))
async def test_plays_the_covering_array_compressed_then_searches(drill: str) -> None:
    space = SearchSpace(DRILLS[drill], seed=0)
    # the pack's rows in the order the pack plays them
    rows = list(dict.fromkeys(space.generator_genome(i).levels for i in space.indices))
    genomes = await _genomes(space, seed=0, budget=len(rows) + 10, batch=1)
    # The first genome is the first row with later rows absorbed and the rest completed.
    first = genomes[0]
    assert _completes(first, rows[0])
    assert sum(_completes(first, r) for r in rows) >= 2
    assert first.active > sum(map(bool, rows[0]))
    # Every row is planned in full, never later than its place in the pack, most earlier,
    # and by fewer genomes than the pack has rows.
    places = [next(n for n, g in enumerate(genomes) if _completes(g, r)) for r in rows]
    assert all(p <= k for k, p in enumerate(places))
    assert sum(p < k for k, p in enumerate(places)) >= len(rows) / 2
    compressed = max(places) + 1
    assert compressed < len(rows)
    # Then the search proper: rows built for the untried combinations, corpus candidates.
    later = genomes[compressed:]
    assert any(not any(_completes(g, r) for r in rows) for g in later)


async def test_every_level_is_met_within_the_first_genomes_sooner_than_the_pack() -> None:
    space = SearchSpace(DRILLS["dropdown"], seed=2)
    levels = {(i, lv) for i, n in enumerate(space.sizes) for lv in range(1, n)}

    async def met_all(strategy: Strategy) -> int:
        log = await search(
            space, FakeRunner(space), agent="naive", budget=30, seed=2, strategy=strategy
        )
        seen: set[tuple[int, int]] = set()
        for n, t in enumerate(log.trials, start=1):
            seen |= {(i, lv) for i, lv in enumerate(t.genome.levels) if lv}
            if seen == levels:
                return n
        return len(log.trials) + 1

    # strength 1 first: a completed row switches on what its row leaves off at levels no
    # episode has met, so the four levels of the widest perturbation take about four episodes
    coverage = await met_all("coverage")
    assert coverage <= 6 and coverage < await met_all("pack")


async def test_failures_and_coverage_are_recorded(space: SearchSpace) -> None:
    log = await search(space, FakeRunner(space), agent="naive", budget=16, seed=0)
    assert log.failures and all(
        t.rule and t.rule.startswith("required:bookings:") for t in log.failures
    )
    assert "exactly one booking on {date} at {time}" in log.failures[0].rule  # type: ignore[operator]
    assert any(f.startswith("outcome|required:bookings") for f in log.coverage)
    assert any(f.startswith("next_month|modal|") or "|http_error|" in f for f in log.coverage)
    passing = [t for t in log.trials if not t.failed]
    assert all(t.rule is None for t in passing)


async def test_a_longer_budget_starts_like_a_shorter_one(space: SearchSpace) -> None:
    short = await _genomes(space, seed=5, budget=10)
    assert (await _genomes(space, seed=5, budget=24))[:10] == short


@pytest.mark.parametrize("strategy", STRATEGIES)
async def test_until_ends_the_search_early_with_the_same_first_genomes(
    space: SearchSpace, strategy: Strategy
) -> None:
    full = await search(
        space, FakeRunner(space), agent="naive", budget=30, seed=2, batch=2, strategy=strategy
    )
    asked: list[int] = []

    def third_failure(log: SearchLog) -> bool:
        asked.append(len(log.trials))
        return len(log.failures) >= 3

    short = await search(
        space, FakeRunner(space), agent="naive", budget=30, seed=2, batch=2, strategy=strategy,
        until=third_failure,
    )  # fmt: skip
    third = next(n for n in range(1, 31) if sum(t.failed for t in full.trials[:n]) == 3)
    # asked before each batch; it stops after the batch that held the third failure
    assert asked == list(range(0, len(short.trials) + 1, 2))
    assert len(short.trials) == third + third % 2 < 30
    assert [t.genome for t in short.trials] == [t.genome for t in full.trials[: third + third % 2]]


async def test_resume_after_a_kill_plays_each_genome_once(space: SearchSpace) -> None:
    runner = FakeRunner(space, crash_after=9)
    with pytest.raises(KeyboardInterrupt):
        await search(space, runner, agent="naive", budget=20, seed=4, batch=2)
    assert len(runner.played) == 9
    runner.crash_after = None  # the journal keeps what was played; the search starts over
    log = await search(space, runner, agent="naive", budget=20, seed=4, batch=2)
    assert len(runner.played) == 20 == len(set(runner.played))
    assert [t.genome for t in log.trials] == await _genomes(space, seed=4, budget=20)


async def test_random_strategy_samples_generator_scenarios(space: SearchSpace) -> None:
    log = await search(
        space, FakeRunner(space), agent="naive", budget=12, seed=0, strategy="random"
    )
    assert all(t.genome == space.generator_genome(t.genome.index) for t in log.trials)
    assert len({t.genome.index for t in log.trials}) == 12


async def test_pack_strategy_plays_the_generators_pack_in_order(space: SearchSpace) -> None:
    log = await search(space, FakeRunner(space), agent="naive", budget=10, seed=3, strategy="pack")
    solvable = space.indices[:10]  # the pack's unsolvable-by-design rows are left out
    assert [t.genome for t in log.trials] == [space.generator_genome(i) for i in solvable]


async def test_bad_budget_and_strategy_are_named(space: SearchSpace) -> None:
    with pytest.raises(ValueError, match=r"--budget: must be at least 1 \(got 0\)"):
        await search(space, FakeRunner(space), agent="naive", budget=0, seed=0)
    with pytest.raises(ValueError, match=r"--strategy: .*got 'afl'"):
        await search(space, FakeRunner(space), agent="naive", budget=1, seed=0, strategy="afl")  # type: ignore[arg-type]


def test_mutations_stay_in_range(space: SearchSpace) -> None:
    m = Mutator(space, random.Random(0))
    g, other = Genome(0, (1, 2, 0, 0, 0, 3)), Genome(1, (4, 0, 0, 3, 0, 0))
    for _ in range(500):
        c = m.mutate(g, other)
        assert len(c.levels) == 6
        assert all(0 <= lv < n for lv, n in zip(c.levels, space.sizes, strict=True))
    assert m.turn_off(Genome(0, (0, 0, 0, 0, 0, 0)), other) == Genome(0, (0, 0, 0, 0, 0, 0))
    spliced = {m.splice(g, other).levels for _ in range(50)}
    assert all(
        all(x in (a, b) for x, a, b in zip(s, g.levels, other.levels, strict=True)) for s in spliced
    )


def test_cli_strategies_match_the_search() -> None:
    from fuzzer.commands.fuzz import STRATEGIES as CLI

    assert CLI == STRATEGIES
