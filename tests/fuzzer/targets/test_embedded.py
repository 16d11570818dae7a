"""The embedded site as a target: what the drills assume of it, and the import rule."""

from __future__ import annotations

import ast
from pathlib import Path

from scenarios.drills.calendar import SLOTS as DRILL_SLOTS
from sites.booking.rules import SLOTS as SITE_SLOTS

ROOT = Path(__file__).resolve().parents[3]


def test_the_calendar_drill_books_the_sites_slots() -> None:
    assert DRILL_SLOTS == SITE_SLOTS


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_scenarios_never_import_the_site_or_the_runner() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & {"sites", "fuzzer"})
        for path in sorted((ROOT / "scenarios").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
