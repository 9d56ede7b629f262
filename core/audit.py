"""The audit log: who changed what, when, old → new."""

from __future__ import annotations

import getpass
import os

from sqlalchemy.orm import Session

from db.models import AuditEntry


def current_user() -> str:
    """The OS login name; a shared server (issue: PostgreSQL) will supply the real user."""
    try:
        return os.environ.get("CCHC_USER") or getpass.getuser()
    except Exception:  # getuser fails without a login name on some service accounts
        return "không rõ"


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
        user=user or current_user(),
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
