"""A 6-month round across three PCs, through the command line (issues 11 and 12 together):

Xã An Lạc (MH.HAB.XAL) records its plan with evidence, types its figures with some "Không phát sinh" (KPS),
writes a section of the narrative by hand, submits (the return is frozen) and exports a signed return
package. Thị trấn An Bình (MH.HAB.TTAB) does the same on its own PC. Huyện An Bình (MH.HAB) trusts the
certification authority, requires signatures, imports both packages, accepts both and consolidates.
Then the commune changes its signer and its rounding rule and exports the frozen return again: the same
content hash, the same PDF text (rates still rounded half up, the old signer still printed), and the
signed package still verifies at the district.

Figures worked out by hand (6 tháng đầu năm 2021):

    code     Xã An Lạc   TT An Bình   district (sum / mean of the units that gave a number)
    1.1.1        3           4         3 + 4 = 7 (An Lạc's plan: 3 tasks)
    1.1.2        2           1         2 + 1 = 3 (An Lạc: 2 tasks done by 14/6)
    1.2.3        7          KPS        7 + nothing = 7, both units answered
    1.2.4        5          KPS        5
    2.1          1           2         3
    3.3.3       80          65         (80 + 65) / 2 = 72,5
    3.3.4       50          KPS        50 (KPS is not a 0: not (50 + 0) / 2 = 25)
    3.4.5.c     KPS         KPS        "Không phát sinh"

An Lạc's narrative restates 1.2.3/1.2.4: 5/7 = 71,428…% → "đạt 71,43%" half up (71,42% truncated).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from core.reports.workbook_reader import read_return_workbook
from core.returns.entry import find_unit_return, grid_rows
from core.returns.narrative import set_section_text
from core.returns.store import values_by_code
from db.engine import open_database
from main import main
from tests.helpers.evidence_helpers import COMMUNE, DISTRICT, H1, commune_plan_with_evidence
from tests.helpers.pki_helpers import PIN, issue, make_pki
from tests.helpers.returns_helpers import applicable_value_codes, with_kps, write_csv

# The demo's report has empty narrative sections (I.4, III, IV, V): these exports are made on purpose.
EXPORT = ("export", "--allow-empty-sections")

TOWN = "MH.HAB.TTAB"  # UBND thị trấn An Bình
V_WRITTEN = "Đề nghị UBND huyện tổ chức tập huấn nghiệp vụ một cửa cho công chức xã trong quý III."
COMMUNE_VALUES = {"1.2.3": "7", "1.2.4": "5", "3.3.3": "80", "3.3.4": "50"}  # 1.1.1, 1.1.2, 2.1 typed already
TOWN_VALUES = {"1.1.1": "4", "1.1.2": "1", "2.1": "2", "3.3.3": "65"}
STAMP = re.compile(r"Ký số bởi: [^\n]*?(?= {2,}|\n|$)|Cơ quan: UBND [^\n]*?(?= {2,}|\n|$)|"
                   r"Thời gian ký: \d\d/\d\d/\d{4} \d\d:\d\d")


def _cli(capsys, *args: str) -> tuple[int, dict]:  # noqa: ANN001
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out or err)


def _pdf_text(pdf: Path) -> str:
    exe = shutil.which("pdftotext") or pytest.fail("pdftotext (poppler-utils) is required for this test")
    return subprocess.run([exe, "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _package_pdf(package: Path, folder: Path) -> tuple[str, str]:
    """(text of the package's report without the signature stamp, the stamp's text)."""
    folder.mkdir()
    with zipfile.ZipFile(package) as z:
        name = next(n for n in z.namelist() if n.endswith(".pdf") and "/" not in n)
        z.extract(name, folder)
    text = _pdf_text(folder / name)
    return _flat(STAMP.sub(" ", text)), " ".join(STAMP.findall(text))


def _fill(capsys, db: Path, unit: str, values: dict[str, str], tmp_path: Path) -> None:  # noqa: ANN001
    """The unit's figures from a file, every other row of a commune answered "Không phát sinh"."""
    rows = [(c, v, "") for c, v in with_kps("xa", values).items() if c not in ("1.1.1", "1.1.2", "2.1")
            or c in values]
    code, out = _cli(capsys, "--db", str(db), "set-values", "--unit", unit, "--period", H1, "--from",
                     str(write_csv(tmp_path / f"{unit}.csv", rows)))
    assert code == 0, out


