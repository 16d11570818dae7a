"""Place a lookalike control next to the real one; the lookalike does nothing.

What it does to the page: when the trigger fires, a deep copy of each target is inserted
just before it (``position="before"``, so it comes first in the page and in locator
results) or after it. The copy looks and reads the same (same role, name and text) but its
ids, names and inline handlers are removed and every click, key press and submit on it is
swallowed (``data-gymfuzz=decoy``). A strict locator now matches two elements; clicking the
first does nothing.

What a careful agent does: check that an action had its effect, and when it did not, try
the other matching control; never assume the first match is the live one.

Params:
    position: ``"before"`` (default) or ``"after"`` the real element.

Events: ``fired`` (detail: ``decoys``, ``position``), ``decoy_used`` per click on a decoy
(``index``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

KIND = "decoy"
DRILLS = ("calendar", "dropdown", "endurance")
JS_FILE = "decoy.js"


class DecoyParams(BaseModel):
    """Parameters of ``decoy``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    position: Literal["before", "after"] = "before"


PARAMS_MODEL = DecoyParams
