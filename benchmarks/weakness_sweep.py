"""Every possible weakness of each drill: which strategy plans it first.

Usage::

    python benchmarks/weakness_sweep.py [--drills calendar dropdown endurance] [--budget 100]
        [--seeds 0 1 2 3 4] [--batch 2] [--planted FILE] [--name NAME] [--results DIR]

``fuzz_planted.py`` plants four weaknesses per drill and plays them through the real
harness; four are few, and which four decides the verdict. This sweep asks the same
question of *every* weakness a drill allows: each kind and pair of kinds at any level, and
each 1-, 2- and 3-way combination of levels (the levels the careful agent never fires,
``planted.UNREACHED``, left out). A weakness is detected at the first episode that
fires all of its perturbations at its levels, so the sweep needs only what each strategy
plays, and in what order: the searches run on a runner that plays no browser, where every
planned perturbation fires and every episode passes (on the calendar, the real careful
agent's ledgers show exactly that: every planned perturbation fired, 5,463 of 5,463), with
the strategies, seeds, budget and batch of ``fuzz_planted.py``. Whether that holds is
measured, not assumed: for the seeds the real run (``--planted``, default
``results/fuzz_planted.json``) also played, each first detection of a planted weakness the
sweep computes is compared with the real one, per drill, seed and strategy, and the results
say how many are equal and list the others.

For each weakness: the median over the seeds of the episodes to its first detection per
strategy (a miss counts as budget + 1), and the verdict ``yes`` (the fuzzer's median is
below both baselines'), ``tie``, ``no`` or ``none`` (no strategy met it). The results
count the verdicts by the weakness's way, kind and rarity (its share of the generator's
scenarios). Writes ``results/weakness_sweep.json`` and ``.md`` beside this script (or to
``--results``; ``--name`` for another file name, e.g. a sweep over more seeds).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planted import UNREACHED, Weakness, seed_list, share_in_pack, weaknesses  # beside this script
from planted import verdict as planted_verdict

from fuzzer.fuzz.play import Observation
from fuzzer.fuzz.search import STRATEGIES, search
from fuzzer.fuzz.space import SearchSpace
from fuzzer.play.episode import EpisodeResult
from fuzzer.play.ledger import Fire
from fuzzer.play.runner import Job
from scenarios.drills import DRILLS
from scenarios.generate import get_drill

HERE = Path(__file__).resolve().parent
#: Rarity buckets: the upper bounds of a weakness's share of the generator's scenarios.
BUCKETS = ((0.0, "0%"), (0.02, "<2%"), (0.05, "2-5%"), (0.10, "5-10%"), (1.0, ">=10%"))


class PlanRunner:
    """Plays no browser: every planned perturbation fires (but the ``unreached`` levels),
    every episode passes."""

    def __init__(self, space: SearchSpace, unreached: frozenset[tuple[str, int]]) -> None:
        self.space, self.unreached = space, unreached

    async def episodes(self, jobs: Sequence[Job]) -> list[Observation]:
        out = []
        for job in jobs:
            g = self.space.parse_id(job.scenario.id)
            result = EpisodeResult(
                job.scenario.id, job.scenario.drill, job.agent, job.condition, job.trial,
                f"{job.scenario.id}.{job.agent}", True, False, "PASS", duration_s=1.0,
            )  # fmt: skip
            fires = tuple(
                Fire(pid, self.space.kinds[i], 0.0, "page")
                for i, (pid, lv) in enumerate(zip(self.space.ids, g.levels, strict=True))
                if lv and (pid, lv) not in self.unreached
            )
            out.append(Observation(result, fires, frozenset()))
        return out


def every_weakness(drill: str) -> list[tuple[str, Weakness]]:
    """``(category, weakness)`` for every weakness the drill allows: ``1k``/``2k`` kinds at
    any level, ``1p``/``2p``/``3p`` combinations of levels."""
    space = SearchSpace(get_drill(drill), 0)
    unreached = UNREACHED.get(drill, frozenset())
    kinds = [pid for pid, n in zip(space.ids, space.sizes, strict=True) if n > 1]
    slots = [
        (pid, lv)
        for pid, n in zip(space.ids, space.sizes, strict=True)
        for lv in range(1, n)
        if (pid, lv) not in unreached
    ]
    out: list[tuple[str, Weakness]] = []
    for t in (1, 2):
        for group in itertools.combinations(kinds, t):
            out.append((f"{t}k", Weakness("+".join(group), dict.fromkeys(group))))
    for t in (1, 2, 3):
        for combo in itertools.combinations(slots, t):
            if len({pid for pid, _ in combo}) == t:
                name = "+".join(f"{pid}@{lv}" for pid, lv in combo)
                out.append((f"{t}p", Weakness(name, dict(combo))))
    return out


def first(space: SearchSpace, plays: list[tuple[int, ...]], w: Weakness) -> int | None:
    """The 1-based episode that first plans every perturbation of ``w`` at its level."""
    at = [(space.ids.index(pid), lv) for pid, lv in w.levels.items()]
    for n, levels in enumerate(plays, start=1):
        if all(levels[i] and (lv is None or levels[i] == lv) for i, lv in at):
            return n
    return None


def verdict(medians: dict[str, float], budget: int) -> str:
    """``planted.verdict``, a weakness counting as met unless every seed of every
    strategy missed it (each median then budget + 1)."""
    return planted_verdict(medians, min(medians.values()) < budget + 1)


def bucket(share: float) -> str:
    return next(name for bound, name in BUCKETS if share <= bound)


Plays = dict[tuple[int, str], list[tuple[int, ...]]]


async def sweep(drill: str, args: argparse.Namespace) -> tuple[list[dict[str, Any]], Plays]:
    """Every weakness of ``drill`` with its medians and verdict, and what each (seed,
    strategy) planned, episode by episode."""
    unreached = UNREACHED.get(drill, frozenset())
    plays: Plays = {}
    for seed in args.seeds:
        space = SearchSpace(get_drill(drill), seed)
        for strategy in STRATEGIES:
            log = await search(
                space, PlanRunner(space, unreached), agent="careful", budget=args.budget,
                seed=seed, batch=args.batch, strategy=strategy,
            )  # fmt: skip
            plays[(seed, strategy)] = [
                tuple(0 if (space.ids[i], lv) in unreached else lv for i, lv in enumerate(g))
                for g in (t.genome.levels for t in log.trials)
            ]
    space = SearchSpace(get_drill(drill), 0)
    rows = []
    for category, w in every_weakness(drill):
        medians = {
            s: statistics.median(
                [first(space, plays[(seed, s)], w) or args.budget + 1 for seed in args.seeds]
            )
            for s in STRATEGIES
        }
        share = share_in_pack(drill, w)
        rows.append(
            {
                "drill": drill,
                "category": category,
                "weakness": w.name,
                "share": round(share, 4),
                "medians": medians,
                "verdict": verdict(medians, args.budget),
            }
        )
    return rows, plays


def agreement(drill: str, plays: Plays, real: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each row of the real planted run (``fuzz_planted.json``) of ``drill`` whose seed
    and strategy the sweep played, as many episodes as the real search or more: each planted
    weakness's first detection, real and swept (within the episodes the real search
    played)."""
    space = SearchSpace(get_drill(drill), 0)
    out = []
    for row in real:
        mine = plays.get((row["seed"], row["strategy"]))
        if row["drill"] != drill or mine is None or len(mine) < row["episodes"]:
            continue
        for w in weaknesses(drill):
            out.append(
                {
                    "drill": drill, "seed": row["seed"], "strategy": row["strategy"],
                    "weakness": w.name, "real": row["first_detection"][w.name],
                    "sweep": first(space, mine[: row["episodes"]], w),
                }
            )  # fmt: skip
    return out