def test_a_frozen_signed_return_goes_up_and_stays_the_same_after_the_settings_change(  # noqa: PLR0915
        demo_db_file, tmp_path, capsys, monkeypatch) -> None:
    xa, tt, huyen = tmp_path / "xa.db", tmp_path / "tt.db", tmp_path / "huyen.db"
    for target in (xa, tt, huyen):
        shutil.copy2(demo_db_file, target)
    commune = open_database(xa)
    commune_plan_with_evidence(commune, tmp_path / "giay_to")  # 1.1.1 = 3, 1.1.2 = 2, 2.1 = 1, two evidence files
    commune.close()
    pki = make_pki(tmp_path / "chung_thu")
    town_signer = issue(pki.ca, pki.folder, cn="Lê Thị Hoa", org="UBND thị trấn An Bình", name="thi_tran")
    monkeypatch.setenv("CCHC_SIGN_PIN", PIN)
    monkeypatch.chdir(tmp_path)

    # --- Xã An Lạc: figures with KPS, a hand-written section, the signer; submit (frozen) -----------------------
    _fill(capsys, xa, COMMUNE, COMMUNE_VALUES, tmp_path)
    commune = open_database(xa)
    with commune.transaction() as s:  # what "Nội dung báo cáo" stores when the clerk types section V
        assert set_section_text(s, find_unit_return(s, COMMUNE, H1), "V", V_WRITTEN, user="ketoan")
    commune.close()
    assert _cli(capsys, "--db", str(xa), "settings", "--unit", COMMUNE, "--set", "report.signer_name=Trần Văn Ký",
                "--set", "report.document_number=21/BC-UBND")[0] == 0
    code, out = _cli(capsys, "--db", str(xa), "submit", "--unit", COMMUNE, "--period", H1)
    assert code == 0 and out["blank"] == [], out
    frozen_sha = out["snapshot"]["content_sha256"]

    code, out = _cli(capsys, "--db", str(xa), *EXPORT, "--unit", COMMUNE, "--period", H1, "--package",
                     str(tmp_path / "xa_lan1.zip"), "--sign-p12", str(pki.signer.p12))
    assert code == 0 and out["frozen"] is True and out["content_sha256"] == frozen_sha, out
    assert out["signer"]["subject"] == "Nguyễn Thị Lan" and out["left_out"] == []
    assert _cli(capsys, "--db", str(xa), *EXPORT, "--unit", COMMUNE, "--period", H1,
                "--pdf", str(tmp_path / "xa_lan1.pdf"))[0] == 0
    text1 = _flat(_pdf_text(tmp_path / "xa_lan1.pdf"))
    for expected in ("Trần Văn Ký", "Số: 21/BC-UBND", V_WRITTEN,
                     "Qua kiểm tra, phát hiện 07 vấn đề, đã xử lý xong 05/7 vấn đề (đạt 71,43%).",
                     "Không phát sinh"):
        assert expected in text1, expected
    package1, stamp1 = _package_pdf(tmp_path / "xa_lan1.zip", tmp_path / "goi1")
    assert "Nguyễn Thị Lan" in stamp1 and package1 == text1  # the signed report prints the same words
    # Level lists travel: the workbook carries the commune's 48 rows, KPS as KPS, no district or province row.
    with zipfile.ZipFile(tmp_path / "xa_lan1.zip") as z:
        z.extract(next(n for n in z.namelist() if n.endswith(".xlsx")), tmp_path / "goi1")
    book = read_return_workbook(next((tmp_path / "goi1").glob("*.xlsx")))
    assert book.hash_ok and sorted(book.values) == sorted(applicable_value_codes("xa"))
    assert book.values["3.4.5.c"] == "Không phát sinh" and book.values["1.2.3"] == 7

    # --- Thị trấn An Bình, on its own PC ----------------------------------------------------------------------
    _fill(capsys, tt, TOWN, TOWN_VALUES, tmp_path)
    assert _cli(capsys, "--db", str(tt), "settings", "--unit", TOWN, "--set", "report.signer_name=Lê Văn Trấn")[0] == 0
    assert _cli(capsys, "--db", str(tt), "submit", "--unit", TOWN, "--period", H1)[0] == 0
    code, out = _cli(capsys, "--db", str(tt), *EXPORT, "--unit", TOWN, "--period", H1, "--package",
                     str(tmp_path / "tt.zip"), "--sign-p12", str(town_signer.p12))
    assert code == 0, out

    # --- Huyện An Bình: trust, require signatures, import, review, consolidate ---------------------------------
    assert _cli(capsys, "--db", str(huyen), "certs", "import", "--unit", DISTRICT, str(pki.ca_cer))[0] == 0
    assert _cli(capsys, "--db", str(huyen), "settings", "--unit", DISTRICT, "--set",
                "import.require_signature=1")[0] == 0
    code, out = _cli(capsys, "--db", str(huyen), "import-returns", "--unit", DISTRICT, "--period", H1,
                     str(tmp_path / "xa_lan1.zip"), str(tmp_path / "tt.zip"))
    assert code == 0, out
    assert [(f["unit"], f["outcome"], f["signature"]["status"]) for f in out["files"]] == [
        (COMMUNE, "imported", "valid"), (TOWN, "imported", "valid")]
    for child in (COMMUNE, TOWN):  # both submitted, without errors: accepted without a note
        code, out = _cli(capsys, "--db", str(huyen), "review", "--unit", DISTRICT, "--child", child, "--period", H1,
                         "--accept")
        assert code == 0, out
    code, out = _cli(capsys, "--db", str(huyen), "consolidate", "--unit", DISTRICT, "--period", H1)
    assert code == 0, out
    got = {v["code"]: v for v in out["values"]}
    assert {c: got[c]["number"] for c in ("1.1.1", "1.1.2", "1.2.3", "1.2.4", "2.1", "3.3.3", "3.3.4")} == {
        "1.1.1": 7, "1.1.2": 3, "1.2.3": 7, "1.2.4": 5, "2.1": 3, "3.3.3": 72.5, "3.3.4": 50}
    assert got["1.2.3"]["covered"] == 2 and "1 đơn vị không phát sinh" in got["1.2.3"]["detail"]
    assert (got["3.4.5.c"]["number"], got["3.4.5.c"]["value"]) == (None, "Không phát sinh")
    district = open_database(huyen)
    try:
        with district.session() as s:
            received = find_unit_return(s, COMMUNE, H1)  # the commune's return as the district holds it
            values = values_by_code(s, received)
            assert (values["3.4.5.c"].value_num, values["3.4.5.c"].value_text) == (None, "Không phát sinh")
            assert values["1.2.3"].value_num == 7 and "1.2.2" not in values
            codes = {r.code for r in grid_rows(s, received.id) if r.kind == "value"}
            assert codes == set(applicable_value_codes("xa"))  # shown with the commune's rows, as sent
    finally:
        district.close()

    # --- Later, the commune changes its signer and its rounding rule, and exports the frozen return again ----
    assert _cli(capsys, "--db", str(xa), "settings", "--unit", COMMUNE, "--set", "report.signer_name=Phạm Thị Mới",
                "--set", "report.rounding=truncate")[0] == 0
    code, out = _cli(capsys, "--db", str(xa), *EXPORT, "--unit", COMMUNE, "--period", H1, "--package",
                     str(tmp_path / "xa_lan2.zip"), "--sign-p12", str(pki.signer.p12))
    assert code == 0 and out["content_sha256"] == frozen_sha and out["frozen"] is True, out
    assert _cli(capsys, "--db", str(xa), *EXPORT, "--unit", COMMUNE, "--period", H1,
                "--pdf", str(tmp_path / "xa_lan2.pdf"))[0] == 0
    text2 = _flat(_pdf_text(tmp_path / "xa_lan2.pdf"))
    assert text2 == text1  # still "Trần Văn Ký", still 71,43%
    assert "Phạm Thị Mới" not in text2 and "71,42%" not in text2
    package2, stamp2 = _package_pdf(tmp_path / "xa_lan2.zip", tmp_path / "goi2")
    assert package2 == package1 and "Nguyễn Thị Lan" in stamp2
    # The district takes the re-export as what it is: the same return, signed, already imported.
    code, out = _cli(capsys, "--db", str(huyen), "import-returns", "--unit", DISTRICT, "--period", H1,
                     str(tmp_path / "xa_lan2.zip"))
    (f,) = out["files"]
    assert (f["outcome"], f["reason_code"], f["signature"]["status"]) == ("skipped", "duplicate", "valid"), f
