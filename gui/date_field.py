"""A date box that may be left blank (dd/MM/yyyy): blank means "not given", never a made-up date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QToolButton, QWidget

_BLANK = QDate(1900, 1, 1)


class _BlankableDateEdit(QDateEdit):
    """Shows ``blank_text`` at its minimum date; typing or opening the calendar starts from ``suggest``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggest = QDate.currentDate()

    def is_blank(self) -> bool:
        return self.date() == self.minimumDate()

    def _leave_blank(self) -> None:
        if self.is_blank():
            day = self.suggest if self.suggest <= self.maximumDate() else self.maximumDate()
            self.setDate(day)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.is_blank():
            self._leave_blank()
            self.setSelectedSection(QDateEdit.Section.DaySection)
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        text = event.text()
        if self.is_blank() and text and text.isdigit():
            self._leave_blank()
            self.setSelectedSection(QDateEdit.Section.DaySection)
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.is_blank():
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """QDateEdit (dd/MM/yyyy, calendar) with a "Xóa" button; ``value()`` is a ``date`` or ``None``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, blank_text: str | None = None) -> None:
        super().__init__(parent)
        self.edit = _BlankableDateEdit(self)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDate(_BLANK)
        self.edit.setSpecialValueText(blank_text or self.tr("(chưa ghi)"))
        self.edit.setDate(_BLANK)
        self.edit.setMinimumWidth(130)
        self.edit.dateChanged.connect(lambda *_: self.changed.emit())
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Xóa"))
        self.clear_button.setToolTip(self.tr("Bỏ trống ngày"))
        self.clear_button.clicked.connect(self.clear)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit)
        lay.addWidget(self.clear_button)
        lay.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> date | None:
        if self.edit.is_blank():
            return None
        d = self.edit.date()
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.edit.setDate(QDate(value.year, value.month, value.day) if value else _BLANK)

    def clear(self) -> None:
        self.edit.setDate(_BLANK)

    def set_suggestion(self, value: date) -> None:
        """The day offered when a person starts typing into a blank box (e.g. the period's cut-off)."""
        self.edit.suggest = QDate(value.year, value.month, value.day)
