"""The fuzzer on the real harness (site, mitmproxy, Chromium): find, shrink, certify, export,
replay, and resume after a kill. Budgets are tiny; the calendar drill fails the naive agent
fast."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from fuzzer.fuzz.campaign import CampaignSettings
from fuzzer.fuzz.run import fuzz, load_drill
from fuzzer.play.journal import read_journal, result_key
from fuzzer.play.runner import run_episodes
from scenarios.pack import open_pack
from scenarios.validate import validate_pack
from tests.cli import command
from tests.pids import kill_when_written

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [pytest.mark.browser, pytest.mark.proxy]


async def test_finds_shrinks_certifies_exports_and_replays_a_naive_failure(
    tmp_path: Path,
) -> None:
    drill, naming = load_drill("calendar", None)
    settings = CampaignSettings(
        agent="naive", budget=6, seed=0, workers=2, shrink_budget=10, max_failures=1, k=2
    )
    run = await fuzz(drill, naming, settings, tmp_path / "out")
    c = run.campaign
    assert c.log.failures, "the naive agent should fail some calendar scenario"
    [cert] = c.certificates
    assert cert.certified and cert.failures >= 1 and cert.careful_passed == 1
    shrunk = cert.shrunk.shrunk
    assert shrunk.active <= 2
    assert shrunk.active <= cert.shrunk.original.active
    assert cert.class_key.endswith("required:bookings:exactly one booking on {date} at {time}")

    assert validate_pack(run.pack) == []
    pack = open_pack(run.pack)
    [scenario] = list(pack.scenarios())
    assert scenario.id == cert.scenario_id
    [failure] = pack.manifest["provenance"]["failures"]
    assert failure["shrunk"]["levels"] == list(shrunk.levels)
    assert pack.manifest["provenance"]["agent"] == "naive"
    report = json.loads((run.out / "report.json").read_text())
    assert report["episodes"] == len(list(read_journal(run.out / "episodes.jsonl")))

    replay = run.replay_pack(cert.scenario_id)
    assert validate_pack(replay) == []
    [again] = await run_episodes(
        list(open_pack(replay).scenarios()),
        ["naive"],
        ["perturbed"],
        ledger_dir=tmp_path / "replay-ledgers",
        workers=1,
    )
    assert again.scenario_id == cert.scenario_id and not again.passed


async def test_the_careful_agent_gets_no_certified_failure(tmp_path: Path) -> None:
    drill, naming = load_drill("calendar", None)
    settings = CampaignSettings(agent="careful", budget=6, seed=1, workers=2, shrink_budget=4, k=1)
    run = await fuzz(drill, naming, settings, tmp_path / "out")
    assert run.campaign.certified == []
    assert sum(t.observation.error for t in run.campaign.log.trials) == 0
    assert open_pack(run.pack).manifest["count"] == 0


def test_resume_after_a_kill_continues_without_duplicates(tmp_path: Path) -> None:
    out = tmp_path / "out"
    journal = out / "episodes.jsonl"
    cmd = command(
        "fuzz", "--drill", "calendar", "--agent", "naive", "--budget", "6", "--seed", "2",
        "--out", str(out), "--workers", "2", "--shrink-budget", "3", "--max-failures", "1",
        "--k", "1",
    )  # fmt: skip
    kill_when_written(cmd, ROOT, journal, lines=3, seconds=240)
    before = [result_key(r) for r in read_journal(journal)]
    assert 3 <= len(before) < 6

    resumed = subprocess.run(
        [*cmd, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    keys = [result_key(r) for r in read_journal(journal)]
    assert keys[: len(before)] == before
    assert max(Counter(keys).values()) == 1
    report = json.loads((out / "report.json").read_text())
    assert report["search"]["episodes"] == 6
    assert report["episodes"] == len(keys)  # every recorded episode was used, none wasted
    assert "played now" in resumed.stdout

    again = subprocess.run(
        [*cmd, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert again.returncode == 0, again.stderr
    assert "(0 played now)" in again.stdout
    assert [result_key(r) for r in read_journal(journal)] == keys
