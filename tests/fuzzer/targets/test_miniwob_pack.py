"""``gymfuzz run`` on the pack of perturbed MiniWoB++ variants, with the naive and careful agents.

One run plays the whole pack (both agents, both conditions, 2 workers); each test reads the
journal and the ledgers it wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fuzzer.cli import main
from fuzzer.play.journal import load_results
from fuzzer.targets.miniwob_pack import perturbed_variants, write_variants_pack
from proxy_addons.ledger import read_ledger

pytestmark = [pytest.mark.browser, pytest.mark.proxy]
pytest.importorskip("miniwob", reason="MiniWoB++ comes with the extra 'gym'")

KINDS = {sc.id: next(f["kind"] for f in sc.faults) for sc in perturbed_variants()}
#: Variants where the naive agent must fail: all but the one the task tolerates (latency).
BREAKS_NAIVE = set(KINDS) - {"click-button-latency"}


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("miniwob-pack")
    pack = write_variants_pack(tmp / "pack")
    out = tmp / "results.jsonl"
    argv = ["run", str(pack.path), "--out", str(out), "--condition", "both", "--workers", "2"]
    argv += ["--agent", "careful", "--agent", "naive"]  # the reference agents' miniwob scripts
    code = main(argv)
    results = {(r.scenario_id, r.agent, r.condition): r for r in load_results(out)}
    return {"code": code, "results": results, "ledgers": out.with_suffix(".ledgers")}


def page_and_network_kinds(ledgers: Path, episode: str) -> set[str]:
    kinds = set()
    for rec in read_ledger(ledgers / f"{episode}.jsonl"):
        if rec["type"] == "page" and rec["event"] == "fired":
            kinds.add(rec["kind"])
        elif rec["type"] == "request":
            kinds.update(d["kind"] for d in rec["decisions"] if d["fired"])
    return kinds


def test_the_cli_plays_the_whole_pack(played: dict[str, Any]) -> None:
    assert played["code"] == 0
    assert len(played["results"]) == len(KINDS) * 2 * 2
    assert all(r.harness_error is None for r in played["results"].values())


@pytest.mark.parametrize("scenario_id", sorted(KINDS))
def test_every_variant_passes_unperturbed(played: dict[str, Any], scenario_id: str) -> None:
    for agent in ("careful", "naive"):
        result = played["results"][(scenario_id, agent, "unperturbed")]
        assert result.passed, result.summary
        assert result.faults_fired == []


@pytest.mark.parametrize("scenario_id", sorted(KINDS))
def test_the_careful_agent_passes_every_variant(played: dict[str, Any], scenario_id: str) -> None:
    result = played["results"][(scenario_id, "careful", "perturbed")]
    assert result.passed, (result.summary, result.agent_error)
    assert result.faults_fired == [KINDS[scenario_id]]
    assert KINDS[scenario_id] in page_and_network_kinds(played["ledgers"], result.episode)


@pytest.mark.parametrize("scenario_id", sorted(KINDS))
def test_the_perturbation_decides_the_naive_verdict(
    played: dict[str, Any], scenario_id: str
) -> None:
    result = played["results"][(scenario_id, "naive", "perturbed")]
    assert result.faults_fired == [KINDS[scenario_id]]
    assert KINDS[scenario_id] in page_and_network_kinds(played["ledgers"], result.episode)
    assert result.verdict["source"] == "env_reward"
    assert result.passed is (scenario_id not in BREAKS_NAIVE), result.summary
