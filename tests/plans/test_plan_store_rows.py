"""store_plan writes its rows with one executemany per table: the rows, their ids, their links and the
audit entry are what the ORM wrote one object at a time (a known plan, its rows worked out by hand)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.org.units import get_unit
from core.plans.store import ActivityDraft, AreaDraft, PlanDraft, TaskDraft, store_plan
from db.models import Activity, AuditEntry, Plan, Task, TaskMilestone, TaskPartner, Unit


def _draft() -> PlanDraft:
    return PlanDraft(title="Kế hoạch CCHC năm 2022", year_from=2022, year_to=2022, areas=[
        AreaDraft("I", "Cải cách thể chế", [
            TaskDraft("1", "Rà soát văn bản", lead="Sở Tư pháp", partners="Sở Nội vụ; Sở Tư pháp",
                      timeframe_text="- Ban hành kế hoạch trước ngày 31/01/2022\n- Báo cáo kết quả trong Quý IV/2022",
                      activities=[ActivityDraft("Lập danh mục", timeframe_text="Tháng 3/2022"),
                                  ActivityDraft("Báo cáo", lead="Văn phòng")]),
            TaskDraft("1.1", "Rà soát văn bản của tỉnh", lead="Sở Tư pháp", timeframe_text="Quý I/2022"),
            TaskDraft("1.2", "Rà soát văn bản của huyện", timeframe_text="Thường xuyên"),
            TaskDraft("2", "Theo dõi thi hành pháp luật", lead="Sở Nội vụ", timeframe_text="Thường xuyên"),
        ]),
        AreaDraft("II", "Cải cách thủ tục hành chính", [
            TaskDraft("1", "Công bố TTHC", lead="Văn phòng UBND tỉnh", timeframe_text="Tháng 6/2022"),
            TaskDraft("1.1", "Công khai TTHC", timeframe_text="Quý I/2022"),
        ]),
    ])


def test_rows_ids_links_and_audit_of_a_known_plan(demo_db) -> None:  # noqa: ANN001
    with demo_db.transaction() as s:
        unit = get_unit(s, "MH")
        unit_id = unit.id
        before = s.scalar(select(Task.id).order_by(Task.id.desc()).limit(1)) or 0
        plan = store_plan(s, unit, _draft())
        plan_id = plan.id
        assert [t.sort_order for t in plan.tasks] == [1, 2, 3, 4, 5, 6]  # the relationship reads the rows back
    with demo_db.session() as s:
        units = {u.name: u.id for u in s.scalars(select(Unit))}
        tasks = list(s.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.id)))
        # Ids one after another, as the ORM's unit of work gave them: a level at a time (the top-level
        # tasks in plan order, then the tasks under them), so a parent always has the smaller id.
        assert [t.id for t in tasks] == list(range(before + 1, before + 7))
        assert [(t.area_numeral, t.number, t.sort_order) for t in tasks] == [
            ("I", "1", 1), ("I", "2", 4), ("II", "1", 5), ("I", "1.1", 2), ("I", "1.2", 3), ("II", "1.1", 6)]
        by = {(t.area_numeral, t.number): t for t in tasks}
        # "1.1" and "1.2" hang under "1" of their own area, never under "1" of another.
        assert by["I", "1.1"].parent_task_id == by["I", "1"].id
        assert by["I", "1.2"].parent_task_id == by["I", "1"].id
        assert by["II", "1.1"].parent_task_id == by["II", "1"].id
        assert [by[k].parent_task_id for k in (("I", "1"), ("I", "2"), ("II", "1"))] == [None, None, None]
        # The lead is linked; the partners without the lead (named twice) are linked once.
        assert by["I", "1"].lead_unit_id == units["Sở Tư pháp"]
        assert by["I", "1.2"].lead_unit_id is None
        assert s.scalars(select(TaskPartner.unit_id).where(TaskPartner.task_id == by["I", "1"].id)).all() == [
            units["Sở Nội vụ"]]
        assert by["I", "1"].area_id is not None and by["I", "1"].area_id != by["II", "1"].area_id
        # Two dated clauses → two milestones in order; the due date is the last one (31/12/2022).
        ms = s.execute(select(TaskMilestone.task_id, TaskMilestone.sort_order, TaskMilestone.due_date)
                       .order_by(TaskMilestone.id)).all()
        mine = [m for m in ms if m.task_id == by["I", "1"].id]
        assert [(m.sort_order, m.due_date) for m in mine] == [(0, date(2022, 1, 31)), (1, date(2022, 12, 31))]
        assert by["I", "1"].due_date == date(2022, 12, 31)
        assert by["I", "1.1"].due_date == date(2022, 3, 31)
        assert by["I", "2"].recurring and by["I", "2"].due_date is None
        acts = s.execute(select(Activity.task_id, Activity.sort_order, Activity.title, Activity.due_date,
                                Activity.lead_unit_text).order_by(Activity.id)).all()
        assert [tuple(a) for a in acts if a.task_id == by["I", "1"].id] == [
            (by["I", "1"].id, 0, "Lập danh mục", date(2022, 3, 31), None),
            (by["I", "1"].id, 1, "Báo cáo", None, "Văn phòng")]
        plan = s.get(Plan, plan_id)
        assert plan.unit_id == unit_id and plan.year_from == plan.year_to == 2022
        audit = s.execute(select(AuditEntry.action, AuditEntry.entity, AuditEntry.new_value)
                          .where(AuditEntry.entity == "plan", AuditEntry.entity_id == plan_id)).all()
        assert [tuple(a) for a in audit] == [("create", "plan", "Kế hoạch CCHC năm 2022 (6 nhiệm vụ)")]
