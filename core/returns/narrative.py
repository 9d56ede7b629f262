"""The narrative report (phần thuyết minh) of a return as stored and shown: its sections, what the
user wrote, and which sections are out of date with the figures.

The drafted sentences are computed from the return's values whenever the report is shown,
submitted or exported (``core.returns.narrative_text``), so they never go stale
(``ReturnSection.draft_text`` keeps the last draft shown); a draft's plan-derived numbers are taken
as the plan stands now (``core.returns.plan_values.current_plan_values``), as the appendix and
Phụ lục II take them. Whatever the user writes lives in ``user_text`` and is never touched by a
regeneration; beside it ``draft_basis`` keeps the draft of the figures the user wrote it against.
When the figures change after that, the section is ``stale``: the screen says so, and submitting or
exporting names it and asks for a confirmation — the words stay the user's. A submitted return
shows its frozen snapshot (``core.returns.snapshots``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import NotFound
from core.periods import spec_of
from core.returns.narrative_text import NarrativeContext, SectionDef, draft_sections, section_defs
from core.returns.store import StaleSection, ensure_editable
from core.returns.validation import CellValue, cell_values
from db.models import Indicator, Plan, Return, ReturnSection


def narrative_context(session: Session, ret: Return) -> NarrativeContext:
    from core.org.settings import get_setting, period_rules_for, rounding_rule, yearly_key
    from core.returns.plan_values import plan_for_period

    spec = spec_of(ret.period)
    start, end = spec.data_window(period_rules_for(session, ret.unit))
    plan: Plan | None = plan_for_period(session, ret.unit_id, spec.year)
    targets = target_specs(session, ret.unit, spec.year)
    # Units in the year's inspection plan: the plan's targets on 1.2.1 (sở, ngành) and 1.2.2 (UBND cấp
    # huyện); the older per-year setting only where no such target has been set.
    planned = sum(t.value for t in targets if t.code in ("1.2.1", "1.2.2") and not t.of_code and t.op != "le") \
        or get_setting(session, ret.unit, yearly_key("inspection.planned_units", spec.year))
    return NarrativeContext(
        spec, start, end,
        plan_document=plan.document_number if plan else None,
        plan_issue_date=plan.issue_date if plan else None,
        plan_year=spec.year,
        inspection_planned=int(planned) if planned else None,
        targets=tuple(targets),
        sub_plans=sub_plan_counts(session, ret.unit_id, spec),
        rounding=rounding_rule(session, ret.unit),
    )


@dataclass(frozen=True)
class TargetSpec:
    """A confirmed target as the narrative needs it (plain data, no session)."""

    id: int
    code: str
    of_code: str | None
    op: str
    value: float
    label: str
    percent: bool


def sub_plan_counts(session: Session, unit_id: int, spec) -> tuple[tuple[str, int, int], ...]:  # noqa: ANN001
    """(title, done, total) of each of the unit's sub-plans for the year, as of the period."""
    from core.plans.overview import overview
    from core.plans.task_state import sub_plans

    out = []
    for plan in sub_plans(session, unit_id, spec.year):
        o = overview(session, unit_id, spec.code, plan_id=plan.id)
        out.append((plan.title, o.done, o.total))
    return tuple(out)


def target_specs(session: Session, unit, year: int) -> list[TargetSpec]:  # noqa: ANN001 - a Unit
    from core.plans.targets import list_targets

    percent = set(session.scalars(select(Indicator.code).where(Indicator.value_type == "percent")))
    return [TargetSpec(t.id, t.code, t.of_code, t.op, float(t.value), t.label or t.code,
                       bool(t.of_code) or t.code in percent)
            for t in list_targets(session, unit_id=unit.id, year=year)]


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    level: int
    parent: str | None
    draft_text: str
    user_text: str | None
    stale: bool  # the user's text was written from a draft whose figures have since changed

    @property
    def edited(self) -> bool:
        return self.user_text is not None

    @property
    def text(self) -> str:
        """What the report prints: the user's text if any, else the draft."""
        return self.user_text if self.user_text is not None else self.draft_text

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "level": self.level, "draft_text": self.draft_text,
                "user_text": self.user_text, "text": self.text, "edited": self.edited, "stale": self.stale}


def ensure_sections(session: Session, ret: Return) -> dict[str, ReturnSection]:
    """Create the section rows a return lacks (titles follow the period and the area catalogue)."""
    defs = section_defs(session, spec_of(ret.period))
    have = {s.key: s for s in session.scalars(select(ReturnSection).where(ReturnSection.return_id == ret.id))}
    for order, d in enumerate(defs):
        row = have.get(d.key)
        if row is None:
            row = ReturnSection(return_id=ret.id, key=d.key, sort_order=order, title=d.title)
            session.add(row)
            have[d.key] = row
        elif row.user_text is None and ret.status == "draft":
            row.title, row.sort_order = d.title, order
    session.flush()
    return have


