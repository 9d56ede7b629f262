"""Writing the return workbook (.xlsx): the appendices as a clerk prints them, plus the data the level
above imports (read back by ``core.reports.workbook_reader``).

Sheets:

1. "Thống kê số liệu" — Phụ lục I, the statistical appendix as in seed 004: a title
   block; STT / Chỉ tiêu thống kê / (Kết quả thống kê: Đơn vị tính / Số liệu) / Ghi chú
   with merged header cells; group rows bold, "Trong đó" rows italic. Values are
   numbers (blank stays an empty cell, never 0); coded answers hold their code and
   the unit column holds the meanings ("Chưa = 0 Đang làm = 1 Hoàn thành = 2").
2. "Tiến độ nhiệm vụ" — Phụ lục II, the plan's tasks by area with status, result and
   evidence; overdue tasks marked; a total per area and overall.
3. "CCHC_DATA" — very hidden and protected: the machine-readable return as canonical
   JSON with its SHA-256, the seal (``core.reports.seal``: a SHA-256 over the content,
   the export time and the package's other files) and, when the unit signed, a detached
   CMS signature over the same sealed bytes; and per indicator code the visible cells
   and the values exported into them, so an importer can tell a value edited in Excel
   after export. The password only keeps honest people out; the seal catches accidents
   and the signature catches forgery.

Both visible sheets are print-ready: A4 landscape (as the PDF appendices), fit to
one page wide, header rows repeated on every page, wrapped text, a page footer.

Text that starts with ``=``, ``+``, ``-`` or ``@`` is stored as text (cell type
``s``, with Excel's quote prefix), never as a formula. The file is written to a
temporary name and renamed, so a failed export leaves nothing under the final name.

The workbook is written in openpyxl's write-only mode with shared style arrays:
a province-sized return (thousands of task rows) is written in about the time raw
openpyxl needs for the bare values (see ``bench/bench_export.py``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins

from core.appdata import APP_TITLE, APP_VERSION
from core.jobs import Progress
from core.reports.seal import PackageFile, sealed_bytes
from core.reports.workbook_format import (
    BLANK_FORM_MARK,
    DATA_SHEET,
    FORMAT_MARK,
    FORMAT_VERSION,
    PROTECTION_PASSWORD,
    STATS_SHEET,
    TASKS_SHEET,
    CellRef,
)
from core.returns.report_model import (
    ExportError,
    ExportFormRow,
    ExportTask,
    ReturnExport,
    TaskTotals,
    canonical_json,
    clean_text,
)
from db.files import replaced_atomically

__all__ = [
    "BLANK_FORM_MARK",
    "XlsxExportResult",
    "export_return_xlsx",
]


_CHUNK = 30_000  # an Excel cell holds at most 32 767 characters
_MAX_CELL_TEXT = 32_000
_FONT = "Times New Roman"
SignFn = Callable[[bytes], bytes]  # sealed bytes -> DER of a detached CMS signature (core.signatures.signing)


# --------------------------------------------------------------------------- number formats
#
# An .xlsx stores number formats in the invariant (en-US) notation: "," is the
# thousands separator and "." the decimal mark *in the file*. Excel displays them
# with the separators of the reader's Windows locale, so on a Vietnamese Windows
# "#,##0" shows 4156 as "4.156" and "#,##0.00" shows 28.94 as "28,94" — the
# Vietnamese "#.##0" / "0,00". Writing "#.##0" here would be a different (and, in
# Excel's grammar, wrong) format. The value itself is always stored as a number.

FMT_INTEGER = "#,##0"
FMT_CODE = "0"


def _decimal_format(places: int) -> str:
    return FMT_INTEGER if places <= 0 else "#,##0." + "0" * places


def number_format_for(row: ExportFormRow) -> str:
    """The display format of a value cell: whole numbers without decimals, else 1–2 places."""
    if row.value_type in ("choice", "yesno"):
        return FMT_CODE
    value = row.value
    if not isinstance(value, float):
        return FMT_INTEGER
    text = repr(value)
    places = len(text.partition(".")[2]) if "e" not in text else 2
    return _decimal_format(min(places, 2))


# --------------------------------------------------------------------------- styles


_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL_GROUP = PatternFill("solid", fgColor="F2F2F2")
_FILL_OVERDUE = PatternFill("solid", fgColor="FCE4E4")
_RED = "C00000"


@dataclass(frozen=True)
class _Style:
    """A cell style of the workbook: its index in the workbook's style table, and the same with Excel's quote
    prefix (text that starts like a formula stays text when someone edits it)."""

    id: int
    quoted_id: int


class _Styles:
    """Style arrays built once per workbook; each cell refers to one by its index."""

    def __init__(self, ws) -> None:  # noqa: ANN001 - a write-only worksheet
        self._ws = ws
        self._cache: dict[tuple, _Style] = {}

    def get(self, *, size: float = 12, bold: bool = False, italic: bool = False, color: str | None = None,
            h: str = "left", v: str = "top", wrap: bool = True, border: bool = True,
            fill: PatternFill | None = None, fmt: str | None = None, indent: int = 0, locked: bool = True) -> _Style:
        key = (size, bold, italic, color, h, v, wrap, border, fill.fgColor.rgb if fill else None, fmt, indent, locked)
        style = self._cache.get(key)
        if style is None:
            c = Cell(self._ws, row=1, column=1)
            c.font = Font(name=_FONT, size=size, bold=bold, italic=italic, color=color)
            c.alignment = Alignment(horizontal=h, vertical=v, wrap_text=wrap, indent=indent)
            if border:
                c.border = _BOX
            if fill is not None:
                c.fill = fill
            if fmt:
                c.number_format = fmt
            if not locked:
                c.protection = Protection(locked=False)  # a blank form's cells to type into
            plain = c.style_id
            c.quotePrefix = True
            style = _Style(plain, c.style_id)
            self._cache[key] = style
        return style


def _xml_escaped(text: str) -> str:
    """Text as element content; str.replace, not translate(): many times faster on long Vietnamese text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class _Text:
    """A text cell's content, cleaned (NFC, no characters XML cannot hold, at most one Excel cell) and escaped."""

    text: str
    xml: str
    formula_like: bool  # starts with "=", "+", "-", "@": written with Excel's quote prefix


