"""Returns typed by hand in Excel (units without the program): the official appendix, matched by code.

``read_handmade`` finds the table — the header row with "STT", the code column, the value
column ("Số liệu", under "Kết quả thống kê") and the note column — and matches each line to
the form, tolerating what such files hold:

- codes written "1.1.1." or "1.1.1", as text or as an Excel number;
- merged cells (a "Trong đó" cell spanning the breakdown rows, group titles across the row);
- footnote marks after a value ("94(28)", "30 (32)") — the footnote text, if the file has
  it below the table, goes into the note;
- "Trong đó" rows, which have no code: matched under their parent by name, else by position;
- a code printed twice (the seed prints 1.1.1–1.1.4 again under 1.2): matched to the form's
  row under the current heading that carries that printed code (``source_code``) or by name;
- a group row holding "- Cấp tỉnh: 83 - Cấp huyện: 70,4 - Cấp xã: 86" for its breakdown rows;
- the header repeated after each page break, and rows cut in two by a page break.

The result is a ``HandmadePreview`` — which lines matched (and how), which did not, which form
codes are missing, the unit and period guessed from the title rows and the file name — for a
person to confirm. ``store_handmade`` then stores it as the unit's return in one transaction,
recorded in ``imported_file`` like any received file. Nothing is stored before that.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.forms import applies, current_template
from core.import_mappings import mark_used, remember_mapping, saved_mapping
from core.intake.importer import previous_review_note
from core.intake.outcomes import FileOutcome
from core.intake.received_values import store_return_values
from core.org.unit_lifetimes import UnitPeriodError, require_unit_in_period
from core.org.units import children_of, fold
from core.periods import PeriodCodeError, ensure_period, parse_period_code
from core.reports.workbook_format import BLANK_FORM_MARK
from core.returns.report_model import canonical_json
from core.safe_files import HANDMADE_LIMITS, InputFileError, open_xlsx
from core.values import InvalidValueError, format_value, parse_value
from core.vnformat import format_datetime, nfc, utc_to_local
from db.models import ImportedFile, Indicator, Return, SavedMapping, Unit

__all__ = ["HandmadeError", "HandmadeLine", "HandmadePreview", "parse_columns", "read_handmade", "store_handmade"]

_CODE_RE = re.compile(r"^\d{1,2}(\.\d{1,2}){0,4}$")
_FOOTNOTE_MARK_RE = re.compile(r"^(?P<value>.*?\S)\s*(?:<sup>)?\s*\(\s*(?P<mark>\d{1,3})\s*\)\s*(?:</sup>)?\s*$")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPER_TAIL_RE = re.compile(r"^(?P<value>.*?\d)(?P<mark>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")
_FOOTNOTE_LINE_RE = re.compile(r"^\s*(?:<sup>)?\(?(?P<mark>\d{1,3})\)?(?:</sup>)?\s+(?P<text>\D.{5,})$", re.S)
_TAG_RE = re.compile(r"</?(b|i|u|sup|sub|em|strong)>", re.I)
_LABELLED_RE = re.compile(r"(?:^|[-–•;])\s*(?P<label>[^:;\-–•]+?)\s*:\s*(?P<value>[0-9][0-9.,]*)?")


class HandmadeError(InputFileError):
    """The file cannot be read as the appendix; the message is Vietnamese."""


@dataclass(frozen=True)
class HandmadeLine:
    row: int  # sheet row (1-based)
    stt: str  # as written
    name: str
    raw_value: str  # as written ("94(28)")
    code: str | None  # the form code it matched
    status: str  # matched | unmatched | error | ignored
    how: str  # "mã", "mã in sai, theo vị trí dưới 1.2", "vị trí dưới 3.1.3", "tên" …
    value_display: str  # as it will be stored ("94")
    note: str
    message: str = ""

    @property
    def status_label(self) -> str:
        return {"matched": "Khớp", "unmatched": "Không khớp", "error": "Lỗi số liệu", "ignored": "Bỏ qua"}[self.status]

    def as_dict(self) -> dict:
        return {"row": self.row, "stt": self.stt, "name": self.name, "raw_value": self.raw_value, "code": self.code,
                "status": self.status, "how": self.how, "value": self.value_display, "note": self.note,
                "message": self.message}


@dataclass
class HandmadePreview:
    path: Path
    file_name: str
    file_sha256: str
    sheet: str
    header_row: int
    columns: dict[str, str]  # role → column letter
    title_text: str
    template_code: str
    template_version: int
    lines: list[HandmadeLine] = field(default_factory=list)
    values: dict[str, tuple] = field(default_factory=dict)  # code → (number, text, note)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of form rows not found
    guessed_unit: tuple[str, str] | None = None  # (code, name)
    guessed_unit_from: str = ""  # "tiêu đề" | "tên tệp"
    guessed_period: str | None = None
    blank_form: bool = False  # a blank form made by this product (``export --blank``), filled in by hand
    header_cells: list[tuple[str, str]] = field(default_factory=list)  # (column letter, header text)
    columns_from: str = "auto"  # auto | user (given with the preview) | saved (core.import_mappings)
    saved_mapping_id: int | None = None

    @property
    def matched(self) -> list[HandmadeLine]:
        return [line for line in self.lines if line.status == "matched"]

    @property
    def unmatched(self) -> list[HandmadeLine]:
        return [line for line in self.lines if line.status == "unmatched"]

    @property
    def errors(self) -> list[HandmadeLine]:
        return [line for line in self.lines if line.status == "error"]

    @property
    def content_sha256(self) -> str:
        data = {code: {"value": v[1] if v[1] is not None else v[0], "note": v[2]} for code, v in self.values.items()}
        return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()

    def summary(self) -> str:
        return (f"Tệp “{self.file_name}” (trang “{self.sheet}”): khớp {len(self.matched)} dòng, "
                f"không khớp {len(self.unmatched)}, lỗi số liệu {len(self.errors)}; "
                f"thiếu {len(self.missing)} chỉ tiêu của biểu mẫu.")

    def lines_text(self) -> list[str]:
        out = [self.summary()]
        if self.blank_form:
            out.append("Tệp là biểu mẫu trống do phần mềm lập, đã được điền tay.")
        if self.columns_from == "saved":
            out.append("Dùng cách chọn cột đã lưu cho bảng có cùng dòng tiêu đề: "
                       + ", ".join(f"{k}={v}" for k, v in self.columns.items()) + ".")
        if self.guessed_unit:
            out.append(f"Đơn vị đoán từ {self.guessed_unit_from}: {self.guessed_unit[1]} ({self.guessed_unit[0]}).")
        if self.guessed_period:
            out.append(f"Kỳ báo cáo đoán từ tiêu đề: {parse_period_code(self.guessed_period).label}.")
        for line in self.lines:
            if line.status == "ignored":
                continue
            target = f" → {line.code}" if line.code else ""
            how = f" ({line.how})" if line.how and line.how != "mã" else ""
            msg = f": {line.message}" if line.message else ""
            value = f" = {line.value_display}" if line.value_display else ""
            out.append(f"  dòng {line.row} [{line.status_label}] {line.stt or '—'} {line.name[:60]}{target}{how}"
                       f"{value}{msg}")
        if self.missing:
            out.append("Chỉ tiêu của biểu mẫu không có trong tệp (để trống): "
                       + ", ".join(code for code, _ in self.missing) + ".")
        return out

    def as_dict(self) -> dict:
        return {
            "file": self.file_name, "sheet": self.sheet, "header_row": self.header_row, "columns": self.columns,
            "summary": self.summary(),
            "guessed_unit": self.guessed_unit[0] if self.guessed_unit else None,
            "guessed_period": self.guessed_period,
            "matched": [line.as_dict() for line in self.matched],
            "unmatched": [line.as_dict() for line in self.unmatched],
            "errors": [line.as_dict() for line in self.errors],
            "missing": [{"code": c, "name": n} for c, n in self.missing],
        }


# --------------------------------------------------------------------------- cells


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(_TAG_RE.sub("", nfc(str(value))).split())


def _code_of(value: object) -> str | None:
    """"1.1.1." / "1.1.1" / 1.5 (an Excel number) → "1.1.1" / "1.5"; anything else → None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = _text(value)
    text = text.strip().rstrip(".").strip()
    return text if _CODE_RE.match(text) else None


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z%]+", " ", fold(text)).strip()


