"""Where bundled resources live, from source and from a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["app_root", "resource_path"]

_REPO_ROOT = Path(__file__).resolve().parent.parent


def app_root() -> Path:
    """The folder holding ``resources/``: ``sys._MEIPASS`` when frozen, else the repo root."""
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if meipass else _REPO_ROOT


def resource_path(*parts: str) -> Path:
    """``resource_path("fonts", "x.ttf")`` -> ``<root>/resources/fonts/x.ttf``."""
    return app_root().joinpath("resources", *parts)
