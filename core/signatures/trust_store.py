"""The certificates a receiving unit trusts when it checks signed returns (its signature settings).

A province office imports the root certificate of each certification authority its units use (the
.cer/.crt/.pem the authority publishes: Ban Cơ yếu Chính phủ for state bodies, VNPT-CA, Viettel-CA …),
or a unit's own certificate. Each is kept in ``trusted_certificate`` for that receiving unit; the import
checks chain to them and to nothing else (``core.signatures.check``: offline, no system list). A
revocation list (.crl) the authority published can be imported the same way: a certificate it lists is
then refused.

``import.require_signature`` (``core.org.settings``) says whether an unsigned return, or one signed by a
certificate that chains to none of these, is refused (on) or imported as "chưa ký số" (off).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.org.settings import get_setting
from core.signatures.certificates import (
    MAX_CERT_FILE_BYTES,
    CertificateFileError,
    CertificateInfo,
    read_certificate_file,
)
from core.signatures.check import TrustList
from core.vnformat import format_date, nfc
from db.models import TrustedCertificate, Unit

REQUIRE_SIGNATURE = "import.require_signature"
CRL_SUFFIXES = (".crl",)


class TrustStoreError(Refused):
    """A certificate that cannot be imported or found; Vietnamese message."""


@dataclass(frozen=True)
class TrustedEntry:
    """One trusted certificate or revocation list, as the settings list it."""

    id: int
    kind: str
    subject: str
    organization: str
    issuer: str
    serial: str
    not_before: datetime | None
    not_after: datetime | None
    sha256: str
    file_name: str
    added_at: datetime

    @property
    def kind_label(self) -> str:
        return "Danh sách thu hồi" if self.kind == "crl" else "Chứng thư số"

    @property
    def validity_text(self) -> str:
        if self.not_before is None or self.not_after is None:
            return ""
        return f"{format_date(self.not_before.date())} – {format_date(self.not_after.date())}"

    def line(self) -> str:
        who = f"{self.subject} ({self.organization})" if self.organization else self.subject
        serial = f", số sê-ri {self.serial}" if self.serial else ""
        return (f"[{self.id}] {self.kind_label}: {who}{serial}; do {self.issuer} cấp; hiệu lực {self.validity_text}; "
                f"SHA-256 {self.sha256[:16]}…")

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "subject": self.subject, "organization": self.organization or None,
                "issuer": self.issuer, "serial": self.serial or None,
                "valid_from": self.not_before.isoformat() if self.not_before else None,
                "valid_to": self.not_after.isoformat() if self.not_after else None, "sha256": self.sha256,
                "file": self.file_name or None}


def _entry(row: TrustedCertificate) -> TrustedEntry:
    return TrustedEntry(row.id, row.kind, row.subject, row.organization or "", row.issuer or "", row.serial or "",
                        row.not_before, row.not_after, row.sha256, row.file_name or "", row.added_at)


def _naive(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=None) if value is not None else None


def _read_crls(path: Path) -> list[asn1_crl.CertificateList]:
    data = path.read_bytes()
    blobs = ([der for kind, _h, der in pem.unarmor(data, multiple=True) if kind == "X509 CRL"]
             if pem.detect(data) else [data])
    out = []
    for der in blobs:
        try:
            item = asn1_crl.CertificateList.load(der)
            item.native  # noqa: B018 - parse it all now
        except (ValueError, TypeError, KeyError):
            continue
        out.append(item)
    if not out:
        raise CertificateFileError(f"Tệp “{path.name}” không chứa danh sách thu hồi chứng thư (.crl) đọc được.")
    return out


def import_trusted(session: Session, unit: Unit, path: Path | str, user: str | None = None) -> list[TrustedEntry]:
    """Trust the certificates (or revocation lists, for a .crl) in ``path`` for ``unit``.

    Returns what was added; one already trusted is not added twice. ``TrustStoreError`` for a file
    that holds neither.
    """
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_CERT_FILE_BYTES:
            raise CertificateFileError(f"Tệp “{path.name}” quá lớn để là một chứng thư số.")
        if path.suffix.lower() in CRL_SUFFIXES:
            rows = [_crl_row(c, path) for c in _read_crls(path)]
        else:
            rows = [_cert_row(c, path) for c in read_certificate_file(path)]
    except CertificateFileError as exc:
        raise TrustStoreError(str(exc)) from None
    except OSError as exc:
        raise TrustStoreError(f"Không đọc được tệp “{path.name}” ({exc.strerror or exc}).") from None
    added = []
    for row in rows:
        exists = session.scalar(select(TrustedCertificate).where(TrustedCertificate.unit_id == unit.id,
                                                                 TrustedCertificate.sha256 == row.sha256))
        if exists is not None:
            continue
        row.unit_id = unit.id
        row.added_by = audit.user_of(session, user)
        session.add(row)
        session.flush()
        audit.record(session, "create", "trusted_certificate", row.id, field=row.kind,
                     new=f"{row.subject}; {row.serial or ''}; SHA-256 {row.sha256}", user=user)
        added.append(_entry(row))
    return added


def _cert_row(cert: asn1_x509.Certificate, path: Path) -> TrustedCertificate:
    info = CertificateInfo.of(cert)
    return TrustedCertificate(kind="cert", subject=info.subject_cn, organization=info.organization or None,
                              issuer=info.issuer_cn, serial=info.serial, not_before=_naive(info.not_before),
                              not_after=_naive(info.not_after), sha256=info.sha256, der=cert.dump(),
                              file_name=nfc(path.name))


def _crl_row(item: asn1_crl.CertificateList, path: Path) -> TrustedCertificate:
    tbs = item["tbs_cert_list"]
    issuer = tbs["issuer"].native.get("common_name") or tbs["issuer"].human_friendly
    next_update = tbs["next_update"].native
    return TrustedCertificate(kind="crl", subject=f"Danh sách thu hồi của {nfc(str(issuer))}", organization=None,
                              issuer=nfc(str(issuer)), serial=None, not_before=_naive(tbs["this_update"].native),
                              not_after=_naive(next_update), sha256=hashlib.sha256(item.dump()).hexdigest(),
                              der=item.dump(), file_name=nfc(path.name))


def list_trusted(session: Session, unit: Unit) -> list[TrustedEntry]:
    rows = session.scalars(select(TrustedCertificate).where(TrustedCertificate.unit_id == unit.id)
                           .order_by(TrustedCertificate.kind, TrustedCertificate.subject, TrustedCertificate.id))
    return [_entry(r) for r in rows]


def remove_trusted(session: Session, unit: Unit, key: str, user: str | None = None) -> TrustedEntry:
    """Stop trusting one entry, named by its number in the list or the start of its SHA-256 (≥ 8 characters)."""
    key = str(key).strip().lower()
    rows = list(session.scalars(select(TrustedCertificate).where(TrustedCertificate.unit_id == unit.id)))
    if key.isdigit() and len(key) < 8:
        found = [r for r in rows if r.id == int(key)]
    elif len(key) >= 8:
        found = [r for r in rows if r.sha256.startswith(key)]
    else:
        found = []
    if len(found) != 1:
        raise TrustStoreError(
            f"Không tìm thấy chứng thư “{key}” trong danh sách tin cậy của {unit.name}" if not found else
            f"“{key}” ứng với {len(found)} chứng thư; hãy ghi thêm ký tự của mã SHA-256.")
    row = found[0]
    entry = _entry(row)
    audit.record(session, "delete", "trusted_certificate", row.id, field=row.kind,
                 old=f"{row.subject}; {row.serial or ''}; SHA-256 {row.sha256}", user=user)
    session.delete(row)
    session.flush()
    return entry


def trust_list(session: Session, unit_id: int) -> TrustList:
    """What ``core.signatures.check`` checks against for this receiving unit."""
    rows = list(session.scalars(select(TrustedCertificate).where(TrustedCertificate.unit_id == unit_id)))
    roots = tuple(asn1_x509.Certificate.load(r.der) for r in rows if r.kind == "cert")
    crls = tuple(bytes(r.der) for r in rows if r.kind == "crl")
    return TrustList(roots, crls)


def signatures_required(session: Session, unit: Unit) -> bool:
    return bool(get_setting(session, unit, REQUIRE_SIGNATURE))
