"""Qt table models of the "Tổng hợp" screen, over core results (no SQL here)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont

from core.intake.completeness import BoardRow
from core.intake.consolidated_view import GridValue, SourceRow
from core.intake.handmade import HandmadeLine
from core.intake.outcomes import FileOutcome
from gui.table_model import Index, TableModel

STATE_COLORS = {"on_time": "#e3f2e6", "late": "#fff1dc", "missing": "#fbe3e1", "decision": "#fff6c7"}
REVIEW_COLORS = {"pending": "#fff6c7", "accepted": "#e3f2e6", "sent_back": "#fbe3e1"}
OUTCOME_COLORS = {"imported": "#e3f2e6", "replaced": "#e1ecf7", "skipped": "#eeeeee", "rejected": "#fbe3e1",
                  "pending": "#fff6c7"}
SIGNATURE_COLORS = {"valid": "#e3f2e6", "unsigned": "#fff6c7", "untrusted": "#fff1dc", "invalid": "#fbe3e1",
                    "expired": "#fbe3e1", "revoked": "#fbe3e1"}


def tr(text: str) -> str:
    return QCoreApplication.translate("consolidation", text)


class _Model(TableModel):
    context = "consolidation"


class BoardModel(_Model):
    """The completeness board: one row per unit below."""

    columns = (
        ("Mã", lambda r: r.unit_code),
        ("Đơn vị", lambda r: r.unit_name if r.expected else f"{r.unit_name} (ngoài danh sách trực thuộc)"),
        ("Tình trạng", lambda r: r.state_label),
        ("Xem xét", lambda r: _review_cell(r)),
        ("Thời điểm gửi", lambda r: r.received_text),
        ("Nhiệm vụ hoàn thành", lambda r: r.task_text),
        ("Tệp", lambda r: r.file_name or r.decision_file or ""),
        ("Ghi chú", lambda r: _board_note(r)),
    )
    right_aligned = (5,)
    REVIEW_COLUMN = 3

    def background(self, row: BoardRow, column: int) -> str | None:
        if column == self.REVIEW_COLUMN:
            return REVIEW_COLORS.get(row.review or "")
        return STATE_COLORS.get(row.state) if column == 2 else None

    def tooltip(self, row: BoardRow, column: int) -> str | None:
        if column == self.REVIEW_COLUMN and row.review:
            tip = row.review_text
            if row.reviewed_by:
                tip += tr(" — {who}").format(who=row.reviewed_by)
            if row.review == "pending":
                tip += tr(". Chỉ báo cáo đã chấp nhận được tổng hợp: chọn dòng rồi bấm “Chấp nhận” hoặc “Trả lại…”.")
            return tip
        if row.state == "decision" and row.decision_reason:
            return row.decision_reason
        if column == 4 and row.received_basis == "exported":
            return tr("Thời điểm đơn vị xuất tệp (ghi trong tệp); so với hạn {due}.").format(
                due=row.due_date.strftime("%d/%m/%Y"))
        if column == 6:
            return row.file_name or row.decision_file
        return None


def _review_cell(r: BoardRow) -> str:
    """Short: "Chờ xem xét (bản mới)", "Trả lại", "Đã chấp nhận", with " — bản Nháp"; the rest is in the note."""
    if r.review is None:
        return ""
    text = tr(r.review_label)
    if r.review == "pending" and r.previous_review:
        text += tr(" (bản mới)")
    if r.draft:
        text += tr(" — bản Nháp")
    return text


def _board_note(r: BoardRow) -> str:
    parts = []
    if r.state == "decision":
        from core.intake.completeness import DECISION_SHORT

        parts.append(DECISION_SHORT.get(r.decision_code or "", r.decision_reason or ""))
    elif r.note:
        parts.append(r.note)
    if r.review == "sent_back" and r.review_note:
        parts.append(tr("Lý do trả lại: {why}").format(why=r.review_note))
    elif r.review == "accepted" and r.review_note:
        parts.append(tr("Ghi chú khi chấp nhận: {note}").format(note=r.review_note))
    elif r.review == "pending" and r.previous_review:
        parts.append(tr("Bản mới chờ xem xét lại; {previous}").format(
            previous=r.previous_review.removeprefix("bản mới; ")))
    return "; ".join(parts)


class OutcomeModel(_Model):
    """The per-file report of an import."""

    columns = (
        ("Tệp", lambda o: o.file_name),
        ("Đơn vị", lambda o: o.unit_name or o.unit_code or ""),
        ("Kỳ báo cáo", lambda o: o.period_label),
        ("Kết quả", lambda o: o.outcome_label),
        ("Xem xét", lambda o: ""),  # filled from ``reviews`` (the board, after each file and decision)
        ("Lý do", lambda o: o.reason),
        ("Chữ ký số", lambda o: _signature_cell(o)),
    )
    REVIEW_COLUMN = 4
    SIGNATURE_COLUMN = 6

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.reviews: dict[int, BoardRow | None] = {}  # imported_file_id → the board row it is current for

    def set_reviews(self, reviews: dict[int, BoardRow | None]) -> None:
        self.reviews = reviews
        self.column_changed(self.REVIEW_COLUMN)

    def review_row(self, outcome: FileOutcome) -> BoardRow | None:
        if outcome.outcome not in ("imported", "replaced") or outcome.imported_file_id is None:
            return None
        return self.reviews.get(outcome.imported_file_id)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == self.REVIEW_COLUMN and role == Qt.ItemDataRole.DisplayRole:
            o = self._rows[index.row()]
            if o.outcome not in ("imported", "replaced") or o.imported_file_id is None:
                return ""
            if o.imported_file_id not in self.reviews:
                return ""
            row = self.reviews[o.imported_file_id]
            return _review_cell(row) if row is not None else tr("Đã có bản mới hơn")
        return super().data(index, role)

    def background(self, row: FileOutcome, column: int) -> str | None:
        if column == self.REVIEW_COLUMN:
            b = self.review_row(row)
            return REVIEW_COLORS.get(b.review or "") if b is not None else None
        if column == self.SIGNATURE_COLUMN and row.signature is not None:
            return SIGNATURE_COLORS.get(row.signature.status)
        return OUTCOME_COLORS.get(row.outcome) if column == 3 else None

    def tooltip(self, row: FileOutcome, column: int) -> str | None:
        if column == self.REVIEW_COLUMN:
            b = self.review_row(row)
            return b.review_text if b is not None else None
        if column == self.SIGNATURE_COLUMN and row.signature is not None:
            parts = [row.signature.reason]
            if row.certificate_text:
                parts.append(tr("Chứng thư số: {c}").format(c=row.certificate_text))
            if row.signature.signed_at_text:
                parts.append(tr("Thời điểm ký: {t}").format(t=row.signature.signed_at_text))
            return "\n".join(parts)
        return row.reason if column == 5 else row.path



def _signature_cell(o: FileOutcome) -> str:
    """"Đã ký số hợp lệ\nNguyễn Thị Lan (UBND xã Minh Họa)"; "Chưa ký số"; "" for an unreadable file."""
    if o.signature is None:
        return ""
    return f"{o.signature_label}\n{o.signer_text}" if o.signer_text else o.signature_label


class ReceivedFilesModel(_Model):
    """The files the units below sent with their returns (core.intake.received_files)."""

    columns = (
        ("Đơn vị", lambda r: r.unit_name or r.unit_code),
        ("Loại", lambda r: r.role_label),
        ("Nhiệm vụ", lambda r: r.task),
        ("Văn bản", lambda r: r.document),
        ("Tệp", lambda r: r.file_name),
    )

    def tooltip(self, row, column: int) -> str | None:  # noqa: ANN001
        return tr("Nhận trong gói “{p}”; SHA-256 {h}").format(p=row.source_file, h=row.sha256)


class ConsolidatedModel(_Model):
    """The consolidated return: each value with the units behind it and how it was consolidated.

    The value column is editable while the return is a draft; ``edit`` is called with (code, text).
    """

    columns = (
        ("STT", lambda g: "" if g.breakdown else g.code),
        ("Chỉ tiêu thống kê", lambda g: ("    " + g.name) if g.breakdown else g.name),
        ("Đơn vị tính", lambda g: g.unit_label),
        ("Số liệu", lambda g: g.value_display),
        ("Số đơn vị", lambda g: g.coverage_text),
        ("Cách tổng hợp", lambda g: g.method_label),
        ("Ghi chú", lambda g: g.note),
    )
    right_aligned = (3, 4)
    VALUE_COLUMN = 3

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.editable = False
        self.edit: Callable[[str, str], bool] | None = None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)  # none for the invalid index (the root)
        if (self.editable and index.isValid() and index.column() == self.VALUE_COLUMN
                and self._rows[index.row()].kind == "value"):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.EditRole and index.isValid():
            g = self._rows[index.row()]
            return g.value_display.split(" – ")[0]
        return super().data(index, role)

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or self.edit is None or not index.isValid():
            return False
        return self.edit(self._rows[index.row()].code, str(value))

    def background(self, row: GridValue, column: int) -> str | None:
        if row.conflict and column in (3, 4):
            return "#fff6c7"
        if row.kind == "group":
            return "#eef3f8"
        return None

    def font(self, row: GridValue, column: int) -> QFont | None:
        if row.kind == "group":
            f = QFont()
            f.setBold(True)
            return f
        if row.breakdown:
            f = QFont()
            f.setItalic(True)
            return f
        return None

    def tooltip(self, row: GridValue, column: int) -> str | None:
        if row.conflict:
            return tr("Số do người dùng nhập, khác số tổng hợp ({computed}). Bấm “Tổng hợp số liệu” và chọn "
                      "dùng số tổng hợp nếu muốn thay.").format(computed=row.computed_display)
        if row.kind == "value" and row.detail:
            return row.detail + tr(". Bấm đúp để xem các đơn vị.")
        return None


class SourcesModel(_Model):
    """The units (and files) behind one consolidated value."""

    columns = (
        ("Mã", lambda s: s.unit_code),
        ("Đơn vị", lambda s: s.unit_name),
        ("Tình trạng", lambda s: s.state_label),
        ("Số liệu", lambda s: s.value_display),
        ("Ghi chú", lambda s: s.note),
        ("Tệp", lambda s: s.file_name),
        ("Xuất lúc", lambda s: s.exported_at),
    )
    right_aligned = (3,)

    def tooltip(self, row: SourceRow, column: int) -> str | None:
        return row.note or None if column == 4 else (row.file_name or None if column == 5 else None)

    def background(self, row: SourceRow, column: int) -> str | None:
        if column != 2:
            return None
        return {"included": "#e3f2e6", "blank": "#eeeeee", "missing": "#fbe3e1", "decision": "#fff6c7",
                "pending": "#fff6c7", "sent_back": "#fbe3e1", "accepted_later": "#e1ecf7"}[row.state]


class HandmadeLinesModel(_Model):
    columns = (
        ("Dòng", lambda line: str(line.row)),
        ("STT trong tệp", lambda line: line.stt),
        ("Chỉ tiêu trong tệp", lambda line: line.name),
        ("Mã biểu mẫu", lambda line: line.code or ""),
        ("Số liệu", lambda line: line.value_display or line.raw_value),
        ("Kết quả", lambda line: line.status_label),
        ("Cách khớp, ghi chú", lambda line: "; ".join(x for x in (line.how if line.how != "mã" else "",
                                                                    line.message) if x)),
    )
    right_aligned = (0, 4)

    def background(self, row: HandmadeLine, column: int) -> str | None:
        if column != 5:
            return None
        return {"matched": "#e3f2e6", "unmatched": "#fff6c7", "error": "#fbe3e1", "ignored": "#eeeeee"}[row.status]


class EditedCellsModel(_Model):
    """Cells edited in Excel after export, with the user's choice per cell (the last column is a check box)."""

    columns = (
        ("Mã", lambda c: c.code),
        ("Chỉ tiêu", lambda c: c.name + (" (ghi chú)" if c.kind == "note" else "")),
        ("Lúc xuất", lambda c: c.exported or "(trống)"),
        ("Trong tệp bây giờ", lambda c: c.now or "(trống)"),
        ("Giữ số trong tệp", lambda c: ""),
    )

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.keep_file: dict[str, bool] = {}

    def set_rows(self, rows: Sequence) -> None:
        self.keep_file = {c.code: True for c in rows}
        super().set_rows(rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)  # none for the invalid index (the root)
        if index.isValid() and index.column() == 4:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 4:
            code = self._rows[index.row()].code
            return Qt.CheckState.Checked if self.keep_file.get(code) else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 4:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            self.keep_file[self._rows[index.row()].code] = checked
            self.dataChanged.emit(index, index)
            return True
        return False

    def choices(self) -> dict[str, str]:
        return {code: "file" if keep else "exported" for code, keep in self.keep_file.items()}
