"""Reviewing received returns on the "Tổng hợp" screen offscreen: the board's "Xem xét" column and its
buttons and context menu, the send-back dialog (reason, the note copied), accepting a draft with a
note, the import dialog's buttons; the headline, the rows, the grid and the sources window agree.

Set CCHC_SCREENSHOTS=/some/folder to keep the screenshots for a look by eye.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.org.units import get_unit
from core.returns.entry import find_unit_return
from core.returns.store import submit
from gui.pages.consolidation_page import ConsolidationPage
from gui.review_dialogs import ReviewDialog
from tests.helpers.consolidation_helpers import Province, screenshot
from tests.helpers.returns_helpers import with_kps

H1 = "2021-H1"
DISTRICT = "MH.HAB"


@pytest.fixture
def settings_dir(qapp, tmp_path: Path) -> Path:  # noqa: ANN001
    QCoreApplication.setOrganizationName("PARTrackerTest")
    QCoreApplication.setApplicationName("TheoDoiCCHCTest")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    return tmp_path / "settings"


def _page(qtbot, province: Province, unit: str = DISTRICT) -> ConsolidationPage:  # noqa: ANN001
    p = ConsolidationPage(province.office)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    with province.office.session() as s:
        unit_id = get_unit(s, unit).id
    p.set_context(unit_id, H1)
    p.show()
    qtbot.waitExposed(p)
    return p


@pytest.fixture
def messages(monkeypatch) -> list[str]:  # noqa: ANN001
    seen: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda _parent, _title, text, *a, **k: seen.append(text))
    return seen


def _received(p: Province) -> list[Path]:
    """An Lạc: finished, clean (1.1.1 = 10). Thị trấn An Bình: a draft with 1.1.2 above 1.1.1 (an error).
    The province's own file, sent to the district by mistake (refused)."""
    p.fill("MH.HAB.XAL", with_kps("xa", {"1.1.1": 10, "1.1.2": 4}))  # no blank rows: it can be submitted
    with p.child.transaction() as s:
        submit(s, find_unit_return(s, "MH.HAB.XAL", H1))
    p.fill("MH.HAB.TTAB", {"1.1.1": 20, "1.1.2": 25})
    return [p.export("MH.HAB.XAL", H1, at=datetime(2021, 6, 18, 9, 30)),
            p.export("MH.HAB.TTAB", H1, at=datetime(2021, 6, 19, 10, 0)),
            p.export("MH", H1, name="BaoCao_tinh_gui_nham.xlsx")]


def _cells(page: ConsolidationPage) -> dict[str, list[str]]:
    m = page.board_model
    return {m.row_at(r).unit_code: [m.data(m.index(r, c)) for c in range(m.columnCount())]
            for r in range(m.rowCount())}


