"""Nội dung báo cáo: the narrative sections I–V of a return.

Each section shows the draft the program writes from the figures (read-only) and the user's own
text. The user's text is saved through ``set_section_text`` when the box loses focus, after a
short pause in typing, and before switching section or return. "Soạn lại bản nháp" redrafts
from the current figures and never touches the user's text; "Dùng bản nháp" copies the draft
into the user's box only when asked. An empty box means "print the draft".

A section the user wrote before the figures changed is marked "cần xem lại"; "Giữ nội dung đã
viết" confirms the words against the figures of now. A submitted return shows its frozen
snapshot, read-only: exactly what its PDF prints.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import NotFound
from core.returns.narrative import SectionView, narrative_sections, regenerate_drafts, set_section_text
from core.returns.store import ReturnLockedError
from core.vnformat import nfc
from db.engine import Database
from db.models import Return

KEY_ROLE = Qt.ItemDataRole.UserRole


class _WrappingDelegate(QStyledItemDelegate):
    """Section titles wrap within the tree's width (QTreeView does not size wrapped rows by itself)."""

    def sizeHint(self, option, index):  # noqa: N802
        tree: QTreeWidget = self.parent()  # type: ignore[assignment]
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = max(80, tree.viewport().width() - tree.indentation() * (depth + 1) - 8)
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        rect = QFontMetrics(font).boundingRect(QRect(0, 0, width, 10000), int(Qt.TextFlag.TextWordWrap),
                                               index.data(Qt.ItemDataRole.DisplayRole) or "")
        return QSize(width, rect.height() + 6)