def _similar(a: str, b: str) -> float:
    """Share of words in common (0…1) between two names, ignoring case, accents and punctuation."""
    wa, wb = set(_key(a).split()), set(_key(b).split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / max(len(wa), len(wb))


def _clean_value(raw: object) -> tuple[object, str | None]:
    """(value without a footnote mark, the mark) — "94(28)" → ("94", "28"); 30 → (30, None)."""
    if raw is None or isinstance(raw, (int, float)):
        return raw, None
    text = _text(raw)
    if text in ("", "-", "–", "—", "x", "X"):
        return None, None
    m = _SUPER_TAIL_RE.match(text)
    if m:
        return m.group("value").strip(), m.group("mark").translate(_SUPERSCRIPTS)
    m = _FOOTNOTE_MARK_RE.match(text)
    if m and re.search(r"\d", m.group("value")):
        return m.group("value").strip(), m.group("mark")
    if text.endswith("%"):
        text = text[:-1].strip()
    return text, None


# --------------------------------------------------------------------------- reading


@dataclass
class _Table:
    ws: object
    header_row: int
    stt: int
    name: int
    unit: int | None
    value: int
    note: int | None
    score: int


def _find_table(wb) -> _Table:  # noqa: ANN001
    best: _Table | None = None
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = list(ws.iter_rows(min_row=1, max_row=min(ws.max_row or 1, 60), values_only=True))
        for i, row in enumerate(rows, start=1):
            keys = [_key(_text(c)) for c in row]
            if "stt" not in keys:
                continue
            stt = keys.index("stt")
            name = next((j for j, k in enumerate(keys) if k.startswith("chi tieu") or k.startswith("noi dung")), None)
            below = [_key(_text(c)) for c in (rows[i] if i < len(rows) else ())]
            both = [(k, j) for j, k in enumerate(keys)] + [(k, j) for j, k in enumerate(below)]
            value = next((j for k, j in both if k in ("so lieu", "gia tri", "ket qua", "so lieu thong ke")), None)
            if value is None:
                value = next((j for k, j in both if k.startswith("ket qua") or k.startswith("so lieu")), None)
            unit = next((j for k, j in both if k.startswith("don vi tinh") or k == "dvt"), None)
            note = next((j for k, j in both if k.startswith("ghi chu")), None)
            if name is None:
                name = stt + 1
            if value is None:
                value = (unit + 1) if unit is not None else name + 2
            score = _count_codes(ws, i, stt)
            if best is None or score > best.score:
                best = _Table(ws, i, stt, name, unit, value, note, score)
            break
    if best is None or best.score == 0:
        raise HandmadeError("Không tìm thấy bảng số liệu: cần một dòng tiêu đề có cột “STT” và cột “Số liệu”, "
                            "các dòng bên dưới ghi mã chỉ tiêu (1.1.1, 1.1.2 …).")
    return best


def _count_codes(ws, header_row: int, col: int) -> int:  # noqa: ANN001
    n = 0
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if col < len(row) and _code_of(row[col]):
            n += 1
    return n


def _vertical_fill(ws, col: int) -> dict[int, object]:  # noqa: ANN001
    """Row → value of a cell merged down a column (the "Trong đó" cell spans the breakdown rows)."""
    out: dict[int, object] = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_col <= col + 1 <= rng.max_col and rng.max_row > rng.min_row and rng.min_col == col + 1:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row + 1, rng.max_row + 1):
                out[r] = top
    return out


