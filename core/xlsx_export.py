"""The return workbook (.xlsx): the appendices as a clerk prints them, plus the data the level above imports.

Sheets:

1. "Thống kê số liệu" — Phụ lục I, the statistical appendix as in seed 004: a title
   block; STT / Chỉ tiêu thống kê / (Kết quả thống kê: Đơn vị tính / Số liệu) / Ghi chú
   with merged header cells; group rows bold, "Trong đó" rows italic. Values are
   numbers (blank stays an empty cell, never 0); coded answers hold their code and
   the unit column holds the meanings ("Chưa = 0 Đang làm = 1 Hoàn thành = 2").
2. "Tiến độ nhiệm vụ" — Phụ lục II, the plan's tasks by area with status, result and
   evidence; overdue tasks marked; a total per area and overall.
3. "CCHC_DATA" — very hidden and protected: the machine-readable return as canonical
   JSON with its SHA-256, the seal (``core.return_seal``: a SHA-256 over the content,
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
import binascii
import hashlib
import math
import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.page import PageMargins

from core.appdata import APP_TITLE, APP_VERSION
from core.return_seal import SEAL_FORMAT, PackageFile, seal_sha256, sealed_bytes
from core.returns.report_model import (
    ExportFormRow,
    ExportTask,
    ReturnExport,
    TaskTotals,
    canonical_json,
    clean_text,
    sha256_of_content,
)
from core.safe_files import RETURN_LIMITS, InputFileError, damaged, open_xlsx
from core.vnformat import NumberParseError, nfc, parse_number

__all__ = [
    "DATA_SHEET",
    "FORMAT_MARK",
    "FORMAT_VERSION",
    "PROTECTION_PASSWORD",
    "STATS_SHEET",
    "TASKS_SHEET",
    "CellRef",
    "EditedCell",
    "ReturnWorkbook",
    "ReturnWorkbookError",
    "XlsxExportResult",
    "export_return_xlsx",
    "read_return_workbook",
]

STATS_SHEET = "Thống kê số liệu"
TASKS_SHEET = "Tiến độ nhiệm vụ"
DATA_SHEET = "CCHC_DATA"
FORMAT_MARK = "cchc-return-workbook"
# 2: the seal covers the export time and the package's files, and a signature may follow. A file of
# format 1 left ``exported_at`` outside its hash (anyone could make an old file "newer"): refused.
FORMAT_VERSION = SEAL_FORMAT
# A speed bump, not security: anyone can remove sheet protection. The SHA-256 of
# the content is what detects tampering.
PROTECTION_PASSWORD = "CCHC-khong-sua"

_CHUNK = 30_000  # an Excel cell holds at most 32 767 characters
_MAX_CELL_TEXT = 32_000
_FONT = "Times New Roman"

ProgressFn = Callable[[int, int], None]
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


class _Styles:
    """Style arrays built once per workbook and copied onto each cell (fast in write-only mode)."""

    def __init__(self, ws) -> None:  # noqa: ANN001 - a write-only worksheet
        self._ws = ws
        self._cache: dict[tuple, object] = {}

    def get(self, *, size: float = 12, bold: bool = False, italic: bool = False, color: str | None = None,
            h: str = "left", v: str = "top", wrap: bool = True, border: bool = True,
            fill: PatternFill | None = None, fmt: str | None = None, indent: int = 0) -> object:
        key = (size, bold, italic, color, h, v, wrap, border, fill.fgColor.rgb if fill else None, fmt, indent)
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
            style = c._style
            self._cache[key] = style
        return style


def _cell(ws, value: object, style: object) -> Cell:  # noqa: ANN001
    """A write-only cell; text is always text (never a formula), whatever it starts with."""
    if isinstance(value, str):
        value = clean_text(value)
        if len(value) > _MAX_CELL_TEXT:
            value = value[:_MAX_CELL_TEXT] + "…"
        if value == "":
            value = None
    c = Cell(ws, row=1, column=1, value=value, style_array=copy(style))
    if isinstance(value, str):
        # openpyxl turns "=…" into a formula on assignment; force a plain string.
        c.data_type = "s"
        if value[:1] in ("=", "+", "-", "@"):
            c.quotePrefix = True  # and keep it text if someone edits the cell in Excel
    return c


# --------------------------------------------------------------------------- page setup


def _mm(mm: float) -> float:
    return mm / 25.4


def _footer_text(text: str) -> str:
    return nfc(text).replace("&", "&&")


def _page_setup(ws, *, landscape: bool, title_rows: str, footer_left: str, footer_right: str) -> None:  # noqa: ANN001
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Decree 30 margins (portrait: left 30 mm, right 15 mm; landscape appendices 20/15 mm).
    ws.page_margins = PageMargins(left=_mm(20 if landscape else 25), right=_mm(15), top=_mm(20), bottom=_mm(20),
                                  header=_mm(8), footer=_mm(8))
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = title_rows
    for part, text in ((ws.oddFooter.left, footer_left), (ws.oddFooter.center, "Trang &P/&N"),
                       (ws.oddFooter.right, footer_right)):
        part.text = _footer_text(text) if part is not ws.oddFooter.center else text
        part.font = f"{_FONT},Regular"
        part.size = 10


def _set_widths(ws, widths: list[float]) -> None:  # noqa: ANN001
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _lines_needed(text: str, width_chars: float, size: float) -> int:
    scale = size / 11.0  # column widths are in characters of the 11 pt default font
    lines = 0
    for para in (text or " ").split("\n"):
        lines += max(1, math.ceil(len(para) * scale * 1.05 / max(width_chars, 1.0)))
    return lines


class _Sheet:
    """Appends rows to a write-only sheet and keeps track of row numbers and merges."""

    def __init__(self, ws, widths: list[float]) -> None:  # noqa: ANN001
        self.ws = ws
        self.widths = widths
        self.ncols = len(widths)
        self.row = 0
        self.st = _Styles(ws)
        _set_widths(ws, widths)

    def append(self, cells: list[Cell], height: float | None = None) -> int:
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)
        return self.row

    def merge(self, first_col: int, last_col: int, row: int | None = None, last_row: int | None = None) -> None:
        r = row or self.row
        self.ws.merged_cells.add(f"{get_column_letter(first_col)}{r}:{get_column_letter(last_col)}{last_row or r}")

    def banner(self, text: str, *, size: float = 13, bold: bool = True, italic: bool = False) -> None:
        """A title line merged across the table's width, not bordered."""
        style = self.st.get(size=size, bold=bold, italic=italic, h="center", v="center", border=False)
        blank = self.st.get(border=False)
        lines = _lines_needed(text, sum(self.widths) * 0.95, size)
        height = None if lines == 1 else lines * size * 1.35
        self.append([_cell(self.ws, text, style)] + [_cell(self.ws, None, blank) for _ in range(self.ncols - 1)],
                     height)
        self.merge(1, self.ncols)

    def blank(self) -> None:
        self.append([], height=8)


