"""Dialogs of the "Tổng hợp" screen: importing files (with a per-file report), deciding about a file,
a hand-made return's preview, and the units behind a consolidated value.

Every decision and every write goes through ``core`` (``ReturnImporter``, ``store_handmade``);
the import itself runs as a ``gui.jobs.Job`` in one transaction, with a progress bar whose "Dừng"
cancels it: a stopped import writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.intake.completeness import completeness
from core.intake.handmade import HandmadePreview, read_handmade, store_handmade
from core.intake.importer import ReturnImporter
from core.intake.outcomes import FileDecision, FileOutcome, ImportPolicy, ImportReport
from core.intake.return_files import collect_files
from core.jobs import Progress
from core.org.units import children_of, unit_tree
from core.periods import parse_period_code
from gui import export_actions
from gui.consolidation_models import (
    EditedCellsModel,
    HandmadeLinesModel,
    OutcomeModel,
    ReceivedFilesModel,
    SourcesModel,
)
from gui.jobs import Job
from gui.refusals import show_refusal
from gui.review_dialogs import Reviewer
from gui.screen_fit import fit_dialog


def tr(text: str) -> str:
    return QCoreApplication.translate("consolidation", text)


def _table(model, stretch: int | None = None, widths: dict[int, int] | None = None) -> QTableView:  # noqa: ANN001
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    if stretch is not None:
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for col, w in (widths or {}).items():
        view.setColumnWidth(col, w)
    return view


# --------------------------------------------------------------------------- the import


class _FileDone(QObject):
    """Carries each file's outcome from the worker thread to the dialog (a queued signal)."""

    outcome = Signal(object)


