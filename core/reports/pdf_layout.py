"""Render an administrative report (Decree 30/2020/NĐ-CP layout) to PDF.

Independent of the database: callers fill the plain dataclasses below and call
:func:`render_report_pdf`. Text is normalised to NFC, escaped for reportlab
markup and drawn with an embedded TrueType serif (Times New Roman on Windows,
bundled Liberation Serif elsewhere), so it stays extractable from the PDF.

Layout (Decree 30, Appendix I): A4 portrait, margins 20/20/30/15 mm; the
two-column header (issuing body | Quốc hiệu + Tiêu ngữ), "Số:" and the place-date
line, the type name, summary and "Kính gửi:", a justified 14 pt body with a
1,27 cm first-line indent, the signature block beside "Nơi nhận:", and appendices
on landscape pages whose table header repeats on every page. Page numbers sit
centred in the top margin from page 2; each appendix is numbered on its own
(Decree 30: "số trang của phụ lục được đánh số riêng theo từng phụ lục").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from core.jobs import Progress
from core.reports.fonts import register_pdf_fonts
from core.reports.pdf_flowables import (
    CELL_PADDING,
    PAGED_ROWS,
    AppendixTableFlowable,
    PagedAppendixTable,
    ReportDocTemplate,
    RestartNumbering,
    Rule,
    SignatureSpace,
    SignatureSpot,
)
from core.vnformat import format_date_long
from db.files import replaced_atomically

__all__ = [
    "AppendixTable",
    "LANDSCAPE_MARGINS_MM",
    "PORTRAIT_MARGINS_MM",
    "ReportDocument",
    "ReportParagraph",
    "ReportSection",
    "Signature",
    "build_date_line",
    "render_report_pdf",
]


MM = 72.0 / 25.4

# (top, bottom, left, right) in millimetres.
PORTRAIT_MARGINS_MM = (20.0, 20.0, 30.0, 15.0)
LANDSCAPE_MARGINS_MM = (20.0, 20.0, 20.0, 15.0)
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
_HEADER_RIGHT_MM = 105.0  # wide enough for the Quốc hiệu at 13 pt bold on one line
_SIGNATURE_SPACE_MM = 25.0
_BODY_SIZE = 14.0
_BODY_LEADING = 17.0  # ~1.2 lines
_FIRST_LINE_INDENT = 12.7 * MM
_BLANK = "\u00a0" * 6  # a blank to fill in by hand ("ngày      tháng")
_ALIGN = {"LEFT": TA_LEFT, "CENTER": TA_CENTER, "CENTRE": TA_CENTER, "RIGHT": TA_RIGHT, "JUSTIFY": TA_JUSTIFY}


# --------------------------------------------------------------------------- input


@dataclass
class Signature:
    authority_line: str  # "TM. ỦY BAN NHÂN DÂN" (may be "")
    acting_line: str  # "KT. CHỦ TỊCH" (may be "")
    position: str  # "PHÓ CHỦ TỊCH"
    signer_name: str  # "Đỗ Tiến Đông"


def signature_block_lines(sig: Signature) -> tuple[list[str], str]:
    """The lines printed above the signing space (upper case, blank ones left out) and the name under it;
    the PDF and the settings screen's preview both draw these."""
    return [_upper(line) for line in (sig.authority_line, sig.acting_line, sig.position) if (line or "").strip()], \
        (sig.signer_name or "").strip()


@dataclass
class ReportParagraph:
    text: str  # plain text; escaped by the renderer
    bold: bool = False
    italic: bool = False
    indent_first_line: bool = True


@dataclass
class ReportSection:
    heading: str  # "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" or "1. Về xây dựng kế hoạch CCHC"
    paragraphs: list[ReportParagraph | str]
    subsections: list[ReportSection] = field(default_factory=list)


