"""``export``: write a unit's return for a period as the return workbook (.xlsx) and the report (.pdf),
or as one return package (.zip) with the evidence files; optionally signed with the unit's certificate;
``certs``: the certificates a receiving unit trusts when it checks signed returns."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import CommandError, db_path_of, emit, secret
from core.reports.files import (
    blank_form_path,
    check_signer,
    check_stale,
    default_paths,
    load_export,
    write_exports,
)
from core.signatures.signing import OpenSigner, SigningSource, open_signer
from db.engine import open_database

PIN_VARIABLE = "CCHC_SIGN_PIN"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export", parents=[common],
        help="xuất báo cáo của một đơn vị trong một kỳ ra Excel (.xlsx) và PDF, hoặc gói báo cáo (.zip); có thể ký số",
        description="Xuất báo cáo định kỳ: tệp Excel gửi cấp trên (có dữ liệu máy đọc và mã kiểm tra SHA-256) "
                    "và bản PDF trình bày theo Nghị định 30/2020/NĐ-CP. Không chỉ định --xlsx/--pdf/--package thì "
                    "ghi cả hai vào thư mục hiện tại với tên mặc định BaoCao_CCHC_<mã đơn vị>_<kỳ>.\n\n"
                    "--package: một tệp .zip gồm tệp Excel, tệp PDF và các tài liệu kiểm chứng đính kèm, cùng được "
                    "niêm phong (và ký số) trong tệp Excel.\n\n"
                    f"Ký số: --sign-p12 TỆP.p12 (tệp chứng thư số .p12/.pfx) hoặc --sign-pkcs11 THƯ_VIỆN "
                    f"--token-label NHÃN (thiết bị ký số/USB token). Mã PIN lấy từ biến môi trường {PIN_VARIABLE} "
                    "hoặc được hỏi; không bao giờ ghi trên dòng lệnh và không được lưu.",
    )
    p.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị (ví dụ MH)")
    p.add_argument("--period", required=True, metavar="KỲ", help="kỳ báo cáo: 2022-Q1, 2022-H1, 2022-9M, 2022-Y")
    p.add_argument("--xlsx", type=Path, metavar="TỆP", help="ghi tệp Excel vào đây")
    p.add_argument("--pdf", type=Path, metavar="TỆP", help="ghi tệp PDF vào đây")
    p.add_argument("--package", nargs="?", const=True, default=None, metavar="TỆP.zip",
                   help="ghi gói báo cáo .zip (Excel, PDF và tài liệu kiểm chứng); mặc định "
                        "BaoCao_CCHC_<mã>_<kỳ>.zip trong thư mục hiện tại")
    p.add_argument("--confirm-stale", action="store_true",
                   help="vẫn xuất khi có phần thuyết minh tự viết mà số liệu đã thay đổi sau khi viết")
    p.add_argument("--allow-empty-sections", action="store_true",
                   help="vẫn xuất bản PDF khi có phần thuyết minh còn trống (chỉ in đề mục)")
    p.add_argument("--blank", action="store_true",
                   help="xuất biểu mẫu trống (phụ lục thống kê của cấp đơn vị, ô số liệu để trống, chỉ --xlsx) để "
                        "gửi đơn vị chưa dùng phần mềm điền tay rồi gửi lại; nhập lại bằng: import-returns --handmade")
    sign = p.add_argument_group("ký số")
    sign.add_argument("--sign-p12", type=Path, metavar="TỆP", help="ký bằng tệp chứng thư số .p12/.pfx")
    sign.add_argument("--sign-pkcs11", metavar="THƯ_VIỆN",
                      help="ký bằng thiết bị ký số (USB token): đường dẫn thư viện PKCS#11 của thiết bị (.dll/.so)")
    sign.add_argument("--token-label", metavar="NHÃN", help="nhãn của thiết bị ký số (khi có nhiều thiết bị)")
    sign.add_argument("--key-label", metavar="NHÃN", help="nhãn của khóa ký trên thiết bị (mặc định: khóa đầu tiên)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "certs", parents=[common],
        help="chứng thư số tin cậy của đơn vị nhận báo cáo (nhập, liệt kê, bỏ)",
        description="Chứng thư số (thường là chứng thư gốc của tổ chức cung cấp dịch vụ chứng thực chữ ký số) mà "
                    "đơn vị nhận tin cậy khi kiểm tra chữ ký số của báo cáo cấp dưới gửi lên. Việc kiểm tra làm "
                    "hoàn toàn trên máy, không truy cập mạng. Có thể nhập cả danh sách thu hồi (.crl) do tổ chức đó "
                    "công bố. Bắt buộc báo cáo phải ký số: settings --unit MÃ --set import.require_signature=1.",
    )
    certs = p.add_subparsers(dest="certs_command", metavar="VIỆC", title="việc")
    c = certs.add_parser("import", parents=[common], help="nhập chứng thư tin cậy từ tệp .cer/.crt/.pem (hoặc .crl)")
    c.add_argument("--unit", required=True, metavar="MÃ", help="đơn vị nhận báo cáo")
    c.add_argument("file", type=Path, metavar="TỆP")
    c.set_defaults(handler=cmd_certs_import)
    c = certs.add_parser("list", parents=[common], help="liệt kê chứng thư tin cậy")
    c.add_argument("--unit", required=True, metavar="MÃ", help="đơn vị nhận báo cáo")
    c.set_defaults(handler=cmd_certs_list)
    c = certs.add_parser("remove", parents=[common], help="bỏ một chứng thư khỏi danh sách tin cậy")
    c.add_argument("--unit", required=True, metavar="MÃ", help="đơn vị nhận báo cáo")
    c.add_argument("key", metavar="SỐ|SHA256", help="số thứ tự trong danh sách, hoặc phần đầu mã SHA-256 (≥ 8 ký tự)")
    c.set_defaults(handler=cmd_certs_remove)


def sign_pin(what: str) -> str:
    """The PIN from ``CCHC_SIGN_PIN`` or the console; never from the command line, never stored."""
    return secret(PIN_VARIABLE, f"Mã PIN của {what}: ", f"mã PIN của {what}")


def _signer(args: argparse.Namespace) -> OpenSigner | None:
    if args.sign_p12 is not None and args.sign_pkcs11:
        raise CommandError("Chỉ chọn một cách ký: --sign-p12 hoặc --sign-pkcs11.")
    if args.sign_p12 is None and not args.sign_pkcs11:
        if args.token_label or args.key_label:
            raise CommandError("--token-label/--key-label chỉ dùng cùng --sign-pkcs11.")
        return None
    source = SigningSource(p12=args.sign_p12, pkcs11_lib=args.sign_pkcs11, token_label=args.token_label,
                           key_label=args.key_label)
    return open_signer(source, sign_pin(source.describe()))


def cmd_export_blank(args: argparse.Namespace) -> int:
    from core.reports.workbook_writer import export_return_xlsx
    from core.returns.report_collect import blank_export

    if args.pdf or args.package is not None or args.sign_p12 is not None or args.sign_pkcs11:
        raise CommandError("Biểu mẫu trống chỉ xuất ra Excel (--xlsx), không kèm PDF, gói hay chữ ký số.")
    db = open_database(db_path_of(args), write=False)
    try:
        with db.session() as s:
            data = blank_export(s, args.unit, args.period)
    finally:
        db.close()
    target = args.xlsx or blank_form_path(data, Path.cwd())
    if not target.parent.is_dir():
        raise CommandError(f"Thư mục “{target.parent}” không tồn tại.")
    export_return_xlsx(data, target)
    rows = len(data.value_rows)
    emit(args, {"ok": True, "blank": True, "unit": data.unit_code, "period": data.period.code,
                "files": [str(target.resolve())], "indicators": rows},
         f"Đã xuất biểu mẫu trống {data.period.label} cho {data.unit_name} ({rows} chỉ tiêu của cấp đơn vị):\n"
         f"  {target.resolve()}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.blank:
        return cmd_export_blank(args)
    if args.package is not None and (args.xlsx or args.pdf):
        raise CommandError("--package ghi cả Excel và PDF vào gói; không dùng cùng --xlsx/--pdf.")
    db = open_database(db_path_of(args), write=False)
    try:
        # A return submitted before snapshots existed is frozen first, which needs the writer's lock.
        data = load_export(db, args.unit, args.period,
                           reopen_for_writing=lambda: open_database(db_path_of(args)))
        xlsx, pdf, package = args.xlsx, args.pdf, None
        if args.package is not None:
            package = Path.cwd() / f"{data.file_stem()}.zip" if args.package is True else Path(args.package)
        elif xlsx is None and pdf is None:
            xlsx, pdf = default_paths(data, Path.cwd())
        for target in (xlsx, pdf, package):
            if target is not None and not target.parent.is_dir():
                raise CommandError(f"Thư mục “{target.parent}” không tồn tại.")
        check_stale(data, args.confirm_stale)  # before the PIN is asked for
        check_signer(data, pdf is not None or package is not None)
        empty = data.empty_sections() if (pdf is not None or package is not None) else []
        if empty and not args.allow_empty_sections:
            raise CommandError(f"Chưa xuất báo cáo: {data.empty_sections_sentence()}. Hãy viết các phần này, "
                               "hoặc thêm --allow-empty-sections để vẫn xuất (các phần trống chỉ in đề mục).",
                               payload={"empty_sections": [sec.key for sec in empty]})
        signer = _signer(args)
        try:
            if package is not None:
                from core.reports.package import export_return_package

                made = export_return_package(db, args.unit, args.period, package, signer=signer,
                                             confirm_stale=args.confirm_stale)
                result, left_out = made.result, made.left_out
            else:
                result = write_exports(data, xlsx=xlsx, pdf=pdf, signer=signer, confirm_stale=args.confirm_stale)
                left_out = []
        finally:
            if signer is not None:
                signer.close()
    finally:
        db.close()
    files = [str(f.resolve()) for f in result.files]
    lines = [f"Đã xuất báo cáo {data.period.label} của {data.unit_name}:"] + [f"  {f}" for f in files]
    lines.append(f"Mã kiểm tra nội dung (SHA-256): {result.content_sha256}")
    if result.signer is not None:
        lines.append(f"Đã ký số: {result.signer.describe()}.")
    else:
        lines.append("Chưa ký số.")
    if empty:
        lines.append(f"Lưu ý: {data.empty_sections_sentence()}.")
    if left_out:
        lines.append("Không đưa vào gói (thiếu hoặc đã thay đổi sau khi đính kèm):")
        lines.extend(f"  - {n}" for n in left_out)
    emit(args, {"ok": True, "unit": result.unit_code, "period": result.period_code, "files": files,
                "content_sha256": result.content_sha256, "frozen": data.frozen,
                "signer": result.signer.as_dict() if result.signer else None, "left_out": left_out,
                "empty_sections": [sec.key for sec in empty]},
         "\n".join(lines))
    return 0


# --------------------------------------------------------------------------- certs


def _with_unit(args: argparse.Namespace, work, write: bool = True):  # noqa: ANN001, ANN202
    from core.org.units import get_unit

    db = open_database(db_path_of(args))
    try:
        with (db.transaction() if write else db.session()) as s:
            unit = get_unit(s, args.unit)
            return unit.name, work(s, unit)
    finally:
        db.close()


def cmd_certs_import(args: argparse.Namespace) -> int:
    from core.signatures.trust_store import import_trusted

    def work(s, unit):  # noqa: ANN001, ANN202
        return import_trusted(s, unit, args.file)

    name, added = _with_unit(args, work)
    text = (f"Đã thêm {len(added)} mục vào danh sách tin cậy của {name}:\n" + "\n".join(f"  {e.line()}" for e in added)
            if added else f"Các chứng thư trong “{args.file.name}” đã có trong danh sách tin cậy của {name}.")
    emit(args, {"ok": True, "unit": args.unit, "added": [e.as_dict() for e in added]}, text)
    return 0


def cmd_certs_list(args: argparse.Namespace) -> int:
    from core.signatures.trust_store import list_trusted, signatures_required

    name, (entries, required) = _with_unit(args, lambda s, u: (list_trusted(s, u), signatures_required(s, u)),
                                           write=False)
    rule = ("Chỉ nhận báo cáo có chữ ký số hợp lệ." if required
            else "Vẫn nhận báo cáo chưa ký số (ghi rõ “chưa ký số”).")
    lines = [f"Chứng thư số tin cậy của {name}: {len(entries)}. {rule}"] + [f"  {e.line()}" for e in entries]
    if not entries:
        lines.append("  (chưa có; dùng: certs import --unit MÃ TỆP.cer)")
    emit(args, {"ok": True, "unit": args.unit, "require_signature": required,
                "certificates": [e.as_dict() for e in entries]}, "\n".join(lines))
    return 0


def cmd_certs_remove(args: argparse.Namespace) -> int:
    from core.signatures.trust_store import remove_trusted

    def work(s, unit):  # noqa: ANN001, ANN202
        return remove_trusted(s, unit, args.key)

    name, entry = _with_unit(args, work)
    emit(args, {"ok": True, "unit": args.unit, "removed": entry.as_dict()},
         f"Đã bỏ khỏi danh sách tin cậy của {name}: {entry.line()}")
    return 0
