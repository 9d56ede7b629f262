"""The score table of one unit on the "Chỉ số CCHC" page (``gui.pages.index_page``): the criteria tree with
maximum, self-score, appraised score and evidence count; keyboard entry; the scoring guide beside the selected
row; evidence dropped on a row. "self": the unit scores itself; "appraise": the level above appraises."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.index.points import format_points
from core.vnformat import format_percent
from db.engine import Database
from gui.refusals import show_refusal

COLUMNS = ("Mã", "Lĩnh vực / tiêu chí", "Tối đa", "Tự chấm", "Thẩm định", "Tài liệu")
SELF_COL, APPRAISED_COL = 3, 4


class _OnlyColumn(QStyledItemDelegate):
    """Only the score column of a leaf is typed in."""

    def __init__(self, column: int, parent: QObject) -> None:
        super().__init__(parent)
        self.column = column

    def createEditor(self, parent, option, index):  # noqa: ANN001, ANN201, N802 - Qt override
        if index.column() != self.column or not (index.flags() & Qt.ItemFlag.ItemIsEditable):
            return None
        return super().createEditor(parent, option, index)


class _ScoreTree(QTreeWidget):
    """The criteria tree; files dropped on a row are attached to it as evidence."""

    files_dropped = Signal(str, list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if not event.mimeData().hasUrls():
            return super().dropEvent(event)
        item = self.itemAt(event.position().toPoint())
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole + 1):
            paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
            self.files_dropped.emit(item.data(0, Qt.ItemDataRole.UserRole), paths)
            event.acceptProposedAction()
        return None


class ScorePanel(QWidget):
    """One unit's score table: ``mode`` "self" (the unit scores itself) or "appraise" (the level above)."""

    changed = Signal()

    def __init__(self, db: Database, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.mode = db, mode
        self.unit_code: str | None = None
        self.year: int | None = None
        self.editable = False
        self._loading = False
        self.tree = _ScoreTree()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels([self.tr(c) for c in COLUMNS])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.edit_column = SELF_COL if mode == "self" else APPRAISED_COL
        self.tree.setItemDelegate(_OnlyColumn(self.edit_column, self.tree))
        self._pending: tuple[str, str, str | None] | None = None
        self.tree.itemDelegate().closeEditor.connect(self._flush)
        header = self.tree.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3, 4, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_detail())
        self.tree.files_dropped.connect(self._attach_files)
        self.tree.installEventFilter(self)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.guide = QLabel()
        self.guide.setWordWrap(True)
        self.guide.setTextFormat(Qt.TextFormat.PlainText)
        self.evidence_asked = QLabel()
        self.evidence_asked.setWordWrap(True)
        self.proposal = QLabel()
        self.proposal.setWordWrap(True)
        self.use_proposal = QPushButton(self.tr("Dùng điểm đề xuất"))
        self.use_proposal.clicked.connect(self._accept_proposal)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("Giải trình (bắt buộc khi chưa đạt điểm tối đa)") if mode == "self"
                                     else self.tr("Lý do thẩm định (bắt buộc khi khác điểm tự chấm)"))
        self.note.setMaximumHeight(80)
        self.evidence = QListWidget()
        self.evidence.setMaximumHeight(110)
        self.add_evidence = QPushButton(self.tr("Thêm tài liệu kiểm chứng…"))
        self.add_evidence.clicked.connect(self._choose_evidence)
        side = QWidget()
        lay = QVBoxLayout(side)
        lay.setContentsMargins(6, 0, 0, 0)
        for caption, widget in ((None, self.title), (self.tr("Hướng dẫn chấm điểm"), self.guide),
                                (self.tr("Tài liệu kiểm chứng yêu cầu"), self.evidence_asked),
                                (None, self.proposal), (None, self.use_proposal),
                                (self.tr("Giải trình") if mode == "self" else self.tr("Lý do thẩm định"), self.note),
                                (self.tr("Tài liệu đã gắn (kéo thả tệp vào dòng tiêu chí)") if mode == "self"
                                 else self.tr("Tài liệu kiểm chứng đơn vị gửi"), self.evidence),
                                (None, self.add_evidence)):
            if caption:
                cap = QLabel(f"<b>{caption}</b>")
                cap.setWordWrap(True)
                lay.addWidget(cap)
            lay.addWidget(widget)
        lay.addStretch(1)
        if mode != "self":
            self.add_evidence.hide()
            self.use_proposal.hide()
        scroll = QScrollArea()  # the detail scrolls rather than forcing the window taller
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(side)
        split = QSplitter()
        split.addWidget(self.tree)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)
        self.rows: dict[str, dict] = {}

    # ----------------------------------------------------------------- loading

    def load(self, unit_code: str | None, year: int | None) -> str:
        """Show the unit's scores; returns the progress line (or why nothing is shown)."""
        from core.index.proposals import propose_scores
        from core.index.scoring import assessment_for, compute_totals, find_assessment

        self.unit_code, self.year = unit_code, year
        self._loading = True
        self.tree.clear()
        self.rows = {}
        try:
            if unit_code is None or year is None:
                return ""
            try:
                with self.db.transaction() as s:
                    a = (assessment_for(s, unit_code, year) if self.mode == "self"
                         else find_assessment(s, unit_code, year))
                    if a is None:
                        return self.tr("Chưa có bảng điểm của đơn vị này.")
                    if self.mode == "self" and a.origin == "entered" and a.status == "draft":
                        propose_scores(s, a)
                    t = compute_totals(s, a)
                    scores = {sc.criterion.code: sc for sc in a.scores}
                    self.editable = (a.status == "draft" and a.origin == "entered") if self.mode == "self" else (
                        a.status == "submitted" or a.origin == "imported")
                    items: dict[str, QTreeWidgetItem] = {}
                    for c in t.criteria:
                        r = t.rows[c.code]
                        leaf = c.is_leaf and c.depth > 0
                        sc = scores.get(c.code)
                        self.rows[c.code] = {
                            "stt": c.stt, "name": c.name, "kind": c.kind, "max": c.max_centi, "leaf": leaf,
                            "guide": c.scoring_guide or "", "asked": c.evidence_required or "",
                            "note": (r.note if self.mode == "self" else r.appraisal_note) or "",
                            "proposed": r.proposed_centi, "source": r.proposal_source,
                            "evidence": [", ".join(filter(None, (e.document_number, e.summary, e.file_name)))
                                         for e in (sc.evidence if sc else [])]}
                        self_text = self.tr("KAD") if r.not_applicable else format_points(r.self_centi)
                        appr = r.appraised_centi if r.appraised_given else None
                        values = [c.stt, c.name, ("−" if c.kind == "deduction" else "") + format_points(c.max_centi),
                                  self_text, format_points(appr), str(r.evidence) if leaf else ""]
                        item = QTreeWidgetItem([str(v) for v in values])
                        item.setData(0, Qt.ItemDataRole.UserRole, c.code)
                        item.setData(0, Qt.ItemDataRole.UserRole + 1, leaf)
                        item.setToolTip(1, c.name)
                        for col in (2, 3, 4, 5):
                            item.setTextAlignment(col, Qt.AlignmentFlag.AlignCenter)
                        if c.depth == 0 or not leaf:
                            f = item.font(0)
                            f.setBold(True)
                            for col in range(len(COLUMNS)):
                                item.setFont(col, f)
                        can_edit = leaf and self.editable and (c.kind != "survey" or self.mode != "self")
                        if can_edit:
                            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                        parent = items.get(c.parent_code or "")
                        (parent.addChild(item) if parent is not None else self.tree.addTopLevelItem(item))
                        items[c.code] = item
                    self.tree.expandAll()
                    if self.mode == "self":
                        idx = t.self_index()
                        total = self.tr("Tổng tự chấm {p}/{m} điểm{i}").format(
                            p=format_points(t.self_points - t.self_deduction), m=format_points(t.self_max),
                            i=f" ({format_percent(idx, rule=t.rule)})" if idx is not None else "")
                    else:
                        idx = t.index()
                        total = self.tr("Sau thẩm định {p}/{m} điểm — Chỉ số CCHC {i}").format(
                            p=format_points(t.final_points), m=format_points(t.final_max),
                            i=format_percent(idx, rule=t.rule) if idx is not None else "—")
                    return f"{t.progress_line()[:1].upper()}{t.progress_line()[1:]}. {total}."
            except Refused as exc:
                return str(exc)
        finally:
            self._loading = False
            self._show_detail()

    # ----------------------------------------------------------------- detail beside the row

    def current_code(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _show_detail(self) -> None:
        row = self.rows.get(self.current_code() or "")
        leaf = bool(row and row["leaf"])
        self.title.setText(f"<b>{row['stt']}. {row['name']}</b>" if row else self.tr("Chọn một tiêu chí"))
        self.guide.setText(row["guide"] if row and row["guide"] else self.tr("(không có)"))
        self.evidence_asked.setText(row["asked"] if row and row["asked"] else self.tr("(không có)"))
        self.note.setPlainText(row["note"] if row else "")
        self.note.setEnabled(leaf and self.editable)
        self.evidence.clear()
        if row:
            self.evidence.addItems(row["evidence"])
        proposed = row and row["proposed"] is not None and self.mode == "self"
        self.proposal.setVisible(bool(proposed))
        self.use_proposal.setVisible(bool(proposed) and self.editable)
        if proposed:
            self.proposal.setText(self.tr("Đề xuất: {src}").format(src=row["source"]))
        self.add_evidence.setEnabled(leaf and self.editable and self.mode == "self")

    # ----------------------------------------------------------------- entering

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.tree and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.tree.state() != QAbstractItemView.State.EditingState:
            item = self.tree.currentItem()
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsEditable:
                self.tree.editItem(item, self.edit_column)
                return True
        return super().eventFilter(obj, event)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._loading or column != self.edit_column:
            return
        code = item.data(0, Qt.ItemDataRole.UserRole)
        text = item.text(column).strip()
        note = self.note.toPlainText().strip() or None
        # Stored once the editor has closed (``_flush``): reloading the tree inside the item's own signal would
        # pull the item from under the delegate that is still writing it.
        self._pending = (code, text, note)

    def _flush(self, *_: object) -> None:
        if self._pending is None:
            return
        code, text, note = self._pending
        self._pending = None
        ok = self.save_score(code, text, note)
        self._select(code, next_leaf=ok)

    def save_score(self, code: str, text: str, note: str | None) -> bool:
        """Store a typed score (or an appraised one); a refusal is shown and nothing is stored."""
        from core.index.appraisal import appraise
        from core.index.scoring import assessment_for, set_score

        try:
            with self.db.transaction() as s:
                if self.mode == "self":
                    a = assessment_for(s, self.unit_code or "", self.year or 0)
                    na = text.upper() == "KAD"
                    set_score(s, a, code, None if na else text, note=note, not_applicable=na)
                else:
                    appraise(s, self.unit_code or "", self.year or 0, code, text, note)
            return True
        except Refused as exc:
            if "cần giải trình" in str(exc) or "cần ghi lý do" in str(exc):
                reason, accepted = QInputDialog.getText(self, self.tr("Giải trình"), str(exc))
                if accepted and reason.strip():
                    return self.save_score(code, text, reason.strip())
            else:
                show_refusal(self, exc, self.tr("Không ghi được điểm"))
            return False

    def _select(self, code: str, next_leaf: bool) -> None:
        self.changed.emit()
        leaves = self._leaf_items()
        codes = [i.data(0, Qt.ItemDataRole.UserRole) for i in leaves]
        if code in codes:
            i = codes.index(code) + (1 if next_leaf else 0)
            target = leaves[min(i, len(leaves) - 1)]
            self.tree.setCurrentItem(target, self.edit_column)

    def _leaf_items(self) -> list[QTreeWidgetItem]:
        out = []

        def walk(item: QTreeWidgetItem) -> None:
            if item.flags() & Qt.ItemFlag.ItemIsEditable:
                out.append(item)
            for k in range(item.childCount()):
                walk(item.child(k))

        for k in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(k))
        return out

    def _accept_proposal(self) -> None:
        code = self.current_code()
        row = self.rows.get(code or "")
        if not code or not row or row["proposed"] is None:
            return
        if self.save_score(code, format_points(row["proposed"]), self.note.toPlainText().strip() or None):
            self._select(code, next_leaf=False)

    # ----------------------------------------------------------------- evidence

    def _choose_evidence(self) -> None:
        code = self.current_code()
        if not code:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Chọn tài liệu kiểm chứng"))
        if paths:
            self._attach_files(code, paths)

    def _attach_files(self, code: str, paths: list[str]) -> None:
        from core.index.scoring import add_score_evidence, assessment_for
        from db.engine import is_url

        if self.mode != "self" or not self.editable:
            return
        target = self.db.target
        try:
            with self.db.transaction() as s:
                a = assessment_for(s, self.unit_code or "", self.year or 0)
                for p in paths:
                    add_score_evidence(s, a, code, summary=Path(p).stem, file=p,
                                       db_path=None if is_url(str(target)) else target)
        except Refused as exc:
            show_refusal(self, exc, self.tr("Không gắn được tài liệu"))
            return
        self._select(code, next_leaf=False)
