"""The pages of the main window; each shows the selected unit and period."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from db.engine import Database


class Page(QWidget):
    """Base for a navigation page: ``refresh`` is called when the unit or period changes."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit_id: int | None = None
        self.period_code: str | None = None

    def set_context(self, unit_id: int | None, period_code: str | None) -> None:
        self.unit_id, self.period_code = unit_id, period_code
        self.refresh()

    def refresh(self) -> None:  # pragma: no cover - overridden
        pass
