"""A chart laid out once as simple shapes (rectangles, lines, text), for any painter.

``layout(chart, width, height, text_width)`` places the axis, the bars or lines, the value labels,
the category labels and the legend in a box (points, y pointing down, origin top left). The PDF
turns the shapes into reportlab.graphics vectors (``core.reports.pdf_charts``), the screens paint
them with QPainter (``gui.chart_view``): both show the same chart from the same ``ChartData``.
``text_width(text, size)`` measures text in the painter's font.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.reports.charts import ChartData, nice_scale

__all__ = ["Dot", "Line", "PolyLine", "Rect", "Shape", "Text", "layout"]

AXIS = "#424242"
GRID = "#e0e0e0"
INK = "#212121"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str = AXIS
    width: float = 0.6


@dataclass(frozen=True)
class PolyLine:
    points: tuple[tuple[float, float], ...]
    color: str
    width: float = 1.6


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float
    anchor: str = "start"  # start | middle | end
    color: str = INK
    bold: bool = False


Shape = Rect | Line | PolyLine | Dot | Text
TextWidth = Callable[[str, float], float]


def _wrap(text: str, size: float, width: float, measure: TextWidth, max_lines: int = 2) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        trial = f"{cur} {w}".strip()
        if cur and measure(trial, size) > width:
            lines.append(cur)
            cur = w
        else:
            cur = trial
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;") + "…"
    return lines


def _legend(chart: ChartData, x0: float, width: float, y: float, size: float, measure: TextWidth
            ) -> tuple[list[Shape], float]:
    """Swatches and names, wrapped over as many lines as needed; returns the shapes and the height used."""
    shapes: list[Shape] = []
    x, line_h, rows = x0, size + 6, 1
    for s in chart.series:
        w = 12 + measure(s.name, size) + 14
        if x > x0 and x + w > x0 + width:
            x, rows = x0, rows + 1
        top = y + (rows - 1) * line_h
        if chart.kind == "line":
            shapes.append(Line(x, top + size / 2, x + 9, top + size / 2, s.color, 2))
        else:
            shapes.append(Rect(x, top + 1, 9, size - 1, s.color))
        shapes.append(Text(x + 12, top + size - 1, s.name, size))
        x += w
    return shapes, rows * line_h


def layout(chart: ChartData, width: float, height: float, measure: TextWidth, *, title: bool = False,
           size: float = 8.0, legend: bool = True) -> list[Shape]:
    """The shapes of ``chart`` in a ``width`` × ``height`` box; the title on top when ``title``, the legend
    under the plot when ``legend`` (a small trend line beside a value goes without)."""
    shapes: list[Shape] = []
    top = 4.0
    if title:
        for line in _wrap(chart.title, size + 2, width - 8, measure, 2):
            top += size + 4
            shapes.append(Text(width / 2, top, line, size + 2, "middle", bold=True))
        top += 6
    if chart.empty:
        shapes.append(Text(width / 2, (top + height) / 2, "Chưa có số liệu để vẽ biểu đồ.", size + 1, "middle"))
        return shapes
    # the legend at the bottom; measure it first to know how much room the plot has
    keys, legend_h = _legend(chart, 8, width - 16, 0, size, measure) if legend else ([], 0.0)
    legend_top = height - legend_h - 2
    shapes += [_moved(s, legend_top) for s in keys]
    axis_top, step = nice_scale(chart.top(), chart.percent, 8 if height >= 200 else 3)
    ticks = round(axis_top / step)
    tick_labels = [chart.value_text(axis_top * i / ticks) for i in range(ticks + 1)]
    left = 8 + max(measure(t, size) for t in tick_labels) + 4
    right = width - 10
    cat_label_h = 2 * (size + 2) + 4
    plot_top = top + size + 6  # room for the labels above the tallest bar
    plot_bottom = legend_top - cat_label_h - 4
    if plot_bottom - plot_top < 30 or right - left < 30:
        return shapes
    span = plot_bottom - plot_top

    def y_of(v: float) -> float:
        return plot_bottom - span * min(v, axis_top) / axis_top

    for i in range(ticks + 1):
        y = y_of(axis_top * i / ticks)
        shapes.append(Line(left, y, right, y, GRID if i else AXIS, 0.5 if i else 0.8))
        shapes.append(Text(left - 4, y + size / 3, tick_labels[i], size, "end"))
    if chart.value_label:
        shapes.append(Text(left, plot_top - size - 2 if plot_top - size - 2 > top else plot_top - 2,
                           f"({chart.value_label})", size, "start", AXIS))
    n = len(chart.categories)
    slot = (right - left) / n
    for i, cat in enumerate(chart.categories):
        cx = left + slot * (i + 0.5)
        for j, line in enumerate(_wrap(cat, size, slot - 2, measure, 2)):
            shapes.append(Text(cx, plot_bottom + (j + 1) * (size + 2) + 2, line, size, "middle"))
    if chart.kind == "line":
        shapes += _lines(chart, left, slot, y_of, size)
    else:
        shapes += _bars(chart, left, slot, y_of, size)
    return shapes


def _moved(s: Shape, dy: float) -> Shape:
    if isinstance(s, Rect):
        return Rect(s.x, s.y + dy, s.w, s.h, s.fill)
    if isinstance(s, Line):
        return Line(s.x1, s.y1 + dy, s.x2, s.y2 + dy, s.color, s.width)
    if isinstance(s, Text):
        return Text(s.x, s.y + dy, s.text, s.size, s.anchor, s.color, s.bold)
    return s


def _bars(chart: ChartData, left: float, slot: float, y_of: Callable[[float], float], size: float) -> list[Shape]:
    out: list[Shape] = []
    stacked = chart.kind == "stacked_bar"
    groups = 1 if stacked else len(chart.series)
    bar_w = min(slot * 0.6 / groups, 46.0)
    for i in range(len(chart.categories)):
        x0 = left + slot * (i + 0.5) - bar_w * groups / 2
        base = 0.0
        for k, s in enumerate(chart.series):
            v = s.values[i] if i < len(s.values) else None
            if v is None:
                continue
            x = x0 if stacked else x0 + k * bar_w
            lo = base if stacked else 0.0
            y_top, y_bottom = y_of(lo + v), y_of(lo)
            if v > 0:
                out.append(Rect(x, y_top, bar_w, y_bottom - y_top, s.color))
                if stacked and y_bottom - y_top >= size + 2:
                    out.append(Text(x + bar_w / 2, (y_top + y_bottom) / 2 + size / 3, chart.value_text(v), size,
                                    "middle", "#ffffff" if s.color not in ("#bdbdbd", "#9ccc65") else "#000000"))
            if not stacked:
                out.append(Text(x + bar_w / 2, y_top - 3, chart.value_text(v), size, "middle"))
            if stacked:
                base += v
        if stacked and base > 0:
            out.append(Text(x0 + bar_w / 2, y_of(base) - 3, chart.value_text(base), size, "middle", bold=True))
    return out


def _lines(chart: ChartData, left: float, slot: float, y_of: Callable[[float], float], size: float) -> list[Shape]:
    out: list[Shape] = []
    for s in chart.series:
        run: list[tuple[float, float]] = []
        for i, v in enumerate(s.values):
            if v is None:  # no data: the line breaks, it does not fall to 0
                if len(run) > 1:
                    out.append(PolyLine(tuple(run), s.color))
                run = []
                continue
            run.append((left + slot * (i + 0.5), y_of(v)))
        if len(run) > 1:
            out.append(PolyLine(tuple(run), s.color))
        for i, v in enumerate(s.values):
            if v is not None:
                x, y = left + slot * (i + 0.5), y_of(v)
                out.append(Dot(x, y, 2.4, s.color))
                out.append(Text(x, y - 5, chart.value_text(v), size, "middle"))
    return out
