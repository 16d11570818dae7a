"""The workflow graph a demonstration implies, in the format of :mod:`scenarios.workflow_spec`.

* **Nodes** are the states between actions, named after the page each action was taken on
  (its heading or title); the node after the last action is the goal, ``done``.
* **Edges** are the actions (``fill_title``, ``select_slot``, ``click_save``), each with the
  agent event that performs it on the element's CSS selector (``trigger``). An action whose
  request wrote to the app gets the edges around a write that may fail: ``<action>`` leads to
  ``<action>_pending``, then ``<action>_ok`` onwards or ``<action>_failed`` to an error
  state, from where the agent checks the app's record and either confirms or goes back to
  the form (``redo_<action>``).
* **Perturbations** are chosen per edge from what its element is, with the parameter levels
  of the any-app graph (``scenarios/drills/graphs/any_app.json``, checked against the
  catalogs): a modal on every step; a date field re-rendered as it is used; a select's
  options reordered; a text field with suggestions given a competing list; a submit covered
  by a layer that takes the first clicks, and its exact request slowed or failed once
  before or after the backend; a form shown as a skeleton, or inert until a late hydration,
  when it appears.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fuzzer.record.fields import GoalField, keyed_css, typed_fields
from scenarios.anyapp import ANY_APP_GRAPH

GOAL = "done"


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).lstrip("_0123456789")[:32].strip("_")
    return slug or fallback


def _any_app_levels() -> dict[str, dict[str, Any]]:
    graph = json.loads(ANY_APP_GRAPH.read_text())
    return {
        p["kind"] + ("" if p["layer"] == "page" else f":{p['id']}"): p
        for p in graph["perturbations"]
    }


def _label(element: dict[str, Any]) -> str:
    return (element.get("label") or "").rstrip(": ").strip()


def _chosen(action: dict[str, Any], fields: list[GoalField], index: int) -> list[str]:
    """The goal fields a click chose by its element's data attributes (``flight``, ``fare``)."""
    if action["kind"] != "click":
        return []
    css = keyed_css(action.get("element") or {}, fields, index)
    return re.findall(r"\{(\w+)\}", css) if css else []


def action_name(action: dict[str, Any], fields: list[GoalField], index: int) -> str:
    """The edge name of an action: ``fill_title``, ``click_save``, ``open_admin``,
    ``choose_flight_fare`` (a click on a choice, named by its fields, not its values)."""
    if action["kind"] == "goto":
        return "open_" + _slug(action.get("url", ""), "page")
    element = action.get("element") or {}
    chosen = _chosen(action, fields, index)
    if chosen:
        return "choose_" + "_".join(chosen)
    typed = typed_fields(fields)
    if index in typed:
        return f"{action['kind']}_{typed[index].name}"
    what = _slug(_label(element) or element.get("name", "") or element.get("tag", ""), "element")
    return f"{action['kind']}_{what}"


def writes_of(demo: Any) -> dict[int, dict[str, Any]]:
    """The write request each action sent that changed the app (action index -> request)."""
    out: dict[int, dict[str, Any]] = {}
    for request in demo.requests:
        if request.get("effects") and request["action"] >= 0:
            out.setdefault(request["action"], request)
    return out


def _trigger(action: dict[str, Any], keyed: str | None) -> dict[str, Any] | None:
    """The event an action fires on its element; a clicked choice's element is named by
    its data attributes, whatever their values (the step of every scenario)."""
    css = re.sub(r'="\{\w+\}"', "", keyed) if keyed else (action.get("element") or {}).get("css")
    if not css:
        return None
    event = {"click": "pointerdown", "fill": "focus", "select": "focus", "press": "keydown"}
    return {"event": event[action["kind"]], "selector": css}


def _unique(name: str, taken: set[str]) -> str:
    out, k = name, 2
    while out in taken:
        out, k = f"{name}_{k}", k + 1
    taken.add(out)
    return out


