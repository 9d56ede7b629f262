"""So sánh số liệu các kỳ: a unit's indicators (rows) across its periods or the same period of its years
(columns), from ``core.returns.history.trend_table``; exported to .xlsx by ``core.reports.history_table``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.periods import parse_period_code
from core.returns.history import TrendTable, period_order, same_period
from db.engine import Database
from gui.screen_fit import fit_dialog

MODES = (("periods", "Các kỳ đến kỳ đang chọn"), ("years", "Cùng kỳ các năm"))


class ComparisonDialog(QDialog):
    def __init__(self, db: Database, unit_id: int, period_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("So sánh số liệu các kỳ"))
        fit_dialog(self, 1000, 620)  # centred, never larger than the screen (1366×728)
        self.db = db
        self.unit_id = unit_id
        self.period = parse_period_code(period_code)
        self.table_data: TrendTable | None = None
        self.mode = QComboBox()
        for key, label in MODES:
            self.mode.addItem(self.tr(label), key)
        self.mode.currentIndexChanged.connect(lambda *_: self.reload())
        self.caption = QLabel()
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.export_button = QPushButton(self.tr("Xuất Excel…"))
        self.export_button.clicked.connect(self._export)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("So sánh:")))
        top.addWidget(self.mode)
        top.addWidget(self.caption, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.table, 1)
        box.addLayout(bottom)
        self.reload()

    def reload(self) -> None:
        from sqlalchemy import select

        from core.forms import current_template
        from core.returns.history import trend_table
        from db.models import Indicator, Unit

        with self.db.session() as s:
            unit = s.get(Unit, self.unit_id)
            template = current_template(s)
            codes = list(s.scalars(select(Indicator.code).where(
                Indicator.template_id == template.id, Indicator.kind == "value").order_by(Indicator.sort_order)))
            table = trend_table(s, unit.code, codes, None, self.period.code)
        if self.mode.currentData() == "years":
            table.periods = [p for p in table.periods if same_period(p, self.period)]
        table.periods = [p for p in table.periods if period_order(p) <= period_order(self.period)][-12:]
        # rows without any value in the shown periods say nothing: left out
        def shown(code: str) -> bool:
            return any((pt := table.point(code, p.code)) is not None and pt.value is not None for p in table.periods)

        table.codes = [c for c in table.codes if shown(c)]
        self.table_data = table
        self._fill(table)

    def _fill(self, table: TrendTable) -> None:
        t = self.table
        t.clear()
        headers = [self.tr("STT"), self.tr("Chỉ tiêu"), self.tr("Đơn vị tính"), *(p.label for p in table.periods)]
        t.setColumnCount(len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setRowCount(len(table.codes))
        for r, code in enumerate(table.codes):
            for c, text in enumerate([code, table.names[code], table.unit_labels[code]]):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                t.setItem(r, c, item)
            for j, p in enumerate(table.periods):
                pt = table.point(code, p.code)
                item = QTableWidgetItem(pt.display if pt else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(r, 3 + j, item)
        h = t.horizontalHeader()
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        t.setColumnWidth(0, 70)
        t.setColumnWidth(2, 110)
        for j in range(len(table.periods)):
            t.setColumnWidth(3 + j, 170)
        if table.periods:
            self.caption.setText(self.tr("{unit}: {n} kỳ, {m} chỉ tiêu có số liệu").format(
                unit=table.unit_name, n=len(table.periods), m=len(table.codes)))
        else:
            self.caption.setText(self.tr("{unit}: chưa có báo cáo nào để so sánh.").format(unit=table.unit_name))
        self.export_button.setEnabled(bool(table.periods))

    def export_to(self, path: Path) -> Path:
        from core.reports.history_table import write_trend_xlsx

        return write_trend_xlsx(self.table_data, path)

    def _export(self) -> None:
        name = f"SoSanh_{self.table_data.unit_code}_{self.period.code}.xlsx" if self.table_data else "SoSanh.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Xuất bảng so sánh"), name, self.tr("Excel (*.xlsx)"))
        if not path:
            return
        try:
            saved = self.export_to(Path(path))
        except OSError:
            QMessageBox.warning(self, self.tr("Không xuất được"), self.tr(
                "Không ghi được tệp “{0}”: tệp có thể đang mở trong Excel, hoặc thư mục không cho ghi. Hãy đóng tệp "
                "hoặc chọn thư mục khác.").format(Path(path).name))
            return
        QMessageBox.information(self, self.tr("Đã xuất"), self.tr("Đã lưu bảng so sánh: {0}").format(saved.name))
