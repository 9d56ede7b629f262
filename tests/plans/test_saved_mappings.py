"""Saved import mappings: a column mapping confirmed once (``import-plan --map``) is remembered by the header's
signature and used for the office's next plan with the same header; listed and deleted (core.import_mappings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from cli import run
from core.errors import Refused
from core.import_mappings import delete_mapping, header_signature, list_mappings
from db.engine import open_database
from tests.conftest import dump_tables


def _plan(path: Path, year: int, tasks: list[tuple[str, str, str, str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append([f"KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA SỞ GIÁO DỤC VÀ ĐÀO TẠO"])
    ws.append(["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Cơ quan thực hiện", "Thời gian"])
    ws.append(["I", "Cải cách thủ tục hành chính"])
    for n, (task, lead, partners, when) in enumerate(tasks, start=1):
        ws.append([str(n), task, lead, partners, when])
    wb.save(path)
    return path


def _json(capsys) -> dict:  # noqa: ANN001
    return json.loads(capsys.readouterr().out)


def test_a_confirmed_mapping_is_used_for_the_next_plan_with_the_same_header(demo_db, tmp_path: Path,
                                                                            capsys) -> None:  # noqa: ANN001
    db = demo_db.target
    demo_db.close()
    base = ["--db", str(db), "import-plan", "--unit", "MH.SGDDT", "--create-units"]
    first = _plan(tmp_path / "kh2022.xlsx", 2022, [("Rà soát TTHC", "Văn phòng Sở", "Sở Nội vụ", "Quý II")])
    # Two columns could be the lead: the import stops and asks.
    assert run([*base, str(first)]) == 1
    assert "--map C=lead" in capsys.readouterr().err
    assert run([*base, str(first), "--map", "C=lead", "--map", "D=partners", "--json"]) == 0
    out = _json(capsys)
    assert out["mapping_saved"] is True and out["saved_mapping"] is None
    # Next year's plan from the same office, same header: imported with the saved choice, no question.
    second = _plan(tmp_path / "kh2023.xlsx", 2023, [("Công khai TTHC", "Phòng Kế hoạch - Tài chính", "Sở Nội vụ",
                                                     "Quý III")])
    assert run([*base, str(second), "--json"]) == 0
    out = _json(capsys)
    full = {"A": "stt", "B": "task", "C": "lead", "D": "partners", "E": "timeframe"}  # the whole confirmed mapping
    assert out["saved_mapping"]["mapping"] == full
    assert out["saved_mapping"]["file"] == "kh2022.xlsx"
    assert out["mapping"]["C"] == "lead" and out["mapping"]["D"] == "partners" and out["plan_id"]
    assert run(["--db", str(db), "tasks", "--plan", str(out["plan_id"]), "--json"]) == 0
    (task,) = _json(capsys)["tasks"]
    assert task["lead_unit"]["name"] == "Phòng Kế hoạch - Tài chính"
    # Listed (Cài đặt), used once; with --no-saved-map the question comes back.
    again = open_database(db)
    try:
        with again.session() as s:
            (info,) = list_mappings(s)
        assert (info.kind_label, info.mapping_text, info.file_name, info.use_count) == (
            "Kế hoạch", "A=stt, B=task, C=lead, D=partners, E=timeframe", "kh2022.xlsx", 1)
        assert "C: Đơn vị thực hiện" in info.headers
    finally:
        again.close()
    third = _plan(tmp_path / "kh2024.xlsx", 2024, [("Số hóa hồ sơ", "Văn phòng Sở", "", "Quý IV")])
    assert run([*base, str(third), "--no-saved-map"]) == 1
    assert "--map C=lead" in capsys.readouterr().err
    # A different header is not mapped by it.
    other = tmp_path / "khac.xlsx"
    wb = Workbook()
    wb.active.append(["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"])
    wb.active.append(["1", "Rà soát", "Văn phòng Sở", "", "Quý II"])
    wb.save(other)
    assert run([*base, str(other), "--dry-run", "--json"]) == 0
    assert _json(capsys)["saved_mapping"] is None


@pytest.mark.sqlite_only(reason="compares SQLite dumps of the database file")
def test_deleting_a_saved_mapping_and_a_wrong_number(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = demo_db.target
    demo_db.close()
    first = _plan(tmp_path / "kh.xlsx", 2022, [("Rà soát TTHC", "Văn phòng Sở", "Sở Nội vụ", "Quý II")])
    assert run(["--db", str(db), "import-plan", str(first), "--unit", "MH.SGDDT", "--create-units", "--map", "C=lead",
                "--map", "D=partners"]) == 0
    capsys.readouterr()
    database = open_database(db)
    try:
        before = dump_tables(Path(db))
        with database.transaction() as s, pytest.raises(Refused, match="Không có cách chọn cột đã lưu số 99"):
            delete_mapping(s, 99)
        assert dump_tables(Path(db)) == before
        with database.transaction() as s:
            (info,) = list_mappings(s)
            assert delete_mapping(s, info.id).mapping["C"] == "lead"
        with database.session() as s:
            assert list_mappings(s) == []
    finally:
        database.close()


def test_the_signature_ignores_case_spacing_and_empty_cells_but_not_columns() -> None:
    a = header_signature([("A", "STT"), ("B", "Nhiệm  vụ"), ("C", ""), ("D", "Thời gian")])
    assert a == header_signature([("A", "stt"), ("B", "nhiệm vụ"), ("D", " THỜI GIAN ")])
    assert a != header_signature([("A", "STT"), ("C", "Nhiệm vụ"), ("D", "Thời gian")])
