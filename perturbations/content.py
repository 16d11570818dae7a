"""Transform: change what the page says, not what it does (long text, locale, distractions).

What it does to the page: when the trigger fires (usually ``load`` or ``appear`` of the
target), in the target subtrees, according to ``variant``:

* ``"long_text"``: labels and values run long: the text of labels, legends, headings, table
  and list cells, links and buttons gets seeded filler words appended (its own words stay
  first, so a name still contains what it contained);
* ``"locale"``: dates and numbers in displayed text are written as ``locale`` writes them
  (``2026-12-02``, ``12/02/2026`` and ``December 2, 2026`` become ``2.12.2026`` in
  ``de-DE``; ``1,234.5`` becomes ``1.234,5``); form values and attributes stay as the app
  reads them;
* ``"distractors"``: ``count`` harmless blocks (a tip, a related-links list, a promotion with
  a button that does nothing) are inserted at seeded places among the target's children.

Text the app renders later is transformed too (a MutationObserver that stays on the target
subtrees while the page lives), so a client-rendered page gets the same treatment as
server-rendered HTML. Scripts, styles, form fields and gymfuzz's own nodes are left alone.

What a careful agent does: match names by their meaning (contains, not equals), read dates
and numbers in the page's own format, and ignore content that is not part of its task.

Params:
    variant: ``"long_text"`` (default), ``"locale"`` or ``"distractors"``.
    words: filler words appended by ``"long_text"``, 1 to 20, default 6.
    locale: the locale of ``"locale"``: ``"de-DE"`` (default), ``"fr-FR"``, ``"en-GB"``,
        ``"ja-JP"`` or ``"hi-IN"``.
    count: blocks inserted by ``"distractors"``, 1 to 10, default 3.

Events: ``fired`` (detail: ``variant``, ``changed`` = text nodes rewritten or blocks
inserted, ``locale``), then ``updated`` (detail: ``changed``) when later content is
transformed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KIND = "content"
FAMILY = "transform"
DRILLS = ("calendar", "dropdown", "endurance")
JS_FILE = "content.js"


class ContentParams(BaseModel):
    """Parameters of ``content``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    variant: Literal["long_text", "locale", "distractors"] = "long_text"
    words: int = Field(default=6, ge=1, le=20)
    locale: Literal["de-DE", "fr-FR", "en-GB", "ja-JP", "hi-IN"] = "de-DE"
    count: int = Field(default=3, ge=1, le=10)


PARAMS_MODEL = ContentParams
