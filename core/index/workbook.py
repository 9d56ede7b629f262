"""The score workbook (bảng điểm): the province's layout — STT, criterion, maximum, self-score, explanation,
evidence list (and the appraised score once appraised) — and, very hidden, the sealed data the level above
imports, checked as a return workbook is (``core.reports.seal``: the SHA-256 over the canonical content and
the export time). A score cell changed in Excel after export is found by comparing it with the sealed data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from sqlalchemy.orm import Session

from core.appdata import APP_TITLE
from core.errors import Refused
from core.index.points import format_points, parse_points
from core.index.scoring import Totals, compute_totals
from core.reports.seal import seal_sha256, sealed_bytes
from core.reports.workbook_format import PROTECTION_PASSWORD
from core.returns.report_model import canonical_json
from core.safe_files import RETURN_LIMITS, InputFileError, open_xlsx
from core.vnformat import format_date, format_percent
from db.files import replaced_atomically
from db.models import IndexAssessment, IndexEvidence, IndexScore

__all__ = ["DATA_SHEET", "SCORE_SHEET", "ScoreFile", "read_score_workbook", "write_score_workbook"]

SCORE_SHEET = "Bảng điểm"
DATA_SHEET = "CHISO_DATA"
FORMAT_MARK = "CCHC-CHISO"
FORMAT_VERSION = 1
_CHUNK = 30_000
FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def assessment_content(session: Session, a: IndexAssessment, t: Totals | None = None) -> dict:
    """What the workbook vouches for: the unit, the year, the status, the criteria set and every score."""
    t = t or compute_totals(session, a)
    scores = []
    rows = {s.criterion_id: s for s in a.scores}
    for c in t.leaves:
        s: IndexScore | None = rows.get(c.id)
        if s is None:
            continue
        scores.append({
            "code": c.code, "self": s.self_centi, "not_applicable": bool(s.not_applicable), "note": s.note,
            "proposed": s.proposed_centi, "proposal_source": s.proposal_source,
            "evidence": [{"number": e.document_number, "date": e.document_date.isoformat() if e.document_date else None,
                          "summary": e.summary, "file_name": e.file_name, "sha256": e.sha256} for e in s.evidence],
        })
    return {
        "kind": "chiso-cchc",
        "unit": {"code": a.unit.code, "name": a.unit.name, "level": a.unit.level},
        "year": a.year,
        "status": a.status,
        "submitted_at": a.submitted_at.isoformat(timespec="seconds") if a.submitted_at else None,
        "criteria_set": json.loads(a.criteria_set.content),
        "criteria_set_sha256": a.criteria_set.content_sha256,
        "scores": scores,
        "totals": {"self": t.self_points, "deduction": t.self_deduction, "self_max": t.self_max},
    }


def _evidence_lines(evs: list[IndexEvidence]) -> str:
    out = []
    for e in evs:
        parts = [e.document_number, f"ngày {format_date(e.document_date)}" if e.document_date else None, e.summary]
        text = ", ".join(p for p in parts if p) or (e.file_name or "")
        if e.file_name and e.file_name not in text:
            text += f" (tệp {e.file_name})"
        out.append(f"- {text}")
    return "\n".join(out)


@dataclass(frozen=True)
class WorkbookResult:
    path: Path
    content_sha256: str
    seal_sha256: str
    exported_at: str


def write_score_workbook(session: Session, a: IndexAssessment, path: Path, *,
                         exported_at: datetime | None = None,
                         sign: Callable[[bytes], bytes] | None = None) -> WorkbookResult:
    """Write the score workbook; ``sign`` (``core.signatures.signing.OpenSigner.sign_detached``) adds the unit's
    detached CMS signature over the sealed bytes, as a return workbook carries it."""
    path = Path(path)
    t = compute_totals(session, a)
    content = assessment_content(session, a, t)
    text = canonical_json(content)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    # Microseconds: two exports within one second still tell which is newer on import.
    stamp = (exported_at or datetime.now().astimezone()).isoformat(timespec="microseconds")
    seal = seal_sha256(content, stamp)
    signature = sign(sealed_bytes(content, stamp)) if sign is not None else None
    appraised = any(s.appraised_centi is not None for s in a.scores)
    scores = {s.criterion_id: s for s in a.scores}

    wb = Workbook()
    ws = wb.active
    ws.title = SCORE_SHEET
    headers = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm tự chấm", "Giải trình",
               "Tài liệu kiểm chứng"] + (["Điểm thẩm định", "Lý do thẩm định"] if appraised else [])
    widths = [8, 52, 10, 10, 32, 40] + ([10, 28] if appraised else [])
    n = len(headers)
    last = get_column_letter(n)
    bold = Font(name=FONT, bold=True, size=12)
    normal = Font(name=FONT, size=12)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    titles = [a.unit.name.upper(), f"BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {a.year}",
              f"(Theo {a.criteria_set.title}" + (f"; {a.criteria_set.source_document}" if a.criteria_set.source_document
                                                 else "") + ")"]
    for i, line in enumerate(titles, 1):
        ws.cell(row=i, column=1, value=line).font = bold if i < 3 else Font(name=FONT, italic=True, size=12)
        ws.cell(row=i, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
        ws.merge_cells(f"A{i}:{last}{i}")
    head = 5
    for c, h in enumerate(headers, 1):
        cell = ws.cell(row=head, column=c, value=h)
        cell.font, cell.alignment, cell.border = bold, centre, BOX
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    r = head
    cell_refs = []
    for c in t.criteria:
        r += 1
        row = t.rows[c.code]
        s = scores.get(c.id)
        is_leaf = c.is_leaf and c.depth > 0
        self_v = "KAD" if row.not_applicable else (row.self_centi / 100 if row.self_centi is not None else None)
        values = [c.stt, c.name, c.max_centi / 100 * (-1 if c.kind == "deduction" else 1),
                  self_v if is_leaf else (row.self_centi / 100 if row.self_centi is not None else None),
                  (s.note if s else None) if is_leaf else None,
                  _evidence_lines(s.evidence) if (is_leaf and s) else None]
        if appraised:
            values += [row.appraised_centi / 100 if row.appraised_centi is not None else None,
                       (s.appraisal_note if s else None) if is_leaf else None]
        for col, v in enumerate(values, 1):
            cell = ws.cell(row=r, column=col, value=v)
            cell.font = bold if c.depth < (1 if is_leaf else 2) else normal
            cell.alignment = centre if col in (1, 3, 4, 7) else wrap
            cell.border = BOX
            if col in (3, 4, 7):
                cell.number_format = "0.##"
        if is_leaf:
            cell_refs.append((c.code, f"D{r}"))
    r += 1
    ws.cell(row=r, column=1, value="TỔNG ĐIỂM TỰ CHẤM")
    ws.merge_cells(f"A{r}:B{r}")
    ws.cell(row=r, column=3, value=t.self_max / 100)
    ws.cell(row=r, column=4, value=(t.self_points - t.self_deduction) / 100)
    idx = t.self_index()
    ws.cell(row=r, column=5, value=f"Chỉ số tự đánh giá: {format_percent(idx, rule=t.rule)}" if idx is not None else "")
    for col in range(1, n + 1):
        ws.cell(row=r, column=col).font = bold
        ws.cell(row=r, column=col).border = BOX
        ws.cell(row=r, column=col).number_format = "0.##"
    total_row = r
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = f"C{head + 1}"

    data = wb.create_sheet(DATA_SHEET)
    chunks = [text[i:i + _CHUNK] for i in range(0, len(text), _CHUNK)]
    for row_values in ([FORMAT_MARK, FORMAT_VERSION], ["content_sha256", digest], ["seal_sha256", seal],
                       ["exported_at", stamp], ["app", APP_TITLE], ["unit_code", a.unit.code], ["year", a.year],
                       ["total_row", total_row], ["content_chunks", len(chunks)],
                       *(["content", ch] for ch in chunks), *(["cell", code, ref] for code, ref in cell_refs),
                       *_signature_rows(signature), ["end"]):
        data.append(row_values)
    data.sheet_state = "veryHidden"
    data.protection.sheet = True
    data.protection.password = PROTECTION_PASSWORD
    wb.security = WorkbookProtection(workbookPassword=PROTECTION_PASSWORD, lockStructure=True)
    wb.properties.creator = APP_TITLE
    wb.properties.title = titles[1].capitalize()
    with replaced_atomically(path, busy="trong Excel hoặc chương trình khác") as tmp:
        wb.save(tmp)
    return WorkbookResult(path, digest, seal, stamp)


def _signature_rows(signature: bytes | None) -> list[list[object]]:
    if signature is None:
        return []
    b64 = base64.b64encode(signature).decode("ascii")
    return [["signature", b64[i:i + _CHUNK]] for i in range(0, len(b64), _CHUNK)]


# --- reading ------------------------------------------------------------------------------------

class ScoreFileError(Refused):
    """A score workbook that cannot be accepted; the message is Vietnamese."""


@dataclass(frozen=True)
class ScoreFile:
    path: Path
    file_sha256: str
    content: dict
    content_sha256: str
    exported_at: str
    signature: bytes | None = None

    def sealed(self) -> bytes:
        """The bytes the seal and the signature cover."""
        return sealed_bytes(self.content, self.exported_at)


def read_score_workbook(path: Path) -> ScoreFile:
    """The sealed content of a score workbook, after checking the seal and that no score cell was edited."""
    path = Path(path)
    file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        wb = open_xlsx(path, read_only=False, data_only=True, limits=RETURN_LIMITS)
    except InputFileError as exc:
        raise ScoreFileError(str(exc)) from None
    try:
        if DATA_SHEET not in wb.sheetnames:
            raise ScoreFileError(f"“{path.name}” không phải bảng điểm Chỉ số CCHC xuất từ chương trình (không có "
                                 "phần dữ liệu kiểm tra).")
        rows = [list(r) for r in wb[DATA_SHEET].iter_rows(values_only=True)]
        head = {str(r[0]): r[1:] for r in rows if r and r[0] and r[0] not in ("content", "cell")}
        if head.get(FORMAT_MARK, [None])[0] != FORMAT_VERSION:
            raise ScoreFileError(f"“{path.name}” không phải bảng điểm Chỉ số CCHC mà phiên bản này đọc được.")
        text = "".join(str(r[1] or "") for r in rows if r and r[0] == "content")
        digest, seal, stamp = head["content_sha256"][0], head["seal_sha256"][0], str(head["exported_at"][0])
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
            raise ScoreFileError(f"“{path.name}”: dữ liệu bảng điểm không khớp mã kiểm tra (tệp đã bị sửa hoặc hỏng).")
        content = json.loads(text)
        if seal_sha256(content, stamp) != seal:
            raise ScoreFileError(f"“{path.name}”: dấu niêm phong không khớp (tệp đã bị sửa sau khi xuất).")
        sheet = wb[SCORE_SHEET] if SCORE_SHEET in wb.sheetnames else None
        scores = {s["code"]: s for s in content.get("scores", [])}
        edited = []
        for r in rows:
            if not r or r[0] != "cell" or sheet is None:
                continue
            code, ref = str(r[1]), str(r[2])
            shown = sheet[ref].value
            s = scores.get(code)
            want = None if s is None else ("KAD" if s["not_applicable"] else s["self"])
            try:
                got = shown if shown in (None, "KAD") else parse_points(shown)
            except Refused:
                got = shown
            if got != want:
                before = format_points(want) if isinstance(want, int) else want or "trống"
                edited.append(f"{ref} (tiêu chí {code}: {before} → {shown if shown is not None else 'trống'})")
        if edited:
            raise ScoreFileError(f"“{path.name}”: điểm đã bị sửa trong Excel sau khi xuất ở ô "
                                 + "; ".join(edited[:10]) + ". Đơn vị cần sửa trong chương trình và xuất lại.")
        b64 = "".join(str(r[1] or "") for r in rows if r and r[0] == "signature")
        signature = base64.b64decode(b64, validate=True) if b64 else None
        return ScoreFile(path, file_sha, content, digest, stamp, signature)
    except (KeyError, IndexError, TypeError, json.JSONDecodeError, binascii.Error):
        raise ScoreFileError(f"“{path.name}”: phần dữ liệu của bảng điểm không đọc được (tệp hỏng).") from None
    finally:
        wb.close()
