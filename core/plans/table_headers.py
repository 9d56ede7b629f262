"""Reading a plan table's sheet: each cell as clean text, the header row found by its Vietnamese
column names, which column is which field (``FIELDS``; ``--map E=lead`` settles what stays
ambiguous), and the shapes a data row's cells take (area numerals, STT numbers, bullets).

The sheets are streamed under ``PLAN_LIMITS`` (``core.xlsx_stream``); merged cells are filled
down their first column.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl.utils import get_column_letter

from core.forms import area_aliases
from core.org.units import fold
from core.safe_files import PLAN_LIMITS, InputFileError, damaged, limit_error, open_xlsx
from core.vnformat import from_roman, nfc
from core.xlsx_stream import XlsxSheets, XlsxStreamError

__all__ = [
    "Ambiguity",
    "ColumnInfo",
    "FIELDS",
    "PlanImportError",
    "parse_mapping",
]


# Field codes a column can be mapped to (``--map E=lead``), with their Vietnamese names.
FIELDS: dict[str, str] = {
    "stt": "Số thứ tự (STT)",
    "area": "Lĩnh vực / Nhiệm vụ chung",
    "objective": "Mục tiêu",
    "task": "Nhiệm vụ",
    "activity": "Hoạt động",
    "output": "Sản phẩm / Kết quả",
    "lead": "Cơ quan chủ trì",
    "partners": "Cơ quan phối hợp",
    "timeframe": "Thời gian thực hiện",
    "budget": "Kinh phí",
    "note": "Ghi chú",
    "ignore": "(bỏ qua cột này)",
}

HEADER_SEARCH_ROWS = 60
MAX_HEADER_CELL = 120


class PlanImportError(InputFileError):
    """The file cannot be imported as a plan; ``str()`` is a Vietnamese message."""


# --- cell text -----------------------------------------------------------------------------------

_HTML_HINT_RE = re.compile(r"</?(?:p|br|li|ul|ol|b|i|u|strong|em|span|div|td|tr)\b[^<>]*>", re.I)
_BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(?:br|li|p|ul|ol|div|tr|td)\b[^<>]*>", re.I)
_TAG_RE = re.compile(r"</?[a-z][^<>]*>", re.I)
_SPACES_RE = re.compile(r"[ \t\f\v\u00a0\u2007\u202f\u3000]+")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\ufeff]")


def _text(value: object) -> str:
    """A cell as clean text: NFC, no HTML left from a web paste, single spaces, no blank lines."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.10g}"
    s = nfc(str(value))
    if "<" in s and _HTML_HINT_RE.search(s):
        s = _TAG_RE.sub(" ", _BLOCK_TAG_RE.sub("\n", s))
        s = html.unescape(s)
    s = _ZERO_WIDTH_RE.sub("", s)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    s = s.replace("\x0b", "\n")  # Excel's line break pasted from Word
    lines = [_SPACES_RE.sub(" ", line).strip() for line in s.split("\n")]
    return "\n".join(line for line in lines if line)


def join_continued(a: str, b: str) -> str:
    """Join a cell continued on the next row: a page break cut it mid-sentence, or it is a new line."""
    if not a:
        return b
    if not b:
        return a
    if a[-1] in ".;:!?" or BULLET_RE.match(b):
        return f"{a}\n{b}"
    return f"{a} {b}"


# --- header recognition --------------------------------------------------------------------------

def header_key(text: str) -> str:
    k = fold(text)
    k = re.sub(r"[^a-z0-9/&]+", " ", k)
    return " ".join(k.split())


