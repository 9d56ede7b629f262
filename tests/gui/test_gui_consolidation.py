"""The "Tổng hợp" screen offscreen: the board, importing through the dialog (file dialogs monkeypatched,
drag and drop), deciding about an edited file, a hand-made appendix, consolidating and the drill-down.

Set CCHC_SCREENSHOTS=/some/folder to keep the screenshots (1280×800) for a look by eye.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.intake.importer import import_returns
from core.intake.outcomes import FileDecision, ImportPolicy
from core.org.units import get_unit
from core.returns.entry import find_unit_return
from core.returns.store import values_by_code
from gui.consolidation_dialogs import DecisionDialog
from gui.pages.consolidation_page import ConsolidationPage
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import (
    Province,
    accept_all,
    edit_cells,
    screenshot,
    tamper,
    write_seed_appendix,
)

Q2 = "2021-Q2"


@pytest.fixture
def settings_dir(qapp, tmp_path: Path) -> Path:  # noqa: ANN001
    QCoreApplication.setOrganizationName("PARTrackerTest")
    QCoreApplication.setApplicationName("TheoDoiCCHCTest")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    return tmp_path / "settings"


@pytest.fixture
def page(qtbot, province, settings_dir, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)  # never block on a message box
    p = ConsolidationPage(province.office)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    with province.office.session() as s:
        unit_id = get_unit(s, "MH").id
    p.set_context(unit_id, Q2)
    p.show()
    qtbot.waitExposed(p)
    return p


def _files(p: Province) -> dict[str, Path]:
    """Four returns as they arrive: on time, late, edited in Excel after export, tampered with."""
    p.fill("MH.SNV", {"1.1.1": 10, "2.3": 16, "7.3": 2}, Q2, notes={"2.3": "16 VB"})
    p.fill("MH.STP", {"1.1.1": 5, "2.3": None, "7.3": 1}, Q2)
    p.fill("MH.VP", {"1.1.1": 7, "2.3": 3, "7.3": 2}, Q2)
    p.fill("MH.STC", {"1.1.1": 12}, Q2)
    files = {
        "on_time": p.export("MH.SNV", Q2, at=datetime(2021, 6, 18, 9, 30)),
        "late": p.export("MH.STP", Q2, at=datetime(2021, 6, 24, 14, 5)),
        "edited": p.export("MH.VP", Q2, at=datetime(2021, 6, 19, 10, 0)),
        "tampered": p.export("MH.STC", Q2, at=datetime(2021, 6, 19, 11, 0)),
    }
    edit_cells(files["edited"], {"1.1.1": 8})
    tamper(files["tampered"], "1.1.1", 12, 21)
    return files


def _wait(qtbot, dialog) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not dialog.running and dialog.report is not None, timeout=20000)


def test_the_board_lists_the_children_with_their_states(page: ConsolidationPage, province: Province) -> None:
    files = _files(province)
    import_returns(province.office, "MH", list(files.values()), ImportPolicy(period_code=Q2))
    page.refresh()
    states = {page.board_model.row_at(r).unit_code: page.board_model.data(page.board_model.index(r, 2))
              for r in range(page.board_model.rowCount())}
    assert states == {"MH.HAB": "Chưa nhận", "MH.SGDDT": "Chưa nhận", "MH.SKHCN": "Chưa nhận",
                      "MH.SNV": "Đã nhận, đúng hạn", "MH.STC": "Cần quyết định", "MH.STP": "Đã nhận, quá hạn",
                      "MH.STTTT": "Chưa nhận", "MH.VP": "Cần quyết định"}
    assert page.headline.text() == ("Quý II/2021 (hạn 20/06/2021): đã nhận 2/8 đơn vị (đạt 25%); đúng hạn 1, "
                                    "quá hạn 1, chưa nhận 4, cần quyết định 2; đã chấp nhận 0/8 đơn vị, "
                                    "chờ xem xét 2.")
    row = next(r for r in range(page.board_model.rowCount()) if page.board_model.row_at(r).unit_code == "MH.STP")
    assert page.board_model.data(page.board_model.index(row, 3)) == "Chờ xem xét — bản Nháp"
    assert page.board_model.data(page.board_model.index(row, 4)) == "24/06/2021 14:05"
    assert page.board_model.data(page.board_model.index(row, 7)) == "Chậm 4 ngày"
    page.copy_action.trigger()
    assert QGuiApplication.clipboard().text().startswith("Các đơn vị chưa gửi báo cáo CCHC Quý II/2021")
    screenshot(page, "consol_board.png")


def test_importing_through_the_dialog_shows_each_files_outcome(page: ConsolidationPage, province: Province,
                                                               qtbot, monkeypatch) -> None:  # noqa: ANN001
    files = _files(province)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(f) for f in files.values()], "Bảng tính Excel (*.xlsx)"))
    page.import_files_action.trigger()
    dialog = page.last_import_dialog
    _wait(qtbot, dialog)
    got = {dialog.model.row_at(r).file_name: dialog.model.data(dialog.model.index(r, 3))
           for r in range(dialog.model.rowCount())}
    assert got == {files["on_time"].name: "Đã nhập", files["late"].name: "Đã nhập",
                   files["edited"].name: "Chờ quyết định", files["tampered"].name: "Từ chối"}
    assert dialog.summary.text().startswith("4 tệp: đã nhập 2, từ chối 1, chờ quyết định 1.")
    # The edited file: the dialog lists the cell, exported 7, now 8; the user keeps the file's 8.
    r = next(r for r in range(dialog.model.rowCount()) if dialog.model.row_at(r).outcome == "pending")
    decision = DecisionDialog(dialog.model.row_at(r), "UBND tỉnh Minh Họa", dialog)
    cells = decision.cells
    assert [(cells.data(cells.index(0, c))) for c in range(4)] == ["1.1.1", "Số nhiệm vụ đề ra trong kế hoạch",
                                                                   "7", "8"]
    assert decision.decision() == FileDecision(edits={"1.1.1": "file"})
    dialog.resize(1280, 800)
    dialog.view.selectRow(r)
    screenshot(dialog, "consol_import.png")
    result = dialog.apply_decision(r, decision.decision())
    assert result.outcome == "imported"
    assert dialog.model.data(dialog.model.index(r, 3)) == "Đã nhập"
    saved = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: saved.append(1) or (str(province.folder / "ket_qua"), ""))
    dialog.save_report()
    assert (province.folder / "ket_qua.xlsx").is_file()
    dialog.accept()
    with province.office.session() as s:
        assert values_by_code(s, find_unit_return(s, "MH.VP", Q2))["1.1.1"].value_num == 8
    rows = {page.board_model.row_at(i).unit_code: page.board_model.row_at(i).state
            for i in range(page.board_model.rowCount())}
    assert rows["MH.VP"] == "on_time" and rows["MH.STC"] == "decision"


def test_files_left_undecided_are_recorded_when_the_dialog_closes(page, province, qtbot) -> None:  # noqa: ANN001
    files = _files(province)
    dialog = page.import_paths([files["edited"]])
    _wait(qtbot, dialog)
    dialog.accept()
    assert dialog.report.outcomes[0].outcome == "rejected"
    assert "Có 1 ô bị sửa trong Excel" in dialog.report.outcomes[0].reason


def test_dropping_a_folder_imports_it(page: ConsolidationPage, province: Province, qtbot) -> None:  # noqa: ANN001
    _files(province)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(province.inbox))])
    event = QDropEvent(QPointF(QPoint(300, 300)), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    dialog = page.last_import_dialog
    _wait(qtbot, dialog)
    assert len(dialog.report.outcomes) == 4 and dialog.report.stored == 2


def test_stop_midway_writes_nothing(page, province, qtbot, monkeypatch) -> None:  # noqa: ANN001
    """"Dừng" after the second of four files: the whole import rolls back, the database is as before."""
    from core.intake.importer import ReturnImporter
    from gui.jobs import running_jobs

    _files(province)
    before = dump_tables(province.office)
    second_done, release = threading.Event(), threading.Event()
    real_store = ReturnImporter.store
    stored = []

    def store(self, ins, decision=None):  # noqa: ANN001, ANN202
        outcome = real_store(self, ins, decision)
        stored.append(outcome.outcome)
        if len(stored) == 2:
            second_done.set()
            release.wait(20)
        return outcome

    monkeypatch.setattr(ReturnImporter, "store", store)
    dialog = page.import_paths([province.inbox])
    qtbot.waitUntil(second_done.is_set, timeout=20000)
    assert dialog.stop_button.isEnabled() and dialog.running
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=20000)
    assert not dialog.running and dialog.report is None and dialog.model.rowCount() == 0
    assert dialog.summary.text() == "Đã dừng. Chưa nhập tệp nào: cơ sở dữ liệu không thay đổi."
    assert len(stored) == 2  # the third file was never looked at
    assert dump_tables(province.office) == before
    assert dialog.close_button.isEnabled()


def test_consolidating_and_the_drill_down_to_units_and_files(page: ConsolidationPage, province: Province,
                                                             qtbot) -> None:  # noqa: ANN001
    files = _files(province)
    import_returns(province.office, "MH", [files["on_time"], files["late"]], ImportPolicy(period_code=Q2))
    accept_all(province.office, "MH", Q2)
    page.refresh()
    page.consolidate_action.trigger()
    qtbot.waitUntil(lambda: getattr(page, "last_result", None) is not None, timeout=20000)
    assert page.tabs.currentIndex() == 1
    grid = page.grid_model
    r = next(i for i in range(grid.rowCount()) if grid.row_at(i).code == "2.3")
    assert [grid.data(grid.index(r, c)) for c in (0, 3, 4, 5)] == ["2.3", "16", "1/8", "Cộng"]
    screenshot(page, "consol_grid.png")
    page.grid_view.selectRow(r)
    dialog = page.show_sources()
    model = dialog.model
    rows = {model.row_at(i).unit_code: [model.data(model.index(i, c)) for c in range(7)]
            for i in range(model.rowCount())}
    assert rows["MH.SNV"][2:5] == ["Có số liệu", "16", "16 VB"] and rows["MH.SNV"][5] == files["on_time"].name
    assert rows["MH.SNV"][6] == "18/06/2021 09:30"
    assert rows["MH.STP"][2] == "Để trống" and rows["MH.VP"][2] == "Chưa có báo cáo"
    dialog.resize(1280, 800)
    screenshot(dialog, "consol_drilldown.png")
    dialog.accept()
    # A value typed over the consolidated one is kept at the next run (and shown in yellow).
    r1 = next(i for i in range(grid.rowCount()) if grid.row_at(i).code == "1.1.1")
    assert grid.flags(grid.index(r1, 3)) & Qt.ItemFlag.ItemIsEditable
    assert grid.setData(grid.index(r1, 3), "99")
    page.last_result = None
    page.consolidate_action.trigger()
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=20000)
    assert [c.code for c in page.last_result.conflicts] == ["1.1.1"]
    r1 = next(i for i in range(grid.rowCount()) if grid.row_at(i).code == "1.1.1")
    assert grid.data(grid.index(r1, 3)) == "99" and grid.row_at(r1).conflict
    assert "1 số liệu nhập tay khác số tổng hợp" in page.grid_info.text()


def test_a_hand_made_appendix_is_previewed_and_confirmed(page: ConsolidationPage, province: Province,
                                                         monkeypatch, tmp_path: Path, qtbot) -> None:  # noqa: ANN001
    path = write_seed_appendix(tmp_path / "Báo cáo Sở Tư pháp quý 2.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    page.handmade_action.trigger()
    job = page._handmade_runner
    assert job.dialog.labelText() == "Đang đọc biểu điền tay “Báo cáo Sở Tư pháp quý 2.xlsx”…"
    screenshot(job.dialog, "consol_handmade_progress.png")
    qtbot.waitUntil(lambda: getattr(page, "last_handmade_dialog", None) is not None, timeout=30_000)
    dialog = page.last_handmade_dialog
    assert dialog.isVisible() and page.handmade_action.isEnabled()
    assert dialog.unit_combo.currentData() == "MH.STP"
    assert dialog.tabs.tabText(0) == "Dòng khớp (98)" and dialog.tabs.tabText(1) == "Không khớp, lỗi (0)"
    assert "Đơn vị đoán từ tên tệp: Sở Tư pháp" in dialog.note.text()
    dialog.resize(1280, 800)
    screenshot(dialog, "consol_handmade.png")
    dialog.confirm()
    assert dialog.outcome.outcome == "imported"
    page.refresh()
    row = next(page.board_model.row_at(i) for i in range(page.board_model.rowCount())
               if page.board_model.row_at(i).unit_code == "MH.STP")
    assert row.has_return and row.file_name == path.name
    with province.office.session() as s:
        values = values_by_code(s, find_unit_return(s, "MH.STP", Q2))
    # the file's lines "1.3.1. Tổng số nhiệm vụ được giao … 13" and "1.3.2. … đúng hạn … 6", as typed
    assert values["1.3.1"].value_num == 13 and values["1.3.2"].value_num == 6
    assert all(v.source == "import" for v in values.values())


def test_a_damaged_hand_made_file_is_refused_in_vietnamese_and_nothing_is_stored(
        page: ConsolidationPage, province: Province, monkeypatch, tmp_path: Path, qtbot) -> None:  # noqa: ANN001
    from gui.jobs import running_jobs

    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append((title, text)))
    path = tmp_path / "Biểu xã An Lạc.xlsx"
    path.write_bytes(b"PK\x03\x04 day khong phai tep Excel")
    before = dump_tables(province.office)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    page.handmade_action.trigger()
    qtbot.waitUntil(lambda: bool(warnings) and running_jobs() == 0, timeout=30_000)
    title, text = warnings[0]
    assert title == "Không đọc được biểu" and "Biểu xã An Lạc.xlsx" in text
    assert "Traceback" not in text and "Error" not in text
    assert getattr(page, "last_handmade_dialog", None) is None and page.handmade_action.isEnabled()
    assert dump_tables(province.office) == before


def test_blank_forms_are_sent_to_the_units_that_have_not_reported(page: ConsolidationPage, province: Province,
                                                                  monkeypatch, tmp_path: Path, qtbot) -> None:  # noqa: ANN001
    import openpyxl

    from core.intake.handmade import read_handmade
    from core.reports.workbook_writer import BLANK_FORM_MARK

    assert page.blank_forms_action.isEnabled() and page.blank_forms_action.text() == "Gửi biểu mẫu trống…"
    missing = [r.unit_code for r in page.board.missing_rows]
    assert len(missing) >= 6  # nobody has sent a return for Quý II yet
    out = tmp_path / "bieu_trong"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    page.blank_forms_action.trigger()
    assert not page.blank_forms_action.isEnabled()  # written off the GUI thread; the action waits for it
    qtbot.waitUntil(lambda: getattr(page, "last_blank_forms", None) is not None, timeout=30_000)
    assert page.blank_forms_action.isEnabled()
    files = page.last_blank_forms
    assert sorted(f.name for f in out.iterdir()) == sorted(f.name for f in files) and len(files) == len(missing)
    assert page.notice.text().startswith(f"Đã lập {len(missing)} biểu mẫu trống kỳ Quý II/2021 trong thư mục {out}: ")
    assert "Nhập biểu điền tay" in page.notice.text()
    screenshot(page, "consol_blank_forms.png")
    stp = next(f for f in files if "_MH.STP_" in f.name)
    wb = openpyxl.load_workbook(stp)
    assert wb.properties.keywords == BLANK_FORM_MARK and "QUÝ II NĂM 2021 CỦA SỞ TƯ PHÁP" in wb.active["A3"].value
    with province.office.session() as s:
        preview = read_handmade(s, stp, parent="MH")
    assert preview.guessed_unit == ("MH.STP", "Sở Tư pháp") and preview.guessed_period == Q2
    assert preview.blank_form and not preview.unmatched and preview.missing == []
    # A unit selected on the board gets its own form only.
    page.select_unit("MH.SNV")
    assert [r.unit_code for r in page.blank_form_units()] == ["MH.SNV"]


def test_cancelling_the_blank_forms_leaves_the_folder_empty(page: ConsolidationPage, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QPushButton

    from gui.jobs import running_jobs

    out = tmp_path / "bieu_trong"
    out.mkdir()
    n = len(page.board.missing_rows)
    job = page.send_blank_forms(out)
    assert job.dialog.labelText() == f"Đang lập biểu mẫu trống cho {n} đơn vị…"
    with qtbot.waitSignal(job.progressed, timeout=30_000):  # the first unit's form is being written
        pass
    screenshot(job.dialog, "consol_blank_forms_progress.png")
    cancel = next(b for b in job.dialog.findChildren(QPushButton) if b.text() == "Hủy")
    cancel.click()  # "Hủy"
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=30_000)
    assert list(out.iterdir()) == []  # no form, and no hidden folder left behind
    assert page.notice.text() == "Đã hủy: chưa lập biểu mẫu trống nào."
    assert getattr(page, "last_blank_forms", None) is None and page.blank_forms_action.isEnabled()


def test_blank_forms_into_a_folder_that_cannot_be_written_are_refused_in_vietnamese(
        page: ConsolidationPage, qtbot, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append((title, text)))
    not_a_folder = tmp_path / "ghi_chu.txt"
    not_a_folder.write_text("không phải thư mục", encoding="utf-8")
    page.send_blank_forms(not_a_folder)
    qtbot.waitUntil(lambda: bool(warnings), timeout=30_000)
    title, text = warnings[0]
    assert title == "Chưa lập được biểu mẫu trống"
    assert text.startswith(f"Không ghi được biểu mẫu trống vào thư mục “{not_a_folder}”: thư mục không ghi được")
    assert not_a_folder.read_text(encoding="utf-8") == "không phải thư mục"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no hidden folder left behind
