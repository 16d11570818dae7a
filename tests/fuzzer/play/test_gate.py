"""The spec quality gate through the real site, proxy and browser: every built-in drill's
verifier fails the do-nothing agent and passes the careful one, unsolvable scenarios
included; a vacuous or an unfair spec is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzzer.play.gate import check_specs
from scenarios.drills import DRILLS
from scenarios.model import Scenario, load_scenario

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

#: Two solvable scenarios of each drill and its first unsolvable one (index 9).
INDICES = (0, 1, 9)


def _scenarios(drill: str) -> list[Scenario]:
    return [DRILLS[drill].scenario(0, i) for i in INDICES]


@pytest.mark.parametrize("drill", sorted(DRILLS))
async def test_every_builtin_drill_passes_the_gate(drill: str, tmp_path: Path) -> None:
    scenarios = _scenarios(drill)
    assert [s.solvable for s in scenarios] == [True, True, False]
    report = await check_specs(scenarios, ledger_dir=tmp_path)
    assert report.passed, "\n".join(report.lines())
    assert report.scenarios == 3


async def test_a_vacuous_and_an_unfair_spec_fail_the_gate(tmp_path: Path) -> None:
    base = DRILLS["calendar"].scenario(0, 0).model_dump(mode="json")
    vacuous = {**base, "id": "vacuous", "verifier": {"allowed": base["verifier"]["allowed"]}}
    unfair = dict(base, id="unfair")
    unfair["verifier"] = {
        **base["verifier"],
        "required": [{**base["verifier"]["required"][0], "count": 2}],
    }
    scenarios = [load_scenario(vacuous), load_scenario(unfair)]
    report = await check_specs(scenarios, ledger_dir=tmp_path)
    assert not report.passed
    assert [r.scenario_id for r in report.vacuous] == ["vacuous"]
    assert [r.scenario_id for r in report.unfair] == ["unfair"]
    assert "expected exactly 2 added bookings" in report.unfair[0].summary
    assert any("vacuous (noop passes): vacuous" in line for line in report.lines())
