"""Goal fields: which typed or chosen values of a demonstration the task is about.

A value the demonstration typed (``fill``) or chose (``select``) is a **goal field** when it
is found in the rows the demonstration's writes changed: the title typed into a form and
stored in the new row's ``title`` column, the slot chosen and stored in ``slot``, the
calendar chosen by name and stored as the key of a ``calendar`` row (``calendar_id``). A
value found nowhere in the changes (a login's user name and password) stays a constant of
the replay.

A click is a choice too when the element clicked, or a row around it, carries a data
attribute whose value was stored in a column named like it: the fare button's
``data-fare="standard"`` in ``trips.fare``, its flight row's ``data-flight="GF123"`` in
``trips.flight``. The replay then finds the element by those attributes, filled with the
scenario's values.

Values drawn independently may not fit together: a flight exists only on some days, between
two airports. When two or more goal values of the stored row are together the columns of
one row of another table (``trips.flight`` and ``trips.date`` are a ``flights`` row's
``number`` and ``date``), they are drawn together, as one of that table's rows at the time
of recording; typed values found in the same row (the airports searched for, its ``origin``
and ``destination``) join them as fields, although the goal row does not store them.

Each goal field gets a data generator in the workflow-graph format
(:mod:`scenarios.workflow_spec`): a choice among the options the page offered for a select;
for a date, the days from the day after the recording on (within the input's ``min`` and
``max``), so that two demonstrations of one task with other dates infer the same drill;
faker text for free text (the provider chosen from the field's name, kept within its
``maxlength``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

#: Dates drawn for a date field: from the day after the recording on, this many days.
DATE_SPAN_DAYS = 56

#: Faker providers for free text, by a word of the field's name or label (first match).
_FAKER_BY_NAME: tuple[tuple[str, str], ...] = (
    ("email", "email"),
    ("phone", "phone_number"),
    ("city", "city"),
    ("country", "country"),
    ("company", "company"),
    ("first", "first_name"),
    ("last", "last_name"),
    ("name", "name"),
    ("address", "street_address"),
    ("description", "sentence"),
    ("comment", "sentence"),
    ("note", "sentence"),
    ("message", "sentence"),
    ("body", "sentence"),
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class GoalField:
    """A value of the demonstration that the task is about.

    Args:
        name: the goal field's name (from the element's ``name``, else its label).
        action: the index of the action that typed or chose it.
        value: the demonstrated value (a select's option label).
        data: its generator in the workflow-graph format (``{"choice": [...]}``...).
        table, column: where the value was stored.
        join: for a value stored as the key of another table's row (a foreign key): that
            table, its key column and the column holding the option's label.
        label: what the page called the field.
        attr: for a clicked choice: the data attribute that holds the value.
        row: for a value drawn with others as one row of another table: that table and the
            row's column holding the value (a field only found there has no ``table``).
    """

    name: str
    action: int
    value: str
    data: dict[str, Any]
    table: str
    column: str
    join: dict[str, str] | None
    label: str
    attr: str | None = None
    row: dict[str, str] | None = None

    @property
    def stored(self) -> bool:
        """Whether the goal's row stores this value (else it only chose the row)."""
        return bool(self.table)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def field_name(element: dict[str, Any]) -> str:
    """A goal field's name for an element: its ``name`` attribute, else its label."""
    for raw in (element.get("name", ""), element.get("label", ""), element.get("id", "")):
        slug = _slug(raw)
        if slug and not slug[0].isdigit():
            return slug
    return "value"


def _affinity(column: str, name: str) -> bool:
    """Whether a column's name goes with a form field's (``calendar`` and ``calendar_id``)."""
    c, n = _slug(column), _slug(name)
    return bool(n) and (c == n or c.startswith(n + "_") or c.endswith("_" + n) or n.startswith(c))


def _goal_rows(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in changes if c["op"] in ("added", "updated")]


def _where_stored(
    value: Any, name: str, rows: list[dict[str, Any]], *, loose: bool
) -> tuple[str, str] | None:
    """The (table, column) of a changed row holding ``value``, the field's own column first;
    a ``loose`` value (a short number) is taken only from a column named like the field."""
    found = []
    for change in rows:
        row = change["row"]
        columns = change["fields"] if change["op"] == "updated" else list(row)
        for column in columns:
            if str(row.get(column)) != str(value) or row.get(column) is None:
                continue
            if isinstance(row.get(column), bool):
                continue
            found.append((not _affinity(column, name), change["table"], column))
    if loose:
        found = [f for f in found if not f[0]]
    if not found:
        return None
    found.sort()
    return found[0][1], found[0][2]


def _key_column(row: dict[str, Any], pk: str) -> str | None:
    for column, value in row.items():
        if str(value) == pk:
            return column
    return None


def _joined(
    value: str, label: str, state: dict[str, dict[str, dict[str, Any]]]
) -> dict[str, str] | None:
    """The table whose row keyed ``value`` holds ``label``: a select of a foreign key."""
    for table in sorted(state):
        row = state[table].get(value)
        if row is None:
            continue
        key = _key_column(row, value)
        labels = [c for c, v in row.items() if isinstance(v, str) and v.strip() == label]
        if key is not None and labels:
            return {"table": table, "key": key, "label": labels[0]}
    return None


def _text_data(element: dict[str, Any]) -> dict[str, Any]:
    words = f"{element.get('name', '')} {element.get('label', '')}".lower()
    method = next((m for word, m in _FAKER_BY_NAME if word in words), "catch_phrase")
    if element.get("maxlength") and element["maxlength"] < 24 and method == "catch_phrase":
        method = "word"
    return {"faker": method}


def _date_data(element: dict[str, Any], today: dt.date) -> dict[str, Any]:
    start = today + dt.timedelta(days=1)
    end = start + dt.timedelta(days=DATE_SPAN_DAYS)
    if _DATE.match(element.get("min", "")):
        start = max(start, dt.date.fromisoformat(element["min"]))
    if _DATE.match(element.get("max", "")):
        end = min(end, dt.date.fromisoformat(element["max"]) + dt.timedelta(days=1))
    return {"date": {"start": start.isoformat(), "end": end.isoformat()}}


def goal_fields(
    actions: list[dict[str, Any]],
    changes: list[dict[str, Any]],
    state: dict[str, dict[str, dict[str, Any]]],
    today: dt.date,
) -> list[GoalField]:
    """The goal fields of a demonstration: its ``actions``, the ``changes`` its writes made,
    the app's ``state`` after it and the day it was recorded (see the module docstring)."""
    rows = _goal_rows(changes)
    fields: list[GoalField] = []
    names: set[str] = set()

    def unique(name: str, i: int) -> str:
        return f"{name}_{i}" if name in names else name

    for i, action in enumerate(actions):
        element = action.get("element") or {}
        if action["kind"] == "click":
            for choice in _clicked(i, element, rows):
                choice = dataclasses.replace(choice, name=unique(choice.name, i))
                names.add(choice.name)
                fields.append(choice)
            continue
        if action["kind"] not in ("fill", "select") or action.get("value") in (None, ""):
            continue
        found = _field(i, action, element, unique(field_name(element), i), rows, state, today)
        if found is not None:
            names.add(found.name)
            fields.append(found)
    fields = _drawn_together(fields, actions, state, today)
    fields.sort(key=lambda f: f.action)
    return _without_shared_prefix(fields)


def _clicked(i: int, element: dict[str, Any], rows: list[dict[str, Any]]) -> list[GoalField]:
    """The choices a click made: data attributes of the element (or a row around it) whose
    values were stored in columns named like them. One element is one choice: of several
    such attributes on it (a fare button's ``data-fare`` and ``data-price``) the one with the
    fewest values across the page is the choice, the others describe it."""
    out: dict[int, tuple[int, GoalField]] = {}
    for item in element.get("keyed", []):
        name = _slug(item["attr"].removeprefix("data-"))
        if not name or name[0].isdigit():
            continue
        stored = _where_stored(item["value"], name, rows, loose=True)
        if stored is None:
            continue
        peers = sorted({str(p) for p in item.get("peers", []) if p} | {item["value"]})
        label = element.get("label", "")
        found = GoalField(
            name, i, item["value"], {"choice": peers}, *stored, None, label, item["attr"]
        )
        depth = item.get("depth", 0)
        if depth not in out or len(peers) < out[depth][0]:
            out[depth] = (len(peers), found)
    return [out[depth][1] for depth in sorted(out, reverse=True)]


def _drawn_together(
    fields: list[GoalField],
    actions: list[dict[str, Any]],
    state: dict[str, dict[str, dict[str, Any]]],
    today: dt.date,
) -> list[GoalField]:
    """Goal values that are together one row of another table, drawn as one of its rows
    (see the module docstring); the typed values found in that row join them."""
    found = _source_row(fields, state)
    if found is None:
        return fields
    table, pk, columns = found
    row = state[table][pk]
    taken = {f.action for f in fields if f.attr is None}
    for i, action in enumerate(actions):
        value = action.get("value")
        if action["kind"] != "fill" or i in taken or value in (None, ""):
            continue
        column = next(
            (c for c, v in row.items() if c not in columns.values() and str(v) == str(value)),
            None,
        )
        if column is None or len(str(value)) <= 2:
            continue
        element = action.get("element") or {}
        name = field_name(element)
        if name in {f.name for f in fields}:
            name = f"{name}_{i}"
        label = element.get("label", "")
        fields.append(GoalField(name, i, str(value), {}, "", "", None, label))
        columns[name] = column
    group = sorted((f for f in fields if f.name in columns), key=lambda f: f.action)
    lead = group[0]
    candidates = _candidate_rows(state[table], list(columns.values()), today)
    out = []
    for f in fields:
        if f.name not in columns:
            out.append(f)
            continue
        if f is lead:
            data = {"row": {"column": columns[f.name], "rows": candidates}}
        else:
            data = {"column": {"field": lead.name, "name": columns[f.name]}}
        where = {"table": table, "column": columns[f.name]}
        out.append(dataclasses.replace(f, data=data, row=where))
    return out


def _source_row(
    fields: list[GoalField], state: dict[str, dict[str, dict[str, Any]]]
) -> tuple[str, str, dict[str, str]] | None:
    """The one row of another table holding two or more of the stored goal values, as
    (table, key, {field name: its column}); ``None`` when there is none or several."""
    stored = [f for f in fields if f.stored and f.join is None]
    tables = {f.table for f in stored}
    best: list[tuple[int, str, str, dict[str, str]]] = []
    for table in sorted(state):
        if table in tables:
            continue
        for pk, row in state[table].items():
            matched: dict[str, str] = {}
            for f in stored:
                column = next(
                    (c for c, v in row.items() if c not in matched.values() and str(v) == f.value),
                    None,
                )
                if column is not None:
                    matched[f.name] = column
            if len(matched) >= 2:
                best.append((len(matched), table, pk, matched))
    if not best:
        return None
    best.sort(key=lambda b: -b[0])
    if len(best) > 1 and best[1][0] == best[0][0]:
        return None  # two rows fit as well: nothing tells which one the task is about
    return best[0][1], best[0][2], best[0][3]


def _candidate_rows(
    rows: dict[str, dict[str, Any]], columns: list[str], today: dt.date
) -> list[dict[str, str]]:
    """The table's rows as the values of ``columns``, without repeats, in a stable order;
    a row with a day not after the recording's is left out (it will have passed)."""
    out = set()
    for row in rows.values():
        values = tuple((c, str(row.get(c))) for c in columns)
        if any(_DATE.match(v) and v <= today.isoformat() for _, v in values):
            continue
        out.add(values)
    return [dict(values) for values in sorted(out)]


def _without_shared_prefix(fields: list[GoalField]) -> list[GoalField]:
    """``field_summary``, ``field_type`` (a form's own naming) become ``summary``, ``type``."""
    if len(fields) < 2:
        return fields
    head = fields[0].name.split("_", 1)[0] + "_"
    if not all(f.name.startswith(head) and len(f.name) > len(head) for f in fields):
        return fields
    short = [f.name.removeprefix(head) for f in fields]
    if len(set(short)) < len(short) or any(n[0].isdigit() for n in short):
        return fields
    return [dataclasses.replace(f, name=n) for f, n in zip(fields, short, strict=True)]


def _field(
    i: int,
    action: dict[str, Any],
    element: dict[str, Any],
    name: str,
    rows: list[dict[str, Any]],
    state: dict[str, dict[str, dict[str, Any]]],
    today: dt.date,
) -> GoalField | None:
    value = str(action["value"])
    label = element.get("label", "")
    if action["kind"] == "select":
        option = str(action.get("option", value))
        choices = [o["label"] for o in action.get("options", []) if o.get("label")]
        data = {"choice": choices or [option]}
        by_label = _where_stored(option, name, rows, loose=len(option) <= 2)
        if by_label is not None:
            return GoalField(name, i, option, data, *by_label, None, label)
        by_value = _where_stored(value, name, rows, loose=len(value) <= 2 or value.isdigit())
        if by_value is None:
            return None
        join = _joined(value, option, state)
        if join is None:  # stored as a code the page never shows: not a field we can vary
            return None
        return GoalField(name, i, option, data, *by_value, join, label)
    stored = _where_stored(value, name, rows, loose=len(value) <= 2)
    if stored is None:
        return None
    if _DATE.match(value) or element.get("type") == "date":
        data = _date_data(element, today)
    else:
        data = _text_data(element)
    return GoalField(name, i, value, data, *stored, None, label)


def typed_fields(fields: list[GoalField]) -> dict[int, GoalField]:
    """The goal fields typed or chosen in a field, by action (clicked choices left out)."""
    return {f.action: f for f in fields if f.attr is None}


def keyed_css(element: dict[str, Any], fields: list[GoalField], index: int) -> str | None:
    """For a click on a choice, the CSS that finds the element by the data attributes that
    hold goal values, as a template (``#results li[data-flight="{flight}"]
    button[data-fare="{fare}"]``); ``None`` when none does."""
    own = {f.attr: f for f in fields if f.action == index and f.attr is not None}
    by_value = {f.value: f for f in fields if len(f.value) > 2}
    parts = []
    depths = []
    for item in sorted(element.get("keyed", []), key=lambda k: -k.get("depth", 0)):
        f = own.get(item["attr"])
        if f is None or f.value != item["value"]:
            f = by_value.get(item["value"])
        if f is None:
            continue
        parts.append(f'{item["tag"]}[{item["attr"]}="{{{f.name}}}"]')
        depths.append(item.get("depth", 0))
    if not parts:
        return None
    if min(depths) > 0:
        parts.append(element.get("tag", "*"))
    scope = element.get("scope", "")
    return " ".join([scope, *parts] if scope else parts)
