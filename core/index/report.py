"""What the index prints: the self-assessment report as a Decree-30 PDF with the score table as its appendix
("Báo cáo tự đánh giá, chấm điểm xác định Chỉ số CCHC năm …"), and the ranking as an xlsx and as a Decree-30
PDF decision appendix. The layout is the reports family's (``core.reports.pdf_layout``)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from core.index.appraisal import Ranking
from core.index.points import format_points
from core.index.scoring import compute_totals
from core.org.report_header import header_info_from_settings
from core.reports.pdf_layout import (
    AppendixTable,
    ReportDocument,
    ReportParagraph,
    ReportSection,
    Signature,
    render_report_pdf,
)
from core.vnformat import format_percent
from db.files import replaced_atomically
from db.models import IndexAssessment, Unit

__all__ = ["export_ranking_pdf", "export_ranking_xlsx", "export_self_assessment_pdf"]


def _doc(session: Session, unit: Unit, year: int, summary: str, sections: list[ReportSection],
         appendices: list[AppendixTable], title: str, doc_type: str = "BÁO CÁO") -> ReportDocument:
    h = header_info_from_settings(session, unit)
    decision = doc_type == "QUYẾT ĐỊNH"
    number = h.document_number.replace("/BC-", "/QĐ-") if decision else h.document_number
    return ReportDocument(
        superior_body=h.superior_body, issuing_body=h.issuing_body, document_number=number,
        place=h.place, issue_date=h.issue_date, year_hint=year, doc_type=doc_type, summary=summary,
        recipients=[] if decision else (list(h.recipients) or ["Sở Nội vụ"]), sections=sections,
        signature=Signature(h.authority_line, h.acting_line, h.position, h.signer_name),
        distribution=list(h.distribution), appendices=appendices, title_for_metadata=title)


def export_self_assessment_pdf(session: Session, a: IndexAssessment, path: Path) -> Path:
    t = compute_totals(session, a)
    idx = t.self_index()
    area_lines = []
    for area in t.areas:
        r = t.rows[area.code]
        label = " (do cơ quan có thẩm quyền điều tra, cung cấp)" if area.kind == "survey" else ""
        area_lines.append(f"- {area.stt}. {area.name.capitalize()}{label}: "
                          f"{format_points(r.self_centi, '0')}/{format_points(area.max_centi)} điểm.")
    na = [c for c in t.leaves if t.rows[c.code].not_applicable]
    below = [c for c in t.leaves if c.kind == "self" and t.rows[c.code].self_centi is not None
             and t.rows[c.code].self_centi < c.max_centi]
    sections = [
        ReportSection("I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", [
            ReportParagraph(f"Căn cứ Bộ chỉ số cải cách hành chính năm {a.year}"
                            + (f" ({a.criteria_set.source_document})" if a.criteria_set.source_document else "")
                            + f", {a.unit.name} đã tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần như sau:"),
            f"Tổng điểm tự đánh giá: {format_points(t.self_points - t.self_deduction)}/{format_points(t.self_max)} "
            "điểm" + (f", đạt {format_percent(idx, rule=t.rule)}" if idx is not None else "")
            + (f" (đã trừ {format_points(t.self_deduction)} điểm)" if t.self_deduction else "") + ".",
            *area_lines,
            t.progress_line().capitalize() + ".",
        ]),
        ReportSection("II. TIÊU CHÍ CHƯA ĐẠT ĐIỂM TỐI ĐA VÀ TIÊU CHÍ KHÔNG ÁP DỤNG", [
            *(f"- Tiêu chí {c.stt} ({format_points(t.rows[c.code].self_centi)}/{format_points(c.max_centi)} điểm): "
              f"{t.rows[c.code].note or ''}" for c in below),
            *(f"- Tiêu chí {c.stt} không áp dụng: {t.rows[c.code].note or ''}" for c in na),
        ] or ["Tất cả tiêu chí đều đạt điểm tối đa."]),
        ReportSection("III. KIẾN NGHỊ, ĐỀ XUẤT", [
            "Đề nghị Hội đồng thẩm định xem xét, thẩm định kết quả tự đánh giá, chấm điểm nêu trên "
            "(bảng điểm chi tiết kèm theo)./."]),
    ]
    rows, bold = [], set()
    for c in t.criteria:
        r = t.rows[c.code]
        leaf = c.is_leaf and c.depth > 0
        self_text = "KAD" if r.not_applicable else format_points(r.self_centi)
        evid = ""
        if leaf:
            s = next((s for s in a.scores if s.criterion_id == c.id), None)
            if s is not None:
                evid = "; ".join(filter(None, (e.document_number or e.summary or e.file_name for e in s.evidence)))
        if not leaf or c.depth <= 1:
            bold.add(len(rows)) if c.depth == 0 else None
        rows.append([c.stt, c.name, ("-" if c.kind == "deduction" else "") + format_points(c.max_centi), self_text,
                     r.note or "", evid])
    bold.add(len(rows))
    rows.append(["", "TỔNG ĐIỂM TỰ CHẤM", format_points(t.self_max), format_points(t.self_points - t.self_deduction),
                 f"Chỉ số: {format_percent(idx, rule=t.rule)}" if idx is not None else "", ""])
    appendix = AppendixTable(
        title_lines=["Phụ lục", f"BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {a.year}"],
        subtitle=f"(Kèm theo Báo cáo của {a.unit.name})",
        header_rows=[["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm tự chấm", "Giải trình",
                      "Tài liệu kiểm chứng"]],
        spans=[], rows=rows, bold_rows=bold, col_widths_mm=[14, 100, 18, 18, 60, 57],
        align=["CENTER", "LEFT", "CENTER", "CENTER", "LEFT", "LEFT"])
    doc = _doc(session, a.unit, a.year,
               f"Tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm {a.year}", sections, [appendix],
               f"Báo cáo tự đánh giá Chỉ số CCHC năm {a.year} – {a.unit.name}")
    return render_report_pdf(doc, path)


# --- ranking -----------------------------------------------------------------------------------

def _ranking_rows(r: Ranking) -> list[tuple[str, list[list[str]]]]:
    out = []
    for group, members in r.groups.items():
        rows = []
        for m in members:
            rows.append([f"{m.rank}" + (" (đồng hạng)" if m.tied else ""), m.unit_name, format_points(m.self_points),
                         format_points(m.appraised_points), format_points(m.survey_points), format_points(m.deduction),
                         format_points(m.points), format_points(m.max_points),
                         format_percent(m.index, rule=r.rule) if m.index is not None else ""])
        out.append((group, rows))
    return out


RANKING_HEADER = ["Xếp hạng", "Đơn vị", "Điểm tự chấm", "Điểm thẩm định", "Điểm điều tra XHH", "Điểm trừ",
                  "Tổng điểm", "Điểm tối đa áp dụng", "Chỉ số CCHC (%)"]


def export_ranking_xlsx(r: Ranking, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    box = Border(*(Side(style="thin"),) * 4)
    last = get_column_letter(len(RANKING_HEADER))
    for i, line in enumerate([f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {r.year}", f"({r.parent_name})"], 1):
        ws.cell(row=i, column=1, value=line).font = bold
        ws.cell(row=i, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A{i}:{last}{i}")
    row = 4
    for c, h in enumerate(RANKING_HEADER, 1):
        cell = ws.cell(row=row, column=c, value=h)
        cell.font, cell.border = bold, box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for group, rows in _ranking_rows(r):
        row += 1
        ws.cell(row=row, column=1, value=group).font = bold
        ws.merge_cells(f"A{row}:{last}{row}")
        for values in rows:
            row += 1
            for c, v in enumerate(values, 1):
                cell = ws.cell(row=row, column=c, value=v)
                cell.font, cell.border = normal, box
    for c, w in enumerate([14, 40, 12, 12, 12, 10, 12, 12, 14], 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    if r.missing:
        row += 2
        ws.cell(row=row, column=1, value="Chưa có bảng điểm: " + ", ".join(r.missing)).font = normal
    with replaced_atomically(Path(path), busy="trong Excel hoặc chương trình khác") as tmp:
        wb.save(tmp)
    return Path(path)


def export_ranking_pdf(session: Session, r: Ranking, parent: Unit, path: Path) -> Path:
    rows, bold = [], set()
    for group, grows in _ranking_rows(r):
        bold.add(len(rows))
        rows.append(["", group, "", "", "", "", "", "", ""])
        rows.extend(grows)
    appendix = AppendixTable(
        title_lines=["Phụ lục", f"KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {r.year}"],
        subtitle=f"(Kèm theo Quyết định của {parent.name})",
        header_rows=[RANKING_HEADER], spans=[], rows=rows, bold_rows=bold,
        col_widths_mm=[30, 72, 20, 20, 20, 16, 20, 22, 24],
        align=["CENTER", "LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "CENTER", "CENTER", "CENTER"])
    n = sum(len(v) for v in r.groups.values())
    sections = [ReportSection("", [
        f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {r.year} của {n} đơn vị thuộc {parent.name} "
        "(chi tiết tại Phụ lục kèm theo).",
        "Các đơn vị có tên tại Phụ lục căn cứ kết quả Chỉ số cải cách hành chính, khắc phục tồn tại, hạn chế./."])]
    doc = _doc(session, parent, r.year, f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {r.year}", sections,
               [appendix], f"Chỉ số CCHC năm {r.year} – {parent.name}", doc_type="QUYẾT ĐỊNH")
    return render_report_pdf(doc, path)
