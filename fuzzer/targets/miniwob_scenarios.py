"""Scenarios whose target is a MiniWoB++ task page, played by the gymfuzz runner.

A scenario plays a MiniWoB++ task (from the ``miniwob`` package, ``pip install
'gymfuzz[gym]'``) instead of the embedded site when both of these hold:

* ``drill`` is ``"miniwob"``;
* ``goal.start`` is ``/miniwob/<task>.html``, the task's page (``/miniwob/click-button.html``).

Everything else is an ordinary scenario: ``faults`` hold network faults and page
perturbations aimed at the task's widgets, ``seed`` seeds both the faults and the task's own
problem generator (same seed, same problem), ``goal.text`` is a note for readers (the agent
gets the task's own instruction). ``verifier`` stays ``{}``: a MiniWoB++ task has no backend,
its own reward is the ground truth (see :mod:`fuzzer.targets.miniwob`).
:func:`miniwob_scenario` builds one::

    sc = miniwob_scenario("click-dialog", id="click-dialog-modal", seed=4, faults=[modal])
    write_pack(Path("packs/miniwob"), [sc], arguments={"source": "my script"})
    # gymfuzz run packs/miniwob --agent fuzzer.targets.miniwob_agents:CarefulMiniWoBAgent ...

The page server and the task names come from the installed ``miniwob`` package; the
``flight.*`` tasks (another folder, another start protocol) are not supported.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from scenarios.model import Scenario, load_scenario

#: The ``drill`` of a scenario that plays a MiniWoB++ task page.
MINIWOB_DRILL = "miniwob"

_START = re.compile(r"^/miniwob/([a-z0-9][a-z0-9-]*)\.html$")


def task_page(task: str) -> str:
    """The ``goal.start`` of ``task``: ``/miniwob/<task>.html``."""
    return f"/miniwob/{task}.html"


def miniwob_task(scenario: Scenario) -> str | None:
    """The MiniWoB++ task ``scenario`` plays, or ``None`` when it targets the embedded site."""
    if scenario.drill != MINIWOB_DRILL:
        return None
    match = _START.match(scenario.goal.start)
    return match.group(1) if match else None


def pages_root() -> Path | None:
    """The ``html`` folder of the installed ``miniwob`` package, or ``None`` without it.

    Found without importing the package, so a harness that never plays MiniWoB++ pays nothing.
    """
    spec = importlib.util.find_spec("miniwob")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations))) / "html"
    return root if root.is_dir() else None


def known_tasks() -> list[str]:
    """The MiniWoB++ task names the installed package has pages for (sorted)."""
    root = pages_root()
    return sorted(p.stem for p in (root / "miniwob").glob("*.html")) if root else []


def check_tasks(scenarios: Iterable[Scenario]) -> None:
    """Check that every MiniWoB++ scenario names a task page that exists.

    Raises ``ValueError`` naming the scenario, the field and the value, so a bad pack fails
    before any episode starts.
    """
    root = pages_root()
    for sc in scenarios:
        if sc.drill != MINIWOB_DRILL or sc.goal.start == "/":
            continue
        task = miniwob_task(sc)
        if task is None:
            raise ValueError(
                f"scenario {sc.id}: goal.start: expected /miniwob/<task>.html for drill "
                f"'miniwob', got {sc.goal.start!r}"
            )
        if root is None:
            raise ValueError(
                f"scenario {sc.id}: drill 'miniwob' needs the 'miniwob' package "
                "(pip install 'gymfuzz[gym]')"
            )
        if not (root / "miniwob" / f"{task}.html").is_file():
            raise ValueError(
                f"scenario {sc.id}: goal.start: no MiniWoB++ task page {task!r} "
                f"(see fuzzer.targets.miniwob_scenarios.known_tasks())"
            )


@contextlib.contextmanager
def serve_pages() -> Iterator[str | None]:
    """Serve the MiniWoB++ pages on 127.0.0.1 (a free port); yields the base URL, or ``None``
    when the ``miniwob`` package is not installed (nothing is started)."""
    if pages_root() is None:
        yield None
        return
    from fuzzer.gym.miniwob import serve_html

    with serve_html() as url:
        yield url


def miniwob_scenario(
    task: str,
    *,
    id: str,
    seed: int,
    faults: Sequence[dict[str, Any]] = (),
    note: str | None = None,
) -> Scenario:
    """A validated scenario that plays MiniWoB++ ``task`` under ``faults``.

    Args:
        task: the task's name, as its page is named (``click-button``, ``choose-date``).
        id: the scenario id (letters, digits, ``_.-``).
        seed: seeds the faults and the task's problem (same seed, same problem).
        faults: fault envelopes (network or page), as in any scenario.
        note: ``goal.text``, for readers; default names the task.

    Raises :class:`~scenarios.model.ScenarioError` (a ``ValueError``) naming the field when a
    value is invalid; :func:`check_tasks` checks that the task page exists.
    """
    return load_scenario(
        {
            "id": id,
            "drill": MINIWOB_DRILL,
            "seed": seed,
            "goal": {
                "text": note or f"MiniWoB++ {task}: do what the task's instruction says.",
                "fields": {"task": task},
                "start": task_page(task),
            },
            "verifier": {},
            "faults": list(faults),
        },
        source=f"miniwob_scenario({task!r})",
    )
