"""``gymfuzz record`` on the example Django admin calendar, through the real thing: Django
launched from a target file that ignores nothing, real mitmproxy, real Chromium; the
demonstrations are Playwright functions (examples/django_calendar/demonstrations.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuzzer.loader import load_object
from fuzzer.record.capture import Demonstration, record
from fuzzer.record.infer import infer, write_drill
from scenarios.generate import generate_pack
from scenarios.model import Scenario
from scenarios.workflow_spec import load_workflow
from tests.cli import gymfuzz

from .recorded import bare_target, gate_recorded, replay_and_wrong_agents

pytest.importorskip("django", reason="the example needs Django (the 'dev' extra)")

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "django_calendar"


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bare_target(EXAMPLE, tmp_path_factory.mktemp("target"))


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
    goal = "one events_event row added with title"
    played = await replay_and_wrong_agents(
        pack[:2], agents, target, tmp_path / "ledgers", goal=goal,
        missing_goal=("wrong_slot", "double_save", "noop"),
    )  # fmt: skip
    assert set(played) == {"wrong_slot", "double_save", "noop", "extra_write"}
    for r in played["double_save"]:
        assert "found 2" in r.summary
    for r in played["extra_write"]:
        assert not r.passed and "no changes in events_calendar" in r.failed_rules, r.summary
        assert not any(rule.startswith(goal) for rule in r.failed_rules), r.summary


@pytest.mark.timeout(1200)
def test_the_recorded_drill_passes_the_gate_through_the_cli(
    drill: Path, target: Path, tmp_path: Path
) -> None:
    out = gate_recorded(drill, target, tmp_path / "pack", count=4, seed=9)
    assert "gate: 4 scenarios, 0 vacuous, 0 unfair, 0 harness errors: PASS" in out


def test_record_from_a_recording_rewrites_the_drill_through_the_cli(
    drill: Path, tmp_path: Path
) -> None:
    out = tmp_path / "again"
    proc = gymfuzz(
        "record", "--from", str(drill / "recording.json"), "--out", str(out), "--name",
        "add_event", timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for name in ("graph.yaml", "verifier.json", "replay.json", "agent.py", "graph.svg"):
        assert (out / name).read_bytes() == (drill / name).read_bytes() or name == "agent.py"
