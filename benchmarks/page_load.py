"""Page-load cost of the gymfuzz page runtime: none vs idle vs active, through the proxy.

Usage: ``python benchmarks/page_load.py [--reps 20]``. Writes ``results/page_load.json`` and
``results/page_load.md`` beside this script.

Every page is loaded through a real gymfuzz proxy (the embedded booking site, and MiniWoB++
task pages from the ``miniwob`` package served on 127.0.0.1) under three plans that differ
only in the page script the proxy injects: ``none`` (no script), ``idle`` (the runtime with
no perturbation) and ``active`` (the runtime with perturbations that act at load). The
time measured is the browser's own ``loadEventEnd`` of the navigation entry (ms from the
start of navigation), on a warm context; conditions are interleaved round by round so that
machine noise hits them alike. Reported: medians and the ratios ``idle / none`` and
``active / none`` per page (the target for ``idle`` is <= 1.05).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.server
import json
import platform
import statistics
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, CDPSession, Page, async_playwright

from fuzzer.browser import launch_chromium
from perturbations import build_bundle
from proxy_addons.embedded import EmbeddedProxy
from sites.booking.server import SiteProcess

HERE = Path(__file__).resolve().parent
MINIWOB_TASKS = ("choose-date", "choose-list", "use-autocomplete", "click-dialog", "book-flight")
CONDITIONS = ("none", "idle", "active")


def _entry(id: str, kind: str, selector: str, **params: object) -> dict[str, Any]:
    return {
        "id": id,
        "layer": "page",
        "kind": kind,
        "target": {"selector": selector},
        "trigger": {"event": "load"},
        "params": params,
    }


#: Perturbations that all act during the load (before the load event).
ACTIVE = [
    _entry("banner", "late_banner", "body", height_px=60),
    _entry("decoys", "decoy", "button"),
    _entry("zoom", "zoom_shift", "html", scale=0.9),
    _entry("modal", "modal", "body", title="Notice", text="Read me.", count=2),
]


def _script(condition: str, episode: str) -> str | None:
    if condition == "none":
        return None
    perturbations = ACTIVE if condition == "active" else []
    config = {"episode": episode, "seed": 1, "perturbations": perturbations}
    return build_bundle(config)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_miniwob() -> Iterator[str]:
    import miniwob

    root = Path(miniwob.__file__).resolve().parent / "html"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _Loader:
    """One warm page of one condition; measures a load's wall time and script time."""

    def __init__(self, page: Page, cdp: CDPSession) -> None:
        self.page, self.cdp = page, cdp

    async def _script_s(self) -> float:
        metrics = (await self.cdp.send("Performance.getMetrics"))["metrics"]
        return float(next(m["value"] for m in metrics if m["name"] == "ScriptDuration"))

    async def load(self, url: str) -> tuple[float, float]:
        """(loadEventEnd in ms, main-thread script time of the load in ms)."""
        # Chromium resets the page's metrics on each navigation: read them after the load.
        await self.page.goto(url, wait_until="load")
        load_ms = await self.page.evaluate(
            "() => new Promise(done => setTimeout(() => done("
            "performance.getEntriesByType('navigation')[0].loadEventEnd), 0))"
        )
        return float(load_ms), 1000 * await self._script_s()


async def _loader(
    browser: Browser, proxy: EmbeddedProxy, episode: str, script: str | None
) -> _Loader:
    proxy.set_plan({"episode": episode, "seed": 1, "faults": [], "page_script": script})
    context = await browser.new_context(
        proxy={"server": proxy.url, "username": episode, "password": "x"},
        viewport={"width": 1000, "height": 800},
    )
    context.on("dialog", lambda d: asyncio.ensure_future(d.dismiss()))
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Performance.enable")
    return _Loader(page, cdp)


