"""Values brought in from the plan: the form's task counts taken from the plan's task progress.

For the Ministry form, 1.1.1 (tasks in the plan) and 1.1.2 (tasks completed) are counted from
the unit's plan for the period's year. The value is stored with ``source="plan"``, the number
in ``source_value`` and where it came from in ``source_detail``
("Từ Kế hoạch 751/QĐ-UBND: 11/38 nhiệm vụ hoàn thành đến 14/6/2021"). A user may override it;
the plan's number stays beside the override and validation asks for a note.

Task status is read here straight from ``TaskProgress`` rows (``completed_task_ids``); when the
task-progress service lands, that one function switches to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.periods import PeriodRules, spec_of
from core.plans import DONE_STATUSES, progress_as_of
from core.returns import ensure_editable, indicators_by_code, store_value, values_by_code
from core.values import ParsedValue
from db.models import FormTemplate, Period, Plan, Return, Task, Unit

# Form code → indicator code → which plan figure fills it.
PLAN_DERIVED: dict[str, dict[str, str]] = {
    "BNV-TK-CCHC": {"1.1.1": "total", "1.1.2": "done"},
}


@dataclass(frozen=True)
class PlanFigures:
    plan_id: int
    document_number: str | None
    issue_date: date | None
    year_from: int
    year_to: int
    total: int
    done: int
    as_of: date  # the last day of the period's data window

    @property
    def plan_name(self) -> str:
        """"Kế hoạch 751/QĐ-UBND", or "Kế hoạch CCHC năm 2021" when the plan has no number."""
        if self.document_number:
            return f"Kế hoạch {self.document_number}"
        years = str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}-{self.year_to}"
        return f"Kế hoạch CCHC {'năm' if self.year_from == self.year_to else 'giai đoạn'} {years}"

    def value(self, what: str) -> int:
        return {"total": self.total, "done": self.done}[what]

    def detail(self, what: str) -> str:
        as_of = f"{self.as_of.day:02d}/{self.as_of.month}/{self.as_of.year}"
        if what == "total":
            return f"Từ {self.plan_name}: {self.total} nhiệm vụ"
        return f"Từ {self.plan_name}: {self.done}/{self.total} nhiệm vụ hoàn thành đến {as_of}"


def plan_for_period(session: Session, unit_id: int, year: int) -> Plan | None:
    """The unit's plan covering ``year``: the narrowest span wins (a 2021 plan before a 2021–2025 one)."""
    return session.scalar(
        select(Plan)
        .where(Plan.unit_id == unit_id, Plan.year_from <= year, Plan.year_to >= year)
        .order_by((Plan.year_to - Plan.year_from).asc(), Plan.year_from.desc(), Plan.id.desc())
        .limit(1)
    )


def counted_task_ids(session: Session, plan_id: int) -> list[int]:
    """The tasks a plan is counted by: those without sub-tasks (a task split into 1.1, 1.2 counts its parts)."""
    tasks = session.execute(select(Task.id, Task.parent_task_id).where(Task.plan_id == plan_id)).all()
    parents = {p for _, p in tasks if p is not None}
    return [t for t, _ in tasks if t not in parents]


def completed_task_ids(session: Session, task_ids: list[int], period: Period) -> set[int]:
    """Tasks completed by the end of ``period``: each task's latest progress row in a period that
    ended no later than this one (this period's own row first on a tie) has a done status.

    """
    if not task_ids:
        return set()
    latest = progress_as_of(session, period.end_date, task_ids=task_ids, period_id=period.id)
    return {t for t, p in latest.items() if p.status in DONE_STATUSES}


def plan_figures(session: Session, unit: Unit, period: Period, rules: PeriodRules | None = None) -> PlanFigures | None:
    """Task counts of the unit's plan for ``period``; None when the unit has no plan for that year."""
    plan = plan_for_period(session, unit.id, period.year)
    if plan is None:
        return None
    ids = counted_task_ids(session, plan.id)
    done = completed_task_ids(session, ids, period)
    _, as_of = spec_of(period).data_window(rules)
    return PlanFigures(plan.id, plan.document_number, plan.issue_date, plan.year_from, plan.year_to,
                       len(ids), len(done), as_of)


@dataclass(frozen=True)
class PlanValueUpdate:
    code: str
    plan_value: int
    detail: str
    stored_value: float | None  # what the return holds afterwards
    overridden: bool  # the user's own number was kept


def refresh_plan_values(session: Session, ret: Return, rules: PeriodRules | None = None) -> list[PlanValueUpdate]:
    """Bring the plan's task counts into a draft return.

    A value that is blank or came from the plan is (re)filled from the plan. A number the user
    typed or imported is never replaced: if it equals the plan's it becomes plan-sourced,
    otherwise it stays as an override, with the plan's number recorded beside it.
    """
    ensure_editable(ret)
    if ret.origin == "consolidated":
        return []  # its task counts are the units' own, summed by consolidation
    tpl = session.get(FormTemplate, ret.template_id)
    mapping = PLAN_DERIVED.get(tpl.code, {})
    if not mapping:
        return []
    if rules is None:
        from core.settings import period_rules_for

        rules = period_rules_for(session, ret.unit)
    figs = plan_figures(session, ret.unit, ret.period, rules)
    if figs is None:
        return []
    inds = indicators_by_code(session, tpl.id)
    current = values_by_code(session, ret)
    out = []
    for code, what in mapping.items():
        ind = inds.get(code)
        if ind is None:
            continue
        n, detail = figs.value(what), figs.detail(what)
        row = current.get(code)
        keep_user = (row is not None and row.source != "plan" and row.value_num is not None
                     and abs(row.value_num - n) > 1e-9)
        if keep_user:
            store_value(session, ret, ind, ParsedValue(row.value_num, row.value_text), keep_note=True,
                        source=row.source, source_value=float(n), source_detail=detail)
        else:
            store_value(session, ret, ind, ParsedValue(float(n), None), keep_note=True, source="plan",
                        source_value=float(n), source_detail=detail, reason=detail)
        out.append(PlanValueUpdate(code, n, detail, row.value_num if keep_user else float(n), keep_user))
    return out


__all__ = [
    "PLAN_DERIVED",
    "PlanFigures",
    "PlanValueUpdate",
    "completed_task_ids",
    "counted_task_ids",
    "plan_figures",
    "plan_for_period",
    "refresh_plan_values",
]
