"""Refusals: the one kind of error a user is meant to read.

A ``Refused`` carries a complete Vietnamese sentence (``str(exc)``) saying what was refused and
why, and nothing was changed. The CLI prints it in one place (``cli._run_handler``); the GUI shows
it in one place (``gui.refusals.show_refusal``). Anything else that escapes is a defect: it goes to
the crash log (``core.app.crash_log``) and the user reads a short Vietnamese message, never a
traceback.

Subclasses exist only where a caller needs to tell one refusal from another (to show it beside
the field it is about, or to add what a machine reader needs). A builtin base (``ValueError``…)
is added only where a caller still needs it; none does today.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NotFound", "Refused"]


class Refused(Exception):
    """An input or an action refused, with a Vietnamese message and nothing changed.

    ``exit_code`` is what the CLI returns for it (1: refused). ``payload`` holds the fields a
    machine reader gets beside the message (the CLI's ``--json``): a subclass fills in its own
    (``details``), a front end may add what it knows about the context.
    """

    exit_code: int = 1

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def details(self) -> dict[str, Any]:
        """The machine-readable fields of this refusal (overridden by subclasses that have some)."""
        return {}

    @property
    def payload(self) -> dict[str, Any]:
        if "_payload" not in self.__dict__:
            self._payload = self.details()
        return self._payload


class NotFound(Refused):
    """Something the user named does not exist (a unit code, a return number, a task, a section)."""