def _covered_from_left(ws) -> set[tuple[int, int]]:  # noqa: ANN001
    """Cells hidden under a merge whose visible text sits in another column (a title across the row)."""
    out = set()
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    out.add((r, c - 1))
    return out


def _guess_period(text: str) -> str | None:
    t = fold(text)
    m = re.search(r"6 thang dau nam (\d{4})", t)
    if m:
        return f"{m.group(1)}-H1"
    m = re.search(r"9 thang (?:dau )?(?:nam )?(\d{4})", t)
    if m:
        return f"{m.group(1)}-9M"
    m = re.search(r"quy (iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*(\d{4})", t)
    if m:
        n = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m.group(1)) or int(m.group(1))
        return f"{m.group(2)}-Q{n}"
    m = re.search(r"(?:ca |trong )?nam (\d{4})", t)
    if m and "6 thang" not in t and "quy" not in t:
        return f"{m.group(1)}-Y"
    return None


_UNIT_PREFIXES = ("uy ban nhan dan ", "ubnd ", "so ", "xa ", "phuong ", "dac khu ", "thi tran ", "huyen ", "thi xa ",
                  "thanh pho ", "quan ", "van phong ", "phong ", "ban ")


_GENERIC_WORDS = {"uy", "ban", "nhan", "dan", "ubnd", "so", "nganh", "tinh", "huyen", "xa", "phuong", "dac", "khu",
                  "thi", "tran", "thanh", "pho", "quan", "van", "phong", "cap", "don", "vi", "co"}


