"""Chart data: what a chart shows, as plain data, drawn the same way in the screens and in the PDF.

A ``ChartData`` holds the categories along the horizontal axis (reform areas, periods, units), one or
more series of numbers and how they are drawn (stacked bars, bars, a line). The PDF draws it with
reportlab.graphics (``core.reports.pdf_charts``), the screens with QPainter (``gui.chart_view``);
neither computes anything. The builders here read the figures the reports print: a task's one
effective state (``core.plans.task_state`` through the report model or the overview), a unit's
history (``core.returns.history``); the parent's board is ``core.intake.completeness_chart``.
Numbers are written through ``core.vnformat``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.plans.overview import Overview
from core.returns.history import TrendTable
from core.returns.report_model import ExportTask
from core.vnformat import HALF_UP, format_number, format_percent, round_rate

__all__ = ["STATUS_GROUPS", "ChartData", "Series", "completion_chart", "nice_scale", "indicator_trend_chart",
           "overview_status_chart", "task_status_chart"]

# The five groups of the task-status chart, in stacking order, with their colours (distinct in grey too).
STATUS_GROUPS = (
    ("done_on_time", "Hoàn thành đúng hạn", "#2e7d32"),
    ("done_late", "Hoàn thành trễ hạn", "#9ccc65"),
    ("in_progress", "Đang thực hiện", "#1e88e5"),
    ("overdue", "Quá hạn", "#c62828"),
    ("not_due", "Chưa đến hạn", "#bdbdbd"),
)
PALETTE = ("#1e88e5", "#e65100", "#2e7d32", "#6a1b9a", "#00838f", "#c62828")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per category; None: no data (not drawn, not 0)
    color: str = PALETTE[0]


@dataclass(frozen=True)
class ChartData:
    """A chart as data. ``kind``: "stacked_bar", "bar" or "line"; ``percent``: values are percentages."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_label: str = ""  # what the values count: "nhiệm vụ", "%", the indicator's unit
    percent: bool = False
    note: str = ""  # a line under the chart (the source of the figures)
    max_value: float | None = field(default=None, compare=False)

    @property
    def empty(self) -> bool:
        return not self.categories or all(v is None for s in self.series for v in s.values)

    def value_text(self, value: float | None) -> str:
        """"71,43%", "3.133", "" (no data)."""
        if value is None:
            return ""
        return format_percent(value) if self.percent else format_number(value)

    def top(self) -> float:
        """The largest value the axis must reach (the tallest stack, or the largest value)."""
        if self.max_value is not None:
            return self.max_value
        if self.kind == "stacked_bar":
            sums = [sum(s.values[i] or 0 for s in self.series) for i in range(len(self.categories))]
            return max(sums, default=0)
        return max((v for s in self.series for v in s.values if v is not None), default=0)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "categories": list(self.categories),
                "series": [{"name": s.name, "values": list(s.values), "color": s.color} for s in self.series],
                "value_label": self.value_label, "percent": self.percent, "note": self.note,
                "max_value": self.max_value}

    @classmethod
    def from_dict(cls, d: dict) -> ChartData:
        return cls(d["kind"], d["title"], tuple(d["categories"]),
                   tuple(Series(s["name"], tuple(None if v is None else float(v) for v in s["values"]), s["color"])
                         for s in d["series"]),
                   d.get("value_label", ""), bool(d.get("percent")), d.get("note", ""), d.get("max_value"))


