"""The completeness board (Tình hình nhận báo cáo): which units below have sent their return.

For a receiving unit and a period, every unit expected to report is listed with its state:

- ``on_time`` — received by the due date;
- ``late`` — received after it;
- ``missing`` — nothing received;
- ``decision`` — a file came but needs the receiving unit to act (cells edited in Excel, a unit
  outside the list, a tampered file, another form version): until that is settled the unit
  is not counted as received, unless an earlier good file was (it then keeps that return).

Expected units are the direct children **in effect at the end of the period**: a district
abolished on 1/7/2025 reports for 2025-H1 but not for 2025-Q3, and the communes created on
1/7/2025 report from 2025-Q3. A unit outside that list whose file the user accepted is shown
too, apart (``expected=False``), and is not counted in "đã nhận X/Y".

"On time" compares the date the unit exported its file (its own clock, written in the file)
— or, without one, the date the file was imported here — with the due date from the
receiving unit's period rules. A return typed in on this database counts when it is
"Đã hoàn thành", at its submission date.

The board also gives each unit's task completion ("hoàn thành 11/38 nhiệm vụ"), from its file
or, when its plan is in this database, from the plan's progress.

Receiving is not accepting. Every received return also has a review state (``core.intake.review``):
``pending`` (chờ xem xét), ``accepted`` (đã chấp nhận) or ``sent_back`` (trả lại, with a reason).
It belongs to one version — the current file, or the submission of a return typed in on this
database — so a newer file or a new submission is pending again. Only accepted returns are
consolidated. The units consolidation is measured against (``Board.scope_rows``) are the
expected ones plus any other unit whose file the user took in; a unit outside the list whose
file was refused is shown (it needs a decision) but never counted, and a return typed in on
this database counts only for the unit's own parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.forms import current_template
from core.intake.outcomes import DECISION_REASONS
from core.org.settings import period_rules_for, rounding_rule
from core.org.unit_lifetimes import predecessors_of_units
from core.org.units import LEVEL_LABELS, children_of
from core.periods import PeriodSpec, parse_period_code
from core.vnformat import HALF_UP, format_date, format_rate, format_ratio_sentence, utc_to_local
from db.models import ImportedFile, Period, Plan, Return, ReturnReview, Unit

__all__ = ["REVIEW_LABELS", "STATE_LABELS", "Board", "BoardRow", "completeness", "resolve_unit",
           "expected_children", "review_version", "submission_key"]

STATE_LABELS = {
    "on_time": "Đã nhận, đúng hạn",
    "late": "Đã nhận, quá hạn",
    "missing": "Chưa nhận",
    "decision": "Cần quyết định",
}
STATE_ORDER = ("decision", "missing", "late", "on_time")
# The receiving unit's review of a received return (core.intake.review).
REVIEW_LABELS = {"pending": "Chờ xem xét", "accepted": "Đã chấp nhận", "sent_back": "Trả lại"}
# What to say about a file that needs action, in a reminder to the unit.
DECISION_SHORT = {
    "edited": "tệp đã gửi có ô bị sửa trong Excel sau khi xuất",
    "tampered": "tệp đã gửi bị sửa hoặc bị hỏng, cần xuất lại",
    "wrong_template": "tệp đã gửi lập theo phiên bản biểu mẫu khác",
    "invalid_value": "tệp đã gửi có số liệu không hợp lệ",
    "not_child": "đơn vị ngoài danh sách trực thuộc, chờ xác nhận",
    "bad_signature": "tệp đã gửi có chữ ký số không hợp lệ",
    "unsigned": "tệp đã gửi chưa ký số",
    "untrusted_signature": "tệp đã gửi ký bằng chứng thư chưa được tin cậy",
}


@dataclass(frozen=True)
class BoardRow:
    unit_id: int
    unit_code: str
    unit_name: str
    level: str
    expected: bool  # a child in effect at the end of the period (False: another unit the user accepted)
    state: str  # on_time | late | missing | decision
    has_return: bool  # a return is here and counts as received
    received_at: datetime | None  # export time on the sender's clock, else import/submission time
    received_basis: str | None  # exported | imported | submitted
    due_date: date
    file_name: str | None
    imported_file_id: int | None
    return_id: int | None
    origin: str | None  # imported | entered | consolidated
    decision_reason: str | None  # why a file needs the receiving unit to act
    decision_code: str | None
    decision_file: str | None
    task_done: int | None
    task_total: int | None
    note: str = ""
    # The review of the received version (None: nothing received to review).
    review: str | None = None  # pending | accepted | sent_back
    review_note: str | None = None  # sent back: the reason; accepted: the note, if any
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None  # local time
    previous_review: str | None = None  # a pending newer version: what became of the one before
    draft: bool = False  # the unit sent its return while still "Nháp"
    version: str | None = None  # which version is received ("tệp:12", "nộp:7:<submitted_at>")
    rounding: str = HALF_UP  # the receiving unit's rule for the rates it shows
    merged_from: tuple[str, ...] = ()  # codes of the units this one was formed from (merged communes)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def counted(self) -> bool:
        """Whether consolidation takes this unit's return: received and accepted."""
        return self.has_return and self.review == "accepted"

    @property
    def review_label(self) -> str:
        return REVIEW_LABELS.get(self.review or "", "")

    @property
    def review_text(self) -> str:
        """The review in one line: "Chờ xem xét (bản mới; bản trước đã chấp nhận ngày 20/06/2021)",
        "Trả lại ngày 21/06/2021: thiếu 1.1.2"; "" when nothing was received."""
        if self.review is None:
            return ""
        text = self.review_label
        when = f" ngày {format_date(self.reviewed_at.date())}" if self.reviewed_at else ""
        if self.review == "sent_back":
            text += f"{when}: {self.review_note}" if self.review_note else when
        elif self.review == "accepted":
            text += when + (f" (ghi chú: {self.review_note})" if self.review_note else "")
        elif self.previous_review:
            text += f" ({self.previous_review})"
        if self.draft:
            text += " — bản Nháp"
        return text

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def days_late(self) -> int | None:
        if self.received_at is None:
            return None
        late = (self.received_at.date() - self.due_date).days
        return late if late > 0 else None

    @property
    def received_text(self) -> str:
        """"18/06/2021 09:00" (when the unit exported its file); "… (ngày nhập)" for a file without an
        export time, "… (ngày hoàn thành)" for a return completed on this database."""
        if self.received_at is None:
            return ""
        basis = {"imported": "ngày nhập", "submitted": "ngày hoàn thành"}.get(self.received_basis or "", "")
        text = f"{format_date(self.received_at.date())} {self.received_at:%H:%M}"
        return f"{text} ({basis})" if basis else text

    @property
    def task_text(self) -> str:
        """"11/38 (28,95%)"; "" when unknown."""
        if not self.task_total:
            return ""
        rate = format_rate(self.task_done or 0, self.task_total, self.rounding)
        return f"{self.task_done}/{self.task_total} ({rate})"

    def as_dict(self) -> dict:
        return {
            "unit": self.unit_code, "unit_name": self.unit_name, "expected": self.expected, "state": self.state,
            "state_label": self.state_label, "received": self.has_return,
            "received_at": self.received_at.isoformat(timespec="minutes") if self.received_at else None,
            "received_basis": self.received_basis, "days_late": self.days_late, "file": self.file_name,
            "return_id": self.return_id, "decision_reason": self.decision_reason,
            "tasks_done": self.task_done, "tasks_total": self.task_total, "tasks": self.task_text, "note": self.note,
            "review": self.review, "review_label": self.review_label, "review_note": self.review_note,
            "reviewed_by": self.reviewed_by,
            "reviewed_at": self.reviewed_at.isoformat(timespec="minutes") if self.reviewed_at else None,
            "review_text": self.review_text, "draft": self.draft, "counted": self.counted,
            "merged_from": list(self.merged_from),
        }


