"""Chỉ tiêu kế hoạch: a plan's quantified targets ("100% TTHC … được công khai", "95% hồ sơ … đúng hạn").

A plan states its targets in prose, under its "Mục tiêu" headings. ``propose_targets`` reads that
prose and returns proposals (the figure, the comparison, the sentence) for a user to confirm and link
to an indicator; a proposal is never stored by itself. ``add_target`` stores a confirmed target: an
indicator (``code``) or the ratio of two (``code``/``of_code`` as a percentage), a comparison
(``ge`` at least, ``le`` at most, ``eq`` equal) and a value. Whether a period met it is
``core.returns.target_status`` (it needs the return's figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit import record, user_of
from core.errors import Refused
from core.forms import current_template, ensure_standard_content
from core.org.units import fold
from core.plans.store import PlanDraft, store_plan
from core.vnformat import NumberParseError, format_number, nfc, parse_number
from db.models import Indicator, Plan, PlanTarget, Unit

__all__ = ["OPS", "OP_WORDS", "TargetError", "TargetProposal", "add_target", "get_plan", "import_targets",
           "list_targets", "op_symbol", "plan_text", "propose_targets", "set_plan_text", "stored_phrase",
           "suggest_code", "target_phrase"]

OPS = ("ge", "le", "eq")
OP_WORDS = {"ge": "ít nhất", "le": "tối đa", "eq": "bằng"}
_OP_SYMBOLS = {"ge": "≥", "le": "≤", "eq": "="}


class TargetError(Refused, ValueError):
    """A target refused (unknown plan or indicator, a value that is not a number …)."""


def op_symbol(op: str) -> str:
    return _OP_SYMBOLS.get(op, op)


def target_phrase(code: str, of_code: str | None, op: str, value: float, percent: bool = False) -> str:
    """"1.1.2/1.1.1 ≥ 95%", "7.8.3 ≥ 95%" (``percent``: a row counted in %), "1.2.1 ≤ 5": how a target is
    written in lists."""
    what = f"{code}/{of_code}" if of_code else code
    tail = "%" if of_code or percent else ""
    return f"{what} {op_symbol(op)} {format_number(value)}{tail}"


# --------------------------------------------------------------------------- proposals from text


@dataclass(frozen=True)
class TargetProposal:
    """A figure a plan's text sets as a target, for the user to confirm (never stored as it is)."""

    value: float
    op: str  # ge | le | eq
    percent: bool
    clause: str  # the part of the sentence that states it
    sentence: str  # the whole line
    heading: str  # the section it sits in ("2.1. Mục tiêu"), "" when none
    in_goals: bool  # under a "Mục tiêu" heading

    @property
    def phrase(self) -> str:
        """"≥ 95%": the comparison as written in lists."""
        return f"{op_symbol(self.op)} {format_number(self.value)}{'%' if self.percent else ''}"

    def as_dict(self) -> dict:
        return {"value": self.value, "op": self.op, "percent": self.percent, "phrase": self.phrase,
                "clause": self.clause, "sentence": self.sentence, "heading": self.heading,
                "in_goals": self.in_goals}


_NUM = r"\d{1,3}(?:[.,]\d+)?"
_PERCENT_RE = re.compile(rf"({_NUM})\s*%(?:\s*[-–]\s*({_NUM})\s*%)?")
# "ít nhất 02 lần", "tối thiểu 3 cuộc": a count that must be reached
_COUNT_RE = re.compile(rf"(?:ít nhất|tối thiểu|không ít hơn)\s+(?:là\s+)?({_NUM})(?!\s*[%\d])\s+(\w+)", re.IGNORECASE)
_HEADING_RE = re.compile(r"^\s*(?:[IVX]+\.|\d+(?:\.\d+)*\.)\s+\S")
_GOALS_RE = re.compile(r"^\s*(?:[IVX]+\.|\d+(?:\.\d+)*\.)?\s*m[ụu]c ti[êe]u\b", re.IGNORECASE)
_AT_MOST = ("không quá", "không vượt quá", "tối đa", "dưới", "giảm xuống", "thấp hơn", "không cao hơn")
_CLAUSE_SPLIT = re.compile(r";|\.\s+(?=[A-ZĐÀ-Ỹ])")


