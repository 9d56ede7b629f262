"""Self-scoring (tự chấm điểm) of a unit's year against its criteria set: the score of each leaf within its
bounds, the explanation a score below the maximum needs, "không áp dụng", evidence documents in the same
store as a task's evidence (``core.attachments``), submit and lock, reopen with a reason, every change
audited; and the totals and the index, always computed from the leaves.

Points are hundredths (``core.index.points``). The index is points over the applicable maximum × 100,
rounded by the unit's one rounding rule (``core.org.settings.rounding_rule`` → ``core.vnformat.round_rate``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.appdata import attachments_dir
from core.attachments import IN_DATABASE, copy_into, store_in_database, stored_path_beside
from core.errors import Refused
from core.index.points import format_points, parse_points
from core.org.settings import rounding_rule
from core.org.units import get_unit
from core.vnformat import format_date, nfc, round_rate
from db.dialect import features_of
from db.models import IndexAssessment, IndexCriteriaSet, IndexCriterion, IndexEvidence, IndexScore, Unit, utcnow

__all__ = ["AssessmentLocked", "ScoreError", "Totals", "add_score_evidence", "assessment_for", "compute_totals",
           "find_assessment", "reopen_assessment", "set_score", "submit_assessment", "unit_by_code"]

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
# A section (phòng) is scored on its department's set; a province scores nothing itself here.
SET_LEVEL = {"so": "so", "phong": "so", "huyen": "huyen", "xa": "xa"}


class ScoreError(Refused):
    """A score, an evidence or an action refused; the message is Vietnamese."""


class AssessmentLocked(ScoreError):
    pass


# --- finding -----------------------------------------------------------------------------------

def unit_by_code(session: Session, code: str) -> Unit:
    return get_unit(session, nfc(code).strip())  # NotFound, a refusal, names the code


def set_for_unit(session: Session, unit: Unit, year: int) -> IndexCriteriaSet:
    """The latest criteria set of ``year`` for the unit's level (the only one of the year otherwise)."""
    level = SET_LEVEL.get(unit.level)
    sets = list(session.scalars(select(IndexCriteriaSet).where(IndexCriteriaSet.year == year)
                                .order_by(IndexCriteriaSet.version.desc())))
    same = [s for s in sets if s.level == level]
    if same:
        return same[0]
    if level is None:
        raise ScoreError(f"{unit.name} không tự chấm theo bộ chỉ số của các sở, huyện, xã: xem kết quả của các đơn vị "
                         "trực thuộc ở phần thẩm định và xếp hạng.")
    raise ScoreError(f"Chưa có bộ tiêu chí Chỉ số CCHC năm {year} cho {unit.name}: nhập bộ tiêu chí bằng "
                     f"lệnh index import-criteria (--level {level or 'so'}) trước.")


def find_assessment(session: Session, unit_code: str, year: int) -> IndexAssessment | None:
    unit = unit_by_code(session, unit_code)
    return session.scalar(select(IndexAssessment).where(IndexAssessment.unit_id == unit.id,
                                                         IndexAssessment.year == year))


def assessment_for(session: Session, unit_code: str, year: int, *, create: bool = True) -> IndexAssessment:
    """The unit's assessment of ``year``; a new draft against the year's set when there is none."""
    unit = unit_by_code(session, unit_code)
    found = session.scalar(select(IndexAssessment).where(IndexAssessment.unit_id == unit.id,
                                                         IndexAssessment.year == year))
    if found is not None:
        return found
    cset = set_for_unit(session, unit, year)
    if not create:
        raise ScoreError(f"{unit.name} chưa chấm điểm Chỉ số CCHC năm {year}.")
    a = IndexAssessment(unit=unit, criteria_set=cset, year=year, status="draft", origin="entered")
    session.add(a)
    session.flush()
    audit.record(session, "create", "index_assessment", a.id, new=f"{unit.code} {year}")
    return a


