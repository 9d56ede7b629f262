"""A hand-typed appendix in the layout of seed 004 imports by its STT codes, after the user confirms."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from core.forms import current_template
from core.intake.completeness import completeness
from core.intake.handmade import HandmadeError, read_handmade, store_handmade
from core.paths import resource_path
from core.returns.entry import find_unit_return
from core.returns.store import values_by_code
from core.values import parse_value
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import write_seed_appendix

H1 = "2021-H1"


def _seed_values(db) -> dict[str, float]:  # noqa: ANN001
    """The seed appendix as the demo transcribed it (resources/demo/so_lieu_6_thang_2021.csv); the two rows
    the seed leaves empty (a note only) are left out."""
    with db.session() as s:
        inds = {i.code: i for i in current_template(s).indicators}
    with open(resource_path("demo", "so_lieu_6_thang_2021.csv"), encoding="utf-8", newline="") as fh:
        return {r["code"]: parse_value(r["code"], inds[r["code"]].value_type, inds[r["code"]].choices,
                                        r["value"]).number for r in csv.DictReader(fh) if r["value"]}


@pytest.mark.sqlite_only(reason="compares SQLite dumps of the database file")
def test_the_seed_appendix_typed_by_hand_matches_by_code(demo_db, tmp_path: Path) -> None:
    path = write_seed_appendix(tmp_path / "Báo cáo Sở Tư pháp.xlsx")
    with demo_db.session() as s:
        preview = read_handmade(s, path, parent="MH")
    assert (preview.sheet, preview.columns) == ("Phụ lục", {"stt": "A", "name": "B", "value": "D", "unit": "C",
                                                              "note": "E"})
    assert not preview.unmatched and not preview.errors and preview.missing == []
    got = {code: v[0] for code, v in preview.values.items() if v[0] is not None}
    assert got == _seed_values(demo_db)
    lines = {(line.row, line.code): line for line in preview.matched}
    by_code = {line.code: line for line in preview.matched}
    # "1.1.1." printed again under 1.2: matched to 1.2.1 by the form's printed code, under its heading.
    assert by_code["1.2.1"].stt == "1.1.1." and by_code["1.2.1"].how == "mã in sai “1.1.1.”, khớp theo vị trí dưới 1.2"
    # "94(28)": the footnote mark goes, the footnote text below the table goes into the note.
    assert by_code["2.3"].value_display == "94" and by_code["2.3"].message == (
        "bỏ dấu chú thích (28), nội dung chú thích đưa vào ghi chú")
    assert preview.values["2.3"][2].startswith("(28) Sở Thông tin và Truyền thông: 16 VB; Sở Xây dựng: 18 VB")
    assert by_code["5.3.4"].value_display == "30"  # "30 (32)"
    assert by_code["1.4.1"].value_display == "3.133"  # typed "3.133": three thousand
    # "Trong đó" rows (merged STT cell) are matched under their parent by name.
    assert by_code["3.1.3.b"].how == "tên, dưới 3.1.3" and by_code["3.1.3.b"].value_display == "297"
    assert by_code["7.6.1.c"].value_display == "100"  # after the header repeated by a page break
    # One cell holding the three levels of 3.4.4.
    assert [by_code[c].value_display for c in ("3.4.4.a", "3.4.4.b", "3.4.4.c")] == ["83", "70,4", "86"]
    assert preview.values["3.4.5.c"][0] is None  # "Cấp xã:" with nothing after it stays blank
    assert preview.values["1.2.3"][2] == "Số liệu tạm tính đến ngày 09/6/2021"
    assert len(lines) == len(preview.matched) == 98
    # Guessed from the file name (the title names the province, not a department).
    assert preview.guessed_unit == ("MH.STP", "Sở Tư pháp") and preview.guessed_unit_from == "tên tệp"
    text = "\n".join(preview.lines_text())
    assert "khớp 98 dòng, không khớp 0, lỗi số liệu 0; thiếu 0 chỉ tiêu" in text

    before = dump_tables(Path(demo_db.target))
    assert dump_tables(Path(demo_db.target)) == before  # previewing stored nothing
    outcome = store_handmade(demo_db, "MH", preview, "MH.STP", H1)
    assert outcome.outcome == "imported" and outcome.reason.startswith("Biểu điền tay: khớp 98 dòng")
    with demo_db.session() as s:
        ret = find_unit_return(s, "MH.STP", H1)
        stored = {c: v.value_num for c, v in values_by_code(s, ret).items() if v.value_num is not None}
        assert stored == _seed_values(demo_db) and ret.origin == "imported"
        row = next(r for r in completeness(s, "MH", H1).rows if r.unit_code == "MH.STP")
        assert row.has_return and row.received_basis == "imported" and row.file_name == path.name
    again = store_handmade(demo_db, "MH", preview, "MH.STP", H1)
    assert again.outcome == "skipped" and "Trùng tệp hoặc nội dung đã nhập" in again.reason


@pytest.mark.sqlite_only(reason="compares SQLite dumps of the database file")
def test_unmatched_missing_and_bad_values_are_reported_and_nothing_is_stored(demo_db, tmp_path: Path) -> None:
    path = write_seed_appendix(tmp_path / "bieu.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows():
        stt = row[0].value
        if stt == "2.1.":
            row[0].value = "2.8."  # a wrong code, but the form's name: matched by name
        if stt == "2.2.":
            row[0].value, row[1].value = "2.9.", "Số cuộc họp về thể chế"  # a line the form does not have
        if stt in ("6.4.", "6.5."):
            for c in row:
                if c.coordinate not in ws.merged_cells:
                    c.value = None  # two rows left out
        if stt == "4.2.4.":
            row[3].value = "ba trăm"  # not a number
    wb.save(path)
    with demo_db.session() as s:
        preview = read_handmade(s, path, parent="MH")
    assert [(line.stt, line.message) for line in preview.unmatched] == [("2.9.", "mã không có trong biểu mẫu")]
    by_code = {line.code: line for line in preview.matched}
    assert by_code["2.1"].how == "theo tên (mã “2.8.” không có trong biểu mẫu)"
    assert by_code["2.1"].value_display == "17"
    assert [code for code, _ in preview.missing] == ["2.2", "6.4", "6.5"]
    assert [(e.code, e.raw_value) for e in preview.errors] == [("4.2.4", "ba trăm")]
    before = dump_tables(Path(demo_db.target))
    with pytest.raises(HandmadeError, match=r"Chưa lưu: 1 ô số liệu không đọc được \(dòng \d+ \(4.2.4\)"):
        store_handmade(demo_db, "MH", preview, "MH.STP", H1)
    assert dump_tables(Path(demo_db.target)) == before


def test_unit_and_period_are_guessed_from_the_title_rows(demo_db, tmp_path: Path) -> None:
    path = write_seed_appendix(tmp_path / "phu_luc.xlsx",
                               title_extra="BÁO CÁO 6 THÁNG ĐẦU NĂM 2021 CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    with demo_db.session() as s:
        preview = read_handmade(s, path, parent="MH")
    assert preview.guessed_unit == ("MH.SKHCN", "Sở Khoa học và Công nghệ")
    assert preview.guessed_unit_from == "tiêu đề" and preview.guessed_period == H1


def test_a_unit_outside_the_children_needs_confirmation(demo_db, tmp_path: Path) -> None:
    path = write_seed_appendix(tmp_path / "bieu.xlsx")
    with demo_db.session() as s:
        preview = read_handmade(s, path, parent="MH")
    with pytest.raises(HandmadeError, match="không phải đơn vị trực thuộc UBND tỉnh Minh Họa"):
        store_handmade(demo_db, "MH", preview, "MH.SNV.CCHC", H1)
    assert store_handmade(demo_db, "MH", preview, "MH.SNV.CCHC", H1, accept_other_unit=True).outcome == "imported"


def test_a_workbook_without_the_table_is_refused(demo_db, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên", "Chức vụ"])
    wb.save(tmp_path / "khac.xlsx")
    with demo_db.session() as s, pytest.raises(HandmadeError, match="Không tìm thấy bảng số liệu"):
        read_handmade(s, tmp_path / "khac.xlsx", parent="MH")
