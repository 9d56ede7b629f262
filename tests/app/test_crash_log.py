"""Crash log: unhandled errors land in a rotating log file and a Vietnamese message says where."""

from __future__ import annotations

import logging
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QPushButton, QWidget  # noqa: E402

from core import appdata  # noqa: E402
from gui import crash_log  # noqa: E402
from gui.about import about_box  # noqa: E402


class _FakeDb:
    target = "C:/Users/Nguyễn Văn A/AppData/Local/PARTracker/TheoDoiCCHC/cchc.db"


@pytest.fixture
def logs(tmp_path, monkeypatch):
    folder = tmp_path / "Nhật ký lỗi"
    monkeypatch.setattr(appdata, "log_dir", lambda db_path=None: folder)
    shown: list[str] = []
    monkeypatch.setattr(crash_log, "show_crash_dialog", shown.append)
    path = crash_log.install()
    yield path, shown
    crash_log.uninstall()


def test_install_writes_a_log_file(logs):
    path, _ = logs
    assert path.name == "cchc.log" and path.parent.name == "Nhật ký lỗi"
    logging.getLogger("cchc.test").info("Đã mở cơ sở dữ liệu “Dữ liệu Đà Nẵng.db”")
    text = path.read_text(encoding="utf-8")
    assert "started" in text
    assert "Đã mở cơ sở dữ liệu “Dữ liệu Đà Nẵng.db”" in text


def test_unhandled_exception_is_logged_and_explained(logs, qapp):
    path, shown = logs
    try:
        raise RuntimeError("hỏng ở bước tổng hợp")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    text = path.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: hỏng ở bước tổng hợp" in text
    assert len(shown) == 1
    assert str(path) in shown[0]
    assert "không bị mất" in shown[0]


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_qt_slot_goes_to_the_log(logs, qtbot):
    path, shown = logs

    def broken_slot() -> None:
        raise ValueError("lỗi trong một nút bấm")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert "ValueError: lỗi trong một nút bấm" in path.read_text(encoding="utf-8")


def test_about_box_opens_the_log_folder(qtbot, monkeypatch):
    opened: list[bool] = []
    monkeypatch.setattr(crash_log, "open_log_folder", lambda: opened.append(True) or True)
    parent = QWidget()
    qtbot.addWidget(parent)
    box = about_box(parent, _FakeDb())
    qtbot.addWidget(box)
    buttons = {b.text(): b for b in box.findChildren(QPushButton)}
    assert "Mở thư mục nhật ký" in buttons
    assert str(appdata.log_dir()) in box.text()
    box.show()
    buttons["Mở thư mục nhật ký"].click()
    assert opened == [True]
    assert box.isVisible()  # opening the folder does not close the box
