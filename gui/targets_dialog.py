"""Chỉ tiêu kế hoạch: the plan's confirmed targets, and the targets its text proposes, to confirm and link.

Proposals come from ``core.plans.targets.propose_targets`` over the plan's text (kept with the plan, or read
from a .txt the user picks); nothing is stored until the user ticks a proposal, links it to a row of the
form (and, for a ratio, the row it is divided by) and presses "Lưu các chỉ tiêu đã chọn". The saving is all
or nothing: one refused line keeps every line unsaved and says which and why.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.plans.targets import OP_WORDS, OPS, TargetProposal
from db.engine import Database
from gui.screen_fit import fit_dialog

COL_CHECK, COL_CLAUSE, COL_OP, COL_VALUE, COL_CODE, COL_OF = range(6)


class TargetsDialog(QDialog):
    def __init__(self, db: Database, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chỉ tiêu kế hoạch"))
        fit_dialog(self, 1100, 680)  # centred, never larger than the screen (1366×728)
        self.db = db
        self.plan_id = plan_id
        self.proposals: list[TargetProposal] = []
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.confirmed = QTableWidget(0, 3)
        self.confirmed.setHorizontalHeaderLabels(
            [self.tr("Chỉ tiêu"), self.tr("Cách tính"), self.tr("Câu trong kế hoạch")])
        self._plain(self.confirmed)
        self.confirmed.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.confirmed.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.confirmed.setColumnWidth(1, 160)
        done_box = QGroupBox(self.tr("Chỉ tiêu đã xác nhận"))
        QVBoxLayout(done_box).addWidget(self.confirmed)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Chọn"), self.tr("Câu trong văn bản kế hoạch"),
                                              self.tr("So sánh"), self.tr("Giá trị"), self.tr("Chỉ tiêu thống kê"),
                                              self.tr("Chia cho (tỉ lệ)")])
        self._plain(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(COL_CLAUSE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_CHECK, 46), (COL_OP, 96), (COL_VALUE, 70), (COL_CODE, 230), (COL_OF, 150)):
            self.table.setColumnWidth(col, width)
        self.read_button = QPushButton(self.tr("Đọc văn bản kế hoạch (.txt)…"))
        self.read_button.clicked.connect(self._read_text)
        self.save_button = QPushButton(self.tr("Lưu các chỉ tiêu đã chọn"))
        self.save_button.clicked.connect(self.save_checked)
        self.hint = QLabel(self.tr(
            "Các đề xuất chưa được lưu. Đánh dấu “Chọn”, gắn với chỉ tiêu thống kê (và mẫu số nếu là tỉ lệ giữa hai "
            "chỉ tiêu) rồi bấm “Lưu các chỉ tiêu đã chọn”."))
        self.hint.setWordWrap(True)
        propose_box = QGroupBox(self.tr("Đề xuất từ văn bản kế hoạch"))
        pl = QVBoxLayout(propose_box)
        pl.addWidget(self.hint)
        pl.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.read_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        pl.addLayout(row)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(done_box, 1)
        box.addWidget(propose_box, 2)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        box.addLayout(bottom)
        self._codes: list[tuple[str, str]] = []
        self.reload()

    @staticmethod
    def _plain(t: QTableWidget) -> None:
        t.verticalHeader().hide()
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setWordWrap(True)

    def reload(self, text: str | None = None) -> None:
        from sqlalchemy import select

        from core.forms import current_template
        from core.plans.targets import get_plan, list_targets, plan_text, propose_targets, stored_phrase, suggest_code
        from db.models import Indicator

        with self.db.session() as s:
            plan = get_plan(s, self.plan_id)
            self.title.setText(self.tr("<b>{title}</b> ({y1}–{y2})").format(
                title=plan.title, y1=plan.year_from, y2=plan.year_to))
            confirmed = [(t.label or t.code, stored_phrase(s, t), t.source_text or "")
                         for t in list_targets(s, plan_id=self.plan_id)]
            template = current_template(s)
            self._codes = [(c, n) for c, n in s.execute(select(Indicator.code, Indicator.name).where(
                Indicator.template_id == template.id, Indicator.kind == "value",
                Indicator.value_type.in_(("integer", "decimal", "percent"))).order_by(Indicator.sort_order))]
            self.proposals = propose_targets(text if text is not None else plan_text(plan))
            suggested = [suggest_code(s, p) for p in self.proposals]
        self.confirmed.setRowCount(0)
        for label, phrase, src in confirmed:
            r = self.confirmed.rowCount()
            self.confirmed.insertRow(r)
            for c, v in enumerate((label, phrase, src)):
                self.confirmed.setItem(r, c, QTableWidgetItem(v))
        self.confirmed.resizeRowsToContents()
        self.table.setRowCount(0)
        for p, code in zip(self.proposals, suggested, strict=True):
            self._add_proposal(p, code)
        self.table.resizeRowsToContents()
        if not self.proposals:
            self.hint.setText(self.tr(
                "Chưa có đề xuất: kế hoạch chưa có văn bản nêu chỉ tiêu định lượng. Bấm “Đọc văn bản kế hoạch (.txt)…” "
                "để đọc các dòng “Mục tiêu” của kế hoạch."))

    def _add_proposal(self, p: TargetProposal, code: str | None) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        check.setCheckState(Qt.CheckState.Unchecked)
        self.table.setItem(r, COL_CHECK, check)
        clause = QTableWidgetItem(p.clause)
        clause.setToolTip(f"{p.heading}\n{p.sentence}" if p.heading else p.sentence)
        self.table.setItem(r, COL_CLAUSE, clause)
        op = QComboBox()
        for key in OPS:
            op.addItem(self.tr(OP_WORDS[key]), key)
        op.setCurrentIndex(OPS.index(p.op))
        self.table.setCellWidget(r, COL_OP, op)
        value = QLineEdit(f"{p.value:g}".replace(".", ",") + ("%" if p.percent else ""))
        value.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.table.setCellWidget(r, COL_VALUE, value)
        for col, chosen in ((COL_CODE, code), (COL_OF, None)):
            combo = QComboBox()
            combo.addItem(self.tr("(chọn chỉ tiêu)") if col == COL_CODE else self.tr("(không)"), None)
            for c, name in self._codes:
                combo.addItem(f"{c}. {name}", c)
            if chosen:
                combo.setCurrentIndex(combo.findData(chosen))
            self.table.setCellWidget(r, col, combo)

    def _read_text(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Văn bản kế hoạch"), "", self.tr("Văn bản (*.txt)"))
        if path:
            self.read_text_file(Path(path))

    def read_text_file(self, path: Path) -> bool:
        """Keep the plan's text from ``path`` and show what it proposes; a bad file changes nothing."""
        from core.plans.targets import set_plan_text
        from core.safe_files import InputFileError, read_text_file

        try:
            text = read_text_file(path)
            with self.db.transaction() as s:
                set_plan_text(s, self.plan_id, text)
        except (InputFileError, Refused) as exc:
            QMessageBox.warning(self, self.tr("Không đọc được văn bản"), str(exc))
            return False
        self.reload()
        return True

    def check(self, row: int, code: str, of_code: str | None = None) -> None:
        """Tick proposal ``row`` and link it (what a user does with the mouse)."""
        self.table.item(row, COL_CHECK).setCheckState(Qt.CheckState.Checked)
        for col, value in ((COL_CODE, code), (COL_OF, of_code)):
            combo: QComboBox = self.table.cellWidget(row, col)
            combo.setCurrentIndex(max(0, combo.findData(value)))

    def save_checked(self) -> int:
        """Store the ticked proposals, all or nothing; returns how many were stored."""
        from core.plans.targets import add_target

        chosen = [r for r in range(self.table.rowCount())
                  if self.table.item(r, COL_CHECK).checkState() == Qt.CheckState.Checked]
        if not chosen:
            QMessageBox.information(self, self.tr("Chưa chọn"), self.tr("Hãy đánh dấu “Chọn” ở các đề xuất cần lưu."))
            return 0
        problems = []
        try:
            with self.db.transaction() as s:
                for r in chosen:
                    code = self.table.cellWidget(r, COL_CODE).currentData()
                    if not code:
                        problems.append(self.tr("dòng {n}: chưa gắn với chỉ tiêu thống kê").format(n=r + 1))
                        continue
                    p = self.proposals[r]
                    try:
                        add_target(s, plan_id=self.plan_id, code=code,
                                   of_code=self.table.cellWidget(r, COL_OF).currentData(),
                                   op=self.table.cellWidget(r, COL_OP).currentData(),
                                   value=self.table.cellWidget(r, COL_VALUE).text(), label=p.clause,
                                   source_text=p.sentence)
                    except Refused as exc:
                        problems.append(self.tr("dòng {n}: {msg}").format(n=r + 1, msg=str(exc)))
                if problems:
                    raise Refused("\n".join(problems))
        except Refused as exc:
            QMessageBox.warning(self, self.tr("Chưa lưu chỉ tiêu nào"), str(exc))
            return 0
        self.reload()
        return len(chosen)