# --------------------------------------------------------------------------- appendix I


_TITLE_ROWS = 5  # "Phụ lục", two title lines, "(Kèm theo …)", a spacer


def _title_block(sheet: _Sheet, numeral: str, title: str, data: ReturnExport) -> None:
    sheet.banner(f"Phụ lục {numeral}", size=14)
    sheet.banner(title, size=13)
    sheet.banner(f"{data.period.title_phrase} của {data.issuer_name}".upper(), size=13)
    sheet.banner(data.attached_to(), size=12, bold=False, italic=True)
    sheet.blank()
    assert sheet.row == _TITLE_ROWS


@dataclass(frozen=True)
class CellRef:
    """Where an indicator sits in the visible workbook."""

    sheet: str
    value_cell: str  # "D12"
    note_cell: str  # "E12"
    stt: str  # "1.1.1." as printed in column A
    name: str


def _write_stats(ws, data: ReturnExport, progress: Callable[[], None]) -> dict[str, CellRef]:  # noqa: ANN001
    # Landscape like the PDF appendix: at 12 pt the table then prints at full size on A4.
    sheet = _Sheet(ws, [8, 57, 18, 15, 36])  # the value column holds "Không phát sinh"
    # Write-only mode writes the sheet's properties and view with the first row: set them first.
    head_row = _TITLE_ROWS + 1
    ws.freeze_panes = f"A{head_row + 2}"
    _page_setup(ws, landscape=True, title_rows=f"{head_row}:{head_row + 1}",
                footer_left=f"{data.unit_code} – {data.period.label}", footer_right="Phụ lục I")
    _title_block(sheet, "I", "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", data)
    st = sheet.st
    head = st.get(bold=True, h="center", v="center")
    first = sheet.append([
        _cell(ws, "STT", head),
        _cell(ws, "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)", head),
        _cell(ws, "Kết quả thống kê", head),
        _cell(ws, None, head),
        _cell(ws, "Ghi chú", head),
    ])
    sheet.append([_cell(ws, None, head), _cell(ws, None, head), _cell(ws, "Đơn vị tính", head),
                  _cell(ws, "Số liệu", head), _cell(ws, None, head)])
    sheet.merge(1, 1, first, first + 1)
    sheet.merge(2, 2, first, first + 1)
    sheet.merge(3, 4, first, first)
    sheet.merge(5, 5, first, first + 1)
    assert first == head_row

    refs: dict[str, CellRef] = {}
    for r in data.rows:
        bold = r.kind == "group"
        italic = r.breakdown
        fill = _FILL_GROUP if bold else None
        text_style = st.get(bold=bold, italic=italic, fill=fill)
        name_style = st.get(bold=bold, italic=italic, fill=fill, indent=1 if r.breakdown else 0)
        centre = st.get(bold=bold, italic=italic, h="center", fill=fill)
        value = r.value if r.is_value else None
        value_style = st.get(bold=bold, italic=italic, h="right" if not isinstance(value, str) else "left",
                             fill=fill, fmt=number_format_for(r) if not isinstance(value, str) else None)
        row = sheet.append([
            _cell(ws, r.stt, centre),
            _cell(ws, r.print_name, name_style),
            _cell(ws, r.unit_label, centre),
            _cell(ws, value, value_style),
            _cell(ws, r.note, text_style),
        ])
        if r.is_value:
            refs[r.code] = CellRef(STATS_SHEET, f"D{row}", f"E{row}", r.stt, r.print_name)
        progress()
    return refs


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
    first = sheet.append([_cell(ws, h, head) for h in headers])
    assert first == head_row
    n = sheet.ncols

    if not data.tasks:
        style = st.get(italic=True, h="center")
        sheet.append([_cell(ws, "Đơn vị chưa có kế hoạch CCHC áp dụng cho kỳ báo cáo này.", style)]
                     + [_cell(ws, None, style) for _ in range(n - 1)])
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
                     + [_cell(ws, None, area_style) for _ in range(n - 2)])
        sheet.merge(2, n)
        for t in tasks:
            sheet.append(_task_cells(ws, t, late if t.overdue else plain, late_centre if t.overdue else centre,
                                     late_status if t.overdue else centre))
            progress()
        _total_row(sheet, f"Cộng lĩnh vực {numeral}".strip(), tasks, total_style, data.rounding)
    if data.tasks:
        _total_row(sheet, "TỔNG CỘNG", data.tasks, st.get(bold=True, fill=_FILL_GROUP), data.rounding)


