"""Units exist from ``valid_from`` to ``valid_to``; merged communes (since 1/7/2025) keep their predecessors.

Nothing is recorded for a unit in a period it did not exist in (a return, a plan, progress, values,
a received file), and the refusal names the dates. ``units merge`` records that communes A and B
became C; their earlier data is shown under C (``units history``, the parent's completeness board).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.reports.workbook_reader import read_return_workbook
from db import migrate
from db.engine import make_engine, open_database
from main import main
from tests.conftest import dump_tables
from tests.helpers.plan_tables import write_002

UNITS = ("code,name,level,parent_code,valid_from\n"
         "MH.XA,UBND xã An Phú,xã,MH,\n"
         "MH.XB,UBND xã Bình Minh,xã,MH,\n")


def cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def values_file(folder: Path, name: str, value: int) -> Path:
    path = folder / name
    path.write_text(f"code,value,note\n1.1.1,{value},\n", encoding="utf-8")
    return path


@pytest.fixture
def office(demo_db_file: Path, tmp_path: Path, capsys) -> Path:  # noqa: ANN001
    db = tmp_path / "tinh.db"
    shutil.copy(demo_db_file, db)
    (tmp_path / "don_vi.csv").write_text(UNITS, encoding="utf-8")
    assert cli(capsys, db, "units", "import", str(tmp_path / "don_vi.csv"))[0] == 0
    return db


def test_a_merged_communes_quarter_from_entry_to_consolidation(office: Path, tmp_path: Path, capsys) -> None:
    """Communes An Phú and Bình Minh report 2025-Q2, merge on 01/07/2025 into An Bình Minh, which
    reports 2025-Q3; the province consolidates both quarters and sees the merger."""
    commune_pc = tmp_path / "xa.db"
    shutil.copy(office, commune_pc)
    inbox = tmp_path / "hop_thu"
    inbox.mkdir()
    # Q2, before the merger: An Phú 4 tasks, Bình Minh 6 (indicator 1.1.1), typed on the communes' PC.
    for unit, value in (("MH.XA", 4), ("MH.XB", 6)):
        assert cli(capsys, commune_pc, "set-values", "--unit", unit, "--period", "2025-Q2", "--from",
                   str(values_file(tmp_path, f"{unit}.csv", value)))[0] in (0, 1)
        assert cli(capsys, commune_pc, "export", "--unit", unit, "--period", "2025-Q2",
                   "--xlsx", str(inbox / f"{unit}_Q2.xlsx"))[0] == 0
    # The merger, recorded on both PCs.
    for db in (office, commune_pc):
        code, out, _ = cli(capsys, db, "units", "merge", "--into", "MH.XC", "--name", "UBND xã An Bình Minh",
                           "--from", "MH.XA,MH.XB", "--date", "01/07/2025")
        assert code == 0 and "MH.XA  UBND xã An Phú (hiệu lực đến 30/06/2025)" in out
    # The new commune did not exist in Q2; the old ones do not exist in Q3.
    code, _, err = cli(capsys, commune_pc, "set-values", "--unit", "MH.XC", "--period", "2025-Q2", "--from",
                       str(values_file(tmp_path, "c.csv", 10)))
    assert code == 1 and ("Đơn vị UBND xã An Bình Minh (MH.XC) chỉ tồn tại từ 01/07/2025, nên không có báo cáo kỳ "
                          "Quý II/2025 (01/04/2025 – 30/06/2025).") in err
    assert "Số liệu trước ngày 01/07/2025 thuộc các đơn vị cũ: UBND xã An Phú (MH.XA), UBND xã Bình Minh (MH.XB)" in err
    code, _, err = cli(capsys, commune_pc, "set-values", "--unit", "MH.XA", "--period", "2025-Q3", "--from",
                       str(values_file(tmp_path, "a.csv", 3)))
    assert code == 1 and "chỉ tồn tại đến 30/06/2025" in err and "đã sáp nhập vào UBND xã An Bình Minh (MH.XC)" in err
    # Q3: the merged commune, 9 tasks.
    assert cli(capsys, commune_pc, "set-values", "--unit", "MH.XC", "--period", "2025-Q3", "--from",
               str(values_file(tmp_path, "c.csv", 9)))[0] in (0, 1)
    assert cli(capsys, commune_pc, "export", "--unit", "MH.XC", "--period", "2025-Q3",
               "--xlsx", str(inbox / "MH.XC_Q3.xlsx"))[0] == 0

    code, out, _ = cli(capsys, office, "import-returns", "--unit", "MH", str(inbox), "--json")
    outcomes = {f["file"]: f for f in json.loads(out)["files"]}
    assert {f: o["outcome"] for f, o in outcomes.items()} == {
        "MH.XA_Q2.xlsx": "imported", "MH.XB_Q2.xlsx": "imported", "MH.XC_Q3.xlsx": "imported"}

    # The province reviews them (sent as drafts: accepted with a note); only accepted returns are consolidated.
    for unit, period in (("MH.XA", "2025-Q2"), ("MH.XB", "2025-Q2"), ("MH.XC", "2025-Q3")):
        code, _, err = cli(capsys, office, "review", "--unit", "MH", "--child", unit, "--period", period, "--accept",
                           "--note", "Nhận bản Nháp, đã gọi điện xác nhận số liệu")
        assert code == 0, err

    # Completeness: Q2 expects the two old communes, Q3 the new one, which says where it comes from.
    code, out, _ = cli(capsys, office, "completeness", "--unit", "MH", "--period", "2025-Q2", "--json")
    rows = {r["unit"]: r for r in json.loads(out)["units"]}
    assert rows["MH.XA"]["received"] and rows["MH.XB"]["received"] and "MH.XC" not in rows
    code, out, _ = cli(capsys, office, "completeness", "--unit", "MH", "--period", "2025-Q3", "--json")
    rows = {r["unit"]: r for r in json.loads(out)["units"]}
    assert "MH.XA" not in rows and rows["MH.XC"]["received"]
    assert rows["MH.XC"]["merged_from"] == ["MH.XA", "MH.XB"]
    assert "sáp nhập từ MH.XA, MH.XB ngày 01/07/2025" in rows["MH.XC"]["note"]

    # Consolidation, worked by hand: Q2 = 4 + 6 = 10 (the two old communes); Q3 = 9 (the new one).
    for period, expected in (("2025-Q2", 10), ("2025-Q3", 9)):
        assert cli(capsys, office, "consolidate", "--unit", "MH", "--period", period)[0] == 0
        path = tmp_path / f"MH_{period}.xlsx"
        assert cli(capsys, office, "export", "--unit", "MH", "--period", period, "--xlsx", str(path))[0] == 0
        assert read_return_workbook(path).content["values"]["1.1.1"]["value"] == expected

    # The new commune's history carries the old communes' returns.
    code, out, _ = cli(capsys, office, "units", "history", "MH.XC")
    assert "sáp nhập từ UBND xã An Phú (MH.XA), UBND xã Bình Minh (MH.XB) ngày 01/07/2025" in out
    lines = out.splitlines()[1:]
    assert lines[0].startswith("  Quý II/2025") and "[đơn vị cũ MH.XA – UBND xã An Phú]" in lines[0]
    assert "[đơn vị cũ MH.XB – UBND xã Bình Minh]" in lines[1]
    assert lines[2].startswith("  Quý III/2025") and "đơn vị cũ" not in lines[2]
    code, out, _ = cli(capsys, office, "units", "list")
    assert "MH.XC  UBND xã An Bình Minh  [Xã, phường, đặc khu]  (hiệu lực 01/07/2025 – …; sáp nhập từ MH.XA, MH.XB " \
           "ngày 01/07/2025)" in out
    assert "MH.XA  UBND xã An Phú  [Xã, phường, đặc khu]  (hiệu lực … – 30/06/2025; đã sáp nhập vào MH.XC từ " \
           "01/07/2025)" in out


def test_a_file_from_a_pc_that_missed_the_merger_is_refused_with_the_dates(office, tmp_path, capsys) -> None:
    stale_pc = tmp_path / "xa_cu.db"
    shutil.copy(office, stale_pc)  # its catalogue never learnt of the merger
    assert cli(capsys, stale_pc, "set-values", "--unit", "MH.XA", "--period", "2025-Q3", "--from",
               str(values_file(tmp_path, "a.csv", 3)))[0] in (0, 1)
    export = tmp_path / "MH.XA_Q3.xlsx"
    assert cli(capsys, stale_pc, "export", "--unit", "MH.XA", "--period", "2025-Q3", "--xlsx", str(export))[0] == 0
    assert cli(capsys, office, "units", "merge", "--into", "MH.XC", "--name", "UBND xã An Bình Minh",
               "--from", "MH.XA,MH.XB", "--date", "01/07/2025")[0] == 0
    code, out, _ = cli(capsys, office, "import-returns", "--unit", "MH", str(export), "--json")
    result = json.loads(out)["files"][0]
    assert code == 1 and (result["outcome"], result["reason_code"]) == ("rejected", "unit_not_in_period")
    assert result["reason"] == ("Đơn vị UBND xã An Phú (MH.XA) chỉ tồn tại đến 30/06/2025, nên không có báo cáo kỳ "
                                "Quý III/2025 (01/07/2025 – 30/09/2025).")


def test_a_plan_and_progress_outside_the_units_life_are_refused(office, tmp_path, capsys) -> None:
    assert cli(capsys, office, "units", "merge", "--into", "MH.XC", "--name", "UBND xã An Bình Minh",
               "--from", "MH.XA,MH.XB", "--date", "01/07/2025")[0] == 0
    plan = tmp_path / "ke_hoach.xlsx"
    write_002(plan)  # the provincial plan of 2021
    before = dump_tables(office)
    code, _, err = cli(capsys, office, "import-plan", str(plan), "--unit", "MH.XC")
    assert code == 1 and ("Đơn vị UBND xã An Bình Minh (MH.XC) chỉ tồn tại từ 01/07/2025, nên không có kế hoạch "
                          "năm 2021.") in err
    assert dump_tables(office) == before
    code, out, _ = cli(capsys, office, "import-plan", str(plan), "--unit", "MH.XA", "--json")
    assert code == 0  # An Phú existed in 2021
    task = sqlite3.connect(office).execute(
        "SELECT MIN(id) FROM task WHERE plan_id = ?", (json.loads(out)["plan_id"],)).fetchone()[0]
    code, _, err = cli(capsys, office, "progress", "--task", str(task), "--period", "2025-Q3", "--status",
                       "đang thực hiện")
    assert code == 1 and "chỉ tồn tại đến 30/06/2025, nên không có tiến độ nhiệm vụ kỳ Quý III/2025" in err
    assert cli(capsys, office, "progress", "--task", str(task), "--period", "2025-Q2", "--status",
               "đang thực hiện")[0] == 0


def test_merging_refuses_a_used_code_and_units_already_closed(office, capsys) -> None:
    before = dump_tables(office)
    code, _, err = cli(capsys, office, "units", "merge", "--into", "MH.XA", "--name", "UBND xã Mới",
                       "--from", "MH.XA,MH.XB", "--date", "01/07/2025")
    assert code == 1 and "Mã “MH.XA” đã có trong danh mục" in err and "không được dùng lại" in err
    code, _, err = cli(capsys, office, "units", "merge", "--into", "MH.XD", "--name", "UBND xã Mới",
                       "--from", "MH.HAB.XAL", "--date", "01/09/2025")
    assert code == 1 and "đã thôi tồn tại từ sau ngày 30/06/2025" in err
    code, _, err = cli(capsys, office, "units", "merge", "--into", "MH.XD", "--name", "UBND xã Mới",
                       "--from", "MH.XA,KHONG.CO", "--date", "01/07/2025")
    assert code == 1 and "Không có đơn vị mã “KHONG.CO”" in err
    code, _, err = cli(capsys, office, "units", "merge", "--into", "MH.XD", "--name", "UBND xã Mới",
                       "--from", "MH.XA", "--date", "31/02/2025")
    assert code == 1 and "Ngày “31/02/2025” không hợp lệ" in err
    assert dump_tables(office) == before


def test_units_import_records_predecessors_from_its_column(tmp_path, capsys) -> None:
    db = tmp_path / "dv.db"
    path = tmp_path / "don_vi.csv"
    path.write_text("code,name,level,parent_code,valid_from,valid_to,predecessors\n"
                    "T,UBND tỉnh Thử,tỉnh,,,,\n"
                    "T.A,UBND xã A,xã,T,,,\n"
                    "T.B,UBND xã B,xã,T,,30/06/2025,\n"
                    "T.C,UBND xã C,xã,T,01/07/2025,,T.A; T.B\n", encoding="utf-8")
    assert cli(capsys, db, "units", "import", str(path))[0] == 0
    code, out, _ = cli(capsys, db, "units", "list", "--json")
    units = {u["code"]: u for u in json.loads(out)["units"]}
    assert units["T.C"]["predecessors"] == ["T.A", "T.B"]
    assert units["T.A"]["valid_to"] == "2025-06-30" and units["T.A"]["merged_into"] == "T.C"
    code, out, _ = cli(capsys, db, "units", "import", str(path), "--json")  # the same file again changes nothing
    assert code == 0 and json.loads(out)["updated"] == []
    bad = tmp_path / "sai.csv"
    bad.write_text("code,name,level,parent_code,valid_from,valid_to,predecessors\n"
                   "T.D,UBND xã D,xã,T,,,T.C\n"
                   "T.E,UBND xã E,xã,T,01/07/2025,,T.X\n", encoding="utf-8")
    before = dump_tables(db)
    code, _, err = cli(capsys, db, "units", "import", str(bad))
    assert code == 1
    assert "đơn vị “T.D” sáp nhập từ đơn vị khác cần có ngày hiệu lực" in err
    assert "đơn vị cũ “T.X” không có trong tệp hay trong danh mục" in err
    assert dump_tables(db) == before


@pytest.mark.sqlite_only(reason="an old-schema SQLite file upgraded on opening")
def test_upgrade_from_0009_keeps_every_row(demo_db_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "cu.db"
    engine = make_engine(path)
    migrate.upgrade(engine, "0009")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("ATTACH DATABASE ? AS src", (str(demo_db_file),))
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                        "AND name NOT IN ('alembic_version', 'unit_predecessor')")]
    for t in tables:
        cols = ", ".join(f'"{r[1]}"' for r in con.execute(f'PRAGMA table_info("{t}")'))
        con.execute(f'INSERT INTO "{t}" ({cols}) SELECT {cols} FROM src."{t}"')
    con.commit()
    con.execute("DETACH DATABASE src")
    con.close()
    before = dump_tables(path)
    assert sum(len(v) for v in before.values()) > 300
    db = open_database(path)
    try:
        assert db.upgraded_from == "0009"
    finally:
        db.close()
    after = dump_tables(path)
    assert after.pop("unit_predecessor") == []
    assert after.pop("saved_mapping", []) == []  # a later migration's table (0011), empty
    assert {k: v for k, v in after.items() if k != "alembic_version"} == \
        {k: v for k, v in before.items() if k != "alembic_version"}


def test_the_return_screen_says_why_a_unit_has_no_return_in_a_period(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from core.org.units import get_unit
    from core.returns.entry import find_unit_return
    from gui.app import make_application, open_for_gui
    from gui.main_window import MainWindow

    make_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    db = open_for_gui(tmp_path / "gui.db", demo=True)
    w = MainWindow(db)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    try:
        w.nav.setCurrentRow(1)
        editor = w.pages[1].editor
        with db.session() as s:
            unit_id = get_unit(s, "MH.DKHN").id  # the special zone exists from 01/07/2025
        w.unit_combo.setCurrentIndex(w.unit_combo.findData(unit_id))
        w.period_combo.setCurrentIndex(w.period_combo.findData("2021-Q3"))
        assert (editor.unit_id, editor.period_code) == (unit_id, "2021-Q3")
        assert editor.create_button.isVisible()
        editor.create_button.click()
        text = editor.empty_text.text()
        assert "UBND đặc khu Hòn Ngọc (MH.DKHN) chỉ tồn tại từ 01/07/2025, nên không có báo cáo kỳ Quý III/2021" in text
        assert editor.empty_text.isVisible() and not editor.create_button.isVisible()
        with db.session() as s:
            assert find_unit_return(s, "MH.DKHN", "2021-Q3") is None
        w.grab().save(str(tmp_path / "don_vi_chua_ton_tai.png"))
    finally:
        w.close()
        db.close()