def nice_scale(value: float, percent: bool = False, max_ticks: int = 8) -> tuple[float, float]:
    """A round axis top above ``value`` and its tick step, ticks on whole numbers: 13 → (14, 2),
    38 → (40, 5), 93 % → (100, 20)."""
    if percent and value <= 100:
        return 100.0, 20.0 if max_ticks >= 5 else 50.0
    if value <= 0:
        return 1.0, 1.0
    step = 1.0
    while True:
        for mult in (1, 2, 2.5, 5):
            s = step * mult
            if mult == 2.5 and s < 10:
                continue
            top = s * -(-value // s)
            if top / s <= max_ticks:
                return float(top), float(s)
        step *= 10


# --------------------------------------------------------------------------- task status per area


def _group_of(status: str, overdue: bool) -> str:
    if status in ("done_on_time", "done_late"):
        return status
    if status == "overdue" or overdue:
        return "overdue"
    return "in_progress" if status == "in_progress" else "not_due"


def _status_chart(rows: list[tuple[str, dict[str, int]]], period_label: str) -> ChartData:
    series = tuple(Series(label, tuple(float(counts.get(key, 0)) for _, counts in rows), color)
                   for key, label, color in STATUS_GROUPS)
    return ChartData("stacked_bar", f"Tình hình thực hiện nhiệm vụ theo lĩnh vực CCHC, {period_label}",
                     tuple(name for name, _ in rows), series, "nhiệm vụ")


def task_status_chart(areas: Iterable[tuple[str, str, list[ExportTask]]], period_label: str) -> ChartData:
    """Stacked bars per reform area (Roman numeral): đúng hạn / trễ hạn / đang thực hiện / quá hạn /
    chưa đến hạn, from the tasks a report prints (``ReturnExport.areas()``); a heading over sub-tasks
    is not counted, as in Phụ lục II."""
    rows = []
    for numeral, _title, tasks in areas:
        counts: dict[str, int] = {}
        for t in tasks:
            if t.counted:
                key = _group_of(t.status, t.overdue)
                counts[key] = counts.get(key, 0) + 1
        rows.append((f"Lĩnh vực {numeral}" if numeral else "Khác", counts))
    return _status_chart(rows, period_label)


def overview_status_chart(o: Overview) -> ChartData:
    """The same chart from the home overview (``core.plans.overview``)."""
    rows = []
    for a in o.areas:
        counts: dict[str, int] = {}
        for status, n in a.counts.items():
            key = _group_of(status, False)
            counts[key] = counts.get(key, 0) + n
        rows.append((f"Lĩnh vực {a.numeral}" if a.numeral else "Khác", counts))
    return _status_chart(rows, o.period_label)


# --------------------------------------------------------------------------- over periods


def completion_chart(points: list[tuple[str, int, int]], year: int, rounding: str = HALF_UP) -> ChartData:
    """Completion over the periods of a year: (period label, done, total) → the rate in % (rounded by the
    unit's rule, as the report prints it), a period without tasks left out."""
    cats, vals = [], []
    for label, done, total in points:
        if total:
            cats.append(label)
            vals.append(float(round_rate(done * 100 / total, rounding)))
    return ChartData("bar", f"Tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC qua các kỳ năm {year}", tuple(cats),
                     (Series("Tỷ lệ hoàn thành", tuple(vals), PALETTE[2]),), "%", percent=True, max_value=100.0)


def indicator_trend_chart(table: TrendTable, codes: list[str] | None = None) -> ChartData:
    """An indicator's (or a few indicators') values over the periods of a unit's history, as lines."""
    codes = codes or table.codes
    series = []
    for i, code in enumerate(codes):
        vals = []
        for p in table.periods:
            pt = table.point(code, p.code)
            vals.append(None if pt is None or pt.number is None or pt.kps else float(pt.number))
        series.append(Series(f"{code}. {table.names[code]}", tuple(vals), PALETTE[i % len(PALETTE)]))
    title = (f"Chỉ tiêu {codes[0]} qua các kỳ: {table.names[codes[0]]}" if len(codes) == 1
             else f"Các chỉ tiêu {', '.join(codes)} qua các kỳ")
    labels = {table.unit_labels.get(c, "") for c in codes}
    return ChartData("line", title, tuple(p.label for p in table.periods), tuple(series),
                     labels.pop() if len(labels) == 1 else "", note=f"Đơn vị: {table.unit_name}")
