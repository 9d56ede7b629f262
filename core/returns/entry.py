"""Filling in a return's statistical form: the rows a grid shows, and edits as undo-able data.

- ``open_return`` finds or creates the return of a unit for a period on the current form and
  brings in the plan's task counts while it is a draft.
- ``grid_rows`` gives every form row with its value, note, source (and where a derived value
  came from), the previous period's value and the problems that name the row.
- ``apply_edits`` takes a batch of cells (one typed cell, or a block pasted from Excel). It
  parses and range-checks **all** of them first and stores nothing if any fails; otherwise it
  stores them, each with an audit entry, and returns the old and new state of every changed
  cell so the caller can undo by applying ``EditResult.inverse()``.

Several people may fill in one return on a shared database. Each value has a version
(``GridRow.version``); a screen passes the versions it showed (``seen_versions``) and a value
someone else saved since is refused with ``ConcurrentEditError`` — naming who changed it and
keeping this user's input to apply again — instead of being overwritten. Nothing of the batch
is stored then. With a logged-in user (``core.org.auth``) only the units in reach are opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound, Refused
from core.forms import applicable_indicators, applies, current_template
from core.org.auth import AccessDeniedError, can_write, require_unit
from core.org.units import LEVEL_LABELS, get_unit
from core.periods import ensure_period, parse_period_code, spec_of
from core.returns.plan_values import refresh_plan_values
from core.returns.store import (
    KEEP,
    STATUS_LABELS,
    ConcurrentEditError,
    ConflictCell,
    ensure_editable,
    find_return,
    get_or_create_return,
    last_change,
    lock_return,
    stale_writes_refused,
    store_value,
    values_by_code,
)
from core.returns.validation import Problem, ValidationReport, cell_error, validate_return
from core.values import (
    BLANK,
    InvalidValueError,
    ParsedValue,
    format_value,
    note_with_footnote,
    parse_value,
    split_footnote,
    split_footnote_mark,
)
from core.vnformat import format_date, nfc
from db.models import FormTemplate, Indicator, IndicatorValue, Period, Return

SOURCE_LABELS = {
    "manual": "Nhập tay",
    "plan": "Từ Kế hoạch",
    "import": "Nhập từ tệp",
    "consolidated": "Tổng hợp",
}


# --------------------------------------------------------------------------- finding a return


@dataclass(frozen=True)
class ReturnInfo:
    """What a screen or a command shows about a return above its grid."""

    return_id: int
    unit_code: str
    unit_name: str
    period_code: str
    period_label: str
    window_text: str  # "Từ ngày 15/12/2020 đến ngày 14/6/2021"
    due_date: date
    status: str
    status_label: str
    editable: bool
    template_code: str
    template_version: int
    template_title: str
    submitted_at: datetime | None
    submitted_by: str | None
    version: int = 1  # changes with every change to the return (pass it back as ``seen_version``)

    def as_dict(self) -> dict:
        return {
            "return_id": self.return_id, "unit": self.unit_code, "unit_name": self.unit_name,
            "period": self.period_code, "period_label": self.period_label, "window": self.window_text,
            "due_date": format_date(self.due_date), "status": self.status, "status_label": self.status_label,
            "form": f"{self.template_code} v{self.template_version}",
        }


def return_info(session: Session, ret: Return) -> ReturnInfo:
    from core.org.settings import period_rules_for
    from core.returns.snapshots import frozen_export, window_text  # the snapshot module builds on this one

    rules = period_rules_for(session, ret.unit)
    spec = spec_of(ret.period)
    tpl = ret.template
    frozen = frozen_export(session, ret)
    window = window_text(frozen) if frozen is not None else spec.window_text(rules)  # a frozen return keeps its own
    return ReturnInfo(
        ret.id, ret.unit.code, ret.unit.name, spec.code, spec.label, window, spec.due_date(rules),
        ret.status, STATUS_LABELS.get(ret.status, ret.status), ret.status == "draft", tpl.code, tpl.version,
        tpl.title, ret.submitted_at, ret.submitted_by, ret.version,
    )


def find_unit_return(session: Session, unit_code: str, period_code: str) -> Return | None:
    """The return of a unit for a period on the current form, or None (nothing is created)."""
    unit = get_unit(session, unit_code)
    require_unit(session, unit.id)
    spec = parse_period_code(period_code)
    period = session.scalar(select(Period).where(Period.code == spec.code))
    if period is None:
        return None
    return find_return(session, unit, period, current_template(session))


def open_return(session: Session, unit_code: str, period_code: str, *, refresh: bool = True) -> Return:
    """Find or create the return; while it is a draft, bring in the plan's task counts.

    A viewer (``core.org.auth``) opens an existing return as it is and creates none."""
    unit = get_unit(session, unit_code)
    require_unit(session, unit.id)
    if not can_write(session):
        found = find_unit_return(session, unit_code, period_code)
        if found is None:
            raise AccessDeniedError("Báo cáo này chưa được lập; tài khoản chỉ xem không tạo được báo cáo mới.")
        return found
    period = ensure_period(session, period_code)
    ret = get_or_create_return(session, unit, period, current_template(session))
    if refresh and ret.status == "draft":
        ret = lock_return(session, ret.id)  # two people opening it at once: one brings the plan in
        if ret.status == "draft":
            with stale_writes_refused(ret.id):
                refresh_plan_values(session, ret)
                session.flush()
    return ret


def _get_return(session: Session, return_id: int) -> Return:
    ret = session.get(Return, return_id)
    if ret is None:
        raise NotFound(f"Không có báo cáo số {return_id}.")
    require_unit(session, ret.unit_id)
    return ret


def previous_return(session: Session, ret: Return) -> Return | None:
    """The unit's return for the previous period (previous quarter; same period last year otherwise)."""
    prev_code = spec_of(ret.period).previous().code
    tpl_code = session.get(FormTemplate, ret.template_id).code
    return session.scalar(
        select(Return)
        .join(Period, Period.id == Return.period_id)
        .join(FormTemplate, FormTemplate.id == Return.template_id)
        .where(Return.unit_id == ret.unit_id, Period.code == prev_code, FormTemplate.code == tpl_code)
        .order_by(FormTemplate.version.desc())
        .limit(1)
    )


