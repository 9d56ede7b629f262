"""The statistical form of a return as an entry grid, worked from the keyboard as in Excel.

- ``ReturnGridModel`` is a table model over ``core.returns.entry.grid_rows``: STT / Chỉ tiêu
  thống kê / Đơn vị tính / Số liệu / Ghi chú / Kỳ trước. Every change goes at once through
  ``apply_edits`` (all-or-nothing, audited); a refused value keeps nothing and reports the
  core's Vietnamese message. Each stored batch is one step on the model's ``QUndoStack``;
  undo applies the inverse edits that ``apply_edits`` returned (saved and audited too).
- ``ReturnGrid`` is the view: typing starts editing, F2 edits, Esc cancels, Enter stores and
  goes down to the next value row, Tab to the next editable cell, Delete blanks the selected
  cells (blank means "no data", not 0), Ctrl+C/Ctrl+V copy and paste tab-separated blocks
  (from Excel), Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z undo and redo. Typing ``KPS`` or ``Không phát
  sinh`` (or Ctrl+K, or the context menu) marks "Không phát sinh": nothing happened, not blank, not 0.
  Only the rows of the unit's level are shown (``grid_rows``).
- ``GridDelegate`` gives the editors: numbers right-aligned, coded answers in a combo box
  ("Hoàn thành = 2", with an empty entry for blank), text in a line edit.
"""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPolygonF,
    QUndoCommand,
    QUndoStack,
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

from core.returns.entry import Edit, EditResult, GridRow, apply_edits, grid_rows
from core.returns.store import KEEP, ConcurrentEditError, ReturnLockedError
from core.returns.validation import ValidationReport, validate_return
from core.values import KPS_TEXT, InvalidValueError, is_kps, parse_value
from db.engine import Database
from db.models import Return

Index = QModelIndex | QPersistentModelIndex

COL_CODE, COL_NAME, COL_UNIT, COL_VALUE, COL_NOTE, COL_PREV = range(6)
HEADERS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú", "Kỳ trước")
EDITABLE_COLUMNS = (COL_VALUE, COL_NOTE)
NUMERIC_TYPES = ("integer", "decimal", "percent")
CHOICE_TYPES = ("choice", "yesno")

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the GridRow of the index's row

GROUP_SHADE = QColor("#e3eaf3")
LOCKED_SHADE = QColor("#f1f1f1")
LOCKED_TEXT = QColor("#6b6b6b")
PLAN_TEXT = QColor("#1d4ed8")
PREVIOUS_TEXT = QColor("#6b7280")
TINTS = {"error": QColor("#f7c9c9"), "warning": QColor("#fde3a7"), "notice": QColor("#dbe7fb")}
KPS_TEXT_COLOUR = QColor("#0f5132")
PLAN_MARK = QColor("#2563eb")
OVERRIDE_MARK = QColor("#d97706")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReturnGrid", text)


def needs_note(row: GridRow) -> bool:
    """A warning on the row that no note explains yet."""
    return not row.note and any(p.severity == "warning" and not p.resolved for p in row.problems)


def locked_message() -> str:
    return _tr("Báo cáo đã ở trạng thái “Đã hoàn thành” nên không sửa được. "
               "Bấm “Mở lại báo cáo” (ghi rõ lý do) trước khi sửa.")


# --------------------------------------------------------------------------- undo


class GridEditCommand(QUndoCommand):
    """One stored batch (a typed cell, a paste, a Delete). It was applied before being pushed,
    so the first ``redo`` (which QUndoStack.push calls) does nothing."""

    def __init__(self, model: ReturnGridModel, result: EditResult, text: str) -> None:
        super().__init__(text)
        self._model = model
        self._undo_edits = result.inverse()
        self._redo_edits = result.redo_edits()
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._model.apply_without_undo(self._redo_edits)

    def undo(self) -> None:
        self._model.apply_without_undo(self._undo_edits)


# --------------------------------------------------------------------------- model


