"""From one recorded demonstration to a gated pack: how long, and does the pack pass?

Usage: ``python benchmarks/record_to_gate.py [--apps django_calendar trac_tickets]
[--count 50] [--baseline-count 20] [--seed 0] [--workers 2]``.

For each example app (``examples/<app>``: a real third-party app, or gymfuzz's own booking
site run as any app for its trip flow, launched from its target file with the file's
``ignore`` removed so that the recording must find the app's own writes itself), the steps a
lab would take, each timed:

1. ``record``: the app's scripted demonstration (``demonstrations.py``) through the real
   proxy and Chromium, with the no-op baseline;
2. ``infer``: the drill's files written (graph, verifier, replay agent);
3. ``generate``: ``--count`` scenarios from the inferred graph;
4. ``play``: the replay agent on every scenario in both conditions and the no-op agent
   unperturbed: the gate's episodes, and the unperturbed half besides.

Reported: the minutes from ``record`` to a gated pack; the replay agent's success per
condition and the no-op agent's (every solvable scenario must fail it); the gate's verdict
(vacuous and unfair scenarios). The baseline, measured in the same run: the example's
hand-written drill (its own graph and careful agent) on ``--baseline-count`` scenarios, the
same episodes; the ratio is seconds per episode, recorded drill over hand-written drill
(an app with no hand-written drill, the trip flow, has no baseline and no ratio).
Writes ``results/record_to_gate.json`` and ``.md`` beside this script (apps not named by
``--apps`` are kept from the results file).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fuzzer.loader import load_object
from fuzzer.play.runner import run_episodes
from fuzzer.record.capture import record
from fuzzer.record.infer import infer, write_drill
from fuzzer.targets.choose import choose_targets
from scenarios.generate import generate_pack

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
APPS = {
    "django_calendar": "demonstrations:add_event",
    "trac_tickets": "demonstrations:file_ticket",
    "booking_trips": "demonstrations:book_trip",
}


def bare_target(app: str, work: Path) -> Path:
    """The example's target file without ``ignore``, its paths made absolute."""
    text = (EXAMPLES / app / "target.yaml").read_text()
    text = text.replace("cwd: .", f"cwd: {EXAMPLES / app}")
    path = work / f"{app}.target.yaml"
    path.write_text("\n".join(x for x in text.splitlines() if not x.startswith("ignore:")) + "\n")
    return path


def rate(results: list[Any], agent: str, condition: str) -> dict[str, int]:
    chosen = [r for r in results if r.agent == agent and r.condition == condition]
    return {
        "passed": sum(r.passed for r in chosen),
        "n": len(chosen),
        "harness_errors": sum(r.harness_error is not None for r in chosen),
    }


async def play(pack: Path, careful: str, target: Path, workers: int, work: Path) -> dict[str, Any]:
    from scenarios.pack import open_pack

    scenarios = list(open_pack(pack).scenarios())
    started = time.monotonic()
    results = await run_episodes(
        scenarios,
        [careful, "noop"],
        ["unperturbed", "perturbed"],
        ledger_dir=work / "ledgers",
        workers=workers,
        targets=choose_targets(target, workers=workers),
    )
    results = [r for r in results if not (r.agent == "noop" and r.condition == "perturbed")]
    seconds = time.monotonic() - started
    name = next(r.agent for r in results if r.agent != "noop")
    unfair = [r.scenario_id for r in results
              if r.agent == name and r.condition == "perturbed" and not r.passed]  # fmt: skip
    vacuous = [r.scenario_id for r in results
               if r.agent == "noop" and r.condition == "unperturbed" and r.passed]  # fmt: skip
    return {
        "scenarios": len(scenarios),
        "seconds": round(seconds, 1),
        "episodes": len(results),
        "careful": {c: rate(results, name, c) for c in ("unperturbed", "perturbed")},
        "noop": rate(results, "noop", "unperturbed"),
        "unfair": unfair,
        "vacuous": vacuous,
    }


