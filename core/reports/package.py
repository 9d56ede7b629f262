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

``export_return_package`` writes a package; ``open_package`` reads one safely (sizes, member names and
count, compression ratio are checked before anything is extracted) for ``core.return_import``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.attachments import read_stored
from core.filenames import safe_filename
from core.reports.files import ExportResult, load_export, write_exports
from core.reports.seal import PackageFile
from core.safe_files import MAX_FILE_BYTES, MAX_RATIO, InputFileError
from core.vnformat import nfc
from db.models import Evidence, EvidenceContent

if TYPE_CHECKING:
    from core.org.report_header import ReportHeaderInfo
    from core.signatures.signing import OpenSigner

EVIDENCE_FOLDER = "TaiLieuKiemChung"
MAX_PACKAGE_BYTES = 400 * 1024 * 1024  # evidence files are up to 50 MB each (core.plans.progress)
MAX_PACKAGE_UNZIPPED = 1024 * 1024 * 1024
MAX_MEMBERS = 5000
_SCALE = 1000


class PackageError(InputFileError):
    """Not a readable return package; Vietnamese message."""


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
    progress: Callable[[int, int], None] | None = None,
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
        members.append(PackageFile(pdf.name, _sha256(pdf), pdf.stat().st_size))
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _zip(folder: Path, target: Path, names: list[str]) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".zip.tmp", dir=str(target.parent))
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp_name, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in names:
                zf.write(folder / name, arcname=name)
        try:
            os.replace(tmp_name, target)
        except PermissionError as exc:
            raise PermissionError(f"Không ghi được tệp “{target.name}”: tệp có thể đang mở trong chương trình "
                                  "khác. Hãy đóng tệp rồi thử lại.") from exc
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp_name)
        raise


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Member:
    name: str
    size: int
    info: zipfile.ZipInfo


class ReturnPackage:
    """An opened return package: its workbook and the other members, read under limits."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise PackageError(f"Tệp “{self.path.name}” không phải gói báo cáo (.zip) hoặc đã bị hỏng.") from None
        try:
            self._check()
        except BaseException:
            self._zip.close()
            raise

    def _check(self) -> None:
        infos = [i for i in self._zip.infolist() if not i.is_dir()]
        name = self.path.name
        if len(infos) > MAX_MEMBERS:
            raise PackageError(f"Gói “{name}” có quá nhiều tệp ({len(infos)}); giới hạn là {MAX_MEMBERS}.")
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > MAX_PACKAGE_UNZIPPED or total / packed > MAX_RATIO:
            raise PackageError(f"Gói “{name}” có nội dung giải nén bất thường (nghi là tệp độc hại); đã từ chối.")
        self.members: dict[str, _Member] = {}
        for i in infos:
            member = nfc(i.filename)
            pure = PurePosixPath(member)
            if (member.startswith("/") or "\\" in member or ":" in member or any(p in ("", ".", "..")
                                                                                 for p in pure.parts)):
                raise PackageError(f"Gói “{name}” có tệp mang đường dẫn không hợp lệ (“{member}”); đã từ chối.")
            if member in self.members:
                raise PackageError(f"Gói “{name}” có hai tệp cùng tên “{member}”; đã từ chối.")
            self.members[member] = _Member(member, i.file_size, i)
        books = [m for m in self.members if "/" not in m and m.lower().endswith(".xlsx")]
        if len(books) != 1:
            raise PackageError(f"Gói “{name}” phải có đúng một tệp báo cáo Excel (.xlsx) ở thư mục gốc "
                               f"(có {len(books)}).", )
        self.workbook_name = books[0]
        if self.members[self.workbook_name].size > MAX_FILE_BYTES:
            raise PackageError(f"Tệp báo cáo trong gói “{name}” quá lớn.")

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> ReturnPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def other_members(self) -> dict[str, int]:
        """Every member but the workbook: name → size."""
        return {m.name: m.size for m in self.members.values() if m.name != self.workbook_name}

    def read(self, name: str) -> bytes:
        """A member's bytes, never more than its stated size (a lying header is refused)."""
        m = self.members[name]
        out = bytearray()
        try:
            with self._zip.open(m.info) as fh:
                while chunk := fh.read(1 << 20):
                    out += chunk
                    if len(out) > m.size:
                        raise PackageError(f"Tệp “{name}” trong gói lớn hơn kích thước ghi trong gói; đã từ chối.")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise PackageError(f"Tệp “{name}” trong gói “{self.path.name}” bị hỏng, không đọc được.") from None
        return bytes(out)

    def extract_workbook(self, folder: Path) -> Path:
        target = Path(folder) / safe_filename(PurePosixPath(self.workbook_name).name)
        target.write_bytes(self.read(self.workbook_name))
        return target

    def mismatches(self, listed: list[PackageFile]) -> list[str]:
        """How the members differ from the list the seal covers ([] when they agree exactly)."""
        problems = []
        others = self.other_members
        named = {p.path: p for p in listed}
        for extra in sorted(set(others) - set(named)):
            problems.append(f"tệp “{extra}” không có trong danh sách đã niêm phong")
        for path, p in sorted(named.items()):
            if path not in others:
                problems.append(f"thiếu tệp “{path}”")
            elif others[path] != p.size or hashlib.sha256(self.read(path)).hexdigest() != p.sha256:
                problems.append(f"tệp “{path}” đã bị thay đổi")
        return problems


def open_package(path: Path) -> ReturnPackage:
    path = Path(path)
    if not path.is_file():
        raise PackageError(f"Không tìm thấy tệp “{path}”.")
    if path.stat().st_size > MAX_PACKAGE_BYTES:
        raise PackageError(f"Gói “{path.name}” quá lớn ({path.stat().st_size // (1024 * 1024)} MB); giới hạn là "
                           f"{MAX_PACKAGE_BYTES // (1024 * 1024)} MB.")
    return ReturnPackage(path)
