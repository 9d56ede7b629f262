"""Charts in the printed report: vector drawings (reportlab.graphics) in the report's font, each with its
caption "Biểu đồ N: …", and the appendix "Kết quả thực hiện chỉ tiêu kế hoạch".

The labels are drawn as text in the embedded serif font (``core.reports.fonts``), so they can be read,
searched and copied out of the PDF. ``ChartFigure.flowables`` is what ``pdf_layout`` places; the
shapes come from ``core.reports.chart_drawing``, as on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from core.reports.chart_drawing import Dot, Line, PolyLine, Rect, Text, layout
from core.reports.charts import ChartData
from core.reports.fonts import register_pdf_fonts
from core.reports.pdf_layout import AppendixTable
from core.returns.target_status import TargetResult
from core.vnformat import nfc

__all__ = ["CHART_CAPTION", "ChartFigure", "chart_figures", "targets_appendix"]

CHART_CAPTION = "Biểu đồ {n}: {title}"
CHART_HEIGHT_PT = 250.0


@dataclass
class ChartFigure:
    """One numbered chart of the report; ``heading`` opens the page of charts (on the first one)."""

    number: int
    chart: ChartData
    heading: str = ""

    @property
    def caption(self) -> str:
        return CHART_CAPTION.format(n=self.number, title=self.chart.title)

    def drawing(self, width: float, height: float = CHART_HEIGHT_PT):  # noqa: ANN201 - a reportlab Drawing
        from reportlab.graphics.shapes import Circle, Drawing, String
        from reportlab.graphics.shapes import Line as RlLine
        from reportlab.graphics.shapes import PolyLine as RlPolyLine
        from reportlab.graphics.shapes import Rect as RlRect
        from reportlab.lib import colors
        from reportlab.pdfbase.pdfmetrics import stringWidth

        family = register_pdf_fonts()
        bold = f"{family}-Bold"

        def measure(text: str, size: float) -> float:
            return stringWidth(text, family, size)

        d = Drawing(width, height)
        d.initialFontName = family  # reportlab's default is Helvetica, which would be referenced and not embedded
        flip = height  # chart_drawing's y points down, reportlab's up
        for s in layout(self.chart, width, height, measure, size=9):
            if isinstance(s, Rect):
                d.add(RlRect(s.x, flip - s.y - s.h, s.w, s.h, fillColor=colors.HexColor(s.fill), strokeColor=None))
            elif isinstance(s, Line):
                d.add(RlLine(s.x1, flip - s.y1, s.x2, flip - s.y2, strokeColor=colors.HexColor(s.color),
                             strokeWidth=s.width))
            elif isinstance(s, PolyLine):
                pts = [c for x, y in s.points for c in (x, flip - y)]
                d.add(RlPolyLine(pts, strokeColor=colors.HexColor(s.color), strokeWidth=s.width))
            elif isinstance(s, Dot):
                d.add(Circle(s.x, flip - s.y, s.r, fillColor=colors.HexColor(s.fill), strokeColor=None))
            elif isinstance(s, Text):
                d.add(String(s.x, flip - s.y, nfc(s.text), fontName=bold if s.bold else family, fontSize=s.size,
                             fillColor=colors.HexColor(s.color), textAnchor=s.anchor))
        return d

    def flowables(self, width: float) -> list:
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

        family = register_pdf_fonts()
        heading = ParagraphStyle("chart_heading", fontName=f"{family}-Bold", fontSize=13, leading=16,
                                 alignment=TA_CENTER, spaceAfter=10)
        caption = ParagraphStyle("chart_caption", fontName=f"{family}-BoldItalic", fontSize=12, leading=15,
                                 alignment=TA_CENTER, spaceBefore=4, spaceAfter=14)
        note = ParagraphStyle("chart_note", parent=caption, fontName=f"{family}-Italic", fontSize=11, spaceBefore=0)
        out: list = []
        if self.heading:
            out += [CondPageBreak(CHART_HEIGHT_PT + 120), Paragraph(escape(nfc(self.heading)), heading)]
        block = [self.drawing(width), Paragraph(escape(nfc(self.caption)), caption)]
        if self.chart.note:
            block.insert(1, Paragraph(escape(nfc(self.chart.note)), note))
        out += [Spacer(1, 6), KeepTogether(block)]
        return out


def chart_figures(charts: list[ChartData], heading: str = "BIỂU ĐỒ KÈM THEO BÁO CÁO") -> list[ChartFigure]:
    """The charts that have something to show, numbered from 1; the first opens with ``heading``."""
    shown = [c for c in charts if not c.empty]
    return [ChartFigure(i, c, heading if i == 1 else "") for i, c in enumerate(shown, 1)]


def targets_appendix(results: list[TargetResult], numeral: str, period_phrase: str, issuer: str,
                     attached_to: str) -> AppendixTable:
    """"Kết quả thực hiện chỉ tiêu kế hoạch": each target, the period's figure and met / not met."""
    rows = [[str(i), r.label, r.phrase, r.target_display, r.actual_display or "–", r.met_label]
            for i, r in enumerate(results, 1)]
    met = sum(r.met is True for r in results)
    rows.append(["", f"Tổng số: {len(results)} chỉ tiêu; đạt {met}, chưa đạt "
                     f"{sum(r.met is False for r in results)}, chưa có số liệu {sum(r.met is None for r in results)}.",
                 "", "", "", ""])
    return AppendixTable(
        title_lines=[f"Phụ lục {numeral}", "KẾT QUẢ THỰC HIỆN CHỈ TIÊU KẾ HOẠCH",
                     f"{period_phrase} của {issuer}".upper()],
        subtitle=attached_to,
        header_rows=[["STT", "Chỉ tiêu kế hoạch", "Cách tính", "Chỉ tiêu", "Kết quả thực hiện", "Đánh giá"]],
        spans=[((1, len(rows)), (-1, len(rows)))],
        rows=rows,
        bold_rows={len(rows) - 1},
        col_widths_mm=[14, 110, 40, 30, 36, 32],
        align=["CENTER", "LEFT", "CENTER", "CENTER", "CENTER", "CENTER"],
        landscape=True,
    )
