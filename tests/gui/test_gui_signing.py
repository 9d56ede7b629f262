"""The screens of issue 12: "Ký số" when exporting (a .p12 and its PIN in a password field, never stored),
the signature column of the import report, the files units sent with their packages, and the
"Chữ ký số" settings (require signatures, trusted certificates). Offscreen with pytest-qt.

Set CCHC_SCREENSHOTS=/some/folder to keep the screenshots for a look by eye.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.org.settings import get_setting
from core.org.units import get_unit
from core.reports.package import export_return_package
from core.reports.workbook_reader import read_return_workbook
from core.signatures.signing import SigningSource, open_signer
from core.signatures.trust_store import import_trusted, list_trusted
from db.engine import open_database
from gui import export_actions, return_editor
from gui.consolidation_models import OutcomeModel
from gui.pages.consolidation_page import ConsolidationPage
from gui.pages.returns_page import ReturnsPage
from gui.pages.settings_page import SettingsPage
from tests.helpers.evidence_helpers import COMMUNE, DISTRICT, H1, commune_plan_with_evidence
from tests.helpers.pki_helpers import PIN, make_pki, untrusted


def _shot(widget, name: str) -> Path:  # noqa: ANN001
    path = Path("/tmp") / name
    assert widget.grab().save(str(path))
    keep = os.environ.get("CCHC_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(keep) / name))
    return path


@pytest.fixture
def settings_dir(qapp, tmp_path: Path) -> Path:  # noqa: ANN001
    QCoreApplication.setOrganizationName("PARTrackerTest")
    QCoreApplication.setApplicationName("TheoDoiCCHCTest")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    return tmp_path / "settings"


@pytest.fixture
def pcs(demo_db_file, tmp_path):  # noqa: ANN001, ANN201
    shutil.copy2(demo_db_file, tmp_path / "xa.db")
    shutil.copy2(demo_db_file, tmp_path / "huyen.db")
    commune, district = open_database(tmp_path / "xa.db"), open_database(tmp_path / "huyen.db")
    files = commune_plan_with_evidence(commune, tmp_path / "giay_to")
    yield commune, district, files
    commune.close()
    district.close()


@pytest.fixture
def pki(tmp_path):  # noqa: ANN001, ANN201
    return make_pki(tmp_path / "pki")


def _unit_id(db, code: str) -> int:  # noqa: ANN001
    with db.session() as s:
        return get_unit(s, code).id


def test_export_a_signed_package_from_the_returns_screen(qtbot, pcs, pki, settings_dir, tmp_path,
                                                         monkeypatch) -> None:
    commune, _district, _files = pcs
    page = ReturnsPage(commune)
    qtbot.addWidget(page)
    page.resize(1180, 720)
    page.set_context(_unit_id(commune, COMMUNE), H1)
    page.show()
    qtbot.waitExposed(page)
    target = tmp_path / "gửi huyện.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), "Gói báo cáo (*.zip)"))
    after: list[Path] = []
    monkeypatch.setattr(export_actions, "ask_after_export", lambda parent, path: after.append(path) or "close")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(return_editor, "confirm_empty_sections", lambda *a: True)  # exported on purpose
    assert page.export_package_button.text() == "Xuất gói gửi cấp trên" and page.export_package_button.isEnabled()
    page.sign_checkbox.setChecked(True)
    _shot(page, "returns_page_sign_package.png")

    def fill_in() -> None:
        dialog = page.last_signing_dialog
        assert dialog.windowTitle() == "Ký số" and dialog.pin_edit.echoMode() == dialog.pin_edit.EchoMode.Password
        dialog.use_file.setChecked(True)
        dialog.p12.setText(str(pki.signer.p12))
        qtbot.keyClicks(dialog.pin_edit, PIN)
        _shot(dialog, "signing_dialog.png")
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(page.export_package_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(after or warnings), timeout=60_000)
    assert not warnings, warnings
    assert after == [target]
    with zipfile.ZipFile(target) as zf:
        zf.extract(next(n for n in zf.namelist() if n.endswith(".xlsx")), tmp_path / "x")
    book = read_return_workbook(next((tmp_path / "x").glob("*.xlsx")))
    assert book.signature is not None and len(book.package) == 3
    # Where the key is, is remembered; the PIN is not, anywhere.
    assert QSettings().value("signing/p12") == str(pki.signer.p12)
    stored = "".join(p.read_text(encoding="utf-8", errors="replace") for p in settings_dir.rglob("*") if p.is_file())
    assert PIN not in stored
    assert page.last_signing_dialog.pin_edit.text() == ""
    qtbot.waitUntil(lambda: page.export_package_button.isEnabled())

    # A wrong PIN: told in Vietnamese, nothing written.
    target.unlink()

    def wrong_pin() -> None:
        dialog = page.last_signing_dialog
        qtbot.keyClicks(dialog.pin_edit, "000000")
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, wrong_pin)
    page.export("zip")
    qtbot.waitUntil(lambda: bool(warnings), timeout=60_000)
    assert "mật khẩu (PIN) không đúng" in warnings[0] and not target.exists()


def test_the_import_report_has_a_signature_column_and_the_sent_files_open(qtbot, pcs, pki, settings_dir, tmp_path,
                                                                          monkeypatch, qtmodeltester) -> None:
    commune, district, files = pcs
    with district.transaction() as s:
        import_trusted(s, get_unit(s, DISTRICT), pki.ca_cer)
    inbox = tmp_path / "hop_thu"
    inbox.mkdir()
    with open_signer(SigningSource(p12=pki.signer.p12), PIN) as signer:
        export_return_package(commune, COMMUNE, H1, inbox / "1_xa_an_lac_da_ky.zip", signer=signer)
    # The same return again, signed by a certificate of an unknown CA, and unsigned (both then skipped as
    # duplicates of the first, each with its signature shown).
    with open_signer(SigningSource(p12=untrusted(pki).p12), PIN) as signer:
        export_return_package(commune, COMMUNE, H1, inbox / "2_ky_ca_la.zip", signer=signer)
    export_return_package(commune, COMMUNE, H1, inbox / "3_chua_ky.zip")

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    page = ConsolidationPage(district)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.set_context(_unit_id(district, DISTRICT), H1)
    page.show()
    qtbot.waitExposed(page)
    dialog = page.import_paths([inbox])
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
    model: OutcomeModel = dialog.model
    assert model.headerData(model.SIGNATURE_COLUMN, Qt.Orientation.Horizontal) == "Chữ ký số"
    cells = [model.data(model.index(r, model.SIGNATURE_COLUMN)) for r in range(model.rowCount())]
    assert cells[0] == "Đã ký số hợp lệ\nNguyễn Thị Lan (UBND xã Minh Họa)"
    assert cells[1] == "Chữ ký số chưa được tin cậy\nNguyễn Thị Lan (UBND xã Minh Họa)"
    assert cells[2] == "Chưa ký số"
    tip = model.data(model.index(0, model.SIGNATURE_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert "Chứng thư số: Số sê-ri" in tip and "do CA Thử nghiệm Cục Chứng thực số cấp" in tip
    _shot(dialog, "import_dialog_signatures.png")
    dialog.accept()

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url)) or True)
    received = page.show_received_files()
    rows = [received.model.row_at(r) for r in range(received.model.rowCount())]
    qtmodeltester.check(received.model)  # the received files' model, filled, passes Qt's model tester
    assert [(r.role_label, r.file_name) for r in rows][:3] == [
        ("Báo cáo (PDF)", "BaoCao_CCHC_MH.HAB.XAL_6_tháng_đầu_năm_2021.pdf"),
        ("Tài liệu kiểm chứng", "Quyết định 15 ban hành kế hoạch CCHC.pdf"),
        ("Tài liệu kiểm chứng", "Báo cáo kiểm tra TTHC quý I.docx")]
    _shot(received, "received_files_dialog.png")
    received.view.selectRow(1)
    path = received.open_selected()
    assert path is not None and path.read_bytes() == files["Quyết định 15 ban hành kế hoạch CCHC.pdf"]
    assert opened == [QUrl.fromLocalFile(str(path))]


def test_signature_settings_require_and_trusted_certificates(qtbot, demo_db, pki, settings_dir,
                                                             monkeypatch, qtmodeltester) -> None:
    page = SettingsPage(demo_db)
    qtbot.addWidget(page)
    page.resize(1180, 640)
    unit_id = _unit_id(demo_db, "MH")
    page.set_context(unit_id, H1)
    page.show()
    qtbot.waitExposed(page)
    section = page.signature_settings
    page.tabs.setCurrentWidget(section)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Chữ ký số"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(pki.ca_cer), ""))
    qtbot.mouseClick(section.import_button, Qt.MouseButton.LeftButton)
    assert section.model.rowCount() == 1
    qtmodeltester.check(section.model)  # the trusted certificates' model passes Qt's model tester
    assert section.model.data(section.model.index(0, 1)) == "CA Thử nghiệm Cục Chứng thực số (Ban Cơ yếu Thử nghiệm)"
    section.require.setChecked(True)
    with demo_db.session() as s:
        unit = get_unit(s, "MH")
        assert get_setting(s, unit, "import.require_signature") is True
        assert len(list_trusted(s, unit)) == 1
    _shot(page, "settings_signatures.png")
    section.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    section.remove_selected()
    assert section.model.rowCount() == 0
    bad = Path(pki.folder) / "khong_phai.cer"
    bad.write_bytes(b"day khong phai chung thu")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    section.import_file(bad)
    assert warnings and "không chứa chứng thư số đọc được" in warnings[0]
