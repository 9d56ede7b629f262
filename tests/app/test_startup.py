"""Start-up (issue #7): the window frame appears before the database layer is even imported,
then the database is opened and attached; errors and a second start behave."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

import core.app.home as home_module
from core import appdata
from gui import app as app_mod
from gui import crash_log
from gui.app import PHASE_MARKER, READY_MARKER, SHOWN_MARKER, make_application, open_for_gui, open_in_background
from gui.jobs import Job
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


@pytest.mark.sqlite_only(reason="the start-up job opens a database file")
def test_the_frame_then_the_window_then_trang_chus_real_numbers(qtbot, settings_dir, monkeypatch):
    """Issue 13: the frame first; the database opened and Trang chủ's summary worked out in background jobs;
    the window counts as filled (start-up's READY) only once the real numbers are on screen."""
    real, release = home_module.home_summary, threading.Event()

    def held(session, unit_id, period_code, today=None):  # noqa: ANN001, ANN202 - on the worker thread
        assert release.wait(30)
        return real(session, unit_id, period_code, today)

    monkeypatch.setattr(home_module, "home_summary", held)
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.stack.currentWidget() is window.loading_label  # the frame: "Đang mở cơ sở dữ liệu…"
    filled: list[bool] = []
    try:
        Job(window, lambda _p: open_in_background(settings_dir / "khởi động.db", True, window.first_page_module()),
            lambda db: (window.attach_database(db), window.when_filled(lambda: filled.append(True)))
            ).run_in_background()
        qtbot.waitUntil(lambda: window.db is not None, timeout=30_000)
        home = window.home_page
        # The window is there (units, periods, Trang chủ on screen) while the numbers are worked out.
        assert window.stack.currentWidget() is home and window.unit_combo.isEnabled()
        assert window.unit_combo.currentText() == "UBND tỉnh Minh Họa"
        assert home.title.text() == "Đang tải số liệu của kỳ báo cáo…" and home.lines() == []
        assert filled == []  # not filled yet
        release.set()
        qtbot.waitUntil(lambda: bool(filled), timeout=30_000)
        assert filled == [True] and home.is_loaded
        # The demo's latest period with data is Quý III/2021 (its data is all in 2021).
        assert home.title.text() == "UBND tỉnh Minh Họa — Quý III/2021"
        late = (date.today() - date(2021, 9, 20)).days  # due on 20/09/2021 (the 20th after the quarter's cut-off)
        texts = [text for text, _ in home.lines()]
        assert texts[:2] == ["Nhiệm vụ hoàn thành: 11/38",  # seed 004: 11 of the plan's 38 tasks done
                             "Nhiệm vụ quá hạn: 0"]
        assert texts[3:] == [
            "Báo cáo số liệu: đang nhập",
            "Chỉ tiêu chưa có số liệu: 96",  # the Quý III return holds 2 of its 98 value rows (1.1.1, 1.1.2)
            "Lỗi cần sửa: 0",
            f"Hạn gửi báo cáo: 20/09/2021 (đã quá hạn {late} ngày)",
            "Báo cáo đã nhận từ đơn vị trực thuộc: 0/8",  # 7 departments and UBND huyện An Bình; none has sent
            "Đơn vị gửi muộn: 0",
            "Báo cáo chờ xem xét: 0",
        ]
    finally:
        release.set()
        window.close()  # waits for the jobs
        if window.db is not None:
            window.db.close()


def test_the_garbage_collector_paused_for_the_start_up_runs_again_once_the_window_is_filled():
    import gc

    gc.disable()  # as main.py does before the window
    try:
        app_mod.startup_done()
        assert gc.isenabled() and gc.get_freeze_count() > 0  # the start-up's objects set aside, not walked
    finally:
        gc.unfreeze()
        gc.enable()
    app_mod.startup_done()  # a collector that was never paused (tests, the CLI) is left as it is
    assert gc.isenabled() and gc.get_freeze_count() == 0


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
    lines = proc.stdout.splitlines()
    assert [line for line in lines if not line.startswith(PHASE_MARKER)] == [SHOWN_MARKER, READY_MARKER]
    # the steps in between, for the bench: the frame first, the window filled last
    steps = [line.removeprefix(PHASE_MARKER + " ") for line in lines[1:-1]]
    assert steps == ["database code imported", "database opened and backed up",
                     "database models imported and mapped", "standard forms checked",
                     "first page's code imported", "window attached (Trang chủ's summary under way)"]
    assert list((tmp_path / "data").rglob("cchc.db"))  # the default per-user database was created
    assert "started" in next((tmp_path / "state").rglob("cchc.log")).read_text(encoding="utf-8")
