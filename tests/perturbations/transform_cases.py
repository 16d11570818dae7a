"""The transform cases every transform test plays: one per transform kind and variant.

A case names its kind, params and the part of a page it acts on: ``"page"`` (the whole
document), ``"form"`` (the page's main form) or ``"group"`` (siblings that carry no meaning:
navigation links, cards). Each test page maps those parts to its own selectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .conftest import instance

Part = Literal["page", "form", "group"]


@dataclass(frozen=True)
class TransformCase:
    """One transform variant, as a test plays it."""

    name: str
    kind: str
    params: dict[str, object]
    part: Part = "page"
    seeded: bool = False  # another seed gives another page
    ids: bool = field(default=False)  # renames ids: the app must keep finding its elements

    def envelope(self, parts: dict[str, str]) -> dict[str, object]:
        """The page envelope of this case on a page whose parts are ``parts``."""
        selector = parts[self.part]
        # Triggers wait for their target to exist: a client-rendered page fills in late.
        trigger = {"event": "appear", "selector": selector}
        return instance(self.kind, selector, trigger, self.params, id=self.name)


CASES: tuple[TransformCase, ...] = (
    TransformCase("theme-dark", "theme", {"variant": "dark"}),
    TransformCase("theme-high-contrast", "theme", {"variant": "high_contrast"}),
    TransformCase(
        "theme-font",
        "theme",
        {"variant": "font", "font_family": "'Courier New', monospace", "font_scale": 1.3},
    ),
    TransformCase("theme-reduced-motion", "theme", {"variant": "reduced_motion"}),
    TransformCase("layout-zoom", "layout", {"variant": "zoom", "scale": 1.25}),
    TransformCase("layout-phone", "layout", {"variant": "viewport", "width_class": "phone"}),
    TransformCase("layout-wide", "layout", {"variant": "viewport", "width_class": "wide"}),
    TransformCase("layout-one-column", "layout", {"variant": "one_column"}, "form"),
    TransformCase("layout-two-column", "layout", {"variant": "two_column"}, "form"),
    TransformCase("layout-reorder", "layout", {"variant": "reorder"}, "group", seeded=True),
    TransformCase("layout-sticky-header", "layout", {"variant": "sticky_header"}),
    TransformCase("content-long-text", "content", {"variant": "long_text"}, seeded=True),
    TransformCase("content-locale", "content", {"variant": "locale", "locale": "de-DE"}),
    TransformCase(
        "content-distractors", "content", {"variant": "distractors", "count": 3}, seeded=True
    ),
    TransformCase(
        "identity",
        "identity_churn",
        {"ids": True, "classes": True, "hooks": ["data-testid"], "lookups": True},
        "form",
        seeded=True,
        ids=True,
    ),
)

CASE_IDS = [c.name for c in CASES]
