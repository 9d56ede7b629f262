"""Cài đặt: where the data lives, backups, and restoring from a backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
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
from db.errors import DatabaseError
from gui.pages import Page
from gui.pages.mapping_settings import MappingSettingsSection
from gui.pages.report_settings import ReportSettingsSection
from gui.pages.signature_settings import SignatureSettingsSection

REASONS = {
    "startup": "Khi mở chương trình",
    "exit": "Khi đóng chương trình",
    "pre-upgrade": "Trước khi nâng cấp",
    "pre-restore": "Trước khi phục hồi",
    "pre-import": "Trước khi nhập dữ liệu",
    "manual": "Sao lưu thủ công",
}


class SettingsPage(Page):
    database_changed = Signal()
    unit_settings_changed = Signal()  # the report header or period rules of the unit were saved

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.backup_btn = QPushButton(self.tr("Sao lưu ngay"))
        self.backup_btn.clicked.connect(self.backup_now)
        self.restore_btn = QPushButton(self.tr("Phục hồi từ bản sao lưu…"))
        self.restore_btn.clicked.connect(self.restore)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_btn)
        buttons.addWidget(self.restore_btn)
        buttons.addStretch(1)
        self.report_settings = ReportSettingsSection(db)
        self.report_settings.saved.connect(self.unit_settings_changed)
        backups = QWidget()
        lay = QVBoxLayout(backups)
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
        QVBoxLayout(self).addWidget(self.tabs)

    def refresh(self) -> None:
        self.report_settings.set_unit(self.unit_id, self.period_code)
        self.signature_settings.set_unit(self.unit_id)
        self.mapping_settings.refresh()
        self.path_label.setText(self.tr("Tệp cơ sở dữ liệu: <b>{path}</b>").format(path=self.db.target))
        self.model.clear()
        self.model.setHorizontalHeaderLabels([self.tr("Thời điểm"), self.tr("Lý do"), self.tr("Tệp")])
        if not self.db.is_sqlite:
            return
        for b in list_backups(Path(self.db.target)):
            items = [QStandardItem(f"{format_date(b.taken_at.date())} {b.taken_at:%H:%M:%S}"),
                     QStandardItem(self.tr(REASONS.get(b.reason, b.reason))), QStandardItem(str(b.path))]
            for it in items:
                it.setEditable(False)
            self.model.appendRow(items)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 190)

    def backup_now(self) -> None:
        path = self.db.backup("manual")
        self.refresh()
        self.database_changed.emit()
        QMessageBox.information(self, self.tr("Sao lưu"), self.tr("Đã sao lưu vào:\n{p}").format(p=path))

    def restore(self) -> None:
        start = str(Path(self.db.target).with_name(Path(self.db.target).stem + ".backups"))
        file, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn bản sao lưu"), start,
                                              self.tr("Cơ sở dữ liệu (*.db);;Mọi tệp (*)"))
        if not file:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Phục hồi dữ liệu"),
                          self.tr("Toàn bộ dữ liệu hiện tại sẽ được thay bằng bản sao lưu:\n{f}\n\n"
                                  "Dữ liệu hiện tại được sao lưu trước khi phục hồi. Tiếp tục?").format(f=file),
                          parent=self)
        yes = box.addButton(self.tr("Phục hồi"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not yes:
            return
        try:
            safety = restore_into(self.db, Path(file))
        except DatabaseError as exc:
            QMessageBox.critical(self, self.tr("Không phục hồi được"), str(exc))
            return
        self.refresh()
        self.database_changed.emit()
        QMessageBox.information(self, self.tr("Phục hồi dữ liệu"),
                                self.tr("Đã phục hồi. Dữ liệu trước đó được giữ ở:\n{p}").format(p=safety))
