"""The return package (gói báo cáo): one .zip a unit sends upward with its return, its report and the
evidence files of its tasks, all covered by the one seal and signature.

Inside ``BaoCao_CCHC_<mã>_<kỳ>.zip``::

    BaoCao_CCHC_<mã>_<kỳ>.xlsx         the return workbook (machine-readable data, seal, signature)
    BaoCao_CCHC_<mã>_<kỳ>.pdf          the Decree-30 report (PAdES-signed when the unit signs)
    TaiLieuKiemChung/II.3 - <tệp>.pdf  each evidence file of the return's tasks, once

The workbook's seal (``core.reports.seal``) lists every other member with its SHA-256 and size, and the
signature covers that list: a file swapped, added or removed in the zip is detected on import. Each
evidence file is also named, by its SHA-256, in the task list of the return's content, which is how
the receiving unit knows whose task it proves.

``export_return_package`` writes a package; the receiving unit opens one with
``core.intake.packages.open_package``.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.attachments import read_stored
from core.filenames import safe_filename
from core.jobs import Progress
from core.reports.files import ExportResult, load_export, write_exports
from core.reports.seal import PackageFile
from core.vnformat import nfc
from db.files import replaced_atomically, sha256_of_file
from db.models import Evidence, EvidenceContent

if TYPE_CHECKING:
    from core.org.report_header import ReportHeaderInfo
    from core.signatures.signing import OpenSigner


EVIDENCE_FOLDER = "TaiLieuKiemChung"
_SCALE = 1000


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class EvidenceRef:
    """An evidence file as the return's content names it (and so as the seal covers it)."""

    sha256: str
    file_name: str
    task_area: str
    task_number: str
    task_title: str
    document_number: str | None
    document_date: date | None
    summary: str | None


def evidence_refs(content: dict) -> dict[str, EvidenceRef]:
    """SHA-256 → the first task (in the return's order) whose evidence is that file."""
    out: dict[str, EvidenceRef] = {}
    for t in content.get("tasks") or []:
        if not isinstance(t, dict):
            continue
        for e in t.get("evidence") or []:
            if not isinstance(e, dict):
                continue
            sha = str(e.get("sha256") or "")
            if len(sha) != 64 or sha in out:
                continue
            try:
                day = date.fromisoformat(e["document_date"]) if e.get("document_date") else None
            except (TypeError, ValueError):
                day = None
            out[sha] = EvidenceRef(sha, nfc(str(e.get("file_name") or "tep")), nfc(str(t.get("area") or "")),
                                   nfc(str(t.get("number") or "")), nfc(str(t.get("title") or "")),
                                   e.get("document_number"), day, e.get("summary"))
    return out


def _member_name(ref: EvidenceRef, taken: set[str]) -> str:
    where = ".".join(p for p in (ref.task_area, ref.task_number) if p)
    base = safe_filename(f"{where} - {ref.file_name}" if where else ref.file_name)
    name, n = base, 2
    while name.lower() in taken:
        stem, dot, ext = base.rpartition(".")
        name = f"{stem} ({n}).{ext}" if dot else f"{base} ({n})"
        n += 1
    taken.add(name.lower())
    return f"{EVIDENCE_FOLDER}/{name}"


def _evidence_bytes(session, db_path: Path | None, sha: str) -> bytes | None:  # noqa: ANN001
    """The bytes of the attachment with this SHA-256, from any evidence row that has it (checked)."""
    paths = list(session.scalars(select(Evidence.stored_path).where(Evidence.sha256 == sha,
                                                                   Evidence.stored_path.is_not(None))))
    content = session.scalar(select(EvidenceContent.id).where(EvidenceContent.sha256 == sha).limit(1))
    if content is not None:
        paths.append(f"db:{content}")
    for stored in paths:
        data = read_stored(session, stored, db_path)
        if data is not None and hashlib.sha256(data).hexdigest() == sha:
            return data
    return None


@dataclass
class PackageExport:
    """What ``export_return_package`` made: the files, and the evidence it could not include."""

    result: ExportResult
    members: list[PackageFile] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # "II.3 - QĐ 766.pdf: không tìm thấy tệp"


def export_return_package(
    db,  # noqa: ANN001 - db.engine.Database
    unit: str | int,
    period_code: str,
    path: Path,
    *,
    signer: OpenSigner | None = None,
    header: ReportHeaderInfo | None = None,
    progress: Progress | None = None,
    exported_at: datetime | None = None,
    confirm_stale: bool = False,
) -> PackageExport:
    """Write the return package of ``unit`` for ``period_code`` to ``path`` (atomically).

    Safe to call from a worker thread: it opens its own session. An evidence file that is missing or
    whose bytes no longer match the SHA-256 recorded when it was attached is left out and named in
    ``left_out`` (the return still lists it; the receiving unit sees it was not sent).
    A submitted return travels as frozen (``core.reports.files.load_export``); a draft with hand-written
    narrative out of date with its figures needs ``confirm_stale`` (``StaleNarrativeError``).
    """
    path = Path(path)
    if progress is not None:
        progress(0, _SCALE)
    work = Path(tempfile.mkdtemp(prefix=".goi_", dir=str(path.parent)))
    try:
        members: list[PackageFile] = []
        left_out: list[str] = []
        data = load_export(db, unit, period_code, header=header)
        with db.session() as session:
            refs = evidence_refs(data.content())
            taken: set[str] = set()
            for sha, ref in refs.items():
                name = _member_name(ref, taken)
                blob = _evidence_bytes(session, db.path, sha)
                if blob is None:
                    left_out.append(f"{PurePosixPath(name).name}: không tìm thấy tệp hoặc tệp đã bị thay đổi "
                                    "sau khi đính kèm")
                    continue
                target = work / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob)
                members.append(PackageFile(name, sha, len(blob)))
        if progress is not None:
            progress(100, _SCALE)
        stem = data.file_stem()
        xlsx, pdf = work / f"{stem}.xlsx", work / f"{stem}.pdf"
        exported_at = exported_at or datetime.now().astimezone()

        def step(done: int, total: int) -> None:
            if progress is not None:
                progress(100 + 700 * done // max(total, 1), _SCALE)

        # The PDF first (signed, if the unit signs): its hash goes into the workbook's seal.
        pdf_only = write_exports(data, pdf=pdf, signer=signer, exported_at=exported_at, progress=step,
                                 confirm_stale=confirm_stale)
        members.append(PackageFile(pdf.name, sha256_of_file(pdf), pdf.stat().st_size))
        result = write_exports(data, xlsx=xlsx, signer=signer, exported_at=exported_at, package=members,
                               confirm_stale=confirm_stale)
        if progress is not None:
            progress(850, _SCALE)
        _zip(work, path, [xlsx.name, *[m.path for m in members]])
        if progress is not None:
            progress(_SCALE, _SCALE)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    final = ExportResult(None, None, result.content_sha256, result.unit_code, result.period_code,
                         pdf_only.signer, exported_at, package=path, left_out=tuple(left_out))
    return PackageExport(final, members, left_out)


def _zip(folder: Path, target: Path, names: list[str]) -> None:
    with replaced_atomically(target, busy="trong chương trình khác") as tmp, \
            zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.write(folder / name, arcname=name)
