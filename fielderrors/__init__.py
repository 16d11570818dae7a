"""One wording for every validation error gymfuzz reports: ``path.to.field: problem``.

Every file gymfuzz reads (plans, fault and perturbation parameters, scenarios, workflow
graphs, verifier specs, packs, target files) is checked by a pydantic model; this module
turns the model's errors into lines that name the field and the value at fault, the same
way everywhere::

    faults[1].params.ms: 90000 is greater than 60000
    required[0].op: 'added_twice' is not one of 'added', 'updated' or 'removed'
    required[0].tabel: unknown field (did you mean 'table'?)
    name: required field is missing

It depends on pydantic alone, so that the proxy addons and the page scripts, which import
nothing else of the project, can use it too.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import ValidationError

__all__ = ["KnownFields", "describe", "field_path", "problem", "problems", "show"]

#: The field names allowed at a location (for "did you mean"), or ``None`` when unknown.
KnownFields = Callable[[tuple[int | str, ...]], Sequence[str] | None]

_TYPE_NAMES = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "string_type": "a string",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "a list",
    "tuple_type": "a list",
    "none_required": "null",
    "invalid-json-value": "a JSON value",
}


def show(value: object) -> str:
    """``repr(value)``, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_path(loc: Iterable[int | str]) -> str:
    """A location as ``a.b[1].c``.

    >>> field_path(("faults", 1, "params", "ms"))
    'faults[1].params.ms'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problem(error: Any, known: Sequence[str] | None = None) -> str:
    """The problem of one pydantic error (an item of ``exc.errors()``), without its path.

    ``known``: the field names allowed where the error is, to suggest one for an unknown.
    """
    kind, value = error["type"], error.get("input")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    shown = show(value)
    match kind:
        case "missing":
            return "required field is missing"
        case "extra_forbidden":
            name = str(error["loc"][-1]) if error.get("loc") else ""
            guess = difflib.get_close_matches(name, list(known or ()), n=1)
            if guess:
                return f"unknown field (did you mean {guess[0]!r}?)"
            if known:
                return f"unknown field (got {shown}); expected one of {', '.join(known)}"
            return f"unknown field (got {shown})"
        case "literal_error":
            return f"{shown} is not one of {ctx['expected']}"
        case "value_error" | "assertion_error":
            return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
        case "less_than_equal":
            return f"{shown} is greater than {ctx['le']}"
        case "less_than":
            return f"{shown} is not less than {ctx['lt']}"
        case "greater_than_equal":
            return f"{shown} is less than {ctx['ge']}"
        case "greater_than":
            return f"{shown} is not greater than {ctx['gt']}"
        case "string_too_short":
            return f"{shown} is shorter than {ctx['min_length']} character(s)"
        case "string_too_long":
            return f"{shown} is longer than {ctx['max_length']} character(s)"
        case "too_short":
            return f"{shown} has fewer than {ctx['min_length']} item(s)"
        case "too_long":
            return f"{shown} has more than {ctx['max_length']} item(s)"
        case _ if kind in _TYPE_NAMES:
            return f"{shown} is not {_TYPE_NAMES[kind]}"
        case _:
            return f"{shown}: {error['msg']}"


def problems(
    exc: ValidationError, prefix: Sequence[int | str] = (), known: KnownFields | None = None
) -> list[tuple[tuple[int | str, ...], str]]:
    """Every error of ``exc`` as ``(location, problem)``, the location under ``prefix``."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        hint = known(loc[:-1]) if known is not None and loc else None
        out.append(((*prefix, *loc), problem(error, hint)))
    return out


def describe(
    exc: ValidationError, prefix: str | Sequence[int | str] = (), known: KnownFields | None = None
) -> str:
    """Every error of ``exc`` as ``path: problem``, joined by ``; `` (module docstring).

    ``prefix``: where the validated value sits, as a location or a path (``faults[2]``).
    """
    parts = []
    for loc, text in problems(exc, () if isinstance(prefix, str) else prefix, known):
        path = field_path(loc)
        if isinstance(prefix, str) and prefix:
            if text.startswith(prefix):  # a nested check already named the field
                parts.append(text)
                continue
            path = prefix + (path if not path or path.startswith("[") else "." + path)
        parts.append(f"{path}: {text}" if path else text)
    return "; ".join(parts)