def criteria_of(session: Session, a: IndexAssessment) -> list[IndexCriterion]:
    return list(session.scalars(select(IndexCriterion).where(IndexCriterion.set_id == a.set_id)
                                .order_by(IndexCriterion.sort_order)))


def criterion_by_code(session: Session, a: IndexAssessment, code: str) -> IndexCriterion:
    code = nfc(code).strip().rstrip(".")
    c = session.scalar(select(IndexCriterion).where(IndexCriterion.set_id == a.set_id, IndexCriterion.code == code))
    if c is None:  # the number as printed, when only one item carries it (codes of restarting numbers are "II.1")
        same = list(session.scalars(select(IndexCriterion).where(IndexCriterion.set_id == a.set_id,
                                                                 IndexCriterion.stt == code).limit(2)))
        c = same[0] if len(same) == 1 else None
    if c is None:
        raise ScoreError(f"Bộ tiêu chí năm {a.year} không có tiêu chí mã “{code}”.")
    return c


def score_row(session: Session, a: IndexAssessment, c: IndexCriterion, *, create: bool = True) -> IndexScore | None:
    row = session.scalar(select(IndexScore).where(IndexScore.assessment_id == a.id,
                                                  IndexScore.criterion_id == c.id))
    if row is None and create:
        row = IndexScore(assessment=a, criterion=c, not_applicable=False)
        session.add(row)
        session.flush()
    return row


# --- the self-score ----------------------------------------------------------------------------

def _check_editable(a: IndexAssessment) -> None:
    if a.origin != "entered":
        raise AssessmentLocked("Bảng điểm này được nhận từ đơn vị cấp dưới: chỉ thẩm định, không sửa điểm tự chấm.")
    if a.status == "submitted":
        raise AssessmentLocked(f"Bảng tự chấm điểm năm {a.year} của {a.unit.name} đã nộp và đang khóa; mở lại "
                               "(index reopen --reason …) để sửa.")


def check_points(c: IndexCriterion, points: object, what: str = "Điểm") -> int:
    centi = parse_points(points, what)
    if centi is None:
        raise ScoreError(f"{what} của tiêu chí {c.stt} chưa nhập.")
    if c.kind == "deduction" and centi < 0:
        centi = -centi  # "-0,5" on a deduction: the points taken off, as the table prints them
    if centi < 0 or centi > c.max_centi:
        kind = " (điểm trừ, ghi số điểm bị trừ)" if c.kind == "deduction" else ""
        raise ScoreError(f"{what} {format_points(centi)} của tiêu chí {c.stt} “{c.name[:60]}” không hợp lệ: phải từ 0 "
                         f"đến {format_points(c.max_centi)} điểm{kind}.")
    return centi


def set_score(session: Session, a: IndexAssessment, code: str, points: object = None, *, note: str | None = None,
              not_applicable: bool = False, user: str | None = None) -> IndexScore:
    """Score one leaf (or mark it "không áp dụng"). Refused, with nothing changed: a parent, a survey
    leaf (the level above gives it), a score outside 0…maximum, below the maximum without an explanation."""
    _check_editable(a)
    c = criterion_by_code(session, a, code)
    if not c.is_leaf:
        raise ScoreError(f"{c.stt} “{c.name[:60]}” có các tiêu chí thành phần: chấm điểm từng tiêu chí thành phần, "
                         "tổng được cộng tự động.")
    if c.kind == "survey":
        raise ScoreError(f"Tiêu chí {c.stt} được chấm qua điều tra xã hội học: đơn vị không tự chấm, cấp trên nhập kết "
                         "quả.")
    note = nfc(note).strip() if note else None
    row = score_row(session, a, c, create=False)
    old = _describe(row)
    if not_applicable:
        if not note:
            raise ScoreError(f"Đánh dấu “không áp dụng” cho tiêu chí {c.stt} cần ghi lý do.")
        centi = None
    else:
        centi = check_points(c, points)
        if c.kind == "self" and centi < c.max_centi and not note and not (row and row.note):
            raise ScoreError(f"Tiêu chí {c.stt} được {format_points(centi)}/{format_points(c.max_centi)} điểm: cần "
                             "giải trình lý do chưa đạt điểm tối đa (--note).")
    if row is None:
        row = score_row(session, a, c)
    row.self_centi, row.not_applicable = centi, not_applicable
    if note:
        row.note = note
    session.flush()
    audit.record(session, "update", "index_score", row.id, field=f"tự chấm {c.code}", old=old, new=_describe(row),
                 user=user)
    return row


