"""Starting the GUI: QApplication, translations, opening the database, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from core.appdata import APP_AUTHOR, APP_NAME, APP_TITLE, APP_VERSION, default_db_path
from core.demo import load_demo
from core.forms import ensure_standard_content
from core.paths import resource_path
from db.engine import Database, open_database
from db.errors import DatabaseError

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def install_translations(app: QApplication) -> list[QTranslator]:
    """Vietnamese is the source language; other languages load from resources/translations."""
    translators = []
    folder = resource_path("translations")
    locale = QLocale.system()
    if folder.is_dir() and locale.language() != QLocale.Language.Vietnamese:
        t = QTranslator(app)
        if t.load(locale, "cchc", "_", str(folder)):
            app.installTranslator(t)
            translators.append(t)
    return translators


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(APP_VERSION)
    icon = resource_path("icons", "app.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    font = app.font()
    if font.pointSize() < 10:
        font = QFont(font)
        font.setPointSize(10)
        app.setFont(font)
    install_translations(app)
    return app


def open_for_gui(db_target: str | Path | None, demo: bool) -> Database:
    db = open_database(db_target or default_db_path(), backup_on_start=True)
    with db.transaction() as s:
        ensure_standard_content(s)
        if demo:
            load_demo(s)
    return db


def run_gui(db: str | None = None, demo: bool = False) -> int:
    from gui.main_window import MainWindow

    app = make_application()
    try:
        database = open_for_gui(db, demo)
    except DatabaseError as exc:
        QMessageBox.critical(None, tr("Không mở được cơ sở dữ liệu"), str(exc))
        return 3
    window = MainWindow(database)
    window.show()
    try:
        return app.exec()
    finally:
        database.close(backup_on_exit=True)
