"""Importing a decision's criteria table: counts and maxima of the four layouts, the parent-sum check that
names the rows, the refusals (nothing stored), the dry run, and storing a set once."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

import main
from core.index.criteria_import import read_criteria_table
from db.engine import open_database
from tests.conftest import dump_tables
from tests.helpers.index_helpers import make_units

LAYOUTS = ["chiso_so_2025_chuan.xlsx", "chiso_so_2025_dong_huong_dan.xlsx", "chiso_xa_2025.xlsx",
           "chiso_so_2025_lech_tong.xlsx"]


@pytest.mark.parametrize("name", LAYOUTS)
def test_each_layout_gives_the_counts_and_maxima_of_the_decision(tables: Path, expected: dict, name: str) -> None:
    want = expected[name]
    p = read_criteria_table(tables / name, 2025).preview()
    assert p["level"] == want["level"]
    assert (p["areas"], p["criteria"], p["sub_criteria"], p["leaves"]) == (
        want["areas"], want["criteria"], want["sub_criteria"], want["leaves"])
    assert {a["stt"]: (a["kind"], a["max"]) for a in p["areas_list"]} == {
        k: (v["kind"], v["max"]) for k, v in want["max_per_area"].items()} if "max_per_area" in want else True


def test_area_maxima_and_total_of_the_standard_table(tables: Path) -> None:
    p = read_criteria_table(tables / "chiso_so_2025_chuan.xlsx", 2025).preview()
    assert [(a["stt"], a["max"]) for a in p["areas_list"]] == [
        ("I", "12"), ("II", "8"), ("III", "14"), ("IV", "6"), ("V", "9"), ("VI", "6"), ("VII", "15"), ("VIII", "30"),
        ("IX", "6")]
    # 12+8+14+6+9+6+15 = 70 self-scored, 30 by the survey: 100; the deductions (IX) stand apart
    assert p["max_by_kind"] == {"self": "70", "survey": "30", "deduction": "6"}
    assert p["total_max"] == "100" and p["printed_total"] == "100" and p["mismatches"] == []


def test_the_commune_table_reads_the_maximum_under_diem_and_ignores_the_score_columns(tables: Path) -> None:
    cset = read_criteria_table(tables / "chiso_xa_2025.xlsx", 2025)
    by = {c.code: c for c in cset.criteria}
    assert by["1.1"].max_centi == 100 and by["1.1"].scoring_guide.startswith("Ban hành đúng thời hạn: 1")
    assert by["10.1"].parent == "10"  # a sub-criterion number Excel stored as the number 10.1


def test_guide_rows_are_the_scoring_guide_of_the_item_above(tables: Path) -> None:
    cset = read_criteria_table(tables / "chiso_so_2025_dong_huong_dan.xlsx", 2025)
    by = {c.code: c for c in cset.criteria}
    assert by["1.2"].scoring_guide.split("\n") == [
        "Hoàn thành 100% kế hoạch: 2", "Từ 80% đến dưới 100% kế hoạch: 1", "Dưới 80% kế hoạch: 0"]
    # the evidence cell of 13.1 cut by a page break is joined again
    std = {c.code: c for c in read_criteria_table(tables / "chiso_so_2025_chuan.xlsx", 2025).criteria}
    assert by["13.1"].evidence_required == std["13.1"].evidence_required
    # a vertically merged evidence cell belongs to both sub-criteria
    assert std["27.1"].evidence_required == std["27.2"].evidence_required != ""


def test_parents_that_do_not_add_up_are_named_with_their_rows(tables: Path) -> None:
    p = read_criteria_table(tables / "chiso_so_2025_lech_tong.xlsx", 2025).preview()
    named = [(m["row"], m["stt"], m["printed"], m["children_sum"]) for m in p["mismatches"]]
    assert named == [(18, "II", "9", "8"), (30, "13", "6", "5"), (80, "Tổng", "100", "101")]
    assert "dòng 30: 13 “Thực hiện cơ chế một cửa" in p["mismatches"][1]["message"]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    rc = main.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def dbp(tmp_path: Path) -> str:
    db = open_database(tmp_path / "cchc.db")
    make_units(db)
    db.close()
    return str(tmp_path / "cchc.db")


def test_cli_dry_run_previews_and_stores_nothing(capsys, tables: Path, dbp: str) -> None:
    before = dump_tables(dbp)
    rc, out, _ = cli(capsys, "index", "import-criteria", str(tables / "chiso_so_2025_chuan.xlsx"), "--year", "2025",
                     "--dry-run", "--db", dbp)
    assert rc == 0
    assert "9 lĩnh vực, 38 tiêu chí, 24 tiêu chí thành phần" in out
    assert "II. CẢI CÁCH THỂ CHẾ: 4 tiêu chí, tối đa 8 điểm" in out
    assert "Tổng điểm tối đa: 100 (tự chấm 70, điều tra xã hội học 30); điểm trừ tối đa 6." in out
    assert dump_tables(dbp) == before


def test_cli_import_stores_once_and_json_gives_the_counts(capsys, tables: Path, dbp: str) -> None:
    args = ["index", "import-criteria", str(tables / "chiso_xa_2025.xlsx"), "--year", "2025", "--level", "xa",
            "--db", dbp, "--json"]
    rc, out, _ = cli(capsys, *args)
    p = json.loads(out)
    assert rc == 0 and p["stored"] is True and p["version"] == 1
    assert (p["areas"], p["criteria"], p["sub_criteria"], p["total_max"]) == (9, 31, 16, "100")
    rc, out, _ = cli(capsys, *args)
    assert rc == 0 and json.loads(out)["stored"] is False  # the same table again: nothing new


def test_cli_refuses_a_table_that_does_not_add_up_and_changes_nothing(capsys, tables: Path, dbp: str) -> None:
    before = dump_tables(dbp)
    rc, _, err = cli(capsys, "index", "import-criteria", str(tables / "chiso_so_2025_lech_tong.xlsx"), "--year",
                     "2025", "--db", dbp)
    assert rc == 1
    assert "dòng 18: II “CẢI CÁCH THỂ CHẾ”: điểm tối đa 9 khác tổng các mục con 8" in err
    assert "Traceback" not in err
    assert dump_tables(dbp) == before


@pytest.mark.parametrize("content", ["not a workbook", "damaged-zip", "no-header", "bad-max"])
def test_cli_refuses_bad_files_in_vietnamese_and_changes_nothing(capsys, tmp_path: Path, dbp: str,
                                                                 content: str) -> None:
    path = tmp_path / "bang.xlsx"
    if content == "not a workbook":
        path.write_text("STT;Tiêu chí;Điểm tối đa\n", encoding="utf-8")
    elif content == "damaged-zip":
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Danh sách cán bộ"])
        if content == "no-header":
            ws.append(["Họ tên", "Chức vụ"])
            ws.append(["Nguyễn Văn A", "Chủ tịch"])
        else:
            ws.append(["STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa"])
            ws.append(["I", "CẢI CÁCH THỂ CHẾ", "8"])
            ws.append(["1", "Xây dựng văn bản", "hai điểm"])
        wb.save(path)
    before = dump_tables(dbp)
    rc, out, err = cli(capsys, "index", "import-criteria", str(path), "--year", "2025", "--level", "so", "--db", dbp)
    assert rc == 1, out + err
    assert err.startswith("Lỗi: ") and "Traceback" not in err and "Error" not in err
    if content == "bad-max":
        assert "dòng 4" in err and "“hai điểm” không phải là số" in err
    assert dump_tables(dbp) == before
