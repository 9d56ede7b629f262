"""Start-up (issue 13): the window is filled by a background job and builds a page only when it is first
shown; the pages not shown yet get their modules imported in the background."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from gui.app import make_application, open_in_background
from gui.jobs import Job, running_jobs
from gui.main_window import MainWindow
from gui.pages.plans_page import PlansPage

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30_000


@pytest.fixture
def settings_dir(tmp_path: Path) -> Path:
    make_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    QSettings().clear()
    QSettings().setValue("main/period", "2021-H1")
    QSettings().setValue("main/page", 1)  # closed last on "Kế hoạch & nhiệm vụ" (row 0 is Trang chủ)
    return tmp_path


@pytest.mark.sqlite_only(reason="the start-up job opens a database file")
def test_the_window_is_filled_by_a_background_job_page_by_page(qtbot, settings_dir: Path) -> None:
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    opened_on: list[threading.Thread] = []

    def work(progress):  # noqa: ANN001, ANN202
        opened_on.append(threading.current_thread())
        return open_in_background(settings_dir / "khởi động.db", True, window.first_page_module())

    job = Job(window, work, window.attach_database).run_in_background()
    assert window.db is None and window.stack.currentWidget() is window.loading_label  # the frame meanwhile
    qtbot.waitUntil(lambda: window.db is not None, timeout=WAIT)
    try:
        assert opened_on[0] is not threading.main_thread() and not job.running
        built = list(window.pages)
        assert len(built) == 1 and isinstance(built[0], PlansPage)  # only the page on screen
        assert window.stack.currentWidget() is built[0]
        assert built[0].headline.text() == "6 tháng đầu năm 2021: hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"
        window.nav.setCurrentRow(3)  # "Tổng hợp": built now, with the selection of the window
        consolidation = window.pages[2]
        assert window.stack.currentWidget() is consolidation and len(list(window.pages)) == 2
        assert (consolidation.unit_id, consolidation.period_code) == (window.unit_combo.currentData(), "2021-H1")
        window.period_combo.setCurrentIndex(window.period_combo.findData("2021-Q3"))
        assert {p.period_code for p in window.pages} == {"2021-Q3"}  # built pages follow the selection
        window.preload_pages()
        qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
        assert "gui.pages.settings_page" in sys.modules
    finally:
        window.close()
        window.db.close()


def test_a_server_is_opened_on_the_gui_thread() -> None:
    """Its password and login dialogs need the GUI thread: the background job hands the target back."""
    url = "postgresql://cchc@may-chu.local/cchc"
    assert open_in_background(url, False) == url


def test_the_page_modules_are_not_imported_with_the_window() -> None:
    code = ("import sys, gui.app, gui.main_window; "
            "print(sorted(m for m in sys.modules if m.startswith('gui.pages.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
