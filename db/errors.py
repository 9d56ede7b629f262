"""Database-layer errors. Messages are Vietnamese: they reach the user as they are."""


class DatabaseError(Exception):
    """Base class; ``str(exc)`` is a complete Vietnamese message for the user."""


class DatabaseBusyError(DatabaseError):
    """Another instance holds the single-writer lock."""


class DatabaseTooNewError(DatabaseError):
    """The file was written by a newer version of the application."""


class NotOurDatabaseError(DatabaseError):
    """The file is not a database of this application, or it is damaged."""
