"""The completeness board: every unit below with its state, counts and the "đã nhận X/Y đơn vị" sentence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.app.demo import demo_plan_draft
from core.intake.completeness import completeness
from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.org.settings import set_setting
from core.org.units import get_unit
from core.periods import ensure_period
from core.plans.store import store_plan
from db.models import Task, TaskProgress, Unit
from tests.helpers.consolidation_helpers import Province, edit_cells
from tests.helpers.returns_helpers import with_kps

H1 = "2021-H1"


def _district_with_17_communes(p: Province) -> list[str]:
    """UBND huyện Đồng Xanh with 17 communes, in both databases (the communes' PCs and the district)."""
    codes = [f"DX.X{i:02d}" for i in range(1, 18)]
    for db in (p.child, p.office):
        with db.transaction() as s:
            district = Unit(code="DX", name="UBND huyện Đồng Xanh", level="huyen")
            s.add(district)
            for i, code in enumerate(codes, start=1):
                s.add(Unit(code=code, name=f"UBND xã Đồng Xanh {i:02d}", level="xa", parent=district))
    return codes


def test_received_on_time_late_missing_and_the_sentence(province: Province) -> None:
    codes = _district_with_17_communes(province)
    for i, code in enumerate(codes[:15]):
        province.fill(code, {"1.1.1": i}, H1)
        # 12 sent by the due date (20/06/2021), 3 after it.
        when = datetime(2021, 6, 20, 16, 59) if i < 12 else datetime(2021, 6, 23 + 2 * (i - 12), 8, 0)
        province.export(code, H1, at=when)
    report = import_returns(province.office, "DX", [province.inbox], ImportPolicy(period_code=H1))
    assert report.stored == 15
    with province.office.session() as s:
        board = completeness(s, "DX", H1)
    assert board.sentence == "đã nhận 15/17 đơn vị (đạt 88,24%)"
    c = board.counts()
    assert (c["on_time"], c["late"], c["missing"], c["decision"], c["expected"]) == (12, 3, 2, 0, 17)
    assert board.headline() == ("6 tháng đầu năm 2021 (hạn 20/06/2021): đã nhận 15/17 đơn vị (đạt 88,24%); "
                                "đúng hạn 12, quá hạn 3, chưa nhận 2; đã chấp nhận 0/17 đơn vị, chờ xem xét 15.")
    rows = {r.unit_code: r for r in board.rows}
    assert rows["DX.X01"].state_label == "Đã nhận, đúng hạn"
    assert rows["DX.X01"].received_text == "20/06/2021 16:59"
    late = rows["DX.X14"]
    assert (late.state_label, late.days_late, late.note) == ("Đã nhận, quá hạn", 5, "Chậm 5 ngày")
    assert rows["DX.X16"].state_label == "Chưa nhận" and rows["DX.X16"].received_at is None
    # The missing units, ready to paste into a reminder.
    assert board.reminder_text() == (
        "Các đơn vị chưa gửi báo cáo CCHC 6 tháng đầu năm 2021 (hạn 20/06/2021), 2/17 đơn vị:\n"
        "1. UBND xã Đồng Xanh 16\n2. UBND xã Đồng Xanh 17")
    # The due date follows the district's own period rules.
    with province.office.transaction() as s:
        set_setting(s, get_unit(s, "DX"), "period.due_day", 25)
    with province.office.session() as s:
        board = completeness(s, "DX", H1)
    assert board.counts()["late"] == 1 and board.due_date.day == 25


def test_a_file_waiting_for_a_decision_shows_as_such(province: Province) -> None:
    province.fill("MH.SNV", {"1.1.1": 3}, H1)
    path = province.export("MH.SNV", H1)
    edit_cells(path, {"1.1.1": 4})
    import_returns(province.office, "MH", [path])
    with province.office.session() as s:
        board = completeness(s, "MH", H1)
    row = next(r for r in board.rows if r.unit_code == "MH.SNV")
    assert row.state == "decision" and row.state_label == "Cần quyết định" and not row.has_return
    assert "ô bị sửa trong Excel" in row.decision_reason
    assert board.counts()["decision"] == 1 and board.sentence == "đã nhận 0/8 đơn vị (đạt 0%)"
    assert "4. Sở Nội vụ (tệp đã gửi có ô bị sửa trong Excel sau khi xuất)\n" in board.reminder_text()
    # Settled once the user accepts the file.
    import_returns(province.office, "MH", [path], ImportPolicy(edits="file"))
    with province.office.session() as s:
        row = next(r for r in completeness(s, "MH", H1).rows if r.unit_code == "MH.SNV")
    assert row.state == "on_time"


def test_children_are_the_units_in_effect_at_the_end_of_the_period(province: Province) -> None:
    with province.office.session() as s:
        h1 = [r.unit_code for r in completeness(s, "MH", "2025-H1").rows]
        q3 = [r.unit_code for r in completeness(s, "MH", "2025-Q3").rows]
    assert "MH.HAB" in h1 and "MH.XAB" not in h1  # the district is abolished on 1/7/2025
    assert "MH.HAB" not in q3 and {"MH.XAB", "MH.PTH", "MH.DKHN"} <= set(q3)
    assert "MH.STTTT" not in h1  # ended 28/02/2025


def test_another_unit_accepted_by_the_user_is_listed_apart(province: Province) -> None:
    province.fill("MH.SNV.CCHC", {"1.1.1": 1}, H1)
    path = province.export("MH.SNV.CCHC", H1)
    import_returns(province.office, "MH", [path])
    with province.office.session() as s:
        board = completeness(s, "MH", H1)
    other = board.other_rows
    assert [(r.unit_code, r.state) for r in other] == [("MH.SNV.CCHC", "decision")]
    import_returns(province.office, "MH", [path], ImportPolicy(other_units="accept"))
    with province.office.session() as s:
        board = completeness(s, "MH", H1)
    assert [(r.unit_code, r.state, r.expected) for r in board.other_rows] == [("MH.SNV.CCHC", "on_time", False)]
    assert board.counts()["expected"] == 8 and board.counts()["others"] == 1
    assert "ngoài ra 1 đơn vị khác đã được xác nhận" in board.headline()


def test_each_units_task_completion_comes_from_its_file(province: Province) -> None:
    with province.child.transaction() as s:
        unit = get_unit(s, "MH.SNV")
        plan = store_plan(s, unit, demo_plan_draft())
        period = ensure_period(s, H1)
        tasks = s.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id)).all()
        for t in tasks[:5]:
            s.add(TaskProgress(task=t, period=period, status="done_on_time", percent_done=100.0))
        total = len(tasks)
    province.fill("MH.SNV", {"2.1": 1}, H1)
    import_returns(province.office, "MH", [province.export("MH.SNV", H1)])
    with province.office.session() as s:
        board = completeness(s, "MH", H1)
    row = next(r for r in board.rows if r.unit_code == "MH.SNV")
    assert total == 38 and (row.task_done, row.task_total) == (5, 38)
    assert row.task_text == "5/38 (13,16%)"  # rounded half up, one rule everywhere


def test_a_return_typed_on_this_database_counts_once_submitted(province: Province) -> None:
    from core.returns.entry import find_unit_return
    from core.returns.store import submit

    province.fill("MH.STP", with_kps("so", {"1.1.1": 2}), H1, db=province.office)
    with province.office.session() as s:
        row = next(r for r in completeness(s, "MH", H1).rows if r.unit_code == "MH.STP")
    assert row.state == "missing" and row.note == "Đang lập báo cáo trên máy này (Nháp)"
    with province.office.transaction() as s:
        submit(s, find_unit_return(s, "MH.STP", H1))
    with province.office.session() as s:
        row = next(r for r in completeness(s, "MH", H1).rows if r.unit_code == "MH.STP")
    assert row.has_return and row.received_basis == "submitted"
