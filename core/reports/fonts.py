"""The serif font used for printed reports (Decree 30/2020/NĐ-CP asks for Times New Roman).

On Windows the system Times New Roman is used when all four styles are present;
everywhere else the bundled, metric-compatible Liberation Serif (SIL OFL 1.1,
see ``resources/fonts/LICENSE-LiberationSerif.txt``).
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from core.errors import Refused
from core.paths import resource_path

__all__ = ["SerifFonts", "resolve_serif_fonts", "register_pdf_fonts", "windows_fonts_dir"]

_WINDOWS_TIMES = {
    "regular": "times.ttf",
    "bold": "timesbd.ttf",
    "italic": "timesi.ttf",
    "bold_italic": "timesbi.ttf",
}
_LIBERATION = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}


@dataclass(frozen=True)
class SerifFonts:
    """Paths of the four TrueType styles of one family."""

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    family_name: str

    def font_names(self) -> dict[str, str]:
        """reportlab font names for each style (``TimesNewRoman-Bold`` …)."""
        base = self.family_name
        return {
            "regular": base,
            "bold": f"{base}-Bold",
            "italic": f"{base}-Italic",
            "bold_italic": f"{base}-BoldItalic",
        }


def windows_fonts_dir() -> Path | None:
    """``%WINDIR%\\Fonts`` on Windows, else ``None``."""
    if sys.platform != "win32":
        return None
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    return Path(windir) / "Fonts"


def _find_in(folder: Path, name: str) -> Path | None:
    candidate = folder / name
    if candidate.is_file():
        return candidate
    try:  # the Fonts folder is case-insensitive on Windows, but be safe elsewhere
        lowered = name.lower()
        for entry in folder.iterdir():
            if entry.name.lower() == lowered and entry.is_file():
                return entry
    except OSError:
        pass
    return None


def resolve_serif_fonts() -> SerifFonts:
    """Times New Roman from the Windows Fonts folder if all four styles exist,
    otherwise the bundled Liberation Serif."""
    folder = windows_fonts_dir()
    if folder is not None and folder.is_dir():
        found = {style: _find_in(folder, name) for style, name in _WINDOWS_TIMES.items()}
        if all(found.values()):
            return SerifFonts(family_name="TimesNewRoman", **found)  # type: ignore[arg-type]
    bundled = {style: resource_path("fonts", name) for style, name in _LIBERATION.items()}
    missing = [str(p) for p in bundled.values() if not p.is_file()]
    if missing:
        raise Refused("Thiếu tệp phông chữ đi kèm chương trình: " + ", ".join(missing))
    return SerifFonts(family_name="LiberationSerif", **bundled)


_lock = threading.Lock()
_registered: str | None = None


def register_pdf_fonts() -> str:
    """Register the serif family with reportlab (once) and return its family name.

    ``TTFont`` embeds subsets with a ToUnicode map, so text in the PDF stays
    extractable; ``registerFontFamily`` makes ``<b>``/``<i>`` markup work.
    """
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        fonts = resolve_serif_fonts()
        names = fonts.font_names()
        for style, name in names.items():
            pdfmetrics.registerFont(TTFont(name, str(getattr(fonts, style))))
        pdfmetrics.registerFontFamily(
            fonts.family_name,
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold_italic"],
        )
        _registered = fonts.family_name
        return _registered
