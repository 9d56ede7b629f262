"""Cài đặt: where the data lives, backups, and restoring from a backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.app.maintenance import restore_into
from core.vnformat import format_date
from db.backup import list_backups
from gui.jobs import Job, wait_for_jobs
from gui.pages import Page
from gui.pages.mapping_settings import MappingSettingsSection
from gui.pages.report_settings import ReportSettingsSection
from gui.pages.signature_settings import SignatureSettingsSection
from gui.pages.unit_settings import UnitSettingsSection
from gui.table_model import TableModel

REASONS = {
    "startup": "Khi mở chương trình",
    "exit": "Khi đóng chương trình",
    "pre-upgrade": "Trước khi nâng cấp",
    "pre-restore": "Trước khi phục hồi",
    "pre-import": "Trước khi nhập dữ liệu",
    "manual": "Sao lưu thủ công",
}


class BackupsModel(TableModel):
    """The backup copies of the database file, newest first (``db.backup.list_backups``)."""

    context = "SettingsPage"
    columns = (
        ("Thời điểm", lambda b: f"{format_date(b.taken_at.date())} {b.taken_at:%H:%M:%S}"),
        ("Lý do", lambda b: QCoreApplication.translate("SettingsPage", REASONS.get(b.reason, b.reason))),
        ("Tệp", lambda b: str(b.path)),
    )


class SettingsPage(Page):
    database_changed = Signal()
    unit_settings_changed = Signal()  # the report header or period rules of the unit were saved
    units_changed = Signal()  # a unit was added, renamed, moved, closed or merged (tab Đơn vị)

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        self.model = BackupsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.backup_btn = QPushButton(self.tr("Sao lưu ngay"))
        self.backup_btn.clicked.connect(self.backup_now)
        self.restore_btn = QPushButton(self.tr("Phục hồi từ bản sao lưu…"))
        self.restore_btn.clicked.connect(self.restore)
        self._job: Job | None = None  # the backup or restore running
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_btn)
        buttons.addWidget(self.restore_btn)
        buttons.addStretch(1)
        self.report_settings = ReportSettingsSection(db)
        self.report_settings.saved.connect(self.unit_settings_changed)
        # The interface language (gui.app.LANGUAGES), read when the program starts.
        from gui import preferences
        from gui.app import LANGUAGES, chosen_language

        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(self.tr("Ngôn ngữ giao diện"))
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(chosen_language()))
        self.language_combo.currentIndexChanged.connect(
            lambda *_: preferences.LANGUAGE.set(self.language_combo.currentData()))
        language_row = QHBoxLayout()
        language_row.addWidget(QLabel(self.tr("Ngôn ngữ giao diện:")))
        language_row.addWidget(self.language_combo)
        language_row.addWidget(QLabel(self.tr("(có hiệu lực khi mở lại chương trình)")))
        language_row.addStretch(1)
        backups = QWidget()
        lay = QVBoxLayout(backups)
        lay.addLayout(language_row)
        lay.addWidget(QLabel(self.tr("<b>Cơ sở dữ liệu và sao lưu</b>")))
        lay.addWidget(self.path_label)
        lay.addLayout(buttons)
        lay.addWidget(QLabel(self.tr("Các bản sao lưu (tự động khi mở, đóng chương trình và trước mỗi thay đổi lớn):")))
        lay.addWidget(self.table)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.report_settings, self.tr("Thông tin báo cáo của đơn vị"))
        self.signature_settings = SignatureSettingsSection(db)
        self.tabs.addTab(self.signature_settings, self.tr("Chữ ký số"))
        self.mapping_settings = MappingSettingsSection(db)
        self.tabs.addTab(self.mapping_settings, self.tr("Cách chọn cột đã lưu"))
        self.tabs.addTab(backups, self.tr("Cơ sở dữ liệu và sao lưu"))
        self.unit_settings = UnitSettingsSection(db)
        self.unit_settings.units_changed.connect(self.units_changed)
        self.tabs.addTab(self.unit_settings, self.tr("Đơn vị"))
        QVBoxLayout(self).addWidget(self.tabs)

    def refresh(self) -> None:
        self.report_settings.set_unit(self.unit_id, self.period_code)
        self.signature_settings.set_unit(self.unit_id)
        self.mapping_settings.refresh()
        self.path_label.setText(self.tr("Tệp cơ sở dữ liệu: <b>{path}</b>").format(path=self.db.target))
        self.model.set_rows(list_backups(Path(self.db.target)) if self.db.is_sqlite else [])
        for button in (self.backup_btn, self.restore_btn):  # a server is backed up by its own tools
            button.setEnabled(self.db.is_sqlite and self._job is None)
            button.setToolTip("" if self.db.is_sqlite else self._server_backups())
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 190)

    def _server_backups(self) -> str:
        return self.tr("Cơ sở dữ liệu trên máy chủ được sao lưu và phục hồi bằng công cụ của máy chủ (pg_dump, "
                       "pg_restore), không từ chương trình.")

    def backup_now(self) -> Job | None:
        """Copy the database (off the GUI thread, the window waiting under a progress dialog)."""
        if self._job is not None:
            return None
        if not self.db.is_sqlite:
            QMessageBox.information(self, self.tr("Sao lưu"), self._server_backups())
            return None
        db = self.db
        return self._start(Job(self, lambda _progress: db.backup("manual"), self._backed_up)
                           .failure(title=self.tr("Chưa sao lưu được"))
                           .with_progress(self.tr("Đang sao lưu cơ sở dữ liệu…"), title=self.tr("Sao lưu"),
                                          cancellable=False))

    def _backed_up(self, path: Path | None) -> None:
        self.refresh()
        self.database_changed.emit()
        QMessageBox.information(self, self.tr("Sao lưu"), self.tr("Đã sao lưu vào:\n{p}").format(p=path))

    def restore(self) -> Job | None:
        """Replace the database's content with a backup the user picks, after asking. The copy runs off the GUI
        thread under a progress dialog without "Hủy" (it cannot stop half-way) that keeps the window from being
        used meanwhile; the window reloads everything after. A refusal (not a backup of ours, too new, a server
        database) is shown and nothing is changed."""
        if self._job is not None:
            return None
        start = str(Path(self.db.target).with_name(Path(self.db.target).stem + ".backups"))
        file, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn bản sao lưu"), start,
                                              self.tr("Cơ sở dữ liệu (*.db);;Mọi tệp (*)"))
        if not file:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Phục hồi dữ liệu"),
                          self.tr("Toàn bộ dữ liệu hiện tại sẽ được thay bằng bản sao lưu:\n{f}\n\n"
                                  "Dữ liệu hiện tại được sao lưu trước khi phục hồi. Tiếp tục?").format(f=file),
                          parent=self)
        yes = box.addButton(self.tr("Phục hồi"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not yes:
            return None
        wait_for_jobs()  # Trang chủ's summary may be reading the file about to be replaced
        db, source = self.db, Path(file)
        return self._start(Job(self, lambda _progress: restore_into(db, source), self._restored)
                           .failure(title=self.tr("Không phục hồi được"))
                           .with_progress(self.tr("Đang phục hồi dữ liệu từ bản sao lưu…\nXin đợi, không tắt "
                                                  "chương trình."), title=self.tr("Phục hồi dữ liệu"),
                                          cancellable=False))

    def _restored(self, safety: Path) -> None:
        self.refresh()
        self.database_changed.emit()
        QMessageBox.information(self, self.tr("Phục hồi dữ liệu"),
                                self.tr("Đã phục hồi. Dữ liệu trước đó được giữ ở:\n{p}").format(p=safety))

    def _start(self, job: Job) -> Job:
        self._job = job
        for button in (self.backup_btn, self.restore_btn):
            button.setEnabled(False)
        job.on_finish(self._job_finished)
        return job.run_in_background()

    def _job_finished(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
            self._job = None
        for button in (self.backup_btn, self.restore_btn):
            button.setEnabled(self.db.is_sqlite)