def _describe(row: IndexScore | None) -> str | None:
    if row is None:
        return None
    if row.not_applicable:
        return f"không áp dụng ({row.note or ''})"
    text = format_points(row.self_centi, "chưa chấm")
    return f"{text} ({row.note})" if row.note else text


def set_proposal(session: Session, a: IndexAssessment, c: IndexCriterion, centi: int, source: str) -> None:
    """Keep what the product proposes for a leaf and where it came from; the score stays the user's."""
    row = score_row(session, a, c)
    row.proposed_centi, row.proposal_source = centi, source


# --- evidence ----------------------------------------------------------------------------------

def add_score_evidence(session: Session, a: IndexAssessment, code: str, *, document_number: str | None = None,
                       document_date: date | None = None, summary: str | None = None, file: Path | str | None = None,
                       db_path: Path | str | None = None, user: str | None = None) -> IndexEvidence:
    """Attach a document to a leaf's score: beside a SQLite database or inside a server's, as task evidence."""
    _check_editable(a)
    c = criterion_by_code(session, a, code)
    if not c.is_leaf:
        raise ScoreError(f"Tài liệu kiểm chứng gắn với tiêu chí thành phần, không gắn với {c.stt}.")
    number = nfc(document_number).strip() if document_number else None
    text = nfc(summary).strip() if summary else None
    src = Path(file) if file else None
    if not (number or text or src):
        raise ScoreError("Tài liệu kiểm chứng cần có số/ký hiệu văn bản, trích yếu hoặc tệp đính kèm.")
    if number and len(number) > 128:
        raise ScoreError("Số/ký hiệu văn bản quá dài (tối đa 128 ký tự).")
    in_database = db_path is None and not features_of(session).embedded
    if src is not None:
        if db_path is None and not in_database:
            raise ScoreError("Không đính kèm được tệp: chưa biết thư mục dữ liệu của chương trình.")
        if not src.is_file():
            raise ScoreError(f"Không tìm thấy tệp “{src}”.")
        if src.stat().st_size > MAX_EVIDENCE_BYTES:
            raise ScoreError(f"Tệp “{src.name}” quá lớn; giới hạn là {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB.")
    row = score_row(session, a, c)
    ev = IndexEvidence(score=row, document_number=number, document_date=document_date, summary=text)
    try:
        if src is not None and in_database:
            content = store_in_database(session, src.read_bytes(), src.name)
            ev.file_name, ev.sha256, ev.file_size = content.file_name, content.sha256, content.file_size
            ev.stored_path = f"{IN_DATABASE}{content.id}"
        elif src is not None:
            copied, sha, size = copy_into(src, attachments_dir(Path(db_path)) / "chiso" / str(a.id))  # type: ignore[arg-type]
            ev.file_name, ev.sha256, ev.file_size = nfc(src.name), sha, size
            ev.stored_path = stored_path_beside(Path(db_path), copied)  # type: ignore[arg-type]
        session.add(ev)
        session.flush()
    except OSError as exc:
        raise ScoreError(f"Không sao chép được tệp “{src.name if src else ''}”: tệp không đọc được, đang bị chương "
                         "trình khác khóa, hoặc ổ đĩa đầy hay không cho ghi.") from exc
    audit.record(session, "create", "index_evidence", ev.id, field=f"tiêu chí {c.code}", user=user,
                 new="; ".join(filter(None, [number, format_date(document_date) if document_date else None, text,
                                             ev.file_name])))
    return ev


# --- submit and reopen -------------------------------------------------------------------------

