"""Checking a received signature offline: is it intact, whose is it, does the receiving unit trust it.

``check_detached`` checks the CMS signature of a return workbook over its sealed bytes
(``core.reports.seal``); ``check_pdf`` checks the PAdES signature of a PDF report. Both answer with a
``SignatureCheck``: a status, the signer's certificate and a Vietnamese reason.

Statuses:

- ``valid``: the content is exactly what was signed, the certificate was valid when it signed, and
  it chains (pyhanko-certvalidator) to one of the certificates the receiving unit imported;
- ``unsigned``: no signature (*chưa ký số*);
- ``invalid``: the content changed after signing, or the signature does not match the certificate's
  key, or the signature is damaged — the file must be refused;
- ``expired``: the certificate was not valid at the time the signature states;
- ``revoked``: a revocation list the unit imported lists the certificate;
- ``untrusted``: intact and well made, but by a certificate that does not chain to any certificate the
  receiving unit trusts. Anyone can make such a certificate in any name, so it proves nothing about
  who sent the file: it counts no more than an unsigned file (``core.intake.importer`` decides).

Offline, always: the trust roots are exactly the certificates the unit imported (never the operating
system's list), nothing is fetched (no OCSP, no CRL download, no AIA chasing). Revocation is checked
only against revocation lists (.crl) the unit imported itself; without one, a revoked certificate is
not detected ("soft-fail"). The validity of the certificate is judged at the signing time the
signature states (there is no timestamp server offline); a time in the future is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from core.signatures.certificates import CertificateInfo, now_utc
from core.vnformat import format_date

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

STATUS_LABELS = {
    "valid": "Đã ký số hợp lệ",
    "unsigned": "Chưa ký số",
    "invalid": "Chữ ký số không hợp lệ",
    "expired": "Chứng thư số hết hiệu lực",
    "revoked": "Chứng thư số đã bị thu hồi",
    "untrusted": "Chữ ký số chưa được tin cậy",
}
CLOCK_SKEW = timedelta(days=1)  # a sender's clock may be off; a signature "made" later than this is not


@dataclass(frozen=True)
class TrustList:
    """The certificates (trust roots) and revocation lists a receiving unit imported."""

    roots: tuple[asn1_x509.Certificate, ...] = ()
    crls: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class SignatureCheck:
    status: str
    reason: str
    signer: CertificateInfo | None = None
    signed_at: datetime | None = None  # as the signature states it (UTC)
    chain: list[str] = field(default_factory=list)  # subject names from the signer up to the trusted root

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def ok(self) -> bool:
        return self.status == "valid"

    @property
    def signed_at_text(self) -> str:
        if self.signed_at is None:
            return ""
        local = self.signed_at.astimezone()
        return f"{format_date(local.date())} {local:%H:%M}"

    def summary(self) -> str:
        """"Đã ký số hợp lệ: Nguyễn Thị Lan (UBND xã Minh Họa), ký lúc 18/06/2021 09:30"."""
        if self.signer is None:
            return self.label
        when = f", ký lúc {self.signed_at_text}" if self.signed_at else ""
        return f"{self.label}: {self.signer.who}{when}"

    def as_dict(self) -> dict:
        return {"status": self.status, "label": self.label, "reason": self.reason,
                "signer": self.signer.as_dict() if self.signer else None,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None, "chain": self.chain}


UNSIGNED = SignatureCheck("unsigned", "Tệp không có chữ ký số (chưa ký số).")


def _validation_context(trust: TrustList, moment: datetime):  # noqa: ANN202
    from pyhanko_certvalidator import ValidationContext

    # trust_roots is always a list (never None): None would fall back to the operating system's list.
    return ValidationContext(trust_roots=list(trust.roots), allow_fetching=False, moment=moment,
                             crls=list(trust.crls), revocation_mode="soft-fail")


def _revoked_on(cert: asn1_x509.Certificate, trust: TrustList) -> datetime | None:
    """When a revocation list the unit imported revoked ``cert`` (None: not listed).

    pyhanko-certvalidator consults a list only for a certificate that names a distribution point; an
    imported list applies to every certificate of its issuer, so it is looked up here too. A list counts
    only if its signature verifies with a trusted certificate of its issuer. Listed is refused whatever the
    date: without a time-stamp, the signing time is only what the signer says.
    """
    if not trust.crls:
        return None
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    mine = x509.load_der_x509_certificate(cert.dump())
    issuers = [x509.load_der_x509_certificate(r.dump()) for r in trust.roots]
    for der in trust.crls:
        try:
            crl = x509.load_der_x509_crl(der)
        except ValueError:
            continue
        if crl.issuer != mine.issuer:
            continue
        for issuer in issuers:
            if issuer.subject != crl.issuer:
                continue
            try:
                if not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
                    continue
            except (InvalidSignature, TypeError, ValueError):
                continue
            entry = crl.get_revoked_certificate_by_serial_number(mine.serial_number)
            if entry is not None:
                return entry.revocation_date_utc
    return None


def _judge(status, cert: asn1_x509.Certificate, signer: CertificateInfo, signed_at: datetime | None,  # noqa: ANN001
           trust: TrustList, what: str) -> SignatureCheck:
    """Turn pyHanko's status into ours, in the order a person would explain it."""
    if not status.intact:
        return SignatureCheck("invalid", f"Chữ ký số không khớp nội dung: {what} đã bị thay đổi sau khi ký "
                                         f"(người ký: {signer.who}).", signer, signed_at)
    if not status.valid:
        return SignatureCheck("invalid", "Chữ ký số không đúng với khóa của chứng thư số đi kèm "
                                         f"({signer.who}): chữ ký giả mạo hoặc bị hỏng.", signer, signed_at)
    moment = signed_at or now_utc()
    if signed_at is not None and signed_at > now_utc() + CLOCK_SKEW:
        return SignatureCheck("invalid", f"Thời gian ký ghi trong chữ ký ({format_date(signed_at.date())}) ở "
                                         "tương lai; không chấp nhận.", signer, signed_at)
    if not signer.valid_at(moment):
        when = format_date(moment.astimezone().date())
        return SignatureCheck("expired", f"Chứng thư số của {signer.who} không có hiệu lực vào thời điểm ký "
                                         f"({when}); hiệu lực {signer.validity_text}.", signer, signed_at)
    revoked_on = _revoked_on(cert, trust)
    if revoked_on is not None or getattr(status, "revoked", False):
        when = f" từ ngày {format_date(revoked_on.date())}" if revoked_on is not None else ""
        return SignatureCheck("revoked", f"Chứng thư số của {signer.who} (số sê-ri {signer.serial}) đã bị thu "
                                         f"hồi{when} theo danh sách thu hồi đơn vị đã nhập.", signer, signed_at)
    if not status.trusted:
        if not trust.roots:
            why = "đơn vị nhận chưa nhập chứng thư số gốc nào để tin cậy"
        else:
            why = (f"chứng thư do “{signer.issuer_cn}” cấp không thuộc các chứng thư số gốc đơn vị nhận tin cậy")
        return SignatureCheck("untrusted", f"Chữ ký của {signer.who} còn nguyên vẹn nhưng {why}; chưa xác nhận "
                                           "được người gửi.", signer, signed_at)
    path = getattr(status, "validation_path", None)
    chain = []
    if path is not None:
        try:
            chain = [CertificateInfo.of(c).subject_cn for c in reversed(list(path.iter_certs(include_root=True)))]
        except (AttributeError, TypeError, ValueError):
            chain = []
    return SignatureCheck("valid", f"Chữ ký số hợp lệ của {signer.who}, chứng thư số do {signer.issuer_cn} cấp.",
                          signer, signed_at, chain)


