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
