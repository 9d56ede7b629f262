"""GUI preferences: every QSettings key of the program, declared once, with a typed accessor.

Preferences are the user's habits on this PC (window size, last selection, last folder, where
the signing key is — never the PIN); anything that matters for reports lives in the database.
A value that cannot be read as its type (a settings file edited by hand) reads as the default.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

__all__ = ["Preference", "every_key", "keep_in"]

T = TypeVar("T")
_ALL: list[Preference] = []


class Preference(Generic[T]):
    """One key; ``get()`` gives a value of the declared type (or the default), ``set(value)`` stores it."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default
        _ALL.append(self)

    def _convert(self, raw: object) -> T:
        return raw  # type: ignore[return-value]

    def get(self) -> T:
        raw = QSettings().value(self.key)
        if raw is None or raw == "":
            return self.default
        try:
            return self._convert(raw)
        except (TypeError, ValueError):
            return self.default

    def set(self, value: T) -> None:
        QSettings().setValue(self.key, value)


class _Text(Preference[str]):
    def _convert(self, raw: object) -> str:
        return str(raw)


class _Int(Preference["int | None"]):
    def _convert(self, raw: object) -> int:
        return int(raw)  # an .ini file gives "7"


class _Bytes(Preference["QByteArray | None"]):
    def _convert(self, raw: object) -> QByteArray | None:
        return raw if isinstance(raw, QByteArray) else None


def keep_in(folder: str) -> None:
    """Keep the preferences in ``folder`` (an .ini file) instead of the user's: gui-snapshots, which must
    leave the user's own preferences untouched."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def every_key() -> list[str]:
    return [p.key for p in _ALL]


# --------------------------------------------------------------------------- the main window
MAIN_GEOMETRY = _Bytes("main/geometry", None)
MAIN_UNIT = _Int("main/unit", None)  # the unit selected when the window was closed
MAIN_PERIOD = _Text("main/period", "")  # its period code ("2021-H1")
MAIN_PAGE = _Int("main/page", 0)  # the navigation row

RETURN_HISTORY_PANEL = _Int("return/history_panel", -1)  # 1 shown, 0 hidden, -1 by the screen's width

# --------------------------------------------------------------------------- the interface language, read at start-up
LANGUAGE = _Text("ui/language", "vi")  # a code of gui.app.LANGUAGES

# --------------------------------------------------------------------------- exports
LAST_EXPORT_DIR = _Text("export/last_dir", "")

# --------------------------------------------------------------------------- signing (where the key is, never the PIN)
SIGNING_KIND = _Text("signing/kind", "p12")  # "p12" | "pkcs11"
SIGNING_P12 = _Text("signing/p12", "")
SIGNING_PKCS11 = _Text("signing/pkcs11", "")
SIGNING_TOKEN_LABEL = _Text("signing/token_label", "")
SIGNING_KEY_LABEL = _Text("signing/key_label", "")
