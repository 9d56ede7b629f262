"""Subcommands for a unit's periodic return: set-values, validate, submit, reopen, log, narrative, settings."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import EXIT_OK, EXIT_REFUSED, CommandError, db_path_of, emit, refusal_payload
from core.forms import ensure_standard_content
from core.org.settings import SPECS, all_settings, set_settings, spec_for
from core.org.units import get_unit
from core.returns.entry import apply_edits, find_unit_return, open_return, read_values_file, return_info
from core.returns.narrative import narrative_sections
from core.returns.snapshots import REOPEN_NOTICE, ensure_frozen, freeze_info
from core.returns.validation import validate_return
from core.returns.workflow import audit_for_return, audit_for_value, reopen_return, submit_return
from db.engine import open_database
from db.models import Return


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    target = argparse.ArgumentParser(add_help=False)
    target.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị (xem: units list)")
    target.add_argument("--period", required=True, metavar="KỲ",
                        help="kỳ báo cáo: 2022-Q1…Q4, 2022-H1, 2022-9M, 2022-Y")

    p = sub.add_parser("set-values", parents=[common, target],
                       help="ghi số liệu biểu thống kê từ tệp .csv/.xlsx (cột code,value[,note])",
                       description="Ghi số liệu từ tệp. Số viết kiểu Việt Nam (“72,8”, “3.133”). Nếu có dòng "
                                   "không đọc được thì không ghi gì; vi phạm quy tắc được báo ra, không bị bỏ qua.")
    p.add_argument("--from", dest="from_file", required=True, type=Path, metavar="TỆP")
    p.set_defaults(handler=cmd_set_values)

    p = sub.add_parser("validate", parents=[common, target],
                       help="kiểm tra số liệu của báo cáo; mã thoát khác 0 khi có lỗi")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("submit", parents=[common, target],
                       help="chuyển báo cáo sang “Đã hoàn thành” và khóa nguyên trạng (từ chối khi còn lỗi, cảnh báo "
                            "chưa ghi chú, chỉ tiêu để trống, hoặc phần thuyết minh tự viết đã cũ so với số liệu)")
    p.add_argument("--confirm-stale", action="store_true",
                   help="vẫn hoàn thành khi có phần thuyết minh tự viết mà số liệu đã thay đổi sau khi viết")
    p.set_defaults(handler=cmd_submit)

    p = sub.add_parser("reopen", parents=[common, target], help="mở lại báo cáo đã hoàn thành để sửa")
    p.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do mở lại (bắt buộc, được ghi nhật ký)")
    p.set_defaults(handler=cmd_reopen)

    p = sub.add_parser("log", parents=[common, target], help="nhật ký thay đổi của báo cáo (hoặc của một chỉ tiêu)")
    p.add_argument("--code", metavar="MÃ_CHỈ_TIÊU", help="chỉ xem lịch sử của một chỉ tiêu, ví dụ 1.1.2")
    p.set_defaults(handler=cmd_log)

    p = sub.add_parser("narrative", parents=[common, target],
                       help="phần thuyết minh của báo cáo (câu tự soạn từ số liệu và phần người dùng viết)")
    p.set_defaults(handler=cmd_narrative)

    p = sub.add_parser("settings", parents=[common], help="xem hoặc đặt cài đặt của đơn vị (ngày chốt số liệu, "
                                                          "hạn báo cáo, thông tin văn bản, người ký)")
    p.add_argument("--unit", required=True, metavar="MÃ")
    p.add_argument("--set", dest="assignments", action="append", default=[], metavar="KHÓA=GIÁ_TRỊ",
                   help="đặt một mục; danh sách ngăn bằng “|”; để trống giá trị để trở về mặc định")
    p.set_defaults(handler=cmd_settings)


# --------------------------------------------------------------------------- helpers

MAX_LISTED_ROWS = 50  # a file with thousands of bad lines is summed up, not printed line by line


def _find(session, args: argparse.Namespace) -> Return:
    ret = find_unit_return(session, args.unit, args.period)
    if ret is None:
        raise CommandError(f"Chưa có báo cáo của đơn vị “{args.unit}” cho kỳ {args.period}.")
    return ret


def _problem_lines(report) -> list[str]:
    return [f"  {p.line()}" for p in report.problems]


# --------------------------------------------------------------------------- set-values


def cmd_set_values(args: argparse.Namespace) -> int:
    with refusal_payload(stored=False):
        lines = read_values_file(args.from_file)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
            with refusal_payload(stored=False):
                ret = open_return(s, args.unit, args.period)
                result = apply_edits(s, ret.id, [fv.edit() for fv in lines], source="import")
            if not result.applied:
                bad = [{"line": lines[e.index].line, **e.as_dict()} for e in result.errors]
                shown = bad[:MAX_LISTED_ROWS]
                text = "\n".join(f"- dòng {b['line']}: {b['message']}" for b in shown)
                if len(bad) > len(shown):
                    text += f"\n… và {len(bad) - len(shown)} dòng không hợp lệ khác."
                # Raising inside the transaction rolls back everything, the return's creation included.
                raise CommandError(
                    f"Không ghi số liệu nào: {len(bad)} dòng không hợp lệ trong tệp “{args.from_file.name}”.\n{text}",
                    payload={"stored": False, "bad_rows": bad},
                )
            info = return_info(s, ret)
            report = result.report
    finally:
        db.close()
    payload = {
        "ok": not report.has_errors,
        "stored": True,
        "return": info.as_dict(),
        "rows": len(lines),
        "changed": [c.as_dict() for c in result.changes],
        "validation": report.as_dict(),
    }
    text = [f"Đã ghi {len(lines)} dòng vào báo cáo {info.unit_code} – {info.period_label} "
            f"({len(result.changes)} ô thay đổi).", f"Kiểm tra: {report.summary()}", *_problem_lines(report)]
    emit(args, payload, "\n".join(text))
    return EXIT_REFUSED if report.has_errors else EXIT_OK


# --------------------------------------------------------------------------- validate / submit / reopen


def cmd_validate(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            ret = _find(s, args)
            report = validate_return(s, ret)
            info = return_info(s, ret)
    finally:
        db.close()
    payload = {"ok": not report.has_errors, "return": info.as_dict(), **report.as_dict()}
    text = [f"Báo cáo {info.unit_code} – {info.period_label} ({info.status_label}): {report.summary()}",
            *_problem_lines(report)]
    emit(args, payload, "\n".join(text))
    return EXIT_REFUSED if report.has_errors else EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            ret = _find(s, args)
            report = submit_return(s, ret.id, confirm_stale=args.confirm_stale)
            info = return_info(s, ret)
            frozen = freeze_info(s, ret)
    finally:
        db.close()
    text = [f"Đã chuyển báo cáo {info.unit_code} – {info.period_label} sang “{info.status_label}”.",
            "Báo cáo được khóa nguyên trạng (số liệu, nhiệm vụ, thuyết minh, người ký, nơi nhận, kỳ số liệu "
            f"{info.window_text.lower()}); mã kiểm tra nội dung {frozen.content_sha256}."]
    if report.problems:
        text += ["Lưu ý (không chặn):", *_problem_lines(report)]
    emit(args, {"ok": True, "return": info.as_dict(), **report.as_dict(), "snapshot": frozen.as_dict()},
         "\n".join(text))
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            ret = _find(s, args)
            reopen_return(s, ret.id, args.reason)
            info = return_info(s, ret)
            frozen = freeze_info(s, ret)
    finally:
        db.close()
    changes = frozen.changes if frozen is not None else []
    text = [f"Đã mở lại báo cáo {info.unit_code} – {info.period_label} (trạng thái: {info.status_label}).",
            REOPEN_NOTICE]
    text += ["So với bản đã khóa:", *(f"  - {c}" for c in changes)] if changes else \
        ["So với bản đã khóa: hiện chưa có gì khác."]
    emit(args, {"ok": True, "return": info.as_dict(), "reason": args.reason.strip(), "changes": changes},
         "\n".join(text))
    return EXIT_OK


# --------------------------------------------------------------------------- log / narrative / settings


def cmd_log(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            ret = _find(s, args)
            rows = audit_for_value(s, ret.id, args.code) if args.code else audit_for_return(s, ret.id)
    finally:
        db.close()
    emit(args, {"ok": True, "entries": [r.as_dict() for r in rows]},
         "\n".join(r.line() for r in rows) or "Nhật ký trống.")
    return EXIT_OK


def cmd_narrative(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            ret = _find(s, args)
            ensure_frozen(s, ret)
            views = narrative_sections(s, ret)
    finally:
        db.close()
    lines = []
    for v in views:
        lines.append(v.title.upper() if v.level == 1 else v.title)
        mark = " [đã sửa tay; số liệu đã thay đổi sau khi sửa]" if v.stale else ""
        if v.text:
            lines.append(v.text + mark)
    emit(args, {"ok": True, "sections": [v.as_dict() for v in views]}, "\n".join(lines))
    return EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    values: dict[str, object] = {}
    for item in args.assignments:
        key, sep, value = item.partition("=")
        if not sep:
            raise CommandError(f"“{item}” không đúng dạng KHÓA=GIÁ_TRỊ.")
        spec = spec_for(key.strip())
        values[key.strip()] = value.split("|") if spec.kind == "list" else value
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            unit = get_unit(s, args.unit)
            changed = set_settings(s, unit, values) if values else []
            current = all_settings(s, unit)
    finally:
        db.close()
    lines = [f"Cài đặt của đơn vị {args.unit}:"]
    for key, value in current.items():
        spec = SPECS.get(key) or SPECS[key.rpartition(".")[0]]
        shown = " | ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        lines.append(f"  {key} ({spec.label}): {shown or '(trống)'}")
    if changed:
        lines.append(f"Đã thay đổi: {', '.join(changed)}.")
    emit(args, {"ok": True, "unit": args.unit, "settings": current, "changed": changed}, "\n".join(lines))
    return EXIT_OK
