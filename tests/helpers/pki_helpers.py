"""A throwaway public-key infrastructure for the signature tests, made with ``cryptography``.

``make_pki(folder)`` gives a root CA (saved as a .cer, as a province would receive it), a signer
certificate under it for a commune's clerk and the signer's .p12 with a PIN; ``issue`` makes more:
an expired certificate, one from another (untrusted) CA, one whose key does not match. Nothing is
fetched and nothing is kept: every test makes its own in ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PIN = "123456"


def _name(cn: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _key(kind: str = "rsa"):  # noqa: ANN202
    return ec.generate_private_key(ec.SECP256R1()) if kind == "ec" else rsa.generate_private_key(65537, 2048)


@dataclass
class Authority:
    """A certification authority: its certificate and key."""

    cert: x509.Certificate
    key: object

    def cer(self, path: Path, pem: bool = False) -> Path:
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM if pem else serialization.Encoding.DER))
        return path


@dataclass
class Holder:
    """A person's certificate with its key, saved as a .p12 protected by ``PIN``."""

    cert: x509.Certificate
    key: object
    p12: Path


def make_ca(cn: str = "CA Thử nghiệm Cục Chứng thực số", *, days: int = 3650) -> Authority:
    key = _key()
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(cn, "Ban Cơ yếu Thử nghiệm"))
            .issuer_name(_name(cn, "Ban Cơ yếu Thử nghiệm")).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Authority(cert, key)


def issue(ca: Authority, folder: Path, *, cn: str = "Nguyễn Thị Lan", org: str = "UBND xã Minh Họa",
          name: str = "nguoi_ky", not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
          key=None, kind: str = "rsa", pin: str = PIN) -> Holder:  # noqa: ANN001
    """A signing certificate from ``ca``, saved with its key (and the CA) as ``<name>.p12``."""
    key = key or _key(kind)
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(cn, org)).issuer_name(ca.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - dt.timedelta(days=1))
            .not_valid_after(not_after or now + dt.timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    p12 = folder / f"{name}.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, [ca.cert], serialization.BestAvailableEncryption(pin.encode())))
    return Holder(cert, key, p12)


def wrong_key_signer(holder: Holder):  # noqa: ANN201 - core.signatures.signing.OpenSigner
    """A forger's signer: the holder's (public) certificate with the forger's own key. No .p12 can hold
    that pair (``cryptography`` refuses it), so it is built with pyHanko directly."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.signers import SimpleSigner

    from core.signatures.signing import OpenSigner, SigningSource

    other = _key()
    der_key = other.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    cert = asn1_x509.Certificate.load(holder.cert.public_bytes(serialization.Encoding.DER))
    signer = SimpleSigner(signing_key=keys.PrivateKeyInfo.load(der_key), signing_cert=cert, cert_registry=None)
    return OpenSigner(signer, SigningSource(p12=holder.p12))


@dataclass
class Pki:
    ca: Authority
    ca_cer: Path
    signer: Holder
    folder: Path


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    ca = make_ca()
    return Pki(ca, ca.cer(folder / "ca_goc.cer"), issue(ca, folder), folder)


def expired(pki: Pki) -> Holder:
    """A certificate of the same CA that expired yesterday."""
    now = dt.datetime.now(dt.UTC)
    return issue(pki.ca, pki.folder, name="het_han", not_before=now - dt.timedelta(days=400),
                 not_after=now - dt.timedelta(days=1))


def untrusted(pki: Pki) -> Holder:
    """A certificate with the same name from a CA nobody imported (anyone can make one)."""
    return issue(make_ca("CA Tự lập"), pki.folder, name="ca_la")


# --------------------------------------------------------------------------- a USB token, played by SoftHSM2

SOFTHSM_LIBS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/local/lib/softhsm/libsofthsm2.so", "/usr/lib64/pkcs11/libsofthsm2.so")
TOKEN_LABEL = "CCHC Token"
SO_PIN = "12345678"


def softhsm_library() -> str | None:
    import shutil

    if not (shutil.which("softhsm2-util") and shutil.which("pkcs11-tool")):
        return None
    return next((p for p in SOFTHSM_LIBS if Path(p).is_file()), None)


@dataclass
class Token:
    lib: str
    label: str
    conf: Path  # SOFTHSM2_CONF for whoever opens it


def make_token(folder: Path, holder: Holder, lib: str) -> Token:
    """A SoftHSM2 token in ``folder`` holding ``holder``'s key and certificate (id 01, label "nguoi_ky"),
    as a certification authority hands out a USB token. PIN ``PIN``."""
    import os
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tokens").mkdir(exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n",
                    encoding="utf-8")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}

    def run(*args: str) -> None:
        subprocess.run(list(args), env=env, check=True, capture_output=True, text=True)

    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN, "--so-pin", SO_PIN)
    key_pem = folder / "khoa.pem"
    key_pem.write_bytes(holder.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    cert_der = folder / "chung_thu.der"
    cert_der.write_bytes(holder.cert.public_bytes(serialization.Encoding.DER))
    run("softhsm2-util", "--import", str(key_pem), "--token", TOKEN_LABEL, "--label", "nguoi_ky", "--id", "01",
        "--pin", PIN)
    run("pkcs11-tool", "--module", lib, "--token-label", TOKEN_LABEL, "--login", "--pin", PIN, "--write-object",
        str(cert_der), "--type", "cert", "--id", "01", "--label", "nguoi_ky")
    key_pem.unlink()  # the key lives on the token only
    return Token(lib, TOKEN_LABEL, conf)


def revocation_list(ca: Authority, revoked: list[Holder], path: Path) -> Path:
    """The CA's revocation list (.crl, DER) naming ``revoked``, as an authority publishes it."""
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject)
               .last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=7)))
    for h in revoked:
        builder = builder.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(
            h.cert.serial_number).revocation_date(now - dt.timedelta(minutes=30)).build())
    path.write_bytes(builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    return path
