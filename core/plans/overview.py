"""The home overview (Tổng quan) of a unit in a period: tasks by status per area, the overdue list,
deadlines in the next days and the headline "hoàn thành X/Y nhiệm vụ (đạt Z%)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.org.settings import rounding_rule
from core.plans.progress import ProgressError, period_or_code
from core.plans.status import (
    DONE_STATUSES,
    STATUS_ORDER,
    completion_headline,
    period_rules,
    reference_date,
)
from core.plans.task_list import DUE_SOON_DAYS, task_statuses
from core.plans.task_state import reporting_plans
from core.vnformat import HALF_UP
from db.models import Period, Task, TaskMilestone, Unit

__all__ = [
    "overview",
]


# --- the home overview ----------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaSummary:
    numeral: str | None
    title: str | None
    counts: dict[str, int]  # status → number of tasks
    total: int

    @property
    def done(self) -> int:
        return sum(self.counts.get(s, 0) for s in DONE_STATUSES)


@dataclass(frozen=True)
class DueItem:
    task_id: int
    area_numeral: str | None
    number: str | None
    title: str
    lead: str | None
    due_date: date
    days: int  # days from the reference date (negative: late)
    status: str
    plan_id: int | None = None


@dataclass(frozen=True)
class Overview:
    unit_id: int
    period_code: str
    period_label: str
    reference_date: date
    plan_ids: tuple[int, ...]
    areas: tuple[AreaSummary, ...]
    totals: dict[str, int]
    done: int
    total: int
    headline: str
    overdue: tuple[DueItem, ...]
    due_soon: tuple[DueItem, ...]
    rounding: str = HALF_UP  # the unit's rule for the rates it prints (``core.org.settings.rounding_rule``)


def overview(
    session: Session,
    unit_id: int,
    period_id: int | str,
    *,
    today: date | None = None,
    plan_id: int | None = None,
    days: int = DUE_SOON_DAYS,
) -> Overview:
    """The home page for a unit and period: tasks by status per area, the overdue list, deadlines in
    the next ``days`` days (from the period's cut-off, or ``today``) and the headline sentence.

    Counted tasks are those of the unit's plans for the period's year (``reporting_plans``: the
    narrowest span wins; or ``plan_id``); a heading task ("1" over "1.1, 1.2") is not counted, its
    sub-tasks are. ``period_id`` may be a code ("2022-Q1"): a period not in the database yet has
    nothing recorded in it, its states are still carried and derived.
    """
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise ProgressError(f"Không tìm thấy đơn vị (mã {unit_id}).")
    period_row, spec = period_or_code(session, period_id)
    period: Period | str = period_row if period_row is not None else spec.code
    rules = period_rules(session, unit_id)
    ref = reference_date(spec, rules, today)
    if plan_id is not None:
        plan_ids = [plan_id]
    else:
        plan_ids = [p.id for p in reporting_plans(session, unit_id, spec.year)]
    areas: dict[tuple[str | None, str | None], dict[str, int]] = {}
    overdue: list[DueItem] = []
    soon: list[DueItem] = []
    for pid in plan_ids:
        for row in task_statuses(session, pid, period, today=today, due_soon_days=days):
            if row.is_group:
                continue
            counts = areas.setdefault((row.area_numeral, row.area_title), dict.fromkeys(STATUS_ORDER, 0))
            counts[row.status] += 1
            lead = row.lead_unit_name or row.lead
            if row.overdue and row.due_date:
                overdue.append(DueItem(row.id, row.area_numeral, row.number, row.title, lead, row.due_date,
                                       (row.due_date - ref).days, row.status, pid))
            if row.due_soon:
                upcoming = [d for d in (row.due_dates or (row.due_date,)) if d and ref <= d <= ref + timedelta(days)]
                d = min(upcoming)
                soon.append(DueItem(row.id, row.area_numeral, row.number, row.title, lead, d, (d - ref).days,
                                    row.status, pid))
    summaries = tuple(AreaSummary(n, t, c, sum(c.values())) for (n, t), c in areas.items())
    totals = dict.fromkeys(STATUS_ORDER, 0)
    for s in summaries:
        for k, v in s.counts.items():
            totals[k] += v
    total = sum(totals.values())
    done = sum(totals[s] for s in DONE_STATUSES)
    rule = rounding_rule(session, unit)
    return Overview(
        unit_id=unit_id, period_code=spec.code, period_label=spec.label, reference_date=ref,
        plan_ids=tuple(plan_ids), areas=summaries, totals=totals, done=done, total=total,
        headline=completion_headline(done, total, rule),
        overdue=tuple(sorted(overdue, key=lambda d: (d.due_date, d.task_id))),
        due_soon=tuple(sorted(soon, key=lambda d: (d.due_date, d.task_id))),
        rounding=rule,
    )


def milestones_between(session: Session, plan_id: int, start: date, end: date) -> list[TaskMilestone]:
    """Milestones of a plan falling in [start, end] (for calendars and reminders)."""
    return list(session.scalars(
        select(TaskMilestone).join(Task).where(Task.plan_id == plan_id, TaskMilestone.due_date >= start,
                                               TaskMilestone.due_date <= end).order_by(TaskMilestone.due_date)
    ))