def measure(app: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    folder = EXAMPLES / app
    os.chdir(folder)  # the example's modules (demonstrations, agents) as python -m finds them
    target = bare_target(app, work)
    script = load_object(APPS[app], "--script")
    t0 = time.monotonic()
    demo = asyncio.run(record(target, script))
    t1 = time.monotonic()
    drill_dir = work / app / "drill"
    write_drill(demo, infer(demo, app), drill_dir)
    t2 = time.monotonic()
    pack = work / app / "pack"
    generate_pack(pack, drill="", count=args.count, seed=args.seed, graph=drill_dir / "graph.yaml")
    t3 = time.monotonic()
    recorded = asyncio.run(
        play(pack, f"{drill_dir / 'agent.py'}:Agent", target, args.workers, work / app)
    )
    t4 = time.monotonic()
    per_recorded = recorded["seconds"] / recorded["episodes"]
    hand, per_hand = None, None
    if (folder / "graph.json").is_file():
        hand_pack = work / app / "hand"
        generate_pack(hand_pack, drill="", count=args.baseline_count, seed=args.seed,
                      graph=folder / "graph.json")  # fmt: skip
        hand = asyncio.run(  # on the target file as the example ships it, ignore and all
            play(hand_pack, "agents:CarefulAgent", folder / "target.yaml", args.workers, work / app)
        )
        per_hand = round(hand["seconds"] / hand["episodes"], 2)
    return {
        "seconds": {
            "record": round(t1 - t0, 1),
            "infer": round(t2 - t1, 2),
            "generate": round(t3 - t2, 2),
            "play": round(t4 - t3, 1),
            "total": round(t4 - t0, 1),
        },
        "recorded": recorded,
        "hand_written": hand,
        "seconds_per_episode": {"recorded": round(per_recorded, 2), "hand": per_hand},
        "ratio": round(per_recorded / per_hand, 2) if per_hand else None,
        "gate": "PASS" if not recorded["unfair"] and not recorded["vacuous"] else "FAIL",
    }


def render(report: dict[str, Any]) -> str:
    lines = [
        "# From a recorded demonstration to a gated pack",
        "",
        f"Run {report['run_at']} on {report['cores']} cores; `python "
        "benchmarks/record_to_gate.py`. Times are wall clock on a shared machine; the ratio "
        "is seconds per episode, the recorded drill over the example's hand-written drill, "
        "measured in the same run.",
        "",
        "| app | record s | infer s | generate s | play s | total min | scenarios | replay "
        "unperturbed | replay perturbed | no-op | gate | s/episode (hand) | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for app, r in report["apps"].items():
        s, rec = r["seconds"], r["recorded"]

        def cell(x: dict[str, int]) -> str:
            return f"{x['passed']}/{x['n']}"

        lines.append(
            f"| {app} | {s['record']} | {s['infer']} | {s['generate']} | {s['play']} | "
            f"{s['total'] / 60:.1f} | {rec['scenarios']} | {cell(rec['careful']['unperturbed'])} "
            f"| {cell(rec['careful']['perturbed'])} | {cell(rec['noop'])} | {r['gate']} | "
            f"{r['seconds_per_episode']['recorded']} ({r['seconds_per_episode']['hand'] or '-'})"
            f" | {r['ratio'] or 'no baseline'} |"
        )
    lines += ["", "Hand-written drills (the baseline):", ""]
    for app, r in report["apps"].items():
        h = r["hand_written"]
        if h is None:
            lines.append(f"- {app}: none (the example ships no hand-written drill)")
            continue
        lines.append(
            f"- {app}: {h['scenarios']} scenarios, careful {h['careful']['perturbed']['passed']}"
            f"/{h['careful']['perturbed']['n']} perturbed, {h['seconds']} s for "
            f"{h['episodes']} episodes"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", nargs="+", default=list(APPS), choices=list(APPS))
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--baseline-count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    out = args.out.resolve() / "record_to_gate.json"
    kept = json.loads(out.read_text())["apps"] if out.is_file() else {}
    with tempfile.TemporaryDirectory(prefix="gymfuzz-record-to-gate-") as tmp:
        for app in args.apps:
            kept[app] = measure(app, args, Path(tmp))
    report = {
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "apps": kept,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    out.with_suffix(".md").write_text(render(report))
    print(render(report))
    sys.exit(0 if all(r["gate"] == "PASS" for r in kept.values()) else 1)


if __name__ == "__main__":
    main()
