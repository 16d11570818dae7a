"""``gymfuzz record`` on the example Django admin calendar, through the real thing: Django
launched from a target file that ignores nothing, real mitmproxy, real Chromium; the
demonstrations are Playwright functions (examples/django_calendar/demonstrations.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fuzzer.loader import load_object
from fuzzer.play.runner import run_episodes
from fuzzer.record.capture import Demonstration, record
from fuzzer.record.infer import infer, write_drill
from fuzzer.targets.choose import choose_targets
from scenarios.generate import generate_pack
from scenarios.model import Scenario
from scenarios.workflow_spec import load_workflow

pytest.importorskip("django", reason="the example needs Django (the 'dev' extra)")

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "django_calendar"


def _bare_target(folder: Path) -> Path:
    """The example's target file without its ``ignore``: the recording must find the app's
    own writes by itself."""
    text = (EXAMPLE / "target.yaml").read_text()
    text = text.replace("cwd: .", f"cwd: {EXAMPLE}")
    lines = [line for line in text.splitlines() if not line.startswith("ignore:")]
    path = folder / "target.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _bare_target(tmp_path_factory.mktemp("target"))


@pytest.fixture(scope="module")
def demos(target: Path) -> list[Demonstration]:
    add_event = load_object(f"{EXAMPLE / 'demonstrations.py'}:add_event", "--script")
    again = load_object(f"{EXAMPLE / 'demonstrations.py'}:add_event_again", "--script")

    async def both() -> list[Demonstration]:
        return [
            await record(target, add_event),
            await record(target, again),
        ]

    import asyncio

    return asyncio.run(both())


@pytest.fixture(scope="module")
def drill(demos: list[Demonstration], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("drills") / "add_event"
    write_drill(demos[0], infer(demos[0], "add_event"), out)
    return out


@pytest.fixture(scope="module")
def pack(drill: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Scenario]:
    out = tmp_path_factory.mktemp("pack") / "pack"
    return list(
        generate_pack(out, drill="", count=8, seed=4, graph=drill / "graph.yaml").scenarios()
    )


def test_the_demonstration_records_actions_with_robust_locators(
    demos: list[Demonstration],
) -> None:
    demo = demos[0]
    kinds = [a["kind"] for a in demo.actions]
    assert kinds == [
        "goto",
        "fill",
        "fill",
        "click",
        "click",
        "fill",
        "fill",
        "select",
        "select",
        "click",
    ]
    title = demo.actions[5]
    assert title["value"] == "Quarterly planning"
    assert title["element"]["locators"][0] == {"by": "role", "role": "textbox", "name": "Title:"}
    add = demo.actions[4]["element"]["locators"][0]
    assert add["within"] == {"role": "row", "name": "Events"}  # one "Add" link per model
    calendar = demo.actions[7]
    assert (calendar["value"], calendar["option"]) == ("1", "Work")
    [save] = [r for r in demo.requests if r["method"] == "POST" and "event/add" in r["path"]]
    assert save["body"]["title"] == "Quarterly planning"
    assert save["action"] == 9
    assert {(c["table"], c["op"]) for c in save["effects"]} == {
        ("events_event", "added"),
        ("django_admin_log", "added"),
    }


def test_the_inferred_verifier_requires_the_goal_row_and_ignores_the_apps_own_writes(
    drill: Path,
) -> None:
    spec = json.loads((drill / "verifier.json").read_text())
    [required] = spec["required"]
    assert required["table"] == "events_event" and required["op"] == "added"
    assert required["where"] == {"title": "{title}", "day": "{day}", "slot": "{slot}"}
    assert required["join"] == {
        "table": "events_calendar",
        "on": {"calendar_id": "id"},
        "where": {"name": "{calendar}"},
    }
    assert required["count"] == 1
    # sessions and the last-login clock (the login's writes), the admin's log (a record of
    # the save stamped with its time)
    assert spec["ignore"] == ["auth_user.last_login", "django_admin_log", "django_session"]
    forbidden = {r["table"]: r["ops"] for r in spec["forbidden"]}
    assert forbidden["events_event"] == ["updated", "removed"]
    assert forbidden["events_calendar"] == ["added", "updated", "removed"]
    assert "django_session" not in forbidden
    notes = (drill / "recording.md").read_text()
    assert "`django_session`: written by POST /admin/login/" in notes


def test_the_inferred_graph_is_a_valid_workflow_with_slots_per_element(drill: Path) -> None:
    spec = load_workflow(drill / "graph.yaml")
    actions = [e.action for e in spec.edges]
    for name in ("fill_title", "fill_day", "select_calendar", "select_slot", "click_save"):
        assert name in actions
    assert {"click_save_failed", "check_click_save", "redo_click_save"} <= set(actions)
    kinds = {p.id: p.kind for p in spec.perturbations}
    assert kinds["interrupt"] == "modal"
    assert kinds["rerender_fill_day"] == "rerender_widget"
    assert kinds["churn_select_slot"] == "option_churn"
    assert kinds["cover_click_save"] == "click_overlay"
    fail = next(p for p in spec.perturbations if p.id == "fail_click_save")
    assert fail.match == {"methods": ["POST"], "path": "/admin/events/event/add/"}
    assert set(spec.data) == {"title", "day", "calendar", "slot"}
    assert spec.data["calendar"].choice == ["Work", "Home"]
    assert (drill / "graph.svg").read_text().startswith("<svg")


def test_a_second_demonstration_with_other_values_infers_the_same_drill(
    demos: list[Demonstration],
) -> None:
    first, second = (infer(d, "add_event") for d in demos)
    assert demos[0].actions[5]["value"] != demos[1].actions[5]["value"]
    assert first.graph == second.graph
    assert first.verifier == second.verifier
    assert first.replay == second.replay


EXTRA_WRITE = """
from pathlib import Path

