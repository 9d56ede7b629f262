"""Issue 15: Qt's own words in Vietnamese (qtbase_vi), the app's tr() strings in an English .ts built by
one script, the .qm files up to date with their .ts, and a setting that chooses the language."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox

from gui.app import make_application

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / "resources" / "translations"
sys.path.insert(0, str(FOLDER))
import build_translations  # noqa: E402 - the script lives with the files it builds


def _literal_tr_strings() -> set[str]:
    """Every string literal passed to tr()/self.tr()/translate(ctx, …) in gui/."""
    found: set[str] = set()
    for path in (REPO / "gui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = node.args[1:2] if name == "translate" else node.args[:1] if name == "tr" else []
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
                elif isinstance(arg, ast.JoinedStr):
                    raise AssertionError(f"{path.name}: an f-string in tr() cannot be translated")
    return found


def _ts_sources(ts: Path) -> dict[str, str | None]:
    root = ET.parse(ts).getroot()
    out = {}
    for m in root.iter("message"):
        t = m.find("translation")
        out[m.findtext("source")] = None if t.get("type") == "unfinished" else t.text
    return out


def test_every_source_string_is_in_the_english_ts():
    sources = _literal_tr_strings()
    in_ts = _ts_sources(FOLDER / "cchc_en.ts")
    assert len(sources) > 500
    missing = sorted(sources - set(in_ts))
    assert not missing, f"chạy resources/translations/build_translations.py: thiếu {missing[:5]}"
    assert in_ts["Trang chủ"] == "Home" and in_ts["&Tệp"] == "&File"


def test_the_qm_files_are_built_from_their_ts():
    assert build_translations.stale_qm() == []
    root = ET.parse(FOLDER / "qtbase_vi.ts").getroot()
    assert root.get("language") == "vi_VN"
    assert sum(1 for _ in root.iter("message")) >= 800


def test_qt_draws_its_own_buttons_and_menus_in_vietnamese(qtbot):
    make_application()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
                           | QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Discard
                           | QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Có", "Không", "Lưu", "Không lưu", "Hủy", "Đồng ý"}
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    words = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert words[:5] == ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán"] and "Chọn tất cả" in words
    question = QMessageBox(QMessageBox.Icon.Question, "Hỏi", "Xóa?", QMessageBox.StandardButton.Yes
                           | QMessageBox.StandardButton.No)
    assert {b.text().replace("&", "") for b in question.buttons()} == {"Có", "Không"}


def _window_texts(tmp_path: Path, language: str | None) -> list[str]:
    """The navigation and menus of a fresh window, in a process of its own (translators load at start)."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtWidgets import QApplication\n"
        "QApplication(sys.argv[:1])\n"
        "from core.appdata import APP_AUTHOR, APP_NAME\n"
        "QApplication.setOrganizationName(APP_AUTHOR); QApplication.setApplicationName(APP_NAME)\n"
        "QSettings.setDefaultFormat(QSettings.Format.IniFormat)\n"
        f"QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, {str(tmp_path)!r})\n"
        + (f"QSettings().setValue('ui/language', {language!r}); QSettings().sync()\n" if language else "")
        + "from gui.app import make_application\n"
        "make_application()\n"
        "from gui.main_window import MainWindow\n"
        "w = MainWindow(None)\n"
        "print('|'.join([w.nav.item(i).text() for i in range(w.nav.count())]"
        " + [a.text() for a in w.menuBar().actions()]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1].split("|")


def test_vietnamese_is_the_default_and_the_setting_switches_to_english(tmp_path):
    assert _window_texts(tmp_path / "vi", None)[:2] == ["Trang chủ", "Kế hoạch & nhiệm vụ"]
    english = _window_texts(tmp_path / "en", "en")
    assert english[:5] == ["Home", "Plans & tasks", "Periodic report", "Consolidation", "Settings"]
    assert "&File" in english and "&Help" in english
