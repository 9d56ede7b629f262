"""Tổng hợp: receiving the returns of the units below, and consolidating them.

- the completeness board: every unit below with its state (đúng hạn, quá hạn, chưa nhận, cần
  quyết định), its review (chờ xem xét, đã chấp nhận, trả lại), when it sent its file, its task
  completion; the "đã nhận X/Y đơn vị" and "đã chấp nhận A/N đơn vị" sentences; the list of
  missing units copied for a reminder;
- reviewing: "Chấp nhận" and "Trả lại…" (buttons and the row's context menu) for the selected
  unit; the note sent down with a return sent back is copied to the clipboard or saved as .txt;
  "Chấp nhận các báo cáo hợp lệ" accepts every pending return that needs no note;
- importing: files or a folder chosen, or dropped onto the screen; each file's outcome in the
  import dialog; a hand-typed appendix previewed and confirmed;
- the consolidated return: each value with the units it covers and how it was consolidated;
  a double click shows the units and files behind it; values can still be edited while the
  return is a draft.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.intake.completeness import Board, BoardRow, completeness
from core.intake.consolidated_view import changed_since_run, consolidated_grid, value_sources
from core.intake.consolidation import consolidate
from core.intake.review import accept_valid
from core.jobs import Progress
from core.periods import parse_period_code
from core.returns.entry import apply_edits
from core.returns.store import STATUS_LABELS
from db.dialect import begin_consistent_read
from gui import export_actions
from gui.consolidation_dialogs import (
    HandmadeDialog,
    HandmadeReading,
    ImportDialog,
    ReceivedFilesDialog,
    SourcesDialog,
    read_handmade_file,
)
from gui.consolidation_models import BoardModel, ConsolidatedModel
from gui.jobs import Job
from gui.pages import Page
from gui.refusals import show_refusal
from gui.review_dialogs import Reviewer


class ConsolidationPage(Page):
    def __init__(self, db, parent=None) -> None:  # noqa: ANN001
        super().__init__(db, parent)
        self.setAcceptDrops(True)
        self.board: Board | None = None
        self.return_id: int | None = None
        self._runner: Job | None = None
        self._blank_runner: Job | None = None
        self._handmade_runner: Job | None = None

        title = QLabel(self.tr("<b>Tổng hợp báo cáo của các đơn vị trực thuộc</b>"))
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setObjectName("headline")
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.import_files_action = bar.addAction(self.tr("Nhập báo cáo…"), self.choose_files)
        self.import_files_action.setToolTip(self.tr("Chọn một hoặc nhiều tệp Excel báo cáo do đơn vị gửi lên"))
        self.import_folder_action = bar.addAction(self.tr("Nhập cả thư mục…"), self.choose_folder)
        self.handmade_action = bar.addAction(self.tr("Nhập biểu điền tay…"), self.choose_handmade)
        self.handmade_action.setToolTip(self.tr("Biểu mẫu Excel do đơn vị không dùng chương trình tự điền"))
        self.blank_forms_action = bar.addAction(self.tr("Gửi biểu mẫu trống…"), self.send_blank_forms)
        self.blank_forms_action.setToolTip(self.tr("Lập biểu mẫu trống (Excel) của kỳ này cho các đơn vị chưa gửi báo "
                                                   "cáo (hoặc đơn vị đang chọn), để đơn vị chưa dùng chương trình điền "
                                                   "tay rồi gửi lại; nhập lại bằng “Nhập biểu điền tay…”"))
        self.received_action = bar.addAction(self.tr("Tài liệu đơn vị gửi kèm…"), self.show_received_files)
        self.received_action.setToolTip(self.tr("Báo cáo PDF đã ký và tài liệu kiểm chứng đơn vị gửi trong gói báo "
                                                "cáo (.zip)"))
        bar.addSeparator()
        self.copy_action = bar.addAction(self.tr("Sao chép danh sách chưa gửi"), self.copy_reminder)
        self.copy_action.setToolTip(self.tr("Chép danh sách đơn vị chưa gửi báo cáo để dán vào văn bản nhắc"))
        bar.addSeparator()
        self.consolidate_action = bar.addAction(self.tr("Tổng hợp số liệu"), self.run_consolidation)
        self.consolidate_action.setToolTip(self.tr("Tổng hợp báo cáo đã nhận thành báo cáo của đơn vị (chạy lại "
                                                   "được khi có báo cáo mới)"))
        # Plain text on a toolbar does not look clickable: draw each action as a button.
        bar.setStyleSheet("QToolButton { border: 1px solid #9aa5b1; border-radius: 3px; padding: 4px 10px; "
                          "margin-right: 4px; background: #f7f9fb; } QToolButton:hover { background: #e6eef7; } "
                          "QToolButton:disabled { color: #999; border-color: #ccc; }")
        self.actions_bar = bar
        hint = QLabel(self.tr("Có thể kéo thả tệp hoặc thư mục báo cáo vào màn hình này để nhập."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        self.board_model = BoardModel(self)
        self.board_proxy = QSortFilterProxyModel(self)  # a click on a header sorts (by state, by date …)
        self.board_proxy.setSourceModel(self.board_model)
        self.board_view = self._view(self.board_proxy, stretch=7, widths={0: 100, 1: 220, 2: 132, 3: 140, 4: 120,
                                                                           5: 150, 6: 160})
        self.board_view.setSortingEnabled(True)
        self.board_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.board_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.board_view.customContextMenuRequested.connect(self._board_menu)
        self.board_view.selectionModel().selectionChanged.connect(lambda *_: self._update_review_buttons())
        self.board_view.doubleClicked.connect(lambda *_: self.review_selected())
        # The review actions of the selected unit: a tool bar, so a narrow window folds them into "»".
        review_bar = QToolBar()
        review_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        review_bar.addWidget(QLabel(self.tr("Xem xét báo cáo đang chọn: ")))
        self.accept_action = review_bar.addAction(self.tr("Chấp nhận"), lambda: self.accept_selected())
        self.accept_action.setToolTip(self.tr("Chấp nhận báo cáo của đơn vị đang chọn: báo cáo được tính khi tổng "
                                              "hợp. Bản Nháp hoặc báo cáo có lỗi cần ghi chú lý do."))
        self.send_back_action = review_bar.addAction(self.tr("Trả lại…"), lambda: self.send_back_selected())
        self.send_back_action.setToolTip(self.tr("Trả lại báo cáo kèm lý do; thông báo gửi đơn vị được chép sẵn."))
        self.copy_note_action = review_bar.addAction(self.tr("Chép thông báo trả lại"),
                                                     lambda: self.copy_send_back_note())
        review_bar.addSeparator()
        self.accept_valid_action = review_bar.addAction(self.tr("Chấp nhận các báo cáo hợp lệ"), self.accept_all_valid)
        self.accept_valid_action.setToolTip(self.tr("Chấp nhận mọi báo cáo đang chờ xem xét không phải bản Nháp và "
                                                    "không có lỗi; các báo cáo còn lại cần xem riêng."))
        review_bar.setStyleSheet(bar.styleSheet())
        self.review_bar = review_bar
        board_page = QWidget()
        board_lay = QVBoxLayout(board_page)
        board_lay.setContentsMargins(0, 0, 0, 0)
        board_lay.addWidget(review_bar)
        board_lay.addWidget(self.board_view, 1)
        self.reviewer: Reviewer | None = None
        self._accept_runner: Job | None = None
        self.grid_model = ConsolidatedModel(self)
        self.grid_model.edit = self._edit_value
        self.grid_view = self._view(self.grid_model, stretch=1, widths={0: 60, 2: 130, 3: 100, 4: 75, 5: 140,
                                                                         6: 200})
        # Typing or F2 edits a value (while a draft); a double click shows the units behind it.
        self.grid_view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                       | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.grid_view.doubleClicked.connect(self._grid_double_clicked)
        self.grid_info = QLabel()
        self.grid_info.setWordWrap(True)
        self.sources_button = QPushButton(self.tr("Xem các đơn vị của số liệu…"))
        self.sources_button.clicked.connect(self.show_sources)
        grid_tab = QVBoxLayout()
        grid_bar = QHBoxLayout()
        grid_bar.addWidget(self.grid_info, 1)
        grid_bar.addWidget(self.sources_button)
        grid_tab.addLayout(grid_bar)
        grid_tab.addWidget(self.grid_view, 1)
        grid_page = QWidget()
        grid_page.setLayout(grid_tab)
        grid_tab.setContentsMargins(0, 4, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.addTab(board_page, self.tr("Tình hình nhận báo cáo"))
        self.tabs.addTab(grid_page, self.tr("Số liệu tổng hợp"))

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setObjectName("notice")
        self.notice.setStyleSheet("color: #1b5e20;")
        self.notice.hide()
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.headline)
        lay.addWidget(self.notice)
        lay.addWidget(bar)
        lay.addWidget(hint)
        lay.addWidget(self.tabs, 1)

    @staticmethod
    def _view(model, stretch: int, widths: dict[int, int]) -> QTableView:  # noqa: ANN001
        view = QTableView()
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.setWordWrap(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for col, w in widths.items():
            view.setColumnWidth(col, w)
        return view

    # ------------------------------------------------------------------ showing

    def refresh(self) -> None:
        ready = self.unit_id is not None and bool(self.period_code)
        for a in (self.import_files_action, self.import_folder_action, self.handmade_action, self.copy_action,
                  self.consolidate_action, self.received_action, self.blank_forms_action):
            a.setEnabled(ready)
        self.accept_valid_action.setEnabled(ready)
        if not ready:
            self.board = None
            self.reviewer = None
            self.board_model.set_rows([])
            self.grid_model.set_rows([])
            self.headline.setText(self.tr("Chọn đơn vị và kỳ báo cáo."))
            self._update_review_buttons()
            return
        spec = parse_period_code(self.period_code)
        with self.db.session() as s:
            self.board = completeness(s, self.unit_id, spec.code)
            ret, rows = consolidated_grid(s, self.unit_id, spec.code)
            changed = changed_since_run(s, ret, self.board)
            self.return_id = ret.id if ret is not None else None
            status = ret.status if ret is not None else None
            origin = ret.origin if ret is not None else None
        if self.reviewer is None or (self.reviewer.parent_unit_id, self.reviewer.period_code) != (self.unit_id,
                                                                                                  spec.code):
            self.reviewer = Reviewer(self, self.db, self.unit_id, spec.code, self._reviewed)
        selected = self.selected_board_row()
        self.board_model.set_rows(self.board.rows)
        if selected is not None:
            self.select_unit(selected.unit_code)
        self.headline.setText(self.board.headline())
        self.copy_action.setEnabled(bool(self.board.missing_rows or self.board.review_rows("sent_back")))
        self.accept_valid_action.setEnabled(bool(self.board.review_rows("pending")))
        self._update_review_buttons()
        self.grid_model.editable = status == "draft"
        self.grid_model.set_rows(rows)
        conflicts = sum(1 for r in rows if r.conflict)
        if ret is None:
            info = self.tr("Chưa tổng hợp kỳ này. Bấm “Tổng hợp số liệu” sau khi nhập báo cáo của các đơn vị.")
        elif origin != "consolidated":
            info = self.tr("Báo cáo của đơn vị kỳ này được nhập trực tiếp (chưa tổng hợp). Trạng thái: {s}.").format(
                s=STATUS_LABELS.get(status, status))
        else:
            info = self.tr("Báo cáo tổng hợp — trạng thái: {s}. Bấm đúp vào một số liệu để xem các đơn vị "
                           "và tệp tạo nên nó.").format(s=STATUS_LABELS.get(status, status))
            if status == "draft":
                info += self.tr(" Có thể sửa số liệu trước khi hoàn thành và xuất báo cáo.")
            left = self.board.left_out_text()
            if left:
                info += self.tr(" Không tính vào số tổng hợp: {left}.").format(left=left)
            if changed:
                info += self.tr(" Có thay đổi sau lần tổng hợp trước ({names}): bấm “Tổng hợp số liệu” để cập "
                                "nhật.").format(names=", ".join(changed))
        if conflicts:
            info += self.tr(" {n} số liệu nhập tay khác số tổng hợp (tô vàng).").format(n=conflicts)
        self.grid_info.setText(info)
        self.sources_button.setEnabled(ret is not None and origin == "consolidated")

    # ------------------------------------------------------------------ importing

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Chọn tệp báo cáo"),
                                                str(export_actions.last_export_dir()),
                                                self.tr("Báo cáo (*.xlsx *.xlsm *.xls *.zip);;"
                                                        "Bảng tính Excel (*.xlsx *.xlsm *.xls);;Gói báo cáo (*.zip)"))
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Chọn thư mục chứa báo cáo"),
                                                  str(export_actions.last_export_dir()))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> ImportDialog | None:
        """Open the import dialog for these files/folders and start importing (off the GUI thread)."""
        if self.unit_id is None or not self.period_code:
            return None
        try:
            dialog = ImportDialog(self.db, self.unit_id, self.period_code, paths, self)
        except Refused as exc:  # e.g. the unit is not in the catalogue, no template yet
            show_refusal(self, exc, self.tr("Không nhập được"))
            return None
        if not dialog.paths:
            QMessageBox.information(self, self.tr("Không có tệp"), self.tr("Không tìm thấy tệp Excel nào để nhập."))
            return None
        dialog.finished.connect(lambda *_: self.refresh())
        self.last_import_dialog = dialog
        dialog.start()
        dialog.open()
        return dialog

    def show_received_files(self) -> ReceivedFilesDialog | None:
        """The files the units below sent with their returns for this period (of the unit selected on the
        board, else of all units)."""
        if self.unit_id is None or not self.period_code:
            return None
        from core.intake.received_files import received_files

        only = None
        sel = self.board_view.selectionModel().selectedRows() if self.tabs.currentIndex() == 0 else []
        if sel:
            only = self.board_model.row_at(self.board_proxy.mapToSource(sel[0]).row())
        spec = parse_period_code(self.period_code)
        with self.db.session() as s:
            rows = received_files(s, self.unit_id, spec.code, unit_id=only.unit_id if only else None)
        who = only.unit_name if only else self.tr("các đơn vị trực thuộc")
        heading = self.tr("<b>Tài liệu {who} gửi kèm báo cáo {period}</b> — {n} tệp").format(
            who=who, period=spec.label, n=len(rows))
        if not rows:
            heading += self.tr(". Chỉ gói báo cáo (.zip) mang theo tài liệu; tệp Excel gửi riêng thì không.")
        dialog = ReceivedFilesDialog(self.db, self.unit_id, spec.code, rows, heading, self)
        self.last_received_dialog = dialog
        dialog.open()
        return dialog

    def blank_form_units(self) -> list[BoardRow]:
        """Who gets a blank form: the selected unit, else every unit that has not sent its return."""
        selected = self.selected_board_row()
        if selected is not None:
            return [selected]
        return list(self.board.missing_rows) if self.board is not None else []

    def send_blank_forms(self, folder: Path | None = None) -> Job | None:
        """Write the blank forms into a folder the user picks (``folder`` in tests), off the GUI thread, one unit
        after another under a progress dialog with "Hủy" (which leaves no form in the folder)."""
        if self.board is None or not self.period_code or self._blank_runner is not None:
            return None
        rows = self.blank_form_units()
        if not rows:
            QMessageBox.information(self, self.tr("Gửi biểu mẫu trống"),
                                    self.tr("Các đơn vị đã gửi đủ báo cáo kỳ này; chọn một đơn vị trong bảng để lập "
                                            "biểu mẫu trống cho đơn vị đó."))
            return None
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self, self.tr("Chọn thư mục lưu biểu mẫu trống cho {n} đơn vị").format(n=len(rows)),
                str(export_actions.last_export_dir()))
            if not chosen:
                return None
            folder = Path(chosen)
        from core.reports.files import write_blank_forms

        db, codes, period, target = self.db, [r.unit_code for r in rows], self.period_code, folder

        def work(progress: Progress) -> list[Path]:
            return write_blank_forms(db, codes, period, target, progress)

        def done(files: list[Path]) -> None:
            export_actions.remember_export_dir(target)
            self.last_blank_forms = files
            self.notice.setText(self.tr("Đã lập {n} biểu mẫu trống kỳ {period} trong thư mục {folder}: {names}. Gửi "
                                        "cho đơn vị điền vào cột “Số liệu”, rồi nhập lại bằng “Nhập biểu điền tay…”."
                                        ).format(n=len(files), period=parse_period_code(period).label, folder=target,
                                                 names=", ".join(r.unit_name for r in rows)))
            self.notice.setVisible(True)

        def cancelled() -> None:
            self.notice.setText(self.tr("Đã hủy: chưa lập biểu mẫu trống nào."))
            self.notice.setVisible(True)

        def finished() -> None:
            self._blank_runner = None
            self.blank_forms_action.setEnabled(True)

        self.blank_forms_action.setEnabled(False)
        self._blank_runner = (Job(self, work, done).failure(title=self.tr("Chưa lập được biểu mẫu trống"))
                              .with_progress(self.tr("Đang lập biểu mẫu trống cho {n} đơn vị…").format(n=len(rows)),
                                             title=self.tr("Gửi biểu mẫu trống"))
                              .on_cancel(cancelled).on_finish(finished))
        return self._blank_runner.run_in_background()

    def choose_handmade(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn biểu mẫu điền tay"),
                                              str(export_actions.last_export_dir()),
                                              self.tr("Bảng tính Excel (*.xlsx *.xlsm)"))
        if path:
            self.import_handmade(Path(path))

    def import_handmade(self, path: Path) -> Job | None:
        """Read the hand-typed appendix off the GUI thread, then open its preview (``last_handmade_dialog``)."""
        if self.unit_id is None or not self.period_code or self._handmade_runner is not None:
            return None
        db, unit_id, period = self.db, self.unit_id, self.period_code

        def opened(reading: HandmadeReading) -> None:
            if job.was_cancelled or (self.unit_id, self.period_code) != (unit_id, period):
                return  # "Hủy" was pressed, or the selection changed while the file was read
            dialog = HandmadeDialog(db, unit_id, period, reading, self)
            dialog.finished.connect(lambda *_: self.refresh())
            self.last_handmade_dialog = dialog
            dialog.open()

        def finished() -> None:
            self._handmade_runner = None
            self.handmade_action.setEnabled(True)

        self.handmade_action.setEnabled(False)
        job = (Job(self, lambda _progress: read_handmade_file(db, unit_id, period, path), opened)
               .failure(title=self.tr("Không đọc được biểu"))
               .with_progress(self.tr("Đang đọc biểu điền tay “{name}”…").format(name=path.name),
                              title=self.tr("Nhập biểu điền tay"))
               .on_finish(finished))
        self._handmade_runner = job
        return job.run_in_background()

    def dragEnterEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # ------------------------------------------------------------------ reviewing

    def selected_board_row(self) -> BoardRow | None:
        sel = self.board_view.selectionModel().selectedRows() if self.board_view.selectionModel() else []
        if not sel:
            return None
        return self.board_model.row_at(self.board_proxy.mapToSource(sel[0]).row())

    def select_unit(self, unit_code: str) -> bool:
        for r in range(self.board_model.rowCount()):
            if self.board_model.row_at(r).unit_code == unit_code:
                self.board_view.selectRow(self.board_proxy.mapFromSource(self.board_model.index(r, 0)).row())
                return True
        return False

    def _update_review_buttons(self) -> None:
        row = self.selected_board_row()
        received = row is not None and row.has_return
        self.accept_action.setEnabled(received and row.review != "accepted")
        self.send_back_action.setEnabled(received and row.review != "sent_back")
        self.copy_note_action.setEnabled(received and row.review == "sent_back")

    def _reviewed(self, message: str) -> None:
        self.refresh()
        self.notice.setText(message)
        self.notice.show()

    def accept_selected(self, *, ask_note: bool = False, open_dialog: bool = True):  # noqa: ANN201
        row = self.selected_board_row()
        if row is None or self.reviewer is None:
            return None
        return self.reviewer.accept(row.unit_code, row.version, ask_note=ask_note, open_dialog=open_dialog)

    def send_back_selected(self, *, open_dialog: bool = True):  # noqa: ANN201
        row = self.selected_board_row()
        if row is None or self.reviewer is None:
            return None
        return self.reviewer.send_back(row.unit_code, row.version, open_dialog=open_dialog)

    def review_selected(self) -> None:
        """A double click on a received return that waits: accept it (asking for a note when needed)."""
        row = self.selected_board_row()
        if row is not None and row.has_return and row.review == "pending":
            self.accept_selected(ask_note=True)

    def copy_send_back_note(self) -> str | None:
        row = self.selected_board_row()
        if row is None or self.reviewer is None:
            return None
        return self.reviewer.copy_note(row.unit_code)

    def _board_menu(self, pos) -> None:  # noqa: ANN001
        index = self.board_view.indexAt(pos)
        if index.isValid():
            self.board_view.selectRow(index.row())
        menu = self.board_menu()
        if menu is not None:
            menu.exec(self.board_view.viewport().mapToGlobal(pos))

    def board_menu(self) -> QMenu | None:
        """The selected row's actions (context menu)."""
        row = self.selected_board_row()
        if row is None or not row.has_return or self.reviewer is None:
            return None
        menu = QMenu(self)
        accept = menu.addAction(self.tr("Chấp nhận"), lambda: self.accept_selected())
        accept.setEnabled(row.review != "accepted")
        menu.addAction(self.tr("Chấp nhận kèm ghi chú…"), lambda: self.accept_selected(ask_note=True))
        back = menu.addAction(self.tr("Trả lại…"), lambda: self.send_back_selected())
        back.setEnabled(row.review != "sent_back")
        if row.review == "sent_back":
            menu.addSeparator()
            menu.addAction(self.tr("Chép thông báo trả lại"), self.copy_send_back_note)
            menu.addAction(self.tr("Lưu thông báo trả lại (.txt)…"), lambda: self.reviewer.save_note(row.unit_code))
        self.last_board_menu = menu
        return menu

    def accept_all_valid(self) -> None:
        if self.unit_id is None or not self.period_code:
            return
        db, unit_id, period = self.db, self.unit_id, self.period_code

        def job(progress: Progress):  # noqa: ANN202
            progress(0, 1)
            with db.transaction() as s:
                result = accept_valid(s, unit_id, period)
                progress(1, 1)  # "Hủy" pressed meanwhile: nothing is accepted
            return result

        self._accept_runner = Job(self, job, self._accepted_valid).failure(title=self.tr("Chưa chấp nhận được"))
        self._accept_runner.with_progress(self.tr("Đang kiểm tra và chấp nhận báo cáo…"), title=self.tr("Xem xét"))
        self._accept_runner.on_finish(self._accept_finished)
        self.accept_valid_action.setEnabled(False)
        self._accept_runner.run_in_background()

    def _accepted_valid(self, result) -> None:  # noqa: ANN001
        accepted, left = result
        self.last_accept_valid = result
        text = self.tr("Đã chấp nhận {n} báo cáo.").format(n=len(accepted))
        if left:
            text += self.tr(" Còn {n} báo cáo cần xem riêng (bản Nháp hoặc có lỗi: cần ghi chú, hoặc trả lại): "
                            "{names}.").format(n=len(left), names=", ".join(i.unit_name for i in left))
        self._reviewed(text)

    def _accept_finished(self) -> None:
        if self._accept_runner is not None:
            self._accept_runner.deleteLater()
            self._accept_runner = None
        self.accept_valid_action.setEnabled(bool(self.board and self.board.review_rows("pending")))

    def copy_reminder(self) -> None:
        if self.board is not None:
            QGuiApplication.clipboard().setText(self.board.reminder_text())
            self.headline.setText(self.board.headline() + self.tr(" Đã chép danh sách đơn vị chưa gửi."))

    # ------------------------------------------------------------------ consolidating

    def run_consolidation(self, take_computed: set[str] | None = None) -> None:
        if self.unit_id is None or not self.period_code:
            return
        db, unit_id, period = self.db, self.unit_id, self.period_code
        keep = set(take_computed or ())

        def job(progress: Progress):  # noqa: ANN202
            with db.transaction() as s:
                begin_consistent_read(s)  # a child submitting meanwhile is seen before or after, never half
                return consolidate(s, unit_id, period, take_computed=keep, progress=progress)

        self._runner = Job(self, job, self._consolidated).failure(title=self.tr("Chưa tổng hợp được"))
        self._runner.with_progress(self.tr("Đang tổng hợp số liệu…"), title=self.tr("Tổng hợp"))
        self._runner.on_finish(self._consolidation_finished)
        self.consolidate_action.setEnabled(False)
        self._runner.run_in_background()

    def _consolidated(self, result) -> None:  # noqa: ANN001
        self.last_result = result
        self.refresh()
        self.tabs.setCurrentIndex(1)
        if result.conflicts:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle(self.tr("Số liệu nhập tay được giữ nguyên"))
            box.setText(result.summary())
            box.setDetailedText("\n".join(c.line() for c in result.conflicts))
            take = box.addButton(self.tr("Dùng số tổng hợp"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("Giữ số nhập tay"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is take:
                self.run_consolidation({c.code for c in result.conflicts})

    def _consolidation_finished(self) -> None:
        if self._runner is not None:
            self._runner.deleteLater()
            self._runner = None
        self.consolidate_action.setEnabled(True)

    def _edit_value(self, code: str, text: str) -> bool:
        if self.return_id is None:
            return False
        try:
            with self.db.transaction() as s:
                result = apply_edits(s, self.return_id, [(code, text)])
        except Refused as exc:
            show_refusal(self, exc, self.tr("Không sửa được"))
            return False
        if not result.applied:
            QMessageBox.warning(self, self.tr("Số liệu không hợp lệ"), "\n".join(e.message for e in result.errors))
            return False
        self.refresh()
        return True

    def _grid_double_clicked(self, index) -> None:  # noqa: ANN001
        self.show_sources(index.row())

    def show_sources(self, row: int | None = None) -> SourcesDialog | None:
        if self.return_id is None:
            return None
        if row is None or isinstance(row, bool):
            sel = self.grid_view.selectionModel().selectedRows()
            if not sel:
                QMessageBox.information(self, self.tr("Chọn số liệu"), self.tr("Hãy chọn một dòng số liệu."))
                return None
            row = sel[0].row()
        g = self.grid_model.row_at(row)
        if g.kind != "value":
            return None
        with self.db.session() as s:
            try:
                head, rows = value_sources(s, self.return_id, g.code)
            except Refused as exc:
                show_refusal(self, exc, self.tr("Không xem được"))
                return None
        dialog = SourcesDialog(head, rows, self)
        self.last_sources_dialog = dialog
        dialog.open()
        return dialog
