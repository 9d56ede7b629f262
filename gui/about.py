"""The About box: product, version, where the data lives."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from core.appdata import APP_TITLE, APP_VERSION, log_dir
from db.engine import Database


def show_about(parent: QWidget, db: Database) -> None:
    where = db.target
    text = parent.tr(
        "<h3>{title}</h3>"
        "<p>Phiên bản {version}</p>"
        "<p>Theo dõi kế hoạch cải cách hành chính, nhập số liệu thống kê, lập báo cáo định kỳ "
        "(Excel, PDF) và tổng hợp báo cáo của các đơn vị cấp dưới. Chạy hoàn toàn không cần mạng.</p>"
        "<p><b>Cơ sở dữ liệu:</b> {db}<br><b>Nhật ký lỗi:</b> {logs}</p>"
        "<p>Phông chữ Liberation Serif theo giấy phép SIL Open Font License 1.1.</p>"
    ).format(title=APP_TITLE, version=APP_VERSION, db=where, logs=log_dir())
    QMessageBox.about(parent, parent.tr("Giới thiệu"), text)
