"""Reading a return workbook back (``read_return_workbook``): its content, whether the seal over it
holds, its signature (checked elsewhere, by ``core.signatures.check``), and which visible cells were
edited in Excel after export or moved by inserted rows.

The file is streamed under ``RETURN_LIMITS`` (``core.xlsx_stream``); only the hidden data sheet and
the needed columns of the statistical sheet are read.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from core.appdata import APP_TITLE
from core.reports.seal import PackageFile, sealed_bytes
from core.reports.workbook_format import DATA_SHEET, FORMAT_MARK, FORMAT_VERSION, CellRef
from core.returns.report_model import canonical_json
from core.safe_files import RETURN_LIMITS, InputFileError, damaged, open_xlsx
from core.values import split_footnote
from core.vnformat import NumberParseError, nfc, parse_number

__all__ = [
    "EditedCell",
    "ReturnWorkbook",
    "ReturnWorkbookError",
    "read_return_workbook",
]


# --------------------------------------------------------------------------- reading back


class ReturnWorkbookError(InputFileError):
    """Not a return workbook written by this program (or damaged); Vietnamese message.

    ``code`` says which: ``not_return`` (no data sheet: another workbook, maybe filled in by
    hand), ``damaged`` (the data sheet cannot be read), ``newer_format`` or ``old_format``
    (written before the seal covered the export time).
    """

    def __init__(self, message: str, code: str = "damaged") -> None:
        super().__init__(message)
        self.code = code


class EditedCell(NamedTuple):
    """``(code, exported, now)``: a visible cell whose value differs from what was exported."""

    code: str
    exported: object
    now: object


@dataclass
class ReturnWorkbook:
    """A return workbook read back: its content, whether it is intact, and what was edited in Excel.

    - ``content``: the return as exported (see ``ReturnExport.content``): ``unit``,
      ``period``, ``template``, ``status``, ``values`` {code: {value, note}},
      ``plans``, ``tasks``, ``sections``;
    - ``hash_ok``: the stored SHA-256 of the content and the seal (content, export time and
      package files, ``core.reports.seal``) both match (False: tampered or damaged);
    - ``signature``: the detached CMS signature over ``sealed_bytes()``, if the unit signed
      (checked by ``core.signatures.check``, not here);
    - ``package``: the other files of the return package the seal names;
    - ``cells_ok``: the values recorded beside each cell address agree with the content;
    - ``edited_cells`` / ``edited_notes``: visible cells changed after export,
      as ``(code, exported, now)``;
    - ``moved``: codes whose row was found elsewhere (rows inserted or deleted in Excel);
    - ``missing``: codes whose row could not be found at all.
    """

    path: Path
    content: dict
    content_sha256: str
    computed_sha256: str
    exported_at: str | None
    app_version: str | None
    format_version: int
    seal_sha256: str = ""
    package: list[PackageFile] = field(default_factory=list)
    signature: bytes | None = None
    cells: dict[str, CellRef] = field(default_factory=dict)
    cells_ok: bool = True
    edited_cells: list[EditedCell] = field(default_factory=list)
    edited_notes: list[EditedCell] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    # canonical_json(content), made once when the file is read: the content hash and the seal share it.
    content_json: str | None = field(default=None, repr=False)

    @property
    def hash_ok(self) -> bool:
        return self.content_sha256 == self.computed_sha256 and bool(self.seal_sha256) \
            and self.seal_sha256 == hashlib.sha256(self.sealed_bytes()).hexdigest()

    def sealed_bytes(self) -> bytes:
        """What the signature, if any, was made over (``core.reports.seal``)."""
        return sealed_bytes(self.content, self.exported_at or "", self.package, content_json=self.content_json)

    @property
    def intact(self) -> bool:
        """Nothing changed since export: hash and cell records agree, no visible edit."""
        return self.hash_ok and self.cells_ok and not self.edited_cells and not self.edited_notes

    @property
    def unit_code(self) -> str:
        return self.content["unit"]["code"]

    @property
    def period_code(self) -> str:
        return self.content["period"]["code"]

    @property
    def template_code(self) -> str:
        return self.content["template"]["code"]

    @property
    def template_version(self) -> int:
        return int(self.content["template"]["version"])

    @property
    def values(self) -> dict[str, object]:
        """Code → value as exported (None = blank)."""
        return {code: v["value"] for code, v in self.content["values"].items()}

    def current_values(self) -> dict[str, object]:
        """Code → value as the visible sheet shows it now (edits applied)."""
        out = self.values
        for code, _, now in self.edited_cells:
            out[code] = now
        return out


def _same(exported: object, now: object) -> bool:
    if isinstance(now, str):
        now = nfc(now).strip() or None
    if isinstance(exported, str):
        exported = nfc(exported).strip() or None
    if exported is None or now is None:
        return exported is None and now is None
    if isinstance(exported, bool) or isinstance(now, bool):
        return exported == now
    if isinstance(exported, (int, float)) and isinstance(now, str):
        try:
            parsed = parse_number(now)
        except NumberParseError:
            return False
        now = float(parsed) if parsed is not None else None
        if now is None:
            return False
    if isinstance(exported, (int, float)) and isinstance(now, (int, float)):
        return math.isclose(float(exported), float(now), rel_tol=1e-9, abs_tol=1e-9)
    return exported == now


@functools.lru_cache(maxsize=4096)  # the same few hundred addresses in every return of a form
def _parse_cell_address(address: str) -> tuple[int, int]:
    col, row = coordinate_from_string(address)
    return row, column_index_from_string(col)


def read_return_workbook(path: Path) -> ReturnWorkbook:
    """Read a return workbook written by ``export_return_xlsx``; verify it; list cells edited in Excel.

    The file passes ``safe_files.check_xlsx`` (size and zip-bomb checks) and its XML is parsed
    through defusedxml. Only the two sheets needed are read — the hidden data sheet, and of
    the statistical sheet the STT and name columns (to find rows moved in Excel) and the
    value and note columns — straight from their XML (``core.xlsx_stream``); a file that
    reader cannot follow is read with openpyxl's read-only mode instead. Raises
    ``ReturnWorkbookError`` (Vietnamese message) when the file is not such a workbook or its
    data sheet cannot be read; a tampered content is not an error here — ``hash_ok`` is False
    and the caller decides.
    """
    path = Path(path)
    from core.xlsx_stream import XlsxSheets, XlsxStreamError

    try:
        source: _Source = XlsxSheets(path, RETURN_LIMITS)
    except XlsxStreamError:
        source = _OpenpyxlSource(path)
    try:
        return _read_book(path, source)
    except (InputFileError, ReturnWorkbookError):
        raise
    except Exception:  # something the streaming reader did not expect: openpyxl decides
        if isinstance(source, _OpenpyxlSource):
            raise damaged(path) from None
        source.close()
        source = _OpenpyxlSource(path)
        try:
            return _read_book(path, source)
        except (InputFileError, ReturnWorkbookError):
            raise
        except Exception:  # a forged or damaged part openpyxl cannot follow either
            raise damaged(path) from None
    finally:
        source.close()


class _Source:
    """What the reader needs of a workbook: its sheet names and chosen columns of a sheet's rows."""

    sheetnames: list[str]

    def rows(self, name: str, columns: set[int] | None = None):  # noqa: ANN201 - Iterator[(int, dict)]
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _OpenpyxlSource(_Source):
    def __init__(self, path: Path) -> None:
        self.wb = open_xlsx(path, read_only=True, data_only=True, limits=RETURN_LIMITS)
        for ws in self.wb.worksheets:
            ws.reset_dimensions()  # a forged dimension (A1:XFD1048576) must not make rows of empty cells
        self.sheetnames = self.wb.sheetnames

    def rows(self, name: str, columns: set[int] | None = None):  # noqa: ANN201
        for r, row in enumerate(self.wb[name].iter_rows(values_only=True), start=1):
            cells = {c: v for c, v in enumerate(row, start=1)
                     if v is not None and (columns is None or c in columns)}
            if cells:
                yield r, cells

    def close(self) -> None:
        self.wb.close()


