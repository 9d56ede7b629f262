"""The side panel of the return grid: the selected indicator's history and the plan's targets.

For the indicator under the cursor: its value in the last 12 periods that have a return and in the same
period of earlier years (``core.returns.history``, the history the outlier rule compares with), with a
small trend line; then the plan's targets for the period, each met / not met / not yet known with its
actual figure (``core.returns.target_status``). Read-only; refreshed as the cursor moves.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.reports.charts import ChartData, Series
from db.engine import Database
from gui.chart_view import ChartView

_MET_COLOURS = {True: "#1b5e20", False: "#b71c1c", None: "#616161"}


class ValueHistoryPanel(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit_code: str | None = None
        self.period_code: str | None = None
        self.code: str | None = None
        self.setMinimumWidth(250)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setObjectName("history_title")
        self.trend = ChartView(compact=True)
        self.trend.setMinimumHeight(60)  # the window keeps its smallest size (the grid matters more)
        self.recent = self._table([self.tr("Kỳ"), self.tr("Số liệu")])
        self.recent.setMinimumHeight(40)
        self.same_label = QLabel(self.tr("Cùng kỳ các năm trước:"))
        self.same = QLabel()
        self.same.setWordWrap(True)
        self.targets_title = QLabel(self.tr("<b>Chỉ tiêu kế hoạch</b>"))
        self.targets = QLabel()
        self.targets.setWordWrap(True)
        self.targets.setTextFormat(Qt.TextFormat.RichText)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.trend, 1)
        box.addWidget(self.recent, 1)
        box.addWidget(self.same_label)
        box.addWidget(self.same)
        box.addWidget(self.targets_title)
        box.addWidget(self.targets)

    def _table(self, headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.verticalHeader().hide()
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        t.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        return t

    def set_context(self, unit_code: str | None, period_code: str | None) -> None:
        self.unit_code, self.period_code = unit_code, period_code
        self.code = None
        self._show_targets()
        self.show_code(None)

    def show_code(self, code: str | None) -> None:
        """The history of indicator ``code`` (None: nothing selected)."""
        from core.returns.history import indicator_history

        self.code = code
        self.recent.setRowCount(0)
        if not code or not self.unit_code or not self.period_code:
            self.title.setText(self.tr("Chọn một chỉ tiêu để xem số liệu các kỳ trước."))
            self.trend.set_chart(None)
            self.same.setText("")
            return
        try:
            with self.db.session() as s:
                h = indicator_history(s, self.unit_code, code, self.period_code)
        except Refused as exc:  # a group row, or a code the current form does not have
            self.title.setText(str(exc))
            self.trend.set_chart(None)
            self.same.setText("")
            return
        self.title.setText(self.tr("<b>{code}</b>. {name}").format(code=code, name=h.name))
        for p in reversed(h.recent):  # newest first, as a clerk reads back
            row = self.recent.rowCount()
            self.recent.insertRow(row)
            self.recent.setItem(row, 0, QTableWidgetItem(p.period.label))
            value = QTableWidgetItem(p.display or self.tr("(trống)"))
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.recent.setItem(row, 1, value)
        same = "; ".join(f"{p.period.label}: {p.display or self.tr('(trống)')}" for p in reversed(h.same_period))
        self.same.setText(same or self.tr("(chưa có)"))
        points = [p for p in h.recent if p.number is not None and not p.kps]
        self.trend.set_chart(ChartData(
            "line", h.name, tuple(p.period.label for p in points),
            (Series(code, tuple(float(p.number) for p in points)),)) if points else None)

    def _show_targets(self) -> None:
        from core.returns.target_status import target_results

        if not self.unit_code or not self.period_code:
            self.targets.setText("")
            return
        with self.db.session() as s:
            results = target_results(s, self.unit_code, self.period_code)
        if not results:
            self.targets.setText(self.tr("Kế hoạch chưa có chỉ tiêu định lượng (thêm bằng lệnh targets add)."))
            return
        lines = [
            f"{escape(r.label)} ({r.phrase}): <span style='color:{_MET_COLOURS[r.met]}'><b>{r.met_label}</b></span>"
            + (f" ({r.actual_display})" if r.actual is not None else "")
            for r in results
        ]
        self.targets.setText("<br>".join(lines))

    def refresh(self) -> None:
        """After an edit: the figures (and so the targets' results) may have changed."""
        self._show_targets()
        self.show_code(self.code)