@dataclass
class AppendixTable:
    title_lines: list[str]  # ["Phụ lục", "THỐNG KÊ SỐ LIỆU ...", ...]
    subtitle: str  # "(Kèm theo Báo cáo số ... )", printed italic
    header_rows: list[list[str | None]]  # None = covered by a span
    spans: list[tuple[tuple[int, int], tuple[int, int]]]  # reportlab SPAN (col,row) pairs
    rows: list[list[str]]
    bold_rows: set[int] = field(default_factory=set)  # indices into rows
    italic_rows: set[int] = field(default_factory=set)
    col_widths_mm: list[float] = field(default_factory=list)
    align: list[str] = field(default_factory=list)  # per column "LEFT" | "CENTER" | "RIGHT"
    landscape: bool = True
    notes: list[str] = field(default_factory=list)  # numbered notes under the table: "(28) Sở …"


@dataclass
class ReportDocument:
    superior_body: str  # "" allowed; printed upper case, regular
    issuing_body: str  # printed upper case, bold
    document_number: str  # "25/BC-UBND" -> "Số: 25/BC-UBND"
    place: str  # "Gia Lai"
    issue_date: date | None  # None -> "Gia Lai, ngày      tháng      năm 2022"
    year_hint: int | None
    doc_type: str  # "BÁO CÁO"
    summary: str
    recipients: list[str]
    sections: list[ReportSection]
    signature: Signature
    distribution: list[str]  # "Nơi nhận:" list
    appendices: list[AppendixTable] = field(default_factory=list)
    # Numbered charts (core.reports.pdf_charts.ChartFigure), printed after the closing, before the appendices.
    figures: list = field(default_factory=list)
    title_for_metadata: str = ""
    # Digitally signed (core.signatures.signing): the lines drawn in the signature space ("Ký số bởi: …"),
    # over which the signature field is placed.
    signature_stamp: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _markup(text: str | None) -> str:
    """Escape ``& < >`` and keep intentional runs of spaces and line breaks (text is NFC already: it was
    normalised where it came in)."""
    s = escape(text or "")
    s = re.sub(r" {2,}", lambda m: " " + "\u00a0" * (len(m.group()) - 1), s)
    return s.replace("\r\n", "\n").replace("\n", "<br/>")


def _upper(text: str | None) -> str:
    return (text or "").upper()


def _dash_item(text: str) -> str:
    t = text.strip()
    return t if t.startswith(("-", "+", "–")) else f"- {t}"


def build_date_line(place: str, issue_date: date | None, year_hint: int | None = None) -> str:
    """``"Gia Lai, ngày 05 tháng 01 năm 2022"``, or with blanks to fill in by hand."""
    place = place.strip()
    if issue_date is not None:
        return format_date_long(issue_date, place or None)
    year = str(year_hint) if year_hint else _BLANK
    text = f"ngày {_BLANK} tháng {_BLANK} năm {year}"
    return f"{place}, {text}" if place else text


class _Fonts:
    def __init__(self, family: str) -> None:
        self.regular = family
        self.bold = f"{family}-Bold"
        self.italic = f"{family}-Italic"
        self.bold_italic = f"{family}-BoldItalic"

    def pick(self, bold: bool, italic: bool) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        if italic:
            return self.italic
        return self.regular


# Words that start the name of a locality or unit: a header line that does not
# fit is broken before them ("ỦY BAN NHÂN DÂN / TỈNH GIA LAI"), as clerks do.
_BREAK_BEFORE = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "THỊ TRẤN", "XÃ", "PHƯỜNG")


def _break_header_line(text: str, font: str, size: float, width: float) -> str:
    """Insert a line break where a Vietnamese clerk would, if ``text`` is too wide."""
    text = text.strip()
    if "\n" in text or pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    words = text.split()
    best: tuple[float, int] | None = None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        w1 = pdfmetrics.stringWidth(first, font, size)
        w2 = pdfmetrics.stringWidth(second, font, size)
        if w1 > width or w2 > width:
            continue
        preferred = second.startswith(_BREAK_BEFORE)
        score = abs(w1 - w2) - (1000.0 if preferred else 0.0)
        if best is None or score < best[0]:
            best = (score, i)
    if best is None:
        return text  # let the paragraph wrap it
    return " ".join(words[: best[1]]) + "\n" + " ".join(words[best[1]:])


def _widest_line(text: str, style: ParagraphStyle, width: float) -> float:
    p = Paragraph(text, style)
    p.wrap(width, 10_000)
    try:
        widths = p.getActualLineWidths0()
    except Exception:  # pragma: no cover - defensive, reportlab internals
        widths = []
    return max(widths) if widths else width


