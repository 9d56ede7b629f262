"""Signing with a USB token through PKCS#11 (issue 12, item 1), the token played by SoftHSM2: the key
never leaves it, pyHanko signs through python-pkcs11. Skipped, with the reason, where SoftHSM2 or
OpenSC's pkcs11-tool is not installed (Debian: softhsm2, opensc; .ci/run installs them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.reports.files import write_exports
from core.reports.workbook_reader import read_return_workbook
from core.returns.report_collect import collect_return_export
from core.signatures.certificates import read_certificate_file
from core.signatures.check import TrustList, check_detached, check_pdf
from core.signatures.signing import SigningError, SigningSource, open_signer
from tests.conftest import REPO
from tests.helpers.pki_helpers import PIN, make_pki, make_token, softhsm_library

# The demo's report has empty narrative sections (I.4, III, IV, V): these exports are made on purpose.
EXPORT = ("export", "--allow-empty-sections")

LIB = softhsm_library()
pytestmark = pytest.mark.skipif(LIB is None, reason="SoftHSM2 (softhsm2-util, libsofthsm2.so) or OpenSC's "
                                                    "pkcs11-tool is not installed: apt-get install softhsm2 opensc")


@pytest.fixture(scope="module")
def token(tmp_path_factory):  # noqa: ANN001, ANN201
    folder = tmp_path_factory.mktemp("token")
    pki = make_pki(folder / "pki")
    tok = make_token(folder / "softhsm", pki.signer, LIB)
    # SoftHSM reads its configuration when the library is first initialised in this process.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOFTHSM2_CONF", str(tok.conf))
        yield tok, pki


def test_the_token_signs_the_workbook_and_the_report(token, demo_db, tmp_path) -> None:
    tok, pki = token
    with demo_db.session() as s:
        data = collect_return_export(s, "MH", "2021-H1")
    source = SigningSource(pkcs11_lib=tok.lib, token_label=tok.label)
    with open_signer(source, PIN) as signer:
        assert signer.certificate.subject_cn == "Nguyễn Thị Lan"
        assert signer.certificate.serial == format(pki.signer.cert.serial_number, "X")
        write_exports(data, xlsx=tmp_path / "bc.xlsx", pdf=tmp_path / "bc.pdf", signer=signer)
    trust = TrustList(tuple(read_certificate_file(pki.ca_cer)))
    book = read_return_workbook(tmp_path / "bc.xlsx")
    assert check_detached(book.sealed_bytes(), book.signature, trust).status == "valid"
    assert check_pdf(tmp_path / "bc.pdf", trust).summary().startswith(
        "Đã ký số hợp lệ: Nguyễn Thị Lan (UBND xã Minh Họa)")
    with open_signer(SigningSource(pkcs11_lib=tok.lib, token_label=tok.label, key_label="nguoi_ky"), PIN) as signer:
        assert signer.certificate.subject_cn == "Nguyễn Thị Lan"


def test_a_wrong_pin_or_a_missing_token_is_told_in_vietnamese(token) -> None:
    tok, _ = token
    with pytest.raises(SigningError) as err:
        open_signer(SigningSource(pkcs11_lib=tok.lib, token_label=tok.label), "000000")
    assert str(err.value) == "Mã PIN của thiết bị ký số không đúng."
    with pytest.raises(SigningError) as err:
        open_signer(SigningSource(pkcs11_lib=tok.lib, token_label="Token khác"), PIN)
    assert str(err.value) == "Không tìm thấy thiết bị ký số có nhãn “Token khác”; hãy cắm thiết bị (token) rồi thử lại."
    with pytest.raises(SigningError, match="Không tìm thấy thư viện PKCS#11"):
        open_signer(SigningSource(pkcs11_lib="/khong/co/thu_vien.so", token_label=tok.label), PIN)


@pytest.mark.sqlite_only(reason="runs main.py in another process on a copy of the demo SQLite file")
def test_cli_export_signs_with_the_token_and_the_pin_from_the_environment(token, demo_db_file, tmp_path) -> None:
    import shutil

    tok, _ = token
    db = tmp_path / "demo.db"
    shutil.copy2(demo_db_file, db)
    env = {**os.environ, "SOFTHSM2_CONF": str(tok.conf), "CCHC_SIGN_PIN": PIN}
    out = subprocess.run([sys.executable, str(REPO / "main.py"), "--db", str(db), "--json", *EXPORT, "--unit", "MH",
                          "--period", "2021-H1", "--xlsx", str(tmp_path / "bc.xlsx"), "--sign-pkcs11", tok.lib,
                          "--token-label", tok.label], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    payload = json.loads(out.stdout)
    assert payload["signer"]["subject"] == "Nguyễn Thị Lan"
    assert PIN not in out.stdout + out.stderr
    assert read_return_workbook(tmp_path / "bc.xlsx").signature is not None
