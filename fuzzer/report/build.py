"""Assemble the HTML report from a journal and its ledgers."""

from __future__ import annotations

import importlib.resources
import os
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path
from string import Template

from fuzzer.play.episode import EpisodeResult
from fuzzer.play.journal import load_results
from fuzzer.play.ledger import last_run, read_records
from fuzzer.report import svg
from fuzzer.report.metrics import (
    Rate,
    attack_success,
    attribution,
    pass_hat_k,
    success_by_kind,
    success_rates,
)
from fuzzer.report.traces import HINT as TRACE_HINT
from fuzzer.report.traces import trace_html
from fuzzer.report.variants import spreads

MAX_TIMELINES = 40


def _table(results: list[EpisodeResult]) -> str:
    rows = []
    for (agent, condition), rate in success_rates(results).items():
        lo, hi = rate.interval
        rows.append(
            f"<tr><td>{escape(agent)}</td><td>{escape(condition)}</td>"
            f"<td>{rate.passed}/{rate.n}</td><td>{rate.value:.1%}</td>"
            f"<td>[{lo:.1%}, {hi:.1%}]</td></tr>"
        )
    return (
        "<table><tr><th>agent</th><th>condition</th><th>passed</th><th>rate</th>"
        "<th>95% interval</th></tr>" + "".join(rows) + "</table>"
    )


def _interfaces(results: list[EpisodeResult]) -> list[str]:
    """The section on interface variants (``[]`` when no result names one)."""
    found = spreads(results)
    if not found:
        return []
    rows = []
    for s in found:
        lo, hi = s.interval
        cells = "".join(
            f"<tr><td>{escape(s.agent)}</td><td>{escape(s.column)}</td><td>{escape(v)}</td>"
            f"<td>{r.passed}/{r.n}</td><td>{r.value:.1%}</td>"
            f"<td>[{r.interval[0]:.1%}, {r.interval[1]:.1%}]</td></tr>"
            for v, r in s.rates.items()
        )
        rows.append(
            cells + f"<tr class='total'><td>{escape(s.agent)}</td><td>{escape(s.column)}</td>"
            f"<td>spread: {escape(s.best)} minus {escape(s.worst)}</td><td></td>"
            f"<td>{s.value:.1%}</td><td>[{lo:.1%}, {hi:.1%}] (bootstrap)</td></tr>"
        )
    return [
        "<h2>Success by interface variant</h2>",
        "<p class='muted'>Each scenario played on one look of the app (generate "
        "--interfaces). The spread is the best variant's rate minus the worst's; with few "
        "episodes per variant, noise alone widens it: read its interval.</p>",
        "<table><tr><th>agent</th><th>condition</th><th>variant</th><th>passed</th>"
        "<th>rate</th><th>95% interval</th></tr>" + "".join(rows) + "</table>",
    ]


def _heatmap(results: list[EpisodeResult]) -> str:
    by_kind = success_by_kind(results)
    rows = sorted({f"{a} / {d}" for a, d, _ in by_kind})
    cols = sorted({k for _, _, k in by_kind})
    cells = {(f"{a} / {d}", k): (r.passed, r.n) for (a, d, k), r in by_kind.items()}
    return svg.heatmap(rows, cols, cells, "success by drill and fault kind")


def _pass_k(results: list[EpisodeResult]) -> str:
    trials = max((r.trial for r in results), default=0) + 1
    series: dict[str, list[float]] = {}
    for k in range(1, trials + 1):
        for (agent, condition), v in pass_hat_k(results, k).items():
            series.setdefault(f"{agent}/{condition}", []).append(v)
    return svg.lines(series, "pass^k by agent and condition")


def _attribution(results: list[EpisodeResult]) -> str:
    parts = []
    for agent in sorted({r.agent for r in results}):
        rows = [
            (
                a.kind,
                a.failed_with.value,
                a.failed_with.interval,
                a.failed_without.value,
                a.failed_without.interval,
            )
            for a in attribution(results, agent)
        ]
        if rows:
            parts.append(
                f"<h3>{escape(agent)}</h3>" + svg.bars(rows, f"failure attribution for {agent}")
            )
    return "".join(parts) or "<p class='muted'>No fault fired.</p>"


def _timeline(result: EpisodeResult, ledger_dir: Path | None, trace: str = "") -> str:
    head = (
        f"<div class='episode'><b>{escape(result.episode or result.scenario_id)}</b> "
        f"<span class='muted'>[{escape(', '.join(result.faults_fired))}]</span>"
        f"<pre>{escape(result.summary)}"
        + (f"\nagent: {escape(result.agent_error)}" if result.agent_error else "")
        + "</pre>"
        + trace
    )
    path = ledger_dir / f"{result.episode}.jsonl" if ledger_dir and result.episode else None
    if path is None or not path.exists():
        return head + "<p class='muted'>(no ledger)</p></div>"
    starts: dict[str, float] = {}
    spans, marks = [], []
    for rec in last_run(read_records(path)):
        t = float(rec.get("t_ms", 0.0))
        kind = rec.get("type")
        if kind == "request":
            starts[str(rec.get("flow"))] = t
        elif kind in ("response", "error"):
            t0 = starts.get(str(rec.get("flow")), t - float(rec.get("duration_ms") or 0))
            cls = "faulted" if rec.get("faults") else ("failed" if kind == "error" else "")
            text = f"{rec.get('method')} {rec.get('path')} -> {rec.get('status', 'error')}"
            spans.append((t0, t, text, cls))
        elif kind == "page" and rec.get("event") in ("fired", "dismissed"):
            marks.append((t, f"{rec.get('kind')} {rec.get('event')}", "page"))
        elif kind == "verdict":
            marks.append((t, "verdict", "verdict"))
    return head + svg.timeline(spans, marks, f"timeline of {result.episode}") + "</div>"


