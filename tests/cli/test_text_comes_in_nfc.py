"""Text is normalised where it comes in, and trusted inside (ARCHITECTURE.md).

A decomposed spelling (NFD: "o" + U+0302 + U+0301 for "ố", as a Mac, a web page or an input method
may hand it over) goes in through each door — a plan workbook, a CSV file, a command-line argument, a
setting — and is read back from the database in NFC, the same text as the data already there: unit
names still match, a "Không phát sinh" is still recognised.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import openpyxl
from sqlalchemy import select

import main
from core.org.settings import get_setting
from core.org.units import get_unit
from core.returns.entry import find_unit_return, grid_rows
from db.engine import open_database
from db.models import AuditEntry, Plan, Task, Unit
from tests.helpers.plan_tables import demo_db_copy, write_002
from tests.helpers.returns_helpers import PROVINCE, make_db, seed_with, write_csv


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    rc = main.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def all_nfc(texts) -> bool:  # noqa: ANN001
    texts = [t for t in texts if t]
    return bool(texts) and all(unicodedata.is_normalized("NFC", t) for t in texts)


def decomposed_copy(src: Path, dst: Path) -> Path:
    """The same workbook with every text cell in NFD."""
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    c.value = unicodedata.normalize("NFD", c.value)
    wb.save(dst)
    return dst


def plan_rows(db_path: Path, plan_id: int) -> tuple[tuple, list[tuple]]:
    db = open_database(db_path, write=False)
    try:
        with db.session() as s:
            plan = s.get(Plan, plan_id)
            tasks = s.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.sort_order)).all()
            lead = {u.id: u.code for u in s.scalars(select(Unit))}
            return ((plan.title, plan.document_number),
                    [(t.area_title, t.number, t.title, t.output, t.lead_unit_text, t.timeframe_text,
                      lead.get(t.lead_unit_id)) for t in tasks])
    finally:
        db.close()


def test_an_nfd_plan_workbook_and_nfd_arguments_are_stored_nfc_and_match_the_units(tmp_path, capsys):
    db_path = demo_db_copy(tmp_path / "cchc.db")
    plain = tmp_path / "kế hoạch.xlsx"
    write_002(plain)
    decomposed = decomposed_copy(plain, tmp_path / "kế hoạch NFD.xlsx")
    ids = []
    for path, spell in ((plain, str), (decomposed, nfd)):
        rc, out, err = cli(capsys, "--db", str(db_path), "import-plan", str(path), "--unit", "MH",
                           "--title", spell("Kế hoạch CCHC năm 2021"), "--number", spell("751/QĐ-UBND"), "--json")
        assert rc == 0, err
        result = json.loads(out)
        assert "Bưu điện tỉnh" in result["unknown_units"]  # the unit list the user is asked about reads NFC
        ids.append(result["plan_id"])
    head_nfc, tasks_nfc = plan_rows(db_path, ids[0])
    head_nfd, tasks_nfd = plan_rows(db_path, ids[1])
    assert head_nfd == head_nfc == ("Kế hoạch CCHC năm 2021", "751/QĐ-UBND")
    assert tasks_nfd == tasks_nfc and len(tasks_nfd) == 38
    assert all_nfc(text for row in tasks_nfd for text in row)
    # "Sở Tư pháp" written decomposed in the file still finds the unit of the catalogue (stored NFC).
    assert ("Công tác theo dõi thi hành pháp luật", "Sở Tư pháp", "MH.STP") in [(t[2], t[4], t[6]) for t in tasks_nfd]


def test_an_nfd_unit_csv_is_stored_nfc_and_later_rows_match_it(tmp_path, capsys):
    db_path = tmp_path / "u.db"
    csv_path = tmp_path / "đơn vị.csv"
    csv_path.write_text(nfd("code,name,level,parent_code\nGL,UBND tỉnh Gia Lai,tinh,\n"
                            "GL.PK,UBND thành phố Pleiku,huyen,GL\nGL.PK.DH,UBND phường Diên Hồng,xa,GL.PK\n"),
                        encoding="utf-8")
    rc, _, err = cli(capsys, "--db", str(db_path), "units", "import", str(csv_path))
    assert rc == 0, err
    db = open_database(db_path, write=False)
    try:
        with db.session() as s:
            names = {u.code: u.name for u in s.scalars(select(Unit))}
    finally:
        db.close()
    assert names == {"GL": "UBND tỉnh Gia Lai", "GL.PK": "UBND thành phố Pleiku", "GL.PK.DH": "UBND phường Diên Hồng"}
    # The same file again, now NFC: the same units, nothing new (the names match).
    csv_path.write_text(unicodedata.normalize("NFC", csv_path.read_text(encoding="utf-8")), encoding="utf-8")
    rc, out, _ = cli(capsys, "--db", str(db_path), "units", "import", str(csv_path), "--json")
    assert rc == 0 and json.loads(out)["created"] == [] and json.loads(out)["updated"] == []


def test_nfd_values_notes_reasons_and_settings_are_stored_nfc(tmp_path, capsys):
    make_db(tmp_path).close()
    dbp = str(tmp_path / "cchc.db")
    target = ["--db", dbp, "--unit", PROVINCE, "--period", "2021-H1"]
    # A values file (.csv and .xlsx) with a decomposed note and a decomposed "Không phát sinh".
    csv_path = write_csv(tmp_path / "số liệu.csv", [("2.1", "17", nfd("Theo báo cáo của Sở Tư pháp")),
                                                    ("1.2.3", nfd("Không phát sinh"), "")])
    assert cli(capsys, "set-values", *target, "--from", str(csv_path))[0] == 0
    wb = openpyxl.Workbook()
    wb.active.append(["code", "value", "note"])
    wb.active.append(["2.2", 4, nfd("Số liệu của Văn phòng")])
    xlsx_path = tmp_path / "số liệu.xlsx"
    wb.save(xlsx_path)
    assert cli(capsys, "set-values", *target, "--from", str(xlsx_path))[0] == 0
    # Settings typed on the command line, decomposed.
    rc, out, err = cli(capsys, "settings", "--db", dbp, "--unit", PROVINCE, "--set", nfd("report.place=Gia Lai Đồng"),
                       "--set", nfd("report.signer_name=Đỗ Tiến Đông"))
    assert rc == 0, err
    db = open_database(dbp, write=False)
    try:
        with db.session() as s:
            ret = find_unit_return(s, PROVINCE, "2021-H1")
            rows = {r.code: r for r in grid_rows(s, ret.id)}
            unit = get_unit(s, PROVINCE)
            place, signer = get_setting(s, unit, "report.place"), get_setting(s, unit, "report.signer_name")
    finally:
        db.close()
    assert (rows["2.1"].number, rows["2.1"].note) == (17, "Theo báo cáo của Sở Tư pháp")
    assert rows["1.2.3"].text == "Không phát sinh"  # recognised as KPS, not stored as some text
    assert (rows["2.2"].number, rows["2.2"].note) == (4, "Số liệu của Văn phòng")
    assert (place, signer) == ("Gia Lai Đồng", "Đỗ Tiến Đông")


def test_an_nfd_reason_on_the_command_line_is_stored_nfc(tmp_path, capsys):
    make_db(tmp_path).close()
    dbp = str(tmp_path / "cchc.db")
    target = ["--db", dbp, "--unit", PROVINCE, "--period", "2021-H1"]
    assert cli(capsys, "set-values", *target, "--from", str(write_csv(tmp_path / "seed.csv", seed_with({}))))[0] == 0
    assert cli(capsys, "submit", *target)[0] == 0
    rc, _, err = cli(capsys, "reopen", *target, "--reason", nfd("Sở Tư pháp bổ sung 01 văn bản"))
    assert rc == 0, err
    db = open_database(dbp, write=False)
    try:
        with db.session() as s:
            reasons = [a.reason for a in s.scalars(select(AuditEntry).where(AuditEntry.action == "reopen"))]
    finally:
        db.close()
    assert reasons == ["Sở Tư pháp bổ sung 01 văn bản"]
