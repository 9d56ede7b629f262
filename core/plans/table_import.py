"""Importing a plan's task table from an .xlsx the user pasted it into.

Real tables come from a Word or PDF decision copied into Excel, so the reader is tolerant:

- title rows sit above the header; the header row is found by its Vietnamese column names
  (any order, any case, with or without diacritics), a two-row header ("Trách nhiệm" over
  "Chủ trì | Phối hợp") is combined, and a header repeated mid-sheet (one per printed page) is skipped;
- an area row is "I", "I. Cải cách thể chế", a Roman numeral in its own cell, or the
  "Nhiệm vụ chung" column of the 2021 provincial layout;
- merged cells are read as the value of their first cell, and a blank task, STT or objective
  cell means "same as above"; a row cut by a page break is joined back to its task;
- bullet lines in a task cell and rows of a "Hoạt động" column become activities;
- nested numbers (1, 1.1, 1.2) are kept.

``preview_plan_file`` reads without touching the database and says what it would import,
what it filled in from the row above and what it could not place. ``import_plan_file`` stores
the result in the caller's transaction, so a failure stores nothing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from core import audit
from core.forms import area_aliases
from core.org.unit_lifetimes import UnitPeriodError, require_unit_in_years
from core.org.unit_names import UnitMatcher, create_units, is_unit_group, name_key, split_unit_list
from core.org.units import fold
from core.plans.store import ActivityDraft, AreaDraft, PlanDraft, TaskDraft, store_plan
from core.plans.timeframe import parse_timeframe
from core.safe_files import PLAN_LIMITS, InputFileError, damaged, limit_error, open_xlsx
from core.vnformat import NumberParseError, format_number, from_roman, nfc, parse_number
from core.xlsx_stream import XlsxSheets, XlsxStreamError
from db.models import Plan, Unit

__all__ = [
    "FIELDS",
    "PlanImportError",
    "ColumnInfo",
    "Ambiguity",
    "RowNote",
    "PreviewTask",
    "PlanPreview",
    "parse_mapping",
    "preview_plan_file",
    "import_plan_file",
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
_MAX_HEADER_CELL = 120


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


def _join(a: str, b: str) -> str:
    """Join a cell continued on the next row: a page break cut it mid-sentence, or it is a new line."""
    if not a:
        return b
    if not b:
        return a
    if a[-1] in ".;:!?" or _BULLET_RE.match(b):
        return f"{a}\n{b}"
    return f"{a} {b}"


# --- header recognition --------------------------------------------------------------------------

def _hkey(text: str) -> str:
    k = fold(text)
    k = re.sub(r"[^a-z0-9/&]+", " ", k)
    return " ".join(k.split())


def _scores(header: str) -> dict[str, int]:
    """How strongly a header cell names each field (3 certain, 2 usual, 1 possible)."""
    k = _hkey(header)
    if not k or len(header) > _MAX_HEADER_CELL:
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


def _header_quality(row: list[str]) -> tuple[int, bool]:
    """(number of fields named, whether a task column is among them)."""
    fields: set[str] = set()
    for cell in row:
        names, _ = _best(_scores(cell))
        fields.update(names)
    return len(fields), "task" in fields


_NUMBERING_CELL_RE = re.compile(r"^\(?(\d{1,2})\)?$")


def _is_numbering_row(cells: list[str]) -> bool:
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
_LEAD_NUMBER_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(?:\s*[.)]\s*|\s+)(?=\S)", re.S)
_STT_RE = re.compile(r"^(\d{1,5}(?:\.\d{1,3})*)\.?$")  # a province plan can number past 999
_LETTER_STT_RE = re.compile(r"^([a-zđ])[.)]?$", re.I)
_BULLET_RE = re.compile(r"^(?:[-–—•●○▪◦+*]+\s*|[a-zđ]\)\s+|\d{1,2}\)\s+)", re.I)
_SECTION_RE = re.compile(r"^(?:[A-D][.)]\s+\S|PHẦN\s)", re.I)
_TERMINAL = ".;:!?)"


_CONTENT_FIELDS = ("stt", "task", "activity", "objective", "output", "lead", "partners", "timeframe", "budget")


def _roman_area(text: str) -> tuple[str, str] | None:
    first = text.split("\n", 1)[0]
    m = _ROMAN_TITLE_RE.match(text)
    if m and from_roman(m.group(1)) and first[len(m.group(1)):len(m.group(1)) + 1] in (".", ")", ":", " ", "–", "-"):
        title = " ".join(m.group(2).split())
        if title[:1].isupper() or title[:1].isdigit():
            return m.group(1), title
    return None


def _roman_alone(text: str) -> str | None:
    m = _ROMAN_ALONE_RE.match(text)
    return m.group(1) if m and from_roman(m.group(1)) else None


def _catalogue_area_names() -> set[str]:
    return {_hkey(name) for names in area_aliases().values() for name in names}


def _norm_number(text: str) -> str:
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


@dataclass(frozen=True)
class RowNote:
    """A sheet row and what happened to it (``unplaced``: why it could not be placed)."""

    row: int
    text: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class PreviewTask:
    """A task as the preview table lists it, with its parsed deadline."""

    area_numeral: str | None
    area_title: str | None
    number: str | None
    title: str
    lead: str | None
    partners: str | None
    timeframe_text: str | None
    due_dates: tuple[date, ...]
    flagged: bool
    activities: int
    source_row: int | None

    @property
    def due_date(self) -> date | None:
        return self.due_dates[-1] if self.due_dates else None


@dataclass
class PlanPreview:
    """What importing the file would do. Nothing here has touched the database."""

    file_name: str
    sheet: str
    header_rows: tuple[int, ...]
    columns: list[ColumnInfo]
    mapping: dict[str, str]  # column letter → field
    ambiguities: list[Ambiguity]
    draft: PlanDraft
    title_lines: list[str]
    year_source: str  # "argument" | "title" | "none"
    tasks: list[PreviewTask] = field(default_factory=list)
    unplaced: list[RowNote] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)  # filled when a session is given
    group_names: list[str] = field(default_factory=list)  # "Sở, ban, ngành tỉnh": kept as text

    @property
    def ambiguous(self) -> bool:
        return bool(self.ambiguities)

    @property
    def area_count(self) -> int:
        return sum(1 for a in self.draft.areas if a.tasks)

    @property
    def task_count(self) -> int:
        return self.draft.task_count

    @property
    def activity_count(self) -> int:
        return self.draft.activity_count

    @property
    def tasks_per_area(self) -> list[tuple[str | None, str, list[str | None]]]:
        return [(a.numeral, a.title, [t.number for t in a.tasks]) for a in self.draft.areas if a.tasks]

    @property
    def flagged(self) -> list[PreviewTask]:
        """Tasks whose timeframe has a part that could not be read (shown, never guessed)."""
        return [t for t in self.tasks if t.flagged]

    def ambiguity_message(self) -> str:
        lines = [a.message for a in self.ambiguities]
        lines.append("Hãy chọn cột trong bảng xem trước, hoặc dùng --map COT=TRUONG (ví dụ --map E=lead). "
                     "Trường: " + ", ".join(f"{k} ({v})" for k, v in FIELDS.items()) + ".")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "file": self.file_name,
            "sheet": self.sheet,
            "header_rows": list(self.header_rows),
            "title": self.draft.title,
            "document_number": self.draft.document_number,
            "year_from": self.draft.year_from,
            "year_to": self.draft.year_to,
            "timeframe_year": self.draft.parse_year,
            "year_source": self.year_source,
            "mapping": dict(self.mapping),
            "columns": [
                {"column": c.letter, "header": c.header, "field": c.field, "candidates": list(c.candidates)}
                for c in self.columns
            ],
            "ambiguous": self.ambiguous,
            "ambiguities": [
                {"field": a.field, "columns": list(a.columns), "fields": list(a.fields), "message": a.message}
                for a in self.ambiguities
            ],
            "areas": self.area_count,
            "tasks": self.task_count,
            "activities": self.activity_count,
            "tasks_per_area": [
                {"numeral": n, "title": t, "numbers": nums} for n, t, nums in self.tasks_per_area
            ],
            "task_list": [
                {
                    "area": t.area_numeral, "number": t.number, "title": t.title, "lead": t.lead,
                    "partners": t.partners, "timeframe": t.timeframe_text,
                    "due_dates": [d.isoformat() for d in t.due_dates], "timeframe_flagged": t.flagged,
                    "activities": t.activities, "row": t.source_row,
                }
                for t in self.tasks
            ],
            "flagged_timeframes": [
                {"area": t.area_numeral, "number": t.number, "timeframe": t.timeframe_text, "row": t.source_row}
                for t in self.flagged
            ],
            "unplaced": [n.as_dict() for n in self.unplaced],
            "notes": [n.as_dict() for n in self.notes],
            "unknown_units": list(self.unknown_units),
            "group_names": list(self.group_names),
        }


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


def _auto_mapping(headers: list[str]) -> tuple[dict[int, str], list[Ambiguity], list[tuple[str, ...]]]:
    """Columns → fields from the header texts, and what stays ambiguous."""
    best: list[tuple[list[str], int]] = [_best(_scores(h)) for h in headers]
    mapping: dict[int, str] = {}
    ambiguities: list[Ambiguity] = []
    candidates = [tuple(sorted(_scores(h), key=lambda f: -_scores(h)[f])) for h in headers]
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


def _apply_user_mapping(
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
class _Sheet:
    name: str
    rows: list[list[str]]  # cleaned text, merged cells filled down their first column
    merged_down: set[tuple[int, int]]  # (row, col) 0-based cells filled from a merge above
    excel_dates: set[tuple[int, int]]


def _read_sheets(path: Path) -> list[_Sheet]:
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
                if _find_header(sheets[-1].rows) is not None:
                    break
            return sheets
    except XlsxStreamError:
        pass
    return _read_sheets_openpyxl(path)


def _sheet_from_grid(path: Path, name: str, grid: dict[int, dict[int, object]],
                     merged: list[tuple[int, int, int, int]]) -> _Sheet:
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
    return _Sheet(name, *_fill_merged(path, rows, merged, width), dates)


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


def _read_sheets_openpyxl(path: Path) -> list[_Sheet]:
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
            sheets.append(_Sheet(ws.title, *_fill_merged(path, rows, boxes, max_col), dates))
            if _find_header(sheets[-1].rows) is not None:
                break
        return sheets
    except InputFileError:
        raise
    except Exception:
        raise damaged(path) from None
    finally:
        wb.close()


def _find_header(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        n, has_task = _header_quality(row)
        if has_task and n >= 3:
            return i
    return None


def _is_subheader(row: list[str], header: list[str]) -> bool:
    """The second row of a two-row header: short cells naming fields, and no data."""
    values = [(c, h) for c, h in zip(row, header, strict=False) if c]
    if not values:
        return False
    named = 0
    for c, h in values:
        if c == h:
            continue  # a header cell merged down over both rows
        if len(c) > 60 or c.endswith(".") or _STT_RE.match(c) or _roman_area(c) or _best(_scores(c))[1] < 2:
            return False
        named += 1
    if not named:
        return False
    # the second row must refine the header, never lose what the first one names
    before, task_before = _header_quality(header)
    after, task_after = _header_quality(_combine_headers(header, row))
    return after >= before and task_after >= task_before


def _combine_headers(main: list[str], sub: list[str]) -> list[str]:
    out = []
    for m, s in zip(main, sub, strict=False):
        out.append(s if s and s != m and _scores(s) else m)
    out.extend(main[len(out):])
    return out


# --- building the plan ---------------------------------------------------------------------------

@dataclass
class _ActBuild:
    row: int
    title: str
    output: str = ""
    timeframe: str = ""
    lead: str = ""
    partners: str = ""
    budget: str = ""


@dataclass
class _TaskBuild:
    row: int
    number: str | None
    text: str  # the task cell as written (title and bullet lines)
    objective: str = ""
    output: str = ""
    lead: str = ""
    partners: str = ""
    timeframe: str = ""
    budget: str = ""
    activities: list[_ActBuild] = field(default_factory=list)

    @property
    def ends_sentence(self) -> bool:
        last = self.activities[-1].title if self.activities else self.text
        return not last or last[-1] in _TERMINAL

    def split_text(self) -> tuple[str, list[str]]:
        """Title and the bullet lines of the task cell (bullets become activities)."""
        title_lines: list[str] = []
        bullets: list[str] = []
        for line in self.text.split("\n"):
            if _BULLET_RE.match(line) and (title_lines or bullets):
                bullets.append(_BULLET_RE.sub("", line, count=1).strip())
            elif bullets:
                bullets[-1] = f"{bullets[-1]} {line}"
            else:
                title_lines.append(line)
        return " ".join(title_lines).strip(), [b for b in bullets if b]


@dataclass
class _AreaBuild:
    numeral: str | None
    title: str
    row: int
    tasks: list[_TaskBuild] = field(default_factory=list)


class _Builder:
    def __init__(self, sheet: _Sheet, cols: dict[str, list[int]], data_start: int, header_rows: list[list[str]]):
        self.sheet = sheet
        self.cols = cols
        self.start = data_start
        self.header_rows = header_rows
        self.has_activity = "activity" in cols
        self.areas: list[_AreaBuild] = []
        self.unplaced: list[RowNote] = []
        self.notes: list[RowNote] = []
        self.objective = ""
        self.catalogue = _catalogue_area_names()
        # An unnumbered table: every new task text is a new task.
        self.numbered = self._sheet_is_numbered()

    # helpers
    def get(self, row: list[str], name: str) -> str:
        idx = self.cols.get(name)
        if not idx:
            return ""
        parts = [row[i] for i in idx if i < len(row) and row[i]]
        text = "\n".join(dict.fromkeys(parts))
        if name == "activity" and text:
            text = _BULLET_RE.sub("", text, count=1).strip()  # "- Xây dựng …": one activity per row
        return text

    @property
    def area(self) -> _AreaBuild | None:
        return self.areas[-1] if self.areas else None

    @property
    def task(self) -> _TaskBuild | None:
        return self.area.tasks[-1] if self.area and self.area.tasks else None

    def _sheet_is_numbered(self) -> bool:
        for row in self.sheet.rows[self.start:]:
            stt = self.get(row, "stt")
            if stt and _STT_RE.match(stt):
                return True
            if _LEAD_NUMBER_RE.match(self.get(row, "task")):
                return True
        return False

    def _is_header_repeat(self, row: list[str]) -> bool:
        values = [(i, c) for i, c in enumerate(row) if c]
        if not values:
            return False
        same = 0
        for i, c in values:
            if any(i < len(h) and fold(h[i]) == fold(c) for h in self.header_rows):
                same += 1
            elif not _scores(c) or len(c) > _MAX_HEADER_CELL:
                return False
        if same >= 2 or (same >= 1 and len(values) == 1 and len(fold(values[0][1])) > 2):
            return True
        n, has_task = _header_quality(row)
        return has_task and n >= 3

    def _number(self, r: int, row: list[str]) -> tuple[str | None, str]:
        """(task number, task text without a leading number)."""
        text = self.get(row, "task")
        stt = self.get(row, "stt")
        number = None
        stt_idx = self.cols.get("stt", [None])[0]
        if stt:
            if (r, stt_idx) in self.sheet.excel_dates:
                # Excel turned "1.2" into a date: day and month are the two parts.
                d, m = stt.split("/")[:2]
                number = f"{int(d)}.{int(m)}"
                self.notes.append(RowNote(r + 1, stt, f"Excel đã đổi STT thành ngày; đọc lại là {number}"))
            elif _STT_RE.match(stt):
                number = _norm_number(_STT_RE.match(stt).group(1))
            elif _LETTER_STT_RE.match(stt):
                number = stt.rstrip(".)")
        m = _LEAD_NUMBER_RE.match(text)
        if m and (number is None or _norm_number(m.group(1)) == number) and not (stt and number is None):
            # "1. Quy định …": the number is written in the task cell (no STT column, or it is blank)
            number = _norm_number(m.group(1))
            text = text[m.end():].strip()
        return number, text

    def _area_from_row(self, r: int, row: list[str]) -> tuple[str | None, str, bool] | None:
        """An area heading on this row (numeral, title, whether it came from the area column)."""
        if "area" in self.cols:
            cell = self.get(row, "area")
            if cell:
                found = _roman_area(cell)
                if found:
                    return (*found, True)
                if _roman_alone(cell):
                    return _roman_alone(cell), "", True
                if self.get(row, "task") or _hkey(cell) in self.catalogue:
                    return None, " ".join(cell.split()), True
        values = [c for c in row if c]
        if not values:
            return None
        first = values[0]
        others = [c for c in values[1:] if c != first]
        stt = self.get(row, "stt")
        # "I. Cải cách thể chế" (alone on the row, perhaps merged across it)
        if not others:
            found = _roman_area(first)
            if found:
                return (*found, False)
            if _hkey(first) in self.catalogue and not _STT_RE.match(stt or "-"):
                return None, " ".join(first.split()), False
        data = any(self.get(row, f) for f in ("lead", "partners", "timeframe", "output", "budget", "activity"))
        # "I" | "Cải cách thể chế": a Roman numeral in its own cell
        numeral = _roman_alone(first)
        if numeral and len(others) == 1 and not data:
            return numeral, " ".join(others[0].split()), False
        # "1. Cải cách thể chế" (seed 001 numbers its areas 1–7): only a catalogue area name counts,
        # so a heading task such as "1 | Hoàn thiện môi trường pháp lý" stays a task
        if not data and len(others) <= 1:
            m = _LEAD_NUMBER_RE.match(first) if not others else None
            number, title = (m.group(1), first[m.end():]) if m else (first.rstrip(".)"), others[0] if others else "")
            if number.isdigit() and self._is_area_name(title):
                return number, " ".join(title.split()), False
        return None

    def _is_area_name(self, text: str) -> bool:
        key = _hkey(text)
        return bool(key) and (key in self.catalogue or any(
            len(name) >= 10 and key.startswith(name + " ") for name in self.catalogue))

    def _new_area(self, r: int, numeral: str | None, title: str) -> None:
        if self.area and not title and numeral == self.area.numeral:
            return
        if self.area and (numeral, title) == (self.area.numeral, self.area.title):
            return
        self.areas.append(_AreaBuild(numeral, title, r))
        self.objective = ""

    def _ensure_area(self, r: int) -> _AreaBuild:
        if not self.areas:
            self.areas.append(_AreaBuild(None, "", r))
            self.notes.append(RowNote(r + 1, "", "nhiệm vụ nằm trước dòng lĩnh vực đầu tiên: xếp vào nhóm không tên"))
        return self.areas[-1]

    def run(self) -> None:
        rows = self.sheet.rows
        for r in range(self.start, len(rows)):
            row = rows[r]
            if not any(row):
                continue
            if self._is_header_repeat(row) or _is_numbering_row(row):
                continue
            area = self._area_from_row(r, row)
            if area is not None:
                numeral, title, from_column = area
                self._new_area(r, numeral, title)
                if not from_column:
                    continue
                # 2021 layout: the "Nhiệm vụ chung" cell holds the area; the rest of the row is a task
                if not any(self.get(row, f) for f in _CONTENT_FIELDS):
                    continue
                self._task_row(r, row)
                continue
            if "area" in self.cols and self.get(row, "area") and not self.get(row, "task") and not any(
                self.get(row, f) for f in ("stt", "activity", "output", "lead", "timeframe")
            ):
                self.unplaced.append(RowNote(r + 1, self._row_text(row),
                                             "ô “Nhiệm vụ chung” không có số La Mã và không có nhiệm vụ"))
                continue
            self._task_row(r, row)

    def _row_text(self, row: list[str]) -> str:
        text = " | ".join(c for c in dict.fromkeys(row) if c)
        return text if len(text) <= 200 else text[:197] + "…"

    def _task_row(self, r: int, row: list[str]) -> None:
        number, text = self._number(r, row)
        objective = self.get(row, "objective")
        activity = self.get(row, "activity")
        cur = self.task
        if objective and objective != self.objective:
            self.objective = objective

        if number is not None:
            if cur is not None and number == cur.number:
                # Same STT as above: a merged or repeated cell, or the same task printed over two rows.
                if text and text != cur.text and not self.has_activity:
                    self.notes.append(RowNote(
                        r + 1, self._row_text(row),
                        f"trùng số thứ tự {number} với dòng {cur.row + 1}: gộp vào cùng một nhiệm vụ"))
                    self._continue(cur, r, row, same_number=True)
                else:
                    self._continue(cur, r, row)
                return
            if not text and not (self.has_activity and activity):
                if any(self.get(row, f) for f in ("output", "lead", "partners", "timeframe")):
                    self.unplaced.append(RowNote(r + 1, self._row_text(row),
                                                 f"có số thứ tự {number} nhưng không có nội dung nhiệm vụ"))
                elif self._row_text(row) != number:
                    self.unplaced.append(RowNote(r + 1, self._row_text(row), "không nhận ra dòng này"))
                else:
                    self.unplaced.append(RowNote(r + 1, number, "dòng chỉ có số thứ tự"))
                return
            self._start_task(r, row, number, text or activity)
            return

        stt = self.get(row, "stt")
        if stt and not self.get(row, "task") and not any(
            self.get(row, f) for f in ("activity", "output", "lead", "partners", "timeframe", "budget")
        ):
            reason = "tiêu đề nhóm, không phải lĩnh vực CCHC" if _SECTION_RE.match(stt) else "không nhận ra dòng này"
            self.unplaced.append(RowNote(r + 1, self._row_text(row), reason))
            return

        if text:
            if cur is not None and text == cur.text:
                self._continue(cur, r, row)  # task cell merged or repeated over activity rows
                return
            if not self.numbered:
                self._start_task(r, row, None, text)
                return
            if cur is not None and (not cur.ends_sentence or text[:1].islower() or _BULLET_RE.match(text)):
                self._continue(cur, r, row, extra_text=text)
                return
            if cur is not None and self.has_activity and not activity:
                self._continue(cur, r, row, extra_text=text)
                return
            if cur is not None and self._merged_with_above(r):
                # a Word table pasted into Excel: each paragraph on its own row, the other cells merged down
                self._continue(cur, r, row, extra_text=text)
                return
            self.unplaced.append(RowNote(
                r + 1, self._row_text(row),
                "không có số thứ tự: không rõ là nhiệm vụ mới hay phần tiếp của nhiệm vụ ở trên"))
            return

        if cur is None:
            if objective and not any(self.get(row, f) for f in ("activity", "output", "lead", "timeframe")):
                return  # an objective heading; tasks follow
            if activity and objective:
                self._start_task(r, row, None, activity)
                return
            self.unplaced.append(RowNote(r + 1, self._row_text(row), "nằm trước nhiệm vụ đầu tiên"))
            return
        self._continue(cur, r, row)

    def _merged_with_above(self, r: int) -> bool:
        """A row whose lead, partners, deadline or STT cell is the lower part of a merged cell."""
        cols = [i for f in ("stt", "lead", "partners", "timeframe", "output") for i in self.cols.get(f, [])]
        return any((r, c) in self.sheet.merged_down for c in cols)

    def _fields(self, row: list[str]) -> dict[str, str]:
        return {f: self.get(row, f) for f in ("output", "lead", "partners", "timeframe", "budget")}

    def _start_task(self, r: int, row: list[str], number: str | None, text: str) -> None:
        area = self._ensure_area(r)
        task = _TaskBuild(r, number, text, objective=self.objective)
        area.tasks.append(task)
        activity = self.get(row, "activity")
        values = self._fields(row)
        if self.has_activity and activity and activity != text:
            task.activities.append(_ActBuild(r, activity, **values))
        else:
            for k, v in values.items():
                setattr(task, k, v)

    def _continue(self, task: _TaskBuild, r: int, row: list[str], extra_text: str = "",
                  same_number: bool = False) -> None:
        values = self._fields(row)
        activity = self.get(row, "activity")
        if extra_text:
            task.text = _join(task.text, extra_text)
        if same_number:
            # The same task printed on two rows (seed 002, task I.1): its first row's title and lead
            # stand; a second product or deadline is added on its own line, as the source lists them.
            for k, v in values.items():
                old = getattr(task, k)
                if not v or v == old:
                    continue
                if k == "lead" and old:
                    self.notes.append(
                        RowNote(r + 1, v[:80], f"bỏ ô Cơ quan chủ trì thứ hai của nhiệm vụ {task.number}"))
                elif k == "partners" and old:
                    merged = list(dict.fromkeys(split_unit_list(old) + split_unit_list(v)))
                    task.partners = "; ".join(merged)
                else:
                    setattr(task, k, f"{old}\n{v}" if old else v)
            return
        if self.has_activity and activity:
            last = task.activities[-1] if task.activities else None
            if last is not None and activity == last.title:
                target = last  # activity cell merged over several rows
                fresh = False
            elif last is not None and activity[:1].islower() and last.title[-1:] not in _TERMINAL:
                last.title = _join(last.title, activity)
                target, fresh = last, False
            else:
                target = _ActBuild(r, activity)
                task.activities.append(target)
                fresh = True
            for k, v in values.items():
                if v and (fresh or v != getattr(target, k)):
                    setattr(target, k, v if fresh else _join(getattr(target, k), v))
            return
        target = task.activities[-1] if (self.has_activity and task.activities) else task
        for k, v in values.items():
            if not v:
                continue
            old = getattr(target, k)
            if v == old:
                continue  # a merged cell repeated on the next row
            if (r, self.cols[k][0]) in self.sheet.merged_down:
                continue
            setattr(target, k, _join(old, v))

    # --- results ----------------------------------------------------------------------------------

    def draft_areas(self) -> list[AreaDraft]:
        out: list[AreaDraft] = []
        for area in self.areas:
            if not area.tasks:
                if area.title or area.numeral:
                    self.notes.append(RowNote(area.row + 1, f"{area.numeral or ''} {area.title}".strip(),
                                              "lĩnh vực không có nhiệm vụ nào"))
                continue
            ad = AreaDraft(numeral=area.numeral, title=area.title)
            last: dict[str, str] = {}
            # Numbers that others hang under ("1" of "1.1"), found once: a per-task scan of the area was
            # quadratic (minutes for a province plan of 25,000 rows).
            parent_numbers = {".".join(parts[:i]) for t in area.tasks if t.number
                              for parts in [t.number.split(".")] for i in range(1, len(parts))}
            for task in area.tasks:
                title, bullets = task.split_text()
                acts = [ActivityDraft(b) for b in bullets]
                acts += [
                    ActivityDraft(a.title, output=a.output or None, timeframe_text=a.timeframe or None,
                                  lead=a.lead or None, partners=a.partners or None, budget=a.budget or None)
                    for a in task.activities
                ]
                output = task.output or _distinct([a.output for a in task.activities])
                lead = task.lead or next((a.lead for a in task.activities if a.lead), "")
                partners = task.partners or _distinct([a.partners for a in task.activities], sep="; ")
                timeframe = task.timeframe or _distinct([a.timeframe for a in task.activities])
                budget = task.budget or _sum_budgets([a.budget for a in task.activities])
                is_parent = task.number is not None and task.number in parent_numbers
                has_data = bool(output or lead or partners or timeframe or acts)
                if has_data and not is_parent:
                    # A blank lead or deadline continues a merged cell of the task above (the 2021
                    # layout); a blank partners cell only does so together with the lead.
                    filled = []
                    if not lead and last.get("lead"):
                        lead = last["lead"]
                        filled.append(("Cơ quan chủ trì", lead))
                        if not partners and last.get("partners"):
                            partners = last["partners"]
                            filled.append(("Cơ quan phối hợp", partners))
                    if not timeframe and last.get("timeframe"):
                        timeframe = last["timeframe"]
                        filled.append(("Thời gian thực hiện", timeframe))
                    for label, value in filled:
                        short = value if len(value) <= 60 else value[:57] + "…"
                        self.notes.append(RowNote(task.row + 1, f"{area.numeral or ''}.{task.number or ''}",
                                                  f"ô {label} trống: lấy theo nhiệm vụ ở trên ({short})"))
                    last = {"lead": lead, "partners": partners, "timeframe": timeframe}
                ad.tasks.append(TaskDraft(
                    number=task.number,
                    title=title or (acts[0].title if acts else ""),
                    objective=task.objective or None,
                    output=output or None,
                    lead=lead or None,
                    partners=partners or None,
                    timeframe_text=timeframe or None,
                    budget=budget or None,
                    activities=acts,
                    source_row=task.row + 1,
                ))
            out.append(ad)
        return out


def _distinct(values: list[str], sep: str = "\n") -> str:
    return sep.join(dict.fromkeys(v for v in values if v))


def _sum_budgets(values: list[str]) -> str:
    """A task's budget from its activities': their sum when all are plain numbers, else nothing."""
    filled = [v for v in values if v]
    if not filled:
        return ""
    try:
        numbers = [parse_number(v) for v in filled]
    except NumberParseError:
        return ""
    total = sum(n for n in numbers if n is not None)
    return format_number(total)


# --- plan metadata from the title rows ------------------------------------------------------------

_SPAN_RE = re.compile(r"giai đoạn\s+(\d{4})\s*[-–—]\s*(\d{4})", re.I)
_YEAR_RE = re.compile(r"(?<!\w)năm\s+(\d{4})(?!\d)", re.I)
_DOC_NUMBER_RE = re.compile(r"số\s*:?\s*(\d+[\w./-]*/[\wĐđ.-]*[A-ZĐ][\wĐđ.-]*)", re.I)


def _years_from_titles(lines: list[str]) -> tuple[int, int] | None:
    for line in lines:
        m = _SPAN_RE.search(line)
        if m:
            return int(m.group(1)), int(m.group(2))
    for line in lines:
        # "(Kèm theo Quyết định … năm 2020)" is the decision's date, not the plan's year.
        if fold(line).startswith(("(kem theo", "(ban hanh kem theo", "kem theo", "ban hanh kem theo")):
            continue
        m = _YEAR_RE.search(line)
        if m:
            return int(m.group(1)), int(m.group(1))
    return None


def _title_from_lines(lines: list[str]) -> str | None:
    """The table's title: the line naming the plan or its tasks, with the upper-case lines that continue it."""
    for i, line in enumerate(lines):
        if "ke hoach" in fold(line) or "nhiem vu" in fold(line):
            parts = [line]
            for nxt in lines[i + 1:]:
                if nxt.startswith("(") or not nxt.isupper() or not line.isupper():
                    break
                parts.append(nxt)
            return " ".join(" ".join(parts).split())
    for line in lines:
        if not line.startswith("("):
            return " ".join(line.split())
    return None


