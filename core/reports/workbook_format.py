"""The return workbook's format, shared by its writer and its reader: the sheet names, the mark and
version of the hidden data sheet, and where an indicator sits in the visible sheet (``CellRef``).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.reports.seal import SEAL_FORMAT

__all__ = [
    "BLANK_FORM_MARK",
    "CellRef",
    "DATA_SHEET",
    "FORMAT_MARK",
    "FORMAT_VERSION",
    "PROTECTION_PASSWORD",
    "STATS_SHEET",
    "TASKS_SHEET",
]


STATS_SHEET = "Thống kê số liệu"
TASKS_SHEET = "Tiến độ nhiệm vụ"
DATA_SHEET = "CCHC_DATA"
FORMAT_MARK = "cchc-return-workbook"
BLANK_FORM_MARK = "cchc-blank-form"  # the workbook's keywords: a blank form made by this product (export --blank)

# 2: the seal covers the export time and the package's files, and a signature may follow. A file of
# format 1 left ``exported_at`` outside its hash (anyone could make an old file "newer"): refused.
FORMAT_VERSION = SEAL_FORMAT

# A speed bump, not security: anyone can remove sheet protection. The SHA-256 of
# the content is what detects tampering.
PROTECTION_PASSWORD = "CCHC-khong-sua"


@dataclass(frozen=True)
class CellRef:
    """Where an indicator sits in the visible workbook."""

    sheet: str
    value_cell: str  # "D12"
    note_cell: str  # "E12"
    stt: str  # "1.1.1." as printed in column A
    name: str
