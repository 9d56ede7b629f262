"""The level above: receiving the units' score workbooks (one outcome per file, as for returns), the appraised
score of each leaf with its reason (the survey points too), and the ranking per group of units, ties shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.index.criteria import CriteriaError, find_stored, set_from_content, store_set
from core.index.points import format_points
from core.index.scoring import (
    ScoreError,
    Totals,
    check_points,
    compute_totals,
    criterion_by_code,
    score_row,
    unit_by_code,
)
from core.index.workbook import read_score_workbook
from core.jobs import Progress, report
from core.vnformat import nfc
from db.dialect import savepoint
from db.files import sha256_of_file
from db.models import IndexAssessment, IndexImportedFile, IndexScore, Unit

__all__ = ["FileOutcome", "RankedUnit", "appraise", "import_score_files", "ranking"]

OUTCOME_LABELS = {"imported": "đã nhận", "replaced": "thay bản trước", "skipped": "bỏ qua", "rejected": "từ chối"}
GROUPS = {"so": "Sở, ban, ngành", "phong": "Sở, ban, ngành", "huyen": "UBND cấp huyện",
          "xa": "UBND xã, phường, đặc khu"}


@dataclass
class FileOutcome:
    file: str
    outcome: str
    reason: str
    unit_code: str | None = None
    year: int | None = None

    def as_dict(self) -> dict:
        return {"file": self.file, "outcome": self.outcome, "reason": self.reason, "unit": self.unit_code,
                "year": self.year}


def _is_below(unit: Unit, parent: Unit) -> bool:
    u = unit.parent
    while u is not None:
        if u.id == parent.id:
            return True
        u = u.parent
    return False


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(nfc(str(p)))
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.xlsx") if not q.name.startswith(("~$", "."))))
        else:
            out.append(p)
    return out


def import_score_files(session: Session, parent_code: str, paths: list[Path], user: str | None = None, *,
                       progress: Progress | None = None) -> list[FileOutcome]:
    """Receive score workbooks for ``parent_code``: each file is imported, replaces an older one, is skipped
    (the same scores again, an older export) or rejected with its reason; one bad file never stops the rest
    and leaves nothing of itself behind. ``progress`` is told each file; its ``Cancelled`` goes through, and
    the caller's transaction rolls back: nothing is received."""
    parent = unit_by_code(session, parent_code)
    outcomes = []
    files = _files(paths)
    for i, path in enumerate(files):
        report(progress, i, len(files), path.name)
        try:
            with savepoint(session):
                outcome = _import_one(session, parent, path, user)
        except Refused as exc:
            outcome = FileOutcome(path.name, "rejected", str(exc))
        outcomes.append(outcome)
        if outcome.outcome == "rejected":
            session.add(IndexImportedFile(
                parent_unit_id=parent.id, unit_code=outcome.unit_code, year=outcome.year, file_name=path.name,
                file_sha256=sha256_of_file(path) if path.is_file() else "", outcome="rejected", reason=outcome.reason,
                user=audit.user_of(session, user)))
    report(progress, len(files), len(files))
    session.flush()
    return outcomes


