"""Signing what leaves the PC with the unit's digital certificate (ký số), with pyHanko.

Vietnamese agencies sign with a certificate on a USB token (PKCS#11: the token maker's library,
e.g. ``C:\\Windows\\System32\\vnpt-ca_csp11.dll``) or in a .p12/.pfx file protected by a PIN.
``open_signer`` opens either; the ``OpenSigner`` then makes

- a detached CMS signature over bytes (``sign_detached``: the return workbook's sealed content,
  ``core.reports.seal``), and
- a PAdES signature of a PDF (``sign_pdf``), in a signature field placed over the box the report
  drew in its signature block (``core.reports.pdf_layout.SignatureSpot``).

The PIN is used to open the key and is not kept: not in this object after opening, not in any
setting, never on a command line (the CLI reads it from ``CCHC_SIGN_PIN`` or a prompt; the window
from a password field). Every failure is a ``SigningError`` with a Vietnamese message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import Refused
from core.signatures.certificates import CertificateInfo, now_utc
from core.vnformat import format_date
from db.files import replaced_atomically

if TYPE_CHECKING:  # pyHanko is loaded only when someone signs: start-up stays fast
    from pyhanko.sign.signers import Signer

# pyHanko reports problems through logging with tracebacks; the user gets our Vietnamese sentence.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

MAX_P12_BYTES = 1024 * 1024
PDF_FIELD_NAME = "ChuKySo"


class SigningError(Refused):
    """Signing is not possible (wrong PIN, no token, expired certificate …); Vietnamese message."""


@dataclass(frozen=True)
class SigningSource:
    """Where the signing key is: a .p12/.pfx file, or a token behind a PKCS#11 library."""

    p12: Path | None = None
    pkcs11_lib: str | None = None
    token_label: str | None = None
    key_label: str | None = None

    @property
    def kind(self) -> str:
        return "p12" if self.p12 is not None else "pkcs11"

    def describe(self) -> str:
        if self.p12 is not None:
            return f"tệp chứng thư số “{Path(self.p12).name}”"
        label = f" “{self.token_label}”" if self.token_label else ""
        return f"thiết bị ký số (token){label}"


class OpenSigner:
    """An opened signing key with its certificate; close it (or use ``with``) when done."""

    def __init__(self, signer: Signer, source: SigningSource, session: object | None = None) -> None:
        self._signer = signer
        self._session = session  # the PKCS#11 session, closed with this object
        self.source = source
        cert = signer.signing_cert
        if cert is None:
            raise SigningError(f"Không tìm thấy chứng thư số trong {source.describe()}.")
        self.certificate = CertificateInfo.of(cert)

    def __enter__(self) -> OpenSigner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._session is not None:
            try:
                self._session.close()
            except Exception:  # noqa: BLE001 - the token may already be gone; nothing to do about it
                logging.getLogger(__name__).debug("closing the PKCS#11 session failed", exc_info=True)
            self._session = None

    def check_usable(self, moment: datetime | None = None) -> None:
        """Refuse a certificate that is not valid now: the receiving unit would refuse the signature."""
        moment = moment or now_utc()
        c = self.certificate
        if moment < c.not_before:
            raise SigningError(f"Chứng thư số của {c.who} chỉ có hiệu lực từ ngày {format_date(c.not_before.date())}; "
                               "chưa ký được.")
        if moment > c.not_after:
            raise SigningError(f"Chứng thư số của {c.who} đã hết hạn ngày {format_date(c.not_after.date())}; "
                               "hãy gia hạn hoặc dùng chứng thư số khác.")

    def sign_detached(self, data: bytes, signing_time: datetime | None = None) -> bytes:
        """The DER of a detached CMS (PKCS#7) signature over ``data``, with the signing time."""
        import asyncio

        from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

        attrs = PdfCMSSignedAttributes(signing_time=(signing_time or now_utc()).astimezone(UTC))
        try:
            info = asyncio.run(self._signer.async_sign_general_data(
                data, "sha256", detached=True, signed_attr_settings=attrs))
        except Exception as exc:  # pyHanko and the token raise many kinds
            raise SigningError(_token_message(exc, self.source)) from None
        return info.dump()

    def sign_pdf(self, src: Path, dst: Path, spot: object | None = None, *, reason: str = "",
                 location: str = "") -> Path:
        """A PAdES-signed copy of ``src`` at ``dst`` (written atomically).

        ``spot`` (``core.reports.pdf_layout.SignatureSpot``) places a visible signature field over the box
        the report drew beside the signer's name; without it the signature is invisible.
        """
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import NoOpStampStyle

        src, dst = Path(src), Path(dst)
        meta = signers.PdfSignatureMetadata(field_name=PDF_FIELD_NAME, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES, reason=reason or None,
                                            location=location or None)
        spec = None
        page, box = getattr(spot, "page", None), getattr(spot, "box", None)
        if page is not None and box is not None:
            spec = fields.SigFieldSpec(PDF_FIELD_NAME, on_page=page, box=tuple(int(round(v)) for v in box))
        else:
            spec = fields.SigFieldSpec(PDF_FIELD_NAME)
        try:
            with replaced_atomically(dst) as tmp, open(src, "rb") as fin, open(tmp, "wb") as fout:
                writer = IncrementalPdfFileWriter(fin, strict=False)
                # The report drew the visible text itself (in its own Vietnamese font): the field adds no stamp.
                pdf_signer = signers.PdfSigner(meta, signer=self._signer, new_field_spec=spec,
                                               stamp_style=NoOpStampStyle())
                pdf_signer.sign_pdf(writer, output=fout)
        except Exception as exc:
            if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
                raise SigningError(f"Không ghi được tệp “{dst.name}” ({exc.strerror or exc}).") from None
            raise SigningError(_token_message(exc, self.source)) from None
        return dst

    def stamp_lines(self, when: datetime) -> list[str]:
        """The text of the visible signature: who signed, for which organisation, when."""
        local = when.astimezone()
        lines = [f"Ký số bởi: {self.certificate.subject_cn}"]
        if self.certificate.organization:
            lines.append(f"Cơ quan: {self.certificate.organization}")
        lines.append(f"Thời gian ký: {format_date(local.date())} {local:%H:%M}")
        return lines


