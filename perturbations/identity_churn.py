"""Change element ids and classes per render, as frameworks that generate them do.

What it does to the page: when the trigger fires (``repeat`` for every interaction), each
element in the target subtrees gets a fresh seeded suffix on its original id (``ids``) and
on each of its original class names (``classes``). Selectors recorded before stop matching;
roles, accessible names, text and listeners stay. Choose targets whose ids the app's own
scripts do not look up, and leave ``classes`` off where the app's CSS styles the target by
class.

What a careful agent does: locate elements by role, label and text, not by ids or classes,
and locate them again before each action.

Params:
    ids: churn ids, default ``true``.
    classes: churn class names, default ``false``.

Events: ``fired`` (detail: ``suffix``, ``changed`` = attributes rewritten, ``ids``,
``classes``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

KIND = "identity_churn"
DRILLS = ("calendar", "dropdown")
JS_FILE = "identity_churn.js"


class IdentityChurnParams(BaseModel):
    """Parameters of ``identity_churn``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    ids: bool = True
    classes: bool = False


PARAMS_MODEL = IdentityChurnParams
