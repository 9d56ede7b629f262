"""``main.py --selftest``: prove that an installed copy has everything it needs.

Opens no window. Each check prints one Vietnamese line ending in OK or LỖI; the
same lines go to ``selftest.log`` in the per-user log folder, because a
console-less Windows program has no stdout to read. Exit code 0 only if every
check passed, else 1.

Everything happens in a temporary folder whose name has Vietnamese diacritics,
so the database, backup, Excel and PDF paths prove that such names work too.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from core import appdata
from core.vnformat import nfc

__all__ = ["run_selftest", "SELFTEST_LOG"]

SELFTEST_LOG = "selftest.log"

# Vietnamese text with every kind of mark (breve, circumflex, horn, đ, all five tones).
VI_SAMPLE = "Cải cách hành chính: Đắk Lắk, Thừa Thiên Huế, Bà Rịa - Vũng Tàu; ưu tiên số hóa hồ sơ"
FOLDER_NAME = "Tự kiểm tra Đà Nẵng"


class _CheckFailed(Exception):
    """A check whose result was wrong (as opposed to one that raised)."""


def _safe_print(line: str, stream: TextIO | None) -> None:
    """Print if there is somewhere to print to; a console-less exe has ``sys.stdout is None``."""
    if stream is None:
        return
    try:
        stream.write(line + "\n")
        stream.flush()
    except UnicodeEncodeError:
        stream.write(line.encode("ascii", "backslashreplace").decode("ascii") + "\n")
    except (OSError, ValueError, AttributeError):
        pass


def _utf8(stream: TextIO | None) -> None:
    try:
        stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        pass


def _fold(text: str) -> str:
    return " ".join(nfc(text).replace("\u00a0", " ").split())


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise _CheckFailed(message)


# --------------------------------------------------------------------------- checks
# Each check gets the shared state dict and returns a short detail for the OK line.


def _check_create_db(st: dict[str, Any]) -> str:
    from db.engine import open_database

    path: Path = st["folder"] / "Cơ sở dữ liệu thử.db"
    st["db"] = open_database(path)
    _require(path.is_file() and path.stat().st_size > 0, f"không thấy tệp {path}")
    return path.name


def _check_migrations(st: dict[str, Any]) -> str:
    from sqlalchemy import inspect

    from db import migrate

    db = st["db"]
    head = migrate.head_revision()
    current = migrate.current_revision(db.engine)
    _require(current == head, f"phiên bản lược đồ {current!r}, cần {head!r}")
    tables = set(inspect(db.engine).get_table_names())
    for table in ("form_template", "indicator", "app_setting"):
        _require(table in tables, f"thiếu bảng {table}")
    return f"phiên bản {head}, {len(migrate.known_revisions())} bước, {len(tables)} bảng"


def _check_standard_form(st: dict[str, Any]) -> str:
    from core.forms import current_template, ensure_standard_content
    from core.returns.store import form_rows

    with st["db"].transaction() as s:
        ensure_standard_content(s)
        tpl = current_template(s)
        rows = form_rows(s, tpl.id, None)
        _require(len(rows) > 0, "biểu mẫu không có chỉ tiêu nào")
        names = [nfc(ind.name) for ind in tpl.indicators if ind.name]
        st["indicator_names"] = names[:5]
        return f"{tpl.code} phiên bản {tpl.version}, {len(rows)} dòng"


def _check_backup(st: dict[str, Any]) -> str:
    import sqlite3

    target = st["folder"] / "Sao lưu tháng Mười" / "bản sao lưu.db"
    made = st["db"].backup("manual", target=target)
    _require(made is not None and Path(made).is_file(), f"không tạo được {target}")
    con = sqlite3.connect(str(made))
    try:
        n = con.execute("SELECT count(*) FROM form_template").fetchone()[0]
    finally:
        con.close()
    _require(n > 0, "bản sao lưu không có biểu mẫu")
    return f"{target.parent.name}/{target.name}"


def _check_write_xlsx(st: dict[str, Any]) -> str:
    from openpyxl import Workbook

    texts = [VI_SAMPLE, *st.get("indicator_names", [])]
    wb = Workbook()
    ws = wb.active
    ws.title = "Tự kiểm tra"
    for i, text in enumerate(texts, start=1):
        ws.cell(row=i, column=1, value=text)
        ws.cell(row=i, column=2, value=i * 1.5)
    path = st["folder"] / "Báo cáo thử nghiệm.xlsx"
    wb.save(path)
    st["xlsx"], st["xlsx_texts"] = path, texts
    return path.name


def _check_read_xlsx(st: dict[str, Any]) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(st["xlsx"], read_only=True)
    try:
        ws = wb["Tự kiểm tra"]
        got = [nfc(row[0]) for row in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
    finally:
        wb.close()
    want = [nfc(t) for t in st["xlsx_texts"]]
    _require(got == want, f"đọc lại khác: {got[:2]!r}")
    return f"{len(got)} ô tiếng Việt khớp"


def _pdf_document():
    from core.reports.pdf_layout import ReportDocument, ReportSection, Signature

    return ReportDocument(
        superior_body="Ủy ban nhân dân tỉnh Gia Lai",
        issuing_body="Sở Nội vụ",
        document_number="01/BC-SNV",
        place="Gia Lai",
        issue_date=date(2022, 1, 5),
        year_hint=2022,
        doc_type="Báo cáo",
        summary="Kết quả tự kiểm tra chương trình",
        recipients=["Ủy ban nhân dân tỉnh"],
        sections=[ReportSection(heading="I. KẾT QUẢ", paragraphs=[VI_SAMPLE + "."])],
        signature=Signature("KT. GIÁM ĐỐC", "", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Hường"),
        distribution=["Như trên", "Lưu: VT"],
    )


def _check_write_pdf(st: dict[str, Any]) -> str:
    from core.reports.fonts import register_pdf_fonts
    from core.reports.pdf_layout import render_report_pdf

    path = st["folder"] / "Báo cáo thử nghiệm.pdf"
    render_report_pdf(_pdf_document(), path)
    _require(path.is_file() and path.stat().st_size > 1000, "tệp PDF rỗng")
    st["pdf"] = path
    return f"{path.name}, phông {register_pdf_fonts()}"


def _check_read_pdf(st: dict[str, Any]) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(st["pdf"]))
    text = _fold(" ".join(page.extract_text() or "" for page in reader.pages))
    want = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/BC-SNV",
        "Gia Lai, ngày 05 tháng 01 năm 2022",
        "Kết quả tự kiểm tra chương trình",
        VI_SAMPLE,
        "Nguyễn Thị Hường",
    ]
    missing = [w for w in want if _fold(w) not in text]
    _require(not missing, "không đọc lại được: " + "; ".join(missing))
    return f"{len(reader.pages)} trang, {len(want)} câu tiếng Việt khớp"


def _check_signing(st: dict[str, Any]) -> str:
    """Sign the return's sealed bytes and the PDF with a throwaway key, and check both offline: proves the
    signing parts (pyHanko, pyhanko-certvalidator, asn1crypto, cryptography) are in the bundle."""
    from datetime import UTC, timedelta

    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.sign.signers import SimpleSigner

    from core.signatures.check import TrustList, check_detached, check_pdf
    from core.signatures.signing import OpenSigner, SigningSource

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tự kiểm tra ký số")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    der_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    der_key = keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    trust = TrustList((der_cert,))
    signed_pdf = st["folder"] / "Báo cáo đã ký thử.pdf"
    with OpenSigner(SimpleSigner(signing_key=der_key, signing_cert=der_cert, cert_registry=None),
                    SigningSource(p12=Path("tu-kiem-tra.p12"))) as signer:
        data = VI_SAMPLE.encode("utf-8")
        cms = signer.sign_detached(data)
        signer.sign_pdf(st["pdf"], signed_pdf)
    _require(check_detached(data, cms, trust).ok, "chữ ký CMS không kiểm tra được")
    _require(not check_detached(data + b".", cms, trust).ok, "chữ ký CMS không phát hiện nội dung bị sửa")
    pdf_check = check_pdf(signed_pdf, trust)
    _require(pdf_check.ok, f"chữ ký PDF: {pdf_check.reason}")
    return f"CMS và PAdES, {len(cms)} byte"


CHECKS: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("Tạo cơ sở dữ liệu trong thư mục tạm", _check_create_db),
    ("Chạy nâng cấp lược đồ (migrations)", _check_migrations),
    ("Nạp biểu mẫu thống kê chuẩn", _check_standard_form),
    ("Sao lưu vào thư mục có dấu tiếng Việt", _check_backup),
    ("Xuất tệp Excel (.xlsx) có tiếng Việt", _check_write_xlsx),
    ("Đọc lại tệp Excel", _check_read_xlsx),
    ("Xuất tệp PDF theo Nghị định 30 có tiếng Việt", _check_write_pdf),
    ("Đọc lại tệp PDF", _check_read_pdf),
    ("Ký số và kiểm tra chữ ký (không cần mạng)", _check_signing),
]


# --------------------------------------------------------------------------- runner


def _write_log(lines: list[str], detail: list[str]) -> Path | None:
    try:
        folder = appdata.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / SELFTEST_LOG
        path.write_text("\n".join(lines + detail) + "\n", encoding="utf-8")
        return path
    except OSError:
        return None


def run_selftest(stream: TextIO | None = None) -> int:
    """Run every check; print and log one line each. Returns 0 if all passed, else 1."""
    out = sys.stdout if stream is None else stream
    _utf8(out)
    lines: list[str] = []
    detail: list[str] = []

    def emit(line: str) -> None:
        lines.append(line)
        _safe_print(line, out)

    emit(f"{appdata.APP_TITLE} {appdata.APP_VERSION}: tự kiểm tra lúc {datetime.now():%H:%M:%S %d/%m/%Y}")
    frozen = "bản đóng gói" if getattr(sys, "frozen", False) else "mã nguồn"
    emit(f"Chạy từ {frozen}: {sys.executable}")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="cchc-selftest-", ignore_cleanup_errors=True) as tmp:
        state: dict[str, Any] = {"folder": Path(tmp) / FOLDER_NAME}
        state["folder"].mkdir()
        try:
            for n, (title, check) in enumerate(CHECKS, start=1):
                try:
                    info = check(state)
                    emit(f"[{n}/{len(CHECKS)}] {title}: OK ({info})")
                except _CheckFailed as exc:
                    failures += 1
                    emit(f"[{n}/{len(CHECKS)}] {title}: LỖI — {exc}")
                except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the run
                    failures += 1
                    why = "bước trước bị lỗi" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"
                    emit(f"[{n}/{len(CHECKS)}] {title}: LỖI — {why}")
                    detail.append(f"--- {title}\n{traceback.format_exc()}")
        finally:
            db = state.get("db")
            if db is not None:
                db.close()
    if failures:
        emit(f"Kết quả: LỖI — {failures}/{len(CHECKS)} mục không đạt.")
    else:
        emit(f"Kết quả: OK — đạt cả {len(CHECKS)} mục.")
    log = _write_log(lines, detail)
    _safe_print(f"Nhật ký: {log}" if log else "Không ghi được tệp nhật ký.", out)
    return 1 if failures else 0