_TEXT: dict[str, _Text | None] = {}  # a province's task rows repeat the same leads, statuses …


def _text(value: str) -> _Text | None:
    out = _TEXT.get(value, False)
    if out is False:
        text = clean_text(value)
        if len(text) > _MAX_CELL_TEXT:
            text = text[:_MAX_CELL_TEXT] + "…"
        out = _Text(text, _xml_escaped(text), text[:1] in ("=", "+", "-", "@")) if text else None
        if len(_TEXT) > 50_000:
            _TEXT.clear()
        _TEXT[value] = out
    return out


def _cell(ws, value: object, style: _Style) -> tuple[object, _Style]:  # noqa: ANN001
    """A cell to append (``_Sheet.append``): its value (text always stays text, never a formula) and style."""
    if isinstance(value, str):
        return _text(value), style
    return value, style


# --------------------------------------------------------------------------- page setup


def _mm(mm: float) -> float:
    return mm / 25.4


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")


def _page_setup(ws, *, landscape: bool, title_rows: str, footer_left: str, footer_right: str) -> None:  # noqa: ANN001
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Page numbers, one rule for every sheet: each sheet counts its own pages from 1, and the number
    # ("Trang 2") is printed from the sheet's second page on, as Decree 30 numbers a document's pages.
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    # Decree 30 margins (portrait: left 30 mm, right 15 mm; landscape appendices 20/15 mm).
    ws.page_margins = PageMargins(left=_mm(20 if landscape else 25), right=_mm(15), top=_mm(20), bottom=_mm(20),
                                  header=_mm(8), footer=_mm(8))
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = title_rows
    ws.HeaderFooter.differentFirst = True
    for footer, centre in ((ws.oddFooter, "Trang &P"), (ws.firstFooter, "")):
        for part, text in ((footer.left, _footer_text(footer_left)), (footer.center, centre),
                           (footer.right, _footer_text(footer_right))):
            part.text = text
            part.font = f"{_FONT},Regular"
            part.size = 10


def _set_widths(ws, widths: list[float]) -> None:  # noqa: ANN001
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


