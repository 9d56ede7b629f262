"""Plans (Kế hoạch CCHC): the neutral draft shape every plan source produces, and storing it.

Importers (Excel tables, the bundled demo plan) build a ``PlanDraft``; ``store_plan``
matches areas and units, parses timeframes and writes everything in the caller's
transaction, so a failure stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.forms import area_aliases
from core.org.unit_names import UnitMatcher, split_unit_list
from core.org.units import fold
from core.plans.timeframe import parse_timeframe
from db.models import Activity, Area, Plan, Task, TaskMilestone, Unit


@dataclass
class ActivityDraft:
    title: str
    output: str | None = None
    timeframe_text: str | None = None
    lead: str | None = None
    partners: str | None = None
    budget: str | None = None


@dataclass
class TaskDraft:
    number: str | None
    title: str
    objective: str | None = None
    output: str | None = None
    lead: str | None = None
    partners: str | None = None
    timeframe_text: str | None = None
    budget: str | None = None
    activities: list[ActivityDraft] = field(default_factory=list)
    source_row: int | None = None


@dataclass
class AreaDraft:
    numeral: str | None
    title: str
    tasks: list[TaskDraft] = field(default_factory=list)


@dataclass
class PlanDraft:
    title: str
    year_from: int
    year_to: int
    document_number: str | None = None
    issue_date: date | None = None
    source_file: str | None = None
    areas: list[AreaDraft] = field(default_factory=list)
    # The year that completes a date written without one ("tháng 3"). None: a one-year plan uses
    # its year, a plan over several years uses none (such a date stays unread and flagged).
    timeframe_year: int | None = None
    # False when the plan's year was written nowhere (year_from/year_to are then a placeholder).
    year_known: bool = True

    @property
    def parse_year(self) -> int | None:
        if self.timeframe_year is not None:
            return self.timeframe_year
        return self.year_from if self.year_known and self.year_from == self.year_to else None

    @property
    def recurring_year(self) -> int | None:
        """The year a yearly clause without a year ("Tháng 6 hằng năm") starts in: the plan's first."""
        return self.year_from if self.year_known else None

    @property
    def task_count(self) -> int:
        return sum(len(a.tasks) for a in self.areas)

    @property
    def activity_count(self) -> int:
        return sum(len(t.activities) for a in self.areas for t in a.tasks)


def match_area(session: Session, title: str) -> Area | None:
    """The catalogue area a plan heading belongs to, by name or alias (diacritics/case ignored)."""
    key = fold(title)
    areas = {a.code: a for a in session.scalars(select(Area))}
    best: tuple[int, Area] | None = None
    for code, names in area_aliases().items():
        for name in names:
            f = fold(name)
            if f == key or f in key or key in f:
                score = len(f)
                if code in areas and (best is None or score > best[0]):
                    best = (score, areas[code])
    return best[1] if best else None


def store_plan(session: Session, unit: Unit, draft: PlanDraft) -> Plan:
    """Write a plan with its tasks, milestones, activities and unit links."""
    plan = Plan(
        unit=unit,
        document_number=draft.document_number,
        issue_date=draft.issue_date,
        year_from=draft.year_from,
        year_to=draft.year_to,
        title=draft.title,
        source_file=draft.source_file,
    )
    session.add(plan)
    order = 0
    year = draft.parse_year
    units = UnitMatcher(session)
    # Matched before any task is added: a query after thousands of pending tasks flushes them each time.
    areas = [match_area(session, a.title) if a.title else None for a in draft.areas]
    for area_draft, area in zip(draft.areas, areas, strict=True):
        parents: dict[str, Task] = {}
        for td in area_draft.tasks:
            order += 1
            tf = parse_timeframe(td.timeframe_text, plan_year=year, recurring_year=draft.recurring_year)
            # The lead is the first unit named; co-leads stay in the text as written.
            names = split_unit_list(td.lead or "")
            lead = units.match_name(names[0]) if names else None
            partners = units.match(td.partners)
            task = Task(
                plan=plan,
                area=area,
                area_numeral=area_draft.numeral,
                area_title=area_draft.title or None,
                number=td.number,
                sort_order=order,
                objective=td.objective,
                title=td.title,
                output=td.output,
                lead_unit=lead,
                lead_unit_text=td.lead,
                partner_units_text=td.partners,
                timeframe_text=td.timeframe_text,
                due_date=tf.due_date,
                recurring=tf.recurring,
                conditional=tf.conditional,
                timeframe_flagged=tf.flagged,
                budget=td.budget,
                source_row=td.source_row,
            )
            task.partners = [u for u in dict.fromkeys(partners) if task.lead_unit is not u]
            for i, m in enumerate(tf.milestones):
                task.milestones.append(TaskMilestone(sort_order=i, label=m.label, due_date=m.due_date))
            for i, ad in enumerate(td.activities):
                atf = (parse_timeframe(ad.timeframe_text, plan_year=year, recurring_year=draft.recurring_year)
                       if ad.timeframe_text else None)
                task.activities.append(
                    Activity(sort_order=i, title=ad.title, output=ad.output, timeframe_text=ad.timeframe_text,
                             due_date=atf.due_date if atf else None, lead_unit_text=ad.lead,
                             partner_units_text=ad.partners, budget=ad.budget)
                )
            # Nested numbering: "1.2" hangs under "1" of the same area.
            if td.number and "." in td.number:
                parent = parents.get(td.number.rsplit(".", 1)[0])
                if parent is not None:
                    task.parent_task = parent
            if td.number:
                parents[td.number] = task
            session.add(task)
    session.flush()
    audit.record(session, "create", "plan", plan.id, new=f"{plan.title} ({draft.task_count} nhiệm vụ)")
    return plan


def plans_for_unit(session: Session, unit_id: int) -> list[Plan]:
    return list(session.scalars(select(Plan).where(Plan.unit_id == unit_id).order_by(Plan.year_from.desc())))


class SubPlanError(Refused, ValueError):
    """A sub-plan link refused (unknown plan, another unit's plan, a loop)."""


def set_sub_plan(session: Session, plan_id: int, parent_id: int | None) -> Plan:
    """Make ``plan_id`` a sub-plan of ``parent_id`` (None: a plan of its own again). A sub-plan — the year's
    Kế hoạch tuyên truyền or Kế hoạch kiểm tra — is reported as its own count ("05/10 nhiệm vụ"), not added
    to the main plan's tasks."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise SubPlanError(f"Không có kế hoạch số {plan_id}.")
    if parent_id is not None:
        parent = session.get(Plan, parent_id)
        if parent is None:
            raise SubPlanError(f"Không có kế hoạch số {parent_id}.")
        if parent.id == plan.id or parent.parent_plan_id is not None:
            raise SubPlanError("Kế hoạch chính phải là một kế hoạch riêng (không phải chính nó, không phải kế hoạch "
                               "con của kế hoạch khác).")
        if parent.unit_id != plan.unit_id:
            raise SubPlanError("Kế hoạch con phải cùng đơn vị với kế hoạch chính.")
        if session.scalar(select(Plan.id).where(Plan.parent_plan_id == plan.id).limit(1)) is not None:
            raise SubPlanError(f"Kế hoạch số {plan.id} đang có kế hoạch con, nên không làm kế hoạch con được.")
    old = plan.parent_plan_id
    plan.parent_plan_id = parent_id
    session.flush()
    audit.record(session, "update", "plan", plan.id, field="parent_plan_id", old=old, new=parent_id)
    return plan
