"""Near misses: what an episode that passed still shows of the agent's struggle.

A robust agent seldom fails, but the perturbations that come close leave traces in the
ledger. The search counts each kind of trace as a coverage feature (``near|...``), so an
episode that makes the agent struggle in a new way joins the corpus and is mutated further,
as a new failure would be. From the episode's ledger (its last run):

``near|<kind>|<event>``
    the agent met a perturbation and reacted: a click an overlay ``intercepted``, an input
    swallowed by a page not yet hydrated (``swallowed``), a modal, banner or pop-up
    ``dismissed``, a native dialog ``answered``, a suggestion ``picked``, and the
    distractions it fell for (``lured``, ``decoy_used``, ``followed``);
``near|retry|<METHOD> <path>``
    the same write (POST, PUT, PATCH or DELETE to the same path, numbers folded) sent more
    than once: the agent retried after a failure or a doubt;
``near|reread|GET <path>``
    the same app read sent three times or more: the agent re-checked the system's state;
``near|recovered|<status class>``
    the app answered ``4xx`` or ``5xx`` during the episode (or the connection failed:
    ``error``), yet the episode went on.

:class:`~fuzzer.fuzz.search.Search` adds one more from the durations it has seen:
``near|slow|x2`` and ``near|slow|x4``, an episode that took at least twice (four times) the
median duration of the passing episodes before it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from fuzzer.play.ledger import last_run

#: Page-runtime events that are the agent's reaction to a perturbation.
REACTIONS = frozenset(
    {"intercepted", "swallowed", "dismissed", "answered", "picked"}
    | {"lured", "decoy_used", "followed"}
)
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: How many times the same read must be sent to count as re-checking.
REREADS = 3


def route(path: str) -> str:
    """A request path without its query, numbers folded: ``/api/bookings/12?x=1`` ->
    ``/api/bookings/{n}``.

    >>> route("/api/bookings/12?x=1")
    '/api/bookings/{n}'
    """
    return re.sub(r"/\d+(?=/|$)", "/{n}", path.split("?", 1)[0])


def near_misses(records: Sequence[dict[str, Any]]) -> frozenset[str]:
    """The near-miss signals of an episode's ledger (see the module docstring), without the
    ``near|`` prefix."""
    out: set[str] = set()
    sent: Counter[tuple[str, str]] = Counter()
    for rec in last_run(records):
        kind = rec.get("type")
        if kind == "page" and rec.get("event") in REACTIONS:
            out.add(f"{rec.get('kind')}|{rec.get('event')}")
        elif kind == "request" and rec.get("in_scope", True):
            resource = rec.get("resource")
            method = str(rec.get("method", ""))
            if method in WRITES or resource == "xhr-fetch":
                sent[(method, route(str(rec.get("path", ""))))] += 1
        elif kind == "response" and int(rec.get("status") or 0) >= 400:
            out.add(f"recovered|{int(rec['status']) // 100}xx")
        elif kind == "error":
            out.add("recovered|error")
    for (method, path), n in sent.items():
        if method in WRITES and n > 1:
            out.add(f"retry|{method} {path}")
        elif method == "GET" and n >= REREADS:
            out.add(f"reread|GET {path}")
    return frozenset(out)
