"""The one place the GUI shows a refusal.

A refusal (``core.errors.Refused``, or one of ``db.errors``' — the layers keep those apart) carries
a complete Vietnamese sentence: it is shown as it is, in a warning box (``show_refusal``).
Anything else that reaches the user is a defect: it goes to the crash log and the crash dialog
(``gui.crash_log``), never as its English text. ``show_failure`` sorts the two, for the failure
callback of background work.

A dialog may still catch the one refusal it expects (``ReviewRefused``, ``InvalidValueError``…) to
show it beside the field it is about; it never catches builtin errors to turn them into messages.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.errors import Refused
from db.errors import DatabaseError

__all__ = ["is_refusal", "show_failure", "show_refusal"]

REFUSALS: tuple[type[BaseException], ...] = (Refused, DatabaseError)


def tr(text: str) -> str:
    return QApplication.translate("refusals", text)


def is_refusal(exc: BaseException) -> bool:
    """A refusal with a message meant for the user (not a defect)."""
    return isinstance(exc, REFUSALS)


def show_refusal(parent: QWidget | None, exc: BaseException, title: str | None = None, *,
                 note: str | None = None, fatal: bool = False) -> None:
    """Tell the user what was refused and why (its Vietnamese message, as it is), then ``note``, a
    line the screen adds ("Chưa nhập gì vào cơ sở dữ liệu."); ``fatal``: the program cannot go on
    (a database that cannot be opened at start-up)."""
    text = str(exc) + (f"\n{note}" if note else "")
    box = QMessageBox.critical if fatal else QMessageBox.warning
    box(parent, title or tr("Không thực hiện được"), text)


def show_failure(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """A failed piece of work: a refusal is shown (``show_refusal``); anything else is a defect,
    written to the crash log with its traceback and announced by the crash dialog."""
    if is_refusal(exc):
        show_refusal(parent, exc, title)
        return
    from gui.crash_log import handle_exception

    handle_exception(type(exc), exc, exc.__traceback__)
