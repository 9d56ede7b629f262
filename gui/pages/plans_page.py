"""Kế hoạch & nhiệm vụ: the unit's plans and their tasks grouped by area."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QLabel, QListWidget, QListWidgetItem, QSplitter, QTreeView, QVBoxLayout

from core.periods import parse_period_code
from core.plans import DONE_STATUSES, completion_headline, plans_for_unit, task_rows
from core.vnformat import format_date
from db.models import Period
from gui.pages import Page


class PlansPage(Page):
    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.plan_list = QListWidget()
        self.plan_list.currentItemChanged.connect(lambda *_: self._show_tasks())
        self.tree = QTreeView()
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.model = QStandardItemModel(self)
        self.tree.setModel(self.model)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plan_list)
        split.addWidget(self.tree)
        split.setStretchFactor(1, 4)
        split.setSizes([90, 600])
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("<b>Kế hoạch cải cách hành chính</b>"))
        lay.addWidget(title)
        lay.addWidget(self.headline)
        lay.addWidget(split)

    def refresh(self) -> None:
        self.plan_list.clear()
        if self.unit_id is None:
            return
        with self.db.session() as s:
            for p in plans_for_unit(s, self.unit_id):
                span = str(p.year_from) if p.year_from == p.year_to else f"{p.year_from}–{p.year_to}"
                number = f"Số {p.document_number} — " if p.document_number else ""
                item = QListWidgetItem(f"{number}{p.title} ({span})")
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.plan_list.addItem(item)
        if self.plan_list.count():
            self.plan_list.setCurrentRow(0)
        else:
            self.model.clear()
            self.headline.setText(self.tr("Đơn vị chưa có kế hoạch CCHC nào."))

    def _show_tasks(self) -> None:
        item = self.plan_list.currentItem()
        self.model.clear()
        self.model.setHorizontalHeaderLabels([
            self.tr("STT"), self.tr("Nhiệm vụ"), self.tr("Cơ quan chủ trì"),
            self.tr("Thời gian thực hiện"), self.tr("Hạn"), self.tr("Trạng thái"),
        ])
        if item is None:
            return
        plan_id = item.data(Qt.ItemDataRole.UserRole)
        with self.db.session() as s:
            period = None
            if self.period_code:
                code = parse_period_code(self.period_code).code
                period = s.query(Period).filter_by(code=code).one_or_none()
            rows = task_rows(s, plan_id, period.id if period else None)
        bold = QFont()
        bold.setBold(True)
        areas: dict[tuple, QStandardItem] = {}
        for r in rows:
            key = (r.area_numeral, r.area_title)
            if key not in areas:
                heading = ". ".join(filter(None, [r.area_numeral, r.area_title])) or self.tr("(Chưa xếp lĩnh vực)")
                head = QStandardItem(heading)
                head.setFont(bold)
                head.setEditable(False)
                self.model.appendRow([head] + [QStandardItem("") for _ in range(5)])
                self.tree.setFirstColumnSpanned(self.model.rowCount() - 1, self.model.index(-1, -1), True)
                areas[key] = head
            cells = [
                QStandardItem(r.number or ""),
                QStandardItem(r.title),
                QStandardItem(r.lead or ""),
                QStandardItem(r.timeframe_text or ""),
                QStandardItem(format_date(r.due_date)),
                QStandardItem(r.status_label),
            ]
            for c in cells:
                c.setEditable(False)
                c.setToolTip(c.text())
            if r.status in DONE_STATUSES:
                cells[5].setForeground(QBrush(QColor("#1b7a2f")))
            areas[key].appendRow(cells)
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 80), (2, 170), (3, 210), (4, 90), (5, 150)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(col, width)
        done = sum(1 for r in rows if r.status in DONE_STATUSES)
        if period is not None and rows:
            spec = parse_period_code(period.code)
            self.headline.setText(self.tr("{label}: {headline}").format(
                label=spec.label, headline=completion_headline(done, len(rows))))
        else:
            self.headline.setText(self.tr("{n} nhiệm vụ").format(n=len(rows)))
