"""The audit log: who changed what, when, old → new."""

from __future__ import annotations

import getpass
import os

from sqlalchemy.orm import Session

from db.models import AuditEntry


def current_user() -> str:
    """The OS login name (single-user mode on a file); a logged-in user wins (``user_of``)."""
    try:
        return os.environ.get("CCHC_USER") or getpass.getuser()
    except Exception:  # getuser fails without a login name on some service accounts
        return "không rõ"


def user_of(session: Session, user: str | None = None) -> str:
    """The name to record: whoever logged in to the database (``core.org.auth``), whatever a caller
    passed, so an entry always names the real person; otherwise ``user`` or the OS login."""
    principal = session.info.get("principal")
    name = getattr(principal, "username", None)
    return name or user or current_user()


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None = None,
    *,
    field: str | None = None,
    old: object = None,
    new: object = None,
    return_id: int | None = None,
    reason: str | None = None,
    user: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        user=user_of(session, user),
        action=action,
        entity=entity,
        entity_id=entity_id,
        field=field,
        old_value=None if old is None else str(old),
        new_value=None if new is None else str(new),
        return_id=return_id,
        reason=reason,
    )
    session.add(entry)
    return entry
