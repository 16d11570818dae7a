"""Scenario generation: throughput, memory, and covering arrays against the alternatives.

Usage: ``python benchmarks/generate_throughput.py [--count 200000] [--big 1000000]``.
Writes ``results/generate_throughput.json`` and ``results/generate_throughput.md``.

Measures, on this machine:

* scenarios per second for each built-in drill and for a user workflow graph, with 1 and 2
  worker processes (wall clock and per CPU-second), against a baseline measured in the
  same run: building and serializing every scenario through the validated pydantic model;
* peak memory (max RSS of a fresh process) writing 10^5 and 10^6 calendar scenarios;
* covering-array rows against the exhaustive product of allowed rows, and against random
  allowed rows: how many random rows reach the same (full) t-tuple coverage, and the
  coverage a random sample of the covering array's size reaches.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scenarios.covering import Constraints, tuple_coverage
from scenarios.drills import DRILLS
from scenarios.drills.graph import GraphDrill
from scenarios.generate import generate_pack
from scenarios.workflow_spec import load_workflow

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHOP = ROOT / "tests" / "scenarios" / "graphs" / "shop_checkout.yaml"


def _rate(tmp: Path, count: int, workers: int, **kw: Any) -> dict[str, float]:
    out = tmp / f"p{workers}"
    wall, cpu = time.perf_counter(), time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    generate_pack(out, count=count, seed=1, force=True, workers=workers, **kw)
    wall = time.perf_counter() - wall
    kids2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + (kids2.ru_utime - kids.ru_utime)
    cpu += kids2.ru_stime - kids.ru_stime
    return {"per_s": round(count / wall), "per_cpu_s": round(count / cpu)}


def _baseline(drill: GraphDrill, count: int) -> int:
    """Validated models: build, validate and dump every scenario (no file)."""
    started = time.perf_counter()
    for i in range(count):
        drill.scenario(1, i).to_json()
    return round(count / (time.perf_counter() - started))


def throughput(count: int) -> dict[str, Any]:
    shop = GraphDrill(load_workflow(SHOP))
    targets: list[tuple[str, dict[str, Any], GraphDrill]] = [
        (name, {"drill": name}, DRILLS[name]) for name in sorted(DRILLS)
    ]
    targets.append(("user graph (shop_checkout.yaml)", {"drill": "", "graph": SHOP}, shop))
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, kw, drill in targets:
            generate_pack(Path(tmp) / "warm", count=100, seed=1, force=True, **kw)
            base = _baseline(drill, max(count // 20, 2000))
            one = _rate(Path(tmp), count, 1, **kw)
            two = _rate(Path(tmp), count, 2, **kw)
            out[label] = {
                "baseline_validated_models_per_s": base,
                "workers_1": one,
                "workers_2": two,
                "speedup_vs_baseline_workers_2": round(two["per_s"] / base, 2),
            }
    return out


_MEM = """
import resource, sys, tempfile
from pathlib import Path
from scenarios.generate import generate_pack
with tempfile.TemporaryDirectory() as tmp:
    generate_pack(Path(tmp) / "p", drill="calendar", count=int(sys.argv[1]), seed=1)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def memory(counts: list[int]) -> dict[str, Any]:
    out = {}
    for n in counts:
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _MEM, str(n)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        )
        out[str(n)] = {
            "max_rss_mib": round(int(proc.stdout.strip()) / 1024, 1),
            "seconds": round(time.perf_counter() - started, 1),
        }
    return out


def _random_rows(cons: Constraints, rng: random.Random) -> Any:
    while True:
        row = tuple(rng.randrange(n) for n in cons.sizes)
        if cons.allows(dict(enumerate(row))):
            yield row