def submit_assessment(session: Session, a: IndexAssessment, user: str | None = None) -> None:
    """Lock the self-assessment. Refused while a self-scored leaf is unscored (neither scored nor "không áp dụng")."""
    if a.origin != "entered":
        raise ScoreError("Bảng điểm nhận từ đơn vị cấp dưới không nộp lại được.")
    if a.status == "submitted":
        raise ScoreError(f"Bảng tự chấm điểm năm {a.year} của {a.unit.name} đã nộp.")
    t = compute_totals(session, a)
    missing = [c for c in t.leaves if c.kind in ("self",) and t.rows[c.code].self_centi is None
               and not t.rows[c.code].not_applicable]
    if missing:
        shown = ", ".join(c.stt for c in missing[:15]) + (" …" if len(missing) > 15 else "")
        raise ScoreError(f"Chưa nộp được: còn {len(missing)} tiêu chí thành phần chưa chấm điểm ({shown}).")
    a.status, a.submitted_at, a.submitted_by = "submitted", utcnow(), audit.user_of(session, user)
    session.flush()
    audit.record(session, "submit", "index_assessment", a.id, user=user,
                 new=f"tự chấm {format_points(t.self_points)}/{format_points(t.self_max)}")


def reopen_assessment(session: Session, a: IndexAssessment, reason: str | None, user: str | None = None) -> None:
    reason = nfc(reason).strip() if reason else ""
    if a.status != "submitted":
        raise ScoreError(f"Bảng tự chấm điểm năm {a.year} của {a.unit.name} chưa nộp, không cần mở lại.")
    if a.origin != "entered":
        raise ScoreError("Bảng điểm nhận từ đơn vị cấp dưới không mở lại được ở đây.")
    if not reason:
        raise ScoreError("Mở lại bảng tự chấm điểm cần ghi lý do (--reason).")
    a.status = "draft"
    session.flush()
    audit.record(session, "reopen", "index_assessment", a.id, reason=reason, user=user)


# --- totals ------------------------------------------------------------------------------------

@dataclass
class RowTotals:
    code: str
    max_centi: int
    applicable_max: int
    self_centi: int | None
    appraised_centi: int | None  # the appraised score, or the self-score where the appraisal kept it
    not_applicable: bool = False
    evidence: int = 0
    note: str | None = None
    appraisal_note: str | None = None
    proposed_centi: int | None = None
    proposal_source: str | None = None
    appraised_given: bool = False  # an appraised score was set here (a parent: under it)
    scored: int = 0  # leaves scored (or marked không áp dụng) under it
    leaves: int = 0


@dataclass
class Totals:
    """Totals of an assessment, each the sum of its leaves.

    ``self_points`` − ``self_deduction`` over ``self_max`` (the applicable self-scored maximum) gives the
    self-assessed index; ``final_points`` (appraised, survey included, deductions subtracted) over
    ``final_max`` gives the index. The survey counts in the maximum only once the level above gave it."""

    rows: dict[str, RowTotals]
    leaves: list[IndexCriterion]
    criteria: list[IndexCriterion]
    self_points: int = 0
    self_deduction: int = 0
    self_max: int = 0
    appraised_points: int = 0
    appraised_deduction: int = 0
    survey_points: int = 0
    survey_max: int = 0
    survey_given: bool = False
    final_max: int = 0
    rule: str = "half_up"
    scored_leaves: int = 0
    self_leaves: int = 0
    missing_evidence: int = 0
    areas: list[IndexCriterion] = field(default_factory=list)

    @property
    def final_points(self) -> int:
        return self.appraised_points + self.survey_points - self.appraised_deduction

    def self_index(self) -> Decimal | None:
        if not self.self_max:
            return None
        return round_rate(Decimal(self.self_points - self.self_deduction) / Decimal(self.self_max) * 100, self.rule)

    def index(self) -> Decimal | None:
        if not self.final_max:
            return None
        return round_rate(Decimal(self.final_points) / Decimal(self.final_max) * 100, self.rule)

    def progress_line(self) -> str:
        return (f"đã chấm {self.scored_leaves}/{self.self_leaves} tiêu chí thành phần, {self.missing_evidence} thiếu "
                "tài liệu kiểm chứng")


