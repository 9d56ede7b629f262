"""Subcommands for the unit catalogue: units import, units list, units merge, units history."""

from __future__ import annotations

import argparse
import re
from datetime import datetime
from pathlib import Path

from cli import CommandError, db_path_of, emit
from core.forms import ensure_standard_content
from core.org.unit_lifetimes import merge_map, merge_units, predecessors_of, unit_history
from core.org.units import import_units, read_unit_file, unit_tree
from core.safe_files import InputFileError
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
    p = usub.add_parser(
        "merge", parents=[common], help="ghi nhận sáp nhập: các đơn vị cũ hợp thành một đơn vị mới từ một ngày",
        description="Ghi nhận các đơn vị cũ (--from) sáp nhập thành đơn vị mới (--into, mã mới chưa dùng) từ ngày "
                    "--date. Đơn vị cũ thôi tồn tại từ ngày hôm trước và giữ nguyên số liệu; số liệu của chúng được "
                    "xem dưới đơn vị mới (units history, tình hình nhận báo cáo của đơn vị cấp trên).")
    p.add_argument("--into", required=True, metavar="MÃ", help="mã của đơn vị mới (chưa có trong danh mục)")
    p.add_argument("--name", required=True, metavar="TÊN", help="tên đơn vị mới, ví dụ “UBND xã Hòa Bình”")
    p.add_argument("--from", dest="sources", required=True, metavar="MÃ,MÃ",
                   help="mã các đơn vị cũ, ngăn bằng dấu phẩy")
    p.add_argument("--date", required=True, metavar="dd/mm/yyyy", help="ngày đơn vị mới bắt đầu, ví dụ 01/07/2025")
    p.add_argument("--parent", metavar="MÃ", help="đơn vị cha (mặc định: đơn vị cha chung của các đơn vị cũ)")
    p.add_argument("--level", help="cấp của đơn vị mới (mặc định: cấp của các đơn vị cũ)")
    p.set_defaults(handler=cmd_merge)
    p = usub.add_parser("history", parents=[common],
                        help="các báo cáo của một đơn vị và của các đơn vị cũ đã sáp nhập vào nó")
    p.add_argument("code", metavar="MÃ")
    p.set_defaults(handler=cmd_history)
    units.set_defaults(handler=lambda a: (units.print_help(), 2)[1])


def cmd_import(args: argparse.Namespace) -> int:
    try:
        records = read_unit_file(args.file)  # read and checked before the writer lock is taken
    except InputFileError as exc:  # the file itself refused: that is its one problem
        exc.payload.setdefault("problems", [str(exc)])
        raise
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
            result = import_units(s, records)
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
            olds, new = merge_map(s)
    finally:
        db.close()
    payload = {
        "ok": True,
        "units": [
            {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code, "depth": r.depth,
             "valid_from": r.valid_from, "valid_to": r.valid_to,
             "predecessors": [c for c, _ in olds.get(r.id, [])], "merged_into": (new.get(r.id) or (None,))[0]}
            for r in rows
        ],
    }
    lines = []
    for r in rows:
        notes = []
        if r.valid_from or r.valid_to:
            notes.append(f"hiệu lực {format_date(r.valid_from) or '…'} – {format_date(r.valid_to) or '…'}")
        if r.id in olds:
            codes = ", ".join(c for c, _ in olds[r.id])
            notes.append(f"sáp nhập từ {codes} ngày {format_date(olds[r.id][0][1])}")
        if r.id in new:
            notes.append(f"đã sáp nhập vào {new[r.id][0]} từ {format_date(new[r.id][1])}")
        span = f"  ({'; '.join(notes)})" if notes else ""
        lines.append(f"{'  ' * r.depth}{r.code}  {r.name}  [{r.level_label}]{span}")
    emit(args, payload, "\n".join(lines) or "Chưa có đơn vị nào.")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    try:
        on = datetime.strptime(args.date.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(f"Ngày “{args.date}” không hợp lệ; viết dd/mm/yyyy, ví dụ 01/07/2025.") from None
    sources = [c for c in re.split(r"[,;\s]+", args.sources) if c]
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            unit = merge_units(s, args.into, args.name, sources, on, parent_code=args.parent, level=args.level)
            olds = [(u.code, u.name, u.valid_to) for u, _ in predecessors_of(s, unit.id)]
            payload = {"ok": True, "unit": unit.code, "name": unit.name, "valid_from": unit.valid_from,
                       "parent": unit.parent.code if unit.parent else None,
                       "predecessors": [{"code": c, "name": n, "valid_to": t} for c, n, t in olds]}
    finally:
        db.close()
    text = [f"Đã ghi nhận {payload['name']} ({payload['unit']}) từ {format_date(on)}, sáp nhập từ:"]
    text += [f"  {c}  {n} (hiệu lực đến {format_date(t)})" for c, n, t in olds]
    emit(args, payload, "\n".join(text))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            unit, rows = unit_history(s, args.code)
            olds = [(u.code, u.name, since) for u, since in predecessors_of(s, unit.id)]
            title = f"{unit.name} ({unit.code})"
    finally:
        db.close()
    lines = [title + (" — sáp nhập từ " + ", ".join(f"{n} ({c})" for c, n, _ in olds)
                      + f" ngày {format_date(olds[0][2])}" if olds else "")]
    labels = {"draft": "Nháp", "submitted": "Đã hoàn thành"}
    for r in rows:
        who = "" if r.own else f"  [đơn vị cũ {r.unit_code} – {r.unit_name}]"
        lines.append(f"  {r.period_label:24} {labels.get(r.status, r.status)}{who}")
    if not rows:
        lines.append("  Chưa có báo cáo nào.")
    emit(args, {"ok": True, "unit": unit.code, "predecessors": [c for c, _, _ in olds],
                "returns": [r.as_dict() for r in rows]}, "\n".join(lines))
    return 0
