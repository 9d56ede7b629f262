"""Signed return workbooks (issue 12, item 1 and "Forgery"): the receiving unit sees who signed, with which
certificate, whether the signature holds; a forged copy of a signed return is refused.

A throwaway CA, signer certificate and .p12 are made per test (tests/helpers/pki_helpers.py); the receiving
office trusts the CA's .cer, imported into its settings (core.signatures.trust_store).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.org.settings import set_setting
from core.org.units import get_unit
from core.reports.files import write_exports
from core.reports.workbook_format import DATA_SHEET
from core.reports.workbook_reader import read_return_workbook
from core.reports.workbook_writer import export_return_xlsx
from core.returns.entry import find_unit_return
from core.returns.report_collect import collect_return_export
from core.returns.store import values_by_code
from core.signatures.signing import SigningError, SigningSource, open_signer
from core.signatures.trust_store import import_trusted
from db.models import ImportedFile
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import Province
from tests.helpers.forgery import forge
from tests.helpers.pki_helpers import (
    PIN,
    expired,
    issue,
    make_ca,
    make_pki,
    revocation_list,
    untrusted,
    wrong_key_signer,
)

Q2 = "2021-Q2"
AT = datetime.now().astimezone() - timedelta(hours=1)  # signing happens now: the test certificates are new


@pytest.fixture
def pki(tmp_path):  # noqa: ANN001, ANN201
    return make_pki(tmp_path / "pki")


def _trust(db, pki, require: bool = False) -> None:  # noqa: ANN001
    with db.transaction() as s:
        unit = get_unit(s, "MH")
        import_trusted(s, unit, pki.ca_cer)
        set_setting(s, unit, "import.require_signature", require)


def _export_signed(province: Province, unit: str, holder_p12, name: str, at: datetime = AT):  # noqa: ANN001, ANN201
    with province.child.session() as s:
        data = collect_return_export(s, unit, Q2)
    path = province.inbox / name
    with open_signer(SigningSource(p12=holder_p12), PIN) as signer:
        write_exports(data, xlsx=path, signer=signer, exported_at=at)
    return path


def _value(db, unit: str, code: str) -> float | None:  # noqa: ANN001
    with db.session() as s:
        ret = find_unit_return(s, unit, Q2)
        if ret is None:
            return None
        v = values_by_code(s, ret).get(code)
        return v.value_num if v else None


def _import_one(province: Province, path):  # noqa: ANN001, ANN201
    (outcome,) = import_returns(province.office, "MH", [path], ImportPolicy(period_code=Q2)).outcomes
    return outcome


def _unchanged_but_history(before: dict, after: dict) -> bool:
    return {k: v for k, v in before.items() if k != "imported_file"} == \
        {k: v for k, v in after.items() if k != "imported_file"}


def test_a_signed_return_shows_who_signed_with_which_certificate_and_that_it_holds(province, pki, tmp_path) -> None:
    province.fill("MH.SNV", {"1.1.1": 12, "2.1": 3}, Q2)
    path = _export_signed(province, "MH.SNV", pki.signer.p12, "snv.xlsx")
    book = read_return_workbook(path)
    assert book.hash_ok and book.signature is not None and book.signature[:1] == b"\x30"  # DER SEQUENCE
    _trust(province.office, pki)

    report = import_returns(province.office, "MH", [path], ImportPolicy(period_code=Q2))
    (o,) = report.outcomes
    assert o.outcome == "imported", o.reason
    sig = o.signature
    assert sig.status == "valid" and o.signature_label == "Đã ký số hợp lệ"
    assert sig.signer.subject_cn == "Nguyễn Thị Lan" and sig.signer.organization == "UBND xã Minh Họa"
    assert sig.signer.serial == format(pki.signer.cert.serial_number, "X")
    assert sig.signer.issuer_cn == "CA Thử nghiệm Cục Chứng thực số"
    assert o.signer_text == "Nguyễn Thị Lan (UBND xã Minh Họa)"
    assert o.certificate_text.startswith(f"Số sê-ri {sig.signer.serial}; do CA Thử nghiệm Cục Chứng thực số cấp; "
                                         "hiệu lực ")
    assert "[Đã ký số hợp lệ: Nguyễn Thị Lan (UBND xã Minh Họa), ký lúc" in o.line()
    assert o.as_dict()["signature"]["signer"]["serial"] == sig.signer.serial
    assert _value(province.office, "MH.SNV", "1.1.1") == 12
    with province.office.session() as s:
        row = s.scalar(select(ImportedFile).where(ImportedFile.file_name == "snv.xlsx"))
        assert row.details["signature"]["status"] == "valid"
        assert row.details["signature"]["signer"]["subject"] == "Nguyễn Thị Lan"

    # The import report (.xlsx) names the signature, the signer and the certificate.
    saved = report.save(tmp_path / "ket_qua.xlsx")
    ws = openpyxl.load_workbook(saved).active
    head = [c.value for c in ws[3]]
    assert head[-3:] == ["Chữ ký số", "Người ký", "Chứng thư số"]
    line = [c.value for c in ws[4]]
    assert line[8:10] == ["Đã ký số hợp lệ", "Nguyễn Thị Lan (UBND xã Minh Họa)"]
    assert f"Số sê-ri {sig.signer.serial}" in line[10]


@pytest.mark.parametrize("change", [
    {"value": ("1.1.1", 99)},
    {"unit": ("MH.STP", "Sở Tư pháp")},
    {"period": "2021-Q3"},
    {"status": "submitted"},
    {"exported_at": "2030-01-01T00:00:00+07:00"},
], ids=["value", "unit", "period", "status", "exported_at"])
def test_a_forged_signed_return_is_rejected(province, pki, change) -> None:
    """Every copy of the fact rewritten and the plain hashes recomputed: only the signature can tell."""
    province.fill("MH.SNV", {"1.1.1": 12}, Q2)
    province.fill("MH.STP", {"1.1.1": 7}, Q2)
    _trust(province.office, pki)
    genuine = _export_signed(province, "MH.STP", pki.signer.p12, "stp.xlsx")
    assert _import_one(province, genuine).outcome == "imported"
    path = _export_signed(province, "MH.SNV", pki.signer.p12, "snv.xlsx", at=AT - timedelta(hours=1))
    forge(path, **change)
    assert read_return_workbook(path).hash_ok  # the plain hash no longer helps
    before = dump_tables(province.office)

    o = _import_one(province, path)
    assert (o.outcome, o.reason_code) == ("rejected", "bad_signature"), o.reason
    assert o.reason.startswith("Chữ ký số không khớp nội dung: dữ liệu báo cáo đã bị thay đổi sau khi ký "
                               "(người ký: Nguyễn Thị Lan (UBND xã Minh Họa)).")
    assert o.signature_label == "Chữ ký số không hợp lệ"
    assert _unchanged_but_history(before, dump_tables(province.office))
    assert _value(province.office, "MH.STP", "1.1.1") == 7 and _value(province.office, "MH.SNV", "1.1.1") is None


def test_a_changed_byte_in_the_signature_itself_is_rejected(province, pki) -> None:
    province.fill("MH.SNV", {"1.1.1": 12}, Q2)
    _trust(province.office, pki)
    path = _export_signed(province, "MH.SNV", pki.signer.p12, "snv.xlsx")
    wb = openpyxl.load_workbook(path)
    for row in wb[DATA_SHEET].iter_rows():
        if row[0].value == "signature":
            raw = bytearray(base64.b64decode(row[1].value))
            raw[-20] ^= 0x01  # one bit of the RSA signature value
            row[1].value = base64.b64encode(bytes(raw)).decode()
    wb.save(path)
    o = _import_one(province, path)
    assert (o.outcome, o.reason_code) == ("rejected", "bad_signature"), o.reason
    assert "chữ ký giả mạo hoặc bị hỏng" in o.reason


def test_a_signature_made_with_another_key_than_the_certificates_is_rejected(province, pki) -> None:
    province.fill("MH.SNV", {"1.1.1": 12}, Q2)
    _trust(province.office, pki)
    with province.child.session() as s:
        data = collect_return_export(s, "MH.SNV", Q2)
    path = province.inbox / "gia_mao.xlsx"
    with wrong_key_signer(pki.signer) as forger:  # the commune's public certificate, the forger's key
        write_exports(data, xlsx=path, signer=forger, exported_at=AT)
    o = _import_one(province, path)
    assert (o.outcome, o.reason_code) == ("rejected", "bad_signature"), o.reason
    assert o.reason.startswith("Chữ ký số không đúng với khóa của chứng thư số đi kèm (Nguyễn Thị Lan (UBND xã "
                               "Minh Họa)): chữ ký giả mạo hoặc bị hỏng.")


def test_an_expired_certificate_cannot_sign_and_its_signature_is_rejected(province, pki) -> None:
    province.fill("MH.SNV", {"1.1.1": 12}, Q2)
    _trust(province.office, pki)
    old = expired(pki)
    with province.child.session() as s:
        data = collect_return_export(s, "MH.SNV", Q2)
    path = province.inbox / "het_han.xlsx"
    with open_signer(SigningSource(p12=old.p12), PIN) as signer:
        with pytest.raises(SigningError, match="đã hết hạn ngày"):
            write_exports(data, xlsx=path, signer=signer)
        assert not path.exists()
        # A program that does not refuse (or a forger holding the old key) still gets caught on import.
        export_return_xlsx(data, path, sign=signer.sign_detached)
    o = _import_one(province, path)
    assert (o.outcome, o.reason_code) == ("rejected", "bad_signature"), o.reason
    assert o.signature.status == "expired" and o.signature_label == "Chứng thư số hết hiệu lực"
    assert "không có hiệu lực vào thời điểm ký" in o.reason


def test_a_signature_from_an_untrusted_ca_counts_as_unsigned(province, pki) -> None:
    """Anyone can make a CA and a certificate in the commune's name: such a signature proves nothing
    about the sender. Without "require signatures" it is imported and flagged, with it refused."""
    province.fill("MH.SNV", {"1.1.1": 12}, Q2)
    stranger = untrusted(pki)
    _trust(province.office, pki, require=False)
    path = _export_signed(province, "MH.SNV", stranger.p12, "ca_la.xlsx")
    o = _import_one(province, path)
    assert o.outcome == "imported", o.reason
    assert o.signature.status == "untrusted" and o.signature_label == "Chữ ký số chưa được tin cậy"
    assert "chữ ký số chưa được tin cậy" in o.reason
    assert "“CA Tự lập” cấp không thuộc các chứng thư số gốc" in o.signature.reason

    province.fill("MH.STP", {"1.1.1": 7}, Q2)
    _trust(province.office, pki, require=True)
    path = _export_signed(province, "MH.STP", stranger.p12, "ca_la_2.xlsx")
    before = dump_tables(province.office)
    o = _import_one(province, path)
    assert (o.outcome, o.reason_code) == ("rejected", "untrusted_signature"), o.reason
    assert "chỉ nhận báo cáo có chữ ký số hợp lệ" in o.reason and "nhập chứng thư gốc" in o.reason
    assert _unchanged_but_history(before, dump_tables(province.office))


def test_an_unsigned_return_is_imported_only_as_unsigned_and_refused_when_signatures_are_required(
        province, pki) -> None:
    province.fill("MH.SNV", {"1.1.1": 12}, Q2)
    path = province.export("MH.SNV", Q2, name="chua_ky.xlsx")
    o = _import_one(province, path)
    assert o.outcome == "imported" and o.signature.status == "unsigned"
    assert o.signature_label == "Chưa ký số" and "báo cáo chưa ký số" in o.reason
    assert o.line().endswith("[Chưa ký số]")
    assert o.as_dict()["signature"]["status"] == "unsigned"

    province.fill("MH.STP", {"1.1.1": 7}, Q2)
    _trust(province.office, pki, require=True)
    unsigned = province.export("MH.STP", Q2, name="stp_chua_ky.xlsx")
    before = dump_tables(province.office)
    o = _import_one(province, unsigned)
    assert (o.outcome, o.reason_code) == ("rejected", "unsigned"), o.reason
    assert o.reason.startswith("Báo cáo chưa ký số, trong khi UBND tỉnh Minh Họa chỉ nhận báo cáo có chữ ký số "
                               "hợp lệ.")
    assert _unchanged_but_history(before, dump_tables(province.office))

    # A signed return whose signature was stripped and a value forged is just an unsigned file: refused too.
    signed = _export_signed(province, "MH.STP", pki.signer.p12, "stp_ky.xlsx")
    forge(signed, value=("1.1.1", 70), drop_signature=True)
    o = _import_one(province, signed)
    assert (o.outcome, o.reason_code) == ("rejected", "unsigned"), o.reason
    assert _value(province.office, "MH.STP", "1.1.1") is None


def test_a_certificate_on_an_imported_revocation_list_is_refused(province, pki, tmp_path) -> None:
    """Revocation, offline: only lists the receiving unit imported itself (nothing is fetched)."""
    province.fill("MH.SNV", {"1.1.1": 12}, Q2)
    _trust(province.office, pki)
    path = _export_signed(province, "MH.SNV", pki.signer.p12, "snv.xlsx")
    # A list from someone else, in the CA's name but not signed by it, is not believed.
    fake = revocation_list(make_ca(pki.ca.cert.subject.rfc4514_string().split("CN=")[1].split(",")[0]),
                           [pki.signer], tmp_path / "gia.crl")
    with province.office.transaction() as s:
        import_trusted(s, get_unit(s, "MH"), fake)
    crl = revocation_list(pki.ca, [pki.signer], tmp_path / "thu_hoi.crl")
    assert _import_one(province, _export_signed(province, "MH.SNV", pki.signer.p12, "truoc.xlsx",
                                                at=AT - timedelta(hours=2))).outcome == "imported"
    with province.office.transaction() as s:
        (entry,) = import_trusted(s, get_unit(s, "MH"), crl)
    assert entry.kind == "crl" and entry.subject == "Danh sách thu hồi của CA Thử nghiệm Cục Chứng thực số"
    o = _import_one(province, path)
    assert (o.outcome, o.reason_code) == ("rejected", "bad_signature"), o.reason
    assert o.signature.status == "revoked" and o.signature_label == "Chứng thư số đã bị thu hồi"
    assert f"(số sê-ri {o.signature.signer.serial}) đã bị thu hồi từ ngày" in o.reason
    # Another certificate of the same CA is not on the list.
    colleague = issue(pki.ca, pki.folder, cn="Trần Văn Bình", name="dong_nghiep")
    province.fill("MH.STP", {"1.1.1": 7}, Q2)
    assert _import_one(province, _export_signed(province, "MH.STP", colleague.p12, "stp.xlsx")).signature.ok
