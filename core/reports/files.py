"""Export one return to .xlsx and/or .pdf: the one entry point the GUI and the CLI share.

The snapshot is read in one pass, then each file is written atomically. Progress is
reported through one ``core.jobs.Progress`` over the whole job; raising from the callback
(``core.jobs.Cancelled`` when the user presses "Hủy") stops the export and leaves no
file behind under the final name.

With a ``signer`` (``core.signatures.signing.OpenSigner``: the unit's .p12 or token, opened with its PIN)
the workbook carries a detached CMS signature over its sealed content and the PDF is signed as
PAdES, both under the same certificate and at the same moment, which is also the export time.

A submitted return is exported from its frozen snapshot (``core.returns.snapshots``); one submitted
before snapshots existed is frozen first. A draft whose hand-written narrative sections are
out of date with the figures is exported only once the user confirms them
(``StaleNarrativeError`` names them otherwise).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.errors import Refused
from core.jobs import Progress, report
from core.org.auth import can_write
from core.org.report_header import ReportHeaderInfo
from core.reports.pdf_content import export_return_pdf
from core.reports.pdf_flowables import SignatureSpot
from core.reports.workbook_writer import export_return_xlsx
from core.returns.report_collect import collect_return_export
from core.returns.report_model import ExportError, ReturnExport
from core.returns.snapshots import ensure_frozen, needs_freezing
from core.returns.store import StaleSection, stale_sentence
from core.signatures.certificates import CertificateInfo
from db.models import FormTemplate, Period, Return, Unit

if TYPE_CHECKING:
    from core.reports.seal import PackageFile
    from core.signatures.signing import OpenSigner

__all__ = ["ExportResult", "StaleNarrativeError", "blank_form_path", "check_signer", "default_paths",
           "export_return_files", "write_blank_forms",
           "load_export", "sign_report_pdf", "write_exports"]

_SCALE = 1000


class StaleNarrativeError(Refused):
    """Exporting a report whose hand-written sections are out of date, without a confirmation."""

    def __init__(self, sections: list[StaleSection]) -> None:
        self.sections = sections
        super().__init__(f"Chưa xuất báo cáo: {stale_sentence(sections)}. Hãy xem lại các phần này, hoặc xác nhận "
                         "vẫn dùng nội dung đã viết (dòng lệnh: thêm --confirm-stale).")

    def details(self) -> dict:
        return {"stale": [s.as_dict() for s in self.sections]}


@dataclass(frozen=True)
class ExportResult:
    xlsx: Path | None
    pdf: Path | None
    content_sha256: str
    unit_code: str
    period_code: str
    signer: CertificateInfo | None = None  # who signed, when signed
    exported_at: datetime | None = None
    package: Path | None = None  # the return package (.zip), when one was made
    left_out: tuple[str, ...] = ()  # evidence files a package could not include, and why

    @property
    def files(self) -> list[Path]:
        if self.package is not None:
            return [self.package]
        return [p for p in (self.xlsx, self.pdf) if p is not None]


def default_paths(data: ReturnExport, folder: Path) -> tuple[Path, Path]:
    """``<folder>/BaoCao_CCHC_<mã>_<kỳ>.xlsx`` and ``.pdf``."""
    stem = data.file_stem()
    return Path(folder) / f"{stem}.xlsx", Path(folder) / f"{stem}.pdf"


def blank_form_path(data: ReturnExport, folder: Path) -> Path:
    """``<folder>/BieuMauTrong_CCHC_<mã>_<kỳ>.xlsx``: a blank form's default name."""
    return Path(folder) / f"BieuMauTrong_{data.file_stem().removeprefix('BaoCao_')}.xlsx"