def _op_before(text: str, start: int) -> str:
    before = text[max(0, start - 40):start].lower()
    for word in _AT_MOST:
        if before.rstrip().endswith(word) or f"{word} " in before[-(len(word) + 12):]:
            return "le"
    return "ge"


def _number(text: str) -> float:
    return float(parse_number(text.replace(".", ",") if re.fullmatch(r"\d+\.\d{1,2}", text) else text))


def propose_targets(text: str) -> list[TargetProposal]:
    """The targets a plan's text states: every percentage ("đạt 100%", "trên 95%", "tối thiểu đạt
    25%", "25% - 35%" → at least 25%) and every count after "ít nhất"/"tối thiểu", clause by clause,
    in the order of the text, each with its sentence and the heading it sits under."""
    out: list[TargetProposal] = []
    seen: set[tuple] = set()
    heading = ""
    in_goals = False
    for raw in nfc(text or "").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if _GOALS_RE.match(line) and len(line) < 60:
            heading, in_goals = line, True
            continue
        if _HEADING_RE.match(line) and len(line) < 160 and "%" not in line:
            heading, in_goals = line, False
            continue
        body = line.lstrip("-–•+* ").strip()
        for clause in (c.strip(" ,.") for c in _CLAUSE_SPLIT.split(body)):
            if not clause:
                continue
            # a range "25% - 35%" is read as its lower bound: at least 25%
            for m in _PERCENT_RE.finditer(clause):
                try:
                    value = _number(m.group(1))
                except NumberParseError:
                    continue
                if value > 100:
                    continue
                key = (clause, value, True)
                if key in seen:
                    continue
                seen.add(key)
                out.append(TargetProposal(value, _op_before(clause, m.start()), True, clause, body, heading,
                                          in_goals))
            for m in _COUNT_RE.finditer(clause):
                try:
                    value = _number(m.group(1))
                except NumberParseError:
                    continue
                key = (clause, value, False)
                if key in seen:
                    continue
                seen.add(key)
                out.append(TargetProposal(value, "ge", False, clause, body, heading, in_goals))
    return out


# --------------------------------------------------------------------------- the plan's text


def stored_phrase(session: Session, t: PlanTarget) -> str:
    """``target_phrase`` of a stored target, with "%" when its row is counted in %."""
    vtype = session.scalar(select(Indicator.value_type).where(Indicator.code == t.code).limit(1))
    return target_phrase(t.code, t.of_code, t.op, t.value, vtype == "percent")


def get_plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise TargetError(f"Không có kế hoạch số {plan_id} trong cơ sở dữ liệu (xem danh sách kế hoạch).")
    return plan


def plan_text(plan: Plan) -> str:
    """What a plan says in prose: its document text when kept, then its tasks' objectives, titles and
    products (a task table's "Mục tiêu" column and sentences like "hoàn thành 100% …")."""
    parts = [plan.document_text or ""]
    for task in sorted(plan.tasks, key=lambda t: t.sort_order):
        for piece in (task.objective, task.title, task.output):
            if piece and re.search(r"%|ít nhất|tối thiểu", piece):
                parts.append(piece)
    return "\n".join(p for p in parts if p)


def set_plan_text(session: Session, plan_id: int, text: str) -> Plan:
    """Keep the plan document's own text (NFC) so its targets can be proposed from it later."""
    plan = get_plan(session, plan_id)
    text = nfc(text).replace("\r\n", "\n").strip()
    if not text:
        raise TargetError("Tệp văn bản kế hoạch trống: không có nội dung để lưu.")
    old = plan.document_text
    plan.document_text = text
    session.flush()
    record(session, "update", "plan", plan.id, field="document_text",
           old=None if old is None else f"{len(old)} ký tự", new=f"{len(text)} ký tự")
    return plan


