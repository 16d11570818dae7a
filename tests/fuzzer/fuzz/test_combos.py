"""Level-combination feedback and near misses: units, and the search on a fake runner."""

from __future__ import annotations

import pytest

from fuzzer.fuzz.combos import ComboCoverage
from fuzzer.fuzz.search import Search, search
from fuzzer.fuzz.signals import near_misses
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.ledger import Fire, fires
from fuzzer.play.runner import Job
from scenarios.drills import DRILLS
from tests.fuzzer.fuzz.fakes import FakeRunner

#: A weakness of a mostly robust agent: it fails only when modal (index 1) is at level 3,
#: slow_availability (3) at level 2 and save_error (5) at level 4, all at once.
PLANTED = {1: 3, 3: 2, 5: 4}


def planted_judge(g: Genome, agent: str, trial: int) -> int | None:
    return 0 if all(g.levels[i] == lv for i, lv in PLANTED.items()) else None


@pytest.fixture(scope="module")
def space() -> SearchSpace:
    return SearchSpace(DRILLS["calendar"], seed=0)


def test_only_fired_levels_count() -> None:
    cov = ComboCoverage((3, 3, 3))
    assert cov.record((1, 2, 1), fired={0, 1}) == 1
    assert cov.covered[2] == {((0, 1), (1, 2))}
    assert cov.fire_rate(2, 1) < cov.fire_rate(0, 1)  # planned once, never fired
    assert cov.fire_rate(2, 2) == 0.5  # never planned: no evidence either way


def test_gain_counts_untried_combinations_weighted_by_fire_rate() -> None:
    cov = ComboCoverage((2, 2, 2))
    assert cov.gain((1, 1, 1)) == pytest.approx(3 * 0.5 * 0.5)
    cov.record((1, 1, 0), fired={0, 1})
    assert cov.gain((1, 1, 1)) == pytest.approx(2 * (2 / 3) * 0.5)
    pending = cov.planned_combos((0, 1, 1))
    assert cov.gain((1, 1, 1), pending) == pytest.approx((2 / 3) * 0.5)


def test_strength_rises_when_exhausted_and_remembers_what_fired() -> None:
    cov = ComboCoverage((2, 2, 2))
    cov.record((1, 1, 1), fired={0, 1, 2})
    assert cov.untried() == []
    assert not cov.exhausted(best_gain=1.0)
    assert cov.exhausted(best_gain=0.0)
    assert cov.strength == 3
    assert cov.covered[3] == {((0, 1), (1, 1), (2, 1))}  # from the earlier episode
    assert cov.progress() == {"strength": 3, "covered": {2: 3, 3: 1}}
    assert not cov.exhausted(best_gain=0.0)  # no strength beyond the perturbation count


def test_forbidden_combinations_are_not_possible() -> None:
    cov = ComboCoverage((3, 3), forbidden=[{0: 2, 1: 1}, {0: 0, 1: 2}])
    assert not cov.possible(((0, 2), (1, 1)))
    assert cov.possible(((0, 1), (1, 2)))
    assert cov.universe(2) == 3
    with pytest.raises(ValueError, match="strength: must be at least 1"):
        ComboCoverage((2,), strength=0)


def test_the_drills_combination_counts() -> None:
    calendar = SearchSpace(DRILLS["calendar"], seed=0)
    cov = ComboCoverage(calendar.sizes, forbidden=DRILLS["calendar"].forbidden)
    assert [cov.universe(t) for t in (1, 2, 3)] == [26, 257, 1252]


@pytest.mark.parametrize("seed", range(5))
async def test_search_finds_a_planted_three_way_weakness(space: SearchSpace, seed: int) -> None:
    # The generator's pairwise rows never hold this triple: playing the pack finds nothing.
    rows = [space.generator_genome(i) for i in space.indices]
    assert not any(planted_judge(g, "x", 0) is not None for g in rows)
    log = await search(
        space, FakeRunner(space, judge=planted_judge), agent="x", budget=200, seed=seed
    )
    assert log.failures, log.combos
    assert all(planted_judge(t.genome, "x", 0) == 0 for t in log.failures)
    assert log.combos["strength"] >= 3  # pairs exhausted, then triples
    covered = log.combos["covered"]
    assert isinstance(covered, dict) and covered[2] == 257


