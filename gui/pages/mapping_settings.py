"""Cài đặt › Cách chọn cột đã lưu: the column mappings remembered from imports (core.import_mappings), with a
button to forget one."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.import_mappings import MappingInfo, delete_mapping, list_mappings
from core.plans.table_headers import FIELDS

# What each field of a mapping means, by kind of import (the CLI's field names are not shown to a clerk).
FIELD_LABELS = {
    "plan": FIELDS,
    "handmade": {"stt": "STT", "name": "Chỉ tiêu", "unit": "Đơn vị tính", "value": "Số liệu", "note": "Ghi chú"},
}


def mapping_text(info: MappingInfo) -> str:
    """"C → Cơ quan chủ trì; D → Cơ quan phối hợp"."""
    labels = FIELD_LABELS.get(info.kind, {})
    return "; ".join(f"{col} → {labels.get(field, field)}" for col, field in sorted(info.mapping.items()))


class MappingSettingsSection(QWidget):
    def __init__(self, db, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.db = db
        self.mappings: list[MappingInfo] = []
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.delete_btn = QPushButton(self.tr("Xóa cách chọn cột đang chọn"))
        self.delete_btn.clicked.connect(lambda: self.delete_selected())
        self.empty = QLabel(self.tr("Chưa lưu cách chọn cột nào."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_btn)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("<b>Cách chọn cột đã lưu</b>")))
        hint = QLabel(self.tr("Khi nhập kế hoạch hoặc biểu điền tay, cách chọn cột đã xác nhận được lưu theo dòng "
                              "tiêu đề của bảng và tự dùng lại cho tệp sau có cùng dòng tiêu đề. Xóa để lần sau "
                              "chọn lại."))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        lay.addWidget(self.empty)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)

    def refresh(self) -> None:
        with self.db.session() as s:
            self.mappings = list_mappings(s)
        self.model.clear()
        self.model.setHorizontalHeaderLabels([self.tr("Loại"), self.tr("Dòng tiêu đề của bảng"),
                                              self.tr("Cột → nội dung"), self.tr("Lưu từ tệp"), self.tr("Ngày lưu"),
                                              self.tr("Đã dùng")])
        for m in self.mappings:
            items = [QStandardItem(m.kind_label), QStandardItem(m.headers), QStandardItem(mapping_text(m)),
                     QStandardItem(m.file_name), QStandardItem(m.created),
                     QStandardItem(self.tr("{n} lần").format(n=m.use_count))]
            for it in items:
                it.setEditable(False)
            self.model.appendRow(items)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 110), (2, 330), (3, 150), (4, 130), (5, 70)):
            self.table.setColumnWidth(col, width)
        self.table.resizeRowsToContents()
        self.empty.setVisible(not self.mappings)
        self.delete_btn.setEnabled(bool(self.mappings))

    def delete_selected(self, *, confirm: bool = True) -> MappingInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            QMessageBox.information(self, self.tr("Cách chọn cột đã lưu"), self.tr("Hãy chọn một dòng để xóa."))
            return None
        info = self.mappings[rows[0].row()]
        if confirm and QMessageBox.question(
                self, self.tr("Xóa cách chọn cột"),
                self.tr("Xóa cách chọn cột đã lưu từ tệp “{f}”? Lần sau nhập bảng có dòng tiêu đề này sẽ phải chọn "
                        "lại cột.").format(f=info.file_name)) != QMessageBox.StandardButton.Yes:
            return None
        try:
            with self.db.transaction() as s:
                deleted = delete_mapping(s, info.id)
        except Refused as exc:
            QMessageBox.warning(self, self.tr("Không xóa được"), str(exc))
            deleted = None
        self.refresh()
        return deleted
