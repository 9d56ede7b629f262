"""Subcommands of the consolidating office: import-returns, completeness, review, consolidate."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, CommandError, db_path_of, emit, refusal_payload
from core.forms import ensure_standard_content
from core.intake.completeness import DECISION_SHORT, completeness
from core.intake.consolidation import consolidate
from core.intake.handmade import parse_columns, read_handmade, store_handmade
from core.intake.importer import ReturnImporter
from core.intake.outcomes import ImportPolicy
from core.intake.return_files import collect_files, read_files
from core.intake.review import (
    accept_return,
    accept_valid,
    note_file_name,
    review_info,
    save_note,
    send_back_note,
    send_back_return,
)
from core.periods import parse_period_code
from db.dialect import begin_consistent_read
from db.engine import open_database


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import-returns", parents=[common],
        help="nhập báo cáo của các đơn vị cấp dưới từ tệp Excel (một tệp, nhiều tệp hoặc cả thư mục)",
        description=(
            "Nhập các tệp báo cáo do chương trình xuất ở đơn vị cấp dưới. Mỗi tệp có một kết quả: "
            "imported (đã nhập), replaced (thay bản cũ), skipped (bỏ qua: trùng, bản cũ hơn) hoặc rejected "
            "(từ chối), kèm lý do. Mỗi tệp nhập trong một giao dịch riêng; tệp lỗi không ảnh hưởng tệp khác. "
            "Tệp có ô bị sửa trong Excel sau khi xuất bị từ chối, trừ khi có --accept-edits (giữ số như trong tệp); "
            "đơn vị không trực thuộc bị từ chối, trừ khi có --accept-other-units.\n\n"
            "Biểu điền tay (đơn vị không dùng chương trình): --handmade TỆP --child MÃ --period KỲ để xem trước "
            "các dòng khớp/không khớp/thiếu; thêm --confirm để lưu.\n\n"
            "Mã thoát khác 0 khi không nhập được tệp nào (có tệp bị từ chối hoặc không có tệp)."),
    )
    p.add_argument("--unit", required=True, metavar="MÃ", help="đơn vị nhận báo cáo (cấp trên)")
    p.add_argument("paths", nargs="*", type=Path, metavar="ĐƯỜNG_DẪN", help="tệp .xlsx hoặc thư mục")
    p.add_argument("--period", metavar="KỲ", help="chỉ nhận báo cáo của kỳ này (ví dụ 2021-H1)")
    p.add_argument("--accept-edits", action="store_true",
                   help="nhận tệp có ô bị sửa trong Excel sau khi xuất, giữ số như đang có trong tệp")
    p.add_argument("--accept-other-units", action="store_true",
                   help="nhận cả báo cáo của đơn vị không trực thuộc đơn vị nhận trong kỳ đó")
    p.add_argument("--report", type=Path, metavar="TỆP", help="lưu bảng kết quả nhập ra tệp .xlsx hoặc .csv")
    p.add_argument("--handmade", type=Path, metavar="TỆP", help="nhập biểu mẫu điền tay trong Excel")
    p.add_argument("--child", metavar="MÃ", help="với --handmade: đơn vị của biểu (mặc định: đoán từ tiêu đề/tên tệp)")
    p.add_argument("--confirm", action="store_true", help="với --handmade: lưu sau khi xem trước")
    p.add_argument("--columns", action="append", default=[], metavar="VAI=CỘT",
                   help="với --handmade: chỉ định cột, ví dụ --columns value=F,note=G (vai: stt, name, unit, value, "
                        "note); được lưu khi --confirm và tự dùng lại cho tệp có cùng dòng tiêu đề")
    p.set_defaults(handler=cmd_import_returns)

    target = argparse.ArgumentParser(add_help=False)
    target.add_argument("--unit", required=True, metavar="MÃ", help="đơn vị tổng hợp (cấp trên)")
    target.add_argument("--period", required=True, metavar="KỲ",
                        help="kỳ báo cáo: 2022-Q1…Q4, 2022-H1, 2022-9M, 2022-Y")

    p = sub.add_parser("completeness", parents=[common, target],
                       help="tình hình nhận báo cáo của các đơn vị trực thuộc (đúng hạn, quá hạn, chưa nhận)")
    p.set_defaults(handler=cmd_completeness)

    p = sub.add_parser(
        "review", parents=[common, target],
        help="xem xét báo cáo đã nhận của đơn vị cấp dưới: chấp nhận hoặc trả lại (kèm lý do)",
        description=(
            "Mỗi báo cáo nhận được (tệp đã nhập, hoặc báo cáo đơn vị cấp dưới hoàn thành trên cơ sở dữ liệu dùng "
            "chung) ở trạng thái “chờ xem xét” cho đến khi đơn vị nhận chấp nhận hoặc trả lại. Chỉ báo cáo đã chấp "
            "nhận được tổng hợp. Bản mới hơn (tệp mới, hoặc hoàn thành lại) lại chờ xem xét.\n\n"
            "Không có --accept/--send-back: in tình trạng và kết quả kiểm tra số liệu của báo cáo.\n"
            "--accept: bản Nháp hoặc báo cáo có lỗi chỉ chấp nhận được khi có --note ghi lý do.\n"
            "--send-back \"lý do\": in thông báo trả lại để gửi đơn vị (lưu ra tệp .txt với --save-note).\n"
            "--accept --all: chấp nhận mọi báo cáo đang chờ không phải bản Nháp và không có lỗi."))
    p.add_argument("--child", metavar="MÃ", help="đơn vị cấp dưới có báo cáo cần xem xét")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--accept", action="store_true", help="chấp nhận báo cáo (được tính khi tổng hợp)")
    action.add_argument("--send-back", metavar="LÝ_DO", help="trả lại báo cáo, kèm lý do để đơn vị sửa")
    p.add_argument("--note", metavar="GHI_CHÚ", help="ghi chú khi chấp nhận (bắt buộc với bản Nháp, báo cáo có lỗi)")
    p.add_argument("--all", action="store_true",
                   help="với --accept, không cần --child: chấp nhận mọi báo cáo chờ xem xét không cần ghi chú")
    p.add_argument("--save-note", type=Path, metavar="TỆP",
                   help="lưu thông báo trả lại ra tệp .txt (mặc định khi trả lại: chỉ in ra)")
    p.set_defaults(handler=cmd_review)

    p = sub.add_parser("consolidate", parents=[common, target],
                       help="tổng hợp báo cáo đã chấp nhận của các đơn vị trực thuộc thành báo cáo của đơn vị",
                       description="Tổng hợp theo quy tắc của biểu mẫu (cộng, tính lại tỷ lệ, trung bình, phân bố) "
                                   "các báo cáo đã chấp nhận (lệnh review); báo cáo chờ xem xét hoặc bị trả lại "
                                   "không được tính và được liệt kê. "
                                   "Số người dùng đã sửa tay không bị ghi đè: được giữ và báo ra, trừ các mã ghi "
                                   "trong --take-computed.")
    p.add_argument("--take-computed", nargs="+", default=[], metavar="MÃ_CHỈ_TIÊU",
                   help="dùng số tổng hợp cho các chỉ tiêu này dù người dùng đã sửa tay")
    p.set_defaults(handler=cmd_consolidate)


# --------------------------------------------------------------------------- import-returns


def cmd_import_returns(args: argparse.Namespace) -> int:
    if args.handmade is not None:
        return _handmade(args)
    if not args.paths:
        raise CommandError("Chưa chỉ định tệp hoặc thư mục cần nhập.")
    if args.period:
        parse_period_code(args.period)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise CommandError("Không tìm thấy: " + ", ".join(missing))
    if not collect_files(args.paths):
        raise CommandError("Không có tệp Excel nào trong " + ", ".join(str(p) for p in args.paths) + ".",
                           payload={"files": []})
    policy = ImportPolicy(period_code=args.period, edits="file" if args.accept_edits else "reject",
                          other_units="accept" if args.accept_other_units else "reject")
    # Every file is read and checked before the writer lock is taken: a huge or hostile file is
    # refused without keeping anyone else from writing meanwhile.
    preread = read_files(args.paths)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
        importer = ReturnImporter(db, args.unit, policy)
        report = importer.run(args.paths, preread=preread)
    finally:
        db.close()
    if args.report:
        report.save(args.report)
    counts = report.counts()
    ok = report.stored > 0 or counts["rejected"] == 0
    payload = {"ok": ok, **report.as_dict()}
    if args.report:
        payload["report_file"] = str(args.report.resolve())
    emit(args, payload, "\n".join(report.lines()))
    return EXIT_OK if ok else EXIT_REFUSED


def _handmade(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
    finally:
        db.close()
    # The file is read with the database open for reading only: the writer lock is not held meanwhile.
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            preview = read_handmade(s, args.handmade, parent=args.unit, child=args.child,
                                    columns=parse_columns(args.columns))
    finally:
        db.close()
    child = args.child or (preview.guessed_unit[0] if preview.guessed_unit else None)
    period = args.period or preview.guessed_period
    payload: dict = {"ok": True, "stored": False, "child": child, "period": period, "preview": preview.as_dict()}
    lines = preview.lines_text()
    if not args.confirm:
        lines.append("Chưa lưu. Kiểm tra các dòng trên rồi chạy lại với --confirm để lưu"
                     + ("" if child and period else " (kèm --child và --period)") + ".")
        emit(args, payload, "\n".join(lines))
        return EXIT_OK
    if not child or not period:
        raise CommandError("Cần --child (mã đơn vị của biểu) và --period (kỳ báo cáo) để lưu biểu điền tay.",
                           payload={"stored": False, "preview": preview.as_dict()})
    db = open_database(db_path_of(args))
    try:
        with refusal_payload(stored=False, preview=preview.as_dict()):
            outcome = store_handmade(db, args.unit, preview, child, period)
    finally:
        db.close()
    payload.update({"stored": outcome.outcome in ("imported", "replaced"), "files": [outcome.as_dict()]})
    emit(args, payload, "\n".join([*lines, outcome.line()]))
    return EXIT_OK


# --------------------------------------------------------------------------- completeness / consolidate


def cmd_completeness(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            board = completeness(s, args.unit, args.period)
    finally:
        db.close()
    lines = [board.headline()]
    for r in board.rows:
        parts = [f"  {r.unit_code:<14} {r.unit_name:<40} {r.state_label}"]
        if r.received_text:
            parts.append(r.received_text)
        if r.task_text:
            parts.append(f"nhiệm vụ {r.task_text}")
        if r.note:
            parts.append(r.note)
        if r.review_text:
            parts.append(f"xem xét: {r.review_text}")
        if r.state == "decision" and r.decision_code:
            parts.append(DECISION_SHORT.get(r.decision_code, r.decision_reason or ""))
        if not r.expected:
            parts.append("(ngoài danh sách trực thuộc)")
        lines.append(" — ".join(parts))
    if board.missing_rows:
        lines += ["", board.reminder_text()]
    emit(args, {"ok": True, **board.as_dict()}, "\n".join(lines))
    return EXIT_OK


def cmd_consolidate(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            begin_consistent_read(s)  # a child submitting meanwhile is seen before or after, never half
            result = consolidate(s, args.unit, args.period, take_computed=set(args.take_computed))
    finally:
        db.close()
    emit(args, {"ok": True, **result.as_dict()}, "\n".join(result.lines()))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    if args.all and not args.accept:
        raise CommandError("--all chỉ dùng với --accept.", code=EXIT_USAGE)
    if not args.all and not args.child:
        raise CommandError("Cần --child MÃ (đơn vị cấp dưới có báo cáo cần xem xét).", code=EXIT_USAGE)
    if args.note and not args.accept:
        raise CommandError("--note là ghi chú khi chấp nhận (--accept); khi trả lại, ghi lý do sau --send-back.",
                           code=EXIT_USAGE)
    writing = args.accept or args.send_back is not None
    db = open_database(db_path_of(args), write=writing)
    try:
        if args.all:
            with db.transaction() as s:
                accepted, left = accept_valid(s, args.unit, args.period)
            return _review_all(args, accepted, left)
        if not writing:
            with db.session() as s:
                info = review_info(s, args.unit, args.child, args.period)
        elif args.accept:
            with db.transaction() as s:
                info = accept_return(s, args.unit, args.child, args.period, note=args.note)
        else:
            with db.transaction() as s:
                info = send_back_return(s, args.unit, args.child, args.period, args.send_back)
    finally:
        db.close()
    payload = {"ok": True, **info.as_dict()}
    lines = info.lines()
    if info.state == "sent_back":
        note = send_back_note(info)
        payload["send_back_note"] = note
        lines += ["", note]
        if args.save_note is not None:
            target = args.save_note / note_file_name(info) if args.save_note.is_dir() else args.save_note
            saved = save_note(note, target)
            payload["note_file"] = str(saved.resolve())
            lines.append(f"Đã lưu thông báo trả lại: {saved}")
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def _review_all(args: argparse.Namespace, accepted: list, left: list) -> int:
    lines = [f"Đã chấp nhận {len(accepted)} báo cáo: " + (", ".join(i.unit_name for i in accepted) or "không có") + "."]
    if left:
        lines.append(f"Còn {len(left)} báo cáo cần xem xét riêng (cần ghi chú để chấp nhận, hoặc trả lại):")
        lines += [f"  {i.unit_code} {i.unit_name}: báo cáo {i.why_note}" for i in left]
    emit(args, {"ok": True, "unit": args.unit, "period": args.period, "accepted": [i.unit_code for i in accepted],
                "left": [{"child": i.unit_code, "child_name": i.unit_name, "why": i.why_note} for i in left]},
         "\n".join(lines))
    return EXIT_OK