def _import_one(session: Session, parent: Unit, path: Path, user: str | None) -> FileOutcome:
    if not path.is_file():
        raise ScoreError(f"Không tìm thấy tệp “{path}”.")
    sf = read_score_workbook(path)
    c = sf.content
    unit_code, year = c["unit"]["code"], int(c["year"])
    unit = session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        return FileOutcome(path.name, "rejected",
                           f"Đơn vị “{unit_code}” ({c['unit']['name']}) không có trong danh mục.", unit_code, year)
    if not _is_below(unit, parent):
        return FileOutcome(path.name, "rejected", f"{unit.name} không trực thuộc {parent.name}.", unit_code, year)
    from core.signatures.check import check_detached
    from core.signatures.trust_store import signatures_required, trust_list

    check = check_detached(sf.sealed(), sf.signature, trust_list(session, parent.id))
    if check.status == "invalid" or (check.status != "valid" and signatures_required(session, parent)):
        return FileOutcome(path.name, "rejected", check.reason or check.summary(), unit_code, year)
    try:
        cset = set_from_content(c["criteria_set"])
    except CriteriaError as exc:
        return FileOutcome(path.name, "rejected", str(exc), unit_code, year)
    stored = find_stored(session, cset.sha256())
    if stored is None:
        stored, _ = store_set(session, cset, source_file=path.name, user=user)
    existing = session.scalar(select(IndexAssessment).where(IndexAssessment.unit_id == unit.id,
                                                            IndexAssessment.year == year))
    record = IndexImportedFile(parent_unit_id=parent.id, unit_id=unit.id, unit_code=unit_code, year=year,
                               file_name=path.name, file_sha256=sf.file_sha256, content_sha256=sf.content_sha256,
                               exported_at=sf.exported_at, user=audit.user_of(session, user))
    if existing is not None and existing.origin == "entered":
        return FileOutcome(path.name, "rejected", f"{unit.name} tự chấm điểm năm {year} ngay trên cơ sở dữ liệu này; "
                                                  "không nhận thêm bảng điểm từ tệp.", unit_code, year)
    if existing is not None and existing.content_sha256 == sf.content_sha256:
        outcome = FileOutcome(path.name, "skipped", "Bảng điểm này đã nhận trước đó.", unit_code, year)
    elif existing is not None and (existing.exported_at or "") > sf.exported_at:
        outcome = FileOutcome(path.name, "skipped", "Cũ hơn bảng điểm đã nhận; giữ bản mới hơn.", unit_code, year)
    else:
        kept = _write_assessment(session, unit, year, stored.id, c, sf, existing)
        outcome = FileOutcome(path.name, "replaced" if existing else "imported",
                              (f"Thay bảng điểm nhận trước; giữ {kept} điểm thẩm định đã nhập." if existing
                               else "Đã nhận bảng điểm.")
                              + (" Lưu ý: bảng điểm chưa nộp (bản đang chấm)." if c["status"] != "submitted" else "")
                              + f" {check.summary()}.", unit_code, year)
    record.outcome, record.reason = outcome.outcome, outcome.reason
    record.assessment_id = session.scalar(select(IndexAssessment.id).where(IndexAssessment.unit_id == unit.id,
                                                                           IndexAssessment.year == year))
    session.add(record)
    session.flush()
    return outcome


def _write_assessment(session: Session, unit: Unit, year: int, set_id: int, c: dict, sf, existing) -> int:  # noqa: ANN001
    from core.index.scoring import criteria_of
    from db.models import IndexEvidence

    kept_appraisal: dict[str, tuple[int | None, str | None]] = {}
    if existing is not None:
        for s in existing.scores:
            if s.appraised_centi is not None:
                kept_appraisal[s.criterion.code] = (s.appraised_centi, s.appraisal_note)
        session.delete(existing)
        session.flush()
    # a draft sent up is kept as a draft (as a draft return is): the level above sees it and may still appraise it
    a = IndexAssessment(unit=unit, set_id=set_id, year=year, status=c["status"], origin="imported",
                        submitted_at=datetime.fromisoformat(c["submitted_at"]) if c.get("submitted_at") else None,
                        exported_at=sf.exported_at, content_sha256=sf.content_sha256)
    session.add(a)
    session.flush()
    by_code = {k.code: k for k in criteria_of(session, a)}
    given = {s["code"]: s for s in c["scores"]}
    kept = 0
    for code, k in by_code.items():
        s = given.get(code)
        appr = kept_appraisal.get(code)
        if s is None and appr is None:
            continue
        row = IndexScore(assessment=a, criterion=k, not_applicable=bool(s and s["not_applicable"]),
                         self_centi=s["self"] if s else None, note=s["note"] if s else None,
                         proposed_centi=s.get("proposed") if s else None,
                         proposal_source=s.get("proposal_source") if s else None)
        if appr is not None:
            row.appraised_centi, row.appraisal_note = appr
            kept += 1
        for e in (s or {}).get("evidence", []):
            row.evidence.append(IndexEvidence(
                document_number=e.get("number"), summary=e.get("summary"), file_name=e.get("file_name"),
                sha256=e.get("sha256"),
                document_date=datetime.fromisoformat(e["date"]).date() if e.get("date") else None))
        session.add(row)
    session.flush()
    audit.record(session, "import", "index_assessment", a.id, new=f"{unit.code} {year} ({sf.path.name})")
    return kept