# --------------------------------------------------------------------------- styles


class _Styles:
    def __init__(self, fonts: _Fonts) -> None:
        f = fonts

        def ps(name: str, font: str, size: float, align: int = TA_CENTER, leading: float | None = None,
               **kw: object) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.2,
                                  alignment=align, **kw)

        self.superior = ps("superior", f.regular, 13)
        self.issuing = ps("issuing", f.bold, 13)
        self.quoc_hieu = ps("quoc_hieu", f.bold, 13)
        self.tieu_ngu = ps("tieu_ngu", f.bold, 14)
        self.number = ps("number", f.regular, 13)
        self.date_line = ps("date_line", f.italic, 14)
        self.doc_type = ps("doc_type", f.bold, 14, spaceBefore=18)
        self.summary = ps("summary", f.bold, 14)
        self.recipient = ps("recipient", f.regular, 14, spaceBefore=6)
        self.recipient_label = ps("recipient_label", f.regular, 14, align=TA_RIGHT)
        self.recipient_item = ps("recipient_item", f.regular, 14, align=TA_LEFT)
        body = dict(leading=_BODY_LEADING, firstLineIndent=_FIRST_LINE_INDENT, spaceAfter=6)
        self.body = ps("body", f.regular, _BODY_SIZE, align=TA_JUSTIFY, **body)
        self.heading = [
            # Headings are left-aligned: justified, a heading's last word could stand alone and the rest
            # be stretched ("IV. PHƯƠNG HƯỚNG … NĂM" / "2021").
            ps("h1", f.bold, _BODY_SIZE, align=TA_LEFT, keepWithNext=1, spaceBefore=3, **body),
            ps("h2", f.bold, _BODY_SIZE, align=TA_LEFT, keepWithNext=1, **body),
            ps("h3", f.italic, _BODY_SIZE, align=TA_LEFT, keepWithNext=1, **body),
        ]
        self.noi_nhan = ps("noi_nhan", f.bold_italic, 12, align=TA_LEFT, leading=14)
        self.noi_nhan_item = ps("noi_nhan_item", f.regular, 11, align=TA_LEFT, leading=12.5,
                                leftIndent=7, firstLineIndent=-7)
        self.sign = ps("sign", f.bold, 14, leading=16.5)
        self.appendix_title = ps("appendix_title", f.bold, 14, leading=17)
        self.appendix_subtitle = ps("appendix_subtitle", f.italic, 13, leading=16, spaceBefore=2, spaceAfter=8)
        self.cell_header = ps("cell_header", f.bold, 12, leading=14)
        self.appendix_note = ps("appendix_note", f.regular, 11, align=TA_LEFT, leading=13, spaceBefore=3)
        self._fonts = fonts
        self.regular_font = fonts.regular
        self._cells: dict[tuple[str, bool, bool], ParagraphStyle] = {}

    def cell(self, align: str, bold: bool, italic: bool) -> ParagraphStyle:
        key = (align.upper(), bold, italic)
        style = self._cells.get(key)
        if style is None:
            style = ParagraphStyle(
                f"cell_{key}", fontName=self._fonts.pick(bold, italic), fontSize=12, leading=14,
                alignment=_ALIGN.get(key[0], TA_LEFT),
            )
            self._cells[key] = style
        return style


# --------------------------------------------------------------------------- story


def _table_style(st: _Styles, cmds: list[tuple]) -> TableStyle:
    # Plain-string cells (even "") would otherwise select reportlab's default,
    # non-embedded Helvetica.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), st.regular_font), *cmds])


