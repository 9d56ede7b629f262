"""Start-up (issue #7): the window frame appears before the database layer is even imported,
then the database is opened and attached; errors and a second start behave."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from core import appdata
from gui import app as app_mod
from gui import crash_log
from gui.app import READY_MARKER, SHOWN_MARKER, make_application, open_for_gui
from gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_STATE_HOME=str(tmp_path / "state"))
    return env


def test_window_modules_do_not_import_the_database_layer():
    code = ("import sys, gui.app, gui.main_window; "
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'openpyxl', 'reportlab') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture
def settings_dir(tmp_path):
    make_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    return tmp_path


@pytest.mark.sqlite_only(reason="the window shows the database file's name")
def test_frame_first_then_database(qtbot, settings_dir):
    QSettings().setValue("main/period", "2021-H1")
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    nav = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert nav == ["Trang chủ", "Kế hoạch & nhiệm vụ", "Báo cáo định kỳ", "Tổng hợp", "Cài đặt", "Chỉ số CCHC"]
    assert window.stack.currentWidget() is window.loading_label
    assert window.loading_label.text() == "Đang mở cơ sở dữ liệu…"
    assert not window.unit_combo.isEnabled() and not window.backup_action.isEnabled()

    db = open_for_gui(settings_dir / "Dữ liệu khởi động.db", demo=True)
    try:
        window.attach_database(db)
        assert window.unit_combo.isEnabled() and window.backup_action.isEnabled()
        assert window.unit_combo.currentText() == "UBND tỉnh Minh Họa"
        assert window.period_combo.currentData() == "2021-H1"  # the saved selection came back
        assert window.stack.currentWidget() is window.home_page  # Trang chủ first
        assert "Dữ liệu khởi động.db" in window.db_label.text()
    finally:
        window.close()
        db.close()


def test_closing_before_the_database_keeps_the_saved_selection(qtbot, settings_dir):
    QSettings().setValue("main/unit", 7)
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert int(QSettings().value("main/unit")) == 7


@pytest.mark.sqlite_only(reason="the single-writer lock of a SQLite file")
def test_busy_database_gives_a_message_and_exit_code_3(tmp_path, monkeypatch, qapp):
    from db.lock import WriterLock

    monkeypatch.setattr(appdata, "log_dir", lambda db_path=None: tmp_path / "logs")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(f"{title}: {text}"))
    db_path = tmp_path / "Đang bận.db"
    open_for_gui(db_path, demo=False).close()
    lock = WriterLock(db_path)
    lock.acquire()  # another program is writing to it
    try:
        assert app_mod.run_gui(str(db_path)) == 3
    finally:
        lock.release()
        crash_log.uninstall()
    assert len(shown) == 1 and shown[0].startswith("Không mở được cơ sở dữ liệu: ")
    assert "đang được mở bởi một phiên làm việc khác" in shown[0]


@pytest.mark.sqlite_only(reason="a separate process on the default per-user SQLite file")
def test_plain_start_shows_then_fills_the_window(tmp_path):
    """``main.py`` with no arguments, as the Start-menu shortcut starts it."""
    env = dict(_env(tmp_path), CCHC_EXIT_AFTER_SHOW="1")
    proc = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [SHOWN_MARKER, READY_MARKER]
    assert list((tmp_path / "data").rglob("cchc.db"))  # the default per-user database was created
    assert "started" in next((tmp_path / "state").rglob("cchc.log")).read_text(encoding="utf-8")
