"""Bad plan files: a clear Vietnamese message, a non-zero exit, and the database unchanged in content."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from cli import run
from core.org.units import get_unit
from core.plans.table_headers import PlanImportError
from core.plans.table_import import import_plan_file, preview_plan_file
from core.safe_files import InputFileError
from db.engine import open_database
from tests.helpers.plan_tables import demo_db_copy, write_002


def dump(db_file: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    con = sqlite3.connect(db_file)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


@pytest.fixture()
def db_file(tmp_path: Path) -> Path:
    return demo_db_copy(tmp_path / "cchc.db")


def _text_file(path: Path) -> Path:
    path.write_text("STT\tNhiệm vụ\tCơ quan chủ trì\n1\tRà soát\tSở Tư pháp\n", encoding="utf-8")
    return path


def _docx_like(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def _truncated(path: Path) -> Path:
    full = path.with_name("full.xlsx")
    write_002(full)
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _garbled(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "not xml at all <<<")
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
        z.writestr("xl/worksheets/sheet1.xml", "\x00\x01garbage")
    return path


def _password(path: Path) -> Path:
    # An encrypted workbook is an OLE compound file, not a zip.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    return path


def _no_header(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Danh sách cán bộ"])
    ws.append(["Họ tên", "Chức vụ", "Điện thoại"])
    ws.append(["Nguyễn Văn A", "Chuyên viên", "0123"])
    wb.save(path)
    return path


def _empty(path: Path) -> Path:
    Workbook().save(path)
    return path


def _oversized(path: Path) -> Path:
    with open(path, "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(51 * 1024 * 1024)  # sparse: fast and takes no disk
    return path


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    return path


def _header_without_tasks(path: Path) -> Path:
    wb = Workbook()
    wb.active.append(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện"])
    wb.save(path)
    return path


def _ambiguous(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Cơ quan thực hiện", "Thời gian"])
    ws.append(["1", "Rà soát", "Sở Tư pháp", "Sở Nội vụ", "Quý I/2022"])
    wb.save(path)
    return path


BAD = [
    ("ke_hoach.xlsx", _text_file, "không phải là tệp Excel .xlsx"),
    ("ke_hoach.docx.xlsx", _docx_like, "không phải là bảng tính Excel"),
    ("ke_hoach.csv", _text_file, "không phải là tệp Excel .xlsx"),
    ("ke_hoach.xls", _password, "không phải là tệp Excel .xlsx"),
    ("hỏng.xlsx", _truncated, "bị hỏng"),
    ("hỏng2.xlsx", _garbled, "bị hỏng"),
    ("mật khẩu.xlsx", _password, "mật khẩu"),
    ("không tiêu đề.xlsx", _no_header, "Không tìm thấy dòng tiêu đề"),
    ("trống.xlsx", _empty, "bảng tính trống"),
    ("rất lớn.xlsx", _oversized, "quá lớn"),
    ("bom.xlsx", _zip_bomb, "bất thường"),
    ("chỉ tiêu đề.xlsx", _header_without_tasks, "không có nhiệm vụ nào"),
    ("hai cột chủ trì.xlsx", _ambiguous, "--map C=lead"),
]


@pytest.mark.parametrize("name,make,message", BAD, ids=[b[0] for b in BAD])
def test_cli_refuses_and_changes_nothing(db_file: Path, tmp_path: Path, capsys, name, make, message) -> None:
    path = make(tmp_path / name)
    before = dump(db_file)
    code = run(["--db", str(db_file), "import-plan", str(path), "--unit", "MH"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Lỗi: ") and message in err
    assert dump(db_file) == before


@pytest.mark.parametrize("name,make,message", BAD[:3], ids=[b[0] for b in BAD[:3]])
def test_cli_json_error(db_file: Path, tmp_path: Path, capsys, name, make, message) -> None:
    path = make(tmp_path / name)
    before = dump(db_file)
    code = run(["--db", str(db_file), "import-plan", str(path), "--unit", "MH", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["ok"] is False and message in out["error"]
    assert dump(db_file) == before


@pytest.mark.parametrize("name,make,message", BAD, ids=[b[0] for b in BAD])
def test_service_raises_input_file_error(tmp_path: Path, name, make, message) -> None:
    path = make(tmp_path / name)
    if make is _ambiguous:
        assert preview_plan_file(path).ambiguous
        return
    if make is _header_without_tasks:
        assert preview_plan_file(path).task_count == 0
        return
    with pytest.raises(InputFileError) as info:
        preview_plan_file(path)
    assert message in str(info.value)


def test_failure_inside_the_transaction_rolls_back_everything(db_file: Path, tmp_path: Path, monkeypatch) -> None:
    """A failure after units were created and tasks written leaves nothing behind."""
    path = tmp_path / "a.xlsx"
    write_002(path)
    before = dump(db_file)
    import core.plans.table_import as pi

    real = pi.store_plan

    def store_then_fail(session, unit, draft):
        real(session, unit, draft)
        session.flush()
        raise PlanImportError("lỗi giả lập sau khi đã ghi")

    monkeypatch.setattr(pi, "store_plan", store_then_fail)
    db = open_database(db_file)
    try:
        with pytest.raises(PlanImportError), db.transaction() as s:
            import_plan_file(s, path, get_unit(s, "MH"), create_units=["Bưu điện tỉnh"])
    finally:
        db.close()
    assert dump(db_file) == before


def test_unknown_unit_code_and_bad_mapping(db_file: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.xlsx"
    write_002(path)
    before = dump(db_file)
    assert run(["--db", str(db_file), "import-plan", str(path), "--unit", "KHONG_CO"]) == 1
    assert "Không có đơn vị mã “KHONG_CO”" in capsys.readouterr().err
    assert run(["--db", str(db_file), "import-plan", str(path), "--unit", "MH", "--map", "E-lead"]) == 1
    assert "COT=TRUONG" in capsys.readouterr().err
    assert dump(db_file) == before


def test_dry_run_changes_nothing(db_file: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.xlsx"
    write_002(path)
    before = dump(db_file)
    assert run(["--db", str(db_file), "import-plan", str(path), "--unit", "MH", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["plan_id"] is None and out["dry_run"] is True and out["tasks"] == 38
    assert dump(db_file) == before

