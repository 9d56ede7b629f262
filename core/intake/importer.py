"""Importing the returns that units below send up: one file, many files or whole folders.

Each file ends as exactly one of (``FileOutcome.outcome``):

- ``imported``: a unit's return stored for the first time;
- ``replaced``: a newer version of a return already here replaced it (the old file stays in
  the history, pointing to the one that replaced it);
- ``skipped``: a duplicate of a file or of a return already imported, or an older version;
- ``rejected``: not a return workbook, damaged, tampered with, for another period, form
  version or unknown unit, or needing a decision nobody took.

with a Vietnamese ``reason``. A file that needs a person's decision (cells edited in Excel
after export, a unit that is not one of the receiving unit's children, an older version
that should win after all) is decided by the ``ImportPolicy`` (the CLI: reject unless told
otherwise) or, with ``"ask"``, held back as ``pending`` with its ``Inspection`` so a screen can
ask and then call ``ReturnImporter.store`` with a ``FileDecision``.

``run`` imports many files in one transaction, each file under its own savepoint: one bad file
never stops or spoils the others, and a run cancelled through its ``progress`` callback
(``core.jobs.Cancelled``) writes nothing at all. ``store`` alone (a decision taken later) commits
its file at once. Every file looked at, whatever became of it, is recorded in ``imported_file``
(``record_pending`` records an unanswered question as rejected).

Speed: a file already imported is recognised by the SHA-256 of its bytes before it is parsed;
a workbook is read once in openpyxl's read-only mode; values go in with one bulk insert.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from core import audit
from core.appdata import attachments_dir
from core.errors import NotFound, Refused
from core.forms import current_template
from core.intake.outcomes import CellChoice, FileDecision, FileOutcome, ImportPolicy, ImportReport, Inspection
from core.intake.packages import PackageError, open_package
from core.intake.received_files import store_received_files
from core.intake.received_values import store_return_values
from core.intake.return_files import EXCEL_SUFFIXES, ReadFile, collect_files, error_text, parse_exported_at, read_file
from core.jobs import Cancelled, Progress, report
from core.org.unit_lifetimes import existed_between, existence_text
from core.periods import PeriodCodeError, ensure_period, parse_period_code
from core.plans.status import DONE_STATUSES
from core.reports.workbook_reader import ReturnWorkbook, ReturnWorkbookError
from core.signatures.check import UNSIGNED, TrustList, check_detached
from core.signatures.trust_store import signatures_required, trust_list
from core.values import InvalidValueError, parse_value
from core.vnformat import format_datetime, format_number, nfc, utc_to_local
from db.dialect import savepoint
from db.models import AuditEntry, ImportedFile, IndicatorValue, Return, ReturnReview, Unit, utcnow

__all__ = [
    "ReturnImporter",
    "import_returns",
    "previous_review_note",
]


log = logging.getLogger(__name__)


def _show(value: object) -> str:
    """An exported or edited cell for people: "4.156", "72,8", text; blank → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return format_number(value)
    return nfc(str(value)).strip()


# --------------------------------------------------------------------------- the importer


@dataclass(frozen=True)
class _Ind:
    id: int
    code: str
    name: str
    kind: str
    value_type: str | None
    choices: list | None