@dataclass(frozen=True)
class Board:
    parent_id: int
    parent_code: str
    parent_name: str
    period_code: str
    period_label: str
    due_date: date
    rows: tuple[BoardRow, ...]
    rounding: str = HALF_UP

    @property
    def expected_rows(self) -> list[BoardRow]:
        return [r for r in self.rows if r.expected]

    @property
    def other_rows(self) -> list[BoardRow]:
        return [r for r in self.rows if not r.expected]

    @property
    def scope_rows(self) -> list[BoardRow]:
        """The units consolidation is measured against: the expected ones and any other unit whose
        file the user took in (a refused unit outside the list is not one of them)."""
        return [r for r in self.rows if r.expected or r.has_return]

    @property
    def accepted_rows(self) -> list[BoardRow]:
        """The returns consolidation takes: received and accepted."""
        return [r for r in self.scope_rows if r.counted]

    def review_rows(self, review: str) -> list[BoardRow]:
        """Received returns of the units in scope with this review state (pending, accepted, sent_back)."""
        return [r for r in self.scope_rows if r.has_return and r.review == review]

    def counts(self) -> dict[str, int]:
        rows = self.expected_rows
        out = {s: sum(1 for r in rows if r.state == s) for s in STATE_LABELS}
        out["expected"] = len(rows)
        out["received"] = sum(1 for r in rows if r.has_return)
        out["others"] = sum(1 for r in self.other_rows if r.has_return)
        out["others_waiting"] = sum(1 for r in self.other_rows if not r.has_return)
        out["scope"] = len(self.scope_rows)
        for review in REVIEW_LABELS:
            out[review] = len(self.review_rows(review))
        return out

    @property
    def sentence(self) -> str:
        """"đã nhận 15/17 đơn vị (đạt 88,24%)"."""
        c = self.counts()
        if not c["expected"]:
            return "không có đơn vị trực thuộc nào phải báo cáo trong kỳ này"
        ratio, _, rate = format_ratio_sentence(c["received"], c["expected"], rule=self.rounding).partition(" (")
        return f"đã nhận {ratio} đơn vị ({rate}"

    def headline(self) -> str:
        """The board's first line: the sentence and the breakdown."""
        c = self.counts()
        parts = [f"đúng hạn {c['on_time']}", f"quá hạn {c['late']}", f"chưa nhận {c['missing']}"]
        if c["decision"]:
            parts.append(f"cần quyết định {c['decision']}")
        text = f"{self.period_label} (hạn {format_date(self.due_date)}): {self.sentence}; " + ", ".join(parts)
        if c["others"]:
            text += f"; ngoài ra {c['others']} đơn vị khác đã được xác nhận"
        if c["others_waiting"]:
            text += f"; {c['others_waiting']} đơn vị ngoài danh sách trực thuộc gửi tệp, cần quyết định"
        if c["received"] or c["others"]:
            text += f"; {self.review_sentence()}"
        return text[:1].upper() + text[1:] + "."

    def review_sentence(self) -> str:
        """"đã chấp nhận 12/17 đơn vị, chờ xem xét 2, trả lại 1": what consolidation takes, out of what."""
        c = self.counts()
        text = f"đã chấp nhận {c['accepted']}/{c['scope']} đơn vị"
        if c["pending"]:
            text += f", chờ xem xét {c['pending']}"
        if c["sent_back"]:
            text += f", trả lại {c['sent_back']}"
        return text

    def left_out_text(self) -> str:
        """The units in scope whose return consolidation does not take, by reason ("" when none):
        "chờ xem xét: UBND xã A; trả lại: UBND xã B (thiếu 1.1.2); chưa có báo cáo: UBND xã C"."""
        groups = [("chờ xem xét", [r.unit_name for r in self.review_rows("pending")]),
                  ("trả lại", [f"{r.unit_name} ({r.review_note})" if r.review_note else r.unit_name
                               for r in self.review_rows("sent_back")]),
                  ("cần quyết định", [r.unit_name for r in self.scope_rows if not r.has_return
                                      and r.state == "decision"]),
                  ("chưa có báo cáo", [r.unit_name for r in self.scope_rows if not r.has_return
                                       and r.state != "decision"])]
        return "; ".join(f"{label}: {', '.join(names)}" for label, names in groups if names)

    @property
    def missing_rows(self) -> list[BoardRow]:
        """Expected units without a received return (missing, or waiting for a decision)."""
        return [r for r in self.expected_rows if not r.has_return]

    def reminder_text(self) -> str:
        """A list to paste into a reminder (e-mail, chat, an official letter): the units that have not
        sent their return, then those whose return was sent back and must come again."""
        rows = self.missing_rows
        back = [r for r in self.expected_rows if r.has_return and r.review == "sent_back"]
        if not rows:
            lines = [f"Đã nhận đủ báo cáo {self.period_label} của {len(self.expected_rows)} đơn vị."]
        else:
            lines = [f"Các đơn vị chưa gửi báo cáo CCHC {self.period_label} (hạn {format_date(self.due_date)}), "
                     f"{len(rows)}/{len(self.expected_rows)} đơn vị:"]
            for i, r in enumerate(rows, start=1):
                extra = ""
                if r.state == "decision" and r.decision_code:
                    extra = f" ({DECISION_SHORT.get(r.decision_code, 'tệp đã gửi cần xử lý')})"
                lines.append(f"{i}. {r.unit_name}{extra}")
        if back:
            lines.append(f"Các đơn vị có báo cáo bị trả lại, cần sửa và gửi lại ({len(back)} đơn vị):")
            lines += [f"{i}. {r.unit_name}" + (f" (lý do: {r.review_note})" if r.review_note else "")
                      for i, r in enumerate(back, start=1)]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "unit": self.parent_code, "unit_name": self.parent_name, "period": self.period_code,
            "period_label": self.period_label, "due_date": format_date(self.due_date), "sentence": self.sentence,
            "headline": self.headline(), "counts": self.counts(), "units": [r.as_dict() for r in self.rows],
            "missing": [r.unit_code for r in self.missing_rows], "reminder": self.reminder_text(),
        }


