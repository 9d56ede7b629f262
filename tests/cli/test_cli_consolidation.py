"""CLI: import-returns (files, folders, hand-made), completeness, consolidate — as an office runs them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl

import main
from tests.helpers.consolidation_helpers import Province, edit_cells, tamper, write_seed_appendix

Q2 = "2021-Q2"


def cli_json(capsys, *args: str) -> tuple[int, dict]:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    out, _ = capsys.readouterr()
    return rc, json.loads(out)


def _office(p: Province) -> list[str]:
    p.office.close()  # the command takes the database's writer lock itself
    return ["--db", p.office.target]


def test_import_returns_gives_one_entry_per_file_with_its_outcome_and_reason(province: Province, capsys) -> None:
    for unit in ("MH.SNV", "MH.STP", "MH.STC"):
        province.fill(unit, {"1.1.1": 12}, Q2)
    province.export("MH.SNV", Q2)
    province.export("MH.STP", Q2)
    bad = province.export("MH.STC", Q2)
    tamper(bad, "1.1.1", 12, 13)
    rc, out = cli_json(capsys, "import-returns", *_office(province), "--unit", "MH", str(province.inbox),
                       "--period", Q2, "--report", str(province.folder / "ket_qua.xlsx"))
    assert rc == 0 and out["ok"]
    assert sorted((f["file"].split("_")[2], f["outcome"]) for f in out["files"]) == [
        ("MH.SNV", "imported"), ("MH.STC", "rejected"), ("MH.STP", "imported")]
    rejected = next(f for f in out["files"] if f["outcome"] == "rejected")
    assert rejected["reason_code"] == "tampered" and "SHA-256" in rejected["reason"]
    assert out["summary"] == "3 tệp: đã nhập 2, từ chối 1"
    assert Path(out["report_file"]).is_file()
    # Again: both good files are duplicates now, the tampered one still refused → nothing imported.
    rc, out = cli_json(capsys, "import-returns", "--db", province.office.target, "--unit", "MH",
                       str(province.inbox))
    assert rc == 1 and not out["ok"]
    assert sorted(f["outcome"] for f in out["files"]) == ["rejected", "skipped", "skipped"]


def test_edited_files_are_refused_unless_accept_edits(province: Province, capsys) -> None:
    province.fill("MH.SNV", {"1.1.1": 38}, Q2)
    path = province.export("MH.SNV", Q2)
    edit_cells(path, {"1.1.1": 40})
    args = ["import-returns", *_office(province), "--unit", "MH", str(path)]
    rc, out = cli_json(capsys, *args)
    assert rc == 1 and out["files"][0]["outcome"] == "rejected" and out["files"][0]["reason_code"] == "edited"
    assert out["files"][0]["edited_cells"] == [{"code": "1.1.1", "name": "Số nhiệm vụ đề ra trong kế hoạch",
                                                "kind": "value", "exported": "38", "now": "40", "kept": None}]
    rc, out = cli_json(capsys, *args, "--accept-edits")
    assert rc == 0 and out["files"][0]["outcome"] == "imported"
    assert out["files"][0]["edited_cells"][0]["kept"] == "file"


def test_other_units_are_refused_unless_accept_other_units(province: Province, capsys) -> None:
    province.fill("MH.SNV.CCHC", {"1.1.1": 1}, Q2)
    path = province.export("MH.SNV.CCHC", Q2)
    args = ["import-returns", *_office(province), "--unit", "MH", str(path)]
    rc, out = cli_json(capsys, *args)
    assert rc == 1 and out["files"][0]["reason_code"] == "not_child"
    rc, out = cli_json(capsys, *args, "--accept-other-units")
    assert rc == 0 and out["files"][0]["outcome"] == "imported"


def test_completeness_and_consolidate(province: Province, capsys) -> None:
    province.fill("MH.SNV", {"1.1.1": 10, "7.3": 2}, Q2)
    province.fill("MH.STP", {"1.1.1": 5, "7.3": 1}, Q2)
    province.export("MH.SNV", Q2)
    province.export("MH.STP", Q2, at=datetime(2021, 6, 25, 8, 0))
    db = _office(province)
    assert cli_json(capsys, "import-returns", *db, "--unit", "MH", str(province.inbox))[0] == 0
    rc, board = cli_json(capsys, "completeness", *db, "--unit", "MH", "--period", Q2)
    assert rc == 0 and board["sentence"] == "đã nhận 2/8 đơn vị (đạt 25%)"
    assert board["counts"]["on_time"] == 1 and board["counts"]["late"] == 1 and board["counts"]["missing"] == 6
    states = {u["unit"]: u["state"] for u in board["units"]}
    assert states["MH.SNV"] == "on_time" and states["MH.STP"] == "late" and states["MH.VP"] == "missing"
    assert board["reminder"].startswith("Các đơn vị chưa gửi báo cáo CCHC Quý II/2021 (hạn 20/06/2021), 6/8")
    main.main(["completeness", *db, "--unit", "MH", "--period", Q2])
    text = capsys.readouterr().out
    assert "Quý II/2021 (hạn 20/06/2021): đã nhận 2/8 đơn vị (đạt 25%)" in text and "Chậm 5 ngày" in text
    # Received is not accepted: nothing is consolidated before the office reviews the returns.
    rc, res = cli_json(capsys, "consolidate", *db, "--unit", "MH", "--period", Q2)
    assert rc == 1 and "Chưa có báo cáo nào được chấp nhận" in res["error"] and "chờ xem xét 2" in res["error"]
    for unit in ("MH.SNV", "MH.STP"):  # both were sent as drafts: accepted with a note
        rc, out = cli_json(capsys, "review", *db, "--unit", "MH", "--child", unit, "--period", Q2, "--accept",
                           "--note", "Đơn vị gửi bản nháp; đã đối chiếu số liệu")
        assert rc == 0 and out["state"] == "accepted"
    rc, res = cli_json(capsys, "consolidate", *db, "--unit", "MH", "--period", Q2)
    assert rc == 0
    values = {v["code"]: v for v in res["values"]}
    assert values["1.1.1"]["number"] == 15 and values["1.1.1"]["covered"] == 2 and values["1.1.1"]["expected"] == 8
    assert values["7.3"]["value"] == "1" and values["7.3"]["note"].startswith("Hoàn thành: 1, Đang làm: 1")
    assert res["methods"]["Cộng"] == 66
    rc, res = cli_json(capsys, "consolidate", *db, "--unit", "MH", "--period", "2021-Q4")
    assert rc == 1 and "Chưa có báo cáo nào" in res["error"]


def test_handmade_previews_then_stores_with_confirm(province: Province, capsys, tmp_path: Path) -> None:
    path = write_seed_appendix(tmp_path / "So_Tu_phap_6thang.xlsx")
    db = _office(province)
    args = ["import-returns", *db, "--unit", "MH", "--handmade", str(path), "--child", "MH.STP",
            "--period", "2021-Q2"]
    rc, out = cli_json(capsys, *args)
    assert rc == 0 and out["stored"] is False
    assert len(out["preview"]["matched"]) == 98 and out["preview"]["unmatched"] == []
    assert out["preview"]["guessed_unit"] == "MH.STP"
    rc, out = cli_json(capsys, "completeness", *db, "--unit", "MH", "--period", Q2)
    assert out["counts"]["received"] == 0  # the preview stored nothing
    rc, out = cli_json(capsys, *args, "--confirm")
    assert rc == 0 and out["stored"] and out["files"][0]["outcome"] == "imported"
    rc, out = cli_json(capsys, "completeness", *db, "--unit", "MH", "--period", Q2)
    assert out["counts"]["received"] == 1


def test_nothing_to_import_is_an_error(province: Province, capsys, tmp_path: Path) -> None:
    empty = tmp_path / "trong"
    empty.mkdir()
    rc, out = cli_json(capsys, "import-returns", *_office(province), "--unit", "MH", str(empty))
    assert rc == 1 and "Không có tệp Excel nào" in out["error"]
    wb = openpyxl.Workbook()
    wb.save(empty / "khac.xlsx")
    rc, out = cli_json(capsys, "import-returns", "--db", province.office.target, "--unit", "MH", str(empty))
    assert rc == 1 and out["files"][0]["reason_code"] == "not_return"
