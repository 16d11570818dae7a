"""A run killed with SIGKILL mid-way, then resumed, records each episode exactly once."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.cli import command, gymfuzz
from tests.pids import kill_when_written

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [pytest.mark.browser, pytest.mark.proxy]


def test_sigkill_then_resume_gives_exactly_one_result_per_episode(tmp_path: Path) -> None:
    pack, out = tmp_path / "pack", tmp_path / "results.jsonl"
    made = gymfuzz(
        "generate", "--drill", "calendar", "--count", "4", "--seed", "3", "--out", str(pack)
    )
    assert made.returncode == 0, made.stderr
    run = command(
        "run", str(pack), "--agent", "noop", "--trials", "3", "--workers", "2", "--out", str(out)
    )
    kill_when_written(run, ROOT, out, lines=2)
    killed_at = len(out.read_text().splitlines())
    assert 2 <= killed_at < 12

    resumed = subprocess.run(
        [*run, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    keys = Counter((r["scenario_id"], r["trial"]) for r in records)
    assert len(keys) == 12 and set(keys.values()) == {1}
    assert all(not r["passed"] for r in records)  # the do-nothing agent
    assert "noop" in resumed.stdout and "0/12" in resumed.stdout

    again = subprocess.run(
        [*run, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert again.returncode == 0
    assert len(out.read_text().splitlines()) == 12  # nothing left to play, nothing added
