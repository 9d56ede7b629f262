"""Database-layer errors. Messages are Vietnamese: they reach the user as they are."""


class DatabaseError(Exception):
    """Base class; ``str(exc)`` is a complete Vietnamese message for the user."""


class DatabaseBusyError(DatabaseError):
    """Another instance holds the single-writer lock."""


class DatabaseTooNewError(DatabaseError):
    """The file was written by a newer version of the application."""


class NotOurDatabaseError(DatabaseError):
    """The file is not a database of this application, or it is damaged."""


class ServerUnavailableError(DatabaseError):
    """A database server cannot be reached or refuses the connection (wrong password …)."""

    def __init__(self, message: str, *, needs_password: bool = False) -> None:
        super().__init__(message)
        self.needs_password = needs_password
