"""Cài đặt → Chữ ký số: what the receiving unit accepts — whether a return must be signed, and the
certificates it trusts (imported from .cer/.crt/.pem files, or revocation lists .crl), over
``core.signatures.trust_store``. The checks themselves run offline (``core.signatures.check``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.org.settings import set_setting
from core.signatures.trust_store import (
    REQUIRE_SIGNATURE,
    TrustedEntry,
    import_trusted,
    list_trusted,
    remove_trusted,
    signatures_required,
)
from db.models import Unit
from gui.refusals import show_refusal
from gui.table_model import TableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("signature_settings", text)


class TrustedModel(TableModel):
    """The unit's trusted certificates and revocation lists (``core.signatures.trust_store``)."""

    context = "signature_settings"
    columns = (
        ("Loại", lambda e: tr(e.kind_label)),
        ("Chủ thể", lambda e: f"{e.subject} ({e.organization})" if e.organization else e.subject),
        ("Do ai cấp", lambda e: e.issuer),
        ("Số sê-ri", lambda e: e.serial),
        ("Hiệu lực", lambda e: e.validity_text),
        ("Tệp", lambda e: e.file_name),
    )

    def tooltip(self, row: TrustedEntry, column: int) -> str | None:
        return f"SHA-256: {row.sha256}"


class SignatureSettingsSection(QWidget):
    changed = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.db = db
        self.unit_id: int | None = None
        self.entries: list[TrustedEntry] = []
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.require = QCheckBox(tr("Chỉ nhận báo cáo có chữ ký số hợp lệ"))
        self.require.setObjectName("require_signature")
        self.require.setToolTip(tr("Bật: báo cáo chưa ký số, hoặc ký bằng chứng thư không thuộc danh sách dưới đây, "
                                   "bị từ chối khi nhập. Tắt: vẫn nhận nhưng ghi rõ “chưa ký số”."))
        self.require.toggled.connect(self._set_require)
        explain = QLabel(tr("Chữ ký số của báo cáo cấp dưới gửi lên được kiểm tra ngay trên máy, không cần mạng: "
                            "chứng thư số của người ký phải do một trong các chứng thư dưới đây cấp (thường là "
                            "chứng thư gốc của tổ chức cung cấp dịch vụ chứng thực chữ ký số) và còn hiệu lực khi ký. "
                            "Có thể nhập thêm danh sách thu hồi (.crl) do tổ chức đó công bố."))
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #444;")
        self.model = TrustedModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.import_button = QPushButton(tr("Nhập chứng thư tin cậy…"))
        self.import_button.clicked.connect(self.choose_file)
        self.remove_button = QPushButton(tr("Bỏ chứng thư đã chọn"))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.require)
        lay.addWidget(explain)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)

    def set_unit(self, unit_id: int | None) -> None:
        self.unit_id = unit_id
        self.refresh()

    def refresh(self) -> None:
        enabled = self.unit_id is not None
        for w in (self.require, self.import_button, self.remove_button):
            w.setEnabled(enabled)
        if not enabled:
            self.model.set_rows([])
            self.heading.setText(tr("Chọn đơn vị."))
            return
        with self.db.session() as s:
            unit = s.get(Unit, self.unit_id)
            self.entries = list_trusted(s, unit)
            required = signatures_required(s, unit)
            name = unit.name
        self.heading.setText(tr("<b>Chữ ký số khi {unit} nhận báo cáo của đơn vị cấp dưới</b>").format(unit=name))
        self.require.blockSignals(True)
        self.require.setChecked(required)
        self.require.blockSignals(False)
        self.model.set_rows(self.entries)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 120), (2, 210), (3, 300), (4, 170), (5, 120)):
            self.table.setColumnWidth(col, width)
        self.remove_button.setEnabled(bool(self.entries))

    def _set_require(self, on: bool) -> None:
        if self.unit_id is None:
            return
        with self.db.transaction() as s:
            set_setting(s, s.get(Unit, self.unit_id), REQUIRE_SIGNATURE, on)
        self.changed.emit()

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, tr("Chọn chứng thư số tin cậy"), str(Path.home()),
                                                tr("Chứng thư số (*.cer *.crt *.pem *.der);;Danh sách thu hồi (*.crl);;"
                                                   "Mọi tệp (*)"))
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> list[TrustedEntry]:
        if self.unit_id is None:
            return []
        try:
            with self.db.transaction() as s:
                added = import_trusted(s, s.get(Unit, self.unit_id), path)
        except Refused as exc:
            show_refusal(self, exc, tr("Không nhập được chứng thư"))
            return []
        self.refresh()
        if not added:
            QMessageBox.information(self, tr("Chứng thư tin cậy"), tr("Chứng thư này đã có trong danh sách."))
        self.changed.emit()
        return added

    def remove_selected(self) -> None:
        sel = self.table.selectionModel().selectedRows()
        if not sel or self.unit_id is None:
            return
        entry = self.entries[sel[0].row()]
        question = tr("Bỏ “{who}” khỏi danh sách tin cậy? Báo cáo ký bằng chứng thư do nó cấp sẽ không còn được "
                      "xác nhận.").format(who=entry.subject)
        answer = QMessageBox.question(self, tr("Bỏ chứng thư tin cậy"), question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        with self.db.transaction() as s:
            remove_trusted(s, s.get(Unit, self.unit_id), str(entry.id))
        self.refresh()
        self.changed.emit()
