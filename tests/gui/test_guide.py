"""Issue 15: Trợ giúp → Hướng dẫn sử dụng, a bundled Vietnamese guide read offline, with pictures from
gui-snapshots; F1 opens the section of the screen in front."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui.help_window import GUIDE, SECTIONS
from tests.helpers.gui_window import demo_window


@pytest.fixture
def window(qtbot, tmp_path):
    with demo_window(qtbot, tmp_path, size=None) as w:
        w.activateWindow()
        yield w


def test_the_guide_is_offline_vietnamese_html_whose_sections_and_pictures_exist():
    html = GUIDE.read_text(encoding="utf-8")
    assert 'lang="vi"' in html and "Hướng dẫn sử dụng" in html
    ids = set(re.findall(r'id="([a-z-]+)"', html))
    assert set(SECTIONS.values()) <= ids
    assert {"vong-quy", "trang-chu", "bao-cao", "tong-hop", "don-vi"} <= ids
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from the network
    pictures = re.findall(r'<img src="([^"]+)"', html)
    assert len(pictures) >= 3
    for name in pictures:
        path = GUIDE.parent / name
        assert path.exists(), name
        assert path.stat().st_size < 200_000, name  # a few small pictures, not a screenshot dump


def test_help_menu_has_the_guide_and_f1_opens_the_section_of_the_screen(window, qtbot):
    help_menu = next(a for a in window.menuBar().actions() if "Trợ giúp" in a.text()).menu()
    assert [a.text() for a in help_menu.actions()] == ["Hướng dẫn sử dụng", "Giới thiệu"]
    window.show_page(window.page_of("ReturnsPage"))
    # F1 is an application-wide shortcut (it works over dialogs too); the program has one main window,
    # so windows that earlier tests left behind would make it ambiguous here only.
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow

    for other in QApplication.topLevelWidgets():
        if isinstance(other, MainWindow) and other is not window:
            other.hide()
            other.deleteLater()
    QApplication.processEvents()
    QTest.keyClick(window, Qt.Key.Key_F1)
    guide = window.help_window
    assert guide is not None and guide.isVisible()
    assert guide.section == "bao-cao"
    assert "3. Báo cáo định kỳ" in guide.browser.toPlainText()
    guide.close()
    window.period_combo.setCurrentIndex(window.period_combo.findData("2021-H1"))
    plans = window.page_of("PlansPage")
    window.show_page(plans)
    dialog = plans.open_task(next(r.id for r in plans._all_rows if not r.is_group))
    qtbot.waitExposed(dialog)
    assert window.show_guide().section == "nhiem-vu"  # F1 over the task dialog: its own section
    dialog.done(0)
    window.show_page(window.settings_page)
    assert window.show_guide().section == "cai-dat"
