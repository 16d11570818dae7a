"""The page's accessibility tree as text, with BrowserGym's element ids.

Every element of the page gets a ``bid`` attribute (``mark_bids.js``); Chromium's own
accessibility tree (CDP ``Accessibility.getFullAXTree``) is then printed one node a line,
indented by depth, with the ``bid`` of the DOM element behind each node::

    RootWebArea 'Preferences'
      [14] heading 'Travel preferences'
      [21] combobox 'Seat' value='window'
      [30] button 'Meal: standard' expanded=False
        StaticText 'Meal: standard'

Nodes the browser marks as ignored, and nameless generic containers, are left out (their
children move up one level). The ``bid`` of a line is what ``click("21")`` and the other
actions take.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import CDPSession, Page

_MARK_JS = resources.files("fuzzer.serve").joinpath("mark_bids.js").read_text(encoding="utf-8")

#: Roles printed only when they carry a name (layout containers otherwise).
_QUIET_ROLES = frozenset({"generic", "none", "presentation", "LineBreak"})
#: Roles never printed (their text is already their parent's StaticText).
_HIDDEN_ROLES = frozenset({"InlineTextBox"})
#: Node properties worth a reader's attention, printed as ``key=value`` after the name.
_SHOWN_PROPERTIES = (
    "checked",
    "selected",
    "expanded",
    "disabled",
    "required",
    "focused",
    "pressed",
    "busy",
)
#: Roles whose value is printed (what is typed or chosen in them).
_VALUE_ROLES = frozenset({"textbox", "combobox", "searchbox", "spinbutton", "slider", "listbox"})


async def mark_elements(page: Page) -> None:
    """Give every element of ``page``'s main frame a ``bid`` attribute."""
    await page.evaluate(_MARK_JS)


async def bids_by_backend_node(cdp: CDPSession) -> dict[int, str]:
    """Each DOM node's ``bid``, keyed by Chromium's backend node id."""
    snap = await cdp.send("DOMSnapshot.captureSnapshot", {"computedStyles": []})
    strings: list[str] = snap["strings"]
    out: dict[int, str] = {}
    for doc in snap["documents"]:
        nodes = doc["nodes"]
        for backend_id, attrs in zip(nodes["backendNodeId"], nodes["attributes"], strict=False):
            for i in range(0, len(attrs) - 1, 2):
                if strings[attrs[i]] == "bid":
                    out[backend_id] = strings[attrs[i + 1]]
                    break
    return out


async def accessibility_text(page: Page, cdp: CDPSession) -> str:
    """Mark the page's elements, then its accessibility tree as text (module docstring)."""
    await mark_elements(page)
    bids = await bids_by_backend_node(cdp)
    tree = await cdp.send("Accessibility.getFullAXTree")
    return "\n".join(format_tree(tree["nodes"], bids))


def format_tree(nodes: list[dict[str, Any]], bids: dict[int, str]) -> Iterator[str]:
    """The lines of an accessibility tree (CDP ``AXNode`` dicts) with ``bids`` (see module)."""
    by_id = {n["nodeId"]: n for n in nodes}
    roots = [n for n in nodes if not n.get("parentId") or n["parentId"] not in by_id]
    stack: list[tuple[dict[str, Any], int]] = [(r, 0) for r in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        line = _line(node, bids)
        child_depth = depth
        if line is not None:
            yield "  " * depth + line
            child_depth = depth + 1
        for child_id in reversed(node.get("childIds", [])):
            if child_id in by_id:
                stack.append((by_id[child_id], child_depth))


def _value(node: dict[str, Any], key: str) -> Any:
    entry = node.get(key)
    return entry.get("value") if isinstance(entry, dict) else None


def _line(node: dict[str, Any], bids: dict[int, str]) -> str | None:
    if node.get("ignored"):
        return None
    role = str(_value(node, "role") or "")
    name = str(_value(node, "name") or "").strip()
    if not role or role in _HIDDEN_ROLES or (role in _QUIET_ROLES and not name):
        return None
    if role == "StaticText" and not name:
        return None
    parts = [role]
    bid = bids.get(node.get("backendDOMNodeId", -1))
    if bid is not None and role != "StaticText":
        parts.insert(0, f"[{bid}]")
    parts.append(repr(name) if name or role != "StaticText" else "''")
    value = _value(node, "value")
    if role in _VALUE_ROLES and value not in (None, ""):
        parts.append(f"value={str(value)!r}")
    for prop in node.get("properties", []):
        key = prop.get("name")
        val = prop.get("value", {}).get("value")
        if key in _SHOWN_PROPERTIES and val not in (None, False, "false"):
            parts.append(f"{key}={val}")
    return " ".join(parts)


@dataclass(frozen=True)
class AxLine:
    """One line of the text tree, read back: depth, ``bid`` (or None), role, name, rest."""

    depth: int
    bid: str | None
    role: str
    name: str
    props: dict[str, str]


_QUOTED = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_LINE = re.compile(
    rf"^(?P<indent> *)(?:\[(?P<bid>[^\]]+)\] )?(?P<role>\S+) (?P<name>{_QUOTED})(?P<rest>.*)$"
)
_PROP = re.compile(rf"(\w+)=({_QUOTED}|\S+)")


def read_tree(text: str) -> list[AxLine]:
    """Read the lines of :func:`accessibility_text` back, for scripted policies.

    >>> line = read_tree("  [23] combobox 'Seat' value='Middle' focused=True")[0]
    >>> line.depth, line.bid, line.role, line.name, line.props
    (1, '23', 'combobox', 'Seat', {'value': 'Middle', 'focused': 'True'})
    """
    out: list[AxLine] = []
    for raw in text.splitlines():
        m = _LINE.match(raw)
        if m is None:
            continue
        props = {k: _unquote(v) for k, v in _PROP.findall(m["rest"])}
        out.append(AxLine(len(m["indent"]) // 2, m["bid"], m["role"], _unquote(m["name"]), props))
    return out


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value[1:-1]
        return str(parsed)
    return value