def _header(doc: ReportDocument, st: _Styles, frame_w: float) -> Table:
    right_w = _HEADER_RIGHT_MM * MM
    left_w = frame_w - right_w
    pad = 2.0
    left: list[Flowable] = []
    inner = left_w - 2 * pad
    if doc.superior_body.strip():
        superior = _break_header_line(_upper(doc.superior_body), st.superior.fontName, st.superior.fontSize, inner)
        left.append(Paragraph(_markup(superior), st.superior))
    issuing = _markup(_break_header_line(_upper(doc.issuing_body), st.issuing.fontName, st.issuing.fontSize, inner))
    left.append(Paragraph(issuing, st.issuing))
    if doc.issuing_body.strip():
        # Decree 30: a rule 1/3-1/2 the length of the line above it.
        line_w = _widest_line(issuing, st.issuing, inner)
        left.append(Rule(max(line_w * 0.45, 18 * MM), space_before=2.5, space_after=0))

    tieu_ngu_w = pdfmetrics.stringWidth(TIEU_NGU, st.tieu_ngu.fontName, st.tieu_ngu.fontSize)
    right: list[Flowable] = [
        Paragraph(_markup(QUOC_HIEU), st.quoc_hieu),
        Paragraph(_markup(TIEU_NGU), st.tieu_ngu),
        Rule(tieu_ngu_w, space_before=2.5, space_after=0),
    ]
    number = Paragraph(_markup(f"Số: {doc.document_number.rstrip()}"), st.number)
    date_line = Paragraph(_markup(build_date_line(doc.place, doc.issue_date, doc.year_hint)), st.date_line)
    table = Table([[left, right], [number, date_line]], colWidths=[left_w, right_w], hAlign="CENTER")
    table.setStyle(_table_style(st, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, 0), 0),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 8),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 0),
    ]))
    return table


def _title_block(doc: ReportDocument, st: _Styles, frame_w: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(_markup(_upper(doc.doc_type)), st.doc_type)]
    summary = doc.summary.strip()
    if summary:
        out.append(Paragraph(_markup(summary), st.summary))
        line_w = _widest_line(_markup(summary), st.summary, frame_w)
        out.append(Rule(max(line_w * 0.35, 25 * MM), space_before=5, space_after=3))
    recipients = [r.strip() for r in doc.recipients if r.strip()]
    if len(recipients) == 1:
        out.append(Paragraph(_markup(f"Kính gửi: {recipients[0]}"), st.recipient))
    elif recipients:
        label = "Kính gửi:"
        label_w = pdfmetrics.stringWidth(label, st.recipient_label.fontName, st.recipient_label.fontSize) + 8
        items = [_dash_item(r) for r in recipients]
        item_w = max(pdfmetrics.stringWidth(i, st.recipient_item.fontName, st.recipient_item.fontSize) for i in items)
        list_w = min(item_w + 6, frame_w - label_w - 20 * MM)
        t = Table([[Paragraph(label, st.recipient_label), [Paragraph(_markup(i), st.recipient_item) for i in items]]],
                  colWidths=[label_w, list_w], hAlign="CENTER")
        t.setStyle(_table_style(st, [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]))
        out.append(Spacer(1, 6))
        out.append(t)
    out.append(Spacer(1, 10))
    return out


def _paragraph(item: ReportParagraph | str, st: _Styles) -> Paragraph:
    if isinstance(item, str):
        item = ReportParagraph(item)
    style = st.body
    if item.bold or item.italic or not item.indent_first_line:
        style = ParagraphStyle(
            f"body_{item.bold}_{item.italic}_{item.indent_first_line}", parent=st.body,
            fontName=st._fonts.pick(item.bold, item.italic),
            firstLineIndent=_FIRST_LINE_INDENT if item.indent_first_line else 0,
        )
    return Paragraph(_markup(item.text), style)


def _sections(sections: Sequence[ReportSection], st: _Styles, depth: int = 0) -> list[Flowable]:
    out: list[Flowable] = []
    for sec in sections:
        if sec.heading.strip():
            out.append(Paragraph(_markup(sec.heading), st.heading[min(depth, len(st.heading) - 1)]))
        out.extend(_paragraph(p, st) for p in sec.paragraphs)
        out.extend(_sections(sec.subsections, st, depth + 1))
    return out


