"""Task progress (core.plans.progress): validation, derived status, evidence files, carry forward, overview."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from core.appdata import attachments_dir
from core.org.units import get_unit
from core.periods import ensure_period, parse_period_code
from core.plans.evidence import add_evidence, evidence_file, remove_evidence
from core.plans.overview import overview
from core.plans.progress import (
    ProgressError,
    carry_forward,
    carry_targets,
    get_progress,
    next_period_code,
    save_progress,
)
from core.plans.status import completion_headline, effective_status
from core.plans.store import AreaDraft, PlanDraft, TaskDraft, store_plan
from core.plans.task_list import task_detail, task_statuses
from db.engine import open_database
from db.models import AuditEntry, Evidence, Period, Plan, Task, TaskProgress, UnitSetting
from tests.helpers.plan_tables import demo_db_copy


@pytest.fixture()
def db(tmp_path: Path):
    database = open_database(demo_db_copy(tmp_path / "cchc.db"))
    yield database
    database.close()


@pytest.fixture()
def plan2022(db):
    """A small 2022 plan of the demo province with known deadlines."""
    with db.transaction() as s:
        unit = get_unit(s, "MH")
        draft = PlanDraft(title="Kế hoạch CCHC năm 2022", year_from=2022, year_to=2022, areas=[
            AreaDraft("I", "Cải cách thể chế", [
                TaskDraft("1", "Rà soát văn bản", lead="Sở Tư pháp", timeframe_text="Quý I/2022"),
                TaskDraft("2", "Theo dõi thi hành pháp luật", lead="Sở Tư pháp", timeframe_text="Thường xuyên"),
                TaskDraft("3", "Báo cáo năm", lead="Sở Tư pháp", timeframe_text="Trước ngày 10/7/2022"),
            ]),
            AreaDraft("II", "Cải cách thủ tục hành chính", [
                TaskDraft("1", "Công bố TTHC", lead="Văn phòng UBND tỉnh",
                          timeframe_text="Năm 2021 và các năm tiếp theo"),
                TaskDraft("2", "Số hóa hồ sơ", lead="Sở Thông tin và Truyền thông", timeframe_text="Tháng 6/2022"),
            ]),
        ])
        plan = store_plan(s, unit, draft)
        periods = {c: ensure_period(s, c).id for c in ("2022-Q1", "2022-H1", "2022-Q3", "2022-Y")}
        tasks = {(t.area_numeral, t.number): t.id for t in plan.tasks}
        return {"plan": plan.id, "unit": unit.id, "periods": periods, "tasks": tasks}


# --- validation ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    ({"status": "in_progress", "percent_done": 120}, "từ 0 đến 100%"),
    ({"status": "in_progress", "percent_done": "-5"}, "từ 0 đến 100%"),
    ({"status": "in_progress", "percent_done": "năm mươi"}, "không phải là số"),
    ({"status": "done"}, "cần có ngày hoàn thành"),
    ({"status": "done", "completed_on": "20/06/2022"}, "sau ngày chốt số liệu"),
    ({"status": "done", "completed_on": date(2022, 3, 1), "percent_done": 80}, "là 100%"),
    ({"status": "overdue"}, "do chương trình tự xác định"),
    ({"status": "Quá hạn chưa hoàn thành"}, "do chương trình tự xác định"),
    ({"status": "xong rồi"}, "không hợp lệ"),
    ({"status": "not_started", "percent_done": 30}, "chưa triển khai"),
    ({"status": "in_progress", "percent_done": 100}, "hãy chọn trạng thái Hoàn thành"),
    ({"status": "in_progress", "completed_on": "01/03/2022"}, "Chỉ ghi ngày hoàn thành"),
    ({"status": "done", "completed_on": "31/02/2022"}, "tháng 2 năm 2022 không có ngày 31"),  # issue 15
])
def test_save_progress_refuses_broken_rules(db, plan2022, kwargs, message) -> None:
    with db.transaction() as s:
        with pytest.raises(ProgressError, match=message):
            save_progress(s, plan2022["tasks"][("I", "1")], plan2022["periods"]["2022-Q1"], **kwargs)
        assert s.scalar(select(TaskProgress).where(TaskProgress.task_id == plan2022["tasks"][("I", "1")])) is None


def test_save_progress_stores_derived_status_and_audits(db, plan2022) -> None:
    t1 = plan2022["tasks"][("I", "1")]
    q1 = plan2022["periods"]["2022-Q1"]
    with db.transaction() as s:
        p = save_progress(s, t1, q1, status="Đang thực hiện", percent_done="50,5",
                          result_text="  Đã rà soát 12 văn bản ", difficulties="")
        assert (p.entered_status, p.status, p.percent_done) == ("in_progress", "in_progress", 50.5)
        assert p.result_text == "Đã rà soát 12 văn bản" and p.difficulties is None
    with db.transaction() as s:
        p = save_progress(s, t1, q1, status="hoàn thành", completed_on="10/03/2022",
                          result_text="Ban hành Quyết định số 766/QĐ-UBND")
        assert (p.status, p.percent_done, p.completed_on) == ("done_on_time", 100.0, date(2022, 3, 10))
    with db.session() as s:
        fields = {a.field for a in s.scalars(select(AuditEntry).where(AuditEntry.entity == "task_progress"))}
        assert {"entered_status", "status", "percent_done", "completed_on", "result_text"} <= fields


def test_status_is_derived_from_deadline_cutoff_and_completion(db, plan2022) -> None:
    t1 = plan2022["tasks"][("I", "1")]  # due 31/03/2022
    with db.transaction() as s:
        h1 = plan2022["periods"]["2022-H1"]
        q1 = plan2022["periods"]["2022-Q1"]
        # Q1 cut-off 14/3: not yet due
        assert save_progress(s, t1, q1, status="in_progress").status == "in_progress"
        # H1 cut-off 14/6: the deadline has passed
        assert save_progress(s, t1, h1, status="in_progress").status == "overdue"
        assert save_progress(s, t1, h1, status="not_started").status == "overdue"
        assert save_progress(s, t1, h1, status="done", completed_on="25/03/2022").status == "done_on_time"
        assert save_progress(s, t1, h1, status="done", completed_on="02/04/2022").status == "done_late"
        task = s.get(Task, t1)
        progress = get_progress(s, t1, h1)
        progress.entered_status = "in_progress"
        spec = parse_period_code("2022-H1")
        assert effective_status(task, progress, spec) == "overdue"
        assert effective_status(task, progress, spec, today=date(2022, 3, 31)) == "in_progress"
        assert effective_status(task, None, spec) == "overdue"
        # no deadline ("Thường xuyên"): never overdue
        t2 = s.get(Task, plan2022["tasks"][("I", "2")])
        assert effective_status(t2, None, parse_period_code("2022-Y")) == "not_started"
        # a recurring deadline repeats yearly: 31/12/2021 → 31/12/2022, not yet due at the 2022 cut-off
        t4 = s.get(Task, plan2022["tasks"][("II", "1")])
        assert t4.recurring and t4.due_date == date(2021, 12, 31)
        assert effective_status(t4, None, parse_period_code("2022-Y")) == "not_started"
        assert effective_status(t4, None, parse_period_code("2021-Y"), today=date(2022, 1, 5)) == "not_started"


def test_unit_cutoff_setting_moves_the_reference_day(db, plan2022) -> None:
    t2 = plan2022["tasks"][("II", "2")]  # due 30/06/2022
    with db.transaction() as s:
        q3 = ensure_period(s, "2022-9M").id
        s.add(UnitSetting(unit_id=plan2022["unit"], key="period.cutoff_day", value="10"))
        s.flush()
        # 9 months: cut-off 10/9 instead of 14/9; completion on 12/9 is after it
        with pytest.raises(ProgressError, match="10/09/2022"):
            save_progress(s, t2, q3, status="done", completed_on="12/09/2022")


# --- evidence ------------------------------------------------------------------------------------

@pytest.mark.sqlite_only(reason="the attachments folder beside the SQLite file (server: test_shared_server.py)")
def test_evidence_file_is_copied_with_its_name_and_hash(db, plan2022, tmp_path: Path) -> None:
    t1 = plan2022["tasks"][("I", "1")]
    q1 = plan2022["periods"]["2022-Q1"]
    name_nfd = unicodedata.normalize("NFD", "Quyết định 766-QĐ-UBND.pdf")
    src = tmp_path / "nguồn" / name_nfd
    src.parent.mkdir()
    src.write_bytes(b"%PDF-1.4 quyet dinh 766")
    other = tmp_path / "khác" / "Quyết định 766-QĐ-UBND.pdf"
    other.parent.mkdir()
    other.write_bytes(b"%PDF-1.4 another decision")
    with db.transaction() as s:
        ev = add_evidence(s, t1, q1, document_number="Quyết định số 766/QĐ-UBND", document_date="26/12/2021",
                          summary="Ban hành Kế hoạch rà soát", file=src, db_path=db.path)
        assert ev.file_name == "Quyết định 766-QĐ-UBND.pdf"  # NFC, diacritics kept
        assert ev.sha256 == hashlib.sha256(b"%PDF-1.4 quyet dinh 766").hexdigest()
        assert ev.file_size == len(b"%PDF-1.4 quyet dinh 766")
        stored = evidence_file(ev, db.path)
        assert stored.read_bytes() == src.read_bytes()
        assert stored.parent == attachments_dir(db.path) / str(t1)
        assert ev.stored_path == f"cchc.attachments/{t1}/Quyết định 766-QĐ-UBND.pdf"
        again = add_evidence(s, t1, q1, file=src, db_path=db.path)
        assert again.stored_path == ev.stored_path  # the same file is not copied twice
        second = add_evidence(s, t1, q1, file=other, db_path=db.path)
        assert second.stored_path.endswith("Quyết định 766-QĐ-UBND (2).pdf")
        assert get_progress(s, t1, q1).entered_status == "not_started"
        detail = task_detail(s, t1, q1)
        assert [e.document_number for e in detail.evidence] == ["Quyết định số 766/QĐ-UBND", None, None]
        remove_evidence(s, second.id)
        assert evidence_file(second, db.path).exists()  # the copy stays: nothing is lost
        assert len(task_detail(s, t1, q1).evidence) == 2


@pytest.mark.sqlite_only(reason="without db_path a file is refused on SQLite; a server keeps it in the database")
def test_evidence_refusals(db, plan2022, tmp_path: Path) -> None:
    t1 = plan2022["tasks"][("I", "1")]
    q1 = plan2022["periods"]["2022-Q1"]
    with db.transaction() as s:
        with pytest.raises(ProgressError, match="cần có số/ký hiệu"):
            add_evidence(s, t1, q1)
        with pytest.raises(ProgressError, match="Không tìm thấy tệp"):
            add_evidence(s, t1, q1, file=tmp_path / "không có.pdf", db_path=db.path)
        with pytest.raises(ProgressError, match="thư mục dữ liệu"):
            add_evidence(s, t1, q1, file=tmp_path / "x.pdf")
        with pytest.raises(ProgressError, match="Ngày văn bản"):
            add_evidence(s, t1, q1, document_number="Quyết định số 1/QĐ-UBND", document_date="32/13/2022")
        assert s.scalar(select(Evidence).join(TaskProgress).where(TaskProgress.task_id == t1)) is None


# --- carry forward -------------------------------------------------------------------------------

def test_next_period_codes() -> None:
    """Issue 11: Quý III → Quý IV (not 9 tháng); 6 tháng → Quý III or 9 tháng; Năm and Quý IV → next Quý I."""
    assert [next_period_code(c) for c in ("2022-Q1", "2022-H1", "2022-Q3", "2022-9M", "2022-Q4", "2022-Y")] == [
        "2022-H1", "2022-Q3", "2022-Q4", "2022-Q4", "2023-Q1", "2023-Q1"]
    assert carry_targets("2022-H1") == ["2022-Q3", "2022-9M"]
    assert carry_targets("2022-Q2") == ["2022-Q3", "2022-9M"]
    assert carry_targets("2022-Q3") == ["2022-Q4"]
    assert carry_targets("2022-Y") == ["2023-Q1"]


def test_carry_forward_is_one_action(db, plan2022, tmp_path: Path) -> None:
    tasks, periods = plan2022["tasks"], plan2022["periods"]
    src = tmp_path / "Báo cáo.docx"
    src.write_bytes(b"bao cao")
    with db.transaction() as s:
        q1 = periods["2022-Q1"]
        save_progress(s, tasks[("I", "1")], q1, status="in_progress", percent_done=40, difficulties="Thiếu người")
        save_progress(s, tasks[("I", "3")], q1, status="done", completed_on="01/03/2022")
        add_evidence(s, tasks[("I", "3")], q1, document_number="Báo cáo số 5/BC-STP", file=src, db_path=db.path)
        h1 = periods["2022-H1"]
        save_progress(s, tasks[("II", "2")], h1, status="in_progress", percent_done=70)
        result = carry_forward(s, plan2022["plan"], q1, h1)
        assert sorted(result.copied) == sorted([tasks[("I", "1")], tasks[("I", "3")]])
        assert result.skipped == []
        moved = get_progress(s, tasks[("I", "1")], h1)
        assert (moved.entered_status, moved.percent_done, moved.difficulties) == ("in_progress", 40, "Thiếu người")
        assert moved.status == "overdue"  # due 31/03/2022, H1 cut-off 14/06/2022
        done = get_progress(s, tasks[("I", "3")], h1)
        assert (done.status, done.completed_on) == ("done_on_time", date(2022, 3, 1))
        assert [e.document_number for e in done.evidence] == ["Báo cáo số 5/BC-STP"]
        assert done.evidence[0].stored_path == get_progress(s, tasks[("I", "3")], q1).evidence[0].stored_path
        # again: already there, kept unless overwrite
        save_progress(s, tasks[("I", "1")], h1, status="in_progress", percent_done=90)
        again = carry_forward(s, plan2022["plan"], q1, h1)
        assert sorted(again.skipped) == sorted([tasks[("I", "1")], tasks[("I", "3")]]) and again.copied == []
        assert get_progress(s, tasks[("I", "1")], h1).percent_done == 90
        carry_forward(s, plan2022["plan"], q1, h1, task_ids=[tasks[("I", "1")]], overwrite=True)
        assert get_progress(s, tasks[("I", "1")], h1).percent_done == 40
        assert len(get_progress(s, tasks[("I", "3")], h1).evidence) == 1
        with pytest.raises(ProgressError, match="phải sau"):
            carry_forward(s, plan2022["plan"], h1, q1)
        assert "chuyển tiến độ của 2 nhiệm vụ" in result.message


# --- lists and overview ----------------------------------------------------------------------------

def test_task_statuses_filters_and_flags(db, plan2022) -> None:
    tasks, periods = plan2022["tasks"], plan2022["periods"]
    with db.transaction() as s:
        h1 = periods["2022-H1"]
        save_progress(s, tasks[("I", "1")], h1, status="in_progress")
        rows = task_statuses(s, plan2022["plan"], h1)
        by = {(r.area_numeral, r.number): r for r in rows}
        assert by[("I", "1")].overdue and by[("I", "1")].status_label == "Quá hạn chưa hoàn thành"
        # H1 cut-off 14/6: 30/6 and 10/7 fall within the next 30 days
        assert by[("II", "2")].due_soon and by[("I", "3")].due_soon and not by[("I", "1")].due_soon
        assert by[("II", "2")].due_in_period is False  # 30/6 is after the H1 data window (15/12–14/6)
        assert by[("I", "1")].due_in_period is True
        assert by[("I", "1")].lead_unit_code == "MH.STP"
        assert [r.number for r in task_statuses(s, plan2022["plan"], h1, area="II")] == ["1", "2"]
        assert [r.number for r in task_statuses(s, plan2022["plan"], h1, area="cai cach the che")] == ["1", "2", "3"]
        assert [(r.area_numeral, r.number) for r in task_statuses(s, plan2022["plan"], h1, overdue_only=True)] == [
            ("I", "1")]
        # the H1 data window runs 15/12/2021–14/06/2022: it holds 31/03/2022 and II.1's 31/12/2021
        assert [(r.area_numeral, r.number) for r in task_statuses(s, plan2022["plan"], "2022-H1",
                                                                   due_in_period=True)] == [("I", "1"), ("II", "1")]
        stp = get_unit(s, "MH.STP").id
        assert len(task_statuses(s, plan2022["plan"], h1, lead_unit_id=stp)) == 3
        assert len(task_statuses(s, plan2022["plan"], h1, status="not_started")) == 4
        # a period with no row yet: status is still derived
        q3 = task_statuses(s, plan2022["plan"], "2022-Q3")
        assert {(r.area_numeral, r.number) for r in q3 if r.overdue} == {("I", "1"), ("I", "3"), ("II", "2")}


def test_overview_of_the_demo_matches_the_seed_report(db) -> None:
    with db.session() as s:
        unit = get_unit(s, "MH")
        h1 = s.scalar(select(Period).where(Period.code == "2021-H1"))
        o = overview(s, unit.id, h1.id)
        assert o.headline == "hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"
        assert (o.done, o.total) == (11, 38)
        assert sum(a.total for a in o.areas) == 38
        assert [a.numeral for a in o.areas] == ["I", "II", "III", "IV", "V", "VI", "VII"]
        assert {a.numeral: a.done for a in o.areas} == {"I": 1, "II": 1, "III": 0, "IV": 1, "V": 0, "VI": 5,
                                                       "VII": 3}
        assert o.reference_date == date(2021, 6, 14)


def test_overview_overdue_and_next_30_days(db, plan2022) -> None:
    tasks, periods = plan2022["tasks"], plan2022["periods"]
    with db.transaction() as s:
        h1 = periods["2022-H1"]
        save_progress(s, tasks[("I", "1")], h1, status="in_progress", percent_done=60)
        save_progress(s, tasks[("II", "2")], h1, status="done", completed_on="10/06/2022")
        plan = s.get(Plan, plan2022["plan"])
        o = overview(s, plan.unit_id, h1, plan_id=plan.id)
        assert o.headline == "hoàn thành 1/5 nhiệm vụ (đạt 20%)"
        assert [(d.area_numeral, d.number, d.due_date) for d in o.overdue] == [("I", "1", date(2022, 3, 31))]
        assert o.overdue[0].days == (date(2022, 3, 31) - date(2022, 6, 14)).days
        assert [(d.area_numeral, d.number) for d in o.due_soon] == [("I", "3")]  # 10/7; II.2 is done
        later = overview(s, plan.unit_id, h1, plan_id=plan.id, today=date(2022, 3, 1))
        assert later.reference_date == date(2022, 3, 1)
        assert [(d.area_numeral, d.number) for d in later.due_soon] == [("I", "1")]
        assert later.overdue == ()


def test_completion_headline_format() -> None:
    assert completion_headline(11, 38) == "hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"
    assert completion_headline(2, 3) == "hoàn thành 2/3 nhiệm vụ (đạt 66,67%)"
    assert completion_headline(25, 35) == "hoàn thành 25/35 nhiệm vụ (đạt 71,43%)"
    assert completion_headline(25, 35, "truncate") == "hoàn thành 25/35 nhiệm vụ (đạt 71,42%)"
    assert completion_headline(0, 0) == "hoàn thành 0/0 nhiệm vụ (đạt 0%)"


def test_overview_and_detail_accept_a_period_not_in_the_database(db, plan2022) -> None:
    """The GUI shows any period of the combo; one without a row yet has no progress, statuses still derived."""
    tasks = plan2022["tasks"]
    with db.session() as s:
        plan = s.get(Plan, plan2022["plan"])
        assert s.scalar(select(Period).where(Period.code == "2022-9M")) is None
        o = overview(s, plan.unit_id, "2022-9M", plan_id=plan.id)
        assert (o.period_code, o.done, o.total) == ("2022-9M", 0, 5)
        assert {(d.area_numeral, d.number) for d in o.overdue} == {("I", "1"), ("I", "3"), ("II", "2")}
        assert {d.plan_id for d in o.overdue} == {plan.id}
        detail = task_detail(s, tasks[("I", "1")], "2022-9M")
        assert (detail.period_code, detail.status, detail.evidence) == ("2022-9M", "overdue", ())
        assert s.scalar(select(Period).where(Period.code == "2022-9M")) is None  # reading created nothing


def test_task_rows_carry_their_activities(db) -> None:
    with db.session() as s:
        plan = s.scalar(select(Plan))
        rows = task_statuses(s, plan.id, "2021-H1")
        with_acts = [r for r in rows if r.activities]
        assert sum(len(r.activities) for r in rows) == sum(len(t.activities) for t in plan.tasks) > 0
        assert all(a.title for r in with_acts for a in r.activities)


def test_task_detail_describes_the_timeframe(db, plan2022) -> None:
    with db.session() as s:
        d = task_detail(s, plan2022["tasks"][("I", "3")], "2022-H1")
        assert (d.timeframe_summary, d.due_date, d.plan_id) == ("Hạn: 10/07/2022", date(2022, 7, 10), plan2022["plan"])
        assert d.unread_clauses == ()
        recurring = task_detail(s, plan2022["tasks"][("II", "1")], "2022-Y")
        assert recurring.due_date == date(2022, 12, 31)  # 31/12/2021 repeats every year
        assert recurring.timeframe_summary.startswith("Thường xuyên")


def test_a_task_completed_earlier_stays_completed_in_later_periods(demo_db):
    """Seed 004: 11 tasks were completed by 14/6/2021; with nothing recorded later they are still
    completed in Quý III and at the year end, and a later record of a task wins over an earlier one."""
    from core.org.units import get_unit

    with demo_db.session() as s:
        unit = get_unit(s, "MH")
        for code in ("2021-Q3", "2021-9M", "2021-Y"):
            assert overview(s, unit.id, code).headline == "hoàn thành 11/38 nhiệm vụ (đạt 28,95%)", code
        assert overview(s, unit.id, "2021-Q1").headline == "hoàn thành 0/38 nhiệm vụ (đạt 0%)"
    with demo_db.transaction() as s:
        task = s.scalar(select(Task).where(Task.area_numeral == "II", Task.number == "2"))
        q3 = ensure_period(s, "2021-Q3")
        save_progress(s, task.id, q3.id, status="done", completed_on=date(2021, 9, 1))
    with demo_db.session() as s:
        unit = get_unit(s, "MH")
        assert overview(s, unit.id, "2021-Q3").headline == "hoàn thành 12/38 nhiệm vụ (đạt 31,58%)"
        assert overview(s, unit.id, "2021-H1").headline == "hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"
