"""``export``: write a unit's return for a period as the return workbook (.xlsx) and the report (.pdf)."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli import CommandError, db_path_of, emit
from core.export_model import ExportError, collect_return_export
from core.exports import default_paths, write_exports
from core.periods import PeriodCodeError
from db.engine import open_database


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export", parents=[common],
        help="xuất báo cáo của một đơn vị trong một kỳ ra Excel (.xlsx) và PDF",
        description="Xuất báo cáo định kỳ: tệp Excel gửi cấp trên (có dữ liệu máy đọc và mã kiểm tra SHA-256) "
                    "và bản PDF trình bày theo Nghị định 30/2020/NĐ-CP. Không chỉ định --xlsx/--pdf thì ghi "
                    "cả hai vào thư mục hiện tại với tên mặc định BaoCao_CCHC_<mã đơn vị>_<kỳ>.",
    )
    p.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị (ví dụ MH)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo: 2022-Q1, 2022-H1, 2022-9M, 2022-Y")
    p.add_argument("--xlsx", type=Path, metavar="TỆP", help="ghi tệp Excel vào đây")
    p.add_argument("--pdf", type=Path, metavar="TỆP", help="ghi tệp PDF vào đây")
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            data = collect_return_export(s, args.unit, args.period)
    except (ExportError, PeriodCodeError) as exc:
        raise CommandError(str(exc)) from None
    finally:
        db.close()
    xlsx, pdf = args.xlsx, args.pdf
    if xlsx is None and pdf is None:
        xlsx, pdf = default_paths(data, Path.cwd())
    for target in (xlsx, pdf):
        if target is not None and not target.parent.is_dir():
            raise CommandError(f"Thư mục “{target.parent}” không tồn tại.")
    try:
        result = write_exports(data, xlsx=xlsx, pdf=pdf)
    except PermissionError as exc:
        raise CommandError(str(exc)) from None
    files = [str(f.resolve()) for f in result.files]
    emit(
        args,
        {"ok": True, "unit": result.unit_code, "period": result.period_code, "files": files,
         "content_sha256": result.content_sha256},
        "\n".join([f"Đã xuất báo cáo {data.period.label} của {data.unit_name}:"]
                  + [f"  {f}" for f in files] + [f"Mã kiểm tra nội dung (SHA-256): {result.content_sha256}"]),
    )
    return 0