def current_drafts(session: Session, ret: Return, defs: list[SectionDef] | None = None,
                   live: Mapping[str, float] | None = None) -> dict[str, str]:
    """Key → the sentences drafted from the return's values as they are now (nothing is written).

    A draft's plan-derived numbers (1.1.1/1.1.2) are taken as the plan stands now
    (``live``, by default ``core.returns.plan_values.current_plan_values``), so the narrative says what the
    appendix and Phụ lục II of the same export say."""
    defs = defs if defs is not None else section_defs(session, spec_of(ret.period))
    if live is None:
        from core.returns.plan_values import (
            current_plan_values,  # plan_values builds on core.returns.store, as this does
        )

        live = current_plan_values(session, ret)
    values = cell_values(session, ret)
    for code, number in live.items():
        values[code] = replace(values.get(code, CellValue()), number=number, text=None, source="plan")
    return draft_sections(defs, values, narrative_context(session, ret))


def is_stale(user_text: str | None, draft_basis: str | None, draft_now: str) -> bool:
    """A hand-written section is stale when the draft it was written beside no longer matches
    the draft of the current figures. Text written before the product kept the basis is not judged."""
    return user_text is not None and draft_basis is not None and (draft_basis or "") != (draft_now or "")


@dataclass(frozen=True)
class DraftChange:
    key: str
    old: str | None
    new: str | None
    user_text_kept: bool  # the user has their own text, which was left as it is


def regenerate_drafts(session: Session, ret: Return) -> list[DraftChange]:
    """Redraft every section from the current values. Only ``draft_text`` changes; ``user_text`` never does."""
    ensure_editable(ret)
    rows = ensure_sections(session, ret)
    defs = section_defs(session, spec_of(ret.period))
    drafts = current_drafts(session, ret, defs)
    changes = []
    for d in defs:
        row = rows[d.key]
        new = drafts.get(d.key)
        if (row.draft_text or None) != new:
            changes.append(DraftChange(d.key, row.draft_text, new, row.user_text is not None))
            row.draft_text = new
    session.flush()
    return changes


def narrative_sections(session: Session, ret: Return, *, regenerate: bool = True) -> list[SectionView]:
    """The sections in print order, as the report prints them now.

    A draft return's drafts are computed from its current values every time (with ``regenerate``
    they are also stored); a hand-written section whose figures moved since is ``stale``.
    A submitted return shows its frozen snapshot: exactly what its exports print.
    """
    if ret.status == "submitted":
        from core.returns.snapshots import frozen_sections  # the snapshot module builds on this one

        frozen = frozen_sections(session, ret)
        if frozen is not None:
            return frozen
        return printed_sections(session, ret)
    if regenerate:
        regenerate_drafts(session, ret)
    else:
        ensure_sections(session, ret)
    return printed_sections(session, ret)


def printed_sections(session: Session, ret: Return, live: Mapping[str, float] | None = None) -> list[SectionView]:
    """What the printed report says, computed from the return's values now, without writing
    anything: for each section the user's text if any, else the draft; hand-written sections
    whose figures changed since they were written are marked ``stale``. ``live``: a draft's
    plan-derived numbers when the caller has them already (see ``current_drafts``)."""
    defs = section_defs(session, spec_of(ret.period))
    stored = {r.key: r for r in session.scalars(select(ReturnSection).where(ReturnSection.return_id == ret.id))}
    drafts = current_drafts(session, ret, defs, live)
    out = []
    for d in defs:
        row = stored.get(d.key)
        draft = drafts.get(d.key) or ""
        user_text = row.user_text if row else None
        out.append(SectionView(d.key, row.title if row else d.title, d.level, d.parent, draft, user_text,
                               is_stale(user_text, row.draft_basis if row else None, draft)))
    return out


def stale_sections(session: Session, ret: Return) -> list[StaleSection]:
    """The hand-written sections whose figures changed after they were written (none for a submitted return:
    the user confirmed them when submitting)."""
    if ret.status == "submitted":
        return []
    return [StaleSection(v.key, v.title) for v in printed_sections(session, ret) if v.stale]


def set_section_text(session: Session, ret: Return, key: str, text: str | None, user: str | None = None) -> bool:
    """Store the user's text of a section. ``None`` goes back to the drafted text; ``""`` keeps the
    section empty on purpose. The draft of the current figures is kept beside the text
    (``draft_basis``), so a later change of the figures flags the section. Returns whether
    anything changed; every change is audited."""
    ensure_editable(ret)
    rows = ensure_sections(session, ret)
    row = rows.get(key)
    if row is None:
        raise NotFound(f"Báo cáo không có phần “{key}”.")
    new = None if text is None else text.replace("\r\n", "\n").strip()
    basis = (current_drafts(session, ret).get(key) or "") if new is not None else None
    if new == row.user_text:
        if new is not None and row.draft_basis != basis:
            row.draft_basis = basis  # the same words, confirmed again against the figures of now
            session.flush()
            return True
        return False
    old = row.user_text
    row.user_text = new
    row.draft_basis = basis
    audit.record(session, "update", "section", row.id, return_id=ret.id, field=key,
                 old=old if old is not None else "(bản nháp tự động)",
                 new=new if new is not None else "(bản nháp tự động)", user=user)
    session.flush()
    return True