def _task_cells(ws, t: ExportTask, text: object, centre: object, status: object) -> list[Cell]:  # noqa: ANN001
    title = t.title if not t.owner else f"{t.title}\n({t.owner})"
    return [
        _cell(ws, t.area_numeral, centre),
        _cell(ws, t.number, centre),
        _cell(ws, title, text),
        _cell(ws, t.lead, text),
        _cell(ws, t.timeframe_text, text),
        _cell(ws, t.status_label, status),
        _cell(ws, t.result_display, text),
        _cell(ws, t.evidence_display, text),
    ]


def _total_row(sheet: _Sheet, label: str, tasks: list[ExportTask], style: object, rounding: str) -> None:
    totals = TaskTotals.of(tasks, rounding)
    text = f"{label}: {totals.total} nhiệm vụ; {totals.sentence()}."
    ws = sheet.ws
    sheet.append([_cell(ws, None, style), _cell(ws, text, style)] + [_cell(ws, None, style)
                                                                    for _ in range(sheet.ncols - 2)])
    sheet.merge(2, sheet.ncols)


# --------------------------------------------------------------------------- hidden data sheet


def _write_data(ws, data: ReturnExport, content: dict, text: str, digest: str,  # noqa: ANN001
                refs: dict[str, CellRef], exported_at: str, seal: str, package: list[PackageFile],
                signature: bytes | None) -> None:
    def row(*values: object) -> None:
        cells = []
        for v in values:
            c = Cell(ws, row=1, column=1, value=clean_text(v) if isinstance(v, str) else v)
            if isinstance(v, str):
                c.data_type = "s"
            cells.append(c)
        ws.append(cells)

    chunks = [text[i:i + _CHUNK] for i in range(0, len(text), _CHUNK)] or [""]
    row(FORMAT_MARK, FORMAT_VERSION)
    row("content_sha256", digest)
    row("seal_sha256", seal)
    row("exported_at", exported_at)
    row("app", APP_TITLE)
    row("app_version", APP_VERSION)
    row("unit_code", data.unit_code)
    row("period_code", data.period.code)
    row("template", data.template_code, data.template_version)
    row("content_chunks", len(chunks))
    for chunk in chunks:
        row("content", chunk)
    for f in package:
        row("package_file", f.path, f.sha256, f.size)
    if signature is not None:
        b64 = base64.b64encode(signature).decode("ascii")
        sig_chunks = [b64[i:i + _CHUNK] for i in range(0, len(b64), _CHUNK)]
        row("signature_chunks", len(sig_chunks))
        for chunk in sig_chunks:
            row("signature", chunk)
    row("cells", "code", "sheet", "value_cell", "value", "note_cell", "note", "stt", "name")
    values = content["values"]
    for code, ref in refs.items():
        v = values[code]
        row("cell", code, ref.sheet, ref.value_cell, v["value"], ref.note_cell, v["note"], ref.stt, ref.name)
    row("end")
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
    progress: ProgressFn | None = None,
    *,
    exported_at: datetime | None = None,
    package: list[PackageFile] | None = None,
    sign: SignFn | None = None,
) -> XlsxExportResult:
    """Write the return workbook to ``path`` atomically.

    ``package`` names the files that travel beside it in a return package (``core.return_package``);
    ``sign`` makes the detached CMS signature over the sealed bytes (``core.signatures.signing``). Both are
    covered by the seal. ``progress(done, total)`` is called as rows are written; an exception raised
    from it (e.g. the user cancelled) aborts the export and removes the temporary file.
    """
    path = Path(path)
    exported_at = exported_at or datetime.now().astimezone()
    stamp = exported_at.isoformat(timespec="seconds")
    package = list(package or [])
    content = data.content()
    text = canonical_json(content)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()  # == sha256_of_content(content)
    seal = seal_sha256(content, stamp, package)
    signature = sign(sealed_bytes(content, stamp, package)) if sign is not None else None
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
        refs = _write_stats(wb.create_sheet(STATS_SHEET), data, tick)
        _write_tasks(wb.create_sheet(TASKS_SHEET), data, tick)
        _write_data(wb.create_sheet(DATA_SHEET), data, content, text, digest, refs, stamp, seal, package, signature)
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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.tmp", dir=str(path.parent))
    os.close(fd)
    try:
        wb.save(tmp_name)
        try:
            os.replace(tmp_name, path)
        except PermissionError as exc:
            raise PermissionError(
                f"Không ghi được tệp “{path.name}”: tệp có thể đang mở trong Excel hoặc chương trình khác. "
                "Hãy đóng tệp rồi thử lại."
            ) from exc
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp_name)
        raise


