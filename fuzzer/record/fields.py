"""Goal fields: which typed or chosen values of a demonstration the task is about.

A value the demonstration typed (``fill``) or chose (``select``) is a **goal field** when it
is found in the rows the demonstration's writes changed: the title typed into a form and
stored in the new row's ``title`` column, the slot chosen and stored in ``slot``, the
calendar chosen by name and stored as the key of a ``calendar`` row (``calendar_id``). A
value found nowhere in the changes (a login's user name and password) stays a constant of
the replay.

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
    """

    name: str
    action: int
    value: str
    data: dict[str, Any]
    table: str
    column: str
    join: dict[str, str] | None
    label: str


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
    for i, action in enumerate(actions):
        element = action.get("element") or {}
        if action["kind"] not in ("fill", "select") or action.get("value") in (None, ""):
            continue
        name = field_name(element)
        if name in names:
            name = f"{name}_{i}"
        found = _field(i, action, element, name, rows, state, today)
        if found is not None:
            names.add(found.name)
            fields.append(found)
    return _without_shared_prefix(fields)


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
