"""Subcommands for history and plan targets: trend, targets propose|add|list|status|text."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import EXIT_OK, db_path_of, emit
from core.plans.targets import (
    OP_WORDS,
    OPS,
    add_target,
    get_plan,
    import_targets,
    list_targets,
    plan_text,
    propose_targets,
    set_plan_text,
    stored_phrase,
    suggest_code,
)
from core.returns.history import trend_table
from core.returns.target_status import target_results, target_sentence
from core.safe_files import read_text_file
from core.vnformat import nfc
from db.engine import open_database


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("trend", parents=[common],
                       help="số liệu của một số chỉ tiêu qua các kỳ (so sánh giữa các kỳ, các năm)",
                       description="Giá trị các chỉ tiêu của đơn vị ở mọi kỳ có báo cáo, từ kỳ đầu đến kỳ cuối "
                                   "(theo thứ tự thời gian). Ô trống là chưa có số liệu, không phải 0.")
    p.add_argument("--unit", required=True, metavar="MÃ")
    p.add_argument("--codes", required=True, metavar="MÃ,MÃ", help="mã chỉ tiêu, ngăn bằng dấu phẩy: 1.1.1,1.1.2")
    p.add_argument("--from", dest="from_period", metavar="KỲ", help="kỳ đầu, ví dụ 2021-Q1 (mặc định: kỳ sớm nhất)")
    p.add_argument("--to", dest="to_period", metavar="KỲ", help="kỳ cuối (mặc định: kỳ muộn nhất)")
    p.add_argument("--xlsx", type=Path, metavar="TỆP", help="lưu bảng so sánh ra tệp .xlsx")
    p.set_defaults(handler=cmd_trend)

    p = sub.add_parser("sub-plan", parents=[common],
                       help="đánh dấu kế hoạch con (Kế hoạch tuyên truyền, Kế hoạch kiểm tra) của một kế hoạch",
                       description="Nhiệm vụ của kế hoạch con được báo cáo riêng (“đã hoàn thành 05/10 nhiệm vụ "
                                   "(đạt 50%)” của Kế hoạch tuyên truyền), không cộng vào số nhiệm vụ của kế hoạch "
                                   "chính (chỉ tiêu 1.1.1, 1.1.2).")
    p.add_argument("--plan", type=int, required=True, metavar="ID", help="kế hoạch con")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--of", dest="parent", type=int, metavar="ID", help="kế hoạch chính")
    group.add_argument("--clear", action="store_true", help="trở lại là kế hoạch riêng")
    p.set_defaults(handler=cmd_sub_plan)

    p = sub.add_parser("targets", parents=[common], help="chỉ tiêu kế hoạch: đề xuất từ văn bản, thêm, xem kết quả")
    tsub = p.add_subparsers(dest="targets_command", metavar="VIỆC", required=True)

    t = tsub.add_parser("propose", parents=[common],
                        help="đề xuất chỉ tiêu từ văn bản kế hoạch (không lưu; xác nhận bằng targets add)")
    t.add_argument("--plan", type=int, required=True, metavar="ID")
    t.add_argument("--text", type=Path, metavar="TỆP.txt",
                   help="đọc văn bản kế hoạch từ tệp .txt (mặc định: văn bản đã lưu của kế hoạch và các nhiệm vụ)")
    t.set_defaults(handler=cmd_propose)

    t = tsub.add_parser("text", parents=[common], help="lưu văn bản của kế hoạch (các dòng “Mục tiêu”) từ tệp .txt")
    t.add_argument("--plan", type=int, required=True, metavar="ID")
    t.add_argument("--from", dest="from_file", type=Path, required=True, metavar="TỆP.txt")
    t.set_defaults(handler=cmd_text)

    t = tsub.add_parser("add", parents=[common],
                        help="thêm một chỉ tiêu đã xác nhận cho kế hoạch (hoặc cho đơn vị trong một năm: "
                             "--unit --year)")
    owner = t.add_mutually_exclusive_group(required=True)
    owner.add_argument("--plan", type=int, metavar="ID")
    owner.add_argument("--unit", metavar="MÃ", help="đơn vị (khi chỉ tiêu không thuộc kế hoạch nào; cần --year)")
    t.add_argument("--code", required=True, metavar="MÃ", help="mã chỉ tiêu thống kê, ví dụ 1.1.2")
    t.add_argument("--of", dest="of_code", metavar="MÃ2", help="mẫu số của tỉ lệ (MÃ/MÃ2 × 100%%), ví dụ 1.1.1")
    t.add_argument("--op", required=True, choices=OPS, help="ge: ít nhất; le: tối đa; eq: bằng")
    t.add_argument("--value", required=True, metavar="GIÁ_TRỊ", help="ví dụ 95 hoặc 95%% hoặc 72,5")
    t.add_argument("--year", type=int, metavar="NĂM", help="chỉ áp dụng cho một năm (của kế hoạch, hoặc của đơn vị)")
    t.add_argument("--label", metavar="TÊN", help="tên chỉ tiêu như trong kế hoạch")
    t.add_argument("--source", metavar="CÂU", help="câu trong văn bản kế hoạch nêu chỉ tiêu")
    t.set_defaults(handler=cmd_add)

    t = tsub.add_parser("import", parents=[common],
                        help="nhập chỉ tiêu từ bảng .csv/.xlsx (cột code, of, op, value, label); lỗi một dòng thì "
                             "không nhập gì")
    t.add_argument("--plan", type=int, required=True, metavar="ID")
    t.add_argument("file", type=Path, metavar="TỆP")
    t.set_defaults(handler=cmd_import)

    t = tsub.add_parser("list", parents=[common], help="các chỉ tiêu của kế hoạch")
    t.add_argument("--plan", type=int, required=True, metavar="ID")
    t.set_defaults(handler=cmd_list)

    t = tsub.add_parser("status", parents=[common],
                        help="kết quả thực hiện chỉ tiêu trong kỳ: đạt / chưa đạt / chưa có số liệu")
    t.add_argument("--unit", required=True, metavar="MÃ")
    t.add_argument("--period", required=True, metavar="KỲ")
    t.set_defaults(handler=cmd_status)


# --------------------------------------------------------------------------- trend


def cmd_trend(args: argparse.Namespace) -> int:
    codes = [c.strip() for c in nfc(args.codes).split(",") if c.strip()]
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            table = trend_table(s, nfc(args.unit).strip(), codes, args.from_period, args.to_period)
    finally:
        db.close()
    if args.xlsx:
        from core.reports.history_table import write_trend_xlsx

        write_trend_xlsx(table, args.xlsx)
    payload = {"ok": True, "from": args.from_period, "to": args.to_period, **table.as_dict()}
    if args.xlsx:
        payload["xlsx"] = str(args.xlsx)
    lines = [f"Đơn vị {table.unit_code} – {table.unit_name}"]
    if not table.periods:
        lines.append("Không có báo cáo nào trong khoảng kỳ đã chọn.")
    for p in table.periods:
        cells = "; ".join(f"{c}: {(table.point(c, p.code).display if table.point(c, p.code) else '') or '(trống)'}"
                          for c in table.codes)
        lines.append(f"  {p.label}: {cells}")
    if args.xlsx:
        lines.append(f"Đã lưu bảng so sánh: {args.xlsx}")
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


# --------------------------------------------------------------------------- targets


def cmd_sub_plan(args: argparse.Namespace) -> int:
    from core.plans.store import set_sub_plan

    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            plan = set_sub_plan(s, args.plan, None if args.clear else args.parent)
            title = plan.title
    finally:
        db.close()
    text = (f"“{title}” là kế hoạch riêng." if args.clear
            else f"“{title}” là kế hoạch con của kế hoạch {args.parent}; nhiệm vụ của nó được báo cáo riêng.")
    emit(args, {"ok": True, "plan": args.plan, "parent": None if args.clear else args.parent}, text)
    return EXIT_OK


def cmd_propose(args: argparse.Namespace) -> int:
    text = None
    if args.text is not None:
        text = read_text_file(args.text)
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            plan = get_plan(s, args.plan)
            title = plan.title
            source = text if text is not None else plan_text(plan)
    finally:
        db.close()
    proposals = propose_targets(source)
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            suggested = [suggest_code(s, p) for p in proposals]
    finally:
        db.close()
    payload = {"ok": True, "plan": args.plan, "stored": False,
               "proposals": [{**p.as_dict(), "suggested_code": c} for p, c in zip(proposals, suggested, strict=True)]}
    lines = [f"Đề xuất chỉ tiêu từ văn bản kế hoạch “{title}” (chưa lưu; xác nhận từng chỉ tiêu bằng "
             "lệnh targets add --plan ID --code MÃ [--of MÃ2] --op ge|le|eq --value GIÁ_TRỊ):"]
    if not proposals:
        lines.append("  Không tìm thấy câu nào nêu chỉ tiêu định lượng (ví dụ “đạt 100%”, “trên 95%”).")
    for i, p in enumerate(proposals, 1):
        hint = f" [gợi ý chỉ tiêu {suggested[i - 1]}]" if suggested[i - 1] else ""
        lines.append(f"  {i}. {p.phrase} ({OP_WORDS[p.op]}) — {p.clause}{hint}")
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def cmd_text(args: argparse.Namespace) -> int:
    text = read_text_file(args.from_file)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            plan = set_plan_text(s, args.plan, text)
            found = len(propose_targets(plan.document_text or ""))
    finally:
        db.close()
    emit(args, {"ok": True, "plan": args.plan, "characters": len(text), "proposals": found},
         f"Đã lưu văn bản kế hoạch ({len(text)} ký tự); tìm thấy {found} chỉ tiêu có thể đề xuất "
         "(xem: targets propose).")
    return EXIT_OK


def _target_dict(s, t) -> dict:  # noqa: ANN001 - a session, a db.models.PlanTarget
    return {"id": t.id, "plan": t.plan_id, "unit": t.unit.code, "year": t.year, "code": t.code, "of": t.of_code,
            "op": t.op, "value": t.value, "label": t.label, "source": t.source_text,
            "phrase": stored_phrase(s, t)}


def cmd_add(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            target = add_target(s, plan_id=args.plan, code=args.code, of_code=args.of_code, op=args.op,
                                value=args.value, label=args.label, source_text=args.source, year=args.year,
                                unit_code=args.unit)
            data = _target_dict(s, target)
    finally:
        db.close()
    owner = f"kế hoạch {args.plan}" if args.plan is not None else f"đơn vị {args.unit} năm {args.year}"
    emit(args, {"ok": True, "target": data}, f"Đã thêm chỉ tiêu {data['phrase']} ({data['label']}) cho {owner}.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from core.safe_files import VALUES_LIMITS, read_table

    rows = read_table(args.file, VALUES_LIMITS)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            stored = [_target_dict(s, t) for t in import_targets(s, args.plan, rows, file_name=args.file.name)]
    finally:
        db.close()
    lines = [f"Đã nhập {len(stored)} chỉ tiêu cho kế hoạch {args.plan}:"]
    lines += [f"  {r['phrase']} — {r['label']}" for r in stored]
    emit(args, {"ok": True, "plan": args.plan, "targets": stored}, "\n".join(lines))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            get_plan(s, args.plan)
            rows = [_target_dict(s, t) for t in list_targets(s, plan_id=args.plan)]
    finally:
        db.close()
    lines = [f"Kế hoạch {args.plan}: {len(rows)} chỉ tiêu."]
    lines += [f"  {r['id']}. {r['phrase']} — {r['label']}" + (f" (năm {r['year']})" if r["year"] else "")
              for r in rows]
    emit(args, {"ok": True, "plan": args.plan, "targets": rows}, "\n".join(lines))
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            results = target_results(s, nfc(args.unit).strip(), args.period)
    finally:
        db.close()
    entries = [r.as_dict() for r in results]
    met = sum(r.met is True for r in results)
    lines = [f"Chỉ tiêu kế hoạch của đơn vị {args.unit}, kỳ {args.period}: đạt {met}/{len(results)}."]
    lines += [f"  - {r.phrase}: {r.met_label}. {target_sentence(r)}." for r in results]
    if not results:
        lines.append("  Chưa có chỉ tiêu nào (thêm bằng: targets add).")
    emit(args, {"ok": True, "unit": args.unit, "period": args.period, "targets": entries,
                "met_count": met, "total": len(results)}, "\n".join(lines))
    return EXIT_OK
