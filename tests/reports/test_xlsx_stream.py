"""The streaming reader of return workbooks gives what openpyxl gives, and openpyxl takes over when it cannot."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from core import xlsx_stream
from core.reports.workbook_format import STATS_SHEET
from core.reports.workbook_reader import read_return_workbook
from core.reports.workbook_writer import export_return_xlsx
from core.returns.report_collect import collect_return_export
from core.safe_files import InputFileError
from core.xlsx_stream import XlsxSheets, XlsxStreamError
from tests.helpers.consolidation_helpers import edit_cells


def _export(db, folder: Path) -> Path:  # noqa: ANN001
    with db.session() as s:
        data = collect_return_export(s, "MH", "2021-H1")
    return export_return_xlsx(data, folder / "mh.xlsx", exported_at=datetime(2021, 6, 18, 9, 0)).path


def _summary(book) -> tuple:  # noqa: ANN001
    return (book.content, book.hash_ok, book.cells_ok, sorted(book.edited_cells), sorted(book.edited_notes),
            sorted(book.moved), sorted(book.missing), book.exported_at)


def test_same_result_as_openpyxl_for_exported_edited_and_moved_workbooks(demo_db, tmp_path: Path, monkeypatch):
    path = _export(demo_db, tmp_path)
    exported = read_return_workbook(path)
    edit_cells(path, {"1.1.1": 40, "7.6.2": "5"}, notes={"2.1": "thêm ghi chú"})  # saved by openpyxl: shared strings
    wb = openpyxl.load_workbook(path)
    wb[STATS_SHEET].insert_rows(9, 2)
    wb.save(path)
    fast = read_return_workbook(path)
    assert fast.moved and {c.code for c in fast.edited_cells} == {"1.1.1", "7.6.2"}

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise XlsxStreamError("test")

    monkeypatch.setattr(xlsx_stream.XlsxSheets, "__init__", refuse)
    slow = read_return_workbook(path)
    assert _summary(fast) == _summary(slow)
    assert exported.content == fast.content


def test_cell_kinds(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Chữ có dấu", 38, 72.8, True, None, "=1+1"])
    ws["B3"] = "3.133"
    wb.save(tmp_path / "a.xlsx")
    with XlsxSheets(tmp_path / "a.xlsx") as book:
        assert book.sheetnames == ["Số liệu"]
        rows = dict(book.rows("Số liệu"))
        assert rows[1] == {1: "Chữ có dấu", 2: 38, 3: 72.8, 4: True}  # a formula without a cached value is blank
        assert rows[3] == {2: "3.133"}
        assert dict(book.rows("Số liệu", {2})) == {1: {2: 38}, 3: {2: "3.133"}}


def test_unsafe_files_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputFileError, match="không phải là tệp Excel"):
        XlsxSheets(path)


def _both_routes(path: Path, monkeypatch, limits=None) -> tuple:  # noqa: ANN001
    """What the fast route and the streaming reader give for every sheet: (rows, merged ranges) each."""

    def read() -> list:
        with XlsxSheets(path, limits) as book:
            return [(name, list(book.rows(name)), book.merged(name)) for name in book.sheetnames]

    fast = read()
    with monkeypatch.context() as m:
        m.setattr(xlsx_stream.XlsxSheets, "_fast_rows", lambda *args: None)
        m.setattr(xlsx_stream.XlsxSheets, "_plain_part", lambda *args, **kwargs: None)
        slow = read()
    return fast, slow


def test_fast_route_gives_what_the_streaming_reader_gives(tmp_path: Path, monkeypatch) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kế hoạch"
    ws.append(["STT", "Nhiệm vụ & <sản phẩm>", "Hạn", "Xong", "Số", "Tỉ lệ"])
    ws.append(["1", "Dòng một\r\ndòng hai\tcó tab", datetime(2022, 3, 31), True, 38, 72.8])
    ws.append([None, "  khoảng trắng  ", "=1+1", False, -4.5e-3, "#N/A"])
    ws["A5"] = CellRichText(["Chữ ", TextBlock(InlineFont(b=True), "đậm"), " thường"])
    ws["C5"].number_format = "hh:mm"
    ws["C5"] = 0.5
    ws.merge_cells("A6:C7")
    ws["A6"] = "Gộp ô"
    ws["F9"] = "Ô xa"
    wb.create_sheet("Trống")
    wb.save(tmp_path / "a.xlsx")
    cut = []
    real = xlsx_stream.XlsxSheets._cut_rows
    monkeypatch.setattr(xlsx_stream.XlsxSheets, "_cut_rows", lambda *a: cut.append(a[2]) or real(*a))
    fast, slow = _both_routes(tmp_path / "a.xlsx", monkeypatch)
    assert fast == slow and cut == ["Kế hoạch", "Trống"]  # both sheets went the fast route
    rows = dict(fast[0][1])
    assert rows[2][2] == "Dòng một\ndòng hai\tcó tab" and rows[2][3] == datetime(2022, 3, 31)
    assert rows[5][1] == "Chữ đậm thường" and fast[0][2] == [(6, 1, 7, 3)]

    # Files written by the app (inline strings, hidden data sheet), and the same file saved by openpyxl.
    path = tmp_path / "mh.xlsx"
    edit_cells(_export_demo(tmp_path), {"1.1.1": 40}, notes={"2.1": "ghi chú & <lưu ý>"})
    fast, slow = _both_routes(tmp_path / "mh.xlsx", monkeypatch)
    assert fast == slow and path.exists()


def _export_demo(folder: Path) -> Path:
    from tests.conftest import make_demo_db

    db = make_demo_db(folder / "demo")
    try:
        return _export(db, folder)
    finally:
        db.close()


def test_fast_route_leaves_unusual_xml_to_the_streaming_reader(tmp_path: Path, monkeypatch) -> None:
    """A DTD, a comment, a prefixed element: read (or refused) exactly as before, by the streaming reader."""
    import zipfile

    wb = openpyxl.Workbook()
    wb.active.append(["a", 1])
    wb.save(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    variants = {
        "comment": sheet.replace("<sheetData>", "<sheetData><!-- ghi chú -->"),
        "prefixed": sheet.replace("<worksheet ", '<worksheet xmlns:x="http://schemas.openxmlformats.org/'
                                  'spreadsheetml/2006/main" ')
                         .replace("<row ", "<x:row ").replace("</row>", "</x:row>"),
        "entities": '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                    + sheet.split("?>", 1)[-1].replace(">a<", ">&b;<"),
    }
    calls: list[str] = []
    real = xlsx_stream.XlsxSheets._cut_rows
    monkeypatch.setattr(xlsx_stream.XlsxSheets, "_cut_rows", lambda *a: calls.append(a[2]) or real(*a))
    for name, xml in variants.items():
        calls.clear()
        path = tmp_path / f"{name}.xlsx"
        with zipfile.ZipFile(path, "w") as zf:
            for n, data in parts.items():
                zf.writestr(n, xml.encode() if n == "xl/worksheets/sheet1.xml" else data)
        try:
            fast = _both_routes(path, monkeypatch)
            assert fast[0] == fast[1], name
            assert name == "comment" or dict(fast[0][0][1])[1] == {1: "a", 2: 1}
        except InputFileError as exc:  # the entities: refused by defusedxml, as before
            assert name == "entities" and "bị hỏng" in str(exc)
        assert not calls, f"{name}: the fast route must not cut this part"


def test_date_styles_remembered_by_the_styles_part_not_by_chance(tmp_path: Path) -> None:
    """Two workbooks whose first custom style is a date in one and a number in the other: the remembered
    styles of the first never decide how the second is read, and the first reads the same when read again."""
    paths = []
    for name, fmt in (("date.xlsx", "dd/mm/yyyy"), ("number.xlsx", "#,##0.00")):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "S"
        ws["A1"] = 45000
        ws["A1"].number_format = fmt
        wb.save(tmp_path / name)
        paths.append(tmp_path / name)
    for _ in range(2):
        with XlsxSheets(paths[0]) as x:
            assert list(x.rows("S")) == [(1, {1: datetime(2023, 3, 15)})]
        with XlsxSheets(paths[1]) as x:
            assert list(x.rows("S")) == [(1, {1: 45000})]