def covering(drill: GraphDrill, trials: int = 20) -> dict[str, Any]:
    cons = Constraints.of(drill.sizes, drill.forbidden)
    product = 1
    for n in drill.sizes:
        product *= n
    import itertools

    allowed = sum(
        cons.allows(dict(enumerate(r))) for r in itertools.product(*(range(n) for n in drill.sizes))
    )
    t, rows = drill.strength, drill.rows
    covered, total = tuple_coverage(rows, drill.sizes, t=t, forbidden=drill.forbidden)
    needed, same_size = [], []
    for trial in range(trials):
        gen = _random_rows(cons, random.Random(trial))
        sample = [next(gen) for _ in range(len(rows))]
        same_size.append(tuple_coverage(sample, drill.sizes, t=t, forbidden=drill.forbidden)[0])
        lo, hi = len(rows), len(rows)
        while tuple_coverage(sample, drill.sizes, t=t, forbidden=drill.forbidden)[0] < total:
            sample += [next(gen) for _ in range(hi)]
            lo, hi = hi, len(sample)
        while lo < hi:  # smallest prefix reaching full coverage
            mid = (lo + hi) // 2
            cov = tuple_coverage(sample[:mid], drill.sizes, t=t, forbidden=drill.forbidden)[0]
            lo, hi = (lo, mid) if cov == total else (mid + 1, hi)
        needed.append(lo)
    return {
        "t": t,
        "factor_levels": drill.sizes,
        "tuples": total,
        "covering_array_rows": len(rows),
        "covering_array_coverage": f"{covered}/{total}",
        "exhaustive_rows": product,
        "allowed_rows": allowed,
        "random_rows_for_full_coverage_median": statistics.median(needed),
        "random_same_size_coverage_median": f"{statistics.median(same_size)}/{total}",
    }


def render(doc: dict[str, Any]) -> str:
    lines = [
        "# Scenario generation",
        "",
        f"Machine: {doc['machine']}; load average (1, 5, 15 min) {doc['load_average']} at the",
        f"start, {doc.get('load_average_end')} at the end: other work shares the cores, so",
        "read the ratios and the per-CPU-second rates first.",
        f"{doc['count']} scenarios per measurement. The baseline builds every scenario",
        "through the validated pydantic model (the generator's former hot path).",
        "",
        "| drill | baseline/s | 1 worker/s (per CPU-s) | 2 workers/s (per CPU-s) | x baseline |",
        "|---|---|---|---|---|",
    ]
    for label, r in doc["throughput"].items():
        one, two = r["workers_1"], r["workers_2"]
        lines.append(
            f"| {label} | {r['baseline_validated_models_per_s']:,} | {one['per_s']:,} "
            f"({one['per_cpu_s']:,}) | {two['per_s']:,} ({two['per_cpu_s']:,}) | "
            f"{r['speedup_vs_baseline_workers_2']} |"
        )
    lines += ["", "| calendar scenarios | peak RSS (MiB) | seconds (1 worker) |", "|---|---|---|"]
    for n, m in doc["memory"].items():
        lines.append(f"| {int(n):,} | {m['max_rss_mib']} | {m['seconds']} |")
    lines += [
        "",
        "| perturbation space | t | tuples | covering rows | allowed rows (exhaustive) "
        "| random rows for full coverage (median of 20) | random sample of the same size |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, c in doc["covering"].items():
        lines.append(
            f"| {label} | {c['t']} | {c['tuples']} | {c['covering_array_rows']} | "
            f"{c['allowed_rows']:,} ({c['exhaustive_rows']:,}) | "
            f"{c['random_rows_for_full_coverage_median']} | "
            f"{c['random_same_size_coverage_median']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    load = [round(x, 2) for x in os.getloadavg()]
    shop = load_workflow(SHOP)
    doc: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "load_average": load,
        "count": args.count,
        "throughput": throughput(args.count),
        "memory": memory([100_000, args.big]),
        "covering": {
            "calendar": covering(DRILLS["calendar"]),
            "calendar, t=3": covering(DRILLS["calendar"].configured(strength=3, locale="en_US")),
            "shop_checkout.yaml": covering(GraphDrill(shop)),
            "shop_checkout.yaml, t=3": covering(GraphDrill(shop, strength=3)),
        },
    }
    doc["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "generate_throughput.json").write_text(json.dumps(doc, indent=2) + "\n")
    (HERE / "results" / "generate_throughput.md").write_text(render(doc))
    print(render(doc))


if __name__ == "__main__":
    main()
