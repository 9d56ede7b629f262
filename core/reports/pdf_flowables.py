"""The reportlab pieces the Decree-30 layout (``core.reports.pdf_layout``) is drawn with: a centred
rule, the signature space (with the digital-signature stamp and where it landed), page-numbering
restarts, and appendix tables that split between rows — long ones laid out page by page so that a
table of thousands of rows takes linear time — and the document template that reports progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Table,
    TableStyle,
)

from core.jobs import Progress


@dataclass
class SignatureSpot:
    """Where the signature space was drawn: page index (from 0) and box (x1, y1, x2, y2) in points."""

    page: int | None = None
    box: tuple[float, float, float, float] | None = None



class Rule(Flowable):
    """A horizontal rule of a given length, centred in the available width."""

    def __init__(self, length: float, thickness: float = 0.6, space_before: float = 2.0,
                 space_after: float = 2.0) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.space_before = space_before
        self.space_after = space_after
        self._avail = length

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        return availWidth, self.space_before + self.thickness + self.space_after

    def draw(self) -> None:
        length = min(self.length, self._avail)
        x0 = (self._avail - length) / 2.0
        y = self.space_after + self.thickness / 2.0
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x0, y, x0 + length, y)


class SignatureSpace(Flowable):
    """The space for the signature between the position and the signer's name. Signed digitally, it
    shows a framed stamp ("Ký số bởi: …") in the document's own font (extractable Vietnamese text),
    and records where it landed so the signature field can be put over it."""

    def __init__(self, height: float, lines: list[str], font: str, spot: SignatureSpot | None) -> None:
        super().__init__()
        self.height = height
        self.lines = list(lines)
        self.font = font
        self.spot = spot
        self._avail = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        if not self.lines:
            return
        size, leading, pad = 10.0, 12.5, 5.0
        width = min(self._avail, max(pdfmetrics.stringWidth(t, self.font, size) for t in self.lines) + 2 * pad)
        height = leading * len(self.lines) + 2 * pad
        x0 = (self._avail - width) / 2.0
        y0 = (self.height - height) / 2.0
        c = self.canv
        c.saveState()
        c.setStrokeColor(colors.HexColor("#1f4e9c"))
        c.setFillColor(colors.HexColor("#1f4e9c"))
        c.setLineWidth(0.8)
        c.roundRect(x0, y0, width, height, 3, stroke=1, fill=0)
        c.setFont(self.font, size)
        for i, text in enumerate(self.lines):
            c.drawCentredString(x0 + width / 2.0, y0 + height - pad - size - i * leading + 1.5, text)
        c.restoreState()
        if self.spot is not None:
            ax, ay = c.absolutePosition(x0, y0)
            bx, by = c.absolutePosition(x0 + width, y0 + height)
            self.spot.page = c.getPageNumber() - 1
            self.spot.box = (ax, ay, bx, by)


class RestartNumbering(Flowable):
    """Zero-size marker: the page it lands on is page 1 of a new numbering run."""

    def __init__(self, state: dict[str, int]) -> None:
        super().__init__()
        self._state = state

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        self._state["start"] = self.canv.getPageNumber()


class AppendixTableFlowable(Table):
    """A table that splits between rows, and inside a row only when that row
    could never fit on a page by itself (a very long note)."""

    frame_height: float = 0.0  # set per instance, copied to the split parts

    def _oversize(self, row: int) -> bool:
        if not self.frame_height or row >= len(self._rowHeights):
            return False
        header = sum(self._rowHeights[: self.repeatRows])
        return self._rowHeights[row] > self.frame_height - header - 1.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self._calc(availWidth, availHeight)
        parts = self._splitRows(availHeight, doInRowSplit=False)
        if parts:
            if self._oversize(len(parts[0]._cellvalues)):
                # Start the oversize row here rather than repeating the header
                # for a sliver of it further down this page.
                parts = self._splitRows(availHeight, doInRowSplit=True) or parts
        elif self._oversize(self.repeatRows):
            parts = self._splitRows(availHeight, doInRowSplit=True)
        for part in parts:
            if isinstance(part, AppendixTableFlowable):
                part.frame_height = self.frame_height
        return parts


# Above this many body rows an appendix table is laid out page by page (see PagedAppendixTable).
PAGED_ROWS = 40
CELL_PADDING = {"left": 3.0, "right": 3.0, "top": 2.0, "bottom": 3.0}


class PagedAppendixTable(Flowable):
    """A long appendix table laid out one page at a time.

    reportlab re-measures every remaining row of a Table each time it splits one,
    so a table of thousands of rows takes time quadratic in its length. This
    flowable measures each row once, then hands the frame, page by page, a small
    Table holding the header and the rows that fit, so the work stays linear.
    A row taller than a page goes to an ``AppendixTableFlowable`` of its own,
    which splits inside the row as before.
    """

    def __init__(self, head: list[list[object]], body: list[list[object]], widths: list[float],
                 cmds: list[tuple], spans: list[tuple[tuple[int, int], tuple[int, int]]], frame_height: float,
                 style_fn: Callable[[list[tuple]], TableStyle], *, _measured: tuple | None = None,
                 _start: int = 0) -> None:
        super().__init__()
        self.head, self.body, self.widths, self.cmds = head, body, widths, cmds
        self.n_head = len(head)
        self.spans = [((c0, r0), (c1, r1)) for (c0, r0), (c1, r1) in spans]
        self.frame_height = frame_height
        self.style_fn = style_fn
        self.start = _start
        self.hAlign = "CENTER"
        self.width = sum(widths)
        if _measured is None:
            _measured = (self._measure_header(), self._measure_rows())
        self._measured = _measured
        self.header_h, self.row_h = _measured

    # ---- measuring
    def _body_spans(self) -> dict[int, tuple[int, int]]:
        """Body row index → (first column, last column) of a one-row span."""
        out = {}
        n = len(self.widths)
        for (c0, r0), (c1, r1) in self.spans:
            if r0 >= self.n_head and r0 == r1:
                out[r0 - self.n_head] = (c0 % n, c1 % n)
        return out

    def _measure_rows(self) -> list[float]:
        spans = self._body_spans()
        heights = []
        for i, row in enumerate(self.body):
            first, last = spans.get(i, (None, None))
            tallest = 0.0
            for c, cell in enumerate(row):
                if first is not None and first < c <= last:
                    continue
                width = sum(self.widths[c:last + 1]) if c == first else self.widths[c]
                if isinstance(cell, Flowable):
                    _, h = cell.wrap(width - CELL_PADDING["left"] - CELL_PADDING["right"], 1e7)
                    tallest = max(tallest, h)
            heights.append(tallest + CELL_PADDING["top"] + CELL_PADDING["bottom"])
        return heights

    def _measure_header(self) -> float:
        if not self.head:
            return 0.0
        t = self._table(0, 0)
        return t.wrap(self.width, 1e7)[1]

    # ---- building
    def _table(self, lo: int, hi: int, cls: type[Table] = Table) -> Table:
        data = self.head + self.body[lo:hi]
        cmds = list(self.cmds)
        for (c0, r0), (c1, r1) in self.spans:
            if r1 < self.n_head:
                cmds.append(("SPAN", (c0, r0), (c1, r1)))
            elif lo + self.n_head <= r0 and r1 < hi + self.n_head:
                shift = lo
                cmds.append(("SPAN", (c0, r0 - shift), (c1, r1 - shift)))
        in_row = cls is AppendixTableFlowable
        # The in-row splitter reads every row's height: measure them all (no long-table shortcut).
        table = cls(data, colWidths=self.widths, repeatRows=self.n_head, hAlign="CENTER",
                    splitInRow=1 if in_row else 0, longTableOptimize=0 if in_row else None)
        if isinstance(table, AppendixTableFlowable):
            table.frame_height = self.frame_height
        table.setStyle(self.style_fn(cmds))
        table.progress_weight = max(hi - lo, 1)
        return table

    def _rest(self, start: int) -> PagedAppendixTable | None:
        if start >= len(self.body):
            return None
        return PagedAppendixTable(self.head, self.body, self.widths, self.cmds, self.spans, self.frame_height,
                                   self.style_fn, _measured=self._measured, _start=start)

    # ---- flowable protocol
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.header_h + sum(self.row_h[self.start:])

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        room = availHeight - self.header_h - 1.0
        k, used = 0, 0.0
        rows = self.row_h
        while self.start + k < len(rows) and used + rows[self.start + k] <= room:
            used += rows[self.start + k]
            k += 1
        if k == 0 and rows[self.start] <= self.frame_height - self.header_h - 1.0:
            return []  # the next row starts on the next page
        if k > 0:
            table = self._table(self.start, self.start + k)
            while k > 1 and table.wrap(availWidth, availHeight)[1] > availHeight:
                k -= 1  # measured a little short: a page part must fit as it is
                table = self._table(self.start, self.start + k)
            if table.wrap(availWidth, availHeight)[1] <= availHeight:
                return [f for f in (table, self._rest(self.start + k)) if f is not None]
        # A row taller than the room left on any page: it splits inside itself, as the
        # plain appendix table does (the frame needs the first piece to fit as it is).
        part = self._table(self.start, self.start + 1, AppendixTableFlowable)
        pieces = part.split(availWidth, availHeight)
        if not pieces:
            return []
        return [f for f in (*pieces, self._rest(self.start + 1)) if f is not None]

    def draw(self) -> None:
        table = self._table(self.start, len(self.body))
        table.wrapOn(self.canv, self.width, 1e7)
        table.drawOn(self.canv, 0, 0)

    @property
    def rows_total(self) -> int:
        return len(self.body) - self.start


class ReportDocTemplate(BaseDocTemplate):
    def __init__(self, filename: str, progress: Progress | None, **kw: object) -> None:
        super().__init__(filename, **kw)
        self._progress = progress
        self._done = 0
        self.progress_total = 1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        if self._progress is not None:
            self._done += getattr(flowable, "progress_weight", 1)
            self._progress(min(self._done, self.progress_total - 1), self.progress_total)
