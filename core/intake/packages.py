"""Opening a return package (.zip) a unit below sent (``open_package``), without trusting it: its size,
the number, names and sizes of its members and the compression ratio are checked before anything
is extracted; a member is never read past its stated size; ``mismatches`` compares the members with
the list the workbook's seal covers. The package's layout is written by ``core.reports.package``.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from core.filenames import safe_filename
from core.reports.seal import PackageFile
from core.safe_files import MAX_FILE_BYTES, MAX_RATIO, InputFileError
from core.vnformat import nfc

if TYPE_CHECKING:
    pass


MAX_PACKAGE_BYTES = 400 * 1024 * 1024  # evidence files are up to 50 MB each (core.plans.progress)
MAX_PACKAGE_UNZIPPED = 1024 * 1024 * 1024
MAX_MEMBERS = 5000


class PackageError(InputFileError):
    """Not a readable return package; Vietnamese message."""


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