# --------------------------------------------------------------------------- reading back


class ReturnWorkbookError(InputFileError):
    """Not a return workbook written by this program (or damaged); Vietnamese message.

    ``code`` says which: ``not_return`` (no data sheet: another workbook, maybe filled in by
    hand), ``damaged`` (the data sheet cannot be read), ``newer_format`` or ``old_format``
    (written before the seal covered the export time).
    """

    def __init__(self, message: str, code: str = "damaged") -> None:
        super().__init__(message)
        self.code = code


class EditedCell(NamedTuple):
    """``(code, exported, now)``: a visible cell whose value differs from what was exported."""

    code: str
    exported: object
    now: object


@dataclass
class ReturnWorkbook:
    """A return workbook read back: its content, whether it is intact, and what was edited in Excel.

    - ``content``: the return as exported (see ``ReturnExport.content``): ``unit``,
      ``period``, ``template``, ``status``, ``values`` {code: {value, note}},
      ``plans``, ``tasks``, ``sections``;
    - ``hash_ok``: the stored SHA-256 of the content and the seal (content, export time and
      package files, ``core.return_seal``) both match (False: tampered or damaged);
    - ``signature``: the detached CMS signature over ``sealed_bytes()``, if the unit signed
      (checked by ``core.signatures.check``, not here);
    - ``package``: the other files of the return package the seal names;
    - ``cells_ok``: the values recorded beside each cell address agree with the content;
    - ``edited_cells`` / ``edited_notes``: visible cells changed after export,
      as ``(code, exported, now)``;
    - ``moved``: codes whose row was found elsewhere (rows inserted or deleted in Excel);
    - ``missing``: codes whose row could not be found at all.
    """

    path: Path
    content: dict
    content_sha256: str
    computed_sha256: str
    exported_at: str | None
    app_version: str | None
    format_version: int
    seal_sha256: str = ""
    package: list[PackageFile] = field(default_factory=list)
    signature: bytes | None = None
    cells: dict[str, CellRef] = field(default_factory=dict)
    cells_ok: bool = True
    edited_cells: list[EditedCell] = field(default_factory=list)
    edited_notes: list[EditedCell] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def hash_ok(self) -> bool:
        return self.content_sha256 == self.computed_sha256 and bool(self.seal_sha256) \
            and self.seal_sha256 == seal_sha256(self.content, self.exported_at or "", self.package)

    def sealed_bytes(self) -> bytes:
        """What the signature, if any, was made over (``core.return_seal``)."""
        return sealed_bytes(self.content, self.exported_at or "", self.package)

    @property
    def intact(self) -> bool:
        """Nothing changed since export: hash and cell records agree, no visible edit."""
        return self.hash_ok and self.cells_ok and not self.edited_cells and not self.edited_notes

    @property
    def unit_code(self) -> str:
        return self.content["unit"]["code"]

    @property
    def period_code(self) -> str:
        return self.content["period"]["code"]

    @property
    def template_code(self) -> str:
        return self.content["template"]["code"]

    @property
    def template_version(self) -> int:
        return int(self.content["template"]["version"])

    @property
    def values(self) -> dict[str, object]:
        """Code → value as exported (None = blank)."""
        return {code: v["value"] for code, v in self.content["values"].items()}

    def current_values(self) -> dict[str, object]:
        """Code → value as the visible sheet shows it now (edits applied)."""
        out = self.values
        for code, _, now in self.edited_cells:
            out[code] = now
        return out


