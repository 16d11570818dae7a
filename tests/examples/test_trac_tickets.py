"""The Trac example (examples/trac_tickets) through the real thing: Trac 1.6 from PyPI,
unmodified, launched from its target file (trac-admin initenv and seeding, then tracd), real
mitmproxy, real Chromium, verdicts from each instance's own SQLite database."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from fuzzer.play.episode import EpisodeResult
from fuzzer.play.journal import load_results
from fuzzer.play.runner import run_episodes
from fuzzer.targets.base import Target
from fuzzer.targets.choose import choose_targets
from scenarios.generate import generate_pack
from scenarios.model import Scenario
from tests import cli

from .keeping import KeepingTarget

pytest.importorskip("trac", reason="the example needs Trac (the 'dev' extra)")

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "trac_tickets"
TARGET = EXAMPLE / "target.yaml"
GRAPH = EXAMPLE / "graph.json"
CAREFUL = "agents:CarefulAgent"
NAIVE = "agents:NaiveAgent"


def gymfuzz(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """``gymfuzz ARGS`` in the example's folder (where ``agents.py`` is found)."""
    return cli.gymfuzz(*args, cwd=EXAMPLE, timeout=timeout)


def verdicts(results: list[EpisodeResult]) -> dict[tuple[str, str], tuple[bool, tuple[str, ...]]]:
    return {(r.scenario_id, r.agent): (r.passed, tuple(r.failed_rules)) for r in results}


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "pack"
    generate_pack(out, drill="", count=16, seed=3, graph=GRAPH)
    return out


@pytest.fixture(scope="module")
def pack(pack_dir: Path) -> list[Scenario]:
    from scenarios.pack import open_pack

    return list(open_pack(pack_dir).scenarios())


