"""The return workbook: what the level above sees and imports, re-read with openpyxl."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from core.forms import current_template
from core.org.units import get_unit
from core.periods import parse_period_code
from core.reports.seal import seal_sha256
from core.reports.workbook_format import DATA_SHEET, FORMAT_MARK, STATS_SHEET, TASKS_SHEET
from core.reports.workbook_reader import EditedCell, ReturnWorkbookError, read_return_workbook
from core.reports.workbook_writer import export_return_xlsx
from core.returns.report_collect import collect_return_export
from core.returns.report_model import sha256_of_content
from core.returns.store import find_return, form_rows, reopen, set_value
from core.values import split_footnote
from db.models import Period, Task, TaskProgress

H1 = "2021-H1"


def _export(db, folder: Path, name: str = "out.xlsx", **kw) -> Path:  # noqa: ANN001
    with db.session() as s:
        data = collect_return_export(s, "MH", H1)
    return export_return_xlsx(data, folder / name, **kw).path


def _edit_values(db, changes: dict[str, tuple[object, str | None]]) -> None:  # noqa: ANN001
    with db.transaction() as s:
        unit = get_unit(s, "MH")
        period = s.scalar(select(Period).where(Period.code == H1))
        ret = find_return(s, unit, period, current_template(s))
        if ret.status == "submitted":
            reopen(s, ret, "sửa để kiểm thử")
        for code, (raw, note) in changes.items():
            set_value(s, ret, code, raw, note)


def _db_rows(db):  # noqa: ANN001, ANN202
    with db.session() as s:
        unit = get_unit(s, "MH")
        period = s.scalar(select(Period).where(Period.code == H1))
        template = current_template(s)
        return form_rows(s, template.id, find_return(s, unit, period, template))


def _cells(path: Path) -> dict[str, tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    out = {}
    for row in wb[DATA_SHEET].iter_rows(values_only=True):
        if row[0] == "cell":
            out[row[1]] = (row[3], row[5])
    return out


# --------------------------------------------------------------------------- values


def test_every_value_is_under_its_code_blanks_blank_numbers_numbers(demo_db, tmp_path: Path) -> None:
    path = _export(demo_db, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STATS_SHEET]
    cells = _cells(path)
    rows = [r for r in _db_rows(demo_db) if r.kind == "value"]
    assert len(rows) == len(cells) > 90
    blanks = zeros = 0
    for r in rows:
        value_cell, note_cell = cells[r.code]
        row_no = ws[value_cell].row
        # The row is the indicator's row: its STT (or "Trong đó") and its name.
        assert ws.cell(row_no, 2).value.split("\n")[0] == r.name, r.code  # definitions follow the name
        if not r.breakdown:
            assert ws.cell(row_no, 1).value == f"{r.code}.", r.code
        got = ws[value_cell].value
        if r.number is None:
            assert got is None, r.code  # blank stays blank, never 0 or ""
            blanks += 1
        else:
            assert isinstance(got, (int, float)) and not isinstance(got, bool), r.code
            assert got == pytest.approx(r.number), r.code
            assert ws[value_cell].data_type == "n"
            zeros += got == 0
        assert (ws[note_cell].value or "") == split_footnote(r.note)[0], r.code  # the footnote under the table
    assert blanks > 0 and zeros > 0  # the seed has both "no data" and real zeros
    # Spot checks against the seed appendix (004).
    by_code = {r.code: ws[cells[r.code][0]].value for r in rows}
    assert by_code["1.4.1"] == 3133
    assert by_code["3.1.3"] == 1964
    assert by_code["3.4.2"] == pytest.approx(72.8)
    assert by_code["1.3.3"] == 0
    assert by_code["7.6.2"] is None


def test_number_formats_and_coded_answers(demo_db, tmp_path: Path) -> None:
    path = _export(demo_db, tmp_path)
    ws = openpyxl.load_workbook(path)[STATS_SHEET]
    cells = _cells(path)
    assert ws[cells["1.4.1"][0]].number_format == "#,##0"  # Excel shows 3.133 on a Vietnamese Windows
    assert ws[cells["3.4.2"][0]].number_format == "#,##0.0"  # 72,8
    assert ws[cells["7.8.3"][0]].number_format == "#,##0.00"  # 69,13
    assert ws[cells["3.3.3"][0]].number_format == "#,##0"  # 100 (a whole percentage)
    # A coded answer holds the code; its meanings are in the unit column.
    cell = ws[cells["7.3"][0]]
    assert cell.value == 2 and cell.number_format == "0"
    meanings = ws.cell(cell.row, 3).value
    assert meanings.split("\n") == ["Chưa = 0", "Đang làm = 1", "Hoàn thành = 2"]
    assert ws.cell(ws[cells["5.3.1"][0]].row, 3).value.split("\n") == ["Đã thực hiện = 1", "Chưa thực hiện = 0"]


def test_layout_title_header_groups(demo_db, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_export(demo_db, tmp_path))[STATS_SHEET]
    assert ws["A1"].value == "Phụ lục I"
    assert ws["A2"].value == "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
    assert ws["A3"].value == "6 THÁNG ĐẦU NĂM 2021 CỦA ỦY BAN NHÂN DÂN TỈNH MINH HỌA"
    assert ws["A4"].value.startswith("(Kèm theo Báo cáo số") and "Ủy ban nhân dân tỉnh Minh Họa" in ws["A4"].value
    assert ws["A4"].font.i
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:E1", "A6:A7", "B6:B7", "C6:D6", "E6:E7"} <= merged
    assert [ws.cell(6, c).value for c in (1, 2, 3, 5)] == [
        "STT", "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)", "Kết quả thống kê", "Ghi chú"]
    assert [ws.cell(7, c).value for c in (3, 4)] == ["Đơn vị tính", "Số liệu"]
    # Group rows bold, "Trong đó" rows italic, as in the seed.
    assert ws["A8"].value == "1." and ws["B8"].font.b
    row_1_1_1 = next(r for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value == "1.1.1.")
    assert not ws.cell(row_1_1_1, 2).font.b
    trong_do = next(r for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value == "Trong đó")
    assert ws.cell(trong_do, 2).value == "Số TTHC cấp tỉnh" and ws.cell(trong_do, 2).font.i  # no colon added
    assert ws.cell(row_1_1_1, 2).font.name == "Times New Roman"
    assert ws.cell(row_1_1_1, 2).alignment.wrap_text


def test_print_ready(demo_db, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_export(demo_db, tmp_path))
    expected = {STATS_SHEET: ("landscape", "$6:$7"), TASKS_SHEET: ("landscape", "$6:$6")}
    for name, (orientation, titles) in expected.items():
        ws = wb[name]
        assert ws.page_setup.paperSize in (9, "9")  # A4
        assert ws.page_setup.orientation == orientation
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == titles
        # One rule per sheet: pages counted from 1 in each sheet, the number printed from the second page.
        assert ws.oddFooter.center.text == "Trang &P" and "&N" not in ws.oddFooter.center.text
        assert ws.HeaderFooter.differentFirst and not ws.firstFooter.center.text
        assert int(ws.page_setup.firstPageNumber) == 1 and ws.page_setup.useFirstPageNumber
        assert "MH" in ws.oddFooter.left.text and "MH" in ws.firstFooter.left.text
        widths = [ws.column_dimensions[c].width for c in "ABCDE"]
        assert all(w and w >= 5 for w in widths)
        assert ws.freeze_panes is not None
    assert wb[STATS_SHEET].column_dimensions["B"].width >= 45  # the indicator names
    # At 12 pt the tables print at (nearly) full size: total width within a landscape A4 page
    # (column width units are ~7 px at 96 dpi; 262 mm printable ≈ 990 px).
    for name, limit in ((STATS_SHEET, 990), (TASKS_SHEET, 990 / 0.88)):
        ws = wb[name]
        px = sum(ws.column_dimensions[c].width * 7 + 5 for c in "ABCDEFGH" if c in ws.column_dimensions)
        assert px <= limit, (name, px)


# --------------------------------------------------------------------------- task sheet


def test_task_sheet_areas_totals_evidence_and_overdue(demo_db, tmp_path: Path) -> None:
    _edit_values(demo_db, {})  # reopened: the submitted return is frozen, a draft shows the plan as it is now
    with demo_db.transaction() as s:
        # Task I.2 was due before the data cut-off (14/6/2021) and is still in progress.
        task = s.scalar(select(Task).where(Task.area_numeral == "I", Task.number == "2"))
        task.due_date = date(2021, 3, 31)
    ws = openpyxl.load_workbook(_export(demo_db, tmp_path))[TASKS_SHEET]
    assert ws["A1"].value == "Phụ lục II"
    assert [c.value for c in ws[6]] == ["Lĩnh vực", "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện",
                                        "Tình trạng", "Kết quả thực hiện", "Tài liệu kiểm chứng"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=7)]
    tasks = [r for r in rows if r[0] and r[2]]  # area, STT and a title: a task row
    assert len(tasks) == 38
    headings = [r for r in rows if r[0] and r[1] and not r[2] and r[0] in ("I", "II", "VII")]
    assert [r[1] for r in headings][:2] == ["Cải cách thể chế", "Cải cách thủ tục hành chính"]
    totals = [r[1] for r in rows if r[1] and str(r[1]).startswith(("Cộng lĩnh vực", "TỔNG CỘNG"))]
    assert len(totals) == 8
    # One state per task: the overdue task counts once, as "quá hạn" (11 + 26 + 0 + 1 = 38).
    assert totals[-1] == ("TỔNG CỘNG: 38 nhiệm vụ; hoàn thành 11/38 nhiệm vụ (đạt 28,95%); đang thực hiện 26; "
                          "chưa triển khai 0; quá hạn 1.")
    assert totals[0].startswith("Cộng lĩnh vực I: 4 nhiệm vụ; hoàn thành 1/4 nhiệm vụ (đạt 25%)")
    # Evidence of task VII.1 (seed 004, footnote 2).
    vii1 = next(r for r in tasks if r[0] == "VII" and r[1] == "1")
    assert vii1[5] == "Hoàn thành đúng hạn"
    assert vii1[7] == "Quyết định số 752/QĐ-UBND ngày 26/12/2020: Kế hoạch tuyên truyền công tác CCHC năm 2021"
    # The overdue task is marked in words and in colour.
    r_late = next(i for i, r in enumerate(ws.iter_rows(min_row=7), start=7) if r[0].value == "I" and r[1].value == "2")
    status = ws.cell(r_late, 6)
    assert status.value == "Quá hạn chưa hoàn thành"  # as the task list and the overview say
    assert status.font.b and status.font.color.rgb.endswith("C00000")
    assert ws.cell(r_late, 3).fill.fgColor.rgb.endswith("FCE4E4")


# --------------------------------------------------------------------------- hidden sheet and hash


def test_hidden_sheet_carries_the_return(demo_db, tmp_path: Path) -> None:
    when = datetime(2021, 6, 18, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    path = _export(demo_db, tmp_path, exported_at=when)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    assert ws.sheet_state == "veryHidden"
    assert ws.protection.sheet and ws.protection.password
    assert wb.security.lockStructure
    meta = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r[0] not in ("content", "cell")}
    assert meta[FORMAT_MARK][0] == 2  # 2: the seal covers the export time (issue 12)
    assert meta["exported_at"][0] == "2021-06-18T09:30:00+07:00"
    assert meta["app_version"][0]
    content = json.loads("".join(r[1] for r in ws.iter_rows(values_only=True) if r[0] == "content"))
    assert content["unit"] == {"code": "MH", "name": "UBND tỉnh Minh Họa", "level": "tinh"}
    assert content["period"] == {"code": "2021-H1", "label": "6 tháng đầu năm 2021"}
    assert content["template"]["code"] == "BNV-TK-CCHC" and content["template"]["version"] == 1
    assert content["values"]["1.1.1"] == {"value": 38, "note": None}
    assert content["values"]["7.6.2"] == {"value": None, "note": "Báo cáo gốc để trống ô này"}  # blank, explained
    assert content["values"]["1.2.3"]["note"] == "Số liệu tạm tính đến ngày 09/6/2021"
    assert len(content["tasks"]) == 38 and sum(t["status"] == "done_on_time" for t in content["tasks"]) == 11
    assert "exported_at" not in json.dumps(content) and "app_version" not in json.dumps(content)
    assert meta["content_sha256"][0] == sha256_of_content(content)
    # The seal covers the content and the export time: moving the time breaks it.
    assert meta["seal_sha256"][0] == seal_sha256(content, "2021-06-18T09:30:00+07:00")
    assert meta["seal_sha256"][0] != seal_sha256(content, "2030-01-01T00:00:00+07:00")

    book = read_return_workbook(path)
    assert book.hash_ok and book.cells_ok and book.intact
    assert book.unit_code == "MH" and book.period_code == H1 and book.template_version == 1
    assert book.values["1.4.1"] == 3133 and book.values["7.6.2"] is None
    assert book.exported_at == "2021-06-18T09:30:00+07:00"


def test_hash_changes_with_the_data_and_only_with_it(demo_db, tmp_path: Path) -> None:
    first = read_return_workbook(_export(demo_db, tmp_path, "a.xlsx"))
    later = datetime.now().astimezone() + timedelta(days=3)
    again = read_return_workbook(_export(demo_db, tmp_path, "b.xlsx", exported_at=later))
    assert again.exported_at != first.exported_at
    assert again.content_sha256 == first.content_sha256  # same return, same hash

    _edit_values(demo_db, {"1.1.3": ("14", None)})
    changed = read_return_workbook(_export(demo_db, tmp_path, "c.xlsx"))
    assert changed.content_sha256 != first.content_sha256 and changed.hash_ok

    _edit_values(demo_db, {"1.1.3": ("13", None)})
    back = read_return_workbook(_export(demo_db, tmp_path, "d.xlsx"))
    # Reopening changed the status (submitted → draft); the values are back.
    assert back.content["values"] == first.content["values"]
    assert back.content_sha256 != changed.content_sha256

    _edit_values(demo_db, {"2.1": ("17", "ghi chú mới")})  # a note alone changes the hash too
    noted = read_return_workbook(_export(demo_db, tmp_path, "e.xlsx"))
    assert noted.content_sha256 != back.content_sha256

    with demo_db.transaction() as s:
        p = s.scalar(select(TaskProgress).join(Task).where(Task.area_numeral == "I", Task.number == "1"))
        p.status = "done_late"
    tasks_changed = read_return_workbook(_export(demo_db, tmp_path, "f.xlsx"))
    assert tasks_changed.content_sha256 != noted.content_sha256


def test_same_hash_on_a_second_export_without_changes(demo_db, tmp_path: Path) -> None:
    a = _export(demo_db, tmp_path, "a.xlsx")
    b = _export(demo_db, tmp_path, "b.xlsx")
    assert read_return_workbook(a).content_sha256 == read_return_workbook(b).content_sha256


# --------------------------------------------------------------------------- safety


FORMULA_LIKE = {
    "1.1.1": "=SUM(A1:A3)",
    "1.1.2": "+84 912 345 678",
    "1.1.3": "- Cấp tỉnh: 83",
    "1.2.1": "@người dùng",
    "1.2.2": '=HYPERLINK("http://x","bấm")',
}


def test_text_starting_like_a_formula_stays_text(demo_db, tmp_path: Path) -> None:
    _edit_values(demo_db, {code: (38, note) for code, note in FORMULA_LIKE.items()})
    path = _export(demo_db, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STATS_SHEET]
    cells = _cells(path)
    for code, note in FORMULA_LIKE.items():
        cell = ws[cells[code][1]]
        assert cell.data_type == "s", code
        assert cell.value == note, code
        assert cell.quotePrefix
    # Nowhere in the workbook is there a formula.
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row), sheet.title
    book = read_return_workbook(path)
    assert book.intact and book.content["values"]["1.1.1"]["note"] == "=SUM(A1:A3)"


def test_failed_export_leaves_no_half_written_file(demo_db, tmp_path: Path) -> None:
    target = tmp_path / "BaoCao.xlsx"
    _export(demo_db, tmp_path, target.name)
    before = target.read_bytes()

    def boom(done: int, total: int) -> None:
        if done > 0:
            raise RuntimeError("hủy giữa chừng")

    with demo_db.session() as s:
        data = collect_return_export(s, "MH", H1)
    with pytest.raises(RuntimeError):
        export_return_xlsx(data, target, boom)
    assert target.read_bytes() == before  # the previous file is untouched
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.db")) == [target.name]
    with pytest.raises(RuntimeError):
        export_return_xlsx(data, tmp_path / "new.xlsx", boom)
    assert not (tmp_path / "new.xlsx").exists()
    # Nothing left behind: no temporary file (".new.xlsx.….partial") beside the one good export.
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.db")) == [target.name]


def test_control_characters_from_word_do_not_break_the_export(demo_db, tmp_path: Path) -> None:
    _edit_values(demo_db, {"2.1": (17, "dòng một\x0bdòng hai\x07")})
    path = _export(demo_db, tmp_path)
    book = read_return_workbook(path)
    assert book.intact
    assert book.content["values"]["2.1"]["note"] == "dòng mộtdòng hai"


# --------------------------------------------------------------------------- reading back


def test_reader_reports_cells_edited_in_excel(demo_db, tmp_path: Path) -> None:
    path = _export(demo_db, tmp_path)
    cells = _cells(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STATS_SHEET]
    ws[cells["1.1.1"][0]] = 40  # a number changed
    ws[cells["7.6.2"][0]] = 5  # a blank filled in
    ws[cells["1.4.1"][0]] = "3.133"  # retyped as text, same number: not an edit
    ws[cells["1.3.3"][0]] = None  # 0 erased: an edit (blank is not 0)
    ws[cells["2.1"][1]] = "ghi chú thêm"
    wb.save(path)
    book = read_return_workbook(path)
    assert book.hash_ok and book.cells_ok  # the content itself was not touched
    assert not book.intact
    assert sorted(book.edited_cells) == sorted([
        EditedCell("1.1.1", 38, 40), EditedCell("1.3.3", 0, None), EditedCell("7.6.2", None, 5)])
    code, exported, now = book.edited_cells[0]  # a plain (code, exported, now) triple
    assert isinstance(code, str)
    assert book.edited_notes == [EditedCell("2.1", None, "ghi chú thêm")]
    assert book.current_values()["1.1.1"] == 40 and book.values["1.1.1"] == 38


def test_reader_follows_rows_moved_in_excel(demo_db, tmp_path: Path) -> None:
    path = _export(demo_db, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[STATS_SHEET]
    ws.insert_rows(9, 2)  # two rows inserted inside the table
    wb.save(path)
    book = read_return_workbook(path)
    assert book.moved and not book.missing
    assert not book.edited_cells, book.edited_cells[:3]
    # An edit below the inserted rows is still found, at its new address.
    old = _cells(path)["1.1.1"][0]
    new = book.cells["1.1.1"].value_cell
    assert int(new[1:]) == int(old[1:]) + 2
    wb = openpyxl.load_workbook(path)
    wb[STATS_SHEET][new] = 39
    wb.save(path)
    assert read_return_workbook(path).edited_cells == [EditedCell("1.1.1", 38, 39)]


def test_reader_detects_tampered_content(demo_db, tmp_path: Path) -> None:
    path = _export(demo_db, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    for row in ws.iter_rows():
        if row[0].value == "content":
            row[1].value = row[1].value.replace('"1.1.1":{"note":null,"value":38}', '"1.1.1":{"note":null,"value":83}')
            assert '"value":83' in row[1].value
    wb.save(path)
    book = read_return_workbook(path)
    assert not book.hash_ok and not book.intact
    assert book.values["1.1.1"] == 83
    assert not book.cells_ok  # the recorded exported value (38) disagrees with the content


def test_reader_refuses_other_workbooks(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "STT"
    path = tmp_path / "dien_tay.xlsx"
    wb.save(path)
    with pytest.raises(ReturnWorkbookError, match="không phải là báo cáo xuất từ chương trình"):
        read_return_workbook(path)


def test_names_and_text_are_nfc(demo_db, tmp_path: Path) -> None:
    path = _export(demo_db, tmp_path)
    ws = openpyxl.load_workbook(path)[TASKS_SHEET]
    for row in ws.iter_rows(values_only=True):
        for v in row:
            if isinstance(v, str):
                assert unicodedata.is_normalized("NFC", v)


def test_snapshot_reads_the_period_spec(demo_db) -> None:
    with demo_db.session() as s:
        data = collect_return_export(s, "MH", H1)
    assert data.period == parse_period_code(H1)
    assert data.cutoff == date(2021, 6, 14)
    assert data.file_stem() == "BaoCao_CCHC_MH_6_tháng_đầu_năm_2021"
