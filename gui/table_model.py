"""The one base of the GUI's table models: a list of rows from core, and columns.

A subclass names its ``columns`` as (title, text of a row) and, where it needs them, overrides the
hooks ``tooltip``, ``background``, ``font`` (per cell) — or ``data`` itself for what a hook does not
cover (an editable cell, a check box). Column titles are translated in the model's ``context``.
Every model of the GUI derives from it (the task tree, a tree, is the one exception) and passes
pytest-qt's ``qtmodeltester`` (tests/gui/test_models.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

__all__ = ["Index", "TableModel"]

Index = QModelIndex | QPersistentModelIndex


class TableModel(QAbstractTableModel):
    """Read-only by default; ``set_rows`` replaces the rows, ``append`` and ``replace`` change one."""

    columns: tuple[tuple[str, Callable[[Any], str]], ...] = ()
    right_aligned: tuple[int, ...] = ()
    context = "tables"  # the translation context of the column titles

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._rows: list = []

    # ------------------------------------------------------------------ the rows

    @property
    def rows(self) -> list:
        return self._rows

    def set_rows(self, rows: Sequence) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, r: int):  # noqa: ANN201
        return self._rows[r]

    def append(self, row: object) -> None:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(row)
        self.endInsertRows()

    def replace(self, r: int, row: object) -> None:
        self._rows[r] = row
        self.dataChanged.emit(self.index(r, 0), self.index(r, self.columnCount() - 1))

    def column_changed(self, column: int) -> None:
        """Every row's cell of ``column`` changed (something the column reads from outside the rows)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    # ------------------------------------------------------------------ hooks

    def title(self, section: int) -> str:
        return QCoreApplication.translate(self.context, self.columns[section][0])

    def text(self, row: object, column: int) -> str:
        return self.columns[column][1](row)

    def tooltip(self, row: object, column: int) -> str | None:
        return None

    def background(self, row: object, column: int) -> str | None:
        """A colour name ("#e3f2e6") or None."""
        return None

    def font(self, row: object, column: int) -> QFont | None:
        return None

    # ------------------------------------------------------------------ Qt

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < self.columnCount()):
            return self.title(section)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self.background(row, column)
            return QBrush(QColor(color)) if color else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self.font(row, column)
        return None
