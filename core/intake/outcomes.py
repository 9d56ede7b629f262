"""What importing a return file decides and reports: the policy (what to do without asking), a
person's decision for one file, the inspection of a file before anything is stored, each file's
outcome (imported, replaced, skipped, rejected, pending) with its Vietnamese reason and signature,
and the report of a whole import (printed, or saved as .xlsx/.csv).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core.periods import PeriodCodeError, parse_period_code
from core.vnformat import format_datetime

if TYPE_CHECKING:  # types only: Trang chủ imports this module at start-up, without openpyxl and the signatures
    from core.reports.workbook_reader import ReturnWorkbook
    from core.signatures.check import SignatureCheck

__all__ = [
    "CellChoice",
    "FileDecision",
    "FileOutcome",
    "ImportPolicy",
    "ImportReport",
    "Inspection",
    "OUTCOMES",
    "OUTCOME_LABELS",
]


OUTCOMES = ("imported", "replaced", "skipped", "rejected")
OUTCOME_LABELS = {
    "imported": "Đã nhập",
    "replaced": "Thay bản cũ",
    "skipped": "Bỏ qua",
    "rejected": "Từ chối",
    "pending": "Chờ quyết định",
}

# A file refused for one of these needs the receiving unit to act (decide, confirm or ask for the file
# again): the completeness board shows its unit as "cần quyết định" until a good file arrives.
DECISION_REASONS = ("edited", "not_child", "tampered", "invalid_value", "wrong_template", "bad_signature",
                    "unsigned", "untrusted_signature")


# --------------------------------------------------------------------------- options and results


@dataclass(frozen=True)
class ImportPolicy:
    """What to do without asking. ``edits``: ``reject`` | ``file`` (keep the values as they now are
    in the file) | ``exported`` (keep the values as exported) | ``ask``; ``other_units`` and
    ``older``: ``reject``/``skip`` | ``accept``/``replace`` | ``ask``. ``period_code``: the period
    being collected (a file for another period is rejected); None accepts any period."""

    period_code: str | None = None
    edits: str = "reject"
    other_units: str = "reject"
    older: str = "skip"


@dataclass(frozen=True)
class FileDecision:
    """A person's answer for one file: which value to keep for each cell edited in Excel
    (``"file"``/``"exported"``, for all cells or per code), whether to accept a unit that is not
    a child, whether an older version replaces the newer one, or to refuse the file."""

    edits: str | dict[str, str] | None = None
    accept_other_unit: bool = False
    replace_older: bool = False
    refuse: bool = False

    def edit_choice(self, code: str) -> str | None:
        if isinstance(self.edits, dict):
            return self.edits.get(code)
        return self.edits


@dataclass(frozen=True)
class CellChoice:
    """A cell edited in Excel after export, for the report: what was exported, what the file shows now."""

    code: str
    name: str
    exported: str  # display text, "" for blank
    now: str
    kind: str = "value"  # value | note
    kept: str | None = None  # "file" | "exported" once decided

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "kind": self.kind, "exported": self.exported,
                "now": self.now, "kept": self.kept}


@dataclass
class Inspection:
    """A file read and checked against the database, nothing stored yet."""

    path: Path
    file_name: str
    file_sha256: str
    book: ReturnWorkbook | None = None
    unit_id: int | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    period_code: str | None = None
    exported_at: datetime | None = None  # the sender's clock, as the file states it
    signature: SignatureCheck | None = None  # once the file could be read
    package: bool = False  # a return package (.zip): its files are kept once the return is stored
    package_problems: list[str] = field(default_factory=list)  # members that disagree with the sealed list
    # Set when the checks already decided the outcome:
    outcome: str | None = None
    reason_code: str | None = None
    reason: str | None = None
    # Questions for a person:
    edited: list[CellChoice] = field(default_factory=list)
    not_child: bool = False
    older: bool = False
    replaces_file_id: int | None = None  # the accepted file this one would replace
    replaces_entered: bool = False  # the return here was typed in, not imported

    @property
    def questions(self) -> list[str]:
        q = []
        if self.not_child:
            q.append("not_child")
        if self.older:
            q.append("older")
        if self.edited:
            q.append("edited")
        return q


@dataclass
class FileOutcome:
    path: str
    file_name: str
    outcome: str  # imported | replaced | skipped | rejected | pending
    reason_code: str
    reason: str
    unit_code: str | None = None
    unit_name: str | None = None
    period_code: str | None = None
    exported_at: datetime | None = None
    return_id: int | None = None
    imported_file_id: int | None = None
    edited: list[CellChoice] = field(default_factory=list)
    inspection: Inspection | None = field(default=None, repr=False)
    signature: SignatureCheck | None = None

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)

    @property
    def signature_label(self) -> str:
        """"Đã ký số hợp lệ", "Chưa ký số", … ("" for a file that could not be read)."""
        return self.signature.label if self.signature is not None else ""

    @property
    def signer_text(self) -> str:
        return self.signature.signer.who if self.signature is not None and self.signature.signer else ""

    @property
    def certificate_text(self) -> str:
        """Serial number, issuer and validity of the signer's certificate."""
        if self.signature is None or self.signature.signer is None:
            return ""
        c = self.signature.signer
        return f"Số sê-ri {c.serial}; do {c.issuer_cn} cấp; hiệu lực {c.validity_text}"

    @property
    def period_label(self) -> str:
        try:
            return parse_period_code(self.period_code).label if self.period_code else ""
        except PeriodCodeError:
            return self.period_code or ""

    @property
    def exported_text(self) -> str:
        return format_datetime(self.exported_at)

    @property
    def needs_decision(self) -> bool:
        return self.outcome == "pending"

    def as_dict(self) -> dict:
        return {
            "file": self.file_name, "path": self.path, "outcome": self.outcome, "outcome_label": self.outcome_label,
            "reason_code": self.reason_code, "reason": self.reason, "unit": self.unit_code,
            "unit_name": self.unit_name, "period": self.period_code,
            "exported_at": self.exported_at.isoformat(timespec="seconds") if self.exported_at else None,
            "return_id": self.return_id, "edited_cells": [c.as_dict() for c in self.edited],
            "signature": self.signature.as_dict() if self.signature is not None else None,
        }

    def line(self) -> str:
        who = f" — {self.unit_name or self.unit_code}" if (self.unit_name or self.unit_code) else ""
        sig = f" [{self.signature.summary()}]" if self.signature is not None else ""
        return f"[{self.outcome_label}] {self.file_name}{who}: {self.reason}{sig}"


