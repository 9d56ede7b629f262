"""A hand-made return whose value column the reader cannot tell: the user names it (``--columns value=E``), the
choice is saved with the import, and the next file with the same header is read with it, no question asked."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

import main
from core.import_mappings import list_mappings


def _bieu(path: Path, values: dict[str, tuple[int, int]]) -> Path:
    """A commune's own layout: last period's figure beside this period's, and no "Số liệu" header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO 6 THÁNG ĐẦU NĂM 2021 CỦA UBND XÃ AN LẠC"])
    ws.append(["STT", "Nội dung", "ĐVT", "Kỳ trước", "Kỳ này", "Ghi chú"])
    for code, (before, now) in values.items():
        ws.append([f"{code}.", f"Chỉ tiêu {code}", "Nhiệm vụ", before, now, None])
    wb.save(path)
    return path


def _cli(capsys, *args: str) -> dict:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    captured = capsys.readouterr()
    out = json.loads(captured.out) if captured.out.strip() else {"error": captured.err}
    out["rc"] = rc
    return out


def test_a_named_value_column_is_saved_and_used_for_the_next_file(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = demo_db.target
    demo_db.close()
    base = ["--db", str(db), "import-returns", "--unit", "MH.HAB", "--child", "MH.HAB.XAL", "--period", "2021-H1"]
    first = _bieu(tmp_path / "xa_an_lac_6thang.xlsx", {"1.1.1": (10, 12), "1.1.2": (3, 5)})
    # Read as it comes, "Kỳ trước" (D) is taken for the value: the user sees 10, not 12.
    out = _cli(capsys, *base, "--handmade", str(first))
    by_code = {line["code"]: line["value"] for line in out["preview"]["matched"]}
    assert by_code["1.1.1"] == "10" and out["preview"]["columns"]["value"] == "D"
    # The user names the column and confirms: stored with 12 and 5, and the choice saved.
    out = _cli(capsys, *base, "--handmade", str(first), "--columns", "value=E", "--confirm")
    assert out["stored"] is True
    assert {line["code"]: line["value"] for line in out["preview"]["matched"]}["1.1.1"] == "12"
    from db.engine import open_database

    database = open_database(db, write=False)
    try:
        with database.session() as s:
            (saved,) = list_mappings(s)
        assert saved.kind == "handmade" and saved.mapping["E"] == "value" and saved.file_name == first.name
    finally:
        database.close()
    # Next period's file, same header: read with the saved choice.
    second = _bieu(tmp_path / "xa_an_lac_9thang.xlsx", {"1.1.1": (12, 20), "1.1.2": (5, 9)})
    out = _cli(capsys, *base[:-2], "--period", "2021-9M", "--handmade", str(second))
    assert out["preview"]["columns"]["value"] == "E"
    assert {line["code"]: line["value"] for line in out["preview"]["matched"]} == {"1.1.1": "20", "1.1.2": "9"}
    # A wrong --columns is refused with the way to write it.
    out = _cli(capsys, *base, "--handmade", str(second), "--columns", "giatri=E")
    assert out["rc"] == 1 and "VAI=CỘT" in out["error"]
