"""The About box: product, version, where the data and the logs live."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.appdata import APP_TITLE, APP_VERSION, log_dir
from db.engine import Database
from gui import crash_log


def about_box(parent: QWidget, db: Database) -> QMessageBox:
    where = db.target
    text = parent.tr(
        "<h3>{title}</h3>"
        "<p>Phiên bản {version}</p>"
        "<p>Theo dõi kế hoạch cải cách hành chính, nhập số liệu thống kê, lập báo cáo định kỳ "
        "(Excel, PDF) và tổng hợp báo cáo của các đơn vị cấp dưới. Chạy hoàn toàn không cần mạng.</p>"
        "<p><b>Cơ sở dữ liệu:</b> {db}<br><b>Nhật ký lỗi:</b> {logs}</p>"
        "<p>Phông chữ Liberation Serif theo giấy phép SIL Open Font License 1.1.</p>"
    ).format(title=APP_TITLE, version=APP_VERSION, db=where, logs=log_dir())
    box = QMessageBox(parent)
    box.setWindowTitle(parent.tr("Giới thiệu"))
    box.setText(text)
    icon = QApplication.windowIcon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    logs = box.addButton(parent.tr("Mở thư mục nhật ký"), QMessageBox.ButtonRole.ActionRole)
    logs.setObjectName("open_log_folder")
    # Opening the folder keeps the box open (an ActionRole button would otherwise close it).
    logs.clicked.disconnect()
    logs.clicked.connect(crash_log.open_log_folder)
    box.addButton(parent.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
    return box


def show_about(parent: QWidget, db: Database) -> None:
    about_box(parent, db).exec()
