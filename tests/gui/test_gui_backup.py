"""Cài đặt › Cơ sở dữ liệu và sao lưu, driven as a clerk does: "Sao lưu ngay" (the button and the menu
Tệp › Sao lưu ngay) and "Phục hồi từ bản sao lưu…" run off the GUI thread under a progress dialog that has
no "Hủy" and keeps the window from being used; the window shows the restored data after; a file that is
not a backup is refused in Vietnamese and the database stays as it was.

Set CCHC_SCREENSHOTS=/some/folder to keep the screenshots for a look by eye.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from core.org.units import get_unit
from db.backup import list_backups
from gui.jobs import running_jobs
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import screenshot
from tests.helpers.gui_window import demo_window

FILE_ONLY = pytest.mark.sqlite_only(reason="backup and restore from a file belong to a SQLite database")

WAIT = 30_000


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch):  # noqa: ANN001, ANN201
    with demo_window(qtbot, tmp_path, size=(1180, 720)) as w:
        w.show_page(w.settings_page)
        page = w.settings_page
        page.tabs.setCurrentIndex(3)
        assert page.tabs.tabText(3) == "Cơ sở dữ liệu và sao lưu"
        yield w
        qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)


@pytest.fixture
def messages(monkeypatch) -> dict[str, list[tuple[str, str]]]:  # noqa: ANN001
    """The message boxes shown, (title, text) by kind, instead of blocking on them."""
    shown: dict[str, list[tuple[str, str]]] = {"information": [], "warning": []}
    for kind in shown:
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *a, _k=kind, **k:
                            shown[_k].append((title, text)))
    return shown


def answer_restore(monkeypatch, file: Path) -> None:  # noqa: ANN001
    """The file dialog picks ``file``; the question "Phục hồi dữ liệu" is answered "Phục hồi"."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(file), ""))

    def click_restore(box: QMessageBox) -> int:
        assert "Toàn bộ dữ liệu hiện tại sẽ được thay bằng bản sao lưu" in box.text()
        next(b for b in box.buttons() if b.text() == "Phục hồi").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_restore)


def unit_name(db, code: str = "MH") -> str:  # noqa: ANN001
    with db.session() as s:
        return get_unit(s, code).name


def composite(window, dialog: QProgressDialog, name: str) -> Path:  # noqa: ANN001
    """The window with the progress dialog drawn where it stands over it (offscreen, they are two pictures)."""
    picture = window.grab()
    painter = QPainter(picture)
    at = window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0)))
    painter.drawPixmap(at, dialog.grab())
    painter.end()
    path = Path("/tmp") / name
    assert picture.save(str(path))
    screenshot(dialog, name.replace(".png", "_dialog.png"))
    return path


@FILE_ONLY
def test_backing_up_runs_under_a_dialog_without_cancel_and_lists_the_copy(window, qtbot, messages,
                                                                          monkeypatch) -> None:  # noqa: ANN001
    page, db = window.settings_page, window.db
    before = {b.path for b in list_backups(Path(db.target))}
    # A slow disk: the copy waits until the test has looked at the window.
    gate, copying = threading.Event(), threading.Event()
    real_backup = db.backup

    def slow_backup(reason: str = "manual", target=None):  # noqa: ANN001, ANN202
        copying.set()
        assert gate.wait(WAIT / 1000)
        return real_backup(reason, target)

    monkeypatch.setattr(db, "backup", slow_backup)
    window.backup_action.trigger()  # Tệp › Sao lưu ngay
    qtbot.waitUntil(copying.is_set, timeout=WAIT)
    dialog = page._job.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert dialog.windowTitle() == "Sao lưu" and dialog.labelText() == "Đang sao lưu cơ sở dữ liệu…"
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert not [b for b in dialog.findChildren(type(page.backup_btn)) if b.isVisible()]  # no "Hủy"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # neither Esc nor its close button takes it away
    dialog.close()
    assert dialog.isVisible() and not page.backup_btn.isEnabled() and not page.restore_btn.isEnabled()
    assert page.backup_now() is None  # a second backup does not start meanwhile
    composite(window, dialog, "settings_backup_progress.png")
    gate.set()
    qtbot.waitUntil(lambda: bool(messages["information"]), timeout=WAIT)
    title, text = messages["information"][0]
    made = {b.path for b in list_backups(Path(db.target))} - before
    assert len(made) == 1
    path = made.pop()
    assert title == "Sao lưu" and text == f"Đã sao lưu vào:\n{path}"
    assert path.name.endswith("_manual.db")
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT name FROM unit WHERE code = 'MH'").fetchone() == (unit_name(db),)
    finally:
        con.close()
    assert page._job is None and page.backup_btn.isEnabled() and page.restore_btn.isEnabled()  # dialog gone
    listed = [page.model.data(page.model.index(r, 2)) for r in range(page.model.rowCount())]
    assert str(path) in listed
    r = listed.index(str(path))
    assert page.model.data(page.model.index(r, 1)) == "Sao lưu thủ công"
    assert window.backup_label.text().startswith("Sao lưu gần nhất: ")


