"""Subcommands for plans and task progress: import-plan, tasks, task, progress, carry-forward, overview."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from sqlalchemy import select

from cli import CommandError, db_path_of, emit
from core.forms import ensure_standard_content
from core.import_mappings import mark_used, remember_mapping, saved_mapping
from core.org.unit_names import fits_under
from core.org.units import get_unit
from core.periods import ensure_period, parse_period_code
from core.plans.evidence import add_evidence
from core.plans.overview import overview
from core.plans.progress import carry_forward, next_period_code, save_progress
from core.plans.status import STATUS_LABELS
from core.plans.table_headers import parse_mapping
from core.plans.table_import import check_units, import_plan_file, preview_plan_file
from core.plans.task_list import task_statuses
from core.plans.task_state import TaskState, task_state
from core.vnformat import format_date, format_number
from db.engine import open_database
from db.models import Period, Plan, SavedMapping, Task


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import-plan", parents=[common],
        help="nhập kế hoạch CCHC từ bảng nhiệm vụ trong tệp .xlsx",
        description="Nhập bảng nhiệm vụ của kế hoạch (dán từ Word/PDF vào Excel). Với --dry-run chỉ xem trước, "
                    "không ghi gì. Nhập thật chạy trong một giao dịch: lỗi thì không ghi gì.",
    )
    p.add_argument("file", type=Path, help="tệp .xlsx chứa bảng nhiệm vụ, hoặc .txt: văn bản kế hoạch chỉ có mục tiêu, "
                                           "chỉ tiêu (không có bảng nhiệm vụ), được lưu để đề xuất chỉ tiêu")
    p.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị ban hành kế hoạch")
    p.add_argument("--title", help="tên kế hoạch (mặc định: dòng tiêu đề trên bảng)")
    p.add_argument("--number", help="số/ký hiệu văn bản, ví dụ 751/QĐ-UBND")
    p.add_argument("--year", type=int, help="năm dùng để đọc thời hạn không ghi năm (mặc định: năm ở dòng tiêu đề)")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi vào cơ sở dữ liệu")
    p.add_argument("--map", action="append", default=[], metavar="COT=TRUONG",
                   help="chỉ định cột, ví dụ --map E=lead (trường: stt, area, objective, task, activity, output, "
                        "lead, partners, timeframe, budget, note, ignore)")
    p.add_argument("--no-saved-map", action="store_true",
                   help="không dùng cách chọn cột đã lưu cho bảng có cùng dòng tiêu đề (--map đã xác nhận được lưu "
                        "khi nhập, và tự dùng lại lần sau)")
    p.add_argument("--create-units", action="store_true",
                   help="thêm vào danh mục mọi đơn vị có trong bảng mà danh mục chưa có")
    p.add_argument("--create-unit", action="append", default=[], metavar="TÊN",
                   help="thêm một đơn vị chưa có vào danh mục (lặp lại được)")
    p.set_defaults(handler=cmd_import_plan)

    p = sub.add_parser("tasks", parents=[common], help="liệt kê nhiệm vụ của một kế hoạch và trạng thái trong kỳ")
    p.add_argument("--plan", type=int, required=True, metavar="ID", help="mã kế hoạch")
    p.add_argument("--period", metavar="KỲ", help="kỳ báo cáo, ví dụ 2022-Q1 (mặc định: kỳ gần nhất có tiến độ)")
    p.add_argument("--area", help="chỉ lĩnh vực này (số La Mã hoặc tên)")
    p.add_argument("--lead", metavar="MÃ", help="chỉ nhiệm vụ do đơn vị này chủ trì")
    p.add_argument("--status", choices=list(STATUS_LABELS), help="chỉ trạng thái này")
    p.add_argument("--overdue", action="store_true", help="chỉ nhiệm vụ quá hạn")
    p.add_argument("--due-in-period", action="store_true", help="chỉ nhiệm vụ đến hạn trong kỳ")
    p.add_argument("--today", type=date.fromisoformat, help="ngày xét (YYYY-MM-DD; mặc định: ngày chốt số liệu)")
    p.set_defaults(handler=cmd_tasks)

    p = sub.add_parser(
        "task", parents=[common], help="trạng thái của một nhiệm vụ trong kỳ và nguồn của từng phần",
        description="Trạng thái hiệu lực của nhiệm vụ trong kỳ (ghi nhận trong kỳ hoặc chuyển từ kỳ trước): "
                    "trạng thái, tỉ lệ, ngày hoàn thành, kết quả, khó khăn, tài liệu kiểm chứng; mỗi phần ghi rõ "
                    "lấy từ kỳ nào. Danh sách nhiệm vụ, tổng quan, chỉ tiêu 1.1.1/1.1.2 và Phụ lục II dùng đúng "
                    "trạng thái này.",
    )
    p.add_argument("--task", type=int, required=True, metavar="ID", help="mã nhiệm vụ (xem lệnh tasks)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo, ví dụ 2021-Q3")
    p.add_argument("--today", type=date.fromisoformat, help="ngày xét (YYYY-MM-DD; mặc định: ngày chốt số liệu)")
    p.set_defaults(handler=cmd_task)

    p = sub.add_parser("progress", parents=[common], help="ghi tiến độ một nhiệm vụ trong kỳ")
    p.add_argument("--task", type=int, required=True, metavar="ID")
    p.add_argument("--period", required=True, metavar="KỲ")
    p.add_argument("--status", required=True,
                   help="not_started | in_progress | done (hoặc: chưa triển khai, đang thực hiện, hoàn thành)")
    p.add_argument("--percent", help="tỉ lệ hoàn thành 0–100")
    p.add_argument("--completed-on", help="ngày hoàn thành dd/mm/yyyy")
    p.add_argument("--result", help="kết quả thực hiện")
    p.add_argument("--difficulties", help="khó khăn, vướng mắc")
    p.add_argument("--evidence-number", help="số/ký hiệu văn bản kiểm chứng, ví dụ Quyết định số 766/QĐ-UBND")
    p.add_argument("--evidence-date", help="ngày văn bản dd/mm/yyyy")
    p.add_argument("--evidence-summary", help="trích yếu")
    p.add_argument("--evidence-file", type=Path, help="tệp đính kèm (được sao vào thư mục dữ liệu)")
    p.set_defaults(handler=cmd_progress)

    p = sub.add_parser(
        "carry-forward", parents=[common], help="chuyển tiến độ của kế hoạch sang kỳ sau",
        description="Chép trạng thái của từng nhiệm vụ ở kỳ nguồn sang kỳ nhận. Kỳ nhận mặc định: Quý I → 6 tháng "
                    "đầu năm; 6 tháng đầu năm → Quý III (hoặc --to 2021-9M); Quý III, 9 tháng → Quý IV; Quý IV, "
                    "Năm → Quý I năm sau. Nhiệm vụ có thời hạn hằng năm không chuyển sang năm khác.",
    )
    p.add_argument("--plan", type=int, required=True, metavar="ID")
    p.add_argument("--from", dest="from_period", required=True, metavar="KỲ")
    p.add_argument("--to", dest="to_period", metavar="KỲ",
                   help="kỳ nhận (mặc định: kỳ kế tiếp; sau 6 tháng đầu năm: Quý III, hoặc 9 tháng)")
    p.add_argument("--overwrite", action="store_true", help="ghi đè tiến độ đã có ở kỳ nhận")
    p.set_defaults(handler=cmd_carry_forward)

    p = sub.add_parser("overview", parents=[common], help="tổng quan nhiệm vụ của đơn vị trong kỳ")
    p.add_argument("--unit", required=True, metavar="MÃ")
    p.add_argument("--period", required=True, metavar="KỲ")
    p.add_argument("--today", type=date.fromisoformat, help="ngày xét (YYYY-MM-DD; mặc định: ngày chốt số liệu)")
    p.set_defaults(handler=cmd_overview)


def _period_code(code: str) -> str:
    return parse_period_code(code).code


# --- import-plan ----------------------------------------------------------------------------------

def _import_plan_document(args: argparse.Namespace) -> int:
    """A plan written as prose (.txt: objectives with quantified targets, no task table), kept with its text."""
    from core.plans.targets import propose_targets, store_plan_document
    from core.safe_files import read_text_file

    text = read_text_file(args.file)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            unit = _unit(s, args.unit)
            plan = store_plan_document(s, unit, text, title=args.title, number=args.number, year=args.year,
                                       source_file=args.file.name)
            plan_id, title, y1, y2 = plan.id, plan.title, plan.year_from, plan.year_to
    finally:
        db.close()
    found = len(propose_targets(text))
    emit(args, {"ok": True, "plan_id": plan_id, "title": title, "year_from": y1, "year_to": y2, "tasks": 0,
                "proposals": found},
         f"Đã nhập kế hoạch (mã {plan_id}): “{title}”, năm {y1}" + (f"–{y2}" if y2 != y1 else "")
         + f"; văn bản không có bảng nhiệm vụ, được lưu để đề xuất chỉ tiêu ({found} chỉ tiêu định lượng, xem: "
           f"targets propose --plan {plan_id}).")
    return 0


def cmd_import_plan(args: argparse.Namespace) -> int:
    if args.file.suffix.lower() == ".txt" and not args.dry_run:
        return _import_plan_document(args)
    mapping = parse_mapping(args.map)
    # The file is read and checked before the database is opened: bad input changes nothing.
    preview = preview_plan_file(args.file, mapping, year=args.year)
    headers = [(c.letter, c.header) for c in preview.columns]
    saved = None
    if not mapping and not args.no_saved_map:
        # The mapping confirmed for a table with the same header, if any (core.import_mappings).
        db = open_database(db_path_of(args), write=False)
        try:
            with db.session() as s:
                found = saved_mapping(s, "plan", headers)
                saved = (found.id, dict(found.mapping), found.file_name) if found is not None else None
        finally:
            db.close()
        if saved is not None:
            preview = preview_plan_file(args.file, saved[1], year=args.year)
    if not args.dry_run:
        if preview.ambiguous:
            raise CommandError(
                "Chưa nhập kế hoạch vì chưa rõ cột của bảng.\n" + preview.ambiguity_message(),
                payload={"ambiguities": preview.as_dict()["ambiguities"], "columns": preview.as_dict()["columns"]},
            )
        if preview.task_count == 0:
            raise CommandError(f"Tệp “{preview.file_name}” không có nhiệm vụ nào dưới dòng tiêu đề; chưa nhập gì.",
                               payload={"unplaced": [n.as_dict() for n in preview.unplaced]})
    db = open_database(db_path_of(args), write=not args.dry_run)
    plan_id = None
    created: list[str] = []
    skipped: list[str] = []
    try:
        if args.dry_run:
            with db.session() as s:
                unit = _unit(s, args.unit)
                check_units(preview, s)
        else:
            with db.transaction() as s:
                ensure_standard_content(s)
                unit = _unit(s, args.unit)
                check_units(preview, s)
                wanted = list(preview.unknown_units) if args.create_units else list(args.create_unit)
                if args.create_units:  # "all": only those that can sit under the unit (never a Sở under a xã)
                    skipped = [n for n in wanted if not fits_under(n, unit)]
                    wanted = [n for n in wanted if n not in skipped]
                before = set(preview.unknown_units)
                plan = import_plan_file(
                    s, args.file, unit, title=args.title, number=args.number, year=args.year, mapping=mapping,
                    create_units=wanted or None, preview=preview,
                )
                plan_id = plan.id
                created = [n for n in before if n in wanted]
                if mapping:  # the user's confirmed choice of columns, offered for the next such table
                    remember_mapping(s, "plan", headers, preview.mapping, file_name=preview.file_name)
                elif saved is not None:
                    mark_used(s.get(SavedMapping, saved[0]))
    finally:
        db.close()
    payload = {"ok": True, "dry_run": bool(args.dry_run), "plan_id": plan_id, "created_units": created,
               "saved_mapping": {"id": saved[0], "mapping": saved[1], "file": saved[2]} if saved else None,
               "mapping_saved": bool(mapping) and not args.dry_run, **preview.as_dict()}
    year_line = {
        "title": f"Năm của kế hoạch: {preview.draft.year_from} (theo dòng tiêu đề).",
        "argument": f"Năm của kế hoạch: {args.year} (theo --year).",
        "none": f"Chưa rõ năm của kế hoạch: các dòng tiêu đề không ghi năm; ghi tạm năm {preview.draft.year_from} "
                "(năm có nhiều thời hạn nhất). Nếu sai, nhập lại với --year NĂM.",
    }[preview.year_source]
    lines = [
        ("Xem trước (chưa ghi gì)" if args.dry_run else f"Đã nhập kế hoạch (mã {plan_id})")
        + f": “{preview.draft.title}”, năm {preview.draft.year_from}"
        + (f"–{preview.draft.year_to}" if preview.draft.year_to != preview.draft.year_from else ""),
        f"{preview.area_count} lĩnh vực, {preview.task_count} nhiệm vụ, {preview.activity_count} hoạt động "
        f"(trang “{preview.sheet}”, dòng tiêu đề {', '.join(map(str, preview.header_rows))}).",
        year_line,
    ]
    if saved is not None:
        lines.append("Dùng cách chọn cột đã lưu cho bảng có cùng dòng tiêu đề"
                     + (f" (xác nhận khi nhập tệp “{saved[2]}”)" if saved[2] else "") + ": "
                     + ", ".join(f"{c}={f}" for c, f in sorted(saved[1].items()))
                     + ". Bỏ qua bằng --no-saved-map; xóa trong Cài đặt.")
    elif mapping and not args.dry_run:
        lines.append("Đã lưu cách chọn cột cho bảng có dòng tiêu đề này; lần sau tự dùng lại.")
    for numeral, title, numbers in preview.tasks_per_area:
        lines.append(f"  {numeral or '-'}. {title}: {len(numbers)} nhiệm vụ ({', '.join(n or '?' for n in numbers)})")
    if preview.ambiguous:
        lines.append("Cột chưa rõ:\n" + preview.ambiguity_message())
    if preview.flagged:
        lines.append(f"{len(preview.flagged)} nhiệm vụ có thời hạn chưa đọc được (cần người xem lại):")
        lines += [f"  dòng {t.source_row}: {t.area_numeral or ''}.{t.number or ''} “{t.timeframe_text}”"
                  for t in preview.flagged]
    if preview.unplaced:
        lines.append(f"{len(preview.unplaced)} dòng không xếp được:")
        lines += [f"  dòng {n.row}: {n.reason} — {n.text}" for n in preview.unplaced]
    if preview.unknown_units:
        lines.append("Đơn vị chưa có trong danh mục (dùng --create-units để thêm): " + "; ".join(preview.unknown_units))
    if created:
        lines.append("Đã thêm vào danh mục: " + "; ".join(created))
    if skipped:
        lines.append("Không tạo (cơ quan cùng cấp hoặc cấp trên của đơn vị ban hành; thêm ở Cài đặt → Đơn vị): "
                     + "; ".join(skipped))
    emit(args, payload, "\n".join(lines))
    return 0


def _unit(session, code: str):
    return get_unit(session, code)


# --- tasks ----------------------------------------------------------------------------------------

def cmd_tasks(args: argparse.Namespace) -> int:
    period = _period_code(args.period) if args.period else None
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            plan = s.get(Plan, args.plan)
            if plan is None:
                raise CommandError(f"Không có kế hoạch mã {args.plan}.")
            lead_id = _unit(s, args.lead).id if args.lead else None
            rows = task_statuses(s, plan.id, period, area=args.area, lead_unit_id=lead_id, status=args.status,
                                 overdue_only=args.overdue, due_in_period=args.due_in_period, today=args.today)
            used = period if period is not None else _latest_period_code(s, plan.id)
            payload = {
                "ok": True, "plan_id": plan.id, "plan_title": plan.title, "period": used,
                "tasks": [_task_json(r) for r in rows],
            }
    finally:
        db.close()
    lines = [f"Kế hoạch {payload['plan_id']}: {payload['plan_title']}" + (f" — kỳ {used}" if used else "")]
    for r in rows:
        due = format_date(r.due_date) if r.due_date else "—"
        lines.append(f"{r.area_numeral or '-'}.{r.number or '?'}  {r.title[:70]}  | {r.lead_unit_name or r.lead or ''}"
                     f"  | hạn {due}  | {r.status_label}")
    emit(args, payload, "\n".join(lines))
    return 0


def _latest_period_code(session, plan_id: int) -> str | None:
    from db.models import TaskProgress

    return session.scalar(
        select(Period.code).join(TaskProgress, TaskProgress.period_id == Period.id).join(Task)
        .where(Task.plan_id == plan_id).order_by(Period.end_date.desc(), Period.code.desc()).limit(1)
    )


def _task_json(r) -> dict:
    return {
        "id": r.id,
        "area": {"numeral": r.area_numeral, "title": r.area_title},
        "area_numeral": r.area_numeral,
        "area_title": r.area_title,
        "number": r.number,
        "parent_id": r.parent_id,
        "is_group": r.is_group,
        "title": r.title,
        "lead": r.lead,
        "lead_unit": {"code": r.lead_unit_code, "name": r.lead_unit_name} if r.lead_unit_id else None,
        "partners": r.partners,
        "partner_units": [{"code": c, "name": n} for c, n in r.partner_units],
        "timeframe": r.timeframe_text,
        "timeframe_flagged": r.timeframe_flagged,
        "recurring": r.recurring,
        "due_date": r.due_date.isoformat() if r.due_date else None,
        "due_dates": [d.isoformat() for d in r.due_dates],
        "status": r.status,
        "status_label": r.status_label,
        "percent_done": r.percent_done,
        "overdue": r.overdue,
        "due_soon": r.due_soon,
        "due_in_period": r.due_in_period,
        "evidence": r.evidence_count,
    }


# --- progress, carry-forward, overview ------------------------------------------------------------

def _state_lines(state: TaskState) -> list[str]:
    """The read model in Vietnamese, each part with where it came from."""
    def src(part: str) -> str:
        return f" — {state.source(part).text}" if state.has_record else ""

    def text(value: str | None) -> str:
        return value if value else "(không có)"

    lines = [
        f"Kỳ báo cáo: {state.period_label} (xét đến {format_date(state.reference_date)}); thời hạn: "
        + (format_date(state.deadline) if state.deadline else "không có") + (" (hằng năm)" if state.recurring
                                                                              and state.deadline else ""),
        f"Trạng thái: {state.status_label}{src('entered_status')}",
        "Tỉ lệ hoàn thành: " + (f"{format_number(state.percent_done)}%" if state.percent_done is not None
                                else "(không có)") + src("percent_done"),
        "Ngày hoàn thành: " + (format_date(state.completed_on) if state.completed_on else "(không có)")
        + src("completed_on"),
        f"Kết quả thực hiện: {text(state.result_text)}{src('result_text')}",
        f"Khó khăn, vướng mắc: {text(state.difficulties)}{src('difficulties')}",
        f"Tài liệu kiểm chứng ({len(state.evidence)}):",
    ]
    for e in state.evidence:
        head = " ".join(filter(None, [e.document_number, f"ngày {format_date(e.document_date)}"
                                      if e.document_date else None]))
        body = ": ".join(filter(None, [head, e.summary])) or (e.file_name or "")
        lines.append(f"  - {body}" + (f" (tệp {e.file_name})" if e.file_name and e.file_name not in body else "")
                     + f" — {e.source.text}")
    if state.summary():
        lines.append(state.summary())
    return lines


def cmd_task(args: argparse.Namespace) -> int:
    code = _period_code(args.period)
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            task = s.get(Task, args.task)
            if task is None:
                raise CommandError(f"Không có nhiệm vụ mã {args.task}.")
            state = task_state(s, task, code, today=args.today)
            plan = task.plan
            head = {
                "id": task.id, "plan_id": task.plan_id,
                "plan": f"Kế hoạch {plan.document_number}" if plan.document_number else plan.title,
                "area": task.area_numeral, "number": task.number, "title": task.title,
                "lead": task.lead_unit.name if task.lead_unit else task.lead_unit_text,
                "timeframe": task.timeframe_text,
            }
    finally:
        db.close()
    payload = {"ok": True, "task": head, **state.as_dict()}
    number = ".".join(filter(None, [head["area"], head["number"]]))
    lines = [f"Nhiệm vụ {number} (mã {head['id']}): {head['title']}",
             f"{head['plan']}; cơ quan chủ trì: {head['lead'] or '(không ghi)'}", *_state_lines(state)]
    emit(args, payload, "\n".join(lines))
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    code = _period_code(args.period)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            period = ensure_period(s, code)
            before = task_state(s, args.task, period) if s.get(Task, args.task) is not None else None
            state = save_progress(
                s, args.task, period.id, status=args.status, percent_done=args.percent,
                completed_on=args.completed_on, result_text=args.result, difficulties=args.difficulties,
            )
            changed = state != before
            evidence_id = None
            if args.evidence_number or args.evidence_summary or args.evidence_file:
                ev = add_evidence(s, args.task, period.id, document_number=args.evidence_number,
                                  document_date=args.evidence_date, summary=args.evidence_summary,
                                  file=args.evidence_file, db_path=db.path)
                evidence_id = ev.id
                changed = True
                state = task_state(s, args.task, period)
            payload = {"ok": True, "task_id": args.task, "period": code, "changed": changed, "status": state.status,
                       "status_label": state.status_label, "percent_done": state.percent_done,
                       "evidence_id": evidence_id, "state": state.as_dict()}
    finally:
        db.close()
    if changed:
        emit(args, payload, f"Đã ghi tiến độ nhiệm vụ {args.task}, kỳ {code}: {payload['status_label']}.")
    else:
        emit(args, payload, f"Không có gì thay đổi: nhiệm vụ {args.task}, kỳ {code} vẫn là "
                            f"“{payload['status_label']}” ({state.source('entered_status').text}).")
    return 0


def cmd_carry_forward(args: argparse.Namespace) -> int:
    source = _period_code(args.from_period)
    target = _period_code(args.to_period) if args.to_period else next_period_code(source)
    db = open_database(db_path_of(args))
    try:
        with db.transaction() as s:
            # The source's state may be carried into it from earlier periods: it need not have records itself.
            src = ensure_period(s, source)
            result = carry_forward(s, args.plan, src.id, ensure_period(s, target).id, overwrite=args.overwrite)
    finally:
        db.close()
    emit(args, {"ok": True, "from": source, "to": target, "copied": result.copied, "skipped": result.skipped,
                "restarted": result.restarted}, result.message)
    return 0


def cmd_overview(args: argparse.Namespace) -> int:
    code = _period_code(args.period)
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            unit = _unit(s, args.unit)
            period = s.scalar(select(Period).where(Period.code == code))
            if period is None:
                raise CommandError(f"Chưa có số liệu kỳ {code}.")
            o = overview(s, unit.id, period.id, today=args.today)
    finally:
        db.close()

    def item(d) -> dict:
        return {"task_id": d.task_id, "area": d.area_numeral, "number": d.number, "title": d.title,
                "lead": d.lead, "due_date": d.due_date.isoformat(), "days": d.days, "status": d.status}

    payload = {
        "ok": True, "unit": args.unit, "period": o.period_code, "reference_date": o.reference_date.isoformat(),
        "headline": o.headline, "done": o.done, "total": o.total, "totals": o.totals,
        "areas": [{"numeral": a.numeral, "title": a.title, "counts": a.counts, "total": a.total} for a in o.areas],
        "overdue": [item(d) for d in o.overdue], "due_soon": [item(d) for d in o.due_soon],
    }
    lines = [f"{o.period_label} (xét đến {format_date(o.reference_date)}): {o.headline}"]
    for a in o.areas:
        parts = ", ".join(f"{STATUS_LABELS[k]} {v}" for k, v in a.counts.items() if v)
        lines.append(f"  {a.numeral or '-'}. {a.title or ''}: {a.total} nhiệm vụ — {parts}")
    if o.overdue:
        lines.append(f"Quá hạn ({len(o.overdue)}):")
        lines += [f"  {d.area_numeral}.{d.number} {d.title[:60]} — hạn {format_date(d.due_date)}" for d in o.overdue]
    if o.due_soon:
        lines.append(f"Đến hạn trong 30 ngày ({len(o.due_soon)}):")
        lines += [f"  {d.area_numeral}.{d.number} {d.title[:60]} — hạn {format_date(d.due_date)}" for d in o.due_soon]
    emit(args, payload, "\n".join(lines))
    return 0
