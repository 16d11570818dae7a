"""Proxy overhead and fault-timing precision, against bare mitmdump in the same run.

Usage: ``python benchmarks/proxy_bench.py [--total 1500] [--rounds 7]``. Writes
``results/proxy_bench.json`` and ``results/proxy_bench.md`` beside this script.

Every target is a reverse proxy (or none) in front of the same keep-alive upstream
(``proxy_load.py serve``), loaded by the same client (``proxy_load.py load``: 8 keep-alive
connections for throughput and loaded latency, then 1 connection for the latency of a request
alone), each in its own process, all on 127.0.0.1:

* ``direct``: the upstream itself;
* ``mitmdump``: bare ``mitmdump --mode reverse:...``;
* ``gymfuzz_nomatch``: the same mitmdump with the gymfuzz addon, a ledger, and a plan whose
  faults match nothing (the cost of having gymfuzz in the path);
* ``gymfuzz_faults``: a plan aiming at 1 request in 10 (5 ms latency, 30 % 503s).

Targets are measured in interleaved rounds (in alternating order), since the machine is
shared: the table shows each target's median over rounds, and gymfuzz is compared with bare
mitmdump within each round (same conditions), then the median over rounds is taken.

Then fault-timing precision: a ``latency`` fault of ``L`` ms on every request, under 32
concurrent flows, compared with the same proxy and load without the fault, and with the time
each flow was really held (from the ledger).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LOAD = HERE / "proxy_load.py"
ADDON = ROOT / "proxy_addons" / "mitmdump_addon.py"
MITMDUMP = Path(sys.executable).with_name("mitmdump")
NEVER = [
    {"id": "n1", "kind": "latency", "match": {"path": "/never/*"}, "params": {"ms": 50}},
    {"id": "n2", "kind": "http_error", "match": {"path": "/never/*"}, "params": {"status": 503}},
]
AIMED = [
    {"id": "a1", "kind": "latency", "match": {"path": "/api/aimed/*"}, "params": {"ms": 5}},
    {
        "id": "a2",
        "kind": "http_error",
        "match": {"path": "/api/aimed/*"},
        "probability": 0.3,
        "params": {"status": 503},
    },
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@contextmanager
def _process(args: list[str], port: int) -> Iterator[int]:
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(port, proc)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _mitmdump(upstream: int, plan: list[dict[str, Any]] | None, tmp: Path) -> list[str]:
    port = _free_port()
    args = [str(MITMDUMP), "-q", "--listen-host", "127.0.0.1", "-p", str(port)]
    args += ["--mode", f"reverse:http://127.0.0.1:{upstream}"]
    if plan is not None:
        plan_file = tmp / f"plan-{port}.json"
        plan_file.write_text(json.dumps({"seed": 1, "faults": plan}))
        args += ["-s", str(ADDON), "--set", f"gymfuzz_plan={plan_file}"]
        args += ["--set", f"gymfuzz_ledger_dir={tmp / f'ledgers-{port}'}"]
    return args


def _load(port: int, total: int, concurrency: int, aimed_every: int = 0) -> dict[str, Any]:
    out = subprocess.run(
        [
            *(sys.executable, str(LOAD), "load", "--port", str(port), "--total", str(total)),
            *("--concurrency", str(concurrency), "--aimed-every", str(aimed_every)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _summary(run: dict[str, Any], single: dict[str, Any]) -> dict[str, float]:
    lat, one = run["latencies_ms"], single["latencies_ms"]
    return {
        "rps": round(len(lat) / run["elapsed_s"], 1),
        "p50_ms": round(_pct(lat, 0.50), 3),
        "p99_ms": round(_pct(lat, 0.99), 3),
        "single_p50_ms": round(_pct(one, 0.50), 3),
        "single_p99_ms": round(_pct(one, 0.99), 3),
    }


def _measure_one(port: int, total: int) -> dict[str, float]:
    """Throughput and latency under 8 connections, then latency alone (1 connection)."""
    loaded = _load(port, total, 8, 10)
    return _summary(loaded, _load(port, max(100, total // 3), 1, 10))


def _median_round(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(statistics.median(r[k] for r in rounds), 3) for k in rounds[0]}


def measure(total: int, rounds: int, latency_ms: int) -> dict[str, Any]:
    """Run every target and the precision test; return the results document."""
    up = _free_port()
    serve = [sys.executable, str(LOAD), "serve", "--port", str(up)]
    with tempfile.TemporaryDirectory() as tmp_name, _process(serve, up):
        tmp = Path(tmp_name)
        targets = {
            "mitmdump": _mitmdump(up, None, tmp),
            "gymfuzz_nomatch": _mitmdump(up, NEVER, tmp),
            "gymfuzz_faults": _mitmdump(up, AIMED, tmp),
        }
        per_round: dict[str, list[dict[str, float]]] = {"direct": [], **{t: [] for t in targets}}
        for i in range(rounds):
            per_round["direct"].append(_measure_one(up, total))
            # Alternate the order so a drift of the machine's load favours no target.
            for name, args in sorted(targets.items(), reverse=bool(i % 2)):
                port = int(args[args.index("-p") + 1])
                with _process(args, port):
                    _load(port, 200, 8, 10)  # warm-up
                    per_round[name].append(_measure_one(port, total))
        throughput = {name: _median_round(r) for name, r in per_round.items()}
        precision = _precision(up, tmp, latency_ms)
    pairs = list(zip(per_round["gymfuzz_nomatch"], per_round["mitmdump"], strict=True))

    def paired(key: str, ratio: bool = False) -> float:
        # Compared within each round (same machine conditions), then the median over rounds.
        values = [o[key] / b[key] if ratio else o[key] - b[key] for o, b in pairs]
        return round(statistics.median(values), 3)

    return {
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "requests_per_round": total,
        "rounds": rounds,
        "throughput": throughput,
        "nomatch_vs_mitmdump": {
            "throughput_ratio": paired("rps", ratio=True),
            "p50_delta_ms": paired("p50_ms"),
            "p99_delta_ms": paired("p99_ms"),
            "single_p50_delta_ms": paired("single_p50_ms"),
            "single_p99_delta_ms": paired("single_p99_ms"),
            "throughput_ratio_per_round": [round(o["rps"] / b["rps"], 3) for o, b in pairs],
        },
        "latency_precision": precision,
    }


def _precision(up: int, tmp: Path, latency_ms: int) -> dict[str, Any]:
    slow = [
        {"id": "L", "kind": "latency", "match": {"path": "/api/*"}, "params": {"ms": latency_ms}}
    ]
    flows, total = 32, 32 * 12
    out: dict[str, Any] = {"target_ms": latency_ms, "concurrent_flows": flows, "requests": total}
    runs = {}
    for name, plan in (("without", NEVER), ("with", slow)):
        args = _mitmdump(up, plan, tmp)
        port = int(args[args.index("-p") + 1])
        with _process(args, port):
            _load(port, 64, flows)
            runs[name] = _load(port, total, flows)["latencies_ms"]
        if name == "with":
            ledger = tmp / f"ledgers-{port}" / "_default.jsonl"
            records = [json.loads(line) for line in ledger.read_text().splitlines()]
            held = [
                r["faults"][0]["held_ms"] - latency_ms
                for r in records[-total:]
                if r["type"] == "response" and r["faults"]
            ]
    base = statistics.median(runs["without"])
    excess = [v - latency_ms - base for v in runs["with"]]
    out.update(
        {
            "held_minus_target_p50_ms": round(_pct(held, 0.5), 3),
            "held_minus_target_p95_ms": round(_pct(held, 0.95), 3),
            "held_minus_target_max_ms": round(max(held), 3),
            "baseline_p50_ms": round(base, 3),
            "observed_p50_ms": round(_pct(runs["with"], 0.5), 3),
            "observed_p95_ms": round(_pct(runs["with"], 0.95), 3),
            "excess_p50_ms": round(_pct(excess, 0.5), 3),
            "excess_p95_ms": round(_pct(excess, 0.95), 3),
            "never_early": min(runs["with"]) >= latency_ms,
        }
    )
    return out


def render(doc: dict[str, Any]) -> str:
    """The results as a Markdown table."""
    lines = [
        "# Proxy benchmark",
        "",
        f"{doc['requests_per_round']} requests per target per round, 8 keep-alive connections, "
        f"median of {doc['rounds']} interleaved rounds; {doc['machine']['cpus']} CPUs, "
        f"load average at the end {doc['machine']['loadavg_at_end']}.",
        "",
        "| target | requests/s (8 conn.) | p50 ms (8 conn.) | p99 ms (8 conn.) "
        "| p50 ms (1 conn.) | p99 ms (1 conn.) |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in doc["throughput"].items():
        lines.append(
            f"| {name} | {row['rps']} | {row['p50_ms']} | {row['p99_ms']} "
            f"| {row['single_p50_ms']} | {row['single_p99_ms']} |"
        )
    cmp_ = doc["nomatch_vs_mitmdump"]
    prec = doc["latency_precision"]
    lines += [
        "",
        "gymfuzz with a non-matching plan vs bare mitmdump (paired per round, median over "
        f"rounds): throughput x{cmp_['throughput_ratio']}"
        f" (per round: {cmp_['throughput_ratio_per_round']})"
        f", p50 {cmp_['p50_delta_ms']:+} ms, p99 {cmp_['p99_delta_ms']:+} ms under 8 connections "
        f"(queueing included); alone (1 connection) p50 {cmp_['single_p50_delta_ms']:+} ms, "
        f"p99 {cmp_['single_p99_delta_ms']:+} ms.",
        "",
        f"Latency precision ({prec['concurrent_flows']} concurrent flows, {prec['requests']} "
        f"requests, target {prec['target_ms']} ms): observed p50 {prec['observed_p50_ms']} ms, "
        f"p95 {prec['observed_p95_ms']} ms; beyond target + the proxy's own p50 "
        f"({prec['baseline_p50_ms']} ms): p50 {prec['excess_p50_ms']:+} ms, "
        f"p95 {prec['excess_p95_ms']:+} ms; never early: {prec['never_early']}. "
        f"Time each flow was really held by the fault, minus the target (from the ledger): "
        f"p50 {prec['held_minus_target_p50_ms']:+} ms, "
        f"p95 {prec['held_minus_target_p95_ms']:+} ms, "
        f"max {prec['held_minus_target_max_ms']:+} ms.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--total", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()
    doc = measure(args.total, args.rounds, args.latency_ms)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "proxy_bench.json").write_text(json.dumps(doc, indent=2) + "\n")
    (results / "proxy_bench.md").write_text(render(doc))
    print(render(doc))


if __name__ == "__main__":
    main()
