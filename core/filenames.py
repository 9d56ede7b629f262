"""File names for files that leave the PC: readable, Vietnamese diacritics kept, safe on Windows.

``BaoCao_CCHC_MH_Quý_I_năm_2022.xlsx``: NFC (so the same name compares equal on
every system), no character Windows forbids (``<>:"/\\|?*`` and control
characters), no trailing dot or space, no reserved device name (CON, NUL, COM1…).
"""

from __future__ import annotations

import re

from core.periods import PeriodSpec
from core.vnformat import nfc, to_roman

__all__ = ["safe_filename", "period_file_part", "export_file_stem", "WINDOWS_FORBIDDEN"]

WINDOWS_FORBIDDEN = '<>:"/\\|?*'
_FORBIDDEN_RE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 120  # leaves room for a folder path under Windows' 260-character limit


def safe_filename(name: str, replacement: str = "-", max_stem: int = MAX_STEM, *, has_extension: bool = True) -> str:
    """``name`` made safe for Windows, diacritics kept, in NFC.

    With ``has_extension`` the part after the last dot (if short, without spaces)
    is kept as the extension and only the stem is shortened.
    """
    text = nfc(name)
    text = _FORBIDDEN_RE.sub(replacement, text)
    text = re.sub(r"\s+", " ", text).strip()
    stem, dot, ext = text.rpartition(".")
    if not has_extension or not dot or not stem or " " in ext or len(ext) > 8:
        stem, ext = text, ""
    stem = stem[:max_stem].rstrip(" .")
    if not stem:
        stem = "tep"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return f"{stem}.{ext}" if ext else stem


def period_file_part(spec: PeriodSpec) -> str:
    """``Quý_I_năm_2022``, ``6_tháng_đầu_năm_2022``, ``9_tháng_năm_2022``, ``Năm_2022``."""
    if spec.kind == "quarter":
        text = f"Quý {to_roman(spec.number)} năm {spec.year}"
    elif spec.kind == "year":
        text = f"Năm {spec.year}"
    else:
        text = spec.label
    return text.replace(" ", "_")


def export_file_stem(unit_code: str, spec: PeriodSpec, prefix: str = "BaoCao_CCHC") -> str:
    """``BaoCao_CCHC_<mã đơn vị>_<kỳ>`` (no extension), already safe."""
    code = unit_code.strip().replace(" ", "_")
    return safe_filename(f"{prefix}_{code}_{period_file_part(spec)}", has_extension=False)
