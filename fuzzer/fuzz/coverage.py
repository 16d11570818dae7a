"""What an episode covered, and which class a failure belongs to.

Coverage is a set of feature strings. Each fault or perturbation that fired gives
``edge|kind|bucket``: the workflow edge it acts on (see
:meth:`~fuzzer.fuzz.space.SearchSpace.edges`), its kind, and when it fired, as a log-scale
bucket of the time since the episode started (the ledger's ``t_ms``): ``t<0.5s``,
``t<1s``, ``t<2s``, ... ``t>=16s``. The outcome adds one more feature, ``outcome|pass`` or
``outcome|<failed rule>``, so a scenario that fails in a new way counts as new coverage too.

A failure's class is keyed by the sorted perturbation kinds of its scenario and the first
verifier rule that failed: the rule's kind (``required``, ``allowed``, ``forbidden``,
``network``, ``escalation``), its table, and its name with the goal's data values replaced
by their field names, so the same failure on other data falls in the same class::

    >>> strip_values("exactly one booking on 2026-12-30", {"date": "2026-12-30"})
    'exactly one booking on {date}'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from fuzzer.play.episode import EpisodeResult
from fuzzer.play.ledger import Fire
from scenarios.model import Scenario

#: Upper bounds (seconds) of the timing buckets; the last bucket is open.
BUCKETS_S = (0.5, 1, 2, 4, 8, 16)


def timing_bucket(t_ms: float) -> str:
    """The log-scale bucket of a time since the episode started.

    >>> [timing_bucket(t) for t in (10, 700, 3000, 60000)]
    ['t<0.5s', 't<1s', 't<4s', 't>=16s']
    """
    seconds = max(t_ms, 0.0) / 1000
    if seconds < BUCKETS_S[0]:
        return f"t<{BUCKETS_S[0]}s"
    n = min(int(math.log2(seconds / BUCKETS_S[0])) + 1, len(BUCKETS_S))
    return f"t>={BUCKETS_S[-1]}s" if n == len(BUCKETS_S) else f"t<{BUCKETS_S[n]:g}s"


def strip_values(name: str, fields: Mapping[str, str]) -> str:
    """``name`` with each goal field value replaced by ``{field}`` (longest values first)."""
    for key, value in sorted(fields.items(), key=lambda kv: -len(kv[1])):
        if len(value) >= 2:
            name = name.replace(value, "{" + key + "}")
    return re.sub(r"\d{4}-\d{2}-\d{2}", "{date}", name)


def failed_rule(scenario: Scenario, result: EpisodeResult) -> str | None:
    """``kind:table:name`` of the first rule that failed (data stripped), or ``None``."""
    if result.passed or result.harness_error is not None:
        return None
    tables: dict[str, str] = {}
    spec = scenario.verifier
    for req in spec.required:
        tables[req.name] = req.table
    for change in (*spec.allowed, *spec.forbidden):
        tables[change.name] = change.table
    for net in spec.network:
        tables[net.name] = "network"
    for res in (result.verdict or {}).get("results", []):
        if not res.get("passed", True):
            name = str(res.get("name", ""))
            table = tables.get(name, "-")
            return f"{res.get('kind')}:{table}:{strip_values(name, scenario.goal.fields)}"
    if result.failed_rules:
        return f"?:-:{strip_values(result.failed_rules[0], scenario.goal.fields)}"
    return "?:-:failed"


def class_key(kinds: Iterable[str], rule: str) -> str:
    """The class of a failure: ``kind+kind / rule`` (kinds sorted, duplicates dropped)."""
    return f"{'+'.join(sorted(set(kinds))) or 'none'} / {rule}"


def features(
    edges: Mapping[str, str], fires: Iterable[Fire], outcome: str | None
) -> frozenset[str]:
    """The coverage features of an episode (see the module docstring).

    ``edges`` maps perturbation ids to where they act; ``outcome`` is the failed rule
    (:func:`failed_rule`) or ``None`` for a pass.
    """
    out = {
        f"{edges.get(f.fault, f.fault)}|{f.kind}|{timing_bucket(f.t_ms)}"
        for f in fires
        if f.fault in edges
    }
    out.add(f"outcome|{outcome or 'pass'}")
    return frozenset(out)
