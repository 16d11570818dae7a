"""The example Django admin calendar (examples/django_calendar) through the real thing:
Django launched from its target file, real mitmproxy, real Chromium, verdicts from the app's
own SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzzer.play.runner import run_episodes
from fuzzer.targets.base import Target
from fuzzer.targets.choose import choose_targets
from scenarios.generate import generate_pack
from scenarios.model import Scenario
from tests.cli import gymfuzz

from .keeping import KeepingTarget

pytest.importorskip("django", reason="the example needs Django (the 'dev' extra)")

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "django_calendar"
TARGET = EXAMPLE / "target.yaml"
CAREFUL = "agents:CarefulAgent"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> list[Scenario]:
    out = tmp_path_factory.mktemp("pack") / "pack"
    return list(
        generate_pack(out, drill="", count=6, seed=3, graph=EXAMPLE / "graph.json").scenarios()
    )


@pytest.fixture(autouse=True)
def in_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)  # agents.py is found as python -m would find it


@pytest.mark.timeout(900)
def test_the_gate_passes_through_the_cli(tmp_path: Path) -> None:
    pack_dir = tmp_path / "pack"
    generate_pack(pack_dir, drill="", count=3, seed=5, graph=EXAMPLE / "graph.json")
    args = ["gate", str(pack_dir), "--target", str(TARGET), "--careful", CAREFUL]
    proc = gymfuzz(*args, "--workers", "2", cwd=EXAMPLE, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gate: 3 scenarios, 0 vacuous, 0 unfair, 0 harness errors: PASS" in proc.stdout


@pytest.mark.timeout(2400)
async def test_two_workers_give_the_verdicts_of_one_and_reset_restores(tmp_path: Path) -> None:
    """The naive agent on 16 perturbed scenarios: with one app instance and with two, the
    same verdicts; after the 16 episodes on one instance, a reset puts its database back."""
    graph = EXAMPLE / "graph.json"
    sixteen = list(
        generate_pack(tmp_path / "sixteen", drill="", count=16, seed=8, graph=graph).scenarios()
    )
    assert all(sc.faults for sc in sixteen)
    keeping: list[KeepingTarget] = []

    def one_instance() -> list[Target]:
        target = KeepingTarget.from_file(TARGET)
        assert isinstance(target, KeepingTarget)
        keeping.append(target)
        return [target]

    verdicts = []
    for workers in (1, 2):
        results = await run_episodes(
            sixteen,
            ["agents:NaiveAgent"],
            ["perturbed"],
            ledger_dir=tmp_path / f"naive{workers}",
            journal=tmp_path / f"naive{workers}.jsonl",
            workers=workers,
            targets=one_instance if workers == 1 else choose_targets(TARGET, workers=workers),
        )
        assert all(r.harness_error is None for r in results), [r.summary for r in results]
        verdicts.append({r.scenario_id: (r.passed, tuple(r.failed_rules)) for r in results})
    assert len(verdicts[0]) == len(sixteen)
    assert verdicts[0] == verdicts[1]
    passed = sum(ok for ok, _ in verdicts[0].values())
    assert 0 < passed < len(sixteen)  # the perturbations break the naive agent, not always

    # apart from the ignored sessions, admin log and last_login
    (target,) = keeping
    assert target.last == target.first
    assert "django_session" not in target.last and "last_login" not in target.last["auth_user"]["1"]
    assert len(target.resets) == len(sixteen) + 2

    html = tmp_path / "report.html"
    journal = tmp_path / "naive2.jsonl"
    report = gymfuzz("report", str(journal), "-o", str(html), timeout=120)
    assert report.returncode == 0, report.stdout + report.stderr
    page = html.read_text(encoding="utf-8")
    assert sixteen[0].id in page and "naive" in page


@pytest.mark.timeout(900)
async def test_wrong_agents_fail_with_the_rule_named(pack: list[Scenario], tmp_path: Path) -> None:
    results = await run_episodes(
        pack[:2],
        ["agents:WrongSlotAgent", "agents:DoubleSaveAgent"],
        ["unperturbed"],
        ledger_dir=tmp_path / "ledgers",
        workers=2,
        targets=choose_targets(TARGET, workers=2),
    )
    assert len(results) == 4
    for r in results:
        assert not r.passed and r.harness_error is None and r.agent_error is None
        assert r.failed_rules[0].startswith("one event ")
    double = [r for r in results if r.agent == "double_save"]
    assert all("found 2" in r.summary for r in double)
    wrong = [r for r in results if r.agent == "wrong_slot"]
    assert all("found 0" in r.summary for r in wrong)


@pytest.mark.timeout(900)
def test_ray_actors_each_launch_their_own_app_and_agree_with_local(
    pack: list[Scenario], tmp_path: Path
) -> None:
    pytest.importorskip("ray")
    import asyncio

    verdicts = []
    for backend in ("local", "ray"):
        results = asyncio.run(
            run_episodes(
                pack[:4],
                ["agents:NaiveAgent"],
                ["perturbed"],
                ledger_dir=tmp_path / backend,
                workers=2,
                backend=backend,  # type: ignore[arg-type]
                targets=choose_targets(TARGET, workers=1 if backend == "ray" else 2),
            )
        )
        assert all(r.harness_error is None for r in results), [r.summary for r in results]
        verdicts.append([(r.scenario_id, r.passed, tuple(r.failed_rules)) for r in results])
    assert len(verdicts[0]) == 4
    assert verdicts[0] == verdicts[1]
    assert len(list((tmp_path / "ray").glob("*.jsonl"))) == 4  # written by the actors' proxies
