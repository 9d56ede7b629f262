"""The main window shell, driven as a user would (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.main_window import MainWindow
from tests.helpers.gui_window import demo_window


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    with demo_window(qtbot, tmp_path) as w:
        yield w


def _select_period(w, code):
    w.period_combo.setCurrentIndex(w.period_combo.findData(code))


@pytest.mark.sqlite_only(reason="expects the window to show the database file path")
def test_main_window_shows_vietnamese_navigation_and_context(window, tmp_path):
    nav = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert nav == ["Trang chủ", "Kế hoạch & nhiệm vụ", "Báo cáo định kỳ", "Tổng hợp", "Cài đặt", "Chỉ số CCHC"]
    assert window.unit_combo.currentText() == "UBND tỉnh Minh Họa"
    labels = [window.period_combo.itemText(i) for i in range(window.period_combo.count())]
    assert "6 tháng đầu năm 2021" in labels and "Quý III/2021" in labels
    assert str(tmp_path / "gui.db") in window.db_label.text()
    assert window.backup_label.text().startswith("Sao lưu gần nhất") or "Chưa có" in window.backup_label.text()
    window.grab().save(str(tmp_path / "main_window.png"))


def test_plan_page_shows_tasks_by_area_and_the_headline(window, qtbot):
    _select_period(window, "2021-H1")
    page = window.pages[0]
    assert page.headline.text() == "6 tháng đầu năm 2021: hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"
    model = page.model
    areas = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert areas[0] == "I. Cải cách thể chế" and len(areas) == 7
    first_area = model.index(0, 0)
    assert model.rowCount(first_area) == 4
    assert model.index(2, 1, first_area).data().startswith("Cập nhật, đăng tải văn bản QPPL")
    assert model.index(2, 5, first_area).data() == "Hoàn thành đúng hạn"
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Tổng quan"  # the overview comes first


def test_return_page_shows_the_form_with_blanks_and_vietnamese_numbers(window):
    _select_period(window, "2021-H1")
    window.nav.setCurrentRow(2)
    page = window.pages[1]
    rows = {page.model.row_at(r).code: r for r in range(page.model.rowCount())}
    value = lambda code: page.model.index(rows[code], 3).data()  # noqa: E731
    assert value("1.4.1") == "3.133" and value("3.4.2") == "72,8" and value("7.6.2") == ""
    assert "Đã hoàn thành" in page.info.text()
    # issue 15: one way of writing dates on one line (dd/mm/yyyy), not "14/6/2021 … hạn 20/06/2021"
    assert "Từ ngày 15/12/2020 đến ngày 14/06/2021; hạn gửi báo cáo 20/06/2021" in page.info.text()


def test_switching_unit_and_page_and_geometry_is_remembered(window, qtbot, tmp_path):
    window.unit_combo.setCurrentIndex(window.unit_combo.findData(window.unit_combo.itemData(3)))
    window.nav.setCurrentRow(3)
    window.resize(790, 590)  # within the offscreen screen, which restoreGeometry clamps to
    qtbot.waitUntil(lambda: window.width() == 790)
    unit = window.unit_combo.currentData()
    window.close()
    again = MainWindow(window.db)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.unit_combo.currentData() == unit
    assert again.nav.currentRow() == 3
    assert (again.width(), again.height()) == (790, 590)


def test_about_box_names_the_product_and_database(window, monkeypatch):
    seen = {}
    # The About box is a QMessageBox with its own buttons (issue #7: "Mở thư mục nhật ký"), shown with exec().
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.update(title=box.windowTitle(), text=box.text()))
    help_menu = [a for a in window.menuBar().actions() if "Trợ giúp" in a.text()][0].menu()
    about = next(a for a in help_menu.actions() if a.text() == "Giới thiệu")
    about.trigger()
    assert seen["title"] == "Giới thiệu"
    assert "Theo dõi & Báo cáo CCHC" in seen["text"]
    assert str(window.db.target) in seen["text"]


def test_the_settings_pictures_show_the_tab_their_caption_names(window):  # noqa: ANN001
    """The guide's pictures of Cài đặt: each opens the tab its caption names (tabs were added over time)."""
    from gui.snapshots import SNAPSHOTS

    shots = [s for s in SNAPSHOTS if s.caption.startswith("Cài đặt — ")]
    assert len(shots) == 4
    for shot in shots:
        shot.open(window)
        tabs = window.settings_page.tabs
        assert shot.caption.removeprefix("Cài đặt — ").startswith(tabs.tabText(tabs.currentIndex())), shot.name