class ReturnGridModel(QAbstractTableModel):
    report_changed = Signal(object)  # the ValidationReport after a load or a stored change
    refused = Signal(str)  # a Vietnamese message: nothing was stored
    stored = Signal(object)  # the EditResult of a stored batch (also for undo/redo)

    def __init__(self, db: Database | None = None, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.return_id: int | None = None
        self.rows: list[GridRow] = []
        self.report = ValidationReport()
        self.previous_label = ""
        self.undo_stack = QUndoStack(self)
        self.cell_errors: dict[tuple[str, int], str] = {}
        self.last_refusal: str | None = None
        self.last_commit_failed = False
        self._pending: dict[tuple[str, int], str] = {}
        self._row_of: dict[str, int] = {}
        self._fonts: dict[str, QFont] = {}

    # ----------------------------------------------------------------- loading

    def load(self, return_id: int | None, previous_label: str = "") -> None:
        """Show ``return_id`` (None: nothing). The undo history survives a reload of the same
        draft return and is dropped otherwise (another return, or it was submitted)."""
        rows: list[GridRow] = []
        report = ValidationReport()
        if return_id is not None and self.db is not None:
            with self.db.session() as s:
                ret = s.get(Return, return_id)
                if ret is not None:
                    report = validate_return(s, ret)
                    rows = grid_rows(s, return_id, report)
        keep_history = return_id == self.return_id and rows and any(r.editable for r in rows)
        if not keep_history:
            self.undo_stack.clear()
        self.beginResetModel()
        self.return_id = return_id if rows else None
        self.rows = rows
        self.report = report
        self.previous_label = previous_label
        self.cell_errors.clear()
        self._pending.clear()
        self._row_of = {r.code: i for i, r in enumerate(rows)}
        self.endResetModel()
        self.report_changed.emit(report)

    @property
    def locked(self) -> bool:
        """A submitted return: every cell is read-only."""
        return bool(self.rows) and not any(r.editable for r in self.rows)

    def row_at(self, r: int) -> GridRow:
        return self.rows[r]

    def row_of(self, code: str) -> int | None:
        return self._row_of.get(code)

    # ----------------------------------------------------------------- storing

    def commit(self, edits: list[Edit], text: str) -> bool:
        """Store a batch at once (one undo step). False, with ``refused`` emitted, if nothing was stored."""
        result = self.apply_without_undo(edits)
        if result is None:
            return False
        if result.changes:
            self.undo_stack.push(GridEditCommand(self, result, text))
        return True

    def apply_without_undo(self, edits: list[Edit]) -> EditResult | None:
        if self.return_id is None or self.db is None:
            return None
        # The versions shown: a value someone else saved since is refused, not overwritten.
        seen = {e.code: self.rows[self._row_of[e.code]].version for e in edits if e.code in self._row_of}
        try:
            with self.db.transaction() as s:
                result = apply_edits(s, self.return_id, edits, seen_versions=seen)
                rows = grid_rows(s, self.return_id, result.report) if result.applied else None
        except ConcurrentEditError as exc:
            self.load(self.return_id, self.previous_label)  # show what is stored now
            self._refuse(self.tr("{message}\nĐã tải lại số liệu mới; nhập lại nếu vẫn muốn sửa.").format(
                message=str(exc)))
            return None
        except ReturnLockedError as exc:
            self._refuse(str(exc))
            return None
        except LookupError as exc:  # the return was deleted under us (a restore, another window)
            self._refuse(str(exc))
            return None
        if not result.applied or rows is None:
            self._refuse(self._refusal_text(result, len(edits)))
            return None
        self.last_refusal = None
        for e in edits:
            for col in EDITABLE_COLUMNS:
                self.cell_errors.pop((e.code, col), None)
                self._pending.pop((e.code, col), None)
        self.rows = rows
        self.report = result.report or ValidationReport()
        self._row_of = {r.code: i for i, r in enumerate(rows)}
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(HEADERS) - 1))
        self.stored.emit(result)
        self.report_changed.emit(self.report)
        return result

    def _refuse(self, message: str) -> None:
        self.last_refusal = message
        self.refused.emit(message)

    def _refusal_text(self, result: EditResult, count: int) -> str:
        errors = result.errors
        if count == 1 and len(errors) == 1:
            return self.tr("{message} Chưa ghi số liệu này.").format(message=errors[0].message)
        codes = ", ".join(dict.fromkeys(e.code for e in errors))
        head = self.tr("Không ghi ô nào trong {n} ô: {k} ô không hợp lệ ({codes}).").format(
            n=count, k=len(errors), codes=codes)
        return head + "\n" + "\n".join(f"– {e.message}" for e in errors)

    def pending_text(self, index: Index) -> str | None:
        """The refused text of a cell, for its reopened editor (kept until stored or given up with Esc)."""
        if not index.isValid():
            return None
        return self._pending.get((self.rows[index.row()].code, index.column()))

    def drop_pending(self, index: Index) -> None:
        if index.isValid():
            self._pending.pop((self.rows[index.row()].code, index.column()), None)

    # ----------------------------------------------------------------- Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == COL_PREV:
                return self.tr("Số liệu của kỳ trước ({period})").format(
                    period=self.previous_label) if self.previous_label else self.tr("Số liệu của kỳ trước")
            if section == COL_VALUE:
                return self.tr("Để trống là “chưa có số liệu”, khác với 0.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if index.column() in EDITABLE_COLUMNS and self.rows[index.row()].editable:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, col = self.rows[index.row()], index.column()
        if col not in EDITABLE_COLUMNS or not row.editable:
            return False
        raw = "" if value is None else value
        if col == COL_VALUE:
            edit, text = Edit(row.code, raw), self.tr("Nhập {code}").format(code=row.code)
        else:
            edit, text = Edit(row.code, KEEP, str(raw)), self.tr("Ghi chú {code}").format(code=row.code)
        ok = self.commit([edit], text)
        self.last_commit_failed = not ok
        if not ok and self.last_refusal:
            self.cell_errors[(row.code, col)] = self.last_refusal
            self._pending[(row.code, col)] = str(raw)
            self.dataChanged.emit(index, index)
        return ok

    def _font(self, kind: str) -> QFont:
        if kind not in self._fonts:
            f = QFont()
            f.setBold(kind == "group")
            f.setItalic(kind == "breakdown")
            self._fonts[kind] = f
        return self._fonts[kind]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_VALUE:
                return row.value_display
            if col == COL_NOTE:
                return row.note
            return self._display(row, col)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.FontRole:
            if row.is_heading:
                return self._font("group")
            if row.breakdown and col in (COL_CODE, COL_NAME):
                return self._font("breakdown")
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_VALUE and is_kps(row.number, row.text):
                return int(Qt.AlignmentFlag.AlignCenter)
            if col in (COL_VALUE, COL_PREV) and row.value_type in NUMERIC_TYPES:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == COL_UNIT:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_PREV:
                return QBrush(PREVIOUS_TEXT)
            if col in EDITABLE_COLUMNS and row.kind == "value" and not row.editable:
                return QBrush(LOCKED_TEXT)
            if col == COL_VALUE and row.source == "plan":
                return QBrush(PLAN_TEXT)
            if col == COL_VALUE and is_kps(row.number, row.text):
                return QBrush(KPS_TEXT_COLOUR)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        return None

    def _display(self, row: GridRow, col: int) -> str:
        if col == COL_CODE:
            return row.code
        if col == COL_NAME:
            return ("    " + row.name) if row.breakdown else row.name
        if col == COL_UNIT:
            return row.unit_label
        if col == COL_VALUE:
            return row.value_label if row.value_type in CHOICE_TYPES else row.value_display
        if col == COL_NOTE:
            return row.note
        return row.previous_display

    def _background(self, row: GridRow, col: int):
        if row.is_heading:
            return QBrush(GROUP_SHADE)
        if col not in EDITABLE_COLUMNS:
            return None
        if (row.code, col) in self.cell_errors:
            return QBrush(TINTS["error"])
        sev = row.severity
        if col == COL_VALUE and sev:
            return QBrush(TINTS[sev])
        if col == COL_NOTE and needs_note(row):
            return QBrush(TINTS["warning"])  # the note that would explain the warning
        if not row.editable:
            return QBrush(LOCKED_SHADE)
        return None

    def _tooltip(self, row: GridRow, col: int) -> str | None:
        if col == COL_NAME:
            return row.hint or None
        if col not in EDITABLE_COLUMNS or row.kind != "value":
            return None
        lines = []
        refused = self.cell_errors.get((row.code, col))
        if refused:
            lines.append(self.tr("Không ghi được: {m}").format(m=refused))
        if col == COL_VALUE:
            if row.source == "plan":
                lines.append(row.source_detail or row.source_label)
            elif row.overridden:
                lines.append(self.tr("Số liệu từ Kế hoạch là {plan}; đã sửa tay thành {value}.").format(
                    plan=row.source_value_display, value=row.value_display or self.tr("(trống)")))
                if row.source_detail:
                    lines.append(row.source_detail)
            elif row.source_label:
                lines.append(self.tr("Nguồn: {s}").format(s=row.source_label))
            if row.value_type in CHOICE_TYPES and row.choices:
                lines.append(self.tr("Mã trả lời: {c}").format(
                    c=" / ".join(f"{label} = {code}" for code, label in row.choices)))
            if not row.value_display:
                lines.append(self.tr("Chưa có số liệu (để trống khác với 0). Nếu trong kỳ không xảy ra, gõ KPS "
                                     "(Không phát sinh)."))
            elif is_kps(row.number, row.text):
                lines.append(self.tr("Không phát sinh: trong kỳ không xảy ra (khác với để trống và khác với 0)."))
        for p in row.problems:
            state = self.tr(" (đã có ghi chú)") if p.severity == "warning" and p.resolved else ""
            lines.append(f"{p.severity_label}{state}: {p.message}")
        if col == COL_NOTE and needs_note(row):
            lines.append(self.tr("Cảnh báo cần ghi chú giải thích ở ô này."))
        return "\n".join(lines) or None


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
            return self.tr("Dòng {code} là tiêu đề nhóm, không nhập số liệu.").format(code=model.rows[index.row()].code)
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
        block = parse_tsv(text)
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
