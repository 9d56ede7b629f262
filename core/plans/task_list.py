"""The task list and the task detail that the screens and the CLI show: every task of a plan with its
status in a period (filters: area, lead unit, status, overdue, due in the period), and one task with
its activities, milestones and progress. Both read the task's state through ``core.plans.task_state``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.org.units import fold
from core.periods import PeriodSpec, parse_period_code, spec_of
from core.plans.progress import ProgressError, get_period, get_task, period_or_code
from core.plans.status import (
    DONE_STATUSES,
    STATUS_LABELS,
    deadline,
    period_rules,
    reference_date,
)
from core.plans.task_state import EvidenceRow, TaskState, task_state, task_states
from core.plans.timeframe import describe as describe_timeframe
from core.plans.timeframe import parse_timeframe
from db.models import Period, Plan, Task, TaskProgress

__all__ = [
    "task_detail",
    "task_statuses",
]


DUE_SOON_DAYS = 30


# --- lists for the GUI and the CLI ----------------------------------------------------------------

@dataclass(frozen=True)
class ActivityRow:
    """An activity (hoạt động) of a task, as the task tree shows it under its task."""

    title: str
    output: str | None
    timeframe_text: str | None
    due_date: date | None
    lead: str | None


@dataclass(frozen=True)
class TaskStatusRow:
    """A task in a plan's tree, with its status in a period and the highlight flags."""

    id: int
    plan_id: int
    parent_id: int | None
    is_group: bool  # "1" over "1.1, 1.2": a heading, not counted
    area_numeral: str | None
    area_title: str | None
    number: str | None
    title: str
    lead: str | None  # as written
    lead_unit_id: int | None
    lead_unit_code: str | None
    lead_unit_name: str | None
    partners: str | None
    partner_units: tuple[tuple[str, str], ...]  # (code, name)
    timeframe_text: str | None
    timeframe_flagged: bool
    recurring: bool
    due_date: date | None  # as applies in the period (recurring deadlines repeat yearly)
    due_dates: tuple[date, ...]  # every milestone as written
    status: str
    percent_done: float | None
    overdue: bool
    due_soon: bool
    due_in_period: bool
    has_progress: bool
    evidence_count: int
    activities: tuple[ActivityRow, ...] = ()
    carried_from: str | None = None  # the earlier period the state comes from ("6 tháng đầu năm 2021")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def _resolve_period(session: Session, plan_id: int, period: int | str | Period | None) -> tuple[
        Period | None, PeriodSpec | None]:
    if isinstance(period, Period):
        return period, spec_of(period)
    if isinstance(period, int):
        row = get_period(session, period)
        return row, spec_of(row)
    if isinstance(period, str):
        spec = parse_period_code(period)
        return session.scalar(select(Period).where(Period.code == spec.code)), spec
    # No period: the latest one that has progress for this plan.
    row = session.scalar(
        select(Period).join(TaskProgress).join(Task).where(Task.plan_id == plan_id)
        .order_by(Period.end_date.desc(), Period.code.desc()).limit(1)
    )
    return row, (spec_of(row) if row is not None else None)


