"""``index …``: the PAR-Index (Chỉ số CCHC) — import a criteria set, self-score with evidence, submit/reopen,
export the score table (xlsx, PDF), import the units' score workbooks, appraise and rank."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from cli import EXIT_OK, EXIT_REFUSED, CommandError, db_path_of, emit
from core.index.points import format_points
from core.vnformat import format_percent, nfc
from db.engine import open_database


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    index = sub.add_parser("index", parents=[common],
                           help="Chỉ số CCHC: bộ tiêu chí, tự chấm điểm, thẩm định, xếp hạng",
                           description="Chỉ số cải cách hành chính (PAR-Index) của đơn vị: nhập bộ tiêu chí từ phụ lục "
                                       "quyết định, tự chấm điểm kèm tài liệu kiểm chứng, nộp/mở lại, xuất bảng điểm, "
                                       "nhận bảng điểm của đơn vị cấp dưới, thẩm định và xếp hạng.")
    isub = index.add_subparsers(dest="index_command", metavar="LỆNH", title="các lệnh",
                                parser_class=type(index))
    index.set_defaults(handler=lambda args: _usage(index))

    unit_year = argparse.ArgumentParser(add_help=False)
    unit_year.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị")
    unit_year.add_argument("--year", required=True, type=int, metavar="NĂM", help="năm đánh giá")

    p = isub.add_parser("import-criteria", parents=[common],
                        help="nhập bộ tiêu chí (phụ lục của quyết định, dán vào Excel); --dry-run chỉ xem trước",
                        description="Đọc bảng tiêu chí: lĩnh vực, tiêu chí, tiêu chí thành phần, điểm tối đa, "
                                    "hướng dẫn chấm điểm, tài liệu kiểm chứng. Kiểm tra điểm tối đa của mỗi mục cha "
                                    "bằng tổng các mục con. Không ghi gì khi có lỗi hoặc với --dry-run.")
    p.add_argument("file", type=Path, metavar="TỆP.xlsx")
    p.add_argument("--year", required=True, type=int, metavar="NĂM")
    p.add_argument("--level", choices=["so", "huyen", "xa"], help="bộ tiêu chí dành cho cấp nào (mặc định: đọc "
                                                                  "từ tiêu đề)")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    p.set_defaults(handler=cmd_import_criteria)

    p = isub.add_parser("show", parents=[common, unit_year], help="cây tiêu chí với điểm tối đa, tự chấm, thẩm định, "
                                                                 "tài liệu kiểm chứng và tổng")
    p.set_defaults(handler=cmd_show)

    p = isub.add_parser("score", parents=[common, unit_year], help="chấm điểm một tiêu chí (thành phần)")
    p.add_argument("--criterion", required=True, metavar="MÃ", help="mã tiêu chí, ví dụ 1.2")
    p.add_argument("--points", metavar="ĐIỂM", help="số điểm tự chấm, ví dụ 1,5")
    p.add_argument("--note", metavar="GIẢI_TRÌNH", help="giải trình (bắt buộc khi dưới điểm tối đa)")
    p.add_argument("--not-applicable", action="store_true", help="tiêu chí không áp dụng với đơn vị (cần --note)")
    p.add_argument("--accept-proposal", action="store_true",
                   help="nhận điểm chương trình đề xuất (từ kế hoạch, báo cáo đã gửi; xem index show)")
    p.add_argument("--evidence-number", metavar="SỐ_KÝ_HIỆU", help="số, ký hiệu văn bản kiểm chứng")
    p.add_argument("--evidence-date", metavar="NGÀY", help="ngày văn bản (dd/mm/yyyy)")
    p.add_argument("--evidence-summary", metavar="TRÍCH_YẾU", help="trích yếu văn bản")
    p.add_argument("--evidence-file", type=Path, metavar="TỆP", help="tệp văn bản kiểm chứng")
    p.set_defaults(handler=cmd_score)

    for name, text in (("submit", "nộp và khóa bảng tự chấm điểm"), ("reopen", "mở lại bảng tự chấm điểm đã nộp")):
        p = isub.add_parser(name, parents=[common, unit_year], help=text)
        p.add_argument("--reason", metavar="LÝ_DO", help="lý do (bắt buộc khi mở lại)")
        p.set_defaults(handler=cmd_submit if name == "submit" else cmd_reopen)

    p = isub.add_parser("export", parents=[common, unit_year],
                        help="xuất bảng điểm (.xlsx tự kiểm tra, gửi cấp trên) và báo cáo tự đánh giá (.pdf)")
    p.add_argument("--xlsx", type=Path, metavar="TỆP.xlsx")
    p.add_argument("--pdf", type=Path, metavar="TỆP.pdf")
    sign = p.add_argument_group("ký số bảng điểm (như báo cáo định kỳ; mã PIN từ CCHC_SIGN_PIN hoặc được hỏi)")
    sign.add_argument("--sign-p12", type=Path, metavar="TỆP", help="ký bằng tệp chứng thư số .p12/.pfx")
    sign.add_argument("--sign-pkcs11", metavar="THƯ_VIỆN", help="ký bằng thiết bị ký số (thư viện PKCS#11)")
    sign.add_argument("--token-label", metavar="NHÃN", help="nhãn của thiết bị ký số")
    sign.add_argument("--key-label", metavar="NHÃN", help="nhãn của khóa ký trên thiết bị")
    p.set_defaults(handler=cmd_export)

    p = isub.add_parser("import-scores", parents=[common],
                        help="nhận bảng điểm (.xlsx) của các đơn vị cấp dưới; kết quả từng tệp")
    p.add_argument("--unit", required=True, metavar="MÃ_CẤP_TRÊN")
    p.add_argument("paths", nargs="+", type=Path, metavar="ĐƯỜNG_DẪN")
    p.set_defaults(handler=cmd_import_scores)

    p = isub.add_parser("appraise", parents=[common, unit_year],
                        help="thẩm định điểm một tiêu chí của đơn vị cấp dưới (hoặc nhập điểm điều tra xã hội học)")
    p.add_argument("--criterion", required=True, metavar="MÃ")
    p.add_argument("--points", required=True, metavar="ĐIỂM")
    p.add_argument("--note", metavar="LÝ_DO", help="lý do (bắt buộc khi khác điểm tự chấm)")
    p.set_defaults(handler=cmd_appraise)

    p = isub.add_parser("import-survey", parents=[common],
                        help="nhập điểm điều tra xã hội học của các đơn vị cấp dưới từ bảng (.xlsx/.csv: Mã đơn vị, "
                             "Mã tiêu chí, Điểm); có dòng sai thì không nhập gì")
    p.add_argument("--unit", required=True, metavar="MÃ_CẤP_TRÊN")
    p.add_argument("--year", required=True, type=int, metavar="NĂM")
    p.add_argument("file", type=Path, metavar="TỆP")
    p.set_defaults(handler=cmd_import_survey)

    p = isub.add_parser("ranking", parents=[common], help="xếp hạng Chỉ số CCHC các đơn vị cấp dưới theo nhóm")
    p.add_argument("--unit", required=True, metavar="MÃ_CẤP_TRÊN")
    p.add_argument("--year", required=True, type=int, metavar="NĂM")
    p.add_argument("--xlsx", type=Path, metavar="TỆP.xlsx")
    p.add_argument("--pdf", type=Path, metavar="TỆP.pdf")
    p.set_defaults(handler=cmd_ranking)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


# --------------------------------------------------------------------------- import-criteria

def _preview_text(p: dict) -> str:
    from core.index.criteria import CRITERIA_LEVELS

    level = CRITERIA_LEVELS.get(p["level"], p["level"])
    lines = [p["title"], f"Năm {p['year']}, bộ chỉ số cho {level}" + (f" — {p['source_document']}"
                                                                     if p["source_document"] else ""),
             f"{p['areas']} lĩnh vực, {p['criteria']} tiêu chí, {p['sub_criteria']} tiêu chí thành phần "
             f"({p['leaves']} mục chấm điểm)."]
    kinds = {"self": "", "survey": " (điều tra xã hội học)", "deduction": " (điểm trừ)"}
    for a in p["areas_list"]:
        lines.append(f"  {a['stt']}. {a['name']}{kinds[a['kind']]}: {a['criteria']} tiêu chí, tối đa {a['max']} điểm")
    by = p["max_by_kind"]
    lines.append(f"Tổng điểm tối đa: {p['total_max']} (tự chấm {by['self']}, điều tra xã hội học {by['survey']}); "
                 f"điểm trừ tối đa {by['deduction']}.")
    for m in p["mismatches"]:
        lines.append(("Lỗi: " if m["blocking"] else "Lưu ý: ") + m["message"] + ".")
    for w in p["warnings"]:
        lines.append(f"Lưu ý: {w}")
    return "\n".join(lines)


def cmd_import_criteria(args: argparse.Namespace) -> int:
    from core.index.criteria import store_set
    from core.index.criteria_import import read_criteria_table

    path = Path(nfc(str(args.file)))
    cset = read_criteria_table(path, args.year, args.level)
    preview = cset.preview()
    blocking = cset.blocking()
    if args.dry_run:
        emit(args, {"ok": not blocking, "stored": False, **preview},
             _preview_text(preview) + "\n(Xem trước: chưa ghi gì vào cơ sở dữ liệu.)")
        return EXIT_REFUSED if blocking else EXIT_OK
    if blocking:
        raise CommandError("Không lưu bộ tiêu chí: điểm tối đa của mục cha khác tổng các mục con ở "
                           + "; ".join(m.message() for m in blocking) + ". Sửa bảng rồi nhập lại.",
                           payload={"stored": False, **preview})
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            row, new = store_set(s, cset, source_file=path.name)
            version = row.version
    finally:
        db.close()
    note = (f"Đã lưu bộ tiêu chí năm {args.year}, phiên bản {version}." if new
            else f"Bộ tiêu chí này đã có (phiên bản {version}), không lưu thêm.")
    emit(args, {"ok": True, "stored": new, "version": version, **preview}, _preview_text(preview) + "\n" + note)
    return EXIT_OK


# --------------------------------------------------------------------------- show

def _tree_payload(s, a) -> dict:  # noqa: ANN001
    from core.index.scoring import compute_totals

    t = compute_totals(s, a)
    rows = []
    for c in t.criteria:
        r = t.rows[c.code]
        rows.append({
            "code": c.code, "stt": c.stt, "name": c.name, "depth": c.depth, "kind": c.kind, "leaf": c.is_leaf,
            "max": format_points(c.max_centi), "self": format_points(r.self_centi) or None,
            "appraised": format_points(r.appraised_centi) if r.appraised_given else None,
            "not_applicable": r.not_applicable,
            "evidence": r.evidence, "note": r.note, "appraisal_note": r.appraisal_note,
            "proposed": format_points(r.proposed_centi) if r.proposed_centi is not None else None,
            "proposal_source": r.proposal_source,
        })
    idx, self_idx = t.index(), t.self_index()
    return {
        "unit": a.unit.code, "unit_name": a.unit.name, "year": a.year, "status": a.status, "origin": a.origin,
        "criteria_set": {"title": a.criteria_set.title, "version": a.criteria_set.version},
        "rows": rows,
        "totals": {
            "self": format_points(t.self_points), "self_deduction": format_points(t.self_deduction),
            "self_max": format_points(t.self_max),
            "self_index": format_percent(self_idx, rule=t.rule) if self_idx is not None else None,
            "appraised": format_points(t.appraised_points), "survey": format_points(t.survey_points),
            "deduction": format_points(t.appraised_deduction), "points": format_points(t.final_points),
            "max": format_points(t.final_max),
            "index": format_percent(idx, rule=t.rule) if idx is not None else None,
        },
        "progress": t.progress_line(),
    }


def _tree_text(p: dict) -> str:
    status = {"draft": "đang chấm", "submitted": "đã nộp"}[p["status"]]
    lines = [f"{p['unit_name']} — Chỉ số CCHC năm {p['year']} ({status})",
             f"{'Mã':<8} {'Tiêu chí':<60} {'Tối đa':>7} {'Tự chấm':>8} {'Thẩm định':>10} {'TLKC':>5}"]
    for r in p["rows"]:
        name = ("  " * r["depth"] + r["name"].replace("\n", " "))[:60]
        self_text = "KAD" if r["not_applicable"] else (r["self"] or "")
        lines.append(f"{r['stt']:<8} {name:<60} {r['max']:>7} {self_text:>8} {r['appraised'] or '':>10} "
                     f"{r['evidence'] if r['leaf'] else '':>5}")
    t = p["totals"]
    lines.append(f"Tổng điểm tự chấm: {t['self']}/{t['self_max']}" + (f", điểm trừ {t['self_deduction']}"
                                                                        if t["self_deduction"] != "0" else "")
                 + (f" — chỉ số tự đánh giá {t['self_index']}" if t["self_index"] else ""))
    lines.append(f"Sau thẩm định: {t['points']}/{t['max']} (điều tra xã hội học {t['survey']}, điểm trừ "
                 f"{t['deduction']}) — Chỉ số CCHC {t['index'] or '—'}")
    lines.append(p["progress"].capitalize())
    for r in p["rows"]:
        if r["proposed"] is not None:
            lines.append(f"Đề xuất cho tiêu chí {r['stt']}: {r['proposal_source']}")
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    from core.index.proposals import propose_scores
    from core.index.scoring import assessment_for

    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            a = assessment_for(s, args.unit, args.year)
            if a.origin == "entered" and a.status == "draft":
                propose_scores(s, a)
            payload = _tree_payload(s, a)
    finally:
        db.close()
    emit(args, {"ok": True, **payload}, _tree_text(payload))
    return EXIT_OK


# --------------------------------------------------------------------------- score

def _parse_day(text: str | None) -> date | None:
    if not text:
        return None
    from core.plans.progress import parse_day

    return parse_day(nfc(text), "Ngày văn bản")


def cmd_score(args: argparse.Namespace) -> int:
    from core.index.scoring import add_score_evidence, assessment_for, compute_totals, set_score

    has_evidence = args.evidence_number or args.evidence_file or args.evidence_summary
    if args.accept_proposal and args.points is not None:
        raise CommandError("Chọn --points hoặc --accept-proposal, không dùng cả hai.")
    if args.points is None and not args.not_applicable and not has_evidence and not args.accept_proposal:
        raise CommandError("Cần --points (số điểm), --not-applicable hoặc tài liệu kiểm chứng (--evidence-number, "
                           "--evidence-file).")
    target = db_path_of(args)
    from db.engine import is_url

    db = open_database(target)
    try:
        with db.transaction() as s:
            a = assessment_for(s, args.unit, args.year)
            if args.accept_proposal:
                args.points = _proposed_points(s, a, args.criterion)
            code = None
            if args.points is not None or args.not_applicable:
                code = set_score(s, a, args.criterion, args.points, note=args.note,
                                 not_applicable=args.not_applicable).criterion.code
            if has_evidence:
                ev = add_score_evidence(s, a, args.criterion, document_number=args.evidence_number,
                                        document_date=_parse_day(args.evidence_date), summary=args.evidence_summary,
                                        file=args.evidence_file, db_path=None if is_url(str(target)) else target)
                code = ev.score.criterion.code
            t = compute_totals(s, a)
            r = t.rows[code]
            area_code = _area_of(t, r.code)
            payload = {"ok": True, "criterion": r.code, "points": format_points(r.self_centi) or None,
                       "max": format_points(r.max_centi), "not_applicable": r.not_applicable, "evidence": r.evidence,
                       "area": area_code, "area_total": format_points(t.rows[area_code].self_centi),
                       "total": format_points(t.self_points), "progress": t.progress_line()}
    finally:
        db.close()
    emit(args, payload, f"Đã ghi: tiêu chí {payload['criterion']} — "
                        + ("không áp dụng" if payload["not_applicable"] else
                           f"{payload['points'] or 'chưa chấm'}/{payload['max']} điểm")
                        + f", {payload['evidence']} tài liệu kiểm chứng. Tổng lĩnh vực {area_code}: "
                          f"{payload['area_total']}; tổng tự chấm: {payload['total']}. "
                        + payload["progress"].capitalize() + ".")
    return EXIT_OK


def _proposed_points(s, a, code: str) -> str:  # noqa: ANN001
    from core.index.proposals import propose_scores
    from core.index.scoring import criterion_by_code, score_row

    propose_scores(s, a)
    row = score_row(s, a, criterion_by_code(s, a, code), create=False)
    if row is None or row.proposed_centi is None:
        raise CommandError(f"Chương trình không có điểm đề xuất cho tiêu chí {code} (chưa có số liệu kế hoạch hoặc "
                           "báo cáo để đề xuất).")
    return format_points(row.proposed_centi)


def _area_of(t, code: str) -> str:  # noqa: ANN001
    by = {c.code: c for c in t.criteria}
    c = by[code]
    while c.parent_code:
        c = by[c.parent_code]
    return c.code


def cmd_submit(args: argparse.Namespace) -> int:
    from core.index.scoring import assessment_for, submit_assessment

    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            a = assessment_for(s, args.unit, args.year)
            submit_assessment(s, a)
            name = a.unit.name
    finally:
        db.close()
    emit(args, {"ok": True, "status": "submitted"}, f"Đã nộp và khóa bảng tự chấm điểm năm {args.year} của {name}.")
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    from core.index.scoring import assessment_for, reopen_assessment

    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            a = assessment_for(s, args.unit, args.year, create=False)
            reopen_assessment(s, a, args.reason)
            name = a.unit.name
    finally:
        db.close()
    emit(args, {"ok": True, "status": "draft"}, f"Đã mở lại bảng tự chấm điểm năm {args.year} của {name}.")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from cli.export_commands import _signer  # the one way the CLI opens a signing key (PIN, token, errors)
    from core.index.report import export_self_assessment_pdf
    from core.index.scoring import assessment_for
    from core.index.workbook import write_score_workbook

    if not args.xlsx and not args.pdf:
        raise CommandError("Cần --xlsx TỆP (bảng điểm gửi cấp trên) và/hoặc --pdf TỆP (báo cáo tự đánh giá).")
    signer = _signer(args) if args.xlsx else None
    db = open_database(db_path_of(args))
    payload: dict = {"ok": True}
    lines = []
    try:
        with db.transaction() as s:
            a = assessment_for(s, args.unit, args.year, create=False)
            if args.xlsx:
                res = write_score_workbook(s, a, Path(nfc(str(args.xlsx))),
                                           sign=signer.sign_detached if signer is not None else None)
                payload.update(xlsx=str(res.path), content_sha256=res.content_sha256, signed=signer is not None)
                lines.append(f"Đã xuất bảng điểm: {res.path}" + (" (đã ký số)" if signer is not None else ""))
                if a.status != "submitted":
                    lines.append("Lưu ý: bảng điểm chưa nộp; cấp trên chỉ nhận bảng điểm đã nộp.")
            if args.pdf:
                path = export_self_assessment_pdf(s, a, Path(nfc(str(args.pdf))))
                payload["pdf"] = str(path)
                lines.append(f"Đã xuất báo cáo tự đánh giá: {path}")
    finally:
        db.close()
    emit(args, payload, "\n".join(lines))
    return EXIT_OK


def cmd_import_scores(args: argparse.Namespace) -> int:
    from core.index.appraisal import OUTCOME_LABELS, import_score_files

    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            outcomes = import_score_files(s, args.unit, list(args.paths))
    finally:
        db.close()
    if not outcomes:
        raise CommandError("Không tìm thấy tệp bảng điểm (.xlsx) nào ở đường dẫn đã cho.")
    counts = {k: sum(1 for o in outcomes if o.outcome == k) for k in OUTCOME_LABELS}
    text = "\n".join(f"- {o.file}: {OUTCOME_LABELS[o.outcome]} — {o.reason}" for o in outcomes)
    summary = ", ".join(f"{n} {OUTCOME_LABELS[k]}" for k, n in counts.items() if n)
    emit(args, {"ok": True, "files": [o.as_dict() for o in outcomes], "counts": counts},
         f"{text}\nTổng: {len(outcomes)} tệp ({summary}).")
    return EXIT_OK


def cmd_appraise(args: argparse.Namespace) -> int:
    from core.index.appraisal import appraise
    from core.index.scoring import compute_totals

    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            row = appraise(s, args.unit, args.year, args.criterion, args.points, args.note)
            t = compute_totals(s, row.assessment)
            idx = t.index()
            payload = {"ok": True, "criterion": row.criterion.code, "appraised": format_points(row.appraised_centi),
                       "self": format_points(row.self_centi) or None, "points": format_points(t.final_points),
                       "max": format_points(t.final_max),
                       "index": format_percent(idx, rule=t.rule) if idx is not None else None}
    finally:
        db.close()
    emit(args, payload, f"Đã thẩm định tiêu chí {payload['criterion']}: {payload['appraised']} điểm (tự chấm "
                        f"{payload['self'] or 'trống'}). Tổng sau thẩm định {payload['points']}/{payload['max']}, "
                        f"Chỉ số CCHC {payload['index'] or '—'}.")
    return EXIT_OK


def cmd_import_survey(args: argparse.Namespace) -> int:
    from core.index.appraisal import import_survey_table

    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            n = import_survey_table(s, args.unit, args.year, Path(nfc(str(args.file))))
    finally:
        db.close()
    emit(args, {"ok": True, "entered": n}, f"Đã nhập {n} điểm điều tra xã hội học.")
    return EXIT_OK


def cmd_ranking(args: argparse.Namespace) -> int:
    from core.index.appraisal import ranking
    from core.index.report import export_ranking_pdf, export_ranking_xlsx
    from core.index.scoring import unit_by_code

    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            r = ranking(s, args.unit, args.year)
            if args.xlsx:
                export_ranking_xlsx(r, Path(nfc(str(args.xlsx))))
            if args.pdf:
                export_ranking_pdf(s, r, unit_by_code(s, args.unit), Path(nfc(str(args.pdf))))
    finally:
        db.close()
    groups = {g: [{"rank": m.rank, "tied": m.tied, "unit": m.unit_code, "name": m.unit_name,
                   "self": format_points(m.self_points), "appraised": format_points(m.appraised_points),
                   "survey": format_points(m.survey_points), "deduction": format_points(m.deduction),
                   "points": format_points(m.points), "max": format_points(m.max_points),
                   "index": format_percent(m.index, rule=r.rule) if m.index is not None else None}
                  for m in members] for g, members in r.groups.items()}
    lines = [f"Xếp hạng Chỉ số CCHC năm {args.year} — {r.parent_name}"]
    for g, members in groups.items():
        lines.append(g)
        for m in members:
            rank = f"{m['rank']}" + (" (đồng hạng)" if m["tied"] else "")
            lines.append(f"  {rank:<14} {m['name']:<40} {m['points']:>7}/{m['max']:<5} {m['index'] or '—':>8}")
    if not groups:
        lines.append("Chưa có bảng điểm nào đã nộp của các đơn vị cấp dưới.")
    if r.missing:
        lines.append("Chưa có bảng điểm: " + ", ".join(r.missing))
    if args.xlsx:
        lines.append(f"Đã xuất: {args.xlsx}")
    if args.pdf:
        lines.append(f"Đã xuất: {args.pdf}")
    emit(args, {"ok": True, "year": args.year, "groups": groups, "missing": r.missing}, "\n".join(lines))
    return EXIT_OK
