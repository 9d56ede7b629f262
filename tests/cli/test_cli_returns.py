"""CLI: set-values, validate, submit, reopen, log, narrative, settings — driven as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import main
from core.returns.entry import find_unit_return
from core.returns.store import values_by_code
from tests.helpers.returns_helpers import PROVINCE, dump, make_db, seed_rows, seed_with, write_csv

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def dbp(tmp_path) -> str:
    make_db(tmp_path).close()
    return str(tmp_path / "cchc.db")


def cli(capsys, *args: str) -> tuple[int, str, str]:
    rc = main.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def cli_json(capsys, *args: str) -> tuple[int, dict]:
    rc, out, _ = cli(capsys, *args, "--json")
    return rc, json.loads(out)


def target(dbp: str, period: str = "2021-H1") -> list[str]:
    return ["--db", dbp, "--unit", PROVINCE, "--period", period]


def load_seed(capsys, dbp: str, tmp_path: Path, **kw) -> tuple[int, dict]:
    path = write_csv(tmp_path / "so_lieu.csv", seed_with(kw.get("changes", {}), kw.get("notes")))
    return cli_json(capsys, "set-values", *target(dbp), "--from", str(path))


def stored(dbp: str, period: str = "2021-H1") -> dict[str, float | None]:
    from db.engine import open_database

    db = open_database(dbp, write=False)
    try:
        with db.session() as s:
            ret = find_unit_return(s, PROVINCE, period)
            return {c: v.value_num for c, v in values_by_code(s, ret).items()}
    finally:
        db.close()


# ---------------------------------------------------------------- the seed


def test_the_seed_appendix_loads_and_validates_clean(capsys, dbp):
    seed = REPO / "resources" / "demo" / "so_lieu_6_thang_2021.csv"
    rc, out = cli_json(capsys, "set-values", *target(dbp), "--from", str(seed))
    assert rc == 0 and out["ok"] and out["stored"]
    assert out["rows"] == len(seed_rows()) and out["validation"]["problems"] == []
    assert out["return"]["window"] == "Từ ngày 15/12/2020 đến ngày 14/6/2021"
    rc, out = cli_json(capsys, "validate", *target(dbp))
    assert rc == 0 and out["ok"] and out["errors"] == 0 and out["problems"] == []
    values = stored(dbp)
    assert values["1.4.1"] == 3133 and values["3.4.2"] == 72.8 and values["3.1.3"] == 1964
    rc, out, _ = cli(capsys, "validate", *target(dbp))
    assert rc == 0 and "Không có lỗi hay cảnh báo nào." in out


def test_an_excel_file_with_a_vietnamese_header(capsys, dbp, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Số liệu", "Ghi chú"])
    for code, value, note in seed_rows():
        if code == "1.4.1":
            value = 3133  # a number cell, as Excel stores it
        elif code == "3.4.2":
            value = 72.8
        ws.append([code + ".", value, note or None])  # STT printed as "1.1.1."
    path = tmp_path / "số liệu.xlsx"
    wb.save(path)
    rc, out = cli_json(capsys, "set-values", *target(dbp), "--from", str(path))
    assert rc == 0 and out["validation"]["problems"] == []
    assert stored(dbp)["1.4.1"] == 3133 and stored(dbp)["3.4.2"] == 72.8


# ---------------------------------------------------------------- broken variants


def test_a_part_above_its_total_is_stored_but_reported(capsys, dbp, tmp_path):
    rc, out = load_seed(capsys, dbp, tmp_path, changes={"3.1.3.a": "2.494"})
    assert rc == 1 and out["stored"] and not out["ok"]
    errors = [p for p in out["validation"]["problems"] if p["severity"] == "error"]
    assert {tuple(p["codes"])[0] for p in errors} == {"3.1.3.a", "3.1.3"}
    rc, out = cli_json(capsys, "validate", *target(dbp))
    assert rc == 1 and out["errors"] == 2
    part = next(p for p in out["problems"] if p["kind"] == "breakdown")
    assert part["codes"] == ["3.1.3.a", "3.1.3"] and part["severity_label"] == "Lỗi" and part["blocking"]
    rc, _, err = cli(capsys, "submit", *target(dbp))
    assert rc == 1 and "3.1.3.a" in err and "Chưa thể chuyển báo cáo" in err


@pytest.mark.parametrize(
    ("changes", "code", "fragment"),
    [
        ({"3.4.2": "172,8"}, "3.4.2", "tỷ lệ phần trăm phải từ 0 đến 100"),
        ({"2.1": "1x"}, "2.1", "“1x” không phải là số"),
        ({"7.3": "5"}, "7.3", "không thuộc danh sách mã trả lời (Chưa = 0 / Đang làm = 1 / Hoàn thành = 2)"),
        ({"1.5": "có thể"}, "1.5", "không thuộc danh sách mã trả lời"),
        ({"4.2.1": "2,673"}, "4.2.1", "phải là số nguyên"),
    ],
)
def test_a_bad_value_stores_nothing(capsys, dbp, tmp_path, changes, code, fragment):
    assert load_seed(capsys, dbp, tmp_path)[0] == 0
    before = dump(Path(dbp))
    rc, out = load_seed(capsys, dbp, tmp_path, changes={**changes, "2.2": "9"})
    assert rc == 1 and out["stored"] is False
    (bad,) = out["bad_rows"]
    assert bad["code"] == code and fragment in bad["message"]
    line = 2 + [c for c, _, _ in seed_rows()].index(code)
    assert bad["line"] == line and f"dòng {line}: Chỉ tiêu {code}" in out["error"]
    assert dump(Path(dbp)) == before


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (("9.9", "1", ""), "Biểu mẫu không có chỉ tiêu mã “9.9”"),
        (("3.1", "5", ""), "Chỉ tiêu 3.1 là dòng tiêu đề nhóm"),
        (("2.1", "17", ""), "Chỉ tiêu 2.1 xuất hiện hai lần"),
    ],
)
def test_bad_rows_on_a_fresh_database_create_nothing(capsys, dbp, tmp_path, extra, fragment):
    before = dump(Path(dbp))
    path = write_csv(tmp_path / "bad.csv", [*seed_rows(), extra])
    rc, out = cli_json(capsys, "set-values", *target(dbp), "--from", str(path))
    assert rc == 1 and not out["stored"] and fragment in out["bad_rows"][0]["message"]
    assert out["bad_rows"][0]["line"] == len(seed_rows()) + 2
    assert dump(Path(dbp)) == before  # not even the return or the period was created


def _write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: p / "khong_co.csv", "Không tìm thấy tệp"),
        (lambda p: _write_bytes(p, "rong.csv", b""), "rỗng"),
        (lambda p: _write_bytes(p, "so_lieu.txt", b"code,value\n2.1,17\n"), "chỉ nhận .csv hoặc .xlsx"),
        (lambda p: _write_bytes(p, "cp1258.csv", "code,value\n2.1,17,Ghi chú\n".encode("cp1258")), "UTF-8"),
        (lambda p: _write_bytes(p, "thieu_cot.csv", "code,ghi chú\n2.1,x\n".encode()), "thiếu cột số liệu"),
        (lambda p: _write_bytes(p, "chi_tieu_de.csv", b"code,value,note\n"), "không có dòng số liệu"),
        (lambda p: _write_bytes(p, "gia.xlsx", b"PK\x03\x04 not really a workbook"), "không phải là tệp Excel"),
    ],
)
def test_unreadable_files_are_refused(capsys, dbp, tmp_path, make, fragment):
    before = dump(Path(dbp))
    rc, out = cli_json(capsys, "set-values", *target(dbp), "--from", str(make(tmp_path)))
    assert rc == 1 and out["stored"] is False and fragment in out["error"]
    assert dump(Path(dbp)) == before


@pytest.mark.parametrize(
    ("unit", "period", "fragment"),
    [("KHONG", "2021-H1", "Không có đơn vị mã “KHONG”"), (PROVINCE, "2021-Q5", "Mã kỳ báo cáo “2021-Q5” không hợp lệ")],
)
def test_unknown_unit_or_period(capsys, dbp, tmp_path, unit, period, fragment):
    before = dump(Path(dbp))
    path = write_csv(tmp_path / "v.csv", [("2.1", "17", "")])
    rc, out = cli_json(capsys, "set-values", "--db", dbp, "--unit", unit, "--period", period, "--from", str(path))
    assert rc == 1 and fragment in out["error"]
    assert dump(Path(dbp)) == before


# ---------------------------------------------------------------- workflow


def test_submitted_refuses_edits_until_reopened_and_the_log_shows_each_step(capsys, dbp, tmp_path):
    assert load_seed(capsys, dbp, tmp_path)[0] == 0
    rc, out = cli_json(capsys, "submit", *target(dbp))
    assert rc == 0 and out["return"]["status_label"] == "Đã hoàn thành"
    before = dump(Path(dbp))
    rc, out = load_seed(capsys, dbp, tmp_path, changes={"2.1": "18"})
    assert rc == 1 and "Đã hoàn thành" in out["error"] and dump(Path(dbp)) == before
    with pytest.raises(SystemExit) as exc:
        main.main(["reopen", *target(dbp)])  # --reason is required
    assert exc.value.code == 2
    rc, _, err = cli(capsys, "reopen", *target(dbp), "--reason", "  ")
    assert rc == 1 and "Cần ghi lý do" in err and dump(Path(dbp)) == before
    rc, out, _ = cli(capsys, "reopen", *target(dbp), "--reason", "Sở Tư pháp bổ sung 01 văn bản")
    assert rc == 0 and "Nháp" in out
    rc, out = load_seed(capsys, dbp, tmp_path, changes={"2.1": "18"}, notes={"2.1": "Bổ sung Quyết định 11/2021"})
    assert rc == 0 and [c["code"] for c in out["changed"]] == ["2.1"]
    assert cli(capsys, "submit", *target(dbp))[0] == 0
    rc, out = cli_json(capsys, "log", *target(dbp))
    steps = [(e["label"], e.get("code"), e["old"], e["new"], e["reason"]) for e in out["entries"]]
    assert steps[0][0] == "Tạo báo cáo"
    # Each submit freezes the return: the snapshot is logged with its content hash.
    frozen = [s for s in steps if s[0] == "Lưu bản khóa"]
    assert len(frozen) == 2 and all(s[3].startswith("mã kiểm tra nội dung ") for s in frozen)
    assert frozen[0][4] == "Lưu bản khóa khi hoàn thành báo cáo"
    steps = [s for s in steps if s[0] != "Lưu bản khóa"]
    assert steps[-5:] == [
        ("Hoàn thành báo cáo", "status", "Nháp", "Đã hoàn thành", None),
        ("Mở lại báo cáo", "status", "Đã hoàn thành", "Nháp", "Sở Tư pháp bổ sung 01 văn bản"),
        ("Sửa số liệu", "2.1", "17", "18", None),
        ("Sửa ghi chú", "2.1", None, "Bổ sung Quyết định 11/2021", None),
        ("Hoàn thành báo cáo", "status", "Nháp", "Đã hoàn thành", None),
    ]
    rc, out, _ = cli(capsys, "log", *target(dbp), "--code", "2.1")
    assert out.splitlines()[-2].endswith("Sửa số liệu 2.1: 17 → 18")


def test_warnings_need_a_note_before_submit(capsys, dbp, tmp_path):
    rc, out = load_seed(capsys, dbp, tmp_path, changes={"5.1.2": "900"})
    assert rc == 0 and out["ok"]  # a warning is not an error
    rc, out = cli_json(capsys, "validate", *target(dbp))
    assert rc == 0 and out["warnings"] == 1 and out["unresolved_warnings"] == 1 and not out["can_submit"]
    assert out["problems"][0]["codes"] == ["5.1.2", "4.1.4"] and out["problems"][0]["needs_note"]
    rc, out = cli_json(capsys, "submit", *target(dbp))
    assert rc == 1 and out["problems"][0]["codes"] == ["5.1.2", "4.1.4"]
    rc, _ = load_seed(capsys, dbp, tmp_path, changes={"5.1.2": "900"}, notes={"5.1.2": "Gồm 39 đơn vị đã giải thể"})
    rc, out = cli_json(capsys, "submit", *target(dbp))
    assert rc == 0 and out["warnings"] == 1 and out["unresolved_warnings"] == 0


def test_validate_without_a_return(capsys, dbp):
    rc, _, err = cli(capsys, "validate", *target(dbp, "2022-Q1"))
    assert rc == 1 and "Chưa có báo cáo của đơn vị “T” cho kỳ 2022-Q1" in err


def test_narrative_and_settings(capsys, dbp, tmp_path):
    rc, out, _ = cli(capsys, "settings", "--db", dbp, "--unit", PROVINCE, "--set", "inspection.planned_units.2021=14",
                     "--set", "report.recipients=Bộ Nội vụ|Văn phòng Chính phủ", "--set", "period.cutoff_day=14")
    assert rc == 0 and "Kính gửi): Bộ Nội vụ | Văn phòng Chính phủ" in out
    rc, _, err = cli(capsys, "settings", "--db", dbp, "--unit", PROVINCE, "--set", "period.due_day=10")
    assert rc == 1 and "phải sau ngày chốt số liệu" in err
    load_seed(capsys, dbp, tmp_path)
    rc, out, _ = cli(capsys, "narrative", *target(dbp))
    assert rc == 0 and "đã kiểm tra 07/14 đơn vị (đạt 50%)" in out and "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC" in out


@pytest.mark.sqlite_only(reason="runs main.py in another process on the database file")
def test_as_a_separate_process(dbp, tmp_path):
    """The real entry point: exit codes and Vietnamese text on a UTF-8 console."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    path = write_csv(tmp_path / "sai.csv", seed_with({"3.4.2": "172,8"}))
    run = subprocess.run([sys.executable, str(REPO / "main.py"), "set-values", *target(dbp), "--from", str(path)],
                         capture_output=True, text=True, encoding="utf-8", env=env, cwd=REPO, check=False)
    assert run.returncode == 1 and "dòng 33: Chỉ tiêu 3.4.2: tỷ lệ phần trăm phải từ 0 đến 100" in run.stderr
    run = subprocess.run([sys.executable, str(REPO / "main.py"), "validate", *target(dbp)],
                         capture_output=True, text=True, encoding="utf-8", env=env, cwd=REPO, check=False)
    assert run.returncode == 1 and "Chưa có báo cáo" in run.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--set", "report.place"], "không đúng dạng KHÓA=GIÁ_TRỊ"),
        (["--set", "report.noi_nhan=x"], "Không có mục cài đặt “report.noi_nhan”"),
        (["--set", "period.cutoff_day=30"], "từ 1 đến 28"),
    ],
)
def test_bad_settings_on_the_command_line(capsys, dbp, args, fragment):
    before = dump(Path(dbp))
    rc, _, err = cli(capsys, "settings", "--db", dbp, "--unit", PROVINCE, *args)
    assert rc == 1 and fragment in err and dump(Path(dbp)) == before


def test_submit_and_reopen_without_a_return(capsys, dbp):
    assert cli(capsys, "submit", *target(dbp))[0] == 1
    rc, _, err = cli(capsys, "reopen", *target(dbp), "--reason", "x")
    assert rc == 1 and "Chưa có báo cáo" in err
