"""The "Chỉ số CCHC" page: the unit's self-scoring against its criteria set (the score table,
``gui.index_scores.ScorePanel``, and the progress line), and for the level above the received score tables,
the appraisal of each and the ranking per group. Reading a criteria table, receiving score files and writing
the exports run as ``gui.jobs.Job``s; the questions stay on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.index.points import format_points
from core.jobs import Progress
from core.vnformat import format_percent
from db.engine import Database
from gui import export_actions
from gui.index_scores import ScorePanel
from gui.jobs import SHOW_PROGRESS_AFTER_MS, Job
from gui.pages import Page
from gui.refusals import show_refusal


class IndexPage(Page):
    """"Chỉ số CCHC": self-scoring of the selected unit for the selected period's year; appraisal and ranking."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.progress = QLabel()
        self.progress.setObjectName("index_progress")
        for label in (self.heading, self.progress):
            label.setWordWrap(True)  # a long unit name or progress line must not widen the window
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, slot in (("submit", self.tr("Nộp bảng điểm"), self.submit),
                                ("reopen", self.tr("Mở lại…"), self.reopen),
                                ("export", self.tr("Xuất bảng điểm…"), self.export_workbook),
                                ("pdf", self.tr("Xuất báo cáo PDF…"), self.export_pdf)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            self.buttons[key] = b
            bar.addWidget(b)
        bar.addStretch(1)
        self.self_panel = ScorePanel(db, "self")
        self.self_panel.changed.connect(self.refresh)
        own = QWidget()
        own_lay = QVBoxLayout(own)
        own_lay.setContentsMargins(0, 4, 0, 0)
        own_lay.addLayout(bar)
        own_lay.addWidget(self.progress)
        own_lay.addWidget(self.self_panel, 1)

        self.ranking_table = QTableWidget(0, 9)
        self.ranking_table.setHorizontalHeaderLabels([self.tr(h) for h in (
            "Xếp hạng", "Đơn vị", "Tự chấm", "Thẩm định", "Điều tra XHH", "Điểm trừ", "Tổng điểm", "Tối đa",
            "Chỉ số CCHC")])
        self.ranking_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.ranking_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ranking_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ranking_table.verticalHeader().setVisible(False)
        self.ranking_table.itemSelectionChanged.connect(self._ranked_unit_selected)
        self.ranking_table.setMinimumHeight(80)
        self.appraise_panel = ScorePanel(db, "appraise")
        self.appraise_panel.changed.connect(self._refresh_ranking)
        self.appraise_info = QLabel()
        self.appraise_info.setWordWrap(True)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        up_bar = QHBoxLayout()
        for key, text, slot in (("import", self.tr("Nhập bộ tiêu chí…"), self.import_criteria),
                                ("receive", self.tr("Nhận bảng điểm…"), self.receive),
                                ("ranking", self.tr("Xuất xếp hạng…"), self.export_ranking)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            self.buttons[key] = b
            up_bar.addWidget(b)
        up_bar.addStretch(1)
        upper = QWidget()
        up_lay = QVBoxLayout(upper)
        up_lay.setContentsMargins(0, 4, 0, 0)
        up_lay.addLayout(up_bar)
        up_lay.addWidget(self.ranking_table, 1)
        up_lay.addWidget(self.missing)
        up_lay.addWidget(self.appraise_info)
        up_lay.addWidget(self.appraise_panel, 2)

        self.tabs = QTabWidget()
        self.tabs.addTab(own, self.tr("Tự đánh giá, chấm điểm"))
        self.tabs.addTab(upper, self.tr("Thẩm định và xếp hạng"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.tabs, 1)
        self.ranked_codes: list[str] = []
        self._jobs: set[Job] = set()  # running: kept referenced until they end

    # ----------------------------------------------------------------- context

    @property
    def year(self) -> int | None:
        return int(self.period_code[:4]) if self.period_code else None

    def _unit(self) -> tuple[str | None, str]:
        from db.models import Unit

        if self.unit_id is None:
            return None, ""
        with self.db.session() as s:
            u = s.get(Unit, self.unit_id)
            return (u.code, u.name) if u else (None, "")

    def refresh(self) -> None:
        code, name = self._unit()
        self.heading.setText(self.tr("Chỉ số CCHC năm {y} — {u}").format(y=self.year or "", u=name))
        self.progress.setText(self.self_panel.load(code, self.year))
        for key in ("submit", "reopen", "export", "pdf"):
            self.buttons[key].setEnabled(bool(self.self_panel.rows))
        self.buttons["submit"].setEnabled(self.self_panel.editable)
        self.buttons["reopen"].setEnabled(bool(self.self_panel.rows) and not self.self_panel.editable)
        self._refresh_ranking()
        if not self.self_panel.rows and any(self.ranked_codes):
            self.tabs.setCurrentIndex(1)  # the province scores nothing itself: its page is the ranking

    def _refresh_ranking(self) -> None:
        from core.index.appraisal import ranking

        code, _ = self._unit()
        table = self.ranking_table
        table.setRowCount(0)
        self.ranked_codes = []
        if code is None or self.year is None:
            return
        try:
            with self.db.session() as s:
                r = ranking(s, code, self.year)
        except Refused as exc:
            self.missing.setText(str(exc))
            return
        for group, members in r.groups.items():
            row = table.rowCount()
            table.insertRow(row)
            head = QTableWidgetItem(group)
            f = head.font()
            f.setBold(True)
            head.setFont(f)
            table.setItem(row, 1, head)
            self.ranked_codes.append("")
            for m in members:
                row = table.rowCount()
                table.insertRow(row)
                values = [f"{m.rank}" + (self.tr(" (đồng hạng)") if m.tied else ""), m.unit_name,
                          format_points(m.self_points), format_points(m.appraised_points),
                          format_points(m.survey_points), format_points(m.deduction), format_points(m.points),
                          format_points(m.max_points), format_percent(m.index, rule=r.rule) if m.index is not None
                          else "—"]
                for col, v in enumerate(values):
                    it = QTableWidgetItem(v)
                    if col != 1:
                        it.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    table.setItem(row, col, it)
                self.ranked_codes.append(m.unit_code)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.missing.setText(self.tr("Chưa có bảng điểm: {u}").format(u=", ".join(r.missing)) if r.missing else "")

    def _ranked_unit_selected(self) -> None:
        rows = {i.row() for i in self.ranking_table.selectedItems()}
        code = self.ranked_codes[min(rows)] if rows and min(rows) < len(self.ranked_codes) else ""
        if code:
            self.appraise_info.setText(self.appraise_panel.load(code, self.year))

    # ----------------------------------------------------------------- actions

    def _run(self, title: str, action) -> bool:  # noqa: ANN001 - a callable taking a session
        try:
            with self.db.transaction() as s:
                action(s)
            return True
        except Refused as exc:
            show_refusal(self, exc, title)
            return False

    def _in_background(self, key: str, work, success, *, label: str, title: str,  # noqa: ANN001
                       failure_title: str, cancellable: bool = True) -> Job:
        """Run ``work(progress)`` off the GUI thread with its button disabled meanwhile; ``success(result)`` runs on
        the GUI thread, unless "Hủy" was pressed (a reading is then dropped; an import has rolled back)."""
        button = self.buttons[key]

        def succeeded(result: object) -> None:
            if not job.was_cancelled:
                success(result)

        def finished() -> None:
            button.setEnabled(True)
            self._jobs.discard(job)
            job.deleteLater()

        job = (Job(self, work, succeeded).failure(title=failure_title)
               .with_progress(label, title=title, cancellable=cancellable,
                              show_after_ms=None if cancellable else SHOW_PROGRESS_AFTER_MS)
               .on_finish(finished))
        button.setEnabled(False)
        self._jobs.add(job)
        return job.run_in_background()

    def import_criteria(self) -> Job | None:
        """Read a criteria table (off the GUI thread), show what was read and ask; store it once confirmed."""
        from core.index.criteria_import import read_criteria_table

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn bảng tiêu chí (phụ lục quyết định)"), "",
                                              self.tr("Bảng tính Excel (*.xlsx)"))
        if not path or self.year is None:
            return None
        file, year = Path(path), self.year
        return self._in_background(
            "import", lambda _progress: read_criteria_table(file, year), lambda cset: self._criteria_read(cset, file),
            label=self.tr("Đang đọc bảng tiêu chí “{name}”…").format(name=file.name),
            title=self.tr("Nhập bộ tiêu chí"), failure_title=self.tr("Không nhập được bộ tiêu chí"))

    def _criteria_read(self, cset, file: Path) -> None:  # noqa: ANN001 - a core.index.criteria.CriteriaSet
        from core.index.criteria import store_set

        p = cset.preview()
        lines = [p["title"], self.tr("{a} lĩnh vực, {c} tiêu chí, {s} tiêu chí thành phần.").format(
            a=p["areas"], c=p["criteria"], s=p["sub_criteria"])]
        lines += [f"{a['stt']}. {a['name']}: {a['max']} điểm" for a in p["areas_list"]]
        lines.append(self.tr("Tổng điểm tối đa: {t}").format(t=p["total_max"]))
        lines += [m["message"] for m in p["mismatches"]]
        if cset.blocking():
            QMessageBox.warning(self, self.tr("Bộ tiêu chí chưa đúng"), "\n".join(lines))
            return
        if QMessageBox.question(self, self.tr("Nhập bộ tiêu chí"), "\n".join(lines) + "\n\n" + self.tr(
                "Lưu bộ tiêu chí này?")) != QMessageBox.StandardButton.Yes:
            return
        db = self.db

        def store(_progress: Progress) -> None:
            with db.transaction() as s:
                store_set(s, cset, source_file=file.name)

        self._in_background("import", store, lambda _result: self.refresh(),
                            label=self.tr("Đang lưu bộ tiêu chí…"), title=self.tr("Nhập bộ tiêu chí"),
                            failure_title=self.tr("Không nhập được bộ tiêu chí"), cancellable=False)

    def submit(self) -> None:
        from core.index.scoring import assessment_for, submit_assessment

        code, _ = self._unit()
        if self._run(self.tr("Chưa nộp được"), lambda s: submit_assessment(s, assessment_for(s, code, self.year))):
            self.refresh()

    def reopen(self) -> None:
        from core.index.scoring import assessment_for, reopen_assessment

        reason, ok = QInputDialog.getText(self, self.tr("Mở lại bảng điểm"), self.tr("Lý do mở lại:"))
        if not ok:
            return
        code, _ = self._unit()
        if self._run(self.tr("Không mở lại được"),
                     lambda s: reopen_assessment(s, assessment_for(s, code, self.year), reason)):
            self.refresh()

    def _export(self, key: str, label: str, write) -> Job:  # noqa: ANN001 - write(session) -> Path
        """Write one file off the GUI thread (in one transaction), then offer to open it (``gui.export_actions``)."""
        db, button = self.db, self.buttons[key]

        def work(_progress: Progress) -> Path:
            with db.transaction() as s:
                return write(s)

        button.setEnabled(False)
        return export_actions.run_export_with_feedback(self, label, work, on_finished=lambda: button.setEnabled(True))

    def export_workbook(self) -> Job | None:
        from core.index.scoring import assessment_for
        from core.index.workbook import write_score_workbook

        code, name = self._unit()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Xuất bảng điểm"),
                                              f"Bảng điểm Chỉ số CCHC {self.year} – {name}.xlsx",
                                              self.tr("Bảng tính Excel (*.xlsx)"))
        if not path:
            return None
        year, target = self.year, Path(path)
        return self._export("export", self.tr("Đang xuất bảng điểm…"),
                            lambda s: write_score_workbook(s, assessment_for(s, code, year), target).path)

    def export_pdf(self) -> Job | None:
        from core.index.report import export_self_assessment_pdf
        from core.index.scoring import assessment_for

        code, name = self._unit()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Xuất báo cáo tự đánh giá"),
                                              f"Báo cáo tự đánh giá Chỉ số CCHC {self.year} – {name}.pdf",
                                              self.tr("Tệp PDF (*.pdf)"))
        if not path:
            return None
        year, target = self.year, Path(path)
        return self._export("pdf", self.tr("Đang xuất báo cáo tự đánh giá…"),
                            lambda s: export_self_assessment_pdf(s, assessment_for(s, code, year), target))

    def receive(self) -> Job | None:
        """Receive the score workbooks of the units below (off the GUI thread, one file after another; "Hủy"
        receives none of them), then list each file's outcome."""
        from core.index.appraisal import OUTCOME_LABELS, import_score_files

        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Chọn bảng điểm của đơn vị cấp dưới"), "",
                                                self.tr("Bảng tính Excel (*.xlsx)"))
        if not paths:
            return None
        code, _ = self._unit()
        db, files = self.db, [Path(p) for p in paths]

        def work(progress: Progress) -> list:
            with db.transaction() as s:
                return import_score_files(s, code, files, progress=progress)

        def received(outcomes: list) -> None:
            self.last_received = outcomes
            QMessageBox.information(self, self.tr("Kết quả nhận bảng điểm"), "\n".join(
                f"{o.file}: {OUTCOME_LABELS[o.outcome]} — {o.reason}" for o in outcomes))
            self._refresh_ranking()

        job = self._in_background("receive", work, received,
                                  label=self.tr("Đang nhận {n} bảng điểm…").format(n=len(files)),
                                  title=self.tr("Nhận bảng điểm"), failure_title=self.tr("Không nhận được"))
        job.on_cancel(lambda: QMessageBox.information(self, self.tr("Nhận bảng điểm"),
                                                      self.tr("Đã hủy: chưa nhận bảng điểm nào.")))
        return job

    def export_ranking(self) -> Job | None:
        from core.index.appraisal import ranking
        from core.index.report import export_ranking_pdf, export_ranking_xlsx
        from core.index.scoring import unit_by_code

        code, name = self._unit()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Xuất xếp hạng"),
                                              f"Xếp hạng Chỉ số CCHC {self.year} – {name}.xlsx",
                                              self.tr("Bảng tính Excel (*.xlsx);;Tệp PDF (*.pdf)"))
        if not path:
            return None
        year, target = self.year, Path(path)

        def write(s) -> Path:  # noqa: ANN001
            r = ranking(s, code, year)
            if target.suffix.lower() == ".pdf":
                return export_ranking_pdf(s, r, unit_by_code(s, code), target)
            return export_ranking_xlsx(r, target)

        return self._export("ranking", self.tr("Đang xuất xếp hạng…"), write)
