"""Digital certificates (chứng thư số) as people see them: who, which organisation, serial number,
issuer and validity; and reading the certificate files a unit is given (.cer, .crt, .pem, .der).

Used by the signer (``core.signatures.signing``: whose certificate signs), the checker
(``core.signatures.check``: who signed what a unit received) and the trust list
(``core.signatures.trust_store``: the certificates a receiving unit trusts).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import Refused
from core.vnformat import format_date, nfc

if TYPE_CHECKING:  # asn1crypto is loaded when a certificate is read: start-up stays fast
    from asn1crypto import x509 as asn1_x509

MAX_CERT_FILE_BYTES = 1024 * 1024  # a certificate or a chain is a few kilobytes


class CertificateFileError(Refused):
    """A file that holds no readable certificate; the message is Vietnamese."""


@dataclass(frozen=True)
class CertificateInfo:
    """What a person needs to know about a certificate."""

    subject_cn: str
    organization: str
    serial: str  # hexadecimal, as certificate viewers show it
    issuer_cn: str
    not_before: datetime  # UTC
    not_after: datetime  # UTC
    sha256: str  # fingerprint of the DER bytes
    is_ca: bool = False

    @classmethod
    def of(cls, cert: asn1_x509.Certificate) -> CertificateInfo:
        subject, issuer = cert.subject.native, cert.issuer.native
        validity = cert["tbs_certificate"]["validity"]
        return cls(
            subject_cn=_text(subject.get("common_name")) or cert.subject.human_friendly,
            organization=_text(subject.get("organization_name")),
            serial=format(cert.serial_number, "X"),
            issuer_cn=_text(issuer.get("common_name")) or cert.issuer.human_friendly,
            not_before=validity["not_before"].native.astimezone(UTC),
            not_after=validity["not_after"].native.astimezone(UTC),
            sha256=hashlib.sha256(cert.dump()).hexdigest(),
            is_ca=bool(cert.ca),
        )

    @property
    def who(self) -> str:
        """"Nguyễn Thị Lan (UBND xã Minh Họa)"."""
        return f"{self.subject_cn} ({self.organization})" if self.organization else self.subject_cn

    @property
    def validity_text(self) -> str:
        return f"{format_date(self.not_before.date())} – {format_date(self.not_after.date())}"

    def valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment.astimezone(UTC) <= self.not_after

    def describe(self) -> str:
        """One line for reports: who, serial, issuer, validity."""
        return (f"{self.who}; số sê-ri {self.serial}; do {self.issuer_cn} cấp; "
                f"hiệu lực {self.validity_text}")

    def as_dict(self) -> dict:
        return {"subject": self.subject_cn, "organization": self.organization or None, "serial": self.serial,
                "issuer": self.issuer_cn, "valid_from": self.not_before.isoformat(),
                "valid_to": self.not_after.isoformat(), "sha256": self.sha256}


def _text(value: object) -> str:
    if isinstance(value, list):  # a name may repeat an attribute
        value = ", ".join(str(v) for v in value)
    return nfc(str(value)).strip() if value else ""


def read_certificate_file(path: Path) -> list[asn1_x509.Certificate]:
    """Every certificate in a .cer/.crt/.der (DER) or .pem (one or more PEM blocks) file."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    path = Path(path)
    if not path.is_file():
        raise CertificateFileError(f"Không tìm thấy tệp “{path}”.")
    if path.stat().st_size > MAX_CERT_FILE_BYTES:
        raise CertificateFileError(f"Tệp “{path.name}” quá lớn để là một chứng thư số.")
    data = path.read_bytes()
    blobs: list[bytes] = []
    if pem.detect(data):
        try:
            blobs = [der for kind, _headers, der in pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"]
        except ValueError:
            blobs = []
    else:
        blobs = [data]
    certs = []
    for der in blobs:
        try:
            cert = asn1_x509.Certificate.load(der)
            cert.native  # parse it all now: a damaged file fails here, not later  # noqa: B018
        except (ValueError, TypeError, KeyError):
            continue
        certs.append(cert)
    if not certs:
        raise CertificateFileError(
            f"Tệp “{path.name}” không chứa chứng thư số đọc được (cần tệp .cer, .crt hoặc .pem do tổ chức "
            "cung cấp dịch vụ chứng thực chữ ký số cấp).")
    return certs


def now_utc() -> datetime:
    return datetime.now(UTC)
