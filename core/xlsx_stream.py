"""Reading the sheets of an .xlsx straight from its XML, under reading limits.

Every path that reads a user's workbook goes through here: ``XlsxSheets`` streams the sheets
asked for (the plan importer, the return importer, the values and units tables), and
``scan_xlsx`` streams every sheet before openpyxl is allowed to load a workbook (the hand-made
returns, which need openpyxl's merged cells and styles; the fallback for files this reader does
not follow). Both count while they stream — rows, columns, cells, characters, shared strings,
decompressed bytes (``core.safe_files.ReadLimits``) — and stop with ``LimitExceeded`` the moment
a limit is crossed, so a bomb is refused after reading at most the limits' worth of it.

XML is parsed through the same defusedxml-backed parser openpyxl uses
(``openpyxl.xml.functions.iterparse``), after the zip checks of ``safe_files.check_xlsx``.

Speed: a sheet of ordinary size goes the fast route of ``core.xlsx_plain`` when its XML is plain.

Values come back as openpyxl's data mode gives them: numbers as int or float, a number in a
date format as a datetime (or time), text (shared, inline or a formula's cached result) as str,
booleans as bool, an error as its text, an empty cell as None. Anything this reader does not
understand raises ``XlsxStreamError``; the caller then falls back to openpyxl (after
``scan_xlsx``). A damaged file raises ``InputFileError``.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.xml.functions import fromstring, iterparse

from core.safe_files import (
    EXCEL_MAX_ROWS,
    PLAN_LIMITS,
    InputFileError,
    LimitExceeded,
    ReadLimits,
    check_xlsx,
    damaged,
    limit_error,
    open_member,
)
from core.xlsx_plain import (
    COLUMNS,
    ESCAPED_TEXT_RE,
    FAST_PART_BYTES,
    FAST_TREE_BYTES,
    PREFIXED_RE,
    SHEET_TOKEN_RE,
    STYLE_PREFIXED_RE,
    STYLE_TOKEN_RE,
    XF_RE,
    NotPlain,
    attrs_of,
    column_of,
    plain_xml,
    unescape_all,
    unescaped,
)

__all__ = ["XlsxSheets", "XlsxStreamError", "scan_xlsx"]

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_REF_RE = re.compile(r"^([A-Za-z]{1,3})(\d{1,7})$")


# The date styles of a styles part, by its bytes (``XlsxSheets._date_styles``); parts up to this size.
_STYLE_CACHE: dict[bytes, tuple[frozenset[int], frozenset[int]]] = {}
_STYLE_CACHE_BYTES = 256 * 1024


class XlsxStreamError(Exception):
    """The file uses something this small reader does not handle; read it with openpyxl instead."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column(ref: str) -> int:
    m = _CELL_REF_RE.match(ref)
    if not m:
        raise XlsxStreamError(f"cell reference {ref[:20]!r}")
    return column_index_from_string(m.group(1).upper())


def _text_of(el) -> str:  # noqa: ANN001 - an ElementTree element
    """The text of a string item (<si> or <is>): its <t> and its runs' <t>, without phonetic hints."""
    parts = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            for t in child:
                if _local(t.tag) == "t":
                    parts.append(t.text or "")
    return "".join(parts)


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text or len(text) > 18:
        return float(text)  # a 400-digit integer becomes inf here, and is refused where it is used
    return int(text)


@dataclass
class _Budget:
    """What has been read so far from one file, against its limits."""

    path: Path
    limits: ReadLimits
    cells: int = 0  # cells holding a value
    elements: int = 0  # <c> elements, empty ones included
    text: int = 0

    def cell(self, sheet: str) -> None:
        self.cells += 1
        if self.cells > self.limits.cells:
            raise limit_error(self.path, self.limits, "cells", f"trang “{sheet}”")

    def element(self, sheet: str) -> None:
        self.elements += 1
        if self.elements > 2 * self.limits.cells:  # styled empty cells cost time too
            raise limit_error(self.path, self.limits, "cells", f"trang “{sheet}”")

    def chars(self, n: int, sheet: str) -> None:
        if n > self.limits.cell_chars:
            raise limit_error(self.path, self.limits, "cell_chars", f"trang “{sheet}”")
        self.text += n
        if self.text > self.limits.text_chars:
            raise limit_error(self.path, self.limits, "text_chars", f"trang “{sheet}”")

    def row(self, row_no: int, sheet: str) -> None:
        if row_no > self.limits.rows:
            raise limit_error(self.path, self.limits, "rows", f"trang “{sheet}”", row_no)

    def column(self, col: int, sheet: str) -> None:
        if col > self.limits.columns:
            raise limit_error(self.path, self.limits, "columns", f"trang “{sheet}”", col)


