"""The statistical form of a return as an entry grid, worked from the keyboard as in Excel.

- ``ReturnGrid`` is the view: typing starts editing, F2 edits, Esc cancels, Enter stores and
  goes down to the next value row, Tab to the next editable cell, Delete blanks the selected
  cells (blank means "no data", not 0), Ctrl+C/Ctrl+V copy and paste tab-separated blocks
  (from Excel), Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z undo and redo. Typing ``KPS`` or ``Không phát
  sinh`` (or Ctrl+K, or the context menu) marks "Không phát sinh": nothing happened, not blank, not 0.
  Only the rows of the unit's level are shown (``grid_rows``).
- ``GridDelegate`` gives the editors: numbers right-aligned, coded answers in a combo box
  ("Hoàn thành = 2", with an empty entry for blank), text in a line edit.

The data, its colours and undo live in ``gui.return_grid_model``.
"""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from core.returns.entry import Edit, GridRow
from core.returns.store import KEEP
from core.values import KPS_TEXT, InvalidValueError, is_kps, parse_value
from core.vnformat import nfc
from gui.return_grid_model import (
    CHOICE_TYPES,
    COL_CODE,
    COL_NAME,
    COL_NOTE,
    COL_PREV,
    COL_UNIT,
    COL_VALUE,
    EDITABLE_COLUMNS,
    HEADERS,
    NUMERIC_TYPES,
    OVERRIDE_MARK,
    PLAN_MARK,
    ROW_ROLE,
    Index,
    ReturnGridModel,
    locked_message,
)

# --------------------------------------------------------------------------- editors


