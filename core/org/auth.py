"""People who log in to a shared database, their passwords, and which units' data they reach.

On one PC with a SQLite file nobody logs in: the application is single-user and unrestricted,
and the audit log names the OS login (``core.audit.current_user``). On a shared database (a
PostgreSQL server, or a file that has users) each person logs in with a name and password kept
in ``app_user``:

- the password is stored as a salted scrypt hash (``hashlib.scrypt``, a random 16-byte salt per
  user), never in clear; checking it takes constant time;
- each user belongs to a unit and sees and edits that unit's data and that of every unit below it
  (``visible_unit_ids``); an administrator without a unit reaches every unit;
- roles: ``admin`` (also manages users within its reach), ``editor`` (enters, submits, reopens,
  consolidates), ``viewer`` (reads only);
- on a PostgreSQL server a user may instead be created for *server login*: the server itself
  checks the password of the PostgreSQL role of the same name when connecting, and the
  application then only looks the role up (``server_login``); no password is stored here;
- the logged-in person travels with every session of the database (``Database.principal``,
  ``session.info["principal"]``): the services check it, and every audit entry names it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.vnformat import nfc
from db.models import AppUser, Unit, utcnow

ROLES = {"admin": "Quản trị", "editor": "Nhập, gửi và tổng hợp báo cáo", "viewer": "Chỉ xem"}
MIN_PASSWORD = 8
SERVER_LOGIN = "server-login"  # password_hash of a user whose password the PostgreSQL server checks
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AuthError(Refused):
    """A refusal about who may do what; ``str(exc)`` is a complete Vietnamese message.

    Not a ``PermissionError``: that is an ``OSError``, which file handling catches."""


class LoginError(AuthError):
    """Wrong name or password, a locked account, or a login that is required."""


class AccessDeniedError(AuthError):
    """The logged-in user may not see or change this unit's data."""


class UserError(Refused):
    """A user that cannot be created as asked; message in Vietnamese."""


@dataclass(frozen=True)
class Principal:
    """Who is logged in (kept on the open database and in each session's ``info``)."""

    user_id: int
    username: str
    full_name: str | None
    role: str
    unit_id: int | None  # None: an administrator of every unit

    @property
    def can_write(self) -> bool:
        return self.role in ("admin", "editor")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def display(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username


# --------------------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64); the text is NFC-normalised so "Mật" typed either way matches."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(nfc(password).encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt)}${b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(nfc(password).encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# --------------------------------------------------------------------------- who is logged in


def principal_of(session: Session) -> Principal | None:
    p = session.info.get("principal")
    return p if isinstance(p, Principal) else None


def users_exist(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(AppUser)))


