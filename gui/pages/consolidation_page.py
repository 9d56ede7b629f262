"""Tổng hợp: the units under the selected unit and the state of their returns for the period."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout

from core.forms import current_template
from core.periods import parse_period_code
from core.returns import STATUS_LABELS, find_return
from core.units import LEVEL_LABELS, children_of
from db.models import Period, Unit
from gui.pages import Page


class ConsolidationPage(Page):
    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.info = QLabel()
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("<b>Tổng hợp báo cáo của các đơn vị trực thuộc</b>")))
        lay.addWidget(self.info)
        lay.addWidget(self.table)

    def refresh(self) -> None:
        self.model.clear()
        self.model.setHorizontalHeaderLabels([self.tr("Mã"), self.tr("Đơn vị"), self.tr("Cấp"), self.tr("Báo cáo")])
        if self.unit_id is None or not self.period_code:
            return
        spec = parse_period_code(self.period_code)
        received = 0
        with self.db.session() as s:
            template = current_template(s)
            period = s.query(Period).filter_by(code=spec.code).one_or_none()
            unit = s.get(Unit, self.unit_id)
            kids = children_of(s, unit.id, on=spec.end_date)
            for child in kids:
                ret = find_return(s, child, period, template) if period else None
                state = STATUS_LABELS[ret.status] if ret else self.tr("Chưa nhận")
                received += ret is not None
                items = [QStandardItem(child.code), QStandardItem(child.name),
                         QStandardItem(LEVEL_LABELS.get(child.level, child.level)), QStandardItem(state)]
                for it in items:
                    it.setEditable(False)
                self.model.appendRow(items)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 120)
        self.table.setColumnWidth(2, 160)
        self.table.setColumnWidth(3, 140)
        self.info.setText(self.tr("{period}: {n} đơn vị trực thuộc, đã có báo cáo {r}.").format(
            period=spec.label, n=len(kids), r=received))
