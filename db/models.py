"""SQLAlchemy 2.0 typed models: the persistent shape of units, plans, returns and audit.

Names follow the domain glossary in design.md. Blank (no data) is NULL, never 0.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """Đơn vị: a node in a tree of any depth (tỉnh → sở/huyện → xã/phòng …)."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(16))  # tinh | huyen | xa | so | phong
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    # Districts were abolished on 1/7/2025: a unit has an effective span, not a fixed level set.
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")


class UnitSetting(Base):
    """Per-unit settings (period cut-off/due day, report header and signer details)."""

    __tablename__ = "unit_setting"
    __table_args__ = (UniqueConstraint("unit_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)


class Area(Base):
    """Lĩnh vực CCHC: ordered, editable catalogue; Roman-numbered in print."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Plan(Base):
    """Kế hoạch CCHC of one unit for a year or a span (2026–2030)."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    document_number: Mapped[str | None] = mapped_column(String(64))  # "924/QĐ-UBND"
    issue_date: Mapped[date | None] = mapped_column(Date)
    year_from: Mapped[int] = mapped_column(Integer)
    year_to: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The plan document's own text (its "Mục tiêu" lines), kept so targets can be proposed from it.
    document_text: Mapped[str | None] = mapped_column(Text)
    # A sub-plan (Kế hoạch tuyên truyền, Kế hoạch kiểm tra …) carries out part of another plan: its tasks are
    # reported as "05/10 nhiệm vụ" of that sub-plan, not added to the main plan's count.
    parent_plan_id: Mapped[int | None] = mapped_column(Integer)  # no FK: see migration 0011

    unit: Mapped[Unit] = relationship()
    tasks: Mapped[list[Task]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Task.sort_order"
    )


class Task(Base):
    """Nhiệm vụ of a plan; nested numbering (1, 1.1) is kept in ``number``."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    # The plan's own area heading as printed ("I", "Cải cách thể chế"); catalogue order may differ.
    area_numeral: Mapped[str | None] = mapped_column(String(16))
    area_title: Mapped[str | None] = mapped_column(Text)
    parent_task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    number: Mapped[str | None] = mapped_column(String(32))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    objective: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    output: Mapped[str | None] = mapped_column(Text)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    lead_unit_text: Mapped[str | None] = mapped_column(Text)
    partner_units_text: Mapped[str | None] = mapped_column(Text)
    timeframe_text: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)  # the final milestone
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    conditional: Mapped[bool] = mapped_column(Boolean, default=False)
    timeframe_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    budget: Mapped[str | None] = mapped_column(Text)
    source_row: Mapped[int | None] = mapped_column(Integer)  # sheet row it was imported from

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    parent_task: Mapped[Task | None] = relationship(remote_side=[id])
    area: Mapped[Area | None] = relationship()
    lead_unit: Mapped[Unit | None] = relationship(foreign_keys=[lead_unit_id])
    partners: Mapped[list[Unit]] = relationship(secondary="task_partner")
    milestones: Mapped[list[TaskMilestone]] = relationship(
        cascade="all, delete-orphan", order_by="TaskMilestone.sort_order"
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Activity.sort_order"
    )


class TaskPartner(Base):
    __tablename__ = "task_partner"

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), primary_key=True)


class TaskMilestone(Base):
    """One dated clause of a timeframe ("Ban hành kế hoạch trước 31/12/2021")."""

    __tablename__ = "task_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)


class Activity(Base):
    """Hoạt động: a sub-row of a task."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    output: Mapped[str | None] = mapped_column(Text)
    timeframe_text: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)
    lead_unit_text: Mapped[str | None] = mapped_column(Text)
    partner_units_text: Mapped[str | None] = mapped_column(Text)
    budget: Mapped[str | None] = mapped_column(Text)

    task: Mapped[Task] = relationship(back_populates="activities")


class Period(Base):
    """Kỳ báo cáo: code ``2022-Q1``, ``2022-H1``, ``2022-9M`` or ``2022-Y``."""

    __tablename__ = "period"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # quarter | half | nine_months | year
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer, default=1)  # quarter number; 1 otherwise
    start_date: Mapped[date] = mapped_column(Date)  # calendar span
    end_date: Mapped[date] = mapped_column(Date)


