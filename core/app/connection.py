"""Which database this PC works on, remembered between runs, and the passwords a server needs.

- The database is a SQLite file (the default: the per-user data folder) or a PostgreSQL server
  given as a SQLAlchemy URL, ``postgresql+psycopg://nva@may-chu/cchc``.
- ``remember`` keeps the choice in the per-user settings file ``connection.json``, always
  *without* a password (``db.engine.without_password``).
- The server's password comes from ``PGPASSWORD`` or PostgreSQL's own password file (the driver
  reads both), or is asked for when there is someone to ask (``with_password``); it is kept in
  memory only.
- The application's login (``core.org.auth``) is separate: its password comes from ``CCHC_PASSWORD``
  or a prompt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

from core.appdata import APP_AUTHOR, APP_NAME, default_db_path
from db.engine import display_target, is_url, open_database, sqlite_url_path, without_password
from db.errors import ServerUnavailableError
from db.files import write_atomically

SETTINGS_FILE = "connection.json"


def settings_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / SETTINGS_FILE


def is_server(target: str | Path) -> bool:
    return is_url(target) and sqlite_url_path(target) is None


def remember(target: str | Path) -> str:
    """Keep ``target`` as this user's database; returns what was stored (never a password)."""
    stored = without_password(target) if is_url(target) else str(Path(target).expanduser().resolve())
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps({"database": stored}, ensure_ascii=False, indent=1))
    return stored


def forget() -> None:
    settings_path().unlink(missing_ok=True)


def remembered() -> str | None:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("database") if isinstance(data, dict) else None
    return value or None


def current_target(explicit: str | Path | None = None) -> str:
    """``--db`` if given, else the remembered database, else the default file."""
    return str(explicit or remembered() or default_db_path())


def with_password(target: str, ask: Callable[[str], str | None] | None) -> str:
    """``target`` ready to open: for a server that wants a password which neither the URL, nor
    ``PGPASSWORD``, nor the password file gives, ``ask(question)`` is called (a console or a
    dialog) and the answer goes into the URL in memory. A wrong answer is asked again, up to
    three times; ``ServerUnavailableError`` otherwise."""
    if not is_server(target) or ask is None or make_url(target).password is not None:
        return target
    candidate = target
    for _ in range(3):
        try:
            open_database(candidate, write=False).close()
            return candidate
        except ServerUnavailableError as exc:
            if not exc.needs_password:
                raise
            url = make_url(target)
            answer = ask(f"Mật khẩu máy chủ PostgreSQL cho {url.username or os.environ.get('PGUSER', '')}"
                         f"@{url.host or 'localhost'} ({display_target(target)}): ")
            if not answer:
                raise
            candidate = url.set(password=answer).render_as_string(hide_password=False)
    open_database(candidate, write=False).close()  # the third wrong password: its error reaches the caller
    return candidate
