"""The CLI of the foundation: --help, demo, units import/list, backup and restore."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from main import main
from tests.conftest import REPO, dump_tables


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_the_subcommands():
    out = subprocess.run([sys.executable, str(REPO / "main.py"), "--help"], capture_output=True, text=True,
                         encoding="utf-8", cwd=REPO)
    assert out.returncode == 0
    for word in ("demo", "units", "backup", "restore", "--db", "--json"):
        assert word in out.stdout


def test_demo_twice_leaves_the_database_unchanged(tmp_path, capsys):
    db = tmp_path / "demo.db"
    code, out, _ = run_cli(capsys, "--db", str(db), "demo")
    assert code == 0 and "38 nhiệm vụ" in out
    first = dump_tables(db)
    code, out, _ = run_cli(capsys, "demo", "--db", str(db), "--json")
    assert code == 0 and json.loads(out)["loaded"] is False
    second = dump_tables(db)
    assert first == second
    assert len(first["task"]) == 38 and len(first["unit"]) == 15


UNITS_CSV = """code,name,level,parent_code
GL,UBND tỉnh Gia Lai,tinh,
GL.SNV,Sở Nội vụ,so,GL
GL.PK,UBND thành phố Pleiku,huyện,GL
GL.PK.IK,UBND phường Ia Kring,xã/phường/đặc khu,GL.PK
GL.SNV.CCHC,Phòng Cải cách hành chính,phòng,GL.SNV
"""


def test_units_import_csv_then_reimport_updates_without_duplicates(tmp_path, capsys):
    db = tmp_path / "u.db"
    f = tmp_path / "đơn vị.csv"
    f.write_text(UNITS_CSV, encoding="utf-8")
    code, out, _ = run_cli(capsys, "--db", str(db), "units", "import", str(f), "--json")
    assert code == 0
    assert len(json.loads(out)["created"]) == 5
    f.write_text(UNITS_CSV.replace("UBND phường Ia Kring", "UBND phường Diên Hồng"), encoding="utf-8-sig")
    code, out, _ = run_cli(capsys, "--db", str(db), "units", "import", str(f), "--json")
    result = json.loads(out)
    assert code == 0 and result["created"] == [] and result["updated"] == ["GL.PK.IK"]
    code, out, _ = run_cli(capsys, "--db", str(db), "units", "list", "--json")
    units = {u["code"]: u for u in json.loads(out)["units"]}
    assert len(units) == 5
    assert units["GL.PK.IK"]["name"] == "UBND phường Diên Hồng"
    assert units["GL.PK.IK"]["parent_code"] == "GL.PK" and units["GL.PK.IK"]["depth"] == 2
    assert units["GL.SNV.CCHC"]["level"] == "phong"
    code, out, _ = run_cli(capsys, "--db", str(db), "units", "list")
    assert "    GL.PK.IK  UBND phường Diên Hồng  [Xã, phường, đặc khu]" in out


def test_units_import_xlsx_with_vietnamese_headers_and_dates(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cha", "Hiệu lực từ", "Hiệu lực đến"])
    ws.append(["T", "UBND tỉnh", "Tỉnh", None, None, None])
    ws.append(["T.H", "UBND huyện Cũ", "Huyện", "T", None, "30/06/2025"])
    ws.append(["T.X", "UBND xã Mới", "Xã", "T", "01/07/2025", None])
    path = tmp_path / "don_vi.xlsx"
    wb.save(path)
    code, out, _ = run_cli(capsys, "--db", str(tmp_path / "x.db"), "units", "import", str(path))
    assert code == 0, out
    code, out, _ = run_cli(capsys, "--db", str(tmp_path / "x.db"), "units", "list", "--json")
    units = {u["code"]: u for u in json.loads(out)["units"]}
    assert units["T.H"]["valid_to"] == "2025-06-30" and units["T.X"]["valid_from"] == "2025-07-01"


@pytest.mark.parametrize(
    "content, message",
    [
        ("code,name,level,parent_code\nA,Tỉnh A,thành phố lớn,\n", "cấp “thành phố lớn” không hợp lệ"),
        ("code,name,level,parent_code\nA,Tỉnh A,tinh,\nB,Xã B,xa,KHONGCO\n", "đơn vị cha “KHONGCO”"),
        ("code,name,level,parent_code\nA,Xã A,xa,B\nB,Xã B,xa,A\n", "vòng lặp"),
        ("code,name,level,parent_code\nA,Tỉnh A,tinh,\nA,Tỉnh A2,tinh,\n", "trùng với dòng 2"),
        ("ma,ten\nA,Tỉnh A\n", "thiếu cột level"),
        ("code,name,level,parent_code\n,Tỉnh A,tinh,\n", "thiếu mã đơn vị"),
    ],
)
def test_bad_unit_files_change_nothing(tmp_path, capsys, content, message):
    db = tmp_path / "u.db"
    good = tmp_path / "good.csv"
    good.write_text(UNITS_CSV, encoding="utf-8")
    assert run_cli(capsys, "--db", str(db), "units", "import", str(good))[0] == 0
    before = dump_tables(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, "--db", str(db), "units", "import", str(bad))
    assert code == 1
    assert message in err
    assert dump_tables(db) == before


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("cp1258.csv", "code,name,level\nA,Tỉnh Đồng Nai,tinh\n".encode("cp1258", "replace"), "UTF-8"),
        ("trong.csv", b"", "rỗng"),
        ("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "không phải là tệp Excel"),
        ("matkhau.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "mật khẩu"),
        ("vanban.txt", b"code,name\n", "chỉ nhận .csv hoặc .xlsx"),
    ],
)
def test_unreadable_unit_files_are_refused_in_vietnamese(tmp_path, capsys, name, data, message):
    db = tmp_path / "u.db"
    f = tmp_path / name
    f.write_bytes(data)
    code, _, err = run_cli(capsys, "--db", str(db), "units", "import", str(f))
    assert code == 1 and message in err


@pytest.mark.sqlite_only(reason="backup files and restore from a file are for a SQLite database")
def test_backup_and_restore_round_trip(tmp_path, capsys):
    db = tmp_path / "b.db"
    run_cli(capsys, "--db", str(db), "demo")
    code, out, _ = run_cli(capsys, "--db", str(db), "backup", str(tmp_path / "sao lưu.db"), "--json")
    assert code == 0
    original = dump_tables(db)
    f = tmp_path / "more.csv"
    f.write_text("code,name,level,parent_code\nMH.XTM,UBND xã Tân Mỹ,xa,MH\n", encoding="utf-8")
    run_cli(capsys, "--db", str(db), "units", "import", str(f))
    assert dump_tables(db) != original
    code, out, _ = run_cli(capsys, "--db", str(db), "restore", str(tmp_path / "sao lưu.db"), "--json")
    assert code == 0, out
    safety = json.loads(out)["safety_backup"]
    assert dump_tables(db)["unit"] == original["unit"]
    assert "MH.XTM" in str(dump_tables(safety)["unit"])  # the pre-restore state is kept
    code, out, _ = run_cli(capsys, "--db", str(db), "backups", "--json")
    reasons = [b["reason"] for b in json.loads(out)["backups"]]
    assert "pre-restore" in reasons


def test_restore_refuses_a_foreign_file_and_changes_nothing(tmp_path, capsys):
    db = tmp_path / "b.db"
    run_cli(capsys, "--db", str(db), "demo")
    before = dump_tables(db)
    junk = tmp_path / "hỏng.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    code, _, err = run_cli(capsys, "--db", str(db), "restore", str(junk))
    assert code == 1 and "hỏng" in err
    code, _, err = run_cli(capsys, "--db", str(db), "restore", str(REPO / "README.md"))
    assert code == 1
    assert dump_tables(db) == before


@pytest.mark.sqlite_only(reason="the single-writer lock file exists only for a SQLite database")
def test_busy_database_exits_3_with_message(tmp_path, capsys):
    from db.engine import open_database

    db = open_database(tmp_path / "busy.db")
    try:
        code, _, err = run_cli(capsys, "--db", str(tmp_path / "busy.db"), "demo")
        assert code == 3 and "đang được mở" in err
    finally:
        db.close()