def tally(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Verdict counts and mean medians per drill, category and rarity bucket."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["drill"], r["category"], bucket(r["share"])), []).append(r)
    order = {name: k for k, (_, name) in enumerate(BUCKETS)}
    out = []
    for (drill, category, rarity), mine in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1], order[kv[0][2]])
    ):
        counts = Counter(r["verdict"] for r in mine)
        out.append(
            {
                "drill": drill,
                "category": category,
                "rarity": rarity,
                "weaknesses": len(mine),
                **{v: counts[v] for v in ("yes", "tie", "no", "none")},
                "mean_median": {
                    s: round(statistics.mean(r["medians"][s] for r in mine), 1) for s in STRATEGIES
                },
            }
        )
    return out


def agreement_summary(compared: list[dict[str, Any]], source: str) -> dict[str, Any]:
    """How many first detections of :func:`agreement` are equal, and the ones that differ;
    ``source`` names the real run's results file."""
    return {
        "source": source,
        "seeds": sorted({c["seed"] for c in compared}),
        "compared": len(compared),
        "equal": sum(c["real"] == c["sweep"] for c in compared),
        "differ": [c for c in compared if c["real"] != c["sweep"]],
    }


def agreement_lines(a: dict[str, Any]) -> list[str]:
    """The sentence, and the rows that differ, of the sweep against the real run."""
    if not a["compared"]:
        return ["No seed of this sweep is in the real planted run: nothing compared."]
    lines = [
        f"Against the real harness (`{a['source']}`, seeds {seed_list(a['seeds'])}): the "
        f"sweep's first detection of a planted weakness equals the real run's in {a['equal']} "
        f"of {a['compared']} (drill, seed, strategy, weakness)."
    ]
    if a["differ"]:
        lines += [
            "",
            "| drill | seed | strategy | weakness | real | sweep |",
            "|---|---|---|---|---|---|",
            *(
                f"| {c['drill']} | {c['seed']} | {c['strategy']} | {c['weakness']} "
                f"| {c['real']} | {c['sweep']} |"
                for c in a["differ"]
            ),
        ]
    return lines