def infer_graph(
    demo: Any, fields: list[GoalField], goal_text: str, constants: dict[str, str], name: str
) -> dict[str, Any]:
    """The workflow graph of a demonstration (see the module docstring), as JSON data whose
    ``verifier_template`` names ``verifier.json`` beside it."""
    by_action = typed_fields(fields)
    writes = writes_of(demo)
    actions = demo.actions
    taken: set[str] = set()
    node_names = ["start"]
    taken.add("start")
    for action in actions[1:]:
        page = action.get("page") or {}
        node_names.append(
            _unique(_slug(page.get("heading") or page.get("title") or "", "page"), taken)
        )
    node_names.append(_unique(GOAL, taken))
    nodes: dict[str, dict[str, str]] = {"start": {"description": "nothing loaded yet"}}
    for i, action in enumerate(actions[1:], start=1):
        page = action.get("page") or {}
        nodes[node_names[i]] = {
            "description": f"{page.get('title') or page.get('url', '')} ({page.get('url', '')})"
        }
    nodes[node_names[-1]] = {"description": "the task is done: the app stored what was asked"}
    edges: list[dict[str, Any]] = []
    names: list[str] = []
    for i, action in enumerate(actions):
        edge_name = action_name(action, fields, i)
        names.append(edge_name)
        edge: dict[str, Any] = {
            "action": edge_name,
            "source": node_names[i],
            "target": node_names[i + 1],
            "description": _describe(action, by_action.get(i), _chosen(action, fields, i)),
        }
        trigger = _trigger(action, keyed_css(action.get("element") or {}, fields, i))
        if trigger is not None:
            edge["selector"] = trigger["selector"]
            edge["trigger"] = trigger
        if i in writes:
            edges.extend(_write_edges(edge, writes[i], nodes, node_names, actions, i))
        else:
            edges.append(edge)
    return {
        "name": name,
        "description": f"recorded from a demonstration on {demo.target}: {goal_text}",
        "start": "start",
        "goal": node_names[-1],
        "nodes": nodes,
        "edges": edges,
        "data": {f.name: f.data for f in fields},
        "goal_template": {
            "text": goal_text,
            "fields": {**constants, **{f.name: "{" + f.name + "}" for f in fields}},
            "start": demo.start,
        },
        "verifier_template": "verifier.json",
        "perturbations": _perturbations(actions, names, writes),
    }


def _describe(action: dict[str, Any], goal: GoalField | None, chosen: list[str]) -> str:
    element = action.get("element") or {}
    label = _label(element) or element.get("css", "")
    if action["kind"] == "goto":
        return f"open {action.get('url', '/')}"
    if chosen:
        return "click the choice " + ", ".join("{" + name + "}" for name in chosen)
    if action["kind"] == "fill":
        return f"type {'{' + goal.name + '}' if goal else repr(action.get('value'))} into {label}"
    if action["kind"] == "select":
        return f"choose {'{' + goal.name + '}' if goal else repr(action.get('option'))} in {label}"
    if action["kind"] == "press":
        return f"press {action.get('key')} in {label}"
    return f"click {label}"


def _write_edges(
    edge: dict[str, Any],
    request: dict[str, Any],
    nodes: dict[str, dict[str, str]],
    node_names: list[str],
    actions: list[dict[str, Any]],
    i: int,
) -> list[dict[str, Any]]:
    name, after = edge["action"], edge["target"]
    pending, error, checked = f"{name}_pending", f"{name}_error", f"{name}_checked"
    what = f"{request['method']} {request['path']}"
    nodes[pending] = {"description": f"{what} was sent; its answer is pending"}
    nodes[error] = {"description": f"{what} answered an error (it may have been stored or not)"}
    nodes[checked] = {"description": "the agent re-read the app's record of the write"}
    url = (actions[i].get("page") or {}).get("url")
    first = i
    while first > 1 and (actions[first - 1].get("page") or {}).get("url") == url:
        first -= 1
    return [
        {**edge, "target": pending},
        {
            "action": f"{name}_ok",
            "source": pending,
            "target": after,
            "description": "the app answered the write",
        },
        {
            "action": f"{name}_failed",
            "source": pending,
            "target": error,
            "description": "an error instead of the app's answer",
        },
        {
            "action": f"check_{name}",
            "source": error,
            "target": checked,
            "description": "look up whether the write landed",
        },
        {
            "action": f"redo_{name}",
            "source": checked,
            "target": node_names[first],
            "description": "it did not land: fill the form again",
            "precondition": "the app has no record of the write",
        },
        {
            "action": f"confirm_{name}",
            "source": checked,
            "target": after,
            "description": "it landed: go on",
            "precondition": "the app has the record",
        },
    ]


