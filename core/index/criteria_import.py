"""Reading a province's criteria table (the appendix of its decision, pasted into Excel) into a criteria set.

Tolerated, as the plan import tolerates them: title rows; one-, two- or three-row headers with merged
cells, a "(1) (2) …" numbering row and empty score columns ("Tự chấm", "Thẩm định"); headers repeated
after a page break; area rows as "I" + name or merged "I. NAME"; numbering I / 1 / 1.1 (1.1.1), with
trailing dots, or Arabic areas (1 / 1.1 / 1.1.1) when there is no Roman numeral; sub-criterion numbers
Excel turned into numbers (1.1); a scoring-guide column, or the scoring options as rows of their own under
the item; an evidence cell merged over several rows or cut by a page break; maxima written "2", "1,5",
"12 điểm", "-1,5"; a total row ("Tổng cộng", "TỔNG ĐIỂM …") and note rows ("Ghi chú: …").

Nothing is stored here: the result is a preview (``CriteriaSet``) that ``criteria.store_set`` stores once
confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from core.index.criteria import CRITERIA_LEVELS, CriteriaError, CriteriaSet, Criterion
from core.index.points import PointsError, parse_points
from core.org.units import fold
from core.plans.table_headers import is_numbering_row, join_continued, read_sheets, roman_alone, roman_area
from core.safe_files import InputFileError, check_size
from core.vnformat import from_roman

__all__ = ["read_criteria_table"]

HEADER_SEARCH_ROWS = 40


@dataclass
class _Columns:
    stt: int | None
    name: int
    max: int
    guide: int | None
    evidence: int | None


def _column_role(text: str) -> str | None:
    k = fold(text)
    if not k:
        return None
    if "kiem chung" in k or "tai lieu" in k:
        return "evidence"
    if re.search(r"huong dan|phuong phap|cach cham|cach tinh|cach danh gia|noi dung cham", k):
        return "guide"
    if re.search(r"tu cham|tu danh gia|tham dinh|dat duoc|ket qua|ghi chu|diem cham", k):
        return "ignore"
    if re.search(r"toi da|diem chuan|thang diem|so diem|^diem$|^diem\b", k):
        return "max"
    if re.search(r"linh vuc|tieu chi|noi dung|chi so", k):
        return "name"
    if re.fullmatch(r"s\s?tt|tt|so thu tu|thu tu|ma so|ma", k):
        return "stt"
    return None


def _header_roles(rows: list[list[str]], start: int, stop: int) -> dict[int, str]:
    """The role of each column from the header rows ``start..stop``: a lower row refines an upper one
    ("Điểm" over "Tối đa | Tự chấm | Thẩm định"; "Phương pháp đánh giá" over "Hướng dẫn | Tài liệu")."""
    width = max(len(r) for r in rows[start:stop + 1])
    roles: dict[int, str] = {}
    for c in range(width):
        found = None
        for r in range(stop, start - 1, -1):  # the lowest row names the column most precisely
            cell = rows[r][c] if c < len(rows[r]) else ""
            role = _column_role(cell)
            if role:
                found = role
                break
        if found:
            roles[c] = found
    return roles


def _is_header_row(row: list[str]) -> bool:
    roles = {_column_role(c) for c in row if c}
    return "name" in roles and ("max" in roles or "stt" in roles)


def _find_header(rows: list[list[str]]) -> tuple[int, int, _Columns] | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not _is_header_row(row):
            # "Lĩnh vực …" over a second header row that names the maximum ("Điểm" over "Tối đa"); a title
            # (one merged cell) is never the start of a header
            nxt = rows[i + 1] if i + 1 < len(rows) else []
            named = {_column_role(c) for c in row if c}
            if not ("name" in named and sum(1 for c in row if c) >= 2 and not _is_header_row(nxt)
                    and any(_column_role(c) == "max" for c in nxt)):
                continue
        stop = i
        while stop + 1 < len(rows) and stop - i < 3 and _continues_header(rows[stop + 1]):
            stop += 1
        roles = _header_roles(rows, i, stop)
        cols = _columns(roles)
        if cols is not None:
            return i, stop, cols
    return None


def _continues_header(row: list[str]) -> bool:
    values = [c for c in row if c]
    if not values:
        return False
    if is_numbering_row(row):
        return True
    return all(_column_role(c) for c in values) and not any(_number_of(c) for c in values[:1])


def _columns(roles: dict[int, str]) -> _Columns | None:
    def first(role: str) -> int | None:
        return next((c for c, r in sorted(roles.items()) if r == role), None)

    name, mx = first("name"), first("max")
    if name is None or mx is None:
        return None
    stt = first("stt")
    if stt is None and name > 0:
        stt = name - 1
    return _Columns(stt, name, mx, first("guide"), first("evidence"))


# --- row shapes --------------------------------------------------------------------------------

_NUM_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.?$")
_LEAD_NUM_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})[.)]?\s+(\S.*)$", re.S)
_LETTER_RE = re.compile(r"^([a-zđ])[.)]?$", re.I)
_PART_RE = re.compile(r"^(?:PHẦN\s+)?([A-D])[.)]?$")


_ONE_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")


def _read_max(text: str) -> int | None:
    """"2", "1,5", "12 điểm", "-1,5" — and, as printed in some decisions, "Tối đa 2 điểm", "(2đ)", "Trừ 1,5"."""
    try:
        return parse_points(text, "Điểm tối đa")
    except PointsError:
        numbers = _ONE_NUMBER_RE.findall(text)
        if len(numbers) != 1:
            raise
        value = parse_points(numbers[0], "Điểm tối đa") or 0
        return -value if ("-" in text or "trừ" in text.lower()) else value


def _number_of(text: str) -> str | None:
    m = _NUM_RE.match(text.strip())
    return m.group(1) if m else None


def _is_total(text: str) -> bool:
    k = fold(text)
    return bool(re.match(r"(tong cong|tong diem|tong so diem|tong\b|cong\b)", k))


def _is_note(text: str) -> bool:
    return fold(text).startswith(("ghi chu", "luu y"))


def _kind_of_area(name: str, max_centi: int | None) -> str:
    k = fold(name)
    if "diem tru" in k or (max_centi is not None and max_centi < 0):
        return "deduction"
    if re.search(r"dieu tra|xa hoi hoc|hai long|khao sat|sipas|ly xa hoi", k):
        return "survey"
    return "self"


def _auto_source(name: str) -> str | None:
    k = fold(name)
    if "hoan thanh" in k and "ke hoach" in k and ("cchc" in k or "cai cach hanh chinh" in k):
        return "plan_completion"
    if "bao cao" in k and ("dinh ky" in k or "dung han" in k or "che do bao cao" in k) and "cham" not in k:
        return "returns_on_time"
    return None


def _guess_level(text: str) -> str | None:
    k = fold(text)
    if re.search(r"\bxa\b|phuong|dac khu|cap xa", k):
        return "xa"
    if re.search(r"\bhuyen\b|cap huyen|thi xa|thanh pho thuoc tinh", k):
        return "huyen"
    if re.search(r"\bso\b|ban nganh|co quan chuyen mon", k):
        return "so"
    return None


# --- reading -----------------------------------------------------------------------------------

def read_criteria_table(path: Path | str, year: int, level: str | None = None) -> CriteriaSet:
    """The criteria set a decision's appendix table describes, with its sums checked (nothing stored)."""
    path = Path(path)
    if level is not None and level not in CRITERIA_LEVELS:
        raise CriteriaError(f"Cấp đơn vị “{level}” không hợp lệ (so, huyen hoặc xa).")
    if not 2000 <= int(year) <= 2100:
        raise CriteriaError(f"Năm đánh giá {year} không hợp lệ.")
    if not path.is_file():
        raise InputFileError(f"Không tìm thấy tệp “{path}”.")
    check_size(path)
    sheets = read_sheets(path)
    for sheet in sheets:
        found = _find_header(sheet.rows)
        if found is not None:
            return _read_rows(path, sheet.rows, found, int(year), level)
    raise CriteriaError(
        f"Tệp “{path.name}” không có bảng tiêu chí: không tìm thấy dòng tiêu đề có cột “Lĩnh vực/Tiêu chí” và cột "
        "“Điểm tối đa”.")


