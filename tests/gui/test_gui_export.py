"""The "Xuất Excel" / "Xuất PDF" buttons of the return screen, offscreen with pytest-qt.

Set CCHC_SCREENSHOTS=/some/folder to keep the screenshots for a look by eye.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.jobs import Cancelled
from core.org.units import get_unit
from core.reports.workbook_reader import read_return_workbook
from db.errors import FileWriteError
from gui import export_actions, return_editor
from gui.jobs import Job, running_jobs
from gui.pages.returns_page import ReturnsPage
from gui.preferences import LAST_EXPORT_DIR


def _shot(widget, name: str, tmp_path: Path) -> Path:  # noqa: ANN001
    path = tmp_path / name
    assert widget.grab().save(str(path))
    keep = os.environ.get("CCHC_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(keep) / name))
    return path


@pytest.fixture
def settings_dir(qapp, tmp_path: Path) -> Path:  # noqa: ANN001
    """QSettings go to a temporary folder, never to the user's real settings."""
    QCoreApplication.setOrganizationName("PARTrackerTest")
    QCoreApplication.setApplicationName("TheoDoiCCHCTest")
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings().clear()
    return folder


@pytest.fixture
def page(qtbot, demo_db, settings_dir):  # noqa: ANN001, ANN201
    p = ReturnsPage(demo_db)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    with demo_db.session() as s:
        unit_id = get_unit(s, "MH").id
    p.set_context(unit_id, "2021-H1")
    p.show()
    qtbot.waitExposed(p)
    return p


@pytest.fixture
def dialogs(monkeypatch, tmp_path: Path):  # noqa: ANN001, ANN201
    """Fake save dialog, result dialog and desktop opener; records what they were given."""
    calls: dict[str, list] = {"save": [], "after": [], "open": [], "warn": []}
    answer = {"path": str(tmp_path / "out" / "bao_cao"), "after": "folder"}
    (tmp_path / "out").mkdir()

    def get_save(parent, title, start, file_filter):  # noqa: ANN001, ANN202
        calls["save"].append((title, start, file_filter))
        return answer["path"], file_filter

    def after(parent, path):  # noqa: ANN001, ANN202
        calls["after"].append(Path(path))
        return answer["after"]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save)
    monkeypatch.setattr(export_actions, "ask_after_export", after)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: calls["open"].append(QUrl(url)) or True)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: calls["warn"].append(text))
    calls["empty"] = []
    monkeypatch.setattr(return_editor, "confirm_empty_sections",
                        lambda parent, sections, action: calls["empty"].append([x.key for x in sections]) or True)
    return calls, answer


def test_buttons_beside_the_info_line(page, tmp_path: Path) -> None:  # noqa: ANN001
    assert page.export_xlsx_button.text() == "Xuất Excel" and page.export_pdf_button.text() == "Xuất PDF"
    assert page.export_xlsx_button.isEnabled() and page.export_pdf_button.isEnabled()
    # On the info label's line (one line less above the grid on a 1366×768 screen), right of it, above the table.
    assert page.info.geometry().right() <= page.export_xlsx_button.geometry().left()
    info, button = page.info.geometry(), page.export_xlsx_button.geometry()
    assert info.top() <= button.center().y() <= info.bottom()
    grid_top = page.table.mapTo(page, QPoint(0, 0)).y()  # the grid sits inside the return editor
    assert page.export_xlsx_button.geometry().bottom() <= grid_top
    _shot(page, "returns_page_export_buttons.png", tmp_path)
    page.set_context(page.unit_id, "2022-Q1")  # no return for that period
    assert not page.export_xlsx_button.isEnabled() and not page.export_pdf_button.isEnabled()
    assert "Chưa lập báo cáo" in page.export_pdf_button.toolTip()


