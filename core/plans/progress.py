"""Task progress per period (Tiến độ thực hiện): recording it, and carrying it forward to a later period.

A person chooses one of three states; on time, late and overdue are derived (``core.plans.status``).
What a task stands at in a period — recorded then or carried from an earlier period — is read through
ONE function, ``core.plans.task_state.task_state``; recording starts from it.

Recording: saving a state equal to the task's effective state changes nothing (no record, no
audit entry). The first change in a period creates that period's record from the carried state,
evidence included, so nothing carried is lost. ``TaskProgress.status`` stores the derived status
as of the record's period; ``entered_status`` keeps what was chosen.

Every change is recorded in the audit log. Functions work in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core import audit
from core.errors import Refused
from core.org.unit_lifetimes import UnitPeriodError, require_unit_in_period
from core.org.units import fold
from core.periods import PeriodSpec, parse_period_code, spec_of
from core.plans.status import (
    STATUS_LABELS,
    effective_status,
    period_rules,
    repeats_yearly,
)
from core.plans.task_state import TaskState, task_state, task_states
from core.vnformat import NumberParseError, date_problem, format_date, nfc, parse_number
from db.models import Evidence, Period, Plan, Task, TaskProgress

__all__ = [
    "ProgressError",
    "carry_forward",
    "clean_text",
    "get_period",
    "get_task",
    "own_record",
    "parse_day",
    "period_or_code",
    "carry_targets",
    "get_progress",
    "next_period_code",
    "save_progress",
]


_STATUS_WORDS = {
    "not_started": "not_started", "chua trien khai": "not_started", "chua thuc hien": "not_started",
    "in_progress": "in_progress", "dang thuc hien": "in_progress", "dang trien khai": "in_progress",
    "done": "done", "hoan thanh": "done", "da hoan thanh": "done",
    "done_on_time": "done", "hoan thanh dung han": "done",
    "done_late": "done", "hoan thanh qua han": "done",
}


class ProgressError(Refused):
    """Progress input that breaks a rule; ``str()`` is a Vietnamese message."""


# --- editing progress -----------------------------------------------------------------------------

def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise ProgressError(f"Không tìm thấy nhiệm vụ (mã {task_id}).")
    return task


def get_period(session: Session, period_id: int) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise ProgressError(f"Không tìm thấy kỳ báo cáo (mã {period_id}).")
    return period


def period_or_code(session: Session, period: int | str) -> tuple[Period | None, PeriodSpec]:
    """A period given by id (must exist) or by code (may not be in the database yet)."""
    if isinstance(period, str):
        spec = parse_period_code(period)
        return session.scalar(select(Period).where(Period.code == spec.code)), spec
    row = get_period(session, period)
    return row, spec_of(row)


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    text = nfc(value).strip()
    return text or None


def _entry(status: str) -> str:
    key = fold(str(status or "")).replace("_", " ").strip()
    if key == "overdue" or key.startswith("qua han"):
        raise ProgressError(
            "Trạng thái “Quá hạn chưa hoàn thành” do chương trình tự xác định từ thời hạn của nhiệm vụ và "
            "ngày chốt số liệu của kỳ; hãy chọn Chưa triển khai, Đang thực hiện hoặc Hoàn thành."
        )
    found = _STATUS_WORDS.get(key) or _STATUS_WORDS.get(key.replace(" ", "_"))
    if found is None:
        raise ProgressError(
            f"Trạng thái “{status}” không hợp lệ. Chọn Chưa triển khai, Đang thực hiện hoặc Hoàn thành."
        )
    return found


def _percent(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = parse_number(value)  # type: ignore[arg-type]
    except NumberParseError as exc:
        raise ProgressError(f"Tỉ lệ hoàn thành: {exc}") from None
    if number is None:
        return None
    if not Decimal(0) <= number <= Decimal(100):
        raise ProgressError(f"Tỉ lệ hoàn thành phải từ 0 đến 100% (đã nhập {value}).")
    return float(number)


def parse_day(value: object, label: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        pass
    day, problem = date_problem(text)
    if problem:
        raise ProgressError(f"{label} “{value}” {problem}.")
    return day


def get_progress(session: Session, task_id: int, period_id: int) -> TaskProgress | None:
    return session.scalar(
        select(TaskProgress).where(TaskProgress.task_id == task_id, TaskProgress.period_id == period_id)
    )


def _rules_for(session: Session, task: Task):  # noqa: ANN202 - core.periods.PeriodRules
    return period_rules(session, task.plan.unit_id if task.plan is not None else None)


_AUDITED = ("entered_status", "status", "percent_done", "completed_on", "result_text", "difficulties")


def _same_state(state: TaskState, chosen: str, percent: float | None, done_on: date | None, result: str | None,
                trouble: str | None) -> bool:
    """The input restates the task's effective state (a done task's blank percentage reads as 100)."""
    def pct(status: str, value: float | None) -> float | None:
        return 100.0 if status == "done" and value is None else value

    return (chosen == state.entered_status and pct(chosen, percent) == pct(state.entered_status, state.percent_done)
            and done_on == state.completed_on and result == clean_text(state.result_text)
            and trouble == clean_text(state.difficulties))


def own_record(session: Session, task: Task, period: Period, state: TaskState,
            user: str | None) -> tuple[TaskProgress, dict[int, Evidence]]:
    """The task's record in ``period``; when missing, created from ``state`` (the state carried into
    the period, evidence copied) so that recording one change there loses nothing carried.
    Returns the record and, for a new one, each carried evidence id's copy."""
    progress = get_progress(session, task.id, period.id)
    if progress is not None:
        return progress, {}
    progress = TaskProgress(
        task=task, period=period, entered_status=state.entered_status, percent_done=state.percent_done,
        completed_on=state.completed_on, result_text=state.result_text, difficulties=state.difficulties,
    )
    copies = {}
    for ev in state.evidence:
        copy = Evidence(document_number=ev.document_number, document_date=ev.document_date, summary=ev.summary,
                        file_name=ev.file_name, stored_path=ev.stored_path, sha256=ev.sha256,
                        file_size=ev.file_size)
        progress.evidence.append(copy)
        copies[ev.id] = copy
    progress.status = state.status  # a done record without a completion date keeps its status
    progress.status = effective_status(task, progress, spec_of(period), _rules_for(session, task))
    session.add(progress)
    session.flush()
    carried = state.record.period_code if state.has_record else None
    audit.record(session, "create", "task_progress", progress.id, user=user,
                 old=carried, new=f"nhiệm vụ {task.id}, kỳ {period.code}: {STATUS_LABELS[progress.status]}")
    return progress, copies


