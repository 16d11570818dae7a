"""``gymfuzz record`` on Trac, through the real thing: Trac from PyPI launched from a target
file that ignores nothing, real mitmproxy, real Chromium; the demonstration is a Playwright
function (examples/trac_tickets/demonstrations.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import gymfuzz

from .recorded import bare_target, gate_recorded

pytest.importorskip("trac", reason="the example needs Trac (the 'dev' extra)")

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "trac_tickets"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The drill recorded through the CLI, and the target file it was recorded on."""
    work = tmp_path_factory.mktemp("trac")
    target = bare_target(EXAMPLE, work)
    drill = work / "file_ticket"
    proc = gymfuzz(
        "record", "--target", str(target), "--script", "demonstrations:file_ticket",
        "--out", str(drill), cwd=EXAMPLE, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return drill, target


def test_the_inferred_trac_drill_requires_the_ticket_and_ignores_the_session(
    recorded: tuple[Path, Path],
) -> None:
    drill, _ = recorded
    spec = json.loads((drill / "verifier.json").read_text())
    [required] = spec["required"]
    assert required["table"] == "ticket" and required["count"] == 1
    assert required["where"] == {
        "summary": "{summary}",
        "type": "{type}",
        "component": "{component}",
        "priority": "{priority}",
        "milestone": "{milestone}",
    }
    assert spec["ignore"] == ["session", "session_attribute"]
    replay = json.loads((drill / "replay.json").read_text())
    assert replay["readback"] == {"field": "summary", "url": "/report/1"}  # Active Tickets


@pytest.mark.timeout(900)
def test_the_recorded_trac_drill_passes_the_gate(
    recorded: tuple[Path, Path], tmp_path: Path
) -> None:
    drill, target = recorded
    out = gate_recorded(drill, target, tmp_path / "pack", count=3, seed=2)
    assert "gate: 3 scenarios, 0 vacuous, 0 unfair, 0 harness errors: PASS" in out
