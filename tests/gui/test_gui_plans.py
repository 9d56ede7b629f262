"""Kế hoạch & nhiệm vụ as a user drives it (pytest-qt, offscreen, the real demo database and real .xlsx files)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from core.appdata import attachments_dir
from core.org.units import fold, get_unit, unit_tree
from core.plans.store import plans_for_unit
from core.plans.task_list import task_detail, task_statuses
from db.engine import open_database
from db.models import Period, TaskProgress
from gui.app import make_application
from gui.pages.plans_page import PlansPage
from gui.task_models import KIND_ROLE, OVERDUE_TEXT, TASK_ID_ROLE
from tests.conftest import dump_tables
from tests.helpers.plan_tables import demo_db_copy, write_002, write_provincial

WAIT = 60_000  # generous: the tests wait for worker threads, they never time them


@pytest.fixture
def db(tmp_path):
    database = open_database(demo_db_copy(tmp_path / "cchc.db"))
    yield database
    database.close()


@pytest.fixture
def unit_id(db) -> int:
    with db.session() as s:
        return get_unit(s, "MH").id


@pytest.fixture
def page(qtbot, db, unit_id):
    make_application()
    p = PlansPage(db)
    qtbot.addWidget(p)
    p.resize(1060, 720)
    p.show()
    qtbot.waitExposed(p)
    p.set_context(unit_id, "2021-H1")
    yield p
    for dlg in (p.import_dialog,):
        if dlg is not None and dlg.busy:
            qtbot.waitUntil(lambda d=dlg: not d.busy, timeout=WAIT)


def _tasks(model, parent=None):
    """(task id, STT, kind) of every row under ``parent`` (depth first), areas excluded."""
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    out = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        kind = index.data(KIND_ROLE)
        if kind != "area":
            out.append((index.data(TASK_ID_ROLE), index.data(), kind))
        out += _tasks(model, index)
    return out


def _task_rows(model):
    return [t for t in _tasks(model) if t[2] == "task"]


def _task_id(db, numeral: str, number: str, period: str = "2021-H1") -> int:
    with db.session() as s:
        plan = plans_for_unit(s, get_unit(s, "MH").id)[0]
        return next(r.id for r in task_statuses(s, plan.id, period)
                    if r.area_numeral == numeral and r.number == number)


# --- tree and filters ------------------------------------------------------------------------------

def test_tree_groups_the_38_demo_tasks_under_7_areas_with_activities_as_children(page):
    model = page.model
    areas = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert len(areas) == 7 and areas[0] == "I. Cải cách thể chế" and areas[-1].startswith("VII. ")
    assert all(page.tree.isFirstColumnSpanned(r, model.index(r, 0).parent()) for r in range(7))
    assert len(_task_rows(model)) == 38 and model.task_count == 38
    activities = [t for t in _tasks(model) if t[2] == "activity"]
    assert activities and all(model.index(0, 1, model.index_of_task(t[0])).data().startswith("Hoạt động: ")
                              for t in activities[:1])
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header == ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện", "Hạn", "Trạng thái",
                      "% hoàn thành"]
    assert page.count_label.text() == "38 nhiệm vụ"
    assert page.plan_table.item(0, 0).text() == "751/QĐ-UBND"
    assert page.plan_table.item(0, 2).text() == "2021"


def test_overdue_filter_shows_only_overdue_tasks_in_red(page, db):
    page.set_context(page.unit_id, "2021-Y")
    with db.session() as s:
        expected = {r.id for r in task_statuses(s, page.plan_id, "2021-Y") if r.overdue}
    assert expected, "the demo has overdue tasks at the end of 2021"
    page.tabs.setCurrentIndex(1)
    page.overdue_filter.setChecked(True)
    shown = _task_rows(page.model)
    assert {t[0] for t in shown} == expected
    for task_id, _, _ in shown:
        index = page.model.index_of_task(task_id)
        status = page.model.index(index.row(), 5, index.parent())
        assert status.data() == "Quá hạn chưa hoàn thành"
        assert status.data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_TEXT
    assert page.count_label.text() == f"Đang lọc: {len(expected)}/38 nhiệm vụ"
    page.clear_filters()
    assert len(_task_rows(page.model)) == 38 and not page.overdue_filter.isChecked()


def test_area_status_lead_due_and_text_filters(page, db):
    page.area_filter.setCurrentIndex(page.area_filter.findData("VI"))
    assert len(_task_rows(page.model)) == 13
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == [
        "VI. Xây dựng và phát triển Chính phủ điện tử"]
    page.status_filter.setCurrentIndex(page.status_filter.findData("done_on_time"))
    assert len(_task_rows(page.model)) == 5
    page.clear_filters()
    page.search.setText("phap luat")  # without diacritics, as people type
    with db.session() as s:
        rows = task_statuses(s, page.plan_id, "2021-H1")
    def text(r):
        return fold(" ".join(filter(None, [r.title, r.lead, r.partners, r.timeframe_text,
                                           *(a.title for a in r.activities)])))

    expected = {r.id for r in rows if "phap" in text(r) and "luat" in text(r)}  # every word, anywhere
    assert 0 < len(expected) < 38
    assert {t[0] for t in _task_rows(page.model)} == expected
    page.search.setText("VI.7")  # a task by its number
    assert [t[1] for t in _task_rows(page.model)] == ["7"]
    page.clear_filters()
    lead = next(i for i in range(page.lead_filter.count()) if page.lead_filter.itemText(i) == "Sở Tư pháp")
    page.lead_filter.setCurrentIndex(lead)
    with db.session() as s:
        stp = get_unit(s, "MH.STP").id
        expected = {r.id for r in task_statuses(s, page.plan_id, "2021-H1", lead_unit_id=stp)}
    assert {t[0] for t in _task_rows(page.model)} == expected
    page.clear_filters()
    page.due_filter.setChecked(True)
    with db.session() as s:
        expected = {r.id for r in task_statuses(s, page.plan_id, "2021-H1", due_in_period=True)}
    assert {t[0] for t in _task_rows(page.model)} == expected


# --- overview --------------------------------------------------------------------------------------

def test_overview_is_first_and_shows_the_headline_table_and_lists(page):
    assert page.tabs.currentIndex() == 0 and page.tabs.tabText(0) == "Tổng quan"
    assert page.headline.text() == "6 tháng đầu năm 2021: hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"
    table = page.overview.by_area
    assert table.rowCount() == 8  # 7 areas and the total
    assert table.item(0, 0).text() == "I. Cải cách thể chế"
    assert [table.item(7, c).text() for c in (0, 1, 2, 7)] == ["Tổng cộng", "38", "11", "28,95%"]
    assert table.item(5, 7).text() == "38,46%"  # VI: 5/13
    assert page.overview.overdue_box.title() == "Nhiệm vụ quá hạn chưa hoàn thành (0)"


def test_clicking_an_overdue_task_in_the_overview_selects_it_in_the_tree(page, db):
    # In 2021-Y, the tasks completed in 6 tháng đầu năm stay completed; two others are overdue.
    page.set_context(page.unit_id, "2021-Y")
    overdue = page.overview.overdue
    assert overdue.rowCount() == 2 and page.overview.overdue_box.title().endswith("(2)")
    assert overdue.item(0, 0).text().startswith("IV.6")
    assert overdue.item(0, 2).text() == "30/09/2021"
    page.overdue_filter.setChecked(False)
    page.search.setText("không có nhiệm vụ nào như thế")  # a filter that hides it: cleared on click
    plan_id, task_id = overdue.item(1, 0).data(Qt.ItemDataRole.UserRole + 1)
    overdue.cellClicked.emit(1, 0)
    assert page.tabs.currentIndex() == 1
    assert page.current_task_id() == task_id and page.plan_id == plan_id
    assert page.search.text() == ""
    page.tabs.setCurrentIndex(0)
    page.overview.by_area.cellClicked.emit(3, 6)  # IV, quá hạn chưa hoàn thành
    assert page.tabs.currentIndex() == 1
    assert page.area_filter.currentData() == "IV" and page.status_filter.currentData() == "overdue"
    assert len(_task_rows(page.model)) == 2


# --- task detail and progress ----------------------------------------------------------------------

def test_marking_a_task_done_with_a_date_stores_it_and_updates_the_headline(page, db, qtbot):
    task_id = _task_id(db, "I", "1")
    page.tabs.setCurrentIndex(1)
    page._select_in_tree(task_id)
    dlg = page.open_task(task_id)
    panel = dlg.panel
    assert panel.title_label.text().startswith("Quy định chi tiết nội dung")
    assert panel.chosen_status() == "in_progress"
    assert not panel.completed_on.isEnabled()
    panel.set_status("done")
    assert panel.completed_on.isEnabled() and panel.percent.text() == "100"
    panel.completed_on.set_value(date(2021, 6, 10))
    panel.result_text.setPlainText("Ban hành Quyết định số 1234/QĐ-UBND ngày 10/6/2021")
    assert panel.save()
    with db.session() as s:
        d = task_detail(s, task_id, "2021-H1")
    assert (d.entered_status, d.completed_on, d.percent_done) == ("done", date(2021, 6, 10), 100.0)
    assert d.result_text == "Ban hành Quyết định số 1234/QĐ-UBND ngày 10/6/2021"
    assert page.headline.text() == "6 tháng đầu năm 2021: hoàn thành 12/38 nhiệm vụ (đạt 31,58%)"
    assert panel.derived.text().startswith("Hoàn thành đúng hạn")
    assert page.current_task_id() == task_id
    index = page.model.index_of_task(task_id)
    assert page.model.index(index.row(), 5, index.parent()).data() == "Hoàn thành đúng hạn"
    assert not panel.dirty


def test_progress_errors_are_core_messages_and_store_nothing(page, db):
    task_id = _task_id(db, "I", "1")
    before = dump_tables(db)
    panel = page.open_task(task_id).panel
    panel.set_status("done")
    assert not panel.save()
    assert panel.error.text() == "Nhiệm vụ đã hoàn thành cần có ngày hoàn thành."
    panel.completed_on.set_value(date(2021, 7, 1))
    assert not panel.save()
    assert "sau ngày chốt số liệu của kỳ 6 tháng đầu năm 2021 (14/06/2021)" in panel.error.text()
    panel.set_status("in_progress")
    panel.percent.setText("120")
    assert not panel.save()
    assert panel.error.text() == "Tỉ lệ hoàn thành phải từ 0 đến 100% (đã nhập 120)."
    panel.percent.setText("năm mươi")
    assert not panel.save() and "Tỉ lệ hoàn thành" in panel.error.text()
    assert dump_tables(db) == before
    panel.percent.setText("45,5")
    assert panel.save() and not panel.error.isVisible()
    with db.session() as s:
        assert task_detail(s, task_id, "2021-H1").percent_done == 45.5
    assert panel.percent.text() == "45,5"


@pytest.mark.sqlite_only(reason="attachment files beside the SQLite file; a server keeps them in the database")
def test_evidence_is_copied_with_its_vietnamese_name_listed_opened_and_removed(page, db, tmp_path, monkeypatch):
    task_id = _task_id(db, "I", "3")
    src = tmp_path / "văn bản gốc" / "Quyết định 766-QĐ-UBND về rà soát.pdf"
    src.parent.mkdir()
    src.write_bytes(b"%PDF-1.4 quyet dinh 766")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(src), ""))
    panel = page.open_task(task_id).panel
    assert panel.evidence.rowCount() == 0
    ev = panel.add_evidence()
    ev.number.setText("Quyết định số 766/QĐ-UBND")
    ev.day.set_value(date(2021, 4, 26))
    ev.summary.setPlainText("Ban hành Kế hoạch rà soát văn bản QPPL năm 2021")
    ev.choose.click()
    assert ev.file.text() == str(src)
    ev.buttons.accepted.emit()
    assert not ev.isVisible()
    assert panel.evidence.rowCount() == 1
    assert [panel.evidence.item(0, c).text() for c in range(4)] == [
        "Quyết định số 766/QĐ-UBND", "26/04/2021", "Ban hành Kế hoạch rà soát văn bản QPPL năm 2021",
        "Quyết định 766-QĐ-UBND về rà soát.pdf"]
    copied = attachments_dir(db.path) / str(task_id) / "Quyết định 766-QĐ-UBND về rà soát.pdf"
    assert copied.read_bytes() == src.read_bytes()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    panel.select_evidence_row(0)
    assert panel.open_evidence_button.isEnabled()
    panel.open_evidence_button.click()
    assert [Path(u.toLocalFile()) for u in opened] == [copied]
    index = page.model.index_of_task(task_id)
    assert "1 tài liệu kiểm chứng" in page.model.index(index.row(), 5, index.parent()).data(
        Qt.ItemDataRole.ToolTipRole)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.select_evidence_row(0)
    panel.remove_evidence_button.click()
    assert panel.evidence.rowCount() == 0
    assert copied.exists()  # the copy stays: nothing is lost
    with db.session() as s:
        assert task_detail(s, task_id, "2021-H1").evidence == ()


def test_evidence_without_anything_is_refused_in_vietnamese(page, db):
    panel = page.open_task(_task_id(db, "I", "3")).panel
    ev = panel.add_evidence()
    ev.buttons.accepted.emit()
    assert ev.isVisible() and "cần có số/ký hiệu văn bản" in ev.error.text()


def test_carry_forward_copies_the_plan_progress_to_the_next_period(page, db, monkeypatch):
    """After 6 tháng đầu năm the clerk picks Quý III or 9 tháng (issue 11); the copy lands there."""
    page.carry_button.click()
    box = page.carry_box
    assert box is not None and box.isVisible()
    assert "từ kỳ 6 tháng đầu năm 2021 sang kỳ Quý III/2021 hoặc 9 tháng năm 2021" in box.text()
    choices = {b.text(): b for b in box.buttons()}
    assert set(choices) == {"Sang Quý III/2021", "Sang 9 tháng năm 2021", "Hủy"}
    choices["Sang 9 tháng năm 2021"].click()
    assert page.notice.text().startswith("Đã chuyển tiến độ của 38 nhiệm vụ sang kỳ mới.")
    assert "Chọn kỳ 9 tháng năm 2021" in page.notice.text()
    task_id = _task_id(db, "I", "3")
    with db.session() as s:
        in_q3 = select(TaskProgress).join(Period).where(Period.code == "2021-Q3")
        assert s.scalars(in_q3).first() is None  # copied to the chosen period only
        d = task_detail(s, task_id, "2021-9M")
    assert d.entered_status == "done" and d.result_text and d.state.record.kind == "recorded"


def test_carry_forward_from_quy_iii_goes_to_quy_iv(page, db, monkeypatch):
    """Issue 11, case 6: from Quý III the next period is Quý IV, not 9 tháng (which ends the same day and failed)."""
    page.set_context(page.unit_id, "2021-Q3")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    page.carry_button.click()
    assert "từ kỳ Quý III/2021 sang kỳ Quý IV/2021" in asked[0]
    assert warned == [] and page.notice.text().startswith("Đã chuyển tiến độ của 38 nhiệm vụ sang kỳ mới.")
    with db.session() as s:
        vii1 = task_detail(s, _task_id(db, "VII", "1"), "2021-Q4")
    assert vii1.status == "done_on_time" and [e.document_number for e in vii1.evidence] == [
        "Quyết định số 752/QĐ-UBND"]


def test_date_field_blank_means_no_date(qtbot):
    from gui.date_field import DateField

    make_application()
    field = DateField()
    qtbot.addWidget(field)
    assert field.value() is None and field.edit.text() == "(chưa ghi)"
    field.set_value(date(2021, 6, 10))
    assert field.value() == date(2021, 6, 10) and field.edit.text() == "10/06/2021"
    field.clear_button.click()
    assert field.value() is None


# --- importing a plan ------------------------------------------------------------------------------

def _open_import(page, qtbot, monkeypatch, path: Path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    dlg = page.import_plan()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    return dlg


def test_import_shows_the_preview_and_after_nhap_the_plan_is_selected(page, db, qtbot, monkeypatch, tmp_path):
    path = tmp_path / "Phụ lục kế hoạch CCHC 2021.xlsx"
    expected = write_002(path)
    dlg = _open_import(page, qtbot, monkeypatch, path)
    assert dlg.counts.text() == f"7 lĩnh vực · 38 nhiệm vụ · {expected['activities']} hoạt động"
    assert dlg.areas.topLevelItemCount() == 7
    first = dlg.areas.topLevelItem(0)
    numeral, title, numbers = expected["areas"][0]
    assert first.text(0) == f"{numeral}. {title} — {len(numbers)} nhiệm vụ ({', '.join(numbers)})"
    assert first.childCount() == len(numbers)
    assert dlg.title_edit.text() == "KẾ HOẠCH TRIỂN KHAI CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2021"
    assert dlg.year_spin.value() == 2021
    notes = [dlg.review.topLevelItem(i).text(0) for i in range(dlg.review.topLevelItemCount())]
    assert any(n.startswith("Ghi chú khi đọc bảng") for n in notes)  # cells filled from the row above
    assert dlg.import_button.isEnabled()
    dlg.title_edit.setText("Kế hoạch CCHC năm 2021 (bản nhập lại)")
    dlg.number_edit.setText("752/QĐ-UBND")
    with qtbot.waitSignal(dlg.imported, timeout=WAIT):
        dlg.import_button.click()
    with db.session() as s:
        plans = plans_for_unit(s, page.unit_id)
        new = next(p for p in plans if p.document_number == "752/QĐ-UBND")
        assert (new.title, len(new.tasks)) == ("Kế hoạch CCHC năm 2021 (bản nhập lại)", 38)
    assert page.plan_id == new.id and page.tabs.currentIndex() == 1
    row = page.plan_table.currentRow()
    assert page.plan_table.item(row, 1).text() == "Kế hoạch CCHC năm 2021 (bản nhập lại)"
    assert len(_task_rows(page.model)) == 38
    assert page.notice.text() == "Đã nhập kế hoạch: 38 nhiệm vụ."


def _damaged(path: Path) -> Path:
    full = path.with_name("đủ.xlsx")
    write_002(full)
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _password(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    return path


def _no_header(path: Path) -> Path:
    wb = Workbook()
    wb.active.append(["Họ tên", "Chức vụ", "Điện thoại"])
    wb.save(path)
    return path


def _empty(path: Path) -> Path:
    Workbook().save(path)
    return path


@pytest.mark.parametrize("make,name,message", [
    (_damaged, "hỏng.xlsx", "bị hỏng"),
    (_password, "mật khẩu.xlsx", "được đặt mật khẩu"),
    (_no_header, "danh sách.xlsx", "Không tìm thấy dòng tiêu đề"),
    (_empty, "trống.xlsx", "bảng tính trống"),
], ids=["damaged", "password", "no-header", "empty"])
def test_a_bad_file_shows_the_vietnamese_message_and_stores_nothing(page, db, qtbot, monkeypatch, tmp_path,
                                                                  make, name, message):
    path = make(tmp_path / name)
    before = dump_tables(db)
    dlg = _open_import(page, qtbot, monkeypatch, path)
    assert message in dlg.banner.text() and "Chưa nhập gì vào cơ sở dữ liệu." in dlg.banner.text()
    assert dlg.banner.isVisible() and not dlg.body.isVisible()
    assert not dlg.import_button.isEnabled()
    dlg.do_import()  # even if forced: nothing to import
    assert dump_tables(db) == before


def test_a_failure_while_storing_rolls_back_and_is_shown(page, db, qtbot, monkeypatch, tmp_path):
    import core.plans.table_import as pi
    from core.plans.table_headers import PlanImportError

    path = tmp_path / "kế hoạch.xlsx"
    write_provincial(path)
    before = dump_tables(db)
    real = pi.store_plan

    def store_then_fail(session, unit, draft):
        real(session, unit, draft)
        session.flush()
        raise PlanImportError("Lỗi giả lập sau khi đã ghi.")

    monkeypatch.setattr(pi, "store_plan", store_then_fail)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    dlg = _open_import(page, qtbot, monkeypatch, path)
    dlg.units.item(0, 1).setCheckState(Qt.CheckState.Checked)  # a unit would be created too
    dlg.import_button.click()
    qtbot.waitUntil(lambda: bool(warned), timeout=WAIT)
    assert warned[0].startswith("Lỗi giả lập sau khi đã ghi.") and "Chưa nhập gì" in warned[0]
    assert dlg.isVisible() and dlg.import_button.isEnabled()
    assert dump_tables(db) == before


def test_cancelling_an_import_stores_nothing(page, db, qtbot, monkeypatch, tmp_path):
    import gui.plan_import_dialog as dialog_module

    path = tmp_path / "kế hoạch.xlsx"
    write_provincial(path)
    before = dump_tables(db)
    release = threading.Event()
    stored = threading.Event()
    real = dialog_module.import_plan_file

    def slow_import(*args, **kwargs):
        plan = real(*args, **kwargs)
        stored.set()
        release.wait(WAIT / 1000)
        return plan

    monkeypatch.setattr(dialog_module, "import_plan_file", slow_import)
    dlg = _open_import(page, qtbot, monkeypatch, path)
    dlg.import_button.click()
    qtbot.waitUntil(stored.is_set, timeout=WAIT)
    job = dlg.job
    with qtbot.waitSignal(job.cancelled, timeout=WAIT):
        job.dialog.canceled.emit()  # the "Hủy" button of the progress dialog
    release.set()
    from gui.jobs import running_jobs

    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
    assert "Đã hủy. Chưa nhập gì" in dlg.banner.text()
    assert dump_tables(db) == before


def test_an_ambiguous_mapping_needs_a_choice_before_nhap(page, db, qtbot, monkeypatch, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"])
    ws.append(["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Cơ quan thực hiện", "Thời gian"])
    ws.append(["1", "Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "Sở Nội vụ", "Quý I/2022"])
    path = tmp_path / "hai cột chủ trì.xlsx"
    wb.save(path)
    dlg = _open_import(page, qtbot, monkeypatch, path)
    assert dlg.preview.ambiguous and not dlg.import_button.isEnabled()
    assert "Không rõ cột nào là “Cơ quan chủ trì”" in dlg.banner.text()
    assert dlg.tabs.currentIndex() == 1 and dlg.tabs.tabText(1) == "Cột của bảng (2 cần chọn)"
    assert dlg.column_combos["C"].currentText() == "— Chọn —"
    dlg.do_import()
    assert not dlg.busy and dlg.plan_id is None
    dlg.set_column("C", "lead")
    qtbot.waitUntil(lambda: not dlg.busy and dlg.preview is not None, timeout=WAIT)
    assert not dlg.preview.ambiguous and dlg.import_button.isEnabled()
    assert dlg.column_combos["C"].currentData() == "lead"
    assert dlg.preview.mapping["C"] == "lead"
    with qtbot.waitSignal(dlg.imported, timeout=WAIT):
        dlg.import_button.click()
    with db.session() as s:
        rows = task_statuses(s, dlg.plan_id, "2022-Q1")
    assert [(r.number, r.lead_unit_name) for r in rows] == [("1", "Sở Tư pháp")]


def test_the_columns_chosen_once_are_offered_for_the_next_plan_with_the_same_header(page, db, qtbot, monkeypatch,
                                                                                    tmp_path):
    def plan(name: str, year: int, task: str) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.append([f"KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {year}"])
        ws.append(["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Cơ quan thực hiện", "Thời gian"])
        ws.append(["1", task, "Sở Tư pháp", "Sở Nội vụ", f"Quý I/{year}"])
        wb.save(tmp_path / name)
        return tmp_path / name

    dlg = _open_import(page, qtbot, monkeypatch, plan("kh2022.xlsx", 2022, "Rà soát văn bản"))
    assert dlg.preview.ambiguous and dlg.saved_from is None
    dlg.set_column("C", "lead")
    qtbot.waitUntil(lambda: not dlg.busy and dlg.preview is not None, timeout=WAIT)
    with qtbot.waitSignal(dlg.imported, timeout=WAIT):
        dlg.import_button.click()
    # Next year's plan, same header: the columns come as chosen, and the dialog says where from.
    dlg = _open_import(page, qtbot, monkeypatch, plan("kh2023.xlsx", 2023, "Công khai TTHC"))
    assert not dlg.preview.ambiguous and dlg.preview.mapping["C"] == "lead" and dlg.import_button.isEnabled()
    assert dlg.column_combos["C"].currentData() == "lead"
    assert "Dùng cách chọn cột đã lưu khi nhập tệp “kh2022.xlsx”" in dlg.banner.text()
    dlg.resize(1100, 700)
    dlg.grab().save("/tmp/plan_import_saved_mapping.png")
    with qtbot.waitSignal(dlg.imported, timeout=WAIT):
        dlg.import_button.click()
    with db.session() as s:
        from core.import_mappings import list_mappings

        (saved,) = list_mappings(s)
        assert saved.use_count == 1 and saved.mapping["C"] == "lead"


def test_unknown_units_are_unticked_and_created_only_when_ticked(page, db, qtbot, monkeypatch, tmp_path):
    path = tmp_path / "kế hoạch tỉnh 2022.xlsx"
    write_provincial(path)
    dlg = _open_import(page, qtbot, monkeypatch, path)
    names = [dlg.units.item(r, 0).text() for r in range(dlg.units.rowCount())]
    assert names == ["Bưu điện tỉnh"]
    assert dlg.units.item(0, 1).checkState() == Qt.CheckState.Unchecked
    assert dlg.units_to_create() == []
    dlg.units.item(0, 1).setCheckState(Qt.CheckState.Checked)
    seen = []
    page.units_changed.connect(lambda: seen.append(True))
    with qtbot.waitSignal(dlg.imported, timeout=WAIT):
        dlg.import_button.click()
    with db.session() as s:
        assert "Bưu điện tỉnh" in [u.name for u in unit_tree(s)]
    assert seen and "Đã thêm vào danh mục đơn vị: Bưu điện tỉnh." in page.notice.text()


def test_file_menu_opens_the_import(qtbot, tmp_path, monkeypatch):
    from gui.app import open_for_gui
    from gui.main_window import MainWindow

    make_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    database = open_for_gui(demo_db_copy(tmp_path / "gui.db"), demo=True)
    try:
        w = MainWindow(database)
        qtbot.addWidget(w)
        w.nav.setCurrentRow(3)
        path = tmp_path / "kế hoạch.xlsx"
        write_provincial(path)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        menu = [a for a in w.menuBar().actions() if "Tệp" in a.text()][0].menu()
        action = [a for a in menu.actions() if a.text() == "Nhập kế hoạch từ Excel…"][0]
        action.trigger()
        page = w.pages[0]
        assert w.nav.currentRow() == 1 and page.import_dialog is not None
        dlg = page.import_dialog
        qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
        assert dlg.counts.text() == "2 lĩnh vực · 3 nhiệm vụ · 6 hoạt động"
        dlg.units.item(0, 1).setCheckState(Qt.CheckState.Checked)
        with qtbot.waitSignal(dlg.imported, timeout=WAIT):
            dlg.import_button.click()
        names = [w.unit_combo.itemText(i).strip() for i in range(w.unit_combo.count())]
        assert "Bưu điện tỉnh" in names and w.unit_combo.currentText() == "UBND tỉnh Minh Họa"
        w.close()
    finally:
        database.close()


def test_progress_of_a_period_not_yet_in_the_database(page, db):
    """Any period of the combo works: the first save creates the period."""
    page.set_context(page.unit_id, "2021-9M")
    # Nothing recorded for 9M yet: the 11 tasks completed in 6 tháng đầu năm still count.
    assert page.headline.text().startswith("9 tháng năm 2021: hoàn thành 11/38 nhiệm vụ")
    task_id = _task_id(db, "II", "2", "2021-9M")
    panel = page.open_task(task_id).panel
    panel.set_status("in_progress")
    panel.percent.setText("60")
    assert panel.save()
    with db.session() as s:
        rows = {r.id: r for r in task_statuses(s, page.plan_id, "2021-9M")}
        assert rows[task_id].percent_done == 60 and rows[task_id].has_progress
        assert task_detail(s, task_id, "2021-9M").entered_status == "in_progress"


def test_a_job_reports_work_that_finished_after_cancel(qtbot):
    """Cancelling too late (the work had committed, no progress call left) is reported, not hidden."""
    from PySide6.QtWidgets import QWidget

    from gui.jobs import Job, running_jobs

    make_application()
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    late, cancelled = [], []
    job = Job(parent, lambda progress: release.wait(WAIT / 1000) and "xong", late.append)
    job.on_cancel(lambda: cancelled.append(True)).run_in_background()
    job.cancel()
    assert cancelled == [True] and job.was_cancelled and not job.running
    release.set()
    qtbot.waitUntil(lambda: late == ["xong"] and running_jobs() == 0, timeout=WAIT)


def test_enter_on_a_task_opens_its_detail_and_unsaved_changes_are_asked_about(page, db, qtbot, monkeypatch):
    task_id = _task_id(db, "I", "1")
    page.tabs.setCurrentIndex(1)
    page._select_in_tree(task_id)
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    dlg = page.detail_dialog
    assert dlg is not None and dlg.isVisible() and dlg.panel.task_id == task_id
    assert dlg.panel.heading.text().startswith("Nhiệm vụ I.1: ")
    dlg.panel.difficulties.setPlainText("Chưa có hướng dẫn của Bộ.")
    assert dlg.panel.dirty
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    dlg.reject()
    assert dlg.isVisible()  # kept open: nothing typed is lost
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    dlg.reject()
    assert not dlg.isVisible()
    with db.session() as s:
        assert task_detail(s, task_id, "2021-H1").difficulties == "Chưa có hướng dẫn của Bộ."


# --- issue 11, case 2: one state per task per period -----------------------------------------------------

VII1_RESULT = "Ban hành Kế hoạch tuyên truyền CCHC năm 2021"
CARRIED_NOTE = "Tiến độ chuyển từ kỳ 6 tháng đầu năm 2021 (chưa ghi nhận trong kỳ này)."


def test_case2_quy_iii_detail_opens_on_the_carried_state_and_an_untouched_save_changes_nothing(page, db):
    """VII.1 was completed in 6 tháng đầu năm 2021. In Quý III its detail opens on that state with its
    evidence; pressing "Lưu tiến độ" untouched writes nothing, the headline and the submitted 1.1.2 stay."""
    from core.returns.entry import apply_edits, open_return
    from core.returns.store import values_by_code
    from core.returns.workflow import submit_return
    from tests.helpers.returns_helpers import with_kps

    page.set_context(page.unit_id, "2021-Q3")
    headline = page.headline.text()
    task_id = _task_id(db, "VII", "1", "2021-Q3")
    index = page.model.index_of_task(task_id)
    status_cell = page.model.index(index.row(), 5, index.parent())
    assert status_cell.data() == "Hoàn thành đúng hạn"
    assert "chuyển từ kỳ 6 tháng đầu năm 2021" in status_cell.data(Qt.ItemDataRole.ToolTipRole)
    panel = page.open_task(task_id).panel
    assert panel.chosen_status() == "done" and panel.derived.text().startswith("Hoàn thành đúng hạn")
    assert (panel.percent.text(), panel.result_text.toPlainText()) == ("100", VII1_RESULT)
    assert panel.provenance.isVisible() and panel.provenance.text() == CARRIED_NOTE
    assert panel.evidence_box.title() == "Tài liệu kiểm chứng (1)"
    assert [panel.evidence.item(0, c).text() for c in range(5)] == [
        "Quyết định số 752/QĐ-UBND", "26/12/2020", "Kế hoạch tuyên truyền công tác CCHC năm 2021", "",
        "6 tháng đầu năm 2021"]
    assert not panel.dirty
    assert headline == "Quý III/2021: hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"

    before = dump_tables(db)
    panel.save_button.click()
    assert panel.info.text() == "Không có gì thay đổi." and not panel.error.isVisible()
    assert dump_tables(db) == before  # no record, no audit entry
    assert page.headline.text() == headline
    assert panel.chosen_status() == "done" and panel.evidence.rowCount() == 1

    # The rest of the return answered "Không phát sinh" (no blank row is submitted); 1.1.1/1.1.2 come from the plan.
    rest = [(c, v) for c, v in with_kps("tinh", {}).items() if c not in ("1.1.1", "1.1.2")]
    with db.transaction() as s:
        ret = open_return(s, "MH", "2021-Q3")
        assert apply_edits(s, ret.id, rest).applied
        submit_return(s, ret.id)
    with db.session() as s:
        values = values_by_code(s, open_return(s, "MH", "2021-Q3", refresh=False))
        assert (values["1.1.1"].value_num, values["1.1.2"].value_num) == (38, 11)


def test_removing_a_carried_document_in_quy_iii_keeps_it_in_the_six_month_record(page, db, monkeypatch):
    page.set_context(page.unit_id, "2021-Q3")
    task_id = _task_id(db, "VII", "1", "2021-Q3")
    panel = page.open_task(task_id).panel
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.select_evidence_row(0)
    panel.remove_evidence_button.click()
    assert panel.evidence.rowCount() == 0
    with db.session() as s:
        assert task_detail(s, task_id, "2021-Q3").evidence == ()
        assert [e.document_number for e in task_detail(s, task_id, "2021-H1").evidence] == [
            "Quyết định số 752/QĐ-UBND"]
        assert task_detail(s, task_id, "2021-Q3").status == "done_on_time"


def test_switching_a_task_to_done_sets_100_percent_and_the_save_goes_through(page, db):
    # issue 15: "Hoàn thành" kept 60,5 % and the save was then refused
    task_id = _task_id(db, "I", "1")
    panel = page.open_task(task_id).panel
    panel.percent.setText("60,5")
    assert panel.save()
    panel.set_status("done")
    assert panel.percent.text() == "100"
    panel.completed_on.set_value(date(2021, 6, 10))
    assert panel.save(), panel.error.text()
    with db.session() as s:
        assert task_detail(s, task_id, "2021-H1").percent_done == 100.0
    panel.set_status("in_progress")  # changed one's mind: the figure typed before comes back
    assert panel.percent.text() == "60,5"


def test_a_tasks_expand_arrow_sits_beside_its_first_line(page, db, qtbot):
    # issue 15: in a row of three lines the arrow was centred, so it looked like a line of its own
    page.tabs.setCurrentIndex(1)
    page.resize(1100, 700)
    tree = page.tree
    task_id = _task_id(db, "I", "2")  # has two activities under it: an expandable row
    index = tree.model().index_of_task(task_id)
    tree.scrollTo(index)
    qtbot.waitUntil(lambda: tree.visualRect(index).height() > 2 * tree.fontMetrics().height())
    rect = tree.visualRect(index)
    image = tree.viewport().grab().toImage()
    dark = [y for y in range(rect.top(), rect.bottom())
            for x in range(max(0, rect.left() - tree.indentation()), rect.left())
            if image.pixelColor(x, y).lightness() < 140]
    assert dark, "no arrow drawn"
    assert max(dark) < rect.top() + tree.fontMetrics().height() + 8
