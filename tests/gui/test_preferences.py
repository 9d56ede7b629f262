"""gui.preferences: every QSettings key declared once, read back typed; a hand-edited value reads as
the default; no other module of gui/ touches QSettings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from gui import preferences
from gui.app import make_application

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path: Path):  # noqa: ANN201
    make_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    QSettings().clear()
    return QSettings()


def test_values_come_back_with_their_type(settings) -> None:  # noqa: ANN001
    assert preferences.MAIN_UNIT.get() is None and preferences.MAIN_PAGE.get() == 0
    assert preferences.SIGNING_KIND.get() == "p12" and preferences.LAST_EXPORT_DIR.get() == ""
    preferences.MAIN_UNIT.set(7)
    preferences.MAIN_PERIOD.set("2021-H1")
    preferences.MAIN_GEOMETRY.set(QByteArray(b"\x01\x02"))
    preferences.LAST_EXPORT_DIR.set("/tmp/Báo cáo")
    settings.sync()
    fresh = QSettings()  # as the next start reads them (an .ini file keeps text)
    assert fresh.value("main/unit") in ("7", 7)
    assert preferences.MAIN_UNIT.get() == 7 and preferences.MAIN_PERIOD.get() == "2021-H1"
    assert preferences.MAIN_GEOMETRY.get() == QByteArray(b"\x01\x02")
    assert preferences.LAST_EXPORT_DIR.get() == "/tmp/Báo cáo"


def test_a_hand_edited_value_reads_as_the_default(settings) -> None:  # noqa: ANN001
    settings.setValue("main/page", "trang hai")
    settings.setValue("main/unit", "")
    settings.setValue("main/geometry", "không phải hình học")
    assert preferences.MAIN_PAGE.get() == 0 and preferences.MAIN_UNIT.get() is None
    assert preferences.MAIN_GEOMETRY.get() is None


def test_every_key_is_declared_once_and_only_there() -> None:
    keys = preferences.every_key()
    assert len(keys) == len(set(keys))
    assert set(keys) >= {"main/geometry", "main/unit", "main/period", "main/page", "export/last_dir",
                         "signing/kind", "signing/p12", "signing/pkcs11", "signing/token_label", "signing/key_label"}
    users = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "gui").rglob("*.py")
                   if "QSettings" in p.read_text(encoding="utf-8") and p.name != "preferences.py")
    assert users == []