def check_detached(data: bytes, signature: bytes | None, trust: TrustList) -> SignatureCheck:
    """Check a detached CMS signature (DER) over ``data`` against ``trust``."""
    if not signature:
        return UNSIGNED
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.general import extract_certificate_info, extract_signer_info
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms, extract_self_reported_ts

    try:
        info = cms.ContentInfo.load(signature)
        if info["content_type"].native != "signed_data":
            raise ValueError("not signed data")
        signed_data = info["content"]
        signer_info = extract_signer_info(signed_data)
        cert = extract_certificate_info(signed_data).signer_cert
        signer = CertificateInfo.of(cert)
        signed_at = extract_self_reported_ts(signer_info)
    except Exception:  # noqa: BLE001 - any damage in the DER: a signature that cannot be read
        return SignatureCheck("invalid", "Chữ ký số trong tệp bị hỏng, không đọc được.")
    signed_at = signed_at.astimezone(UTC) if signed_at else None
    try:
        status = asyncio.run(async_validate_detached_cms(
            data, signed_data, signer_validation_context=_validation_context(trust, signed_at or now_utc())))
    except Exception:  # noqa: BLE001 - a malformed signature can fail deep inside the validator
        return SignatureCheck("invalid", f"Chữ ký số của {signer.who} không kiểm tra được (chữ ký bị hỏng).",
                              signer, signed_at)
    return _judge(status, cert, signer, signed_at, trust, "dữ liệu báo cáo")


def check_pdf(path: Path, trust: TrustList) -> SignatureCheck:
    """Check the last signature of a PDF (PAdES) against ``trust``; an addition after it is refused."""
    import asyncio

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        with open(path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            sigs: Sequence = reader.embedded_signatures
            if not sigs:
                return UNSIGNED
            sig = sigs[-1]
            signer = CertificateInfo.of(sig.signer_cert)
            signed_at = sig.self_reported_timestamp
            signed_at = signed_at.astimezone(UTC) if signed_at else None
            status = asyncio.run(async_validate_pdf_signature(
                sig, signer_validation_context=_validation_context(trust, signed_at or now_utc())))
    except Exception:  # noqa: BLE001 - a damaged PDF or signature
        return SignatureCheck("invalid", f"Không kiểm tra được chữ ký số trong tệp “{Path(path).name}” (tệp hoặc "
                                         "chữ ký bị hỏng).")
    result = _judge(status, sig.signer_cert, signer, signed_at, trust, "tệp PDF")
    if result.status in ("valid", "untrusted") and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck("invalid", "Tệp PDF có phần được thêm hoặc sửa sau khi ký.", signer, signed_at)
    return result