def save_progress(
    session: Session,
    task_id: int,
    period_id: int,
    *,
    status: str,
    percent_done: float | str | None = None,
    completed_on: date | str | None = None,
    result_text: str | None = None,
    difficulties: str | None = None,
    user: str | None = None,
) -> TaskState:
    """Record a task's progress in a period after checking it (Vietnamese ``ProgressError``); returns
    the task's state in the period afterwards.

    ``status``: not_started | in_progress | done (Vietnamese labels accepted). A done task needs its
    completion date, not after the period's cut-off; its percentage is 100 (filled in when blank).
    Input equal to the state the task already has in the period — recorded there or carried from
    an earlier period — changes nothing: no record, no audit entry, no status change.
    """
    task = get_task(session, task_id)
    period = get_period(session, period_id)
    spec = spec_of(period)
    if task.plan is not None and task.plan.unit is not None:
        try:
            require_unit_in_period(session, task.plan.unit, spec, "tiến độ nhiệm vụ")
        except UnitPeriodError as exc:
            raise ProgressError(str(exc)) from None
    rules = _rules_for(session, task)
    chosen = _entry(status)
    percent = _percent(percent_done)
    done_on = parse_day(completed_on, "Ngày hoàn thành")
    result, trouble = clean_text(result_text), clean_text(difficulties)
    current = task_state(session, task, period)
    if _same_state(current, chosen, percent, done_on, result, trouble):
        return current
    cutoff = spec.data_window(rules)[1]
    if chosen == "done":
        if done_on is None:
            raise ProgressError("Nhiệm vụ đã hoàn thành cần có ngày hoàn thành.")
        if done_on > cutoff:
            raise ProgressError(
                f"Ngày hoàn thành {format_date(done_on)} sau ngày chốt số liệu của kỳ {spec.label} "
                f"({format_date(cutoff)}): hãy báo cáo ở kỳ sau."
            )
        if percent is None:
            percent = 100.0
        elif percent != 100:
            raise ProgressError(f"Nhiệm vụ đã hoàn thành thì tỉ lệ hoàn thành là 100% (đã nhập {percent_done}).")
    else:
        if done_on is not None:
            raise ProgressError("Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.")
        if chosen == "not_started" and percent:
            raise ProgressError("Nhiệm vụ chưa triển khai thì tỉ lệ hoàn thành là 0 hoặc để trống.")
        if percent == 100:
            raise ProgressError("Đã đạt 100%: hãy chọn trạng thái Hoàn thành và ghi ngày hoàn thành.")

    progress, _ = own_record(session, task, period, current, user)
    old = {k: getattr(progress, k) for k in _AUDITED}
    progress.entered_status = chosen
    progress.percent_done = percent
    progress.completed_on = done_on
    progress.result_text = result
    progress.difficulties = trouble
    progress.status = effective_status(task, progress, spec, rules)
    session.flush()
    for k in _AUDITED:
        new = getattr(progress, k)
        if new != old[k]:
            audit.record(session, "update", "task_progress", progress.id, field=k, old=old[k], new=new, user=user)
    return task_state(session, task, period)


