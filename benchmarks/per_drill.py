"""What the per-drill benchmarks share (``interface_spread.py``, ``any_app.py``): their
command line, and results files that keep the drills a run did not name; and
:func:`kept_rows`, the same for the benchmarks whose results are a list of rows
(``fuzz_vs_random.py``, ``fuzz_planted.py``).

Each per-drill benchmark measures one drill at a time (``measure(drill, count, seed, agents,
workers, work) -> dict``), journals its episodes in ``--work`` so that a killed run resumes,
and writes ``results/<name>.json`` and ``.md`` (rendered by ``render(report) -> str``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, NoReturn

HERE = Path(__file__).parent

Measure = Callable[[str, int, int, list[str], int, Path], dict[str, Any]]


def run(name: str, description: str, measure: Measure, render: Callable[[dict[str, Any]], str],
        *, count: int) -> None:  # fmt: skip
    """Parse the command line, measure each drill it names, write and print the results."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--drills", nargs="+", default=["dropdown", "calendar"])
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--agents", nargs="+", default=["careful", "naive"])
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / f"gymfuzz-{name.replace('_', '-')}",
        help="journals and ledgers: a killed run resumes where it stopped",
    )
    args = parser.parse_args()
    out = args.out / f"{name}.json"
    old = results_part(out, {"drills": dict})
    kept = old["drills"] if old is not None else {}
    for drill in args.drills:
        kept[drill] = measure(drill, args.count, args.seed, args.agents, args.workers, args.work)
    report = {
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "drills": kept,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    (args.out / f"{name}.md").write_text(render(report))
    print(render(report))


def results_part(path: Path, kinds: dict[str, type]) -> dict[str, Any] | None:
    """The parts of the results file ``path`` named in ``kinds``, each checked to be of its
    type (read once); ``None`` when there is no such file. A file that is not such a results
    file (not JSON, a part missing, the wrong shape) is a usage error that names it: a message
    on stderr and exit 2, before the run measures or writes anything."""
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text())
        parts = {key: doc[key] for key in kinds}
        for key, kind in kinds.items():
            if not isinstance(parts[key], kind):
                raise TypeError(f"{key!r} is a {type(parts[key]).__name__}, not a {kind.__name__}")
    except (OSError, ValueError, KeyError, TypeError) as e:
        unusable(path, e)
    return parts


def unusable(path: Path, why: Exception) -> NoReturn:
    """Stop the run: ``path`` is not a results file this benchmark can extend (exit 2)."""
    print(
        f"{path}: not a results file of this benchmark ({why!r}); move it away or give "
        "another results folder",
        file=sys.stderr,
    )
    raise SystemExit(2)


def kept_rows(
    path: Path,
    arguments: dict[str, Any],
    rerun: Callable[[dict[str, Any]], bool],
    *,
    loose: Collection[str] = ("drills",),
) -> list[dict[str, Any]]:
    """The rows of the results file ``path`` that this run does not redo: those for which
    ``rerun(row)`` is false, kept only when the file was made with the same ``arguments``
    (the keys in ``loose`` aside), so rows measured differently are never mixed; ``[]`` when
    there is no such file. A malformed file stops the run (see :func:`results_part`)."""
    old = results_part(path, {"arguments": dict, "rows": list})
    if old is None:
        return []

    def settled(args: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in args.items() if k not in loose}

    if settled(old["arguments"]) != settled(arguments):
        return []
    try:
        return [r for r in old["rows"] if not rerun(r)]
    except (KeyError, TypeError) as e:
        unusable(path, e)
