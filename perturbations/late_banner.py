"""Insert a banner late, in the page flow: everything below it shifts down.

What it does to the page: when the trigger fires (typically ``delay_ms`` after load or after
an agent event), a banner (``div[data-gymfuzz=late_banner]``, ``role=region`` named
"Announcement") ``height_px`` tall is inserted at the top of the body, or just before the
first target. Elements below it move down by its height: a click aimed at coordinates
measured before the shift hits something else.

What a careful agent does: locate elements again right before acting instead of reusing
coordinates, and check the effect of each click; the banner's button removes it.

Params:
    text: banner text (up to 500 characters), default ``"We have updated our terms."``.
    height_px: banner height, 10 to 1000 px, default 120.
    position: ``"top"`` (default, first child of the body) or ``"before_target"``.
    close_label: the banner's dismiss button text, default ``"Dismiss"``.

Events: ``fired`` (detail: ``height_px``, ``position``), ``dismissed`` when closed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KIND = "late_banner"
DRILLS = ("calendar", "endurance")
JS_FILE = "late_banner.js"


class LateBannerParams(BaseModel):
    """Parameters of ``late_banner``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    text: str = Field(default="We have updated our terms.", max_length=500)
    height_px: int = Field(default=120, ge=10, le=1000)
    position: Literal["top", "before_target"] = "top"
    close_label: str = Field(default="Dismiss", min_length=1, max_length=50)


PARAMS_MODEL = LateBannerParams
