"""The table model under the return's entry grid (``gui.return_grid``).

``ReturnGridModel`` is a table model over ``core.returns.entry.grid_rows``: STT / Chỉ tiêu
thống kê / Đơn vị tính / Số liệu / Ghi chú / Kỳ trước. Every change goes at once through
``apply_edits`` (all-or-nothing, audited); a refused value keeps nothing and reports the
core's Vietnamese message. Each stored batch is one step on the model's ``QUndoStack``;
undo applies the inverse edits that ``apply_edits`` returned (saved and audited too).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QUndoCommand,
    QUndoStack,
)

from core.errors import NotFound
from core.returns.entry import Edit, EditResult, GridRow, apply_edits, grid_rows
from core.returns.store import KEEP, ConcurrentEditError, ReturnLockedError
from core.returns.validation import ValidationReport, validate_return
from core.values import is_kps
from core.vnformat import nfc
from db.engine import Database
from db.models import Return
from gui.table_model import Index, TableModel

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


class ReturnGridModel(TableModel):
    report_changed = Signal(object)  # the ValidationReport after a load or a stored change
    refused = Signal(str)  # a Vietnamese message: nothing was stored
    stored = Signal(object)  # the EditResult of a stored batch (also for undo/redo)

    def __init__(self, db: Database | None = None, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.return_id: int | None = None
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
        self._rows = rows
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
        except NotFound as exc:  # the return was deleted under us (a restore, another window)
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
        self._rows = rows
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

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def text(self, row: GridRow, column: int) -> str:
        return self._display(row, column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
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
        row = self.rows[index.row()]
        if index.column() in EDITABLE_COLUMNS and (row.editable or (index.column() == COL_NOTE and row.note_editable)):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, col = self.rows[index.row()], index.column()
        if col not in EDITABLE_COLUMNS or not (row.editable or (col == COL_NOTE and row.note_editable)):
            return False
        raw = "" if value is None else nfc(value) if isinstance(value, str) else value  # text comes in here: NFC
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
