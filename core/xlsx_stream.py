"""Reading chosen sheets and columns of an .xlsx straight from its XML, for files read by the hundred.

openpyxl's read-only mode, on opening a workbook, builds its styles and scans every sheet to
find its size; the return importer needs two sheets, and of the visible one only four columns.
``XlsxSheets`` opens the zip once and streams just the sheets asked for, through the same
defusedxml-backed parser openpyxl uses (``openpyxl.xml.functions.iterparse``), after the same
size and zip-bomb checks (``safe_files.check_xlsx``).

Values come back as openpyxl's read-only data mode gives them: numbers as int or float, text
(shared, inline or a formula's cached result) as str, booleans as bool, an error as its text,
an empty cell as None. Anything this reader does not understand raises ``XlsxStreamError``; the
caller then falls back to openpyxl.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string
from openpyxl.xml.functions import fromstring, iterparse

from core.safe_files import check_xlsx

__all__ = ["XlsxSheets", "XlsxStreamError"]

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class XlsxStreamError(Exception):
    """The file uses something this small reader does not handle; read it with openpyxl instead."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    return column_index_from_string(letters)


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
    if "." in text or "E" in text or "e" in text:
        value = float(text)
        return value
    return int(text)


class XlsxSheets:
    """An .xlsx opened for streaming: ``sheetnames``, ``rows(name, columns)``; use as a context manager."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        check_xlsx(path)
        self.path = path
        self._zf = zipfile.ZipFile(path)
        try:
            self._sheets = self._read_workbook()
            self._shared: list[str] | None = None
        except XlsxStreamError:
            self._zf.close()
            raise
        except Exception as exc:  # a workbook part this reader cannot follow
            self._zf.close()
            raise XlsxStreamError(str(exc)) from exc

    def __enter__(self) -> XlsxSheets:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    def _read_workbook(self) -> dict[str, str]:
        names = set(self._zf.namelist())
        rels_path = "xl/_rels/workbook.xml.rels"
        if rels_path not in names:
            raise XlsxStreamError("no workbook relationships")
        targets = {}
        for rel in fromstring(self._zf.read(rels_path)):
            target = rel.get("Target") or ""
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = full
        sheets: dict[str, str] = {}
        for el in fromstring(self._zf.read("xl/workbook.xml")).iter():
            if _local(el.tag) == "sheet":
                rid = el.get(f"{{{_REL_NS}}}id") or next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
                target = targets.get(rid)
                if target is None or target not in names:
                    raise XlsxStreamError(f"sheet {el.get('name')} has no part")
                sheets[el.get("name")] = target
        return sheets

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if "xl/sharedStrings.xml" in self._zf.namelist():
                with self._zf.open("xl/sharedStrings.xml") as fh:
                    for _, el in iterparse(fh):
                        if _local(el.tag) == "si":
                            self._shared.append(_text_of(el))
                            el.clear()
        return self._shared

    def rows(self, name: str, columns: set[int] | None = None) -> Iterator[tuple[int, dict[int, object]]]:
        """``(row number, {column number: value})`` for every row holding a value in ``columns`` (all if None)."""
        part = self._sheets[name]
        last_row = 0
        with self._zf.open(part) as fh:
            for _, el in iterparse(fh):
                if _local(el.tag) != "row":
                    continue
                r = el.get("r")
                row_no = int(r) if r else last_row + 1
                last_row = row_no
                cells: dict[int, object] = {}
                col = 0
                for c in el:
                    if _local(c.tag) != "c":
                        continue
                    ref = c.get("r")
                    col = _column(ref) if ref else col + 1
                    if columns is not None and col not in columns:
                        continue
                    value = self._value(c)
                    if value is not None:
                        cells[col] = value
                el.clear()
                if cells:
                    yield row_no, cells

    def _value(self, c) -> object:  # noqa: ANN001 - an ElementTree element
        kind = c.get("t", "n")
        if kind == "inlineStr":
            for child in c:
                if _local(child.tag) == "is":
                    return _text_of(child)
            return None
        v = None
        for child in c:
            if _local(child.tag) == "v":
                v = child.text
                break
        if v is None or v == "":
            return None
        if kind == "n":
            return _number(v)
        if kind == "s":
            return self._shared_strings()[int(v)]
        if kind == "b":
            return v.strip() == "1"
        if kind in ("str", "e", "d"):
            return v
        raise XlsxStreamError(f"cell type {kind}")