def _read_book(path: Path, source: _Source) -> ReturnWorkbook:
    import json

    if DATA_SHEET not in source.sheetnames:
        raise ReturnWorkbookError(
            f"Tệp “{path.name}” không phải là báo cáo xuất từ chương trình {APP_TITLE} "
            "(không có trang dữ liệu máy đọc). Nếu đây là biểu mẫu điền tay, hãy dùng chức năng nhập từ Excel.",
            "not_return",
        )
    meta: dict[str, list[object]] = {}
    chunks: list[str] = []
    sig_chunks: list[str] = []
    package_rows: list[list[object]] = []
    cell_rows: list[list[object]] = []
    for _, cells in source.rows(DATA_SHEET):
        first = cells.get(1)
        if first is None:
            continue
        key = str(first)
        rest = [cells.get(c) for c in range(2, max(cells) + 1)]
        if key == "content":
            chunks.append("" if not rest or rest[0] is None else str(rest[0]))
        elif key == "cell":
            cell_rows.append(rest)
        elif key == "signature":
            sig_chunks.append("" if not rest or rest[0] is None else str(rest[0]))
        elif key == "package_file":
            package_rows.append(rest)
        else:
            meta.setdefault(key, rest)
    if FORMAT_MARK not in meta:
        raise ReturnWorkbookError(f"Tệp “{path.name}”: trang dữ liệu máy đọc không đúng định dạng.")
    try:
        version = int(meta[FORMAT_MARK][0] or 0) if meta[FORMAT_MARK] else 0
    except (ValueError, TypeError):
        raise ReturnWorkbookError(f"Tệp “{path.name}”: trang dữ liệu máy đọc không đúng định dạng.") from None
    if version > FORMAT_VERSION:
        raise ReturnWorkbookError(
            f"Tệp “{path.name}” được xuất từ phiên bản mới hơn của chương trình; hãy cập nhật chương trình.",
            "newer_format",
        )
    if version < FORMAT_VERSION:
        raise ReturnWorkbookError(
            f"Tệp “{path.name}” được xuất từ phiên bản cũ của chương trình, chưa có mã kiểm tra thời điểm xuất "
            "nên không xác định được bản nào mới hơn. Đề nghị đơn vị cập nhật chương trình rồi xuất lại.",
            "old_format",
        )
    try:
        expected_chunks = int(meta.get("content_chunks", [len(chunks)])[0])
        if expected_chunks != len(chunks):
            raise ValueError("chunks")
        content = json.loads("".join(chunks))
        if not isinstance(content, dict) or not isinstance(content.get("values"), dict):
            raise ValueError("shape")
        if _json_depth(content) > MAX_CONTENT_DEPTH:
            raise ValueError("depth")
    except (ValueError, TypeError, IndexError, RecursionError):
        # RecursionError: JSON nested thousands deep; its English text must not reach the user.
        raise ReturnWorkbookError(
            f"Tệp “{path.name}”: dữ liệu máy đọc bị hỏng hoặc đã bị sửa, không đọc được."
        ) from None
    stored = str((meta.get("content_sha256") or [""])[0] or "")
    try:
        package = [PackageFile(str(r[0]), str(r[1]), int(r[2])) for r in package_rows]
        expected_sig = int(meta.get("signature_chunks", [len(sig_chunks)])[0])
        if expected_sig != len(sig_chunks):
            raise ValueError("signature chunks")
        signature = base64.b64decode("".join(sig_chunks), validate=True) if sig_chunks else None
    except (ValueError, TypeError, IndexError, binascii.Error):
        raise ReturnWorkbookError(
            f"Tệp “{path.name}”: chữ ký số hoặc danh sách tệp kèm theo trong dữ liệu máy đọc bị hỏng."
        ) from None
    content_json = canonical_json(content)
    result = ReturnWorkbook(
        path=path,
        content=content,
        content_sha256=stored,
        computed_sha256=hashlib.sha256(content_json.encode("utf-8")).hexdigest(),
        content_json=content_json,
        exported_at=str(meta["exported_at"][0]) if meta.get("exported_at") else None,
        app_version=str(meta["app_version"][0]) if meta.get("app_version") else None,
        format_version=version,
        seal_sha256=str((meta.get("seal_sha256") or [""])[0] or ""),
        package=package,
        signature=signature,
    )
    exported_values = content["values"]
    records: dict[str, tuple[CellRef, object, object]] = {}
    for rest in cell_rows:
        rest = rest + [None] * (8 - len(rest))
        code, sheet, vcell, value, ncell, note, stt, name = rest[:8]
        if not code or not sheet or not vcell:
            continue
        ref = CellRef(str(sheet), str(vcell), str(ncell or ""), str(stt or ""), str(name or ""))
        records[str(code)] = (ref, value, note)
        result.cells[str(code)] = ref
        v = exported_values.get(str(code))
        if v is None or not _same(v.get("value"), value) or not _same(v.get("note"), note):
            result.cells_ok = False
    if set(records) != set(exported_values):
        result.cells_ok = False
    _compare_visible(source, records, result)
    return result


