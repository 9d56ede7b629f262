"""Plans (Kế hoạch CCHC): the neutral draft shape every plan source produces, and storing it.

Importers (Excel tables, the bundled demo plan) build a ``PlanDraft``; ``store_plan``
matches areas and units, parses timeframes and writes everything in the caller's
transaction, so a failure stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.forms import area_aliases
from core.org.unit_names import UnitMatcher, split_unit_list
from core.org.units import fold
from core.plans.timeframe import Timeframe, parse_timeframe
from db.models import Activity, Area, Plan, Task, TaskMilestone, TaskPartner, Unit


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
    # The timeframe as the preview read it, with the (plan year, recurring year) it was read for: the
    # import does not read the cell again.
    timeframe: tuple[tuple[int | None, int | None], Timeframe] | None = field(default=None, repr=False,
                                                                              compare=False)


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
    """Write a plan with its tasks, milestones, activities and unit links.

    The plan is an ORM object; its rows below go in with one Core executemany per table (a plan of
    thousands of tasks would otherwise walk each one through the unit of work), in plan order, so the
    ids follow ``sort_order`` as they always did."""
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
    year = draft.parse_year
    units = UnitMatcher(session)
    areas = [match_area(session, a.title) if a.title else None for a in draft.areas]
    session.flush()  # the plan's id, and units just added to the catalogue
    tasks: list[dict] = []
    parents_of: list[int | None] = []  # index in ``tasks`` of each task's parent
    milestones: list[tuple[int, list]] = []
    activities: list[tuple[int, list[dict]]] = []
    partners: list[tuple[int, list[int]]] = []
    read: dict[str | None, Timeframe] = {}  # a plan repeats its timeframes ("Thường xuyên", "Quý I/2022")

    def timeframe(text: str | None) -> Timeframe:
        tf = read.get(text)
        if tf is None:
            tf = read[text] = parse_timeframe(text, plan_year=year, recurring_year=draft.recurring_year)
        return tf

    for area_draft, area in zip(draft.areas, areas, strict=True):
        parents: dict[str, int] = {}
        for td in area_draft.tasks:
            index = len(tasks)
            if td.timeframe is not None and td.timeframe[0] == (year, draft.recurring_year):
                tf = td.timeframe[1]
            else:
                tf = timeframe(td.timeframe_text)
            # The lead is the first unit named; co-leads stay in the text as written.
            names = split_unit_list(td.lead or "")
            lead = units.match_name(names[0]) if names else None
            tasks.append({
                "plan_id": plan.id, "area_id": area.id if area is not None else None,
                "area_numeral": area_draft.numeral, "area_title": area_draft.title or None,
                "parent_task_id": None, "number": td.number, "sort_order": index + 1, "objective": td.objective,
                "title": td.title, "output": td.output, "lead_unit_id": lead.id if lead is not None else None,
                "lead_unit_text": td.lead, "partner_units_text": td.partners, "timeframe_text": td.timeframe_text,
                "due_date": tf.due_date, "recurring": tf.recurring, "conditional": tf.conditional,
                "timeframe_flagged": tf.flagged, "budget": td.budget, "source_row": td.source_row,
            })
            partner_ids = [u.id for u in dict.fromkeys(units.match(td.partners)) if u is not lead]
            if partner_ids:
                partners.append((index, partner_ids))
            if tf.milestones:
                milestones.append((index, tf.milestones))
            if td.activities:
                rows = []
                for i, ad in enumerate(td.activities):
                    atf = timeframe(ad.timeframe_text) if ad.timeframe_text else None
                    rows.append({"sort_order": i, "title": ad.title, "output": ad.output,
                                 "timeframe_text": ad.timeframe_text, "due_date": atf.due_date if atf else None,
                                 "lead_unit_text": ad.lead, "partner_units_text": ad.partners, "budget": ad.budget})
                activities.append((index, rows))
            # Nested numbering: "1.2" hangs under "1" of the same area.
            parent = parents.get(td.number.rsplit(".", 1)[0]) if td.number and "." in td.number else None
            parents_of.append(parent)
            if td.number:
                parents[td.number] = index
    # Tasks go in a level at a time, as the ORM's unit of work put them: the top-level tasks in plan order,
    # then the tasks under them, … — each task's parent has its id before the task is written.
    depth: list[int] = []
    for parent in parents_of:
        depth.append(0 if parent is None else depth[parent] + 1)
    ids: list[int] = [0] * len(tasks)
    for level in range(max(depth, default=-1) + 1):
        indexes = [i for i, d in enumerate(depth) if d == level]
        for i in indexes:
            if parents_of[i] is not None:
                tasks[i]["parent_task_id"] = ids[parents_of[i]]
        for i, task_id in zip(indexes, _insert_ordered(session, Task, [tasks[i] for i in indexes]), strict=True):
            ids[i] = task_id
    _insert_ordered(session, TaskMilestone, [
        {"task_id": ids[i], "sort_order": n, "label": m.label, "due_date": m.due_date}
        for i, ms in milestones for n, m in enumerate(ms)], returning=False)
    _insert_ordered(session, Activity, [{"task_id": ids[i], **row} for i, rows in activities for row in rows],
                    returning=False)
    _insert_ordered(session, TaskPartner, [{"task_id": ids[i], "unit_id": u} for i, us in partners for u in us],
                    returning=False)
    session.expire(plan, ["tasks"])  # read from the rows just written when asked for
    audit.record(session, "create", "plan", plan.id, new=f"{plan.title} ({draft.task_count} nhiệm vụ)")
    return plan


def _insert_ordered(session: Session, model: type, rows: list[dict], *, returning: bool = True) -> list[int]:
    """Insert ``rows`` into ``model``'s table in one executemany; their ids in the order given."""
    if not rows:
        return []
    table = model.__table__
    if not returning:
        session.connection().execute(insert(table), rows)
        return []
    result = session.connection().execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


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
