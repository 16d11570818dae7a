"""The Ray backend gives the same results as the local one for deterministic agents."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from fuzzer.play.journal import read_journal
from fuzzer.play.runner import run_episodes
from scenarios.generate import iter_scenarios

pytest.importorskip("ray")

pytestmark = [pytest.mark.browser, pytest.mark.proxy]


def _essence(results: list) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    """What must agree. The no-op agent stops at once, so whether the page's own first
    request reached the proxy before the episode ended (and a fault on it fired) is a race
    with the page's scripts, not a backend's choice: its fires are left out."""
    return [
        (
            r.scenario_id,
            r.agent,
            r.condition,
            r.trial,
            r.passed,
            r.summary,
            tuple(r.faults_fired) if r.agent != "noop" else None,
            r.failed_rules,
        )
        for r in results
    ]


def test_ray_and_local_backends_agree(tmp_path: Path) -> None:
    scenarios = list(iter_scenarios("calendar", 3, 11))
    args = {"agents": ["naive", "noop"], "conditions": ["perturbed"], "workers": 2}
    local = asyncio.run(run_episodes(scenarios, ledger_dir=tmp_path / "l", **args))  # type: ignore[arg-type]
    remote = asyncio.run(
        run_episodes(
            scenarios,
            ledger_dir=tmp_path / "r",
            backend="ray",
            journal=tmp_path / "ray.jsonl",
            **args,
        )  # type: ignore[arg-type]
    )
    assert _essence(remote) == _essence(local)
    assert len(local) == 6 and not any(r.harness_error for r in local)
    journal = list(read_journal(tmp_path / "ray.jsonl"))
    assert sorted((r["scenario_id"], r["agent"]) for r in journal) == sorted(
        (r.scenario_id, r.agent) for r in local
    )
    assert len(list((tmp_path / "r").glob("*.jsonl"))) == 6  # every ledger written by actors
