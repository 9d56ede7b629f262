"""One state per task per period (issue 11, items 2 and 6): ``task --json``, the untouched save,
carried evidence, carry-forward targets, yearly deadlines in a multi-year plan and the rounding rule,
driven through the CLI on the demo database and re-read from what the user gets (JSON, .xlsx cells)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from sqlalchemy import select

from cli import run
from core.periods import ensure_period
from core.plans.evidence import add_evidence, remove_evidence
from core.plans.progress import save_progress
from core.plans.task_list import task_detail
from core.plans.task_state import task_state
from core.reports.workbook_format import DATA_SHEET, STATS_SHEET, TASKS_SHEET
from db.engine import open_database
from db.models import Evidence, TaskProgress
from tests.conftest import dump_tables
from tests.helpers.plan_tables import demo_db_copy
from tests.helpers.returns_helpers import with_kps, write_csv

# The demo's report has empty narrative sections (I.4, III, IV, V): these exports are made on purpose.
EXPORT = ("export", "--allow-empty-sections")

VII1_RESULT = "Ban hành Kế hoạch tuyên truyền CCHC năm 2021"


@pytest.fixture()
def db_file(tmp_path: Path) -> Path:
    return demo_db_copy(tmp_path / "cchc.db")


def _json(capsys) -> dict:  # noqa: ANN001
    return json.loads(capsys.readouterr().out)


def _task_id(db_file: Path, numeral: str, number: str, plan_id: int = 1) -> int:
    con = sqlite3.connect(db_file)
    try:
        return con.execute("SELECT id FROM task WHERE plan_id=? AND area_numeral=? AND number=?",
                           (plan_id, numeral, number)).fetchone()[0]
    finally:
        con.close()


def _xlsx_values(path: Path) -> dict[str, object]:
    """Phụ lục I: the value under each indicator code, as the level above reads the workbook."""
    wb = openpyxl.load_workbook(path)
    ws = wb[STATS_SHEET]
    refs = {row[1]: row[3] for row in wb[DATA_SHEET].iter_rows(values_only=True) if row[0] == "cell"}
    return {code: ws[ref].value for code, ref in refs.items()}


def _task_rows(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[TASKS_SHEET]
    return [[c.value for c in r] for r in ws.iter_rows(min_row=7)]


# --- case 2: a completed task is not un-completed in a later period ------------------------------------

def test_case2_vii1_in_quy_iii_is_completed_with_its_evidence_and_an_untouched_save_changes_nothing(
        db_file: Path, tmp_path: Path, capsys) -> None:
    """Issue 11, case 2: in Quý III/2021 VII.1 is "Hoàn thành đúng hạn" with Quyết định 752 (both carried
    from 6 tháng đầu năm 2021); saving it untouched writes nothing, the headline stays 11/38 and the
    submitted 1.1.2 stays 11."""
    base = ["--db", str(db_file)]
    vii1 = _task_id(db_file, "VII", "1")
    assert run([*base, "task", "--task", str(vii1), "--period", "2021-Q3", "--json"]) == 0
    out = _json(capsys)
    assert (out["status"], out["status_label"], out["done"]) == ("done_on_time", "Hoàn thành đúng hạn", True)
    assert (out["entered_status"], out["percent_done"], out["result"]) == ("done", 100.0, VII1_RESULT)
    assert out["task"]["title"] == VII1_RESULT and out["period"] == "2021-Q3"
    assert out["carried_from"] == "2021-H1" and out["recorded_in_period"] is False
    carried = {"kind": "carried", "period": "2021-H1", "period_label": "6 tháng đầu năm 2021"}
    assert out["sources"] == dict.fromkeys(
        ("entered_status", "status", "percent_done", "completed_on", "result", "difficulties", "evidence"), carried)
    assert [(e["document_number"], e["document_date"], e["source"]) for e in out["evidence"]] == [
        ("Quyết định số 752/QĐ-UBND", "2020-12-26", carried)]

    assert run([*base, "task", "--task", str(vii1), "--period", "2021-Q3"]) == 0
    text = capsys.readouterr().out
    assert "Trạng thái: Hoàn thành đúng hạn — chuyển từ kỳ 6 tháng đầu năm 2021" in text
    assert "Quyết định số 752/QĐ-UBND ngày 26/12/2020: Kế hoạch tuyên truyền công tác CCHC năm 2021" in text

    before = dump_tables(db_file)
    assert run([*base, "progress", "--task", str(vii1), "--period", "2021-Q3", "--status", "hoàn thành",
                "--percent", "100", "--result", VII1_RESULT, "--json"]) == 0
    out = _json(capsys)
    assert out["changed"] is False and out["status"] == "done_on_time"
    assert dump_tables(db_file) == before  # nothing written: no record, no audit entry

    assert run([*base, "overview", "--unit", "MH", "--period", "2021-Q3", "--json"]) == 0
    out = _json(capsys)
    assert (out["done"], out["total"]) == (11, 38)
    assert out["headline"] == "hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"  # 11/38 = 28,947… → 28,95

    # The rest of the return answered "Không phát sinh" (no blank row is submitted); 1.1.1/1.1.2 come from the plan.
    rest = write_csv(tmp_path / "kps.csv", [(c, v, "") for c, v in with_kps("tinh", {}).items()
                                            if c not in ("1.1.1", "1.1.2")])
    assert run([*base, "set-values", "--unit", "MH", "--period", "2021-Q3", "--from", str(rest)]) == 0
    assert run([*base, "submit", "--unit", "MH", "--period", "2021-Q3"]) == 0
    capsys.readouterr()
    xlsx = tmp_path / "q3.xlsx"
    assert run([*base, "export", "--unit", "MH", "--period", "2021-Q3", "--xlsx", str(xlsx)]) == 0
    values = _xlsx_values(xlsx)
    assert (values["1.1.1"], values["1.1.2"]) == (38, 11)
    row = next(r for r in _task_rows(xlsx) if r[0] == "VII" and r[1] == "1")
    assert row[5] == "Hoàn thành đúng hạn"
    assert row[7] == "Quyết định số 752/QĐ-UBND ngày 26/12/2020: Kế hoạch tuyên truyền công tác CCHC năm 2021"


def test_a_change_in_a_later_period_keeps_the_carried_evidence(demo_db) -> None:
    with demo_db.transaction() as s:
        task = s.scalar(select(TaskProgress.task_id).join(Evidence).where(
            Evidence.document_number == "Quyết định số 752/QĐ-UBND"))
        q3 = ensure_period(s, "2021-Q3")
        state = save_progress(s, task, q3.id, status="done", completed_on="20/12/2020", result_text=VII1_RESULT)
        # The new Quý III record holds the carried document; only the completion date is recorded here.
        assert state.record.kind == "recorded" and state.source("completed_on").kind == "recorded"
        assert state.source("result_text").period_code == "2021-H1"
        assert [(e.document_number, e.source.period_code) for e in state.evidence] == [
            ("Quyết định số 752/QĐ-UBND", "2021-H1")]
        add_evidence(s, task, q3.id, document_number="Báo cáo số 12/BC-SNV", summary="Kết quả tuyên truyền quý III")
        detail = task_detail(s, task, "2021-Q3")
        assert [(e.document_number, e.source.kind) for e in detail.evidence] == [
            ("Quyết định số 752/QĐ-UBND", "carried"), ("Báo cáo số 12/BC-SNV", "recorded")]
        assert [e.document_number for e in task_state(s, task, "2021-H1").evidence] == [
            "Quyết định số 752/QĐ-UBND"]  # the 6-month record is as it was


def test_removing_a_carried_document_in_a_later_period_keeps_it_in_the_earlier_one(demo_db) -> None:
    with demo_db.transaction() as s:
        ev = s.scalar(select(Evidence).where(Evidence.document_number == "Quyết định số 158/QĐ-UBND"))
        task = ev.progress.task_id
        q3 = ensure_period(s, "2021-Q3")
        remove_evidence(s, ev.id, period_id=q3.id)  # the id the screen showed: the 6-month record's
        state = task_state(s, task, q3)
        assert state.evidence == () and state.status == "done_on_time" and state.record.kind == "recorded"
        assert state.source("evidence").kind == "recorded" and state.source("entered_status").kind == "carried"
        assert [e.document_number for e in task_state(s, task, "2021-H1").evidence] == [
            "Quyết định số 158/QĐ-UBND"]


def test_adding_evidence_in_a_later_period_does_not_un_complete_the_task(demo_db) -> None:
    with demo_db.transaction() as s:
        task = s.scalar(select(TaskProgress.task_id).join(Evidence).where(
            Evidence.document_number == "Quyết định số 104/QĐ-UBND"))
        q3 = ensure_period(s, "2021-Q3")
        add_evidence(s, task, q3.id, document_number="Kết luận kiểm tra số 5/KL-SNV")
        state = task_state(s, task, q3)
        assert state.status == "done_on_time" and state.entered_status == "done"
        assert [e.document_number for e in state.evidence] == ["Quyết định số 104/QĐ-UBND",
                                                               "Kết luận kiểm tra số 5/KL-SNV"]


def test_task_command_refuses_unknown_task_and_bad_period(db_file: Path, capsys) -> None:
    base = ["--db", str(db_file)]
    assert run([*base, "task", "--task", "9999", "--period", "2021-Q3"]) == 1
    assert "Không có nhiệm vụ mã 9999" in capsys.readouterr().err
    assert run([*base, "task", "--task", "1", "--period", "2021-Q7"]) == 1
    err = capsys.readouterr().err
    assert "Mã kỳ báo cáo “2021-Q7” không hợp lệ" in err and "Traceback" not in err


# --- carry-forward (case 6) ---------------------------------------------------------------------------

def test_carry_forward_from_quy_iii_goes_to_quy_iv(db_file: Path, capsys) -> None:
    """Issue 11, case 6: from Quý III the next period is Quý IV; "9 tháng" ends the same day and was refused."""
    base = ["--db", str(db_file)]
    assert run([*base, "carry-forward", "--plan", "1", "--from", "2021-Q3", "--json"]) == 0
    out = _json(capsys)
    assert (out["from"], out["to"], len(out["copied"]), out["skipped"]) == ("2021-Q3", "2021-Q4", 38, [])
    vii1 = _task_id(db_file, "VII", "1")
    assert run([*base, "task", "--task", str(vii1), "--period", "2021-Q4", "--json"]) == 0
    out = _json(capsys)
    assert out["status"] == "done_on_time" and out["record_period"] == "2021-Q4"
    assert out["carried_from"] == "2021-H1"  # copied unchanged: still the 6-month record's values
    assert [e["document_number"] for e in out["evidence"]] == ["Quyết định số 752/QĐ-UBND"]
    # 9 tháng ends on the day Quý III ends: not a later period
    assert run([*base, "carry-forward", "--plan", "1", "--from", "2021-Q3", "--to", "2021-9M"]) == 1
    assert "phải sau kỳ nguồn" in capsys.readouterr().err


def test_carry_forward_targets_from_six_months_year_and_quy_iv(db_file: Path, capsys) -> None:
    base = ["--db", str(db_file)]
    assert run([*base, "carry-forward", "--plan", "1", "--from", "2021-H1", "--json"]) == 0
    assert _json(capsys)["to"] == "2021-Q3"
    assert run([*base, "carry-forward", "--plan", "1", "--from", "2021-H1", "--to", "2021-9M", "--json"]) == 0
    out = _json(capsys)
    assert out["to"] == "2021-9M" and len(out["copied"]) == 38
    assert run([*base, "carry-forward", "--plan", "1", "--from", "2021-Y", "--json"]) == 0
    out = _json(capsys)
    # tasks with a yearly deadline ("hàng năm") start a new cycle in 2022: not carried
    yearly = out["restarted"]
    assert out["to"] == "2022-Q1" and len(out["copied"]) + len(yearly) == 38 and yearly
    assert run([*base, "carry-forward", "--plan", "1", "--from", "2021-Q4", "--json"]) == 0
    out = _json(capsys)
    assert out["to"] == "2022-Q1" and len(out["skipped"]) == 38 - len(yearly)  # Năm already carried there
    assert out["restarted"] == yearly
    before = dump_tables(db_file)
    assert run([*base, "carry-forward", "--plan", "1", "--from", "2021-Q5"]) == 1
    assert "không hợp lệ" in capsys.readouterr().err
    assert dump_tables(db_file) == before


# --- yearly deadlines in a multi-year plan (case 6) -----------------------------------------------------

def _plan_2026(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2026 - 2030"])
    ws.append([])
    ws.append(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"])
    ws.append(["I", "Cải cách thủ tục hành chính"])
    ws.append(["1", "Rà soát, đơn giản hóa thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở, ngành",
               "Tháng 6 hằng năm"])
    ws.append(["2", "Số hóa hồ sơ, kết quả giải quyết TTHC", "Văn phòng UBND tỉnh", "", "Năm 2027"])
    ws.append(["3", "Báo cáo kết quả kiểm soát TTHC", "Văn phòng UBND tỉnh", "", "Thường xuyên"])
    wb.save(path)
    return path


def test_tháng_6_hằng_năm_in_a_2026_2030_plan_is_due_every_30_06(db_file: Path, tmp_path: Path, capsys) -> None:
    """Issue 11, case 6: "Tháng 6 hằng năm" gets 30/06 of every year of the plan. A completion in 2026
    does not satisfy 2027: on 14/9/2027 the task is overdue until something is recorded in 2027."""
    base = ["--db", str(db_file)]
    assert run([*base, "import-plan", str(_plan_2026(tmp_path / "kh 2026-2030.xlsx")), "--unit", "MH",
                "--json"]) == 0
    plan = _json(capsys)
    assert (plan["year_from"], plan["year_to"], plan["flagged_timeframes"]) == (2026, 2030, [])
    yearly = _task_id(db_file, "I", "1", plan["plan_id"])

    assert run([*base, "task", "--task", str(yearly), "--period", "2026-Q3", "--json"]) == 0
    out = _json(capsys)
    assert (out["deadline"], out["recurring"], out["status"]) == ("2026-06-30", True, "overdue")
    assert run([*base, "progress", "--task", str(yearly), "--period", "2026-H1", "--status", "hoàn thành",
                "--completed-on", "10/06/2026", "--result", "Đã rà soát 25 TTHC"]) == 0
    capsys.readouterr()
    assert run([*base, "task", "--task", str(yearly), "--period", "2026-Q3", "--json"]) == 0
    assert _json(capsys)["status"] == "done_on_time"

    assert run([*base, "task", "--task", str(yearly), "--period", "2027-Q1", "--json"]) == 0
    out = _json(capsys)
    assert (out["deadline"], out["status"], out["result"]) == ("2027-06-30", "not_started", None)
    assert out["previous_cycle"]["period"] == "2026-H1"
    assert run([*base, "task", "--task", str(yearly), "--period", "2027-Q3", "--json"]) == 0
    out = _json(capsys)
    assert (out["reference_date"], out["deadline"], out["status"]) == ("2027-09-14", "2027-06-30", "overdue")
    assert run([*base, "tasks", "--plan", str(plan["plan_id"]), "--period", "2027-Q3", "--overdue", "--json"]) == 0
    assert [t["number"] for t in _json(capsys)["tasks"]] == ["1"]
    # carried into 2027 it is not: the year starts a new cycle
    assert run([*base, "carry-forward", "--plan", str(plan["plan_id"]), "--from", "2026-Y", "--json"]) == 0
    out = _json(capsys)
    assert (out["to"], out["copied"], out["restarted"]) == ("2027-Q1", [], [yearly])
    assert run([*base, "progress", "--task", str(yearly), "--period", "2027-H1", "--status", "done",
                "--completed-on", "28/06/2027"]) == 1  # after the 6-month cut-off (14/06/2027)
    assert "sau ngày chốt số liệu" in capsys.readouterr().err
    assert run([*base, "progress", "--task", str(yearly), "--period", "2027-Q3", "--status", "done",
                "--completed-on", "28/06/2027"]) == 0
    capsys.readouterr()
    assert run([*base, "task", "--task", str(yearly), "--period", "2027-Q3", "--json"]) == 0
    assert _json(capsys)["status"] == "done_on_time"
    assert run([*base, "task", "--task", str(yearly), "--period", "2028-Q3", "--json"]) == 0
    assert _json(capsys)["status"] == "overdue"  # and again in 2028


# --- one rounding rule (case 6) -------------------------------------------------------------------------

def test_rates_round_half_up_unless_the_unit_chooses_truncation(db_file: Path, tmp_path: Path, capsys) -> None:
    """25/35 → 71,43%, 11/38 → 28,95% everywhere; a unit may choose truncation (28,94%) and every rate it
    prints follows: the overview, Phụ lục II and the narrative of its exported report — except a submitted
    (frozen) return, which keeps the rule it was submitted with until it is reopened."""
    base = ["--db", str(db_file)]
    assert run([*base, "overview", "--unit", "MH", "--period", "2021-H1", "--json"]) == 0
    assert _json(capsys)["headline"] == "hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"
    before = dump_tables(db_file)
    assert run([*base, "settings", "--unit", "MH", "--set", "report.rounding=xuống dòng"]) == 1
    err = capsys.readouterr().err
    assert "Làm tròn tỉ lệ phần trăm" in err and "half_up, truncate" in err
    assert dump_tables(db_file) == before
    assert run([*base, "settings", "--unit", "MH", "--set", "report.rounding=cắt bỏ"]) == 0
    capsys.readouterr()
    assert run([*base, "overview", "--unit", "MH", "--period", "2021-H1", "--json"]) == 0
    assert _json(capsys)["headline"] == "hoàn thành 11/38 nhiệm vụ (đạt 28,94%)"

    def totals(period: str) -> list[str]:
        xlsx = tmp_path / f"{period}.xlsx"
        assert run([*base, "export", "--unit", "MH", "--period", period, "--xlsx", str(xlsx)]) == 0
        capsys.readouterr()
        return [r[1] for r in _task_rows(xlsx) if r[1] and str(r[1]).startswith("TỔNG CỘNG")]

    # The Quý III draft takes the rule up; the submitted 6-month return keeps the one it was frozen with.
    assert totals("2021-Q3") == ["TỔNG CỘNG: 38 nhiệm vụ; hoàn thành 11/38 nhiệm vụ (đạt 28,94%); đang thực hiện "
                                 "27; chưa triển khai 0; quá hạn 0."]
    assert totals("2021-H1") == ["TỔNG CỘNG: 38 nhiệm vụ; hoàn thành 11/38 nhiệm vụ (đạt 28,95%); đang thực hiện "
                                 "27; chưa triển khai 0; quá hạn 0."]
    assert run([*base, "reopen", "--unit", "MH", "--period", "2021-H1", "--reason", "Làm tròn theo quy định mới"]) == 0
    capsys.readouterr()
    assert totals("2021-H1") == ["TỔNG CỘNG: 38 nhiệm vụ; hoàn thành 11/38 nhiệm vụ (đạt 28,94%); đang thực hiện "
                                 "27; chưa triển khai 0; quá hạn 0."]
    assert run([*base, "settings", "--unit", "MH", "--set", "report.rounding=half_up"]) == 0
    capsys.readouterr()
    assert run([*base, "overview", "--unit", "MH", "--period", "2021-H1", "--json"]) == 0
    assert _json(capsys)["headline"] == "hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"


def test_rounding_rule_is_a_plain_string_a_report_can_ask_for(demo_db) -> None:
    from core.org.settings import rounding_rule, set_setting
    from core.org.units import get_unit

    with demo_db.transaction() as s:
        unit = get_unit(s, "MH")
        assert rounding_rule(s, unit) == "half_up"
        assert set_setting(s, unit, "report.rounding", "truncate")
        assert rounding_rule(s, unit) == "truncate"
        assert rounding_rule(s, get_unit(s, "MH.STP")) == "half_up"  # a unit's own choice, not inherited
        assert set_setting(s, unit, "report.rounding", "")  # blank: back to the default
        assert rounding_rule(s, unit) == "half_up"


# --- a draft exports the plan's counts as they stand --------------------------------------------------

def test_a_draft_exports_the_plan_counts_as_they_stand_now(db_file: Path, tmp_path: Path, capsys) -> None:
    """Progress recorded after the Quý III draft was last opened: its export still says 12 everywhere
    (1.1.2, Phụ lục II, the narrative), as the task list does."""
    base = ["--db", str(db_file)]
    task = _task_id(db_file, "II", "2")
    assert run([*base, "progress", "--task", str(task), "--period", "2021-Q3", "--status", "done",
                "--completed-on", "01/09/2021"]) == 0
    capsys.readouterr()
    xlsx, pdf = tmp_path / "q3.xlsx", tmp_path / "q3.pdf"
    assert run([*base, *EXPORT, "--unit", "MH", "--period", "2021-Q3", "--xlsx", str(xlsx), "--pdf", str(pdf)]) == 0
    values = _xlsx_values(xlsx)
    assert (values["1.1.1"], values["1.1.2"]) == (38, 12)
    totals = [r[1] for r in _task_rows(xlsx) if r[1] and str(r[1]).startswith("TỔNG CỘNG")]
    assert totals[0].startswith("TỔNG CỘNG: 38 nhiệm vụ; hoàn thành 12/38 nhiệm vụ (đạt 31,58%)")
    from tests.reports.test_pdf_export import _fold, _text

    text = _fold(_text(pdf))
    assert "Đến hết ngày 14/9/2021, đã hoàn thành 12/38 nhiệm vụ trong Kế hoạch CCHC (đạt 31,58%)." in text
    from core.returns.entry import find_unit_return
    from core.returns.store import values_by_code

    db = open_database(db_file)
    try:
        with db.session() as s:  # exporting wrote nothing: the stored draft value is brought in on opening
            assert values_by_code(s, find_unit_return(s, "MH", "2021-Q3"))["1.1.2"].value_num == 11
    finally:
        db.close()


def test_reporting_plans_narrowest_span_wins(demo_db) -> None:
    from core.org.units import get_unit
    from core.plans.store import AreaDraft, PlanDraft, TaskDraft, store_plan
    from core.plans.task_state import reporting_plans

    with demo_db.transaction() as s:
        unit = get_unit(s, "MH")
        wide = store_plan(s, unit, PlanDraft("Kế hoạch CCHC giai đoạn 2021-2025", 2021, 2025, areas=[
            AreaDraft("I", "Cải cách thể chế", [TaskDraft("1", "Nhiệm vụ 5 năm", timeframe_text="Năm 2025")])]))
        assert [p.year_to for p in reporting_plans(s, unit.id, 2021)] == [2021]  # the 2021 plan
        assert [p.id for p in reporting_plans(s, unit.id, 2022)] == [wide.id]
        assert reporting_plans(s, unit.id, 2026) == []