def _closing(doc: ReportDocument, st: _Styles, frame_w: float, spot: SignatureSpot | None = None) -> Table:
    left_w = frame_w * 0.45
    right_w = frame_w - left_w
    left: list[Flowable] = []
    items = [d.strip() for d in doc.distribution if d.strip()]
    if items:
        left.append(Paragraph("Nơi nhận:", st.noi_nhan))
        left.extend(Paragraph(_markup(_dash_item(i)), st.noi_nhan_item) for i in items)
    sig = doc.signature
    lines, name = signature_block_lines(sig)
    right: list[Flowable] = [Paragraph(_markup(line), st.sign) for line in lines]
    right.append(SignatureSpace(_SIGNATURE_SPACE_MM * MM, doc.signature_stamp, st.regular_font, spot))
    right.append(Paragraph(_markup(name), st.sign))
    table = Table([[left or "", right]], colWidths=[left_w, right_w])
    table.setStyle(_table_style(st, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (1, 0), (1, 0), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _appendix(
    ap: AppendixTable, st: _Styles, frame_w: float, frame_h: float, numbering: dict[str, int]
) -> list[Flowable]:
    out: list[Flowable] = [
        NextPageTemplate("landscape" if ap.landscape else "portrait"),
        PageBreak(),
        RestartNumbering(numbering),
    ]
    out.extend(Paragraph(_markup(line), st.appendix_title) for line in ap.title_lines if line.strip())
    if ap.subtitle.strip():
        out.append(Paragraph(_markup(ap.subtitle), st.appendix_subtitle))
    else:
        out.append(Spacer(1, 8))

    ncols = max([len(r) for r in ap.header_rows] + [len(r) for r in ap.rows] + [len(ap.col_widths_mm), 1])
    widths = [w * MM for w in ap.col_widths_mm][:ncols]
    if len(widths) < ncols:
        rest = max(frame_w - sum(widths), 0.0)
        widths += [rest / (ncols - len(widths))] * (ncols - len(widths))
    total = sum(widths)
    if total > frame_w or total <= 0:
        widths = [w * frame_w / total for w in widths] if total > 0 else [frame_w / ncols] * ncols
    aligns = [(ap.align[i] if i < len(ap.align) else "LEFT") for i in range(ncols)]

    data: list[list[object]] = []
    for hrow in ap.header_rows:
        cells: list[object] = []
        for c in range(ncols):
            value = hrow[c] if c < len(hrow) else None
            cells.append(Paragraph(_markup(value), st.cell_header) if value is not None else "")
        data.append(cells)
    for r, row in enumerate(ap.rows):
        bold, italic = r in ap.bold_rows, r in ap.italic_rows
        data.append([
            Paragraph(_markup(row[c] if c < len(row) else ""), st.cell(aligns[c], bold, italic))
            for c in range(ncols)
        ])

    n_head = len(ap.header_rows)
    cmds: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        # Body cells align to the top: reportlab's in-row split of a very long
        # cell misbehaves with MIDDLE (empty repeated headers).
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING["left"]),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING["right"]),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING["top"]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING["bottom"]),
    ]
    if n_head:
        cmds.append(("VALIGN", (0, 0), (-1, n_head - 1), "MIDDLE"))
    if len(ap.rows) > PAGED_ROWS:
        spans = [(tuple(a), tuple(b)) for a, b in ap.spans]
        paged = PagedAppendixTable(data[:n_head], data[n_head:], widths, cmds, spans, frame_h,
                                    lambda c: _table_style(st, c))
        out.append(paged)
    else:
        cmds.extend(("SPAN", tuple(a), tuple(b)) for a, b in ap.spans)
        table = AppendixTableFlowable(data, colWidths=widths, repeatRows=n_head, hAlign="CENTER", splitInRow=1)
        table.frame_height = frame_h
        table.setStyle(_table_style(st, cmds))
        out.append(table)
    if ap.notes:
        out.append(Spacer(1, 6))
        out.extend(Paragraph(_markup(note), st.appendix_note) for note in ap.notes)
    return out


# --------------------------------------------------------------------------- render


