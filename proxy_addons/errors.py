"""Readable validation errors for plans and fault parameters."""

from __future__ import annotations

from pydantic import ValidationError


def describe(exc: ValidationError, prefix: str = "") -> str:
    """Turn a pydantic error into ``path.to.field: message (got value)`` lines."""
    lines = []
    for err in exc.errors():
        loc = prefix
        for part in err["loc"]:
            loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
        msg = err["msg"]
        if err["type"] not in ("missing", "extra_forbidden"):
            msg += f" (got {err['input']!r})"
        lines.append(f"{loc or '<root>'}: {msg}")
    return "; ".join(lines)
