"""Subcommands for the unit catalogue: units import, list, add, rename, move, close, merge, history."""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from cli import CommandError, db_path_of, emit
from core.forms import ensure_standard_content
from core.org.unit_edits import add_unit, close_unit, move_unit, rename_unit
from core.org.unit_lifetimes import merge_map, merge_units, predecessors_of, unit_history
from core.org.units import import_units, read_unit_file, unit_tree
from core.safe_files import InputFileError
from core.vnformat import date_problem, format_date, nfc
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
    p = usub.add_parser("add", parents=[common], help="thêm một đơn vị (mã mới, chưa từng dùng)")
    p.add_argument("code", metavar="MÃ")
    p.add_argument("--name", required=True, metavar="TÊN")
    p.add_argument("--level", required=True, metavar="CẤP", help="tinh, so, huyen, xa, phong hoặc tên cấp")
    p.add_argument("--parent", metavar="MÃ", help="đơn vị cha")
    p.add_argument("--from-date", metavar="dd/mm/yyyy", help="ngày bắt đầu có hiệu lực")
    p.set_defaults(handler=cmd_add)
    p = usub.add_parser("rename", parents=[common], help="đổi tên một đơn vị")
    p.add_argument("code", metavar="MÃ")
    p.add_argument("--name", required=True, metavar="TÊN")
    p.set_defaults(handler=cmd_rename)
    p = usub.add_parser("move", parents=[common], help="chuyển một đơn vị sang đơn vị cha khác")
    p.add_argument("code", metavar="MÃ")
    p.add_argument("--parent", required=True, metavar="MÃ", help="đơn vị cha mới (“-”: cấp cao nhất)")
    p.set_defaults(handler=cmd_move)
    p = usub.add_parser("close", parents=[common], help="đóng một đơn vị: thôi tồn tại sau một ngày, giữ số liệu")
    p.add_argument("code", metavar="MÃ")
    p.add_argument("--last-day", required=True, metavar="dd/mm/yyyy", help="ngày cuối cùng đơn vị còn tồn tại")
    p.set_defaults(handler=cmd_close)
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


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    day, problem = date_problem(nfc(text))
    if problem:
        raise CommandError(f"Ngày “{text}” {problem}; viết dd/mm/yyyy, ví dụ 01/07/2025.")
    return day


def _edit(args: argparse.Namespace, change, text) -> int:  # noqa: ANN001 - (session) -> Unit, (Unit) -> str
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            unit = change(s)
            payload = {"ok": True, "unit": unit.code, "name": unit.name, "level": unit.level,
                       "parent": unit.parent.code if unit.parent else None, "valid_from": unit.valid_from,
                       "valid_to": unit.valid_to}
            message = text(unit)
    finally:
        db.close()
    emit(args, payload, message)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    since = _day(args.from_date)
    return _edit(args, lambda s: add_unit(s, nfc(args.code), nfc(args.name), nfc(args.level), args.parent, since),
                 lambda u: f"Đã thêm {u.name} ({u.code}).")


def cmd_rename(args: argparse.Namespace) -> int:
    return _edit(args, lambda s: rename_unit(s, nfc(args.code), nfc(args.name)),
                 lambda u: f"Đã đổi tên đơn vị {u.code} thành “{u.name}”.")


def cmd_move(args: argparse.Namespace) -> int:
    parent = None if args.parent.strip() in ("", "-") else nfc(args.parent)
    return _edit(args, lambda s: move_unit(s, nfc(args.code), parent),
                 lambda u: f"{u.name} nay trực thuộc {u.parent.name if u.parent else 'cấp cao nhất'}.")


def cmd_close(args: argparse.Namespace) -> int:
    last = _day(args.last_day)
    return _edit(args, lambda s: close_unit(s, nfc(args.code), last),
                 lambda u: f"{u.name} ({u.code}) thôi tồn tại sau ngày {format_date(u.valid_to)}; số liệu được giữ.")


def cmd_merge(args: argparse.Namespace) -> int:
    on = _day(args.date)
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
