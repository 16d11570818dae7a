"""Change element ids, classes and test hooks per render, as frameworks that generate them do.

What it does to the page: when the trigger fires (``repeat`` for every interaction), each
element in the target subtrees gets a fresh seeded suffix on its original id (``ids``), on
each of its original class names (``classes``) and on the value of each ``data-*`` hook
attribute named in ``hooks`` (``data-testid="book"`` becomes ``data-testid="book-x3k9"``).
Selectors recorded before stop matching; roles, accessible names, text and listeners stay.
Without ``lookups``, choose targets whose ids the app's own scripts do not look up, and
leave ``classes`` off where the app's CSS styles the target by class. With ``lookups`` the
app's own scripts keep finding what was renamed: in the page's script world,
``getElementById``, ``querySelector``, ``querySelectorAll``, ``matches`` and ``closest``
also match the churned names of the original ones they are given (and elements the app
creates later under original names), and ``el.id`` and ``classList.contains`` answer with
the original names; selectors evaluated elsewhere (an agent's Playwright locators, a
recorded script's CSS, the attributes themselves) see only the new names.

As the **identity transform** (trigger ``load``, no ``repeat``) it renames once per
scenario: the suffix comes from the scenario's seed, so selectors learned on one seed's
page fail on another's, and the same seed gives the same names.

What a careful agent does: locate elements by role, label and text, not by ids or classes,
and locate them again before each action.

Params:
    ids: churn ids, default ``true``.
    classes: churn class names, default ``false``.
    hooks: ``data-*`` attribute names whose values are churned (up to 10, e.g.
        ``["data-testid", "data-qa"]``), default none.
    lookups: keep the app's own lookups of renamed names working, default ``false``.

Events: ``fired`` (detail: ``suffix``, ``changed`` = attributes rewritten, ``ids``,
``classes``, ``hooks``, ``lookups``).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

KIND = "identity_churn"
DRILLS = ("calendar", "dropdown")
JS_FILE = "identity_churn.js"

_HOOK_RE = re.compile(r"data-[a-z0-9]+(?:[-_][a-z0-9]+)*")


class IdentityChurnParams(BaseModel):
    """Parameters of ``identity_churn``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    ids: bool = True
    classes: bool = False
    hooks: tuple[str, ...] = Field(default=(), max_length=10, strict=False)
    lookups: bool = False

    @field_validator("hooks")
    @classmethod
    def _data_attributes(cls, hooks: tuple[str, ...]) -> tuple[str, ...]:
        for name in hooks:
            if not _HOOK_RE.fullmatch(name):
                raise ValueError(f"{name!r} is not a data-* attribute name")
        return hooks


PARAMS_MODEL = IdentityChurnParams
