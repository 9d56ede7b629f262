"""A task's content and its progress in the selected period (Tiến độ thực hiện), with its evidence.

The person chooses Chưa triển khai / Đang thực hiện / Hoàn thành; whether it is on time, late or
overdue is derived by core and shown read-only. The form opens on the task's effective state in
the period (``core.plans.task_state``): recorded in it, or carried from an earlier period with its
evidence, and says which. Saving goes through ``core.plans.progress.save_progress``: saving the form
untouched changes nothing; its Vietnamese messages are shown as they are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.periods import ensure_period, parse_period_code
from core.plans.evidence import add_evidence, evidence_file, remove_evidence
from core.plans.progress import ProgressError, save_progress
from core.plans.status import DONE_STATUSES, ENTRY_LABELS, ENTRY_STATUSES, period_rules
from core.plans.task_list import TaskDetail, task_detail
from core.vnformat import format_date, format_number
from db.engine import Database
from gui.date_field import DateField
from gui.screen_fit import fit_dialog
from gui.task_models import DONE_TEXT, OVERDUE_TEXT, SOON_TEXT

__all__ = ["EvidenceDialog", "TaskDetailPanel", "TaskDetailDialog"]

_ERROR_STYLE = "color: #b3261e; font-weight: bold;"


class _ErrorLabel(QLabel):
    """Core's Vietnamese message in red; takes no room when there is none."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(_ERROR_STYLE)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.hide()


def _value_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class EvidenceDialog(QDialog):
    """Thêm tài liệu kiểm chứng: số/ký hiệu, ngày, trích yếu and an attached file (copied by core)."""

    added = Signal(int)

    def __init__(self, db: Database, task_id: int, period_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.task_id, self.period_code = db, task_id, period_code
        self.setWindowTitle(self.tr("Thêm tài liệu kiểm chứng"))
        self.setMinimumWidth(620)
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("Ví dụ: Quyết định số 766/QĐ-UBND"))
        self.number.setMaxLength(128)
        self.day = DateField()
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText(self.tr("Trích yếu nội dung văn bản"))
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(70)
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(self.tr("(không đính kèm tệp)"))
        self.choose = QPushButton(self.tr("Chọn tệp…"))
        self.choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.choose)
        form = QFormLayout()
        form.addRow(self.tr("Số, ký hiệu văn bản:"), self.number)
        form.addRow(self.tr("Ngày văn bản:"), self.day)
        form.addRow(self.tr("Trích yếu:"), self.summary)
        form.addRow(self.tr("Tệp đính kèm:"), file_row)
        hint = QLabel(self.tr("Tệp được sao vào thư mục dữ liệu của chương trình; tệp gốc giữ nguyên."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.error = _ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Thêm"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn tệp tài liệu kiểm chứng"), "",
            self.tr("Văn bản (*.pdf *.doc *.docx *.xls *.xlsx *.jpg *.jpeg *.png);;Mọi tệp (*)"),
        )
        if path:
            self.file.setText(path)
            self.file.setToolTip(path)

    def save(self) -> None:
        try:
            with self.db.transaction() as s:
                period = ensure_period(s, self.period_code)
                ev = add_evidence(
                    s, self.task_id, period.id, document_number=self.number.text(), document_date=self.day.value(),
                    summary=self.summary.toPlainText(), file=self.file.text() or None, db_path=self.db.path,
                )
                new_id = ev.id
        except ProgressError as exc:
            self.error.setText(str(exc))
            return
        self.added.emit(new_id)
        self.accept()


