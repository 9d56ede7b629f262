"""A task's effective state as of a period: one state per task per period (issue 11, item 2).

Every screen, count and report reads task progress through ``task_state`` / ``task_states``:
the task list and detail, the home overview and its headline, 1.1.1/1.1.2 brought in from the
plan, Phụ lục II of the exported return, the narrative and the completeness board. Nothing
else reads ``TaskProgress`` rows to decide what a task's status is.

The rules:

- **Which record.** A task's state as of period P is read from its progress records in periods
  that ended no later than P (P's own record wins a tie with another period ending the same day,
  e.g. Quý III and 9 tháng). A task completed in 6 tháng đầu năm is still completed in Quý III
  without anyone copying it forward.
- **Where each part came from.** Status, percentage, completion date, result, difficulties and
  evidence each carry a ``Source``: recorded in P, carried from an earlier period (named), or
  nothing recorded. A part counts as carried when it is unchanged since that earlier period.
- **Status is derived** as of P (``derive_status``): a task the person marked done is on time or
  late by its completion date against the deadline; a task not done is overdue once its deadline
  is before P's data cut-off (or ``today`` if earlier); a task without a deadline never is.
- **Yearly deadlines** ("Tháng 6 hằng năm", "hàng năm" in a 2026–2030 plan) repeat in every
  year of the plan, and each year is a new cycle: records from an earlier year are not carried
  into a later one, so a completion in 2026 does not satisfy 2027's deadline. In 2027 the task
  is "Chưa triển khai" until something is recorded in a 2027 period, and overdue once 30/06/2027
  has passed at the period's cut-off. ``TaskState.previous_cycle`` names the earlier record.
- **Which tasks count.** ``reporting_plans`` are the unit's plans for the period's year (the
  narrowest span wins: a 2027 plan over the 2026–2030 one); a heading task with sub-tasks
  ("1" over "1.1, 1.2") is listed but not counted, its sub-tasks are (``counted_tasks``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from core.errors import NotFound
from core.periods import PeriodRules, PeriodSpec, parse_period_code, spec_of
from core.plans.status import (
    DONE_STATUSES,
    STATUS_LABELS,
    deadline,
    derive_status,
    entered_status,
    period_rules,
    reference_date,
    repeats_yearly,
)
from db.models import Period, Plan, Task, TaskProgress

__all__ = [
    "CARRIED",
    "EvidenceRow",
    "NOT_RECORDED",
    "RECORDED",
    "STATE_FIELDS",
    "Source",
    "TaskState",
    "counted_tasks",
    "evidence_key",
    "reporting_plans",
    "sub_plans",
    "resolve_period",
    "task_state",
    "task_states",
]


RECORDED, CARRIED, NOT_RECORDED = "recorded", "carried", "none"


# The parts of a state a person records, in the order screens show them.
STATE_FIELDS = ("entered_status", "percent_done", "completed_on", "result_text", "difficulties", "evidence")


# --- the read model -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """Where a part of a task's state came from."""

    kind: str  # recorded | carried | none
    period_code: str | None = None
    period_label: str | None = None

    @property
    def carried(self) -> bool:
        return self.kind == CARRIED

    @property
    def text(self) -> str:
        """"ghi nhận trong kỳ này", "chuyển từ kỳ 6 tháng đầu năm 2021", "chưa ghi nhận"."""
        if self.kind == RECORDED:
            return "ghi nhận trong kỳ này"
        if self.kind == CARRIED:
            return f"chuyển từ kỳ {self.period_label}"
        return "chưa ghi nhận"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "period": self.period_code, "period_label": self.period_label}


NOTHING = Source(NOT_RECORDED)


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    document_number: str | None
    document_date: date | None
    summary: str | None
    file_name: str | None
    stored_path: str | None
    sha256: str | None
    file_size: int | None
    source: Source = NOTHING  # the period it was first attached in (unchanged since)

    def as_dict(self) -> dict:
        return {"id": self.id, "document_number": self.document_number,
                "document_date": self.document_date.isoformat() if self.document_date else None,
                "summary": self.summary, "file_name": self.file_name, "sha256": self.sha256,
                "source": self.source.as_dict()}