# --- appraisal ---------------------------------------------------------------------------------

def appraise(session: Session, unit_code: str, year: int, code: str, points: object, note: str | None,
             user: str | None = None) -> IndexScore:
    """The appraised score of a leaf of a submitted assessment (a survey leaf: the survey's points).

    Refused: an assessment not submitted, a parent, points outside 0…maximum, a score that differs from the
    self-score without a reason."""
    unit = unit_by_code(session, unit_code)
    a = session.scalar(select(IndexAssessment).where(IndexAssessment.unit_id == unit.id, IndexAssessment.year == year))
    if a is None:
        raise ScoreError(f"Chưa có bảng điểm Chỉ số CCHC năm {year} của {unit.name} (nhận bằng index import-scores).")
    if a.status != "submitted" and a.origin != "imported":
        raise ScoreError(f"Bảng điểm năm {year} của {unit.name} chưa nộp: chưa thẩm định được.")
    c = criterion_by_code(session, a, code)
    if not c.is_leaf:
        raise ScoreError(f"{c.stt} có các tiêu chí thành phần: thẩm định từng tiêu chí thành phần.")
    centi = check_points(c, points, "Điểm thẩm định")
    note = nfc(note).strip() if note else None
    row = score_row(session, a, c, create=False)
    self_c = row.self_centi if row else None
    if row is not None and row.not_applicable:
        raise ScoreError(f"Tiêu chí {c.stt} được đơn vị đánh dấu “không áp dụng”.")
    if centi != self_c and not note:
        what = "điểm điều tra xã hội học" if c.kind == "survey" else (
            f"khác điểm tự chấm {format_points(self_c, 'trống')}")
        raise ScoreError(f"Điểm thẩm định {format_points(centi)} của tiêu chí {c.stt} {what}: cần ghi lý do (--note)."
                         if c.kind != "survey" else f"Nhập {what} cho tiêu chí {c.stt} cần ghi nguồn (--note).")
    if row is None:
        row = score_row(session, a, c)
    old = format_points(row.appraised_centi, "chưa thẩm định")
    row.appraised_centi, row.appraisal_note = centi, note
    session.flush()
    audit.record(session, "update", "index_score", row.id, field=f"thẩm định {c.code}", old=old,
                 new=format_points(centi), reason=note, user=user)
    return row


# --- ranking -----------------------------------------------------------------------------------

@dataclass
class RankedUnit:
    unit_code: str
    unit_name: str
    group: str
    self_points: int
    appraised_points: int
    survey_points: int
    deduction: int
    points: int
    max_points: int
    index: Decimal | None
    rank: int = 0
    tied: bool = False
    status: str = ""