def field_scores(header: str) -> dict[str, int]:
    """How strongly a header cell names each field (3 certain, 2 usual, 1 possible)."""
    k = header_key(header)
    if not k or len(header) > MAX_HEADER_CELL:
        return {}
    s: dict[str, int] = {}

    def put(name: str, score: int) -> None:
        s[name] = max(s.get(name, 0), score)

    if re.fullmatch(r"(?:s\s?tt|tt|so tt|so thu tu|thu tu|so)", k):
        put("stt", 3)
    if "nhiem vu chung" in k or re.search(r"\blinh vuc\b", k) or "nhom nhiem vu" in k:
        put("area", 3)
    if "muc tieu" in k:
        put("objective", 3)
    if "hoat dong" in k:
        put("activity", 3)
    if "area" not in s:
        if re.search(r"nhiem vu cu the|ten nhiem vu|noi dung nhiem vu|noi dung cong viec", k):
            put("task", 3)
        elif k.startswith(("nhiem vu", "noi dung", "cong viec", "ten cong viec")):
            put("task", 2)
        elif "nhiem vu" in k:
            put("task", 1)
    if "san pham" in k:
        put("output", 3)
    elif re.search(r"\bket qua\b|dau ra|hinh thuc van ban", k):
        put("output", 2)
    if "phoi hop" in k:
        put("partners", 3)
    if "chu tri" in k:
        put("lead", 3)
    elif "phoi hop" not in k and re.search(
        r"(?:co quan|don vi|bo phan|trach nhiem)(?: [a-z/]+)*(?: thuc hien)?$|thuc hien$", k
    ) and "thoi gian" not in k:
        put("lead", 1)
    if "thoi han" in k or "moc thoi gian" in k or "thoi gian hoan thanh" in k:
        put("timeframe", 3)
    elif "thoi gian" in k or "tien do" in k:
        put("timeframe", 2 if "bat dau" not in k else 1)
    if "kinh phi" in k:
        put("budget", 3)
    elif re.search(r"nguon von|du toan|ngan sach|nguon luc", k):
        put("budget", 2)
    if "ghi chu" in k:
        put("note", 3)
    return s


def _best(scores: dict[str, int]) -> tuple[list[str], int]:
    if not scores:
        return [], 0
    top = max(scores.values())
    return [f for f, v in scores.items() if v == top], top


def header_quality(row: list[str]) -> tuple[int, bool]:
    """(number of fields named, whether a task column is among them)."""
    fields: set[str] = set()
    for cell in row:
        names, _ = _best(field_scores(cell))
        fields.update(names)
    return len(fields), "task" in fields


_NUMBERING_CELL_RE = re.compile(r"^\(?(\d{1,2})\)?$")


def is_numbering_row(cells: list[str]) -> bool:
    """"(1) (2) (3) …" or "1 2 3 …" printed under a header."""
    values = [c for c in cells if c]
    if len(values) < 3:
        return False
    nums = []
    for v in values:
        m = _NUMBERING_CELL_RE.match(v)
        if not m:
            return False
        nums.append(int(m.group(1)))
    return nums == sorted(nums) and len(set(nums)) == len(nums)


# --- row shapes ---------------------------------------------------------------------------------

_ROMAN_TITLE_RE = re.compile(r"^([IVX]{1,6})(?:\s*[.):–-]\s*|\s+)(\S.*)$", re.S)
_ROMAN_ALONE_RE = re.compile(r"^([IVX]{1,6})\s*[.):]?$")
LEAD_NUMBER_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(?:\s*[.)]\s*|\s+)(?=\S)", re.S)
STT_RE = re.compile(r"^(\d{1,5}(?:\.\d{1,3})*)\.?$")  # a province plan can number past 999
LETTER_STT_RE = re.compile(r"^([a-zđ])[.)]?$", re.I)
BULLET_RE = re.compile(r"^(?:[-–—•●○▪◦+*]+\s*|[a-zđ]\)\s+|\d{1,2}\)\s+)", re.I)
SECTION_RE = re.compile(r"^(?:[A-D][.)]\s+\S|PHẦN\s)", re.I)
TERMINAL = ".;:!?)"
CONTENT_FIELDS = ("stt", "task", "activity", "objective", "output", "lead", "partners", "timeframe", "budget")


def roman_area(text: str) -> tuple[str, str] | None:
    first = text.split("\n", 1)[0]
    m = _ROMAN_TITLE_RE.match(text)
    if m and from_roman(m.group(1)) and first[len(m.group(1)):len(m.group(1)) + 1] in (".", ")", ":", " ", "–", "-"):
        title = " ".join(m.group(2).split())
        if title[:1].isupper() or title[:1].isdigit():
            return m.group(1), title
    return None


def roman_alone(text: str) -> str | None:
    m = _ROMAN_ALONE_RE.match(text)
    return m.group(1) if m and from_roman(m.group(1)) else None


def catalogue_area_names() -> set[str]:
    return {header_key(name) for names in area_aliases().values() for name in names}