@dataclass(frozen=True)
class TaskState:
    """A task's effective state as of one period, and where each part of it came from."""

    task_id: int
    period_code: str
    period_label: str
    reference_date: date  # the day status is judged on (the period's cut-off, or ``today``)
    deadline: date | None  # as it applies in the period (a yearly deadline repeats)
    recurring: bool
    entered_status: str  # not_started | in_progress | done: what the person chose
    status: str  # derived as of the period
    percent_done: float | None
    completed_on: date | None
    result_text: str | None
    difficulties: str | None
    evidence: tuple[EvidenceRow, ...]
    sources: Mapping[str, Source] = field(default_factory=dict)  # STATE_FIELDS → Source
    record_id: int | None = None  # the progress record the state is read from
    record: Source = NOTHING  # that record's period
    previous_cycle: Source | None = None  # a yearly task: an earlier year's record, not carried

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"

    @property
    def has_record(self) -> bool:
        return self.record_id is not None

    @property
    def recorded_here(self) -> bool:
        """Something of the state was recorded in this period itself."""
        return any(s.kind == RECORDED for s in self.sources.values())

    @property
    def carried_from(self) -> Source | None:
        """The earlier period the whole state comes from, when nothing was recorded in this one."""
        if not self.has_record or self.recorded_here:
            return None
        return self.sources.get("entered_status") if self.record.kind == RECORDED else self.record

    def source(self, part: str) -> Source:
        return self.sources.get(part, NOTHING)

    def summary(self) -> str:
        """"Tiến độ chuyển từ kỳ 6 tháng đầu năm 2021 (chưa ghi nhận trong kỳ này)." or ""."""
        carried = self.carried_from
        if carried is not None:
            return f"Tiến độ chuyển từ kỳ {carried.period_label} (chưa ghi nhận trong kỳ này)."
        if not self.has_record and self.previous_cycle is not None:
            return (f"Nhiệm vụ thực hiện hằng năm: chưa ghi nhận tiến độ trong năm {self.period_code[:4]} "
                    f"(kết quả kỳ {self.previous_cycle.period_label} thuộc năm trước, không tính cho năm nay).")
        if not self.has_record:
            return "Chưa ghi nhận tiến độ."
        return ""

    def as_dict(self) -> dict:
        """The read model with stable keys (``task --json``)."""
        # Keyed as the values below are ("result" is ``result_text``); "status" is derived from the
        # entered status, so it comes from where that was recorded.
        keys = {"entered_status": "entered_status", "percent_done": "percent_done", "completed_on": "completed_on",
                "result_text": "result", "difficulties": "difficulties", "evidence": "evidence"}
        parts = {keys[k]: self.source(k).as_dict() for k in STATE_FIELDS}
        parts["status"] = parts["entered_status"]
        return {
            "task_id": self.task_id,
            "period": self.period_code,
            "period_label": self.period_label,
            "reference_date": self.reference_date.isoformat(),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "recurring": self.recurring,
            "status": self.status,
            "status_label": self.status_label,
            "entered_status": self.entered_status,
            "done": self.done,
            "overdue": self.overdue,
            "percent_done": self.percent_done,
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "result": self.result_text,
            "difficulties": self.difficulties,
            "evidence": [e.as_dict() for e in self.evidence],
            "sources": parts,
            "recorded_in_period": self.recorded_here,
            "carried_from": self.carried_from.period_code if self.carried_from else None,
            "record_period": self.record.period_code,
            "previous_cycle": self.previous_cycle.as_dict() if self.previous_cycle else None,
        }


PeriodRef = Period | PeriodSpec | str | int


