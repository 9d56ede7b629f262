"""The blank form (``export --blank``): the official appendix for a unit's level with empty value cells, sent to a
unit without the program, filled in by hand (here: by a script, as a clerk types) and imported back through the
hand-made path with every value matched and no questions asked.

Also the scenario: a district sends blank forms to its two communes, both come back filled (one value with a
footnote mark), the district imports, accepts and consolidates; the sums are worked out by hand below.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

import main
from core.forms import applicable_indicators, current_template
from core.intake.handmade import read_handmade, store_handmade
from core.paths import resource_path
from core.reports.workbook_format import STATS_SHEET
from core.reports.workbook_writer import BLANK_FORM_MARK
from core.returns.entry import find_unit_return
from core.returns.store import values_by_code
from core.vnformat import parse_number
from tests.conftest import dump_tables

H1 = "2021-H1"


def cli(capsys, *args: str) -> dict:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    captured = capsys.readouterr()
    try:
        out = json.loads(captured.out)
    except ValueError:
        out = {"text": captured.out + captured.err}
    out["rc"] = rc
    return out


def _rows_by_code(ws) -> dict[str, int]:  # noqa: ANN001
    """Sheet row of each indicator, as a clerk's script finds it: the STT code, and the rows under a
    "Trong đó" by their position under the coded row above (a, b, c …)."""
    out: dict[str, int] = {}
    parent, pos, body = None, 0, False
    for row in ws.iter_rows():
        a, c = row[0].value, row[2].value
        if c == "Đơn vị tính":
            body = True
            continue
        if not body or row[1].value is None:
            continue
        stt = str(a or "")
        if re.fullmatch(r"\d+(\.\d+)*\.", stt):
            parent, pos = stt[:-1], 0
            out[parent] = row[0].row
        else:
            out[f"{parent}.{'abcd'[pos]}"] = row[0].row
            pos += 1
    return out


def _fill(path: Path, values: dict[str, object], notes: dict[str, str] | None = None) -> None:
    """Type values into the blank form's "Số liệu" column (and notes into "Ghi chú"), as a clerk does."""
    wb = openpyxl.load_workbook(path)
    ws = wb[STATS_SHEET]
    rows = _rows_by_code(ws)
    for code, value in values.items():
        ws.cell(rows[code], 4).value = value
    for code, note in (notes or {}).items():
        ws.cell(rows[code], 5).value = note
    wb.save(path)


def _seed_values() -> dict[str, tuple[str, str]]:
    with open(resource_path("demo", "so_lieu_6_thang_2021.csv"), encoding="utf-8", newline="") as fh:
        return {r["code"]: (r["value"], r["note"]) for r in csv.DictReader(fh)}


def _typed(raw: str) -> object:
    """What Excel keeps when a clerk types the seed's value: a number ("3.133" → 3133, "72,8" → 72.8)."""
    number = float(parse_number(raw))
    return int(number) if number.is_integer() else number


def test_the_blank_form_is_the_appendix_of_the_units_level_empty_unlocked_and_marked(demo_db, tmp_path: Path,
                                                                                      capsys) -> None:  # noqa: ANN001
    with demo_db.session() as s:
        expected = [i.code for i in applicable_indicators(current_template(s).indicators, "so")]
        kinds = {i.code: i.kind for i in current_template(s).indicators}
    db = demo_db.target
    demo_db.close()
    path = tmp_path / "bieu_trong.xlsx"
    out = cli(capsys, "--db", db, "export", "--blank", "--unit", "MH.STP", "--period", H1, "--xlsx", str(path))
    assert out["rc"] == 0 and out["blank"] is True
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [STATS_SHEET] and wb.properties.keywords == BLANK_FORM_MARK
    ws = wb[STATS_SHEET]
    assert ws["A3"].value == "6 THÁNG ĐẦU NĂM 2021 CỦA SỞ TƯ PHÁP"
    assert ws["A5"].value.startswith("BIỂU MẪU TRỐNG do phần mềm Theo dõi & Báo cáo CCHC lập cho Sở Tư pháp")
    rows = _rows_by_code(ws)
    assert sorted(rows) == sorted(expected)  # exactly the rows of a department's form
    assert ws.protection.sheet
    for code, r in rows.items():
        value, note, name = ws.cell(r, 4), ws.cell(r, 5), ws.cell(r, 2)
        assert value.value is None and note.value is None, code
        assert ws.row_dimensions[r].height, code
        assert name.protection.locked, code
        if kinds[code] == "value":
            assert not value.protection.locked and not note.protection.locked, code
    # Coded answers carry a list of their codes; percentages a 0–100 range.
    lists = {str(c): dv for dv in ws.data_validations.dataValidation for c in str(dv.sqref).split()}
    assert lists[f"D{rows['1.4.2']}"].type == "list" and lists[f"D{rows['1.4.2']}"].formula1 == '"0,1,2"'
    assert lists[f"D{rows['3.3.3']}"].type == "decimal" and lists[f"D{rows['3.3.3']}"].formula2 == "100"
    assert lists[f"D{rows['2.1']}"].type == "whole"


