"""The return package (issue 12, item 6): one .zip with the workbook, the signed report and the evidence
files, all under the workbook's seal and signature; the receiving unit verifies it and keeps the files
viewable from the consolidated view. A swapped, added or removed file is caught.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.intake.received_files import open_received, received_files
from core.org.units import get_unit
from core.reports.package import EVIDENCE_FOLDER, export_return_package
from core.reports.workbook_reader import read_return_workbook
from core.signatures.signing import SigningSource, open_signer
from core.signatures.trust_store import import_trusted
from db.engine import Database, open_database
from db.models import ImportedFile, ReceivedFile
from tests.conftest import dump_tables
from tests.helpers.evidence_helpers import COMMUNE, DISTRICT, H1, commune_plan_with_evidence
from tests.helpers.pki_helpers import PIN, make_pki

STEM = "BaoCao_CCHC_MH.HAB.XAL_6_tháng_đầu_năm_2021"


@pytest.fixture
def two_pcs(demo_db_file, tmp_path):  # noqa: ANN001, ANN201
    """The commune's PC (with its evidence) and the district's PC: two databases."""
    shutil.copy2(demo_db_file, tmp_path / "xa.db")
    shutil.copy2(demo_db_file, tmp_path / "huyen.db")
    commune, district = open_database(tmp_path / "xa.db"), open_database(tmp_path / "huyen.db")
    files = commune_plan_with_evidence(commune, tmp_path / "giay_to")
    yield commune, district, files
    commune.close()
    district.close()


@pytest.fixture
def pki(tmp_path):  # noqa: ANN001, ANN201
    return make_pki(tmp_path / "pki")


def _package(commune: Database, folder: Path, pki=None, name: str = "goi.zip") -> Path:  # noqa: ANN001
    path = folder / name
    if pki is None:
        export_return_package(commune, COMMUNE, H1, path)
    else:
        with open_signer(SigningSource(p12=pki.signer.p12), PIN) as signer:
            export_return_package(commune, COMMUNE, H1, path, signer=signer)
    return path


def _import(district: Database, path: Path):  # noqa: ANN201
    (o,) = import_returns(district, DISTRICT, [path], ImportPolicy(period_code=H1)).outcomes
    return o


def _rewrite_zip(src: Path, dst: Path, change) -> None:  # noqa: ANN001
    """Copy a zip member by member; ``change(name, data)`` returns new bytes, or None to drop the member."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)


def test_the_package_holds_the_workbook_the_report_and_each_evidence_file_under_the_seal(two_pcs, pki,
                                                                                          tmp_path) -> None:
    commune, _district, files = two_pcs
    path = _package(commune, tmp_path, pki)
    with zipfile.ZipFile(path) as zf:
        names = sorted(zf.namelist())
        assert names == sorted([f"{STEM}.xlsx", f"{STEM}.pdf",
                                f"{EVIDENCE_FOLDER}/I.1 - Quyết định 15 ban hành kế hoạch CCHC.pdf",
                                f"{EVIDENCE_FOLDER}/III.1 - Báo cáo kiểm tra TTHC quý I.docx"])
        assert zf.read(f"{EVIDENCE_FOLDER}/I.1 - Quyết định 15 ban hành kế hoạch CCHC.pdf") == \
            files["Quyết định 15 ban hành kế hoạch CCHC.pdf"]
        (tmp_path / "x").mkdir()
        zf.extract(f"{STEM}.xlsx", tmp_path / "x")
    book = read_return_workbook(tmp_path / "x" / f"{STEM}.xlsx")
    assert book.hash_ok and book.signature is not None
    listed = {p.path: p.sha256 for p in book.package}
    assert set(listed) == set(names) - {f"{STEM}.xlsx"}
    evidence = {e["sha256"] for t in book.content["tasks"] for e in t["evidence"]}
    assert {hashlib.sha256(v).hexdigest() for v in files.values()} == evidence <= set(listed.values())


def test_the_district_imports_the_package_and_keeps_the_files_viewable(two_pcs, pki, tmp_path) -> None:
    commune, district, files = two_pcs
    with district.transaction() as s:
        import_trusted(s, get_unit(s, DISTRICT), pki.ca_cer)
    o = _import(district, _package(commune, tmp_path, pki))
    assert o.outcome == "imported", o.reason
    assert o.signature.status == "valid" and o.signer_text == "Nguyễn Thị Lan (UBND xã Minh Họa)"
    assert "kèm 3 tệp (báo cáo PDF, tài liệu kiểm chứng) đã đối chiếu và lưu" in o.reason
    with district.session() as s:
        parent = get_unit(s, DISTRICT)
        rows = received_files(s, parent.id, H1)
        assert [(r.role_label, r.file_name, r.task) for r in rows] == [
            ("Báo cáo (PDF)", f"{STEM}.pdf", ""),
            ("Tài liệu kiểm chứng", "Quyết định 15 ban hành kế hoạch CCHC.pdf",
             "I.1 – Ban hành kế hoạch CCHC năm 2021"),
            ("Tài liệu kiểm chứng", "Báo cáo kiểm tra TTHC quý I.docx",
             "III.1 – Kiểm tra việc giải quyết TTHC tại bộ phận một cửa"),
        ]
        assert rows[1].document == "Quyết định số 15/QĐ-UBND ngày 20/01/2021: Ban hành Kế hoạch CCHC năm 2021"
        for r in rows[1:]:
            opened = open_received(s, r.id, district.path)
            assert opened is not None and opened.read_bytes() == files[r.file_name]
        assert s.scalar(select(ImportedFile.details).where(ImportedFile.id == o.imported_file_id))[
            "received_files"] == 3