def _unit_keys(name: str) -> list[str]:
    """Ways a unit's name may appear in a title or a file name: "ubnd xa an lac", "xa an lac", "an lac".
    A key made only of words like "ubnd", "tỉnh", "xã" would match any title, so it is left out."""
    k = _key(name)
    keys = {k}
    changed = True
    while changed:
        changed = False
        for p in _UNIT_PREFIXES:
            for key in list(keys):
                if key.startswith(p) and len(key) > len(p) + 2:
                    new = key[len(p):]
                    if new not in keys:
                        keys.add(new)
                        changed = True
    keys = {key for key in keys if len(key) >= 4 and not set(key.split()) <= _GENERIC_WORDS}
    return sorted(keys, key=len, reverse=True)


def _guess_unit(candidates: list[Unit], title: str, file_stem: str) -> tuple[Unit, str] | None:
    for source, text in (("tiêu đề", title), ("tên tệp", file_stem.replace("_", " ").replace("-", " "))):
        hay = f" {_key(text)} "
        best: list[tuple[int, Unit]] = []
        for u in candidates:
            for k in _unit_keys(u.name) + [_key(u.code)]:
                if len(k) >= 3 and f" {k} " in hay:
                    best.append((len(k), u))
                    break
        if best:
            best.sort(key=lambda x: -x[0])
            if len(best) == 1 or best[0][0] > best[1][0]:
                return best[0][1], source
    return None


ROLES = ("stt", "name", "unit", "value", "note")


def parse_columns(items: list[str] | None) -> dict[str, str]:
    """["value=F", "note=G"] (CLI ``--columns``) → {"value": "F", "note": "G"}; a wrong item is refused."""
    out: dict[str, str] = {}
    for item in items or []:
        for part in nfc(item).split(","):
            role, sep, letter = part.partition("=")
            role, letter = role.strip().lower(), letter.strip().upper()
            if not sep or role not in ROLES or not re.fullmatch(r"[A-Z]{1,2}", letter):
                raise HandmadeError(f"Cách chọn cột “{part.strip()}” không hợp lệ: viết VAI=CỘT, ví dụ value=F "
                                    f"(vai: {', '.join(ROLES)}).")
            out[role] = letter
    return out


def _header_cells(ws, t: _Table) -> list[tuple[str, str]]:  # noqa: ANN001
    """The header row as (column letter, text), with the row below when it is a second header row (no code)."""
    from openpyxl.utils import get_column_letter

    rows = list(ws.iter_rows(min_row=t.header_row, max_row=t.header_row + 1, values_only=True))
    head = list(rows[0]) if rows else []
    below = list(rows[1]) if len(rows) > 1 else []
    if below and t.stt < len(below) and _code_of(below[t.stt]):
        below = []
    width = max(len(head), len(below))
    out = []
    for j in range(width):
        parts = [_text(r[j]) for r in (head, below) if j < len(r) and _text(r[j])]
        out.append((get_column_letter(j + 1), " ".join(parts)))
    return out


def _with_columns(t: _Table, columns: dict[str, str]) -> _Table:
    from dataclasses import replace

    from openpyxl.utils import column_index_from_string

    return replace(t, **{role: column_index_from_string(letter) - 1 for role, letter in columns.items()})