# --------------------------------------------------------------------------- row heights
#
# Excel grows a wrapped row when the file is opened; LibreOffice and printing from a file do not, so
# every row carries the height its wrapped text needs. The text is measured with the advance widths of
# Times New Roman (in 1/1000 em, grouped), word by word, and wrapped greedily as a spreadsheet does; a
# word's width is cached, so a province's thousands of task rows cost a dictionary look-up per word.

_PX_PER_CHAR = 7.0  # a column width of 1 is one "0" of the default 11 pt font: 7 px at 96 dpi
_CELL_PADDING_PX = 7.0  # the cell's margins and the border
_EM_WIDTHS = (  # Times New Roman's advance widths, rounded up a little (1/1000 em)
    (" ", 250),
    ("iljI.,:;'!|", 280),
    ("tfr()[]-/*\"", 340),
    ("acesz", 450),
    ("bdghknopquvxy0123456789J?$#_+=<>", 505),
    ("ABCDEFGHKLNOPQRSTUVXYZw%&", 725),
    ("mMW", 900),
)
_EM: dict[str, int] = {ch: w for chars, w in _EM_WIDTHS for ch in chars}
_WORD_PX: dict[tuple[str, float, bool], float] = {}
_LINES: dict[tuple[str, float, float, bool], int] = {}


def _char_em(ch: str) -> int:
    w = _EM.get(ch)
    if w is None:
        # Vietnamese letters: the width of their base letter (NFD's first character); others as a wide letter.
        base = unicodedata.normalize("NFD", ch)[:1]
        w = _EM.get(base, 725 if base.isupper() else 520)
        _EM[ch] = w
    return w


def _word_px(word: str, size: float, bold: bool) -> float:
    key = (word, size, bold)
    px = _WORD_PX.get(key)
    if px is None:
        em = sum(_char_em(ch) for ch in word) * (1.07 if bold else 1.0)
        px = em / 1000 * size * 96 / 72
        if len(_WORD_PX) > 200_000:
            _WORD_PX.clear()
        _WORD_PX[key] = px
    return px


def text_lines(text: str | None, width_chars: float, size: float = 12, bold: bool = False) -> int:
    """How many lines ``text`` takes wrapped in a column ``width_chars`` wide (Excel's width unit)."""
    if not text:
        return 1
    key = (text, width_chars, size, bold)
    n = _LINES.get(key)
    if n is not None:
        return n
    room = max(width_chars * _PX_PER_CHAR - _CELL_PADDING_PX, 10.0)
    space = _word_px(" ", size, bold)
    n = 0
    for para in text.split("\n"):
        n += 1
        used = 0.0
        for word in para.split():
            w = _word_px(word, size, bold)
            if used and used + space + w > room:
                n += 1
                used = 0.0
            while w > room:  # a word longer than the column is broken
                n += 1
                w -= room
            used += (space if used else 0.0) + w
    if len(_LINES) > 100_000:
        _LINES.clear()
    _LINES[key] = n
    return n


def row_height(lines: int, size: float = 12) -> float:
    """Points for ``lines`` lines of ``size``-point text with the cell's top and bottom margins."""
    return round(lines * size * 1.25 + 4, 2)


_COLUMN_LETTERS = [get_column_letter(i) for i in range(1, 27)]