class ChoiceCombo(QComboBox):
    """A coded answer: typing its code (0, 1, 2…) picks it; Delete or Backspace picks blank.
    A code not in the list is refused with the core's message (``refused`` is called with it)."""

    def __init__(self, row: GridRow, refused, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row, self._refused = row, refused

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if text.isdigit():
            i = self.findData(int(text))
            if i >= 0:
                self.setCurrentIndex(i)
            else:
                choices = [{"code": c, "label": label} for c, label in self._row.choices]
                try:
                    parse_value(self._row.code, self._row.value_type, choices, text)
                except InvalidValueError as exc:
                    self._refused(str(exc))
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.setCurrentIndex(0)
            return
        super().keyPressEvent(event)


class GridDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:  # noqa: N802
        row: GridRow = index.data(ROW_ROLE)
        if index.column() == COL_VALUE and row.value_type in CHOICE_TYPES:
            view = self.parent()
            combo = ChoiceCombo(row, view.message.emit if isinstance(view, ReturnGrid) else (lambda _m: None), parent)
            combo.addItem(QCoreApplication.translate("ReturnGrid", "(để trống)"), None)
            for code, label in row.choices:
                combo.addItem(f"{label} = {code}", code)
            combo.addItem(KPS_TEXT, KPS_TEXT)
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            return combo
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if index.column() == COL_VALUE and row.value_type in NUMERIC_TYPES:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        model = index.model()
        pending = model.pending_text(index) if isinstance(model, ReturnGridModel) else None
        if isinstance(editor, QComboBox):
            row: GridRow = index.data(ROW_ROLE)
            code = int(row.number) if row.number is not None else (KPS_TEXT if is_kps(row.number, row.text) else None)
            i = editor.findData(code) if code is not None else 0
            editor.setCurrentIndex(max(i, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText(pending if pending is not None else (index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            code = editor.currentData()
            model.setData(index, "" if code is None else code, Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option, index: Index) -> None:  # noqa: N802
        rect = option.rect
        if isinstance(editor, QComboBox):
            rect = rect.adjusted(0, 0, 0, 0)
            rect.setHeight(max(rect.height(), editor.sizeHint().height()))
        editor.setGeometry(rect)

    def paint(self, painter: QPainter, option, index: Index) -> None:
        super().paint(painter, option, index)
        if index.column() != COL_VALUE:
            return
        row: GridRow | None = index.data(ROW_ROLE)
        if row is None or not (row.source == "plan" or row.overridden):
            return
        # A corner mark, as Excel marks a comment: blue = from the plan, orange = plan figure overridden.
        r = option.rect
        size = 8
        tri = QPolygonF([QPointF(r.left(), r.top()), QPointF(r.left() + size, r.top()),
                         QPointF(r.left(), r.top() + size)])
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(PLAN_MARK if row.source == "plan" else OVERRIDE_MARK)
        painter.drawPolygon(tri)
        painter.restore()


# --------------------------------------------------------------------------- view


def parse_tsv(text: str) -> list[list[str]]:
    """A block copied from Excel: tab-separated cells, rows ended by "\\r\\n" (quoted cells may hold newlines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if text == "":
        return []
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t")] or [[""]]


def to_tsv(block: list[list[str]]) -> str:
    clean = [[" ".join(str(c).split()) for c in row] for row in block]
    return "".join("\t".join(row) + "\r\n" for row in clean)


class ReturnGrid(QTableView):
    message = Signal(str)  # refusals and hints, Vietnamese
    history_requested = Signal(str)  # an indicator code: "Xem lịch sử chỉ tiêu"

    def __init__(self, model: ReturnGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(GridDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(True)
        self.setWordWrap(True)
        self.setCornerButtonEnabled(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h = self.horizontalHeader()
        h.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        h.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        for col, w in ((COL_CODE, 72), (COL_UNIT, 124), (COL_VALUE, 140), (COL_NOTE, 190), (COL_PREV, 84)):
            self.setColumnWidth(col, w)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        model.refused.connect(self.message)
        self._moving = False

    def grid_model(self) -> ReturnGridModel:
        return self.model()  # type: ignore[return-value]

    # ----------------------------------------------------------------- navigation

    def go_to(self, code: str, column: int = COL_VALUE) -> bool:
        r = self.grid_model().row_of(code)
        if r is None:
            return False
        index = self.model().index(r, column)
        self._go(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setFocus()
        return True

    def _go(self, index: QModelIndex) -> None:
        """Make ``index`` the current and only selected cell (as a click or an arrow key does)."""
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def _next_value_row(self, r: int, step: int) -> int | None:
        rows = self.grid_model().rows
        r += step
        while 0 <= r < len(rows):
            if rows[r].kind == "value":
                return r
            r += step
        return None

    def move_vertical(self, step: int) -> None:
        cur = self.currentIndex()
        col = cur.column() if cur.isValid() else COL_VALUE
        start = cur.row() if cur.isValid() else -1
        r = self._next_value_row(start, step)
        if r is not None:
            self._go(self.model().index(r, col))

    def move_tab(self, step: int) -> None:
        """Tab: the next editable-kind cell (Số liệu, Ghi chú) in reading order; Shift+Tab goes back."""
        cur = self.currentIndex()
        r, c = (cur.row(), cur.column()) if cur.isValid() else (-1, COL_NOTE)
        rows = self.grid_model().rows
        cells = [COL_VALUE, COL_NOTE]
        if step > 0:
            if 0 <= r < len(rows) and rows[r].kind == "value" and c < COL_NOTE:
                target = (r, COL_VALUE if c < COL_VALUE else COL_NOTE)
            else:
                nr = self._next_value_row(r, 1)
                target = (nr, cells[0]) if nr is not None else None
        else:
            if 0 <= r < len(rows) and rows[r].kind == "value" and c > COL_VALUE:
                target = (r, COL_NOTE if c > COL_NOTE else COL_VALUE)
            else:
                nr = self._next_value_row(r, -1)
                target = (nr, cells[1]) if nr is not None else None
        if target is not None:
            self._go(self.model().index(*target))

    # ----------------------------------------------------------------- keys

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        stack = self.grid_model().undo_stack
        if self.state() == QAbstractItemView.State.EditingState and not self.hasFocus():
            # A key the cell editor did not use: Enter is already handled by the delegate (commit,
            # then closeEditor moves down); Up/Down go to Qt, which commits and moves, as Excel does.
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                event.ignore()
            else:
                super().keyPressEvent(event)
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QGuiApplication.clipboard().text())
        elif ctrl and key == Qt.Key.Key_Z and not shift:
            self.undo()
        elif (ctrl and key == Qt.Key.Key_Y) or (ctrl and shift and key == Qt.Key.Key_Z):
            self.redo()
        elif event.matches(QKeySequence.StandardKey.Undo):
            stack.undo()
        elif event.matches(QKeySequence.StandardKey.Redo):
            stack.redo()
        elif key == Qt.Key.Key_Delete and not ctrl:
            self.clear_selected_cells()
        elif ctrl and key == Qt.Key.Key_K:
            self.mark_nothing_happened()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not ctrl:
            self.move_vertical(-1 if shift else 1)
        elif key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift):
            self.move_tab(-1)
        elif key == Qt.Key.Key_Tab:
            self.move_tab(1)
        elif event.text() and event.text().isprintable() and not ctrl and not self._editable(self.currentIndex()):
            self.message.emit(self._why_not_editable(self.currentIndex()))
        else:
            super().keyPressEvent(event)

    def _editable(self, index: QModelIndex) -> bool:
        return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)

    def _why_not_editable(self, index: QModelIndex) -> str:
        model = self.grid_model()
        if model.locked:
            return locked_message()
        if index.isValid() and index.column() in EDITABLE_COLUMNS:
            return self.tr("Dòng {code} là tiêu đề nhóm, không nhập số liệu (chỉ ghi chú).").format(
                code=model.rows[index.row()].code)
        return self.tr("Chỉ nhập được vào cột Số liệu và cột Ghi chú.")

    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:  # noqa: N802
        # Moving away from an open editor (arrow key, click) commits it; closeEditor must not move again.
        self._moving = True
        try:
            super().currentChanged(current, previous)
        finally:
            self._moving = False

    def undo(self) -> None:
        stack = self.grid_model().undo_stack
        if stack.canUndo():
            stack.undo()
        else:
            self.message.emit(self.tr("Không còn thao tác nào để hoàn tác."))

    def redo(self) -> None:
        stack = self.grid_model().undo_stack
        if stack.canRedo():
            stack.redo()
        else:
            self.message.emit(self.tr("Không còn thao tác nào để làm lại."))

    def edit(self, index, trigger=QAbstractItemView.EditTrigger.AllEditTriggers, event=None) -> bool:
        opened = super().edit(index, trigger, event)
        if opened and trigger in (QAbstractItemView.EditTrigger.DoubleClicked,
                                  QAbstractItemView.EditTrigger.EditKeyPressed):
            editor = self.indexWidget(index)
            if isinstance(editor, QComboBox):
                QTimer.singleShot(0, editor.showPopup)
        return opened

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        model = self.grid_model()
        failed, model.last_commit_failed = model.last_commit_failed, False
        index = self.currentIndex()
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        Hint = QAbstractItemDelegate.EndEditHint  # noqa: N806
        if self._moving:
            return
        if hint == Hint.RevertModelCache:  # Esc: give up what was typed
            model.drop_pending(index)
        if failed and hint in (Hint.EditNextItem, Hint.EditPreviousItem, Hint.SubmitModelCache):
            # Refused: stay on the cell with what was typed, so it can be corrected (Esc gives up).
            if index.isValid():
                self.edit(index)
            return
        if hint == Hint.EditNextItem:
            self.move_tab(1)
        elif hint == Hint.EditPreviousItem:
            self.move_tab(-1)
        elif hint == Hint.SubmitModelCache:  # Enter
            up = QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier
            self.move_vertical(-1 if up else 1)

    # ----------------------------------------------------------------- clipboard and Delete

    def _selected(self) -> list[QModelIndex]:
        found = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        if not found and self.currentIndex().isValid():
            found = [self.currentIndex()]
        return sorted(found, key=lambda i: (i.row(), i.column()))

    def copy_selection(self) -> str:
        """Copy the selected cells as tab-separated text (numbers as shown: "4.156", "72,8")."""
        cells = self._selected()
        if not cells:
            return ""
        r0, r1 = min(i.row() for i in cells), max(i.row() for i in cells)
        c0, c1 = min(i.column() for i in cells), max(i.column() for i in cells)
        chosen = {(i.row(), i.column()) for i in cells}
        model = self.model()
        block = [[(model.index(r, c).data(Qt.ItemDataRole.EditRole) or "") if (r, c) in chosen else ""
                  for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
        text = to_tsv(block)
        QGuiApplication.clipboard().setText(text)
        return text

    def paste_text(self, text: str) -> bool:
        """Paste a block (from Excel or this grid) at the selection's top-left cell as one batch:
        all cells are stored, or none. A single copied cell fills every selected cell."""
        model = self.grid_model()
        block = parse_tsv(nfc(text))  # text comes in here (Excel, Word, a web page): NFC
        if not block or not model.rows:
            return False
        if model.locked:
            self.message.emit(locked_message())
            return False
        selected = self._selected()
        if not selected:
            self.message.emit(self.tr("Hãy chọn ô đầu tiên cần dán."))
            return False
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
            targets = [(i.row(), i.column(), block[0][0]) for i in selected]
        else:
            r0, c0 = selected[0].row(), min(i.column() for i in selected)
            targets = [(r0 + i, c0 + j, cell) for i, line in enumerate(block) for j, cell in enumerate(line)]
        problems: list[str] = []
        edits: dict[str, dict] = {}
        last_row = len(model.rows)
        for r, c, cell in targets:
            if r >= last_row or c >= len(HEADERS):
                problems.append(self.tr("khối dán vượt ra ngoài biểu mẫu"))
                break
            row = model.rows[r]
            if c in EDITABLE_COLUMNS:
                if row.kind != "value" and not cell.strip():
                    continue  # an empty cell on a heading row: nothing to store
                slot = edits.setdefault(row.code, {})
                slot["raw" if c == COL_VALUE else "note"] = cell
            elif cell.strip() and " ".join(cell.split()) != " ".join(model.index(r, c).data().split()):
                problems.append(self.tr("cột “{col}” (dòng {code}) không nhập được").format(
                    col=self.tr(HEADERS[c]), code=row.code))
        if problems:
            self.message.emit(self.tr("Không dán được, chưa ghi ô nào: {p}. Chỉ dán vào cột Số liệu và Ghi chú.")
                              .format(p="; ".join(dict.fromkeys(problems))))
            return False
        if not edits:
            return False
        batch = [Edit(code, d.get("raw", KEEP), d.get("note", KEEP)) for code, d in edits.items()]
        ok = model.commit(batch, self.tr("Dán {n} ô").format(n=len(targets)))
        if ok and len(targets) > 1:
            sel = QItemSelection()
            for r, c, _ in targets:
                sel.select(model.index(r, c), model.index(r, c))
            self.selectionModel().select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return ok

    def clear_selected_cells(self) -> bool:
        """Delete: the selected values (and notes) become blank — "no data", not 0."""
        model = self.grid_model()
        edits: dict[str, dict] = {}
        for i in self._selected():
            row = model.rows[i.row()]
            if row.kind == "value" and i.column() in EDITABLE_COLUMNS:
                edits.setdefault(row.code, {})["raw" if i.column() == COL_VALUE else "note"] = ""
        if not edits:
            return False
        if model.locked:
            self.message.emit(locked_message())
            return False
        batch = [Edit(code, d.get("raw", KEEP), d.get("note", KEEP)) for code, d in edits.items()]
        return model.commit(batch, self.tr("Xóa {n} ô").format(n=len(batch)))

    def mark_nothing_happened(self) -> bool:
        """Ctrl+K: the selected values become "Không phát sinh" (nothing happened in the period)."""
        model = self.grid_model()
        codes = list(dict.fromkeys(model.rows[i.row()].code for i in self._selected()
                                   if model.rows[i.row()].kind == "value" and i.column() in EDITABLE_COLUMNS))
        if not codes:
            return False
        if model.locked:
            self.message.emit(locked_message())
            return False
        return model.commit([Edit(code, KPS_TEXT) for code in codes],
                            self.tr("Không phát sinh ({n} ô)").format(n=len(codes)))

    # ----------------------------------------------------------------- context menu

    def _context_menu(self, pos) -> None:
        index = self.indexAt(pos)
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        model = self.grid_model()
        if index.isValid() and model.rows[index.row()].kind == "value":
            code = model.rows[index.row()].code
            history = menu.addAction(self.tr("Xem lịch sử chỉ tiêu {code}").format(code=code))
            history.triggered.connect(lambda: self.history_requested.emit(code))
            menu.addSeparator()
        def add(text: str, keys: str, slot) -> QAction:
            action = QAction(text, menu)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
            return action

        add(self.tr("Sao chép"), "Ctrl+C", self.copy_selection)
        paste = add(self.tr("Dán"), "Ctrl+V", lambda: self.paste_text(QGuiApplication.clipboard().text()))
        clear = add(self.tr("Xóa nội dung (để trống)"), "Delete", self.clear_selected_cells)
        kps = add(self.tr("Không phát sinh"), "Ctrl+K", self.mark_nothing_happened)
        menu.addSeparator()
        undo = add(self.tr("Hoàn tác"), "Ctrl+Z", self.undo)
        redo = add(self.tr("Làm lại"), "Ctrl+Y", self.redo)
        paste.setEnabled(not model.locked)
        clear.setEnabled(not model.locked)
        kps.setEnabled(not model.locked)
        undo.setEnabled(model.undo_stack.canUndo())
        redo.setEnabled(model.undo_stack.canRedo())
        menu.popup(self.viewport().mapToGlobal(pos))