async def measure(
    browser: Browser, proxy: EmbeddedProxy, name: str, url: str, reps: int
) -> dict[str, Any]:
    """Load ``url`` ``reps`` times per condition (after one warm-up each); medians and ratios.

    Conditions are interleaved, their order rotating each round; ``paired_ratio_*`` is the
    median over rounds of (condition / none) within the round, which cancels slow drifts of
    the machine better than a ratio of medians.
    """
    loaders = {}
    for condition in CONDITIONS:
        episode = f"{name}-{condition}"
        loaders[condition] = await _loader(browser, proxy, episode, _script(condition, episode))
        await loaders[condition].load(url)  # warm-up: caches, connections
    load: dict[str, list[float]] = {c: [] for c in CONDITIONS}
    script: dict[str, list[float]] = {c: [] for c in CONDITIONS}
    for round_ in range(reps):
        shift = round_ % len(CONDITIONS)
        for condition in CONDITIONS[shift:] + CONDITIONS[:shift]:
            wall, js = await loaders[condition].load(url)
            load[condition].append(wall)
            script[condition].append(js)
    for loader in loaders.values():
        await loader.page.context.close()

    def paired(condition: str) -> float:
        ratios = [c / n for c, n in zip(load[condition], load["none"], strict=True)]
        return round(statistics.median(ratios), 3)

    return {
        "page": name,
        "median_load_ms": {c: round(statistics.median(v), 2) for c, v in load.items()},
        "median_script_ms": {c: round(statistics.median(v), 2) for c, v in script.items()},
        "paired_ratio_idle": paired("idle"),
        "paired_ratio_active": paired("active"),
        "samples": reps,
    }


async def run(reps: int) -> list[dict[str, Any]]:
    rows = []
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        site = stack.enter_context(SiteProcess())
        wob = stack.enter_context(serve_miniwob())
        proxy = stack.enter_context(EmbeddedProxy(ledger_dir=Path(tmp)))
        async with async_playwright() as pw:
            browser = await launch_chromium(pw)
            try:
                rows.append(await measure(browser, proxy, "booking site", f"{site.url}/", reps))
                for task in MINIWOB_TASKS:
                    url = f"{wob}/miniwob/{task}.html"
                    rows.append(await measure(browser, proxy, f"miniwob {task}", url, reps))
            finally:
                await browser.close()
    return rows


def render(rows: list[dict[str, Any]], reps: int) -> str:
    lines = [
        f"# Page-load time with the gymfuzz runtime ({reps} loads per condition)",
        "",
        "loadEventEnd medians in ms (none / idle / active), the paired ratios to no script, and",
        "the main-thread script time of one load (median ms, none / idle / active).",
        "",
        "| page | load none | load idle | load active | idle / none | active / none "
        "| script none | script idle | script active |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        m, js = r["median_load_ms"], r["median_script_ms"]
        lines.append(
            f"| {r['page']} | {m['none']:.1f} | {m['idle']:.1f} | {m['active']:.1f} "
            f"| {r['paired_ratio_idle']:.3f} | {r['paired_ratio_active']:.3f} "
            f"| {js['none']:.1f} | {js['idle']:.1f} | {js['active']:.1f} |"
        )
    idle = [r["paired_ratio_idle"] for r in rows]
    lines += [
        "",
        f"Idle runtime: median of the pages' paired ratios {statistics.median(idle):.3f}, "
        f"worst page {max(idle):.3f} (target <= 1.05).",
        "Loaded through the gymfuzz proxy on warm contexts, conditions interleaved; active =",
        "late_banner, decoy on every button, zoom_shift 0.9 and two modals, all at load.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    rows = asyncio.run(run(args.reps))
    doc = {
        "reps": args.reps,
        "rows": rows,
        "idle_ratio_median": statistics.median(r["paired_ratio_idle"] for r in rows),
        "idle_ratio_worst": max(r["paired_ratio_idle"] for r in rows),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
    }
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "page_load.json").write_text(json.dumps(doc, indent=2) + "\n")
    (out / "page_load.md").write_text(render(rows, args.reps))
    print(render(rows, args.reps))


if __name__ == "__main__":
    main()
