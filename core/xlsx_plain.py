"""The fast route of the xlsx reader (``core.xlsx_stream``): a part of ordinary size written the way
Excel, LibreOffice and openpyxl write them is checked by expat, in C, to be well-formed XML without a
DTD, comments, processing instructions, CDATA or namespace prefixes on the elements read
(``plain_xml``); its rows and cells are then cut out of the text with the regular expressions below,
which is exact for such a document, and its texts unescaped in one C parse (``unescape_all``).
Anything else raises ``NotPlain`` and goes to the streaming, defusedxml-backed reader, which decides
(refusals included). The reading limits are counted by ``XlsxSheets`` the same way on both routes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string

__all__ = [
    "FAST_PART_BYTES",
    "FAST_TREE_BYTES",
    "NotPlain",
    "plain_xml",
    "unescape_all",
    "unescaped",
    "ESCAPED_TEXT_RE",
    "attrs_of",
    "SHEET_TOKEN_RE",
    "PREFIXED_RE",
    "COLUMNS",
    "STYLE_TOKEN_RE",
    "XF_RE",
    "STYLE_PREFIXED_RE",
    "column_of",
]


# A sheet part up to this size is read whole and cut with regular expressions; a bigger one is streamed.
FAST_PART_BYTES = 16 * 1024 * 1024
# Shared strings and styles up to this size are parsed whole as a tree (several times their size in memory).
FAST_TREE_BYTES = 4 * 1024 * 1024


class NotPlain(Exception):
    """The part uses something the fast route leaves to the streaming reader."""


def _not_plain(*_args: object) -> None:
    raise NotPlain


def _xml_declaration(_version: str | None, encoding: str | None, _standalone: int) -> None:
    if encoding is not None and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise NotPlain


def plain_xml(data: bytes) -> str:
    """The text of a part that expat finds well-formed and plain: UTF-8, no DTD (so no entity but the
    five predefined ones), no comment, processing instruction or CDATA section. Raises ``NotPlain``
    otherwise (the streaming, defusedxml-backed reader then decides, refusals included)."""
    parser = expat.ParserCreate()
    parser.XmlDeclHandler = _xml_declaration
    # Each of these is called only when the construct occurs: a DTD (entities, a billion laughs …),
    # comments, processing instructions, CDATA.
    parser.StartDoctypeDeclHandler = _not_plain
    parser.EntityDeclHandler = _not_plain
    parser.CommentHandler = _not_plain
    parser.ProcessingInstructionHandler = _not_plain
    parser.StartCdataSectionHandler = _not_plain
    try:
        parser.Parse(data, True)
        return data.decode("utf-8-sig")
    except (expat.ExpatError, UnicodeDecodeError, ValueError):
        raise NotPlain from None


def unescape_all(raws: list[str]) -> dict[str, str]:
    """Each text as an XML parser gives it (line ends normalised, character and entity references
    replaced), all in one C parse: the texts come from a document ``plain_xml`` found well-formed and
    without a DTD, so each is plain character data and only the five predefined entities exist."""
    if not raws:
        return {}
    try:
        root = ElementTree.fromstring("<x><t>" + "</t><t>".join(raws) + "</t></x>")
    except ElementTree.ParseError:  # "]]>" in an attribute value caught by the quick search
        raise NotPlain from None
    return {raw: el.text or "" for raw, el in zip(raws, root, strict=True)}


def unescaped(raw: str) -> str:
    return unescape_all([raw])[raw] if "&" in raw or "\r" in raw else raw


ESCAPED_TEXT_RE = re.compile(r">([^<]*[&\r][^<]*)<")


_ATTR_RE = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR_SPACES = str.maketrans("\t\n\r", "   ")


def attrs_of(raw: str) -> dict[str, str]:
    """The attributes of a start tag, as an XML parser gives them."""
    out = {}
    for name, dq, sq in _ATTR_RE.findall(raw):
        value = dq or sq
        if "&" in value or "\t" in value or "\n" in value or "\r" in value:
            # attribute-value normalisation: white space characters become spaces, then references
            value = unescape_all([value.replace("\r\n", " ").translate(_ATTR_SPACES)])[
                value.replace("\r\n", " ").translate(_ATTR_SPACES)]
        out[name] = value
    return out


_ATTRS = r"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*"""
# The elements the rows are made of, in document order. Alternatives (each ends with an empty group, so
# ``lastindex`` tells which matched; ``findall`` gives the groups as a tuple):
#  - a cell as Excel, LibreOffice and openpyxl write it — r, then s and t — holding a <v> or an inline <t>
#    (groups 1–7: column letters, row digits, style, type, <v> text, inline text, other content; 8);
#  - any other cell (9: attributes, 10: content; 11);
#  - a row's start (12: attributes, 13: "/" when empty; 14), a row's end (15);
#  - a merged range (16: attributes; 17);
#  - any other element's start (18): inside a row, its content is not the row's own cells.
SHEET_TOKEN_RE = re.compile(
    r'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,9})")?\s*'
    r'(?:/>|><v>([^<]*)</v></c>|><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>|>(.*?)</c\s*>)()'
    rf"|<c\b{_ATTRS}(?:/>|>(.*?)</c\s*>)()"
    rf"|<row\b{_ATTRS}(/?)>()"
    r"|</row\s*>()"
    rf"|<mergeCell\b{_ATTRS}/?>()"
    r"|<(?=[^/!?])()",
    re.S)
# An element of a cell, row or merged range written with a namespace prefix: the streaming reader reads those.
PREFIXED_RE = re.compile(r"</?[^\s/>!?:]+:(?:row|c|v|is|t|r|mergeCell|sheetData|si|rPh)[\s/>]")
COLUMNS: dict[str, int] = {}
# styles.xml: a number format (1: attributes; 2), the cell formats (3: attributes, 4: content; 5), a cell format.
STYLE_TOKEN_RE = re.compile(rf"<numFmt\b{_ATTRS}/?>()|<cellXfs\b{_ATTRS}(?:/>|>(.*?)</cellXfs\s*>)()", re.S)
XF_RE = re.compile(rf"<xf\b{_ATTRS}/?>")
STYLE_PREFIXED_RE = re.compile(r"</?[^\s/>!?:]+:(?:numFmt|cellXfs|xf)[\s/>]")


def column_of(letters: str) -> int:
    col = COLUMNS.get(letters)
    if col is None:
        col = COLUMNS[letters] = column_index_from_string(letters)
    return col