def resolve_unit(session: Session, unit: str | int | Unit) -> Unit:
    if isinstance(unit, Unit):
        return unit
    found = session.get(Unit, unit) if isinstance(unit, int) else session.scalar(select(Unit).where(Unit.code == unit))
    if found is None:
        raise NotFound(f"Không có đơn vị mã “{unit}” trong danh mục.")
    return found


def expected_children(session: Session, parent: Unit, spec: PeriodSpec) -> list[Unit]:
    """The units that must report to ``parent`` for the period: children in effect at its end."""
    return children_of(session, parent.id, on=spec.end_date)


def _merge_note(session: Session, olds: list, period: Period | None, template_id: int) -> str:  # noqa: ANN001
    """"sáp nhập từ A, B ngày 01/07/2025", and which of them have a return for this period here."""
    text = "sáp nhập từ " + ", ".join(u.code for u, _ in olds) + f" ngày {format_date(olds[0][1])}"
    if period is not None:
        sent = set(session.scalars(select(Return.unit_id).where(
            Return.period_id == period.id, Return.template_id == template_id,
            Return.unit_id.in_([u.id for u, _ in olds]))))
        if sent:
            text += "; đã có báo cáo kỳ này của đơn vị cũ " + ", ".join(u.code for u, _ in olds if u.id in sent)
    return text


