"""The ``gymfuzz`` command line, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import assert_usage_error, gymfuzz

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.browser
@pytest.mark.proxy
def test_demo_json_shows_both_agents_on_every_drill(tmp_path: Path) -> None:
    proc = gymfuzz("demo", "--json", "--count", "2", "--seed", "0", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert set(doc["drills"]) == {"calendar", "dropdown", "endurance"}
    for drill in doc["drills"].values():
        agents = drill["agents"]
        assert set(agents) == {"naive", "careful"}
        for cells in agents.values():
            assert set(cells) == {"unperturbed", "perturbed"}  # no unsolvable in 2 scenarios
        assert agents["naive"]["unperturbed"] == {"episodes": 2, "passed": 2}
        assert agents["careful"]["unperturbed"] == {"episodes": 2, "passed": 2}
        assert agents["careful"]["perturbed"] == {"episodes": 2, "passed": 2}
    total = doc["agents"]
    assert total["naive"]["unperturbed"] == {"episodes": 6, "passed": 6}
    assert total["naive"]["perturbed"]["passed"] < 6
    assert sum(doc["naive_failures_by_fault_kind"].values()) >= 1
    journal = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(journal) == 24
    assert len(list((tmp_path / "ledgers").glob("*.jsonl"))) == 24


def test_generate_then_bad_inputs_exit_2_without_traceback(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    ok = gymfuzz(
        "generate", "--drill", "calendar", "--count", "3", "--seed", "5", "--out", str(pack)
    )
    assert ok.returncode == 0, ok.stderr
    assert_usage_error(
        gymfuzz("generate", "--drill", "calendar", "--count", "3", "--out", str(pack)),
        "already exists",
    )
    assert_usage_error(
        gymfuzz("generate", "--drill", "calendar", "--count", "zero", "--out", str(pack)),
        "argument --count: expected a whole number, got 'zero'",
    )
    assert_usage_error(
        gymfuzz(
            "run", str(tmp_path / "nope"), "--agent", "naive", "--out", str(tmp_path / "r.jsonl")
        ),
        "no such pack directory",
    )
    lines = (pack / "scenarios.jsonl").read_text().splitlines()
    lines[2] = lines[2].replace('"seed":', '"seed":-', 1)
    (pack / "scenarios.jsonl").write_text("\n".join(lines) + "\n")
    proc = gymfuzz("run", str(pack), "--agent", "naive", "--out", str(tmp_path / "r.jsonl"))
    assert_usage_error(proc, "scenarios.jsonl:3: seed: -")
    assert not (tmp_path / "r.jsonl").exists()


def test_light_commands_do_not_load_browser_or_proxy() -> None:
    code = (
        "import sys\n"
        "from fuzzer.cli import build_parser\n"
        "build_parser()\n"
        "import scenarios.generate, scenarios.pack\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'mitmproxy', 'playwright', 'ray'}\n"
        "print(sorted(heavy))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "[]"