def resolve_period(session: Session, period: PeriodRef) -> tuple[Period | None, PeriodSpec]:
    """A period given as a row, a spec, an id (must exist) or a code (may not be in the database yet)."""
    if isinstance(period, Period):
        return period, spec_of(period)
    if isinstance(period, int) and not isinstance(period, bool):
        row = session.get(Period, period)
        if row is None:
            raise NotFound(f"Không tìm thấy kỳ báo cáo (mã {period}).")
        return row, spec_of(row)
    spec = period if isinstance(period, PeriodSpec) else parse_period_code(str(period))
    return session.scalar(select(Period).where(Period.code == spec.code)), spec


def evidence_key(e) -> tuple:  # noqa: ANN001 - an Evidence row or an EvidenceRow
    """What makes two evidence rows the same document (a carried copy has a new id)."""
    return (e.document_number, e.document_date, e.summary, e.file_name, e.sha256)


def _chains(session: Session, task_ids: list[int], spec: PeriodSpec,
            own_id: int | None) -> dict[int, list[TaskProgress]]:
    """Each task's records in periods ended by ``spec``'s end, oldest first (this period's own last on a tie)."""
    chains: dict[int, list[TaskProgress]] = {}
    for i in range(0, len(task_ids), 500):  # stay under the database's limit on bound parameters
        part = task_ids[i:i + 500]
        rows = session.scalars(
            select(TaskProgress)
            .join(Period, Period.id == TaskProgress.period_id)
            .where(TaskProgress.task_id.in_(part), Period.end_date <= spec.end_date)
            .order_by(TaskProgress.task_id, Period.end_date, case((Period.id == own_id, 1), else_=0),
                      TaskProgress.updated_at, TaskProgress.id)
            .options(contains_eager(TaskProgress.period), selectinload(TaskProgress.evidence))
        )
        for p in rows:
            chains.setdefault(p.task_id, []).append(p)
    return chains


def _source(row: TaskProgress, own_id: int | None) -> Source:
    return Source(RECORDED if row.period_id == own_id else CARRIED, row.period.code, spec_of(row.period).label)


def _run_start(chain: list[TaskProgress], same) -> TaskProgress:  # noqa: ANN001 - a predicate on a row
    """The first record of the unbroken run at the end of ``chain`` for which ``same(row)`` holds."""
    i = len(chain) - 1
    while i > 0 and same(chain[i - 1]):
        i -= 1
    return chain[i]


def _state(task: Task, chain: list[TaskProgress], spec: PeriodSpec, own_id: int | None, rules: PeriodRules,
           today: date | None) -> TaskState:
    previous: Source | None = None
    if repeats_yearly(task):
        earlier = [p for p in chain if p.period.year != spec.year]
        chain = [p for p in chain if p.period.year == spec.year]
        if earlier:
            previous = _source(earlier[-1], own_id)
    ref = reference_date(spec, rules, today)
    due = deadline(task, spec)
    if not chain:
        return TaskState(task.id, spec.code, spec.label, ref, due, bool(task.recurring), "not_started",
                         derive_status(task, "not_started", None, None, spec, rules, today), None, None, None,
                         None, (), dict.fromkeys(STATE_FIELDS, NOTHING), None, NOTHING, previous)
    last = chain[-1]
    getters = {
        "entered_status": entered_status,
        "percent_done": lambda p: p.percent_done,
        "completed_on": lambda p: p.completed_on,
        "result_text": lambda p: p.result_text,
        "difficulties": lambda p: p.difficulties,
        "evidence": lambda p: sorted(map(evidence_key, p.evidence), key=repr),
    }
    sources = {}
    for name, get in getters.items():
        value = get(last)
        sources[name] = _source(_run_start(chain, lambda p, g=get, v=value: g(p) == v), own_id)
    evidence = []
    for e in sorted(last.evidence, key=lambda e: e.id):  # as attached (copies keep the order)
        key = evidence_key(e)
        first = _run_start(chain, lambda p, k=key: any(evidence_key(x) == k for x in p.evidence))
        evidence.append(EvidenceRow(e.id, e.document_number, e.document_date, e.summary, e.file_name,
                                    e.stored_path, e.sha256, e.file_size, _source(first, own_id)))
    chosen = entered_status(last)
    return TaskState(
        task_id=task.id, period_code=spec.code, period_label=spec.label, reference_date=ref, deadline=due,
        recurring=bool(task.recurring), entered_status=chosen,
        status=derive_status(task, chosen, last.completed_on, last.status, spec, rules, today),
        percent_done=last.percent_done, completed_on=last.completed_on, result_text=last.result_text,
        difficulties=last.difficulties, evidence=tuple(evidence), sources=sources, record_id=last.id,
        record=_source(last, own_id), previous_cycle=previous,
    )


