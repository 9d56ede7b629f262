"""Values brought in from the plan: the form's task counts taken from the plan's task progress.

For the Ministry form, 1.1.1 (tasks in the plan) and 1.1.2 (tasks completed) are counted from
the unit's plan for the period's year. The value is stored with ``source="plan"``, the number
in ``source_value`` and where it came from in ``source_detail``
("Từ Kế hoạch 751/QĐ-UBND: 11/38 nhiệm vụ hoàn thành đến 14/6/2021"). A user may override it;
the plan's number stays beside the override and validation asks for a note.

Which tasks count and whether each is completed come from ``core.plans.task_state`` — the same
effective state the task list, the overview and Phụ lục II show: the unit's plans for the year
(``reporting_plans``), their tasks without sub-tasks, each done or not as of the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.periods import PeriodRules, spec_of
from core.plans.task_state import counted_tasks, reporting_plans, task_states
from core.returns.store import ensure_editable, indicators_by_code, store_value, values_by_code
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
    plan_names: tuple[str, ...] = ()  # every plan counted, when the year has more than one

    @property
    def plan_name(self) -> str:
        """"Kế hoạch 751/QĐ-UBND", or "Kế hoạch CCHC năm 2021" when the plan has no number."""
        if len(self.plan_names) > 1:
            return ", ".join(self.plan_names)
        return _plan_name(self.document_number, self.year_from, self.year_to)

    def value(self, what: str) -> int:
        return {"total": self.total, "done": self.done}[what]

    def detail(self, what: str) -> str:
        as_of = f"{self.as_of.day:02d}/{self.as_of.month}/{self.as_of.year}"
        if what == "total":
            return f"Từ {self.plan_name}: {self.total} nhiệm vụ"
        return f"Từ {self.plan_name}: {self.done}/{self.total} nhiệm vụ hoàn thành đến {as_of}"


def _plan_name(document_number: str | None, year_from: int, year_to: int) -> str:
    if document_number:
        return f"Kế hoạch {document_number}"
    years = str(year_from) if year_from == year_to else f"{year_from}-{year_to}"
    return f"Kế hoạch CCHC {'năm' if year_from == year_to else 'giai đoạn'} {years}"


def plan_for_period(session: Session, unit_id: int, year: int) -> Plan | None:
    """The unit's plan for ``year`` (the first of ``reporting_plans``: the narrowest span wins)."""
    plans = reporting_plans(session, unit_id, year)
    return plans[0] if plans else None


def counted_task_ids(session: Session, plan_id: int) -> list[int]:
    """The tasks a plan is counted by: those without sub-tasks (a task split into 1.1, 1.2 counts its parts)."""
    return [t.id for t in counted_tasks(session.scalars(select(Task).where(Task.plan_id == plan_id)))]


def completed_task_ids(session: Session, task_ids: list[int], period: Period) -> set[int]:
    """Tasks completed as of ``period``: their effective state (``core.plans.task_state``) is done."""
    if not task_ids:
        return set()
    tasks = session.scalars(select(Task).where(Task.id.in_(task_ids))).all()
    return {t for t, st in task_states(session, tasks, period).items() if st.done}


def plan_figures(session: Session, unit: Unit, period: Period, rules: PeriodRules | None = None) -> PlanFigures | None:
    """Task counts of the unit's plans for ``period`` (``reporting_plans``); None when it has none that year."""
    plans = reporting_plans(session, unit.id, period.year)
    if not plans:
        return None
    tasks = counted_tasks(session.scalars(
        select(Task).where(Task.plan_id.in_([p.id for p in plans])).order_by(Task.plan_id, Task.sort_order)))
    done = sum(1 for st in task_states(session, tasks, period, rules=rules).values() if st.done)
    _, as_of = spec_of(period).data_window(rules)
    plan = plans[0]
    return PlanFigures(plan.id, plan.document_number, plan.issue_date, plan.year_from, plan.year_to,
                       len(tasks), done, as_of,
                       tuple(_plan_name(p.document_number, p.year_from, p.year_to) for p in plans))


@dataclass(frozen=True)
class PlanValueUpdate:
    code: str
    plan_value: int
    detail: str
    stored_value: float | None  # what the return holds afterwards
    overridden: bool  # the user's own number was kept


def _pending(session: Session, ret: Return, rules: PeriodRules | None):  # noqa: ANN202
    """[(indicator, plan number, detail, current row, keep the user's number)] for a draft's plan-derived codes."""
    if ret.status != "draft" or ret.origin == "consolidated":
        return []  # a consolidated return's task counts are the units' own, summed by consolidation
    tpl = session.get(FormTemplate, ret.template_id)
    mapping = PLAN_DERIVED.get(tpl.code, {})
    if not mapping:
        return []
    if rules is None:
        from core.org.settings import period_rules_for

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
        n = figs.value(what)
        row = current.get(code)
        keep_user = (row is not None and row.source != "plan" and row.value_num is not None
                     and abs(row.value_num - n) > 1e-9)
        out.append((ind, n, figs.detail(what), row, keep_user))
    return out


def refresh_plan_values(session: Session, ret: Return, rules: PeriodRules | None = None) -> list[PlanValueUpdate]:
    """Bring the plan's task counts into a draft return.

    A value that is blank or came from the plan is (re)filled from the plan. A number the user
    typed or imported is never replaced: if it equals the plan's it becomes plan-sourced,
    otherwise it stays as an override, with the plan's number recorded beside it.
    """
    ensure_editable(ret)
    out = []
    for ind, n, detail, row, keep_user in _pending(session, ret, rules):
        if keep_user:
            store_value(session, ret, ind, ParsedValue(row.value_num, row.value_text), keep_note=True,
                        source=row.source, source_value=float(n), source_detail=detail)
        else:
            store_value(session, ret, ind, ParsedValue(float(n), None), keep_note=True, source="plan",
                        source_value=float(n), source_detail=detail, reason=detail)
        out.append(PlanValueUpdate(ind.code, n, detail, row.value_num if keep_user else float(n), keep_user))
    return out


def current_plan_values(session: Session, ret: Return) -> dict[str, float]:
    """The plan-derived numbers a draft holds once brought up to date, by code, without writing.

    An export of a draft uses them, so its 1.1.1/1.1.2, its Phụ lục II and its narrative say the
    same as the task list even when progress was recorded after the return was last opened. A
    user's own number (an override) is kept; a submitted return keeps what it was submitted with.
    """
    return {ind.code: float(n) for ind, n, _detail, _row, keep_user in _pending(session, ret, None) if not keep_user}


__all__ = [
    "PLAN_DERIVED",
    "PlanFigures",
    "PlanValueUpdate",
    "completed_task_ids",
    "counted_task_ids",
    "current_plan_values",
    "plan_figures",
    "plan_for_period",
    "refresh_plan_values",
]
