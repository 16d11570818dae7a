"""Planted weaknesses: how fast the fuzzer, random sampling and the plain pack find them.

Usage::

    python benchmarks/fuzz_planted.py [--drills calendar dropdown endurance] [--budget 100]
        [--seeds 0 1 2 3 4] [--strategies coverage random pack] [--workers 4] [--batch 2]
        [--shrink-budget 16] [--k 2] [--until-found]
        [--work DIR] [--results DIR]

The agent is the reference **careful** agent, which passes every scenario of the built-in
drills, with four weaknesses planted in it per drill, chosen by a rule from the generator's
scenarios rather than by hand (``planted.py`` beside this script: the least planned pair of
kinds, the least planned level, and a 2-way and a 3-way level combination planned in about
3% of the scenarios). Each is a set of perturbations that must all *fire* in the episode
(read from its ledger), at any level or at one particular level; the real careful agent
plays the real episode through the real proxy and browser, and when the verifier passed it
but the ledger shows a weakness's perturbations fired at its levels, the episode is failed
with the rule ``planted: <name>`` (the rarest weakness that holds; every weakness that holds
counts as detected).

For every drill, seed and strategy (``coverage``: the fuzzer; ``random``: generator
scenarios at random indices; ``pack``: the generator's pack in order) the same search budget
is played (``--until-found`` ends a search once it has detected every weakness of its drill:
its first detections are those of the full budget, in less harness time), and for each
weakness the table gives the episodes to its first detection (median
and range over the seeds; ``-`` when not found within the budget) and in how many seeds it
was found. The first detection of each weakness is then shrunk with that weakness alone
planted and certified: ``k`` replays must fail with its rule and the unplanted careful agent
must pass; ``exact`` says the shrunk scenario keeps exactly the weakness's perturbations.

Episodes are journaled per drill in ``--work`` (default
``$TMPDIR/gymfuzz-fuzz_planted``): a scenario any strategy or seed already played is read
back, not played again, and a killed run resumes where it stopped. The searches of a drill
run at once on one harness (``--workers`` episodes at a time, each search ``--batch`` per
step), so a long benchmark can be run drill by drill, strategy by strategy, or seed by seed.
Writes ``results/fuzz_planted.json`` and ``.md`` beside this script (or to ``--results``);
rows of drills, strategies and seeds not named by ``--drills``, ``--strategies`` and
``--seeds`` are kept from results made with the same arguments (``--workers`` and
``--until-found`` aside), and the summary is over every seed the results hold.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import per_drill  # beside this script
from planted import (  # beside this script
    PLANTED,
    PlantedRunner,
    Weakness,
    planted_rule,
    seed_list,
    share_in_pack,
    verdict,
    weaknesses,
)

from fuzzer.fuzz.certify import certify
from fuzzer.fuzz.play import EpisodeRunner, HarnessRunner
from fuzzer.fuzz.search import SearchLog, Strategy, search
from fuzzer.fuzz.shrink import shrink
from fuzzer.fuzz.space import Genome, SearchSpace
from scenarios.drills import DRILLS
from scenarios.generate import get_drill

HERE = Path(__file__).resolve().parent
STRATEGIES: tuple[Strategy, ...] = ("coverage", "random", "pack")
#: Arguments a run may differ in and still keep the other rows of the results it updates:
#: which drills, strategies and seeds it plays, how many episodes play at once, and whether
#: a search stops once it has found every weakness (its first detections are the same).
LOOSE = ("drills", "strategies", "seeds", "workers", "until_found")


def level_fires(space: SearchSpace, w: Weakness, log: SearchLog) -> dict[str, list[int]]:
    """Per perturbation of ``w``: ``[episodes that fired it at w's level, episodes that
    planned it there]`` (any level, for a kind-level weakness). A level planned often and
    never fired makes the weakness undetectable by any strategy."""
    out: dict[str, list[int]] = {pid: [0, 0] for pid in w.levels}
    for t in log.trials:
        fired = {f.fault for f in t.observation.fires}
        for pid, level in w.levels.items():
            planned = t.genome.levels[space.ids.index(pid)]
            if planned and (level is None or planned == level):
                out[pid][1] += 1
                out[pid][0] += pid in fired
    return out


def first_detections(
    space: SearchSpace, runner: PlantedRunner, log: SearchLog
) -> dict[str, tuple[int, Genome]]:
    """Per weakness, the 1-based episode of its first detection and that genome."""
    out: dict[str, tuple[int, Genome]] = {}
    for n, trial in enumerate(log.trials, start=1):
        if trial.failed and "planted: " in str(trial.rule):
            for w in runner.hits(trial.genome, trial.observation):
                out.setdefault(w.name, (n, trial.genome))
    return out


async def certify_one(
    space: SearchSpace, inner: EpisodeRunner, w: Weakness, genome: Genome, args: Any
) -> dict[str, Any]:
    """Shrink ``genome`` with ``w`` alone planted, then certify the shrunk scenario."""
    alone = PlantedRunner(inner, space, [w])
    rule = f"required:-:{planted_rule(w)}"
    done = await shrink(
        space, alone, genome, rule, agent=PLANTED, budget=args.shrink_budget, batch=args.batch
    )
    cert = await certify(space, alone, done, agent=PLANTED, careful="careful", k=args.k)
    kept = {space.ids[i] for i, lv in enumerate(done.shrunk.levels) if lv}
    return {
        "scenario_id": cert.scenario_id,
        "certified": cert.certified,
        "failures": cert.failures,
        "k": cert.k,
        "careful_passed": cert.careful_passed,
        "exact": kept == set(w.levels),
        "kept": sorted(kept),
        "shrink_replays": done.steps,
    }


async def run_search(
    args: argparse.Namespace, inner: HarnessRunner, drill: str, seed: int, strategy: Strategy
) -> dict[str, Any]:
    """One search of ``drill`` with one seed and strategy, then each weakness's certification."""
    planted = weaknesses(drill)
    space = SearchSpace(get_drill(drill), seed)
    runner = PlantedRunner(inner, space, planted)
    t0 = time.monotonic()

    def all_found(log: SearchLog) -> bool:
        return len(first_detections(space, runner, log)) == len(planted)

    log = await search(
        space, runner, agent=PLANTED, budget=args.budget, seed=seed,
        batch=args.batch, strategy=strategy, until=all_found if args.until_found else None,
    )  # fmt: skip
    found = first_detections(space, runner, log)
    row: dict[str, Any] = {
        "drill": drill,
        "seed": seed,
        "strategy": strategy,
        "episodes": len(log.trials),
        "until_found": args.until_found,
        "failures": len(log.failures),
        "harness_errors": sum(t.observation.error for t in log.trials),
        "first_detection": {w.name: found.get(w.name, (None,))[0] for w in planted},
        "combos": log.combos,
        "level_fires": {w.name: level_fires(space, w, log) for w in planted},
        "certified": {},
    }
    for w in planted:
        if w.name in found:
            row["certified"][w.name] = await certify_one(space, inner, w, found[w.name][1], args)
    row["seconds"] = round(time.monotonic() - t0, 1)
    return row


