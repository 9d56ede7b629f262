"""The holes of issue 12 ("what goes wrong today", cases 2–6), each as the user met it through the CLI.

- a look-alike or bit-flipped file given to ``restore``;
- the "bomb under the limits" (4 MB holding 376 MB of cells) on import-plan, import-returns, set-values;
- a plan larger than the limit (refused, never cut) and a province-size plan (imported whole);
- files read before the writer lock is taken;
- the malformed inputs that leaked English tracebacks (CR-only CSV, a 200 KB field, a 400-digit
  number, 2 million rows, JSON nested 50,000 deep, a damaged .xlsx in set-values and units import);
- the lone ``'`` the CSV import report wrote into empty cells.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.safe_files import PLAN_LIMITS, LimitExceeded, read_table
from db.lock import WriterLock
from main import main
from tests.conftest import dump_tables
from tests.helpers.hostile_files import write_big_plan, write_bomb

pytestmark = pytest.mark.sqlite_only(reason="byte-for-byte checks of the SQLite file and its writer lock")

H1 = "2021-H1"
LEAKS = re.compile(r"Traceback|File \"|\b[A-Z][A-Za-z]*(?:Error|Exception)\b|BadZipFile|maximum recursion")


@pytest.fixture
def live(demo_db_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "cchc.db"
    target.write_bytes(demo_db_file.read_bytes())
    return target


def cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    assert not LEAKS.search(out + err), (out + err)[-2000:]
    return code, out, err


# --------------------------------------------------------------------------- restore (case 2)


def _lookalike(path: Path, revision: str) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    con.execute("CREATE TABLE unit (id INTEGER PRIMARY KEY, code TEXT, name TEXT)")
    con.execute('CREATE TABLE "return" (id INTEGER PRIMARY KEY, unit_id INTEGER)')
    con.commit()
    con.close()
    return path


def test_restore_refuses_a_look_alike_and_leaves_the_live_database_byte_for_byte(live, tmp_path, capsys):
    from db import migrate

    fake = _lookalike(tmp_path / "sao_luu.db", migrate.head_revision())
    raw = live.read_bytes()
    code, _, err = cli(capsys, live, "restore", str(fake))
    assert code == 1
    assert "không phải là bản sao lưu đầy đủ" in err and "thiếu bảng “area”" in err
    assert live.read_bytes() == raw
    code, out, _ = cli(capsys, live, "units", "list")  # the app still opens it (was: "no such table: area")
    assert code == 0 and "MH.SNV  Sở Nội vụ" in out


def test_restore_refuses_a_file_missing_one_column(live, tmp_path, capsys):
    copy = tmp_path / "thieu_cot.db"
    assert main(["--db", str(live), "backup", str(copy)]) == 0
    con = sqlite3.connect(copy)
    con.execute("ALTER TABLE unit DROP COLUMN valid_from")
    con.commit()
    con.close()
    raw = live.read_bytes()
    code, _, err = cli(capsys, live, "restore", str(copy))
    assert code == 1 and "bảng “unit” thiếu cột “valid_from”" in err
    assert live.read_bytes() == raw


def test_restore_of_a_bit_flipped_file_is_a_vietnamese_refusal(live, tmp_path, capsys):
    copy = tmp_path / "hong.db"
    assert main(["--db", str(live), "backup", str(copy)]) == 0
    data = bytearray(copy.read_bytes())
    at = data.index(b"tableareaarea") + len(b"table")  # sqlite_master's record of table "area": its name
    data[at] |= 0x80  # no longer UTF-8: integrity_check raised UnicodeDecodeError
    copy.write_bytes(bytes(data))
    raw = live.read_bytes()
    code, _, err = cli(capsys, live, "restore", str(copy))
    assert code == 1 and "bị hỏng hoặc không đọc được" in err
    assert live.read_bytes() == raw


def test_restore_of_an_older_sound_backup_still_works_and_keeps_its_rows(live, tmp_path, capsys):
    copy = tmp_path / "tot.db"
    assert main(["--db", str(live), "backup", str(copy)]) == 0
    capsys.readouterr()
    code, out, _ = cli(capsys, live, "units", "import", str(_units_csv(tmp_path)))
    assert code == 0
    assert "MH.MOI" in cli(capsys, live, "units", "list")[1]
    code, out, _ = cli(capsys, live, "restore", str(copy))
    assert code == 0 and "Đã phục hồi" in out
    assert "MH.MOI" not in cli(capsys, live, "units", "list")[1]


def _units_csv(folder: Path) -> Path:
    path = folder / "don_vi_moi.csv"
    path.write_text("code,name,level,parent_code\nMH.MOI,UBND xã Mới Lập,xã,MH\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the bomb (case 4)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {kind: write_bomb(folder / f"bom_{kind}.xlsx", kind) for kind in ("plan", "values", "return")}


def test_the_bomb_is_4_mb_holding_376_mb_and_passes_the_zip_checks(bombs):
    from core.safe_files import check_xlsx

    for path in bombs.values():
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            packed = sum(i.compress_size for i in zf.infolist())
        assert path.stat().st_size < 4.5e6 and unpacked > 376 * 2**20 * 0.99
        assert 80 < unpacked / packed < 110
        check_xlsx(path)  # total size and ratio alone do not stop it: only the limits counted while streaming


@pytest.mark.parametrize(("kind", "command", "limit"), [
    ("plan", ["import-plan", "{f}", "--unit", "MH"], "50.000 dòng"),
    ("values", ["set-values", "--unit", "MH", "--period", "2022-Q1", "--from", "{f}"], "giới hạn 32 MB"),
    ("return", ["import-returns", "--unit", "MH", "{f}"], "20.000 dòng"),
])
def test_the_bomb_is_refused_naming_the_limit_and_nothing_changes(bombs, live, capsys, kind, command, limit):
    before = dump_tables(live)
    args = [a.replace("{f}", str(bombs[kind])) for a in command]
    code, out, err = cli(capsys, live, *args)
    assert code == 1
    text = out + err
    assert "vượt giới hạn" in text and limit in text and "không được nhập một phần" in text
    after = dump_tables(live)
    if kind == "return":  # the refused file is recorded as such, nothing else
        assert [r for r in after["imported_file"] if r not in before["imported_file"]][0].count("'rejected'") == 1
        after["imported_file"] = before["imported_file"]
    assert after == before


# --------------------------------------------------------------------------- plans: refused, never cut (case 6)


def test_a_plan_over_the_limit_is_refused_never_cut(live, tmp_path, capsys):
    big = write_big_plan(tmp_path / "ke_hoach_60000.xlsx", 60_000)
    before = dump_tables(live)
    code, _, err = cli(capsys, live, "import-plan", str(big), "--unit", "MH")
    assert code == 1  # was: exit 0, 19,999 tasks
    assert "dòng 50.001, vượt giới hạn 50.000 dòng" in err
    assert dump_tables(live) == before


def test_a_plan_numbering_past_999_in_an_area_imports_every_task(live, tmp_path, capsys):
    plan = write_big_plan(tmp_path / "ke_hoach_lon.xlsx", 7_200)  # 1,200 tasks per area, numbered 1–1200
    code, out, _ = cli(capsys, live, "import-plan", str(plan), "--unit", "MH", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["tasks"] == 7_200 and result["areas"] == 6 and not result["unplaced"]
    con = sqlite3.connect(live)
    try:
        numbers = [r[0] for r in con.execute(
            "SELECT number FROM task WHERE plan_id = ? AND area_numeral = 'VI' ORDER BY sort_order",
            (result["plan_id"],))]
    finally:
        con.close()
    assert numbers == [str(n) for n in range(1, 1201)]


def test_limits_are_counted_while_streaming_not_after_loading(tmp_path):
    # One value far down the sheet is enough: the reader stops there instead of loading the rest.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "value"])
    ws.cell(row=PLAN_LIMITS.rows + 1, column=1, value="x")
    path = tmp_path / "xa.xlsx"
    wb.save(path)
    with pytest.raises(LimitExceeded) as info:
        read_table(path, PLAN_LIMITS)
    assert info.value.limit == "rows" and "50.001" in str(info.value)
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x" * 10
    wb.active.cell(row=1, column=PLAN_LIMITS.columns + 1, value="y")
    wb.save(path)
    with pytest.raises(LimitExceeded) as info:
        read_table(path, PLAN_LIMITS)
    assert info.value.limit == "columns"


# --------------------------------------------------------------------------- no lock while reading


def _lock_is_free(db: Path) -> bool:
    probe = WriterLock(db)
    try:
        probe.acquire()
    except Exception:  # noqa: BLE001 - DatabaseBusyError: someone holds it
        return False
    probe.release()
    return True


def test_files_are_read_before_the_writer_lock_is_taken(live, tmp_path, capsys, monkeypatch):
    import cli.return_commands as return_commands
    import cli.unit_commands as unit_commands
    import core.intake.return_files as return_files

    seen: list[tuple[str, bool]] = []

    def spy(name, real):  # noqa: ANN001, ANN202
        def read(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            seen.append((name, _lock_is_free(live)))
            return real(*args, **kwargs)
        return read

    monkeypatch.setattr(unit_commands, "read_unit_file", spy("units", unit_commands.read_unit_file))
    monkeypatch.setattr(return_commands, "read_values_file", spy("values", return_commands.read_values_file))
    monkeypatch.setattr(return_files, "read_return_workbook", spy("returns", return_files.read_return_workbook))
    values = tmp_path / "so_lieu.csv"
    values.write_text("code,value\n1.1.1,5\n", encoding="utf-8")
    export = tmp_path / "bao_cao.xlsx"
    assert main(["--db", str(live), "export", "--unit", "MH", "--period", H1, "--xlsx", str(export)]) == 0
    cli(capsys, live, "units", "import", str(_units_csv(tmp_path)))
    cli(capsys, live, "set-values", "--unit", "MH", "--period", "2022-Q1", "--from", str(values))
    cli(capsys, live, "import-returns", "--unit", "MH", str(export))
    assert seen == [("units", True), ("values", True), ("returns", True)]


# --------------------------------------------------------------------------- tracebacks that leaked (case 5)


def test_a_damaged_xlsx_in_set_values_and_units_import_is_refused_in_vietnamese(live, tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active.append(["code", "value"])
    wb.active.append(["1.1.1", 5])
    good = tmp_path / "tot.xlsx"
    wb.save(good)
    bad = tmp_path / "hong.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:  # the sheet cut in half
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data[: len(data) // 2] if info.filename.endswith("sheet1.xml") else data)
    before = dump_tables(live)
    for args in (["set-values", "--unit", "MH", "--period", "2022-Q1", "--from", str(bad)],
                 ["units", "import", str(bad)]):
        code, _, err = cli(capsys, live, *args)
        assert code == 1 and "bị hỏng, không đọc được nội dung" in err
    assert dump_tables(live) == before


def test_a_csv_with_cr_only_line_ends_imports_whole(live, tmp_path, capsys):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"code,value,note\r1.1.1,38,\r1.1.2,11,Ghi ch\xc3\xba\r")
    code, out, _ = cli(capsys, live, "set-values", "--unit", "MH", "--period", "2022-Q1", "--from", str(path),
                       "--json")
    assert code in (0, 1) and json.loads(out)["stored"] is True
    code, out, _ = cli(capsys, live, "log", "--unit", "MH", "--period", "2022-Q1", "--code", "1.1.2")
    assert "11" in out


def test_utf16_csv_from_excel_unicode_text_is_read(tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes("code\tvalue\tnote\r\n1.1.1\t38\tGhi chú\r\n".encode("utf-16"))
    assert read_table(path)[1] == ["1.1.1", "38", "Ghi chú"]


@pytest.mark.parametrize(("content", "message"), [
    (b"code,value,note\n1.1.1,5," + b"x" * 200_000 + b"\n", "dài hơn 32.767 ký tự"),
    (b"code,value\n1.1.1," + b"9" * 400 + b"\n", "quá lớn (số liệu có tối đa 15 chữ số)"),
    ("code,value,note\n1.1.1,5,Ghi chú\n".encode("cp1258"), "không phải văn bản UTF-8"),
])
def test_malformed_values_files_are_refused_with_the_reason(live, tmp_path, capsys, content, message):
    path = tmp_path / "so_lieu.csv"
    path.write_bytes(content)
    before = dump_tables(live)
    code, _, err = cli(capsys, live, "set-values", "--unit", "MH", "--period", "2022-Q1", "--from", str(path))
    assert code == 1 and message in err
    assert dump_tables(live) == before


def test_a_units_csv_of_two_million_rows_is_refused_not_a_memory_error(live, tmp_path, capsys):
    path = tmp_path / "don_vi.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("code,name,level,parent_code\n")
        fh.writelines(f"X{i},Xã {i},xa,MH\n" for i in range(2_000_000))
    before = dump_tables(live)
    code, _, err = cli(capsys, live, "units", "import", str(path))
    assert code == 1 and "vượt giới hạn 50.000 dòng" in err and "danh mục đơn vị" in err
    assert dump_tables(live) == before


def test_json_nested_50000_deep_in_a_return_is_refused_without_english(live, tmp_path, capsys):
    from tests.helpers.fuzz_corpus import _set_data_sheet

    export = tmp_path / "bao_cao.xlsx"
    assert main(["--db", str(live), "export", "--unit", "MH", "--period", H1, "--xlsx", str(export)]) == 0
    deep = "[" * 50_000 + "]" * 50_000
    text = '{"values": {}, "x": ' + deep + "}"
    chunks = [text[i:i + 30_000] for i in range(0, len(text), 30_000)]
    forged = _set_data_sheet(export, tmp_path / "sau.xlsx", lambda rows: [
        r for r in rows if r and r[0] not in ("content", "content_chunks")
    ] + [["content_chunks", len(chunks)]] + [["content", c] for c in chunks])
    code, out, _ = cli(capsys, live, "import-returns", "--unit", "MH", str(forged))
    assert code == 1 and "dữ liệu máy đọc bị hỏng hoặc đã bị sửa" in out and "recursion" not in out


def test_read_commands_on_a_database_whose_creation_was_killed_say_so(tmp_path, capsys):
    shell = tmp_path / "moi.db"
    con = sqlite3.connect(shell)
    con.execute("PRAGMA journal_mode=WAL")  # what a creation killed before its first table leaves
    con.close()
    for args in (["units", "list"], ["overview", "--unit", "MH", "--period", H1]):
        code, _, err = cli(capsys, shell, *args)
        assert code == 3 and "chưa được tạo xong" in err
    code, _, _ = cli(capsys, shell, "demo")  # a write command creates it whole
    assert code == 0
    assert cli(capsys, shell, "units", "list")[0] == 0


def test_an_unexpected_error_goes_to_the_crash_log_not_the_screen(live, capsys, monkeypatch):
    import cli.unit_commands as unit_commands
    from core.app.crash_log import log_file

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise KeyError("đây là một lỗi lập trình")

    monkeypatch.setattr(unit_commands, "unit_tree", broken)
    code, out, err = cli(capsys, live, "units", "list")
    assert code == 4 and out == ""
    assert "lỗi ngoài dự kiến" in err and str(log_file()) in err and "KeyError" not in err
    logged = log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError" in logged and "lệnh units" in logged


# --------------------------------------------------------------------------- the import report (case 6)


def test_the_csv_import_report_leaves_empty_cells_empty(live, tmp_path, capsys):
    export = tmp_path / "bao_cao.xlsx"
    assert main(["--db", str(live), "export", "--unit", "MH", "--period", H1, "--xlsx", str(export)]) == 0
    report = tmp_path / "ket_qua.csv"
    cli(capsys, live, "import-returns", "--unit", "MH", str(export), "--report", str(report))
    with open(report, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][0] == "STT"
    line = rows[2]
    assert line[2] == "Từ chối" and line[-1] == "" and "'" not in line  # was: a lone ' in each empty cell


@pytest.mark.parametrize(("args", "message"), [
    (["tasks", "--plan", "abc"], "giá trị 'abc' của --plan không hợp lệ"),
    (["overview", "--unit", "MH", "--period", H1, "--today", "2021-13-01"], "giá trị '2021-13-01' của --today"),
    (["units", "merge", "--into", "X"], "thiếu tham số bắt buộc: --name, --from, --date"),
])
def test_usage_errors_name_no_python_type(capsys, args, message):
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2 and message in err
    assert not re.search(r"\b(int|fromisoformat|invalid|required)\b", err)
