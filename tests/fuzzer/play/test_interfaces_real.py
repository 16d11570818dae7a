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
    for sc in iter_scenarios("dropdown", 48, 8, interfaces=True):
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


@pytest.mark.timeout(900)
def test_careful_agent_solves_the_calendar_drill_on_every_date_widget(tmp_path: Path) -> None:
    """One scenario per date-picker implementation, played through the proxy in both
    conditions; the perturbed one re-renders the picker mid-click where the pack has one."""
    drill = get_drill("calendar", interfaces=True)
    widgets = {v.name: v.fixture["date_widget"] for v in drill.spec.interfaces if v.fixture}
    assert set(widgets.values()) == {"native", "flatpickr", "pikaday", "vanillajs-datepicker"}

    def rerenders(sc: Scenario) -> bool:
        return any(f["kind"] == "rerender_widget" for f in sc.faults)

    picked: dict[str | None, Scenario] = {}
    for sc in iter_scenarios("calendar", 160, 8, interfaces=True):
        if sc.solvable and sc.interface in widgets:
            old = picked.get(sc.interface)
            if old is None or (rerenders(sc) and not rerenders(old)):
                picked[sc.interface] = sc
    assert set(picked) == set(widgets)
    assert all(rerenders(sc) for sc in picked.values())
    results = asyncio.run(
        run_episodes(
            list(picked.values()),
            ["careful"],
            ["unperturbed", "perturbed"],
            ledger_dir=tmp_path / "ledgers",
            workers=2,
        )
    )
    assert len(results) == 2 * len(picked)
    for r in results:
        assert r.harness_error is None, r.harness_error
        assert r.passed, (r.interface, r.condition, r.summary)
        assert r.interface in widgets
        if r.condition == "perturbed":
            # the re-render's trigger names each library's own day and month buttons
            assert "rerender_widget" in r.faults_fired, (r.interface, r.faults_fired)