def _attack_success(results: list[EpisodeResult]) -> str:
    rates = attack_success(results)
    if not rates:
        return "<p class='muted'>No pop-up, decoy or injected instruction was shown.</p>"
    rows = []
    for (agent, kind), rate in rates.items():
        lo, hi = rate.interval
        rows.append(
            f"<tr><td>{escape(agent)}</td><td>{escape(kind)}</td>"
            f"<td>{rate.passed}/{rate.n}</td><td>{rate.value:.1%}</td>"
            f"<td>[{lo:.1%}, {hi:.1%}]</td></tr>"
        )
    return (
        "<p class='muted'>Episodes where the agent acted on the distractor (clicked the pop-up"
        " or the decoy, followed the injected instruction), of those where it was shown.</p>"
        "<table><tr><th>agent</th><th>distractor</th><th>acted on it</th><th>rate</th>"
        "<th>95% interval</th></tr>" + "".join(rows) + "</table>"
    )


def _more_traces(failed: list[EpisodeResult], links: list[str]) -> str:
    """Trace links of the failed episodes beyond the ones shown with a timeline."""
    rows = [
        f"<tr><td>{escape(r.episode or r.scenario_id)}</td><td>{link}</td></tr>"
        for r, link in zip(failed, links, strict=True)
        if link
    ]
    if not rows:
        return ""
    return (
        "<table class='traces'><tr><th>episode</th><th>trace</th></tr>"
        + "".join(rows)
        + ("</table>")
    )


def render_report(
    results: list[EpisodeResult],
    ledger_dir: Path | None = None,
    title: str = "gymfuzz report",
    *,
    journal_dir: Path | None = None,
    report_dir: Path | None = None,
) -> str:
    """The report as one HTML string (see :mod:`fuzzer.report`).

    Failed episodes link their Playwright traces: the journal's ``trace`` paths are relative
    to ``journal_dir``, and the links are made relative to ``report_dir`` (where the HTML will
    be written) when both are given.
    """
    failed = [r for r in results if not r.passed]
    links = [trace_html(r, journal_dir, report_dir) for r in failed]
    sections = [
        "<h2>Success</h2>",
        _table(results),
        *_interfaces(results),
        "<h2>Success by drill and fault kind</h2>",
        "<p class='muted'>Episodes in which each kind fired (an episode may count in several "
        "columns); '(none)' are episodes where nothing fired.</p>",
        _heatmap(results),
        "<h2>pass^k</h2>",
        "<p class='muted'>Chance that k trials of a scenario all pass (mean over scenarios).</p>",
        _pass_k(results),
        "<h2>What broke what</h2>",
        _attribution(results),
        "<h2>Distractors: attack success</h2>",
        _attack_success(results),
        f"<h2>Failed episodes ({len(failed)})</h2>",
        *([f"<p class='muted'>{TRACE_HINT}</p>"] if any(r.trace for r in failed) else []),
        *(
            _timeline(r, ledger_dir, t)
            for r, t in zip(failed[:MAX_TIMELINES], links[:MAX_TIMELINES], strict=True)
        ),
    ]
    if len(failed) > MAX_TIMELINES:
        sections.append(
            f"<p class='muted'>{len(failed) - MAX_TIMELINES} more not shown"
            + (" in full; their traces:</p>" if any(links[MAX_TIMELINES:]) else ".</p>")
        )
        sections.append(_more_traces(failed[MAX_TIMELINES:], links[MAX_TIMELINES:]))
    template = Template(
        importlib.resources.files("fuzzer.report").joinpath("template.html").read_text("utf-8")
    )
    n = Rate(sum(r.passed for r in results), len(results))
    return template.substitute(
        title=escape(title),
        subtitle=escape(f"{n.n} episodes, {n.passed} passed"),
        body="\n".join(sections),
    )


def write_report(
    journal: Path,
    out: Path,
    ledger_dir: Path | None = None,
    warn: Callable[[str], None] | None = None,
) -> Path:
    """Render ``journal`` to ``out`` atomically (temp file, then rename).

    Raises :class:`~fuzzer.play.journal.JournalError` (``file:line: why``) for a line that is
    not an episode record, a cut-off one included; ``warn`` gets one line naming the fields
    the journal holds that this version does not know (they are ignored).
    """
    if not journal.is_file():
        raise ValueError(f"{journal}: no such results journal")
    unknown: set[str] = set()
    results = load_results(journal, unknown=unknown, torn_ok=False)
    if unknown and warn is not None:
        warn(f"{journal}: ignored fields this version does not know: {', '.join(sorted(unknown))}")
    html = render_report(
        results,
        ledger_dir,
        title=f"gymfuzz report: {journal.name}",
        journal_dir=journal.parent,
        report_dir=out.parent,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
