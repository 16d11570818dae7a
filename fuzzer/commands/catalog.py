"""``gymfuzz catalog``: list every network fault and page perturbation, with documentation.

Usage::

    gymfuzz catalog [--layer network|page] [--json]

The text form shows, per kind, the drills it serves, its parameters (type and default) and
its documentation; page kinds of the transform family (theme, layout, content: the interface
itself differs per scenario) say so, and the full listing ends with the goal wording
variants (``gymfuzz generate --wording``) and the interface variants (``--interfaces``) of
each built-in drill. ``--json`` prints the
kinds as one JSON object::

    {"network": [{"kind", "layer", "drills", "params", "doc"}, ...],
     "page": [{"kind", "layer", "family", "drills", "params", "doc"}, ...]}

where ``params`` is the JSON schema of the kind's parameter model and ``family`` is
``"perturbation"`` or ``"transform"``. The lists are read from
``proxy_addons.faults.FAULTS`` and ``perturbations.PERTURBATIONS``, so a new kind shows up
without any change here.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import textwrap
from typing import Any

from pydantic import BaseModel

Entry = dict[str, Any]


def _entry(
    layer: str, kind: str, drills: tuple[str, ...], model: type[BaseModel], doc: str
) -> Entry:
    return {
        "kind": kind,
        "layer": layer,
        "drills": list(drills),
        "params": model.model_json_schema(),
        "doc": doc,
    }


def network_entries() -> list[Entry]:
    """One entry per network fault kind, sorted by kind (documentation: its module docstring)."""
    from proxy_addons.faults import FAULTS

    entries = []
    for kind in sorted(FAULTS):
        cls = FAULTS[kind]
        module = sys.modules.get(cls.__module__)
        doc = (module.__doc__ if module else None) or cls.__doc__ or ""
        entries.append(
            _entry("network", kind, tuple(cls.drills), cls.Params, inspect.cleandoc(doc))
        )
    return entries


def page_entries() -> list[Entry]:
    """One entry per page perturbation kind, sorted by kind."""
    from perturbations import PERTURBATIONS

    return [
        {
            **_entry("page", spec.kind, spec.drills, spec.params_model, spec.doc),
            "family": spec.family,
        }
        for spec in PERTURBATIONS.values()
    ]


def catalog(layer: str | None = None) -> dict[str, list[Entry]]:
    """``{"network": [...], "page": [...]}``, or only ``layer``'s list."""
    out: dict[str, list[Entry]] = {}
    if layer in (None, "network"):
        out["network"] = network_entries()
    if layer in (None, "page"):
        out["page"] = page_entries()
    return out


def _type_of(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    return str(schema.get("type", "any"))


def param_lines(schema: dict[str, Any]) -> list[str]:
    """One line per parameter: ``name: type (default ...)`` or ``(required)``."""
    required = set(schema.get("required", ()))
    lines = []
    for name, prop in schema.get("properties", {}).items():
        if "$ref" in prop:
            ref = prop["$ref"].rsplit("/", 1)[-1]
            prop = {**schema.get("$defs", {}).get(ref, {}), **prop}
        kind = _type_of(prop)
        tail = "required" if name in required else f"default {json.dumps(prop.get('default'))}"
        lines.append(f"{name}: {kind} ({tail})")
    return lines


def wording_lines() -> list[str]:
    """The goal wording variants of each built-in drill, as text."""
    from scenarios.drills import DRILLS

    lines = [
        "Goal wording variants (gymfuzz generate --wording; graph files: goal_variants)\n",
        "Each scenario's goal is phrased in one of its drill's phrasings, chosen by the",
        "scenario's seed and recorded as goal.wording (0: the goal template's own words):",
        "reordered fields, [[synonym|sets]], and {<date field>_relative} dates said against",
        "the fixture's today ('next Friday', 'the Tuesday after next').",
        "",
    ]
    for name, drill in sorted(DRILLS.items()):
        templates = drill.phrasings.templates
        lines.append(f"{name}: {len(templates)} phrasings")
        lines.extend(f"  {k}. {textwrap.shorten(t, 96)}" for k, t in enumerate(templates))
    return lines


def interface_lines() -> list[str]:
    """The interface variants of each built-in drill, as text."""
    from scenarios.drills import DRILLS

    lines = [
        "",
        "Interface variants (gymfuzz generate --interfaces; graph files: interfaces)\n",
        "Each scenario is played on one look of the app, a further dimension of the covering",
        "array, recorded as the scenario's interface; its transforms stay in the unperturbed",
        "condition (default: the app as it is).",
        "",
    ]
    for name, drill in sorted(DRILLS.items()):
        looks = drill.spec.interfaces
        lines.append(f"{name}: default and {len(looks)} looks")
        for look in looks:
            parts = [
                f"{t.kind}({', '.join(f'{k}={v}' for k, v in t.params.items())})"
                for t in look.transforms
            ]
            # the app's own switch for the variant, set through the fixture
            parts += [f"fixture {k}={v}" for k, v in look.fixture.items()]
            shown = ", ".join(parts)
            lines.append(f"  {look.name}: {shown}")
    return lines


def render_text(doc: dict[str, list[Entry]]) -> str:
    """The catalog as readable text (with the wording and interface variants when it holds
    every layer)."""
    titles = {
        "network": "Network faults (proxy_addons)",
        "page": "Page perturbations and transforms",
    }
    parts: list[str] = []
    for layer, entries in doc.items():
        parts.append(f"{titles[layer]}: {len(entries)} kinds\n")
        for entry in entries:
            parts.append(f"{entry['kind']}  [{layer}; drills: {', '.join(entry['drills'])}]")
            if entry.get("family") == "transform":
                parts.append("  family: transform (the interface itself differs per scenario)")
            params = param_lines(entry["params"]) or ["(no parameters)"]
            parts.append("  params:")
            parts.extend(f"    {line}" for line in params)
            parts.append(textwrap.indent(entry["doc"], "  "))
            parts.append("")
    if len(doc) == len(titles):
        parts.extend(wording_lines())
        parts.extend(interface_lines())
    return "\n".join(parts).rstrip() + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the catalog (text or JSON)."""
    doc = catalog(args.layer)
    if args.json:
        print(json.dumps(doc, indent=2, sort_keys=True))
    else:
        print(render_text(doc), end="")
    return 0


def add_parser(sub: Any) -> None:
    """Register ``catalog`` on the CLI's subparsers."""
    p = sub.add_parser("catalog", help="list every network fault and page perturbation")
    p.add_argument("--layer", choices=["network", "page"], help="only this layer")
    p.add_argument("--json", action="store_true", help="print the catalog as JSON")
    p.set_defaults(func=run)
