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

The sheet and its header are read by ``core.plans.table_headers``, the rows built into a plan by
``core.plans.table_rows``; this module previews and imports. ``preview_plan_file`` reads without
touching the database and says what it would import, what it filled in from the row above and what
it could not place. ``import_plan_file`` stores the result in the caller's transaction, so a failure
stores nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from core import audit
from core.org.unit_lifetimes import UnitPeriodError, require_unit_in_years
from core.org.unit_names import (
    UnitMatcher,
    create_units,
    fits_under,
    is_unit_group,
    name_key,
    split_unit_list,
)
from core.org.units import fold
from core.plans.store import PlanDraft, store_plan
from core.plans.table_headers import (
    FIELDS,
    HEADER_SEARCH_ROWS,
    Ambiguity,
    ColumnInfo,
    PlanImportError,
    SheetRows,
    apply_user_mapping,
    auto_mapping,
    combine_headers,
    find_header,
    is_numbering_row,
    is_subheader,
    read_sheets,
)
from core.plans.table_rows import PlanBuilder, RowNote
from core.plans.timeframe import parse_timeframe
from db.models import Plan, Unit

__all__ = [
    "PlanPreview",
    "PreviewTask",
    "import_plan_file",
    "preview_plan_file",
]


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
    sheets = read_sheets(path)
    if not any(any(c for c in row) for s in sheets for row in s.rows):
        raise PlanImportError(f"Tệp “{path.name}” không có dữ liệu: bảng tính trống.")
    chosen: tuple[SheetRows, int] | None = None
    for sheet in sheets:
        h = find_header(sheet.rows)
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
    if data_start < len(sheet.rows) and is_subheader(sheet.rows[data_start], header):
        header_rows.append(list(sheet.rows[data_start]))
        header = combine_headers(header, sheet.rows[data_start])
        data_start += 1
    while data_start < len(sheet.rows) and is_numbering_row(sheet.rows[data_start]):
        data_start += 1

    auto, ambiguities, candidates = auto_mapping(header)
    cols_map, ambiguities = apply_user_mapping(auto, ambiguities, mapping or {}, width)
    if "task" not in cols_map.values():
        raise PlanImportError(
            f"Trong tệp “{path.name}” không xác định được cột “Nhiệm vụ”. Dùng --map COT=task để chỉ ra cột đó."
        )
    cols: dict[str, list[int]] = {}
    for idx in sorted(cols_map):
        if cols_map[idx] not in ("note", "ignore"):
            cols.setdefault(cols_map[idx], []).append(idx)

    builder = PlanBuilder(sheet, cols, data_start, header_rows)
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
        # The year most deadlines fall in (a 2021 plan still has "trước 31/12/2020" items); ties: the later.
        year_from = year_to = max(set(seen), key=lambda y: (seen.count(y), y)) if seen else date.today().year
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
            t.timeframe = ((plan_year, draft.recurring_year), tf)  # the import reuses it
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
        wrong = [known[name_key(n)] for n in dict.fromkeys(create_units) if not fits_under(known[name_key(n)], unit)]
        if wrong:
            raise PlanImportError(f"Không tạo dưới {unit.name} các cơ quan cùng cấp hoặc cấp trên: {'; '.join(wrong)}. "
                                  "Hãy thêm chúng vào danh mục đơn vị ở đúng chỗ (Cài đặt → Đơn vị).")
        create_units_in_catalogue(session, [known[name_key(n)] for n in dict.fromkeys(create_units)], unit)
    draft = preview.draft
    try:
        require_unit_in_years(session, unit, draft.year_from, draft.year_to)
    except UnitPeriodError as exc:
        raise PlanImportError(str(exc)) from None
    if title:
        draft.title = " ".join(title.split())
    if number:
        draft.document_number = number.strip()
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