def completeness(session: Session, parent: str | int | Unit, period_code: str) -> Board:
    """The board for ``parent`` (code, id or Unit) and ``period_code``."""
    parent = resolve_unit(session, parent)
    spec = parse_period_code(period_code)
    due = spec.due_date(period_rules_for(session, parent))
    rule = rounding_rule(session, parent)
    template = current_template(session)
    kids = expected_children(session, parent, spec)
    expected_ids = {u.id for u in kids}

    files = list(session.scalars(
        select(ImportedFile).where(ImportedFile.period_code == spec.code,
                                   (ImportedFile.parent_unit_id == parent.id) | ImportedFile.unit_id.in_(expected_ids))
        .order_by(ImportedFile.id)))
    accepted: dict[int, ImportedFile] = {}
    latest_problem: dict[int, ImportedFile] = {}
    others: set[int] = set()
    for f in files:
        if f.unit_id is None:
            continue
        if f.outcome in ("imported", "replaced") and f.superseded_by_id is None:
            accepted[f.unit_id] = f
            if f.unit_id not in expected_ids and f.parent_unit_id == parent.id:
                others.add(f.unit_id)
        elif f.outcome == "rejected" and f.reason_code in DECISION_REASONS and f.parent_unit_id == parent.id:
            latest_problem[f.unit_id] = f
            if f.unit_id not in expected_ids:
                others.add(f.unit_id)
    # A problem file older than the accepted one is settled by it.
    for uid, f in list(latest_problem.items()):
        acc = accepted.get(uid)
        if acc is not None and acc.id > f.id:
            del latest_problem[uid]
    units = kids + [u for u in session.scalars(select(Unit).where(Unit.id.in_(others)).order_by(Unit.code))
                    if u.id not in expected_ids]

    period = session.scalar(select(Period).where(Period.code == spec.code))
    returns: dict[int, Return] = {}
    if period is not None and units:
        for r in session.scalars(select(Return).where(Return.period_id == period.id,
                                                      Return.template_id == template.id,
                                                      Return.unit_id.in_([u.id for u in units]))):
            returns[r.unit_id] = r
    with_plans: set[int] = set()
    if period is not None and units:
        with_plans = set(session.scalars(select(Plan.unit_id).where(
            Plan.unit_id.in_([u.id for u in units]), Plan.year_from <= spec.year, Plan.year_to >= spec.year)))

    reviews = _Reviews(session, parent.id, spec.code)
    merged = predecessors_of_units(session, [u.id for u in units])  # one query, not one per unit
    rows = []
    for u in units:
        f = accepted.get(u.id)
        ret = returns.get(u.id)
        problem = latest_problem.get(u.id)
        received_at, basis, note = None, None, ""
        has_return = False
        version: str | None = None
        draft = False
        if ret is not None and f is not None and ret.origin == "imported":
            has_return = True
            version = f"tệp:{f.id}"
            draft = (f.details or {}).get("status") == "draft"
            if f.exported_at is not None:
                received_at, basis = f.exported_at, "exported"
            else:
                received_at, basis = utc_to_local(f.imported_at), "imported"
        elif u.id in expected_ids and ret is not None and ret.status == "submitted":
            # Typed in on this database (a shared server): received by its own parent only, never
            # by a unit whose file of it was refused.
            has_return = True
            version = submission_key(ret)
            received_at, basis = ret.submitted_at or utc_to_local(ret.updated_at), "submitted"
        elif u.id in expected_ids and ret is not None:
            note = "Đang lập báo cáo trên máy này (Nháp)"
        review = reviews.of(u.id, version) if has_return else None
        if problem is not None:
            state = "decision"
        elif not has_return:
            state = "missing"
        elif received_at is not None and received_at.date() > due:
            state = "late"
        else:
            state = "on_time"
        task_done, task_total = (f.task_done, f.task_total) if f is not None else (None, None)
        if task_total is None and u.id in with_plans and period is not None:
            from core.plans.overview import overview

            ov = overview(session, u.id, period.id)
            if ov.total:
                task_done, task_total = ov.done, ov.total
        if state == "late" and not note:
            note = f"Chậm {(received_at.date() - due).days} ngày"
        olds = merged.get(u.id, [])
        if olds:
            note = "; ".join(filter(None, [note, _merge_note(session, olds, period, template.id)]))
        rows.append(BoardRow(
            unit_id=u.id, unit_code=u.code, unit_name=u.name, level=u.level, expected=u.id in expected_ids,
            state=state, has_return=has_return, received_at=received_at, received_basis=basis, due_date=due,
            file_name=f.file_name if f is not None and has_return else None,
            imported_file_id=f.id if f is not None and has_return else None,
            return_id=ret.id if ret is not None and has_return else None,
            origin=ret.origin if ret is not None else None,
            decision_reason=problem.reason if problem is not None else None,
            decision_code=problem.reason_code if problem is not None else None,
            decision_file=problem.file_name if problem is not None else None,
            task_done=task_done, task_total=task_total, note=note,
            review=review.state if review else None, review_note=review.note if review else None,
            reviewed_by=review.by if review else None, reviewed_at=review.at if review else None,
            previous_review=review.previous if review else None,
            draft=draft,
            version=version,
            rounding=rule,
            merged_from=tuple(o.code for o, _ in olds),
        ))
    return Board(parent.id, parent.code, parent.name, spec.code, spec.label, due, tuple(rows), rule)