# The content written by export_return_xlsx nests 4 levels deep; anything far deeper is forged.
MAX_CONTENT_DEPTH = 16


def _json_depth(value: object) -> int:
    """How deep lists and objects nest, counted without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_CONTENT_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _compare_visible(source: _Source, records: dict[str, tuple[CellRef, object, object]],
                     result: ReturnWorkbook) -> None:
    by_sheet: dict[str, dict[str, tuple[CellRef, object, object]]] = {}
    for code, rec in records.items():
        by_sheet.setdefault(rec[0].sheet, {})[code] = rec
    for sheet_name, recs in by_sheet.items():
        if sheet_name not in source.sheetnames:
            result.missing.extend(recs)
            continue
        # Only the columns that matter: STT and name (to find moved rows), the values and the notes.
        columns = {1, 2}
        for ref, _, _ in recs.values():
            columns.add(_parse_cell_address(ref.value_cell)[1])
            if ref.note_cell:
                columns.add(_parse_cell_address(ref.note_cell)[1])
        grid: dict[int, dict[int, object]] = {}
        index: dict[tuple[str, str], list[int]] = {}
        for r, cells in source.rows(sheet_name, columns):
            grid[r] = cells
            key = (nfc(str(cells.get(1) or "")).strip(), nfc(str(cells.get(2) or "")).strip())
            if key != ("", ""):
                index.setdefault(key, []).append(r)

        def at(r: int, c: int, grid: dict[int, dict[int, object]] = grid) -> object:
            row = grid.get(r)
            return row.get(c) if row is not None else None

        offset = 0  # rows inserted (+) or deleted (-) above, as found so far; codes come in sheet order
        for code, (ref, value, note) in recs.items():
            vr, vc = _parse_cell_address(ref.value_cell)
            expect = (nfc(ref.stt).strip(), nfc(ref.name).strip())
            here = (nfc(str(at(vr + offset, 1) or "")).strip(), nfc(str(at(vr + offset, 2) or "")).strip())
            if here == expect:
                found = vr + offset
            else:
                candidates = index.get(expect, [])
                if not candidates:
                    result.missing.append(code)
                    continue
                # Same STT and name can repeat ("Cấp tỉnh:" under 3.4.4 and 3.4.5): take the nearest.
                found = min(candidates, key=lambda r, target=vr + offset: abs(r - target))
                offset = found - vr
            if found != vr:
                result.moved.append(code)
                note_col = coordinate_from_string(ref.note_cell)[0] if ref.note_cell else ""
                result.cells[code] = CellRef(ref.sheet, f"{get_column_letter(vc)}{found}",
                                             f"{note_col}{found}" if note_col else "", ref.stt, ref.name)
            vr = found
            now = at(vr, vc)
            if not _same(value, now):
                result.edited_cells.append(EditedCell(code, value, now))
            if ref.note_cell:
                _, nc = _parse_cell_address(ref.note_cell)
                now_note = at(vr, nc)
                # The note column prints the note without its footnote ("94 (28)" prints "(28) …" under the
                # table); a file from before footnotes printed the whole note there.
                printed = split_footnote(note)[0] if isinstance(note, str) else note
                if not _same(note, now_note) and not _same(printed or None, now_note):
                    result.edited_notes.append(EditedCell(code, note, now_note))
