"""Lỗi và cảnh báo: every problem ``validate_return`` finds, most important first.

Double-click (or Enter on) a line to go to the first cell it names. Errors (Lỗi) block
"Hoàn thành báo cáo"; a warning (Cảnh báo) blocks it until one of its values has a note;
"Cần xem lại" never blocks.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.returns.validation import ValidationReport

COLOURS = {"error": "#c62828", "warning": "#d97706", "notice": "#2563eb", "ok": "#2e7d32", "resolved": "#9ca3af"}
TEXT_COLOURS = {"error": "#8b1a1a", "warning": "#7a4a00", "notice": "#1e3a8a", "resolved": "#6b7280"}
CODE_ROLE = Qt.ItemDataRole.UserRole


def severity_icon(kind: str, size: int = 16) -> QIcon:
    """A filled mark in the severity's colour: a circle with "!" (error), a triangle (warning), "i" (notice)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(COLOURS[kind]))
    if kind in ("warning", "resolved"):
        p.drawPolygon(QPolygonF([QPointF(size / 2, 1), QPointF(size - 1, size - 1), QPointF(1, size - 1)]))
        mark = "!"
    else:
        p.drawEllipse(1, 1, size - 2, size - 2)
        mark = {"error": "!", "notice": "i", "ok": "✓"}[kind]
    p.setPen(QColor("white"))
    f = p.font()
    f.setBold(True)
    f.setPixelSize(int(size * 0.7))
    p.setFont(f)
    rect = pm.rect().adjusted(0, 2 if kind in ("warning", "resolved") else 0, 0, 0)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, mark)
    p.end()
    return QIcon(pm)


class ProblemsPanel(QWidget):
    jump_requested = Signal(str)  # the indicator code of the activated problem
    expanded_changed = Signal(bool)  # the list was opened (True) or folded to its heading line

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("<b>Lỗi và cảnh báo</b>"))
        self.summary = QLabel()
        self.list = QListWidget()
        self.list.setObjectName("problems")
        self.list.setWordWrap(True)
        self.list.setIconSize(QSize(16, 16))
        self.list.setSpacing(2)
        self.list.setAccessibleName(self.tr("Danh sách lỗi và cảnh báo"))
        self.list.itemActivated.connect(self._activated)
        hint = QLabel(self.tr("Nhấp đúp một dòng để đến ô số liệu; cảnh báo cần ghi chú lý do ở cột Ghi chú."))
        self.hint = hint
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Empty, the panel is one line; with problems it opens, and the clerk can fold it away (▾/▸).
        self.toggle = QToolButton()
        self.toggle.setObjectName("problems_toggle")
        self.toggle.setAutoRaise(True)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.toggled.connect(self._toggled)
        self.folded_by_user = False
        head = QHBoxLayout()
        head.addWidget(self.toggle)
        head.addWidget(self.title)
        head.addWidget(self.summary)
        head.addWidget(hint, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.list, 1)
        self.report = ValidationReport()
        self._show_list(False)

    @property
    def expanded(self) -> bool:
        return self.list.isVisibleTo(self)

    def _toggled(self, open_: bool) -> None:
        self.folded_by_user = not open_
        self._show_list(open_)

    def set_expanded(self, open_: bool) -> None:
        self.toggle.setChecked(open_)

    def _show_list(self, open_: bool) -> None:
        self.list.setVisible(open_)
        self.hint.setVisible(open_)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.toggle.setToolTip(self.tr("Thu gọn danh sách lỗi và cảnh báo") if open_
                               else self.tr("Mở danh sách lỗi và cảnh báo"))
        # Folded, the panel keeps only its heading line: the grid above gets the room.
        self.setMaximumHeight(16777215 if open_ else self.heading_height())
        self.expanded_changed.emit(open_)

    def add_to_heading(self, widget: QWidget) -> None:
        """A widget on the heading line, at its right end (the grid's legend)."""
        self.layout().itemAt(0).layout().addWidget(widget)

    def heading_height(self) -> int:
        return self.layout().itemAt(0).sizeHint().height() + 2

    def set_report(self, report: ValidationReport) -> None:
        self.report = report
        self.list.clear()
        self.summary.setText(report.summary())
        if not report.problems:
            item = QListWidgetItem(severity_icon("ok"), self.tr("Không có lỗi hay cảnh báo nào."))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
            self.toggle.blockSignals(True)
            self.toggle.setChecked(False)
            self.toggle.blockSignals(False)
            self._show_list(False)  # nothing to list: no room taken
            return
        if not self.folded_by_user and not self.expanded:
            self.toggle.blockSignals(True)
            self.toggle.setChecked(True)
            self.toggle.blockSignals(False)
            self._show_list(True)
        for p in report.problems:
            resolved = p.severity == "warning" and p.resolved
            kind = "resolved" if resolved else p.severity
            label = p.severity_label + (self.tr(" (đã có ghi chú)") if resolved else "")
            item = QListWidgetItem(severity_icon(kind), f"{label} — {p.message}")
            item.setData(CODE_ROLE, p.code)
            item.setForeground(QBrush(QColor(TEXT_COLOURS[kind])))
            tip = [self.tr("Chỉ tiêu: {codes}").format(codes=", ".join(p.codes))]
            if p.blocking:
                tip.append(self.tr("Phải xử lý trước khi hoàn thành báo cáo."))
            if p.severity == "warning" and not p.resolved:
                tip.append(self.tr("Nếu số liệu đúng, ghi chú lý do ở cột Ghi chú của một trong các chỉ tiêu trên."))
            item.setToolTip("\n".join(tip))
            self.list.addItem(item)

    def codes(self) -> list[str]:
        """The first code of each listed problem, in order (for tests and accessibility)."""
        return [self.list.item(i).data(CODE_ROLE) for i in range(self.list.count())
                if self.list.item(i).data(CODE_ROLE)]

    def _activated(self, item: QListWidgetItem) -> None:
        code = item.data(CODE_ROLE)
        if code:
            self.jump_requested.emit(code)
