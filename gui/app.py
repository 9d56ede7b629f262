"""Starting the GUI: QApplication, translations, opening the database, the main window.

Start-up order (issue #7): single-instance check, then the main window's frame is shown, then the
database is opened (lock, backup, migrations) and attached to the window. Only Qt and light modules
are imported before the window appears; SQLAlchemy, Alembic and the domain code load after.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from core.appdata import APP_AUTHOR, APP_NAME, APP_TITLE, APP_VERSION, default_db_path
from core.errors import Refused
from core.paths import resource_path
from db.errors import DatabaseError
from gui import crash_log
from gui.refusals import show_refusal
from gui.single_instance import SingleInstance, bring_to_front, instance_key

if TYPE_CHECKING:
    from db.engine import Database

log = logging.getLogger(__name__)

# Start-up timing (bench/package_check.py): with CCHC_EXIT_AFTER_SHOW=1 the app prints SHOWN_MARKER
# once the main window has been shown and painted, READY_MARKER once the page on screen shows the data
# of the database (Trang chủ: its summary, worked out in the background), and quits.
EXIT_AFTER_SHOW_ENV = "CCHC_EXIT_AFTER_SHOW"
SHOWN_MARKER = "CCHC_MAIN_WINDOW_SHOWN"
READY_MARKER = "CCHC_MAIN_WINDOW_READY"
PHASE_MARKER = "CCHC_PHASE"  # "CCHC_PHASE <step>": the steps in between, timed the same way


def tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


# The interface language (Cài đặt → Giao diện), read at start-up. Vietnamese is the source language;
# English proves the translation pipeline (resources/translations/build_translations.py).
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"


def chosen_language() -> str:
    from gui import preferences

    value = preferences.LANGUAGE.get()
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


class _AppTranslator(QTranslator):
    """The app's own strings. Module-level ``tr()`` helpers translate under their own context
    ("review", "export", …) which lupdate cannot see and files under the empty context; fall back to it."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ANN001, ANN201 - Qt override
        found = super().translate(context, source, disambiguation, n)
        if not found and context:
            found = super().translate("", source, disambiguation, n)
        return found


def install_translations(app: QApplication, language: str | None = None) -> list[QTranslator]:
    """Qt's own words (OK/Hủy, Có/Không, the text-box menu, file dialogs) from ``qtbase_vi.qm``, and for
    another language the app's strings from ``cchc_<language>.qm``. Installed once, before any widget."""
    if app.property("cchc_translations"):
        return []
    language = language or chosen_language()
    folder = str(resource_path("translations"))
    translators: list[QTranslator] = []
    if language == "vi":
        # Dates and numbers in Qt's own widgets (calendar month and day names) in Vietnamese too.
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        qt = QTranslator(app)
        if qt.load("qtbase_vi", folder):  # Qt ships no Vietnamese translation of its own strings
            translators.append(qt)
    else:
        own = _AppTranslator(app)
        if own.load(f"cchc_{language}", folder):
            translators.append(own)
    for t in translators:  # Qt asks the last installed first: the app's own strings win
        app.installTranslator(t)
    app.setProperty("cchc_translations", True)
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


def ask_password(question: str) -> str | None:
    """The server's password, asked in a dialog (kept in memory only)."""
    text, ok = QInputDialog.getText(None, tr("Mật khẩu máy chủ"), question, QLineEdit.EchoMode.Password)
    return text if ok and text else None


def login_dialog(db: Database) -> None:
    """On a shared database with users: the server's own login, or a name and password (3 tries)."""
    from core.org import auth

    if not auth.login_required(db) or auth.server_login(db) is not None:
        return
    for _ in range(3):
        name, ok = QInputDialog.getText(None, tr("Đăng nhập"), tr("Tên đăng nhập:"))
        if not ok or not name:
            break
        password, ok = QInputDialog.getText(None, tr("Đăng nhập"), tr("Mật khẩu của {name}:").format(name=name),
                                            QLineEdit.EchoMode.Password)
        if not ok:
            break
        try:
            auth.login(db, name, password)
            return
        except auth.LoginError as exc:
            show_refusal(None, exc, tr("Đăng nhập"))
    raise auth.LoginError(tr("Cơ sở dữ liệu dùng chung này yêu cầu đăng nhập."))


def open_for_gui(db_target: str | Path | None, demo: bool, *, interactive: bool = False) -> Database:
    """``--db``, else the database remembered by ``main.py connect``, else the default file. With
    ``interactive``, a server's password and the login are asked for in dialogs."""
    from core.app.connection import current_target, is_server, with_password
    from db.engine import open_database

    target = current_target(db_target)
    if interactive and is_server(target):
        target = with_password(target, ask_password)
    db = open_database(target, backup_on_start=True)
    try:
        if interactive:
            login_dialog(db)
        prepare_database(db, demo)
    except BaseException:
        db.close()
        raise
    return db


