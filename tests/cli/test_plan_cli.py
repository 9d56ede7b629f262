"""The plan commands of the CLI: import-plan, tasks, progress, carry-forward, overview."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from cli import run
from db.engine import open_database
from tests.helpers.plan_tables import ROOT, SEED_003, demo_db_copy, write_002, write_003


@pytest.fixture()
def db_file(tmp_path: Path) -> Path:
    return demo_db_copy(tmp_path / "cchc.db")


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_import_plan_then_tasks_json(db_file: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "kế hoạch 2021.xlsx"
    write_002(path)
    assert run(["--db", str(db_file), "import-plan", str(path), "--unit", "MH", "--number", "751/QĐ-UBND",
                "--title", "Kế hoạch CCHC năm 2021", "--json"]) == 0
    out = _json(capsys)
    assert out["ok"] is True and isinstance(out["plan_id"], int)
    assert (out["areas"], out["tasks"], out["activities"], out["unplaced"]) == (7, 38, 2, [])
    assert out["tasks_per_area"][5]["numbers"] == [str(n) for n in range(1, 14)]
    assert "Bưu điện tỉnh" in out["unknown_units"]
    plan_id = out["plan_id"]

    assert run(["--db", str(db_file), "tasks", "--plan", str(plan_id), "--period", "2021-H1", "--json"]) == 0
    out = _json(capsys)
    assert out["period"] == "2021-H1" and len(out["tasks"]) == 38
    t = out["tasks"][1]
    assert t["area"] == {"numeral": "I", "title": "Cải cách thể chế"}
    assert (t["number"], t["title"]) == ("2", "Công tác theo dõi thi hành pháp luật")
    assert t["lead"] == "Sở Tư pháp" and t["lead_unit"] == {"code": "MH.STP", "name": "Sở Tư pháp"}
    assert t["partners"] == "Văn phòng UBND tỉnh; Các Sở, ban, ngành có liên quan"
    assert t["partner_units"] == [{"code": "MH.VP", "name": "Văn phòng UBND tỉnh"}]
    assert t["timeframe"].startswith("- Ban hành Kế hoạch trước ngày 30/01/2021.")
    assert t["due_dates"] == ["2021-01-30", "2021-12-31"] and t["due_date"] == "2021-12-31"
    assert t["status"] == "not_started" and t["status_label"] == "Chưa triển khai"
    overdue = [(x["area_numeral"], x["number"]) for x in out["tasks"] if x["status"] == "overdue"]
    # nothing recorded yet: what was due before the cut-off (14/06/2021) is overdue
    assert overdue == [("II", "1"), ("VI", "7"), ("VII", "1"), ("VII", "2")]

    assert run(["--db", str(db_file), "tasks", "--plan", str(plan_id), "--period", "2021-H1", "--overdue",
                "--json"]) == 0
    assert [x["number"] for x in _json(capsys)["tasks"]] == ["1", "7", "1", "2"]
    assert run(["--db", str(db_file), "tasks", "--plan", str(plan_id), "--area", "V", "--lead", "MH.STC",
                "--json"]) == 0
    out = _json(capsys)
    assert out["period"] is None and [x["number"] for x in out["tasks"]] == ["1", "2", "3"]


def test_tasks_text_and_bad_period(db_file: Path, capsys) -> None:
    assert run(["--db", str(db_file), "tasks", "--plan", "1", "--period", "2021-H1"]) == 0
    text = capsys.readouterr().out
    assert "Hoàn thành đúng hạn" in text and "I.2" in text
    assert run(["--db", str(db_file), "tasks", "--plan", "1", "--period", "2021-Q5"]) == 1
    assert "Mã kỳ báo cáo “2021-Q5” không hợp lệ" in capsys.readouterr().err
    assert run(["--db", str(db_file), "tasks", "--plan", "999"]) == 1
    assert "Không có kế hoạch mã 999" in capsys.readouterr().err


def test_import_with_map_and_create_units(db_file: Path, tmp_path: Path, capsys) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    ws.append(["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Cơ quan thực hiện", "Thời gian"])
    ws.append(["I", "Cải cách thủ tục hành chính"])
    ws.append(["1", "Rà soát TTHC", "Văn phòng Sở", "Phòng Kế hoạch - Tài chính; Sở Nội vụ", "Quý II"])
    wb.save(tmp_path / "sgd.xlsx")
    args = ["--db", str(db_file), "import-plan", str(tmp_path / "sgd.xlsx"), "--unit", "MH.SGDDT"]
    assert run(args) == 1
    err = capsys.readouterr().err
    assert "Không rõ cột nào là “Cơ quan chủ trì”" in err and "--map C=lead" in err
    assert run([*args, "--map", "C=lead", "--map", "D=partners", "--create-units", "--json"]) == 0
    out = _json(capsys)
    assert sorted(out["created_units"]) == ["Phòng Kế hoạch - Tài chính", "Văn phòng Sở"]
    assert out["mapping"]["C"] == "lead" and out["mapping"]["D"] == "partners"
    assert run(["--db", str(db_file), "tasks", "--plan", str(out["plan_id"]), "--json"]) == 0
    (task,) = _json(capsys)["tasks"]
    assert task["lead_unit"]["name"] == "Văn phòng Sở" and task["lead_unit"]["code"].startswith("MH.SGDDT.")
    assert sorted(u["name"] for u in task["partner_units"]) == ["Phòng Kế hoạch - Tài chính", "Sở Nội vụ"]
    assert task["due_date"] == "2022-06-30"  # "Quý II" read with the year of the title


@pytest.mark.skipif(not SEED_003.is_file(), reason="seed 003 not available")
def test_import_003_dry_run_text(db_file: Path, tmp_path: Path, capsys) -> None:
    write_003(tmp_path / "sgd.xlsx")
    assert run(["--db", str(db_file), "import-plan", str(tmp_path / "sgd.xlsx"), "--unit", "MH.SGDDT",
                "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "Xem trước (chưa ghi gì)" in text and "năm 2021–2025" in text
    assert "6 lĩnh vực, 46 nhiệm vụ, 0 hoạt động" in text
    assert "VI. XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ: 25 nhiệm vụ (1, 1.1, 1.2" in text


@pytest.mark.sqlite_only(reason="the attachments folder beside the SQLite file (server: test_shared_server.py)")
def test_progress_carry_forward_and_overview(db_file: Path, tmp_path: Path, capsys) -> None:
    con = sqlite3.connect(db_file)
    task_id = con.execute("SELECT id FROM task WHERE area_numeral='III' AND number='1'").fetchone()[0]
    con.close()
    base = ["--db", str(db_file)]
    assert run([*base, "overview", "--unit", "MH", "--period", "2021-H1", "--json"]) == 0
    out = _json(capsys)
    assert out["headline"] == "hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"
    evidence = tmp_path / "Quyết định số 766.pdf"
    evidence.write_bytes(b"pdf")
    assert run([*base, "progress", "--task", str(task_id), "--period", "2021-H1", "--status", "hoàn thành",
                "--completed-on", "01/06/2021", "--evidence-number", "Quyết định số 766/QĐ-UBND",
                "--evidence-file", str(evidence), "--json"]) == 0
    out = _json(capsys)
    assert out["status"] == "done_on_time" and out["evidence_id"]
    assert (db_file.with_name("cchc.attachments") / str(task_id) / "Quyết định số 766.pdf").read_bytes() == b"pdf"
    assert run([*base, "overview", "--unit", "MH", "--period", "2021-H1"]) == 0
    assert "hoàn thành 12/38 nhiệm vụ (đạt 31,58%)" in capsys.readouterr().out
    assert run([*base, "progress", "--task", str(task_id), "--period", "2021-H1", "--status", "done",
                "--percent", "150", "--completed-on", "01/06/2021"]) == 1
    assert "từ 0 đến 100%" in capsys.readouterr().err
    assert run([*base, "carry-forward", "--plan", "1", "--from", "2021-H1", "--json"]) == 0
    out = _json(capsys)
    assert out["to"] == "2021-Q3" and out["skipped"] == [] and len(out["copied"]) == 38
    assert run([*base, "overview", "--unit", "MH", "--period", "2021-Q3", "--json"]) == 0
    out = _json(capsys)
    assert out["done"] == 12 and out["reference_date"] == "2021-09-14"
    # cut-off 14/09/2021: nothing carried forward is late yet; two tasks fall due on 30/09/2021
    assert out["overdue"] == []
    assert [(d["area"], d["number"], d["due_date"], d["days"]) for d in out["due_soon"]] == [
        ("IV", "6", "2021-09-30", 16), ("VI", "12", "2021-09-30", 16)]


@pytest.mark.sqlite_only(reason="runs main.py in another process on the database file")
def test_main_py_runs_the_command(db_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    write_002(path)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db_file), "import-plan", str(path), "--unit", "MH",
         "--year", "2021", "--json"],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["areas"], out["tasks"], out["activities"]) == (7, 38, 2)
    db = open_database(db_file, write=False)
    db.close()
