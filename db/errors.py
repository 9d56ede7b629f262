"""Database-layer refusals. Messages are Vietnamese: they reach the user as they are.

``db`` sits below ``core``, so these are not ``core.errors.Refused``; the front ends show both in
their one place for refusals (the CLI's ``_run_handler``, ``gui.refusals``).
"""

from __future__ import annotations

from typing import Any


class DatabaseError(Exception):
    """Base class; ``str(exc)`` is a complete Vietnamese message for the user.

    ``exit_code`` is what the CLI returns for it (3: the database is busy or unusable);
    ``payload`` the fields a machine reader gets beside the message (``--json``).
    """

    exit_code: int = 3

    @property
    def payload(self) -> dict[str, Any]:
        return {}


class FileWriteError(DatabaseError):
    """A file the user asked for cannot be written: another program (Excel) has it open, or its folder
    cannot be written to."""

    exit_code = 1


class DatabaseBusyError(DatabaseError):
    """Another instance holds the single-writer lock."""


class DatabaseTooNewError(DatabaseError):
    """The file was written by a newer version of the application."""


class NotOurDatabaseError(DatabaseError):
    """The file is not a database of this application, or it is damaged."""


class NotABackupError(NotOurDatabaseError):
    """A file offered to restore from is not a sound backup of ours: the file is refused (CLI exit
    code 1), the database in use is fine."""

    exit_code = 1


class ServerUnavailableError(DatabaseError):
    """A database server cannot be reached or refuses the connection (wrong password …)."""

    def __init__(self, message: str, *, needs_password: bool = False) -> None:
        super().__init__(message)
        self.needs_password = needs_password