def markdown(doc: dict[str, Any]) -> str:
    a = doc["arguments"]
    lines = [
        "# Every weakness: which strategy plans it first",
        "",
        f"Budget {a['budget']} episodes, seeds {seed_list(a['seeds'])}, {a['batch']} episodes "
        "per search step; every planned perturbation fires (but the levels the careful agent never "
        f"fires). Median over the seeds, a miss counting as {a['budget'] + 1}. Categories: "
        "`1k`/`2k` one or two kinds at any level, `1p`/`2p`/`3p` one, two or three levels. "
        "Rarity: the weakness's share of the generator's scenarios. yes: the fuzzer's median "
        "is below both random sampling's and the plain pack's; none: no strategy met it.",
        "",
        "| drill | category | rarity | weaknesses | yes | tie | no | none "
        "| mean median coverage / random / pack |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t in doc["tally"]:
        m = t["mean_median"]
        lines.append(
            f"| {t['drill']} | {t['category']} | {t['rarity']} | {t['weaknesses']} "
            f"| {t['yes']} | {t['tie']} | {t['no']} | {t['none']} "
            f"| {m['coverage']} / {m['random']} / {m['pack']} |"
        )
    total = {k: sum(t[k] for t in doc["tally"]) for k in ("weaknesses", "yes", "tie", "no", "none")}
    lines.append(
        f"| all | | | {total['weaknesses']} | {total['yes']} | {total['tie']} | {total['no']} "
        f"| {total['none']} | |"
    )
    lines += ["", *agreement_lines(doc["agreement"])]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--drills", nargs="+", choices=sorted(DRILLS), default=sorted(DRILLS))
    p.add_argument("--budget", type=int, default=100)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    p.add_argument("--batch", type=int, default=2)
    p.add_argument(
        "--planted", type=Path, default=HERE / "results" / "fuzz_planted.json",
        help="the real planted run to compare the sweep's first detections with",
    )  # fmt: skip
    p.add_argument("--name", default="weakness_sweep", help="the results' file name")
    p.add_argument("--results", type=Path, default=HERE / "results")
    args = p.parse_args(argv)
    try:
        args.real = real_rows(args.planted)
    except (OSError, ValueError, KeyError, TypeError) as e:
        p.error(f"--planted: {args.planted}: not the results of fuzz_planted.py ({e!r})")
    return args


def real_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of the real planted run in ``path`` (``[]`` when there is no such file)."""
    if not path.is_file():
        return []
    rows = json.loads(path.read_text())["rows"]
    for r in rows:
        missing = [
            k for k in ("drill", "seed", "strategy", "episodes", "first_detection") if k not in r
        ]
        if missing:
            raise KeyError(f"a row without {', '.join(missing)}")
    return list(rows)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)

    rows: list[dict[str, Any]] = []
    compared: list[dict[str, Any]] = []
    for drill in args.drills:
        mine, plays = asyncio.run(sweep(drill, args))
        rows += mine
        compared += agreement(drill, plays, args.real)
    arguments = {
        k: v for k, v in vars(args).items() if k not in ("results", "planted", "name", "real")
    }
    doc = {
        "arguments": arguments,
        "tally": tally(rows),
        "agreement": agreement_summary(compared, args.planted.name),
        "weaknesses": rows,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    head = json.dumps({k: v for k, v in doc.items() if k != "weaknesses"}, indent=1)[:-2]
    body = ",\n".join(json.dumps(r) for r in rows)  # one weakness per line
    (args.results / f"{args.name}.json").write_text(f'{head},\n "weaknesses": [\n{body}\n]}}\n')
    (args.results / f"{args.name}.md").write_text(markdown(doc))
    print(markdown(doc))
    return doc


if __name__ == "__main__":
    main()
