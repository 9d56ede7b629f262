"""Tổng quan: the unit's tasks in the period by area and status, the overdue list and the next deadlines.

Everything shown comes from ``core.plans.overview.overview``; clicking a task asks the page to show it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.plans.overview import DueItem, Overview
from core.plans.status import STATUS_LABELS
from core.vnformat import format_date, format_number, format_rate
from gui.task_models import AREA_TINT, DONE_TEXT, OVERDUE_TEXT, OVERDUE_TINT, SOON_TEXT, SOON_TINT, area_heading

__all__ = ["PlanOverview"]

# Columns of the area table: the statuses in the order a report reads them.
STATUS_COLUMNS = ("done_on_time", "done_late", "in_progress", "not_started", "overdue")
_STATUS_HEADERS = {
    "done_on_time": "Hoàn thành\nđúng hạn",
    "done_late": "Hoàn thành\nquá hạn",
    "in_progress": "Đang\nthực hiện",
    "not_started": "Chưa\ntriển khai",
    "overdue": "Quá hạn chưa\nhoàn thành",
}
TASK_ROLE = Qt.ItemDataRole.UserRole + 1
AREA_ROLE = Qt.ItemDataRole.UserRole + 2


def _item(text: str, *, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    item.setToolTip(text)
    return item


def _table(columns: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels(columns)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(False)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setDefaultSectionSize(24)
    return t


def _boxed(box: QGroupBox, widget: QWidget) -> None:
    lay = QVBoxLayout(box)
    lay.setContentsMargins(6, 4, 6, 6)
    lay.addWidget(widget)


class PlanOverview(QWidget):
    task_requested = Signal(int, int)  # plan id, task id
    area_requested = Signal(str, str)  # area numeral, status ("" for every status)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overview: Overview | None = None
        self.reference = QLabel()
        self.reference.setWordWrap(True)
        self.reference.setStyleSheet("color: #444;")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("font-size: 11pt; color: #444; padding: 16px;")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.by_area = _table([self.tr("Lĩnh vực"), self.tr("Số\nnhiệm vụ")]
                              + [self.tr(_STATUS_HEADERS[s]) for s in STATUS_COLUMNS] + [self.tr("Tỉ lệ\nhoàn thành")])
        h = self.by_area.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, self.by_area.columnCount()):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            self.by_area.setColumnWidth(c, 92)
        self.by_area.setColumnWidth(1, 76)
        self.by_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.by_area.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
        self.by_area.setToolTip(self.tr("Bấm vào một ô để xem các nhiệm vụ đó trong thẻ “Nhiệm vụ”."))
        self.by_area.cellClicked.connect(self._area_clicked)
        area_box = QGroupBox(self.tr("Nhiệm vụ theo lĩnh vực và trạng thái"))
        _boxed(area_box, self.by_area)

        self.overdue = _table([self.tr("Nhiệm vụ"), self.tr("Cơ quan chủ trì"), self.tr("Hạn"), self.tr("Quá hạn")])
        self.soon = _table([self.tr("Nhiệm vụ"), self.tr("Cơ quan chủ trì"), self.tr("Hạn"), self.tr("Còn")])
        for t in (self.overdue, self.soon):
            th = t.horizontalHeader()
            th.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            t.setColumnWidth(1, 210)
            t.setColumnWidth(2, 92)
            t.setColumnWidth(3, 80)
            t.cellClicked.connect(lambda r, _c, table=t: self._task_clicked(table, r))
            t.cellActivated.connect(lambda r, _c, table=t: self._task_clicked(table, r))
            t.setMinimumHeight(52)  # header and one row: they scroll, the area table does not
        self.overdue_box = QGroupBox()
        _boxed(self.overdue_box, self.overdue)
        self.soon_box = QGroupBox()
        _boxed(self.soon_box, self.soon)

        # The plan's targets for the period (core.returns.target_status), when the plan has any.
        self.targets = _table([self.tr("Chỉ tiêu kế hoạch"), self.tr("Chỉ tiêu"), self.tr("Thực hiện"),
                               self.tr("Đánh giá")])
        th = self.targets.horizontalHeader()
        th.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c, w in ((1, 150), (2, 100), (3, 120)):
            self.targets.setColumnWidth(c, w)
        self.targets_box = QGroupBox()
        _boxed(self.targets_box, self.targets)
        self.targets_box.hide()

        self.content = QWidget()
        cl = QVBoxLayout(self.content)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(4)
        cl.addWidget(self.reference)
        cl.addWidget(area_box, 1)
        cl.addWidget(self.overdue_box, 1)
        cl.addWidget(self.soon_box, 1)
        cl.addWidget(self.targets_box)
        lay = QVBoxLayout(self)
        lay.addWidget(self.empty)
        # Scrolls rather than making the window taller than a 1366×768 laptop's screen (125 % scale).
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.content)
        lay.addWidget(self.scroll, 1)

    def show_message(self, text: str) -> None:
        self.overview = None
        self.empty.setText(text)
        self.empty.show()
        self.scroll.hide()

    def set_overview(self, o: Overview) -> None:
        self.overview = o
        if o.total == 0:
            self.show_message(self.tr("Đơn vị chưa có kế hoạch CCHC nào cho năm {y}.").format(y=o.period_code[:4]))
            return
        self.empty.hide()
        self.scroll.show()
        self.reference.setText(self.tr(
            "{period}: số liệu xét đến ngày {d}. Trạng thái “quá hạn” do chương trình tự xác định từ thời hạn của "
            "nhiệm vụ. Bấm vào một dòng để xem nhiệm vụ.").format(
                period=o.period_label, d=format_date(o.reference_date)))
        self._fill_areas(o)
        self._fill_due(self.overdue, o.overdue, overdue=True)
        self._fill_due(self.soon, o.due_soon, overdue=False)
        self.overdue_box.setTitle(self.tr("Nhiệm vụ quá hạn chưa hoàn thành ({n})").format(n=len(o.overdue)))
        self.soon_box.setTitle(self.tr("Đến hạn trong 30 ngày tới ({n})").format(n=len(o.due_soon)))

    def set_targets(self, results: list) -> None:  # noqa: ANN001 - core.returns.target_status.TargetResult
        """The plan's targets for the period: met / not met / not yet known, with the actual figure."""
        t = self.targets
        t.setRowCount(0)
        colours = {True: DONE_TEXT, False: OVERDUE_TEXT}
        for r in results:
            row = t.rowCount()
            t.insertRow(row)
            verdict = _item(r.met_label, align=Qt.AlignmentFlag.AlignHCenter)
            if r.met in colours:
                verdict.setForeground(QBrush(colours[r.met]))
            for c, item in enumerate([_item(r.label), _item(r.phrase, align=Qt.AlignmentFlag.AlignHCenter),
                                      _item(r.actual_display or "–", align=Qt.AlignmentFlag.AlignRight), verdict]):
                t.setItem(row, c, item)
        met = sum(r.met is True for r in results)
        self.targets_box.setTitle(self.tr("Chỉ tiêu kế hoạch: đạt {met}/{n}").format(met=met, n=len(results)))
        t.setFixedHeight(t.horizontalHeader().sizeHint().height() + 24 * min(max(len(results), 1), 3) + 4)
        self.targets_box.setVisible(bool(results))

    def _fill_areas(self, o: Overview) -> None:
        t = self.by_area
        t.setRowCount(0)
        right = Qt.AlignmentFlag.AlignRight
        center = Qt.AlignmentFlag.AlignHCenter
        for a in o.areas:
            r = t.rowCount()
            t.insertRow(r)
            name = _item(area_heading(a.numeral, a.title))
            name.setData(AREA_ROLE, a.numeral or "")
            t.setItem(r, 0, name)
            t.setItem(r, 1, _item(format_number(a.total), align=center))
            for c, status in enumerate(STATUS_COLUMNS, start=2):
                n = a.counts.get(status, 0)
                cell = _item(format_number(n) if n else "–", align=center)
                cell.setData(AREA_ROLE, a.numeral or "")
                cell.setToolTip(self.tr("{area}: {n} nhiệm vụ {status}").format(
                    area=area_heading(a.numeral, a.title), n=n, status=STATUS_LABELS[status].lower()))
                if n and status == "overdue":
                    cell.setForeground(QBrush(OVERDUE_TEXT))
                    cell.setBackground(QBrush(OVERDUE_TINT))
                elif n and status in ("done_on_time", "done_late"):
                    cell.setForeground(QBrush(DONE_TEXT))
                t.setItem(r, c, cell)
            t.setItem(r, len(STATUS_COLUMNS) + 2,
                      _item(format_rate(a.done, a.total, o.rounding), align=right))
        r = t.rowCount()
        t.insertRow(r)
        bold = QFont()
        bold.setBold(True)
        cells = [self.tr("Tổng cộng"), format_number(o.total)]
        cells += [format_number(o.totals.get(s, 0)) for s in STATUS_COLUMNS]
        cells += [format_rate(o.done, o.total, o.rounding)]
        for c, text in enumerate(cells):
            item = _item(text, align=Qt.AlignmentFlag.AlignLeft if c == 0 else
                         Qt.AlignmentFlag.AlignRight if c == len(cells) - 1 else Qt.AlignmentFlag.AlignHCenter)
            item.setFont(bold)
            item.setBackground(QBrush(AREA_TINT))
            item.setData(AREA_ROLE, "")
            t.setItem(r, c, item)
        # Every area and the total stay in view; the task lists below give way first.
        t.setMinimumHeight(t.horizontalHeader().sizeHint().height() + sum(t.rowHeight(i) for i in range(t.rowCount()))
                           + 2 * t.frameWidth() + 6)

    def _fill_due(self, table: QTableWidget, items: tuple[DueItem, ...], *, overdue: bool) -> None:
        table.setRowCount(0)
        for d in items:
            r = table.rowCount()
            table.insertRow(r)
            number = ".".join(filter(None, [d.area_numeral, d.number]))
            title = _item(f"{number}  {d.title}" if number else d.title)
            title.setData(TASK_ROLE, (d.plan_id, d.task_id))
            title.setToolTip(d.title)
            days = abs(d.days)
            if overdue:
                when = self.tr("{n} ngày").format(n=format_number(days))
            else:
                when = self.tr("{n} ngày").format(n=format_number(days)) if days else self.tr("đến hạn")
            cells = [title, _item(d.lead or ""), _item(format_date(d.due_date), align=Qt.AlignmentFlag.AlignHCenter),
                     _item(when, align=Qt.AlignmentFlag.AlignRight)]
            for c, item in enumerate(cells):
                if overdue:
                    item.setForeground(QBrush(OVERDUE_TEXT))
                elif c >= 2:
                    item.setForeground(QBrush(SOON_TEXT))
                    item.setBackground(QBrush(SOON_TINT))
                table.setItem(r, c, item)
        if not items:
            table.insertRow(0)
            none = _item(self.tr("Không có nhiệm vụ nào."))
            none.setForeground(QBrush(DONE_TEXT if overdue else Qt.GlobalColor.darkGray))
            table.setItem(0, 0, none)
            table.setSpan(0, 0, 1, table.columnCount())
        else:
            table.clearSpans()
        # An empty list is one line high (its "Không có nhiệm vụ nào."): the area table above gets the room.
        box = table.parentWidget()
        layout = self.content.layout()
        if not items:
            table.setMaximumHeight(table.horizontalHeader().sizeHint().height() + table.rowHeight(0)
                                   + 2 * table.frameWidth() + 2)
            layout.setStretchFactor(box, 0)
        else:
            table.setMaximumHeight(16777215)
            layout.setStretchFactor(box, 1)

    def _task_clicked(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0)
        data = item.data(TASK_ROLE) if item else None
        if data:
            plan_id, task_id = data
            self.task_requested.emit(plan_id, task_id)

    def _area_clicked(self, row: int, col: int) -> None:
        item = self.by_area.item(row, col)
        if item is None:
            return
        numeral = item.data(AREA_ROLE) or ""
        status = STATUS_COLUMNS[col - 2] if 2 <= col < 2 + len(STATUS_COLUMNS) else ""
        self.area_requested.emit(numeral, status)