@dataclass
class Ranking:
    year: int
    parent_name: str
    groups: dict[str, list[RankedUnit]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # units below without a submitted score table
    rule: str = "half_up"


def ranking(session: Session, parent_code: str, year: int) -> Ranking:
    """The index of each unit below ``parent_code`` with a submitted score table, ranked within its group by
    the rounded index (descending); equal indices share a rank and the next rank is skipped (1, 2, 2, 4)."""
    parent = unit_by_code(session, parent_code)
    from core.org.settings import rounding_rule

    result = Ranking(year, parent.name, rule=rounding_rule(session, parent))
    units = [u for u in session.scalars(select(Unit).order_by(Unit.code)) if _is_below(u, parent)]
    assessments = {a.unit_id: a for a in session.scalars(select(IndexAssessment).where(
        IndexAssessment.year == year, IndexAssessment.unit_id.in_([u.id for u in units])))}
    criteria_cache: dict[int, list] = {}
    from core.index.scoring import criteria_of, evidence_counts_of

    # every score and evidence count read at once: the ranking of a province's 250 units stays one screenful
    scores_of: dict[int, list[IndexScore]] = {}
    for sc in session.scalars(select(IndexScore).where(IndexScore.assessment_id.in_(
            [a.id for a in assessments.values()]))):
        scores_of.setdefault(sc.assessment_id, []).append(sc)
    counts = evidence_counts_of(session, [sc.id for lst in scores_of.values() for sc in lst])

    from datetime import date

    from core.index.scoring import SET_LEVEL
    from db.models import IndexCriteriaSet

    set_levels = set(session.scalars(select(IndexCriteriaSet.level).where(IndexCriteriaSet.year == year)))
    first, last = date(year, 1, 1), date(year, 12, 31)
    for u in units:
        a = assessments.get(u.id)
        if a is None or (a.status != "submitted" and a.origin != "imported"):
            alive = (u.valid_from is None or u.valid_from <= last) and (u.valid_to is None or u.valid_to >= first)
            if a is not None or (u.parent_id == parent.id and alive and SET_LEVEL.get(u.level) in set_levels):
                result.missing.append(u.name)
            continue
        if a.set_id not in criteria_cache:
            criteria_cache[a.set_id] = criteria_of(session, a)
        # one rounding rule for the whole ranking: the publishing unit's
        t: Totals = compute_totals(session, a, criteria_cache[a.set_id], scores_of.get(a.id, []), counts,
                                   rule=result.rule)
        group = GROUPS.get(u.level, "Đơn vị khác")
        result.groups.setdefault(group, []).append(RankedUnit(
            u.code, u.name, group, t.self_points - t.self_deduction, t.appraised_points, t.survey_points,
            t.appraised_deduction, t.final_points, t.final_max, t.index(), status=a.status))
    for members in result.groups.values():
        members.sort(key=lambda m: (-(m.index if m.index is not None else Decimal(-1)), m.unit_code))
        for i, m in enumerate(members):
            if i and members[i - 1].index == m.index:
                m.rank = members[i - 1].rank
                m.tied = members[i - 1].tied = True
            else:
                m.rank = i + 1
    return result


# --- survey results from a table ---------------------------------------------------------------

def import_survey_table(session: Session, parent_code: str, year: int, path: Path, user: str | None = None
                        ) -> int:
    """The survey points (điều tra xã hội học) of the units below from a table — columns "Mã đơn vị",
    "Mã tiêu chí", "Điểm" (.csv or .xlsx) — entered as appraised scores of the survey leaves. All or nothing:
    any row that does not apply is named and nothing is stored. Returns the number of points entered."""
    from core.org.units import fold
    from core.safe_files import VALUES_LIMITS, read_table

    parent = unit_by_code(session, parent_code)
    rows = read_table(Path(path), VALUES_LIMITS)
    header = next((i for i, r in enumerate(rows[:10]) if sum(
        1 for c in r if c is not None and any(w in fold(str(c)) for w in ("don vi", "tieu chi", "diem"))) >= 3), None)
    if header is None:
        raise ScoreError(f"Tệp “{Path(path).name}” cần các cột “Mã đơn vị”, “Mã tiêu chí” và “Điểm”.")
    cols = [fold(str(c or "")) for c in rows[header]]
    unit_col = next(i for i, c in enumerate(cols) if "don vi" in c)
    crit_col = next(i for i, c in enumerate(cols) if "tieu chi" in c)
    pts_col = next(i for i, c in enumerate(cols) if "diem" in c and i not in (unit_col, crit_col))
    problems, done = [], 0
    for n, r in enumerate(rows[header + 1:], header + 2):
        cells = [("" if c is None else nfc(str(c)).strip()) for c in r] + [""] * 3
        if not any(cells):
            continue
        unit_code, code, points = cells[unit_col], cells[crit_col], r[pts_col] if pts_col < len(r) else None
        try:
            with savepoint(session):
                unit = unit_by_code(session, unit_code)
                if not _is_below(unit, parent):
                    raise ScoreError(f"{unit.name} không trực thuộc {parent.name}.")
                a = session.scalar(select(IndexAssessment).where(IndexAssessment.unit_id == unit.id,
                                                                 IndexAssessment.year == year))
                if a is not None and criterion_by_code(session, a, code).kind != "survey":
                    raise ScoreError(f"tiêu chí {code} không phải tiêu chí điều tra xã hội học.")
                appraise(session, unit_code, year, code, points, f"Kết quả điều tra xã hội học ({Path(path).name})",
                         user=user)
                done += 1
        except Refused as exc:
            problems.append(f"dòng {n}: {exc}")
    if problems:
        raise ScoreError(f"Không nhập điểm điều tra xã hội học nào từ “{Path(path).name}”:\n"
                         + "\n".join(problems[:20]))
    return done