async def run_drill(args: argparse.Namespace, drill: str) -> list[dict[str, Any]]:
    """Every (seed, strategy) search of ``drill`` at once, sharing one harness of
    ``args.workers`` episodes at a time; each search plays ``args.batch`` at a time and
    its choices depend only on its own outcomes, so running them together changes nothing
    but the wall time."""
    work = args.work / drill
    async with HarnessRunner(
        work / "episodes.jsonl", work / "ledgers", resume=True, workers=args.workers
    ) as inner:
        rows = await asyncio.gather(
            *(
                run_search(args, inner, drill, seed, strategy)
                for seed in args.seeds
                for strategy in args.strategies
            )
        )
    for row in rows:
        row["run"] = {"played": inner.played, "used": inner.used}
    return list(rows)


def summarize(rows: list[dict[str, Any]], budget: int) -> list[dict[str, Any]]:
    """Per drill, weakness and strategy: episodes to first detection over the seeds."""
    out = []
    for drill in sorted({r["drill"] for r in rows}):
        for w in weaknesses(drill):
            for strategy in [s for s in STRATEGIES if any(r["strategy"] == s for r in rows)]:
                mine = [r for r in rows if r["drill"] == drill and r["strategy"] == strategy]
                firsts = [r["first_detection"][w.name] for r in mine]
                hits = [f for f in firsts if f is not None]
                certs = [r["certified"].get(w.name) for r in mine]
                out.append(
                    {
                        "drill": drill,
                        "weakness": w.name,
                        "way": w.way,
                        "kind": w.kind,
                        "strategy": strategy,
                        "seeds": len(mine),
                        "found": len(hits),
                        # a seed that never found it counts as budget + 1 in the median
                        "median": statistics.median([f or budget + 1 for f in firsts])
                        if firsts
                        else None,
                        "min": min(hits, default=None),
                        "max": max(hits, default=None),
                        "certified": sum(1 for c in certs if c and c["certified"]),
                        "exact": sum(1 for c in certs if c and c["certified"] and c["exact"]),
                    }
                )
    return out


