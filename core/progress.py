"""Task progress per period (Tiến độ thực hiện): recording it, evidence, carrying forward, the task
list and detail, and the home overview.

A person chooses one of three states: chưa triển khai, đang thực hiện, hoàn thành (with the
completion date). "Đúng hạn", "quá hạn" and "quá hạn chưa hoàn thành" are never typed: they are
derived from the task's deadline, the period's data cut-off and the completion date. What a task
stands at in a period — recorded then or carried from an earlier period — is read through ONE
function, ``core.task_state.task_state``; every list, count and report here uses it.

Recording: saving a state equal to the task's effective state changes nothing (no record, no
audit entry). The first change in a period creates that period's record from the carried state,
evidence included, so nothing carried is lost. ``TaskProgress.status`` stores the derived status
as of the record's period; ``entered_status`` keeps what was chosen.

Every change is recorded in the audit log. Functions work in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from core import audit
from core.appdata import attachments_dir
from core.attachments import IN_DATABASE, copy_into, open_stored, store_in_database, stored_path_beside
from core.org.settings import rounding_rule
from core.org.unit_lifetimes import UnitPeriodError, require_unit_in_period
from core.org.units import fold
from core.periods import PeriodSpec, parse_period_code, spec_of
from core.plans import DONE_STATUSES, STATUS_LABELS
from core.task_state import (
    ENTRY_STATUSES,
    EvidenceRow,
    TaskState,
    completion_headline,
    deadline,
    effective_status,
    entered_status,
    evidence_key,
    period_rules,
    reference_date,
    repeats_yearly,
    reporting_plans,
    task_state,
    task_states,
)
from core.timeframe import describe as describe_timeframe
from core.timeframe import parse_timeframe
from core.vnformat import HALF_UP, NumberParseError, format_date, nfc, parse_number
from db.dialect import features_of
from db.models import Evidence, Period, Plan, Task, TaskMilestone, TaskProgress, Unit

__all__ = [
    "ENTRY_STATUSES",
    "ENTRY_LABELS",
    "STATUS_ORDER",
    "ProgressError",
    "period_rules",
    "deadline",
    "reference_date",
    "effective_status",
    "entered_status",
    "get_progress",
    "save_progress",
    "add_evidence",
    "remove_evidence",
    "evidence_file",
    "carry_forward",
    "carry_targets",
    "next_period_code",
    "task_state",
    "task_states",
    "task_statuses",
    "task_detail",
    "overview",
    "completion_headline",
]

ENTRY_LABELS = {"not_started": "Chưa triển khai", "in_progress": "Đang thực hiện", "done": "Hoàn thành"}
STATUS_ORDER = ("not_started", "in_progress", "done_on_time", "done_late", "overdue")
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
DUE_SOON_DAYS = 30

_STATUS_WORDS = {
    "not_started": "not_started", "chua trien khai": "not_started", "chua thuc hien": "not_started",
    "in_progress": "in_progress", "dang thuc hien": "in_progress", "dang trien khai": "in_progress",
    "done": "done", "hoan thanh": "done", "da hoan thanh": "done",
    "done_on_time": "done", "hoan thanh dung han": "done",
    "done_late": "done", "hoan thanh qua han": "done",
}


class ProgressError(ValueError):
    """Progress input that breaks a rule; ``str()`` is a Vietnamese message."""


# --- editing progress -----------------------------------------------------------------------------

def _task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise ProgressError(f"Không tìm thấy nhiệm vụ (mã {task_id}).")
    return task


def _period(session: Session, period_id: int) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise ProgressError(f"Không tìm thấy kỳ báo cáo (mã {period_id}).")
    return period


def _period_or_code(session: Session, period: int | str) -> tuple[Period | None, PeriodSpec]:
    """A period given by id (must exist) or by code (may not be in the database yet)."""
    if isinstance(period, str):
        spec = parse_period_code(period)
        return session.scalar(select(Period).where(Period.code == spec.code)), spec
    row = _period(session, period)
    return row, spec_of(row)


def _clean_text(value: str | None) -> str | None:
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


def _as_date(value: object, label: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ProgressError(f"{label} “{value}” không hợp lệ (dùng dd/mm/yyyy).")


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
            and done_on == state.completed_on and result == _clean_text(state.result_text)
            and trouble == _clean_text(state.difficulties))


def _record(session: Session, task: Task, period: Period, state: TaskState,
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
    task = _task(session, task_id)
    period = _period(session, period_id)
    spec = spec_of(period)
    if task.plan is not None and task.plan.unit is not None:
        try:
            require_unit_in_period(session, task.plan.unit, spec, "tiến độ nhiệm vụ")
        except UnitPeriodError as exc:
            raise ProgressError(str(exc)) from None
    rules = _rules_for(session, task)
    chosen = _entry(status)
    percent = _percent(percent_done)
    done_on = _as_date(completed_on, "Ngày hoàn thành")
    result, trouble = _clean_text(result_text), _clean_text(difficulties)
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

    progress, _ = _record(session, task, period, current, user)
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


# --- evidence -------------------------------------------------------------------------------------

def add_evidence(
    session: Session,
    task_id: int,
    period_id: int,
    *,
    document_number: str | None = None,
    document_date: date | str | None = None,
    summary: str | None = None,
    file: Path | str | None = None,
    db_path: Path | str | None = None,
    user: str | None = None,
) -> Evidence:
    """Attach a document (e.g. "Quyết định số 766/QĐ-UBND") to a task's progress in a period.

    A ``file`` is copied into the app's data folder beside the database
    (``attachments_dir(db_path)/<task id>/<original name>``) with its SHA-256. On a shared server
    (no ``db_path``) the file goes into the database itself (``EvidenceContent``), so every user
    can open it; ``stored_path`` is then ``db:<content id>``.
    """
    task = _task(session, task_id)
    period = _period(session, period_id)
    number = _clean_text(document_number)
    day = _as_date(document_date, "Ngày văn bản")
    text = _clean_text(summary)
    src = Path(file) if file else None
    if not (number or text or src):
        raise ProgressError("Tài liệu kiểm chứng cần có số/ký hiệu văn bản, trích yếu hoặc tệp đính kèm.")
    if number and len(number) > 128:
        raise ProgressError("Số/ký hiệu văn bản quá dài (tối đa 128 ký tự).")
    in_database = db_path is None and not features_of(session).embedded
    if src is not None:
        if db_path is None and not in_database:
            raise ProgressError("Không đính kèm được tệp: chưa biết thư mục dữ liệu của chương trình.")
        if not src.is_file():
            raise ProgressError(f"Không tìm thấy tệp “{src}”.")
        if src.stat().st_size > MAX_EVIDENCE_BYTES:
            raise ProgressError(
                f"Tệp “{src.name}” quá lớn ({src.stat().st_size // (1024 * 1024)} MB); "
                f"giới hạn là {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB."
            )
    progress, _ = _record(session, task, period, task_state(session, task, period), user)
    evidence = Evidence(progress=progress, document_number=number, document_date=day, summary=text)
    copied: Path | None = None
    try:
        if src is not None and in_database:
            session.add(evidence)
            content = store_in_database(session, src.read_bytes(), src.name)
            evidence.file_name = content.file_name
            evidence.sha256, evidence.file_size = content.sha256, content.file_size
            if content.evidence_id is None:
                content.evidence_id = evidence.id
            evidence.stored_path = f"{IN_DATABASE}{content.id}"
        elif src is not None:
            base = attachments_dir(Path(db_path))  # type: ignore[arg-type]
            copied, sha, size = copy_into(src, base / str(task.id))
            evidence.file_name = nfc(src.name)
            evidence.stored_path = stored_path_beside(Path(db_path), copied)  # type: ignore[arg-type]
            evidence.sha256 = sha
            evidence.file_size = size
        session.add(evidence)
        session.flush()
    except OSError as exc:  # its English text stays out of the message
        raise ProgressError(f"Không sao chép được tệp “{src.name if src else ''}”: tệp không đọc được, đang bị chương "
                            "trình khác khóa, hoặc ổ đĩa đầy hay không cho ghi.") from exc
    audit.record(session, "create", "evidence", evidence.id, user=user,
                 new="; ".join(filter(None, [number, format_date(day) if day else None, text, evidence.file_name])))
    return evidence


def evidence_file(evidence: Evidence, db_path: Path | str | None) -> Path | None:
    """Where an evidence's attached copy is on disk (``core.attachments.open_stored``). ``evidence`` may be a
    row the screens hold (only ``stored_path`` is read) unless its file is kept in the database."""
    stored = evidence.stored_path
    session = object_session(evidence) if stored and stored.startswith(IN_DATABASE) else None
    return open_stored(session, stored, db_path)


def remove_evidence(session: Session, evidence_id: int, *, period_id: int | None = None,
                    user: str | None = None) -> None:
    """Remove an evidence row; the copied file stays (nothing is lost, a backup may need it).

    With ``period_id``, the evidence is removed from the task's state in that period: one carried
    from an earlier period stays in that period's record, and this period gets its own record
    (the carried state without that document).
    """
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise ProgressError(f"Không tìm thấy tài liệu kiểm chứng (mã {evidence_id}).")
    if period_id is not None and evidence.progress.period_id != period_id:
        task, period = evidence.progress.task, _period(session, period_id)
        state = task_state(session, task, period)
        # The document as the period shows it: this id, or its copy in the period's own record.
        match = (next((e for e in state.evidence if e.id == evidence_id), None)
                 or next((e for e in state.evidence if evidence_key(e) == evidence_key(evidence)), None))
        if match is None:
            raise ProgressError(f"Tài liệu kiểm chứng này không thuộc tiến độ của nhiệm vụ kỳ {spec_of(period).label}.")
        _, copies = _record(session, task, period, state, user)
        evidence = copies.get(match.id) or session.get(Evidence, match.id)
    audit.record(session, "delete", "evidence", evidence.id, user=user,
                 old="; ".join(filter(None, [evidence.document_number, evidence.summary, evidence.file_name])))
    evidence.progress.evidence.remove(evidence)  # delete-orphan: the row goes at flush
    session.flush()


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
    source = _period(session, from_period_id)
    target = _period(session, to_period_id)
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
        row = _period(session, period)
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
    task = _task(session, task_id)
    period, spec = _period_or_code(session, period_id)
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
    period_row, spec = _period_or_code(session, period_id)
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