def compute_totals(session: Session, a: IndexAssessment, criteria: list[IndexCriterion] | None = None,
                   scores: list[IndexScore] | None = None, evidence_counts: dict[int, int] | None = None,
                   rule: str | None = None) -> Totals:
    """The totals of ``a``; a caller totalling many assessments (the ranking) passes what it read in bulk."""
    criteria = criteria if criteria is not None else criteria_of(session, a)
    if scores is None:
        scores = list(session.scalars(select(IndexScore).where(IndexScore.assessment_id == a.id)))
    by_crit = {s.criterion_id: s for s in scores}
    ev_counts = evidence_counts if evidence_counts is not None else evidence_counts_of(session, [s.id for s in scores])
    leaves = [c for c in criteria if c.is_leaf and c.depth > 0]
    t = Totals(rows={}, leaves=leaves, criteria=criteria, rule=rule or rounding_rule(session, a.unit),
               areas=[c for c in criteria if c.depth == 0])
    t.survey_given = any(by_crit.get(c.id) is not None and by_crit[c.id].appraised_centi is not None
                         for c in leaves if c.kind == "survey")
    for c in leaves:
        s = by_crit.get(c.id)
        na = bool(s and s.not_applicable)
        self_c = s.self_centi if s else None
        appr = s.appraised_centi if s and s.appraised_centi is not None else self_c
        counts = c.kind != "survey" or t.survey_given
        row = RowTotals(c.code, c.max_centi, 0 if na or c.kind == "deduction" or not counts else c.max_centi,
                        self_c, appr, na, ev_counts.get(s.id, 0) if s else 0, s.note if s else None,
                        s.appraisal_note if s else None, s.proposed_centi if s else None,
                        s.proposal_source if s else None, bool(s and s.appraised_centi is not None),
                        int(self_c is not None or na), 1)
        t.rows[c.code] = row
        if c.kind == "self":
            t.self_leaves += 1
            t.scored_leaves += row.scored
            if not na:
                t.self_max += c.max_centi
                t.self_points += self_c or 0
                t.appraised_points += appr or 0
                if row.evidence == 0 and self_c:
                    t.missing_evidence += 1
        elif c.kind == "deduction":
            t.self_deduction += self_c or 0
            t.appraised_deduction += appr or 0
        elif c.kind == "survey" and t.survey_given and not na:
            t.survey_points += (s.appraised_centi or 0) if s else 0
            t.survey_max += c.max_centi
    t.final_max = t.self_max + t.survey_max
    # parents: the sums of their leaves, children before parents
    children: dict[str, list[str]] = {}
    for k in criteria:
        children.setdefault(k.parent_code or "", []).append(k.code)
    for c in reversed(criteria):
        if c.is_leaf and c.depth > 0:
            continue
        kids = [t.rows[k] for k in children.get(c.code, []) if k in t.rows]
        self_vals = [k.self_centi for k in kids if k.self_centi is not None]
        appr_vals = [k.appraised_centi for k in kids if k.appraised_centi is not None]
        t.rows[c.code] = RowTotals(
            c.code, c.max_centi, sum(k.applicable_max for k in kids),
            sum(self_vals) if self_vals else None, sum(appr_vals) if appr_vals else None,
            evidence=sum(k.evidence for k in kids), appraised_given=any(k.appraised_given for k in kids),
            scored=sum(k.scored for k in kids),
            leaves=sum(k.leaves for k in kids))
    return t


def evidence_counts_of(session: Session, score_ids: list[int]) -> dict[int, int]:
    """Evidence documents per score id (one query)."""
    if not score_ids:
        return {}
    return dict(session.execute(select(IndexEvidence.score_id, func.count()).where(
        IndexEvidence.score_id.in_(score_ids)).group_by(IndexEvidence.score_id)).all())


def points_text(centi: int | None) -> str:
    return format_points(centi)
