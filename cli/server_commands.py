"""Subcommands for a shared database: connect, users, migrate-db."""

from __future__ import annotations

import argparse
import os

from cli import CommandError, ask_console, db_path_of, emit, login_password, secret
from core.app import connection
from core.org import auth
from core.org.units import get_unit
from core.vnformat import format_date
from db.engine import display_target, open_database
from db.transfer import copy_database


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("connect", parents=[common],
                       help="chọn cơ sở dữ liệu làm việc (tệp hoặc máy chủ PostgreSQL) và ghi nhớ, không lưu mật khẩu")
    p.add_argument("target", nargs="?", metavar="TỆP|URL",
                   help="tệp .db hoặc postgresql+psycopg://tên@máy/csdl; bỏ trống để xem lựa chọn hiện tại")
    p.add_argument("--forget", action="store_true", help="bỏ lựa chọn đã ghi nhớ (trở về tệp mặc định)")
    p.set_defaults(handler=cmd_connect)

    users = sub.add_parser("users", parents=[common], help="người dùng của cơ sở dữ liệu dùng chung")
    usub = users.add_subparsers(dest="users_command", metavar="LỆNH")
    p = usub.add_parser("add", parents=[common],
                        help="thêm người dùng (mật khẩu lấy từ biến môi trường CCHC_NEW_PASSWORD hoặc được hỏi)")
    p.add_argument("username", metavar="TÊN")
    p.add_argument("--unit", metavar="MÃ", help="đơn vị của người dùng: thấy và sửa dữ liệu của đơn vị này và "
                                                "các đơn vị trực thuộc (bỏ trống: quản trị toàn bộ)")
    p.add_argument("--role", choices=sorted(auth.ROLES), default="editor",
                   help="admin (quản trị), editor (nhập, gửi, tổng hợp; mặc định), viewer (chỉ xem)")
    p.add_argument("--full-name", metavar="HỌ_TÊN")
    p.add_argument("--server-login", action="store_true",
                   help="không lưu mật khẩu: người dùng kết nối máy chủ PostgreSQL bằng tài khoản (role) cùng tên")
    p.set_defaults(handler=cmd_users_add)
    p = usub.add_parser("list", parents=[common], help="liệt kê người dùng")
    p.set_defaults(handler=cmd_users_list)
    p = usub.add_parser("passwd", parents=[common],
                        help="đổi mật khẩu (mật khẩu mới lấy từ CCHC_NEW_PASSWORD hoặc được hỏi)")
    p.add_argument("username", metavar="TÊN")
    p.set_defaults(handler=cmd_users_passwd)
    users.set_defaults(handler=lambda a: (users.print_help(), 2)[1])

    p = sub.add_parser("migrate-db", parents=[common],
                       help="chép toàn bộ cơ sở dữ liệu giữa tệp SQLite và máy chủ PostgreSQL, có kiểm tra hai phía")
    p.add_argument("--from", dest="source", required=True, metavar="TỆP|URL", help="nguồn")
    p.add_argument("--to", dest="target", required=True, metavar="TỆP|URL", help="đích (phải trống)")
    p.add_argument("--replace", action="store_true",
                   help="đích đã có dữ liệu: xóa và thay toàn bộ (tệp SQLite được sao lưu trước)")
    p.set_defaults(handler=cmd_migrate_db)


# --------------------------------------------------------------------------- connect


def cmd_connect(args: argparse.Namespace) -> int:
    if args.forget:
        connection.forget()
        emit(args, {"ok": True, "database": None}, "Đã bỏ lựa chọn; chương trình dùng tệp cơ sở dữ liệu mặc định.")
        return 0
    if not args.target:
        current = connection.remembered()
        shown = display_target(current) if current else None
        emit(args, {"ok": True, "database": shown, "settings": str(connection.settings_path())},
             f"Đang dùng: {shown}" if shown else f"Đang dùng tệp mặc định: {db_path_of(args)}")
        return 0
    target = connection.with_password(args.target, ask_console) if connection.is_server(args.target) else args.target
    db = open_database(target)  # checks it is reachable and ours; an empty server database gets the schema
    try:
        kind = db.features.label
        needs_login = auth.login_required(db)
    finally:
        db.close()
    stored = connection.remember(args.target)
    note = " Cơ sở dữ liệu này yêu cầu đăng nhập (--user TÊN)." if needs_login else ""
    emit(args, {"ok": True, "database": display_target(stored), "kind": kind, "login_required": needs_login},
         f"Đã chọn {kind}: {display_target(stored)} (không lưu mật khẩu).{note}")
    return 0