# --------------------------------------------------------------------------- grid rows


@dataclass(frozen=True)
class GridRow:
    """One row of the form as the entry grid shows it."""

    indicator_id: int
    code: str
    name: str
    hint: str
    unit_label: str
    kind: str  # group | value
    value_type: str | None
    depth: int
    breakdown: bool  # a "Trong đó" row
    editable: bool  # a value row of a draft return
    number: float | None
    text: str | None
    value_display: str  # "4.156", "72,8", "2"; "" = no data
    value_label: str  # "2 – Hoàn thành" for coded answers, else as value_display
    note: str
    source: str | None  # manual | plan | import | consolidated; None when there is no value
    source_label: str
    source_detail: str  # "Từ Kế hoạch 751/QĐ-UBND: 11/38 nhiệm vụ hoàn thành đến 14/6/2021"
    source_value_display: str  # the plan's number when the user overrode it, else ""
    previous_display: str  # the previous period's value ("" = none)
    choices: tuple[tuple[int, str], ...]
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    version: int = 0  # of the stored value (0: none stored); pass back in ``seen_versions``
    note_editable: bool = False  # a draft's value rows, and its group rows (a group row takes a note only)

    @property
    def is_heading(self) -> bool:
        """Group rows: printed bold, never edited."""
        return self.kind == "group"

    @property
    def severity(self) -> str | None:
        """The worst problem on this row: error, warning, notice or None."""
        for sev in ("error", "warning", "notice"):
            if any(p.severity == sev and (sev != "warning" or not p.resolved) for p in self.problems):
                return sev
        return None

    @property
    def overridden(self) -> bool:
        return bool(self.source_value_display)


def grid_rows(session: Session, return_id: int, report: ValidationReport | None = None) -> list[GridRow]:
    ret = _get_return(session, return_id)
    values = values_by_code(session, ret)
    prev = previous_return(session, ret)
    prev_values = values_by_code(session, prev) if prev is not None else {}
    report = report if report is not None else validate_return(session, ret)
    problems = report.by_code()
    editable = ret.status == "draft"
    rows = []
    # Only the rows of the unit's level: a commune never sees district- or province-only rows.
    for ind in applicable_indicators(session.scalars(
        select(Indicator).where(Indicator.template_id == ret.template_id).order_by(Indicator.sort_order)
    ).all(), ret.unit.level):
        v = values.get(ind.code)
        num, txt = (v.value_num, v.value_text) if v else (None, None)
        pv = prev_values.get(ind.code)
        overridden = (v is not None and v.source_value is not None and v.source != "plan")
        has_data = v is not None and not (num is None and txt is None and v.source_value is None)
        source = v.source if has_data else None
        rows.append(GridRow(
            indicator_id=ind.id,
            code=ind.code,
            name=ind.name,
            hint=ind.hint or "",
            unit_label=ind.unit_label or "",
            kind=ind.kind,
            value_type=ind.value_type,
            depth=ind.code.count("."),
            breakdown=ind.breakdown,
            editable=editable and ind.kind == "value",
            number=num,
            text=txt,
            value_display=format_value(ind.value_type, num, txt),
            value_label=format_value(ind.value_type, num, txt, ind.choices, with_label=True),
            note=(v.note or "") if v else "",
            source=source,
            source_label=SOURCE_LABELS.get(source, source) if source else "",
            source_detail=(v.source_detail or "") if v else "",
            source_value_display=format_value(ind.value_type, v.source_value, None) if overridden else "",
            previous_display=format_value(ind.value_type, pv.value_num, pv.value_text) if pv else "",
            choices=tuple((int(c["code"]), c["label"]) for c in ind.choices or []),
            problems=tuple(problems.get(ind.code, [])),
            note_editable=editable,
            version=v.version if v is not None else 0,
        ))
    return rows