def read_handmade(session: Session, path: Path | str, *, parent: str | int | None = None,
                  child: str | None = None, columns: dict[str, str] | None = None) -> HandmadePreview:
    """Read a hand-typed appendix and match it to the current form; nothing is stored.

    The form's rows missing from the file are those that apply to the unit's level (``child``, else the
    unit guessed from the title or the file name): a commune's blank form has no province rows.

    ``columns`` (role → column letter, ``parse_columns``) overrides the detected columns; without it, a mapping
    saved for this header (``core.import_mappings``, kind "handmade") is used. ``store_handmade`` saves the one
    the user gave."""
    path = Path(path)
    # Merged cells need openpyxl's full reader; open_xlsx streams the file under the limits first.
    wb = open_xlsx(path, read_only=False, data_only=True, limits=HANDMADE_LIMITS)
    try:
        table = _find_table(wb)
        ws = table.ws
        header = _header_cells(ws, table)
        columns_from, saved_id = "auto", None
        if columns:
            table, columns_from = _with_columns(table, columns), "user"
        else:
            saved = saved_mapping(session, "handmade", header)
            if saved is not None:
                table = _with_columns(table, {role: letter for letter, role in saved.mapping.items()
                                              if role in ROLES})
                columns_from, saved_id = "saved", saved.id
        template = current_template(session)
        inds = list(session.scalars(select(Indicator).where(Indicator.template_id == template.id)
                                    .order_by(Indicator.sort_order)))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        title = " ".join(_text(c) for row in ws.iter_rows(min_row=1, max_row=table.header_row - 1, values_only=True)
                         for c in row if c is not None)
        preview = HandmadePreview(path, nfc(path.name), digest, ws.title, table.header_row,
                                  _columns(table), title, template.code, template.version)
        preview.header_cells, preview.columns_from, preview.saved_mapping_id = header, columns_from, saved_id
        _match(ws, table, inds, preview)
        preview.guessed_period = _guess_period(title)
        preview.blank_form = (wb.properties.keywords or "") == BLANK_FORM_MARK
        if parent is not None:
            unit = session.get(Unit, parent) if isinstance(parent, int) else session.scalar(
                select(Unit).where(Unit.code == parent))
            if unit is not None:
                kids = children_of(session, unit.id)
                found = _guess_unit(kids, title, path.stem)
                if found:
                    preview.guessed_unit = (found[0].code, found[0].name)
                    preview.guessed_unit_from = found[1]
        code = nfc(child).strip() if child else (preview.guessed_unit[0] if preview.guessed_unit else None)
        level = session.scalar(select(Unit.level).where(Unit.code == code)) if code else None
        if level is not None:
            by_code = {i.code: i for i in inds}
            preview.missing = [(c, n) for c, n in preview.missing if applies(by_code[c], level)]
        return preview
    finally:
        wb.close()


def _columns(t: _Table) -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    out = {"stt": t.stt, "name": t.name, "value": t.value}
    if t.unit is not None:
        out["unit"] = t.unit
    if t.note is not None:
        out["note"] = t.note
    return {k: get_column_letter(v + 1) for k, v in out.items()}