def _row_xml(row: int, cells: list[tuple[object, _Style | None]], height: float | None) -> str:
    """One ``<row>`` of SpreadsheetML, as openpyxl writes it (inline strings, numbers), built as text: a province's
    thousands of task rows are written in a fraction of the time openpyxl's per-cell writer takes. A cell without
    a style (None: the hidden data sheet) is written without one."""
    out = [f'<row r="{row}" ht="{height}" customHeight="1">' if height is not None else f'<row r="{row}">']
    for col, (value, style) in enumerate(cells):
        ref = f"{_COLUMN_LETTERS[col]}{row}"
        s = "" if style is None else f' s="{style.quoted_id if getattr(value, "formula_like", False) else style.id}"'
        if value is None:
            out.append(f'<c r="{ref}"{s}/>')
        elif isinstance(value, _Text):
            out.append(f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{value.xml}</t></is></c>')
        elif isinstance(value, bool):
            out.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
        else:
            number = repr(value) if isinstance(value, float) else str(int(value))
            out.append(f'<c r="{ref}"{s} t="n"><v>{number}</v></c>')
    out.append("</row>")
    return "".join(out)


def _write_xml_row(xf, rows: tuple[str], row_idx: int) -> None:  # noqa: ANN001, ARG001
    """Write a block of ``<row>`` elements (``_Sheet.flush``) to the sheet's stream."""
    raw = getattr(xf, "_file", None)  # et_xmlfile's writer (openpyxl without lxml, core/__init__.py): as is
    if raw is not None:
        raw(rows[0])
    else:  # openpyxl on lxml: lxml's incremental writer takes elements
        from lxml import etree

        for row in etree.fromstring(f"<rows>{rows[0]}</rows>"):
            xf.write(row)


class _Sheet:
    """Appends rows to a write-only sheet and keeps track of row numbers, merges and row heights.

    Rows go to openpyxl's write-only stream as ready ``<row>`` elements (``_row_xml``); the sheet's setup
    (widths, panes, page setup, merges, validations, protection) stays openpyxl's. Relies on openpyxl 3.1's
    write-only internals (``_values_to_row``, ``_writer.write_row``), pinned in requirements.txt.
    """

    def __init__(self, ws, widths: list[float]) -> None:  # noqa: ANN001
        self.ws = ws
        self.widths = widths
        self.ncols = len(widths)
        self.row = 0
        self.st = _Styles(ws)
        _set_widths(ws, widths)
        ws._values_to_row = lambda values, row_idx: values  # our rows arrive as XML
        self._pending: list[str] = []

    def append(self, cells: list[tuple[object, _Style]], height: float | None = None, *,
               texts: list[tuple[str | None, int, int, float, bool]] | None = None) -> int:
        """Append one row. ``texts``: (text, first column, last column, font size, bold) of each wrapped
        cell (a merged cell spans first…last), from which the row's height is computed."""
        self.row += 1
        if texts is not None:
            lines = 1
            size = 12.0
            for text, first, last, sz, bold in texts:
                if text:
                    width = self.widths[first - 1] if first == last else sum(self.widths[first - 1:last])
                    lines = max(lines, text_lines(text, width, sz, bold))
                    size = max(size, sz)
            height = max(height or 0.0, row_height(lines, size))
        if self.row == 1:
            self.ws._get_writer()  # writes the sheet's setup, done by now
            self.ws._writer.write_row = _write_xml_row
        self._pending.append(_row_xml(self.row, cells, height))
        if len(self._pending) >= 256:
            self.flush()
        return self.row

    def flush(self) -> None:
        """Send the rows built so far to the sheet's stream (in blocks: one write per few hundred rows)."""
        if self._pending:
            self.ws.append(("".join(self._pending),))
            self._pending = []

    def merge(self, first_col: int, last_col: int, row: int | None = None, last_row: int | None = None) -> None:
        r = row or self.row
        self.ws.merged_cells.add(f"{get_column_letter(first_col)}{r}:{get_column_letter(last_col)}{last_row or r}")

    def banner(self, text: str, *, size: float = 13, bold: bool = True, italic: bool = False,
               h: str = "center") -> None:
        """A title line merged across the table's width, not bordered."""
        style = self.st.get(size=size, bold=bold, italic=italic, h=h, v="center", border=False)
        blank = self.st.get(border=False)
        self.append([_cell(self.ws, text, style)] + [_cell(self.ws, None, blank) for _ in range(self.ncols - 1)],
                    texts=[(text, 1, self.ncols, size, bold)])
        self.merge(1, self.ncols)

    def blank(self) -> None:
        self.append([], height=8)


# --------------------------------------------------------------------------- appendix I


_TITLE_ROWS = 5  # "Phụ lục", two title lines, "(Kèm theo …)", a spacer
_STATS_WIDTHS = [8, 57, 18, 15, 36]  # the value column holds "Không phát sinh"


def blank_form_line(data: ReturnExport) -> str:
    """The line that marks a blank form, under its title."""
    return (f"BIỂU MẪU TRỐNG do phần mềm {APP_TITLE} lập cho {data.unit_name}, kỳ {data.period.label} "
            f"(biểu mẫu {data.template_code} phiên bản {data.template_version}). Điền số liệu vào cột “Số liệu”, "
            "ghi chú vào cột “Ghi chú”; giữ nguyên cột STT và tên chỉ tiêu, rồi gửi lại tệp này.")


def _title_rows(data: ReturnExport) -> int:
    return _TITLE_ROWS + (1 if data.status == "blank" else 0)


def _title_block(sheet: _Sheet, numeral: str, title: str, data: ReturnExport) -> None:
    sheet.banner(f"Phụ lục {numeral}", size=14)
    sheet.banner(title, size=13)
    sheet.banner(f"{data.period.title_phrase} của {data.issuer_name}".upper(), size=13)
    sheet.banner(data.attached_to(), size=12, bold=False, italic=True)
    if data.status == "blank":
        sheet.banner(blank_form_line(data), size=11, bold=False, italic=True)
    sheet.blank()
    assert sheet.row == _title_rows(data)


def _write_stats(ws, data: ReturnExport, progress: Callable[[], None]) -> dict[str, CellRef]:  # noqa: ANN001
    # Landscape like the PDF appendix: at 12 pt the table then prints at full size on A4.
    blank_form = data.status == "blank"
    sheet = _Sheet(ws, _STATS_WIDTHS)
    # Write-only mode writes the sheet's properties and view with the first row: set them first.
    head_row = _title_rows(data) + 1
    ws.freeze_panes = f"A{head_row + 2}"
    _page_setup(ws, landscape=True, title_rows=f"{head_row}:{head_row + 1}",
                footer_left=f"{data.unit_code} – {data.period.label}", footer_right="Phụ lục I")
    if blank_form:
        # Typing goes only into the unlocked value and note cells; no password, so an office can still
        # unprotect the sheet (the import reads codes and values, not the protection).
        ws.protection.sheet = True
        ws.protection.formatRows = False  # a clerk may make a row taller
        ws.protection.formatColumns = False
    _title_block(sheet, "I", "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", data)
    st = sheet.st
    head = st.get(bold=True, h="center", v="center")
    column_title = "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"
    first = sheet.append([
        _cell(ws, "STT", head),
        _cell(ws, column_title, head),
        _cell(ws, "Kết quả thống kê", head),
        _cell(ws, None, head),
        _cell(ws, "Ghi chú", head),
    ], texts=[(column_title, 2, 2, 12, True)])
    sheet.append([_cell(ws, None, head), _cell(ws, None, head), _cell(ws, "Đơn vị tính", head),
                  _cell(ws, "Số liệu", head), _cell(ws, None, head)], texts=[])
    sheet.merge(1, 1, first, first + 1)
    sheet.merge(2, 2, first, first + 1)
    sheet.merge(3, 4, first, first)
    sheet.merge(5, 5, first, first + 1)
    assert first == head_row

    refs: dict[str, CellRef] = {}
    footnotes: list[tuple[str, str]] = []
    validations: dict[str, DataValidation] = {}
    for r in data.rows:
        bold = r.kind == "group"
        italic = r.breakdown
        fill = _FILL_GROUP if bold else None
        typed = blank_form and r.is_value
        text_style = st.get(bold=bold, italic=italic, fill=fill, locked=not (blank_form and (typed or bold)))
        name_style = st.get(bold=bold, italic=italic, fill=fill, indent=1 if r.breakdown else 0)
        centre = st.get(bold=bold, italic=italic, h="center", fill=fill)
        value = r.value if r.is_value else None
        fn = r.footnote
        fmt = None
        if not isinstance(value, str):
            fmt = number_format_for(r)
            if fn is not None and value is not None:
                fmt = f'{fmt}" ({fn[0]})"'  # "94 (28)": the mark printed, the number kept a number
        value_style = st.get(bold=bold, italic=italic, h="right" if not isinstance(value, str) else "left",
                             fill=fill, fmt=fmt, locked=not typed)
        note = r.plain_note
        name = r.print_name
        row = sheet.append([
            _cell(ws, r.stt, centre),
            _cell(ws, name, name_style),
            _cell(ws, r.unit_label, centre),
            _cell(ws, value, value_style),
            _cell(ws, note, text_style),
        ], texts=[(name, 2, 2, 12, bold), (r.unit_label, 3, 3, 12, bold), (note, 5, 5, 12, bold),
                  (r.stt, 1, 1, 12, bold)])
        if fn is not None:
            footnotes.append(fn)
        if r.is_value:
            refs[r.code] = CellRef(STATS_SHEET, f"D{row}", f"E{row}", r.stt, name)
            if typed:
                _validate(validations, r, f"D{row}")
        progress()
    if footnotes:
        # The footnotes of marked values ("94 (28)"), numbered as marked, under the table.
        style = st.get(size=11, border=False)
        sheet.blank()
        for mark, text in footnotes:
            line = f"({mark}) {text}".strip()
            sheet.append([_cell(ws, line, style)] + [_cell(ws, None, style) for _ in range(sheet.ncols - 1)],
                         texts=[(line, 1, sheet.ncols, 11, False)])
            sheet.merge(1, sheet.ncols)
    for dv in validations.values():
        ws.data_validations.append(dv)
    sheet.flush()
    return refs


def _validate(validations: dict[str, DataValidation], r: ExportFormRow, cell: str) -> None:
    """Data validation on a blank form's value cell: the codes of a coded answer, a number in range."""
    if r.value_type in ("choice", "yesno"):
        codes = [p.rpartition("=")[2].strip() for p in r.unit_label.split("\n") if "=" in p] or ["0", "1"]
        key = "list:" + ",".join(codes)
        if key not in validations:
            validations[key] = DataValidation(
                type="list", formula1='"' + ",".join(codes) + '"', allow_blank=True, showDropDown=False,
                showErrorMessage=True, errorStyle="warning", errorTitle="Mã không hợp lệ",
                error="Nhập một trong các mã: " + ", ".join(codes) + " (xem cột Đơn vị tính), hoặc “Không phát sinh”.",
                promptTitle="Nhập mã", prompt=r.unit_label.replace("\n", "; ")[:250], showInputMessage=True)
    elif r.value_type == "percent":
        key = "percent"
        if key not in validations:
            validations[key] = DataValidation(
                type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                showErrorMessage=True, errorStyle="warning", errorTitle="Tỷ lệ không hợp lệ",
                error="Tỷ lệ từ 0 đến 100 (%), hoặc “Không phát sinh”.")
    elif r.value_type == "integer":
        key = "integer"
        if key not in validations:
            validations[key] = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                showErrorMessage=True, errorStyle="warning", errorTitle="Số không hợp lệ",
                error="Nhập một số nguyên không âm, hoặc “Không phát sinh”.")
    else:
        return
    validations[key].add(cell)