def task_statuses(
    session: Session,
    plan_id: int,
    period: int | str | Period | None = None,
    *,
    area: str | None = None,
    lead_unit_id: int | None = None,
    status: str | None = None,
    overdue_only: bool = False,
    due_in_period: bool = False,
    today: date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> list[TaskStatusRow]:
    """Every task of a plan in plan order with its status in ``period`` (id, code or row; None: the
    latest period with progress). Filters: area (Roman numeral or title), lead unit, status,
    overdue only, due in the period ("đến hạn trong kỳ": a milestone inside its data window)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise ProgressError(f"Không tìm thấy kế hoạch (mã {plan_id}).")
    period_row, spec = _resolve_period(session, plan_id, period)
    rules = period_rules(session, plan.unit_id)
    tasks = session.scalars(
        select(Task).where(Task.plan_id == plan_id).order_by(Task.sort_order)
        .options(selectinload(Task.milestones), selectinload(Task.partners), selectinload(Task.lead_unit),
                 selectinload(Task.activities))
    ).all()
    states = task_states(session, tasks, period_row or spec, today=today, rules=rules) if spec is not None else {}
    parents = {t.parent_task_id for t in tasks if t.parent_task_id is not None}
    ref = reference_date(spec, rules, today) if spec is not None else (today or None)
    window = spec.data_window(rules) if spec is not None else None
    area_key = fold(area) if area else None
    rows = []
    for t in tasks:
        state = states.get(t.id)
        st = state.status if state is not None else "not_started"
        due = deadline(t, spec)
        dates = tuple(sorted({m.due_date for m in t.milestones if m.due_date}))
        done = st in DONE_STATUSES
        soon = bool(ref and not done and any(ref <= d <= ref + timedelta(days=due_soon_days)
                                             for d in (dates or ((due,) if due else ()))))
        in_period = bool(window and any(window[0] <= d <= window[1] for d in (dates or ((due,) if due else ()))))
        carried = state.carried_from if state is not None else None
        row = TaskStatusRow(
            id=t.id, plan_id=t.plan_id, parent_id=t.parent_task_id, is_group=t.id in parents,
            area_numeral=t.area_numeral, area_title=t.area_title, number=t.number, title=t.title,
            lead=t.lead_unit_text, lead_unit_id=t.lead_unit_id,
            lead_unit_code=t.lead_unit.code if t.lead_unit else None,
            lead_unit_name=t.lead_unit.name if t.lead_unit else None,
            partners=t.partner_units_text, partner_units=tuple((u.code, u.name) for u in t.partners),
            timeframe_text=t.timeframe_text, timeframe_flagged=t.timeframe_flagged, recurring=t.recurring,
            due_date=due, due_dates=dates, status=st, percent_done=state.percent_done if state else None,
            overdue=st == "overdue", due_soon=soon, due_in_period=in_period,
            has_progress=bool(state and state.has_record), evidence_count=len(state.evidence) if state else 0,
            activities=tuple(ActivityRow(a.title, a.output, a.timeframe_text, a.due_date, a.lead_unit_text)
                             for a in sorted(t.activities, key=lambda a: a.sort_order)),
            carried_from=carried.period_label if carried is not None else None,
        )
        if area_key and fold(t.area_numeral or "") != area_key and fold(t.area_title or "") != area_key:
            continue
        if lead_unit_id is not None and t.lead_unit_id != lead_unit_id:
            continue
        if status is not None and st != status:
            continue
        if overdue_only and not row.overdue:
            continue
        if due_in_period and not row.due_in_period:
            continue
        rows.append(row)
    return rows


@dataclass(frozen=True)
class TaskDetail:
    """A task with its activities, milestones and its progress in one period (the editor's content)."""

    task_id: int
    area_numeral: str | None
    area_title: str | None
    number: str | None
    objective: str | None
    title: str
    output: str | None
    lead: str | None
    partners: str | None
    timeframe_text: str | None
    timeframe_flagged: bool
    milestones: tuple[tuple[str, date | None], ...]
    activities: tuple[tuple[str, str | None, str | None, date | None], ...]  # title, output, timeframe, due
    period_code: str
    entered_status: str
    status: str
    percent_done: float | None
    completed_on: date | None
    result_text: str | None
    difficulties: str | None
    evidence: tuple[EvidenceRow, ...]
    plan_id: int | None = None
    due_date: date | None = None  # the deadline as it applies in the period (recurring ones repeat)
    timeframe_summary: str = ""  # "Hạn: 31/12/2021", "Thường xuyên", "Chưa đọc được thời hạn"
    unread_clauses: tuple[str, ...] = ()  # parts of the timeframe text a person must read
    state: TaskState | None = None  # the effective state the progress fields above are read from

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def provenance(self) -> str:
        """"Tiến độ chuyển từ kỳ 6 tháng đầu năm 2021 (chưa ghi nhận trong kỳ này)." or ""."""
        return self.state.summary() if self.state is not None else ""


def task_detail(session: Session, task_id: int, period_id: int | str, *, today: date | None = None) -> TaskDetail:
    """A task and its effective state in a period (id, or code such as "2022-Q1"): recorded in the period
    or carried from an earlier one, evidence included (``task_state``). A period not in the database
    yet has nothing recorded in it; its state is still carried and derived."""
    task = get_task(session, task_id)
    period, spec = period_or_code(session, period_id)
    state = task_state(session, task, period if period is not None else spec, today=today)
    plan = task.plan
    tf = parse_timeframe(task.timeframe_text, plan_year=plan.year_from if plan.year_from == plan.year_to else None,
                         recurring_year=plan.year_from)
    return TaskDetail(
        task_id=task.id, area_numeral=task.area_numeral, area_title=task.area_title, number=task.number,
        objective=task.objective, title=task.title, output=task.output,
        lead=task.lead_unit.name if task.lead_unit else task.lead_unit_text, partners=task.partner_units_text,
        timeframe_text=task.timeframe_text, timeframe_flagged=task.timeframe_flagged,
        milestones=tuple((m.label, m.due_date) for m in task.milestones),
        activities=tuple((a.title, a.output, a.timeframe_text, a.due_date) for a in task.activities),
        period_code=spec.code,
        entered_status=state.entered_status,
        status=state.status,
        percent_done=state.percent_done,
        completed_on=state.completed_on,
        result_text=state.result_text,
        difficulties=state.difficulties,
        evidence=state.evidence,
        plan_id=task.plan_id,
        due_date=state.deadline,
        timeframe_summary=describe_timeframe(tf),
        unread_clauses=tf.unparsed_clauses,
        state=state,
    )