def test_accept_send_back_and_the_note_from_the_board(qtbot, province: Province, settings_dir,  # noqa: ANN001
                                                      messages) -> None:
    import_returns(province.office, DISTRICT, _received(province), ImportPolicy(period_code=H1))
    page = _page(qtbot, province)
    cells = _cells(page)
    assert page.board_model.headerData(3, Qt.Orientation.Horizontal) == "Xem xét"
    assert cells["MH.HAB.XAL"][2:4] == ["Đã nhận, đúng hạn", "Chờ xem xét"]
    assert cells["MH.HAB.TTAB"][2:4] == ["Đã nhận, đúng hạn", "Chờ xem xét — bản Nháp"]
    assert cells["MH"][2:4] == ["Cần quyết định", ""]
    assert page.headline.text().endswith("1 đơn vị ngoài danh sách trực thuộc gửi tệp, cần quyết định; "
                                         "đã chấp nhận 0/2 đơn vị, chờ xem xét 2.")

    # A clean return: one click.
    assert page.select_unit("MH.HAB.XAL") and page.accept_action.isEnabled()
    page.accept_action.trigger()
    assert _cells(page)["MH.HAB.XAL"][3] == "Đã chấp nhận"
    assert page.notice.text() == "Đã chấp nhận báo cáo của UBND xã An Lạc."
    assert not page.accept_action.isEnabled() and page.send_back_action.isEnabled()

    # The draft with an error: "Chấp nhận" asks for a note; none given → refused inside the dialog.
    page.select_unit("MH.HAB.TTAB")
    dialog = page.accept_selected(open_dialog=False)
    assert isinstance(dialog, ReviewDialog) and dialog.mode == "accept"
    assert dialog.problems.count() == 1 and "1.1.2, 1.1.1" in dialog.problems.item(0).text()
    dialog.accept()
    assert not dialog.error.isHidden() and "chỉ chấp nhận được khi ghi chú" in dialog.error.text()
    assert dialog.result() == 0 and _cells(page)["MH.HAB.TTAB"][3] == "Chờ xem xét — bản Nháp"
    dialog.reject()

    # Sent back through the context menu: the reason is asked, the note is shown and copied.
    menu = page.board_menu()
    assert [a.text() for a in menu.actions()] == ["Chấp nhận", "Chấp nhận kèm ghi chú…", "Trả lại…"]
    dialog = page.send_back_selected(open_dialog=False)
    dialog.resize(900, 640)
    dialog.text.setPlainText("Chỉ tiêu 1.1.2 lớn hơn 1.1.1; đề nghị kiểm tra, hoàn thành báo cáo rồi gửi lại")
    assert "Lý do: Chỉ tiêu 1.1.2 lớn hơn 1.1.1" in dialog.preview.toPlainText()
    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "review_send_back.png")
    dialog.accept()
    assert dialog.result() == 1
    note = QGuiApplication.clipboard().text()
    assert note.startswith("THÔNG BÁO TRẢ LẠI BÁO CÁO CCHC 6 THÁNG ĐẦU NĂM 2021\nKính gửi: UBND thị trấn An Bình")
    assert "1. [Lỗi] 1.1.2, 1.1.1: Chỉ tiêu 1.1.2 (25) lớn hơn chỉ tiêu 1.1.1 (20)." in note
    cells = _cells(page)
    assert cells["MH.HAB.TTAB"][3] == "Trả lại — bản Nháp"
    assert cells["MH.HAB.TTAB"][7] == ("Lý do trả lại: Chỉ tiêu 1.1.2 lớn hơn 1.1.1; đề nghị kiểm tra, hoàn thành "
                                       "báo cáo rồi gửi lại")
    assert "thông báo trả lại đã được chép" in page.notice.text()
    page.select_unit("MH.HAB.TTAB")
    assert page.copy_note_action.isEnabled()
    QGuiApplication.clipboard().clear()
    assert page.copy_send_back_note() == note and QGuiApplication.clipboard().text() == note
    assert page.headline.text().endswith("đã chấp nhận 1/2 đơn vị, trả lại 1.")
    page.board_view.clearSelection()
    screenshot(page, "review_board.png")

    # Consolidated: the grid, the sources window and the headline count the same 2 units, 1 accepted.
    page.consolidate_action.trigger()
    qtbot.waitUntil(lambda: getattr(page, "last_result", None) is not None, timeout=20000)
    grid = page.grid_model
    r = next(i for i in range(grid.rowCount()) if grid.row_at(i).code == "1.1.1")
    assert [grid.data(grid.index(r, c)) for c in (3, 4)] == ["10", "1/2"]
    assert "Không tính vào số tổng hợp: trả lại: UBND thị trấn An Bình (Chỉ tiêu 1.1.2 lớn hơn" in \
        page.grid_info.text()
    screenshot(page, "review_grid.png")
    page.grid_view.selectRow(r)
    sources = page.show_sources()
    rows = [[sources.model.data(sources.model.index(i, c)) for c in (0, 2, 3)]
            for i in range(sources.model.rowCount())]
    assert rows == [["MH.HAB.XAL", "Có số liệu", "10"], ["MH.HAB.TTAB", "Trả lại, chưa tính", ""]]
    sources.resize(1100, 400)
    screenshot(sources, "review_sources.png")
    sources.accept()
    assert messages == []


def test_the_import_dialog_accepts_and_sends_back(qtbot, province: Province, settings_dir,  # noqa: ANN001
                                                  messages) -> None:
    files = _received(province)
    page = _page(qtbot, province)
    dialog = page.import_paths(files)
    qtbot.waitUntil(lambda: not dialog.running and dialog.report is not None, timeout=20000)
    m = dialog.model
    got = {m.row_at(r).unit_code: (m.data(m.index(r, 3)), m.data(m.index(r, 4))) for r in range(m.rowCount())}
    assert got == {"MH.HAB.XAL": ("Đã nhập", "Chờ xem xét"), "MH.HAB.TTAB": ("Đã nhập", "Chờ xem xét — bản Nháp"),
                   "MH": ("Chờ quyết định", "")}
    assert "chọn từng dòng rồi bấm “Chấp nhận” hoặc “Trả lại…”" in dialog.summary.text()
    row = {m.row_at(r).unit_code: r for r in range(m.rowCount())}
    dialog.view.selectRow(row["MH.HAB.XAL"])
    assert dialog.accept_button.isEnabled()
    dialog.accept_button.click()
    assert m.data(m.index(row["MH.HAB.XAL"], 4)) == "Đã chấp nhận"
    assert not dialog.accept_button.isEnabled()
    dialog.view.selectRow(row["MH.HAB.TTAB"])
    back = dialog.send_back_selected(open_dialog=False)
    back.text.setPlainText("Thiếu chữ ký, đề nghị hoàn thành báo cáo")
    back.accept()
    assert m.data(m.index(row["MH.HAB.TTAB"], 4)) == "Trả lại — bản Nháp"
    dialog.view.selectRow(row["MH.HAB.XAL"])
    dialog.resize(1280, 600)
    screenshot(dialog, "review_import.png")
    dialog.accept()  # the province's file, left undecided, is recorded as refused
    cells = _cells(page)
    assert (cells["MH.HAB.XAL"][3], cells["MH.HAB.TTAB"][3], cells["MH"][2]) == (
        "Đã chấp nhận", "Trả lại — bản Nháp", "Cần quyết định")
    assert messages == []


