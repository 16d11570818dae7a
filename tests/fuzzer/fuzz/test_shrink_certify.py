"""Shrinking, certification and the campaign with a fake episode runner (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzzer.fuzz.campaign import CampaignSettings, pick_failures, run_campaign
from fuzzer.fuzz.certify import certify, classes
from fuzzer.fuzz.search import search
from fuzzer.fuzz.shrink import candidates, shrink, simpler
from fuzzer.fuzz.space import Genome, SearchSpace
from fuzzer.play.episode import AGENT_TIMEOUT_S
from scenarios.drills import DRILLS
from tests.fuzzer.fuzz.fakes import FakeRunner

RULE = "required:bookings:exactly one booking on {date} at {time}"


@pytest.fixture(scope="module")
def space() -> SearchSpace:
    return SearchSpace(DRILLS["calendar"], seed=0)


def modal_breaks(g: Genome, agent: str, trial: int) -> int | None:
    """Only a modal (any level) breaks the agent."""
    return 0 if agent == "naive" and g.levels[1] else None


async def test_shrinks_to_the_one_perturbation_that_matters_mildest_shortest(
    space: SearchSpace,
) -> None:
    start = Genome(4, (1, 6, 0, 2, 0, 3))
    runner = FakeRunner(space, modal_breaks)
    done = await shrink(space, runner, start, RULE, agent="naive", budget=40)
    assert done.shrunk.levels == (0, 1, 0, 0, 0, 0)
    shortest = min(space.path_length(Genome(i, (0, 1, 0, 0, 0, 0))) for i in space.indices[:60])
    assert space.path_length(done.shrunk) == shortest < space.path_length(start)
    assert done.original == start and 0 < done.steps <= 40
    assert all(simpler(space, g) < simpler(space, start) for g, _ in done.tried)


async def test_shrink_keeps_the_failed_rule(space: SearchSpace) -> None:
    def judge(g: Genome, agent: str, trial: int) -> int | None:
        # save_error alone fails another rule; with the modal the required rule fails.
        if g.levels[1]:
            return 0
        return 2 if g.levels[5] else None

    done = await shrink(
        space,
        FakeRunner(space, judge),
        Genome(0, (0, 1, 0, 0, 0, 1)),
        RULE,
        agent="naive",
        budget=30,
    )
    assert done.shrunk.levels[1] >= 1


async def test_shrink_respects_its_budget(space: SearchSpace) -> None:
    runner = FakeRunner(space, modal_breaks)
    done = await shrink(space, runner, Genome(4, (1, 6, 0, 2, 0, 3)), RULE, agent="naive", budget=3)
    assert done.steps == 3 == len(runner.played)


def test_candidates_are_valid_and_simpler(space: SearchSpace) -> None:
    g = Genome(0, (1, 6, 0, 2, 0, 3))
    drops, milder, shorter = candidates(space, g)
    assert drops == [g.with_level(i, 0) for i in (0, 1, 3, 5)]  # the active ones
    assert g.with_level(1, 1) in milder and g.with_level(1, 3) in milder
    assert all(space.path_length(c) < space.path_length(g) for c in shorter)
    # a lone perturbation is never dropped: the drill needs at least one
    assert candidates(space, Genome(0, (0, 1, 0, 0, 0, 0)))[0] == []


async def test_certify_flaky_unfair_inconclusive(space: SearchSpace) -> None:
    g = Genome(1, (0, 1, 0, 0, 0, 0))
    done = await shrink(space, FakeRunner(space, modal_breaks), g, RULE, agent="naive", budget=5)

    def flaky(g: Genome, agent: str, trial: int) -> int | None:
        return 0 if agent == "naive" and trial == 2 else None

    cert = await certify(space, FakeRunner(space, flaky), done, agent="naive", k=3)
    assert (cert.failures, cert.k, cert.status) == (1, 3, "certified")
    assert cert.fail_rate == pytest.approx(1 / 3)

    def unfair(g: Genome, agent: str, trial: int) -> int | None:
        return 0

    cert = await certify(space, FakeRunner(space, unfair), done, agent="naive", k=2)
    assert cert.status == "unfair" and not cert.certified
    assert classes([cert]) == {}

    def broken(g: Genome, agent: str, trial: int) -> int | None:
        return -1 if agent == "careful" else 0

    cert = await certify(space, FakeRunner(space, broken), done, agent="naive", k=2)
    assert cert.status == "inconclusive"

    def careful_fails(g: Genome, agent: str, trial: int) -> int | None:
        return 0

    slow = FakeRunner(space, careful_fails, seconds=lambda agent: AGENT_TIMEOUT_S + 1.0)
    cert = await certify(space, slow, done, agent="naive", k=1)
    assert (cert.status, cert.careful_timeouts) == ("inconclusive", 1)
    assert cert.to_json()["careful_timeouts"] == 1

    def never(g: Genome, agent: str, trial: int) -> int | None:
        return None

    cert = await certify(space, FakeRunner(space, never), done, agent="naive", k=2)
    assert cert.status == "not reproduced"
    with pytest.raises(ValueError, match=r"--k: must be at least 1 \(got 0\)"):
        await certify(space, FakeRunner(space), done, agent="naive", k=0)


async def test_campaign_certifies_minimal_failures_grouped_by_class(space: SearchSpace) -> None:
    runner = FakeRunner(space)
    settings = CampaignSettings(agent="naive", budget=12, seed=0, workers=2, shrink_budget=16)
    c = await run_campaign(space, runner, settings)
    assert c.certified and all(cert.shrunk.shrunk.active == 1 for cert in c.certified)
    keys = set(c.classes())
    assert keys <= {f"{k} / {RULE}" for k in ("http_error", "modal", "rerender_widget")}
    assert len(runner.played) == len(set(runner.played))
    doc = c.to_json(space)
    assert doc["search"]["episodes"] == 12 and doc["classes"]

    careful = await run_campaign(space, FakeRunner(space), CampaignSettings("careful", 8))
    assert careful.log.failures == [] and careful.certified == []


async def test_dense_failures_are_unmasked_into_each_of_their_causes(space: SearchSpace) -> None:
    # The fake naive agent fails on each of three perturbations alone; the search plays
    # genomes with all of them on, so every failure is of one class as found.
    runner = FakeRunner(space)
    settings = CampaignSettings("naive", budget=6, seed=0, shrink_budget=16, max_failures=4)
    c = await run_campaign(space, runner, settings)
    assert len(c.log.classes(space)) == 1
    causes = {tuple(space.kinds_of(cert.shrunk.shrunk)) for cert in c.certified}
    assert causes == {("rerender_widget",), ("modal",), ("http_error",)}
    # with all three switched off the failures pass: no fourth cause, replays bounded
    assert len(c.shrunk) == 3 and 2 < c.unmasked <= settings.max_failures
    assert c.to_json(space)["unmask_replays"] == c.unmasked


async def test_pick_failures_one_per_class_fewest_perturbations_first(space: SearchSpace) -> None:
    # the pack's rows: failures of many kinds of perturbation, sparse and dense
    log = await search(space, FakeRunner(space), agent="naive", budget=20, seed=1, strategy="pack")
    picked = pick_failures(space, log.failures, 3)
    assert len(picked) == 3
    assert [t.genome.active for t in picked] == sorted(t.genome.active for t in picked)
    keys = {(tuple(space.kinds_of(t.genome)), t.rule) for t in picked}
    assert len(keys) == 3


def test_settings_name_the_bad_option() -> None:
    with pytest.raises(ValueError, match=r"--shrink-budget: must be >= 0 \(got -1\)"):
        CampaignSettings("naive", 5, shrink_budget=-1).check()
    with pytest.raises(ValueError, match=r"--careful-trials: must be at least 1 \(got 0\)"):
        CampaignSettings("naive", 5, careful_trials=0).check()


async def test_a_workflow_graph_file_is_fuzzed_and_shrunk_like_a_drill() -> None:
    from fuzzer.fuzz.run import load_drill

    graph = Path(__file__).resolve().parents[2] / "scenarios" / "graphs" / "shop_checkout.yaml"
    drill, naming = load_drill(None, graph)
    assert naming["drill"] == "shop-checkout" and len(naming["graph_sha256"]) == 64
    space = SearchSpace(drill, seed=0)
    pay = space.ids.index("payment_error")

    def judge(g: Genome, agent: str, trial: int) -> int | None:
        return 0 if agent == "naive" and g.levels[pay] else None

    c = await run_campaign(
        space, FakeRunner(space, judge), CampaignSettings("naive", 10, shrink_budget=30)
    )
    assert c.certified
    for cert in c.certified:
        g = cert.shrunk.shrunk
        assert [i for i, lv in enumerate(g.levels) if lv] == [pay] and g.levels[pay] == 1
        lengths = [space.path_length(g.with_index(i)) for i in space.indices[:60]]
        assert space.path_length(g) == min(lengths)
    assert set(c.classes()) == {"http_error / required:orders:one order of a {item}"}