async def test_what_never_fires_is_never_counted(space: SearchSpace) -> None:
    runner = FakeRunner(space, never_fires=frozenset({"slow_slots"}))
    state = Search(space, seed=1, strategy="coverage")
    while len(state.log.trials) < 60:
        genomes = state.propose(2)
        observations = await runner.episodes(
            [Job(space.scenario(g), "x", "perturbed", 0) for g in genomes]
        )
        for g, obs in zip(genomes, observations, strict=True):
            state.record(g, None, obs)
    slots = space.ids.index("slow_slots")
    assert any(t.genome.levels[slots] for t in state.log.trials)  # planned, played ...
    covered = state.combos.covered[state.combos.strength]
    assert covered and not any(slots in dict(c) for c in covered)  # ... never counted
    assert all(state.combos.fire_rate(slots, lv) < 0.5 for lv in (1, 2))


async def test_near_misses_are_coverage(space: SearchSpace) -> None:
    def retries(g: Genome) -> frozenset[str]:
        return frozenset({"retry|POST /api/bookings"}) if g.levels[5] else frozenset()

    log = await search(space, FakeRunner(space, signals=retries), agent="x", budget=12, seed=0)
    assert "near|retry|POST /api/bookings" in log.coverage
    first = next(t for t in log.trials if t.genome.levels[5])
    assert first.new_features > 0


def _ledger() -> list[dict[str, object]]:
    earlier = [
        {"type": "plan", "t_ms": 0},
        {"type": "request", "method": "POST", "path": "/api/old", "decisions": []},
        {"type": "page", "kind": "modal", "event": "dismissed", "t_ms": 5},
    ]
    return [
        *earlier,
        {"type": "plan", "t_ms": 1000},
        {
            "type": "request",
            "method": "POST",
            "path": "/api/bookings",
            "resource": "xhr-fetch",
            "decisions": [{"id": "lost", "kind": "http_error", "fired": False}],
            "t_ms": 1100,
        },
        {
            "type": "decision",
            "method": "GET",
            "path": "/app.js",
            "resource": "asset",
            "decisions": [{"id": "slow", "kind": "latency", "fired": True}],
            "t_ms": 1200,
        },
        {"type": "response", "method": "POST", "path": "/api/bookings", "status": 503},
        {
            "type": "request",
            "method": "POST",
            "path": "/api/bookings",
            "resource": "xhr-fetch",
            "decisions": [{"id": "lost", "kind": "http_error", "fired": True}],
            "t_ms": 1600,
        },
        *(
            {
                "type": "request",
                "method": "GET",
                "path": f"/api/bookings/{n}?fresh=1",
                "resource": "xhr-fetch",
                "decisions": [],
            }
            for n in (7, 7, 8)
        ),
        {
            "type": "request",
            "method": "GET",
            "path": "/api/slots",
            "resource": "xhr-fetch",
            "decisions": [],
        },
        {
            "type": "request",
            "method": "POST",
            "path": "/elsewhere",
            "in_scope": False,
            "decisions": [],
        },
        {
            "type": "request",
            "method": "POST",
            "path": "/elsewhere",
            "in_scope": False,
            "decisions": [],
        },
        {"type": "page", "kind": "click_overlay", "event": "intercepted", "t_ms": 2000},
        {"type": "page", "kind": "modal", "event": "shown", "t_ms": 2100},
    ]


def test_near_misses_of_a_ledger_read_its_last_run() -> None:
    assert near_misses(_ledger()) == {
        "retry|POST /api/bookings",
        "reread|GET /api/bookings/{n}",
        "recovered|5xx",
        "click_overlay|intercepted",
    }


def test_fires_include_faults_decided_on_the_response() -> None:
    assert fires(_ledger()) == [
        Fire("slow", "latency", 200.0, "network", "GET /app.js"),
        Fire("lost", "http_error", 600.0, "network", "POST /api/bookings"),
    ]
