"""Crash logging for the GUI: a rotating log file, and a Vietnamese message for an unhandled error.

``install()`` is called first thing by :func:`gui.app.run_gui`. From then on:

* ``logging`` writes to ``<log_dir>/cchc.log`` (1 MB, 3 older files kept);
* an unhandled exception (also one raised in a Qt slot) is written there with its
  traceback, and the user sees a message box saying where the log is. The
  program keeps running: every edit was already committed to the database, so
  nothing typed before the error is lost;
* a hard crash inside Qt (a segfault) leaves a Python trace in ``crash-native.log``.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from core import appdata
from core.app.crash_log import LOG_FILENAME, file_handler, log_file
from gui.refusals import is_refusal, show_refusal

__all__ = ["LOG_FILENAME", "install", "uninstall", "log_file", "open_log_folder", "handle_exception"]

NATIVE_CRASH_FILENAME = "crash-native.log"

log = logging.getLogger("cchc")
_state: dict[str, object] = {"showing": False, "native": None, "handler": None}


def install() -> Path:
    """Set up the log file and the exception hooks; safe to call more than once."""
    path = log_file()
    root = logging.getLogger()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if _state["handler"] is None:
            handler = file_handler()
            if handler is not None:
                root.addHandler(handler)
                _state["handler"] = handler
        if _state["native"] is None:
            native = open(path.with_name(NATIVE_CRASH_FILENAME), "a", encoding="utf-8")  # noqa: SIM115 - kept open
            faulthandler.enable(file=native)
            _state["native"] = native
    except OSError:
        pass  # a read-only profile must not stop the program; the message box still appears
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    sys.excepthook = handle_exception
    threading.excepthook = _thread_exception
    log.info("%s %s started (%s)", appdata.APP_TITLE, appdata.APP_VERSION, sys.executable)
    return path


def uninstall() -> None:
    """Undo :func:`install` (tests; a program just exits)."""
    handler = _state["handler"]
    if isinstance(handler, logging.Handler):
        logging.getLogger().removeHandler(handler)
        handler.close()
    native = _state["native"]
    if native is not None:
        faulthandler.disable()
        native.close()  # type: ignore[attr-defined]
    _state.update(handler=None, native=None, showing=False)
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__


def crash_message(path: Path) -> str:
    return QApplication.translate(
        "crash",
        "Chương trình gặp một lỗi không lường trước.\n\n"
        "Dữ liệu của bạn không bị mất: mọi thay đổi đã được lưu vào cơ sở dữ liệu ngay khi nhập. "
        "Bạn có thể tiếp tục làm việc, hoặc đóng rồi mở lại chương trình.\n\n"
        "Chi tiết lỗi đã được ghi vào tệp nhật ký:\n{path}\n\n"
        "Khi cần hỗ trợ, hãy gửi tệp này cho cán bộ kỹ thuật.",
    ).format(path=path)


def handle_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook``: log, then tell the user in Vietnamese (once at a time)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if is_refusal(exc) and QApplication.instance() is not None:  # a refusal no handler caught: still not a defect
        show_refusal(QApplication.activeWindow(), exc)
        return
    log.critical("Unhandled exception", exc_info=(exc_type, exc, tb))
    if QApplication.instance() is None or _state["showing"]:
        return
    _state["showing"] = True
    try:
        show_crash_dialog(crash_message(log_file()))
    except Exception:  # noqa: BLE001 - the hook itself must never raise
        log.exception("Could not show the error message")
    finally:
        _state["showing"] = False


def show_crash_dialog(text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, QApplication.translate("crash", "Lỗi chương trình"), text)
    open_button = box.addButton(QApplication.translate("crash", "Mở thư mục nhật ký"),
                                QMessageBox.ButtonRole.ActionRole)
    box.addButton(QApplication.translate("crash", "Đóng"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    if box.clickedButton() is open_button:
        open_log_folder()


def _thread_exception(args: threading.ExceptHookArgs) -> None:
    # A worker thread cannot show a window; the log is enough, and the worker reports its own failure.
    log.critical("Unhandled exception in thread %s", getattr(args.thread, "name", "?"),
                 exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def open_log_folder() -> bool:
    """Show the log folder in the file manager (Explorer on Windows)."""
    folder = appdata.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