def write_blank_forms(db, unit_codes: list[str], period_code: str, folder: Path,  # noqa: ANN001
                      progress: Progress | None = None) -> list[Path]:
    """A blank form (``export --blank``) for each unit, into ``folder`` under its default name; returns the files.

    All or nothing: the forms are written into a hidden folder inside ``folder`` and moved under their names
    only once every one is written, so a refusal (``ExportError`` for a unit or period that does not exist,
    ``FileWriteError`` for a folder that cannot be written to) or "Hủy" (``progress`` raising ``Cancelled``,
    reported once per unit) leaves nothing in ``folder``."""
    import shutil

    from core.returns.report_collect import blank_export
    from db.errors import FileWriteError

    with db.session() as s:
        forms = [blank_export(s, code, period_code) for code in unit_codes]
    folder = Path(folder)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".bieu_mau_trong.", dir=str(folder)))
    except OSError as exc:
        raise FileWriteError(f"Không ghi được biểu mẫu trống vào thư mục “{folder}”: thư mục không ghi được (không "
                             "có quyền ghi, đầy hoặc không phải là thư mục). Hãy chọn nơi lưu khác rồi thử lại."
                             ) from exc
    try:
        written = []
        for i, data in enumerate(forms):
            report(progress, i, len(forms), data.unit_name)
            written.append(export_return_xlsx(data, blank_form_path(data, staging)).path)
        report(progress, len(forms), len(forms))
        out = []
        for path in written:
            target = folder / path.name
            try:
                os.replace(path, target)
            except PermissionError as exc:
                for done in out:  # the forms moved already go too: all or nothing
                    with suppress(OSError):
                        done.unlink()
                raise FileWriteError(f"Không ghi được tệp “{target.name}”: tệp có thể đang mở trong Excel hoặc "
                                     "chương trình khác. Hãy đóng tệp rồi thử lại.") from exc
            out.append(target)
        return out
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_stale(data: ReturnExport, confirm_stale: bool) -> None:
    """Refuse (``StaleNarrativeError``) a report with hand-written sections out of date with its
    figures, unless the user confirmed them."""
    stale = data.stale_sections()
    if stale and not confirm_stale:
        raise StaleNarrativeError([StaleSection(s.key, s.title) for s in stale])


def check_signer(data: ReturnExport, pdf: bool = True) -> None:
    """The report (PDF) of a submitted return is signed by a named person: refuse (``ExportError``) one whose
    header names no signer (settings: report.signer_name). The workbook alone prints no signature block."""
    if pdf and data.status == "submitted" and not (data.header.signer_name or "").strip():
        raise ExportError(f"Chưa xuất báo cáo đã hoàn thành của {data.unit_name}: chưa có họ tên người ký. "
                          "Hãy ghi họ tên người ký trong Cài đặt (thông tin văn bản), rồi xuất lại.")