@dataclass(frozen=True)
class _UnitInfo:
    id: int
    code: str
    name: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None

    def in_effect(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass
class _Accepted:
    file_id: int | None
    content_sha256: str | None
    exported_at: datetime | None
    file_name: str | None
    imported_at: datetime | None


class ReturnImporter:
    """Imports return files for one receiving unit; keeps what it knows up to date between files.

    ``inspect(path)`` reads and checks (no writes); ``store(inspection, decision)`` stores or
    records one file in its own transaction; ``run(paths)`` does both for many files.
    """

    def __init__(self, db, parent: str | int, policy: ImportPolicy | None = None, *,  # noqa: ANN001
                 user: str | None = None) -> None:
        self.db = db
        self.policy = policy or ImportPolicy()
        self.user = user or audit.current_user()
        with db.session() as s:
            unit = s.get(Unit, parent) if isinstance(parent, int) else s.scalar(select(Unit).where(Unit.code == parent))
            if unit is None:
                raise NotFound(f"Không có đơn vị mã “{parent}” trong danh mục.")
            self.parent_id, self.parent_code, self.parent_name = unit.id, unit.code, unit.name
            tpl = current_template(s)
            self.template_id, self.template_code, self.template_version = tpl.id, tpl.code, tpl.version
            self.template_sha = tpl.content_sha256
            self.indicators = {i.code: _Ind(i.id, i.code, i.name, i.kind, i.value_type, i.choices)
                               for i in tpl.indicators}
            self.units = {u.code: _UnitInfo(u.id, u.code, u.name, u.parent_id, u.valid_from, u.valid_to)
                          for u in s.scalars(select(Unit))}
            # The signatures this unit accepts: its trusted certificates and whether a signature is required.
            self.trust: TrustList = trust_list(s, unit.id)
            self.require_signature = signatures_required(s, unit)
            self._batch: Session | None = None  # the one transaction of ``run``
            self._known_files: dict[str, tuple[str, datetime, str, int | None, str | None]] = {}
            self._accepted: dict[tuple[int, str], _Accepted] = {}
            self._periods: dict[str, int] = {}  # period code → id, once a file of the period is stored
            for f in s.scalars(select(ImportedFile).where(ImportedFile.outcome.in_(("imported", "replaced")))
                               .order_by(ImportedFile.id)):
                self._known_files[f.file_sha256] = (f.file_name, f.imported_at, f.outcome, f.unit_id, f.period_code)
                if f.superseded_by_id is None and f.unit_id is not None and f.period_code:
                    self._accepted[(f.unit_id, f.period_code)] = _Accepted(
                        f.id, f.content_sha256, f.exported_at, f.file_name, f.imported_at)
        if self.policy.period_code:
            parse_period_code(self.policy.period_code)  # a bad code is refused before any file

    # ------------------------------------------------------------------ reading and checking

    def inspect(self, path: Path | str, read: ReadFile | None = None) -> Inspection:
        """Check one file against what the database holds. ``read``: the file as ``read_file`` read it
        beforehand (the CLI reads every file before taking the writer lock); else it is read here."""
        path = Path(path)
        name = nfc(path.name)
        if read is None:
            read = read_file(path, parse=False)
        if read.unreadable is not None:
            return Inspection(path, name, "", outcome="rejected", reason_code="unreadable", reason=read.unreadable)
        digest = read.digest
        is_package = read.package
        ins = Inspection(path, name, digest, package=is_package)
        if path.suffix.lower() not in EXCEL_SUFFIXES and not is_package:
            return self._decided(ins, "rejected", "not_excel",
                                 "Không phải tệp Excel (.xlsx): chỉ nhập được báo cáo xuất từ chương trình "
                                 "hoặc biểu mẫu Excel.")
        known = self._known_files.get(digest)
        if known is not None:
            unit = next((u for u in self.units.values() if u.id == known[3]), None)
            if unit is not None:
                ins.unit_id, ins.unit_code, ins.unit_name = unit.id, unit.code, unit.name
            ins.period_code = known[4]
            when = format_datetime(utc_to_local(known[1]))
            return self._decided(ins, "skipped", "duplicate_file", f"Trùng tệp đã nhập ngày {when} (tệp “{known[0]}”).")
        if not read.parsed:
            read.parse()
        if read.error is not None:
            exc = read.error
            if isinstance(exc, PackageError):
                return self._decided(ins, "rejected", "damaged", error_text(exc))
            if isinstance(exc, ReturnWorkbookError):
                if exc.code == "not_return":
                    return self._decided(ins, "rejected", "not_return",
                                         "Không phải báo cáo xuất từ chương trình (không có dữ liệu máy đọc). "
                                         "Nếu đây là biểu mẫu điền tay, hãy dùng chức năng “Nhập biểu điền tay”.")
                code = exc.code if exc.code in ("old_format", "newer_format") else "damaged"
                return self._decided(ins, "rejected", code, error_text(exc))
            return self._decided(ins, "rejected", "damaged", error_text(exc))
        book = read.book
        ins.package_problems = read.package_problems
        ins.book = book
        content = book.content
        unit_code = nfc(str((content.get("unit") or {}).get("code") or "")).strip()
        ins.unit_code = unit_code or None
        ins.unit_name = nfc(str((content.get("unit") or {}).get("name") or "")).strip() or None
        ins.period_code = str((content.get("period") or {}).get("code") or "") or None
        ins.exported_at = parse_exported_at(book.exported_at)
        unit = self.units.get(unit_code)
        if unit is not None:  # known even for a refused file, so the board can show the unit's problem
            ins.unit_id, ins.unit_name = unit.id, unit.name
        if not book.hash_ok or not book.cells_ok:
            return self._decided(ins, "rejected", "tampered",
                                 "Dữ liệu máy đọc trong tệp không khớp mã kiểm tra SHA-256: tệp đã bị sửa hoặc bị hỏng "
                                 "sau khi xuất. Đề nghị đơn vị xuất lại và gửi tệp mới.")
        refusal = self._check_signature(ins, book)
        if refusal is not None:
            return refusal
        if ins.package_problems:
            shown = "; ".join(ins.package_problems[:5])
            more = f" và {len(ins.package_problems) - 5} chỗ khác" if len(ins.package_problems) > 5 else ""
            sealed = "đã niêm phong và ký số" if book.signature else "đã niêm phong"
            return self._decided(ins, "rejected", "tampered",
                                 f"Gói báo cáo không khớp danh sách tệp {sealed}: {shown}{more}. Đề nghị đơn vị "
                                 "xuất lại gói và gửi lại.")
        if unit is None:
            return self._decided(ins, "rejected", "unknown_unit",
                                 f"Đơn vị mã “{unit_code}” ({ins.unit_name or 'không rõ tên'}) không có trong danh mục "
                                 "đơn vị của chương trình.")
        if unit.id == self.parent_id:
            return self._decided(ins, "rejected", "own_return",
                                 f"Đây là báo cáo của chính {self.parent_name}, không phải của đơn vị cấp dưới; "
                                 "không nhập để khỏi ghi đè báo cáo của đơn vị.")
        try:
            spec = parse_period_code(ins.period_code or "")
        except PeriodCodeError:
            return self._decided(ins, "rejected", "damaged", f"Kỳ báo cáo “{ins.period_code}” trong tệp không hợp lệ.")
        ins.period_code = spec.code
        if not existed_between(unit, spec.start_date, spec.end_date):
            return self._decided(ins, "rejected", "unit_not_in_period",
                                 f"Đơn vị {unit.name} ({unit.code}) chỉ tồn tại {existence_text(unit)}, nên không có "
                                 f"báo cáo kỳ {spec.label} ({spec.start_date:%d/%m/%Y} – {spec.end_date:%d/%m/%Y}).")
        if self.policy.period_code and spec.code != parse_period_code(self.policy.period_code).code:
            want = parse_period_code(self.policy.period_code).label
            return self._decided(ins, "rejected", "wrong_period",
                                 f"Báo cáo kỳ {spec.label}, không phải kỳ {want} đang tổng hợp.")
        tpl = content.get("template") or {}
        code, version = str(tpl.get("code") or ""), tpl.get("version")
        if code != self.template_code:
            return self._decided(ins, "rejected", "wrong_template",
                                 f"Báo cáo lập theo biểu mẫu “{code}”, không phải biểu mẫu {self.template_code}.")
        if version != self.template_version or (tpl.get("sha256") and tpl.get("sha256") != self.template_sha):
            newer = isinstance(version, int) and version > self.template_version
            hint = ("hãy cập nhật chương trình để có phiên bản mới của biểu mẫu" if newer
                    else "đề nghị đơn vị cập nhật chương trình rồi lập lại báo cáo theo biểu mẫu hiện hành")
            return self._decided(ins, "rejected", "wrong_template",
                                 f"Báo cáo lập theo biểu mẫu {code} phiên bản {version}, khác phiên bản "
                                 f"{self.template_version} chương trình đang dùng; {hint}.")
        if not self._is_child(unit, spec):
            ins.not_child = True
        accepted = self._accepted.get((unit.id, spec.code))
        if accepted is not None:
            if accepted.content_sha256 == book.content_sha256 and not (book.edited_cells or book.edited_notes):
                when = format_datetime(utc_to_local(accepted.imported_at))
                return self._decided(ins, "skipped", "duplicate",
                                     f"Nội dung trùng với báo cáo đã nhập ngày {when} (tệp “{accepted.file_name}”).")
            ins.replaces_file_id = accepted.file_id
            if accepted.exported_at is not None and ins.exported_at is not None \
                    and ins.exported_at < accepted.exported_at:
                ins.older = True
        ins.edited = [
            *(CellChoice(c.code, self._name(c.code), _show(c.exported), _show(c.now)) for c in book.edited_cells),
            *(CellChoice(c.code, self._name(c.code), _show(c.exported), _show(c.now), kind="note")
              for c in book.edited_notes),
        ]
        return ins

    def _check_signature(self, ins: Inspection, book: ReturnWorkbook) -> Inspection | None:
        """Check the file's signature (offline, against this unit's trusted certificates); the
        inspection, decided, when the file must be refused for it."""
        check = check_detached(book.sealed_bytes(), book.signature, self.trust) if book.signature else UNSIGNED
        ins.signature = check
        if check.status in ("invalid", "expired", "revoked"):
            return self._decided(ins, "rejected", "bad_signature",
                                 f"{check.reason} Không nhận tệp; đề nghị đơn vị ký và gửi lại.")
        if self.require_signature and check.status == "unsigned":
            return self._decided(ins, "rejected", "unsigned",
                                 f"Báo cáo chưa ký số, trong khi {self.parent_name} chỉ nhận báo cáo có chữ ký số "
                                 "hợp lệ. Đề nghị đơn vị ký số rồi gửi lại.")
        if self.require_signature and check.status == "untrusted":
            return self._decided(ins, "rejected", "untrusted_signature",
                                 f"{check.reason} {self.parent_name} chỉ nhận báo cáo có chữ ký số hợp lệ: nếu tin cậy "
                                 "tổ chức cấp chứng thư này, hãy nhập chứng thư gốc của tổ chức đó vào danh sách tin "
                                 "cậy rồi nhập lại tệp.")
        return None

    def _name(self, code: str) -> str:
        ind = self.indicators.get(code)
        return ind.name if ind else ""

    def _is_child(self, unit: _UnitInfo, spec) -> bool:  # noqa: ANN001
        return unit.parent_id == self.parent_id and unit.in_effect(spec.end_date)

    @staticmethod
    def _decided(ins: Inspection, outcome: str, code: str, reason: str) -> Inspection:
        ins.outcome, ins.reason_code, ins.reason = outcome, code, reason
        return ins

    # ------------------------------------------------------------------ deciding

    def _policy_decision(self, ins: Inspection) -> FileDecision | None:
        """The policy's answer to the file's questions; None when a person must be asked."""
        p = self.policy
        ask = ((ins.not_child and p.other_units == "ask") or (ins.older and p.older == "ask")
               or (ins.edited and p.edits == "ask"))
        if ask:
            return None
        return FileDecision(edits=p.edits if p.edits in ("file", "exported") else None,
                            accept_other_unit=p.other_units == "accept", replace_older=p.older == "replace")

    def _refusal(self, ins: Inspection, decision: FileDecision) -> tuple[str, str, str] | None:
        """(outcome, code, reason) when the decision leaves the file out."""
        if decision.refuse:
            return "rejected", "refused", "Người dùng không nhận tệp này."
        if ins.not_child and not decision.accept_other_unit:
            spec = parse_period_code(ins.period_code)
            return "rejected", "not_child", (
                f"{ins.unit_name} ({ins.unit_code}) không phải đơn vị trực thuộc {self.parent_name} trong kỳ "
                f"{spec.label}. Cần xác nhận để nhận báo cáo của đơn vị này (dòng lệnh: --accept-other-units).")
        if ins.older and not decision.replace_older:
            acc = self._accepted.get((ins.unit_id, ins.period_code))
            when, name = (format_datetime(acc.exported_at), acc.file_name) if acc else ("", "")
            return "skipped", "older", (
                f"Bản cũ hơn: tệp xuất lúc {format_datetime(ins.exported_at)}, trong khi bản đã nhập (tệp “{name}”) "
                f"xuất lúc {when}. Giữ bản mới hơn.")
        undecided = [c for c in ins.edited if decision.edit_choice(c.code) not in ("file", "exported")]
        if undecided:
            listing = "; ".join(f"{c.code}{' (ghi chú)' if c.kind == 'note' else ''}: "
                                f"{c.exported or '(trống)'} → {c.now or '(trống)'}" for c in undecided[:8])
            more = f" và {len(undecided) - 8} ô khác" if len(undecided) > 8 else ""
            return "rejected", "edited", (
                f"Có {len(undecided)} ô bị sửa trong Excel sau khi xuất ({listing}{more}). Cần chọn giữ số trong tệp "
                "hay số lúc xuất (dòng lệnh: --accept-edits giữ số như trong tệp), hoặc đề nghị đơn vị xuất lại.")
        return None

    # ------------------------------------------------------------------ storing

    def store(self, ins: Inspection, decision: FileDecision | None = None) -> FileOutcome:
        """Store the file (or record why not) in its own transaction."""
        if ins.outcome is not None:
            return self._record(ins, ins.outcome, ins.reason_code or "", ins.reason or "")
        decision = decision or self._policy_decision(ins)
        if decision is None:
            return self._pending(ins)
        refusal = self._refusal(ins, decision)
        if refusal is not None:
            return self._record(ins, *refusal, decision=decision)
        try:
            values = self._values(ins, decision)
        except InvalidValueError as exc:
            return self._record(ins, "rejected", "invalid_value", f"Số liệu không hợp lệ: {exc}", decision=decision)
        return self._store_values(ins, values, decision)

    def record_pending(self, outcome: FileOutcome) -> FileOutcome:
        """A question left unanswered: record the file as rejected, with what needs deciding."""
        ins = outcome.inspection
        if ins is None or outcome.outcome != "pending":
            return outcome
        result = self._refusal(ins, FileDecision())
        out, code, reason = result if result else ("rejected", "refused", "Chưa có quyết định nhận tệp.")
        return self._record(ins, out, code, reason)

    def _pending(self, ins: Inspection) -> FileOutcome:
        reasons = []
        if ins.not_child:
            reasons.append(f"{ins.unit_name} không phải đơn vị trực thuộc {self.parent_name}")
        if ins.older:
            reasons.append("tệp là bản cũ hơn bản đã nhập")
        if ins.edited:
            cells = "; ".join(f"{c.code}{' (ghi chú)' if c.kind == 'note' else ''}: {c.exported or '(trống)'} → "
                              f"{c.now or '(trống)'}" for c in ins.edited[:3])
            more = ", …" if len(ins.edited) > 3 else ""
            reasons.append(f"có {len(ins.edited)} ô bị sửa trong Excel sau khi xuất ({cells}{more})")
        return FileOutcome(str(ins.path), ins.file_name, "pending", ins.questions[0] if ins.questions else "",
                           "Cần quyết định: " + "; ".join(reasons) + ".", ins.unit_code, ins.unit_name,
                           ins.period_code, ins.exported_at, edited=list(ins.edited), inspection=ins,
                           signature=ins.signature)

    def _values(self, ins: Inspection, decision: FileDecision) -> dict[str, tuple]:
        """code → (number, text, note) as they will be stored, with the edit decisions applied."""
        content_values: dict = ins.book.content.get("values") or {}
        edited_value = {c.code: c for c in ins.book.edited_cells}
        edited_note = {c.code: c for c in ins.book.edited_notes}
        out = {}
        for code, v in content_values.items():
            ind = self.indicators.get(code)
            if ind is None or ind.kind != "value":
                continue
            raw, note = (v or {}).get("value"), (v or {}).get("note")
            if code in edited_value and decision.edit_choice(code) == "file":
                raw = edited_value[code].now
            if code in edited_note and decision.edit_choice(code) == "file":
                note = edited_note[code].now
            parsed = parse_value(code, ind.value_type, ind.choices, raw)
            note_text = " ".join(nfc(str(note)).split()) if note not in (None, "") else None
            out[code] = (parsed.number, parsed.text, note_text or None)
        return out

    def _details(self, ins: Inspection, decision: FileDecision | None) -> dict:
        book = ins.book
        d: dict = {}
        if ins.edited:
            d["edited"] = [
                {**c.as_dict(), "kept": decision.edit_choice(c.code) if decision else None} for c in ins.edited
            ]
        if book is not None:
            if book.moved:
                d["moved_rows"] = len(book.moved)
            if book.missing:
                d["missing_rows"] = book.missing
            d["status"] = book.content.get("status")
            d["consolidated"] = bool(book.content.get("consolidated"))
        if ins.not_child and decision and decision.accept_other_unit:
            d["accepted_other_unit"] = True
        if ins.older and decision and decision.replace_older:
            d["older_replaced_newer"] = True
        if ins.signature is not None:
            d["signature"] = ins.signature.as_dict()
        return d

    def _task_counts(self, ins: Inspection) -> tuple[int | None, int | None]:
        if ins.book is None:
            return None, None
        # A heading over sub-tasks is listed but not counted (files from before "counted" count every task).
        tasks = [t for t in ins.book.content.get("tasks") or [] if isinstance(t, dict) and t.get("counted", True)]
        if not tasks:
            return None, None
        return len(tasks), sum(1 for t in tasks if t.get("status") in DONE_STATUSES)

    def _record(self, ins: Inspection, outcome: str, code: str, reason: str,
                decision: FileDecision | None = None) -> FileOutcome:
        """Record a file that is not stored (skipped or rejected), in its own transaction."""
        total, done = self._task_counts(ins)
        with self._transaction() as s:
            row = ImportedFile(
                parent_unit_id=self.parent_id, unit_id=ins.unit_id, unit_code=ins.unit_code, unit_name=ins.unit_name,
                period_code=ins.period_code, template_code=_tpl(ins, "code"), template_version=_tpl(ins, "version"),
                kind="product", file_name=ins.file_name, file_sha256=ins.file_sha256 or "-",
                content_sha256=ins.book.content_sha256 if ins.book else None, exported_at=ins.exported_at,
                outcome=outcome, reason_code=code, reason=reason, task_total=total, task_done=done,
                details=self._details(ins, decision) or None, user=self.user,
            )
            s.add(row)
            s.flush()
            file_id = row.id
        return FileOutcome(str(ins.path), ins.file_name, outcome, code, reason, ins.unit_code, ins.unit_name,
                           ins.period_code, ins.exported_at, imported_file_id=file_id, edited=_kept(ins, decision),
                           signature=ins.signature)

    def _store_values(self, ins: Inspection, values: dict, decision: FileDecision) -> FileOutcome:
        book = ins.book
        total, done = self._task_counts(ins)
        spec = parse_period_code(ins.period_code)
        with self._transaction() as s:
            period_id = self._periods.get(spec.code) or ensure_period(s, spec.code).id
            ret_id = s.connection().scalar(_RETURN_ID, {"unit": ins.unit_id, "period": period_id,
                                                        "template": self.template_id})
            ret = s.get(Return, ret_id) if ret_id is not None else None  # a replacement: rare, through the ORM
            accepted = self._accepted.get((ins.unit_id, spec.code))
            replacing = ret is not None and (accepted is not None or bool(self._existing_values(s, ret.id)))
            what = store_return_values(
                s, unit_id=ins.unit_id, period_id=period_id, template_id=self.template_id, ret=ret, values=values,
                indicators=self.indicators, file_name=ins.file_name, exported_at=ins.exported_at, user=self.user,
                draft=book.content.get("status") == "draft",
            )
            ret_id = what.return_id
            if replacing:
                outcome, code = "replaced", "replaced"
                if accepted is not None and accepted.file_id is not None:
                    old = f"tệp “{accepted.file_name}”"
                    old += f" xuất lúc {format_datetime(accepted.exported_at)}" if accepted.exported_at else ""
                else:
                    old = "số liệu đã nhập trên máy này"
                reason = f"Thay {old}; {what.changed} chỉ tiêu thay đổi."
                if ins.older:
                    reason += " Người dùng chọn giữ bản cũ hơn này."
                if accepted is not None:
                    reason += previous_review_note(s, self.parent_id, accepted.file_id)
            else:
                outcome, code = "imported", "imported"
                reason = f"Đã nhập {what.stored} chỉ tiêu có số liệu."
            extras = []
            if ins.not_child:
                extras.append("đơn vị ngoài danh sách trực thuộc, đã được xác nhận")
            if ins.edited:
                kept_file = sum(1 for c in ins.edited if decision.edit_choice(c.code) == "file")
                extras.append(f"{len(ins.edited)} ô sửa trong Excel: giữ {kept_file} số trong tệp, "
                              f"{len(ins.edited) - kept_file} số lúc xuất")
            if book.content.get("status") == "draft":
                extras.append("đơn vị gửi bản còn ở trạng thái Nháp")
            sig = ins.signature
            if sig is not None and sig.status == "unsigned":
                extras.append("báo cáo chưa ký số")
            elif sig is not None and sig.status == "untrusted":
                extras.append("chữ ký số chưa được tin cậy (chứng thư không thuộc danh sách tin cậy)")
            if sig is not None and sig.signer is not None and ins.edited and any(
                    decision.edit_choice(c.code) == "file" for c in ins.edited):
                extras.append("các số sửa trong Excel sau khi ký không được chữ ký số bảo đảm")
            if book.missing:
                extras.append(f"{len(book.missing)} dòng bị xóa khỏi trang in (số liệu lấy từ dữ liệu máy đọc)")
            if ins.package and book.package:
                extras.append(f"kèm {len(book.package)} tệp (báo cáo PDF, tài liệu kiểm chứng) đã đối chiếu và lưu")
            elif book.package:
                extras.append(f"tệp Excel được gửi riêng, không kèm {len(book.package)} tệp của gói báo cáo")
            if extras:
                reason += " Lưu ý: " + "; ".join(extras) + "."
            now = utcnow()
            # Core inserts: the ORM's unit of work costs more than the rows themselves, a file after a file.
            file_id = s.connection().execute(insert(ImportedFile.__table__), dict(
                parent_unit_id=self.parent_id, unit_id=ins.unit_id, unit_code=ins.unit_code, unit_name=ins.unit_name,
                period_code=spec.code, template_code=self.template_code, template_version=self.template_version,
                kind="product", file_name=ins.file_name, file_sha256=ins.file_sha256,
                content_sha256=book.content_sha256, exported_at=ins.exported_at, imported_at=now, outcome=outcome,
                reason_code=code, reason=reason, return_id=ret_id, task_total=total, task_done=done,
                details=self._details(ins, decision) or None, user=self.user, superseded_by_id=None,
            )).inserted_primary_key[0]
            if ins.package and book.package:
                row = s.get(ImportedFile, file_id)
                with open_package(ins.path) as pkg:
                    kept = store_received_files(s, self.db.path, row, pkg, book.package, book.content)
                row.details = {**(row.details or {}), "received_files": kept}
            if accepted is not None and accepted.file_id is not None:
                old_row = s.get(ImportedFile, accepted.file_id)
                if old_row is not None:
                    old_row.superseded_by_id = file_id
            s.connection().execute(insert(AuditEntry.__table__), dict(
                at=now, user=audit.user_of(s, self.user), action="import", entity="return", entity_id=ret_id,
                return_id=ret_id, field="file", old_value=accepted.file_name if accepted else None,
                new_value=ins.file_name, reason=reason))
            s.flush()
        self._periods[spec.code] = period_id  # stored for good (a rolled-back file must not leave it here)
        self._known_files[ins.file_sha256] = (ins.file_name, now, outcome, ins.unit_id, spec.code)
        self._accepted[(ins.unit_id, spec.code)] = _Accepted(file_id, book.content_sha256, ins.exported_at,
                                                             ins.file_name, now)
        return FileOutcome(str(ins.path), ins.file_name, outcome, code, reason, ins.unit_code, ins.unit_name,
                           spec.code, ins.exported_at, return_id=ret_id, imported_file_id=file_id,
                           edited=_kept(ins, decision), signature=ins.signature)

    @staticmethod
    def _existing_values(s: Session, return_id: int) -> bool:
        return s.scalar(select(IndicatorValue.id).where(IndicatorValue.return_id == return_id).limit(1)) is not None

    # ------------------------------------------------------------------ many files

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One file's writes: a savepoint inside ``run``'s transaction, else a transaction of its own."""
        if self._batch is None:
            with self.db.transaction() as s:
                yield s
        else:
            with savepoint(self._batch):
                yield self._batch

    def run(self, paths: Iterable[Path | str], *, progress: Progress | None = None,
            on_file: Callable[[FileOutcome], None] | None = None,
            preread: dict[Path, ReadFile] | None = None) -> ImportReport:
        """Import every file (folders are expanded) in one transaction. ``progress`` may raise
        ``Cancelled``: then nothing is written and ``Cancelled`` goes on to the caller.
        ``preread``: the files as ``read_files`` read them before the database was opened."""
        files = collect_files(paths)
        result = ImportReport(self.parent_code, self.parent_name, self.policy.period_code)
        report(progress, 0, len(files))
        known, accepted, periods = dict(self._known_files), dict(self._accepted), dict(self._periods)
        backed_up = False
        try:
            with self.db.transaction() as batch:
                self._batch = batch
                for i, path in enumerate(files):
                    try:
                        ins = self.inspect(path, (preread or {}).get(path))
                        if ins.outcome is None and not backed_up:
                            self.db.backup("pre-import")  # once, before the first file that may change data
                            backed_up = True
                        outcome = self.store(ins)
                    except Exception as exc:  # one bad file never stops the others
                        log.exception("import of %s failed", path)
                        outcome = self._failed(path, exc)
                    result.outcomes.append(outcome)
                    if on_file is not None:
                        on_file(outcome)
                    report(progress, i + 1, len(files), nfc(Path(path).name))
        except Cancelled:
            self._known_files, self._accepted, self._periods = known, accepted, periods  # what the database holds
            self._forget_received(result)
            raise
        finally:
            self._batch = None
        result.finished_at = datetime.now()
        return result

    def _forget_received(self, result: ImportReport) -> None:
        """Files of packages stored during a run that was rolled back: their rows are gone, so are they."""
        if self.db.path is None:
            return
        for o in result.outcomes:
            if o.imported_file_id is not None:
                shutil.rmtree(attachments_dir(self.db.path) / "received" / str(o.imported_file_id),
                              ignore_errors=True)

    def _failed(self, path: Path, exc: Exception) -> FileOutcome:
        if isinstance(exc, Refused):
            reason = f"Lỗi khi nhập tệp, không có gì được ghi: {error_text(exc)}"
        else:  # a defect: its details (English, a traceback) go to the log, not into the report
            reason = ("Lỗi ngoài dự kiến khi nhập tệp; không có gì được ghi. Chi tiết kỹ thuật đã được ghi vào "
                      "nhật ký của chương trình.")
        name = nfc(Path(path).name)
        try:
            with self._transaction() as s:
                s.add(ImportedFile(parent_unit_id=self.parent_id, kind="product", file_name=name, file_sha256="-",
                                   outcome="rejected", reason_code="error", reason=reason, user=self.user))
        except Exception:  # the database itself failed: the report still says so
            log.exception("could not record the failed import of %s", path)
        return FileOutcome(str(path), name, "rejected", "error", reason)


# One statement, compiled once for every file of an import.
_RETURN_ID = select(Return.id).where(Return.unit_id == bindparam("unit"), Return.period_id == bindparam("period"),
                                    Return.template_id == bindparam("template"))


def previous_review_note(s: Session, parent_id: int, file_id: int | None) -> str:
    """A newer file replacing one that was reviewed starts pending again: say so."""
    if file_id is None:
        return ""
    state = s.scalar(select(ReturnReview.state).where(ReturnReview.parent_unit_id == parent_id,
                                                      ReturnReview.imported_file_id == file_id)
                     .order_by(ReturnReview.id.desc()).limit(1))
    if state is None:
        return ""
    what = "đã được chấp nhận" if state == "accepted" else "đã bị trả lại"
    return f" Bản mới chờ xem xét lại (bản trước {what})."


def _kept(ins: Inspection, decision: FileDecision | None) -> list[CellChoice]:
    if decision is None:
        return list(ins.edited)
    return [CellChoice(c.code, c.name, c.exported, c.now, c.kind, decision.edit_choice(c.code)) for c in ins.edited]


def _tpl(ins: Inspection, key: str) -> object:
    if ins.book is None:
        return None
    value = (ins.book.content.get("template") or {}).get(key)
    if key == "version":
        return value if isinstance(value, int) else None
    return str(value) if value is not None else None


# --------------------------------------------------------------------------- one call


def import_returns(db, parent: str | int, paths: Iterable[Path | str], policy: ImportPolicy | None = None, *,  # noqa: ANN001
                   progress: Progress | None = None, user: str | None = None) -> ImportReport:
    """Import return files (and the Excel files in folders) sent to ``parent`` (a unit code or id)."""
    return ReturnImporter(db, parent, policy, user=user).run(paths, progress=progress)
