"""``gymfuzz report``: one self-contained HTML file summarising a results journal.

:func:`~fuzzer.report.build.render_report` reads a journal (and the ledgers beside it) and
returns the HTML: success by drill and fault kind (heatmap), pass^k curves, failure
attribution with intervals, and a timeline of requests, faults and page events for failed
episodes, each linking its Playwright trace zip when ``gymfuzz run`` kept one (see
:mod:`fuzzer.play.traces`). Plots are inline SVG: the file opens anywhere, offline; traces are
linked, never embedded.
"""

from fuzzer.report.build import render_report, write_report

__all__ = ["render_report", "write_report"]
