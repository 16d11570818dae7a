"""Summaries of episode results: pass counts per agent and condition, what broke what."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from fuzzer.play.episode import EpisodeResult
from fuzzer.report.metrics import pass_hat_k, success_rates


def pass_table(results: Iterable[EpisodeResult]) -> dict[str, dict[str, dict[str, int]]]:
    """``{agent: {condition: {"episodes": n, "passed": p}}}`` in first-seen order.

    Episodes of scenarios unsolvable by design count under the condition ``unsolvable``.

    Episodes that ended in a harness error are left out (see :mod:`fuzzer.report.metrics`).
    """
    results = list(results)
    rates = success_rates(results)
    table: dict[str, dict[str, dict[str, int]]] = {}
    for key in dict.fromkeys((r.agent, r.column) for r in results):
        if key in rates:
            table.setdefault(key[0], {})[key[1]] = {
                "episodes": rates[key].n,
                "passed": rates[key].passed,
            }
    return table


def failure_kinds(results: Iterable[EpisodeResult], agent: str) -> dict[str, int]:
    """For ``agent``'s failed perturbed episodes: how many met each fault kind."""
    counts: Counter[str] = Counter()
    for r in results:
        if r.agent == agent and r.condition == "perturbed" and not r.passed:
            counts.update(r.faults_fired or ["(none fired)"])
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def failure_examples(results: Iterable[EpisodeResult], agent: str, limit: int = 3) -> list[str]:
    """A few failures of ``agent`` explained in one line each."""
    lines = []
    for r in results:
        if r.agent == agent and not r.passed:
            why = f"; agent said: {r.agent_error}" if r.agent_error else ""
            lines.append(f"{r.scenario_id} [{', '.join(r.faults_fired)}] {r.summary}{why}")
            if len(lines) == limit:
                break
    return lines


def render_table(table: dict[str, dict[str, dict[str, int]]], conditions: list[str]) -> str:
    """The pass table as aligned text."""
    rows = [["agent", *conditions]]
    for agent, cells in table.items():
        row = [agent]
        for c in conditions:
            cell = cells.get(c)
            if cell is None:
                row.append("-")
            else:
                pct = 100.0 * cell["passed"] / cell["episodes"] if cell["episodes"] else 0.0
                row.append(f"{cell['passed']}/{cell['episodes']} ({pct:.0f}%)")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows)


def demo_json(results: list[EpisodeResult], **extra: Any) -> dict[str, Any]:
    """The ``gymfuzz demo --json`` document."""
    return {
        "agents": pass_table(results),
        "naive_failures_by_fault_kind": failure_kinds(results, "naive"),
        **extra,
    }


def render_pass_hat_k(results: list[EpisodeResult], trials: int) -> str:
    """pass^1..pass^trials per agent and condition, as text."""
    rows = [f"pass^k   {' '.join(f'k={k:<5}' for k in range(1, trials + 1))}"]
    table = {k: pass_hat_k(results, k) for k in range(1, trials + 1)}
    for key in sorted(table[1]):
        cells = " ".join(f"{table[k].get(key, 0.0):<7.3f}" for k in range(1, trials + 1))
        rows.append(f"{key[0]}/{key[1]}: {cells}")
    return "\n".join(rows)


def harness_error_lines(results: Iterable[EpisodeResult], limit: int = 10) -> list[str]:
    """One line per episode the harness could not play (at most ``limit``, then a count)."""
    errors = [r for r in results if r.harness_error is not None]
    if not errors:
        return []
    lines = [f"harness errors: {len(errors)} (not counted above)"]
    lines += [
        f"  {r.episode or r.scenario_id} ({r.agent}): {r.harness_error}" for r in errors[:limit]
    ]
    if len(errors) > limit:
        lines.append(f"  ... and {len(errors) - limit} more in the journal")
    return lines