def submission_key(ret: Return) -> str:
    """The version of a return typed in on this database: the return and the moment it was submitted."""
    return f"nộp:{ret.id}:{ret.submitted_at.isoformat() if ret.submitted_at else ''}"


@dataclass(frozen=True)
class _Review:
    state: str
    note: str | None
    by: str | None
    at: datetime | None
    previous: str | None


class _Reviews:
    """The receiving unit's reviews for a period, matched to the versions received (one query)."""

    def __init__(self, session: Session, parent_id: int, period_code: str) -> None:
        self.by_version: dict[str, ReturnReview] = {}
        self.last_by_unit: dict[int, ReturnReview] = {}
        for rv in session.scalars(select(ReturnReview).where(ReturnReview.parent_unit_id == parent_id,
                                                             ReturnReview.period_code == period_code)
                                  .order_by(ReturnReview.decided_at, ReturnReview.id)):
            self.by_version[review_version(rv)] = rv
            self.last_by_unit[rv.unit_id] = rv

    def of(self, unit_id: int, version: str | None) -> _Review:
        rv = self.by_version.get(version or "")
        if rv is not None:
            return _Review(rv.state, rv.reason, rv.decided_by, utc_to_local(rv.decided_at), None)
        previous = None
        last = self.last_by_unit.get(unit_id)
        if last is not None:
            when = format_date(utc_to_local(last.decided_at).date())
            what = "đã chấp nhận" if last.state == "accepted" else "đã trả lại"
            previous = f"bản mới; bản trước {what} ngày {when}"
        return _Review("pending", None, None, None, previous)


def review_version(rv: ReturnReview) -> str:
    """The version key a review row is about (as ``BoardRow.version``)."""
    if rv.imported_file_id is not None:
        return f"tệp:{rv.imported_file_id}"
    return f"nộp:{rv.return_id}:{rv.submitted_at.isoformat() if rv.submitted_at else ''}"
