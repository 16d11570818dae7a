"""Show a skeleton placeholder first, and populate the real content later.

What it does to the page: when the trigger fires (typically ``load``), every target is taken
out of view (``display: none``) and a grey placeholder of about its size
(``div[data-gymfuzz=skeleton]``, ``aria-busy=true``) stands in its place for
``duration_ms``; then the content comes back and the placeholder goes (the layout shifts).
An agent that acts on what it sees first finds nothing to act on.

What a careful agent does: wait for the content it needs to be visible (and for
``aria-busy`` placeholders to go) before acting.

Params:
    duration_ms: how long the placeholder stays, 0 to 600000 ms, default 1500.

Events: ``fired`` (detail: ``elements``, ``duration_ms``), ``populated`` (``elements``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

KIND = "skeleton"
DRILLS = ("endurance",)
JS_FILE = "skeleton.js"


class SkeletonParams(BaseModel):
    """Parameters of ``skeleton``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    duration_ms: int = Field(default=1500, ge=0, le=600_000)


PARAMS_MODEL = SkeletonParams