def subtree_ids(session: Session, unit_id: int) -> set[int]:
    """A unit and every unit below it, at any depth (one recursive query, on SQLite and PostgreSQL)."""
    tree = select(Unit.id).where(Unit.id == unit_id).cte("subtree", recursive=True)
    tree = tree.union(select(Unit.id).join(tree, Unit.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def visible_unit_ids(session: Session, user: Principal | AppUser | None = None) -> set[int] | None:
    """The units whose data ``user`` (default: whoever is logged in) sees; None means every unit."""
    if user is None:
        user = principal_of(session)
        if user is None:
            return None  # single-user mode
    if user.unit_id is None:
        return None if user.role == "admin" else set()
    return subtree_ids(session, user.unit_id)


def can_write(session: Session) -> bool:
    p = principal_of(session)
    return p is None or p.can_write


def require_unit(session: Session, unit_id: int, *, write: bool = False) -> None:
    """Refuse (``AccessDeniedError``) a unit outside the logged-in user's reach, or a write by a viewer."""
    p = principal_of(session)
    if p is None:
        return
    if write and not p.can_write:
        raise AccessDeniedError(f"Tài khoản “{p.username}” chỉ được xem, không được thay đổi dữ liệu.")
    visible = visible_unit_ids(session, p)
    if visible is not None and unit_id not in visible:
        own = session.get(Unit, p.unit_id) if p.unit_id is not None else None
        other = session.get(Unit, unit_id)
        scope = f"của {own.name} và các đơn vị trực thuộc" if own else "của đơn vị được giao"
        raise AccessDeniedError(
            f"Tài khoản “{p.username}” chỉ được xem và sửa dữ liệu {scope}; "
            f"không được mở dữ liệu của {other.name if other else 'đơn vị này'}."
        )


# --------------------------------------------------------------------------- users


def normalize_username(name: str) -> str:
    return nfc(name or "").strip().lower()


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    unit: Unit | None = None,
    role: str = "editor",
    full_name: str | None = None,
    server_login: bool = False,
) -> AppUser:
    """Add a person who may log in. The first user of a database must be an administrator; after
    that only a logged-in administrator adds users, within the units it reaches.

    ``server_login``: no password here; the person connects to the server as the PostgreSQL
    role of the same name, whose password the server checks."""
    name = normalize_username(username)
    if not _USERNAME_RE.match(name):
        raise UserError("Tên đăng nhập gồm 2–64 ký tự: chữ không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang "
                        f"(không nhận “{username}”).")
    if role not in ROLES:
        raise UserError(f"Vai trò “{role}” không hợp lệ; chọn một trong: {', '.join(ROLES)}.")
    if not server_login and len(password or "") < MIN_PASSWORD:
        raise UserError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    if unit is None and role != "admin":
        raise UserError("Người dùng không phải quản trị cần thuộc một đơn vị (--unit MÃ).")
    me = principal_of(session)
    if users_exist(session):
        if me is None or not me.is_admin:
            raise AccessDeniedError("Chỉ người quản trị đã đăng nhập mới thêm được người dùng.")
        if unit is None and me.unit_id is not None:
            raise AccessDeniedError("Quản trị của một đơn vị chỉ thêm được người dùng thuộc các đơn vị mình quản lý.")
        if unit is not None:
            require_unit(session, unit.id, write=True)
    elif role != "admin":
        raise UserError("Người dùng đầu tiên phải là quản trị (--role admin).")
    if session.scalar(select(AppUser).where(AppUser.username == name)) is not None:
        raise UserError(f"Đã có người dùng “{name}”.")
    user = AppUser(username=name, full_name=nfc(full_name).strip() if full_name else None,
                   password_hash=SERVER_LOGIN if server_login else hash_password(password), role=role,
                   unit_id=unit.id if unit else None, active=True)
    session.add(user)
    session.flush()
    audit.record(session, "create", "user", user.id, field="role",
                 new=f"{name} ({ROLES[role]}{', ' + unit.code if unit else ''})")
    return user


def set_password(session: Session, username: str, password: str) -> None:
    """Change a password: one's own, or, as an administrator, that of a user one reaches."""
    user = session.scalar(select(AppUser).where(AppUser.username == normalize_username(username)))
    if user is None:
        raise UserError(f"Không có người dùng “{username}”.")
    me = principal_of(session)
    if me is not None and me.user_id != user.id:
        if not me.is_admin:
            raise AccessDeniedError("Chỉ người quản trị mới đổi được mật khẩu của người khác.")
        if user.unit_id is not None:
            require_unit(session, user.unit_id, write=True)
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    user.password_hash = hash_password(password)
    audit.record(session, "update", "user", user.id, field="password", new="(đã đổi)")


def list_users(session: Session) -> list[AppUser]:
    users = list(session.scalars(select(AppUser).order_by(AppUser.username)))
    visible = visible_unit_ids(session)
    if visible is None:
        return users
    return [u for u in users if u.unit_id in visible]


def verify_login(session: Session, username: str, password: str, *, record: bool = True) -> Principal:
    """Check a name and password against ``app_user``; raises ``LoginError`` (the same message for
    an unknown name and a wrong password). ``record``: note the time of the login."""
    user = session.scalar(select(AppUser).where(AppUser.username == normalize_username(username)))
    if user is None or not check_password(password or "", user.password_hash):
        raise LoginError("Sai tên đăng nhập hoặc mật khẩu.")
    if not user.active:
        raise LoginError(f"Tài khoản “{user.username}” đã bị khóa; hãy liên hệ người quản trị.")
    if record:
        user.last_login_at = utcnow()
    return Principal(user.id, user.username, user.full_name, user.role, user.unit_id)


def login(db, username: str, password: str, *, record: bool = True) -> Principal:  # noqa: ANN001
    """Log ``username`` in to an open database (``db.engine.Database``): every later session of
    ``db`` acts as that person. ``record=False`` leaves the database untouched (a copy's source)."""
    with db.transaction() as s:
        principal = verify_login(s, username, password, record=record)
    db.principal = principal
    return principal


def server_login(db, *, record: bool = True) -> Principal | None:  # noqa: ANN001 - db.engine.Database
    """On a server: log in as the app user named like the PostgreSQL role this connection uses,
    if that user was created for server login. None otherwise."""
    from db.dialect import session_user

    with db.transaction() as s:
        role = session_user(s)
        if role is None:
            return None
        user = s.scalar(select(AppUser).where(AppUser.username == normalize_username(role)))
        if user is None or user.password_hash != SERVER_LOGIN:
            return None
        if not user.active:
            raise LoginError(f"Tài khoản “{user.username}” đã bị khóa; hãy liên hệ người quản trị.")
        if record:
            user.last_login_at = utcnow()
        principal = Principal(user.id, user.username, user.full_name, user.role, user.unit_id)
    db.principal = principal
    return principal


def login_required(db) -> bool:  # noqa: ANN001 - db.engine.Database
    """A shared server with users: nobody works in it without logging in."""
    if db.features.embedded:
        return False
    with db.session() as s:
        return users_exist(s)
