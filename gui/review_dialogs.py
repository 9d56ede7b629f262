"""Reviewing a received return on the "Tổng hợp" screen: "Chấp nhận", "Trả lại…", the note sent down.

``ReviewDialog`` shows what was received (unit, period, file, Nháp or not) and its validation
problems, and asks for the note (accepting a draft or a return with errors needs one) or the
reason (sending back). Sending back shows the note the clerk sends down as it will read, and
copies it to the clipboard. ``Reviewer`` holds the flows both the board and the import dialog
use; every decision goes through ``core.intake.review``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.errors import NotFound, Refused
from core.intake.review import (
    ReviewInfo,
    ReviewRefused,
    accept_return,
    note_file_name,
    review_info,
    save_note,
    send_back_note,
    send_back_return,
)
from core.vnformat import nfc
from gui import export_actions
from gui.problems_panel import TEXT_COLOURS, severity_icon
from gui.refusals import show_refusal
from gui.screen_fit import fit_dialog


def tr(text: str) -> str:
    return QCoreApplication.translate("review", text)


class ReviewDialog(QDialog):
    """Accept with a note, or send back with a reason. ``decide(text)`` runs the core service and may
    refuse (``ReviewRefused``): the refusal is shown in the dialog and nothing is stored."""

    def __init__(self, parent: QWidget | None, info: ReviewInfo, mode: str,
                 decide: Callable[[str], ReviewInfo]) -> None:
        super().__init__(parent)
        self.info = info
        self.mode = mode  # accept | send_back
        self._decide = decide
        self.result_info: ReviewInfo | None = None
        self.setWindowTitle(tr("Trả lại báo cáo") if mode == "send_back" else tr("Chấp nhận báo cáo"))
        lay = QVBoxLayout(self)
        head = QLabel(tr("<b>{unit}</b> ({code}) — báo cáo {period}<br>{source}{draft}").format(
            unit=info.unit_name, code=info.unit_code, period=info.period_label,
            source=info.source_text[:1].upper() + info.source_text[1:],
            draft=tr(", <b>bản Nháp</b>") if info.draft else ""))
        head.setWordWrap(True)
        lay.addWidget(head)
        state = QLabel(tr("Xem xét hiện tại: {state}").format(state=info.state_text))
        state.setWordWrap(True)
        lay.addWidget(state)
        lay.addWidget(QLabel(tr("<b>Kiểm tra số liệu:</b> {s}").format(s=info.problems.summary())))
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problems.setIconSize(QSize(16, 16))
        for p in info.problems.problems or ():
            kind = "resolved" if p.severity == "warning" and p.resolved else p.severity
            item = QListWidgetItem(severity_icon(kind), f"{p.severity_label} — {', '.join(p.codes)}: {p.message}")
            item.setForeground(QBrush(QColor(TEXT_COLOURS[kind])))
            self.problems.addItem(item)
        if not info.problems.problems:
            self.problems.addItem(QListWidgetItem(severity_icon("ok"), tr("Không có lỗi hay cảnh báo nào.")))
        self.problems.setMaximumHeight(150)
        lay.addWidget(self.problems)
        if mode == "send_back":
            ask = tr("Lý do trả lại (bắt buộc; được gửi kèm thông báo cho đơn vị và ghi vào nhật ký):")
            placeholder = tr("Ví dụ: Chỉ tiêu 1.1.2 lớn hơn 1.1.1; đề nghị kiểm tra lại số nhiệm vụ hoàn thành")
        elif info.needs_note:
            ask = tr("Báo cáo {why}: chỉ chấp nhận được khi ghi chú lý do chấp nhận (bắt buộc):").format(
                why=info.why_note)
            placeholder = tr("Ví dụ: Đã gọi điện xác nhận với đơn vị, số liệu đúng; bản chính thức gửi sau")
        else:
            ask = tr("Ghi chú khi chấp nhận (không bắt buộc):")
            placeholder = ""
        ask_label = QLabel(ask)
        ask_label.setWordWrap(True)
        lay.addWidget(ask_label)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(placeholder)
        self.text.setMaximumHeight(70)
        self.text.setTabChangesFocus(True)
        lay.addWidget(self.text)
        self.preview: QPlainTextEdit | None = None
        if mode == "send_back":
            lay.addWidget(QLabel(tr("Thông báo gửi đơn vị (được chép vào bộ nhớ tạm để dán vào thư, tin nhắn):")))
            self.preview = QPlainTextEdit()
            self.preview.setReadOnly(True)
            lay.addWidget(self.preview, 1)
            self.text.textChanged.connect(self._update_preview)
            self._update_preview()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        label = tr("Trả lại và chép thông báo") if mode == "send_back" else tr("Chấp nhận")
        self.ok_button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        fit_dialog(self, 860, 640 if mode == "send_back" else 420)

    def _update_preview(self) -> None:
        if self.preview is not None:
            draft = dataclasses.replace(self.info, state="sent_back", note=self.text.toPlainText().strip() or None,
                                        decided_at=None, decided_by=None)
            self.preview.setPlainText(send_back_note(draft))

    def accept(self) -> None:
        try:
            self.result_info = self._decide(nfc(self.text.toPlainText()))
        except (ReviewRefused, NotFound) as exc:  # shown beside the note it is about
            self.error.setText(str(exc))
            self.error.show()
            self.text.setFocus()
            return
        if self.mode == "send_back":
            QGuiApplication.clipboard().setText(send_back_note(self.result_info))
        super().accept()


class Reviewer:
    """The review flows of one receiving unit and period, for the board and the import dialog."""

    def __init__(self, widget: QWidget, db, parent_unit_id: int, period_code: str,  # noqa: ANN001
                 on_change: Callable[[str], None] | None = None) -> None:
        self.widget = widget
        self.db = db
        self.parent_unit_id = parent_unit_id
        self.period_code = period_code
        self.on_change = on_change or (lambda message: None)
        self.last_dialog: ReviewDialog | None = None

    def info(self, unit_code: str) -> ReviewInfo | None:
        try:
            with self.db.session() as s:
                return review_info(s, self.parent_unit_id, unit_code, self.period_code)
        except Refused as exc:
            show_refusal(self.widget, exc, tr("Chưa xem xét được"))
            return None

    def accept(self, unit_code: str, version: str | None, *, ask_note: bool = False,
               open_dialog: bool = True) -> ReviewDialog | ReviewInfo | None:
        """One click for a clean return; a draft or a return with errors (or ``ask_note``) opens the
        dialog asking for the note."""
        info = self.info(unit_code)
        if info is None:
            return None
        if not info.needs_note and not ask_note:
            try:
                with self.db.transaction() as s:
                    done = accept_return(s, self.parent_unit_id, unit_code, self.period_code, seen_version=version)
            except Refused as exc:
                show_refusal(self.widget, exc, tr("Chưa chấp nhận được"))
                return None
            self.on_change(tr("Đã chấp nhận báo cáo của {unit}.").format(unit=done.unit_name))
            return done

        def decide(text: str) -> ReviewInfo:
            with self.db.transaction() as s:
                return accept_return(s, self.parent_unit_id, unit_code, self.period_code, note=text,
                                     seen_version=version)

        return self._dialog(info, "accept", decide, open_dialog)

    def send_back(self, unit_code: str, version: str | None, *, open_dialog: bool = True) -> ReviewDialog | None:
        info = self.info(unit_code)
        if info is None:
            return None

        def decide(text: str) -> ReviewInfo:
            with self.db.transaction() as s:
                return send_back_return(s, self.parent_unit_id, unit_code, self.period_code, text,
                                        seen_version=version)

        return self._dialog(info, "send_back", decide, open_dialog)

    def _dialog(self, info: ReviewInfo, mode: str, decide: Callable[[str], ReviewInfo],
                open_dialog: bool) -> ReviewDialog:
        dialog = ReviewDialog(self.widget, info, mode, decide)
        self.last_dialog = dialog

        def done(result: int) -> None:
            if result and dialog.result_info is not None:
                name = dialog.result_info.unit_name
                if mode == "send_back":
                    self.on_change(tr("Đã trả lại báo cáo của {unit}; thông báo trả lại đã được chép, hãy dán vào "
                                      "thư hoặc tin nhắn gửi đơn vị.").format(unit=name))
                else:
                    self.on_change(tr("Đã chấp nhận báo cáo của {unit} (có ghi chú).").format(unit=name))

        dialog.finished.connect(done)
        if open_dialog:
            dialog.open()
        return dialog

    def copy_note(self, unit_code: str) -> str | None:
        info = self.info(unit_code)
        if info is None or info.state != "sent_back":
            return None
        text = send_back_note(info)
        QGuiApplication.clipboard().setText(text)
        self.on_change(tr("Đã chép thông báo trả lại báo cáo của {unit}.").format(unit=info.unit_name))
        return text

    def save_note(self, unit_code: str) -> Path | None:
        info = self.info(unit_code)
        if info is None or info.state != "sent_back":
            return None
        start = str(export_actions.last_export_dir() / note_file_name(info))
        chosen, _ = QFileDialog.getSaveFileName(self.widget, tr("Lưu thông báo trả lại"), start,
                                                tr("Tệp văn bản (*.txt)"))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".txt":
            path = path.with_name(path.name + ".txt")
        save_note(send_back_note(info), path)
        export_actions.remember_export_dir(path.parent)
        self.on_change(tr("Đã lưu thông báo trả lại: {path}").format(path=path))
        return path


__all__ = ["ReviewDialog", "Reviewer"]