def test_accept_every_valid_return_leaves_the_draft_for_a_person(qtbot, province: Province, settings_dir,  # noqa: ANN001
                                                                  messages) -> None:
    import_returns(province.office, DISTRICT, _received(province)[:2], ImportPolicy(period_code=H1))
    page = _page(qtbot, province)
    assert page.accept_valid_action.isEnabled()
    page.accept_valid_action.trigger()
    qtbot.waitUntil(lambda: getattr(page, "last_accept_valid", None) is not None, timeout=20000)
    assert page.notice.text() == ("Đã chấp nhận 1 báo cáo. Còn 1 báo cáo cần xem riêng (bản Nháp hoặc có lỗi: cần "
                                  "ghi chú, hoặc trả lại): UBND thị trấn An Bình.")
    assert [_cells(page)[u][3] for u in ("MH.HAB.XAL", "MH.HAB.TTAB")] == ["Đã chấp nhận", "Chờ xem xét — bản Nháp"]


def test_the_province_board_shows_pending_accepted_and_sent_back_rows(qtbot, province: Province,  # noqa: ANN001
                                                                       settings_dir, messages) -> None:
    from tests.helpers.consolidation_helpers import accept_all

    for unit, value in (("MH.SNV", 12), ("MH.STP", 5), ("MH.VP", 7)):
        province.fill(unit, with_kps("so", {"1.1.1": value}), H1)
        with province.child.transaction() as s:
            submit(s, find_unit_return(s, unit, H1))
        province.export(unit, H1, at=datetime(2021, 6, 18, 9, 30))
    import_returns(province.office, "MH", [province.inbox], ImportPolicy(period_code=H1))
    page = _page(qtbot, province, "MH")
    page.select_unit("MH.SNV")
    page.accept_action.trigger()
    page.select_unit("MH.VP")
    back = page.send_back_selected(open_dialog=False)
    back.text.setPlainText("Thiếu số liệu chỉ tiêu 1.1.2 và 1.1.3")
    back.accept()
    page.select_unit("MH.STP")
    cells = _cells(page)
    assert [cells[u][3] for u in ("MH.SNV", "MH.STP", "MH.VP")] == ["Đã chấp nhận", "Chờ xem xét", "Trả lại"]
    assert page.headline.text().endswith("đã chấp nhận 1/8 đơn vị, chờ xem xét 1, trả lại 1.")
    screenshot(page, "review_board_province.png")
    assert accept_all(province.office, "MH", H1) == ["MH.STP"]
    assert messages == []


def test_on_a_shared_database_the_unit_sees_its_return_sent_back(qtbot, province: Province,  # noqa: ANN001
                                                                  settings_dir, messages) -> None:
    from core.intake.review import send_back_return
    from gui.return_editor import ReturnEditor

    db = province.office  # the district and its communes work in one database
    province.fill("MH.HAB.XAL", with_kps("xa", {"1.1.1": 8}), db=db)
    with db.transaction() as s:
        submit(s, find_unit_return(s, "MH.HAB.XAL", H1))
        commune = get_unit(s, "MH.HAB.XAL").id
    page = _page(qtbot, province)
    row = _cells(page)["MH.HAB.XAL"]
    assert row[2:4] == ["Đã nhận, quá hạn", "Chờ xem xét"] and row[4].endswith("(ngày hoàn thành)")
    editor = ReturnEditor(db)
    qtbot.addWidget(editor)
    editor.load(commune, H1)
    assert editor.header_text().endswith("Đã hoàn thành, chờ cấp trên xem xét.")
    with db.transaction() as s:
        send_back_return(s, DISTRICT, "MH.HAB.XAL", H1, "Thiếu số liệu 1.1.3")
    editor.load(commune, H1)
    text = editor.header_text()
    assert "Cấp trên (UBND huyện An Bình) đã trả lại báo cáo ngày " in text
    assert text.endswith(": Thiếu số liệu 1.1.3. Hãy mở lại báo cáo để sửa.")
