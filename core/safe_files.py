"""Opening files that users bring (xlsx, csv) without trusting them.

Every path that reads a user's file (plan, values, units, returns, hand-made returns) reads it
under ``ReadLimits``: rows, columns, cells, characters per cell and per sheet, shared strings
and decompressed bytes per zip member. The limits are checked while the file is streamed
(``core.xlsx_stream``, ``read_csv_rows``), never after loading it, so a file built to exhaust
memory or time (a zip bomb, a million rows, a 376 MB sheet packed into 4 MB) is refused early,
with a Vietnamese message that names the limit crossed (``LimitExceeded``). Nothing is ever cut
short silently: a file over a limit is refused whole.

openpyxl parses XML through defusedxml when it is installed (it is pinned in requirements.txt).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from core.errors import Refused
from core.vnformat import format_number

if TYPE_CHECKING:  # openpyxl is imported when a file is opened: it costs ~80 ms at program start
    from openpyxl.workbook.workbook import Workbook

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # zip bombs compress far better than any real spreadsheet
EXCEL_MAX_ROWS = 1_048_576  # a row number beyond Excel's last row is a damaged or forged file
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class InputFileError(Refused):
    """A file the user chose cannot be read; ``str()`` is a Vietnamese message."""


class LimitExceeded(InputFileError):
    """The file crosses a reading limit; ``limit`` is its name in ``ReadLimits`` (``"rows"``, …)."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class ReadLimits:
    """How much of a user's file one reading path accepts. Each limit is generous for real files
    of its kind (a province's plan, a unit catalogue, a return) and far below what would stall
    the program."""

    what: str  # the kind of file, for the message: "bảng kế hoạch", "tệp số liệu" …
    rows: int  # the last row (or CSV line) holding data
    columns: int  # the last column holding data
    cells: int  # cells holding data, per sheet
    cell_chars: int = 32_767  # characters in one cell (Excel's own maximum)
    text_chars: int = 40_000_000  # characters of all the cells read from one sheet
    shared_strings: int = 1_000_000  # entries in the workbook's shared-string table
    member_bytes: int = 128 * 1024 * 1024  # decompressed size of one part of the .xlsx

    def with_(self, **changes: int) -> ReadLimits:
        return replace(self, **changes)


# One set per reading path. A real plan has hundreds to some thousands of rows (a province's
# five-year plan with activities: ~25,000); a unit catalogue some thousands; a values file or
# a return workbook a few hundred.
PLAN_LIMITS = ReadLimits("bảng kế hoạch", rows=50_000, columns=64, cells=1_000_000)
UNITS_LIMITS = ReadLimits("danh mục đơn vị", rows=50_000, columns=64, cells=500_000, text_chars=16_000_000,
                          shared_strings=500_000, member_bytes=64 * 1024 * 1024)
VALUES_LIMITS = ReadLimits("tệp số liệu", rows=5_000, columns=64, cells=100_000, text_chars=8_000_000,
                           shared_strings=100_000, member_bytes=32 * 1024 * 1024)
RETURN_LIMITS = ReadLimits("báo cáo", rows=20_000, columns=256, cells=400_000, text_chars=16_000_000,
                           shared_strings=200_000, member_bytes=64 * 1024 * 1024)
HANDMADE_LIMITS = ReadLimits("biểu điền tay", rows=5_000, columns=128, cells=200_000, text_chars=8_000_000,
                             shared_strings=100_000, member_bytes=32 * 1024 * 1024)


def _n(value: int) -> str:
    return format_number(value)


def _mb(value: int) -> str:
    return f"{_n(value // (1024 * 1024))} MB"


def limit_error(path: Path | str, limits: ReadLimits, limit: str, where: str = "", found: int | None = None
                ) -> LimitExceeded:
    """The refusal for a crossed limit: names the file, the place, what was found and the limit."""
    name = Path(path).name
    place = f" ({where})" if where else ""
    what = {
        "rows": f"có dữ liệu ở dòng {_n(found or 0)}, vượt giới hạn {_n(limits.rows)} dòng",
        "columns": f"có dữ liệu ở cột thứ {_n(found or 0)}, vượt giới hạn {_n(limits.columns)} cột",
        "cells": f"có hơn {_n(limits.cells)} ô dữ liệu (giới hạn {_n(limits.cells)} ô)",
        "cell_chars": f"có ô dài hơn {_n(limits.cell_chars)} ký tự (giới hạn {_n(limits.cell_chars)} ký tự một ô)",
        "text_chars": f"có hơn {_n(limits.text_chars)} ký tự chữ (giới hạn {_n(limits.text_chars)} ký tự)",
        "shared_strings": f"có hơn {_n(limits.shared_strings)} chuỗi chữ dùng chung "
                          f"(giới hạn {_n(limits.shared_strings)})",
        "member_bytes": f"có phần giải nén ra {_mb(found or 0)}, vượt giới hạn {_mb(limits.member_bytes)} "
                        "cho một phần của tệp",
        "excel_rows": f"ghi số dòng {_n(found or 0)}, vượt quá số dòng tối đa của Excel",
    }[limit]
    return LimitExceeded(
        f"Không đọc tệp “{name}”{place}: tệp {what}. Đây là giới hạn đọc {limits.what}, đặt ra để một tệp quá lớn "
        "hoặc bất thường không làm treo máy; tệp không được nhập một phần. Hãy kiểm tra lại tệp (xóa dòng, cột "
        "thừa) hoặc tách thành nhiều tệp nhỏ hơn.",
        "rows" if limit == "excel_rows" else limit,
    )