# --------------------------------------------------------------------------- edits


@dataclass(frozen=True)
class Edit:
    """One cell to change. ``raw`` is what was typed or pasted (``KEEP``: leave the value);
    ``note`` is the new note (``KEEP``: leave it; ``None`` or ``""``: remove it);
    ``source`` overrides the batch's source (undo uses it to restore exactly)."""

    code: str
    raw: object = KEEP
    note: object = KEEP
    source: str | None = None


@dataclass(frozen=True)
class CellError:
    index: int  # position in the batch
    code: str
    raw: object
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "code": self.code, "raw": None if self.raw is KEEP else str(self.raw),
                "message": self.message}


@dataclass(frozen=True)
class ValueChange:
    code: str
    old_number: float | None
    old_text: str | None
    old_note: str | None
    old_source: str | None
    new_number: float | None
    new_text: str | None
    new_note: str | None
    new_source: str | None
    old_display: str
    new_display: str
    new_version: int = 0  # of the stored value afterwards

    def undo(self) -> Edit:
        raw = self.old_text if self.old_text is not None else self.old_number
        return Edit(self.code, raw, self.old_note or "", self.old_source or "manual")

    def redo(self) -> Edit:
        raw = self.new_text if self.new_text is not None else self.new_number
        return Edit(self.code, raw, self.new_note or "", self.new_source or "manual")

    def as_dict(self) -> dict:
        return {"code": self.code, "old": self.old_display, "new": self.new_display,
                "old_note": self.old_note, "new_note": self.new_note, "source": self.new_source}


@dataclass(frozen=True)
class EditResult:
    applied: bool
    errors: list[CellError] = field(default_factory=list)
    changes: list[ValueChange] = field(default_factory=list)
    report: ValidationReport | None = None  # of the whole return after the edit

    @property
    def ok(self) -> bool:
        return self.applied

    def inverse(self) -> list[Edit]:
        """The edits that undo this one (apply them with ``apply_edits``)."""
        return [c.undo() for c in reversed(self.changes)]

    def redo_edits(self) -> list[Edit]:
        return [c.redo() for c in self.changes]


def _as_edit(item: Edit | tuple) -> Edit:
    if isinstance(item, Edit):
        return item
    if len(item) == 2:
        return Edit(str(item[0]), item[1])
    if len(item) == 3:
        code, raw, note = item
        return Edit(str(code), raw, KEEP if note is None else note)
    raise Refused("Mỗi ô cần (mã chỉ tiêu, giá trị[, ghi chú]).")


def normalize_code(code: object) -> str:
    """"1.1.1." (as the printed form writes STT) → "1.1.1"."""
    return str(code or "").strip().rstrip(".").strip()