def _same(exported: object, now: object) -> bool:
    if isinstance(now, str):
        now = nfc(now).strip() or None
    if isinstance(exported, str):
        exported = nfc(exported).strip() or None
    if exported is None or now is None:
        return exported is None and now is None
    if isinstance(exported, bool) or isinstance(now, bool):
        return exported == now
    if isinstance(exported, (int, float)) and isinstance(now, str):
        try:
            parsed = parse_number(now)
        except NumberParseError:
            return False
        now = float(parsed) if parsed is not None else None
        if now is None:
            return False
    if isinstance(exported, (int, float)) and isinstance(now, (int, float)):
        return math.isclose(float(exported), float(now), rel_tol=1e-9, abs_tol=1e-9)
    return exported == now


def _parse_cell_address(address: str) -> tuple[int, int]:
    col, row = coordinate_from_string(address)
    return row, column_index_from_string(col)


def read_return_workbook(path: Path) -> ReturnWorkbook:
    """Read a return workbook written by ``export_return_xlsx``; verify it; list cells edited in Excel.

    The file passes ``safe_files.check_xlsx`` (size and zip-bomb checks) and its XML is parsed
    through defusedxml. Only the two sheets needed are read — the hidden data sheet, and of
    the statistical sheet the STT and name columns (to find rows moved in Excel) and the
    value and note columns — straight from their XML (``core.xlsx_stream``); a file that
    reader cannot follow is read with openpyxl's read-only mode instead. Raises
    ``ReturnWorkbookError`` (Vietnamese message) when the file is not such a workbook or its
    data sheet cannot be read; a tampered content is not an error here — ``hash_ok`` is False
    and the caller decides.
    """
    path = Path(path)
    from core.xlsx_stream import XlsxSheets, XlsxStreamError

    try:
        source: _Source = XlsxSheets(path, RETURN_LIMITS)
    except XlsxStreamError:
        source = _OpenpyxlSource(path)
    try:
        return _read_book(path, source)
    except (InputFileError, ReturnWorkbookError):
        raise
    except Exception:  # something the streaming reader did not expect: openpyxl decides
        if isinstance(source, _OpenpyxlSource):
            raise damaged(path) from None
        source.close()
        source = _OpenpyxlSource(path)
        try:
            return _read_book(path, source)
        except (InputFileError, ReturnWorkbookError):
            raise
        except Exception:  # a forged or damaged part openpyxl cannot follow either
            raise damaged(path) from None
    finally:
        source.close()


