"""Scenario: a quarter between a district and its communes, each on its own database, through the CLI.

The communes enter values, submit and export; the district imports them with a foreign file (refused),
sends one back with a reason; that commune reopens, fixes, submits and exports again; the district
imports the newer version (pending again), accepts it, consolidates, and exports the consolidated
return. Every consolidated figure is worked out by hand from the accepted returns only, and the
exported workbook's visible cells are read back.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl

import main
from core.reports.workbook_format import STATS_SHEET
from tests.helpers.returns_helpers import with_kps

H1 = "2021-H1"
DISTRICT = "MH.HAB"


def cli(capsys, *args: str) -> dict:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    out = json.loads(capsys.readouterr().out)
    out["rc"] = rc
    return out


def _values(folder: Path, name: str, values: dict[str, str], notes: dict[str, str] | None = None) -> str:
    notes = notes or {}
    path = folder / f"{name}.csv"
    path.write_text("code,value,note\n" + "".join(f'{c},"{v}","{notes.get(c, "")}"\n' for c, v in values.items()),
                    encoding="utf-8")
    return str(path)


def _visible(path: Path) -> dict[str, object]:
    """The printed appendix of an exported return: code (without its trailing dot) → the "Số liệu" cell."""
    ws = openpyxl.load_workbook(path)[STATS_SHEET]
    return {str(row[0]).rstrip("."): row[3] for row in ws.iter_rows(min_row=8, values_only=True) if row[0]}


def test_send_back_fix_resubmit_accept_and_consolidate_across_two_databases(demo_db_file, tmp_path: Path,
                                                                            capsys) -> None:  # noqa: ANN001
    communes = ["--db", str(tmp_path / "xa.db")]  # the communes' PC (each commune types its own return)
    district = ["--db", str(tmp_path / "huyen.db")]  # UBND huyện An Bình
    shutil.copy2(demo_db_file, tmp_path / "xa.db")
    shutil.copy2(demo_db_file, tmp_path / "huyen.db")
    inbox = tmp_path / "hop_thu"
    inbox.mkdir()

    # 1. An Lạc and thị trấn An Bình enter, submit and export. Their other rows are "Không phát sinh"; An Lạc
    #    leaves 1.1.3 blank, with a note saying why (a return is not submitted with an unexplained blank).
    for unit, values, notes in (
            ("MH.HAB.XAL", {**with_kps("xa", {"1.1.1": "12", "1.1.2": "5", "3.4.3": "95,5"}), "1.1.3": ""},
             {"1.1.3": "Chưa tổng hợp kịp"}),
            ("MH.HAB.TTAB", with_kps("xa", {"1.1.1": "9", "1.1.2": "9", "1.1.3": "1", "3.4.3": "88"}), {})):
        assert cli(capsys, "set-values", *communes, "--unit", unit, "--period", H1, "--from",
                   _values(tmp_path, unit, values, notes))["rc"] == 0
        assert cli(capsys, "submit", *communes, "--unit", unit, "--period", H1)["rc"] == 0
        assert cli(capsys, "export", *communes, "--unit", unit, "--period", H1, "--xlsx",
                   str(inbox / f"{unit}_v1.xlsx"))["rc"] == 0
    # The province's own return, sent to the district by mistake.
    assert cli(capsys, "export", *communes, "--unit", "MH", "--period", H1, "--xlsx",
               str(inbox / "BaoCao_tinh.xlsx"))["rc"] == 0

    # 2. The district imports the folder: two returns in, the foreign one refused.
    out = cli(capsys, "import-returns", *district, "--unit", DISTRICT, str(inbox), "--period", H1)
    assert sorted((f["unit"], f["outcome"]) for f in out["files"]) == [
        ("MH", "rejected"), ("MH.HAB.TTAB", "imported"), ("MH.HAB.XAL", "imported")]

    # 3. Review: thị trấn An Bình accepted; An Lạc sent back (1.1.3 left blank).
    assert cli(capsys, "review", *district, "--unit", DISTRICT, "--child", "MH.HAB.TTAB", "--period", H1,
               "--accept")["state"] == "accepted"
    back = cli(capsys, "review", *district, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", H1,
               "--send-back", "Chưa có số liệu 1.1.3; kiểm tra lại 1.1.2")
    assert back["state"] == "sent_back" and "Lý do: Chưa có số liệu 1.1.3; kiểm tra lại 1.1.2" in back["send_back_note"]

    # Consolidated now: thị trấn An Bình only → 1.1.1 = 9, 1.1.2 = 9, 1.1.3 = 1, 3.4.3 = 88.
    res = cli(capsys, "consolidate", *district, "--unit", DISTRICT, "--period", H1)
    got = {v["code"]: v["number"] for v in res["values"]}
    assert (got["1.1.1"], got["1.1.2"], got["1.1.3"], got["3.4.3"]) == (9, 9, 1, 88)
    assert res["sent_back"][0]["unit"] == "MH.HAB.XAL"

    # 4. An Lạc reopens, fixes, submits and exports a newer version.
    assert cli(capsys, "reopen", *communes, "--unit", "MH.HAB.XAL", "--period", H1,
               "--reason", back["send_back_note"].splitlines()[3])["rc"] == 0
    assert cli(capsys, "set-values", *communes, "--unit", "MH.HAB.XAL", "--period", H1, "--from",
               _values(tmp_path, "sua", {"1.1.2": "6", "1.1.3": "3"}))["rc"] == 0
    assert cli(capsys, "submit", *communes, "--unit", "MH.HAB.XAL", "--period", H1)["rc"] == 0
    newer = tmp_path / "MH.HAB.XAL_v2.xlsx"
    assert cli(capsys, "export", *communes, "--unit", "MH.HAB.XAL", "--period", H1, "--xlsx", str(newer))["rc"] == 0

    # 5. The district imports it: it replaces the version sent back and waits for review again.
    out = cli(capsys, "import-returns", *district, "--unit", DISTRICT, str(newer))
    assert out["files"][0]["outcome"] == "replaced"
    assert "Bản mới chờ xem xét lại (bản trước đã bị trả lại)." in out["files"][0]["reason"]
    board = cli(capsys, "completeness", *district, "--unit", DISTRICT, "--period", H1)
    row = next(u for u in board["units"] if u["unit"] == "MH.HAB.XAL")
    assert row["review"] == "pending" and "bản trước đã trả lại ngày" in row["review_text"]
    assert board["headline"].endswith("đã chấp nhận 1/2 đơn vị, chờ xem xét 1.")
    res = cli(capsys, "consolidate", *district, "--unit", DISTRICT, "--period", H1)
    assert res["pending"] == [{"unit": "MH.HAB.XAL", "unit_name": "UBND xã An Lạc"}]
    assert {v["code"]: v["number"] for v in res["values"]}["1.1.1"] == 9  # still thị trấn An Bình only
    assert cli(capsys, "review", *district, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", H1,
               "--accept")["state"] == "accepted"

    # 6. Consolidated from both accepted returns, worked by hand:
    #    1.1.1 = 12 + 9 = 21; 1.1.2 = 6 + 9 = 15 (An Lạc's corrected 6, not the 5 sent back);
    #    1.1.3 = 3 + 1 = 4; 3.4.3 (a rate, "Trung bình cộng") = (95,5 + 88) / 2 = 91,75.
    res = cli(capsys, "consolidate", *district, "--unit", DISTRICT, "--period", H1)
    got = {v["code"]: v for v in res["values"]}
    assert [got[c]["number"] for c in ("1.1.1", "1.1.2", "1.1.3", "3.4.3")] == [21, 15, 4, 91.75]
    assert got["3.4.3"]["value"] == "91,75" and got["1.1.1"]["covered"] == 2 and got["1.1.1"]["expected"] == 2
    assert res["pending"] == [] and res["sent_back"] == [] and sorted(res["accepted"]) == ["MH.HAB.TTAB",
                                                                                           "MH.HAB.XAL"]
    changes = {c["code"]: (c["old"], c["new"]) for c in res["changes"]}
    assert [changes[c] for c in ("1.1.1", "1.1.2", "1.1.3", "3.4.3")] == [
        ("9", "21"), ("9", "15"), ("1", "4"), ("88", "91,75")]

    # 7. The consolidated return exported; its printed cells re-read.
    book = tmp_path / "TongHop_huyen.xlsx"
    assert cli(capsys, "export", *district, "--unit", DISTRICT, "--period", H1, "--xlsx", str(book))["rc"] == 0
    cells = _visible(book)
    assert (cells["1.1.1"], cells["1.1.2"], cells["1.1.3"]) == (21, 15, 4)
    assert cells["3.4.3"] in (91.75, "91,75")