def check_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Không tìm thấy tệp “{path}”.")
    size = path.stat().st_size
    if size == 0:
        raise InputFileError(f"Tệp “{path.name}” rỗng (0 byte).")
    if size > limit:
        raise InputFileError(
            f"Tệp “{path.name}” quá lớn ({size // (1024 * 1024)} MB); giới hạn là {limit // (1024 * 1024)} MB."
        )


def damaged(path: Path | str) -> InputFileError:
    """The refusal for an .xlsx that cannot be read (cut short, bit-flipped, not really a workbook)."""
    return InputFileError(
        f"Tệp “{Path(path).name}” bị hỏng, không đọc được nội dung (có thể tệp bị cắt ngắn hoặc hư khi sao chép). "
        "Hãy mở tệp bằng Excel và lưu lại, hoặc xin lại tệp gốc."
    )


def check_xlsx(path: Path, limits: ReadLimits | None = None) -> None:
    """Refuse, with a Vietnamese message, what is not a safe .xlsx to parse: too big, password-protected
    or old .xls, not a zip, a zip bomb, no workbook inside, a part whose declared size is over
    ``limits.member_bytes`` (reading a zip member never yields more than its declared size)."""
    path = Path(path)
    check_size(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        raise InputFileError(
            f"Tệp “{path.name}” được đặt mật khẩu hoặc là định dạng Excel cũ (.xls). "
            "Hãy bỏ mật khẩu hoặc lưu lại dưới dạng .xlsx rồi thử lại."
        )
    if not zipfile.is_zipfile(path):
        raise InputFileError(f"Tệp “{path.name}” không phải là tệp Excel .xlsx (hoặc tệp đã bị hỏng).")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise damaged(path) from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
        raise InputFileError(f"Tệp “{path.name}” có nội dung giải nén bất thường (nghi là tệp độc hại); đã từ chối.")
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise InputFileError(f"Tệp “{path.name}” không phải là bảng tính Excel .xlsx.")
    if limits is not None:
        biggest = max(infos, key=lambda i: i.file_size)
        if biggest.file_size > limits.member_bytes:
            raise limit_error(path, limits, "member_bytes", biggest.filename, biggest.file_size)


class BoundedReader(io.RawIOBase):
    """A zip member read through a byte count: past ``limit`` decompressed bytes it raises
    ``LimitExceeded`` (zipfile already stops at the declared size; this also holds for a
    member whose header lies)."""

    def __init__(self, raw: IO[bytes], limit: int, on_exceed) -> None:  # noqa: ANN001 - a callable
        self._raw = raw
        self._left = limit
        self._on_exceed = on_exceed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        data = self._raw.read(min(len(buffer), 1 << 16))
        self._left -= len(data)
        if self._left < 0:
            raise self._on_exceed()
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_member(zf: zipfile.ZipFile, name: str, path: Path, limits: ReadLimits) -> IO[bytes]:
    """A member of an opened .xlsx, bounded by ``limits.member_bytes``."""
    raw = zf.open(name)
    return io.BufferedReader(BoundedReader(
        raw, limits.member_bytes,
        lambda: limit_error(path, limits, "member_bytes", name, limits.member_bytes + 1)))


def open_xlsx(path: Path, *, read_only: bool = True, data_only: bool = True,
              limits: ReadLimits | None = None) -> Workbook:
    """Open an .xlsx the user brought, with a clear Vietnamese message for every failure.

    The sheets are first streamed under ``limits`` (``core.xlsx_stream.scan_xlsx``): openpyxl then
    loads a file whose size is known to be bounded.
    """
    from core.xlsx_stream import scan_xlsx

    path = Path(path)
    limits = limits or PLAN_LIMITS
    scan_xlsx(path, limits)
    import openpyxl  # loaded only when a file is opened: start-up stays fast

    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except Exception:  # openpyxl raises many kinds on damaged files; none of their words reach the user
        raise damaged(path) from None


# --- CSV ------------------------------------------------------------------------------------------

def _decode_text(raw: bytes, path: Path) -> str:
    """The text of a CSV: UTF-8 (with or without BOM) or UTF-16 (Excel's "Unicode Text", with its BOM,
    or UTF-16 with no BOM). Another code page (Excel's plain "CSV" on Windows: cp1258 or cp1252)
    is refused rather than guessed: a wrong guess would store wrong Vietnamese names."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_text(path) from None
    if b"\x00" in raw[:4096]:
        # UTF-16 without a BOM: every other byte of Latin text is zero.
        even, odd = raw[0:4096:2].count(0), raw[1:4096:2].count(0)
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise _not_text(path) from None
        if "\x00" in text:
            raise _not_text(path)
        return text
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_text(path) from None


def read_text_file(path: Path, limit: int = 5 * 1024 * 1024) -> str:
    """A plain-text document (a plan copied out of Word as .txt), UTF-8 or UTF-16, at most ``limit`` bytes,
    NFC; a missing, oversized or non-UTF file is an ``InputFileError`` with its Vietnamese reason."""
    from core.vnformat import nfc

    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Không tìm thấy tệp “{path.name}”.")
    check_size(path, limit)
    return nfc(_decode_text(path.read_bytes(), path).replace("\r\n", "\n"))


def _not_text(path: Path) -> InputFileError:
    return InputFileError(
        f"Tệp “{path.name}” không phải văn bản UTF-8 (có thể được lưu bằng bảng mã cũ như Windows-1258). "
        "Trong Excel hãy lưu bằng “CSV UTF-8 (Comma delimited)” để giữ dấu tiếng Việt."
    )


def iter_csv_rows(path: Path, limits: ReadLimits) -> Iterator[list[str]]:
    """Rows of a CSV file, ``;``, ``,`` or tab separated, under ``limits`` (rows, columns, characters)."""
    from core.vnformat import nfc

    path = Path(path)
    check_size(path)
    text = _decode_text(path.read_bytes(), path)
    if "\x00" in text:
        raise _not_text(path)
    first = text[:4096]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    # newline="": a line may end in CR only (old Mac, some exports), LF or CRLF.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(limits.cell_chars + 1)
    chars = cells = 0
    try:
        for row in reader:
            if reader.line_num > limits.rows and any(c.strip() for c in row):
                raise limit_error(path, limits, "rows", found=reader.line_num)
            width = max((i + 1 for i, c in enumerate(row) if c.strip()), default=0)
            if width > limits.columns:
                raise limit_error(path, limits, "columns", f"dòng {_n(reader.line_num)}", width)
            for c in row:
                if len(c) > limits.cell_chars:
                    raise limit_error(path, limits, "cell_chars", f"dòng {_n(reader.line_num)}")
                chars += len(c)
            cells += width
            if cells > limits.cells:
                raise limit_error(path, limits, "cells")
            if chars > limits.text_chars:
                raise limit_error(path, limits, "text_chars")
            yield [nfc(c) for c in row]
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise limit_error(path, limits, "cell_chars", f"dòng {_n(reader.line_num)}") from None
        raise InputFileError(
            f"Tệp “{path.name}” không đúng định dạng CSV ở dòng {_n(reader.line_num)} (dấu ngoặc kép hoặc xuống "
            "dòng không khớp). Hãy mở bằng Excel và lưu lại dưới dạng “CSV UTF-8 (Comma delimited)”."
        ) from None
    finally:
        csv.field_size_limit(old_limit)


def read_csv_rows(path: Path, limits: ReadLimits | None = None) -> list[list[str]]:
    """Rows of a CSV file (see ``iter_csv_rows``)."""
    return list(iter_csv_rows(path, limits or UNITS_LIMITS))


def _nfc_cell(value: object) -> object:
    from core.vnformat import nfc

    return nfc(value) if isinstance(value, str) else value


def read_table(path: Path, limits: ReadLimits | None = None) -> list[list[object]]:
    """All rows of a .csv or the first sheet of an .xlsx, as lists of cell values (row n of the
    file is item n-1), read under ``limits``; text in NFC (it comes in here)."""
    path = Path(path)
    limits = limits or UNITS_LIMITS
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [list(r) for r in read_csv_rows(path, limits)]
    if suffix in (".xlsx", ".xlsm"):
        from core.xlsx_stream import XlsxSheets, XlsxStreamError

        try:
            with XlsxSheets(path, limits) as book:
                if not book.sheetnames:
                    raise InputFileError(f"Tệp “{path.name}” không có trang tính nào.")
                rows: list[list[object]] = []
                for r, cells in book.rows(book.sheetnames[0]):
                    while len(rows) < r - 1:
                        rows.append([])
                    rows.append([_nfc_cell(cells.get(c)) for c in range(1, max(cells) + 1)])
                return rows
        except XlsxStreamError:
            pass  # something the streaming reader does not follow: openpyxl, after the same limits
        wb = open_xlsx(path, limits=limits)
        try:
            ws = wb.worksheets[0]
            ws.reset_dimensions()  # a forged dimension (A1:XFD1048576) must not make rows of empty cells
            return [[_nfc_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
        except (IndexError, AttributeError, ValueError, KeyError, TypeError, SyntaxError):
            raise damaged(path) from None
        finally:
            wb.close()
    raise InputFileError(f"Tệp “{path.name}” không được hỗ trợ: chỉ nhận .csv hoặc .xlsx.")
