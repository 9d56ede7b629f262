"""Where the window opens: the reporting period to start on, and Trang chủ, the work of that period.

The current reporting period is the quarter whose data window (the unit's cut-off day, Decree 09's
15th-to-14th by default) holds today. A database with no data there — the demo, whose data is all in
2021, or an office that has not started this quarter — opens on the latest period that has data
instead, so the first screen a clerk sees is never empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.intake.completeness import completeness, expected_children
from core.periods import PeriodRules, PeriodSpec, parse_period_code
from core.plans.overview import overview
from core.plans.status import period_rules
from core.returns.validation import validate_return
from core.vnformat import format_date, format_number
from db.models import Period, Return, TaskProgress, Unit


def current_period(today: date, rules: PeriodRules | None = None) -> PeriodSpec:
    """The quarter being reported on: the one whose data window holds ``today``."""
    for year in (today.year, today.year + 1):
        for q in range(1, 5):
            spec = parse_period_code(f"{year}-Q{q}")
            first, last = spec.data_window(rules)
            if first <= today <= last:
                return spec
    return parse_period_code(f"{today.year}-Q4")  # pragma: no cover - the windows tile the calendar


def _has_data(session: Session, period_id: int, unit_id: int | None) -> bool:
    returns = select(Return.id).where(Return.period_id == period_id)
    if unit_id is not None:
        returns = returns.where(Return.unit_id == unit_id)
    progress = select(TaskProgress.id).where(TaskProgress.period_id == period_id)
    return bool(session.scalar(select(exists(returns) | exists(progress))))


def periods_with_data(session: Session, unit_id: int | None = None) -> list[PeriodSpec]:
    """Periods holding a return (of ``unit_id``, if given) or task progress, newest first."""
    rows = session.scalars(select(Period).order_by(Period.end_date.desc(), Period.code.desc())).all()
    return [parse_period_code(p.code) for p in rows if _has_data(session, p.id, unit_id)]


def start_period(session: Session, unit_id: int | None, today: date | None = None,
                 *, prefer_data: bool = False) -> PeriodSpec:
    """The period the window opens on: the current one if it has data (and ``prefer_data`` is not
    asked for, as ``--demo`` does), else the latest period with data, else the current one."""
    today = today or date.today()
    current = current_period(today, period_rules(session, unit_id))
    found = session.scalar(select(Period).where(Period.code == current.code))
    if not prefer_data and found is not None and _has_data(session, found.id, unit_id):
        return current
    with_data = periods_with_data(session, unit_id) or periods_with_data(session)
    return with_data[0] if with_data else current


# --- Trang chủ: the work of the period on one screen -------------------------------------------

@dataclass(frozen=True)
class HomeLine:
    """One line of Trang chủ: its text, how it stands (ok | warning | error | info) and the screen it
    opens (``target``: plans | plans_overdue | plans_due | return | return_problems | consolidation)."""

    text: str
    state: str
    target: str


@dataclass(frozen=True)
class HomeSummary:
    unit_name: str
    period_label: str
    tasks: tuple[HomeLine, ...]
    return_lines: tuple[HomeLine, ...]
    intake: tuple[HomeLine, ...]  # empty for a unit with no units under it


def home_summary(session: Session, unit_id: int, period_code: str, today: date | None = None) -> HomeSummary:
    """Trang chủ for a unit and period: tasks done X/Y, overdue, due in 30 days; the return's status,
    blanks, errors and days to the due date; for a parent, returns received X/Y, late, pending review."""
    today = today or date.today()
    unit = session.get(Unit, unit_id)
    spec = parse_period_code(period_code)
    rules = period_rules(session, unit_id)
    return HomeSummary(unit.name, spec.label, _task_lines(session, unit_id, spec, today),
                       _return_lines(session, unit, spec, rules, today), _intake_lines(session, unit, spec))


def _task_lines(session: Session, unit_id: int, spec: PeriodSpec, today: date) -> tuple[HomeLine, ...]:
    view = overview(session, unit_id, spec.code, today=today, days=30)
    if not view.total:
        return (HomeLine(f"Chưa có kế hoạch CCHC nào của đơn vị cho năm {spec.year}: nhập kế hoạch từ Excel.",
                         "info", "plans"),)
    return (
        HomeLine(f"Nhiệm vụ hoàn thành: {view.done}/{view.total}", "ok" if view.done == view.total else "info",
                 "plans"),
        HomeLine(f"Nhiệm vụ quá hạn: {len(view.overdue)}", "error" if view.overdue else "ok", "plans_overdue"),
        HomeLine(f"Nhiệm vụ đến hạn trong 30 ngày tới: {len(view.due_soon)}", "warning" if view.due_soon else "ok",
                 "plans_due"),
    )


def _days_phrase(days: int) -> str:
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "hạn là hôm nay"
    return f"đã quá hạn {-days} ngày"


def _return_lines(session: Session, unit: Unit, spec: PeriodSpec, rules: PeriodRules,
                  today: date) -> tuple[HomeLine, ...]:
    due = spec.due_date(rules)
    period = session.scalar(select(Period).where(Period.code == spec.code))
    ret = None
    if period is not None:
        ret = session.scalar(select(Return).where(Return.unit_id == unit.id, Return.period_id == period.id)
                             .order_by(Return.id.desc()))
    due_text = f"Hạn gửi báo cáo: {format_date(due)}"
    if ret is None:
        late = today > due
        return (HomeLine("Báo cáo số liệu: chưa lập", "error" if late else "warning", "return"),
                HomeLine(f"{due_text} ({_days_phrase((due - today).days)})", "error" if late else "info", "return"))
    if ret.status == "submitted":
        when = format_date(ret.submitted_at.date()) if ret.submitted_at else ""
        return (HomeLine(f"Báo cáo số liệu: đã hoàn thành {when}".rstrip(), "ok", "return"),
                HomeLine(due_text, "ok", "return"))
    report = validate_return(session, ret)
    late = today > due
    return (
        HomeLine("Báo cáo số liệu: đang nhập", "warning", "return"),
        HomeLine(f"Chỉ tiêu chưa có số liệu: {format_number(len(report.blank))}",
                 "warning" if report.blank else "ok", "return_blanks"),
        HomeLine(f"Lỗi cần sửa: {len(report.errors)}", "error" if report.errors else "ok", "return_problems"),
        HomeLine(f"{due_text} ({_days_phrase((due - today).days)})", "error" if late else "info", "return"),
    )


def _intake_lines(session: Session, unit: Unit, spec: PeriodSpec) -> tuple[HomeLine, ...]:
    if not expected_children(session, unit, spec):
        return ()
    board = completeness(session, unit.id, spec.code)
    c = board.counts()
    return (
        HomeLine(f"Báo cáo đã nhận từ đơn vị trực thuộc: {c['received']}/{c['expected']}",
                 "ok" if c["received"] == c["expected"] else "warning", "consolidation"),
        HomeLine(f"Đơn vị gửi muộn: {c.get('late', 0)}", "warning" if c.get("late") else "ok", "consolidation"),
        HomeLine(f"Báo cáo chờ xem xét: {c.get('pending', 0)}", "warning" if c.get("pending") else "ok",
                 "consolidation"),
    )
