"""Building a plan from the rows of its table: areas, tasks (nested numbers kept), activities (bullet
lines, or a "Hoạt động" column), a blank cell read as "same as above", a row cut by a page break
joined back to its task, a header repeated on each printed page skipped; what cannot be placed is
noted with its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.org.unit_names import split_unit_list
from core.org.units import fold
from core.plans.store import ActivityDraft, AreaDraft, TaskDraft
from core.plans.table_headers import (
    BULLET_RE,
    CONTENT_FIELDS,
    LEAD_NUMBER_RE,
    LETTER_STT_RE,
    MAX_HEADER_CELL,
    SECTION_RE,
    STT_RE,
    TERMINAL,
    SheetRows,
    catalogue_area_names,
    field_scores,
    header_key,
    header_quality,
    is_numbering_row,
    join_continued,
    norm_number,
    roman_alone,
    roman_area,
)
from core.vnformat import NumberParseError, format_number, parse_number

__all__ = [
    "RowNote",
]


@dataclass(frozen=True)
class RowNote:
    """A sheet row and what happened to it (``unplaced``: why it could not be placed)."""

    row: int
    text: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "text": self.text, "reason": self.reason}


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
        return not last or last[-1] in TERMINAL

    def split_text(self) -> tuple[str, list[str]]:
        """Title and the bullet lines of the task cell (bullets become activities)."""
        title_lines: list[str] = []
        bullets: list[str] = []
        for line in self.text.split("\n"):
            if BULLET_RE.match(line) and (title_lines or bullets):
                bullets.append(BULLET_RE.sub("", line, count=1).strip())
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


class PlanBuilder:
    def __init__(self, sheet: SheetRows, cols: dict[str, list[int]], data_start: int, header_rows: list[list[str]]):
        self.sheet = sheet
        self.cols = cols
        self.start = data_start
        self.header_rows = header_rows
        self.has_activity = "activity" in cols
        self.areas: list[_AreaBuild] = []
        self.unplaced: list[RowNote] = []
        self.notes: list[RowNote] = []
        self.objective = ""
        self.catalogue = catalogue_area_names()
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
            text = BULLET_RE.sub("", text, count=1).strip()  # "- Xây dựng …": one activity per row
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
            if stt and STT_RE.match(stt):
                return True
            if LEAD_NUMBER_RE.match(self.get(row, "task")):
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
            elif not field_scores(c) or len(c) > MAX_HEADER_CELL:
                return False
        if same >= 2 or (same >= 1 and len(values) == 1 and len(fold(values[0][1])) > 2):
            return True
        n, has_task = header_quality(row)
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
            elif STT_RE.match(stt):
                number = norm_number(STT_RE.match(stt).group(1))
            elif LETTER_STT_RE.match(stt):
                number = stt.rstrip(".)")
        m = LEAD_NUMBER_RE.match(text)
        if m and (number is None or norm_number(m.group(1)) == number) and not (stt and number is None):
            # "1. Quy định …": the number is written in the task cell (no STT column, or it is blank)
            number = norm_number(m.group(1))
            text = text[m.end():].strip()
        return number, text

    def _area_from_row(self, r: int, row: list[str]) -> tuple[str | None, str, bool] | None:
        """An area heading on this row (numeral, title, whether it came from the area column)."""
        if "area" in self.cols:
            cell = self.get(row, "area")
            if cell:
                found = roman_area(cell)
                if found:
                    return (*found, True)
                if roman_alone(cell):
                    return roman_alone(cell), "", True
                if self.get(row, "task") or header_key(cell) in self.catalogue:
                    return None, " ".join(cell.split()), True
        values = [c for c in row if c]
        if not values:
            return None
        first = values[0]
        others = [c for c in values[1:] if c != first]
        stt = self.get(row, "stt")
        # "I. Cải cách thể chế" (alone on the row, perhaps merged across it)
        if not others:
            found = roman_area(first)
            if found:
                return (*found, False)
            if header_key(first) in self.catalogue and not STT_RE.match(stt or "-"):
                return None, " ".join(first.split()), False
        data = any(self.get(row, f) for f in ("lead", "partners", "timeframe", "output", "budget", "activity"))
        # "I" | "Cải cách thể chế": a Roman numeral in its own cell
        numeral = roman_alone(first)
        if numeral and len(others) == 1 and not data:
            return numeral, " ".join(others[0].split()), False
        # "1. Cải cách thể chế" (seed 001 numbers its areas 1–7): only a catalogue area name counts,
        # so a heading task such as "1 | Hoàn thiện môi trường pháp lý" stays a task
        if not data and len(others) <= 1:
            m = LEAD_NUMBER_RE.match(first) if not others else None
            number, title = (m.group(1), first[m.end():]) if m else (first.rstrip(".)"), others[0] if others else "")
            if number.isdigit() and self._is_area_name(title):
                return number, " ".join(title.split()), False
        return None

    def _is_area_name(self, text: str) -> bool:
        key = header_key(text)
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
            if self._is_header_repeat(row) or is_numbering_row(row):
                continue
            area = self._area_from_row(r, row)
            if area is not None:
                numeral, title, from_column = area
                self._new_area(r, numeral, title)
                if not from_column:
                    continue
                # 2021 layout: the "Nhiệm vụ chung" cell holds the area; the rest of the row is a task
                if not any(self.get(row, f) for f in CONTENT_FIELDS):
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
            reason = "tiêu đề nhóm, không phải lĩnh vực CCHC" if SECTION_RE.match(stt) else "không nhận ra dòng này"
            self.unplaced.append(RowNote(r + 1, self._row_text(row), reason))
            return

        if text:
            if cur is not None and text == cur.text:
                self._continue(cur, r, row)  # task cell merged or repeated over activity rows
                return
            if not self.numbered:
                self._start_task(r, row, None, text)
                return
            if cur is not None and (not cur.ends_sentence or text[:1].islower() or BULLET_RE.match(text)):
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
            task.text = join_continued(task.text, extra_text)
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
            elif last is not None and activity[:1].islower() and last.title[-1:] not in TERMINAL:
                last.title = join_continued(last.title, activity)
                target, fresh = last, False
            else:
                target = _ActBuild(r, activity)
                task.activities.append(target)
                fresh = True
            for k, v in values.items():
                if v and (fresh or v != getattr(target, k)):
                    setattr(target, k, v if fresh else join_continued(getattr(target, k), v))
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
            setattr(target, k, join_continued(old, v))

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