@dataclass
class ImportReport:
    parent_code: str
    parent_name: str
    period_code: str | None
    outcomes: list[FileOutcome] = field(default_factory=list)
    started_at: datetime = field(default_factory=datetime.now)
    finished_at: datetime | None = None

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys((*OUTCOMES, "pending"), 0)
        for o in self.outcomes:
            out[o.outcome] = out.get(o.outcome, 0) + 1
        return out

    @property
    def stored(self) -> int:
        c = self.counts()
        return c["imported"] + c["replaced"]

    @property
    def pending(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.outcome == "pending"]

    def summary(self) -> str:
        """"12 tệp: đã nhập 9, thay bản cũ 1, bỏ qua 1, từ chối 1"."""
        c = self.counts()
        parts = [f"{OUTCOME_LABELS[k].lower()} {c[k]}" for k in (*OUTCOMES, "pending") if c[k]]
        text = f"{len(self.outcomes)} tệp: " + (", ".join(parts) if parts else "không có tệp nào")
        return text

    def as_dict(self) -> dict:
        return {
            "unit": self.parent_code, "unit_name": self.parent_name, "period": self.period_code,
            "summary": self.summary(), "counts": self.counts(),
            "files": [o.as_dict() for o in self.outcomes],
        }

    def lines(self) -> list[str]:
        head = f"Nhập báo cáo gửi {self.parent_name}"
        if self.period_code:
            head += f", kỳ {parse_period_code(self.period_code).label}"
        tail = []
        if self.stored:
            tail.append(f"{self.stored} báo cáo vừa nhập đang chờ xem xét: chấp nhận hoặc trả lại (lệnh review) "
                        "trước khi tổng hợp; tổng hợp chỉ tính báo cáo đã chấp nhận.")
        return [f"{head}: {self.summary()}.", *(f"  {o.line()}" for o in self.outcomes), *tail]

    def save(self, path: Path) -> Path:
        """Write the report as .xlsx (or .csv) for the records; returns the path."""
        path = Path(path)
        header = ["STT", "Tệp", "Kết quả", "Lý do", "Đơn vị", "Kỳ báo cáo", "Thời điểm xuất tệp", "Ô sửa trong Excel",
                  "Chữ ký số", "Người ký", "Chứng thư số"]
        rows = []
        for i, o in enumerate(self.outcomes, start=1):
            edits = "; ".join(f"{c.code}: {c.exported or '(trống)'} → {c.now or '(trống)'}" for c in o.edited)
            rows.append([i, o.file_name, o.outcome_label, o.reason, o.unit_name or o.unit_code or "",
                         o.period_label, o.exported_text, edits, o.signature_label, o.signer_text,
                         o.certificate_text])
        if path.suffix.lower() == ".csv":
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow([self.lines()[0]])
                w.writerow(header)
                # Excel reads a CSV cell starting with =, +, - or @ as a formula: a quote keeps it text.
                # ("" [:1] is "", which `in` finds in any string: an empty cell became a lone quote.)
                w.writerows([[f"'{v}" if isinstance(v, str) and v and v[0] in "=+-@" else v for v in r] for r in rows])
            return path
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        wb = Workbook()
        ws = wb.active
        ws.title = "Kết quả nhập"
        ws.append([self.lines()[0]])
        ws["A1"].font = Font(bold=True)
        ws.append([f"Lập lúc {format_datetime(self.finished_at or datetime.now())}"])
        ws.append(header)
        for c in ws[3]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append(list(r))
        for col, width in zip("ABCDEFGHIJK", (6, 40, 14, 70, 30, 22, 18, 50, 22, 36, 60), strict=True):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=4):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(c.value, str):
                    c.data_type = "s"
        wb.save(path)
        return path

