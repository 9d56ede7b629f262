"""The Decree-30 report signed as PAdES with pyHanko (issue 12, item 1): checked with pyHanko's own
validation, its Vietnamese text still extractable, the visible stamp in the signature block; and the
same five cases as the workbook: good, changed byte, wrong key, expired, untrusted root.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization

from core.reports.files import sign_report_pdf, write_exports
from core.returns.report_collect import collect_return_export
from core.signatures.certificates import read_certificate_file
from core.signatures.check import TrustList, check_pdf
from core.signatures.signing import SigningError, SigningSource, open_signer
from tests.helpers.pki_helpers import PIN, expired, make_pki, untrusted, wrong_key_signer

H1 = "2021-H1"


@pytest.fixture
def data(demo_db):  # noqa: ANN001, ANN201
    with demo_db.session() as s:
        return collect_return_export(s, "MH", H1)


@pytest.fixture
def pki(tmp_path):  # noqa: ANN001, ANN201
    return make_pki(tmp_path / "pki")


def _trust(pki) -> TrustList:  # noqa: ANN001
    return TrustList(tuple(read_certificate_file(pki.ca_cer)))


def _text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout", *(["-f", str(page), "-l", str(page)] if page else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _signed(data, pki, tmp_path: Path) -> Path:  # noqa: ANN001
    path = tmp_path / "Báo cáo đã ký.pdf"
    with open_signer(SigningSource(p12=pki.signer.p12), PIN) as signer:
        result = write_exports(data, pdf=path, signer=signer)
    assert result.signer is not None and result.signer.subject_cn == "Nguyễn Thị Lan"
    return path


def test_signed_report_validates_with_pyhanko_and_keeps_its_vietnamese_text(data, pki, tmp_path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    path = _signed(data, pki, tmp_path)
    root = asn1_x509.Certificate.load(pki.ca.cert.public_bytes(serialization.Encoding.DER))
    with open(path, "rb") as fh:
        reader = PdfFileReader(fh)
        (sig,) = reader.embedded_signatures
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root], allow_fetching=False))
        assert status.intact and status.valid and status.trusted
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
        assert sig.signer_cert.subject.native["common_name"] == "Nguyễn Thị Lan"
        # The visible field lies over the stamp the report drew beside the signer's title.
        field = sig.sig_field
        rect = [float(v) for v in field["/Rect"]]
        page_ref = field.raw_get("/P")
        pages = [p.idnum for p in reader.root["/Pages"].raw_get("/Kids")]  # reportlab writes one flat page list
    assert rect[2] - rect[0] > 100 and rect[3] - rect[1] > 25
    text = _text(path)
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
                   "Ký số bởi: Nguyễn Thị Lan", "Cơ quan: UBND xã Minh Họa", "Thời gian ký:"):
        assert phrase in text, phrase
    stamp_page = next(i for i in range(1, 30) if "Ký số bởi" in _text(path, i))
    assert page_ref.idnum == pages[stamp_page - 1]
    assert check_pdf(path, _trust(pki)).summary().startswith("Đã ký số hợp lệ: Nguyễn Thị Lan (UBND xã Minh Họa)")
    # Look at it: the stamp page as a picture (tests/…/stamp-N.png, not committed).
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(stamp_page), "-l", str(stamp_page), str(path),
                    str(tmp_path / "stamp")], check=True)


def test_a_changed_byte_in_a_signed_report_is_caught(data, pki, tmp_path) -> None:
    path = _signed(data, pki, tmp_path)
    raw = bytearray(path.read_bytes())
    at = len(raw) // 4  # inside the signed byte range (only the signature value itself is outside it)
    raw[at] ^= 0x01
    path.write_bytes(bytes(raw))
    check = check_pdf(path, _trust(pki))
    assert check.status == "invalid", check.reason


def test_an_addition_after_signing_is_caught(data, pki, tmp_path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    path = _signed(data, pki, tmp_path)
    with open(path, "rb+") as fh:
        w = IncrementalPdfFileWriter(fh)
        w.root["/CCHCSua"] = generic.TextStringObject("sửa sau khi ký")
        w.update_root()
        w.write_in_place()
    check = check_pdf(path, _trust(pki))
    assert check.status == "invalid" and "sau khi ký" in check.reason


def test_wrong_key_expired_and_untrusted_reports(data, pki, tmp_path) -> None:
    trust = _trust(pki)
    forged = tmp_path / "gia_mao.pdf"
    with wrong_key_signer(pki.signer) as forger:
        sign_report_pdf(data, forged, forger, forger.certificate.not_before)
    assert check_pdf(forged, trust).status == "invalid"

    old = expired(pki)
    late = tmp_path / "het_han.pdf"
    with open_signer(SigningSource(p12=old.p12), PIN) as signer:
        with pytest.raises(SigningError, match="đã hết hạn"):
            write_exports(data, pdf=late, signer=signer)
        assert not late.exists()  # nothing unsigned left under the final name
        sign_report_pdf(data, late, signer, signer.certificate.not_after)
    assert check_pdf(late, trust).status == "expired"

    stranger = tmp_path / "ca_la.pdf"
    with open_signer(SigningSource(p12=untrusted(pki).p12), PIN) as signer:
        write_exports(data, pdf=stranger, signer=signer)
    check = check_pdf(stranger, trust)
    assert check.status == "untrusted" and "CA Tự lập" in check.reason
    assert check_pdf(_signed(data, pki, tmp_path), TrustList()).status == "untrusted"  # no roots: never the OS's


def test_a_wrong_pin_signs_nothing(data, pki, tmp_path) -> None:
    with pytest.raises(SigningError) as err:
        open_signer(SigningSource(p12=pki.signer.p12), "000000")
    assert str(err.value) == ("Không mở được tệp chứng thư số “nguoi_ky.p12”: mật khẩu (PIN) không đúng hoặc tệp "
                              "không phải .p12/.pfx.")
    with pytest.raises(SigningError, match="Không tìm thấy tệp chứng thư số"):
        open_signer(SigningSource(p12=tmp_path / "khong_co.p12"), PIN)


def test_an_unsigned_report_is_reported_unsigned(data, pki, tmp_path) -> None:
    path = tmp_path / "chua_ky.pdf"
    write_exports(data, pdf=path)
    assert check_pdf(path, _trust(pki)).status == "unsigned"
    assert "Ký số bởi" not in _text(path)