class _Builder:
    def __init__(self, arabic_areas: bool) -> None:
        self.arabic_areas = arabic_areas
        self.items: list[Criterion] = []
        self.by_key: dict[tuple[str, str], Criterion] = {}  # (area code, number) → item
        self.area: Criterion | None = None
        self.last: Criterion | None = None
        self.guide_rows: dict[str, list[str]] = {}  # item code → option rows read under it
        self.part_kind: str | None = None  # "B. ĐIỀU TRA XÃ HỘI HỌC" over its areas

    def add_area(self, stt: str, name: str, max_centi: int | None, row: int) -> None:
        kind = _kind_of_area(name, max_centi)
        if kind == "self" and self.part_kind:
            kind = self.part_kind
        code = stt
        n = 2
        while any(i.code == code for i in self.items):
            code = f"{stt}-{n}"
            n += 1
        a = Criterion(code=code, stt=stt, parent=None, depth=0, name=name, kind=kind,
                      max_centi=abs(max_centi) if max_centi is not None else None, source_row=row)
        self.items.append(a)
        self.area = self.last = a

    def add_item(self, number: str, name: str, max_centi: int | None, guide: str, evidence: str, row: int) -> None:
        parts = number.split(".")
        if self.arabic_areas:
            if len(parts) == 1:
                self.add_area(number, name, max_centi, row)
                return
            parts = parts[1:] if self.area is not None and parts[0] == self.area.stt else parts
        if self.area is None:
            self.add_area("I", "(Không có tên lĩnh vực)", None, row)
        area = self.area
        depth = len(parts) if not self.arabic_areas else len(number.split(".")) - 1
        parent: Criterion = area
        if depth > 1:
            prefix = number.rsplit(".", 1)[0]
            parent = self.by_key.get((area.code, prefix)) or self._nearest(depth - 1) or area
            depth = parent.depth + 1
        # An Excel that turned "1.10" into the number 1.1: the same number again under the same parent.
        if (area.code, number) in self.by_key and depth >= 2 and number.endswith(".1"):
            number = number + "0"
        kind = area.kind
        # a number met again (numbering restarting in each area) is made unique here; ``qualify`` then
        # names every item by its area ("II.1") so that codes read the same way throughout the set
        code = number if not any(i.code == number for i in self.items) else f"{area.code}.{number}"
        c = Criterion(code=code, stt=number, parent=parent.code, depth=depth, name=name, kind=kind,
                      max_centi=abs(max_centi) if max_centi is not None else None, scoring_guide=guide,
                      evidence_required=evidence, source_row=row,
                      auto_source=_auto_source(name) if kind == "self" else None)
        self.items.append(c)
        self.by_key[(area.code, number)] = c
        self.last = c

    def add_letter(self, letter: str, name: str, max_centi: int | None, guide: str, evidence: str, row: int) -> None:
        """a), b) … under the numbered item above: a lettered item after another is its sibling."""
        parent = self.last
        while parent is not None and parent.stt.endswith(")") and parent.parent is not None:
            parent = next(i for i in self.items if i.code == parent.parent)
        if parent is None:
            return
        c = Criterion(code=f"{parent.code}.{letter}", stt=f"{letter})", parent=parent.code, depth=parent.depth + 1,
                      name=name, kind=parent.kind, max_centi=abs(max_centi) if max_centi is not None else None,
                      scoring_guide=guide, evidence_required=evidence, source_row=row)
        self.items.append(c)
        self.last = c

    def qualify(self) -> None:
        """When printed numbers restart in each area, every item's code becomes area + number ("II.1.2")."""
        stts = [i.stt for i in self.items if i.depth > 0]
        if len(stts) == len(set(stts)):
            return
        area_of: dict[str, str] = {}
        renamed: dict[str, str] = {}
        for i in self.items:
            if i.depth == 0:
                area_of[i.code] = i.code
                renamed[i.code] = i.code
                continue
            area = area_of[i.parent or ""]
            area_of[i.code] = area
            renamed[i.code] = (f"{renamed[i.parent or '']}.{i.stt.rstrip(')')}" if i.stt.endswith(")")
                               else f"{area}.{i.stt}")
        for i in self.items:
            i.code = renamed[i.code]
            i.parent = renamed[i.parent] if i.parent else None

    def _nearest(self, depth: int) -> Criterion | None:
        for i in reversed(self.items):
            if i.depth == depth:
                return i
            if i.depth < depth:
                return None
        return None


