"""A pack for any app, with no graph of it: ``gymfuzz generate --any-app``.

The any-app graph (``scenarios/drills/graphs/any_app.json``) names nothing of a particular
app. Its page perturbations find their elements by role and kind, and wait for such an
element to appear before they fire:

* buttons (``button, input[type=submit], input[type=button], [role=button]``): a modal
  (one or two) as soon as one appears; a layer over them that takes the first clicks (one
  or two) and goes by itself after 2 s;
* links (``a[href]``): a banner inserted above the content once one appears;
* selects and listboxes (``select, [role=listbox]``): their options reordered shortly after
  one appears (never relabelled: an app may read an option's label back as its value, as
  MiniWoB++'s ``choose-list`` does, and the task would change);
* date inputs (``input[type=date], [role=grid]``): the widget re-rendered inside the press;
* text fields with suggestions (``input[list], input[type=search],
  input[aria-autocomplete], input[role=combobox]``): a competing suggestion list that takes
  Enter;
* forms (``form``): a skeleton in their place when one appears, or inert controls until a late
  "hydration".

Its network faults match requests by method and resource type: writes (``POST``, ``PUT``,
``PATCH``, ``DELETE``) are slowed or fail once with a 503 before or after the backend; reads
by fetch/XHR and page loads are slowed. Its interface variants are the drills' themes and
layouts (dark, high contrast, a larger font, zoomed, phone-sized, a sticky header).

An any-app scenario carries no task: its goal says "do the task you are given" and its
verifier is empty. The task and its judge come from elsewhere:

* a BrowserGym or gymnasium env: ``wrap(gym.make("browsergym/miniwob.choose-list"),
  pack="packs/any")``, judged by the env's own reward;
* a pack of tasks on an app: ``gymfuzz run packs/tickets --target app.yaml --overlay
  packs/any`` plays each task under an any-app scenario's faults (:func:`overlay`), judged
  by the task's verifier.

Every page firing names the element it acted on in the ledger (``detail.element``, see
``perturbations/js/runtime.js``), and every network firing its request, so a report shows
what a perturbation written for no page found on this one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from scenarios.drills.graph import GRAPHS_DIR
from scenarios.model import Scenario, ScenarioError, load_scenario

#: The any-app workflow graph (see the module docstring).
ANY_APP_GRAPH = GRAPHS_DIR / "any_app.json"

#: The ``drill`` of an any-app scenario.
ANY_APP = "any_app"


def overlay(tasks: Sequence[Scenario], layers: Sequence[Scenario]) -> list[Scenario]:
    """Each task played under the faults of an any-app scenario, round robin.

    Scenario ``i`` (of ``max(len(tasks), len(layers))``, so that every task and every layer
    is played) is task ``i % len(tasks)`` with the faults of layer ``i % len(layers)`` in
    place of its own perturbations. What defines the task stays: its goal, data, fixture,
    verifier and the faults it lists as essential (an unsolvable scenario's outage). The
    layer's essential faults (its interface transforms) stay essential, and its interface
    is recorded. The id is ``<task id>.<layer id>``, hashed short when it would pass 120
    characters.

    Raises :class:`~scenarios.model.ScenarioError` when ``tasks`` or ``layers`` is empty,
    a layer is not an any-app scenario, or the combination is invalid (a fault id in both).
    """
    if not tasks:
        raise ScenarioError("overlay: the task pack holds no scenario")
    if not layers:
        raise ScenarioError("overlay: the overlay pack holds no scenario")
    for layer in layers:
        if layer.drill != ANY_APP or layer.verifier.required:
            raise ScenarioError(
                f"overlay: scenario {layer.id}: drill: expected an any-app scenario "
                f"(gymfuzz generate --any-app), got drill {layer.drill!r}"
            )
    out: list[Scenario] = []
    for i in range(max(len(tasks), len(layers))):
        task, layer = tasks[i % len(tasks)], layers[i % len(layers)]
        kept = [f for f in task.faults if f.get("id") in task.essential]
        data = task.model_dump(mode="json")
        data.update(
            id=_joined_id(task.id, layer.id),
            faults=[*kept, *layer.faults],
            essential=[*task.essential, *layer.essential],
        )
        if layer.interface is not None:
            data["interface"] = layer.interface
        out.append(load_scenario(data, source=f"overlay of {layer.id} on {task.id}"))
    return out


def _joined_id(task: str, layer: str) -> str:
    joined = f"{task}.{layer}"
    if len(joined) <= 120:
        return joined
    digest = hashlib.sha256(joined.encode()).hexdigest()[:12]
    return f"{task[:100]}.{digest}"