def _document_number(lines: list[str]) -> str | None:
    for line in lines:
        m = _DOC_NUMBER_RE.search(line)
        if m:
            return m.group(1).rstrip(".,;")
    return None


# --- public API ----------------------------------------------------------------------------------

def preview_plan_file(
    path: Path | str,
    mapping: dict[str, str] | None = None,
    *,
    year: int | None = None,
    session: Session | None = None,
) -> PlanPreview:
    """Read a plan table without storing it: areas, tasks, activities, the column mapping,
    what was filled in from the row above and what could not be placed.

    ``mapping`` (column letter → field) overrides the detected columns; ``year`` completes
    dates written without a year; with a ``session``, names missing from the unit catalogue
    are listed in ``unknown_units``. Raises ``PlanImportError``/``InputFileError``.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        hint = " Hãy mở tệp bằng Excel và lưu lại dưới dạng .xlsx." if path.suffix.lower() in (".xls", ".csv") else ""
        raise PlanImportError(f"Tệp “{path.name}” không phải là tệp Excel .xlsx.{hint}")
    sheets = _read_sheets(path)
    if not any(any(c for c in row) for s in sheets for row in s.rows):
        raise PlanImportError(f"Tệp “{path.name}” không có dữ liệu: bảng tính trống.")
    chosen: tuple[_Sheet, int] | None = None
    for sheet in sheets:
        h = _find_header(sheet.rows)
        if h is not None:
            chosen = (sheet, h)
            break
    if chosen is None:
        raise PlanImportError(
            f"Không tìm thấy dòng tiêu đề của bảng nhiệm vụ trong tệp “{path.name}”. Dòng tiêu đề cần có "
            "các cột như “STT”, “Nhiệm vụ”, “Cơ quan chủ trì”, “Cơ quan phối hợp”, “Thời gian thực hiện” "
            f"(tìm trong {HEADER_SEARCH_ROWS} dòng đầu của mỗi trang tính)."
        )
    sheet, h = chosen
    width = max(len(r) for r in sheet.rows)
    for row in sheet.rows:
        row.extend([""] * (width - len(row)))
    header = list(sheet.rows[h])
    header_rows = [list(sheet.rows[h])]
    data_start = h + 1
    if data_start < len(sheet.rows) and _is_subheader(sheet.rows[data_start], header):
        header_rows.append(list(sheet.rows[data_start]))
        header = _combine_headers(header, sheet.rows[data_start])
        data_start += 1
    while data_start < len(sheet.rows) and _is_numbering_row(sheet.rows[data_start]):
        data_start += 1

    auto, ambiguities, candidates = _auto_mapping(header)
    cols_map, ambiguities = _apply_user_mapping(auto, ambiguities, mapping or {}, width)
    if "task" not in cols_map.values():
        raise PlanImportError(
            f"Trong tệp “{path.name}” không xác định được cột “Nhiệm vụ”. Dùng --map COT=task để chỉ ra cột đó."
        )
    cols: dict[str, list[int]] = {}
    for idx in sorted(cols_map):
        if cols_map[idx] not in ("note", "ignore"):
            cols.setdefault(cols_map[idx], []).append(idx)

    builder = _Builder(sheet, cols, data_start, header_rows)
    builder.run()
    areas = builder.draft_areas()

    title_lines = [" ".join(c.split()) for row in sheet.rows[:h] for c in dict.fromkeys(row) if c]
    years = _years_from_titles(title_lines)
    if year is not None:
        year_source = "argument"
        year_from, year_to = years if years else (year, year)
    elif years:
        year_source = "title"
        year_from, year_to = years
    else:
        year_source = "none"
        seen = [int(y) for a in areas for t in a.tasks for y in re.findall(r"(?<!\d)(20\d{2})(?!\d)",
                                                                             t.timeframe_text or "")]
        year_from = year_to = min(seen) if seen else date.today().year
        builder.notes.append(RowNote(h + 1, "", f"không thấy năm của kế hoạch trong các dòng tiêu đề; ghi tạm "
                                                f"năm {year_from}; ngày không ghi năm sẽ không được đọc (dùng --year)"))
    draft = PlanDraft(
        title=_title_from_lines(title_lines) or path.stem,
        year_from=year_from,
        year_to=year_to,
        document_number=_document_number(title_lines),
        source_file=path.name,
        areas=areas,
        timeframe_year=year,
    )
    if year_source == "none":
        draft.year_known = False  # the year is a placeholder: it never completes a date

    plan_year = draft.parse_year
    preview_tasks = []
    for a in areas:
        for t in a.tasks:
            tf = parse_timeframe(t.timeframe_text, plan_year=plan_year, recurring_year=draft.recurring_year)
            preview_tasks.append(PreviewTask(
                a.numeral, a.title or None, t.number, t.title, t.lead, t.partners, t.timeframe_text,
                tf.due_dates, tf.flagged, len(t.activities), t.source_row,
            ))

    columns = [
        ColumnInfo(get_column_letter(i + 1), header[i], cols_map.get(i), candidates[i])
        for i in range(width) if header[i] or i in cols_map
    ]
    preview = PlanPreview(
        file_name=path.name,
        sheet=sheet.name,
        header_rows=tuple(range(h + 1, h + 1 + len(header_rows))),
        columns=columns,
        mapping={get_column_letter(i + 1): f for i, f in sorted(cols_map.items())},
        ambiguities=ambiguities,
        draft=draft,
        title_lines=title_lines,
        year_source=year_source,
        tasks=preview_tasks,
        unplaced=builder.unplaced,
        notes=builder.notes,
    )
    names = [n for a in areas for t in a.tasks for cell in (t.lead, t.partners) for n in split_unit_list(cell or "")]
    names += [n for a in areas for t in a.tasks for act in t.activities
              for cell in (act.lead, act.partners) for n in split_unit_list(cell or "")]
    preview.group_names = list(dict.fromkeys(n for n in names if is_unit_group(n)))
    if session is not None:
        check_units(preview, session)
    return preview


def check_units(preview: PlanPreview, session: Session) -> list[str]:
    """Fill ``preview.unknown_units``: names of single units that the catalogue does not have."""
    matcher = UnitMatcher(session)
    seen: dict[str, str] = {}
    for a in preview.draft.areas:
        for t in a.tasks:
            cells = [t.lead, t.partners] + [c for act in t.activities for c in (act.lead, act.partners)]
            for cell in cells:
                for name in matcher.unknown(cell):
                    seen.setdefault(name_key(name), name)
    preview.unknown_units = list(seen.values())
    return preview.unknown_units


def import_plan_file(
    session: Session,
    path: Path | str,
    unit: Unit,
    *,
    title: str | None = None,
    number: str | None = None,
    year: int | None = None,
    mapping: dict[str, str] | None = None,
    create_units: list[str] | None = None,
    preview: PlanPreview | None = None,
) -> Plan:
    """Import a plan table for ``unit`` in the caller's transaction (all or nothing).

    Refuses an ambiguous column mapping (resolve it with ``mapping``) and a table without tasks.
    ``create_units`` lists names from ``unknown_units`` to add to the catalogue under ``unit``;
    other unknown names are kept as written, without a link. ``preview`` (from
    ``preview_plan_file`` with the same arguments) avoids reading the file twice.
    """
    if preview is None:
        preview = preview_plan_file(path, mapping, year=year, session=session)
    else:
        check_units(preview, session)
    if preview.ambiguous:
        raise PlanImportError("Chưa nhập kế hoạch vì cột của bảng chưa rõ.\n" + preview.ambiguity_message())
    if preview.task_count == 0:
        raise PlanImportError(f"Tệp “{preview.file_name}” không có nhiệm vụ nào dưới dòng tiêu đề; chưa nhập gì.")
    if create_units:
        known = {name_key(n): n for n in preview.unknown_units}
        missing = [n for n in create_units if name_key(n) not in known]
        if missing:
            raise PlanImportError(
                "Không tạo được đơn vị không có trong danh sách đơn vị chưa có: " + "; ".join(missing) + "."
            )
        create_units_in_catalogue(session, [known[name_key(n)] for n in dict.fromkeys(create_units)], unit)
    draft = preview.draft
    try:
        require_unit_in_years(session, unit, draft.year_from, draft.year_to)
    except UnitPeriodError as exc:
        raise PlanImportError(str(exc)) from None
    if title:
        draft.title = " ".join(nfc(title).split())
    if number:
        draft.document_number = nfc(number).strip()
    plan = store_plan(session, unit, draft)
    audit.record(
        session, "import", "plan", plan.id,
        new=f"{preview.file_name}: {preview.area_count} lĩnh vực, {preview.task_count} nhiệm vụ, "
            f"{preview.activity_count} hoạt động",
        reason=f"{len(preview.unplaced)} dòng không xếp được" if preview.unplaced else None,
    )
    return plan


def create_units_in_catalogue(session: Session, names: list[str], parent: Unit) -> list[Unit]:
    """Add the named units under the plan's unit (a thin wrapper the GUI can call too)."""
    return create_units(session, names, parent)
