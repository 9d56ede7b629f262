"""Báo cáo định kỳ: the return of the selected unit and period (status, data window, the form)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from core.exports import export_return_files
from core.filenames import export_file_stem
from core.forms import current_template
from core.periods import parse_period_code
from core.returns import STATUS_LABELS, find_return, form_rows
from core.vnformat import format_date
from db.models import Period, Unit
from gui import export_actions
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
        self.export_xlsx_button = QPushButton(self.tr("Xuất Excel"))
        self.export_xlsx_button.setObjectName("export_xlsx")
        self.export_xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.export_pdf_button = QPushButton(self.tr("Xuất PDF"))
        self.export_pdf_button.setObjectName("export_pdf")
        self.export_pdf_button.clicked.connect(lambda: self.export("pdf"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_xlsx_button)
        buttons.addWidget(self.export_pdf_button)
        buttons.addStretch(1)
        self._unit_code: str | None = None
        self._has_return = False
        self._runner: export_actions.ExportRunner | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("<b>Thống kê số liệu về kết quả thực hiện công tác CCHC</b>")))
        lay.addWidget(self.info)
        lay.addLayout(buttons)
        lay.addWidget(self.table)
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Row heights depend on the stretched column's width, known only once shown.
        self.table.resizeRowsToContents()

    def refresh(self) -> None:
        if self.unit_id is None or not self.period_code:
            self.model.set_rows([])
            self._has_return = False
            self._update_buttons()
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
            self._unit_code = unit.code
        self._has_return = ret is not None
        self._update_buttons()
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

    # ------------------------------------------------------------------ export

    def _update_buttons(self) -> None:
        busy = self._runner is not None and self._runner.running
        tips = (self.tr("Lưu tệp Excel gửi cấp trên: các phụ lục và dữ liệu máy đọc có mã kiểm tra"),
                self.tr("Lưu bản báo cáo PDF để in và ký (thể thức theo Nghị định 30/2020/NĐ-CP)"))
        for button, tip in zip((self.export_xlsx_button, self.export_pdf_button), tips, strict=True):
            button.setEnabled(self._has_return and not busy)
            button.setToolTip(tip if self._has_return else self.tr("Chưa lập báo cáo kỳ này nên chưa có gì để xuất."))

    def export(self, kind: str) -> None:
        """Ask where to save, then export the return as ``kind`` ("xlsx" | "pdf") off the GUI thread."""
        if not self._has_return or self._unit_code is None or not self.period_code:
            return
        spec = parse_period_code(self.period_code)
        path = export_actions.ask_save_path(self, kind, export_file_stem(self._unit_code, spec))
        if path is None:
            return
        unit_id, period_code, db = self.unit_id, spec.code, self.db

        def job(progress):
            return export_return_files(db, unit_id, period_code, progress=progress,
                                       xlsx=path if kind == "xlsx" else None, pdf=path if kind == "pdf" else None)

        label = self.tr("Đang xuất {what} báo cáo {period}…").format(
            what="Excel" if kind == "xlsx" else "PDF", period=spec.label)
        self._runner = export_actions.run_export_with_feedback(self, label, job, on_finished=self._export_finished)
        self._update_buttons()

    def _export_finished(self) -> None:
        if self._runner is not None:
            self._runner.deleteLater()  # its thread has stopped; the result is delivered by then
            self._runner = None
        self._update_buttons()