def prepare_database(db: Database, demo: bool) -> None:
    """The standard forms (and the demo data when asked for) in place; safe off the GUI thread."""
    from core.forms import ensure_standard_content

    with db.transaction() as s:
        ensure_standard_content(s)
        if demo:
            from core.app.demo import load_demo

            load_demo(s)


def open_in_background(db_target: str | Path | None, demo: bool, page_module: str | None = None
                       ) -> Database | str:
    """The start-up work that needs no dialog, as a background job: a database file is opened and
    prepared, and the module of the page about to be shown is imported. A server's target comes back
    as it is: its password and login are asked for on the GUI thread (``open_for_gui``)."""
    import importlib

    from sqlalchemy.orm import configure_mappers

    from core.app.connection import current_target, is_server
    from db.engine import open_database

    target = current_target(db_target)
    if is_server(target):
        return target
    startup_phase("database code imported")
    db = open_database(target, backup_on_start=True)
    startup_phase("database opened and backed up")
    try:
        importlib.import_module("db.models")  # what the first query needs, timed as a step of its own
        configure_mappers()
        startup_phase("database models imported and mapped")
        prepare_database(db, demo)
        startup_phase("standard forms checked")
        if page_module:
            importlib.import_module(page_module)
            startup_phase("first page's code imported")
    except BaseException:
        db.close()
        raise
    return db


def exit_after_show_requested() -> bool:
    return os.environ.get(EXIT_AFTER_SHOW_ENV, "") not in ("", "0")


def _print_marker(marker: str) -> None:
    if sys.stdout is not None:  # a console-less Windows exe has none
        print(marker, flush=True)


def startup_phase(step: str) -> None:
    """Start-up timing only: a step between the markers, so the bench shows where the time goes."""
    if exit_after_show_requested():
        _print_marker(f"{PHASE_MARKER} {step}")


def startup_done() -> None:
    """The window is filled: the garbage collector, paused by ``main.py`` for the start-up, runs again. The
    objects made so far (modules, classes, mappings: kept for the whole session) are set aside first, so its
    first passes do not walk them all."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def quit_when_ready(app: QApplication) -> None:
    """After the first turn of the event loop with the window filled: print the marker and quit."""

    def done() -> None:
        _print_marker(READY_MARKER)
        app.quit()

    QTimer.singleShot(0, done)


def run_gui(db: str | None = None, demo: bool = False) -> int:
    from gui.main_window import MainWindow

    crash_log.install()
    app = make_application()
    target = db or default_db_path()
    instance = SingleInstance(instance_key(target), app)
    if instance.notify_running():
        log.info("%s is already open in another window; brought it to the front", target)
        return 0
    instance.listen()

    window = MainWindow(None)
    instance.activated.connect(lambda: bring_to_front(window))
    window.show()
    app.processEvents()  # paint the frame before anything else
    timing = exit_after_show_requested()
    if timing:
        _print_marker(SHOWN_MARKER)

    # The database is opened (lock, backup, migrations) and the first page's code loaded off the GUI
    # thread: the frame stays painted and movable meanwhile.
    from gui.jobs import Job, wait_for_jobs
    from gui.refusals import is_refusal

    opened: list[Database] = []  # also one opened after the window was closed: closed below
    first_page = window.first_page_module()

    def work(_progress: object) -> Database | str:
        result = open_in_background(target, demo, first_page)
        if not isinstance(result, str):
            opened.append(result)
        return result

    def refuse(exc: BaseException) -> None:
        show_refusal(window, exc, tr("Không mở được cơ sở dữ liệu"), fatal=True)
        app.exit(3)

    def attach(result: Database | str) -> None:
        if isinstance(result, str):  # a server: its password and the login are asked for here
            try:
                result = open_for_gui(result, demo, interactive=True)
            except (Refused, DatabaseError) as exc:  # a login refused, a database busy, too new or not ours
                refuse(exc)
                return
            opened.append(result)
        window.attach_database(result)
        startup_phase("window attached (Trang chủ's summary under way)")
        # Trang chủ's numbers come from a job of their own: the other pages' modules are imported after
        # them, not in their way.
        window.when_filled(startup_done)
        window.when_filled(window.preload_pages)
        if timing:
            window.when_filled(lambda: quit_when_ready(app))

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    job = Job(window, work, attach).failure(refuse).on_finish(QApplication.restoreOverrideCursor)
    job.failed.connect(lambda exc: app.exit(3 if is_refusal(exc) else 4))  # a defect: after the crash dialog
    job.run_in_background()
    try:
        return app.exec()
    finally:
        startup_done()  # also when the start-up ended early (a database that could not be opened)
        wait_for_jobs()
        for database in opened:
            database.close(backup_on_exit=True)
        instance.close()