@dataclass
class SheetInfo:
    name: str
    part: str
    visible: bool = True
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)


def _merge_box(ref: str, budget: _Budget, sheet: str) -> tuple[int, int, int, int] | None:
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    budget.row(min_row, sheet)
    budget.column(min_col, sheet)
    return min_row, min_col, max_row, max_col


class XlsxSheets:
    """An .xlsx opened for streaming: ``sheetnames``, ``rows(name, columns)``; use as a context manager.

    Counts are kept for the whole file: ``limits.cells`` and ``limits.text_chars`` bound all the
    sheets read together, ``limits.rows`` and ``limits.columns`` each sheet.
    """

    def __init__(self, path: Path, limits: ReadLimits | None = None) -> None:
        path = Path(path)
        self.limits = limits or PLAN_LIMITS
        check_xlsx(path, self.limits)
        self.path = path
        self._budget = _Budget(path, self.limits)
        try:
            self._zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise damaged(path) from None
        try:
            self._sheets, self._epoch = self._read_workbook()
            self._shared: list[str] | None = None
            self._styles: tuple[frozenset[int], frozenset[int]] | None = None
        except (XlsxStreamError, InputFileError):
            self._zf.close()
            raise
        except Exception as exc:  # a workbook part this reader cannot follow
            self._zf.close()
            raise XlsxStreamError(type(exc).__name__) from exc

    def __enter__(self) -> XlsxSheets:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    def is_visible(self, name: str) -> bool:
        return self._sheets[name].visible

    def merged(self, name: str) -> list[tuple[int, int, int, int]]:
        """Merged ranges of a sheet, known once ``rows(name)`` has been read to the end."""
        return list(self._sheets[name].merged)

    def _open(self, member: str):  # noqa: ANN202 - a binary stream
        return open_member(self._zf, member, self.path, self.limits)

    def _read_workbook(self):  # noqa: ANN202 - (sheets, epoch)
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        names = set(self._zf.namelist())
        rels_path = "xl/_rels/workbook.xml.rels"
        if rels_path not in names:
            raise XlsxStreamError("no workbook relationships")
        targets = {}
        for rel in fromstring(self._zf.read(rels_path)):
            target = rel.get("Target") or ""
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = full
        sheets: dict[str, SheetInfo] = {}
        epoch = CALENDAR_WINDOWS_1900
        for el in fromstring(self._zf.read("xl/workbook.xml")).iter():
            tag = _local(el.tag)
            if tag == "workbookPr" and el.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
            if tag == "sheet":
                rid = el.get(f"{{{_REL_NS}}}id") or next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
                target = targets.get(rid)
                if target is None or target not in names:
                    raise XlsxStreamError("sheet without a part")
                if len(sheets) >= 1024:
                    raise limit_error(self.path, self.limits, "cells", "quá nhiều trang tính")
                sheets[el.get("name") or f"Sheet{len(sheets) + 1}"] = SheetInfo(
                    el.get("name"), target, visible=(el.get("state") or "visible") == "visible")
        return sheets, epoch

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            shared: list[str] = []
            chars = 0

            def add(el) -> None:  # noqa: ANN001 - an <si> element
                nonlocal chars
                text = _text_of(el)
                if len(text) > self.limits.cell_chars:
                    raise limit_error(self.path, self.limits, "cell_chars", "chuỗi chữ dùng chung")
                chars += len(text)
                if chars > self.limits.text_chars:
                    raise limit_error(self.path, self.limits, "text_chars", "chuỗi chữ dùng chung")
                shared.append(text)
                if len(shared) > self.limits.shared_strings:
                    raise limit_error(self.path, self.limits, "shared_strings")

            if "xl/sharedStrings.xml" in self._zf.namelist():
                tree = self._plain_tree("xl/sharedStrings.xml")
                if tree is not None:
                    for el in tree.iter():
                        if _local(el.tag) == "si":
                            add(el)
                else:
                    with self._open("xl/sharedStrings.xml") as fh:
                        for _, el in iterparse(fh):
                            if _local(el.tag) == "si":
                                add(el)
                                el.clear()
            self._shared = shared
        return self._shared

    def _date_styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """Indexes of the cell styles that show a number as a date (and, of those, as a duration).

        Remembered by the bytes of the styles part: the returns of a province come from one program and
        share the same few style tables, read once instead of once a file."""
        if self._styles is None:
            key = self._small_part("xl/styles.xml", _STYLE_CACHE_BYTES)
            known = _STYLE_CACHE.get(key) if key is not None else None
            if known is not None:
                self._styles = known
                return known
            self._styles = self._read_date_styles()
            if key is not None:
                if len(_STYLE_CACHE) >= 16:
                    _STYLE_CACHE.pop(next(iter(_STYLE_CACHE)))
                _STYLE_CACHE[key] = self._styles
        return self._styles

    def _read_date_styles(self) -> tuple[frozenset[int], frozenset[int]]:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        dates: set[int] = set()
        durations: set[int] = set()
        if "xl/styles.xml" in self._zf.namelist():
            custom: dict[int, str] = {}
            xfs: list[int] = []

            def number_format(el) -> None:  # noqa: ANN001 - a <numFmt> element or its attributes
                try:
                    custom[int(el.get("numFmtId"))] = el.get("formatCode") or ""
                except (TypeError, ValueError):
                    pass

            def cell_format(el) -> None:  # noqa: ANN001 - an <xf> element of <cellXfs>, or its attributes
                try:
                    xfs.append(int(el.get("numFmtId") or 0))
                except ValueError:
                    xfs.append(0)
                if len(xfs) > 100_000:
                    raise XlsxStreamError("too many styles")

            text = self._plain_part("xl/styles.xml")
            plain = text is not None and not STYLE_PREFIXED_RE.search(text)
            if plain:
                # Plain XML: the number formats and the cell formats cut out of the text.
                try:
                    for m in STYLE_TOKEN_RE.finditer(text):
                        if m.lastindex == 2:
                            number_format(attrs_of(m.group(1) or ""))
                        else:
                            for xf in XF_RE.finditer(m.group(4) or ""):
                                cell_format(attrs_of(xf.group(1) or ""))
                except NotPlain:
                    custom.clear()
                    xfs.clear()
                    plain = False
            if not plain:
                with self._open("xl/styles.xml") as fh:
                    in_cell_xfs = False
                    for event, el in iterparse(fh, events=("start", "end")):
                        tag = _local(el.tag)
                        if tag == "cellXfs":
                            in_cell_xfs = event == "start"
                        elif event == "end" and tag == "numFmt":
                            number_format(el)
                        elif event == "end" and tag == "xf" and in_cell_xfs:
                            cell_format(el)
            for i, fmt_id in enumerate(xfs):
                fmt = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id) or ""
                if fmt and is_date_format(fmt):
                    dates.add(i)
                    if is_timedelta_format(fmt):
                        durations.add(i)
        return frozenset(dates), frozenset(durations)

    def rows(self, name: str, columns: set[int] | None = None) -> Iterator[tuple[int, dict[int, object]]]:
        """``(row number, {column number: value})`` for every row holding a value in ``columns`` (all if None).

        Raises ``LimitExceeded`` as soon as the sheet crosses a limit, ``InputFileError`` for a damaged
        part, ``XlsxStreamError`` for a construct this reader does not follow.
        """
        sheet = self._sheets[name]
        fast = self._fast_rows(name, sheet, columns)
        if fast is not None:
            yield from fast
            return
        sheet.merged = []
        budget = self._budget
        last_row = 0
        try:
            with self._open(sheet.part) as fh:
                rows_parent = None
                for event, el in iterparse(fh, events=("start", "end")):
                    tag = _local(el.tag)
                    if event == "start":
                        if tag == "sheetData":
                            rows_parent = el  # emptied after each row: memory stays flat however long the sheet
                        continue
                    if tag == "mergeCell":
                        box = _merge_box(el.get("ref") or "", budget, name)
                        if box is not None:
                            sheet.merged.append(box)
                            budget.element(name)
                        continue
                    if tag != "row":
                        continue
                    r = el.get("r")
                    row_no = int(r) if r and r.isdigit() else last_row + 1
                    if row_no > EXCEL_MAX_ROWS:
                        raise limit_error(self.path, self.limits, "excel_rows", f"trang “{name}”", row_no)
                    last_row = row_no
                    cells: dict[int, object] = {}
                    col = 0
                    for c in el:
                        if _local(c.tag) != "c":
                            continue
                        budget.element(name)
                        ref = c.get("r")
                        col = _column(ref) if ref else col + 1
                        if not len(c):
                            continue  # an empty cell (formatting only)
                        value = self._value(c, name)
                        if value is None:
                            continue
                        budget.row(row_no, name)
                        budget.column(col, name)
                        budget.cell(name)
                        if columns is not None and col not in columns:
                            continue
                        cells[col] = value
                    el.clear()
                    if rows_parent is not None:
                        rows_parent.clear()
                    if cells:
                        yield row_no, cells
        except (LimitExceeded, XlsxStreamError, InputFileError):
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, SyntaxError, ValueError, KeyError, IndexError):
            # SyntaxError: ParseError of a cut or bit-flipped part; BadZipFile: its CRC; IndexError: a shared
            # string index past the table.
            raise damaged(self.path) from None

    def _small_part(self, part: str, most: int = FAST_PART_BYTES) -> bytes | None:
        """The bytes of a part of at most ``most`` bytes; None when absent, bigger or damaged (the streaming
        reader then reads it and gives the refusal)."""
        try:
            info = self._zf.getinfo(part)
        except KeyError:
            return None
        if info.file_size > most:
            return None
        try:
            with self._open(part) as fh:
                data = fh.read(most + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            return None
        if len(data) > most:  # a header that lies about the size
            return None
        return data

    def _plain_part(self, part: str, most: int = FAST_PART_BYTES) -> str | None:
        """The text of a part for the fast route, or None when it is to be streamed (too big, not plain,
        damaged: the streaming reader then gives the refusal)."""
        data = self._small_part(part, most)
        if data is None:
            return None
        try:
            return plain_xml(data)
        except NotPlain:
            return None

    def _plain_tree(self, part: str):  # noqa: ANN202 - an ElementTree element or None
        """A small plain part (shared strings, styles) parsed whole, in C; None: stream it."""
        text = self._plain_part(part, FAST_TREE_BYTES)
        if text is None:
            return None
        try:
            return ElementTree.fromstring(text)
        except ElementTree.ParseError:
            return None

    def _fast_rows(self, name: str, sheet: SheetInfo, columns: set[int] | None
                   ) -> list[tuple[int, dict[int, object]]] | None:
        """``rows()`` by the fast route, or None when the streaming reader must read this sheet.

        Gives exactly what the streaming reader gives and counts the same limits in the same order.
        """
        text = self._plain_part(sheet.part)
        if text is None or PREFIXED_RE.search(text):
            return None
        budget = self._budget
        saved = (budget.cells, budget.elements, budget.text)
        try:
            return self._cut_rows(text, name, sheet, columns)
        except NotPlain:
            budget.cells, budget.elements, budget.text = saved  # the streaming reader counts again
            return None
        except (LimitExceeded, XlsxStreamError, InputFileError):
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, SyntaxError, ValueError, KeyError, IndexError):
            raise damaged(self.path) from None  # as the streaming reader: a shared string past the table …

    def _cut_rows(self, text: str, name: str, sheet: SheetInfo, columns: set[int] | None
                  ) -> list[tuple[int, dict[int, object]]]:
        # The texts holding a reference or a CR, unescaped at once (each distinct one once); a text this
        # quick search misses (after a ">" inside an attribute value) is unescaped on its own below.
        texts = unescape_all(list(set(ESCAPED_TEXT_RE.findall(text))))
        budget, limits, where = self._budget, self.limits, f"trang “{name}”"
        # The counts live in locals while the sheet is cut (written back at the end; a refusal ends the
        # reading and NotPlain restores them).
        n_elements, n_cells, n_text = budget.elements, budget.cells, budget.text
        max_cells, max_elements = limits.cells, 2 * limits.cells
        max_chars, max_text = limits.cell_chars, limits.text_chars
        max_rows, max_columns = limits.rows, limits.columns
        merged: list[tuple[int, int, int, int]] = []
        out: list[tuple[int, dict[int, object]]] = []
        last_row = row_no = col = 0
        in_row = False
        cells: dict[int, object] = {}
        columns_of = COLUMNS
        dates: frozenset[int] | None = None  # the date styles, read at the first styled number
        for m in SHEET_TOKEN_RE.finditer(text):
            which = m.lastindex
            if which == 8 or which == 11:  # a cell
                if not in_row:
                    raise NotPlain
                n_elements += 1
                if n_elements > max_elements:  # styled empty cells cost time too
                    raise limit_error(self.path, limits, "cells", where)
                if which == 8:
                    letters, style, kind, v, inline, other = m.group(1, 3, 4, 5, 6, 7)
                    col = columns_of.get(letters) or column_of(letters)
                    kind = kind or "n"
                else:
                    attrs = attrs_of(m.group(9) or "")
                    ref = attrs.get("r")
                    col = _column(ref) if ref else col + 1
                    v = inline = None
                    other = m.group(10)
                    style, kind = attrs.get("s"), attrs.get("t", "n")
                value: object
                if inline is not None:
                    if kind != "inlineStr":
                        continue  # no <v>: blank, as the streaming reader reads it
                    value = texts.get(inline)
                    if value is None:
                        value = unescaped(inline) if "&" in inline or "\r" in inline else inline
                    n = len(value)
                    if n > max_chars:
                        raise limit_error(self.path, limits, "cell_chars", where)
                    n_text += n
                    if n_text > max_text:
                        raise limit_error(self.path, limits, "text_chars", where)
                elif v is not None:
                    if kind == "inlineStr":
                        continue  # an inline string without <is>: blank
                    text_v = texts.get(v)
                    if text_v is None:
                        text_v = unescaped(v) if "&" in v or "\r" in v else v
                    if kind == "n" and style and dates is None:
                        dates = self._date_styles()[0]
                    if kind == "n" and not (style and dates):
                        if not text_v:
                            continue
                        value = _number(text_v)  # a plain number: most cells
                    else:
                        budget.text = n_text  # _typed counts the characters of a shared string
                        value = self._typed(kind, text_v, style, name)
                        n_text = budget.text
                elif other is None or "<" not in other:
                    continue  # an empty cell (formatting only)
                else:
                    budget.text = n_text
                    value = self._element_value({"s": style, "t": kind}, other, name)
                    n_text = budget.text
                if value is None:
                    continue
                if row_no > max_rows:
                    raise limit_error(self.path, limits, "rows", where, row_no)
                if col > max_columns:
                    raise limit_error(self.path, limits, "columns", where, col)
                n_cells += 1
                if n_cells > max_cells:
                    raise limit_error(self.path, limits, "cells", where)
                if columns is None or col in columns:
                    cells[col] = value
            elif which == 14:  # a row starts
                if in_row:
                    raise NotPlain
                r = attrs_of(m.group(12)).get("r") if m.group(12) else None
                row_no = int(r) if r and r.isdigit() else last_row + 1
                if row_no > EXCEL_MAX_ROWS:
                    raise limit_error(self.path, limits, "excel_rows", where, row_no)
                last_row = row_no
                cells, col = {}, 0
                in_row = not m.group(13)
            elif which == 15:  # a row ends
                if not in_row:
                    raise NotPlain
                in_row = False
                if cells:
                    out.append((row_no, cells))
            elif which == 17:  # a merged range
                if in_row:
                    raise NotPlain
                box = _merge_box(attrs_of(m.group(16) or "").get("ref") or "", budget, name)
                if box is not None:
                    merged.append(box)
                    n_elements += 1
                    if n_elements > max_elements:
                        raise limit_error(self.path, limits, "cells", where)
            elif in_row:  # another element inside a row: leave the row to the streaming reader
                raise NotPlain
        if in_row:
            raise NotPlain
        budget.elements, budget.cells, budget.text = n_elements, n_cells, n_text
        sheet.merged = merged
        return out

    def _element_value(self, attrs: dict[str, str], inner: str, sheet: str) -> object:
        """A cell of another shape (rich text, phonetic hints …), parsed as the streaming reader parses it."""
        try:
            el = ElementTree.fromstring(f"<c>{inner}</c>")
        except ElementTree.ParseError:
            raise NotPlain from None  # a prefix declared further up: the streaming reader resolves it
        el.attrib.update({k: v for k, v in attrs.items() if v is not None})
        return self._value(el, sheet)

    def _value(self, c, sheet: str) -> object:  # noqa: ANN001 - an ElementTree element
        kind = c.get("t", "n")
        if kind == "inlineStr":
            for child in c:
                if _local(child.tag) == "is":
                    text = _text_of(child)
                    self._budget.chars(len(text), sheet)
                    return text
            return None
        v = None
        for child in c:
            if _local(child.tag) == "v":
                v = child.text
                break
        return self._typed(kind, v, c.get("s"), sheet)

    def _typed(self, kind: str, v: str | None, style: str | None, sheet: str) -> object:
        """The value of a cell of type ``kind`` whose <v> holds ``v``."""
        if v is None or v == "":
            return None
        if kind == "n":
            number = _number(v)
            if style is not None and style.isdigit():
                dates, durations = self._date_styles()
                index = int(style)
                if index in dates:
                    from openpyxl.utils.datetime import from_excel

                    try:
                        return from_excel(number, self._epoch, timedelta=index in durations)
                    except (OverflowError, ValueError):
                        return "#VALUE!"
            return number
        if kind == "s":
            text = self._shared_strings()[int(v)]
            self._budget.chars(len(text), sheet)
            return text
        if kind == "b":
            return v.strip() == "1"
        if kind in ("str", "e", "d"):
            self._budget.chars(len(v), sheet)
            return v
        raise XlsxStreamError(f"cell type {kind[:10]}")