class TaskDetailPanel(QWidget):
    """The task (read-only) beside its progress editor for one period."""

    saved = Signal(int)  # task id
    evidence_changed = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.task_id: int | None = None
        self.period_code: str | None = None
        self.unit_id: int | None = None
        self.detail: TaskDetail | None = None
        self._dirty = False
        self._loading = False
        self.evidence_dialog: EvidenceDialog | None = None
        self._evidence_rows: tuple = ()

        # --- the task, read-only -------------------------------------------------------------
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.objective = _value_label()
        self.title_label = _value_label()
        self.output = _value_label()
        self.lead = _value_label()
        self.partners = _value_label()
        self.timeframe = _value_label()
        self.deadline = _value_label()
        self.activities = _value_label()
        task_box = QGroupBox(self.tr("Nội dung nhiệm vụ"))
        info = QWidget()
        form = QFormLayout(info)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (
            (self.tr("Mục tiêu:"), self.objective),
            (self.tr("Nhiệm vụ:"), self.title_label),
            (self.tr("Sản phẩm:"), self.output),
            (self.tr("Cơ quan chủ trì:"), self.lead),
            (self.tr("Cơ quan phối hợp:"), self.partners),
            (self.tr("Thời gian thực hiện:"), self.timeframe),
            (self.tr("Thời hạn:"), self.deadline),
            (self.tr("Hoạt động:"), self.activities),
        ):
            form.addRow(label, widget)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(info)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        task_box.setMinimumWidth(340)
        QVBoxLayout(task_box).addWidget(scroll)

        # --- progress in the period ------------------------------------------------------------
        self.status_buttons: dict[str, QRadioButton] = {}
        self.status_group = QButtonGroup(self)
        status_row = QHBoxLayout()
        for code in ENTRY_STATUSES:
            b = QRadioButton(self.tr(ENTRY_LABELS[code]))
            self.status_buttons[code] = b
            self.status_group.addButton(b)
            status_row.addWidget(b)
            b.toggled.connect(self._status_toggled)
        status_row.addStretch(1)
        self.derived = QLabel()
        self.derived.setWordWrap(True)
        self.provenance = QLabel()
        self.provenance.setObjectName("provenance")
        self.provenance.setWordWrap(True)
        self.provenance.setStyleSheet("color: #1f3b63; background: #eef3fa; padding: 3px 6px; border-radius: 3px;")
        self.provenance.hide()
        self.completed_on = DateField()
        self.completed_on.changed.connect(self._mark_dirty)
        self.percent = QLineEdit()
        self.percent.setMaximumWidth(90)
        self.percent.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.percent.setPlaceholderText(self.tr("0–100"))
        self.percent.textEdited.connect(self._mark_dirty)
        percent_row = QHBoxLayout()
        percent_row.addWidget(self.percent)
        percent_row.addWidget(QLabel("%"))
        percent_row.addStretch(1)
        self.result_text = QPlainTextEdit()
        self.result_text.setTabChangesFocus(True)
        self.result_text.setPlaceholderText(self.tr("Kết quả đạt được, văn bản đã ban hành…"))
        self.result_text.textChanged.connect(self._mark_dirty)
        self.difficulties = QPlainTextEdit()
        self.difficulties.setTabChangesFocus(True)
        self.difficulties.setPlaceholderText(self.tr("Khó khăn, vướng mắc và kiến nghị (nếu có)"))
        self.difficulties.textChanged.connect(self._mark_dirty)
        self.result_text.setMinimumHeight(60)
        self.result_text.setMaximumHeight(110)
        self.difficulties.setMinimumHeight(50)
        self.difficulties.setMaximumHeight(80)
        self.progress_box = QGroupBox()
        pform = QFormLayout(self.progress_box)
        pform.addRow(self.provenance)
        pform.addRow(self.tr("Trạng thái:"), status_row)
        pform.addRow(self.tr("Đánh giá:"), self.derived)
        self.derived.setToolTip(self.tr("Chương trình tự xác định từ thời hạn của nhiệm vụ, ngày chốt số liệu của kỳ "
                                        "và ngày hoàn thành, theo tiến độ đã lưu."))
        pform.addRow(self.tr("Ngày hoàn thành:"), self.completed_on)
        pform.addRow(self.tr("Tỉ lệ hoàn thành:"), percent_row)
        pform.addRow(self.tr("Kết quả thực hiện:"), self.result_text)
        pform.addRow(self.tr("Khó khăn, vướng mắc:"), self.difficulties)
        self.error = _ErrorLabel()
        self.info = QLabel()
        self.info.setStyleSheet(f"color: {DONE_TEXT.name()};")
        self.save_button = QPushButton(self.tr("Lưu tiến độ"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Lưu (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        save_row = QHBoxLayout()
        save_row.addWidget(self.info, 1)
        save_row.addWidget(self.save_button)

        # --- evidence --------------------------------------------------------------------------
        self.evidence = QTableWidget(0, 5)
        self.evidence.setHorizontalHeaderLabels([
            self.tr("Số, ký hiệu văn bản"), self.tr("Ngày"), self.tr("Trích yếu"), self.tr("Tệp đính kèm"),
            self.tr("Ghi nhận ở kỳ")])
        self.evidence.verticalHeader().setVisible(False)
        self.evidence.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.evidence.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.evidence.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.evidence.setWordWrap(True)
        eh = self.evidence.horizontalHeader()
        eh.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        eh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.evidence.setColumnWidth(0, 160)
        self.evidence.setColumnWidth(1, 85)
        self.evidence.setColumnWidth(3, 120)
        self.evidence.setColumnWidth(4, 115)
        self.evidence.itemSelectionChanged.connect(self._update_evidence_buttons)
        self.evidence.doubleClicked.connect(lambda *_: self.open_evidence())
        self.add_evidence_button = QPushButton(self.tr("Thêm…"))
        self.add_evidence_button.clicked.connect(self.add_evidence)
        self.open_evidence_button = QPushButton(self.tr("Mở tệp"))
        self.open_evidence_button.clicked.connect(self.open_evidence)
        self.remove_evidence_button = QPushButton(self.tr("Xóa"))
        self.remove_evidence_button.clicked.connect(self.remove_evidence)
        ev_buttons = QHBoxLayout()
        ev_buttons.addWidget(self.add_evidence_button)
        ev_buttons.addWidget(self.open_evidence_button)
        ev_buttons.addWidget(self.remove_evidence_button)
        ev_buttons.addStretch(1)
        self.evidence_box = QGroupBox(self.tr("Tài liệu kiểm chứng"))
        ev_lay = QVBoxLayout(self.evidence_box)
        ev_lay.addWidget(self.evidence)
        ev_lay.addLayout(ev_buttons)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.progress_box)
        rl.addWidget(self.error)
        rl.addLayout(save_row)
        rl.addWidget(self.evidence_box, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(task_box)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        split.setSizes([420, 680])
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(split, 1)

    # --- loading ---------------------------------------------------------------------------------

    def load(self, task_id: int, period_code: str, unit_id: int | None = None) -> None:
        self.task_id, self.period_code, self.unit_id = task_id, period_code, unit_id
        spec = parse_period_code(period_code)
        with self.db.session() as s:
            d = task_detail(s, task_id, spec.code)
            cutoff = spec.data_window(period_rules(s, unit_id))[1]
        self.detail = d
        self._loading = True
        try:
            self._show_task(d)
            self.progress_box.setTitle(self.tr("Tiến độ thực hiện — {period} (số liệu đến ngày {d})").format(
                period=spec.label, d=format_date(cutoff)))
            self.status_buttons[d.entered_status].setChecked(True)
            self.completed_on.set_value(d.completed_on)
            self.completed_on.set_suggestion(min(date.today(), cutoff))
            self.percent.setText(format_number(d.percent_done))
            self.result_text.setPlainText(d.result_text or "")
            self.difficulties.setPlainText(d.difficulties or "")
            self.provenance.setText(d.provenance)  # core's Vietnamese sentence
            self.provenance.setVisible(bool(d.provenance))
            self._show_derived(d)
            self._show_evidence(d)
        finally:
            self._loading = False
        self._status_toggled()
        self._dirty = False
        self.error.clear()
        self.info.clear()

    def _show_task(self, d: TaskDetail) -> None:
        area = ". ".join(filter(None, [d.area_numeral, d.area_title]))
        number = ".".join(filter(None, [d.area_numeral, d.number]))
        self.heading.setText(self.tr("Nhiệm vụ {n}: {t}").format(n=number or "", t=d.title)
                             + (f"\n{area}" if area else ""))
        self.objective.setText(d.objective or "—")
        self.title_label.setText(d.title)
        self.output.setText(d.output or "—")
        self.lead.setText(d.lead or "—")
        self.partners.setText(d.partners or "—")
        self.timeframe.setText(d.timeframe_text or "—")
        deadline = d.timeframe_summary
        if d.due_date and d.due_date not in {day for _, day in d.milestones}:
            # a recurring deadline ("hàng năm") as it applies in this period's year
            deadline += self.tr("; hạn áp dụng cho kỳ này: {d}").format(d=format_date(d.due_date))
        if d.unread_clauses:
            deadline += "\n" + self.tr("Chưa đọc được: “{c}” (hãy đọc văn bản gốc)").format(
                c="”, “".join(d.unread_clauses))
            self.deadline.setStyleSheet(f"color: {SOON_TEXT.name()};")
        else:
            self.deadline.setStyleSheet("")
        if d.milestones and len(d.milestones) > 1:
            unread = self.tr("chưa đọc được")  # outside the f-string, where lupdate finds it
            deadline += "\n" + "\n".join(
                f"• {label}: {format_date(day) if day else unread}" for label, day in d.milestones)
        self.deadline.setText(deadline)
        if d.activities:
            lines = []
            for title, output, timeframe, due in d.activities:
                extra = "; ".join(filter(None, [output, timeframe, format_date(due) if due else None]))
                lines.append(f"• {title}" + (f" ({extra})" if extra else ""))
            self.activities.setText("\n".join(lines))
        else:
            self.activities.setText("—")

    def _show_derived(self, d: TaskDetail) -> None:
        colour = OVERDUE_TEXT if d.status == "overdue" else DONE_TEXT if d.status in DONE_STATUSES else None
        self.derived.setText(self.tr("{label} <span style='font-weight: normal; color: #555;'>(tự xác định theo "
                                     "thời hạn, theo tiến độ đã lưu)</span>").format(label=d.status_label))
        self.derived.setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "font-weight: bold;")

    def _show_evidence(self, d: TaskDetail) -> None:
        self._evidence_rows = d.evidence
        self.evidence.setRowCount(0)
        for e in d.evidence:
            r = self.evidence.rowCount()
            self.evidence.insertRow(r)
            when = self.tr("kỳ này") if e.source.kind == "recorded" else (e.source.period_label or "")
            cells = [e.document_number or "", format_date(e.document_date), e.summary or "", e.file_name or "", when]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.evidence.setItem(r, c, item)
        self.evidence.resizeRowsToContents()
        self.evidence_box.setTitle(self.tr("Tài liệu kiểm chứng ({n})").format(n=len(d.evidence)))
        self._update_evidence_buttons()

    def reload_evidence(self) -> None:
        """After adding or removing a document: the table only, so unsaved typing stays."""
        if self.task_id is None or not self.period_code:
            return
        with self.db.session() as s:
            d = task_detail(s, self.task_id, self.period_code)
        if self.detail is not None:
            self.detail = d  # the state as stored now; the typed fields stay as they are
        self._show_evidence(d)

    # --- editing ---------------------------------------------------------------------------------

    def chosen_status(self) -> str:
        for code, b in self.status_buttons.items():
            if b.isChecked():
                return code
        return "not_started"

    def set_status(self, code: str) -> None:
        self.status_buttons[code].setChecked(True)

    def _status_toggled(self, *_args) -> None:
        done = self.chosen_status() == "done"
        self.completed_on.setEnabled(done)
        self.completed_on.setToolTip("" if done else self.tr("Chỉ ghi ngày hoàn thành khi chọn “Hoàn thành”."))
        if not self._loading:
            typed = self.percent.text().strip()
            if done and typed != "100":
                # A done task is 100 % (core refuses anything else): switching keeps no stale 60,5 %, and
                # switching back gives the clerk's figure again.
                self._percent_before_done = typed
                self.percent.setText("100")
            elif not done and typed == "100":
                self.percent.setText(getattr(self, "_percent_before_done", ""))  # 100% belongs to "Hoàn thành"
            self._mark_dirty()

    def _mark_dirty(self, *_args) -> None:
        if not self._loading:
            self._dirty = True
            self.info.clear()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        if self.task_id is None or not self.period_code:
            return False
        status = self.chosen_status()
        before = self.detail.state if self.detail is not None else None
        try:
            with self.db.transaction() as s:
                period = ensure_period(s, self.period_code)
                after = save_progress(
                    s, self.task_id, period.id, status=status,
                    percent_done=self.percent.text(),
                    completed_on=self.completed_on.value() if status == "done" else None,
                    result_text=self.result_text.toPlainText(), difficulties=self.difficulties.toPlainText(),
                )
        except ProgressError as exc:
            self.error.setText(str(exc))
            return False
        task_id = self.task_id
        if before is not None and after == before:
            self._dirty = False
            self.info.setText(self.tr("Không có gì thay đổi."))
            return True
        self.load(task_id, self.period_code, self.unit_id)
        self.info.setText(self.tr("Đã lưu."))
        self.saved.emit(task_id)
        return True

    # --- evidence --------------------------------------------------------------------------------

    def _selected_evidence(self):
        rows = self.evidence.selectionModel().selectedRows() if self.evidence.selectionModel() else []
        if not rows:
            return None
        ev_id = self.evidence.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((e for e in self._evidence_rows if e.id == ev_id), None)

    def _update_evidence_buttons(self) -> None:
        has = bool(self.evidence.selectionModel() and self.evidence.selectionModel().selectedRows())
        row = self.evidence.currentRow()
        has_file = has and row >= 0 and bool(self.evidence.item(row, 3) and self.evidence.item(row, 3).text())
        self.open_evidence_button.setEnabled(has_file)
        self.remove_evidence_button.setEnabled(has)

    def select_evidence_row(self, row: int) -> None:
        self.evidence.selectRow(row)

    def add_evidence(self) -> EvidenceDialog | None:
        if self.task_id is None or not self.period_code:
            return None
        dlg = EvidenceDialog(self.db, self.task_id, self.period_code, self)
        dlg.added.connect(lambda *_: self._evidence_added())
        self.evidence_dialog = dlg
        dlg.open()
        return dlg

    def _evidence_added(self) -> None:
        self.reload_evidence()
        self.evidence.selectRow(self.evidence.rowCount() - 1)
        if self.task_id is not None:
            self.evidence_changed.emit(self.task_id)

    def open_evidence(self) -> None:
        ev = self._selected_evidence()
        if ev is None or not ev.stored_path or self.db.path is None:
            return
        path = evidence_file(ev, self.db.path)  # type: ignore[arg-type]  # reads only ``stored_path``
        if path is None or not Path(path).exists():
            QMessageBox.warning(self, self.tr("Không mở được tệp"),
                                self.tr("Không tìm thấy tệp “{name}” trong thư mục dữ liệu ({path}).").format(
                                    name=ev.file_name, path=path))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_evidence(self) -> None:
        ev = self._selected_evidence()
        if ev is None:
            return
        name = ev.document_number or ev.summary or ev.file_name or ""
        answer = QMessageBox.question(
            self, self.tr("Xóa tài liệu kiểm chứng"),
            self.tr("Xóa “{name}” khỏi danh sách tài liệu kiểm chứng của nhiệm vụ?\n"
                    "Bản sao của tệp vẫn được giữ trong thư mục dữ liệu.").format(name=name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.db.transaction() as s:
                # one carried from an earlier period stays there; this period's record drops it
                remove_evidence(s, ev.id, period_id=ensure_period(s, self.period_code).id)
        except ProgressError as exc:
            self.error.setText(str(exc))
            return
        self.reload_evidence()
        if self.task_id is not None:
            self.evidence_changed.emit(self.task_id)


class TaskDetailDialog(QDialog):
    """The panel in a window of its own; asks before closing with unsaved changes."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chi tiết nhiệm vụ và tiến độ"))
        self.panel = TaskDetailPanel(db, self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.panel, 1)
        lay.addWidget(close)
        fit_dialog(self, 1120, 720)

    def load(self, task_id: int, period_code: str, unit_id: int | None = None) -> None:
        self.panel.load(task_id, period_code, unit_id)

    def reject(self) -> None:
        if self.panel.dirty:
            answer = QMessageBox.question(
                self, self.tr("Chưa lưu"),
                self.tr("Tiến độ đã sửa chưa được lưu. Lưu trước khi đóng?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.panel.save():
                return
        super().reject()
