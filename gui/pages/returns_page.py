"""Báo cáo định kỳ: the return of the selected unit and period — header (status, data window,
due date), the export buttons, then the entry grid, the problems panel and the narrative
(``gui.return_editor``)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout

from core.filenames import export_file_stem
from core.periods import parse_period_code
from core.reports.files import export_return_files
from core.returns.narrative import stale_sections
from core.returns.report_collect import collect_return_export
from core.signatures.signing import open_signer
from db.models import Return
from gui import export_actions, return_editor
from gui.jobs import Job
from gui.pages import Page
from gui.return_editor import ReturnEditor
from gui.signing_dialog import SigningDialog


class ReturnsPage(Page):
    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.editor = ReturnEditor(db, self)
        self.editor.info_changed.connect(self._show_info)
        self.model = self.editor.model  # the form grid's model
        self.table = self.editor.grid
        self.export_xlsx_button = QPushButton(self.tr("Xuất Excel"))
        self.export_xlsx_button.setObjectName("export_xlsx")
        self.export_xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.export_pdf_button = QPushButton(self.tr("Xuất PDF"))
        self.export_pdf_button.setObjectName("export_pdf")
        self.export_pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.export_package_button = QPushButton(self.tr("Xuất gói gửi cấp trên"))
        self.export_package_button.setObjectName("export_package")
        self.export_package_button.clicked.connect(lambda: self.export("zip"))
        self.sign_checkbox = QCheckBox(self.tr("Ký số"))
        self.sign_checkbox.setObjectName("sign_checkbox")
        self.sign_checkbox.setToolTip(self.tr("Ký số tệp xuất bằng chứng thư số của đơn vị (tệp .p12/.pfx hoặc thiết "
                                              "bị ký số); mã PIN được hỏi khi xuất và không được lưu."))
        buttons = QHBoxLayout()  # one line above the grid (1366×768 screens)
        buttons.addWidget(self.info, 1)  # the unit, period, window, due date and status, then the exports
        buttons.addWidget(self.export_xlsx_button)
        buttons.addWidget(self.export_pdf_button)
        buttons.addWidget(self.export_package_button)
        buttons.addWidget(self.sign_checkbox)
        self._runner: Job | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(buttons)
        lay.addWidget(self.editor, 1)
        self._update_buttons()

    def refresh(self) -> None:
        self.editor.load(self.unit_id, self.period_code)
        self._show_info()

    def _show_info(self) -> None:
        self.info.setText(self.editor.header_text())
        self._update_buttons()

    @property
    def _has_return(self) -> bool:
        return self.editor.info is not None

    # ------------------------------------------------------------------ export

    def _update_buttons(self) -> None:
        busy = self._runner is not None and self._runner.running
        tips = (self.tr("Lưu tệp Excel gửi cấp trên: các phụ lục và dữ liệu máy đọc có mã kiểm tra"),
                self.tr("Lưu bản báo cáo PDF để in và ký (thể thức theo Nghị định 30/2020/NĐ-CP)"),
                self.tr("Lưu một tệp .zip gồm tệp Excel, báo cáo PDF và các tài liệu kiểm chứng đính kèm, "
                        "cùng được niêm phong (và ký số) để gửi cấp trên"))
        for button, tip in zip((self.export_xlsx_button, self.export_pdf_button, self.export_package_button), tips,
                               strict=True):
            button.setEnabled(self._has_return and not busy)
            button.setToolTip(tip if self._has_return else self.tr("Chưa lập báo cáo kỳ này nên chưa có gì để xuất."))

    def export(self, kind: str) -> None:
        """Ask where to save (and, with "Ký số", for the certificate and its PIN), then export the return as
        ``kind`` ("xlsx" | "pdf" | "zip": the package with the evidence files) off the GUI thread."""
        unit_code = self.editor.unit_code
        if not self._has_return or unit_code is None or not self.period_code:
            return
        spec = parse_period_code(self.period_code)
        # Hand-written sections whose figures changed since: named, and exported only if the user keeps them.
        with self.db.session() as s:
            stale = stale_sections(s, s.get(Return, self.editor.info.return_id))
        action = {"xlsx": self.tr("Xuất Excel"), "pdf": self.tr("Xuất PDF"),
                  "zip": self.tr("Xuất gói gửi cấp trên")}[kind]
        if stale and not return_editor.confirm_stale(self, stale, action):
            self.editor.review_section(stale[0].key)
            return
        if kind in ("pdf", "zip"):
            # Sections that would print as a bare heading: named, and exported only if the user goes on.
            with self.db.session() as s:
                empty = collect_return_export(s, self.unit_id, spec.code).empty_sections()
            self.last_empty_sections = [sec.key for sec in empty]
            if empty and not return_editor.confirm_empty_sections(self, empty, action):
                self.editor.review_section(empty[0].key)
                return
        path = export_actions.ask_save_path(self, kind, export_file_stem(unit_code, spec))
        if path is None:
            return
        what = {"xlsx": "Excel", "pdf": "PDF", "zip": self.tr("gói báo cáo")}[kind]
        signing = None
        if self.sign_checkbox.isChecked():
            described = {"xlsx": self.tr("tệp Excel báo cáo {period}"), "pdf": self.tr("tệp PDF báo cáo {period}"),
                         "zip": self.tr("gói báo cáo {period}")}[kind].format(period=spec.label)
            dialog = SigningDialog(self, what=described)
            self.last_signing_dialog = dialog
            if not dialog.exec():
                return
            signing = (dialog.source(), dialog.pin())
            dialog.pin_edit.clear()
        unit_id, period_code, db = self.unit_id, spec.code, self.db

        def run(progress, signer=None):
            if kind == "zip":
                from core.reports.package import export_return_package

                return export_return_package(db, unit_id, period_code, path, signer=signer, progress=progress,
                                             confirm_stale=bool(stale)).result
            return export_return_files(db, unit_id, period_code, progress=progress, signer=signer,
                                       confirm_stale=bool(stale),
                                       xlsx=path if kind == "xlsx" else None, pdf=path if kind == "pdf" else None)

        def job(progress):
            if signing is None:
                return run(progress)
            with open_signer(*signing) as signer:  # the PIN opens the key here and is not kept
                return run(progress, signer)

        label = self.tr("Đang xuất {what} báo cáo {period}…").format(what=what, period=spec.label)
        self._runner = export_actions.run_export_with_feedback(self, label, job, on_finished=self._export_finished)
        self._runner.succeeded.connect(self._report_left_out)
        self._update_buttons()

    def _report_left_out(self, result) -> None:  # noqa: ANN001 - core.reports.files.ExportResult
        left_out = list(getattr(result, "left_out", ()) or ())
        if left_out:
            QMessageBox.warning(self, self.tr("Thiếu tài liệu kiểm chứng trong gói"),
                                self.tr("Không đưa được vào gói các tệp sau:\n{files}").format(
                                    files="\n".join(f"- {n}" for n in left_out)))

    def _export_finished(self) -> None:
        if self._runner is not None:
            self._runner.deleteLater()
            self._runner = None
        self._update_buttons()
