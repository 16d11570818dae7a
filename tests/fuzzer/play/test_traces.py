"""Playwright traces of episodes: which are kept, where, how the journal and report name them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from fuzzer.agents import AgentError, AgentOutcome, Task
from fuzzer.cli import main
from fuzzer.play.episode import EpisodeResult, run_episode
from fuzzer.play.harness import Harness
from fuzzer.play.journal import Journal, load_results
from fuzzer.play.traces import TracePolicy, keep_trace
from fuzzer.report import render_report
from scenarios.generate import iter_scenarios
from tests.cli import gymfuzz

from .test_journal import result

AGENT = "tests.fuzzer.play.test_traces:BookAsAsked"


class BookAsAsked:
    """Books exactly the goal through the app's API from inside the page: passes any
    unperturbed calendar scenario without depending on the reference agents."""

    name = "book"

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        await page.goto(task.start_url)
        status = await page.evaluate(
            """async (body) => (await fetch('/api/bookings', {method: 'POST',
                   headers: {'content-type': 'application/json'},
                   body: JSON.stringify(body)})).status""",
            task.fields,
        )
        if status != 201:
            raise AgentError(f"POST /api/bookings answered {status}")
        return AgentOutcome()


# --- the record field and the keep/drop decision (no browser) --------------------------------


def test_trace_fields_round_trip_through_the_journal_and_old_records_load(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    j = Journal.open(path, resume=False)
    kept = result("a", 0, passed=False)
    kept.trace = "r.traces/a.0.zip"
    broken = result("b", 0, passed=False)
    broken.trace_error = "stop: Error: boom"
    j.write(kept)
    j.write(broken)
    j.close()
    old = result("c", 0).to_json()
    del old["trace"], old["trace_error"]  # a journal written before traces existed
    with path.open("a") as fh:
        fh.write(json.dumps(old) + "\n")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert records[0]["trace"] == "r.traces/a.0.zip" and records[0]["trace_error"] is None
    loaded = load_results(path)
    assert [(r.trace, r.trace_error) for r in loaded] == [
        ("r.traces/a.0.zip", None),
        (None, "stop: Error: boom"),
        (None, None),
    ]


def test_a_bad_trace_mode_names_the_field_and_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match="traces: expected one of off, failed, all, got 'some'"):
        TracePolicy("some", tmp_path, tmp_path)  # type: ignore[arg-type]
    with pytest.raises(SystemExit) as exit_info:
        main(["run", str(tmp_path), "--agent", "noop", "--out", "r.jsonl", "--traces", "some"])
    assert exit_info.value.code == 2
    assert "argument --traces: invalid choice: 'some'" in capsys.readouterr().err


def test_the_default_layout_sits_beside_the_journal(tmp_path: Path) -> None:
    policy = TracePolicy.beside(tmp_path / "runs" / "r.jsonl", "failed")
    assert policy.zip_path("s.naive.p0") == tmp_path / "runs" / "r.traces" / "s.naive.p0.zip"
    assert policy.record_path(policy.zip_path("s.naive.p0")) == "r.traces/s.naive.p0.zip"
    assert policy.partial_path("s.naive.p0").name == ".s.naive.p0.zip.part"


@pytest.mark.parametrize(
    ("mode", "passed", "kept"),
    [
        ("failed", False, True),
        ("failed", True, False),
        ("all", True, True),
        ("all", False, True),
    ],
)
def test_keep_trace_renames_or_drops_the_partial_zip(
    tmp_path: Path, mode: Any, passed: bool, kept: bool
) -> None:
    policy = TracePolicy(mode, tmp_path / "r.traces", tmp_path)
    policy.directory.mkdir()
    policy.partial_path("e1").write_bytes(b"zip")
    out = keep_trace(policy, result("s", 0, passed=passed), "e1")
    assert not policy.partial_path("e1").exists()
    assert policy.zip_path("e1").exists() is kept
    assert out.trace == ("r.traces/e1.zip" if kept else None)
    assert out.trace_error is None


def test_keep_trace_records_a_missing_zip_and_leaves_off_alone(tmp_path: Path) -> None:
    policy = TracePolicy("failed", tmp_path / "r.traces", tmp_path)
    harness_failure = result("s", 0, passed=False)
    harness_failure.harness_error = "site refused fixture"
    out = keep_trace(policy, harness_failure, "e1")
    assert (out.trace, out.trace_error) == (None, "no trace was written")
    off = TracePolicy("off", tmp_path / "r.traces", tmp_path)
    assert keep_trace(off, harness_failure, "e1") is harness_failure


def test_remove_partials_clears_what_a_killed_run_left(tmp_path: Path) -> None:
    policy = TracePolicy("failed", tmp_path / "r.traces", tmp_path)
    assert policy.remove_partials() == 0  # no folder yet
    policy.directory.mkdir()
    policy.partial_path("e1").write_bytes(b"half")
    policy.zip_path("e2").write_bytes(b"kept")
    assert policy.remove_partials() == 1
    assert [p.name for p in policy.directory.iterdir()] == ["e2.zip"]


def test_report_links_traces_relative_to_the_report(tmp_path: Path) -> None:
    (tmp_path / "r.traces").mkdir()
    (tmp_path / "r.traces" / "s1.0.zip").write_bytes(b"zip")
    linked = result("s1", 0, passed=False)
    linked.trace = "r.traces/s1.0.zip"
    gone = result("s2", 0, passed=False)
    gone.trace = "r.traces/s2.0.zip"
    broken = result("s3", 0, passed=False)
    broken.trace_error = "start: Error: <no tracing>"
    html = render_report(
        [linked, gone, broken, result("s4", 0)],
        journal_dir=tmp_path,
        report_dir=tmp_path / "html",
    )
    assert "href='../r.traces/s1.0.zip'" in html
    assert "<code>playwright show-trace ../r.traces/s1.0.zip</code>" in html
    assert (
        "href='../r.traces/s2.0.zip'>Playwright trace</a> <span class='muted'>(file not found)"
        in (html)
    )
    assert "no trace: start: Error: &lt;no tracing&gt;" in html
    assert html.count("show-trace") == 3  # two episodes and the hint above them
    assert "href" not in render_report([result("s4", 0)])  # no traces, no links


def test_episodes_beyond_the_timelines_still_link_their_traces() -> None:
    failed = []
    for i in range(45):
        r = result(f"s{i}", 0, passed=False)
        r.trace = f"r.traces/s{i}.zip"
        failed.append(r)
    html = render_report(failed)
    assert all(f"href='r.traces/s{i}.zip'" in html for i in range(45))
    assert "5 more not shown in full; their traces:" in html


# --- the real thing: site, proxy, Chromium ------------------------------------------------


def _pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    proc = gymfuzz(
        "generate", "--drill", "calendar", "--count", "1", "--seed", "7", "--out", str(pack)
    )
    assert proc.returncode == 0, proc.stderr
    return pack


def _run(tmp_path: Path, *extra: str) -> tuple[Path, list[dict[str, Any]]]:
    """One scenario played by the do-nothing agent (fails) and BookAsAsked (passes)."""
    out = tmp_path / "r.jsonl"
    proc = gymfuzz(
        "run", str(_pack(tmp_path)), "--agent", "noop", "--agent", AGENT,
        "--condition", "unperturbed", "--workers", "2", "--out", str(out), *extra,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    records = {r["agent"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert not records["noop"]["passed"] and records["book"]["passed"], records
    return out, [records["noop"], records["book"]]


def _trace_calls(path: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        assert {"trace.trace", "trace.network"} <= set(zf.namelist())
        lines = zf.read("trace.trace").decode().splitlines()
    return [e for e in map(json.loads, lines) if e.get("type") == "before"]


@pytest.mark.browser
@pytest.mark.proxy
async def test_default_run_keeps_only_the_failed_trace_and_the_report_links_it(
    tmp_path: Path, browser: Browser
) -> None:
    out, (failed, passed) = _run(tmp_path)
    traces = tmp_path / "r.traces"
    assert [p.name for p in traces.iterdir()] == [f"{failed['episode']}.zip"]
    assert failed["trace"] == f"r.traces/{failed['episode']}.zip" and not failed["trace_error"]
    assert passed["trace"] is None and passed["trace_error"] is None
    _trace_calls(tmp_path / failed["trace"])

    report = tmp_path / "html" / "report.html"
    proc = gymfuzz("report", str(out), "-o", str(report))
    assert proc.returncode == 0, proc.stderr
    page = await browser.new_page()
    await page.goto(report.as_uri())
    links = page.locator("a", has_text="Playwright trace")
    assert await links.count() == 1
    href = await links.get_attribute("href")
    assert href == f"../r.traces/{failed['episode']}.zip"
    target = await links.evaluate("a => a.href")
    assert Path(target.removeprefix("file://")) == (traces / f"{failed['episode']}.zip")
    assert await page.locator("code", has_text=f"playwright show-trace {href}").count() == 1
    await page.close()


@pytest.mark.browser
@pytest.mark.proxy
@pytest.mark.parametrize("mode", ["off", "all"])
def test_traces_off_writes_none_and_all_writes_every_episode(tmp_path: Path, mode: str) -> None:
    _, (failed, passed) = _run(tmp_path, "--traces", mode)
    traces = tmp_path / "r.traces"
    if mode == "off":
        assert not traces.exists()
        assert failed["trace"] is None and passed["trace"] is None
        return
    assert sorted(p.name for p in traces.iterdir()) == sorted(
        f"{r['episode']}.zip" for r in (failed, passed)
    )
    calls = _trace_calls(tmp_path / passed["trace"])
    gotos = [c["params"]["url"] for c in calls if c.get("method") == "goto"]
    assert len(gotos) == 1 and gotos[0].startswith("http://")  # the agent's one goto


class ReplacesTraceFolder(BookAsAsked):
    """Books as asked, then puts a file where the trace zip's folder was."""

    folder = Path()

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        outcome = await super().run(page, task)
        for child in self.folder.iterdir():
            child.unlink()
        self.folder.rmdir()
        self.folder.write_text("not a folder")
        return outcome


@pytest.mark.browser
@pytest.mark.proxy
@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("step", ["start", "stop"])
async def test_a_tracing_failure_is_recorded_and_the_episode_still_judged(
    harness: Harness, tmp_path: Path, step: str
) -> None:
    sc = next(iter(iter_scenarios("calendar", 1, 11)))
    folder = tmp_path / "traces"
    agent = ReplacesTraceFolder()
    agent.folder = folder
    if step == "start":  # the folder cannot even be made
        folder.write_text("not a folder")
        agent = BookAsAsked()  # type: ignore[assignment]
    else:
        folder.mkdir()
    episode: EpisodeResult = await run_episode(
        harness, sc, agent, condition="unperturbed", trace_to=folder / "e.zip"
    )
    assert episode.passed, episode.summary
    assert episode.trace_error is not None and episode.trace_error.startswith(f"{step}: ")
