"""The printed report of a return: ``ReturnExport`` → ``pdf_report.ReportDocument`` → PDF.

The layout itself (Decree 30/2020/NĐ-CP) lives in ``core.reports.pdf_layout``; this module
decides what goes in it:

- the header from ``ReportHeaderInfo``; the summary line "Tình hình, kết quả thực hiện
  công tác cải cách hành chính Quý I năm 2022";
- the narrative sections I–V (``core.returns.narrative.printed_sections``: the user's text,
  else the sentences drafted from the figures, e.g. "đã hoàn thành 11/38 nhiệm vụ
  trong Kế hoạch CCHC (đạt 28,95%)");
- the closing sentence, the signature block and "Nơi nhận:";
- Phụ lục I (statistics) and Phụ lục II (task progress) as landscape appendices
  whose table headers repeat on every page.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.jobs import Progress
from core.periods import PeriodSpec
from core.reports.charts import ChartData, completion_chart, task_status_chart
from core.reports.pdf_charts import chart_figures, targets_appendix
from core.reports.pdf_layout import (
    AppendixTable,
    ReportDocument,
    ReportParagraph,
    ReportSection,
    Signature,
    SignatureSpot,
    render_report_pdf,
)
from core.returns.report_model import ExportFormRow, ExportTask, ReturnExport, TaskTotals
from core.vnformat import to_roman

__all__ = ["SUMMARY_PREFIX", "build_report_document", "export_return_pdf", "summary_line"]

SUMMARY_PREFIX = "Tình hình, kết quả thực hiện công tác cải cách hành chính"

_STATS_HEADER = [
    ["STT", "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)", "Kết quả thống kê", None,
     "Ghi chú"],
    [None, None, "Đơn vị tính", "Số liệu", None],
]
_STATS_SPANS = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (3, 0)), ((4, 0), (4, 1))]
_TASK_HEADER = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện", "Tình trạng", "Kết quả thực hiện",
                 "Tài liệu kiểm chứng"]]


def summary_line(spec: PeriodSpec, *, two_lines: bool = False) -> str:
    """"Tình hình, kết quả thực hiện công tác cải cách hành chính Quý I năm 2022".

    With ``two_lines`` the period goes on its own line, so the printed summary never
    breaks inside a word pair ("cải / cách") or leaves "2021" alone on a line.
    """
    return f"{SUMMARY_PREFIX}{chr(10) if two_lines else ' '}{spec.title_phrase}"


# --------------------------------------------------------------------------- narrative


def _paragraphs(text: str) -> list[ReportParagraph | str]:
    out: list[ReportParagraph | str] = []
    for block in re.split(r"\n\s*\n|\n", text or ""):
        block = block.strip()
        if block:
            out.append(block)
    return out


def _issuer_short(data: ReturnExport) -> str:
    return data.unit_name


def _narrative(data: ReturnExport) -> list[ReportSection]:
    """Sections I–V as printed: level-1 headings in upper case as the seed report, subsections under them."""
    top: list[ReportSection] = []
    for s in data.sections:
        if s.level == 1:
            top.append(ReportSection(heading=s.title.upper(), paragraphs=_paragraphs(s.text)))
        elif top:
            top[-1].subsections.append(ReportSection(heading=s.title, paragraphs=_paragraphs(s.text)))
    return top


def _closing_paragraph(data: ReturnExport) -> ReportSection:
    recipients = [r.strip().rstrip(";.,") for r in data.header.recipients if r.strip()]
    to = " và ".join(recipients) if recipients else "cấp trên"
    return ReportSection("", [
        f"Trên đây là báo cáo tình hình, kết quả thực hiện công tác cải cách hành chính {data.period.title_phrase} "
        f"của {_issuer_short(data)}, kính báo cáo {to} theo quy định./."
    ])


# --------------------------------------------------------------------------- appendices


def _stats_appendix(data: ReturnExport) -> AppendixTable:
    rows: list[list[str]] = []
    bold: set[int] = set()
    italic: set[int] = set()
    for i, r in enumerate(data.rows):
        rows.append(_stats_row(r))
        if r.kind == "group":
            bold.add(i)
        if r.breakdown:
            italic.add(i)
    return AppendixTable(
        title_lines=["Phụ lục I", "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
                     f"{data.period.title_phrase} của {data.issuer_name}".upper()],
        subtitle=data.attached_to(),
        header_rows=[list(r) for r in _STATS_HEADER],
        spans=list(_STATS_SPANS),
        rows=rows,
        bold_rows=bold,
        italic_rows=italic,
        col_widths_mm=[18, 109, 45, 31, 59],  # "Không phát sinh" fits its cell,
        align=["CENTER", "LEFT", "CENTER", "RIGHT", "LEFT"],
        landscape=True,
        notes=[f"({fn[0]}) {fn[1]}".strip() for r in data.rows if (fn := r.footnote) is not None],
    )


def _stats_row(r: ExportFormRow) -> list[str]:
    return [r.stt, r.print_name, r.unit_label, r.display_marked, r.plain_note]


def _task_appendix(data: ReturnExport) -> AppendixTable:
    rows: list[list[str]] = []
    bold: set[int] = set()
    italic: set[int] = set()
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    head = len(_TASK_HEADER)

    def add(row: list[str], *, is_bold: bool = False, is_italic: bool = False, span_from: int | None = None) -> None:
        rows.append(row)
        i = len(rows) - 1
        if is_bold:
            bold.add(i)
        if is_italic:
            italic.add(i)
        if span_from is not None:
            spans.append(((span_from, head + i), (-1, head + i)))

    for numeral, title, tasks in data.areas():
        add([numeral, title, "", "", "", "", ""], is_bold=True, span_from=1)
        for t in tasks:
            add(_task_row(t))
        totals = TaskTotals.of(tasks, data.rounding)
        add(["", f"Cộng lĩnh vực {numeral}: {totals.total} nhiệm vụ; {totals.sentence()}.", "", "", "", "", ""],
            is_bold=True, is_italic=True, span_from=1)
    totals = data.totals()
    add(["", f"TỔNG CỘNG: {totals.total} nhiệm vụ; {totals.sentence()}.", "", "", "", "", ""], is_bold=True,
        span_from=1)
    return AppendixTable(
        title_lines=["Phụ lục II", "TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ TRONG KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH",
                     f"{data.period.title_phrase} của {data.issuer_name}".upper()],
        subtitle=data.attached_to(),
        header_rows=[list(r) for r in _TASK_HEADER],
        spans=spans,
        rows=rows,
        bold_rows=bold,
        italic_rows=italic,
        col_widths_mm=[12, 66, 32, 40, 26, 44, 42],
        align=["CENTER", "LEFT", "LEFT", "LEFT", "CENTER", "LEFT", "LEFT"],
        landscape=True,
    )


def _task_row(t: ExportTask) -> list[str]:
    title = t.title if not t.owner else f"{t.title} ({t.owner})"
    status = t.status_label.upper() if t.overdue else t.status_label  # stands out in black and white
    return [t.number, title, t.lead, t.timeframe_text, status, t.result_display, t.evidence_display]


# --------------------------------------------------------------------------- charts


def report_charts(data: ReturnExport) -> list[ChartData]:
    """The charts printed with the report: task status per reform area (the tasks of Phụ lục II) and,
    when the year has more than one period so far, task completion over the periods of the year."""
    charts = []
    if data.tasks:
        charts.append(task_status_chart(data.areas(), data.period.label))
    if len([c for c in data.completion if c[2]]) > 1:
        charts.append(completion_chart(list(data.completion), data.period.year, data.rounding))
    return charts


# --------------------------------------------------------------------------- document


def build_report_document(data: ReturnExport) -> ReportDocument:
    """The Decree-30 report of a return, ready for ``render_report_pdf``."""
    h = data.header
    sections = _narrative(data)
    if not any((s.text or "").rstrip().endswith("./.") for s in data.sections):
        sections.append(_closing_paragraph(data))
    appendices = [_stats_appendix(data)]
    if data.tasks:
        appendices.append(_task_appendix(data))
    if data.targets:
        appendices.append(targets_appendix(data.targets, to_roman(len(appendices) + 1), data.period.title_phrase,
                                           data.issuer_name, data.attached_to()))
    return ReportDocument(
        superior_body=h.superior_body,
        issuing_body=h.issuing_body or data.unit_name,
        document_number=h.document_number,
        place=h.place,
        issue_date=h.issue_date,
        year_hint=data.period.year,
        doc_type="BÁO CÁO",
        summary=summary_line(data.period, two_lines=True),
        recipients=list(h.recipients),
        sections=sections,
        signature=Signature(h.authority_line, h.acting_line, h.position, h.signer_name),
        distribution=list(h.distribution),
        appendices=appendices,
        figures=chart_figures(report_charts(data)),
        title_for_metadata=f"Báo cáo CCHC {data.period.label} – {data.unit_name}",
    )


def export_return_pdf(data: ReturnExport, path: Path, progress: Progress | None = None, *,
                      stamp: list[str] | None = None, spot: SignatureSpot | None = None) -> Path:
    """Render the return's report to ``path`` (atomically; see ``render_report_pdf``).

    ``stamp``: the lines of a digital signature's visible stamp, drawn in the signature space;
    ``spot`` receives where (for ``core.signatures.signing.OpenSigner.sign_pdf``).
    """
    doc = build_report_document(data)
    doc.signature_stamp = list(stamp or [])
    return render_report_pdf(doc, Path(path), progress, spot=spot)