class ImportDialog(QDialog):
    """Import return files for a unit and period; shows each file's outcome as it goes.

    Files needing a decision (cells edited in Excel, a unit outside the list) wait as
    "Chờ quyết định" until the user decides; an older version can still be taken on request.
    Closing the dialog records the files left undecided as refused. Every stored file's return
    is "Chờ xem xét" (a newer version of an accepted one too) until "Chấp nhận" or "Trả lại…".
    """

    def __init__(self, db, parent_unit_id: int, period_code: str, paths: list[Path],  # noqa: ANN001
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.period_code = period_code
        self.paths = collect_files(paths)
        self.importer = ReturnImporter(db, parent_unit_id, ImportPolicy(period_code=period_code, edits="ask",
                                                                        other_units="ask", older="skip"))
        self.report: ImportReport | None = None
        self.running = False
        self.setWindowTitle(tr("Nhập báo cáo của đơn vị cấp dưới"))
        fit_dialog(self, 1180, 640)
        spec = parse_period_code(period_code)
        self.heading = QLabel(tr("<b>Nhập báo cáo {period} gửi {unit}</b> — {n} tệp").format(
            period=spec.label, unit=self.importer.parent_name, n=len(self.paths)))
        self.progress = QProgressBar()
        self.progress.setRange(0, max(len(self.paths), 1))
        self.progress.setFormat(tr("%v/%m tệp"))
        self.stop_button = QPushButton(tr("Dừng"))
        self.stop_button.setToolTip(tr("Dừng nhập: chưa tệp nào được ghi vào cơ sở dữ liệu."))
        self.stop_button.clicked.connect(self.request_stop)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = OutcomeModel(self)
        self.view = _table(self.model, stretch=5, widths={0: 240, 1: 160, 2: 130, 3: 90, 4: 140, 6: 200})
        self.view.doubleClicked.connect(lambda *_: self.decide_selected())
        self.decide_button = QPushButton(tr("Xem và quyết định…"))
        self.decide_button.setToolTip(tr("Tệp chờ quyết định: xem các ô bị sửa trong Excel, chọn số cần giữ."))
        self.decide_button.clicked.connect(self.decide_selected)
        self.older_button = QPushButton(tr("Vẫn dùng bản này"))
        self.older_button.setToolTip(tr("Tệp bị bỏ qua vì là bản cũ hơn: dùng nó thay bản đã nhập."))
        self.older_button.clicked.connect(self.take_older)
        self.accept_button = QPushButton(tr("Chấp nhận"))
        self.accept_button.setToolTip(tr("Chấp nhận báo cáo vừa nhập (được tính khi tổng hợp); bản Nháp hoặc báo "
                                         "cáo có lỗi cần ghi chú lý do."))
        self.accept_button.clicked.connect(lambda: self.accept_selected())
        self.send_back_button = QPushButton(tr("Trả lại…"))
        self.send_back_button.setToolTip(tr("Trả lại báo cáo kèm lý do; thông báo gửi đơn vị được chép sẵn."))
        self.send_back_button.clicked.connect(lambda: self.send_back_selected())
        self.reviewer = Reviewer(self, db, self.importer.parent_id, parse_period_code(period_code).code,
                                 self._reviewed)
        self.save_button = QPushButton(tr("Lưu kết quả…"))
        self.save_button.clicked.connect(self.save_report)
        self.close_button = QPushButton(tr("Đóng"))
        self.close_button.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.stop_button)
        buttons = QHBoxLayout()
        for b in (self.decide_button, self.older_button, self.accept_button, self.send_back_button,
                  self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.view, 1)
        lay.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.job: Job | None = None
        self._update_buttons()

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        self.running = True
        files = _FileDone(self)
        files.outcome.connect(self._file_done)  # queued: emitted on the worker thread
        importer, paths = self.importer, self.paths

        def work(progress: Progress) -> ImportReport:
            return importer.run(paths, progress=progress, on_file=files.outcome.emit)

        self.job = Job(self, work, self._finished).failure(self._failed).on_cancel(self._stopped)
        self.job.on_finish(self._end_job)
        self.job.progressed.connect(self._on_progress)
        self.summary.setText(tr("Đang nhập…"))
        self._update_buttons()
        self.job.run_in_background()

    @Slot(object)
    def _file_done(self, outcome: FileOutcome) -> None:
        if not self.running:
            return  # arrived after "Dừng": rolled back
        self.model.append(outcome)

    def refresh_reviews(self) -> None:
        """Each stored file's review, from the board (pending until accepted or sent back)."""
        ids = {o.imported_file_id for o in self.model.rows
               if o.outcome in ("imported", "replaced") and o.imported_file_id is not None}
        if not ids:
            return
        with self.db.session() as s:
            rows = {r.imported_file_id: r for r in completeness(s, self.importer.parent_id, self.period_code).rows
                    if r.imported_file_id is not None}
        self.model.set_reviews({fid: rows.get(fid) for fid in ids})
        self._update_buttons()

    def _reviewed(self, message: str) -> None:
        self.refresh_reviews()
        head = self.report.summary() + ". " if self.report is not None else ""
        self.summary.setText(head + message)

    def _selected_review(self):  # noqa: ANN202 - BoardRow | None
        sel = self._selected()
        return self.model.review_row(sel[1]) if sel is not None else None

    def accept_selected(self, *, open_dialog: bool = True):  # noqa: ANN201
        row = self._selected_review()
        if row is None or self.running:
            return None
        return self.reviewer.accept(row.unit_code, row.version, open_dialog=open_dialog)

    def send_back_selected(self, *, open_dialog: bool = True):  # noqa: ANN201
        row = self._selected_review()
        if row is None or self.running:
            return None
        return self.reviewer.send_back(row.unit_code, row.version, open_dialog=open_dialog)

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setValue(done)

    def request_stop(self) -> None:
        if self.job is not None:
            self.job.cancel()  # the worker stops at its next file; the transaction rolls back

    def _end_job(self) -> None:
        self.running = False
        self._update_buttons()

    def _stopped(self) -> None:
        self.model.set_rows([])
        self.progress.setValue(0)
        self.summary.setText(tr("Đã dừng. Chưa nhập tệp nào: cơ sở dữ liệu không thay đổi."))

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        self.progress.setValue(len(report.outcomes))
        self.refresh_reviews()
        self._show_summary()
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(tr("Chưa nhập được: {m}").format(m=str(exc)))

    def _show_summary(self) -> None:
        if self.report is None:
            return
        text = self.report.summary() + "."
        if self.report.stored:
            text += tr(" Báo cáo vừa nhập chờ xem xét: chọn từng dòng rồi bấm “Chấp nhận” hoặc “Trả lại…”; chỉ báo "
                       "cáo đã chấp nhận được tổng hợp.")
        if self.report.pending:
            text += tr(" Chọn từng tệp “Chờ quyết định” rồi bấm “Xem và quyết định…”; tệp chưa quyết định "
                       "khi đóng hộp thoại sẽ được ghi là từ chối.")
        self.summary.setText(text)

    # ------------------------------------------------------------------ decisions

    def _selected(self) -> tuple[int, FileOutcome] | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        r = rows[0].row()
        return r, self.model.row_at(r)

    def _update_buttons(self) -> None:
        sel = self._selected()
        done = not self.running
        self.stop_button.setEnabled(self.running)
        self.decide_button.setEnabled(done and sel is not None and sel[1].outcome == "pending")
        self.older_button.setEnabled(done and sel is not None and sel[1].reason_code == "older")
        review = self.model.review_row(sel[1]) if sel is not None else None
        self.accept_button.setEnabled(done and review is not None and review.review != "accepted")
        self.send_back_button.setEnabled(done and review is not None and review.review != "sent_back")
        self.save_button.setEnabled(done and self.report is not None)
        self.close_button.setEnabled(done)

    def decide_selected(self) -> None:
        sel = self._selected()
        if sel is None or sel[1].outcome != "pending" or self.running:
            return
        r, outcome = sel
        dialog = DecisionDialog(outcome, self.importer.parent_name, self)
        if not dialog.exec():
            return
        self.apply_decision(r, dialog.decision())

    def apply_decision(self, r: int, decision: FileDecision) -> FileOutcome:
        """Store (or refuse) the pending file of row ``r`` as decided."""
        pending = self.model.row_at(r)
        result = self.importer.store(pending.inspection, decision)
        self._replace(r, result)
        return result

    def take_older(self) -> None:
        sel = self._selected()
        if sel is None or sel[1].reason_code != "older":
            return
        r, outcome = sel
        answer = QMessageBox.question(self, tr("Dùng bản cũ hơn"), tr(
            "Tệp “{name}” được xuất trước bản đã nhập. Vẫn dùng tệp này thay cho bản đã nhập?").format(
            name=outcome.file_name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        ins = self.importer.inspect(Path(outcome.path))
        self._replace(r, self.importer.store(ins, FileDecision(replace_older=True)))

    def _replace(self, r: int, result: FileOutcome) -> None:
        self.model.replace(r, result)
        if self.report is not None:
            self.report.outcomes[r] = result
        self._show_summary()
        self.refresh_reviews()
        self._update_buttons()

    def save_report(self) -> None:
        if self.report is None:
            return
        start = str(export_actions.last_export_dir() / f"KetQuaNhap_{self.period_code}.xlsx")
        chosen, _ = QFileDialog.getSaveFileName(self, tr("Lưu kết quả nhập"), start,
                                                tr("Bảng tính Excel (*.xlsx);;Tệp CSV (*.csv)"))
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_name(path.name + ".xlsx")
        self.report.save(path)
        export_actions.remember_export_dir(path.parent)

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: also on Esc and the window's close button
        if self.running:
            return
        if self.report is not None:
            for r, o in enumerate(list(self.report.outcomes)):
                if o.outcome == "pending":
                    self._replace(r, self.importer.record_pending(o))
        super().done(result)


class DecisionDialog(QDialog):
    """One file's questions: cells edited in Excel (per cell: keep the file's value or the exported one),
    a unit outside the list."""

    def __init__(self, outcome: FileOutcome, parent_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome = outcome
        ins = outcome.inspection
        self.setWindowTitle(tr("Quyết định nhận tệp"))
        fit_dialog(self, 900, 480)
        lay = QVBoxLayout(self)
        head = QLabel(tr("<b>{file}</b> — {unit}, {period}, xuất lúc {when}").format(
            file=outcome.file_name, unit=outcome.unit_name or outcome.unit_code or "",
            period=outcome.period_label, when=outcome.exported_text))
        head.setWordWrap(True)
        lay.addWidget(head)
        self.accept_unit = QCheckBox(tr("Nhận báo cáo của {unit} dù không phải đơn vị trực thuộc {parent}").format(
            unit=outcome.unit_name or outcome.unit_code or "", parent=parent_name))
        self.accept_unit.setVisible(bool(ins and ins.not_child))
        self.accept_unit.setChecked(False)
        lay.addWidget(self.accept_unit)
        self.cells = EditedCellsModel(self)
        self.cells.set_rows(ins.edited if ins else [])
        if ins and ins.edited:
            lay.addWidget(QLabel(tr("Các ô bị sửa trong Excel sau khi xuất. Đánh dấu “Giữ số trong tệp” để nhận số "
                                    "đang có trong tệp; bỏ đánh dấu để giữ số lúc xuất.")))
            self.view = _table(self.cells, stretch=1, widths={0: 80, 2: 130, 3: 150, 4: 140})
            lay.addWidget(self.view, 1)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(tr("Nhập với lựa chọn này"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.refuse = buttons.addButton(tr("Không nhận tệp này"), QDialogButtonBox.ButtonRole.DestructiveRole)
        cancel = buttons.addButton(tr("Để sau"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.clicked.connect(self.accept)
        self.refuse.clicked.connect(self._refuse)
        cancel.clicked.connect(self.reject)
        self._refused = False
        lay.addWidget(buttons)

    def _refuse(self) -> None:
        self._refused = True
        self.accept()

    def decision(self) -> FileDecision:
        if self._refused:
            return FileDecision(refuse=True)
        return FileDecision(edits=self.cells.choices() or None, accept_other_unit=self.accept_unit.isChecked())


# --------------------------------------------------------------------------- hand-made returns


@dataclass(frozen=True)
class HandmadeReading:
    """What the hand-made return dialog shows: the file read and matched, and the units to choose from (the
    units below in the period first, ``children`` of them, then the others)."""

    preview: HandmadePreview
    units: list[tuple[str, str]]
    children: int


def read_handmade_file(db, parent_unit_id: int, period_code: str, path: Path) -> HandmadeReading:  # noqa: ANN001
    """Read and match a hand-typed appendix (no widget: run it off the GUI thread); nothing is stored."""
    spec = parse_period_code(period_code)
    with db.session() as s:
        preview = read_handmade(s, path, parent=parent_unit_id)
        kids = children_of(s, parent_unit_id, on=spec.end_date)
        kid_ids = {u.id for u in kids}
        units = [(u.code, u.name) for u in kids] + [
            (r.code, r.name) for r in unit_tree(s) if r.id not in kid_ids and r.id != parent_unit_id]
    return HandmadeReading(preview, units, len(kids))


class HandmadeDialog(QDialog):
    """Preview of a hand-typed appendix (``read_handmade_file``): lines matched, not matched, missing; choose the
    unit; confirm."""

    def __init__(self, db, parent_unit_id: int, period_code: str, reading: HandmadeReading,  # noqa: ANN001
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.parent_unit_id = parent_unit_id
        self.period_code = period_code
        self.outcome: FileOutcome | None = None
        self.setWindowTitle(tr("Nhập biểu điền tay"))
        fit_dialog(self, 1180, 680)
        spec = parse_period_code(period_code)
        self.preview: HandmadePreview = reading.preview
        units, n_kids = reading.units, reading.children
        lay = QVBoxLayout(self)
        head = QLabel(self.preview.summary())
        head.setWordWrap(True)
        lay.addWidget(head)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Đơn vị của biểu:")))
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(360)
        for i, (code, name) in enumerate(units):
            self.unit_combo.addItem(f"{name} ({code})" if i < n_kids else
                                    tr("{name} ({code}) — ngoài danh sách trực thuộc").format(name=name, code=code),
                                    code)
        self.unit_combo.setCurrentIndex(-1)
        guess = self.preview.guessed_unit
        if guess:
            self.unit_combo.setCurrentIndex(self.unit_combo.findData(guess[0]))
        row.addWidget(self.unit_combo)
        row.addWidget(QLabel(tr("   Kỳ báo cáo: <b>{p}</b>").format(p=spec.label)))
        row.addStretch(1)
        lay.addLayout(row)
        notes = []
        if guess:
            notes.append(tr("Đơn vị đoán từ {source}: {name} — kiểm tra trước khi xác nhận.").format(
                source=self.preview.guessed_unit_from, name=guess[1]))
        else:
            notes.append(tr("Không đoán được đơn vị từ tiêu đề hay tên tệp: hãy chọn đơn vị."))
        if self.preview.guessed_period and self.preview.guessed_period != spec.code:
            notes.append(tr("Lưu ý: tiêu đề của biểu ghi kỳ {p}, khác kỳ đang tổng hợp.").format(
                p=parse_period_code(self.preview.guessed_period).label))
        self.note = QLabel(" ".join(notes))
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        tabs = QTabWidget()
        matched = HandmadeLinesModel(self)
        matched.set_rows(self.preview.matched)
        others = HandmadeLinesModel(self)
        others.set_rows(self.preview.unmatched + self.preview.errors)
        self.matched_view = _table(matched, stretch=6, widths={0: 55, 1: 90, 2: 480, 3: 90, 4: 90, 5: 80})
        self.others_view = _table(others, stretch=6, widths={0: 55, 1: 90, 2: 480, 3: 90, 4: 110, 5: 100})
        tabs.addTab(self.matched_view, tr("Dòng khớp ({n})").format(n=len(self.preview.matched)))
        tabs.addTab(self.others_view, tr("Không khớp, lỗi ({n})").format(
            n=len(self.preview.unmatched) + len(self.preview.errors)))
        missing_label = QLabel("\n".join(f"{c}  {n}" for c, n in self.preview.missing)
                               or tr("Biểu có đủ các chỉ tiêu của biểu mẫu."))
        missing_label.setWordWrap(True)
        tabs.addTab(missing_label, tr("Thiếu trong tệp ({n})").format(n=len(self.preview.missing)))
        self.tabs = tabs
        lay.addWidget(tabs, 1)
        buttons = QDialogButtonBox()
        self.confirm_button = buttons.addButton(tr("Xác nhận nhập"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.confirm)
        self.confirm_button.setEnabled(not self.preview.errors)
        if self.preview.errors:
            self.confirm_button.setToolTip(tr("Có ô số liệu không đọc được: sửa trong tệp rồi nhập lại."))
        lay.addWidget(buttons)

    def confirm(self) -> None:
        code = self.unit_combo.currentData()
        if not code:
            QMessageBox.warning(self, tr("Chưa chọn đơn vị"), tr("Hãy chọn đơn vị của biểu trước khi nhập."))
            return
        outside = self.unit_combo.currentIndex() >= 0 and "ngoài danh sách" in self.unit_combo.currentText()
        if outside:
            answer = QMessageBox.question(self, tr("Đơn vị ngoài danh sách"), tr(
                "Đơn vị đã chọn không phải đơn vị trực thuộc trong kỳ này. Vẫn nhận báo cáo của đơn vị này?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.outcome = store_handmade(self.db, self.parent_unit_id, self.preview, code, self.period_code,
                                          accept_other_unit=outside)
        except Refused as exc:
            show_refusal(self, exc, tr("Chưa nhập được"))
            return
        self.accept()


# --------------------------------------------------------------------------- drill-down


class SourcesDialog(QDialog):
    """The units and files behind one consolidated value."""

    def __init__(self, head, rows, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle(tr("Nguồn số liệu tổng hợp"))
        fit_dialog(self, 1100, 560)
        lay = QVBoxLayout(self)
        title = QLabel(tr("<b>{code} {name}: {value}</b>").format(
            code=head.code, name=head.name, value=head.value_display or tr("(trống)")))
        title.setWordWrap(True)
        lay.addWidget(title)
        detail = QLabel(head.detail or head.method_label)
        detail.setWordWrap(True)
        lay.addWidget(detail)
        self.model = SourcesModel(self)
        self.model.set_rows(rows)
        self.view = _table(self.model, stretch=4, widths={0: 110, 1: 230, 2: 120, 3: 80, 5: 250, 6: 120})
        lay.addWidget(self.view, 1)
        close = QPushButton(tr("Đóng"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        lay.addLayout(bottom)


class ReceivedFilesDialog(QDialog):
    """The files the units below sent in their return packages (signed report, evidence), each opened
    with the system's program after its SHA-256 is checked again."""

    def __init__(self, db, parent_unit_id: int, period_code: str, rows, heading: str,  # noqa: ANN001
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(tr("Tài liệu đơn vị gửi kèm báo cáo"))
        fit_dialog(self, 1100, 480)
        self.model = ReceivedFilesModel(self)
        self.model.set_rows(rows)
        self.view = _table(self.model, stretch=3, widths={0: 170, 1: 130, 2: 280, 4: 260})
        self.view.doubleClicked.connect(lambda *_: self.open_selected())
        label = QLabel(heading)
        label.setWordWrap(True)
        self.open_button = QPushButton(tr("Mở tệp"))
        self.open_button.clicked.connect(self.open_selected)
        close = QPushButton(tr("Đóng"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(self.view, 1)
        lay.addLayout(buttons)
        self.open_button.setEnabled(bool(rows))
        if rows:
            self.view.selectRow(0)

    def open_selected(self) -> Path | None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from core.intake.received_files import open_received

        sel = self.view.selectionModel().selectedRows()
        if not sel:
            return None
        row = self.model.row_at(sel[0].row())
        with self.db.session() as s:
            path = open_received(s, row.id, self.db.path)
        if path is None:
            QMessageBox.warning(self, tr("Không mở được tệp"), tr(
                "Không tìm thấy tệp “{name}” hoặc tệp đã bị thay đổi sau khi nhận.").format(name=row.file_name))
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path
