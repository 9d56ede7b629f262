"""A task's status and the rules that derive it.

A person chooses one of three states (``ENTRY_STATUSES``): chưa triển khai, đang thực hiện, hoàn
thành (with the completion date). "Đúng hạn", "quá hạn" and "quá hạn chưa hoàn thành" are never
typed: ``derive_status`` derives them from the task's deadline (a yearly deadline repeats in every
year of the plan), the period's data cut-off and the completion date.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.periods import PeriodRules, PeriodSpec
from core.vnformat import HALF_UP, format_ratio_sentence
from db.models import Task, TaskProgress, Unit

__all__ = [
    "DONE_STATUSES",
    "ENTRY_LABELS",
    "ENTRY_STATUSES",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "completion_headline",
    "deadline",
    "derive_status",
    "effective_status",
    "entered_status",
    "period_rules",
    "reference_date",
    "repeats_yearly",
]


STATUS_LABELS = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang thực hiện",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "overdue": "Quá hạn chưa hoàn thành",
}
DONE_STATUSES = ("done_on_time", "done_late")
STATUS_ORDER = ("not_started", "in_progress", "done_on_time", "done_late", "overdue")
# What a person chooses; the rest is derived.
ENTRY_STATUSES = ("not_started", "in_progress", "done")
ENTRY_LABELS = {"not_started": "Chưa triển khai", "in_progress": "Đang thực hiện", "done": "Hoàn thành"}


# --- rules ----------------------------------------------------------------------------------------

def period_rules(session: Session, unit_id: int | None) -> PeriodRules:
    """The unit's cut-off and due day (its settings, inherited from its parents), else Decree 09's."""
    from core.org.settings import period_rules_for

    if unit_id is None:
        return PeriodRules()
    return period_rules_for(session, session.get(Unit, unit_id))


def repeats_yearly(task: Task) -> bool:
    """A deadline that repeats every year ("hàng năm", "Tháng 6 hằng năm"), not "Thường xuyên" alone."""
    return bool(task.recurring and task.due_date is not None)


def deadline(task: Task, spec: PeriodSpec | None = None) -> date | None:
    """The task's final deadline as it applies in ``spec``'s year.

    A yearly deadline ("hàng năm", "Tháng 6 hằng năm") repeats in every year of the plan, so in a
    later year the same day and month count (not after the plan's last year); any other deadline
    is the date as written.
    """
    due = task.due_date
    if due is None or spec is None or not task.recurring or due.year >= spec.year:
        return due
    year = spec.year
    plan = task.plan
    if plan is not None and plan.year_to >= due.year:
        year = min(year, plan.year_to)
    try:
        return due.replace(year=year)
    except ValueError:  # 29/02
        return due.replace(year=year, day=28)


def reference_date(spec: PeriodSpec, rules: PeriodRules | None = None, today: date | None = None) -> date:
    """The day status is judged on: the period's data cut-off, or ``today`` if that is earlier."""
    cutoff = spec.data_window(rules)[1]
    return min(today, cutoff) if today is not None else cutoff


def entered_status(progress: TaskProgress | None) -> str:
    """What the person chose; for rows from before the choice was stored, read back from ``status``."""
    if progress is None:
        return "not_started"
    if progress.entered_status in ENTRY_STATUSES:
        return progress.entered_status
    if progress.status in DONE_STATUSES:
        return "done"
    if progress.status == "overdue":
        return "in_progress" if (progress.percent_done or progress.result_text) else "not_started"
    return progress.status if progress.status in ENTRY_STATUSES else "not_started"


def derive_status(
    task: Task,
    chosen: str,
    completed_on: date | None,
    stored_status: str | None,
    spec: PeriodSpec,
    rules: PeriodRules | None = None,
    today: date | None = None,
) -> str:
    """not_started | in_progress | done_on_time | done_late | overdue, derived from the dates.

    Done: on time when completed on or before the deadline, late after it (a done record without
    a completion date keeps its stored status). Not done: overdue once the deadline is before the
    reference day (the period's cut-off, or ``today`` if earlier). No deadline: never overdue.
    """
    due = deadline(task, spec)
    if chosen == "done":
        if completed_on is None:
            return stored_status if stored_status in DONE_STATUSES else "done_on_time"
        return "done_late" if due is not None and completed_on > due else "done_on_time"
    if due is not None and due < reference_date(spec, rules, today):
        return "overdue"
    return chosen


def effective_status(
    task: Task,
    progress: TaskProgress | None,
    period_spec: PeriodSpec,
    rules: PeriodRules | None = None,
    today: date | None = None,
) -> str:
    """``derive_status`` of one progress record (None: nothing recorded)."""
    return derive_status(task, entered_status(progress), progress.completed_on if progress else None,
                         progress.status if progress else None, period_spec, rules, today)


def completion_headline(done: int, total: int, rule: str = HALF_UP) -> str:
    """"hoàn thành 11/38 nhiệm vụ (đạt 28,95%)": the one completion sentence, rounded by the unit's rule."""
    ratio, _, rate = format_ratio_sentence(done, total, rule=rule).partition(" (")
    return f"hoàn thành {ratio} nhiệm vụ ({rate}"
