"""Distinct failure classes per 100 episodes: the coverage-guided fuzzer vs random sampling.

Usage::

    python benchmarks/fuzz_vs_random.py [--drills calendar dropdown endurance] [--budget 100]
        [--seeds 0 1] [--agent naive] [--workers 2] [--shrink-budget 24] [--max-failures 6]
        [--k 3] [--careful-budget 0] [--strategies coverage random] [--work DIR]
        [--results DIR]

For every drill and seed, two campaigns with the same search budget, seed, shrinking and
certification: ``coverage`` (the fuzzer) and ``random`` (scenarios of the generator at
random indices, the baseline). Each failure is classed by its perturbation kinds and failed
rule (:func:`fuzzer.fuzz.coverage.class_key`); the table reports, per 100 search episodes,
the distinct classes among the failures as found and among the certified shrunk ones, and
for the fuzzer whether every drill got a certified failure with at most 2 perturbations.
``--careful-budget N`` also fuzzes the careful agent for ``N`` episodes per drill (it should
get no certified failure). Campaign folders go to ``--work`` (default
``$TMPDIR/gymfuzz-fuzz_vs_random``) and are resumed when the script runs again. Writes
``results/fuzz_vs_random.json`` and ``.md`` beside this script (or to ``--results``). Rows of
drills not named by ``--drills``, and of strategies not named by ``--strategies``, are kept
from the results already there when they were made with the same arguments, so one drill, or
the fuzzer alone after a change to the search, can be re-run (the careful agent's campaigns
are the fuzzer's: they are re-run with ``coverage``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import per_drill  # beside this script

from fuzzer.fuzz.campaign import CampaignSettings
from fuzzer.fuzz.run import FuzzRun, fuzz, load_drill
from scenarios.drills import DRILLS

HERE = Path(__file__).resolve().parent
STRATEGIES = ("coverage", "random")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--drills", nargs="+", choices=sorted(DRILLS), default=sorted(DRILLS))
    p.add_argument("--budget", type=int, default=100, help="search episodes per campaign")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    p.add_argument("--agent", default="naive")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--shrink-budget", type=int, default=24)
    p.add_argument("--max-failures", type=int, default=6)
    p.add_argument("--k", type=int, default=3)
    p.add_argument("--careful-budget", type=int, default=0)
    p.add_argument(
        "--strategies", nargs="+", choices=STRATEGIES, default=list(STRATEGIES),
        help="the campaigns to run; the others' rows are kept from --results",
    )  # fmt: skip
    p.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "gymfuzz-fuzz_vs_random"
    )
    p.add_argument("--results", type=Path, default=HERE / "results")
    return p.parse_args(argv)


async def campaign(
    args: argparse.Namespace, drill: str, seed: int, **kw: Any
) -> tuple[FuzzRun, float]:
    """One resumable campaign into ``--work``, and its seconds over all the calls that
    built it (kept in the campaign's folder, so a resumed campaign keeps its earlier time)."""
    t0 = time.monotonic()
    settings = CampaignSettings(
        agent=kw.get("agent", args.agent),
        budget=kw.get("budget", args.budget),
        seed=seed,
        workers=args.workers,
        strategy=kw.get("strategy", "coverage"),
        shrink_budget=args.shrink_budget,
        max_failures=args.max_failures,
        k=args.k,
    )
    spec, naming = load_drill(drill, None)
    folder = args.work / f"{drill}-{settings.agent}-{settings.strategy}-s{seed}-b{settings.budget}"
    done = await fuzz(spec, naming, settings, folder, resume=True)
    clock = folder / "benchmark_seconds.json"
    before = json.loads(clock.read_text())["seconds"] if clock.exists() else 0.0
    seconds = before + time.monotonic() - t0
    clock.write_text(json.dumps({"seconds": seconds}) + "\n")
    return done, seconds


def row(run: FuzzRun, seconds: float) -> dict[str, Any]:
    """One campaign's numbers."""
    c, budget = run.campaign, run.settings.budget
    found = c.log.classes(run.space)
    certified = c.certified
    return {
        "drill": run.space.name,
        "strategy": run.settings.strategy,
        "seed": run.settings.seed,
        "agent": run.settings.agent,
        "search_episodes": len(c.log.trials),
        "failures": len(c.log.failures),
        "harness_errors": sum(t.observation.error for t in c.log.trials),
        "coverage_features": len(c.log.coverage),
        "classes_found": found,
        "classes_found_per_100": round(100 * len(found) / budget, 1),
        "certified": [cert.to_json() for cert in certified],
        "certified_classes": sorted(c.classes()),
        "certified_classes_per_100": round(100 * len(c.classes()) / budget, 1),
        "max_perturbations_certified": max((x.shrunk.shrunk.active for x in certified), default=0),
        "episodes_total": run.used,
        "seconds": round(seconds, 1),
    }


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean classes per 100 episodes by strategy, and the distinct classes over all seeds."""
    out: dict[str, Any] = {}
    for strategy in STRATEGIES:
        mine = [r for r in rows if r["strategy"] == strategy and r["agent"] != "careful"]
        if not mine:
            continue
        out[strategy] = {
            "campaigns": len(mine),
            "classes_found_per_100": round(
                sum(r["classes_found_per_100"] for r in mine) / len(mine), 1
            ),
            "certified_classes_per_100": round(
                sum(r["certified_classes_per_100"] for r in mine) / len(mine), 1
            ),
            "distinct_certified_classes": len(
                {(r["drill"], k) for r in mine for k in r["certified_classes"]}
            ),
        }
    return out


def markdown(doc: dict[str, Any]) -> str:
    a = doc["arguments"]
    lines = [
        f"# Fuzzer vs random sampling: distinct failure classes ({a['agent']} agent)",
        "",
        f"Search budget {a['budget']} episodes per campaign, seeds {a['seeds']}, "
        f"shrink budget {a['shrink_budget']}, k={a['k']}, {a['workers']} workers.",
        "",
        "*Classes found*: the perturbation kinds and failed rule of each failure as found, "
        "before shrinking; they count how varied the failing scenarios were, not their causes "
        "(a search that plays most perturbations in every episode finds nearly all its "
        "failures under one kind set). *Certified classes*: the causes, after shrinking and "
        "unmasking, each failing its k replays and passed by the careful agent.",
        "",
        "| drill | strategy | seed | failures | classes found /100 | certified classes /100 "
        "| max perturbations (certified) | episodes total | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in doc["rows"]:
        lines.append(
            f"| {r['drill']} | {r['strategy']}{' (careful)' if r['agent'] == 'careful' else ''} "
            f"| {r['seed']} | {r['failures']}/{r['search_episodes']} "
            f"| {r['classes_found_per_100']} | {r['certified_classes_per_100']} "
            f"| {r['max_perturbations_certified']} | {r['episodes_total']} | {r['seconds']} |"
        )
    lines += ["", "| strategy | classes found /100 | certified classes /100 | distinct certified |"]
    lines.append("|---|---|---|---|")
    for strategy, s in doc["summary"].items():
        lines.append(
            f"| {strategy} | {s['classes_found_per_100']} | {s['certified_classes_per_100']} "
            f"| {s['distinct_certified_classes']} |"
        )
    lines += ["", "Certified minimized failures (the id ends with the perturbation levels):", ""]
    for r in doc["rows"]:
        who = f"{r['drill']}, {r['strategy']}, {r['agent']} agent, seed {r['seed']}"
        for c in r["certified"]:
            active = sum(1 for level in c["shrunk"]["levels"] if level)
            lines.append(
                f"* {who}: `{c['scenario_id']}` ({active} perturbation{'s' * (active != 1)}, "
                f"failed {c['failures']}/{c['k']} replays, careful passed "
                f"{c['careful_passed']}/{c['careful_trials']}): {c['class']}"
            )
    return "\n".join(lines) + "\n"


async def run_all(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for drill in args.drills:
        for seed in args.seeds:
            for strategy in args.strategies:
                rows.append(row(*await campaign(args, drill, seed, strategy=strategy)))
        if args.careful_budget and "coverage" in args.strategies:
            done = await campaign(
                args, drill, args.seeds[0], agent="careful", budget=args.careful_budget
            )
            rows.append(row(*done))
    return rows


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    arguments = {
        k: (str(v) if isinstance(v, Path) else v)
        for k, v in vars(args).items()
        if k not in ("work", "results")
    }
    kept = per_drill.kept_rows(
        args.results / "fuzz_vs_random.json",
        arguments,
        lambda r: r["drill"] in args.drills and r["strategy"] in args.strategies,
        loose=("drills", "strategies"),
    )
    rows = sorted(
        kept + asyncio.run(run_all(args)),
        key=lambda r: (
            r["drill"], r["agent"] == "careful", r["seed"], STRATEGIES.index(r["strategy"])
        ),
    )  # fmt: skip
    arguments["drills"] = sorted({r["drill"] for r in rows})
    arguments["strategies"] = [s for s in STRATEGIES if any(r["strategy"] == s for r in rows)]
    doc = {"arguments": arguments, "rows": rows, "summary": summary(rows)}
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "fuzz_vs_random.json").write_text(json.dumps(doc, indent=2) + "\n")
    (args.results / "fuzz_vs_random.md").write_text(markdown(doc))
    print(markdown(doc))
    return doc


if __name__ == "__main__":
    main()
