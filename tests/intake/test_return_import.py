"""Importing returns exported by the product: every file ends imported, replaced, skipped or rejected,
with its Vietnamese reason, and one bad file never spoils the others."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from core.forms import install_template, read_template_file
from core.intake.importer import ReturnImporter, import_returns
from core.intake.outcomes import FileDecision, ImportPolicy
from core.intake.return_files import collect_files
from core.jobs import Cancelled
from core.org.unit_lifetimes import UnitPeriodError
from core.periods import parse_period_code
from core.returns.entry import find_unit_return
from core.returns.store import values_by_code
from db.backup import list_backups
from db.models import AuditEntry, ImportedFile, Return, Unit
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import Province, edit_cells, tamper

Q2 = "2021-Q2"


def _values(db, unit: str, period: str = Q2) -> dict[str, float | None]:  # noqa: ANN001
    with db.session() as s:
        ret = find_unit_return(s, unit, period)
        assert ret is not None, unit
        return {code: v.value_num for code, v in values_by_code(s, ret).items()}


def _by_file(report) -> dict:  # noqa: ANN001
    return {o.file_name: o for o in report.outcomes}


@pytest.mark.sqlite_only(reason="checks the pre-import backup file, which only SQLite has")
def test_a_folder_of_returns_imports_each_in_its_own_transaction(province: Province) -> None:
    for unit, n in (("MH.SNV", 12), ("MH.STP", 7), ("MH.HAB", 0)):
        province.fill(unit, {"1.1.1": n, "2.3": n + 1, "7.3": 2}, Q2, notes={"2.3": f"Ghi chú của {unit}"})
        province.export(unit, Q2)
    report = import_returns(province.office, "MH", [province.inbox], ImportPolicy(period_code=Q2))
    assert report.counts()["imported"] == 3 and report.stored == 3
    assert all(o.outcome == "imported" and o.reason.startswith("Đã nhập") for o in report.outcomes)
    assert _values(province.office, "MH.STP")["1.1.1"] == 7
    assert _values(province.office, "MH.HAB")["1.1.1"] == 0  # a 0 stays a 0
    with province.office.session() as s:
        ret = find_unit_return(s, "MH.SNV", Q2)
        assert (ret.origin, ret.status) == ("imported", "submitted")
        assert values_by_code(s, ret)["2.3"].note == "Ghi chú của MH.SNV"
        rows = s.scalars(select(ImportedFile).order_by(ImportedFile.id)).all()
        assert [(r.unit_code, r.outcome, r.kind, r.period_code) for r in rows] == [
            ("MH.HAB", "imported", "product", Q2), ("MH.SNV", "imported", "product", Q2),
            ("MH.STP", "imported", "product", Q2)]
        assert all(len(r.file_sha256) == 64 and r.exported_at == datetime(2021, 6, 18, 9, 30) for r in rows)
    # The office's database was backed up before the import.
    assert any(b.reason == "pre-import" for b in list_backups(Path(province.office.target)))


def test_every_bad_file_is_reported_and_the_others_still_import(province: Province, tmp_path: Path) -> None:
    for unit in ("MH.SNV", "MH.STP", "MH.STC", "MH.VP", "MH.SGDDT"):
        province.fill(unit, {"1.1.1": 12, "2.1": 3}, Q2)
    good = [province.export(u, Q2) for u in ("MH.SNV", "MH.STP")]
    tampered = province.export("MH.STC", Q2)
    tamper(tampered, "1.1.1", 12, 21)
    shutil.copy2(good[0], province.inbox / "SNV_ban_sao.xlsx")  # the same file sent twice (after the original)
    # The same return exported again later: other bytes, same content.
    province.export("MH.SNV", Q2, at=datetime(2021, 6, 19, 8, 0), name="SNV_xuat_lai.xlsx")
    province.fill("MH.VP", {"1.1.1": 5}, "2021-Q3")
    other_period = province.export("MH.VP", "2021-Q3")
    damaged = province.export("MH.SGDDT", Q2)
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Danh sách cán bộ"
    wb.save(province.inbox / "danh_sach.xlsx")
    note = tmp_path / "ghi_chu.txt"
    note.write_text("không phải báo cáo", encoding="utf-8")

    report = import_returns(province.office, "MH", [province.inbox, note], ImportPolicy(period_code=Q2))
    got = _by_file(report)
    assert len(got) == 9
    assert got[good[0].name].outcome == "imported" and got[good[1].name].outcome == "imported"
    expect = {
        tampered.name: ("rejected", "tampered", "không khớp mã kiểm tra SHA-256"),
        "SNV_ban_sao.xlsx": ("skipped", "duplicate_file", "Trùng tệp đã nhập"),
        "SNV_xuat_lai.xlsx": ("skipped", "duplicate", "Nội dung trùng với báo cáo đã nhập"),
        other_period.name: ("rejected", "wrong_period",
                                                "Báo cáo kỳ Quý III/2021, không phải kỳ Quý II/2021"),
        damaged.name: ("rejected", "damaged", "bị hỏng"),
        "danh_sach.xlsx": ("rejected", "not_return", "Không phải báo cáo xuất từ chương trình"),
        "ghi_chu.txt": ("rejected", "not_excel", "Không phải tệp Excel"),
    }
    for name, (outcome, code, text) in expect.items():
        o = got[name]
        assert (o.outcome, o.reason_code) == (outcome, code), (name, o.reason)
        assert text in o.reason, o.reason
    assert report.summary() == "9 tệp: đã nhập 2, bỏ qua 2, từ chối 5"
    # Nothing of the bad files reached the database; every file is in the history.
    assert _values(province.office, "MH.SNV")["1.1.1"] == 12
    with province.office.session() as s:
        assert find_unit_return(s, "MH.STC", Q2) is None and find_unit_return(s, "MH.SGDDT", Q2) is None
        assert s.scalar(select(func.count()).select_from(ImportedFile)) == 9


def test_cells_edited_in_excel_are_shown_and_the_user_chooses(province: Province) -> None:
    province.fill("MH.SNV", {"1.1.1": 38, "2.1": 17, "7.6.2": None}, Q2)
    path = province.export("MH.SNV", Q2)
    edit_cells(path, {"1.1.1": 40, "7.6.2": 5}, notes={"2.1": "sửa trong Excel"})

    first = import_returns(province.office, "MH", [path])  # the command line's default: refuse
    o = first.outcomes[0]
    assert (o.outcome, o.reason_code) == ("rejected", "edited")
    assert "Có 3 ô bị sửa trong Excel sau khi xuất" in o.reason and "1.1.1: 38 → 40" in o.reason
    assert "7.6.2: (trống) → 5" in o.reason and "2.1 (ghi chú): (trống) → sửa trong Excel" in o.reason
    assert {(c.code, c.kind, c.exported, c.now) for c in o.edited} == {
        ("1.1.1", "value", "38", "40"), ("7.6.2", "value", "", "5"), ("2.1", "note", "", "sửa trong Excel")}
    with province.office.session() as s:
        assert find_unit_return(s, "MH.SNV", Q2) is None

    # A person decides cell by cell: keep 40 from the file, keep the exported blank for 7.6.2.
    importer = ReturnImporter(province.office, "MH", ImportPolicy(edits="ask"))
    ins = importer.inspect(path)
    assert ins.questions == ["edited"]
    pending = importer.store(ins)
    assert pending.outcome == "pending" and pending.needs_decision
    done = importer.store(ins, FileDecision(edits={"1.1.1": "file", "7.6.2": "exported", "2.1": "file"}))
    assert done.outcome == "imported", done.reason
    assert "3 ô sửa trong Excel: giữ 2 số trong tệp, 1 số lúc xuất" in done.reason
    vals = _values(province.office, "MH.SNV")
    assert vals["1.1.1"] == 40 and vals.get("7.6.2") is None
    with province.office.session() as s:
        row = s.scalars(select(ImportedFile).where(ImportedFile.outcome == "imported")).one()
        kept = {e["code"]: e["kept"] for e in row.details["edited"]}
        assert kept == {"1.1.1": "file", "7.6.2": "exported", "2.1": "file"}


def test_an_unanswered_question_is_recorded_as_rejected(province: Province) -> None:
    province.fill("MH.SNV", {"1.1.1": 38}, Q2)
    path = province.export("MH.SNV", Q2)
    edit_cells(path, {"1.1.1": 39})
    importer = ReturnImporter(province.office, "MH", ImportPolicy(edits="ask"))
    report = importer.run([path])
    assert report.pending and report.counts()["pending"] == 1
    recorded = importer.record_pending(report.pending[0])
    assert (recorded.outcome, recorded.reason_code) == ("rejected", "edited")
    # Keeping the values as they now are in the file (the CLI's --accept-edits).
    again = import_returns(province.office, "MH", [path], ImportPolicy(edits="file"))
    assert again.outcomes[0].outcome == "imported"
    assert _values(province.office, "MH.SNV")["1.1.1"] == 39


def test_a_newer_version_replaces_the_older_and_the_history_stays(province: Province) -> None:
    province.fill("MH.STP", {"1.1.1": 10, "2.1": 4}, Q2)
    old = province.export("MH.STP", Q2, at=datetime(2021, 6, 15, 8, 0), name="STP_lan1.xlsx")
    province.fill("MH.STP", {"1.1.1": 11, "2.1": 4}, Q2)
    new = province.export("MH.STP", Q2, at=datetime(2021, 6, 17, 16, 45), name="STP_lan2.xlsx")

    assert import_returns(province.office, "MH", [old]).outcomes[0].outcome == "imported"
    second = import_returns(province.office, "MH", [new]).outcomes[0]
    assert (second.outcome, second.reason_code) == ("replaced", "replaced")
    assert "Thay tệp “STP_lan1.xlsx” xuất lúc 15/06/2021 08:00; 1 chỉ tiêu thay đổi." in second.reason
    assert _values(province.office, "MH.STP")["1.1.1"] == 11
    with province.office.session() as s:
        files = s.scalars(select(ImportedFile).order_by(ImportedFile.id)).all()
        assert [(f.file_name, f.outcome) for f in files] == [("STP_lan1.xlsx", "imported"),
                                                             ("STP_lan2.xlsx", "replaced")]
        assert files[0].superseded_by_id == files[1].id and files[1].superseded_by_id is None
        ret = find_unit_return(s, "MH.STP", Q2)
        changes = s.scalars(select(AuditEntry).where(AuditEntry.return_id == ret.id, AuditEntry.action == "import",
                                                     AuditEntry.entity == "value")).all()
        assert [(a.field, a.old_value, a.new_value) for a in changes] == [("1.1.1", "10", "11")]


def test_an_older_version_after_a_newer_one_is_skipped_unless_the_user_decides(province: Province) -> None:
    province.fill("MH.STP", {"1.1.1": 10}, Q2)
    old = province.export("MH.STP", Q2, at=datetime(2021, 6, 15, 8, 0), name="STP_cu.xlsx")
    province.fill("MH.STP", {"1.1.1": 11}, Q2)
    new = province.export("MH.STP", Q2, at=datetime(2021, 6, 17, 8, 0), name="STP_moi.xlsx")
    import_returns(province.office, "MH", [new])
    skipped = import_returns(province.office, "MH", [old]).outcomes[0]
    assert (skipped.outcome, skipped.reason_code) == ("skipped", "older")
    assert "Bản cũ hơn: tệp xuất lúc 15/06/2021 08:00" in skipped.reason and "Giữ bản mới hơn" in skipped.reason
    assert _values(province.office, "MH.STP")["1.1.1"] == 11
    importer = ReturnImporter(province.office, "MH")
    forced = importer.store(importer.inspect(old), FileDecision(replace_older=True))
    assert forced.outcome == "replaced" and "Người dùng chọn giữ bản cũ hơn này." in forced.reason
    assert _values(province.office, "MH.STP")["1.1.1"] == 10


def test_a_unit_that_is_not_a_child_needs_confirmation(province: Province) -> None:
    province.fill("MH.SNV.CCHC", {"1.1.1": 3}, Q2)  # a section of a department: a grandchild of MH
    path = province.export("MH.SNV.CCHC", Q2)
    o = import_returns(province.office, "MH", [path]).outcomes[0]
    assert (o.outcome, o.reason_code) == ("rejected", "not_child")
    assert ("Phòng Cải cách hành chính (MH.SNV.CCHC) không phải đơn vị trực thuộc UBND tỉnh Minh Họa "
            "trong kỳ Quý II/2021") in o.reason
    o = import_returns(province.office, "MH", [path], ImportPolicy(other_units="accept")).outcomes[0]
    assert o.outcome == "imported" and "đơn vị ngoài danh sách trực thuộc, đã được xác nhận" in o.reason


def test_an_abolished_district_reports_for_h1_2025_but_not_for_q3(province: Province) -> None:
    province.fill("MH.HAB", {"1.1.1": 4}, "2025-H1")
    province.export("MH.HAB", "2025-H1")
    with pytest.raises(UnitPeriodError, match="chỉ tồn tại đến 30/06/2025, nên không có báo cáo kỳ Quý III/2025"):
        province.fill("MH.HAB", {"1.1.1": 4}, "2025-Q3")  # the district's own program refuses it now
    # A district whose catalogue never learnt of its end still sends one: the province refuses it, with the dates.
    with province.child.transaction() as s:
        s.scalar(select(Unit).where(Unit.code == "MH.HAB")).valid_to = None
    province.fill("MH.HAB", {"1.1.1": 4}, "2025-Q3")
    province.export("MH.HAB", "2025-Q3")
    report = import_returns(province.office, "MH", [province.inbox])
    got = {o.period_code: o for o in report.outcomes}
    assert got["2025-H1"].outcome == "imported"
    assert got["2025-Q3"].reason_code == "unit_not_in_period"
    assert "chỉ tồn tại đến 30/06/2025, nên không có báo cáo kỳ Quý III/2025 (01/07/2025 – 30/09/2025)" in \
        got["2025-Q3"].reason


def test_another_form_version_is_refused(province: Province, tmp_path: Path) -> None:
    from core.paths import resource_path

    data = json.loads(resource_path("forms", "bnv_tk_cchc_v1.json").read_text(encoding="utf-8"))
    data["version"] = 2
    form = tmp_path / "bnv_tk_cchc_v2.json"
    form.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with province.child.transaction() as s:
        install_template(s, read_template_file(form))
    province.fill("MH.SNV", {"1.1.1": 2}, Q2)
    o = import_returns(province.office, "MH", [province.export("MH.SNV", Q2)]).outcomes[0]
    assert (o.outcome, o.reason_code) == ("rejected", "wrong_template")
    assert "biểu mẫu BNV-TK-CCHC phiên bản 2, khác phiên bản 1 chương trình đang dùng" in o.reason
    assert "cập nhật chương trình" in o.reason


def test_an_unknown_unit_is_refused(province: Province) -> None:
    from db.models import Unit

    with province.child.transaction() as s:
        s.add(Unit(code="MH.MOI", name="UBND xã Mới Lập", level="xa", parent_id=s.scalar(
            select(Unit.id).where(Unit.code == "MH"))))
    province.fill("MH.MOI", {"1.1.1": 1}, Q2)
    o = import_returns(province.office, "MH", [province.export("MH.MOI", Q2)]).outcomes[0]
    assert (o.outcome, o.reason_code) == ("rejected", "unknown_unit")
    assert "Đơn vị mã “MH.MOI” (UBND xã Mới Lập) không có trong danh mục" in o.reason


def test_cancel_midway_writes_nothing(province: Province) -> None:
    """Cancelling through the progress callback after two of four files rolls the whole run back:
    no return, no imported_file row, no audit line; the importer can still be used afterwards."""
    units = ["MH.SNV", "MH.STP", "MH.STC", "MH.VP"]
    for u in units:
        province.fill(u, {"1.1.1": 1}, Q2)
        province.export(u, Q2)
    before = dump_tables(province.office)
    done: list[str] = []
    labels: list[str] = []

    def progress(i: int, total: int, label: str = "") -> None:
        labels.append(label)
        if len(done) >= 2:
            raise Cancelled()

    importer = ReturnImporter(province.office, "MH")
    with pytest.raises(Cancelled):
        importer.run([province.inbox], progress=progress, on_file=lambda o: done.append(o.outcome))
    assert done == ["imported", "imported"]  # two files were stored inside the transaction...
    assert labels[0] == "" and labels[1].endswith(".xlsx")
    assert dump_tables(province.office) == before  # ...and rolled back with it
    # The importer forgot what was rolled back: the same files import again, all four.
    report = importer.run([province.inbox])
    assert [o.outcome for o in report.outcomes] == ["imported"] * 4
    with province.office.session() as s:
        assert s.scalar(select(func.count()).select_from(Return).where(Return.origin == "imported")) == 4


def test_the_report_can_be_saved(province: Province, tmp_path: Path) -> None:
    province.fill("MH.SNV", {"1.1.1": 1}, Q2)
    path = province.export("MH.SNV", Q2)
    edit_cells(path, {"1.1.1": 2})
    report = import_returns(province.office, "MH", [path], ImportPolicy(period_code=Q2))
    saved = report.save(tmp_path / "ket_qua_nhap.xlsx")
    ws = openpyxl.load_workbook(saved).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Nhập báo cáo gửi UBND tỉnh Minh Họa, kỳ Quý II/2021: 1 tệp: từ chối 1."
    assert rows[2][:4] == ("STT", "Tệp", "Kết quả", "Lý do")
    assert rows[3][1] == path.name and rows[3][2] == "Từ chối" and rows[3][7] == "1.1.1: 1 → 2"
    csv_text = report.save(tmp_path / "ket_qua.csv").read_text(encoding="utf-8-sig")
    assert "Từ chối" in csv_text and path.name in csv_text
    # A file name that looks like a formula stays text in both reports.
    weird = path.with_name("=HYPERLINK(1).xlsx")
    path.rename(weird)
    report = import_returns(province.office, "MH", [weird])
    assert "'=HYPERLINK(1).xlsx" in report.save(tmp_path / "r2.csv").read_text(encoding="utf-8-sig")
    cell = openpyxl.load_workbook(report.save(tmp_path / "r2.xlsx")).active["B4"]
    assert cell.value == "=HYPERLINK(1).xlsx" and cell.data_type == "s"


def test_folders_are_searched_for_excel_files_only(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/x.xlsx", "a/b/y.XLSX", "a/b/~$y.xlsx", "a/b/y.pdf", "a/z.xls"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in collect_files([tmp_path / "a", tmp_path / "a" / "x.xlsx"])]
    assert found == ["a/b/y.XLSX", "a/x.xlsx", "a/z.xls"]


def test_a_period_code_is_checked_before_any_file(province: Province) -> None:
    from core.periods import PeriodCodeError

    with pytest.raises(PeriodCodeError):
        ReturnImporter(province.office, "MH", ImportPolicy(period_code="2021-H2"))
    assert parse_period_code(Q2).label == "Quý II/2021"


def test_the_receiving_units_own_file_is_refused(province: Province) -> None:
    path = province.export("MH", "2021-H1")  # the province's own return (the seed report)
    o = import_returns(province.office, "MH", [path], ImportPolicy(other_units="accept")).outcomes[0]
    assert (o.outcome, o.reason_code) == ("rejected", "own_return")
    assert "Đây là báo cáo của chính UBND tỉnh Minh Họa" in o.reason
