"""Ký số: choosing the unit's certificate (a .p12/.pfx file, or a USB token through its PKCS#11 library)
and typing its PIN, before an export that is signed.

The choice of file, library and token label is remembered for next time (``gui.preferences``: ``signing/…``);
the PIN never is: it lives in the password field until the dialog closes and is handed to the export
job, which opens the key with it (``core.signatures.signing.open_signer``) and forgets it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.signatures.signing import SigningSource
from gui import preferences

DEFAULT_LIBRARIES = "Thư viện PKCS#11 (*.dll *.so *.dylib);;Mọi tệp (*)"


def tr(text: str) -> str:
    return QCoreApplication.translate("signing", text)


class SigningDialog(QDialog):
    """Where the key is and its PIN; ``source()`` and ``pin()`` after ``exec()`` returned true."""

    def __init__(self, parent: QWidget | None = None, what: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Ký số"))
        self.setMinimumWidth(560)
        intro = QLabel(tr("Ký số {what} bằng chứng thư số của đơn vị. Mã PIN chỉ dùng cho lần ký này, "
                          "không được lưu lại.").format(what=what or tr("báo cáo")))
        intro.setWordWrap(True)
        self.use_file = QRadioButton(tr("Tệp chứng thư số (.p12, .pfx)"))
        self.use_token = QRadioButton(tr("Thiết bị ký số (USB token)"))
        group = QButtonGroup(self)
        group.addButton(self.use_file)
        group.addButton(self.use_token)
        self.p12 = QLineEdit(preferences.SIGNING_P12.get())
        self.p12.setPlaceholderText(tr("Chọn tệp .p12 hoặc .pfx"))
        browse_p12 = QPushButton(tr("Chọn tệp…"))
        browse_p12.clicked.connect(self._choose_p12)
        self.library = QLineEdit(preferences.SIGNING_PKCS11.get())
        self.library.setPlaceholderText(tr("Thư viện PKCS#11 của thiết bị, ví dụ C:\\Windows\\System32\\…csp11.dll"))
        browse_lib = QPushButton(tr("Chọn tệp…"))
        browse_lib.clicked.connect(self._choose_library)
        self.token_label = QLineEdit(preferences.SIGNING_TOKEN_LABEL.get())
        self.token_label.setPlaceholderText(tr("Để trống nếu chỉ cắm một thiết bị"))
        self.key_label = QLineEdit(preferences.SIGNING_KEY_LABEL.get())
        self.key_label.setPlaceholderText(tr("Để trống để dùng khóa đầu tiên trên thiết bị"))
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setObjectName("pin")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)

        def row(edit: QLineEdit, button: QPushButton) -> QWidget:
            w = QWidget()
            lay = QHBoxLayout(w)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(edit, 1)
            lay.addWidget(button)
            return w

        self.file_form = QWidget()
        ff = QFormLayout(self.file_form)
        ff.addRow(tr("Tệp chứng thư số:"), row(self.p12, browse_p12))
        self.token_form = QWidget()
        tf = QFormLayout(self.token_form)
        tf.addRow(tr("Thư viện của thiết bị:"), row(self.library, browse_lib))
        tf.addRow(tr("Nhãn thiết bị:"), self.token_label)
        tf.addRow(tr("Nhãn khóa ký:"), self.key_label)
        pin_form = QFormLayout()
        pin_form.addRow(tr("Mã PIN:"), self.pin_edit)
        buttons = QDialogButtonBox()
        self.sign_button = buttons.addButton(tr("Ký và xuất"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.use_file)
        lay.addWidget(self.file_form)
        lay.addWidget(self.use_token)
        lay.addWidget(self.token_form)
        lay.addLayout(pin_form)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.use_file.toggled.connect(self._show_kind)
        (self.use_token if preferences.SIGNING_KIND.get() == "pkcs11" else self.use_file).setChecked(True)
        self._show_kind()

    def _show_kind(self) -> None:
        self.file_form.setEnabled(self.use_file.isChecked())
        self.token_form.setEnabled(self.use_token.isChecked())

    def _choose_p12(self) -> None:
        start = self.p12.text() or str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(self, tr("Chọn tệp chứng thư số"), start,
                                                tr("Chứng thư số (*.p12 *.pfx);;Mọi tệp (*)"))
        if chosen:
            self.p12.setText(chosen)

    def _choose_library(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, tr("Chọn thư viện PKCS#11 của thiết bị"),
                                                self.library.text() or "", tr(DEFAULT_LIBRARIES))
        if chosen:
            self.library.setText(chosen)

    def source(self) -> SigningSource:
        if self.use_file.isChecked():
            return SigningSource(p12=Path(self.p12.text().strip()))
        return SigningSource(pkcs11_lib=self.library.text().strip(),
                             token_label=self.token_label.text().strip() or None,
                             key_label=self.key_label.text().strip() or None)

    def pin(self) -> str:
        return self.pin_edit.text()

    def accept(self) -> None:
        if self.use_file.isChecked() and not self.p12.text().strip():
            self.message.setText(tr("Hãy chọn tệp chứng thư số (.p12 hoặc .pfx)."))
            return
        if self.use_token.isChecked() and not self.library.text().strip():
            self.message.setText(tr("Hãy chọn thư viện PKCS#11 của thiết bị ký số."))
            return
        if not self.pin_edit.text():
            self.message.setText(tr("Hãy nhập mã PIN."))
            self.pin_edit.setFocus()
            return
        # where the key is, never the PIN
        preferences.SIGNING_KIND.set("p12" if self.use_file.isChecked() else "pkcs11")
        preferences.SIGNING_P12.set(self.p12.text().strip())
        preferences.SIGNING_PKCS11.set(self.library.text().strip())
        preferences.SIGNING_TOKEN_LABEL.set(self.token_label.text().strip())
        preferences.SIGNING_KEY_LABEL.set(self.key_label.text().strip())
        super().accept()

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        super().done(result)
        if result != QDialog.DialogCode.Accepted:
            self.pin_edit.clear()