# --------------------------------------------------------------------------- appendix II


def _write_tasks(ws, data: ReturnExport, progress: Callable[[], None]) -> None:  # noqa: ANN001
    headers = ["Lĩnh vực", "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện", "Tình trạng",
               "Kết quả thực hiện", "Tài liệu kiểm chứng"]
    sheet = _Sheet(ws, [6, 5, 40, 17, 18, 14, 27, 27])
    head_row = _TITLE_ROWS + 1
    ws.freeze_panes = f"A{head_row + 1}"
    _page_setup(ws, landscape=True, title_rows=f"{head_row}:{head_row}",
                footer_left=f"{data.unit_code} – {data.period.label}", footer_right="Phụ lục II")
    _title_block(sheet, "II", "TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ TRONG KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH", data)
    st = sheet.st
    head = st.get(bold=True, h="center", v="center")
    first = sheet.append([_cell(ws, h, head) for h in headers],
                         texts=[(h, i, i, 12, True) for i, h in enumerate(headers, start=1)])
    assert first == head_row
    n = sheet.ncols

    if not data.tasks:
        style = st.get(italic=True, h="center")
        sheet.append([_cell(ws, "Đơn vị chưa có kế hoạch CCHC áp dụng cho kỳ báo cáo này.", style)]
                     + [_cell(ws, None, style) for _ in range(n - 1)], texts=[])
        sheet.merge(1, n)
    plain = st.get()
    centre = st.get(h="center")
    late = st.get(fill=_FILL_OVERDUE)
    late_centre = st.get(h="center", fill=_FILL_OVERDUE)
    late_status = st.get(bold=True, color=_RED, h="center", fill=_FILL_OVERDUE)
    area_style = st.get(bold=True, fill=_FILL_GROUP)
    area_centre = st.get(bold=True, h="center", fill=_FILL_GROUP)
    total_style = st.get(bold=True, italic=True)
    for numeral, title, tasks in data.areas():
        sheet.append([_cell(ws, numeral, area_centre), _cell(ws, title, area_style)]
                     + [_cell(ws, None, area_style) for _ in range(n - 2)], texts=[(title, 2, n, 12, True)])
        sheet.merge(2, n)
        for t in tasks:
            cells, texts = _task_cells(ws, t, late if t.overdue else plain, late_centre if t.overdue else centre,
                                       late_status if t.overdue else centre)
            sheet.append(cells, texts=texts)
            progress()
        _total_row(sheet, f"Cộng lĩnh vực {numeral}".strip(), tasks, total_style, data.rounding)
    if data.tasks:
        _total_row(sheet, "TỔNG CỘNG", data.tasks, st.get(bold=True, fill=_FILL_GROUP), data.rounding)
    sheet.flush()


