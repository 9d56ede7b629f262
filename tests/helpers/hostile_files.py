"""Files built to hurt the readers: the "bomb under the limits" and a plan of tens of thousands of rows.

``write_bomb`` writes the workbook the reliability review found: about 4 MB on disk holding
376 MB of cells, with a member of random bytes keeping the compression ratio near 95:1 so the
zip checks alone (``check_xlsx``: total size, ratio) let it through. The cells are spread over
several sheets, each part smaller than the per-part limit, so only the limits counted while
streaming (rows, cells, characters) can stop it. ``kind`` shapes the first rows for the path
under attack: a plan's task table, a values file (code,value) or a return workbook (its hidden
data sheet).

``write_big_plan`` writes a real-looking plan table (areas, tasks, leads, deadlines) of any
number of rows, as Excel writes it (shared strings), for the bench and for "a plan larger than
the limit is refused, never cut".
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from core.reports.workbook_format import DATA_SHEET

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Default Extension="bin" ContentType="application/octet-stream"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '{sheets}{shared}</Types>')
_SHEET_CT = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_SHARED_CT = ('<Override PartName="/xl/sharedStrings.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _col(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _row(r: int, values: list[str]) -> str:
    return f'<row r="{r}">' + "".join(_inline(f"{_col(i)}{r}", v) for i, v in enumerate(values, 1)) + "</row>"


def _write_package(path: Path, sheet_names: list[str], write_sheet, *, shared: list[str] | None = None,  # noqa: ANN001
                   padding: int = 0, states: list[str] | None = None, level: int = 6) -> Path:
    path = Path(path)
    states = states or ["visible"] * len(sheet_names)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(
            sheets="".join(_SHEET_CT.format(n=i) for i in range(1, len(sheet_names) + 1)),
            shared=_SHARED_CT if shared is not None else ""))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        sheets = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"'
            + (f' state="{states[i - 1]}"' if states[i - 1] != "visible" else "") + "/>"
            for i, name in enumerate(sheet_names, 1))
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                       f'<workbook {_NS}><sheets>{sheets}</sheets></workbook>')
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheet_names) + 1))
        if shared is not None:
            rels += ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     'relationships/sharedStrings" Target="sharedStrings.xml"/>')
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                    f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i in range(1, len(sheet_names) + 1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as fh:
                fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}><sheetData>'
                         .encode())
                write_sheet(i, fh)
                fh.write(b"</sheetData></worksheet>")
        if shared is not None:
            items = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
            zf.writestr("xl/sharedStrings.xml",
                        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS} count="{len(shared)}" '
                        f'uniqueCount="{len(shared)}">{items}</sst>')
        if padding:
            # Random bytes do not compress: they keep the ratio of the whole file near a real workbook's.
            with zf.open("xl/media/image1.bin", "w") as fh:
                left = padding
                while left > 0:
                    chunk = os.urandom(min(left, 1 << 20))
                    fh.write(chunk)
                    left -= len(chunk)
    return path


# --------------------------------------------------------------------------- the bomb

_PLAN_HEADER = ["STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]


def _bare_row(values: list[str]) -> str:
    """A row without row or cell references (Excel numbers them in order): identical rows repeat
    byte for byte, so deflate packs them about 1000:1."""
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in values) + "</row>"


def write_bomb(path: Path, kind: str = "plan", *, cell_bytes: int = 376 * 1024 * 1024, sheets: int = 8,
               padding: int = 2_400_000) -> Path:
    """The "bomb under the limits": ``cell_bytes`` of sheet XML over ``sheets`` parts (each part
    under the per-part limit), plus ``padding`` random bytes: about 4 MB on disk, a compression
    ratio near 95:1, under ``check_xlsx``'s 400 MB in total. ``kind``: ``plan`` | ``values`` | ``return``."""
    text = "Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý của đơn vị"
    if kind == "plan":
        head = [_bare_row(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025"]), _bare_row(_PLAN_HEADER)]
        body = _bare_row(["1", text, "Báo cáo", "Sở Nội vụ", "Các sở, ngành", "Quý IV/2025"])
    elif kind == "values":
        head = [_bare_row(["code", "value", "note"])]
        body = _bare_row(["1.1.1", "5", text])
    elif kind == "return":
        head = [_bare_row(["format", "1"]), _bare_row(["content_chunks", "1"]), _bare_row(["content", "{}"])]
        body = _bare_row(["cell", "1.1.1", "Biểu", "C9", "5", "D9", text, "1.1.1"])
    else:
        raise ValueError(kind)
    names = ([DATA_SHEET] if kind == "return" else []) + [f"Trang {i}" for i in range(1, sheets + 1)]
    names = names[:sheets]
    head_bytes = "".join(head).encode()
    block = (body * 1000).encode()
    per_sheet = cell_bytes // sheets

    def write_sheet(n: int, fh) -> None:  # noqa: ANN001 - a binary stream
        fh.write(head_bytes)
        left = per_sheet - len(head_bytes)
        while left >= len(block):
            fh.write(block)
            left -= len(block)
        fh.write(body.encode() * max(0, left // len(body.encode())))

    return _write_package(path, names, write_sheet, padding=padding, level=9,
                          states=["hidden" if n == DATA_SHEET else "visible" for n in names])


# --------------------------------------------------------------------------- a big real-looking plan

_AREAS = ["Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy hành chính nhà nước",
          "Cải cách chế độ công vụ", "Cải cách tài chính công",
          "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"]
_LEADS = ["Sở Nội vụ", "Sở Tư pháp", "Văn phòng UBND tỉnh", "Sở Tài chính", "Sở Khoa học và Công nghệ",
          "UBND các xã, phường"]
_ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def write_big_plan(path: Path, rows: int, *, year: int = 2026) -> Path:
    """A plan table of ``rows`` task rows under six areas, as Excel saves it (shared strings)."""
    shared: list[str] = []
    index: dict[str, int] = {}

    def s(text: str) -> int:
        if text not in index:
            index[text] = len(shared)
            shared.append(text)
        return index[text]

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="s"><v>{s(text)}</v></c>'

    header = ["STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]
    out: list[str] = [f'<row r="1">{cell("A1", f"KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {year}")}</row>',
                      '<row r="3">' + "".join(cell(f"{_col(i)}3", h) for i, h in enumerate(header, 1)) + "</row>"]
    per_area = max(1, rows // len(_AREAS))
    r = 4
    n_task = 0
    for a, area in enumerate(_AREAS):
        out.append(f'<row r="{r}">{cell(f"A{r}", _ROMAN[a])}{cell(f"B{r}", area.upper())}</row>')
        r += 1
        count = per_area if a < len(_AREAS) - 1 else rows - per_area * (len(_AREAS) - 1)
        for k in range(1, count + 1):
            n_task += 1
            quarter = ["I", "II", "III", "IV"][k % 4]
            values = [str(k), f"Rà soát, đánh giá và đề xuất đơn giản hóa nhóm thủ tục hành chính số {n_task} "
                              f"thuộc lĩnh vực {area.lower()}",
                      f"Báo cáo kết quả số {n_task}", _LEADS[k % len(_LEADS)], "Các sở, ban, ngành; UBND các xã",
                      f"Quý {quarter}/{year}"]
            out.append(f'<row r="{r}">' + "".join(cell(f"{_col(i)}{r}", v) for i, v in enumerate(values, 1))
                       + "</row>")
            r += 1

    def write_sheet(n: int, fh) -> None:  # noqa: ANN001
        for i in range(0, len(out), 5000):
            fh.write("".join(out[i:i + 5000]).encode())

    return _write_package(path, ["Kế hoạch"], write_sheet, shared=shared)