def check_edits(session: Session, ret: Return, edits: list[Edit | tuple]) -> tuple[list, list[CellError]]:
    """Parse and range-check every cell; returns ([(edit, indicator, parsed|KEEP, note|KEEP)], errors)."""
    inds = {i.code: i for i in session.scalars(select(Indicator).where(Indicator.template_id == ret.template_id))}
    level = ret.unit.level
    parsed_cells, errors, seen = [], [], {}
    for index, item in enumerate(edits):
        e = _as_edit(item)
        code = normalize_code(e.code)
        ind = inds.get(code)
        if ind is None:
            errors.append(CellError(index, code, e.raw, f"Biểu mẫu không có chỉ tiêu mã “{code}”."))
            continue
        if ind.kind == "group":
            if _blank_raw(e.raw) and e.note is not KEEP:
                # A group row takes no value but may carry a note (seed 004's 3.4: "Số liệu tính đến …").
                note = " ".join(nfc(str(e.note)).split()) if e.note is not None else ""
                parsed_cells.append((e, ind, BLANK, note))
                continue
            errors.append(CellError(index, code, e.raw,
                                    f"Chỉ tiêu {code} là dòng tiêu đề nhóm, không nhập số liệu (chỉ ghi chú)."))
            continue
        if not applies(ind, level) and not _blank_raw(e.raw):
            errors.append(CellError(index, code, e.raw,
                                    f"Chỉ tiêu {code} ({ind.name}) không áp dụng cho đơn vị cấp "
                                    f"{LEVEL_LABELS.get(level, level).lower()}; không nhập số liệu cho chỉ tiêu này."))
            continue
        if code in seen:
            errors.append(CellError(index, code, e.raw,
                                    f"Chỉ tiêu {code} xuất hiện hai lần (ô thứ {seen[code] + 1} và {index + 1})."))
            continue
        seen[code] = index
        parsed: ParsedValue | object = KEEP
        raw, mark = (e.raw, None) if e.raw is KEEP or ind.value_type == "text" else split_footnote_mark(e.raw)
        if e.raw is not KEEP:
            try:
                parsed = parse_value(code, ind.value_type, ind.choices, raw)
            except InvalidValueError as exc:
                errors.append(CellError(index, code, e.raw, str(exc)))
                continue
            msg = cell_error(ind, parsed.number, parsed.text)
            if msg:
                errors.append(CellError(index, code, e.raw, msg))
                continue
        note = e.note if e.note is KEEP else (" ".join(nfc(str(e.note)).split()) if e.note is not None else "")
        if mark is not None:
            note = _footnoted_note(session, ret, ind, mark, note)
        if e.source is not None and e.source not in SOURCE_LABELS:
            errors.append(CellError(index, code, e.raw, f"Nguồn số liệu “{e.source}” không hợp lệ."))
            continue
        parsed_cells.append((e, ind, parsed, note))
    return parsed_cells, errors


def _footnoted_note(session: Session, ret: Return, ind: Indicator, mark: str, note: object) -> str:
    """A value typed with a footnote mark ("94(28)"): the row's note is the footnote's text, kept in the
    note as "(28) <text>" (``core.values.note_with_footnote``); without a new note the one stored stays."""
    if note is KEEP:
        stored = session.scalar(select(IndicatorValue.note).where(IndicatorValue.return_id == ret.id,
                                                                  IndicatorValue.indicator_id == ind.id))
        plain, old_mark, text = split_footnote(stored)
        return note_with_footnote(plain, mark, text if old_mark == mark else "")
    return note_with_footnote(None, mark, str(note))


def _blank_raw(raw: object) -> bool:
    return raw is KEEP or raw is None or (isinstance(raw, str) and not raw.strip())


def apply_edits(session: Session, return_id: int, edits: list[Edit | tuple], *, source: str = "manual",
                user: str | None = None, seen_versions: dict[str, int] | None = None) -> EditResult:
    """Store a batch of cells, or nothing if any cell fails to parse or is out of range.

    Tuples ``(code, raw)`` or ``(code, raw, note)`` are accepted; in a tuple a ``None`` note
    leaves the note as it is and ``""`` removes it. A value equal to what the plan (or, in a
    consolidated return, consolidation) proposed is stored as coming from it; a different one
    is an override that needs a note.
    Raises ``ReturnLockedError`` when the return is submitted.

    ``seen_versions`` maps codes to the ``GridRow.version`` the user was looking at. If another
    user stored one of those values since, ``ConcurrentEditError`` is raised and nothing is
    stored; it names each value, what it is now and who changed it, and carries ``edits``.
    The return is locked for the rest of the transaction, so two batches on the same return
    never interleave; a write that still meets a newer row is refused the same way.
    """
    ret = lock_return(session, return_id)
    require_unit(session, ret.unit_id, write=True)
    ensure_editable(ret)
    cells, errors = check_edits(session, ret, edits)
    if errors:
        return EditResult(False, errors)
    current = {v.indicator_id: v for v in session.scalars(
        select(IndicatorValue).where(IndicatorValue.return_id == ret.id).execution_options(populate_existing=True))}
    if seen_versions:
        _refuse_stale(session, ret, cells, current, {normalize_code(k): v for k, v in seen_versions.items()},
                      list(edits))
    with stale_writes_refused(ret.id, list(edits)):
        changes = _store_cells(session, ret, cells, current, source, user)
        session.flush()
    return EditResult(True, [], changes, validate_return(session, ret))