@pytest.mark.parametrize("how", ["swapped", "added", "removed"])
def test_a_package_whose_files_were_changed_is_rejected(two_pcs, pki, tmp_path, how) -> None:
    commune, district, _files = two_pcs
    good = _package(commune, tmp_path, pki)
    bad = tmp_path / f"goi_{how}.zip"
    target = f"{EVIDENCE_FOLDER}/I.1 - Quyết định 15 ban hành kế hoạch CCHC.pdf"

    def change(name: str, data: bytes) -> bytes | None:
        if name != target:
            return data
        return {"swapped": b"%PDF-1.4 quyet dinh gia mao", "added": data, "removed": None}[how]

    _rewrite_zip(good, bad, change)
    if how == "added":
        with zipfile.ZipFile(bad, "a") as zf:
            zf.writestr(f"{EVIDENCE_FOLDER}/Tệp thêm vào.pdf", b"%PDF-1.4 them")
    before = dump_tables(district)
    o = _import(district, bad)
    assert (o.outcome, o.reason_code) == ("rejected", "tampered"), o.reason
    expected = {"swapped": f"tệp “{target}” đã bị thay đổi", "added": "tệp “TaiLieuKiemChung/Tệp thêm vào.pdf” "
                "không có trong danh sách đã niêm phong", "removed": f"thiếu tệp “{target}”"}[how]
    assert o.reason.startswith("Gói báo cáo không khớp danh sách tệp đã niêm phong và ký số: " + expected), o.reason
    after = dump_tables(district)
    assert {k: v for k, v in after.items() if k != "imported_file"} == \
        {k: v for k, v in before.items() if k != "imported_file"}


@pytest.mark.parametrize("kind", ["not_zip", "traversal", "two_workbooks", "no_workbook"])
def test_a_bad_package_is_refused_in_vietnamese_and_changes_nothing(two_pcs, tmp_path, kind) -> None:
    commune, district, _files = two_pcs
    bad = tmp_path / f"hong_{kind}.zip"
    if kind == "not_zip":
        bad.write_bytes(b"PK\x03\x04 day khong phai zip")
    else:
        good = _package(commune, tmp_path)
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
            for info in zin.infolist():
                if kind == "no_workbook" and info.filename.endswith(".xlsx"):
                    continue
                zout.writestr(info.filename, zin.read(info))
            if kind == "traversal":
                zout.writestr("../../ngoai_thu_muc.txt", b"x")
            if kind == "two_workbooks":
                zout.writestr("Bản sao.xlsx", zin.read(f"{STEM}.xlsx"))
    before = dump_tables(district)
    o = _import(district, bad)
    assert (o.outcome, o.reason_code) == ("rejected", "damaged"), o.reason
    expected = {"not_zip": "không phải gói báo cáo (.zip) hoặc đã bị hỏng",
                "traversal": "có tệp mang đường dẫn không hợp lệ",
                "two_workbooks": "phải có đúng một tệp báo cáo Excel (.xlsx) ở thư mục gốc (có 2)",
                "no_workbook": "phải có đúng một tệp báo cáo Excel (.xlsx) ở thư mục gốc (có 0)"}[kind]
    assert expected in o.reason and "Traceback" not in o.reason
    assert not (tmp_path.parent / "ngoai_thu_muc.txt").exists()
    after = dump_tables(district)
    assert {k: v for k, v in after.items() if k != "imported_file"} == \
        {k: v for k, v in before.items() if k != "imported_file"}


def test_an_evidence_file_lost_on_the_communes_pc_is_left_out_and_named(two_pcs, tmp_path) -> None:
    commune, district, files = two_pcs
    if commune.path is None:
        pytest.skip("files beside a SQLite database")
    lost = next(p for p in (commune.path.parent / "xa.attachments").rglob("*.docx"))
    lost.unlink()
    made = export_return_package(commune, COMMUNE, H1, tmp_path / "goi.zip")
    assert made.left_out == ["III.1 - Báo cáo kiểm tra TTHC quý I.docx: không tìm thấy tệp hoặc tệp đã bị thay "
                             "đổi sau khi đính kèm"]
    o = _import(district, tmp_path / "goi.zip")
    assert o.outcome == "imported" and "kèm 2 tệp" in o.reason
    with district.session() as s:
        assert s.scalar(select(ReceivedFile.file_name).where(ReceivedFile.role == "evidence")) == \
            "Quyết định 15 ban hành kế hoạch CCHC.pdf"
    assert len(files) == 2