def _perturbations(
    actions: list[dict[str, Any]], names: list[str], writes: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    levels = _any_app_levels()
    steps = [names[i] for i, a in enumerate(actions) if _trigger(a, None) is not None]
    out: list[dict[str, Any]] = []
    if steps:
        modal = levels["modal"]
        out.append(
            {
                "id": "interrupt",
                "layer": "page",
                "kind": "modal",
                "target": {"selector": "body"},
                "steps": steps,
                "params": modal["params"],
            }
        )
    forms: list[str] = []
    for i, action in enumerate(actions):
        element = action.get("element") or {}
        css, step = element.get("css"), names[i]
        if not css:
            continue
        if action["kind"] == "select":
            out.append(
                {
                    "id": f"churn_{step}",
                    "layer": "page",
                    "kind": "option_churn",
                    "target": {"selector": css},
                    "trigger": {"event": "appear", "selector": css, "delay_ms": 400},
                    "params": levels["option_churn"]["params"],
                }
            )
        elif action["kind"] == "fill" and (element.get("type") == "date" or _is_date(action)):
            out.append(
                {
                    "id": f"rerender_{step}",
                    "layer": "page",
                    "kind": "rerender_widget",
                    "target": {"selector": css},
                    "steps": [step],
                    "params": levels["rerender_widget"]["params"],
                }
            )
        elif action["kind"] == "fill" and element.get("role") == "combobox":
            out.append(
                {
                    "id": f"suggest_{step}",
                    "layer": "page",
                    "kind": "autosuggest",
                    "target": {"selector": css},
                    "steps": [step],
                    "params": levels["autosuggest"]["params"],
                }
            )
        if i in writes:
            out.extend(_write_faults(step, css, writes[i], levels))
            form = element.get("form")
            if form and form not in forms:
                forms.append(form)
    for form in forms:
        slug = _slug(form, "form")
        for kind in ("skeleton", "delayed_hydration"):
            out.append(
                {
                    "id": f"{kind}_{slug}",
                    "layer": "page",
                    "kind": kind,
                    "target": {"selector": form},
                    "trigger": {"event": "appear", "selector": form},
                    "params": levels[kind]["params"],
                }
            )
    return out


def _is_date(action: dict[str, Any]) -> bool:
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}$", str(action.get("value", ""))))


def _write_faults(
    step: str, css: str, request: dict[str, Any], levels: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    match = {"methods": [request["method"]], "path": request["path"]}
    return [
        {
            "id": f"cover_{step}",
            "layer": "page",
            "kind": "click_overlay",
            "target": {"selector": css},
            "steps": [step],
            "params": levels["click_overlay"]["params"],
        },
        {
            "id": f"slow_{step}",
            "layer": "network",
            "kind": "latency",
            "match": match,
            "trigger": {"start": 1},
            "params": levels["latency:slow_writes"]["params"],
        },
        {
            "id": f"fail_{step}",
            "layer": "network",
            "kind": "http_error",
            "match": match,
            "trigger": {"start": 1, "count": 1},
            "params": levels["http_error:write_fails"]["params"],
        },
    ]
