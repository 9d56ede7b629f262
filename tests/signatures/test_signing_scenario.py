"""A quarter across two PCs, through the command line (issue 12, items 1 and 6):

the commune (Xã An Lạc) records its tasks with evidence files, types its figures and exports a signed
return package; the district (Huyện An Bình, another database) trusts the certification authority,
requires signatures and imports: the signer is shown, the evidence files are there; a tampered copy is
refused; a later unsigned package is refused while signatures are required and imported as "chưa ký số"
once they are not; then the district consolidates.

Figures by hand: the commune's plan has 3 tasks (1.1.1 = 3); 2 are done by 14/6 (1.1.2 = 2), then the
commune corrects it to 3 in its unsigned resend. The district has one other commune (Thị trấn An Bình),
which sent nothing: a blank, not a 0, so the district's sums are the commune's own: 1.1.1 = 3, 1.1.2 = 3.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from core.intake.consolidated_view import consolidated_grid
from core.intake.received_files import open_received, received_files
from core.org.units import get_unit
from core.returns.entry import apply_edits, open_return
from db.engine import open_database
from db.models import ImportedFile
from main import main
from tests.conftest import dump_tables
from tests.helpers.evidence_helpers import COMMUNE, DISTRICT, H1, commune_plan_with_evidence
from tests.helpers.pki_helpers import PIN, make_pki

# The demo's report has empty narrative sections (I.4, III, IV, V): these exports are made on purpose.
EXPORT = ("export", "--allow-empty-sections")


def _cli(capsys, *args: str) -> tuple[int, dict]:  # noqa: ANN001
    code = main([*args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_a_signed_package_goes_up_and_only_what_holds_is_taken(demo_db_file, tmp_path, capsys, monkeypatch) -> None:
    xa, huyen = tmp_path / "xa.db", tmp_path / "huyen.db"
    shutil.copy2(demo_db_file, xa)
    shutil.copy2(demo_db_file, huyen)
    commune = open_database(xa)
    files = commune_plan_with_evidence(commune, tmp_path / "giay_to")
    commune.close()
    pki = make_pki(tmp_path / "chung_thu")
    monkeypatch.setenv("CCHC_SIGN_PIN", PIN)
    monkeypatch.chdir(tmp_path)

    # The commune signs and exports its package.
    code, out = _cli(capsys, "--db", str(xa), *EXPORT, "--unit", COMMUNE, "--period", H1, "--package",
                     str(tmp_path / "goi_ky.zip"), "--sign-p12", str(pki.signer.p12))
    assert code == 0, out
    assert out["signer"]["subject"] == "Nguyễn Thị Lan" and out["left_out"] == []
    signed = tmp_path / "goi_ky.zip"

    # The district trusts the authority and accepts signed returns only.
    code, out = _cli(capsys, "--db", str(huyen), "certs", "import", "--unit", DISTRICT, str(pki.ca_cer))
    assert code == 0 and out["added"][0]["subject"] == "CA Thử nghiệm Cục Chứng thực số"
    code, out = _cli(capsys, "--db", str(huyen), "settings", "--unit", DISTRICT, "--set",
                     "import.require_signature=1")
    assert code == 0 and out["settings"]["import.require_signature"] is True
    code, out = _cli(capsys, "--db", str(huyen), "certs", "list", "--unit", DISTRICT)
    assert out["require_signature"] is True and len(out["certificates"]) == 1

    # A tampered copy (an evidence file swapped inside the zip) is refused …
    tampered = tmp_path / "goi_sua.zip"
    with zipfile.ZipFile(signed) as zin, zipfile.ZipFile(tampered, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, b"%PDF-1.4 khac" if info.filename.endswith("CCHC.pdf") else data)
    before = dump_tables(huyen)
    code, out = _cli(capsys, "--db", str(huyen), "import-returns", "--unit", DISTRICT, "--period", H1, str(tampered))
    assert code == 1 and out["files"][0]["reason_code"] == "tampered"
    after = dump_tables(huyen)
    assert {k: v for k, v in after.items() if k != "imported_file"} == \
        {k: v for k, v in before.items() if k != "imported_file"}

    # … the genuine one is taken, with who signed it and with which certificate.
    code, out = _cli(capsys, "--db", str(huyen), "import-returns", "--unit", DISTRICT, "--period", H1, str(signed),
                     "--report", str(tmp_path / "ket_qua.xlsx"))
    assert code == 0, out
    (f,) = out["files"]
    assert f["outcome"] == "imported" and f["signature"]["status"] == "valid"
    assert f["signature"]["signer"]["subject"] == "Nguyễn Thị Lan"
    assert f["signature"]["signer"]["organization"] == "UBND xã Minh Họa"
    assert f["signature"]["signer"]["serial"] == format(pki.signer.cert.serial_number, "X")
    assert f["signature"]["signer"]["issuer"] == "CA Thử nghiệm Cục Chứng thực số"

    # The commune corrects a figure and resends, forgetting to sign.
    commune = open_database(xa)
    with commune.transaction() as s:
        assert apply_edits(s, open_return(s, COMMUNE, H1).id, [("1.1.2", 3, "")]).applied
    commune.close()
    code, out = _cli(capsys, "--db", str(xa), *EXPORT, "--unit", COMMUNE, "--period", H1, "--package",
                     str(tmp_path / "goi_chua_ky.zip"))
    assert code == 0 and out["signer"] is None
    unsigned = tmp_path / "goi_chua_ky.zip"
    code, out = _cli(capsys, "--db", str(huyen), "import-returns", "--unit", DISTRICT, "--period", H1, str(unsigned))
    assert code == 1 and out["files"][0]["reason_code"] == "unsigned"
    assert out["files"][0]["signature"]["status"] == "unsigned"

    # Signatures no longer required: the resend is taken, marked "chưa ký số".
    assert main(["--db", str(huyen), "settings", "--unit", DISTRICT, "--set", "import.require_signature=0"]) == 0
    capsys.readouterr()
    code = main(["--db", str(huyen), "import-returns", "--unit", DISTRICT, "--period", H1, str(unsigned)])
    text = capsys.readouterr().out
    assert code == 0
    line = next(ln for ln in text.splitlines() if "goi_chua_ky.zip" in ln)
    assert "[Thay bản cũ] goi_chua_ky.zip — UBND xã An Lạc:" in line and line.rstrip().endswith("[Chưa ký số]")

    # The district accepts the version in force (the review step; it is a draft, so with a note), then consolidates.
    code, out = _cli(capsys, "--db", str(huyen), "review", "--unit", DISTRICT, "--child", COMMUNE, "--period", H1,
                     "--accept", "--note", "Nhận bản nháp để tổng hợp kịp hạn")
    assert code == 0, out
    code, out = _cli(capsys, "--db", str(huyen), "consolidate", "--unit", DISTRICT, "--period", H1)
    assert code == 0, out
    district = open_database(huyen)
    try:
        with district.session() as s:
            unit = get_unit(s, DISTRICT)
            _ret, grid = consolidated_grid(s, unit.id, H1)
            by_code = {g.code: g for g in grid}
            assert by_code["1.1.1"].value_display == "3" and by_code["1.1.2"].value_display == "3"
            # The evidence of the return in force is there and opens byte for byte.
            rows = received_files(s, unit.id, H1)
            got = {r.file_name: open_received(s, r.id, district.path).read_bytes() for r in rows
                   if r.role == "evidence"}
            assert got == files
            assert any(r.role == "report" for r in rows)
            history = [(f.file_name, f.outcome, (f.details or {}).get("signature", {}).get("status"))
                       for f in s.scalars(select(ImportedFile).order_by(ImportedFile.id))]
    finally:
        district.close()
    assert history == [("goi_sua.zip", "rejected", "valid"), ("goi_ky.zip", "imported", "valid"),
                       ("goi_chua_ky.zip", "rejected", "unsigned"), ("goi_chua_ky.zip", "replaced", "unsigned")]


@pytest.mark.parametrize("how", ["no_pin", "wrong_pin", "both_ways"])
def test_export_signing_refusals_on_the_command_line(demo_db_file, tmp_path, capsys, monkeypatch, how) -> None:
    db = tmp_path / "xa.db"
    shutil.copy2(demo_db_file, db)
    pki = make_pki(tmp_path / "chung_thu")
    monkeypatch.delenv("CCHC_SIGN_PIN", raising=False)
    args = ["--db", str(db), *EXPORT, "--unit", "MH", "--period", H1, "--xlsx", str(tmp_path / "bc.xlsx"),
            "--sign-p12", str(pki.signer.p12)]
    if how == "wrong_pin":
        monkeypatch.setenv("CCHC_SIGN_PIN", "000000")
    if how == "both_ways":
        args += ["--sign-pkcs11", "/usr/lib/softhsm/libsofthsm2.so"]
    assert main(args) == 1
    err = capsys.readouterr().err
    expected = {"no_pin": "Cần mã PIN của tệp chứng thư số “nguoi_ky.p12”: đặt biến môi trường CCHC_SIGN_PIN",
                "wrong_pin": "mật khẩu (PIN) không đúng", "both_ways": "Chỉ chọn một cách ký"}[how]
    assert expected in err and "Traceback" not in err
    assert not Path(tmp_path / "bc.xlsx").exists()