# --- carrying forward -----------------------------------------------------------------------------

def carry_targets(code: str) -> list[str]:
    """The periods progress is carried to from ``code``, the usual one first.

    Quý I → 6 tháng đầu năm; Quý II and 6 tháng đầu năm → Quý III or 9 tháng (the person picks,
    as units report either); Quý III and 9 tháng → Quý IV; Quý IV and Năm → Quý I of the next year.
    (``carry_forward`` itself accepts any later period.)
    """
    spec = parse_period_code(code)
    y = spec.year
    if spec.kind == "quarter" and spec.number == 1:
        return [f"{y}-H1"]
    if spec.kind == "half" or (spec.kind == "quarter" and spec.number == 2):
        return [f"{y}-Q3", f"{y}-9M"]
    if spec.kind == "nine_months" or (spec.kind == "quarter" and spec.number == 3):
        return [f"{y}-Q4"]
    return [f"{y + 1}-Q1"]  # Quý IV, Năm


def next_period_code(code: str) -> str:
    """The period progress is usually carried to after ``code`` (``carry_targets``' first)."""
    return carry_targets(code)[0]


@dataclass
class CarryResult:
    copied: list[int] = field(default_factory=list)  # task ids
    skipped: list[int] = field(default_factory=list)  # already had progress in the target period
    restarted: list[int] = field(default_factory=list)  # yearly tasks: a new year is a new cycle
    target_year: int | None = None

    @property
    def message(self) -> str:
        text = f"Đã chuyển tiến độ của {len(self.copied)} nhiệm vụ sang kỳ mới"
        if self.skipped:
            text += f"; {len(self.skipped)} nhiệm vụ đã có tiến độ ở kỳ mới nên giữ nguyên"
        if self.restarted:
            text += (f"; {len(self.restarted)} nhiệm vụ thực hiện hằng năm bắt đầu chu kỳ mới của năm "
                     f"{self.target_year} nên không chuyển")
        return text + "."


def carry_forward(
    session: Session,
    plan_id: int,
    from_period_id: int,
    to_period_id: int,
    *,
    task_ids: Iterable[int] | None = None,
    overwrite: bool = False,
    user: str | None = None,
) -> CarryResult:
    """Copy each task's state as of the source period (status, %, completion date, texts, evidence;
    recorded there or carried into it) to a later period, as that period's record.

    Tasks that already have progress in the target period are kept unless ``overwrite``. The
    status is derived again against the new period's cut-off (a task may become overdue). A task
    with a yearly deadline is not carried into another year: each year is a new cycle.
    """
    source = get_period(session, from_period_id)
    target = get_period(session, to_period_id)
    if target.end_date <= source.end_date:
        raise ProgressError(
            f"Kỳ nhận ({spec_of(target).label}) phải sau kỳ nguồn ({spec_of(source).label})."
        )
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise ProgressError(f"Không tìm thấy kế hoạch (mã {plan_id}).")
    rules = period_rules(session, plan.unit_id)
    spec = spec_of(target)
    wanted = set(task_ids) if task_ids is not None else None
    tasks = [t for t in session.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.sort_order))
             if wanted is None or t.id in wanted]
    states = task_states(session, tasks, source, rules=rules)
    existing = {
        p.task_id: p for p in session.scalars(
            select(TaskProgress).join(Task).where(Task.plan_id == plan_id, TaskProgress.period_id == target.id)
            .options(selectinload(TaskProgress.evidence)))
    }
    result = CarryResult(target_year=target.year)
    for task in tasks:
        st = states[task.id]
        if not st.has_record:
            continue
        if repeats_yearly(task) and target.year != source.year:
            result.restarted.append(task.id)
            continue
        dst = existing.get(task.id)
        if dst is not None and not overwrite:
            result.skipped.append(task.id)
            continue
        if dst is None:
            dst = TaskProgress(task=task, period=target)
            session.add(dst)
        else:
            dst.evidence.clear()
        dst.entered_status = st.entered_status
        dst.percent_done = st.percent_done
        dst.completed_on = st.completed_on
        dst.result_text = st.result_text
        dst.difficulties = st.difficulties
        dst.status = st.status  # a done record without a completion date keeps its status
        dst.status = effective_status(task, dst, spec, rules)
        for ev in st.evidence:
            dst.evidence.append(Evidence(
                document_number=ev.document_number, document_date=ev.document_date, summary=ev.summary,
                file_name=ev.file_name, stored_path=ev.stored_path, sha256=ev.sha256, file_size=ev.file_size,
            ))
        session.flush()
        audit.record(session, "carry_forward", "task_progress", dst.id, user=user,
                     old=source.code, new=f"{target.code}: {STATUS_LABELS[dst.status]}")
        result.copied.append(task.id)
    return result
