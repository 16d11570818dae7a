"""Where a script may go in an HTML document: found by a tokenizer, never by a text search.

A page can hold the text ``<head>`` inside a JavaScript string, a comment or an attribute
value, and ``</script>`` inside a string of a script written as ``"<\\/script>"``. A search
for ``<head`` lands in such places and breaks the page. :func:`insertion_point` walks the
document the way the HTML tokenizer does (markup declarations and comments, tags with their
quoted attribute values, and the raw text of ``script``, ``style``, ``title``, ``textarea``
and the like, which ends only at the matching end tag), so the point it returns is always
between two tokens, in the document's data.

The script must run before the page's own scripts, so the point is, first found wins:

1. right after the ``<head>`` start tag, if it comes before any ``<script>`` or ``<body>``;
2. right before the first ``<script>`` or ``<body>`` start tag;
3. right after the ``<html>`` start tag;
4. right after the doctype;
5. the start of the document.

The walk is linear in the document's length.
"""

from __future__ import annotations

import re

#: elements whose content is raw text up to their end tag (scripting on: noscript too)
_RAW_TEXT = frozenset(
    {"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript"}
)
_NAME_END = re.compile(r"[\t\n\f\r />]")
_ATTR_NAME_END = re.compile(r"[\t\n\f\r /=>]")
_UNQUOTED_END = re.compile(r"[\t\n\f\r >]")
_SPACE = " \t\n\f\r"
_END_TAGS = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in _RAW_TEXT}


def _tag_end(text: str, i: int) -> int:
    """Index just after the ``>`` of the tag whose attributes start at ``i`` (-1: none)."""
    n = len(text)
    while i < n:
        c = text[i]
        if c in _SPACE or c == "/":
            i += 1
        elif c == ">":
            return i + 1
        else:
            m = _ATTR_NAME_END.search(text, i + 1)
            if m is None:
                return -1
            i = m.start()
            while i < n and text[i] in _SPACE:
                i += 1
            if i < n and text[i] == "=":
                i += 1
                while i < n and text[i] in _SPACE:
                    i += 1
                if i < n and text[i] in "\"'":
                    close = text.find(text[i], i + 1)
                    if close < 0:
                        return -1
                    i = close + 1
                else:
                    m = _UNQUOTED_END.search(text, i)
                    if m is None:
                        return -1
                    i = m.start()
    return -1


def _markup_end(text: str, i: int) -> int:
    """Index just after a ``<!...>`` or ``<?...>`` starting at ``i`` (-1: unterminated)."""
    if text.startswith("<!--", i):
        for empty in ("<!-->", "<!--->"):
            if text.startswith(empty, i):
                return i + len(empty)
        close = text.find("-->", i + 4)
        return -1 if close < 0 else close + 3
    close = text.find(">", i + 2)
    return -1 if close < 0 else close + 1


def insertion_point(text: str) -> int:
    """The index where a script goes in ``text`` (see the module docstring)."""
    after_html = after_doctype = -1
    i, n = 0, len(text)
    while True:
        i = text.find("<", i)
        if i < 0 or i + 1 >= n:
            break
        nxt = text[i + 1]
        if nxt in "!?":
            end = _markup_end(text, i)
            if end < 0:
                break
            if text[i : i + 9].lower() == "<!doctype":
                after_doctype = end
            i = end
            continue
        closing = nxt == "/"
        start = i + 2 if closing else i + 1
        if start >= n or not text[start].isascii() or not text[start].isalpha():
            i += 1  # a "<" that opens no tag is text
            continue
        m = _NAME_END.search(text, start)
        name_end = m.start() if m else n
        name = text[start:name_end].lower()
        end = _tag_end(text, name_end)
        if end < 0:
            break
        if not closing:
            if name == "head":
                return end
            if name in ("script", "body"):
                return i
            if name == "html" and after_html < 0:
                after_html = end
            if name in _RAW_TEXT:
                close = _END_TAGS[name].search(text, end)
                if close is None:
                    break
                end = close.start()
            elif name == "plaintext":
                break  # the rest of the document is text
        i = end
    if after_html >= 0:
        return after_html
    return max(after_doctype, 0)
