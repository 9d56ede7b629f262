"""Báo cáo định kỳ: the return of the selected unit and period (status, data window, the form)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout

from core.forms import current_template
from core.periods import parse_period_code
from core.returns import STATUS_LABELS, find_return, form_rows
from core.vnformat import format_date
from db.models import Period, Unit
from gui.models import FormTableModel
from gui.pages import Page


class ReturnsPage(Page):
    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.model = FormTableModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, w in ((0, 70), (2, 170), (3, 100), (4, 220)):
            self.table.setColumnWidth(col, w)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("<b>Thống kê số liệu về kết quả thực hiện công tác CCHC</b>")))
        lay.addWidget(self.info)
        lay.addWidget(self.table)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Row heights depend on the stretched column's width, known only once shown.
        self.table.resizeRowsToContents()

    def refresh(self) -> None:
        if self.unit_id is None or not self.period_code:
            self.model.set_rows([])
            return
        spec = parse_period_code(self.period_code)
        with self.db.session() as s:
            unit = s.get(Unit, self.unit_id)
            template = current_template(s)
            period = s.query(Period).filter_by(code=spec.code).one_or_none()
            ret = find_return(s, unit, period, template) if period else None
            rows = form_rows(s, template.id, ret)
            status = STATUS_LABELS[ret.status] if ret else self.tr("Chưa lập")
            unit_name = unit.name
        self.model.set_rows(rows)
        if self.isVisible():
            self.table.resizeRowsToContents()
        filled = sum(1 for r in rows if r.kind == "value" and r.value_text)
        total = sum(1 for r in rows if r.kind == "value")
        self.info.setText(self.tr(
            "{unit} — {period}. {window}; hạn gửi báo cáo {due}. Trạng thái: <b>{status}</b>. "
            "Đã có số liệu {filled}/{total} chỉ tiêu."
        ).format(unit=unit_name, period=spec.label, window=spec.window_text(), due=format_date(spec.due_date()),
                 status=status, filled=filled, total=total))