class _Source:
    """What the reader needs of a workbook: its sheet names and chosen columns of a sheet's rows."""

    sheetnames: list[str]

    def rows(self, name: str, columns: set[int] | None = None):  # noqa: ANN201 - Iterator[(int, dict)]
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _OpenpyxlSource(_Source):
    def __init__(self, path: Path) -> None:
        self.wb = open_xlsx(path, read_only=True, data_only=True, limits=RETURN_LIMITS)
        for ws in self.wb.worksheets:
            ws.reset_dimensions()  # a forged dimension (A1:XFD1048576) must not make rows of empty cells
        self.sheetnames = self.wb.sheetnames

    def rows(self, name: str, columns: set[int] | None = None):  # noqa: ANN201
        for r, row in enumerate(self.wb[name].iter_rows(values_only=True), start=1):
            cells = {c: v for c, v in enumerate(row, start=1)
                     if v is not None and (columns is None or c in columns)}
            if cells:
                yield r, cells

    def close(self) -> None:
        self.wb.close()


def _read_book(path: Path, source: _Source) -> ReturnWorkbook:
    import json

    if DATA_SHEET not in source.sheetnames:
        raise ReturnWorkbookError(
            f"Tệp “{path.name}” không phải là báo cáo xuất từ chương trình {APP_TITLE} "
            "(không có trang dữ liệu máy đọc). Nếu đây là biểu mẫu điền tay, hãy dùng chức năng nhập từ Excel.",
            "not_return",
        )
    meta: dict[str, list[object]] = {}
    chunks: list[str] = []
    sig_chunks: list[str] = []
    package_rows: list[list[object]] = []
    cell_rows: list[list[object]] = []
    for _, cells in source.rows(DATA_SHEET):
        first = cells.get(1)
        if first is None:
            continue
        key = str(first)
        rest = [cells.get(c) for c in range(2, max(cells) + 1)]
        if key == "content":
            chunks.append("" if not rest or rest[0] is None else str(rest[0]))
        elif key == "cell":
            cell_rows.append(rest)
        elif key == "signature":
            sig_chunks.append("" if not rest or rest[0] is None else str(rest[0]))
        elif key == "package_file":
            package_rows.append(rest)
        else:
            meta.setdefault(key, rest)
    if FORMAT_MARK not in meta:
        raise ReturnWorkbookError(f"Tệp “{path.name}”: trang dữ liệu máy đọc không đúng định dạng.")
    try:
        version = int(meta[FORMAT_MARK][0] or 0) if meta[FORMAT_MARK] else 0
    except (ValueError, TypeError):
        raise ReturnWorkbookError(f"Tệp “{path.name}”: trang dữ liệu máy đọc không đúng định dạng.") from None
    if version > FORMAT_VERSION:
        raise ReturnWorkbookError(
            f"Tệp “{path.name}” được xuất từ phiên bản mới hơn của chương trình; hãy cập nhật chương trình.",
            "newer_format",
        )
    if version < FORMAT_VERSION:
        raise ReturnWorkbookError(
            f"Tệp “{path.name}” được xuất từ phiên bản cũ của chương trình, chưa có mã kiểm tra thời điểm xuất "
            "nên không xác định được bản nào mới hơn. Đề nghị đơn vị cập nhật chương trình rồi xuất lại.",
            "old_format",
        )
    try:
        expected_chunks = int(meta.get("content_chunks", [len(chunks)])[0])
        if expected_chunks != len(chunks):
            raise ValueError("chunks")
        content = json.loads("".join(chunks))
        if not isinstance(content, dict) or not isinstance(content.get("values"), dict):
            raise ValueError("shape")
        if _json_depth(content) > MAX_CONTENT_DEPTH:
            raise ValueError("depth")
    except (ValueError, TypeError, IndexError, RecursionError):
        # RecursionError: JSON nested thousands deep; its English text must not reach the user.
        raise ReturnWorkbookError(
            f"Tệp “{path.name}”: dữ liệu máy đọc bị hỏng hoặc đã bị sửa, không đọc được."
        ) from None
    stored = str((meta.get("content_sha256") or [""])[0] or "")
    try:
        package = [PackageFile(str(r[0]), str(r[1]), int(r[2])) for r in package_rows]
        expected_sig = int(meta.get("signature_chunks", [len(sig_chunks)])[0])
        if expected_sig != len(sig_chunks):
            raise ValueError("signature chunks")
        signature = base64.b64decode("".join(sig_chunks), validate=True) if sig_chunks else None
    except (ValueError, TypeError, IndexError, binascii.Error):
        raise ReturnWorkbookError(
            f"Tệp “{path.name}”: chữ ký số hoặc danh sách tệp kèm theo trong dữ liệu máy đọc bị hỏng."
        ) from None
    result = ReturnWorkbook(
        path=path,
        content=content,
        content_sha256=stored,
        computed_sha256=sha256_of_content(content),
        exported_at=str(meta["exported_at"][0]) if meta.get("exported_at") else None,
        app_version=str(meta["app_version"][0]) if meta.get("app_version") else None,
        format_version=version,
        seal_sha256=str((meta.get("seal_sha256") or [""])[0] or ""),
        package=package,
        signature=signature,
    )
    exported_values = content["values"]
    records: dict[str, tuple[CellRef, object, object]] = {}
    for rest in cell_rows:
        rest = rest + [None] * (8 - len(rest))
        code, sheet, vcell, value, ncell, note, stt, name = rest[:8]
        if not code or not sheet or not vcell:
            continue
        ref = CellRef(str(sheet), str(vcell), str(ncell or ""), str(stt or ""), str(name or ""))
        records[str(code)] = (ref, value, note)
        result.cells[str(code)] = ref
        v = exported_values.get(str(code))
        if v is None or not _same(v.get("value"), value) or not _same(v.get("note"), note):
            result.cells_ok = False
    if set(records) != set(exported_values):
        result.cells_ok = False
    _compare_visible(source, records, result)
    return result


