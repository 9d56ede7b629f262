"""Subcommands for the unit catalogue: units import, units list."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli import CommandError, db_path_of, emit
from core.forms import ensure_standard_content
from core.safe_files import InputFileError
from core.units import UnitImportError, import_units, read_unit_file, unit_tree
from core.vnformat import format_date
from db.engine import open_database


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    units = sub.add_parser("units", parents=[common], help="danh mục đơn vị")
    usub = units.add_subparsers(dest="units_command", metavar="LỆNH")
    p = usub.add_parser("import", parents=[common],
                        help="nhập danh mục đơn vị từ .csv/.xlsx (cột code,name,level,parent_code)")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_import)
    p = usub.add_parser("list", parents=[common], help="liệt kê đơn vị theo cây")
    p.set_defaults(handler=cmd_list)
    units.set_defaults(handler=lambda a: (units.print_help(), 2)[1])


def cmd_import(args: argparse.Namespace) -> int:
    try:
        records = read_unit_file(args.file)  # read and checked before the writer lock is taken
    except (UnitImportError, InputFileError) as exc:
        raise CommandError(str(exc), payload={"problems": getattr(exc, "problems", [str(exc)])}) from None
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
            result = import_units(s, records)
    except UnitImportError as exc:
        raise CommandError(str(exc), payload={"problems": getattr(exc, "problems", [str(exc)])}) from None
    finally:
        db.close()
    emit(
        args,
        {"ok": True, "created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        f"Đã nhập danh mục đơn vị: thêm {len(result.created)}, cập nhật {len(result.updated)}, "
        f"không đổi {len(result.unchanged)}.",
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            rows = unit_tree(s)
    finally:
        db.close()
    payload = {
        "ok": True,
        "units": [
            {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code, "depth": r.depth,
             "valid_from": r.valid_from, "valid_to": r.valid_to}
            for r in rows
        ],
    }
    lines = []
    for r in rows:
        span = ""
        if r.valid_from or r.valid_to:
            span = f"  (hiệu lực {format_date(r.valid_from) or '…'} – {format_date(r.valid_to) or '…'})"
        lines.append(f"{'  ' * r.depth}{r.code}  {r.name}  [{r.level_label}]{span}")
    emit(args, payload, "\n".join(lines) or "Chưa có đơn vị nào.")
    return 0