def test_export_excel_from_the_button(page, dialogs, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    calls, answer = dialogs
    qtbot.mouseClick(page.export_xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(calls["after"] or calls["warn"]), timeout=60_000)
    assert not calls["warn"], calls["warn"]
    title, start, file_filter = calls["save"][0]
    assert start.endswith("BaoCao_CCHC_MH_6_tháng_đầu_năm_2021.xlsx") and "*.xlsx" in file_filter
    saved = tmp_path / "out" / "bao_cao.xlsx"  # the suffix is added when the user leaves it out
    assert calls["after"] == [saved] and saved.is_file()
    assert read_return_workbook(saved).intact
    assert calls["open"] == [QUrl.fromLocalFile(str(saved.parent))]
    assert QSettings().value(LAST_EXPORT_DIR.key) == str(saved.parent)
    qtbot.waitUntil(lambda: page.export_xlsx_button.isEnabled())

    # The next export starts in the remembered folder and can open the file itself.
    answer["path"], answer["after"] = str(tmp_path / "out" / "bao_cao.pdf"), "file"
    qtbot.mouseClick(page.export_pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(calls["after"]) == 2 or bool(calls["warn"]), timeout=60_000)
    assert calls["save"][1][1] == str(tmp_path / "out" / "BaoCao_CCHC_MH_6_tháng_đầu_năm_2021.pdf")
    pdf = tmp_path / "out" / "bao_cao.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert calls["open"][-1] == QUrl.fromLocalFile(str(pdf))


def test_cancelled_save_dialog_does_nothing(page, dialogs, monkeypatch) -> None:  # noqa: ANN001
    calls, _ = dialogs
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    page.export("xlsx")
    assert page._runner is None and not calls["after"]


def test_export_runs_off_the_gui_thread_with_a_cancellable_progress_dialog(qtbot, qapp, settings_dir,  # noqa: ANN001
                                                                            tmp_path: Path) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(600, 300)
    parent.show()
    seen: dict[str, object] = {}
    release = threading.Event()

    def slow_job(progress):  # noqa: ANN001, ANN202
        seen["thread"] = threading.current_thread()
        for i in range(1000):
            try:
                progress(i, 1000, "Phụ lục I: số liệu thống kê" if i == 350 else "")  # a label is shown at once
            except Cancelled:
                seen["stopped_at"] = i
                raise
            if i == 350:
                release.wait(30)
        return "done"

    results: list[str] = []
    runner = Job(parent, slow_job, lambda r: results.append("ok")).on_cancel(lambda: results.append("cancelled"))
    runner.with_progress("Đang xuất Excel báo cáo 6 tháng đầu năm 2021…", title="Đang xuất báo cáo", show_after_ms=0)
    dialog = runner.dialog
    runner.run_in_background()
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() == 350, timeout=30_000)
    _shot(dialog, "export_progress_dialog.png", tmp_path)
    assert dialog.labelText() == "Đang xuất Excel báo cáo 6 tháng đầu năm 2021…\nPhụ lục I: số liệu thống kê"
    from PySide6.QtWidgets import QPushButton

    cancel = dialog.findChild(QPushButton)
    assert cancel.text() == "Hủy"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # what the user does
    release.set()
    qtbot.waitUntil(lambda: bool(results) and running_jobs() == 0, timeout=30_000)
    assert results == ["cancelled"]
    assert seen["thread"] is not threading.main_thread()
    assert seen["stopped_at"] == 351  # the first progress call after "Hủy" raised Cancelled
    assert not runner.running and runner.dialog is None  # closed and deleted


def test_an_error_is_shown_in_vietnamese(page, dialogs, monkeypatch, qtbot) -> None:  # noqa: ANN001
    calls, _ = dialogs
    import gui.pages.returns_page as rp

    def locked(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise FileWriteError("Không ghi được tệp “bao_cao.xlsx”: tệp có thể đang mở trong Excel.")

    monkeypatch.setattr(rp, "export_return_files", locked)
    page.export("xlsx")
    qtbot.waitUntil(lambda: bool(calls["warn"]), timeout=30_000)
    assert "đang mở trong Excel" in calls["warn"][0]
    assert not calls["after"]
    qtbot.waitUntil(lambda: page.export_xlsx_button.isEnabled())


def test_a_pdf_with_empty_narrative_sections_is_exported_only_when_the_user_goes_on(page, dialogs, monkeypatch,
                                                                                   qtbot) -> None:  # noqa: ANN001
    calls, _ = dialogs
    asked = []
    monkeypatch.undo()  # the fixture's stand-ins go: the real confirmation asks through ask_confirmation
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: calls["save"].append(a) or ("", ""))
    monkeypatch.setattr(return_editor, "ask_confirmation",
                        lambda parent, title, text, yes, no=None: asked.append((title, text, yes, no)) or False)
    page.export("pdf")
    (title, text, yes, no) = asked[0]
    assert title == "Phần thuyết minh còn trống" and yes == "Vẫn xuất PDF" and no == "Viết các phần này"
    assert "• 4. Về công tác tuyên truyền CCHC" in text and "• III. Đánh giá chung" in text
    assert "• V. Đề xuất, kiến nghị" in text
    assert page._runner is None and not calls["save"]  # nothing asked, nothing written
    assert page.last_empty_sections == ["I.4", "III", "IV", "V"]
    # Excel carries no narrative: no question.
    asked.clear()
    page.export("xlsx")
    assert not asked and calls["save"]
    qtbot.waitUntil(lambda: page._runner is None, timeout=60_000)
