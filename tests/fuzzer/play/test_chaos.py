"""Crashes are the harness's, never the agent's: a run whose browser is killed twice, whose
site is killed once and whose proxy stops once, mid-run, heals itself and ends with the verdicts
of an undisturbed run (the careful agent passes every scenario)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from fuzzer.play import runner
from fuzzer.play.episode import EpisodeResult
from fuzzer.play.harness import Harness, start_harness
from fuzzer.play.journal import load_results, read_journal
from fuzzer.play.runner import run_episodes
from fuzzer.targets.embedded import EmbeddedSite
from scenarios.generate import iter_scenarios

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

EPISODES = 30


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == parent]
        found += kids
        frontier += kids
    return found


def _browser_pid() -> int:
    """The main Chromium process this test process started (through Playwright's driver)."""
    for pid in _children(os.getpid()):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        name = os.path.basename(argv[0].decode(errors="replace"))
        if "chrom" in name and not any(a.startswith(b"--type=") for a in argv):
            return pid
    raise AssertionError("no Chromium process found")


def _play(
    site: EmbeddedSite, tmp: Path, kills: dict[int, str], monkeypatch: pytest.MonkeyPatch
) -> list[EpisodeResult]:
    scenarios = list(iter_scenarios("dropdown", EPISODES, 21))
    done: list[str] = []
    harnesses: list[Harness] = []
    start = start_harness

    @contextlib.asynccontextmanager
    async def watched(ledger_dir: Path, targets: Any = None) -> AsyncIterator[Harness]:
        async with start(ledger_dir, targets) as harness:
            harnesses.append(harness)
            yield harness

    monkeypatch.setattr(runner, "start_harness", watched)
    # Every kill must be recovered from, whichever episodes it lands in: a slow episode (a
    # held save, then the 30 s wait for a request the killed proxy lost) can span several
    # kill points, and with the run's 3 attempts one episode hit by 3 kills would rightly be
    # recorded as a harness error. So an episode gets one attempt more than there are kills.
    monkeypatch.setattr(runner, "ATTEMPTS", len(kills) + 1)

    def progress(n: int, total: int, result: EpisodeResult) -> None:
        what = kills.get(n)
        if what == "proxy":  # mitmproxy's loop ends, as if it had crashed
            harnesses[0].proxy._halt()
        elif what is not None:
            pid = _browser_pid() if what == "browser" else site._site.pid  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
        if what is not None:
            done.append(what)

    results = asyncio.run(
        run_episodes(
            scenarios,
            ["careful"],
            ["perturbed"],
            ledger_dir=tmp / "ledgers",
            journal=tmp / "results.jsonl",
            workers=2,
            progress=progress,
            targets=lambda: [site],
        )
    )
    assert done == list(kills.values())
    return results


@pytest.mark.timeout(1200)
def test_killed_browser_and_site_are_restarted_and_their_episodes_replayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kills = {4: "browser", 12: "site", 17: "proxy", 22: "browser"}
    chaos = _play(EmbeddedSite(), tmp_path / "chaos", kills, monkeypatch)

    # one final record per episode, none of them a harness error
    journal = list(read_journal(tmp_path / "chaos" / "results.jsonl"))
    keys = Counter((r["scenario_id"], r["agent"]) for r in journal)
    assert len(journal) == EPISODES and set(keys.values()) == {1}
    assert not [r for r in chaos if r.harness_error]
    # the episodes the kills hit were recorded as harness errors and played again
    causes = [c for r in chaos for c in r.harness_retries]
    assert any("the browser had died; launched a new one" in c for c in causes), causes
    assert any("the embedded site had exited" in c for c in causes), causes
    assert any("the proxy had stopped; started it again" in c for c in causes), causes
    assert sum(1 for r in chaos if r.harness_retries) >= 3
    # and the run says what an undisturbed run says: the careful agent passes every scenario
    # of the built-in drills (the gate tests play them undisturbed by crashes)
    assert [r.scenario_id for r in chaos if not r.passed] == []


def test_resume_plays_again_what_only_a_harness_error_records(tmp_path: Path) -> None:
    from fuzzer.play.episode import harness_failure
    from fuzzer.play.journal import Journal

    [scenario] = list(iter_scenarios("dropdown", 1, 3))
    journal = tmp_path / "results.jsonl"
    sink = Journal.open(journal, resume=False)
    sink.write(harness_failure(scenario, "careful", "perturbed", 0, RuntimeError("site died")))
    sink.close()
    reopened = Journal.open(journal, resume=True)
    reopened.close()
    assert reopened.done == set()  # to be played again
    replayed = EpisodeResult(
        scenario.id, "dropdown", "careful", "perturbed", 0, "e", True, False, "PASS"
    )
    sink = Journal.open(journal, resume=True)
    sink.write(replayed)
    sink.close()
    reopened = Journal.open(journal, resume=True)
    reopened.close()
    assert reopened.done == {(scenario.id, "careful", "perturbed", 0)}
    [only] = load_results(journal)  # the replay replaces the harness error
    assert only.passed and only.harness_error is None