class NarrativeEditor(QWidget):
    message = Signal(str)
    IDLE_MS = 1500  # save after this pause in typing

    def __init__(self, db: Database | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.return_id: int | None = None
        self.editable = False
        self.views: list[SectionView] = []
        self._key: str | None = None
        self._loading = False
        self._items: dict[str, QTreeWidgetItem] = {}

        self.regenerate_button = QPushButton(self.tr("Soạn lại bản nháp"))
        self.regenerate_button.setToolTip(self.tr(
            "Soạn lại các câu tự động từ số liệu hiện tại. Nội dung anh/chị đã viết không bị thay đổi."))
        self.regenerate_button.clicked.connect(self.regenerate)
        intro = QLabel(self.tr(
            "Chương trình tự soạn các câu nêu số liệu (bản nháp). Anh/chị viết nội dung của từng phần ở ô dưới; "
            "nội dung được lưu tự động. Phần nào để trống thì báo cáo in bản nháp."))
        intro.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.regenerate_button)

        self.sections = QTreeWidget()
        self.sections.setObjectName("narrative_sections")
        self.sections.setHeaderHidden(True)
        self.sections.setWordWrap(True)
        self.sections.setIndentation(16)
        self.sections.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sections.setUniformRowHeights(False)
        self.sections.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.sections.viewport().installEventFilter(self)
        self.sections.setItemDelegate(_WrappingDelegate(self.sections))
        self.sections.currentItemChanged.connect(self._section_changed)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.stale = QWidget()
        self.stale.setObjectName("stale_notice")
        self.stale.setStyleSheet("QWidget#stale_notice { background: #fff4d6; border-radius: 3px; }")
        stale_text = QLabel(self.tr(
            "Số liệu đã thay đổi sau khi anh/chị viết phần này — hãy đối chiếu với bản nháp mới ở trên. "
            "Khi hoàn thành hoặc xuất báo cáo, chương trình sẽ hỏi lại về phần này."))
        stale_text.setWordWrap(True)
        stale_text.setStyleSheet("color: #7a4a00; padding: 4px;")
        self.keep_button = QPushButton(self.tr("Giữ nội dung đã viết"))
        self.keep_button.setToolTip(self.tr(
            "Nội dung đã viết vẫn đúng với số liệu hiện tại: bỏ đánh dấu “cần xem lại”."))
        self.keep_button.clicked.connect(self.keep_written)
        sl = QHBoxLayout(self.stale)
        sl.setContentsMargins(0, 0, 4, 0)
        sl.addWidget(stale_text, 1)
        sl.addWidget(self.keep_button)
        self.stale.hide()
        self.draft = QPlainTextEdit()
        self.draft.setObjectName("draft_text")
        self.draft.setReadOnly(True)
        self.draft.setStyleSheet("QPlainTextEdit { background: #f4f6f8; color: #333; }")
        self.draft.setMaximumHeight(150)
        self.use_draft_button = QPushButton(self.tr("Dùng bản nháp"))
        self.use_draft_button.setToolTip(self.tr("Chép bản nháp vào ô nội dung bên dưới để sửa tiếp."))
        self.use_draft_button.clicked.connect(self.use_draft)
        self.user = QPlainTextEdit()
        self.user.setObjectName("user_text")
        self.user.setPlaceholderText(self.tr("Chưa viết — khi in, báo cáo dùng bản nháp ở trên."))
        self.user.textChanged.connect(self._typed)
        self.user.installEventFilter(self)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.saved.setStyleSheet("color: #555;")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.IDLE_MS)
        self.timer.timeout.connect(self.save)

        draft_head = QHBoxLayout()
        draft_head.addWidget(QLabel(self.tr("<b>Bản nháp tự động</b> (từ số liệu của báo cáo)")), 1)
        draft_head.addWidget(self.use_draft_button)
        detail = QWidget()
        d = QVBoxLayout(detail)
        d.setContentsMargins(8, 0, 0, 0)
        d.addWidget(self.title)
        d.addLayout(draft_head)
        d.addWidget(self.draft)
        d.addWidget(QLabel(self.tr("<b>Nội dung anh/chị viết</b> (được in vào báo cáo)")))
        d.addWidget(self.stale)
        d.addWidget(self.user, 1)
        d.addWidget(self.saved)
        self.detail = detail

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.sections)
        split.addWidget(detail)
        split.setStretchFactor(1, 1)
        split.setSizes([340, 660])
        self.empty = QLabel(self.tr("Báo cáo này không có phần thuyết minh."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(split)
        self.body.addWidget(self.empty)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.body, 1)

    # ----------------------------------------------------------------- loading

    def load(self, return_id: int | None, editable: bool) -> None:
        """Show the sections of ``return_id`` (None: nothing); a pending edit is saved first."""
        self.save()
        self.return_id, self.editable = return_id, editable
        self.views = self._read() if return_id is not None else []
        self._fill(keep=self._key)

    def _read(self, regenerate: bool = True) -> list[SectionView]:
        if self.db is None or self.return_id is None:
            return []
        with self.db.transaction() as s:
            ret = s.get(Return, self.return_id)
            if ret is None:
                return []
            # A draft's drafts are brought up to date with its figures (only draft_text changes).
            return narrative_sections(s, ret, regenerate=regenerate)

    def _fill(self, keep: str | None = None) -> None:
        self._loading = True
        try:
            self.sections.blockSignals(True)
            self.sections.clear()
            self._items = {}
            for v in self.views:
                parent = self._items.get(v.parent) if v.parent else None
                item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.sections)
                item.setData(0, KEY_ROLE, v.key)
                self._decorate(item, v)
                self._items[v.key] = item
            self.sections.expandAll()
            self.sections.blockSignals(False)
            keys = [v.key for v in self.views]
            target = keep if keep in keys else (self._first_with_text() if self.views else None)
            self._key = None
            if target is not None:
                self.sections.setCurrentItem(self._items[target])
            self._show_current()
            self.regenerate_button.setEnabled(self.editable and bool(self.views))
            self.body.setCurrentWidget(self.empty if not self.views and self.return_id is not None
                                       else self.body.widget(0))
        finally:
            self._loading = False

    def _first_with_text(self) -> str:
        for v in self.views:
            if v.text:
                return v.key
        return self.views[0].key

    def _decorate(self, item: QTreeWidgetItem, v: SectionView) -> None:
        notes = []
        if v.edited:
            notes.append(self.tr("đã viết"))
        if v.stale:
            notes.append(self.tr("cần xem lại"))
        item.setText(0, v.title + (f" — {', '.join(notes)}" if notes else ""))
        tip = [self.tr("Có bản nháp tự động.") if v.draft_text else self.tr("Không có câu tự soạn.")]
        if v.edited:
            tip.append(self.tr("Anh/chị đã viết nội dung riêng cho phần này."))
        if v.stale:
            tip.append(self.tr("Số liệu đã thay đổi sau khi anh/chị viết: hãy xem lại."))
        item.setToolTip(0, v.title + "\n" + " ".join(tip))
        f = QFont()
        f.setBold(v.level == 1)
        item.setFont(0, f)
        colour = "#7a4a00" if v.stale else ("#14532d" if v.edited else "#000000")
        item.setForeground(0, QBrush(QColor(colour)))

    def view(self, key: str | None) -> SectionView | None:
        return next((v for v in self.views if v.key == key), None)

    def select(self, key: str) -> None:
        item = self._items.get(key)
        if item is not None:
            self.sections.setCurrentItem(item)

    def _section_changed(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if self._loading:
            return
        self.save()
        self._show_current()

    def _show_current(self) -> None:
        item = self.sections.currentItem()
        v = self.view(item.data(0, KEY_ROLE)) if item is not None else None
        self._key = v.key if v else None
        was_loading, self._loading = self._loading, True
        try:
            if v is None:
                self.title.setText("")
                self.draft.setPlainText("")
                self.user.setPlainText("")
                self.stale.hide()
            else:
                parent = self.view(v.parent) if v.parent else None
                heading = f"{parent.title} › {v.title}" if parent else v.title
                self.title.setText(f"<b>{heading}</b>")
                self.draft.setPlainText(v.draft_text or self.tr("(Phần này không có câu tự soạn từ số liệu.)"))
                self.user.setPlainText(v.user_text or "")
                self.stale.setVisible(v.stale)
            self.user.setReadOnly(not self.editable or v is None)
            self.use_draft_button.setEnabled(self.editable and v is not None and bool(v.draft_text))
            self.keep_button.setEnabled(self.editable)
            self.saved.setText("" if self.editable else self.tr(
                "Báo cáo đã hoàn thành: đây là nội dung đã khóa, đúng như bản in; chỉ xem."))
        finally:
            self._loading = was_loading

    # ----------------------------------------------------------------- saving

    def hideEvent(self, event) -> None:  # noqa: N802
        self.save()  # another tab or page, or the window closing: keep what was typed
        super().hideEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.user and event.type() == QEvent.Type.FocusOut:
            self.save()
        elif obj is self.sections.viewport() and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self.sections.doItemsLayout)  # re-wrap long titles at the new width
        return super().eventFilter(obj, event)

    def _typed(self) -> None:
        if not self._loading and self.editable:
            self.timer.start()

    def save(self) -> bool:
        """Store the current section's text if it changed; an emptied box goes back to the draft."""
        self.timer.stop()
        v = self.view(self._key)
        if v is None or not self.editable or self.db is None or self.return_id is None:
            return False
        text = nfc(self.user.toPlainText())
        new = text if text.strip() else None
        if (new.strip() if new is not None else None) == v.user_text:
            return False
        try:
            with self.db.transaction() as s:
                changed = set_section_text(s, s.get(Return, self.return_id), v.key, new)
        except (ReturnLockedError, NotFound) as exc:
            self.message.emit(str(exc))
            return False
        self.views = self._read(regenerate=False)
        for key, item in self._items.items():
            nv = self.view(key)
            if nv is not None:
                self._decorate(item, nv)
        cur = self.view(self._key)
        self.stale.setVisible(bool(cur and cur.stale))
        self.saved.setText(self.tr("Đã lưu lúc {t}.").format(t=datetime.now().strftime("%H:%M")))
        return changed

    def keep_written(self) -> None:
        """"Giữ nội dung đã viết": the user's words stand for the figures of now (the section is no longer stale)."""
        v = self.view(self._key)
        if v is None or not v.stale or not self.editable or self.db is None or self.return_id is None:
            return
        self.save()
        v = self.view(self._key)
        try:
            with self.db.transaction() as s:
                set_section_text(s, s.get(Return, self.return_id), v.key, v.user_text)
        except (ReturnLockedError, NotFound) as exc:
            self.message.emit(str(exc))
            return
        self.views = self._read(regenerate=False)
        for key, item in self._items.items():
            nv = self.view(key)
            if nv is not None:
                self._decorate(item, nv)
        self.stale.hide()
        self.saved.setText(self.tr("Đã xác nhận nội dung phần này với số liệu hiện tại."))

    def use_draft(self) -> None:
        """Copy the draft into the user's box (undoable with Ctrl+Z) and save it."""
        v = self.view(self._key)
        if v is None or not v.draft_text or not self.editable:
            return
        current = self.user.toPlainText().strip()
        if current and current != v.draft_text.strip():
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Dùng bản nháp"),
                              self.tr("Thay nội dung anh/chị đã viết ở phần này bằng bản nháp?"), parent=self)
            yes = box.addButton(self.tr("Thay bằng bản nháp"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("Giữ nội dung đã viết"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not yes:
                return
        cursor = self.user.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(v.draft_text)
        self.save()

    def regenerate(self) -> None:
        """"Soạn lại bản nháp": redraft every section from the current figures; the user's text stays."""
        if not self.editable or self.db is None or self.return_id is None:
            return
        self.save()
        try:
            with self.db.transaction() as s:
                changes = regenerate_drafts(s, s.get(Return, self.return_id))
        except ReturnLockedError as exc:
            self.message.emit(str(exc))
            return
        self.views = self._read(regenerate=False)
        self._fill(keep=self._key)
        kept = sum(1 for c in changes if c.user_text_kept)
        if not changes:
            text = self.tr("Bản nháp đã khớp với số liệu hiện tại.")
        else:
            text = self.tr("Đã soạn lại bản nháp ({n} phần thay đổi).").format(n=len(changes))
            if kept:
                text += " " + self.tr("Giữ nguyên nội dung anh/chị đã viết ở {k} phần.").format(k=kept)
        self.saved.setText(text)
        self.message.emit(text)