def task_states(
    session: Session,
    tasks: Iterable[Task],
    period: PeriodRef,
    *,
    today: date | None = None,
    rules: PeriodRules | None = None,
) -> dict[int, TaskState]:
    """The effective state of each task as of ``period`` (a row, spec, id or code), by task id.

    ``rules`` (cut-off and due day) default to those of each task's plan unit.
    """
    tasks = list(tasks)
    if not tasks:
        return {}
    period_row, spec = resolve_period(session, period)
    own_id = period_row.id if period_row is not None else None
    chains = _chains(session, [t.id for t in tasks], spec, own_id)
    unit_rules: dict[int | None, PeriodRules] = {}
    out = {}
    for t in tasks:
        r = rules
        if r is None:
            unit_id = t.plan.unit_id if t.plan is not None else None
            if unit_id not in unit_rules:
                unit_rules[unit_id] = period_rules(session, unit_id)
            r = unit_rules[unit_id]
        out[t.id] = _state(t, chains.get(t.id, []), spec, own_id, r, today)
    return out


def task_state(session: Session, task: Task | int, period: PeriodRef, *, today: date | None = None) -> TaskState:
    """A task's effective state as of ``period``: status, percentage, dates, result, difficulties and
    evidence, each with where it came from (recorded in this period or carried from an earlier one)."""
    if not isinstance(task, Task):
        found = session.get(Task, task)
        if found is None:
            raise NotFound(f"Không tìm thấy nhiệm vụ (mã {task}).")
        task = found
    return task_states(session, [task], period, today=today)[task.id]


# --- which tasks count ----------------------------------------------------------------------------

def reporting_plans(session: Session, unit_id: int, year: int) -> list[Plan]:
    """The unit's plans a report of ``year`` counts: those covering the year with the narrowest span
    (a 2027 plan before the 2026–2030 one; two plans of 2027 both count), oldest first."""
    plans = list(session.scalars(
        select(Plan).where(Plan.unit_id == unit_id, Plan.year_from <= year, Plan.year_to >= year,
                           Plan.parent_plan_id.is_(None))  # a sub-plan is reported on its own (``sub_plans``)
        .order_by(Plan.id)
    ))
    if not plans:
        return []
    narrowest = min(p.year_to - p.year_from for p in plans)
    return [p for p in plans if p.year_to - p.year_from == narrowest]


def sub_plans(session: Session, unit_id: int, year: int) -> list[Plan]:
    """The unit's sub-plans for ``year`` (Kế hoạch tuyên truyền, Kế hoạch kiểm tra …), oldest first."""
    return list(session.scalars(
        select(Plan).where(Plan.unit_id == unit_id, Plan.year_from <= year, Plan.year_to >= year,
                           Plan.parent_plan_id.is_not(None)).order_by(Plan.id)
    ))


def counted_tasks(tasks: Iterable[Task]) -> list[Task]:
    """The tasks a plan is counted by: those without sub-tasks (a task split into 1.1, 1.2 counts its parts)."""
    tasks = list(tasks)
    parents = {t.parent_task_id for t in tasks if t.parent_task_id is not None}
    return [t for t in tasks if t.id not in parents]
