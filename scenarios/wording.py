"""Goal wording variants: several phrasings of one goal, chosen per scenario by its seed.

A workflow graph may list ``goal_variants`` next to ``goal_template``: more texts for the
same goal, with the same ``{field}`` placeholders (in any order: reordered fields), plus

* synonym sets ``[[book|schedule|set up]]``: one alternative is chosen per scenario;
* for every date field ``d``, ``{d_relative}``: the date said relative to the fixture's
  ``today`` ("tomorrow", "next Friday", "the Tuesday after next", "the 5th Tuesday from
  today"); ``next <weekday>`` always means the first such weekday after today.

The generator's ``wording`` option turns them on (off by default: today's packs keep their
bytes). Then scenario ``i`` takes wording ``k`` (``0`` = ``goal_template.text``, ``k`` =
``goal_variants[k - 1]``) and each synonym set from child seeds of its own seed, writes the
text into ``goal.text`` and records ``k`` as ``goal.wording``. The structured
``goal.fields`` never change: verifiers and reference agents read those.

    >>> import datetime as dt
    >>> monday = dt.date(2026, 11, 23)
    >>> [relative_date(dt.date(2026, 11, d), monday) for d in (24, 27)]
    ['tomorrow', 'next Friday']
    >>> relative_date(dt.date(2026, 12, 1), monday)
    'the Tuesday after next'
    >>> relative_date(dt.date(2026, 12, 22), monday)
    'the 5th Tuesday from today'
    >>> synonyms("[[Book|Schedule]] a meeting", lambda name, n: 1)
    'Schedule a meeting'
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Mapping, Sequence

from scenarios.seeds import child_seed

#: ``[[a|b|c]]``: one of several words or phrases.
SYNONYMS_RE = re.compile(r"\[\[([^\[\]]+)\]\]")
#: The suffix of the derived placeholder saying a date field relative to today.
RELATIVE = "_relative"

#: ``pick(name, n)`` -> an index in ``range(n)``, the same for the same name.
Pick = Callable[[str, int], int]


def relative_date(day: dt.date, today: dt.date) -> str:
    """``day`` said relative to ``today``, unambiguously (see the module docstring)."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    weekday = day.strftime("%A")
    if delta < 0:
        nth = (-delta - 1) // 7 + 1
        return f"last {weekday}" if nth == 1 else f"the {_ordinal(nth)} {weekday} before today"
    nth = (delta - 1) // 7 + 1  # 1: the first such weekday after today
    if nth == 1:
        return f"next {weekday}"
    if nth == 2:
        return f"the {weekday} after next"
    return f"the {_ordinal(nth)} {weekday} from today"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def synonyms(text: str, pick: Pick) -> str:
    """``text`` with each ``[[a|b]]`` set replaced by the alternative ``pick`` chooses."""
    count = 0

    def choose(found: re.Match[str]) -> str:
        nonlocal count
        count += 1
        options = found.group(1).split("|")
        return options[pick(f"synonym{count}", len(options))]

    return SYNONYMS_RE.sub(choose, text)


def placeholders(text: str) -> set[str]:
    """The ``{field}`` names a template uses (``ValueError`` if it is malformed)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def check_variant(text: str, fields: set[str], date_fields: set[str]) -> list[str]:
    """The relative-date placeholders one wording template uses, sorted.

    Raises:
        ValueError: naming its first problem (an unknown field, an empty alternative,
            unbalanced ``[[ ]]``).
    """
    for found in SYNONYMS_RE.finditer(text):
        if any(not option.strip() for option in found.group(1).split("|")):
            raise ValueError(f"{text!r}: empty alternative in {found.group(0)!r}")
    if "[[" in SYNONYMS_RE.sub("", text) or "]]" in SYNONYMS_RE.sub("", text):
        raise ValueError(f"{text!r}: unbalanced [[ ]]")
    known = fields | {d + RELATIVE for d in date_fields}
    used = placeholders(text)
    missing = used - known
    if missing:
        raise ValueError(f"{text!r} uses unknown field {sorted(missing)[0]!r}")
    return sorted(name for name in used if name not in fields)


class Wording:
    """The phrasings of one goal: ``templates[0]`` is the goal template's own text.

    Args:
        templates: the goal template's text, then the variants.
        date_fields: data fields holding ISO dates (each gets ``{<field>_relative}``).
    """

    def __init__(self, templates: Sequence[str], date_fields: Sequence[str] = ()) -> None:
        self.templates = tuple(templates)
        self.date_fields = tuple(date_fields)

    def choose(
        self, sseed: int, data: Mapping[str, str], fixture: Mapping[str, object]
    ) -> tuple[int, str]:
        """``(k, text)``: the wording scenario seed ``sseed`` takes, filled from ``data``."""
        k = child_seed(sseed, "wording") % len(self.templates)
        values = {**data, **self.relative_fields(data, fixture)}

        def pick(name: str, n: int) -> int:
            return child_seed(sseed, "wording", name) % n

        try:
            return k, synonyms(self.templates[k], pick).format_map(values)
        except KeyError as exc:
            raise ValueError(
                f"goal wording {k}: no value for {{{exc.args[0]}}} (relative dates need a "
                "'today' date in the fixture)"
            ) from None

    def relative_fields(
        self, data: Mapping[str, str], fixture: Mapping[str, object]
    ) -> dict[str, str]:
        """``{<date field>_relative: phrase}`` against the fixture's ``today``."""
        today = fixture.get("today")
        if not isinstance(today, str):
            return {}  # a template that needs them fails to fill, naming the field
        now = dt.date.fromisoformat(today)
        return {
            f + RELATIVE: relative_date(dt.date.fromisoformat(data[f]), now)
            for f in self.date_fields
            if f in data
        }
