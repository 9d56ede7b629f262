"""Refusals: the one kind of error a user is meant to read.

A ``Refused`` carries a complete Vietnamese sentence (``str(exc)``) saying what was refused and
why; the CLI prints it as it is (one place, ``cli.run``) and the GUI shows it in a message
box. Anything else that escapes is a defect: the CLI writes it to the crash log
(``core.app.crash_log``) and shows a short Vietnamese message, never a traceback.

``Refused`` is a mixin-friendly base: an existing refusal class that callers catch as
``ValueError`` or ``LookupError`` becomes ``class XError(Refused, ValueError)`` and both kinds of
``except`` keep working. New code raises ``Refused`` (or a subclass) directly.
"""

from __future__ import annotations

__all__ = ["Refused"]


class Refused(Exception):
    """An input or an action refused, with a Vietnamese message and nothing changed.

    ``exit_code`` is what the CLI returns for it (1: refused).
    """

    exit_code: int = 1

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