# --------------------------------------------------------------------------- users


def _new_password(username: str) -> str:
    password = os.environ.get("CCHC_NEW_PASSWORD")
    if password is not None:
        return password
    first = secret("CCHC_NEW_PASSWORD", f"Mật khẩu mới cho {username}: ", "mật khẩu mới")
    if ask_console("Nhập lại mật khẩu: ") != first:
        raise CommandError("Hai lần nhập mật khẩu không giống nhau; chưa thay đổi gì.")
    return first


def cmd_users_add(args: argparse.Namespace) -> int:
    password = "" if args.server_login else _new_password(args.username)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            unit = get_unit(s, args.unit) if args.unit else None
            user = auth.create_user(s, args.username, password, unit=unit, role=args.role,
                                    full_name=args.full_name, server_login=args.server_login)
            shown = {"username": user.username, "role": user.role, "unit": unit.code if unit else None,
                     "server_login": args.server_login}
    finally:
        db.close()
    where = f"đơn vị {shown['unit']} và các đơn vị trực thuộc" if shown["unit"] else "mọi đơn vị"
    emit(args, {"ok": True, "user": shown},
         f"Đã thêm người dùng “{shown['username']}” ({auth.ROLES[shown['role']]}; {where}).")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            rows = [{"username": u.username, "full_name": u.full_name, "role": u.role,
                     "unit": u.unit.code if u.unit else None, "active": u.active,
                     "server_login": u.password_hash == auth.SERVER_LOGIN,
                     "last_login": format_date(u.last_login_at.date()) if u.last_login_at else None}
                    for u in auth.list_users(s)]
    finally:
        db.close()
    lines = [f"{r['username']:20} {auth.ROLES[r['role']]:32} {r['unit'] or '(mọi đơn vị)':12} "
             f"{'' if r['active'] else 'đã khóa '}{r['full_name'] or ''}" for r in rows]
    emit(args, {"ok": True, "users": rows}, "\n".join(lines) or "Chưa có người dùng nào (làm việc một người, không "
                                                              "cần đăng nhập).")
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    password = _new_password(args.username)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            auth.set_password(s, args.username, password)
    finally:
        db.close()
    emit(args, {"ok": True}, f"Đã đổi mật khẩu của “{auth.normalize_username(args.username)}”.")
    return 0


# --------------------------------------------------------------------------- migrate-db


def _admin_of(target: str, args: argparse.Namespace) -> str:
    """A server side with users may be copied whole only by one of its administrators of every unit."""
    if not connection.is_server(target):
        return target
    target = connection.with_password(target, ask_console)
    db = open_database(target)
    try:
        if auth.login_required(db):
            username = getattr(args, "user", None)
            principal = (auth.login(db, username, login_password(username), record=False) if username
                         else auth.server_login(db, record=False))  # a copy leaves its source untouched
            if principal is None or not principal.is_admin or principal.unit_id is not None:
                raise auth.AccessDeniedError(
                    f"Chép toàn bộ “{display_target(target)}” cần tài khoản quản trị của mọi đơn vị (--user TÊN).")
    finally:
        db.close()
    return target


def cmd_migrate_db(args: argparse.Namespace) -> int:
    source, target = _admin_of(args.source, args), _admin_of(args.target, args)
    report = copy_database(source, target, replace=args.replace)
    lines = [f"Đã chép {report.total_rows} dòng từ “{report.source}” sang “{report.target}” "
             f"trong {report.seconds:.1f} giây; số dòng và tổng kiểm tra của từng bảng khớp ở hai phía:"]
    lines += [f"  {t.table:22} {t.source_rows:>9} → {t.target_rows:<9} {'khớp' if t.ok else 'KHÔNG KHỚP'}"
              for t in report.tables]
    if report.attachments_carried:
        lines.append(f"Đã chép {report.attachments_carried} tệp đính kèm (tài liệu kiểm chứng, tệp nhận từ đơn vị "
                     "cấp dưới) sang đích.")
    if report.attachments_missing:
        lines.append(f"{len(report.attachments_missing)} tệp đính kèm không có ở nguồn nên không chép được:")
        lines += [f"  - {m}" for m in report.attachments_missing[:20]]
    if report.target_backup:
        lines.append(f"Dữ liệu cũ ở đích đã được sao lưu vào “{report.target_backup}”.")
    emit(args, report.as_dict(), "\n".join(lines))
    return 0