@FILE_ONLY
def test_restoring_a_backup_brings_its_data_back_and_the_window_shows_it(window, qtbot, messages,
                                                                         monkeypatch) -> None:  # noqa: ANN001
    page, db = window.settings_page, window.db
    old_name = unit_name(db)
    page.backup_btn.click()
    qtbot.waitUntil(lambda: bool(messages["information"]), timeout=WAIT)
    backup = Path(messages["information"].pop()[1].split("\n", 1)[1])
    # Later work the clerk wants to undo: the unit renamed.
    with db.transaction() as s:
        get_unit(s, "MH").name = "Tên đặt nhầm"
    window._database_changed()
    assert window.unit_combo.findText("Tên đặt nhầm", Qt.MatchFlag.MatchContains) >= 0

    answer_restore(monkeypatch, backup)
    page.restore_btn.click()
    job = page._job
    assert job is not None and job.dialog is not None and job.dialog.isVisible()  # shown at once
    assert job.dialog.windowTitle() == "Phục hồi dữ liệu"
    assert job.dialog.labelText().startswith("Đang phục hồi dữ liệu từ bản sao lưu…")
    composite(window, job.dialog, "settings_restore_progress.png")
    qtbot.waitUntil(lambda: bool(messages["information"]), timeout=WAIT)
    title, text = messages["information"][0]
    assert title == "Phục hồi dữ liệu" and text.startswith("Đã phục hồi. Dữ liệu trước đó được giữ ở:\n")
    safety = Path(text.split("\n", 1)[1])
    assert safety.name.endswith("_pre-restore.db") and safety.is_file()
    assert unit_name(db) == old_name  # the database has the backup's content
    # The window reloaded: the unit list shows the restored name, not the one typed after the backup.
    assert window.unit_combo.findText("Tên đặt nhầm", Qt.MatchFlag.MatchContains) < 0
    assert window.unit_combo.findText(old_name, Qt.MatchFlag.MatchContains) >= 0
    listed = [page.model.data(page.model.index(r, 2)) for r in range(page.model.rowCount())]
    assert str(safety) in listed  # the safety copy is listed on the page
    assert page.backup_btn.isEnabled() and not messages["warning"]
    # The copy kept before restoring holds what was replaced.
    con = sqlite3.connect(safety)
    try:
        assert con.execute("SELECT name FROM unit WHERE code = 'MH'").fetchone() == ("Tên đặt nhầm",)
    finally:
        con.close()


@FILE_ONLY
def test_restoring_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(window, qtbot, messages,
                                                                              monkeypatch, tmp_path) -> None:  # noqa: ANN001
    page, db = window.settings_page, window.db
    fake = tmp_path / "Sao lưu tháng 5.db"
    fake.write_text("Đây là ghi chú, không phải cơ sở dữ liệu.", encoding="utf-8")
    before, backups_before = dump_tables(db), list_backups(Path(db.target))
    answer_restore(monkeypatch, fake)
    page.restore_btn.click()
    qtbot.waitUntil(lambda: bool(messages["warning"]), timeout=WAIT)
    title, text = messages["warning"][0]
    assert title == "Không phục hồi được"
    assert text == "Tệp “Sao lưu tháng 5.db” không phải là tệp sao lưu cơ sở dữ liệu của chương trình."
    assert not messages["information"]
    assert dump_tables(db) == before and list_backups(Path(db.target)) == backups_before  # no safety copy either
    assert page._job is None and page.restore_btn.isEnabled()
    # A SQLite file of another program: refused the same way.
    other = tmp_path / "khac.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE ghi_chu (noi_dung TEXT)")
    con.commit()
    con.close()
    answer_restore(monkeypatch, other)
    page.restore_btn.click()
    qtbot.waitUntil(lambda: len(messages["warning"]) == 2, timeout=WAIT)
    assert messages["warning"][1][0] == "Không phục hồi được" and "khac.db" in messages["warning"][1][1]
    assert dump_tables(db) == before


@FILE_ONLY
def test_restoring_a_backup_of_a_newer_version_is_refused_and_changes_nothing(window, qtbot, messages,
                                                                              monkeypatch, tmp_path) -> None:  # noqa: ANN001
    page, db = window.settings_page, window.db
    newer = tmp_path / "Sao lưu từ phiên bản mới.db"
    db.backup("manual", newer)
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '0099_tuong_lai'")
    con.commit()
    con.close()
    before, backups_before = dump_tables(db), list_backups(Path(db.target))
    answer_restore(monkeypatch, newer)
    page.restore_btn.click()
    qtbot.waitUntil(lambda: bool(messages["warning"]) and page._job is None, timeout=WAIT)
    title, text = messages["warning"][0]
    assert title == "Không phục hồi được"
    assert "phiên bản mới hơn của chương trình" in text and "0099_tuong_lai" in text
    assert dump_tables(db) == before and list_backups(Path(db.target)) == backups_before


def test_a_server_database_is_not_backed_up_from_the_program(window, messages) -> None:  # noqa: ANN001
    """On PostgreSQL (the suite's server run) the buttons are off and say why; the menu says it too."""
    page, db = window.settings_page, window.db
    if db.is_sqlite:
        pytest.skip("chỉ máy chủ: a SQLite file is backed up by the program (the tests above)")
    why = ("Cơ sở dữ liệu trên máy chủ được sao lưu và phục hồi bằng công cụ của máy chủ (pg_dump, pg_restore), "
           "không từ chương trình.")
    assert not page.backup_btn.isEnabled() and not page.restore_btn.isEnabled()
    assert page.backup_btn.toolTip() == why and page.restore_btn.toolTip() == why
    window.backup_action.trigger()
    assert messages["information"] == [("Sao lưu", why)] and page._job is None
