"""Qt item models over core read services (no SQL here)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.returns import FormRow

Index = QModelIndex | QPersistentModelIndex


class FormTableModel(QAbstractTableModel):
    """The statistical form of one return: STT / Chỉ tiêu / Đơn vị tính / Số liệu / Ghi chú (read-only)."""

    HEADERS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")

    def __init__(self, rows: list[FormRow] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._rows = rows or []

    def set_rows(self, rows: list[FormRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return "" if row.breakdown else row.code
            if col == 1:
                return ("    " + row.name) if row.breakdown else row.name
            if col == 2:
                return row.unit_label
            if col == 3:
                return row.value_text
            if col == 4:
                return row.note
        if role == Qt.ItemDataRole.FontRole:
            if row.kind == "group":
                f = QFont()
                f.setBold(True)
                return f
            if row.breakdown:
                f = QFont()
                f.setItalic(True)
                return f
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and row.kind == "group":
            return QBrush(QColor("#eef3f8"))
        if role == Qt.ItemDataRole.ToolTipRole and col == 3 and row.kind == "value" and not row.value_text:
            return self.tr("Chưa có số liệu (để trống khác với 0)")
        return None

    def row_at(self, r: int) -> FormRow:
        return self._rows[r]
