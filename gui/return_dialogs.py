"""Dialogs of the return screen: reopening a finished return (with a reason) and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.returns.workflow import AuditRow
from core.vnformat import nfc
from gui.screen_fit import fit_dialog


def local_time(at: datetime) -> str:
    """Audit times are stored in UTC; people read them in the PC's time: ``"05/01/2022 08:30"``."""
    moment = at.replace(tzinfo=UTC).astimezone() if at.tzinfo is None else at.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


class ReopenDialog(QDialog):
    """Asks for the reason; ``reopen(reason)`` runs the core service and may refuse (a ``Refused``, shown
    under the reason)."""

    def __init__(self, parent: QWidget | None, reopen: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._reopen = reopen
        self.setWindowTitle(self.tr("Mở lại báo cáo"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Ví dụ: Sở Nội vụ đề nghị bổ sung số liệu chỉ tiêu 3.4.2"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("Mở lại"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        text = QLabel(self.tr("Báo cáo sẽ trở lại trạng thái “Nháp” để sửa. Khi mở lại, báo cáo sẽ lấy ngày chốt "
                              "số liệu, số và ngày văn bản, người ký, Kính gửi, Nơi nhận, tình hình nhiệm vụ và quy "
                              "tắc làm tròn theo cài đặt hiện tại; bản đã khóa được giữ trong lịch sử.\n\n"
                              "Lý do mở lại (bắt buộc, được ghi vào nhật ký):"))
        text.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(self.reason)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        fit_dialog(self, 520, self.sizeHint().height())

    def accept(self) -> None:
        try:
            self._reopen(nfc(self.reason.text()))
        except Refused as exc:  # shown beside the reason, e.g. "Cần ghi lý do mở lại báo cáo."
            self.error.setText(str(exc))
            self.error.show()
            self.reason.setFocus()
            return
        super().accept()


class AuditDialog(QDialog):
    """Nhật ký: who, when, what, old → new, reason."""

    HEADERS = ("Thời điểm", "Người thực hiện", "Thao tác", "Chỉ tiêu / phần", "Cũ → mới", "Lý do")

    def __init__(self, parent: QWidget | None, title: str, rows: list[AuditRow]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.table = QTableWidget(len(rows), len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for r, row in enumerate(rows):
            for c, text in enumerate(self.cells(row)):
                item = QTableWidgetItem(text)
                if c == 4 and len(text) > 160:
                    item.setText(text[:157] + "…")
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        h = self.table.horizontalHeader()
        for c, w in enumerate((130, 120, 170, 110, 300)):
            self.table.setColumnWidth(c, w)
        h.setSectionResizeMode(len(self.HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.table.scrollToBottom()  # the latest change first in view
        empty = QLabel(self.tr("Nhật ký trống.")) if not rows else None
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        lay = QVBoxLayout(self)
        if empty:
            lay.addWidget(empty)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        fit_dialog(self, 1000, 480)

    def cells(self, row: AuditRow) -> list[str]:
        if row.action == "create":
            change = row.new or ""
        else:
            old = row.old if row.old is not None else self.tr("(trống)")
            new = row.new if row.new is not None else self.tr("(trống)")
            change = f"{old} → {new}"
        code = row.code if row.code and row.entity != "return" else ""
        return [local_time(row.at), row.user, row.action_label, code, change, row.reason or ""]

    def texts(self) -> list[list[str]]:
        """Every cell as shown (full text), row by row."""
        return [[self.table.item(r, c).toolTip() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

