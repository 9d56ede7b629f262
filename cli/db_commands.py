"""Subcommands about the database itself: demo, backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import CommandError, db_path_of, emit
from core.app.demo import load_demo
from core.app.maintenance import restore_into
from core.vnformat import format_date
from db import backup as backups
from db.engine import display_target, is_url, open_database, sqlite_url_path


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="tạo dữ liệu minh họa (tỉnh Minh Họa, kế hoạch CCHC 2021)")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("backup", parents=[common], help="sao lưu cơ sở dữ liệu")
    p.add_argument("file", nargs="?", type=Path, help="tệp sao lưu (mặc định: thư mục sao lưu cạnh cơ sở dữ liệu)")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="phục hồi cơ sở dữ liệu từ một tệp sao lưu")
    p.add_argument("file", type=Path, help="tệp sao lưu (.db)")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("backups", parents=[common], help="liệt kê các bản sao lưu")
    p.set_defaults(handler=cmd_list_backups)


def cmd_demo(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            loaded = load_demo(s)
        text = ("Đã tạo dữ liệu minh họa: tỉnh Minh Họa, Kế hoạch CCHC năm 2021 (38 nhiệm vụ), "
                "báo cáo 6 tháng đầu năm 2021 và Quý III/2021." if loaded
                else "Dữ liệu minh họa đã có sẵn; không thay đổi gì.")
        emit(args, {"ok": True, "loaded": loaded, "db": db.target}, text)
    finally:
        db.close()
    return 0


SERVER_BACKUP = ("Cơ sở dữ liệu “{target}” nằm trên máy chủ PostgreSQL dùng chung: việc sao lưu và phục hồi do "
                 "người quản trị máy chủ thực hiện bằng công cụ của PostgreSQL (pg_dump, pg_restore). Để có một tệp "
                 "SQLite trên máy, dùng lệnh migrate-db --from {target} --to TỆP.db.")


def _refuse_on_server(db) -> None:  # noqa: ANN001 - db.engine.Database
    if not db.features.file_backups:
        raise CommandError(SERVER_BACKUP.format(target=db.target))


def cmd_backup(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args))
    try:
        _refuse_on_server(db)
        target = db.backup("manual", args.file)
    finally:
        db.close()
    emit(args, {"ok": True, "backup": str(target)}, f"Đã sao lưu vào “{target}”.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if is_url(db_path_of(args)) and sqlite_url_path(db_path_of(args)) is None:
        raise CommandError(SERVER_BACKUP.format(target=display_target(db_path_of(args))))
    backups.check_backup_file(args.file)
    db = open_database(db_path_of(args))
    try:
        _refuse_on_server(db)
        safety = restore_into(db, args.file)
    finally:
        db.close()
    emit(args, {"ok": True, "restored_from": str(args.file), "safety_backup": str(safety)},
         f"Đã phục hồi từ “{args.file}”. Bản sao lưu trước khi phục hồi: “{safety}”.")
    return 0


def cmd_list_backups(args: argparse.Namespace) -> int:
    if is_url(db_path_of(args)) and sqlite_url_path(db_path_of(args)) is None:
        raise CommandError(SERVER_BACKUP.format(target=display_target(db_path_of(args))))
    path = Path(sqlite_url_path(db_path_of(args)) or db_path_of(args))
    found = backups.list_backups(path)
    rows = [{"file": str(b.path), "taken_at": b.taken_at.isoformat(), "reason": b.reason} for b in found]
    lines = [f"{format_date(b.taken_at.date())} {b.taken_at:%H:%M:%S}  {b.reason:12}  {b.path}" for b in found]
    emit(args, {"ok": True, "backups": rows}, "\n".join(lines) or "Chưa có bản sao lưu nào.")
    return 0
