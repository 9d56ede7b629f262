"""The return files a receiving unit is given: finding them (files, and the workbooks and packages in
whole folders) and reading each one before the database is touched — hashed, size-checked and
parsed under the reading limits, a package's members compared with its sealed list — so that a
huge or hostile file never holds the writer lock while it is read.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from core.intake.packages import MAX_PACKAGE_BYTES, PackageError, open_package
from core.reports.workbook_reader import ReturnWorkbook, ReturnWorkbookError, read_return_workbook
from core.safe_files import MAX_FILE_BYTES, InputFileError, check_size
from core.vnformat import nfc
from db.files import sha256_of_file

__all__ = [
    "collect_files",
    "read_file",
    "read_files",
]


EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
PACKAGE_SUFFIXES = (".zip",)  # a return package: the workbook, the report and the evidence (core.reports.package)


# --------------------------------------------------------------------------- the files


def collect_files(paths: Iterable[Path | str]) -> list[Path]:
    """The files to import: each file named, and every Excel file or return package (.zip) inside each
    folder named (sub-folders included, in name order; Excel's own "~$" lock files left out)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted((f for f in p.rglob("*") if f.is_file()
                            and f.suffix.lower() in (*EXCEL_SUFFIXES, *PACKAGE_SUFFIXES)
                            and not f.name.startswith("~$")), key=lambda f: str(f).lower())
        else:
            found = [p]
        for f in found:
            key = f.resolve() if f.exists() else f
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def parse_exported_at(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text)).replace(tzinfo=None)  # the sender's wall clock
    except ValueError:
        return None


# --------------------------------------------------------------------------- reading before writing


@dataclass
class ReadFile:
    """A file hashed and read without the database: the CLI reads every file first and only then
    takes the writer lock, so a huge or hostile file never holds the lock while it is read."""

    path: Path
    digest: str = ""
    package: bool = False  # a return package (.zip: the workbook, the report and the evidence)
    unreadable: str | None = None  # why the file could not even be hashed
    parsed: bool = False
    book: ReturnWorkbook | None = None
    package_problems: list[str] = field(default_factory=list)
    error: Exception | None = None  # PackageError / ReturnWorkbookError / InputFileError from reading it

    def parse(self) -> None:
        """The workbook of the file, or of the package (whose other members are compared with its sealed list)."""
        self.parsed = True
        try:
            if not self.package:
                self.book = read_return_workbook(self.path)
                return
            with open_package(self.path) as pkg, tempfile.TemporaryDirectory(prefix="cchc-goi-") as tmp:
                self.book = read_return_workbook(pkg.extract_workbook(Path(tmp)))
                self.package_problems = pkg.mismatches(self.book.package)
        except (PackageError, ReturnWorkbookError, InputFileError) as exc:
            self.book, self.error = None, exc


def read_file(path: Path | str, *, parse: bool = True) -> ReadFile:
    """Hash a file and (``parse``) read it as a return workbook or package, under the reading limits."""
    path = Path(path)
    read = ReadFile(path, package=path.suffix.lower() in PACKAGE_SUFFIXES)
    try:
        check_size(path, MAX_PACKAGE_BYTES if read.package else MAX_FILE_BYTES)
        read.digest = sha256_of_file(path)
    except InputFileError as exc:
        read.unreadable = error_text(exc)
        return read
    except OSError:
        read.unreadable = f"Không đọc được tệp “{nfc(path.name)}” (tệp đang bị khóa, bị xóa hoặc không có quyền đọc)."
        return read
    if parse and (read.package or path.suffix.lower() in EXCEL_SUFFIXES):
        read.parse()
    return read


def read_files(paths: Iterable[Path | str]) -> dict[Path, ReadFile]:
    """``read_file`` for every file ``collect_files`` finds in ``paths``."""
    return {p: read_file(p) for p in collect_files(paths)}


def error_text(exc: BaseException) -> str:
    return str(exc) or "Lỗi không rõ nguyên nhân."
