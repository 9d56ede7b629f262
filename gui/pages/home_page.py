"""Trang chủ: the work of the selected period on one screen (``core.app.home.home_summary``).

Three groups — Nhiệm vụ, Báo cáo số liệu, and for a unit with units under it Tiếp nhận báo cáo — each
line a button that opens the screen behind it (``open_requested`` carries the target name).

The summary is worked out by a background job (``gui.jobs.Job``): the page shows "Đang tải số liệu…"
meanwhile and stays out of the way of the window (start-up: the frame first, then the numbers).
``loaded`` is emitted once the numbers of the selected unit and period are on screen (or the reason
they could not be read); a result that arrives after the selection changed again is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from core.app import home  # with the page: the start-up job imports both off the GUI thread
from gui.jobs import Job
from gui.pages import Page
from gui.problems_panel import severity_icon

_ICON = {"ok": "ok", "info": "notice", "warning": "warning", "error": "error"}
_TITLE_STYLE = "font-size: 13pt; font-weight: bold; color: #1f3b63;"
_FAILED_STYLE = "font-size: 13pt; font-weight: bold; color: #a61b1b;"  # the numbers could not be read


class HomePage(Page):
    open_requested = Signal(str)  # core.app.home.HomeLine.target
    loaded = Signal()  # the summary of the selection is on screen (or why it is not)

    def __init__(self, db, parent=None) -> None:  # noqa: ANN001 - db.engine.Database
        super().__init__(db, parent)
        self.title = QLabel()
        self.title.setObjectName("home_title")
        self.title.setStyleSheet(_TITLE_STYLE)
        self.title.setWordWrap(True)
        self.groups: dict[str, QGroupBox] = {}
        self.buttons: list[QPushButton] = []
        self.is_loaded = False
        self._asked = 0  # numbers each refresh: only the latest one's summary is shown
        self.job: Job | None = None
        body = QWidget()
        self.body = QVBoxLayout(body)
        for key, heading in (("tasks", self.tr("Nhiệm vụ trong kế hoạch")),
                             ("return", self.tr("Báo cáo số liệu thống kê của đơn vị")),
                             ("intake", self.tr("Tiếp nhận báo cáo của đơn vị trực thuộc"))):
            box = QGroupBox(heading)
            QVBoxLayout(box).setSpacing(2)
            self.groups[key] = box
            self.body.addWidget(box)
        self.hint = QLabel(self.tr("Bấm vào một dòng để mở màn hình tương ứng."))
        self.hint.setStyleSheet("color: #555;")
        self.hint.hide()
        self.body.addWidget(self.hint)
        self.body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(scroll, 1)

    def refresh(self) -> None:
        """Start working out the summary of the selection in the background (``loaded`` when shown)."""
        self._clear()
        self._asked += 1
        self.title.setStyleSheet(_TITLE_STYLE)
        if self.unit_id is None or not self.period_code:
            self.title.setText(self.tr("Chọn đơn vị và kỳ báo cáo ở thanh trên cùng."))
            self._done()
            return
        self.is_loaded = False
        self.title.setText(self.tr("Đang tải số liệu của kỳ báo cáo…"))
        asked, db, unit_id, period_code = self._asked, self.db, self.unit_id, self.period_code

        def work(_progress: object) -> home.HomeSummary:  # on the worker thread
            with db.session() as s:
                return home.home_summary(s, unit_id, period_code)

        job = Job(self, work, lambda summary: self._show(asked, summary))
        job.failure(lambda exc: self._failed(asked, str(exc)))  # a refusal: its message, on the page
        job.failed.connect(lambda exc: self._failed(asked, None))  # a defect: the crash dialog, then this line
        self.job = job.run_in_background()

    def _clear(self) -> None:
        self.hint.hide()
        for box in self.groups.values():
            box.hide()
            lay = box.layout()
            while lay.count():
                item = lay.takeAt(0)
                if item.widget() is not None:
                    item.widget().deleteLater()
        self.buttons = []

    def _done(self) -> None:
        self.is_loaded = True
        self.loaded.emit()

    def _failed(self, asked: int, message: str | None) -> None:
        if asked != self._asked or self.is_loaded:
            return
        text = self.tr("Không tải được số liệu của Trang chủ.")
        self.title.setText(f"{text}\n{message}" if message else text)
        self.title.setStyleSheet(_FAILED_STYLE)
        self._done()

    def _show(self, asked: int, summary: home.HomeSummary) -> None:
        if asked != self._asked:  # the selection changed meanwhile: its own job shows it
            return
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
        self.hint.setVisible(bool(self.buttons))
        self._done()

    def lines(self) -> list[tuple[str, str]]:
        """(text, target) of every line shown, in order (for tests and screen readers)."""
        return [(b.text(), b.property("target")) for b in self.buttons]
