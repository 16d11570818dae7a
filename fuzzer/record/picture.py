"""A picture of a workflow graph (``graph.svg``): states as boxes, actions as arrows.

The states of the demonstration stand in one column, in order; the states around a write
that may fail (pending, error, checked) stand to the right of the action that wrote. No
JavaScript and no external files: the SVG opens in any browser.
"""

from __future__ import annotations

from html import escape
from typing import Any

_W, _H, _GAP_X, _GAP_Y = 190, 34, 130, 30
_SIDE = ("_pending", "_error", "_checked")


def _positions(graph: dict[str, Any]) -> dict[str, tuple[float, float]]:
    pos: dict[str, tuple[float, float]] = {}
    row = 0
    for node in graph["nodes"]:
        if not node.endswith(_SIDE):
            pos[node] = (20, 20 + row * (_H + _GAP_Y))
            row += 1
    for edge in graph["edges"]:
        if edge["target"].endswith("_pending") and edge["source"] in pos:
            y = pos[edge["source"]][1]
            base = edge["target"].removesuffix("_pending")
            for k, suffix in enumerate(_SIDE, start=1):
                pos.setdefault(base + suffix, (20 + k * (_W + _GAP_X), y))
    for node in graph["nodes"]:  # anything left: below the rest
        if node not in pos:
            pos[node] = (20, 20 + row * (_H + _GAP_Y))
            row += 1
    return pos


def graph_svg(graph: dict[str, Any]) -> str:
    """The SVG text of ``graph`` (workflow-graph JSON data)."""
    pos = _positions(graph)
    width = max(x for x, _ in pos.values()) + _W + 20
    height = max(y for _, y in pos.values()) + _H + 20
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>'
    ]
    for edge in graph["edges"]:
        (x1, y1), (x2, y2) = pos[edge["source"]], pos[edge["target"]]
        a = (x1 + _W / 2, y1 + _H) if y2 > y1 else (x1 + _W, y1 + _H / 2)
        b = (x2 + _W / 2, y2) if y2 > y1 else (x2, y2 + _H / 2)
        if y2 < y1:  # back to an earlier state: around the right side
            a, b = (x1 + _W, y1 + _H / 2 + 6), (x2 + _W, y2 + _H / 2 + 6)
        colour = "#b33" if ("failed" in edge["action"] or "redo" in edge["action"]) else "#555"
        body.append(
            f'<line x1="{a[0]:.0f}" y1="{a[1]:.0f}" x2="{b[0]:.0f}" y2="{b[1]:.0f}" '
            f'stroke="{colour}" marker-end="url(#arrow)"/>'
        )
        mx, my = (a[0] + b[0]) / 2 + 4, (a[1] + b[1]) / 2 + 4
        if a[1] == b[1]:  # side by side: the name above the arrow, from its start
            mx, my = a[0] + 4, a[1] - 5
        body.append(
            f'<text x="{mx:.0f}" y="{my:.0f}" font-size="10" fill="{colour}">'
            f"{escape(edge['action'])}</text>"
        )
    for node, (x, y) in pos.items():
        fill = "#e8f4e8" if node == graph.get("goal") else "#f4f4f8"
        if node.endswith("_error"):
            fill = "#fbe9e9"
        body.append(
            f"<g><title>{escape(graph['nodes'][node].get('description', ''))}</title>"
            f'<rect x="{x}" y="{y}" width="{_W}" height="{_H}" rx="6" fill="{fill}" '
            f'stroke="#333"/><text x="{x + _W / 2}" y="{y + _H / 2 + 4}" font-size="12" '
            f'text-anchor="middle">{escape(node)}</text></g>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" role="img" '
        f'aria-label="workflow graph {escape(graph.get("name", ""))}">' + "".join(body) + "</svg>\n"
    )