# The content written by export_return_xlsx nests 4 levels deep; anything far deeper is forged.
MAX_CONTENT_DEPTH = 16


def _json_depth(value: object) -> int:
    """How deep lists and objects nest, counted without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_CONTENT_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _compare_visible(source: _Source, records: dict[str, tuple[CellRef, object, object]],
                     result: ReturnWorkbook) -> None:
    by_sheet: dict[str, dict[str, tuple[CellRef, object, object]]] = {}
    for code, rec in records.items():
        by_sheet.setdefault(rec[0].sheet, {})[code] = rec
    for sheet_name, recs in by_sheet.items():
        if sheet_name not in source.sheetnames:
            result.missing.extend(recs)
            continue
        # Only the columns that matter: STT and name (to find moved rows), the values and the notes.
        columns = {1, 2}
        for ref, _, _ in recs.values():
            columns.add(_parse_cell_address(ref.value_cell)[1])
            if ref.note_cell:
                columns.add(_parse_cell_address(ref.note_cell)[1])
        grid: dict[int, dict[int, object]] = {}
        index: dict[tuple[str, str], list[int]] = {}
        for r, cells in source.rows(sheet_name, columns):
            grid[r] = cells
            key = (nfc(str(cells.get(1) or "")).strip(), nfc(str(cells.get(2) or "")).strip())
            if key != ("", ""):
                index.setdefault(key, []).append(r)

        def at(r: int, c: int, grid: dict[int, dict[int, object]] = grid) -> object:
            row = grid.get(r)
            return row.get(c) if row is not None else None

        offset = 0  # rows inserted (+) or deleted (-) above, as found so far; codes come in sheet order
        for code, (ref, value, note) in recs.items():
            vr, vc = _parse_cell_address(ref.value_cell)
            expect = (nfc(ref.stt).strip(), nfc(ref.name).strip())
            here = (nfc(str(at(vr + offset, 1) or "")).strip(), nfc(str(at(vr + offset, 2) or "")).strip())
            if here == expect:
                found = vr + offset
            else:
                candidates = index.get(expect, [])
                if not candidates:
                    result.missing.append(code)
                    continue
                # Same STT and name can repeat ("Cấp tỉnh:" under 3.4.4 and 3.4.5): take the nearest.
                found = min(candidates, key=lambda r, target=vr + offset: abs(r - target))
                offset = found - vr
            if found != vr:
                result.moved.append(code)
                note_col = coordinate_from_string(ref.note_cell)[0] if ref.note_cell else ""
                result.cells[code] = CellRef(ref.sheet, f"{get_column_letter(vc)}{found}",
                                             f"{note_col}{found}" if note_col else "", ref.stt, ref.name)
            vr = found
            now = at(vr, vc)
            if not _same(value, now):
                result.edited_cells.append(EditedCell(code, value, now))
            if ref.note_cell:
                _, nc = _parse_cell_address(ref.note_cell)
                now_note = at(vr, nc)
                if not _same(note, now_note):
                    result.edited_notes.append(EditedCell(code, note, now_note))
