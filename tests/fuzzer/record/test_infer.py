"""The inference of ``gymfuzz record``, one function at a time, on small demonstrations
written here (the whole pipeline runs on a real app in tests/examples/test_record_django.py)."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest

from fuzzer.record.capture import Demonstration
from fuzzer.record.fields import GoalField, goal_fields
from fuzzer.record.infer import infer, write_drill
from fuzzer.record.verifier import _is_clock, infer_verifier
from scenarios.verify import judge, load_spec
from scenarios.workflow_spec import WorkflowError, fill, load_workflow
from tests.cli import gymfuzz

TODAY = dt.date(2026, 12, 3)


def _element(name: str, label: str, **extra: Any) -> dict[str, Any]:
    css = f"#id_{name}"
    return {
        "name": name,
        "label": label,
        "tag": "input",
        "css": css,
        "type": "",
        "locators": [{"by": "css", "css": css}],
        **extra,
    }


def _demo(**fields: Any) -> Demonstration:
    """A ticket form: title typed, a priority chosen by label (stored as a code the
    page shows) and a queue chosen as another table's key; one POST writes the ticket and
    a log line; a login before it writes a session."""
    now = time.time()
    stamp = dt.datetime.fromtimestamp(now, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    ticket = {
        "id": 7,
        "title": "Broken printer",
        "priority": "high",
        "queue_id": 2,
        "created": int(now * 1_000_000),
    }
    actions = [
        {"kind": "goto", "url": "/login"},
        {
            "kind": "fill",
            "value": "ann",
            "element": _element("user", "User:"),
            "page": {"url": "/login", "title": "Log in"},
        },
        {
            "kind": "click",
            "element": _element("go", "Log in", form="#login"),
            "page": {"url": "/login", "title": "Log in"},
        },
        {
            "kind": "fill",
            "value": "Broken printer",
            "element": _element("title", "Title:"),
            "page": {"url": "/new", "heading": "New ticket"},
        },
        {
            "kind": "select",
            "value": "high",
            "option": "high",
            "options": [{"value": "low", "label": "low"}, {"value": "high", "label": "high"}],
            "element": _element("priority", "Priority:", tag="select"),
            "page": {"url": "/new", "heading": "New ticket"},
        },
        {
            "kind": "select",
            "value": "2",
            "option": "Hardware",
            "options": [{"value": "1", "label": "Software"}, {"value": "2", "label": "Hardware"}],
            "element": _element("queue", "Queue:", tag="select"),
            "page": {"url": "/new", "heading": "New ticket"},
        },
        {
            "kind": "click",
            "element": _element("save", "Save", form="#ticket"),
            "page": {"url": "/new", "heading": "New ticket"},
        },
    ]
    requests = [
        {
            "method": "POST",
            "path": "/login",
            "resource": "document",
            "body": {"user": "ann"},
            "status": 302,
            "t": 1.0,
            "action": 2,
            "effects": [
                {
                    "table": "sessions",
                    "op": "added",
                    "pk": "k",
                    "fields": [],
                    "row": {"key": "k", "data": "x"},
                    "before": None,
                }
            ],
        },
        {
            "method": "POST",
            "path": "/new",
            "resource": "document",
            "status": 302,
            "t": 3.0,
            "body": {"title": "Broken printer", "priority": "high", "queue": "2"},
            "action": 6,
            "effects": [
                {
                    "table": "tickets",
                    "op": "added",
                    "pk": "7",
                    "fields": [],
                    "row": ticket,
                    "before": None,
                },
                {
                    "table": "log",
                    "op": "added",
                    "pk": "3",
                    "fields": [],
                    "before": None,
                    "row": {"id": 3, "what": "ticket 7 created", "at": stamp},
                },
                {
                    "table": "queues",
                    "op": "updated",
                    "pk": "2",
                    "fields": ["open"],
                    "row": {"id": 2, "name": "Hardware", "open": 5},
                    "before": {"id": 2, "name": "Hardware", "open": 4},
                },
            ],
        },
    ]
    state = {
        "queues": {
            "1": {"id": 1, "name": "Software", "open": 0},
            "2": {"id": 2, "name": "Hardware", "open": 5},
        },
        "tickets": {"7": ticket},
    }
    base = {
        "target": "tickets",
        "start": "/login",
        "actions": actions,
        "requests": requests,
        "pages": [{"t": 3.5, "url": "/tickets"}],
        "changes": [],
        "tables": ["log", "queues", "sessions", "tickets", "users"],
        "state": state,
        "recorded_at": now,
        "baseline": [
            {
                "table": "stats",
                "op": "updated",
                "pk": "1",
                "fields": ["hits"],
                "row": {"id": 1, "hits": 2},
                "before": {"id": 1, "hits": 1},
            }
        ],
    }
    return Demonstration.from_json({**base, **fields})


def _fields(demo: Demonstration) -> list[GoalField]:
    effects = [c for r in demo.requests for c in r.get("effects") or []]
    return goal_fields(demo.actions, effects, demo.state, TODAY)


def test_typed_and_chosen_values_found_in_the_written_rows_are_goal_fields() -> None:
    fields = {f.name: f for f in _fields(_demo())}
    assert set(fields) == {"title", "priority", "queue"}  # "ann" is stored nowhere
    assert (fields["title"].column, fields["title"].data) == ("title", {"faker": "catch_phrase"})
    assert fields["priority"].data == {"choice": ["low", "high"]}
    queue = fields["queue"]  # chosen by label, stored as the key of a queues row
    assert (queue.value, queue.column) == ("Hardware", "queue_id")
    assert queue.join == {"table": "queues", "key": "id", "label": "name"}


def test_a_short_number_is_taken_only_from_a_column_named_like_the_field() -> None:
    demo = _demo()
    demo.actions[5]["element"]["name"] = "team"  # "2" no longer goes with queue_id
    assert "team" not in {f.name for f in _fields(demo)}


def test_a_date_field_draws_days_after_the_recording_within_min_and_max() -> None:
    demo = _demo()
    demo.actions[3] = {
        **demo.actions[3],
        "value": "2027-01-05",
        "element": _element("due", "Due:", type="date", max="2026-12-20"),
    }
    demo.requests[1]["effects"][0]["row"]["title"] = "2027-01-05"
    [due] = [f for f in _fields(demo) if f.name == "due"]
    assert due.data == {"date": {"start": "2026-12-04", "end": "2026-12-21"}}


@pytest.mark.parametrize(
    ("value", "clock"),
    [
        ("now", True),
        ("now+40h", False),
        ("epoch_ms", True),
        ("epoch_us", True),
        ("2027-02-10", False),
        (12, False),
        (True, False),
    ],
)
def test_a_clock_of_the_moment_is_told_from_other_values(value: Any, clock: bool) -> None:
    at = time.time()
    if value in ("epoch_ms", "epoch_us"):
        value = int(at * (1000 if value == "epoch_ms" else 1_000_000))
    if value in ("now", "now+40h"):
        shift = dt.timedelta(hours=40 if value == "now+40h" else 0)
        value = (dt.datetime.fromtimestamp(at, tz=dt.UTC) + shift).strftime("%Y-%m-%d %H:%M:%S")
    assert _is_clock(value, at) is clock


def test_the_verifier_puts_every_change_in_one_place_with_its_reason() -> None:
    demo = _demo()
    inferred = infer_verifier(demo, _fields(demo))
    spec = inferred.spec
    [required] = spec["required"]
    assert required["where"] == {"title": "{title}", "priority": "{priority}"}
    assert required["join"]["where"] == {"name": "{queue}"}
    assert spec["ignore"] == ["log", "sessions", "stats.hits"]
    assert "no-op baseline" in inferred.reasons["ignore stats.hits"]
    assert "carries none of the goal's values" in inferred.reasons["ignore sessions"]
    assert "stamped with its time" in inferred.reasons["ignore log"]
    side = [a for a in spec["allowed"] if a["table"] == "queues"]
    assert side == [
        {
            "name": "POST /new may update queues rows",
            "table": "queues",
            "ops": ["updated"],
            "fields": ["open"],
        }
    ]
    forbidden = {r["table"]: r["ops"] for r in spec["forbidden"]}
    assert forbidden["users"] == ["added", "updated", "removed"]
    assert forbidden["tickets"] == ["updated", "removed"]


def _verdict(spec: dict[str, Any], after_ticket: dict[str, Any] | None, **extra: Any) -> Any:
    values = {"title": "Broken printer", "priority": "high", "queue": "Hardware"}
    filled = load_spec(fill(spec, values))
    before: dict[str, Any] = {"queues": {"2": {"id": 2, "name": "Hardware", "open": 4}}}
    after: dict[str, Any] = {
        "queues": {"2": {"id": 2, "name": "Hardware", "open": 5}},
        "sessions": {"k": {"key": "k"}},
        **extra,
    }
    if after_ticket is not None:
        after["tickets"] = {"7": after_ticket}
    return judge(filled, before, after, escalated=False)


def test_the_inferred_verifier_passes_the_goal_and_fails_mutations_naming_the_rule() -> None:
    demo = _demo()
    spec = infer_verifier(demo, _fields(demo)).spec
    row = {"id": 7, "title": "Broken printer", "priority": "high", "queue_id": 2}
    assert _verdict(spec, row).passed
    wrong = _verdict(spec, {**row, "priority": "low"})
    assert next(r.name for r in wrong.failures).startswith("one tickets row added")
    nothing = _verdict(spec, None)
    assert next(r.name for r in nothing.failures).startswith("one tickets row added")
    extra = _verdict(spec, row, users={"9": {"id": 9}})
    assert "no changes in users" in [r.name for r in extra.failures]


def test_the_drill_files_are_written_whole_and_load(tmp_path: Path) -> None:
    demo = _demo()
    out = tmp_path / "drills" / "new_ticket"
    write_drill(demo, infer(demo, "new_ticket"), out)
    spec = load_workflow(out / "graph.yaml")
    assert spec.verifier_template["required"][0]["table"] == "tickets"
    assert [e.action for e in spec.edges][:3] == ["open_login", "fill_user", "click_log_in"]
    replay = json.loads((out / "replay.json").read_text())
    goal = next(s for s in replay["segments"] if s.get("goal"))
    assert (goal["url"], goal["request"], goal["after"]) == ("/new", "POST /new", "/tickets")
    assert replay["readback"] == {"url": "/tickets", "field": "title"}
    assert sorted(p.name for p in tmp_path.joinpath("drills").iterdir()) == ["new_ticket"]


def test_a_graph_naming_a_missing_verifier_file_is_refused_naming_it(tmp_path: Path) -> None:
    demo = _demo()
    write_drill(demo, infer(demo, "t"), tmp_path / "t")
    (tmp_path / "t" / "verifier.json").unlink()
    with pytest.raises(WorkflowError, match=r"graph.yaml: verifier_template: cannot read .*"):
        load_workflow(tmp_path / "t" / "graph.yaml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "{tmp}/nothing.json"], "gymfuzz: error: --from: {tmp}/nothing.json: not a"),
        (["--from", "{tmp}/bad.json"], "gymfuzz: error: --from: {tmp}/bad.json: not a recording"),
        (
            ["--target", "{tmp}/t.yaml", "--script", "nomodule_xyz:f"],
            "gymfuzz: error: --script: cannot import 'nomodule_xyz'",
        ),
    ],
)
def test_bad_record_input_exits_2_naming_it(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "bad.json").write_text('{"target": 1}')
    (tmp_path / "t.yaml").write_text("name: t\nurl: http://127.0.0.1:9\nstate: sqlite:///x\n")
    out = tmp_path / "out"
    proc = gymfuzz("record", *[a.format(tmp=tmp_path) for a in args], "--out", str(out), timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(message.format(tmp=tmp_path)), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.browser
@pytest.mark.proxy
def test_a_failing_script_exits_2_naming_its_error(tmp_path: Path) -> None:
    """A demonstration whose script raises (on Trac, a real app): one line naming the
    script's error, nothing written."""
    pytest.importorskip("trac", reason="the example needs Trac (the 'dev' extra)")
    (tmp_path / "failing_demo.py").write_text(
        "async def demo(page, start):\n    raise RuntimeError('the Save button moved')\n"
    )
    example = Path(__file__).resolve().parents[3] / "examples" / "trac_tickets"
    target = tmp_path / "target.yaml"
    text = (example / "target.yaml").read_text().replace("cwd: .", f"cwd: {example}")
    target.write_text(text)
    out = tmp_path / "out"
    proc = gymfuzz(
        "record", "--target", str(target), "--script", f"{tmp_path / 'failing_demo.py'}:demo",
        "--out", str(out), timeout=300,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (
        "gymfuzz: error: --script: the demonstration failed (RuntimeError: the Save button moved)\n"
    )
    assert not out.exists()


def test_a_change_no_write_made_is_ignored_as_written_while_a_page_loaded() -> None:
    visit = {"table": "visits", "op": "added", "pk": "1", "fields": [], "before": None,
             "row": {"id": 1, "page": "/new"}}  # fmt: skip
    goal = {"table": "tickets", "op": "added", "pk": "8", "fields": [], "before": None,
            "row": {"id": 8, "title": "Broken printer"}}  # fmt: skip
    demo = _demo(changes=[visit, goal])
    inferred = infer_verifier(demo, _fields(demo))
    assert "visits" in inferred.spec["ignore"]
    assert inferred.reasons["ignore visits"] == "written while a page loaded"
    assert "tickets" not in inferred.spec["ignore"]  # a goal table is never ignored
