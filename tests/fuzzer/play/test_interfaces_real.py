"""Every interface variant of a drill is played for real: its transforms fire on the page,
the result names the variant, and the careful agent still finishes the task on each."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from fuzzer.play.runner import run_episodes
from scenarios.generate import get_drill, iter_scenarios
from scenarios.model import Scenario

pytestmark = [pytest.mark.browser, pytest.mark.proxy]


@pytest.mark.timeout(900)
def test_careful_agent_solves_the_dropdown_drill_on_every_variant(tmp_path: Path) -> None:
    drill = get_drill("dropdown", interfaces=True)
    kinds = {v.name: {t.kind for t in v.transforms} for v in drill.spec.interfaces}
    picked: dict[str | None, Scenario] = {}
    for sc in iter_scenarios("dropdown", 40, 8, interfaces=True):
        if sc.solvable and sc.interface not in picked:
            picked[sc.interface] = sc
    assert set(picked) == {"default", *kinds}
    results = asyncio.run(
        run_episodes(
            list(picked.values()),
            ["careful"],
            ["unperturbed"],
            ledger_dir=tmp_path / "ledgers",
            workers=2,
        )
    )
    assert len(results) == len(picked)
    for r in results:
        assert r.harness_error is None, r.harness_error
        assert r.passed, (r.interface, r.summary)
        assert r.interface is not None
        # the look was on the page: its transforms fired, and nothing else did
        assert set(r.faults_fired) == kinds.get(r.interface, set()), (r.interface, r.faults_fired)