def _read_rows(path: Path, rows: list[list[str]], found: tuple[int, int, _Columns], year: int,
               level: str | None) -> CriteriaSet:
    top, stop, cols = found
    header_texts = [tuple(fold(c) for c in rows[r]) for r in range(top, stop + 1)]
    title_lines = [next((c for c in r if c), "") for r in rows[:top]]
    title_lines = [t for t in title_lines if t]
    title = next((t for t in title_lines if "CHỈ SỐ" in t.upper() or "TIÊU CHÍ" in t.upper()),
                 title_lines[0] if title_lines else f"Bộ chỉ số cải cách hành chính năm {year}")
    source = next((t.strip("()") for t in title_lines if fold(t).lstrip("(").startswith("kem theo")), "")
    guessed = _guess_level(" ".join(title_lines[:4]))
    warnings: list[str] = []
    if level is None and guessed is None:
        warnings.append("Tiêu đề không nói bộ tiêu chí dành cho cấp nào: coi là bộ tiêu chí của sở, ban, ngành "
                        "(chọn cấp khác bằng --level).")
    level = level or guessed or "so"

    def cell(row: list[str], c: int | None) -> str:
        return row[c] if c is not None and c < len(row) else ""

    data = rows[stop + 1:]
    stts = [cell(r, cols.stt) for r in data]
    arabic_areas = not any(roman_alone(s) or roman_area(s) for s in stts) and not any(
        roman_area(cell(r, cols.name)) for r in data)
    b = _Builder(arabic_areas)
    printed_total = total_row = None
    problems: list[str] = []
    prev_evidence_col = ""
    for offset, row in enumerate(data):
        excel_row = stop + 2 + offset
        if not any(row):
            continue
        if tuple(fold(c) for c in row) in header_texts or is_numbering_row(row):
            continue  # a header repeated after a page break
        stt, name = cell(row, cols.stt).strip(), cell(row, cols.name).strip()
        max_text, guide, evidence = cell(row, cols.max).strip(), cell(row, cols.guide), cell(row, cols.evidence)
        first = stt or name
        if _is_note(first):
            continue
        if _is_total(stt) or (not stt and _is_total(name) and (max_text or not b.last)):
            try:
                printed_total = parse_points(max_text, "Tổng điểm")
            except PointsError:
                printed_total = None
            total_row = excel_row
            continue
        try:
            max_centi = _read_max(max_text)
        except PointsError as exc:
            if stt or not name:
                problems.append(f"dòng {excel_row}: {exc}")
                continue
            max_centi = None  # an option row whose points column holds words
        # an area: "I" + name, "I. NAME" merged over STT and name, or "I. NAME" in the name column
        area = roman_area(stt) if stt and not name else None
        if area is None and stt and roman_alone(stt) and name:
            area = (roman_alone(stt) or "", name)
        if area is None and not stt and roman_area(name):
            area = roman_area(name)
        if area is not None and not arabic_areas:
            b.add_area(area[0], area[1], max_centi, excel_row)
            prev_evidence_col = evidence
            continue
        number = _number_of(stt) if stt else None
        if number is None and not stt and name:
            m = _LEAD_NUM_RE.match(name)
            if m and max_centi is not None:
                number, name = m.group(1), m.group(2).strip()
        if number is not None:
            if not name:
                problems.append(f"dòng {excel_row}: mục {number} không có tên tiêu chí.")
                continue
            b.add_item(number, name, max_centi, guide, evidence, excel_row)
            prev_evidence_col = evidence
            continue
        part = _PART_RE.match(stt) if stt else None
        if part and name and (name.upper() == name or fold(name).startswith("phan")):
            # "A. TIÊU CHÍ TỰ ĐÁNH GIÁ", "B. ĐIỀU TRA XÃ HỘI HỌC": a part over areas, not a criterion
            kind = _kind_of_area(name, None)
            b.part_kind = kind if kind != "self" else None
            continue
        letter = _LETTER_RE.match(stt) if stt else None
        if letter and name and max_centi is not None:
            b.add_letter(letter.group(1).lower(), name, max_centi, guide, evidence, excel_row)
            continue
        if stt and not name and not max_text:
            continue  # a stray mark in the STT column
        if b.last is None:
            continue  # text before the first area: part of the title
        target = b.last
        if name and not stt:
            # a scoring option on its own row under the item it scores
            line = name if max_centi is None or max_text in name else f"{name}: {max_text}"
            target.scoring_guide = f"{target.scoring_guide}\n{line}" if target.scoring_guide else line
            if evidence and evidence != prev_evidence_col:
                target.evidence_required = join_continued(target.evidence_required, evidence)
            continue
        # a cell cut by a page break: its second half alone on the next row
        if guide and guide != target.scoring_guide:
            target.scoring_guide = join_continued(target.scoring_guide, guide)
        if evidence and evidence != target.evidence_required:
            target.evidence_required = join_continued(target.evidence_required, evidence)
    if problems:
        raise CriteriaError(f"Bảng tiêu chí trong tệp “{path.name}” có dòng không đọc được:\n"
                            + "\n".join(problems[:20]))
    b.qualify()
    if not b.items or not any(i.depth > 0 for i in b.items):
        raise CriteriaError(f"Tệp “{path.name}” không có tiêu chí nào dưới dòng tiêu đề.")
    cset = CriteriaSet(title=title, year=year, level=level, criteria=b.items, source_document=source,
                       printed_total=printed_total, total_row=total_row, warnings=warnings)
    for c in cset.criteria:
        if not cset.children(c.code) and c.max_centi is None:
            problems.append(f"dòng {c.source_row}: {c.label()} không có điểm tối đa.")
    if problems:
        raise CriteriaError(f"Bảng tiêu chí trong tệp “{path.name}” có dòng không đọc được:\n"
                            + "\n".join(problems[:20]))
    cset.check_sums()
    for c in cset.leaves():
        c.scoring_guide = c.scoring_guide.strip()
    return cset


def roman_value(text: str) -> int | None:
    return from_roman(text)
