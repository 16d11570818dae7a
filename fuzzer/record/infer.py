"""From a recorded demonstration to a drill: the files ``gymfuzz record`` writes.

:func:`infer` reads a :class:`~fuzzer.record.capture.Demonstration` and returns the drill's
files as data; :func:`write_drill` writes them, all or none:

``graph.yaml``
    The workflow graph (:mod:`fuzzer.record.graph`): ``gymfuzz generate --graph`` reads it.
``verifier.json``
    The verifier template (:mod:`fuzzer.record.verifier`), named by the graph.
``replay.json``, ``agent.py``
    The replay agent's plan and the module that loads it (:mod:`fuzzer.record.replay`):
    ``--careful drills/my_task/agent.py:Agent``.
``recording.md``
    What was inferred and why, for the user to confirm: the goal fields and where each was
    stored, every ignored table or column with its reason, the perturbation slots.
``graph.svg``
    A picture of the graph.

Every file is plain and editable; ``gymfuzz generate``, ``gate``, ``run`` and ``fuzz`` read
the edited files as they are.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fuzzer.record.capture import Demonstration
from fuzzer.record.fields import GoalField, field_name, goal_fields, keyed_css, typed_fields
from fuzzer.record.graph import action_name, infer_graph, writes_of
from fuzzer.record.picture import graph_svg
from fuzzer.record.verifier import infer_verifier

AGENT_PY = '''"""The replay agent of this recorded drill: ``--careful {path}:Agent``."""

from pathlib import Path

from fuzzer.record.replay import ReplayAgent

Agent = ReplayAgent.from_file(Path(__file__).with_name("replay.json"))
'''


@dataclass(frozen=True)
class Drill:
    """The inferred drill, as the data of its files."""

    graph: dict[str, Any]
    verifier: dict[str, Any]
    replay: dict[str, Any]
    notes: str


def _label(action: dict[str, Any]) -> str:
    element = action.get("element") or {}
    return (element.get("label") or element.get("name") or element.get("css") or "").rstrip(": ")


def _constants(demo: Demonstration, fields: list[GoalField]) -> dict[str, str]:
    """The typed values that are not goal fields (a login's user name), by field name."""
    taken = {f.action for f in fields}
    out: dict[str, str] = {}
    for i, action in enumerate(demo.actions):
        if action["kind"] in ("fill", "select") and i not in taken and action.get("value"):
            value = action.get("option") if action["kind"] == "select" else action["value"]
            out.setdefault(field_name(action.get("element") or {}), str(value))
    return out


def _literal(text: str) -> str:
    """``text`` as literal text in a template whose ``{field}``\\ s are filled."""
    return text.replace("{", "{{").replace("}", "}}")


def goal_text(demo: Demonstration, fields: list[GoalField], constants: dict[str, str]) -> str:
    """The goal in words: per write, what was filled in or chosen and which button sent it."""
    by_action = typed_fields(fields)
    writes = writes_of(demo)
    sentences: list[str] = []
    filled: list[str] = []

    for i, action in enumerate(demo.actions):
        if action["kind"] in ("fill", "select") and action.get("value"):
            label = _label(action)
            if i in by_action:
                filled.append(f"{_literal(label)} '{{{by_action[i].name}}}'")
            else:
                name = field_name(action.get("element") or {})
                value = constants.get(name, action["value"])
                filled.append(f"{_literal(label)} '{_literal(value)}'")
        for f in fields:
            if f.action == i and f.attr is not None:
                filled.append(f"{f.name} '{{{f.name}}}'")
        if i in writes:
            page = action.get("page") or {}
            where = _literal(page.get("heading") or page.get("title") or "the page")
            button = _literal(_label(action) or "submit")
            what = ", ".join(filled) if filled else "nothing"
            sentences.append(f"On '{where}', fill in {what} and press '{button}'.")
            filled = []
    if fields:
        sentences.append("Make sure it is stored exactly once.")
    return " ".join(sentences) or "Do what the demonstration did."


def _segments(demo: Demonstration, fields: list[GoalField]) -> list[dict[str, Any]]:
    writes = writes_of(demo)
    goal_tables = {f.table for f in fields}
    segments: list[dict[str, Any]] = []
    first = 0
    for i in sorted(writes):
        request = writes[i]
        goal = any(c["table"] in goal_tables for c in request["effects"])
        page = demo.actions[first].get("page") or {}
        url = page.get("url") or demo.actions[first].get("url") or demo.start
        segments.append(
            {
                "first": first,
                "write": i,
                "last": i,
                "url": url,
                "after": _page_after(demo, request),
                "goal": goal,
                "request": f"{request['method']} {request['path']}",
            }
        )
        first = i + 1
    if first < len(demo.actions):
        segments.append({"first": first, "last": len(demo.actions) - 1, "write": None})
    return segments


def _page_after(demo: Demonstration, request: dict[str, Any]) -> str:
    """The first page the demonstration loaded after ``request`` (where the app went)."""
    for page in demo.pages:
        if page["t"] >= request["t"] and page.get("url", "").startswith("/"):
            return str(page["url"])
    return demo.start


def _readback(demo: Demonstration, fields: list[GoalField]) -> dict[str, str] | None:
    """Where the replay re-reads the app's record: the last page the demonstration loaded
    after the goal's write (end a demonstration on the app's list of such records), by the
    goal's free-text field (else its first field)."""
    if not fields:
        return None
    key = next((f for f in fields if "faker" in f.data), fields[0])
    goal_tables = {f.table for f in fields}
    for request in demo.requests:
        if any(c["table"] in goal_tables for c in request.get("effects") or []):
            after = [p for p in demo.pages if p["t"] >= request["t"] and p["url"].startswith("/")]
            url = after[-1]["url"] if after else demo.start
            return {"url": url, "field": key.name}
    return None


def _steps(demo: Demonstration, fields: list[GoalField]) -> list[dict[str, Any]]:
    by_action = typed_fields(fields)
    writes = writes_of(demo)
    steps = []
    picked: set[str] = set()
    for i, action in enumerate(demo.actions):
        element = action.get("element") or {}
        step: dict[str, Any] = {
            "index": i,
            "kind": action["kind"],
            "what": action_name(action, fields, i),
        }
        if action["kind"] == "goto":
            step["url"] = action.get("url", "/")
        else:
            step["locators"] = element.get("locators", [])
            step["page"] = (action.get("page") or {}).get("url", "")
        css = keyed_css(element, fields, i) if action["kind"] == "click" else None
        if css is not None:  # the recorded ways name the demonstrated choice: not this one
            step["locators"] = [{"by": "keyed", "css": css}]
            picked |= {f.name for f in by_action.values() if "{" + f.name + "}" in css}
        if i in by_action:
            step["field"] = by_action[i].name
        elif action["kind"] == "fill":
            step["value"] = action.get("value", "")
        elif action["kind"] == "select":
            step["option"] = action.get("option", "")
        if action["kind"] == "press":
            step["key"] = action.get("key")
        if action["kind"] in ("click", "press") and i not in writes:
            step["navigates"] = any(
                r["action"] == i and r["resource"] == "document" for r in demo.requests
            )
        if i in writes:
            request = writes[i]
            step["write"] = {
                "method": request["method"],
                "path": request["path"],
                "navigates": request["resource"] == "document",
            }
        steps.append(step)
    for step in steps:  # a typed value a suggestion then replaced: not re-read before a write
        if step.get("field") in picked:
            step["picked"] = True
    return steps


def infer(demo: Demonstration, name: str) -> Drill:
    """The drill a demonstration implies (see the module docstring)."""
    effects = [c for r in demo.requests for c in r.get("effects") or []]
    today = dt.datetime.fromtimestamp(demo.recorded_at, tz=dt.UTC).date()
    fields = goal_fields(demo.actions, effects, demo.state, today)
    constants = _constants(demo, fields)
    text = goal_text(demo, fields, constants)
    graph = infer_graph(demo, fields, text, constants, name)
    verifier = infer_verifier(demo, fields)
    replay = {
        "steps": _steps(demo, fields),
        "segments": _segments(demo, fields),
        "readback": _readback(demo, fields),
    }
    return Drill(graph, verifier.spec, replay, _notes(demo, fields, verifier.reasons, graph))


def _notes(
    demo: Demonstration, fields: list[GoalField], reasons: dict[str, str], graph: dict[str, Any]
) -> str:
    lines = [f"# Recorded on {demo.target}", "", "## Goal fields", ""]
    for f in fields:
        stored = f"stored in {f.table}.{f.column}" if f.stored else "not stored"
        if f.join:
            stored += f" (the key of the {f.join['table']} row whose {f.join['label']} it is)"
        if f.attr:
            stored += f", chosen by a click ({f.attr})"
        if f.row:
            stored += f", drawn as column {f.row['column']} of one {f.row['table']} row"
        data = f.data if "row" not in f.data else {"row": {"column": f.data["row"]["column"]}}
        lines.append(
            f"- `{f.name}`: demonstrated {f.value!r}, {stored}; drawn from `{json.dumps(data)}`"
        )
    lines += ["", "## Ignored (confirm: the verifier never judges these)", ""]
    lines += [f"- `{k.removeprefix('ignore ')}`: {v}" for k, v in reasons.items()] or ["- nothing"]
    lines += ["", "## Perturbation slots", ""]
    lines += [f"- `{p['id']}`: {p['kind']}" for p in graph["perturbations"]]
    return "\n".join(lines) + "\n"


def _yaml(data: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(json.loads(json.dumps(data)), buf)
    return buf.getvalue()


def write_drill(demo: Demonstration, drill: Drill, out: Path) -> None:
    """Write the drill's files into ``out`` (created), replacing them all at once."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        demo.write(staging / "recording.json")
        (staging / "graph.yaml").write_text(_yaml(drill.graph))
        (staging / "verifier.json").write_text(json.dumps(drill.verifier, indent=2) + "\n")
        (staging / "replay.json").write_text(
            json.dumps(drill.replay, indent=1, sort_keys=True) + "\n"
        )
        (staging / "agent.py").write_text(AGENT_PY.format(path=out / "agent.py"))
        (staging / "recording.md").write_text(drill.notes)
        (staging / "graph.svg").write_text(graph_svg(drill.graph))
        if out.exists():
            shutil.rmtree(out)
        staging.replace(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
