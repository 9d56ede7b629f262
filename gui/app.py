"""Starting the GUI: QApplication, translations, opening the database, the main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from core.appdata import APP_AUTHOR, APP_NAME, APP_TITLE, APP_VERSION, default_db_path
from core.demo import load_demo
from core.forms import ensure_standard_content
from core.paths import resource_path
from db.engine import Database, is_url, open_database
from db.errors import DatabaseError
from gui import crash_log
from gui.single_instance import SingleInstance, bring_to_front, instance_key

log = logging.getLogger(__name__)

# Start-up timing (bench/package_check.py): print this line and quit once the main window is shown.
EXIT_AFTER_SHOW_ENV = "CCHC_EXIT_AFTER_SHOW"
SHOWN_MARKER = "CCHC_MAIN_WINDOW_SHOWN"


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


def exit_after_show_requested() -> bool:
    return os.environ.get(EXIT_AFTER_SHOW_ENV, "") not in ("", "0")


def quit_after_show(app: QApplication) -> None:
    """Once the event loop has processed the first show: print the marker and quit."""

    def done() -> None:
        if sys.stdout is not None:  # a console-less Windows exe has none
            print(SHOWN_MARKER, flush=True)
        app.quit()

    QTimer.singleShot(0, done)


def run_gui(db: str | None = None, demo: bool = False) -> int:
    from gui.main_window import MainWindow

    crash_log.install()
    app = make_application()
    target = db or default_db_path()
    instance: SingleInstance | None = None
    if not is_url(target):
        instance = SingleInstance(instance_key(target), app)
        if instance.notify_running():
            log.info("%s is already open in another window; brought it to the front", target)
            return 0
        instance.listen()
    try:
        database = open_for_gui(target, demo)
    except DatabaseError as exc:
        QMessageBox.critical(None, tr("Không mở được cơ sở dữ liệu"), str(exc))
        return 3
    window = MainWindow(database)
    if instance is not None:
        instance.activated.connect(lambda: bring_to_front(window))
    window.show()
    if exit_after_show_requested():
        quit_after_show(app)
    try:
        return app.exec()
    finally:
        database.close(backup_on_exit=True)
        if instance is not None:
            instance.close()