class TaskProgress(Base):
    """Tiến độ of one task in one period."""

    __tablename__ = "task_progress"
    __table_args__ = (UniqueConstraint("task_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="RESTRICT"), index=True)
    # Derived from the due date, the period's cut-off and the completion date (core.plans.progress).
    status: Mapped[str] = mapped_column(String(32), default="not_started")
    # What the person chose: not_started | in_progress | done (None on rows from before 0003).
    entered_status: Mapped[str | None] = mapped_column(String(32))
    percent_done: Mapped[float | None] = mapped_column(Float)
    completed_on: Mapped[date | None] = mapped_column(Date)
    result_text: Mapped[str | None] = mapped_column(Text)
    difficulties: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    task: Mapped[Task] = relationship()
    period: Mapped[Period] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(back_populates="progress", cascade="all, delete-orphan")


class Evidence(Base):
    """Tài liệu kiểm chứng for a task's progress."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(ForeignKey("task_progress.id", ondelete="CASCADE"), index=True)
    document_number: Mapped[str | None] = mapped_column(String(128))  # "Quyết định số 766/QĐ-UBND"
    document_date: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(Text)  # original name, diacritics kept
    stored_path: Mapped[str | None] = mapped_column(Text)  # relative to the data folder
    sha256: Mapped[str | None] = mapped_column(String(64))
    file_size: Mapped[int | None] = mapped_column(Integer)
    added_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)

    progress: Mapped[TaskProgress] = relationship(back_populates="evidence")


class EvidenceContent(Base):
    """An attached file kept inside the database, as it is on a shared server (where a folder beside
    the database does not exist): every user can open it. On a SQLite file attachments are files
    beside the database instead. Removing the evidence keeps the content (as with a file)."""

    __tablename__ = "evidence_content"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"), index=True)
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FormTemplate(Base):
    """A versioned statistical form (indicator set), loaded from resources/forms."""

    __tablename__ = "form_template"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    rules: Mapped[list] = mapped_column(JSON, default=list)
    loaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="template", cascade="all, delete-orphan", order_by="Indicator.sort_order"
    )


class Indicator(Base):
    """Chỉ tiêu thống kê: code 1.1.1, name, unit of measure, value type, aggregation rule."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("template_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("form_template.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    parent_code: Mapped[str | None] = mapped_column(String(32))
    sort_order: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    hint: Mapped[str | None] = mapped_column(Text)
    unit_label: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))  # group | value
    value_type: Mapped[str | None] = mapped_column(String(16))  # integer|decimal|percent|choice|yesno|text
    choices: Mapped[list | None] = mapped_column(JSON)
    aggregation: Mapped[dict | None] = mapped_column(JSON)
    breakdown: Mapped[bool] = mapped_column(Boolean, default=False)  # a "Trong đó" row
    source_code: Mapped[str | None] = mapped_column(String(32))
    # The unit levels the row applies to ("tinh", "so", "huyen", "xa"); NULL: every level.
    levels: Mapped[list | None] = mapped_column(JSON)

    template: Mapped[FormTemplate] = relationship(back_populates="indicators")


class Return(Base):
    """Báo cáo định kỳ: one unit × period × form template, with status and narrative."""

    __tablename__ = "return"
    __table_args__ = (UniqueConstraint("unit_id", "period_id", "template_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="RESTRICT"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("form_template.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted
    origin: Mapped[str] = mapped_column(String(16), default="entered")  # entered|imported|consolidated
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking for shared databases: a stale writer gets StaleDataError.
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    template: Mapped[FormTemplate] = relationship()
    values: Mapped[list[IndicatorValue]] = relationship(back_populates="ret", cascade="all, delete-orphan")
    sections: Mapped[list[ReturnSection]] = relationship(
        back_populates="ret", cascade="all, delete-orphan", order_by="ReturnSection.sort_order"
    )

    __mapper_args__ = {"version_id_col": version}


class ReturnSnapshot(Base):
    """What a submitted return showed when it was frozen: the whole report, as canonical JSON.

    Every export of a submitted return is built from its current snapshot (``released_at`` NULL),
    whatever the settings say later. Reopening releases it; the row stays as history.
    """

    __tablename__ = "return_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return.id", ondelete="CASCADE"), index=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # UTC
    taken_by: Mapped[str | None] = mapped_column(String(128))
    occasion: Mapped[str] = mapped_column(String(16), default="submit")  # submit | upgrade
    content_sha256: Mapped[str] = mapped_column(String(64))  # the data sheet's hash of this report
    document_sha256: Mapped[str] = mapped_column(String(64))  # of ``document``
    document: Mapped[str] = mapped_column(Text)  # core.returns.snapshots: canonical JSON of the whole report
    released_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC; reopened
    released_by: Mapped[str | None] = mapped_column(String(128))
    release_reason: Mapped[str | None] = mapped_column(Text)


class ReturnSection(Base):
    """One narrative section of a return (I. Công tác chỉ đạo, điều hành …)."""

    __tablename__ = "return_section"
    __table_args__ = (UniqueConstraint("return_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    draft_text: Mapped[str | None] = mapped_column(Text)  # regenerated by the product
    user_text: Mapped[str | None] = mapped_column(Text)  # never overwritten by a regeneration
    # The draft the user's text was written from: a later draft that differs means the figures moved.
    draft_basis: Mapped[str | None] = mapped_column(Text)

    ret: Mapped[Return] = relationship(back_populates="sections")


class IndicatorValue(Base):
    """One value of a return. A missing row, or NULL value, means "no data" (not 0)."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("return_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="RESTRICT"), index=True)
    value_num: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="manual")  # manual|plan|import|consolidated
    # What a derived source (the plan) proposed, kept when the user overrides it, and where it came from.
    source_value: Mapped[float | None] = mapped_column(Float)
    source_detail: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: every write of the value bumps it, and a write from a stale read
    # (another user saved in between) matches no row and fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    ret: Mapped[Return] = relationship(back_populates="values")
    indicator: Mapped[Indicator] = relationship()

    __mapper_args__ = {"version_id_col": version}


class ImportedFile(Base):
    """A return file received from a unit below, with what became of it (kept as history).

    Every file an import looks at gets one row: ``outcome`` is imported, replaced (a newer
    version of a return already imported), skipped (a duplicate, an older version) or
    rejected, with ``reason`` in Vietnamese and ``reason_code`` for programs. A replaced
    file's row points to the file that replaced it through ``superseded_by_id``.
    """

    __tablename__ = "imported_file"
    __table_args__ = (
        Index("ix_imported_file_parent_period", "parent_unit_id", "period_code"),
        Index("ix_imported_file_unit_period", "unit_id", "period_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))  # the receiving unit
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))  # whose return it is
    unit_code: Mapped[str | None] = mapped_column(String(64))  # as written in the file
    unit_name: Mapped[str | None] = mapped_column(Text)
    period_code: Mapped[str | None] = mapped_column(String(16))
    template_code: Mapped[str | None] = mapped_column(String(64))
    template_version: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="product")  # product | handmade
    file_name: Mapped[str] = mapped_column(Text)  # original name, diacritics kept
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)  # of the file's bytes
    content_sha256: Mapped[str | None] = mapped_column(String(64), index=True)  # of the return's data
    exported_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC, as the file states it
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # UTC
    outcome: Mapped[str] = mapped_column(String(16))  # imported | replaced | skipped | rejected
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("return.id", ondelete="SET NULL"), index=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("imported_file.id", ondelete="SET NULL"))
    task_total: Mapped[int | None] = mapped_column(Integer)  # the unit's plan tasks, as the file reports them
    task_done: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict | None] = mapped_column(JSON)  # cells edited in Excel and what was kept, rows moved …
    user: Mapped[str | None] = mapped_column(String(128))


class ReturnReview(Base):
    """The receiving unit's review of one version of a unit's return (Xem xét).

    A review belongs to (receiving unit, unit below, period, version). The version is the
    imported file that carries the return (``imported_file_id``) or, for a return typed in
    directly on a shared database, its submission (``return_id`` + ``submitted_at``). A version
    without a row is pending (chờ xem xét): a newer file or a new submission starts pending
    again; the rows of earlier versions stay as history. A refused file never has a row.
    """

    __tablename__ = "return_review"
    __table_args__ = (Index("ix_return_review_parent_period", "parent_unit_id", "period_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))  # the receiving unit
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))  # whose return it is
    period_code: Mapped[str] = mapped_column(String(16))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("return.id", ondelete="SET NULL"), index=True)
    imported_file_id: Mapped[int | None] = mapped_column(ForeignKey("imported_file.id", ondelete="SET NULL"),
                                                         index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)  # the submission reviewed (typed-in return)
    state: Mapped[str] = mapped_column(String(16))  # accepted | sent_back
    reason: Mapped[str | None] = mapped_column(Text)  # sent back: why; accepted: the note
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # UTC


class ReceivedFile(Base):
    """A file that came with a unit's return package (``core.reports.package``): its signed PDF report or
    an evidence file of one of its tasks, checked against the signed list before it was kept.

    On a SQLite file the bytes are beside the database (``<db>.attachments/received/…``, as the unit's
    own evidence); on a shared server in ``evidence_content`` (``stored_path`` = ``db:<id>``)."""

    __tablename__ = "received_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    imported_file_id: Mapped[int] = mapped_column(ForeignKey("imported_file.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    period_code: Mapped[str | None] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))  # report | evidence
    package_path: Mapped[str] = mapped_column(Text)  # where it was inside the package
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_size: Mapped[int] = mapped_column(Integer)
    task_area: Mapped[str | None] = mapped_column(String(32))  # "II" (the evidence's task, as the return lists it)
    task_number: Mapped[str | None] = mapped_column(String(32))
    task_title: Mapped[str | None] = mapped_column(Text)
    document_number: Mapped[str | None] = mapped_column(String(128))
    document_date: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    stored_path: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TrustedCertificate(Base):
    """A certificate (usually a certification authority's root) or a revocation list that a receiving
    unit trusts when it checks the digital signatures of the returns it receives (``core.signatures.trust_store``)."""

    __tablename__ = "trusted_certificate"
    __table_args__ = (UniqueConstraint("unit_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="cert")  # cert | crl
    subject: Mapped[str] = mapped_column(Text)
    organization: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    serial: Mapped[str | None] = mapped_column(String(128))
    not_before: Mapped[datetime | None] = mapped_column(DateTime)  # UTC
    not_after: Mapped[datetime | None] = mapped_column(DateTime)
    sha256: Mapped[str] = mapped_column(String(64))
    der: Mapped[bytes] = mapped_column(LargeBinary)
    file_name: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    added_by: Mapped[str | None] = mapped_column(String(128))


class ConsolidationSource(Base):
    """Where a consolidated value came from: one row per value × unit below (blank included)."""

    __tablename__ = "consolidation_source"
    __table_args__ = (Index("ix_consolidation_source_value", "return_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return.id", ondelete="CASCADE"))  # the consolidated return
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="RESTRICT"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    child_return_id: Mapped[int | None] = mapped_column(ForeignKey("return.id", ondelete="SET NULL"))
    imported_file_id: Mapped[int | None] = mapped_column(ForeignKey("imported_file.id", ondelete="SET NULL"))
    value_num: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    included: Mapped[bool] = mapped_column(Boolean, default=False)  # the unit gave a value (blank is not 0)


class AuditEntry(Base):
    """Nhật ký: who changed what, when, old → new."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))  # create|update|delete|submit|reopen|import|...
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("return.id", ondelete="SET NULL"), index=True)
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


class AppUser(Base):
    """A person who logs in to a shared database (PostgreSQL server, or a file with users).

    ``unit_id`` is the unit whose data, with that of every unit below it, the person sees and
    edits; ``None`` only for an administrator (every unit). The password is stored as a salted
    scrypt hash (``core.org.auth``), never in clear.
    """

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="editor")  # admin | editor | viewer
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    unit: Mapped[Unit | None] = relationship()


class AppSetting(Base):
    """Database-wide settings and markers (e.g. that demo data was loaded)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class UnitPredecessor(Base):
    """A unit made from others: commune C formed on 1/7/2025 from communes A and B has the rows
    (C, A) and (C, B), ``since`` 01/07/2025; A and B close the day before (``Unit.valid_to``)."""

    __tablename__ = "unit_predecessor"
    __table_args__ = (UniqueConstraint("unit_id", "predecessor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    since: Mapped[date] = mapped_column(Date)


# --- Chỉ số CCHC (PAR-Index): criteria sets, self-assessment, appraisal (core.index) -------------
# Points are kept as integer hundredths ("1,5" điểm = 150): they are added and compared exactly.


class IndexCriteriaSet(Base):
    """A province's Bộ chỉ số CCHC for one unit level and year, as imported from its decision's appendix.

    A set is never changed once stored: a different table for the same year and level is a new version.
    ``content`` is the whole set as canonical JSON (``core.index.criteria``); its SHA-256 identifies it
    in the score workbooks sent upward."""

    __tablename__ = "index_criteria_set"
    __table_args__ = (UniqueConstraint("year", "level", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))  # so | huyen | xa
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(Text)
    source_document: Mapped[str | None] = mapped_column(Text)  # "(Kèm theo Quyết định số …)"
    source_file: Mapped[str | None] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(128))

    criteria: Mapped[list[IndexCriterion]] = relationship(
        back_populates="criteria_set", cascade="all, delete-orphan", order_by="IndexCriterion.sort_order"
    )


class IndexCriterion(Base):
    """Lĩnh vực (depth 0), tiêu chí (1) or tiêu chí thành phần (2 and below) of a criteria set."""

    __tablename__ = "index_criterion"
    __table_args__ = (UniqueConstraint("set_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("index_criteria_set.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    stt: Mapped[str] = mapped_column(String(32))
    parent_code: Mapped[str | None] = mapped_column(String(32))
    depth: Mapped[int] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # self | survey | deduction
    max_centi: Mapped[int] = mapped_column(Integer)  # a deduction's maximum is positive
    is_leaf: Mapped[bool] = mapped_column(Boolean, default=True)
    scoring_guide: Mapped[str | None] = mapped_column(Text)
    evidence_required: Mapped[str | None] = mapped_column(Text)
    may_not_apply: Mapped[bool] = mapped_column(Boolean, default=True)
    auto_source: Mapped[str | None] = mapped_column(String(32))  # plan_completion | returns_on_time
    source_row: Mapped[int | None] = mapped_column(Integer)

    criteria_set: Mapped[IndexCriteriaSet] = relationship(back_populates="criteria")


class IndexAssessment(Base):
    """One unit's self-assessment for a year against one criteria set, and its appraisal above."""

    __tablename__ = "index_assessment"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("index_criteria_set.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted
    origin: Mapped[str] = mapped_column(String(16), default="entered")  # entered | imported
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(128))
    exported_at: Mapped[str | None] = mapped_column(String(40))  # imported: as the file states it
    content_sha256: Mapped[str | None] = mapped_column(String(64))  # imported: the scores' hash
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()
    criteria_set: Mapped[IndexCriteriaSet] = relationship()
    scores: Mapped[list[IndexScore]] = relationship(back_populates="assessment", cascade="all, delete-orphan")


class IndexScore(Base):
    """The score of one leaf: self-score with its explanation, the appraised score with its reason.

    NULL is "not scored yet", never 0. ``proposed_centi`` and ``proposal_source`` keep what the product
    proposed (plan completion, reports on time) and where it came from."""

    __tablename__ = "index_score"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("index_assessment.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("index_criterion.id", ondelete="RESTRICT"), index=True)
    self_centi: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    proposed_centi: Mapped[int | None] = mapped_column(Integer)
    proposal_source: Mapped[str | None] = mapped_column(Text)
    appraised_centi: Mapped[int | None] = mapped_column(Integer)
    appraisal_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    assessment: Mapped[IndexAssessment] = relationship(back_populates="scores")
    criterion: Mapped[IndexCriterion] = relationship()
    evidence: Mapped[list[IndexEvidence]] = relationship(back_populates="score", cascade="all, delete-orphan",
                                                         order_by="IndexEvidence.id")


class IndexEvidence(Base):
    """Tài liệu kiểm chứng of a score, kept in the same store as a task's evidence (``core.attachments``)."""

    __tablename__ = "index_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(ForeignKey("index_score.id", ondelete="CASCADE"), index=True)
    document_number: Mapped[str | None] = mapped_column(String(128))
    document_date: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(Text)
    stored_path: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    file_size: Mapped[int | None] = mapped_column(Integer)
    added_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)

    score: Mapped[IndexScore] = relationship(back_populates="evidence")


class IndexImportedFile(Base):
    """A score workbook received from a unit below and what became of it (imported, replaced, skipped,
    rejected), as ``ImportedFile`` keeps for returns."""

    __tablename__ = "index_imported_file"
    __table_args__ = (Index("ix_index_imported_file_parent_year", "parent_unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    unit_code: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    exported_at: Mapped[str | None] = mapped_column(String(40))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(16))  # imported | replaced | skipped | rejected
    reason: Mapped[str | None] = mapped_column(Text)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("index_assessment.id", ondelete="SET NULL"))
    user: Mapped[str | None] = mapped_column(String(128))
class PlanTarget(Base):
    """Chỉ tiêu kế hoạch: a quantified target of a plan (or of a unit for a year), confirmed by a user.

    The target is an indicator's value (``code``) or the ratio of two indicators as a percentage
    (``code`` / ``of_code`` × 100, e.g. 1.1.2/1.1.1 ≥ 95), compared by ``op`` (ge: at least, le: at
    most, eq: equal) with ``value``. ``source_text`` keeps the plan's sentence it was proposed from.
    """

    __tablename__ = "plan_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)  # a unit's target for one year (NULL: the plan's years)
    code: Mapped[str] = mapped_column(String(32))
    of_code: Mapped[str | None] = mapped_column(String(32))
    op: Mapped[str] = mapped_column(String(2))  # ge | le | eq
    value: Mapped[float] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(Text)  # what it measures, in the plan's words
    source_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(128))

    plan: Mapped[Plan | None] = relationship()
    unit: Mapped[Unit] = relationship()
class SavedMapping(Base):
    """A column mapping the user confirmed for an imported table (a plan, a hand-made return), remembered by the
    signature of the table's header row so the next file with the same header is mapped the same way."""

    __tablename__ = "saved_mapping"
    __table_args__ = (UniqueConstraint("kind", "signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # plan | handmade
    signature: Mapped[str] = mapped_column(String(64))  # SHA-256 of the header's cells, normalised
    headers: Mapped[list] = mapped_column(JSON, default=list)  # the header's cells as read (shown in Cài đặt)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)  # column letter → field
    file_name: Mapped[str | None] = mapped_column(Text)  # the file it was confirmed on
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    use_count: Mapped[int] = mapped_column(Integer, default=0)
