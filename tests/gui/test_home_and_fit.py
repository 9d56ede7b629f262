"""Issue 15: the window opens on the work that is due (Trang chủ, a period with data), fits a 1366×768
laptop (dialogs on the screen and centred, the problems panel folds, ≥ 25 grid rows), and
``main.py gui-snapshots`` photographs every screen within 1366×728."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QMessageBox

import core.app.home as home_module
from core.app.home import current_period, home_summary, start_period
from core.errors import Refused
from core.org.units import get_unit
from core.periods import PeriodRules
from gui import crash_log
from gui.app import make_application, open_for_gui
from gui.jobs import running_jobs
from gui.main_window import MainWindow
from gui.snapshots import SNAPSHOTS
from tests.helpers.gui_window import demo_window

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, tmp_path):
    with demo_window(qtbot, tmp_path, size=None) as w:
        yield w


# --- the period the window opens on ----------------------------------------------------------------

def test_current_period_follows_the_units_cut_off_day():
    # Decree 09's cut-off (the 14th): 4/12/2026 is in Quý IV/2026's window (15/9 – 14/12/2026) …
    assert current_period(date(2026, 12, 4)).code == "2026-Q4"
    # … 15/12/2026 already counts towards Quý I/2027 (15/12/2026 – 14/3/2027).
    assert current_period(date(2026, 12, 15)).code == "2027-Q1"
    # A province that closes its figures on the 10th: 12/12/2026 is past Quý IV's cut-off.
    assert current_period(date(2026, 12, 12), PeriodRules(cutoff_day=10, due_day=15)).code == "2027-Q1"


def test_demo_opens_on_the_latest_period_with_data_not_on_an_empty_year(window, demo_db):
    # The demo's data is all in 2021: returns for 6 tháng đầu năm and Quý III/2021; today is later.
    assert window.period_combo.currentData() == "2021-Q3"
    assert window.period_combo.currentText() == "Quý III/2021"
    assert window.stack.currentWidget() is window.home_page
    with demo_db.session() as s:
        province = get_unit(s, "MH").id
        assert start_period(s, province, date(2026, 12, 4)).code == "2021-Q3"
        # on a day inside a period that has data, that period is the current one
        assert start_period(s, province, date(2021, 8, 1)).code == "2021-Q3"


# --- Trang chủ --------------------------------------------------------------------------------------

def test_home_summarises_tasks_the_return_and_intake_of_the_period(demo_db):
    with demo_db.session() as s:
        province = get_unit(s, "MH").id
        home = home_summary(s, province, "2021-Q3", today=date(2021, 9, 1))
    tasks = [line.text for line in home.tasks]
    # 11 of the plan's 38 tasks were done in 6 tháng đầu năm (seed 004), carried into Quý III.
    assert tasks[0] == "Nhiệm vụ hoàn thành: 11/38"
    assert tasks[1] == "Nhiệm vụ quá hạn: 0"
    assert tasks[2].startswith("Nhiệm vụ đến hạn trong 30 ngày tới: ")
    ret = [line.text for line in home.return_lines]
    # The Quý III return holds 2 of its 98 value rows (1.1.1 and 1.1.2 from the plan): 96 blanks.
    assert ret == ["Báo cáo số liệu: đang nhập", "Chỉ tiêu chưa có số liệu: 96", "Lỗi cần sửa: 0",
                   "Hạn gửi báo cáo: 20/09/2021 (còn 19 ngày)"]
    intake = [line.text for line in home.intake]
    # The province expects 8 units (7 departments and UBND huyện An Bình in 2021); none has sent.
    assert intake == ["Báo cáo đã nhận từ đơn vị trực thuộc: 0/8", "Đơn vị gửi muộn: 0", "Báo cáo chờ xem xét: 0"]


def test_every_home_line_opens_the_screen_behind_it(window, qtbot):
    home = window.home_page
    qtbot.waitUntil(lambda: home.is_loaded)  # the summary comes from a background job
    assert [t for _, t in home.lines()] == ["plans", "plans_overdue", "plans_due", "return", "return_blanks",
                                           "return_problems", "return", "consolidation", "consolidation",
                                           "consolidation"]
    expected = {"plans": "PlansPage", "return": "ReturnsPage", "consolidation": "ConsolidationPage"}
    for i, (text, target) in enumerate(home.lines()):
        window.show_page(home)
        home.buttons[i].click()
        page = window.stack.currentWidget()
        assert type(page).__name__ == expected[target.split("_")[0]], text
        if target == "plans_overdue":
            assert page.overdue_filter.isChecked() and page.tabs.currentIndex() == 1


# --- Trang chủ is worked out in the background -----------------------------------------------------

@pytest.fixture
def held_summary(monkeypatch):
    """``home_summary`` waits on its worker thread until the test sets the event it yields: the test sees
    the page before its numbers arrive."""
    real = home_module.home_summary
    release = threading.Event()

    def held(session, unit_id, period_code, today=None):  # noqa: ANN001, ANN202
        assert release.wait(30)
        return real(session, unit_id, period_code, today)

    monkeypatch.setattr(home_module, "home_summary", held)
    yield release
    release.set()


def test_home_says_it_is_loading_then_shows_the_latest_selection_only(held_summary, window, qtbot):
    home = window.home_page
    assert home.title.text() == "Đang tải số liệu của kỳ báo cáo…"
    assert home.lines() == [] and not home.is_loaded
    assert not any(box.isVisible() for box in home.groups.values())  # no empty boxes meanwhile
    assert window.unit_combo.isEnabled() and window.period_combo.currentData() == "2021-Q3"
    window.period_combo.setCurrentIndex(window.period_combo.findData("2021-H1"))  # while Quý III is loading
    held_summary.set()
    qtbot.waitUntil(lambda: home.is_loaded and running_jobs() == 0, timeout=30_000)
    # Quý III's summary arrived too, and was dropped: the page shows the period selected now.
    assert home.title.text() == "UBND tỉnh Minh Họa — 6 tháng đầu năm 2021"
    assert home.lines()[0] == ("Nhiệm vụ hoàn thành: 11/38", "plans")  # seed 004: 11 of 38 done by 30/6/2021


@pytest.mark.sqlite_only(reason="a backup file is restored over the database file")
def test_a_restore_waits_for_the_home_summary_reading_the_file(held_summary, window, qtbot, monkeypatch):
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QFileDialog

    import gui.pages.settings_page as settings_module
    from gui import jobs

    settings = window.page_of("SettingsPage")
    backup = window.db.backup("manual")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda box: next(
        b for b in box.buttons() if b.text() == "Phục hồi"))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    readers_at_restore: list[bool] = []

    def restore_into(db, path):  # noqa: ANN001, ANN202 - the real one replaces the file
        # The restore is a job itself (its own worker is this thread): any other job must have ended.
        readers_at_restore.extend(w.isRunning() for w in list(jobs._RUNNING) if w is not QThread.currentThread())
        readers_at_restore.append(False)
        return path

    monkeypatch.setattr(settings_module, "restore_into", restore_into)
    assert not window.home_page.is_loaded  # Trang chủ's job is still reading
    threading.Timer(0.3, held_summary.set).start()  # it ends while the restore waits for it
    settings.restore()
    qtbot.waitUntil(lambda: bool(readers_at_restore), timeout=30_000)
    assert not any(readers_at_restore)  # no job was reading when the file was replaced
    qtbot.waitUntil(lambda: window.home_page.is_loaded and running_jobs() == 0, timeout=30_000)


def test_a_refused_home_summary_is_said_in_vietnamese_on_the_page(monkeypatch, qtbot, tmp_path):
    def refused(*_args, **_kw):  # noqa: ANN002, ANN003, ANN202
        raise Refused("Không tìm thấy kỳ báo cáo “2021-Q3” trong cơ sở dữ liệu.")

    monkeypatch.setattr(home_module, "home_summary", refused)
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: boxes.append(a[2]))
    make_application()
    db = open_for_gui(tmp_path / "gui.db", demo=True)
    window = MainWindow(db)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.home_page.is_loaded, timeout=30_000)
        assert window.home_page.title.text() == ("Không tải được số liệu của Trang chủ.\n"
                                                 "Không tìm thấy kỳ báo cáo “2021-Q3” trong cơ sở dữ liệu.")
        assert window.home_page.lines() == [] and boxes == []  # on the page, not in a box over the window
    finally:
        window.close()
        db.close()


def test_a_defect_in_the_home_summary_is_logged_and_told_without_a_traceback(monkeypatch, qtbot, tmp_path):
    def broken(*_args, **_kw):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("no such column: tasks.due_date")

    monkeypatch.setattr(home_module, "home_summary", broken)
    monkeypatch.setattr(crash_log.appdata, "log_dir", lambda db_path=None: tmp_path / "logs")
    shown: list[str] = []
    monkeypatch.setattr(crash_log, "show_crash_dialog", shown.append)
    make_application()
    crash_log.install()
    db = open_for_gui(tmp_path / "gui.db", demo=True)
    window = MainWindow(db)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.home_page.is_loaded, timeout=30_000)
        assert window.home_page.title.text() == "Không tải được số liệu của Trang chủ."
        assert len(shown) == 1 and "Traceback" not in shown[0] and "RuntimeError" not in shown[0]
        assert "nhật ký" in shown[0]  # the crash dialog's Vietnamese text points at the log
        log_text = crash_log.log_file().read_text(encoding="utf-8")
        assert "RuntimeError: no such column: tasks.due_date" in log_text  # the details go to the log
    finally:
        window.close()
        db.close()
        crash_log.uninstall()


# --- fitting the screen ------------------------------------------------------------------------------

def test_a_big_dialog_is_cut_to_the_screen_and_centred_on_its_window(window, qtbot):
    screen = QGuiApplication.primaryScreen().availableGeometry()  # the offscreen test screen, 800 wide
    window.period_combo.setCurrentIndex(window.period_combo.findData("2021-H1"))
    window.show_page(window.page_of("ReturnsPage"))
    window.resize(700, 560)
    window.move(60, 40)
    dialog = window.page_of("ReturnsPage").editor.show_log()  # Nhật ký asks for 1000×480
    qtbot.waitExposed(dialog)
    assert screen.width() < 1000
    assert dialog.width() <= screen.width() - 16 and dialog.height() <= screen.height() - 40
    assert screen.contains(dialog.frameGeometry()), (screen, dialog.frameGeometry())
    centre, parent_centre = dialog.frameGeometry().center(), window.frameGeometry().center()
    # centred on the window as far as the screen allows (never at y = 0 with the buttons off-screen)
    assert abs(centre.y() - parent_centre.y()) <= 2
    assert abs(centre.x() - parent_centre.x()) <= 2 or dialog.frameGeometry().left() == screen.left()
    dialog.done(0)


def test_the_empty_problems_panel_is_one_line_and_folds_and_unfolds(window, qtbot):
    window.period_combo.setCurrentIndex(window.period_combo.findData("2021-H1"))
    window.show_page(window.page_of("ReturnsPage"))
    editor = window.page_of("ReturnsPage").editor
    panel = editor.problems
    qtbot.waitUntil(lambda: not panel.expanded)
    assert panel.height() <= panel.heading_height() + 2  # no room taken by an empty list
    panel.toggle.click()
    assert panel.expanded and panel.list.isVisible()
    panel.toggle.click()
    assert not panel.expanded


def test_the_grid_shows_at_least_25_rows_in_1366x728(window, qtbot):
    window.setWindowState(window.windowState() & ~window.windowState())
    window.resize(1366, 728)  # a maximised window on a 1366×768 laptop above the taskbar
    window.period_combo.setCurrentIndex(window.period_combo.findData("2021-Q3"))
    window.show_page(window.page_of("ReturnsPage"))
    qtbot.waitUntil(lambda: window.height() == 728)
    grid = window.page_of("ReturnsPage").editor.grid
    QGuiApplication.processEvents()
    view = grid.viewport().rect()
    shown = [r for r in range(grid.model().rowCount())
             if view.contains(grid.visualRect(grid.model().index(r, 0)).adjusted(0, 0, -1, -1))]
    assert len(shown) >= 25, len(shown)
    # The history panel (issue 16) starts hidden on this screen, behind its button; shown, it takes room
    # from the grid, and the choice is remembered.
    editor = window.page_of("ReturnsPage").editor
    assert not editor.history_panel.isVisible() and not editor.history_button.isChecked()
    editor.history_button.click()
    assert editor.history_panel.isVisible()
    from gui import preferences

    assert preferences.RETURN_HISTORY_PANEL.get() == 1


# --- gui-snapshots ----------------------------------------------------------------------------------

def _snapshots(tmp_path: Path, *extra: str) -> list[Path]:
    out = tmp_path / "anh"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_SCALE_FACTOR")}
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "gui-snapshots", "--out", str(out), *extra],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"Đã lưu {len(SNAPSHOTS)} ảnh" in done.stdout
    return sorted(out.glob("*.png"))


@pytest.mark.parametrize("scale", ["1", "1.25"])
def test_gui_snapshots_saves_every_screen_within_1366x728(tmp_path, scale):
    pngs = _snapshots(tmp_path, "--size", "1366x768", "--scale", scale)
    assert [p.stem for p in pngs] == sorted(s.name for s in SNAPSHOTS)
    assert len(pngs) >= 12
    for png in pngs:
        image = QImage(str(png))
        assert not image.isNull(), png
        assert image.width() <= 1366 and image.height() <= 728, (png.name, image.size())
        assert image.width() >= 300 and image.height() >= 90, png.name  # a real screen, not a sliver
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 23)}
        assert len(colours) > 3, png.name  # something was drawn
    main_screens = [p for p in pngs if QImage(str(p)).width() > 1300]
    assert len(main_screens) >= 8  # the main window fills the screen's free area


def test_gui_snapshots_refuses_a_bad_size_in_vietnamese(tmp_path):
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "gui-snapshots", "--out", str(tmp_path),
                           "--size", "to"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "kích thước màn hình “to” không hợp lệ; viết dạng 1366x768" in done.stderr
    assert not list(tmp_path.glob("*.png"))


def test_the_unit_list_is_never_cut_short(window):
    # issue 15: "UBND huyện An Bình (hết hiệu lực 30/06/2025)" showed as "…30/06/202"
    combo = window.unit_combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    longest = max(texts, key=combo.view().fontMetrics().horizontalAdvance)
    assert "(hết hiệu lực 30/06/2025)" in " ".join(texts)
    assert combo.view().minimumWidth() >= combo.view().fontMetrics().horizontalAdvance(longest) + 24


def test_an_empty_deadline_list_on_the_overview_is_one_line_high(window, qtbot):
    window.period_combo.setCurrentIndex(window.period_combo.findData("2021-H1"))
    overview = window.page_of("PlansPage").overview
    window.show_page(window.page_of("PlansPage"))
    # 6 tháng đầu năm 2021: no task overdue (seed 004), so the list says so on one line
    assert overview.overdue.item(0, 0).text() == "Không có nhiệm vụ nào."
    one_line = overview.overdue.horizontalHeader().sizeHint().height() + overview.overdue.rowHeight(0)
    assert overview.overdue.maximumHeight() <= one_line + 2 * overview.overdue.frameWidth() + 2
