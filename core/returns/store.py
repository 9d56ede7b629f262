"""Returns (Báo cáo định kỳ): one unit × period × form; values, narrative and workflow."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import audit
from core.errors import NotFound, Refused
from core.forms import applicable_indicators
from core.returns.validation import ValidationReport, validate_return
from core.values import ParsedValue, format_value, parse_value
from db.dialect import is_write_conflict, lock_for_write, savepoint
from db.models import (
    AuditEntry,
    FormTemplate,
    Indicator,
    IndicatorValue,
    Period,
    Return,
    ReturnSnapshot,
    Unit,
    utcnow,
)

STATUS_LABELS = {"draft": "Nháp", "submitted": "Đã hoàn thành"}


class ReturnLockedError(Refused):
    """Editing a submitted return; message is Vietnamese."""


# --------------------------------------------------------------------------- several users at once


@dataclass(frozen=True)
class ConflictCell:
    """One value this user tried to change after someone else had changed it."""

    code: str
    mine: object  # what this user typed or pasted (to apply again after reloading)
    my_note: object  # the note this user gave (KEEP: none given)
    theirs: str  # the value stored now, as displayed ("" = blank)
    their_note: str | None
    by: str | None  # who stored it (from the audit log)
    at: datetime | None

    def describe(self) -> str:
        who = f"{self.by} sửa" if self.by else "đã sửa"
        when = f" lúc {self.at:%H:%M ngày %d/%m/%Y}" if self.at else ""
        return f"{who}{when}, giá trị hiện tại: {self.theirs or '(trống)'}"


class ConcurrentEditError(Refused):
    """Someone else changed what this user was editing in between; nothing of this edit was stored.

    ``cells`` names each value in conflict with what is stored now and who stored it; ``edits``
    is this user's whole input, kept so the screen can offer to apply it again after reloading.
    The message is Vietnamese and complete.
    """

    def __init__(self, message: str, *, return_id: int | None = None, cells: list[ConflictCell] | None = None,
                 edits: list | None = None) -> None:
        super().__init__(message)
        self.return_id = return_id
        self.cells = cells or []
        self.edits = edits or []

    @classmethod
    def for_values(cls, cells: list[ConflictCell], return_id: int, edits: list) -> ConcurrentEditError:
        codes = ", ".join(c.code for c in cells)
        details = "; ".join(c.describe() if len(cells) == 1 else f"{c.code}: {c.describe()}" for c in cells)
        head = f"Giá trị chỉ tiêu {codes}" if len(cells) == 1 else f"Giá trị các chỉ tiêu {codes}"
        return cls(f"{head} vừa được người khác sửa ({details}); hãy tải lại để xem giá trị mới. "
                   "Những gì bạn vừa nhập chưa được lưu và vẫn được giữ lại để nhập lại.",
                   return_id=return_id, cells=cells, edits=edits)

    @classmethod
    def for_return(cls, return_id: int | None, edits: list | None = None, what: str = "") -> ConcurrentEditError:
        return cls(f"Báo cáo vừa được người khác thay đổi{what}; hãy tải lại để xem dữ liệu mới. "
                   "Thao tác của bạn chưa được thực hiện" + (" và những gì bạn vừa nhập vẫn được giữ lại." if edits
                                                              else "."),
                   return_id=return_id, edits=edits)


def lock_return(session: Session, return_id: int) -> Return:
    """The return, read afresh and locked for this transaction before anything in it is changed.

    A second user changing the same return waits here until the first commits and then reads
    what the first stored (``db.dialect.lock_for_write``: a row lock on a server, the file's
    write lock on SQLite).
    """
    try:
        stmt = lock_for_write(session, select(Return).where(Return.id == return_id))
        ret = session.scalar(stmt.execution_options(populate_existing=True))
    except DBAPIError as exc:
        if is_write_conflict(exc):
            raise ConcurrentEditError(
                "Báo cáo đang được người khác lưu và chưa xong; hãy thử lại sau giây lát. "
                "Những gì bạn vừa nhập chưa được lưu và vẫn được giữ lại.", return_id=return_id) from None
        raise
    if ret is None:
        raise NotFound(f"Không có báo cáo số {return_id}.")
    return ret


@contextmanager
def stale_writes_refused(return_id: int | None, edits: list | None = None) -> Iterator[None]:
    """Turn "someone else wrote first" from the database into ``ConcurrentEditError``.

    A write made from a stale read matches no row (the version moved on): ``StaleDataError``.
    On a SQLite file a second connection that read before another's commit cannot write
    ("database is locked"). The caller's transaction is then rolled back whole.
    """
    try:
        yield
    except StaleDataError:
        raise ConcurrentEditError.for_return(return_id, edits) from None
    except DBAPIError as exc:
        if is_write_conflict(exc):
            raise ConcurrentEditError.for_return(return_id, edits) from None
        raise


def last_change(session: Session, return_id: int, code: str) -> AuditEntry | None:
    """The latest audit entry of a value (who stored what is there now)."""
    return session.scalar(
        select(AuditEntry)
        .where(AuditEntry.return_id == return_id, AuditEntry.field == code, AuditEntry.entity.in_(("value", "note")))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )


# --------------------------------------------------------------------------- finding a return


def find_return(session: Session, unit: Unit, period: Period, template: FormTemplate) -> Return | None:
    return session.scalar(
        select(Return).where(
            Return.unit_id == unit.id, Return.period_id == period.id, Return.template_id == template.id
        )
    )


def get_or_create_return(session: Session, unit: Unit, period: Period, template: FormTemplate) -> Return:
    ret = find_return(session, unit, period, template)
    if ret is None:
        from core.org.unit_lifetimes import require_unit_in_period
        from core.periods import parse_period_code

        require_unit_in_period(session, unit, parse_period_code(period.code))  # no return for a unit not yet there
        try:
            with savepoint(session):  # two users opening a new return at once: one creates it
                ret = Return(unit=unit, period=period, template=template, status="draft")
                session.add(ret)
                session.flush()
        except IntegrityError:
            ret = find_return(session, unit, period, template)
            if ret is None:
                raise
            return ret
        audit.record(session, "create", "return", ret.id, return_id=ret.id,
                     new=f"{unit.code} {period.code} {template.code} v{template.version}")
    return ret


def indicators_by_code(session: Session, template_id: int) -> dict[str, Indicator]:
    return {i.code: i for i in session.scalars(select(Indicator).where(Indicator.template_id == template_id))}


def values_by_code(session: Session, ret: Return) -> dict[str, IndicatorValue]:
    rows = session.execute(
        select(Indicator.code, IndicatorValue)
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(IndicatorValue.return_id == ret.id)
    )
    return {code: v for code, v in rows}


def ensure_editable(ret: Return) -> None:
    if ret.status == "submitted":
        raise ReturnLockedError(
            "Báo cáo đã ở trạng thái “Đã hoàn thành” nên không sửa được. "
            "Hãy mở lại báo cáo (ghi rõ lý do) trước khi sửa."
        )


class _Keep:
    """Marker: leave this part of a stored value as it is."""

    _instance: _Keep | None = None

    def __new__(cls) -> _Keep:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


def store_value(
    session: Session,
    ret: Return,
    indicator: Indicator,
    parsed: ParsedValue,
    note: str | None = None,
    *,
    source: str = "manual",
    keep_note: bool = False,
    source_value: float | None | _Keep = KEEP,
    source_detail: str | None | _Keep = KEEP,
    reason: str | None = None,
    user: str | None = None,
    current: IndicatorValue | None | _Keep = KEEP,
) -> bool:
    """Write one value with an audit entry; returns whether anything changed.

    ``source_value``/``source_detail`` record what a derived source (the plan) proposed;
    by default they are kept. ``reason`` goes into the audit entry of a value change.
    ``current``: the stored row (None: nothing stored) when the caller has read it already, as
    consolidation does for a whole return; by default it is looked up.
    """
    ensure_editable(ret)
    if indicator.kind == "group" and not parsed.blank:  # a group row carries a note only
        raise Refused(f"Chỉ tiêu {indicator.code} là dòng nhóm, không nhập số liệu.")
    row = current if not isinstance(current, _Keep) else session.scalar(
        select(IndicatorValue).where(IndicatorValue.return_id == ret.id, IndicatorValue.indicator_id == indicator.id)
    )
    old_num = row.value_num if row else None
    old_text = row.value_text if row else None
    old_note = row.note if row else None
    old_source = row.source if row else None
    old_sv = row.source_value if row else None
    old_sd = row.source_detail if row else None
    new_note = old_note if keep_note else (note or None)
    new_sv = old_sv if isinstance(source_value, _Keep) else source_value
    new_sd = old_sd if isinstance(source_detail, _Keep) else source_detail
    new_state = (parsed.number, parsed.text, new_note, source, new_sv, new_sd)
    if row is not None and (old_num, old_text, old_note, old_source, old_sv, old_sd) == new_state:
        return False
    if row is None and parsed.blank and not new_note and new_sv is None:
        return False
    if row is None:
        row = IndicatorValue(return_id=ret.id, indicator_id=indicator.id)
        session.add(row)
    row.value_num, row.value_text, row.note, row.source = parsed.number, parsed.text, new_note, source
    row.source_value, row.source_detail = new_sv, new_sd
    row.updated_at = utcnow()
    fmt = lambda n, t: format_value(indicator.value_type, n, t) or "(trống)"  # noqa: E731
    if (old_num, old_text) != (parsed.number, parsed.text):
        audit.record(session, "update", "value", indicator.id, return_id=ret.id, field=indicator.code,
                     old=fmt(old_num, old_text), new=fmt(parsed.number, parsed.text), reason=reason, user=user)
    if old_note != new_note:
        audit.record(session, "update", "note", indicator.id, return_id=ret.id, field=indicator.code,
                     old=old_note, new=new_note, user=user)
    ret.updated_at = utcnow()
    return True


def set_value(session: Session, ret: Return, code: str, raw: object, note: str | None = None,
              source: str = "manual") -> bool:
    """Parse ``raw`` for indicator ``code`` and store it (see ``store_value``)."""
    ind = indicators_by_code(session, ret.template_id).get(code)
    if ind is None:
        raise NotFound(f"Biểu mẫu không có chỉ tiêu mã “{code}”.")
    parsed = parse_value(code, ind.value_type, ind.choices, raw)
    return store_value(session, ret, ind, parsed, note, source=source)


@dataclass(frozen=True)
class StaleSection:
    """A narrative section the user wrote by hand whose figures changed afterwards."""

    key: str
    title: str

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title}


class SubmitRefusedError(Refused):
    """Declaring a return finished while errors exist, warnings lack a note, applicable rows are
    blank, or hand-written narrative sections are out of date and not confirmed. Lists them in Vietnamese."""

    def __init__(self, report: ValidationReport, stale: list[StaleSection] | None = None) -> None:
        self.report = report
        self.blank = list(report.blank)
        self.stale = list(stale or [])
        parts, lines = [], []
        warnings = [w for w in report.blocking if w.severity == "warning"]
        if report.blocking:
            parts.append(f"còn {len(report.errors)} lỗi và {len(warnings)} cảnh báo chưa có ghi chú")
            lines += [f"- {p.line()}" for p in report.blocking]
        if report.blank:
            parts.append(report.blank_sentence(limit=len(report.blank)))
            lines.append("- Chỉ tiêu nào trong kỳ không xảy ra, hãy nhập “Không phát sinh” (hoặc KPS); "
                         "chỉ tiêu chưa có số liệu thì ghi chú lý do ở cột Ghi chú.")
        if self.stale:
            parts.append(stale_sentence(self.stale))
            lines.append("- Hãy xem lại các phần này (hoặc xác nhận vẫn dùng nội dung đã viết).")
        super().__init__("Chưa thể chuyển báo cáo sang “Đã hoàn thành”: " + "; ".join(parts) + ".\n"
                         + "\n".join(lines))

    def details(self) -> dict:
        return {**self.report.as_dict(), "problems": [p.as_dict() for p in self.report.blocking],
                "blank": self.blank, "stale": [x.as_dict() for x in self.stale]}


def stale_sentence(stale: list[StaleSection]) -> str:
    """"2 phần thuyết minh do người dùng viết có số liệu đã thay đổi sau khi viết: I.3 …; II.tthc …"."""
    names = "; ".join(s.title for s in stale)
    return f"{len(stale)} phần thuyết minh do người dùng viết có số liệu đã thay đổi sau khi viết: {names}"


def submit(session: Session, ret: Return, user: str | None = None,
           stale: list[StaleSection] | None = None) -> ValidationReport:
    """Nháp → Đã hoàn thành (locked). Refused (``SubmitRefusedError``) while the return has an
    error, a warning without a note on one of its values, an applicable row left blank, or
    ``stale`` sections (hand-written narrative not confirmed by the caller). Returns the
    validation report."""
    ensure_editable(ret)
    report = validate_return(session, ret)
    if not report.can_submit or stale:
        raise SubmitRefusedError(report, stale)
    ret.status = "submitted"
    ret.submitted_at = datetime.now()
    ret.submitted_by = audit.user_of(session, user)
    audit.record(session, "submit", "return", ret.id, return_id=ret.id, field="status",
                 old=STATUS_LABELS["draft"], new=STATUS_LABELS["submitted"], user=user,
                 reason=report.summary() if report.problems else None)
    return report


def reopen(session: Session, ret: Return, reason: str, user: str | None = None) -> None:
    """Đã hoàn thành → Nháp; a reason is required and logged; the snapshot is released."""
    if not (reason or "").strip():
        raise Refused("Cần ghi lý do mở lại báo cáo.")
    if ret.status != "submitted":
        raise Refused("Báo cáo đang ở trạng thái Nháp, không cần mở lại.")
    ret.status = "draft"
    audit.record(session, "reopen", "return", ret.id, return_id=ret.id, field="status",
                 old=STATUS_LABELS["submitted"], new=STATUS_LABELS["draft"], reason=reason.strip(), user=user)
    # Its snapshot (core.returns.snapshots) is released, and kept as history: when, who, why.
    session.execute(update(ReturnSnapshot)
                    .where(ReturnSnapshot.return_id == ret.id, ReturnSnapshot.released_at.is_(None))
                    .values(released_at=utcnow(), released_by=audit.user_of(session, user),
                            release_reason=reason.strip()))


@dataclass(frozen=True)
class FormRow:
    """One row of the statistical form with its value in a return, as grids and exports show it."""

    indicator_id: int
    code: str
    name: str
    unit_label: str
    kind: str
    value_type: str | None
    depth: int
    breakdown: bool
    value_text: str
    note: str
    number: float | None
    text: str | None


def form_rows(session: Session, template_id: int, ret: Return | None) -> list[FormRow]:
    """The template's rows in printed order, filled from ``ret`` (blank where no data); with a
    return, only the rows that apply to its unit's level."""
    values = values_by_code(session, ret) if ret is not None else {}
    rows = []
    indicators = session.scalars(
        select(Indicator).where(Indicator.template_id == template_id).order_by(Indicator.sort_order)).all()
    if ret is not None:
        indicators = applicable_indicators(indicators, ret.unit.level)
    for ind in indicators:
        v = values.get(ind.code)
        num, txt = (v.value_num, v.value_text) if v else (None, None)
        rows.append(
            FormRow(
                indicator_id=ind.id,
                code=ind.code,
                name=ind.name,
                unit_label=ind.unit_label or "",
                kind=ind.kind,
                value_type=ind.value_type,
                depth=ind.code.count("."),
                breakdown=ind.breakdown,
                value_text=format_value(ind.value_type, num, txt),
                note=(v.note or "") if v else "",
                number=num,
                text=txt,
            )
        )
    return rows
