"""A second start on the same database brings the first window forward instead of opening it again."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QDir  # noqa: E402
from PySide6.QtWidgets import QMainWindow  # noqa: E402

from gui.single_instance import SingleInstance, bring_to_front, instance_key  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _unique_key() -> str:
    return f"cchc-test-{uuid.uuid4().hex[:12]}"


def test_key_is_per_database_and_stable(tmp_path):
    db = tmp_path / "Dữ liệu Đà Nẵng" / "cchc.db"
    assert instance_key(db) == instance_key(tmp_path / "Dữ liệu Đà Nẵng" / "." / "cchc.db")
    assert instance_key(db) != instance_key(tmp_path / "khác.db")
    assert instance_key(db).startswith("cchc-") and len(instance_key(db)) < 40  # short enough for a socket name


def test_second_instance_activates_the_first(qtbot):
    key = _unique_key()
    first = SingleInstance(key)
    assert first.listen()
    try:
        second = SingleInstance(key)
        with qtbot.waitSignal(first.activated, timeout=5000):
            assert second.notify_running(timeout_ms=300)
    finally:
        first.close()


def test_no_instance_running(qtbot):
    assert SingleInstance(_unique_key()).notify_running(timeout_ms=300) is False


def test_second_process_activates_the_first(qtbot):
    """The real case: another process, as ``run_gui`` does before opening the database."""
    key = _unique_key()
    first = SingleInstance(key)
    assert first.listen()
    code = (
        "import sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
        "from gui.single_instance import SingleInstance;"
        f"sys.exit(0 if SingleInstance({key!r}).notify_running(3000) else 7)"
    )
    try:
        with qtbot.waitSignal(first.activated, timeout=10000):
            proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
        assert proc.wait(timeout=30) == 0
    finally:
        first.close()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_stale_socket_file_is_replaced(qtbot):
    """A socket file left by a crashed instance does not block the next start."""
    key = _unique_key()
    path = Path(QDir.tempPath()) / key
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # bound, never listening, never unlinked: what a killed process leaves
    dead.close()
    try:
        assert path.exists()
        assert SingleInstance(key).notify_running(timeout_ms=300) is False
        again = SingleInstance(key)
        assert again.listen()
        with qtbot.waitSignal(again.activated, timeout=5000):
            assert SingleInstance(key).notify_running(timeout_ms=300)
        again.close()
    finally:
        path.unlink(missing_ok=True)


def test_bring_to_front_restores_a_minimised_window(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    bring_to_front(window)
    assert window.isVisible()
    assert not window.isMinimized()