def _refuse_stale(session: Session, ret: Return, cells: list, current: dict, seen: dict[str, int],
                  edits: list) -> None:
    conflicts = []
    for e, ind, _parsed, note in cells:
        if ind.code not in seen:
            continue
        row = current.get(ind.id)
        if (row.version if row is not None else 0) == seen[ind.code]:
            continue
        last = last_change(session, ret.id, ind.code)
        conflicts.append(ConflictCell(
            ind.code, e.raw, note,
            format_value(ind.value_type, row.value_num, row.value_text) if row is not None else "",
            row.note if row is not None else None,
            last.user if last else None, last.at if last else None,
        ))
    if conflicts:
        raise ConcurrentEditError.for_values(conflicts, ret.id, edits)


def _store_cells(session: Session, ret: Return, cells: list, current: dict, source: str,
                 user: str | None) -> list[ValueChange]:
    changes = []
    for e, ind, parsed, note in cells:
        row = current.get(ind.id)
        old = (row.value_num, row.value_text, row.note, row.source) if row else (None, None, None, None)
        new_parsed = ParsedValue(old[0], old[1]) if parsed is KEEP else parsed
        if parsed is KEEP and row is None:
            new_parsed = BLANK
        src = e.source or source
        if parsed is KEEP and row is not None:
            src = row.source if e.source is None else e.source
        sv = row.source_value if row is not None else None
        if sv is not None and new_parsed.number is not None and abs(new_parsed.number - sv) < 1e-9:
            # Back to what the derived source proposed: the plan, or consolidation of the units below.
            src = "consolidated" if ret.origin == "consolidated" else "plan"
        changed = store_value(session, ret, ind, new_parsed, None if note is KEEP else (note or None),
                              keep_note=note is KEEP, source=src, user=user)
        if not changed:
            continue
        row = session.scalar(select(IndicatorValue).where(IndicatorValue.return_id == ret.id,
                                                          IndicatorValue.indicator_id == ind.id))
        new = (row.value_num, row.value_text, row.note, row.source) if row else (None, None, None, None)
        changes.append(ValueChange(
            ind.code, *old, *new,
            old_display=format_value(ind.value_type, old[0], old[1]),
            new_display=format_value(ind.value_type, new[0], new[1]),
            new_version=row.version if row is not None else 0,
        ))
    return changes


# --------------------------------------------------------------------------- value files


@dataclass(frozen=True)
class FileValue:
    """One line of a values file (code,value[,note])."""

    line: int
    code: str
    raw: object
    note: str | None  # None: no note column or an empty cell — the stored note is kept

    def edit(self) -> Edit:
        return Edit(self.code, self.raw, KEEP if self.note is None else self.note)


_CODE_HEADERS = {"code", "ma", "ma chi tieu", "stt", "ma so"}
_VALUE_HEADERS = {"value", "so lieu", "gia tri", "ket qua"}
_NOTE_HEADERS = {"note", "ghi chu"}


def read_values_file(path) -> list[FileValue]:
    """Lines of a .csv/.xlsx with columns code,value[,note] (a header line is optional).

    Values stay raw (``"72,8"``, ``"3.133"`` or an Excel number): they are parsed against the
    form when applied. Raises ``InputFileError`` for a file that cannot be read.
    """
    from core.org.units import fold
    from core.safe_files import VALUES_LIMITS, InputFileError, read_table

    rows = read_table(path, VALUES_LIMITS)
    cols = {"code": 0, "value": 1, "note": 2}
    start = 0
    for i, row in enumerate(rows):
        if any(c not in (None, "") for c in row):
            header = [fold(str(c or "")) for c in row]
            if any(h in _CODE_HEADERS for h in header):
                found = {}
                for j, h in enumerate(header):
                    for key, names in (("code", _CODE_HEADERS), ("value", _VALUE_HEADERS), ("note", _NOTE_HEADERS)):
                        if h in names and key not in found:
                            found[key] = j
                if "value" not in found:
                    raise InputFileError(
                        f"Tệp “{path.name}” thiếu cột số liệu: dòng tiêu đề cần các cột code,value[,note]."
                    )
                cols = {"code": found["code"], "value": found["value"], "note": found.get("note", -1)}
                start = i + 1
            else:
                start = i
            break
    out = []
    for n, row in enumerate(rows[start:], start=start + 1):
        def cell(key: str, row: list = row) -> object:
            j = cols[key]
            return row[j] if 0 <= j < len(row) else None

        if all(c in (None, "") or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        note = cell("note")
        note_text = str(note).strip() if note not in (None, "") else ""
        out.append(FileValue(n, normalize_code(cell("code")), cell("value"), note_text or None))
    if not out:
        raise InputFileError(f"Tệp “{path.name}” không có dòng số liệu nào (cần các cột code,value[,note]).")
    return out
