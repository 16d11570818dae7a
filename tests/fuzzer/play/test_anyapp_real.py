"""The any-app pack, unchanged, on the embedded site it was not written for: each drill task
played under an any-app scenario's faults (``--overlay``), real proxy, real Chromium.

The careful agent still solves every task and the do-nothing agent fails every one (the
verdicts are the tasks' own), and every firing in the ledger names what it acted on: an
element of the page, or a request."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from fuzzer.play.ledger import fires, last_run, read_records
from fuzzer.play.runner import run_episodes
from proxy_addons.episodes import EpisodeRegistry
from scenarios.anyapp import ANY_APP_GRAPH, overlay
from scenarios.drills import DRILLS
from scenarios.generate import generate_pack
from scenarios.model import Scenario
from scenarios.pack import open_pack, write_pack
from tests.cli import assert_usage_error, gymfuzz

pytestmark = [pytest.mark.browser, pytest.mark.proxy]


@pytest.fixture(scope="module")
def any_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("any") / "pack"
    generate_pack(out, drill="", graph=ANY_APP_GRAPH, count=8, seed=4, interfaces=True)
    return out


def _tasks() -> list[Scenario]:
    """Solvable dropdown and calendar tasks (the overlay replaces their perturbations)."""
    out: list[Scenario] = []
    for name in ("dropdown", "calendar"):
        drill = DRILLS[name]
        out += [sc for sc in (drill.scenario(21, i) for i in range(6)) if sc.solvable][:4]
    return out


@pytest.mark.timeout(1200)
def test_careful_solves_and_noop_fails_every_task_under_the_any_app_pack(
    any_pack: Path, tmp_path: Path
) -> None:
    played = overlay(_tasks(), list(open_pack(any_pack).scenarios()))
    assert len(played) == 8
    ledgers = tmp_path / "ledgers"
    results = asyncio.run(
        run_episodes(played, ["careful", "noop"], ["perturbed"], ledger_dir=ledgers, workers=2)
    )
    assert len(results) == 16
    assert all(r.harness_error is None for r in results), [r.summary for r in results]
    by_agent = Counter((r.agent, r.passed) for r in results)
    assert by_agent == {("careful", True): 8, ("noop", False): 8}, [
        (r.scenario_id, r.agent, r.summary) for r in results if r.passed != (r.agent == "careful")
    ]
    named = EpisodeRegistry(ledger_dir=ledgers)
    page_kinds: set[str] = set()
    network_kinds: set[str] = set()
    for r in results:
        if r.agent != "careful":
            continue
        fired = fires(last_run(read_records(named.ledger_path(r.episode))))
        assert fired, r.scenario_id  # the pack found something to act on in every episode
        for f in fired:
            assert f.on, (r.scenario_id, f)  # every firing names its element or request
            if f.layer == "network":
                network_kinds.add(f.kind)
                assert f.on.split()[0] in {"GET", "POST", "PUT", "PATCH", "DELETE"}, f
            else:
                page_kinds.add(f.kind)
    # the pack acted on the site's own widgets, not only on the page as a whole
    assert {"modal", "click_overlay"} <= page_kinds, page_kinds
    assert network_kinds, network_kinds


def test_run_with_a_pack_that_is_not_any_app_as_overlay_exits_2(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    write_pack(tasks, _tasks()[:1], arguments={"source": "test"})
    out = tmp_path / "results.jsonl"
    run = ["run", str(tasks), "--agent", "careful", "--overlay", str(tasks), "--out", str(out)]
    proc = gymfuzz(*run, timeout=120)
    assert_usage_error(proc, "drill: expected an any-app scenario")
    assert not out.exists()