def _match(ws, t: _Table, inds: list[Indicator], preview: HandmadePreview) -> None:  # noqa: ANN001, C901
    by_code = {i.code: i for i in inds}
    children: dict[str | None, list[Indicator]] = {}
    for i in inds:
        children.setdefault(i.parent_code, []).append(i)
    fill = _vertical_fill(ws, t.stt)
    hidden = _covered_from_left(ws)
    format_marks = _format_marks(ws, t)
    used: set[str] = set()
    section: Indicator | None = None  # the latest group heading
    last: Indicator | None = None  # the latest coded row (parent of "Trong đó" rows)
    breakdown_pos = 0
    footnotes: dict[str, str] = {}
    marks: dict[str, str] = {}  # code → footnote mark
    staged: list[tuple[int, str, str, object, str, Indicator | None, str, str]] = []

    def cell(row: tuple, col: int | None, r: int) -> object:
        if col is None or col >= len(row) or (r, col) in hidden:
            return None
        return row[col]

    for r, row in enumerate(ws.iter_rows(min_row=t.header_row + 1, values_only=True), start=t.header_row + 1):
        stt_raw = cell(row, t.stt, r)
        if stt_raw is None and r in fill:
            stt_raw = fill[r]
        stt = _text(stt_raw)
        name = _text(cell(row, t.name, r))
        raw = cell(row, t.value, r)
        note = _text(cell(row, t.note, r))
        unit_text = _text(cell(row, t.unit, r))
        if not any(_text(c) for c in row):
            continue
        if _key(stt) == "stt" or _key(name).startswith("chi tieu thong ke") or _key(_text(raw)) == "so lieu":
            continue  # the header again, after a page break
        fn = _FOOTNOTE_LINE_RE.match(stt) if stt and not _code_of(stt) else None
        if fn and not name and raw in (None, ""):
            footnotes[fn.group("mark")] = fn.group("text").strip()
            continue
        code = _code_of(stt_raw)
        value, mark = _clean_value(raw)
        mark = mark or format_marks.get(r)
        if code is not None:
            ind = by_code.get(code)
            how = "mã"
            alt = None
            if section is not None:
                alt = next((c for c in children.get(section.code, []) if c.source_code == code and c.code not in used),
                           None)
            if alt is not None and (ind is None or code in used or not _under(ind, section)):
                ind, how = alt, f"mã in sai “{stt}”, khớp theo vị trí dưới {section.code}"
            elif ind is None or code in used:
                named = _by_name(children.get(section.code if section else None, []), name, used)
                if named is not None:
                    ind, how = named, f"theo tên (mã “{stt}” {'trùng' if code in used else 'không có trong biểu mẫu'})"
                else:
                    msg = "mã đã gặp ở dòng trên" if code in used else "mã không có trong biểu mẫu"
                    preview.lines.append(HandmadeLine(r, stt, name, _text(raw), None, "unmatched", "", "", note, msg))
                    continue
            last, breakdown_pos = ind, 0
            if ind.kind == "group":
                section = ind
                used.add(ind.code)
                if value not in (None, ""):
                    parts = _labelled(value, [c for c in children.get(ind.code, []) if c.breakdown])
                    if parts:
                        for child, part in parts:
                            staged.append((r, stt, f"{name} – {child.name}", part, "", child,
                                           f"{how}; phần “{child.name}” trong ô số liệu", ""))
                            used.add(child.code)
                        continue
                    preview.lines.append(HandmadeLine(r, stt, name, _text(raw), ind.code, "unmatched", how, "", note,
                                                      "dòng tiêu đề nhóm không nhận số liệu"))
                else:
                    msg = "ghi chú của dòng tiêu đề nhóm không được lưu" if note else ""
                    preview.lines.append(HandmadeLine(r, stt, name, "", ind.code, "ignored", how, "", note, msg))
                continue
            if ind.parent_code and by_code.get(ind.parent_code) and by_code[ind.parent_code].kind == "group":
                section = by_code[ind.parent_code]
            used.add(ind.code)
            staged.append((r, stt, name, value, note, ind, how, mark or ""))
            continue
        is_breakdown = fold(stt).startswith("trong do") or (not stt and last is not None and breakdown_pos > 0)
        if last is not None and (is_breakdown or (not stt and raw not in (None, "") and name)):
            kids = [c for c in children.get(last.code, []) if c.breakdown]
            if kids:
                named = _by_name(kids, name, used)
                if named is not None and _similar(named.name, name) >= 0.6:
                    ind, how = named, f"tên, dưới {last.code}"
                elif breakdown_pos < len(kids) and kids[breakdown_pos].code not in used:
                    ind, how = kids[breakdown_pos], f"vị trí dưới {last.code}"
                else:
                    ind = None
                breakdown_pos += 1
                if ind is not None:
                    used.add(ind.code)
                    staged.append((r, stt or "Trong đó", name, value, note, ind, how, mark or ""))
                    continue
        if raw not in (None, "") or (name and unit_text):
            preview.lines.append(HandmadeLine(r, stt, name, _text(raw), None, "unmatched", "", "", note,
                                              "dòng không có mã chỉ tiêu"))
        elif name:
            preview.lines.append(HandmadeLine(r, stt, name, "", None, "ignored", "", "", note,
                                              "dòng nối tiếp (bị ngắt trang) hoặc không có số liệu"))
    for r, stt, name, value, note, ind, how, mark in staged:
        try:
            parsed = parse_value(ind.code, ind.value_type, ind.choices, value)
        except InvalidValueError as exc:
            preview.lines.append(HandmadeLine(r, stt, name, _text(value), ind.code, "error", how, "", note, str(exc)))
            continue
        full_note = note
        message = ""
        if mark:
            marks[ind.code] = mark
            message = f"bỏ dấu chú thích ({mark})"
            if mark in footnotes:
                full_note = "; ".join(filter(None, [note, f"({mark}) {footnotes[mark]}"]))
                message += ", nội dung chú thích đưa vào ghi chú"
        preview.values[ind.code] = (parsed.number, parsed.text, full_note or None)
        shown = format_value(ind.value_type, parsed.number, parsed.text) if not parsed.blank else ""
        preview.lines.append(HandmadeLine(r, stt, name, _text(value) if not mark else f"{_text(value)}({mark})",
                                          ind.code, "matched", how, shown, full_note, message))
    preview.lines.sort(key=lambda line: line.row)
    preview.missing = [(i.code, i.name) for i in inds if i.kind == "value" and i.code not in used]


