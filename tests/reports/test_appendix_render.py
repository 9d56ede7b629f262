"""The workbook as many offices open and print it: converted by LibreOffice (headless) to PDF, its text read back.

LibreOffice does not grow a row to fit its wrapped text: a row without the right height shows its first line and
drops the rest from the printout. So the rendered text must hold every cell's text whole: the coded legends
("Trực tuyến = 0 / Phát phiếu = 1 / Kết hợp = 2"), the notes, the footnotes under the table, the definitions
under 7.2, and every task of Phụ lục II. Page numbers follow one rule per sheet: each sheet counts from 1 and
prints "Trang N" from its second page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl

from core.reports.workbook_format import STATS_SHEET, TASKS_SHEET
from core.reports.workbook_writer import export_return_xlsx
from core.returns.entry import apply_edits, open_return
from core.returns.report_collect import collect_return_export
from core.returns.store import reopen
from tests.helpers.libreoffice import convert, needs_libreoffice

pytestmark = needs_libreoffice

H1 = "2021-H1"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _render(xlsx: Path, folder: Path) -> list[str]:
    """The PDF LibreOffice prints from ``xlsx``, as the text of each page."""
    pdf = convert(xlsx, folder, "pdf")
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def test_libreoffice_prints_every_cell_whole_and_numbers_pages_per_sheet(demo_db, tmp_path: Path) -> None:
    with demo_db.transaction() as s:
        ret = open_return(s, "MH", H1)
        reopen(s, ret, "thêm chú thích")
        apply_edits(s, ret.id, [
            ("2.3", "94(28)", "Sở Thông tin và Truyền thông: 16 VB; Sở Xây dựng: 18 VB; Sở Lao động-Thương binh và "
                              "Xã hội: 8 VB; Sở Tư pháp: 1 VB; Sở Giao thông Vận tải: 4 VB"),
            ("3.4", "", "Số liệu tính đến ngày 14/3/2021. Số liệu 6 tháng theo quy định tại điểm a, Khoản 4, Điều 10 "
                        "Thông tư số 01/2020/TT-VPCP quy định đến hết ngày 19/6/2021 cấp huyện mới báo cáo số liệu."),
        ], source="manual")
    with demo_db.session() as s:
        data = collect_return_export(s, "MH", H1)
    xlsx = export_return_xlsx(data, tmp_path / "BaoCao.xlsx").path
    pages = _render(xlsx, tmp_path)
    rendered = _norm(" ".join(pages))

    wb = openpyxl.load_workbook(xlsx)
    cut = []
    checked = 0
    for name in (STATS_SHEET, TASKS_SHEET):
        for row in wb[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip():
                    checked += 1
                    if _norm(cell.value) not in rendered:
                        cut.append((name, cell.coordinate, cell.value))
    assert checked > 500
    assert cut == []
    for text in ("Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", "(28) Sở Thông tin và Truyền thông: 16 VB",
                 "Liên thông 3 cấp: Từ UBND tỉnh đến 100% UBND cấp huyện, cấp xã.",
                 "cấp huyện mới báo cáo số liệu."):
        assert text in rendered

    # Page numbers: per sheet from 1, printed from the sheet's second page ("Trang 2", "Trang 3" …).
    numbers = [re.findall(r"Trang (\d+)", page) for page in pages if page.strip()]
    sheet_of = ["II" if "Phụ lục II" in page else "I" for page in pages if page.strip()]
    for sheet in ("I", "II"):
        seq = [n for n, s in zip(numbers, sheet_of, strict=True) if s == sheet]
        assert seq[0] == [] and len(seq) > 1, sheet  # the first page carries no number
        assert [int(n[0]) for n in seq[1:]] == list(range(2, len(seq) + 1)), sheet
    assert not any("/" in n for page in numbers for n in page)