def norm_number(text: str) -> str:
    """"01" → "1", "1.02" → "1.2": the same task however the STT was typed."""
    return ".".join(str(int(p)) for p in text.split("."))


# --- results ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ColumnInfo:
    """One column of the table as the preview shows it."""

    letter: str
    header: str
    field: str | None  # None: not used
    candidates: tuple[str, ...]  # fields the header could mean


@dataclass(frozen=True)
class Ambiguity:
    """A field that several columns could be, or a column that could be several fields."""

    field: str | None
    columns: tuple[str, ...]
    fields: tuple[str, ...]
    message: str


# --- mapping -------------------------------------------------------------------------------------

def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """``["E=lead", "b=task"]`` → ``{"E": "lead", "B": "task"}``; a Vietnamese error when malformed."""
    mapping: dict[str, str] = {}
    for item in items or []:
        col, sep, name = item.partition("=")
        col, name = col.strip().upper(), name.strip().lower()
        if not sep or not re.fullmatch(r"[A-Z]{1,3}", col) or name not in FIELDS:
            raise PlanImportError(
                f"“{item}” không đúng dạng COT=TRUONG (ví dụ E=lead). Trường hợp lệ: {', '.join(FIELDS)}."
            )
        mapping[col] = name
    return mapping


def auto_mapping(headers: list[str]) -> tuple[dict[int, str], list[Ambiguity], list[tuple[str, ...]]]:
    """Columns → fields from the header texts, and what stays ambiguous."""
    best: list[tuple[list[str], int]] = [_best(field_scores(h)) for h in headers]
    mapping: dict[int, str] = {}
    ambiguities: list[Ambiguity] = []
    candidates = [tuple(sorted(field_scores(h), key=lambda f: -field_scores(h)[f])) for h in headers]
    claims: dict[str, list[tuple[int, int]]] = {}
    for i, (names, score) in enumerate(best):
        if len(names) == 1:
            claims.setdefault(names[0], []).append((i, score))
        elif len(names) > 1:
            cols = (get_column_letter(i + 1),)
            ambiguities.append(Ambiguity(
                None, cols, tuple(names),
                f"Cột {cols[0]} (“{headers[i]}”) có thể là: " + ", ".join(f"{FIELDS[n]} ({n})" for n in names) + ".",
            ))
    for name, cols in claims.items():
        top = max(score for _, score in cols)
        winners = [i for i, score in cols if score == top]
        if len(winners) == 1 or name in ("note", "ignore"):
            mapping[winners[0]] = name
            continue
        letters = tuple(get_column_letter(i + 1) for i in winners)
        ambiguities.append(Ambiguity(
            name, letters, (name,),
            f"Không rõ cột nào là “{FIELDS[name]}”: "
            + ", ".join(f"cột {get_column_letter(i + 1)} (“{headers[i]}”)" for i in winners)
            + f". Chọn bằng --map {letters[0]}={name}.",
        ))
    return mapping, ambiguities, candidates


def apply_user_mapping(
    mapping: dict[int, str], ambiguities: list[Ambiguity], user: dict[str, str], width: int
) -> tuple[dict[int, str], list[Ambiguity]]:
    from openpyxl.utils import column_index_from_string

    mapping = dict(mapping)
    chosen_cols: set[str] = set()
    chosen_fields: set[str] = set()
    for letter, name in user.items():
        idx = column_index_from_string(letter) - 1
        if idx >= width:
            raise PlanImportError(f"Bảng không có cột {letter} (chỉ có đến cột {get_column_letter(width)}).")
        chosen_cols.add(letter)
        if name != "ignore":
            chosen_fields.add(name)
            for other, f in list(mapping.items()):
                if f == name and other != idx:
                    del mapping[other]
        if name == "ignore":
            mapping.pop(idx, None)
        else:
            mapping[idx] = name
    left = [
        a for a in ambiguities
        if not (set(a.columns) & chosen_cols) and not (a.field and a.field in chosen_fields)
    ]
    return mapping, left


# --- reading the sheet ---------------------------------------------------------------------------

@dataclass
class SheetRows:
    name: str
    rows: list[list[str]]  # cleaned text, merged cells filled down their first column
    merged_down: set[tuple[int, int]]  # (row, col) 0-based cells filled from a merge above
    excel_dates: set[tuple[int, int]]