@pytest.fixture(scope="module")
def journal(pack_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``gymfuzz run`` of the 16 perturbed scenarios with the naive agent on two Trac
    instances at once."""
    out = tmp_path_factory.mktemp("run") / "results.jsonl"
    proc = gymfuzz(
        *("run", str(pack_dir), "--target", str(TARGET), "--workers", "2"),
        *("--agent", NAIVE, "--out", str(out), "--traces", "off"),
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "harness errors: 0" in proc.stdout
    return out


@pytest.fixture(autouse=True)
def in_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)  # agents.py is found as python -m would find it


@pytest.mark.timeout(900)
def test_the_gate_passes_through_the_cli(tmp_path: Path) -> None:
    pack_dir = tmp_path / "pack"
    generate_pack(pack_dir, drill="", count=3, seed=5, graph=GRAPH)
    proc = gymfuzz(
        *("gate", str(pack_dir), "--target", str(TARGET), "--careful", CAREFUL),
        *("--workers", "2"),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "gate: 3 scenarios, 0 vacuous, 0 unfair, 0 harness errors: PASS" in proc.stdout


@pytest.mark.timeout(1800)
async def test_two_workers_give_the_verdicts_of_one_and_reset_restores(
    journal: Path, pack: list[Scenario], tmp_path: Path
) -> None:
    two = load_results(journal)
    keeping: list[KeepingTarget] = []

    def one_instance() -> list[Target]:
        target = KeepingTarget.from_file(TARGET)
        assert isinstance(target, KeepingTarget)
        keeping.append(target)
        return [target]

    one = await run_episodes(
        pack, [NAIVE], ["perturbed"], ledger_dir=tmp_path / "ledgers", targets=one_instance
    )
    assert len(one) == len(two) == len(pack) >= 16
    assert all(r.harness_error is None for r in one + two), [r.summary for r in one + two]
    assert verdicts(one) == verdicts(two)
    passed = Counter(r.passed for r in one)
    assert passed[True] >= 1 and passed[False] >= len(pack) // 2  # the faults break it
    assert all(r.faults_fired for r in one)  # every scenario is perturbed
    # 16 episodes on one instance, a ticket filed in each the naive agent passed: a reset
    # puts the database back where it started, apart from the ignored session tables (the
    # gate shows those are the only other writes: the careful agent's query-page lookups
    # write them, and it passes only because no verdict sees them)
    (target,) = keeping
    assert target.last == target.first
    assert "session" not in target.last and "session_attribute" not in target.last
    assert target.first["ticket"] == {}
    assert len(target.resets) == len(pack) + 2


@pytest.mark.timeout(900)
async def test_wrong_agents_fail_with_the_rule_named(pack: list[Scenario], tmp_path: Path) -> None:
    results = await run_episodes(
        pack[:2],
        ["agents:WrongPriorityAgent", "agents:DoubleSubmitAgent"],
        ["unperturbed"],
        ledger_dir=tmp_path / "ledgers",
        workers=2,
        targets=choose_targets(TARGET, workers=2),
    )
    assert len(results) == 4
    for r in results:
        assert not r.passed and r.harness_error is None and r.agent_error is None
        assert r.failed_rules[0].startswith("one ticket ")
    double = [r for r in results if r.agent == "double_submit"]
    assert all("found 2" in r.summary for r in double)
    wrong = [r for r in results if r.agent == "wrong_priority"]
    assert all("found 0" in r.summary for r in wrong)
    assert all("file the ticket" not in r.failed_rules for r in double)


@pytest.mark.timeout(300)
def test_report_renders_the_journal(journal: Path, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    proc = gymfuzz("report", str(journal), "-o", str(html))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = html.read_text(encoding="utf-8")
    assert "trac_tickets-00000" in text and "naive" in text


@pytest.mark.timeout(1800)
def test_fuzz_finds_shrinks_and_certifies_a_failure_of_the_naive_agent(tmp_path: Path) -> None:
    out = tmp_path / "fuzz"
    proc = gymfuzz(
        *("fuzz", "--graph", str(GRAPH), "--target", str(TARGET), "--agent", NAIVE),
        *("--careful", CAREFUL, "--budget", "4", "--strategy", "pack", "--seed", "3"),
        *("--workers", "2", "--shrink-budget", "6", "--max-failures", "2", "--k", "2"),
        *("--out", str(out)),
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["search"]["failures"] >= 1
    certified = [c for c in report["certificates"] if c["status"] == "certified"]
    assert certified, proc.stdout

    def active(levels: list[int]) -> int:
        return sum(1 for level in levels if level)

    # one failure found with several perturbations on is shrunk to fewer, and still fails
    # the naive agent on every replay while the careful agent passes it
    shrunk = [
        c for c in certified if active(c["shrunk"]["levels"]) < active(c["original"]["levels"])
    ]
    assert shrunk, proc.stdout
    assert all(c["fail_rate"] == 1.0 and c["careful_passed"] == 1 for c in shrunk)
    assert f"{len(certified)} certified failure(s)" in proc.stdout
    assert f"--target {TARGET}" in proc.stdout  # the replay line plays it on Trac again


@pytest.mark.timeout(1800)
def test_the_any_app_pack_acts_on_trac_and_careful_still_files_the_ticket(tmp_path: Path) -> None:
    from fuzzer.play.ledger import fires, last_run, read_records
    from proxy_addons.episodes import EpisodeRegistry
    from scenarios.anyapp import ANY_APP_GRAPH

    tasks, layers = tmp_path / "tasks", tmp_path / "any"
    generate_pack(tasks, drill="", count=3, seed=5, graph=GRAPH)
    generate_pack(layers, drill="", count=6, seed=4, graph=ANY_APP_GRAPH, interfaces=True)
    out, ledgers = tmp_path / "results.jsonl", tmp_path / "ledgers"
    proc = gymfuzz(
        *("run", str(tasks), "--overlay", str(layers), "--target", str(TARGET)),
        *("--agent", CAREFUL, "--agent", "noop", "--workers", "2", "--traces", "off"),
        *("--out", str(out), "--ledgers", str(ledgers)),
        timeout=1500,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = load_results(out)
    assert len(results) == 12 and all(r.harness_error is None for r in results)
    assert {(r.agent, r.passed) for r in results} == {("careful", True), ("noop", False)}, [
        (r.scenario_id, r.agent, r.summary) for r in results
    ]
    registry = EpisodeRegistry(ledger_dir=ledgers)
    on: dict[str, set[str]] = {}
    for r in results:
        if r.agent == "careful":
            for f in fires(last_run(read_records(registry.ledger_path(r.episode)))):
                assert f.on, (r.scenario_id, f)
                on.setdefault(f.kind, set()).add(f.on)
    # the pack, written for no app, found Trac's own widgets and requests
    assert any(e.startswith("select#field-") for e in on.get("option_churn", set())), on
    assert any(
        e.startswith("POST /newticket") for k in ("latency", "http_error") for e in on.get(k, set())
    ), on