@pytest.mark.sqlite_only(reason="compares SQLite dumps of the database file")
def test_a_blank_form_filled_with_the_seed_values_imports_back_with_every_value_matched(demo_db, tmp_path: Path,
                                                                                         capsys) -> None:  # noqa: ANN001
    db = demo_db.target
    demo_db.close()
    path = tmp_path / "Sở Tư pháp.xlsx"
    assert cli(capsys, "--db", db, "export", "--blank", "--unit", "MH.STP", "--period", H1, "--xlsx",
               str(path))["rc"] == 0
    rows = _rows_by_code(openpyxl.load_workbook(path)[STATS_SHEET])
    seed = _seed_values()
    values = {c: _typed(v) for c, (v, _) in seed.items() if c in rows and v}
    notes = {c: n for c, (_, n) in seed.items() if c in rows and n}
    values["2.3"] = "94(28)"  # the clerk keeps the seed's footnote mark
    _fill(path, values, notes)
    from db.engine import open_database

    database = open_database(db)
    try:
        with database.session() as s:
            preview = read_handmade(s, path, parent="MH")
        assert preview.blank_form and preview.guessed_unit == ("MH.STP", "Sở Tư pháp")
        assert preview.guessed_period == H1
        # No questions: every line matched, nothing unmatched, no error, no row of the form missing.
        assert not preview.unmatched and not preview.errors and preview.missing == []
        assert {line.code for line in preview.matched} == set(rows) - {c for c in rows if c not in seed}
        assert all(line.how == "mã" or line.how.startswith("vị trí dưới") or line.how.startswith("tên")
                   for line in preview.matched)
        before = dump_tables(Path(db))
        outcome = store_handmade(database, "MH", preview, "MH.STP", H1)
        assert outcome.outcome == "imported" and dump_tables(Path(db)) != before
        with database.session() as s:
            stored = values_by_code(s, find_unit_return(s, "MH.STP", H1))
            got = {c: v.value_num for c, v in stored.items() if v.value_num is not None}
            assert got == {c: pytest.approx(float(parse_number(seed[c][0]))) for c in values}
            assert stored["1.2.3"].note == "Số liệu tạm tính đến ngày 09/6/2021"
    finally:
        database.close()


def test_a_blank_form_is_refused_clearly(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = demo_db.target
    demo_db.close()
    out = cli(capsys, "--db", db, "export", "--blank", "--unit", "MH.KHONG", "--period", H1, "--xlsx",
              str(tmp_path / "a.xlsx"))
    assert out["rc"] == 1 and "Không có đơn vị mã “MH.KHONG”" in out["error"]
    out = cli(capsys, "--db", db, "export", "--blank", "--unit", "MH.STP", "--period", "2021-Q7", "--xlsx",
              str(tmp_path / "a.xlsx"))
    assert out["rc"] == 1 and "2021-Q7" in out["error"]
    out = cli(capsys, "--db", db, "export", "--blank", "--unit", "MH.STP", "--period", H1, "--pdf",
              str(tmp_path / "a.pdf"))
    assert out["rc"] == 1 and "chỉ xuất ra Excel" in out["error"]
    assert not list(tmp_path.glob("a.*"))


def test_scenario_a_district_sends_blank_forms_to_two_communes_and_consolidates_them(demo_db_file, tmp_path: Path,
                                                                                     capsys) -> None:  # noqa: ANN001
    district = ["--db", str(tmp_path / "huyen.db")]  # UBND huyện An Bình
    shutil.copy2(demo_db_file, tmp_path / "huyen.db")
    forms = {unit: tmp_path / f"BieuMau_{unit}.xlsx" for unit in ("MH.HAB.XAL", "MH.HAB.TTAB")}
    # 1. The district makes a blank form for each commune (neither has the program).
    for unit, path in forms.items():
        assert cli(capsys, *district, "export", "--blank", "--unit", unit, "--period", H1, "--xlsx",
                   str(path))["rc"] == 0
    # 2. The communes fill them in by hand. A commune's form has only the rows of its level; both leave the
    #    other rows empty. An Lạc marks 1.1.3 with a footnote "(1)".
    _fill(forms["MH.HAB.XAL"], {"1.1.1": 12, "1.1.2": 5, "1.1.3": "4(1)", "3.4.3": 95.5, "1.4.2": 1},
          {"1.1.1": "Kế hoạch số 15/KH-UBND"})
    _fill(forms["MH.HAB.TTAB"], {"1.1.1": 9, "1.1.2": 9, "1.1.3": 1, "3.4.3": 88, "1.4.2": 2})
    # 3. The district imports both through the hand-made path and accepts them.
    for unit, path in forms.items():
        preview = cli(capsys, *district, "import-returns", "--unit", "MH.HAB", "--handmade", str(path),
                      "--period", H1)
        assert preview["child"] == unit and preview["period"] == H1
        assert preview["preview"]["unmatched"] == [] and preview["preview"]["errors"] == []
        assert preview["preview"]["missing"] == []
        out = cli(capsys, *district, "import-returns", "--unit", "MH.HAB", "--handmade", str(path), "--child", unit,
                  "--period", H1, "--confirm")
        assert out["stored"] is True, out
        assert cli(capsys, *district, "review", "--unit", "MH.HAB", "--child", unit, "--period", H1, "--accept",
                   "--note", "Biểu điền tay, đã đối chiếu")["state"] == "accepted"
    # 4. Consolidated, worked by hand:
    #    1.1.1 = 12 + 9 = 21; 1.1.2 = 5 + 9 = 14; 1.1.3 = 4 + 1 = 5 (An Lạc's "4(1)" is the number 4);
    #    3.4.3 (a rate, the mean) = (95,5 + 88) / 2 = 91,75.
    res = cli(capsys, *district, "consolidate", "--unit", "MH.HAB", "--period", H1)
    got = {v["code"]: v for v in res["values"]}
    assert [got[c]["number"] for c in ("1.1.1", "1.1.2", "1.1.3", "3.4.3")] == [21, 14, 5, 91.75]
    assert got["3.4.3"]["value"] == "91,75"
    assert sorted(res["accepted"]) == ["MH.HAB.TTAB", "MH.HAB.XAL"]
