"""Cài đặt › Cách chọn cột đã lưu: the mappings remembered from imports are listed and can be deleted."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from core.import_mappings import list_mappings, remember_mapping
from core.org.units import get_unit
from gui.pages.settings_page import SettingsPage
from tests.helpers.consolidation_helpers import screenshot


def test_saved_mappings_are_listed_and_deleted(qtbot, demo_db, monkeypatch) -> None:  # noqa: ANN001
    with demo_db.transaction() as s:
        remember_mapping(s, "plan", [("A", "STT"), ("B", "Nhiệm vụ"), ("C", "Đơn vị thực hiện"),
                                     ("D", "Cơ quan thực hiện"), ("E", "Thời gian")],
                         {"A": "stt", "B": "task", "C": "lead", "D": "partners", "E": "timeframe"},
                         file_name="Kế hoạch CCHC 2022 Sở GDĐT.xlsx")
        remember_mapping(s, "handmade", [("A", "STT"), ("B", "Nội dung"), ("C", "ĐVT"), ("F", "Kết quả"),
                                         ("G", "Ghi chú")],
                         {"A": "stt", "B": "name", "C": "unit", "F": "value", "G": "note"},
                         file_name="Biểu xã An Lạc.xlsx")
        unit_id = get_unit(s, "MH").id
    page = SettingsPage(demo_db)
    qtbot.addWidget(page)
    page.resize(1180, 640)
    page.set_context(unit_id, "2021-H1")
    page.show()
    qtbot.waitExposed(page)
    section = page.mapping_settings
    page.tabs.setCurrentWidget(section)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Cách chọn cột đã lưu"
    assert section.model.rowCount() == 2 and not section.empty.isVisible()
    rows = {section.model.item(r, 0).text(): r for r in range(2)}
    assert set(rows) == {"Kế hoạch", "Biểu điền tay"}
    r = rows["Kế hoạch"]
    assert section.model.item(r, 1).text().startswith("A: STT · B: Nhiệm vụ · C: Đơn vị thực hiện")
    assert section.model.item(r, 2).text() == ("A → Số thứ tự (STT); B → Nhiệm vụ; C → Cơ quan chủ trì; "
                                                "D → Cơ quan phối hợp; E → Thời gian thực hiện")
    assert section.model.item(r, 3).text() == "Kế hoạch CCHC 2022 Sở GDĐT.xlsx"
    screenshot(page, "settings_mappings.png")
    section.table.selectRow(r)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    deleted = section.delete_selected()
    assert deleted is not None and deleted.kind == "plan"
    assert section.model.rowCount() == 1 and section.model.item(0, 0).text() == "Biểu điền tay"
    with demo_db.session() as s:
        assert [m.kind for m in list_mappings(s)] == ["handmade"]