def _task_cells(ws, t: ExportTask, text: object, centre: object,  # noqa: ANN001
                status: object) -> tuple[list[Cell], list[tuple[str | None, int, int, float, bool]]]:
    title = t.title if not t.owner else f"{t.title}\n({t.owner})"
    result, evidence, label = t.result_display, t.evidence_display, t.status_label
    cells = [
        _cell(ws, t.area_numeral, centre),
        _cell(ws, t.number, centre),
        _cell(ws, title, text),
        _cell(ws, t.lead, text),
        _cell(ws, t.timeframe_text, text),
        _cell(ws, label, status),
        _cell(ws, result, text),
        _cell(ws, evidence, text),
    ]
    texts = [(title, 3, 3, 12, False), (t.lead, 4, 4, 12, False), (t.timeframe_text, 5, 5, 12, False),
             (label, 6, 6, 12, t.overdue), (result, 7, 7, 12, False), (evidence, 8, 8, 12, False),
             (t.number, 2, 2, 12, False)]
    return cells, texts


def _total_row(sheet: _Sheet, label: str, tasks: list[ExportTask], style: object, rounding: str) -> None:
    totals = TaskTotals.of(tasks, rounding)
    text = f"{label}: {totals.total} nhiệm vụ; {totals.sentence()}."
    ws = sheet.ws
    sheet.append([_cell(ws, None, style), _cell(ws, text, style)] + [_cell(ws, None, style)
                                                                    for _ in range(sheet.ncols - 2)],
                 texts=[(text, 2, sheet.ncols, 12, True)])
    sheet.merge(2, sheet.ncols)


