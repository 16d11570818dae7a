"""Links from the report to the episodes' Playwright trace zips (never embedded)."""

from __future__ import annotations

import os
import shlex
from html import escape
from pathlib import Path
from urllib.parse import quote

from fuzzer.play.episode import EpisodeResult

HINT = (
    "Each failed episode with a recorded trace links its Playwright trace zip (paths are "
    "relative to this report). Open one with <code>playwright show-trace PATH</code>, or drop "
    "the zip on https://trace.playwright.dev (the trace stays on your machine)."
)


def trace_target(trace: str, journal_dir: Path | None, report_dir: Path | None) -> str:
    """The path of a journal's ``trace`` entry as seen from the report's folder.

    ``trace`` is relative to the journal's folder; with both folders known the result is
    relative to ``report_dir`` (absolute when no relative path exists, as across drives).
    Without them it is ``trace`` unchanged.
    """
    if journal_dir is None or report_dir is None or Path(trace).is_absolute():
        return trace
    target = (journal_dir / trace).resolve()
    try:
        return Path(os.path.relpath(target, report_dir.resolve())).as_posix()
    except ValueError:
        return target.as_posix()


def trace_html(
    result: EpisodeResult, journal_dir: Path | None = None, report_dir: Path | None = None
) -> str:
    """One line for an episode: a link to its trace and the command that opens it, or why
    there is none (empty when tracing was off)."""
    if result.trace:
        path = trace_target(result.trace, journal_dir, report_dir)
        missing = ""
        if journal_dir is not None and not (journal_dir / result.trace).is_file():
            missing = " <span class='muted'>(file not found)</span>"
        return (
            f"<p class='trace'><a href='{escape(quote(path, safe='/:'))}'>Playwright trace</a>"
            f"{missing} <code>playwright show-trace {escape(shlex.quote(path))}</code></p>"
        )
    if result.trace_error:
        return f"<p class='trace muted'>no trace: {escape(result.trace_error)}</p>"
    return ""
