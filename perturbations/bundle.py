"""Build the page bundle: one JS string that installs the gymfuzz runtime and perturbations.

Evaluate it in a page as an inline ``<script>`` (the proxy does) or with Playwright's
``context.add_init_script(script=...)``. Its config is the page half of one episode::

    {
      "episode": "ep-1",               # any string; echoed in every event
      "seed": 7,                       # int, 0 .. 2**53-1 (exact in JS)
      "report_url": "/__gymfuzz/events",  # where events are POSTed; null: do not POST
      "perturbations": [
        {
          "id": "m1",                  # unique in the config
          "layer": "page",
          "kind": "modal",             # a key of perturbations.PERTURBATIONS
          "target": {"selector": "#book"},
          "trigger": {                 # default {"event": "load"}
            "event": "pointerdown",    # load | appear | pointerdown | click | focus |
                                       # input | change | submit | keydown | step | navigate
            "selector": null,          # CSS; null: the target's selector
            "nth": 1,                  # fire on the nth occurrence (load: only 1)
            "repeat": false,           # and on every later one
            "delay_ms": 0              # after the event
          },
          "probability": 1.0,          # decided per occurrence, seeded
          "params": {...}              # the kind's params model
        }
      ]
    }

Trigger events: ``load`` counts the episode's documents as each is ready (``nth`` is 1:
without ``repeat`` it fires on the first, with it on every one); ``appear``
counts elements matching the selector as they appear (a MutationObserver); the agent events
(``pointerdown`` ... ``keydown``) count occurrences on elements matching the selector (or
inside them); ``step`` counts every agent action (a pointer press or a key press, anywhere:
``nth`` is the step index); ``navigate`` counts same-document navigations (``pushState``,
``replaceState``, ``popstate``, which hash changes and back/forward fire).
``delay_ms`` times the perturbation from its triggering event ("500 ms after the focus").

Counts are per episode, not per document: they carry over the page loads of the episode's
tab (kept in its ``sessionStorage``, same origin), so ``nth: 1`` without ``repeat`` fires
once in an episode that loads five pages. The key names the episode, the seed and the plan
id the proxy puts on the script element it injects (``data-gymfuzz-plan``, fresh for each
plan installed), so a new episode starts from zero in the same tab even under the same
episode name and seed; without a proxy (an init script) the key is the episode and seed.

The JSON is embedded with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so no value can
close the script element or break out of the literal. Same config, same bytes.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import fielderrors
from perturbations.catalog import PERTURBATIONS, _parse_params, known_kinds

#: Functions shared by the perturbation scripts, bundled after the runtime when any is used.
TOOLS_JS = "perturbation_tools.js"

#: Where the runtime POSTs events unless the config says otherwise.
DEFAULT_REPORT_URL = "/__gymfuzz/events"

#: The agent-relative events a page trigger can name.
TriggerEvent = Literal[
    "load",
    "appear",
    "pointerdown",
    "click",
    "focus",
    "input",
    "change",
    "submit",
    "keydown",
    "step",
    "navigate",
]

_MAX_SEED = 2**53 - 1  # JS numbers hold integers exactly up to here
_MODEL_CONFIG = ConfigDict(frozen=True, extra="forbid", strict=True)


class Target(BaseModel):
    """What a page perturbation acts on."""

    model_config = _MODEL_CONFIG

    selector: str = Field(min_length=1)


class Trigger(BaseModel):
    """When a page perturbation fires: relative to agent events, never to the wall clock."""

    model_config = _MODEL_CONFIG

    event: TriggerEvent
    selector: str | None = Field(default=None, min_length=1)
    nth: int = Field(default=1, ge=1)
    repeat: bool = False
    delay_ms: int = Field(default=0, ge=0, le=600_000)


class PagePerturbation(BaseModel):
    """One page perturbation instance (the shared envelope, page layer)."""

    model_config = _MODEL_CONFIG

    id: str = Field(min_length=1)
    layer: Literal["page"]
    kind: str
    target: Target
    trigger: Trigger = Trigger(event="load")
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    params: dict[str, object] = Field(default_factory=dict)


class BundleConfig(BaseModel):
    """The validated page config of one episode."""

    model_config = _MODEL_CONFIG

    episode: str
    seed: int = Field(ge=0, le=_MAX_SEED)
    report_url: str | None = DEFAULT_REPORT_URL
    perturbations: tuple[PagePerturbation, ...] = Field(default=(), strict=False)


def validate_config(config: Mapping[str, object]) -> BundleConfig:
    """Validate a page config and fill in defaults, including each kind's params.

    Raises:
        ValueError: naming the field path and the bad value, e.g.
            ``perturbations[1].trigger.event: 'hover' is not one of 'load', ...``.
    """
    if not isinstance(config, Mapping):
        raise ValueError(f"config: {config!r} is not an object")
    try:
        parsed = BundleConfig.model_validate(dict(config))
    except ValidationError as exc:
        raise ValueError(fielderrors.describe(exc)) from None
    problems: list[str] = []
    seen: set[str] = set()
    entries = []
    for i, entry in enumerate(parsed.perturbations):
        where = f"perturbations[{i}]"
        if entry.id in seen:
            problems.append(f"{where}.id: {entry.id!r} is a duplicate")
        seen.add(entry.id)
        if entry.trigger.event == "load" and entry.trigger.nth != 1:
            problems.append(f"{where}.trigger.nth: {entry.trigger.nth} must be 1 for 'load'")
        if entry.kind not in PERTURBATIONS:
            problems.append(f"{where}.kind: {entry.kind!r} is not one of {known_kinds()}")
            continue
        try:
            params = _parse_params(entry.kind, entry.params, ("perturbations", i, "params"))
        except ValueError as exc:
            problems.append(str(exc))
            continue
        entries.append(entry.model_copy(update={"params": params.model_dump(mode="json")}))
    if problems:
        raise ValueError("; ".join(problems))
    return parsed.model_copy(update={"perturbations": tuple(entries)})


@functools.cache
def read_js(name: str) -> str:
    """The text of ``perturbations/js/<name>`` (cached)."""
    return (importlib.resources.files("perturbations") / "js" / name).read_text(encoding="utf-8")


_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: object) -> str:
    """``value`` as JSON safe to place inside an inline ``<script>`` element."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.translate(_JSON_ESCAPES)


def build_bundle(config: Mapping[str, object]) -> str:
    """Validate ``config`` and return the page bundle: config, runtime, tools, each kind's JS.

    Raises:
        ValueError: the config is invalid (see :func:`validate_config`).
    """
    parsed = validate_config(config)
    kinds = sorted({entry.kind for entry in parsed.perturbations})
    parts = [
        "/* gymfuzz page bundle */",
        "(function () {",
        f"var GYMFUZZ_CONFIG = {script_json(parsed.model_dump(mode='json'))};",
        f"/* runtime.js */\n{read_js('runtime.js')}",
    ]
    if kinds:
        parts.append(f"/* {TOOLS_JS} */\n{read_js(TOOLS_JS)}")
    parts += [
        f"/* {PERTURBATIONS[k].js_file} */\n{read_js(PERTURBATIONS[k].js_file)}" for k in kinds
    ]
    parts.append("})();\n")
    return "\n".join(parts)
