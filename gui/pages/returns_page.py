"""Báo cáo định kỳ: the return of the selected unit and period — header (status, data window,
due date), then the entry grid, the problems panel and the narrative (``gui.return_editor``)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from gui.pages import Page
from gui.return_editor import ReturnEditor


class ReturnsPage(Page):
    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.editor = ReturnEditor(db, self)
        self.editor.info_changed.connect(self._show_info)
        self.model = self.editor.model  # the form grid's model
        self.table = self.editor.grid
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("<b>Thống kê số liệu về kết quả thực hiện công tác CCHC</b>")))
        lay.addWidget(self.info)
        lay.addWidget(self.editor, 1)

    def refresh(self) -> None:
        self.editor.load(self.unit_id, self.period_code)
        self._show_info()

    def _show_info(self) -> None:
        self.info.setText(self.editor.header_text())