def read_sheets(path: Path) -> list[SheetRows]:
    """The visible sheets, in order, up to the first one holding a task table's header.

    The file is streamed under ``PLAN_LIMITS``: a plan over a limit is refused whole, never cut.
    A file the streaming reader does not follow is read by openpyxl after the same limits.
    """
    try:
        with XlsxSheets(path, PLAN_LIMITS) as book:
            sheets = []
            for name in book.sheetnames:
                if not book.is_visible(name):
                    continue
                grid = dict(book.rows(name))
                sheets.append(_sheet_from_grid(path, name, grid, book.merged(name)))
                if find_header(sheets[-1].rows) is not None:
                    break
            return sheets
    except XlsxStreamError:
        pass
    return _read_sheets_openpyxl(path)


def _sheet_from_grid(path: Path, name: str, grid: dict[int, dict[int, object]],
                     merged: list[tuple[int, int, int, int]]) -> SheetRows:
    """A sheet's cells (row → column → value, 1-based) as clean text rows, merged cells filled down."""
    last_row = max(grid, default=0)
    width = max((max(cells) for cells in grid.values()), default=0)
    rows: list[list[str]] = [[""] * width for _ in range(last_row)]
    dates: set[tuple[int, int]] = set()
    for r, cells in grid.items():
        row = rows[r - 1]
        for c, v in cells.items():
            row[c - 1] = _text(v)
            if isinstance(v, (date, datetime)):
                dates.add((r - 1, c - 1))
    return SheetRows(name, *_fill_merged(path, rows, merged, width), dates)


def _fill_merged(path: Path, rows: list[list[str]], merged: list[tuple[int, int, int, int]], width: int
                 ) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """Copy each merged range's value down its first column; drop trailing empty rows."""
    filled: set[tuple[int, int]] = set()
    for min_row, min_col, max_row, _max_col in merged:
        r0, c0 = min_row - 1, min_col - 1
        if r0 >= len(rows) or c0 >= width:
            continue
        value = rows[r0][c0]
        for r in range(r0 + 1, min(max_row, len(rows))):
            rows[r][c0] = value
            filled.add((r, c0))
            if len(filled) > PLAN_LIMITS.cells:  # overlapping forged merges
                raise limit_error(path, PLAN_LIMITS, "cells")
    while rows and not any(rows[-1]):
        rows.pop()
    return rows, filled


def _read_sheets_openpyxl(path: Path) -> list[SheetRows]:
    wb = open_xlsx(path, read_only=False, data_only=True, limits=PLAN_LIMITS)
    try:
        sheets = []
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            max_row = min(ws.max_row or 0, PLAN_LIMITS.rows)
            max_col = min(ws.max_column or 0, PLAN_LIMITS.columns)
            raw = [list(r) for r in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)]
            rows = [[_text(v) for v in r] for r in raw]
            dates = {(r, c) for r, row in enumerate(raw) for c, v in enumerate(row) if isinstance(v, (date, datetime))}
            boxes = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
            sheets.append(SheetRows(ws.title, *_fill_merged(path, rows, boxes, max_col), dates))
            if find_header(sheets[-1].rows) is not None:
                break
        return sheets
    except InputFileError:
        raise
    except Exception:
        raise damaged(path) from None
    finally:
        wb.close()


def find_header(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        n, has_task = header_quality(row)
        if has_task and n >= 3:
            return i
    return None


def is_subheader(row: list[str], header: list[str]) -> bool:
    """The second row of a two-row header: short cells naming fields, and no data."""
    values = [(c, h) for c, h in zip(row, header, strict=False) if c]
    if not values:
        return False
    named = 0
    for c, h in values:
        if c == h:
            continue  # a header cell merged down over both rows
        if len(c) > 60 or c.endswith(".") or STT_RE.match(c) or roman_area(c) or _best(field_scores(c))[1] < 2:
            return False
        named += 1
    if not named:
        return False
    # the second row must refine the header, never lose what the first one names
    before, task_before = header_quality(header)
    after, task_after = header_quality(combine_headers(header, row))
    return after >= before and task_after >= task_before


def combine_headers(main: list[str], sub: list[str]) -> list[str]:
    out = []
    for m, s in zip(main, sub, strict=False):
        out.append(s if s and s != m and field_scores(s) else m)
    out.extend(main[len(out):])
    return out
