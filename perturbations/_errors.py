"""Turn pydantic validation errors into one-line messages that name the field and the value."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

_TYPE_NAMES = {
    "int_type": "an integer",
    "float_type": "a number",
    "string_type": "a string",
    "bool_type": "a boolean",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "a list",
    "tuple_type": "a list",
    "none_required": "null",
}


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_path(loc: Sequence[int | str]) -> str:
    """Render a location tuple as ``a.b[1].c``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _problem(err_type: str, value: object, ctx: dict[str, object], msg: str) -> str:
    shown = _show(value)
    match err_type:
        case "missing":
            return "required field is missing"
        case "extra_forbidden":
            return f"unknown field (got {shown})"
        case "less_than_equal":
            return f"{shown} is greater than {ctx['le']}"
        case "less_than":
            return f"{shown} is not less than {ctx['lt']}"
        case "greater_than_equal":
            return f"{shown} is less than {ctx['ge']}"
        case "greater_than":
            return f"{shown} is not greater than {ctx['gt']}"
        case "literal_error":
            return f"{shown} is not one of {ctx['expected']}"
        case "string_too_short":
            return f"{shown} is shorter than {ctx['min_length']} character(s)"
        case "string_too_long":
            return f"{shown} is longer than {ctx['max_length']} character(s)"
        case _ if err_type in _TYPE_NAMES:
            return f"{shown} is not {_TYPE_NAMES[err_type]}"
        case _:
            return f"{shown}: {msg}"


def describe(exc: ValidationError, prefix: Sequence[int | str] = ()) -> str:
    """All errors of ``exc``, each as ``path: problem``, joined by ``; ``."""
    parts = []
    for err in exc.errors(include_url=False):
        ctx: dict[str, object] = dict(err.get("ctx") or {})
        where = field_path([*prefix, *err["loc"]])
        parts.append(f"{where}: {_problem(err['type'], err.get('input'), ctx, err['msg'])}")
    return "; ".join(parts)
