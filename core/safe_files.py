"""Opening files that users bring (xlsx, csv) without trusting them.

Refuses oversized files and zip bombs before parsing; openpyxl parses XML through
defusedxml when it is installed (it is pinned in requirements.txt).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is imported when a file is opened: it costs ~80 ms at program start
    from openpyxl.workbook.workbook import Workbook

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # zip bombs compress far better than any real spreadsheet
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class InputFileError(ValueError):
    """A file the user chose cannot be read; ``str()`` is a Vietnamese message."""


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


def check_xlsx(path: Path) -> None:
    """Refuse, with a Vietnamese message, what is not a safe .xlsx to parse: too big, password-protected
    or old .xls, not a zip, a zip bomb, no workbook inside."""
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
            total = sum(i.file_size for i in zf.infolist())
            packed = sum(i.compress_size for i in zf.infolist()) or 1
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputFileError(f"Tệp “{path.name}” bị hỏng, không mở được ({exc}).") from exc
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
        raise InputFileError(f"Tệp “{path.name}” có nội dung giải nén bất thường (nghi là tệp độc hại); đã từ chối.")
    if "xl/workbook.xml" not in names:
        raise InputFileError(f"Tệp “{path.name}” không phải là bảng tính Excel .xlsx.")


def open_xlsx(path: Path, *, read_only: bool = True, data_only: bool = True) -> Workbook:
    """Open an .xlsx the user brought, with a clear Vietnamese message for every failure."""
    path = Path(path)
    check_xlsx(path)
    import openpyxl  # loaded only when a file is opened: start-up stays fast

    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise InputFileError(f"Tệp “{path.name}” bị hỏng, không đọc được nội dung ({type(exc).__name__}).") from exc


def read_csv_rows(path: Path) -> list[list[str]]:
    """Rows of a CSV file saved as UTF-8 (with or without BOM); ``;`` or ``,`` separated."""
    path = Path(path)
    check_size(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(
            f"Tệp “{path.name}” không phải văn bản UTF-8. Trong Excel hãy lưu bằng "
            "“CSV UTF-8 (Comma delimited)” để giữ dấu tiếng Việt."
        ) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_table(path: Path) -> list[list[object]]:
    """All rows of a .csv or the first sheet of an .xlsx, as lists of cell values."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [list(r) for r in read_csv_rows(path)]
    if suffix in (".xlsx", ".xlsm"):
        wb = open_xlsx(path)
        try:
            ws = wb.worksheets[0]
            return [list(r) for r in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    raise InputFileError(f"Tệp “{path.name}” không được hỗ trợ: chỉ nhận .csv hoặc .xlsx.")
