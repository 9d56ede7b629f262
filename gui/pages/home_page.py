"""Trang chủ: the work of the selected period on one screen (``core.app.home.home_summary``).

Three groups — Nhiệm vụ, Báo cáo số liệu, and for a unit with units under it Tiếp nhận báo cáo — each
line a button that opens the screen behind it (``open_requested`` carries the target name).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from gui.pages import Page
from gui.problems_panel import severity_icon

_ICON = {"ok": "ok", "info": "notice", "warning": "warning", "error": "error"}


class HomePage(Page):
    open_requested = Signal(str)  # core.app.home.HomeLine.target

    def __init__(self, db, parent=None) -> None:  # noqa: ANN001 - db.engine.Database
        super().__init__(db, parent)
        self.title = QLabel()
        self.title.setObjectName("home_title")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1f3b63;")
        self.title.setWordWrap(True)
        self.groups: dict[str, QGroupBox] = {}
        self.buttons: list[QPushButton] = []
        body = QWidget()
        self.body = QVBoxLayout(body)
        for key, heading in (("tasks", self.tr("Nhiệm vụ trong kế hoạch")),
                             ("return", self.tr("Báo cáo số liệu thống kê của đơn vị")),
                             ("intake", self.tr("Tiếp nhận báo cáo của đơn vị trực thuộc"))):
            box = QGroupBox(heading)
            QVBoxLayout(box).setSpacing(2)
            self.groups[key] = box
            self.body.addWidget(box)
        hint = QLabel(self.tr("Bấm vào một dòng để mở màn hình tương ứng."))
        hint.setStyleSheet("color: #555;")
        self.body.addWidget(hint)
        self.body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(scroll, 1)

    def refresh(self) -> None:
        from core.app.home import home_summary

        for box in self.groups.values():
            lay = box.layout()
            while lay.count():
                item = lay.takeAt(0)
                if item.widget() is not None:
                    item.widget().deleteLater()
        self.buttons = []
        if self.unit_id is None or not self.period_code:
            self.title.setText(self.tr("Chọn đơn vị và kỳ báo cáo ở thanh trên cùng."))
            for box in self.groups.values():
                box.hide()
            return
        with self.db.session() as s:
            summary = home_summary(s, self.unit_id, self.period_code)
        self.title.setText(self.tr("{unit} — {period}").format(unit=summary.unit_name, period=summary.period_label))
        for key, lines in (("tasks", summary.tasks), ("return", summary.return_lines), ("intake", summary.intake)):
            box = self.groups[key]
            box.setVisible(bool(lines))
            for line in lines:
                button = QPushButton(severity_icon(_ICON[line.state]), line.text)
                button.setFlat(True)
                button.setIconSize(QSize(16, 16))
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setStyleSheet("text-align: left; padding: 4px 6px; font-size: 11pt;")
                button.setProperty("target", line.target)
                button.clicked.connect(lambda _=False, t=line.target: self.open_requested.emit(t))
                box.layout().addWidget(button)
                self.buttons.append(button)

    def lines(self) -> list[tuple[str, str]]:
        """(text, target) of every line shown, in order (for tests and screen readers)."""
        return [(b.text(), b.property("target")) for b in self.buttons]
