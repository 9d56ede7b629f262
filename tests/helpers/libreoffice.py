"""LibreOffice (headless), as many offices open, print and save the workbooks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None,
                                       reason="LibreOffice (Debian: libreoffice-calc) is not installed")


def convert(path: Path, folder: Path, to: str) -> Path:
    """``path`` converted by LibreOffice into ``folder`` (``to``: "pdf", or "xlsx" to open and save it again)."""
    assert SOFFICE is not None
    profile = folder / "lo_profile"
    target = "xlsx:Calc MS Excel 2007 XML" if to == "xlsx" else to
    out = folder / "lo_out"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", target,
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=300)
    return out / f"{path.stem}.{to}"