_TITLE_RE = re.compile(r"^\W*(KẾ HOẠCH)\W*(.*?)\W*$", re.IGNORECASE)
_SPAN_RE = re.compile(r"(?:giai đoạn|từ năm)\s*(\d{4})\s*(?:-|–|đến(?: năm)?)\s*(\d{4})", re.IGNORECASE)
_YEAR_RE = re.compile(r"năm\s*(\d{4})", re.IGNORECASE)


def read_plan_document(text: str, *, title: str | None = None, year: int | None = None) -> PlanDraft:
    """A plan written as prose (objectives with quantified targets, no task table — seed 001): its title
    from the "KẾ HOẠCH …" line, its years from "giai đoạn 2026 - 2030" / "năm 2026" (or ``year``)."""
    text = nfc(text)
    found = title
    if not found:
        lines = [" ".join(line.replace("*", " ").split()) for line in text.splitlines()]
        lines = [line for line in lines if line]
        for i, line in enumerate(lines):
            m = _TITLE_RE.match(line)
            if m and line[:8] == "KẾ HOẠCH":  # the title line is written in capitals
                # "KẾ HOẠCH Cải cách …" on one line, or "KẾ HOẠCH" over the name (the Decree-30 layout)
                rest = m.group(2).strip() or (lines[i + 1] if i + 1 < len(lines) else "")
                if rest:
                    found = f"Kế hoạch {rest[:1].lower() + rest[1:]}"
                    break
    if not found:
        raise TargetError("Không tìm thấy dòng “KẾ HOẠCH …” làm tên kế hoạch; hãy ghi tên bằng --title.")
    span = _SPAN_RE.search(found) or _SPAN_RE.search(text)
    if year is not None:
        y1 = y2 = year
        if span and int(span.group(1)) <= year <= int(span.group(2)):
            y1, y2 = int(span.group(1)), int(span.group(2))
    elif span:
        y1, y2 = int(span.group(1)), int(span.group(2))
    elif (one := _YEAR_RE.search(found)) is not None:
        y1 = y2 = int(one.group(1))
    else:
        raise TargetError("Không đọc được năm của kế hoạch từ văn bản; hãy ghi năm bằng --year.")
    if not (2000 <= y1 <= y2 <= 2100):
        raise TargetError(f"Năm của kế hoạch ({y1}–{y2}) không hợp lệ.")
    return PlanDraft(title=found, year_from=y1, year_to=y2)


def store_plan_document(session: Session, unit, text: str, *, title: str | None = None,  # noqa: ANN001 - a Unit
                        number: str | None = None, year: int | None = None, source_file: str | None = None) -> Plan:
    """Store a prose plan (no tasks) with its text kept, so its targets can be proposed and confirmed."""
    draft = read_plan_document(text, title=title, year=year)
    draft.document_number = nfc(number).strip() if number else None
    draft.source_file = source_file
    plan = store_plan(session, unit, draft)
    plan.document_text = nfc(text).replace("\r\n", "\n").strip()
    session.flush()
    return plan


# --------------------------------------------------------------------------- confirmed targets


def _indicator(session: Session, code: str) -> Indicator:
    ensure_standard_content(session)
    template = current_template(session)
    ind = session.scalar(select(Indicator).where(Indicator.template_id == template.id, Indicator.code == code))
    if ind is None or ind.kind != "value":
        raise TargetError(f"Không có chỉ tiêu mã “{code}” nhận số liệu trong biểu mẫu {template.code}.")
    if ind.value_type in ("text",):
        raise TargetError(f"Chỉ tiêu “{code}” ghi bằng chữ, không đặt chỉ tiêu số cho nó được.")
    return ind


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2].isupper() is False else text