def scan_xlsx(path: Path, limits: ReadLimits) -> None:
    """Stream every sheet and the shared strings of an .xlsx under ``limits`` before openpyxl loads it.

    Counts what openpyxl would build: every cell element (styled empty ones too), rows, merged
    and hyperlinked ranges (openpyxl makes a cell object for each cell they cover), characters.
    Raises ``LimitExceeded`` or ``InputFileError``; returns None when openpyxl may load the file.
    """
    path = Path(path)
    check_xlsx(path, limits)
    budget = _Budget(path, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            for member in names:
                if member == "xl/sharedStrings.xml":
                    count = 0
                    with open_member(zf, member, path, limits) as fh:
                        for _, el in iterparse(fh):
                            if _local(el.tag) == "si":
                                count += 1
                                if count > limits.shared_strings:
                                    raise limit_error(path, limits, "shared_strings")
                                budget.chars(len(_text_of(el)), "chuỗi chữ dùng chung")
                                el.clear()
                elif member.startswith("xl/worksheets/") and member.endswith(".xml"):
                    _scan_sheet(zf, member, path, limits, budget)
    except (LimitExceeded, InputFileError):
        raise
    except Exception:  # a cut, bit-flipped or forged part: openpyxl would fail on it too
        raise damaged(path) from None


def _scan_sheet(zf: zipfile.ZipFile, member: str, path: Path, limits: ReadLimits, budget: _Budget) -> None:
    sheet = posixpath.basename(member)
    row_elements = 0
    covered = 0
    rows_parent = None
    with open_member(zf, member, path, limits) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            tag = _local(el.tag)
            if event == "start":
                if tag == "sheetData":
                    rows_parent = el
                continue
            if tag == "c":
                budget.element(sheet)
                if len(el):
                    budget.cell(sheet)
                    ref = el.get("r")
                    if ref:
                        m = _CELL_REF_RE.match(ref)
                        if m:
                            budget.row(int(m.group(2)), sheet)
                            budget.column(column_index_from_string(m.group(1).upper()), sheet)
                    for child in el:
                        text = child.text if _local(child.tag) == "v" else _text_of(child)
                        budget.chars(len(text or ""), sheet)
                el.clear()
            elif tag == "row":
                row_elements += 1
                if row_elements > max(2 * limits.rows, 20_000):
                    raise limit_error(path, limits, "rows", sheet, row_elements)
                el.clear()
                if rows_parent is not None:
                    rows_parent.clear()
            elif tag in ("mergeCell", "hyperlink"):
                ref = el.get("ref") or ""
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(ref)
                except (ValueError, TypeError):
                    continue
                if None in (min_col, min_row, max_col, max_row):
                    raise limit_error(path, limits, "cells", sheet)  # a whole row or column
                covered += (max_row - min_row + 1) * (max_col - min_col + 1)
                if covered > limits.cells:
                    raise limit_error(path, limits, "cells", sheet)