from fuzzer.record.replay import ReplayAgent

Replay = ReplayAgent.from_file(Path({replay!r}))


class Agent:
    \"\"\"The replay, then one more calendar added: an unrelated write.\"\"\"

    name = "extra_write"

    async def run(self, page, task):
        out = await Replay().run(page, task)
        await page.goto(task.start_url.replace("/admin/", "/admin/events/calendar/add/"))
        await page.fill("#id_name", "Extra")
        await page.click("[name=_save]")
        await page.wait_for_load_state()
        return out
"""


@pytest.mark.timeout(900)
async def test_the_replay_passes_and_wrong_agents_fail_naming_the_rule(
    drill: Path,
    pack: list[Scenario],
    target: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(EXAMPLE)  # the example's wrong agents: agents:WrongSlotAgent...
    extra = tmp_path / "extra_agent.py"
    extra.write_text(EXTRA_WRITE.format(replay=str(drill / "replay.json")))
    agents = [
        f"{drill / 'agent.py'}:Agent",
        "agents:WrongSlotAgent",
        "agents:DoubleSaveAgent",
        "noop",
        f"{extra}:Agent",
    ]
    results = await run_episodes(
        pack[:2],
        agents,
        ["unperturbed"],
        ledger_dir=tmp_path / "ledgers",
        targets=choose_targets(target),
    )
    by_agent: dict[str, list[Any]] = {}
    for r in results:
        by_agent.setdefault(r.agent, []).append(r)
    assert all(r.harness_error is None for r in results), [r.summary for r in results]
    assert all(r.passed for r in by_agent["replay"]), [r.summary for r in by_agent["replay"]]
    goal = "one events_event row added with title"
    for name in ("wrong_slot", "noop", "double_save"):
        for r in by_agent[name]:
            assert not r.passed, (name, r.summary)
            assert any(rule.startswith(goal) for rule in r.failed_rules), (name, r.failed_rules)
    for r in by_agent["double_save"]:
        assert "found 2" in r.summary
    for r in by_agent["extra_write"]:
        assert not r.passed and "no changes in events_calendar" in r.failed_rules, r.summary
        assert not any(rule.startswith(goal) for rule in r.failed_rules), r.summary


@pytest.mark.timeout(1200)
def test_the_recorded_drill_passes_the_gate_through_the_cli(
    drill: Path, target: Path, tmp_path: Path
) -> None:
    pack_dir = tmp_path / "pack"
    cli = [sys.executable, "-m", "fuzzer.cli"]
    made = subprocess.run(
        [
            *cli,
            "generate",
            "--graph",
            str(drill / "graph.yaml"),
            "--count",
            "6",
            "--seed",
            "9",
            "--out",
            str(pack_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    gate = subprocess.run(
        [
            *cli,
            "gate",
            str(pack_dir),
            "--target",
            str(target),
            "--careful",
            f"{drill / 'agent.py'}:Agent",
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert gate.returncode == 0, gate.stdout + gate.stderr
    assert "gate: 6 scenarios, 0 vacuous, 0 unfair, 0 harness errors: PASS" in gate.stdout


def test_record_from_a_recording_rewrites_the_drill_through_the_cli(
    drill: Path, tmp_path: Path
) -> None:
    out = tmp_path / "again"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "fuzzer.cli",
            "record",
            "--from",
            str(drill / "recording.json"),
            "--out",
            str(out),
            "--name",
            "add_event",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("graph.yaml", "verifier.json", "replay.json", "agent.py", "graph.svg"):
        assert (out / name).read_bytes() == (drill / name).read_bytes() or name == "agent.py"