def add_target(session: Session, *, plan_id: int | None = None, code: str, op: str, value: object,
               of_code: str | None = None, label: str | None = None, source_text: str | None = None,
               year: int | None = None, unit_code: str | None = None, user: str | None = None) -> PlanTarget:
    """Store a confirmed target of a plan (``plan_id``), or of a unit for one year (``unit_code`` and
    ``year``, no plan); refused (nothing stored) on an unknown plan, unit or indicator, a comparison other
    than ge/le/eq, or a value that is not a number (a ratio's value is a percentage from 0 to 100)."""
    if plan_id is not None:
        plan = get_plan(session, plan_id)
        unit_id = plan.unit_id
    else:
        plan = None
        if not unit_code or year is None:
            raise TargetError("Chỉ tiêu thuộc một kế hoạch (--plan ID) hoặc một đơn vị trong một năm "
                              "(--unit MÃ --year NĂM).")
        unit = session.scalar(select(Unit).where(Unit.code == nfc(unit_code).strip()))
        if unit is None:
            raise TargetError(f"Không có đơn vị mã “{unit_code}” trong danh mục.")
        unit_id = unit.id
    code = nfc(code).strip()
    of_code = nfc(of_code).strip() if of_code else None
    if op not in OPS:
        raise TargetError(f"Phép so sánh “{op}” không hợp lệ: dùng ge (ít nhất), le (tối đa) hoặc eq (bằng).")
    try:
        number = parse_number(value if not isinstance(value, str) else nfc(value))
    except NumberParseError as exc:
        raise TargetError(f"Giá trị chỉ tiêu: {exc}") from None
    if number is None:
        raise TargetError("Chưa nhập giá trị của chỉ tiêu.")
    if number < 0:
        raise TargetError("Giá trị chỉ tiêu không được âm.")
    if of_code and number > Decimal(100):
        raise TargetError("Chỉ tiêu dạng tỉ lệ (mã/mã) là phần trăm, không quá 100%.")
    ind = _indicator(session, code)
    default_label = ind.name.rstrip(" .")
    if of_code:
        if of_code == code:
            raise TargetError("Tỉ lệ cần hai chỉ tiêu khác nhau (ví dụ 1.1.2/1.1.1).")
        den = _indicator(session, of_code)
        default_label = f"Tỷ lệ {_lower_first(default_label)} trên {_lower_first(den.name.rstrip(' .'))}"
    elif ind.value_type == "percent" and number > Decimal(100):
        raise TargetError(f"Chỉ tiêu “{code}” là tỉ lệ phần trăm, giá trị không quá 100%.")
    if plan is not None and year is not None and not (plan.year_from <= year <= plan.year_to):
        raise TargetError(f"Năm {year} nằm ngoài thời gian của kế hoạch ({plan.year_from}–{plan.year_to}).")
    if year is not None and not 2000 <= year <= 2100:
        raise TargetError(f"Năm {year} không hợp lệ.")
    target = PlanTarget(plan_id=plan.id if plan else None, unit_id=unit_id, year=year, code=code, of_code=of_code,
                        op=op, value=float(number), label=nfc(label).strip() if label else default_label,
                        source_text=nfc(source_text).strip() if source_text else None,
                        created_by=user_of(session, user))
    session.add(target)
    session.flush()
    record(session, "create", "plan_target", target.id, field="target", new=stored_phrase(session, target), user=user)
    return target


def list_targets(session: Session, plan_id: int | None = None, unit_id: int | None = None,
                 year: int | None = None) -> list[PlanTarget]:
    """Targets of a plan, or those of a unit that apply in ``year`` (its plans covering the year, and its
    targets set for that year), in the order they were set."""
    q = select(PlanTarget).order_by(PlanTarget.id)
    if plan_id is not None:
        q = q.where(PlanTarget.plan_id == plan_id)
    if unit_id is not None:
        q = q.where(PlanTarget.unit_id == unit_id)
    rows = list(session.scalars(q))
    if year is None:
        return rows
    out = []
    for t in rows:
        if t.year is not None:
            if t.year == year:
                out.append(t)
        elif t.plan is None or t.plan.year_from <= year <= t.plan.year_to:
            out.append(t)
    return out


# --------------------------------------------------------------------------- linking and importing


