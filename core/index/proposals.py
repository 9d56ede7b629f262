"""Scores the product can propose from what it already knows, each with where it came from:

- "Mức độ hoàn thành Kế hoạch CCHC" (``plan_completion``): the share of the unit's plan tasks of the year
  done as of 14/12 (``core.plans.overview``, the one completion count), mapped through the scoring guide;
- "Thực hiện chế độ báo cáo" (``returns_on_time``): the unit's returns of Quý I, 6 tháng and Quý III (9
  tháng) submitted on or before their due date (``core.periods`` due dates, the unit's settings).

A proposal is kept beside the score (``proposed_centi``, ``proposal_source``) and never becomes the score
by itself: the user confirms it or overrides it with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.index.points import PointsError, format_points, parse_points
from core.index.scoring import criteria_of, set_proposal
from core.org.units import fold
from core.periods import parse_period_code
from core.plans.overview import overview
from core.plans.status import period_rules
from core.vnformat import format_date, format_percent
from db.models import FormTemplate, IndexAssessment, IndexCriterion, Period, Return

__all__ = ["Proposal", "points_from_guide", "propose_scores"]

CUT_OFF = (12, 14)  # the index counts the plan as of 14/12 of the year


@dataclass(frozen=True)
class Proposal:
    code: str
    centi: int
    source: str


_LINE_RE = re.compile(r"^(.*?):\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:điểm)?\.?$")
_NUM = r"(\d+(?:[.,]\d+)?)\s*%"


def _pct(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def points_from_guide(guide: str, rate: Decimal, max_centi: int) -> tuple[int, bool]:
    """The points a guide gives for a rate (a percentage); (points, whether a guide line matched).

    Lines read: "Hoàn thành 100% …: 2", "Từ 80% đến dưới 100% …: 1", "Từ 90% trở lên: 1", "Dưới 80%: 0".
    Without a matching line the proposal is proportional to the maximum, rounded down to 0,25."""
    for line in (guide or "").split("\n"):
        m = _LINE_RE.match(line.strip())
        if not m:
            continue
        cond, pts = fold(m.group(1)), m.group(2)
        try:
            centi = parse_points(pts)
        except PointsError:
            continue
        if centi is None:
            continue
        rng = re.search(r"tu " + _NUM + r" den duoi " + _NUM, cond)
        low = re.search(r"(?:tu|tren) " + _NUM + r" tro len|^tren " + _NUM, cond)
        under = re.search(r"duoi " + _NUM, cond)
        exact = re.search(_NUM, cond)
        if rng:
            hit = _pct(rng.group(1)) <= rate < _pct(rng.group(2))
        elif low:
            hit = rate >= _pct(low.group(1) or low.group(2))
        elif under:
            hit = rate < _pct(under.group(1))
        elif exact:
            hit = rate >= _pct(exact.group(1))
        else:
            continue
        if hit:
            return min(centi, max_centi), True
    steps = (Decimal(max_centi) * rate / 100 / 25).to_integral_value(rounding=ROUND_FLOOR)
    return int(steps * 25), False


def _plan_completion(session: Session, a: IndexAssessment, c: IndexCriterion) -> Proposal | None:
    as_of = date(a.year, *CUT_OFF)
    ov = overview(session, a.unit_id, f"{a.year}-Y", today=as_of)
    if not ov.total:
        return None
    rate = Decimal(ov.done) * 100 / Decimal(ov.total)
    centi, matched = points_from_guide(c.scoring_guide or "", rate, c.max_centi)
    how = "theo hướng dẫn chấm điểm" if matched else "tỷ lệ theo điểm tối đa"
    return Proposal(c.code, centi, f"Kế hoạch CCHC năm {a.year}: hoàn thành {ov.done}/{ov.total} nhiệm vụ "
                                   f"({format_percent(rate)}) tính đến ngày {format_date(as_of)} → "
                                   f"{format_points(centi)} điểm ({how}).")


def _returns_on_time(session: Session, a: IndexAssessment, c: IndexCriterion) -> Proposal | None:
    rules = period_rules(session, a.unit_id)
    as_of = date(a.year, *CUT_OFF)
    rows = session.execute(
        select(Period.code, Return.status, Return.submitted_at)
        .join(Return, Return.period_id == Period.id).join(FormTemplate, FormTemplate.id == Return.template_id)
        .where(Return.unit_id == a.unit_id, Period.year == a.year, Return.origin == "entered")).all()
    submitted = {code.split("-")[1]: at for code, status, at in rows if status == "submitted" and at is not None}
    expected = [("Q1", "Quý I"), ("H1", "6 tháng"), ("Q3" if "Q3" in submitted or "9M" not in submitted else "9M",
                                                     "Quý III" if "9M" not in submitted else "9 tháng")]
    due = [(k, label, parse_period_code(f"{a.year}-{k}").due_date(rules)) for k, label in expected]
    due = [d for d in due if d[2] <= as_of]
    if not rows or not due:
        return None
    late = [label for k, label, day in due if k not in submitted or submitted[k].date() > day]
    if not late:
        centi = c.max_centi
    else:
        n = f"{len(late):02d}"
        centi = 0
        for line in (c.scoring_guide or "").split("\n"):
            m = _LINE_RE.match(line.strip())
            if m and (n in m.group(1) or f" {len(late)} " in f" {m.group(1)} "):
                centi = min(parse_points(m.group(2)) or 0, c.max_centi)
                break
    detail = "đều đúng hạn" if not late else f"chậm hoặc chưa gửi: {', '.join(late)}"
    return Proposal(c.code, centi, f"Báo cáo CCHC {', '.join(lb for _, lb, _ in due)} năm {a.year}: {detail} (theo "
                                   f"ngày hoàn thành báo cáo trên chương trình) → {format_points(centi)} điểm.")


_SOURCES = {"plan_completion": _plan_completion, "returns_on_time": _returns_on_time}


def propose_scores(session: Session, a: IndexAssessment) -> list[Proposal]:
    """Compute and keep the proposals of the assessment's leaves that have a source the product knows."""
    out = []
    for c in criteria_of(session, a):
        fn = _SOURCES.get(c.auto_source or "")
        if fn is None or not c.is_leaf or c.kind != "self":
            continue
        p = fn(session, a, c)
        if p is not None:
            set_proposal(session, a, c, p.centi, p.source)
            out.append(p)
    return out