_FORMAT_MARK_RE = re.compile(r'"\s*\((\d{1,3})\)"')


def _format_marks(ws, t: _Table) -> dict[int, str]:  # noqa: ANN001
    """Row → footnote mark shown by a value cell's number format ("94 (28)" is 94 formatted ``#,##0" (28)"``,
    as this product's exports print it)."""
    out = {}
    for (cell,) in ws.iter_rows(min_row=t.header_row + 1, min_col=t.value + 1, max_col=t.value + 1):
        m = _FORMAT_MARK_RE.search(cell.number_format or "") if isinstance(cell.value, (int, float)) else None
        if m:
            out[cell.row] = m.group(1)
    return out


def _under(ind: Indicator, section: Indicator) -> bool:
    return ind.code.startswith(section.code + ".") or ind.parent_code == section.parent_code


def _by_name(cands: list[Indicator], name: str, used: set[str]) -> Indicator | None:
    if not name:
        return None
    scored = sorted(((c, _similar(c.name, name)) for c in cands if c.code not in used), key=lambda x: -x[1])
    if scored and scored[0][1] >= 0.5:
        return scored[0][0]
    return None


def _labelled(value: object, kids: list[Indicator]) -> list[tuple[Indicator, object]]:
    """"- Cấp tỉnh: 83 - Cấp huyện: 70,4 - Cấp xã: 86" → [(3.4.4.a, "83"), …] by label."""
    if not kids or not isinstance(value, str) or ":" not in value:
        return []
    out = []
    for m in _LABELLED_RE.finditer(value):
        label = m.group("label").strip()
        kid = next((k for k in kids if _key(k.name) == _key(label)), None) or _by_name(kids, label, set())
        if kid is not None and all(kid is not o for o, _ in out):
            out.append((kid, m.group("value")))
    return out if len(out) >= 2 else []


# --------------------------------------------------------------------------- storing