_STOP = {"cua", "va", "cac", "duoc", "trong", "tren", "dat", "ty", "le", "ti", "so", "nhung", "cho", "theo", "voi",
         "tai", "la", "co", "mot", "thuc", "hien", "nhiem", "vu",
         # words nearly every CCHC sentence has: they tell nothing about which row is meant
         "thu", "tuc", "hanh", "chinh", "tthc", "giai", "quyet", "cap", "nha", "nuoc", "quan", "don", "vi", "ban"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 1 and w not in _STOP}


def suggest_code(session: Session, proposal: TargetProposal) -> str | None:
    """The indicator of the form a proposal most likely measures (a percentage with a percentage row): one whose
    name's telling words are mostly in the sentence (at least three, and two thirds of them); None otherwise —
    a wrong hint costs the clerk more than none, so the user links the rest by hand."""
    ensure_standard_content(session)
    template = current_template(session)
    want = _words(proposal.clause)
    best, best_score = None, 2
    for ind in session.scalars(select(Indicator).where(Indicator.template_id == template.id,
                                                       Indicator.kind == "value").order_by(Indicator.sort_order)):
        if proposal.percent != (ind.value_type == "percent"):
            continue
        own = _words(ind.name)
        score = len(want & own)
        if score > best_score and score * 3 >= 2 * len(own):
            best, best_score = ind.code, score
    return best


_IMPORT_COLUMNS = {"code": ("code", "ma", "ma chi tieu"), "of": ("of", "mau so", "of_code"),
                   "op": ("op", "so sanh", "phep so sanh"), "value": ("value", "gia tri", "chi tieu"),
                   "label": ("label", "ten", "ten chi tieu", "noi dung")}
_OP_ALIASES = {"ge": "ge", ">=": "ge", "≥": "ge", "ít nhất": "ge", "tối thiểu": "ge", "le": "le", "<=": "le",
               "≤": "le", "tối đa": "le", "không quá": "le", "eq": "eq", "=": "eq", "bằng": "eq"}


def import_targets(session: Session, plan_id: int, rows: list[list[object]], *, file_name: str = "",
                   user: str | None = None) -> list[PlanTarget]:
    """Targets from a table (header: code, of, op, value[, label]; Vietnamese headers "mã", "mẫu số", "so
    sánh", "giá trị", "tên" too): all or nothing — one bad line refuses the whole file, naming every bad line
    (the caller's transaction rolls back what the good lines added)."""
    get_plan(session, plan_id)
    rows = [r for r in rows if any(str(c).strip() for c in r if c is not None)]
    if not rows:
        raise TargetError(f"Tệp “{file_name}” không có dòng nào.")
    header = [fold(str(c or "")).strip() for c in rows[0]]
    where: dict[str, int] = {}
    for key, names in _IMPORT_COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                where[key] = i
                break
    missing = [k for k in ("code", "op", "value") if k not in where]
    if missing:
        raise TargetError(f"Tệp “{file_name}” thiếu cột {', '.join(missing)} ở dòng tiêu đề (cần: code, of, op, "
                          "value, label — hoặc mã, mẫu số, so sánh, giá trị, tên).")

    def cell(row: list[object], key: str) -> str:
        i = where.get(key)
        value = row[i] if i is not None and i < len(row) else None
        return "" if value is None else nfc(str(value)).strip()

    stored, bad = [], []
    for n, row in enumerate(rows[1:], start=2):
        op = _OP_ALIASES.get(cell(row, "op").lower(), cell(row, "op"))
        try:  # add_target checks everything before it adds: a refused line adds nothing
            stored.append(add_target(session, plan_id=plan_id, code=cell(row, "code"), of_code=cell(row, "of") or None,
                                     op=op, value=cell(row, "value"), label=cell(row, "label") or None,
                                     source_text=f"Nhập từ tệp {file_name}" if file_name else None, user=user))
        except TargetError as exc:
            bad.append(f"dòng {n}: {exc}")
    if bad:
        raise TargetError(f"Không nhập chỉ tiêu nào: {len(bad)} dòng không hợp lệ trong tệp “{file_name}”.\n"
                          + "\n".join(f"- {b}" for b in bad[:50]))
    return stored