def open_signer(source: SigningSource, pin: str) -> OpenSigner:
    """Open the key of ``source`` with ``pin``; ``SigningError`` (Vietnamese) if that fails."""
    if source.p12 is not None:
        return _open_p12(Path(source.p12), pin, source)
    if not source.pkcs11_lib:
        raise SigningError("Chưa chọn tệp chứng thư số (.p12/.pfx) hoặc thiết bị ký số.")
    return _open_pkcs11(source, pin)


def _open_p12(path: Path, pin: str, source: SigningSource) -> OpenSigner:
    from pyhanko.sign.signers import SimpleSigner

    if not path.is_file():
        raise SigningError(f"Không tìm thấy tệp chứng thư số “{path}”.")
    if path.stat().st_size > MAX_P12_BYTES:
        raise SigningError(f"Tệp “{path.name}” quá lớn để là tệp chứng thư số .p12/.pfx.")
    try:
        signer = SimpleSigner.load_pkcs12_data(path.read_bytes(), [], passphrase=pin.encode("utf-8") if pin else None)
    except (ValueError, TypeError):
        raise SigningError(f"Không mở được tệp chứng thư số “{path.name}”: mật khẩu (PIN) không đúng hoặc tệp "
                           "không phải .p12/.pfx.") from None
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp “{path.name}” ({exc.strerror or exc}).") from None
    return OpenSigner(signer, source)


def _open_pkcs11(source: SigningSource, pin: str) -> OpenSigner:
    try:
        import pkcs11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError:
        raise SigningError("Máy này thiếu thành phần ký số bằng thiết bị (python-pkcs11).") from None
    lib = str(source.pkcs11_lib)
    if not Path(lib).is_file():
        raise SigningError(f"Không tìm thấy thư viện PKCS#11 “{lib}” của thiết bị ký số; hãy cài phần mềm của "
                           "thiết bị (token) hoặc chọn đúng tệp .dll/.so.")
    try:
        session = open_pkcs11_session(lib, token_criteria=TokenCriteria(label=source.token_label or None),
                                      user_pin=pin)
    except pkcs11.PinIncorrect:
        raise SigningError("Mã PIN của thiết bị ký số không đúng.") from None
    except pkcs11.PinLocked:
        raise SigningError("Thiết bị ký số đã bị khóa do nhập sai PIN nhiều lần.") from None
    except Exception as exc:  # the library, the slot, the token: all raise their own kinds
        raise SigningError(_token_message(exc, source)) from None
    try:
        key_id = None
        if not source.key_label:
            keys = list(session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY}))
            if not keys:
                raise SigningError("Thiết bị ký số không có khóa bí mật nào để ký.")
            key_id = keys[0][pkcs11.Attribute.ID]
        signer = PKCS11Signer(session, key_label=source.key_label or None, cert_label=source.key_label or None,
                              key_id=key_id, cert_id=key_id)
        signer.signing_cert  # load the certificate now: a missing one is reported here  # noqa: B018
        return OpenSigner(signer, source, session)
    except SigningError:
        session.close()
        raise
    except Exception as exc:
        session.close()
        raise SigningError(_token_message(exc, source)) from None


def _token_message(exc: BaseException, source: SigningSource) -> str:
    text = str(exc)
    if "No token" in text or "does not satisfy" in text:
        label = f" có nhãn “{source.token_label}”" if source.token_label else ""
        return f"Không tìm thấy thiết bị ký số{label}; hãy cắm thiết bị (token) rồi thử lại."
    if "Could not find" in text or "not found" in text.lower():
        return f"Không tìm thấy khóa hoặc chứng thư số cần dùng trong {source.describe()}."
    if isinstance(exc, OSError):
        return f"Không nạp được thư viện của thiết bị ký số ({exc.strerror or 'lỗi hệ thống'})."
    return f"Không ký được bằng {source.describe()}; hãy kiểm tra thiết bị và mã PIN rồi thử lại."