def head_to_head(summary: list[dict[str, Any]]) -> list[str]:
    """Per weakness, the medians side by side and whether the fuzzer's is the lowest."""
    lines = [
        "| drill | weakness | way | level | in the pack's scenarios | coverage | random | pack "
        "| fuzzer lowest |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    keys = list(dict.fromkeys((s["drill"], s["weakness"]) for s in summary))
    for drill, name in keys:
        mine = {s["strategy"]: s for s in summary if (s["drill"], s["weakness"]) == (drill, name)}
        if set(mine) != set(STRATEGIES):
            continue
        said = verdict(
            {s: m["median"] for s, m in mine.items()}, any(m["found"] for m in mine.values())
        )
        w = next(w for w in weaknesses(drill) if w.name == name)
        medians = " | ".join(
            f"{mine[s]['median']} ({mine[s]['found']}/{mine[s]['seeds']})" for s in STRATEGIES
        )
        lines.append(
            f"| {drill} | {name} | {w.way} | {w.kind} | {share_in_pack(drill, w):.1%} "
            f"| {medians} | {'none found it' if said == 'none' else said} |"
        )
    return lines


def markdown(doc: dict[str, Any]) -> str:
    a = doc["arguments"]
    lines = [
        "# Planted weaknesses: episodes to first detection",
        "",
        f"The careful agent with planted weaknesses; search budget {a['budget']} episodes, "
        f"seeds {seed_list(a['seeds'])}, {a['batch']} episodes per search step; "
        f"shrink budget {a['shrink_budget']}, k={a['k']}. Median over the seeds (a seed that "
        f"did not find it counts as "
        f"{a['budget'] + 1}), with the range of the seeds that found it. The plain pack "
        "plays the same covering-array rows whatever the seed (the seed picks the goal data), "
        "so its range is one value.",
        "",
        "Median episodes to first detection (seeds that found it), per strategy:",
        "",
        *head_to_head(doc["summary"]),
        "",
        "Per strategy, with the certification of each first detection (shrunk with that "
        "weakness alone planted; exact: nothing but its perturbations kept):",
        "",
        "| drill | weakness | way | level | strategy | found | median | range "
        "| certified (exact) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in doc["summary"]:
        rng = f"{s['min']}-{s['max']}" if s["found"] else "-"
        lines.append(
            f"| {s['drill']} | {s['weakness']} | {s['way']} | {s['kind']} | {s['strategy']} "
            f"| {s['found']}/{s['seeds']} | {s['median']} | {rng} "
            f"| {s['certified']} ({s['exact']}) |"
        )
    lines += [
        "",
        "Episodes that fired each weakness's perturbations at its levels, of those that planned "
        "them there (every search of the drill):",
        "",
        "| drill | weakness | fired / planned |",
        "|---|---|---|",
    ]
    for drill in sorted({r["drill"] for r in doc["rows"]}):
        counts = [
            r["level_fires"] for r in doc["rows"] if r["drill"] == drill and "level_fires" in r
        ]
        for w in weaknesses(drill):
            cells = ", ".join(
                f"{pid} {sum(c[w.name][pid][0] for c in counts)}/"
                f"{sum(c[w.name][pid][1] for c in counts)}"
                for pid in w.levels
            )
            lines.append(
                f"| {drill} | {w.name} | {cells if counts else 'not recorded by this run'} |"
            )
    lines += [
        "",
        "Per search: its failures of the episodes it played (fewer than the budget when it "
        "was run with `--until-found` and stopped once it had found every weakness), its "
        "harness errors, and the wall time from its start to its end. A drill's searches run "
        "at once on one harness, so these overlap: a drill took about as long as its longest "
        "search, not their sum.",
        "",
        "| drill | seed | strategy | failures | harness errors | seconds (wall, overlapping) |",
    ]
    lines.append("|---|---|---|---|---|---|")
    for r in doc["rows"]:
        lines.append(
            f"| {r['drill']} | {r['seed']} | {r['strategy']} | {r['failures']}/{r['episodes']} "
            f"| {r['harness_errors']} | {r['seconds']} |"
        )
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--drills", nargs="+", choices=sorted(DRILLS), default=sorted(DRILLS))
    p.add_argument("--budget", type=int, default=100, help="search episodes per search")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    p.add_argument(
        "--strategies", nargs="+", choices=STRATEGIES, default=list(STRATEGIES),
        help="strategies to run (the summary compares those present)",
    )  # fmt: skip
    p.add_argument("--workers", type=int, default=4, help="episodes played at once")
    p.add_argument("--batch", type=int, default=2, help="episodes per search step")
    p.add_argument("--shrink-budget", type=int, default=16)
    p.add_argument("--k", type=int, default=2)
    p.add_argument(
        "--until-found", action="store_true",
        help="end each search once it has detected every weakness of its drill",
    )  # fmt: skip
    p.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "gymfuzz-fuzz_planted"
    )
    p.add_argument("--results", type=Path, default=HERE / "results")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    arguments = {
        k: (str(v) if isinstance(v, Path) else v)
        for k, v in vars(args).items()
        if k not in ("work", "results")
    }
    path = args.results / "fuzz_planted.json"
    kept = per_drill.kept_rows(
        path,
        arguments,
        lambda r: (
            r["drill"] in args.drills
            and r["strategy"] in args.strategies
            and r["seed"] in args.seeds
        ),
        loose=LOOSE,
    )

    async def run_all() -> list[dict[str, Any]]:
        return [row for drill in args.drills for row in await run_drill(args, drill)]

    rows = sorted(
        kept + asyncio.run(run_all()),
        key=lambda r: (r["drill"], STRATEGIES.index(r["strategy"]), r["seed"]),
    )
    arguments["drills"] = sorted({r["drill"] for r in rows})
    arguments["strategies"] = [s for s in STRATEGIES if any(r["strategy"] == s for r in rows)]
    arguments["seeds"] = sorted({r["seed"] for r in rows})
    doc = {"arguments": arguments, "rows": rows, "summary": summarize(rows, args.budget)}
    args.results.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n")
    (args.results / "fuzz_planted.md").write_text(markdown(doc))
    print(markdown(doc))
    return doc


if __name__ == "__main__":
    main()
