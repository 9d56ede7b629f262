"""The crash log: where an unexpected error's details go instead of the user's screen.

One rotating file, ``<log folder>/cchc.log`` (1 MB, 3 older files kept), shared by the window
(``gui.crash_log`` adds its message box and Qt hooks) and the command line (``cli.run``:
a defect is logged here with its traceback and the user reads one Vietnamese sentence).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core import appdata

__all__ = ["LOG_FILENAME", "file_handler", "log_file", "logging_to_file", "record_crash"]

LOG_FILENAME = "cchc.log"
_MAX_BYTES = 1_000_000
_BACKUPS = 3

log = logging.getLogger("cchc")


def log_file() -> Path:
    return appdata.log_dir() / LOG_FILENAME


def file_handler() -> logging.Handler | None:
    """A handler writing to the crash log (the file is created at the first record); None when the
    log folder cannot be made (a read-only profile must not stop the program)."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


@contextmanager
def logging_to_file() -> Iterator[logging.Handler | None]:
    """Send log records (warnings and worse) to the crash log for the duration, not to the console:
    without a handler Python prints them, tracebacks included, on stderr."""
    root = logging.getLogger()
    handler = file_handler()
    if handler is None:
        handler = logging.NullHandler()
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        handler.close()


def _writing_to_log() -> bool:
    target = str(log_file())
    return any(getattr(h, "baseFilename", None) == target for h in logging.getLogger().handlers)


def record_crash(exc: BaseException, what: str) -> Path:
    """Write an unexpected error with its traceback to the crash log; the log's path."""
    handler = None if _writing_to_log() else file_handler()
    if handler is not None:
        log.addHandler(handler)
    try:
        log.critical("Unexpected error in %s", what, exc_info=exc)
    finally:
        if handler is not None:
            log.removeHandler(handler)
            handler.close()
    return log_file()
