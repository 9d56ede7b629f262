"""``--selftest``: passes on a good installation, fails (exit 1) on a broken one, always logs."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from core import appdata
from core.app.selftest import CHECKS, SELFTEST_LOG, run_selftest
from core.reports import fonts as fonts_mod

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "nhật ký"
    monkeypatch.setattr(appdata, "log_dir", lambda db_path=None: folder)
    return folder


@pytest.mark.sqlite_only(reason="the self-test makes its own SQLite file in a temporary folder")
def test_selftest_passes_and_writes_the_log(log_folder):
    out = io.StringIO()
    assert run_selftest(out) == 0
    printed = out.getvalue().splitlines()
    results = [line for line in printed if line.startswith("[")]
    assert len(results) == len(CHECKS)
    assert all(line.split(": ", 1)[1].startswith("OK") for line in results), printed
    assert "Kết quả: OK — đạt cả 9 mục." in printed
    log = (log_folder / SELFTEST_LOG).read_text(encoding="utf-8")
    for line in results:
        assert line in log
    assert "Đọc lại tệp PDF: OK" in log


@pytest.mark.sqlite_only(reason="the self-test makes its own SQLite file in a temporary folder")
def test_selftest_without_stdout_still_logs(log_folder, monkeypatch):
    """A console-less Windows exe has ``sys.stdout is None``: nothing may crash."""
    monkeypatch.setattr(sys, "stdout", None)
    assert run_selftest() == 0
    assert "Kết quả: OK" in (log_folder / SELFTEST_LOG).read_text(encoding="utf-8")


def test_selftest_fails_when_resources_are_missing(log_folder, tmp_path, monkeypatch):
    empty = tmp_path / "gói hỏng"
    empty.mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(empty), raising=False)  # a bundle without resources/
    monkeypatch.setattr(fonts_mod, "_registered", None)  # forget the fonts found earlier in this process
    out = io.StringIO()
    assert run_selftest(out) == 1
    text = out.getvalue()
    assert "Nạp biểu mẫu thống kê chuẩn: LỖI" in text
    assert "Xuất tệp PDF theo Nghị định 30 có tiếng Việt: LỖI" in text
    assert "Đọc lại tệp PDF: LỖI — bước trước bị lỗi" in text
    assert "Tạo cơ sở dữ liệu trong thư mục tạm: OK" in text  # the others still ran
    log = (log_folder / SELFTEST_LOG).read_text(encoding="utf-8")
    assert "Kết quả: LỖI" in log
    assert "Traceback" in log  # the details for whoever reads the log


def test_main_selftest_exit_code(tmp_path):
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--selftest"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Kết quả: OK" in proc.stdout
    assert list((tmp_path / "state").rglob(SELFTEST_LOG))