def write_exports(
    data: ReturnExport,
    *,
    xlsx: Path | None = None,
    pdf: Path | None = None,
    progress: Progress | None = None,
    start: int = 0,
    signer: OpenSigner | None = None,
    package: list[PackageFile] | None = None,
    exported_at: datetime | None = None,
    confirm_stale: bool = False,
) -> ExportResult:
    """Write the requested files from a snapshot; progress runs from ``start`` to 1000.

    ``signer`` signs both files (see the module's doc); ``package`` names the files that travel
    beside the workbook (``core.reports.package``), covered by its seal and signature.
    Raises ``StaleNarrativeError`` (nothing written) when the report has hand-written sections
    out of date with its figures and ``confirm_stale`` is not given.
    """
    if xlsx is None and pdf is None:
        raise Refused("Chưa chọn tệp cần xuất (Excel hoặc PDF).")
    check_stale(data, confirm_stale)
    check_signer(data, pdf is not None)
    exported_at = exported_at or datetime.now().astimezone()
    if signer is not None:
        signer.check_usable(exported_at)
    span = _SCALE - start
    xlsx_share = span if pdf is None else (0 if xlsx is None else span * 3 // 10)

    def scaled(offset: int, width: int) -> Progress:
        def report(done: int, total: int) -> None:
            if progress is not None:
                progress(offset + (width * done // total if total else width), _SCALE)
        return report

    if xlsx is not None:
        sign = (lambda sealed: signer.sign_detached(sealed, exported_at)) if signer is not None else None
        digest = export_return_xlsx(data, Path(xlsx), scaled(start, xlsx_share), exported_at=exported_at,
                                    package=package, sign=sign).content_sha256
    else:
        digest = data.content_sha256()
    if pdf is not None:
        pdf_progress = scaled(start + xlsx_share, span - xlsx_share)
        if signer is None:
            export_return_pdf(data, Path(pdf), pdf_progress)
        else:
            sign_report_pdf(data, Path(pdf), signer, exported_at, pdf_progress)
    if progress is not None:
        progress(_SCALE, _SCALE)
    return ExportResult(Path(xlsx) if xlsx else None, Path(pdf) if pdf else None, digest, data.unit_code,
                        data.period.code, signer.certificate if signer is not None else None, exported_at)


def sign_report_pdf(data: ReturnExport, path: Path, signer: OpenSigner, when: datetime,
                    progress: Progress | None = None) -> Path:
    """The report PDF with the signer's stamp in its signature space, signed (PAdES) over that stamp.

    Rendered to a temporary file first: a failed signature (wrong PIN, token pulled out) leaves no
    unsigned file under the final name.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".unsigned.pdf", dir=str(path.parent))
    os.close(fd)
    try:
        spot = SignatureSpot()
        export_return_pdf(data, Path(tmp_name), progress, stamp=signer.stamp_lines(when), spot=spot)
        signer.sign_pdf(Path(tmp_name), path, spot, reason=f"Ký báo cáo CCHC {data.period.label}",
                        location=data.header.place or "")
    finally:
        with suppress(OSError):
            os.unlink(tmp_name)
    return path


def export_return_files(
    db,  # noqa: ANN001 - db.engine.Database
    unit: str | int,
    period_code: str,
    *,
    xlsx: Path | None = None,
    pdf: Path | None = None,
    header: ReportHeaderInfo | None = None,
    progress: Progress | None = None,
    signer: OpenSigner | None = None,
    confirm_stale: bool = False,
) -> ExportResult:
    """Collect the return of ``unit`` (code or id) for ``period_code`` and write the files.

    Safe to call from a worker thread: it opens its own session.
    """
    if progress is not None:
        progress(0, _SCALE)
    data = load_export(db, unit, period_code, header=header)
    if progress is not None:
        progress(50, _SCALE)
    return write_exports(data, xlsx=xlsx, pdf=pdf, progress=progress, start=50, signer=signer,
                         confirm_stale=confirm_stale)


def load_export(db, unit: str | int, period_code: str, *, header: ReportHeaderInfo | None = None,  # noqa: ANN001
                reopen_for_writing: Callable[[], object] | None = None) -> ReturnExport:
    """What the export of a return shows. A submitted return not yet frozen (submitted before
    snapshots existed) is frozen first, in a transaction of ``db`` — or of the database
    ``reopen_for_writing()`` opens, for a caller that opened ``db`` read-only."""
    with db.session() as session:
        data = collect_return_export(session, unit, period_code, header=header)
        ret = _return_of(session, data)
        if ret is None or not needs_freezing(session, ret) or not can_write(session):
            return data
    writer = reopen_for_writing() if reopen_for_writing is not None else db
    try:
        with writer.transaction() as session:
            ret = _return_of(session, data)
            ensure_frozen(session, ret)
            return collect_return_export(session, unit, period_code, header=header)
    finally:
        if writer is not db:
            writer.close()


def _return_of(session, data: ReturnExport) -> Return | None:  # noqa: ANN001
    return session.scalar(
        select(Return).join(Unit, Unit.id == Return.unit_id).join(Period, Period.id == Return.period_id)
        .join(FormTemplate, FormTemplate.id == Return.template_id)
        .where(Unit.code == data.unit_code, Period.code == data.period.code,
               FormTemplate.code == data.template_code, FormTemplate.version == data.template_version))
