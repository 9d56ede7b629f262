"""The comparison table of a unit's indicators across periods, as an .xlsx a clerk can print.

Rows are the indicators (STT, name, unit of measure), columns the periods in calendar order;
blank stays blank, "Không phát sinh" is written out. Numbers are numbers (Excel can chart them),
text is never a formula. Written whole or not at all (``db.files.replaced_atomically``).
"""

from __future__ import annotations

from pathlib import Path

from core.returns.history import TrendTable
from core.vnformat import nfc
from db.files import replaced_atomically

__all__ = ["write_trend_xlsx"]


def _text(cell, value: str) -> None:  # noqa: ANN001 - an openpyxl cell
    cell.value = nfc(value)
    cell.data_type = "s"  # never a formula, whatever it starts with
    if value[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True


def write_trend_xlsx(table: TrendTable, path: Path) -> Path:
    """``table`` as a sheet "So sánh các kỳ" at ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "So sánh các kỳ"
    serif = "Times New Roman"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    _text(ws.cell(1, 1), f"SỐ LIỆU THỐNG KÊ CCHC QUA CÁC KỲ CỦA {table.unit_name.upper()}")
    ws.cell(1, 1).font = Font(name=serif, bold=True, size=13)
    span = f"{table.periods[0].label} – {table.periods[-1].label}" if table.periods else "chưa có báo cáo"
    _text(ws.cell(2, 1), f"(Mã đơn vị: {table.unit_code}; {span})")
    ws.cell(2, 1).font = Font(name=serif, italic=True, size=12)
    head = ["STT", "Chỉ tiêu", "Đơn vị tính", *(p.label for p in table.periods)]
    for col, title in enumerate(head, 1):
        c = ws.cell(4, col)
        _text(c, title)
        c.font = Font(name=serif, bold=True, size=12)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = box
    for i, code in enumerate(table.codes):
        row = 5 + i
        for col, value in enumerate([code, table.names[code], table.unit_labels[code]], 1):
            c = ws.cell(row, col)
            _text(c, value)
            c.font = Font(name=serif, size=12)
            c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="left" if col == 2 else "center")
            c.border = box
        for j, p in enumerate(table.periods):
            c = ws.cell(row, 4 + j)
            pt = table.point(code, p.code)
            value = pt.value if pt else None
            if isinstance(value, str):
                _text(c, value)
            else:
                c.value = value
                if isinstance(value, float):
                    c.number_format = "#,##0.00"
                elif isinstance(value, int):
                    c.number_format = "#,##0"
            c.font = Font(name=serif, size=12)
            c.alignment = Alignment(horizontal="right", vertical="center")
            c.border = box
    for col, width in enumerate([10, 50, 14, *([16] * len(table.periods))], 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path = Path(path)
    with replaced_atomically(path, busy="trong Excel hoặc chương trình khác") as tmp:
        wb.save(tmp)
    return path
