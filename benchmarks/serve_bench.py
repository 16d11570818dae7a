"""``gymfuzz serve`` measured side by side in one run: reset latency, step overhead, and
sessions per core before step latency doubles.

Usage: ``python benchmarks/serve_bench.py [--resets 20] [--steps 20] [--levels 1 2 4 8]``.
One server (OpenEnv's app on uvicorn, the embedded site, mitmproxy, one Chromium) serves a
small dropdown pack; OpenEnv's own client drives it over its WebSocket.

* **reset**: ``reset(seed=i)`` latency, one client after another: tenant reset, plan,
  fresh browser context, the start page loaded and settled, the first observation (p50,
  p95 by ``numpy.percentile``).
* **step overhead**: the same action, a click on the stored settings' Refresh button,
  timed through ``step`` (the action, the settle wait, the accessibility tree, the wire)
  and directly with Playwright on a page of the same browser, through the same proxy
  (``locator.click()`` and the wait for the page's requests); the difference is what
  serving adds per step.
* **sessions per core**: ``k`` sessions stepping at once (``--levels``); the median step
  latency per level, and the largest ``k`` whose median stays under twice the
  one-session median, divided by the machine's cores.

Writes ``results/serve_bench.json`` and ``results/serve_bench.md`` beside this script.
Short runs on a shared machine are noisy: the figures are indications, not guarantees.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import uvicorn

from fuzzer.commands.serve import load_packs
from fuzzer.serve.app import ServeRuntime, build_app
from fuzzer.serve.axtree import read_tree
from fuzzer.serve.client import BrowserActionModel, GymfuzzEnv
from fuzzer.serve.quiet import NetworkQuiet
from scenarios.generate import generate_pack

HERE = Path(__file__).parent


def _ms(values: list[float]) -> dict[str, float]:
    arr = np.array(values) * 1000
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(arr, 50)), 1),
        "p95_ms": round(float(np.percentile(arr, 95)), 1),
    }


def _refresh_action(axtree: str) -> str:
    bid = next(ln.bid for ln in read_tree(axtree) if ln.role == "button" and ln.name == "Refresh")
    return f'click("{bid}")'


async def _resets(url: str, n: int) -> list[float]:
    out = []
    async with GymfuzzEnv(base_url=url, message_timeout_s=300) as env:
        for i in range(n):
            t = time.perf_counter()
            await env.reset(seed=i, condition="unperturbed")
            out.append(time.perf_counter() - t)
    return out


async def _served_steps(url: str, n: int, seed: int) -> list[float]:
    out = []
    async with GymfuzzEnv(base_url=url, message_timeout_s=300) as env:
        first = await env.reset(seed=seed, condition="unperturbed", max_steps=n + 1)
        action = BrowserActionModel(action=_refresh_action(first.observation.axtree))
        for _ in range(n):
            t = time.perf_counter()
            await env.step(action)
            out.append(time.perf_counter() - t)
    return out


async def _direct_steps(runtime: ServeRuntime, n: int) -> list[float]:
    host = runtime.host()
    scenario = runtime.packs[runtime.default_pack][0].without_faults()
    episode = await host.open(scenario, "bench-direct")
    try:
        page = episode.page
        quiet = NetworkQuiet(page)
        await page.goto(episode.start_url)
        await quiet.wait()
        button = page.get_by_role("button", name="Refresh")
        out = []
        for _ in range(n):
            t = time.perf_counter()
            await button.click()
            await quiet.wait()
            out.append(time.perf_counter() - t)
        return out
    finally:
        await episode.abandon()


async def _levels(url: str, levels: list[int], n: int) -> dict[int, float]:
    medians = {}
    for k in levels:
        runs = await asyncio.gather(*(_served_steps(url, n, seed=i) for i in range(k)))
        medians[k] = float(np.median([s for r in runs for s in r]) * 1000)
    return medians


async def bench(resets: int, steps: int, levels: list[int]) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    pack = work / "dropdown"
    generate_pack(pack, drill="dropdown", count=max(levels) + 2, seed=0)
    runtime = ServeRuntime(load_packs([pack]), work / "ledgers")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(build_app(runtime), host="127.0.0.1", port=port, log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.1)
    url = f"http://127.0.0.1:{port}"
    try:
        reset = _ms(await _resets(url, resets))
        served = _ms(await _served_steps(url, steps, seed=0))
        direct = _ms(await _direct_steps(runtime, steps))
        medians = await _levels(url, levels, steps)
    finally:
        server.should_exit = True
        await task
    base = medians[levels[0]]
    fits = [k for k in levels if medians[k] < 2 * base]
    cores = os.cpu_count() or 1
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": cores, "python": platform.python_version()},
        "reset": reset,
        "step_served": served,
        "step_direct_playwright": direct,
        "step_overhead_p50_ms": round(served["p50_ms"] - direct["p50_ms"], 1),
        "step_median_ms_by_sessions": {str(k): round(v, 1) for k, v in medians.items()},
        "sessions_before_step_latency_doubles": max(fits),
        "sessions_per_core": round(max(fits) / cores, 2),
    }


def render(r: dict[str, Any]) -> str:
    lines = [
        "# gymfuzz serve benchmark",
        "",
        f"Run {r['when']} on {r['machine']['cores']} cores (shared; figures are indications).",
        "",
        "| measure | n | p50 ms | p95 ms |",
        "|---|---|---|---|",
    ]
    for key, label in [
        ("reset", "reset (new episode, first observation)"),
        ("step_served", "step through gymfuzz serve (click Refresh)"),
        ("step_direct_playwright", "same click directly with Playwright"),
    ]:
        m = r[key]
        lines.append(f"| {label} | {m['n']} | {m['p50_ms']} | {m['p95_ms']} |")
    lines += [
        "",
        f"Step overhead of serving (p50): {r['step_overhead_p50_ms']} ms.",
        "",
        "| concurrent sessions | median step ms |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in r["step_median_ms_by_sessions"].items()),
        "",
        f"Sessions before the median step latency doubles: "
        f"{r['sessions_before_step_latency_doubles']} "
        f"({r['sessions_per_core']} per core).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resets", type=int, default=20)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 2, 4, 8])
    args = parser.parse_args()
    result = asyncio.run(bench(args.resets, args.steps, sorted(set(args.levels))))
    out = HERE / "results"
    (out / "serve_bench.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "serve_bench.md").write_text(render(result))
    print(render(result))


if __name__ == "__main__":
    main()
