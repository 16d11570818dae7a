"""Small inline-SVG charts (no JavaScript, no external files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(label)}" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}">' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, s: str, anchor: str = "start", cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{c}>{escape(s)}</text>'


def rate_colour(rate: float) -> str:
    """Red (0) through amber to green (1)."""
    r = round(220 * (1 - rate) + 40 * rate)
    g = round(60 * (1 - rate) + 170 * rate)
    return f"rgb({r},{g},70)"


def heatmap(
    rows: Sequence[str],
    cols: Sequence[str],
    cells: dict[tuple[str, str], tuple[int, int]],
    label: str,
) -> str:
    """Rows x columns of ``(passed, n)`` cells coloured by success rate."""
    cw, ch, left, top = 110, 34, 170, 40
    body = [
        _text(left + i * cw + cw / 2, top - 12, c, "middle", "axis") for i, c in enumerate(cols)
    ]
    for j, row in enumerate(rows):
        y = top + j * ch
        body.append(_text(left - 8, y + ch / 2 + 4, row, "end", "axis"))
        for i, col in enumerate(cols):
            x = left + i * cw
            cell = cells.get((row, col))
            if cell is None or cell[1] == 0:
                body.append(
                    f'<rect class="cell empty" x="{x}" y="{y}" width="{cw - 2}" '
                    f'height="{ch - 2}" fill="#eee"/>'
                )
                continue
            p, n = cell
            body.append(
                f'<rect class="cell" x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" '
                f'fill="{rate_colour(p / n)}"><title>{escape(row)} / {escape(col)}: '
                f"{p}/{n} passed</title></rect>"
            )
            body.append(_text(x + cw / 2, y + ch / 2 + 4, f"{p}/{n}", "middle", "cell-label"))
    return _svg(left + len(cols) * cw + 10, top + len(rows) * ch + 10, body, label)


def lines(series: Mapping[str, Sequence[float]], label: str, x_label: str = "k") -> str:
    """Line chart of values in ``[0, 1]`` against 1..len(values)."""
    w, h, left, top, bottom = 520, 240, 50, 15, 40
    n = max((len(v) for v in series.values()), default=1)
    pw, ph = w - left - 160, h - top - bottom

    def pt(i: int, v: float) -> tuple[float, float]:
        x = left + (pw * i / max(1, n - 1) if n > 1 else pw / 2)
        return x, top + ph * (1 - v)

    body = [
        f'<line class="axis-line" x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}"/>',
        f'<line class="axis-line" x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}"/>',
    ]
    for tick in (0.0, 0.5, 1.0):
        body.append(_text(left - 6, top + ph * (1 - tick) + 4, f"{tick:.1f}", "end", "axis"))
    for i in range(n):
        body.append(_text(pt(i, 0)[0], top + ph + 16, str(i + 1), "middle", "axis"))
    body.append(_text(left + pw / 2, h - 6, x_label, "middle", "axis"))
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    for s, (name, values) in enumerate(sorted(series.items())):
        colour = palette[s % len(palette)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (pt(i, v) for i, v in enumerate(values)))
        body.append(
            f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{points}"/>'
        )
        for i, v in enumerate(values):
            x, y = pt(i, v)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} k={i + 1}: {v:.3f}</title></circle>"
            )
        ly = top + 14 + 18 * s
        body.append(
            f'<rect x="{left + pw + 20}" y="{ly - 9}" width="12" height="4" fill="{colour}"/>'
        )
        body.append(_text(left + pw + 38, ly - 3, name, "start", "legend"))
    return _svg(w, h, body, label)


def bars(
    rows: Sequence[tuple[str, float, tuple[float, float], float, tuple[float, float]]], label: str
) -> str:
    """Paired horizontal bars (with, without) with interval whiskers, values in ``[0, 1]``."""
    left, top, bw, row_h = 170, 24, 300, 40
    body = [
        _text(
            left, 14, "failure rate with the kind fired (dark) / without (light)", "start", "axis"
        )
    ]
    for j, (name, a, (alo, ahi), b, (blo, bhi)) in enumerate(rows):
        y = top + j * row_h
        body.append(_text(left - 8, y + 16, name, "end", "axis"))
        for k, (v, lo, hi, cls) in enumerate(((a, alo, ahi, "with"), (b, blo, bhi, "without"))):
            yy = y + k * 14
            body.append(
                f'<rect class="bar {cls}" x="{left}" y="{yy}" width="{bw * v:.1f}" '
                f'height="12"><title>{escape(name)} {cls}: {v:.2f} '
                f"[{lo:.2f}, {hi:.2f}]</title></rect>"
            )
            body.append(
                f'<line class="whisker" x1="{left + bw * lo:.1f}" y1="{yy + 6}" '
                f'x2="{left + bw * hi:.1f}" y2="{yy + 6}"/>'
            )
            body.append(_text(left + bw + 8, yy + 10, f"{v:.2f}", "start", "axis"))
    return _svg(left + bw + 60, top + len(rows) * row_h + 6, body, label)


def timeline(
    spans: Sequence[tuple[float, float, str, str]],
    marks: Sequence[tuple[float, str, str]],
    label: str,
) -> str:
    """Requests as bars ``(start_ms, end_ms, text, cls)`` and events as ticks ``(t, text, cls)``."""
    end = max([s[1] for s in spans] + [m[0] for m in marks] + [1.0])
    w, left, row_h = 760, 10, 14
    scale = (w - 2 * left) / end
    body = []
    for j, (t0, t1, text, cls) in enumerate(spans):
        y = 8 + j * row_h
        width = max(2.0, (t1 - t0) * scale)
        body.append(
            f'<rect class="span {cls}" x="{left + t0 * scale:.1f}" y="{y}" '
            f'width="{width:.1f}" height="{row_h - 3}"><title>{escape(text)} '
            f"({t1 - t0:.0f} ms)</title></rect>"
        )
    h = 16 + len(spans) * row_h + 26
    for t, text, cls in marks:
        x = left + t * scale
        body.append(
            f'<line class="mark {cls}" x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{h - 22}">'
            f"<title>{escape(text)} @ {t:.0f} ms</title></line>"
        )
    body.append(_text(left, h - 6, "0 ms", "start", "axis"))
    body.append(_text(w - left, h - 6, f"{end:.0f} ms", "end", "axis"))
    return _svg(w, h, body, label)