def _page_templates(family: str, numbering: dict[str, int]) -> list[PageTemplate]:
    def template(tid: str, size: tuple[float, float], margins: tuple[float, float, float, float]) -> PageTemplate:
        top, bottom, left, right = (m * MM for m in margins)
        w, h = size
        frame = Frame(left, bottom, w - left - right, h - top - bottom, id=f"{tid}_frame",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

        def number_page(canv, doc) -> None:  # noqa: ANN001 - reportlab callback
            n = canv.getPageNumber() - numbering.get("start", 1) + 1
            if n >= 2:
                canv.saveState()
                canv.setFont(family, 13)
                canv.drawCentredString(left + (w - left - right) / 2.0, h - top / 2.0 - 4, str(n))
                canv.restoreState()

        return PageTemplate(id=tid, frames=[frame], pagesize=size, onPageEnd=number_page)

    return [
        template("portrait", A4, PORTRAIT_MARGINS_MM),
        template("landscape", landscape(A4), LANDSCAPE_MARGINS_MM),
    ]


def _frame_width(size: tuple[float, float], margins: tuple[float, float, float, float]) -> float:
    return size[0] - (margins[2] + margins[3]) * MM


def _story(doc: ReportDocument, st: _Styles, numbering: dict[str, int],
           spot: SignatureSpot | None = None) -> list[Flowable]:
    fw = _frame_width(A4, PORTRAIT_MARGINS_MM)
    story: list[Flowable] = [_header(doc, st, fw)]
    story.extend(_title_block(doc, st, fw))
    body = _sections(doc.sections, st)
    closing = _closing(doc, st, fw, spot)
    if body and isinstance(body[-1], Paragraph):
        # Never leave the signature alone at the top of a page.
        last = body.pop()
        story.extend(body)
        story.append(KeepTogether([last, Spacer(1, 6), closing]))
    else:
        story.extend(body)
        story.append(Spacer(1, 6))
        story.append(closing)
    for figure in doc.figures:
        story.extend(figure.flowables(fw))
    for ap in doc.appendices:
        size = landscape(A4) if ap.landscape else A4
        margins = LANDSCAPE_MARGINS_MM if ap.landscape else PORTRAIT_MARGINS_MM
        frame_h = size[1] - (margins[0] + margins[1]) * MM
        story.extend(_appendix(ap, st, _frame_width(size, margins), frame_h, numbering))
    return story


def _metadata_title(doc: ReportDocument) -> str:
    if doc.title_for_metadata.strip():
        return doc.title_for_metadata.strip()
    parts = [_upper(doc.doc_type).strip(), doc.document_number.strip(), doc.summary.strip()]
    return " ".join(p for p in parts if p)


def render_report_pdf(
    doc: ReportDocument, path: Path, progress: Progress | None = None,
    *, spot: SignatureSpot | None = None,
) -> Path:
    """Render ``doc`` to ``path`` atomically and return ``path``.

    The PDF is built in a temporary file next to ``path`` and moved over it
    only when complete, so a failure never leaves a half-written file under the
    final name. ``progress(done, total)`` is called as flowables are laid out.
    ``spot`` receives where the signature stamp was drawn (``doc.signature_stamp``).
    """
    path = Path(path)
    family = register_pdf_fonts()
    st = _Styles(_Fonts(family))
    numbering = {"start": 1}
    story = _story(doc, st, numbering, spot)
    total = len(story) + 1 + sum(f.rows_total for f in story if isinstance(f, PagedAppendixTable))
    if progress is not None:
        progress(0, total)

    with replaced_atomically(path, busy="trong chương trình khác (ví dụ trình đọc PDF)") as tmp:
        template = ReportDocTemplate(
            str(tmp),
            progress,
            pagesize=A4,
            pageTemplates=_page_templates(family, numbering),
            title=_metadata_title(doc),
            author=_upper(doc.issuing_body).strip(),
            subject=" ".join(doc.summary.split()),  # a summary may carry a line break
            creator="Theo dõi & Báo cáo CCHC",
            lang="vi-VN",
            initialFontName=family,  # otherwise every page references a non-embedded Helvetica
            leftMargin=PORTRAIT_MARGINS_MM[2] * MM,
            rightMargin=PORTRAIT_MARGINS_MM[3] * MM,
            topMargin=PORTRAIT_MARGINS_MM[0] * MM,
            bottomMargin=PORTRAIT_MARGINS_MM[1] * MM,
        )
        template.progress_total = total
        template.build(story)
    if progress is not None:
        progress(total, total)
    return path