def store_handmade(db, parent: str | int, preview: HandmadePreview, unit_code: str, period_code: str, *,  # noqa: ANN001
                   accept_other_unit: bool = False, user: str | None = None) -> FileOutcome:
    """Store a confirmed hand-made return for ``unit_code`` and ``period_code`` (one transaction).

    Refused (``HandmadeError``) while some values do not parse, or when the unit is not a child of
    ``parent`` in that period and ``accept_other_unit`` is False. A file or content already
    imported is skipped. The return is recorded like a received file (``kind="handmade"``).
    """
    from core import audit

    user = user or audit.current_user()
    if preview.errors:
        listing = "; ".join(f"dòng {e.row} ({e.code}): {e.message}" for e in preview.errors[:6])
        raise HandmadeError(f"Chưa lưu: {len(preview.errors)} ô số liệu không đọc được ({listing}). "
                            "Hãy sửa các ô đó trong tệp rồi nhập lại.")
    if not preview.values:
        raise HandmadeError("Chưa lưu: không có dòng nào khớp với mã chỉ tiêu của biểu mẫu.")
    try:
        spec = parse_period_code(period_code)
    except PeriodCodeError as exc:
        raise HandmadeError(str(exc)) from None
    with db.transaction() as s:
        parent_unit = s.get(Unit, parent) if isinstance(parent, int) else s.scalar(
            select(Unit).where(Unit.code == parent))
        unit = s.scalar(select(Unit).where(Unit.code == unit_code.strip()))
        if parent_unit is None or unit is None:
            raise HandmadeError(f"Không có đơn vị mã “{unit_code if unit is None else parent}” trong danh mục.")
        try:
            require_unit_in_period(s, unit, spec)
        except UnitPeriodError as exc:
            raise HandmadeError(str(exc)) from None
        template = current_template(s)
        if (template.code, template.version) != (preview.template_code, preview.template_version):
            raise HandmadeError("Biểu mẫu đã thay đổi từ lúc xem trước; hãy mở lại tệp.")
        is_child = unit.parent_id == parent_unit.id and unit in children_of(s, parent_unit.id, on=spec.end_date)
        if not is_child and not accept_other_unit:
            raise HandmadeError(f"{unit.name} không phải đơn vị trực thuộc {parent_unit.name} trong kỳ {spec.label}; "
                                "cần xác nhận để nhận báo cáo của đơn vị này.")
        base = {"parent_unit_id": parent_unit.id, "unit_id": unit.id, "unit_code": unit.code, "unit_name": unit.name,
                "period_code": spec.code, "template_code": template.code, "template_version": template.version,
                "kind": "handmade", "file_name": preview.file_name, "file_sha256": preview.file_sha256,
                "content_sha256": preview.content_sha256, "user": user}
        dup = s.scalar(select(ImportedFile).where(
            ImportedFile.outcome.in_(("imported", "replaced")),
            (ImportedFile.file_sha256 == preview.file_sha256)
            | ((ImportedFile.content_sha256 == preview.content_sha256) & (ImportedFile.unit_id == unit.id)
               & (ImportedFile.period_code == spec.code) & ImportedFile.superseded_by_id.is_(None)))
            .order_by(ImportedFile.id.desc()).limit(1))
        if dup is not None:
            when = format_datetime(utc_to_local(dup.imported_at))
            reason = f"Trùng tệp hoặc nội dung đã nhập ngày {when} (tệp “{dup.file_name}”)."
            row = ImportedFile(**base, outcome="skipped", reason_code="duplicate", reason=reason)
            s.add(row)
            s.flush()
            return FileOutcome(str(preview.path), preview.file_name, "skipped", "duplicate", reason, unit.code,
                               unit.name, spec.code, imported_file_id=row.id)
        period = ensure_period(s, spec.code)
        ret = s.scalar(select(Return).where(Return.unit_id == unit.id, Return.period_id == period.id,
                                            Return.template_id == template.id))
        accepted = s.scalar(select(ImportedFile).where(
            ImportedFile.unit_id == unit.id, ImportedFile.period_code == spec.code,
            ImportedFile.outcome.in_(("imported", "replaced")), ImportedFile.superseded_by_id.is_(None))
            .order_by(ImportedFile.id.desc()).limit(1))
        had_values = ret is not None and bool(ret.values)
        indicators = {i.code: i for i in template.indicators}
        what = store_return_values(s, unit_id=unit.id, period_id=period.id, template_id=template.id, ret=ret,
                                   values=preview.values, indicators=indicators, file_name=preview.file_name,
                                   exported_at=None, user=user)
        replaced = had_values or accepted is not None
        outcome = "replaced" if replaced else "imported"
        reason = (f"Biểu điền tay: khớp {len(preview.matched)} dòng, {what.stored} chỉ tiêu có số liệu"
                  + (f", {len(preview.unmatched)} dòng không khớp" if preview.unmatched else "")
                  + (f", thiếu {len(preview.missing)} chỉ tiêu" if preview.missing else "") + ".")
        if replaced:
            old = f"tệp “{accepted.file_name}”" if accepted is not None else "số liệu đã có"
            reason += f" Thay {old}; {what.changed} chỉ tiêu thay đổi."
            if accepted is not None:
                reason += previous_review_note(s, parent_unit.id, accepted.id)
        if not is_child:
            reason += " Lưu ý: đơn vị ngoài danh sách trực thuộc, đã được xác nhận."
        row = ImportedFile(**base, outcome=outcome, reason_code=outcome, reason=reason, return_id=what.return_id,
                           details={"handmade": {"matched": len(preview.matched), "unmatched": len(preview.unmatched),
                                                 "missing": [c for c, _ in preview.missing]},
                                    **({"accepted_other_unit": True} if not is_child else {})})
        s.add(row)
        s.flush()
        if preview.columns_from == "user":  # the user's choice of columns, offered for the next such table
            remember_mapping(s, "handmade", preview.header_cells, {v: k for k, v in preview.columns.items()},
                             file_name=preview.file_name, user=user)
        elif preview.columns_from == "saved" and preview.saved_mapping_id is not None:
            saved = s.get(SavedMapping, preview.saved_mapping_id)
            if saved is not None:
                mark_used(saved)
        if accepted is not None:
            accepted.superseded_by_id = row.id
        audit.record(s, "import", "return", what.return_id, return_id=what.return_id, field="file",
                     old=accepted.file_name if accepted else None, new=preview.file_name, reason=reason, user=user)
        return FileOutcome(str(preview.path), preview.file_name, outcome, outcome, reason, unit.code, unit.name,
                           spec.code, return_id=what.return_id, imported_file_id=row.id)
