"""Values brought in from the plan: task counts with their provenance; overrides need a note."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.app.demo import load_demo
from core.org.settings import set_setting
from core.org.units import get_unit
from core.periods import ensure_period
from core.plans.store import AreaDraft, PlanDraft, TaskDraft, store_plan
from core.returns.entry import apply_edits, find_unit_return, grid_rows, open_return
from core.returns.plan_values import completed_task_ids, counted_task_ids, plan_figures, refresh_plan_values
from core.returns.store import SubmitRefusedError, reopen, submit, values_by_code
from db.engine import open_database
from db.models import AuditEntry, Plan, Task, TaskProgress
from tests.helpers.returns_helpers import PROVINCE, db_fixture

H1_DETAIL = "Từ Kế hoạch 751/QĐ-UBND: 11/38 nhiệm vụ hoàn thành đến 14/6/2021"


@pytest.fixture
def demo(tmp_path):
    database = open_database(tmp_path / "demo.db")
    with database.transaction() as s:
        load_demo(s)
    yield database
    database.close()


@pytest.fixture
def db(tmp_path):
    yield from db_fixture(tmp_path)


def _rows(s, ret):
    return {r.code: r for r in grid_rows(s, ret.id)}


def test_a_draft_gets_the_plans_counts_with_where_they_came_from(demo):
    with demo.transaction() as s:
        q3 = open_return(s, "MH", "2021-Q3")
        rows = _rows(s, q3)
    assert (rows["1.1.1"].value_display, rows["1.1.1"].source, rows["1.1.1"].source_label) == ("38", "plan",
                                                                                              "Từ Kế hoạch")
    assert rows["1.1.1"].source_detail == "Từ Kế hoạch 751/QĐ-UBND: 38 nhiệm vụ"
    assert rows["1.1.2"].value_display == "11"
    assert rows["1.1.2"].source_detail == "Từ Kế hoạch 751/QĐ-UBND: 11/38 nhiệm vụ hoàn thành đến 14/9/2021"
    assert rows["1.1.2"].previous_display == ""  # no Q2 return


def test_the_six_month_return_names_its_cut_off(demo):
    with demo.transaction() as s:
        h1 = find_unit_return(s, "MH", "2021-H1")
        reopen(s, h1, "Lấy số liệu từ Kế hoạch")
        updates = refresh_plan_values(s, h1)
        assert [(u.code, u.plan_value, u.overridden) for u in updates] == [("1.1.1", 38, False), ("1.1.2", 11, False)]
        row = _rows(s, h1)["1.1.2"]
    assert (row.source, row.source_detail) == ("plan", H1_DETAIL)


def test_overriding_a_plan_value_needs_a_note(demo):
    with demo.transaction() as s:
        h1 = find_unit_return(s, "MH", "2021-H1")
        reopen(s, h1, "Điều chỉnh")
        refresh_plan_values(s, h1)
        result = apply_edits(s, h1.id, [("1.1.2", "12")])
        (p,) = result.report.problems
        assert (p.kind, p.codes, p.blocking) == ("plan", ("1.1.2",), True)
        row = _rows(s, h1)["1.1.2"]
        assert (row.value_display, row.source, row.source_value_display, row.overridden) == ("12", "manual", "11", True)
        assert row.source_detail == H1_DETAIL  # the plan's figure stays visible beside the override
        with pytest.raises(SubmitRefusedError) as exc:
            submit(s, h1)
        assert "1.1.2" in str(exc.value)
        refresh_plan_values(s, h1)  # a refresh never overwrites the user's number
        assert values_by_code(s, h1)["1.1.2"].value_num == 12
        apply_edits(s, h1.id, [("1.1.2", "12", "Thêm 01 nhiệm vụ hoàn thành ngày 14/6/2021, chưa cập nhật tiến độ")])
        submit(s, h1)
        assert h1.status == "submitted"


def test_typing_the_plans_number_again_makes_it_plan_sourced(demo):
    with demo.transaction() as s:
        q3 = open_return(s, "MH", "2021-Q3")
        result = apply_edits(s, q3.id, [("1.1.2", "15")])
        apply_edits(s, q3.id, result.inverse())  # undo
        row = _rows(s, q3)["1.1.2"]
    assert (row.value_display, row.source, row.overridden) == ("11", "plan", False)


def test_progress_in_the_period_moves_the_count_and_is_audited(demo):
    with demo.transaction() as s:
        q3_period = ensure_period(s, "2021-Q3")
        plan = s.scalars(select(Plan)).one()
        task = s.scalars(select(Task).where(Task.plan_id == plan.id, Task.area_numeral == "I",
                                            Task.number == "1")).one()
        s.add(TaskProgress(task=task, period=q3_period, status="done_late", percent_done=100.0))
        s.flush()
        q3 = open_return(s, "MH", "2021-Q3")
        assert values_by_code(s, q3)["1.1.2"].value_num == 12
        entry = s.scalars(select(AuditEntry).where(AuditEntry.field == "1.1.2", AuditEntry.return_id == q3.id)
                          .order_by(AuditEntry.id.desc())).first()
    assert (entry.old_value, entry.new_value) == ("11", "12")
    assert entry.reason == "Từ Kế hoạch 751/QĐ-UBND: 12/38 nhiệm vụ hoàn thành đến 14/9/2021"


def test_the_units_cut_off_is_used(demo):
    with demo.transaction() as s:
        set_setting(s, get_unit(s, "MH"), "period.cutoff_day", 10)
        q3 = open_return(s, "MH", "2021-Q3")
        assert _rows(s, q3)["1.1.2"].source_detail.endswith("hoàn thành đến 10/9/2021")


def test_the_latest_status_of_a_task_counts(demo):
    with demo.transaction() as s:
        h1, q3 = ensure_period(s, "2021-H1"), ensure_period(s, "2021-Q3")
        plan = s.scalars(select(Plan)).one()
        ids = counted_task_ids(s, plan.id)
        done_h1 = completed_task_ids(s, ids, h1)
        assert len(ids) == 38 and len(done_h1) == 11
        reverted = s.get(Task, next(iter(done_h1)))
        s.add(TaskProgress(task=reverted, period=q3, status="in_progress"))
        s.flush()
        assert len(completed_task_ids(s, ids, q3)) == 10
        assert len(completed_task_ids(s, ids, h1)) == 11  # a later period does not rewrite an earlier count


def test_a_task_split_into_parts_counts_its_parts(db):
    with db.transaction() as s:
        unit = get_unit(s, PROVINCE)
        draft = PlanDraft(title="Kế hoạch CCHC năm 2022", year_from=2022, year_to=2022, areas=[
            AreaDraft("I", "Cải cách thể chế", [TaskDraft("1", "Nhiệm vụ 1"), TaskDraft("1.1", "Phần 1"),
                                                  TaskDraft("1.2", "Phần 2"), TaskDraft("2", "Nhiệm vụ 2")]),
        ])
        store_plan(s, unit, draft)
        figs = plan_figures(s, unit, ensure_period(s, "2022-Q1"))
        assert (figs.total, figs.done, figs.plan_name) == (3, 0, "Kế hoạch CCHC năm 2022")
        q1 = open_return(s, PROVINCE, "2022-Q1")
        row = _rows(s, q1)["1.1.2"]
    assert (row.value_display, row.source_detail) == (
        "0", "Từ Kế hoạch CCHC năm 2022: 0/3 nhiệm vụ hoàn thành đến 14/3/2022")


def test_no_plan_no_values(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        assert values_by_code(s, ret) == {}
        assert plan_figures(s, get_unit(s, PROVINCE), ensure_period(s, "2021-H1")) is None