# --------------------------------------------------------------------------- hidden data sheet


def _write_data(ws, data: ReturnExport, content: dict, text: str, digest: str,  # noqa: ANN001
                refs: dict[str, CellRef], exported_at: str, seal: str, package: list[PackageFile],
                signature: bytes | None) -> None:
    sheet = _Sheet(ws, [])

    def row(*values: object) -> None:
        sheet.append([(_text(v) if isinstance(v, str) else v, None) for v in values])

    def chunked(key: str, whole: str) -> None:
        # Canonical JSON (NFC, control characters escaped) or base64: written as it is, not through the
        # cache of short texts. Excel keeps at most 32 767 characters in a cell.
        for i in range(0, len(whole), _CHUNK):
            part = whole[i:i + _CHUNK]
            sheet.append([(_text(key), None), (_Text(part, _xml_escaped(part), False), None)])

    chunks = (len(text) + _CHUNK - 1) // _CHUNK
    row(FORMAT_MARK, FORMAT_VERSION)
    row("content_sha256", digest)
    row("seal_sha256", seal)
    row("exported_at", exported_at)
    row("app", APP_TITLE)
    row("app_version", APP_VERSION)
    row("unit_code", data.unit_code)
    row("period_code", data.period.code)
    row("template", data.template_code, data.template_version)
    row("content_chunks", max(chunks, 1))
    if text:
        chunked("content", text)
    else:
        row("content", None)
    for f in package:
        row("package_file", f.path, f.sha256, f.size)
    if signature is not None:
        b64 = base64.b64encode(signature).decode("ascii")
        row("signature_chunks", (len(b64) + _CHUNK - 1) // _CHUNK)
        chunked("signature", b64)
    row("cells", "code", "sheet", "value_cell", "value", "note_cell", "note", "stt", "name")
    values = content["values"]
    for code, ref in refs.items():
        v = values[code]
        row("cell", code, ref.sheet, ref.value_cell, v["value"], ref.note_cell, v["note"], ref.stt, ref.name)
    row("end")
    sheet.flush()
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    ws.protection.password = PROTECTION_PASSWORD


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class XlsxExportResult:
    path: Path
    content_sha256: str
    exported_at: datetime
    seal_sha256: str = ""
    signed: bool = False


def export_return_xlsx(
    data: ReturnExport,
    path: Path,
    progress: Progress | None = None,
    *,
    exported_at: datetime | None = None,
    package: list[PackageFile] | None = None,
    sign: SignFn | None = None,
) -> XlsxExportResult:
    """Write the return workbook to ``path`` atomically.

    ``package`` names the files that travel beside it in a return package (``core.reports.package``);
    ``sign`` makes the detached CMS signature over the sealed bytes (``core.signatures.signing``). Both are
    covered by the seal. ``progress(done, total)`` is called as rows are written; an exception raised
    from it (e.g. the user cancelled) aborts the export and removes the temporary file.
    """
    path = Path(path)
    exported_at = exported_at or datetime.now().astimezone()
    stamp = exported_at.isoformat(timespec="seconds")
    package = list(package or [])
    if data.status == "blank" and (package or sign is not None):
        raise ExportError("Biểu mẫu trống không ký số và không đóng gói.")
    content = data.content()
    text = canonical_json(content)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()  # == sha256_of_content(content)
    sealed = sealed_bytes(content, stamp, package, content_json=text)
    seal = hashlib.sha256(sealed).hexdigest()  # == seal_sha256(content, stamp, package)
    signature = sign(sealed) if sign is not None else None
    total = len(data.rows) + len(data.tasks) + 2
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 50 == 0):
            progress(min(done, total - 1), total)

    if progress is not None:
        progress(0, total)
    wb = Workbook(write_only=True)
    try:
        wb.properties.creator = APP_TITLE
        wb.properties.title = f"Báo cáo CCHC {data.period.label} – {data.unit_name}"
        wb.properties.subject = data.template_title
        if data.status == "blank":
            wb.properties.keywords = BLANK_FORM_MARK
            wb.properties.title = f"Biểu mẫu trống CCHC {data.period.label} – {data.unit_name}"
            _write_stats(wb.create_sheet(STATS_SHEET), data, tick)
        else:
            refs = _write_stats(wb.create_sheet(STATS_SHEET), data, tick)
            _write_tasks(wb.create_sheet(TASKS_SHEET), data, tick)
            _write_data(wb.create_sheet(DATA_SHEET), data, content, text, digest, refs, stamp, seal, package,
                        signature)
        wb.security = WorkbookProtection(workbookPassword=PROTECTION_PASSWORD, lockStructure=True)
        _save_atomically(wb, path)
    except BaseException:
        _discard(wb)
        raise
    if progress is not None:
        progress(total, total)
    return XlsxExportResult(path, digest, exported_at, seal, signature is not None)


def _discard(wb: Workbook) -> None:
    """After a failure: close the write-only sheets' streams and delete their temporary files."""
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    for ws in wb._sheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        if rows is not None:
            with suppress(Exception):
                rows.close()
        if writer is not None:
            with suppress(Exception):
                writer.close()
            out = getattr(writer, "out", None)
            if isinstance(out, str):
                with suppress(OSError):
                    os.unlink(out)
                with suppress(ValueError):
                    ALL_TEMP_FILES.remove(out)


def _save_atomically(wb: Workbook, path: Path) -> None:
    with replaced_atomically(path, busy="trong Excel hoặc chương trình khác") as tmp:
        wb.save(tmp)
