"""The return of one unit for one period, as the Báo cáo định kỳ page shows it.

Tabs "Số liệu thống kê" (the entry grid beside the problems panel) and "Nội dung báo cáo"
(the narrative sections), with the workflow buttons beside the tabs: "Hoàn thành báo cáo",
"Mở lại báo cáo…", "Nhật ký…". When the unit has no return for the period yet, a button
"Lập báo cáo kỳ này" creates it (``open_return``). Everything goes through ``core`` services.

Above the tabs a banner says what state the return is in: a submitted return is frozen
(what its exports print, whatever the settings say later); a reopened one says which settings
it now takes up and what differs from the frozen version.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.intake.review import upper_review_text
from core.org.settings import period_rules_for
from core.periods import parse_period_code
from core.returns.entry import EditResult, ReturnInfo, find_unit_return, open_return, return_info
from core.returns.snapshots import FreezeInfo, ensure_frozen, freeze_info
from core.returns.store import ReturnLockedError, StaleSection, SubmitRefusedError
from core.returns.validation import ValidationReport
from core.returns.workflow import audit_for_return, audit_for_value, reopen_return, submit_return
from core.vnformat import dates_in_full, format_date
from db.engine import Database
from db.models import Unit
from gui import preferences
from gui.narrative_editor import NarrativeEditor
from gui.problems_panel import ProblemsPanel
from gui.return_dialogs import AuditDialog, ReopenDialog, local_time
from gui.return_grid import ReturnGrid
from gui.return_grid_model import ReturnGridModel
from gui.value_history_panel import ValueHistoryPanel

WIDE_SCREEN = 1600  # px of free screen width from which the history panel starts shown

MESSAGE_STYLES = {
    "error": "background: #fdecea; color: #8b1a1a; border: 1px solid #f5c2c0; padding: 6px; border-radius: 3px;",
    "info": "background: #eef5ff; color: #1e3a8a; border: 1px solid #c7dbfa; padding: 6px; border-radius: 3px;",
    "frozen": "background: #edf7ee; color: #1b4d20; border: 1px solid #b9dcbc; padding: 6px; border-radius: 3px;",
    "reopened": "background: #fff4d6; color: #6b4300; border: 1px solid #f0d48a; padding: 6px; border-radius: 3px;",
}


def ask_confirmation(parent: QWidget, title: str, text: str, yes_text: str, no_text: str | None = None) -> bool:
    """A question with Vietnamese buttons (the standard Yes/No would show in English)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no_text or QCoreApplication.translate("ReturnEditor", "Hủy"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def confirm_stale(parent: QWidget, sections: list[StaleSection], action: str) -> bool:
    """Name the hand-written sections whose figures changed since they were written and ask whether
    to go on with them as written (``action``: "Hoàn thành báo cáo", "Xuất PDF"…)."""
    tr = lambda text: QCoreApplication.translate("ReturnEditor", text)  # noqa: E731
    names = "\n".join(f"• {s.title}" for s in sections)
    text = tr("Các phần thuyết minh sau do anh/chị tự viết, nhưng số liệu đã thay đổi sau khi viết:\n\n{names}\n\n"
              "Báo cáo sẽ in đúng nội dung anh/chị đã viết. Vẫn tiếp tục?").format(names=names)
    return ask_confirmation(parent, tr("Nội dung thuyết minh cần xem lại"), text, tr("Vẫn {action}").format(
        action=action[:1].lower() + action[1:]), tr("Xem lại nội dung"))


def confirm_empty_sections(parent: QWidget, sections: list, action: str) -> bool:
    """Name the narrative sections that would print as a bare heading and ask whether to export anyway
    (``sections``: ``core.returns.report_model.ExportSection``; ``action``: "Xuất PDF"…)."""
    tr = lambda text: QCoreApplication.translate("ReturnEditor", text)  # noqa: E731
    names = "\n".join(f"• {s.title}" for s in sections)
    text = tr("Các phần thuyết minh sau chưa có nội dung, báo cáo sẽ chỉ in đề mục:\n\n{names}\n\n"
              "Vẫn tiếp tục?").format(names=names)
    return ask_confirmation(parent, tr("Phần thuyết minh còn trống"), text, tr("Vẫn {action}").format(
        action=action[:1].lower() + action[1:]), tr("Viết các phần này"))


class ReturnEditor(QWidget):
    info_changed = Signal()  # status or figures changed: the page header follows

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit_id: int | None = None
        self.unit_code: str | None = None
        self.unit_name = ""
        self.period_code: str | None = None
        self.period_label = ""
        self.window_text = ""
        self.due_date: date | None = None
        self.info: ReturnInfo | None = None
        self.reopen_dialog: ReopenDialog | None = None
        self.audit_dialog: AuditDialog | None = None
        self.refusal_box: QMessageBox | None = None

        # --- the grid tab
        self.model = ReturnGridModel(db, self)
        self.grid = ReturnGrid(self.model)
        self.grid.setObjectName("return_grid")
        self.problems = ProblemsPanel()
        self.undo_button = QPushButton(self.tr("Hoàn tác"))
        self.undo_button.setToolTip(self.tr("Hoàn tác thao tác vừa làm (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.grid.undo)
        self.redo_button = QPushButton(self.tr("Làm lại"))
        self.redo_button.setToolTip(self.tr("Làm lại thao tác vừa hoàn tác (Ctrl+Y)"))
        self.redo_button.clicked.connect(self.grid.redo)
        stack = self.model.undo_stack
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        stack.undoTextChanged.connect(lambda t: self.undo_button.setToolTip(
            self.tr("Hoàn tác: {t} (Ctrl+Z)").format(t=t) if t else self.tr("Hoàn tác (Ctrl+Z)")))
        stack.redoTextChanged.connect(lambda t: self.redo_button.setToolTip(
            self.tr("Làm lại: {t} (Ctrl+Y)").format(t=t) if t else self.tr("Làm lại (Ctrl+Y)")))
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        # The keys of the grid, as its tooltip (and in the guide): no line of its own above the rows.
        self.grid.setToolTip(self.tr("Gõ để nhập · Enter: lưu và xuống ô dưới · Tab: sang ô kế tiếp · F2: sửa · "
                                     "Esc: hủy · Delete: để trống · KPS: Không phát sinh · Ctrl+V: dán từ Excel"))
        legend = QLabel(self.tr("<span style='color:#2563eb'>◤</span> lấy từ Kế hoạch&nbsp; "
                                "<span style='color:#d97706'>◤</span> đã sửa khác"))
        legend.setToolTip(self.tr("Dấu ở góc ô Số liệu: số nhiệm vụ chương trình tính từ Kế hoạch CCHC. "
                                  "Sửa khác đi thì cần ghi chú lý do."))
        # No bar of its own above the grid (1366×768: every line goes to the rows): the legend sits on the
        # problems panel's heading line, Hoàn tác/Làm lại beside the tabs.
        self.problems.add_to_heading(legend)
        # What a submitted return freezes, or which settings a reopened one takes up (above the tabs).
        self.locked_banner = QLabel()
        self.locked_banner.setObjectName("frozen_banner")
        self.locked_banner.setStyleSheet(MESSAGE_STYLES["frozen"])
        self.locked_banner.setWordWrap(True)
        self.locked_banner.hide()
        self.reopened_banner = QLabel()
        self.reopened_banner.setObjectName("reopened_banner")
        self.reopened_banner.setStyleSheet(MESSAGE_STYLES["reopened"])
        self.reopened_banner.setWordWrap(True)
        self.reopened_banner.hide()
        self.freeze: FreezeInfo | None = None
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        # Beside the grid: the selected indicator's history and the plan's targets (gui.value_history_panel).
        self.history_panel = ValueHistoryPanel(db)
        beside = QSplitter(Qt.Orientation.Horizontal)
        beside.addWidget(self.grid)
        beside.addWidget(self.history_panel)
        beside.setStretchFactor(0, 1)
        beside.setCollapsible(0, False)
        beside.setSizes([760, 280])
        # On a 1366×768 laptop the panel would squeeze the indicator names onto two lines (fewer rows in
        # view): there it starts hidden, behind the "Lịch sử số liệu" button; the choice is remembered.
        self.history_button = QPushButton(self.tr("Lịch sử số liệu"))
        self.history_button.setCheckable(True)
        self.history_button.setToolTip(self.tr("Hiện hoặc ẩn bảng bên phải: số liệu của chỉ tiêu đang chọn qua các "
                                               "kỳ, cùng kỳ các năm trước và chỉ tiêu kế hoạch"))
        shown = preferences.RETURN_HISTORY_PANEL.get()
        if shown is None or shown < 0:
            screen = QGuiApplication.primaryScreen()
            shown = int(screen is not None and screen.availableGeometry().width() >= WIDE_SCREEN)
        self.history_panel.setVisible(bool(shown))
        self.history_button.setChecked(bool(shown))
        self.history_button.toggled.connect(self._history_toggled)
        self.grid.selectionModel().currentChanged.connect(lambda current, _previous: self._cursor_moved(current))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(beside)
        split.addWidget(self.problems)
        split.setStretchFactor(0, 1)
        split.setCollapsible(0, False)
        split.setSizes([420, self.problems.heading_height()])
        self.splitter = split
        self.problems.expanded_changed.connect(self._problems_expanded)
        grid_tab = QWidget()
        g = QVBoxLayout(grid_tab)
        g.setContentsMargins(2, 2, 2, 0)
        g.addWidget(split, 1)
        g.addWidget(self.message)

        # --- the narrative tab
        self.narrative = NarrativeEditor(db)

        # --- workflow buttons beside the tabs
        self.submit_button = QPushButton(self.tr("Hoàn thành báo cáo"))
        self.submit_button.setToolTip(self.tr("Chuyển sang “Đã hoàn thành” (khóa số liệu). "
                                              "Không được khi còn lỗi hoặc cảnh báo chưa có ghi chú."))
        self.submit_button.clicked.connect(self.submit)
        self.reopen_button = QPushButton(self.tr("Mở lại báo cáo…"))
        self.reopen_button.clicked.connect(self.reopen)
        self.log_button = QPushButton(self.tr("Nhật ký…"))
        self.log_button.setToolTip(self.tr("Ai đã sửa gì, khi nào"))
        self.log_button.clicked.connect(self.show_log)
        corner = QWidget()
        c = QHBoxLayout(corner)
        c.setContentsMargins(0, 0, 0, 2)
        c.addWidget(self.undo_button)
        c.addWidget(self.redo_button)
        c.addSpacing(12)
        for b in (self.submit_button, self.reopen_button, self.log_button, self.history_button):
            c.addWidget(b)
        self.tabs = QTabWidget()
        self.tabs.addTab(grid_tab, self.tr("Số liệu thống kê"))
        self.tabs.addTab(self.narrative, self.tr("Nội dung báo cáo"))
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.tabs.currentChanged.connect(self._tab_changed)

        # --- no return yet
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.create_button = QPushButton(self.tr("Lập báo cáo kỳ này"))
        self.create_button.clicked.connect(self.create_return)
        empty = QWidget()
        e = QVBoxLayout(empty)
        e.addStretch(1)
        e.addWidget(self.empty_text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.create_button)
        row.addStretch(1)
        e.addLayout(row)
        e.addStretch(2)

        with_banner = QWidget()
        wb = QVBoxLayout(with_banner)
        wb.setContentsMargins(0, 0, 0, 0)
        wb.addWidget(self.locked_banner)
        wb.addWidget(self.reopened_banner)
        wb.addWidget(self.tabs, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(with_banner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)

        self.model.report_changed.connect(self.problems.set_report)
        self.model.stored.connect(self._stored)
        self.grid.message.connect(lambda text: self.show_message(text, "error"))
        self.grid.history_requested.connect(self.show_value_history)
        self.problems.jump_requested.connect(self.jump_to)
        self.narrative.message.connect(lambda text: self.show_message(text, "info"))

    # ----------------------------------------------------------------- loading

    def _problems_expanded(self, open_: bool) -> None:
        """Folded, the problems panel gives its room to the grid; opened, it takes about 150 points."""
        total = sum(self.splitter.sizes()) or 570
        panel = min(150, total // 3) if open_ else self.problems.heading_height()
        self.splitter.setSizes([total - panel, panel])

    def load(self, unit_id: int | None, period_code: str | None) -> ReturnInfo | None:
        """Show the unit's return for the period; a draft first takes in the plan's task counts."""
        self.narrative.save()
        self.unit_id, self.period_code = unit_id, period_code
        self.info = None
        self.upper_review: str | None = None  # the unit above's review, on a shared database
        self.unit_code, self.unit_name = None, ""
        self.history_panel.set_context(None, None)  # nothing of the previous unit or period stays beside the grid
        self.empty_text.setStyleSheet("")  # a refusal shown for the previous unit or period
        if unit_id is None or not period_code:
            self.model.load(None)
            self.narrative.load(None, False)
            self.empty_text.setText(self.tr("Chọn đơn vị và kỳ báo cáo ở thanh phía trên."))
            self.create_button.hide()
            self.stack.setCurrentIndex(0)
            return None
        spec = parse_period_code(period_code)
        self.period_label = spec.label
        self.freeze = None
        with self.db.transaction() as s:
            unit = s.get(Unit, unit_id)
            self.unit_code, self.unit_name = unit.code, unit.name
            ret = find_unit_return(s, unit.code, spec.code)
            if ret is not None and ret.status == "draft":
                ret = open_return(s, unit.code, spec.code)
            if ret is not None:
                ensure_frozen(s, ret)  # a return submitted before snapshots existed: frozen as it is now
                self.info = return_info(s, ret)
                self.freeze = freeze_info(s, ret)
            self.upper_review = upper_review_text(s, ret) if ret is not None else None
            rules = period_rules_for(s, unit)
        self.window_text = self.info.window_text if self.info else spec.window_text(rules)
        self.due_date = self.info.due_date if self.info else spec.due_date(rules)
        self.hide_message()
        if self.info is None:
            self.model.load(None)
            self.narrative.load(None, False)
            self.empty_text.setText(self.tr(
                "Chưa có báo cáo của {unit} cho {period}.\nBấm “Lập báo cáo kỳ này” để tạo báo cáo ở trạng thái "
                "Nháp; số nhiệm vụ được lấy từ Kế hoạch CCHC.").format(unit=self.unit_name, period=spec.label))
            self.create_button.show()
            self.stack.setCurrentIndex(0)
            return None
        self.model.load(self.info.return_id, spec.previous().label)
        self.history_panel.set_context(self.unit_code, spec.code)
        if self.tabs.currentWidget() is self.narrative:
            self.narrative.load(self.info.return_id, self.info.editable)
        else:
            self.narrative.load(None, False)
        self._update_workflow()
        self.stack.setCurrentIndex(1)
        return self.info

    def reload(self) -> None:
        self.load(self.unit_id, self.period_code)
        self.info_changed.emit()

    def _update_workflow(self) -> None:
        editable = bool(self.info and self.info.editable)
        self.submit_button.setEnabled(editable)
        self.reopen_button.setEnabled(bool(self.info) and not editable)
        self.log_button.setEnabled(bool(self.info))
        self.locked_banner.setText(self.frozen_text())
        self.locked_banner.setVisible(bool(self.info) and not editable)
        reopened = self.reopened_text()
        self.reopened_banner.setText(reopened)
        self.reopened_banner.setVisible(bool(reopened))

    def frozen_text(self) -> str:
        """What a submitted return keeps, whatever the settings say later."""
        if self.info is None or self.info.editable:
            return ""
        f = self.freeze
        if f is None or not f.frozen:  # received from a unit below: its own file's data
            return self.tr("Báo cáo đã hoàn thành: số liệu chỉ xem. Muốn sửa, bấm “Mở lại báo cáo…” và ghi lý do.")
        when = local_time(f.taken_at) if f.taken_at else ""
        head = (self.tr("Báo cáo đã hoàn thành và được khóa nguyên trạng lúc {when} ({who}).") if f.occasion == "submit"
                else self.tr("Báo cáo đã hoàn thành trước khi nâng cấp chương trình; bản khóa được lưu lúc {when} "
                             "({who}), theo dữ liệu và cài đặt lúc đó."))
        return head.format(when=when, who=f.taken_by or "") + " " + self.tr(
            "Bản khóa giữ nguyên số liệu, tình hình nhiệm vụ (Phụ lục II), nội dung thuyết minh, số và ngày văn bản, "
            "người ký, Kính gửi, Nơi nhận, kỳ số liệu ({window}), biểu mẫu {form} phiên bản {version} và quy tắc "
            "làm tròn: mọi lần xuất Excel, PDF đều in đúng như vậy, dù cài đặt thay đổi sau này. Muốn sửa, bấm "
            "“Mở lại báo cáo…” và ghi lý do.").format(
            window=f.window_text[:1].lower() + f.window_text[1:], form=self.info.template_code,
            version=self.info.template_version)

    def reopened_text(self) -> str:
        """For a reopened return: which settings it now takes up, and what differs from the frozen version."""
        f = self.freeze
        if self.info is None or not self.info.editable or f is None or not f.reopened:
            return ""
        text = self.tr("Báo cáo được mở lại lúc {when} ({who}), lý do: {reason}. Khi mở lại, báo cáo lấy ngày chốt "
                       "số liệu, số và ngày văn bản, người ký, Kính gửi, Nơi nhận, tình hình nhiệm vụ và quy tắc làm "
                       "tròn theo cài đặt và dữ liệu hiện tại; bản đã khóa lúc {taken} được giữ trong lịch sử.").format(
            when=local_time(f.released_at), who=f.released_by or "", reason=f.release_reason or "",
            taken=local_time(f.taken_at) if f.taken_at else "")
        if f.changes:
            return text + "\n" + self.tr("So với bản đã khóa:") + "\n" + "\n".join(f"• {c}" for c in f.changes)
        return text + " " + self.tr("Hiện chưa có gì khác với bản đã khóa.")

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.narrative and self.info is not None:
            self.narrative.load(self.info.return_id, self.info.editable)
        else:
            self.narrative.save()

    # ----------------------------------------------------------------- header and messages

    def counts(self) -> tuple[int, int]:
        """(value rows with data, value rows)."""
        rows = [r for r in self.model.rows if r.kind == "value"]
        return sum(1 for r in rows if r.value_display), len(rows)

    def header_text(self) -> str:
        if self.unit_id is None or not self.period_code:
            return self.tr("Chọn đơn vị và kỳ báo cáo.")
        if self.info is None:
            status = self.tr("Chưa lập")
            colour = "#6b7280"
        else:
            status = self.info.status_label
            colour = "#1b5e20" if self.info.status == "submitted" else "#9a5b00"
        text = self.tr("{unit} — {period}. {window}; hạn gửi báo cáo {due}. Trạng thái: "
                       "<b style='color:{colour}'>{status}</b>.").format(
            unit=self.unit_name, period=self.period_label, window=dates_in_full(self.window_text),
            due=format_date(self.due_date), status=status, colour=colour)
        if self.info is not None:
            filled, total = self.counts()
            text += " " + self.tr("Đã có số liệu {filled}/{total} chỉ tiêu.").format(filled=filled, total=total)
        if self.info is not None and self.upper_review:
            text += " " + self.upper_review
        return text

    def show_message(self, text: str, kind: str = "error") -> None:
        self.message.setText(text)
        self.message.setStyleSheet(MESSAGE_STYLES.get(kind, MESSAGE_STYLES["info"]))
        self.message.show()
        win = self.window()
        if isinstance(win, QMainWindow):
            win.statusBar().showMessage(text.splitlines()[0], 10000)

    def hide_message(self) -> None:
        self.message.clear()
        self.message.hide()
        win = self.window()
        if isinstance(win, QMainWindow):
            win.statusBar().clearMessage()

    def _cursor_moved(self, index) -> None:  # noqa: ANN001 - a QModelIndex
        row = self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None
        if row is None or row.code != self.history_panel.code:
            self.history_panel.show_code(row.code if row is not None else None)

    def _stored(self, result: EditResult) -> None:
        self.history_panel.refresh()
        self.hide_message()
        for change in result.changes:
            r = self.model.row_of(change.code)
            row = self.model.rows[r] if r is not None else None
            if row is not None and row.overridden and not row.note:
                self.show_message(self.tr(
                    "Chỉ tiêu {code}: số liệu khác với số lấy từ Kế hoạch ({plan}). "
                    "Hãy ghi chú lý do điều chỉnh ở cột Ghi chú.").format(code=row.code, plan=row.source_value_display),
                    "info")
                break
        self.info_changed.emit()

    def jump_to(self, code: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.grid.go_to(code)

    # ----------------------------------------------------------------- workflow

    def create_return(self) -> None:
        """"Lập báo cáo kỳ này": a draft return, with the plan's task counts."""
        if self.unit_code is None or not self.period_code:
            return
        try:
            with self.db.transaction() as s:
                open_return(s, self.unit_code, self.period_code)
        except Refused as exc:  # e.g. the unit did not exist in that period: say so where the button was
            self.empty_text.setText(str(exc))
            self.empty_text.setStyleSheet(MESSAGE_STYLES["error"])
            self.create_button.hide()
            win = self.window()
            if isinstance(win, QMainWindow):
                win.statusBar().showMessage(str(exc).split(". ")[0], 10000)
            return
        self.reload()
        self.grid.setFocus()

    def submit(self) -> bool:
        if self.info is None:
            return False
        self.narrative.save()
        if not ask_confirmation(self, self.tr("Hoàn thành báo cáo"), self.tr(
                "Chuyển báo cáo {unit} – {period} sang “Đã hoàn thành”?\n\nBáo cáo được khóa nguyên trạng: số liệu, "
                "nhiệm vụ, thuyết minh, người ký, nơi nhận và kỳ số liệu; mọi lần xuất sau đều in đúng như vậy. "
                "Muốn sửa phải mở lại báo cáo và ghi lý do.").format(unit=self.unit_name, period=self.period_label),
                self.tr("Hoàn thành báo cáo")):
            return False
        confirmed = False
        while True:
            try:
                with self.db.transaction() as s:
                    submit_return(s, self.info.return_id, confirm_stale=confirmed)
                break
            except SubmitRefusedError as exc:
                only_stale = exc.stale and not exc.report.blocking and not exc.blank
                if only_stale and not confirmed:
                    if confirm_stale(self, exc.stale, self.tr("Hoàn thành báo cáo")):
                        confirmed = True
                        continue
                    self.review_section(exc.stale[0].key)
                    return False
                self.reload()
                self._show_refusal(exc.report, exc.stale)
                return False
            except ReturnLockedError as exc:
                self.reload()
                self.show_message(str(exc))
                return False
        self.reload()
        self.show_message(self.tr("Đã chuyển báo cáo sang “Đã hoàn thành” và khóa nguyên trạng."), "info")
        return True

    def review_section(self, key: str) -> None:
        """Open "Nội dung báo cáo" on a section to look at."""
        self.tabs.setCurrentWidget(self.narrative)
        self.narrative.select(key)

    def _show_refusal(self, report: ValidationReport, stale: list[StaleSection] | None = None) -> None:
        blocking = report.blocking
        warnings = [p for p in blocking if p.severity == "warning"]
        parts = []
        if blocking:
            parts.append(self.tr("Còn {e} lỗi và {w} cảnh báo chưa có ghi chú: hãy sửa số liệu, hoặc ghi chú lý do "
                                 "nếu số liệu đúng.").format(e=len(report.errors), w=len(warnings)))
        if report.blank:
            parts.append(self.tr("Còn {n} chỉ tiêu chưa có số liệu: chỉ tiêu nào trong kỳ không xảy ra thì nhập "
                                 "“Không phát sinh” (hoặc KPS), chưa có số liệu thì ghi chú lý do.").format(
                n=len(report.blank)))
        if stale:
            parts.append(self.tr("{n} phần thuyết minh tự viết có số liệu đã thay đổi sau khi viết.").format(
                n=len(stale)))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Chưa hoàn thành được báo cáo"),
                          " ".join(parts) + " " + self.tr("Sau đó bấm “Hoàn thành báo cáo” lại."), parent=self)
        lines = [f"• {p.line()}" for p in blocking[:12]]
        if len(blocking) > 12:
            lines.append(self.tr("… và {n} mục khác (xem danh sách Lỗi và cảnh báo).").format(n=len(blocking) - 12))
        if report.blank:
            lines.append(self.tr("• Chưa có số liệu ({n}): {codes}").format(
                n=len(report.blank), codes=", ".join(report.blank)))
        lines += [self.tr("• Thuyết minh cần xem lại: {title}").format(title=s.title) for s in stale or []]
        box.setInformativeText("\n".join(lines))
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
        self.refusal_box = box
        box.open()
        if blocking:
            self.jump_to(blocking[0].code)
        elif report.blank:
            self.jump_to(report.blank[0])

    def reopen(self) -> ReopenDialog | None:
        if self.info is None:
            return None
        dlg = ReopenDialog(self, self._reopen)
        dlg.accepted.connect(self._reopened)
        self.reopen_dialog = dlg
        dlg.open()
        return dlg

    def _reopen(self, reason: str) -> None:
        assert self.info is not None
        with self.db.transaction() as s:
            reopen_return(s, self.info.return_id, reason)

    def _reopened(self) -> None:
        self.reload()
        self.show_message(self.tr("Đã mở lại báo cáo; có thể sửa số liệu. Báo cáo nay lấy cài đặt hiện tại "
                                  "(xem thông báo phía trên)."), "info")

    def show_log(self) -> AuditDialog | None:
        if self.info is None:
            return None
        with self.db.session() as s:
            rows = audit_for_return(s, self.info.return_id)
        title = self.tr("Nhật ký báo cáo {unit} – {period}").format(unit=self.unit_name, period=self.period_label)
        return self._open_audit(title, rows)

    def _history_toggled(self, shown: bool) -> None:
        self.history_panel.setVisible(shown)
        preferences.RETURN_HISTORY_PANEL.set(int(shown))

    def show_value_history(self, code: str) -> AuditDialog | None:
        if self.info is None:
            return None
        with self.db.session() as s:
            rows = audit_for_value(s, self.info.return_id, code)
        return self._open_audit(self.tr("Lịch sử chỉ tiêu {code}").format(code=code), rows)

    def _open_audit(self, title: str, rows) -> AuditDialog:
        dlg = AuditDialog(self, title, rows)
        self.audit_dialog = dlg
        dlg.open()
        return dlg
