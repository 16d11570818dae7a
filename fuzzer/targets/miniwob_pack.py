"""A ready pack of perturbed MiniWoB++ variants, one per task widget.

Each scenario aims one perturbation at the widget its task is about:

========================  ======================================================================
scenario                  perturbation
========================  ======================================================================
click-button-modal        a modal dialog over the page as soon as the buttons appear
click-button-latency      800 ms (+-200) latency on the task page's load (network layer)
click-dialog-modals       two stacked modals, out of order, over the task's own dialog
choose-list-overlay       an invisible layer over Submit that takes the first click
choose-date-rerender      the date picker's calendar re-rendered inside the press on a day
use-autocomplete-reset    the form silently reset when the Submit button takes the focus
========================  ======================================================================

The reference ``careful`` agent (its MiniWoB++ script is
:class:`~fuzzer.targets.miniwob_agents.CarefulMiniWoBAgent`) passes them all; ``naive`` fails
all but the latency variant. Write the pack and play it::

    python -m fuzzer.targets.miniwob_pack packs/miniwob
    gymfuzz run packs/miniwob --agent careful --agent naive --condition both \\
        --out results.jsonl

The same scenarios wrap the BrowserGym tasks (``fuzzer.gym.wrap(gym.make(
"browsergym/miniwob.choose-date"), scenario=...)``); ``tests/fuzzer/gym`` plays them there.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fuzzer.targets.miniwob_scenarios import miniwob_scenario
from scenarios.model import Scenario
from scenarios.pack import Pack, write_pack


def page_fault(
    id: str, kind: str, selector: str, trigger: dict[str, Any], **params: Any
) -> dict[str, Any]:
    """A page perturbation envelope on ``selector``."""
    return {
        "id": id,
        "layer": "page",
        "kind": kind,
        "target": {"selector": selector},
        "trigger": trigger,
        "probability": 1.0,
        "params": params,
    }


def perturbed_variants(seed: int = 7) -> list[Scenario]:
    """The scenarios of the pack (module docstring), all with ``seed``."""
    appear_buttons = {"event": "appear", "selector": "#area button"}
    modal = page_fault(
        "modal", "modal", "#area", appear_buttons, title="Newsletter", text="Stay in touch."
    )
    latency = {
        "id": "slow-page",
        "layer": "network",
        "kind": "latency",
        "match": {"resource": "document"},
        "probability": 1.0,
        "params": {"ms": 800, "jitter_ms": 200},
    }
    modals = page_fault(
        "modals",
        "modal",
        ".ui-dialog",
        {"event": "appear"},
        title="Cookies",
        text="We use cookies.",
        count=2,
    )
    overlay = page_fault("overlay", "click_overlay", "#area button", appear_buttons)
    rerender = page_fault(
        "rerender",
        "rerender_widget",
        ".ui-datepicker-calendar",
        {"event": "pointerdown", "selector": ".ui-datepicker-calendar a"},
    )
    reset = page_fault("reset", "form_reset", "#area", {"event": "focus", "selector": "#subbtn"})
    return [
        miniwob_scenario("click-button", id="click-button-modal", seed=seed, faults=[modal]),
        miniwob_scenario("click-button", id="click-button-latency", seed=seed, faults=[latency]),
        miniwob_scenario("click-dialog", id="click-dialog-modals", seed=seed, faults=[modals]),
        miniwob_scenario("choose-list", id="choose-list-overlay", seed=seed, faults=[overlay]),
        miniwob_scenario("choose-date", id="choose-date-rerender", seed=seed, faults=[rerender]),
        miniwob_scenario(
            "use-autocomplete", id="use-autocomplete-reset", seed=seed, faults=[reset]
        ),
    ]


def write_variants_pack(out: Path, *, seed: int = 7, force: bool = False) -> Pack:
    """Write :func:`perturbed_variants` as a pack at ``out`` (refuses to overwrite unless
    ``force``)."""
    return write_pack(
        out,
        perturbed_variants(seed),
        arguments={"source": "fuzzer.targets.miniwob_pack", "seed": seed},
        force=force,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the perturbed MiniWoB++ variants pack.")
    parser.add_argument("out", type=Path, help="pack directory to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="overwrite an existing pack")
    args = parser.parse_args(argv)
    pack = write_variants_pack(args.out, seed=args.seed, force=args.force)
    print(f"pack: {pack.path} ({len(list(pack.scenarios()))} scenarios)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
