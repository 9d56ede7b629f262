"""The report of one return as plain frozen dataclasses (``ReturnExport``): what the Excel and PDF
exports write and what submitting freezes. They hold no session, so the exporters can run on a
worker thread, and the .xlsx and .pdf of one export say exactly the same thing. The report is read
from the database in one pass by ``core.returns.report_collect``.

``ReturnExport.content()`` is the machine-readable return that travels inside the
workbook; ``content_sha256()`` is the SHA-256 of its canonical JSON (sorted keys,
NFC, no spaces). It covers the data only: exporting the same return twice gives
the same hash; changing one value, note, task status or narrative changes it.

``ReturnExport.snapshot()`` is everything the report shows (the content plus the
header, signer, Nơi nhận, Kính gửi, data window, form and rounding rule, and how
each narrative section came about); ``ReturnExport.from_snapshot`` rebuilds the same
object from it. A submitted return is exported from the snapshot taken when it was
submitted (``core.returns.snapshots``), so its files never change with later settings.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from core.errors import Refused
from core.filenames import export_file_stem
from core.org.report_header import ReportHeaderInfo, full_unit_name
from core.periods import PeriodSpec, parse_period_code
from core.plans.status import DONE_STATUSES, STATUS_LABELS, completion_headline
from core.returns.store import STATUS_LABELS as RETURN_STATUS_LABELS
from core.returns.target_status import TargetResult
from core.values import KPS_TEXT, format_value, is_kps, split_footnote
from core.vnformat import HALF_UP, format_date, format_number, format_percent, format_rate, nfc

CONTENT_SCHEMA = "cchc-return/1"
SNAPSHOT_SCHEMA = "cchc-snapshot/1"

# Characters XML 1.0 (so .xlsx) cannot hold; text pasted from Word sometimes carries them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportError(Refused):
    """The return cannot be exported; the message is Vietnamese."""


def clean_text(text: str | None) -> str:
    """Line breaks as ``\\n``, without characters an .xlsx or a PDF cannot carry (text is NFC already)."""
    if text is None:
        return ""
    return _ILLEGAL_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def optional_text(text: str | None) -> str | None:
    t = clean_text(text).strip()
    return t or None


# --------------------------------------------------------------------------- snapshot types


@dataclass(frozen=True)
class ExportFormRow:
    """One row of the statistical form with its value."""

    code: str
    name: str
    unit_label: str  # for coded answers, their meanings: "Chưa = 0 Đang làm = 1 Hoàn thành = 2"
    kind: str  # group | value
    value_type: str | None
    breakdown: bool  # a "Trong đó" row
    first_in_breakdown: bool  # the first "Trong đó" row under its parent
    number: float | None
    text: str | None
    note: str
    definition: str = ""  # printed under the name (7.2: "Liên thông 2 cấp: …"), from the form's ``hint``

    @property
    def is_value(self) -> bool:
        return self.kind == "value"

    @property
    def value(self) -> int | float | str | None:
        """The value as stored in the workbook: int when whole, float, text, "Không phát sinh",
        or None (blank)."""
        if is_kps(self.number, self.text):
            return KPS_TEXT
        if self.value_type == "text":
            return self.text if self.text else None
        if self.number is None:
            return None
        if self.value_type in ("integer", "choice", "yesno") or float(self.number).is_integer():
            return int(round(self.number))
        return float(self.number)

    @property
    def display(self) -> str:
        """Vietnamese display text: "3.133", "72,8", "2"; blank → ""."""
        return format_value(self.value_type, self.number, self.text)

    @property
    def print_name(self) -> str:
        """The name as printed: the form's name, then its definitions one per line (no colon is added:
        the form's names are printed as the official appendix words them)."""
        return f"{self.name}\n{self.definition}" if self.definition else self.name

    @property
    def footnote(self) -> tuple[str, str] | None:
        """(mark, text) of the value's footnote ("94(28)" typed or imported), printed as a numbered note."""
        _, mark, text = split_footnote(self.note)
        return (mark, text) if mark is not None else None

    @property
    def plain_note(self) -> str:
        """The note without its footnote (what the "Ghi chú" column prints)."""
        return split_footnote(self.note)[0]

    @property
    def display_marked(self) -> str:
        """The value as printed with its footnote mark: "94 (28)"."""
        fn = self.footnote
        return f"{self.display} ({fn[0]})" if fn and self.display else self.display

    @property
    def stt(self) -> str:
        """The STT column as printed in the seed appendix: "1.1.1.", "Trong đó" or ""."""
        if self.breakdown:
            return "Trong đó" if self.first_in_breakdown else ""
        return f"{self.code}."


@dataclass(frozen=True)
class ExportEvidence:
    document_number: str | None
    document_date: date | None
    summary: str | None
    file_name: str | None
    sha256: str | None

    @property
    def label(self) -> str:
        """"Quyết định số 752/QĐ-UBND ngày 26/12/2020: Kế hoạch tuyên truyền …"."""
        head = self.document_number or ""
        if self.document_date:
            head = f"{head} ngày {format_date(self.document_date)}".strip()
        parts = [p for p in (head, self.summary) if p]
        text = ": ".join(parts) if len(parts) == 2 else (parts[0] if parts else "")
        if self.file_name and self.file_name not in text:
            text = f"{text} (tệp {self.file_name})" if text else self.file_name
        return text


@dataclass(frozen=True)
class ExportTask:
    area_numeral: str
    area_title: str
    area_code: str | None  # catalogue code (the_che, tthc …)
    number: str
    title: str
    lead: str
    partners: str
    timeframe_text: str
    due_date: date | None
    status: str
    percent_done: float | None
    completed_on: date | None
    result_text: str
    difficulties: str
    evidence: tuple[ExportEvidence, ...]
    overdue: bool
    owner: str = ""  # the reporting unit, in a consolidated return
    counted: bool = True  # False: a heading over sub-tasks ("1" over "1.1, 1.2"), listed but not counted

    @property
    def done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def status_label(self) -> str:
        if not self.counted:
            return ""  # a heading over sub-tasks: its parts carry the status
        label = STATUS_LABELS.get(self.status, self.status)
        if self.overdue and self.status != "overdue":
            label = f"{label} (quá hạn)"
        return label

    @property
    def result_display(self) -> str:
        parts = []
        if self.result_text:
            parts.append(self.result_text)
        if self.percent_done is not None and not self.done:
            parts.append(f"Tiến độ: {format_percent(self.percent_done)}")
        if self.completed_on and self.done:
            parts.append(f"Hoàn thành ngày {format_date(self.completed_on)}")
        if self.difficulties:
            parts.append(f"Khó khăn, vướng mắc: {self.difficulties}")
        return "\n".join(parts)

    @property
    def evidence_display(self) -> str:
        return "\n".join(f"- {e.label}" if len(self.evidence) > 1 else e.label for e in self.evidence)


@dataclass(frozen=True)
class ExportPlan:
    title: str
    document_number: str | None
    issue_date: date | None
    task_count: int

    @property
    def reference(self) -> str:
        """"Quyết định số 751/QĐ-UBND ngày 26/12/2020" (or "")."""
        if not self.document_number:
            return ""
        kind = "Quyết định" if "/QĐ-" in self.document_number.upper() else "Văn bản"
        text = f"{kind} số {self.document_number}"
        return f"{text} ngày {format_date(self.issue_date)}" if self.issue_date else text


@dataclass(frozen=True)
class ExportSection:
    key: str
    title: str
    text: str  # what is printed
    level: int = 1
    parent: str | None = None
    draft: str = ""  # the sentences drafted from the figures
    user_text: str | None = None  # what the user wrote (None: the draft is printed)
    stale: bool = False  # written by hand before the figures changed


@dataclass(frozen=True)
class TaskTotals:
    total: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    rounding: str = HALF_UP  # the reporting unit's rule for the rate

    @classmethod
    def of(cls, tasks: Iterable[ExportTask], rounding: str = HALF_UP) -> TaskTotals:
        """Counts over the counted tasks (a heading over sub-tasks is listed, not counted)."""
        total = done = running = idle = late = 0
        for t in tasks:
            if not t.counted:
                continue
            total += 1
            done += t.done
            running += t.status == "in_progress"
            idle += t.status == "not_started"
            late += t.overdue
        return cls(total, done, running, idle, late, rounding)

    @property
    def headline(self) -> str:
        """"hoàn thành 11/38 nhiệm vụ (đạt 28,95%)"."""
        return completion_headline(self.done, self.total, self.rounding)

    @property
    def rate_text(self) -> str:
        return format_rate(self.done, self.total, self.rounding)

    def sentence(self) -> str:
        """"hoàn thành 11/38 nhiệm vụ (đạt 28,95%); đang thực hiện 27; chưa triển khai 0; quá hạn 0"."""
        return (f"{self.headline}; đang thực hiện {format_number(self.in_progress)}; "
                f"chưa triển khai {format_number(self.not_started)}; quá hạn {format_number(self.overdue)}")


@dataclass(frozen=True)
class ReturnExport:
    unit_code: str
    unit_name: str
    unit_level: str
    period: PeriodSpec
    template_code: str
    template_version: int
    template_title: str
    template_sha256: str
    status: str  # draft | submitted
    header: ReportHeaderInfo
    rows: list[ExportFormRow]
    tasks: list[ExportTask] = field(default_factory=list)
    plans: list[ExportPlan] = field(default_factory=list)
    sections: list[ExportSection] = field(default_factory=list)
    cutoff: date | None = None  # last day of the data window
    consolidated: bool = False
    window_start: date | None = None  # first day of the data window
    rounding: str = HALF_UP  # how the unit rounds rates (``core.org.settings.rounding_rule``); a snapshot keeps it
    frozen: bool = False  # rebuilt from the snapshot of a submitted return (not part of the content)
    # The plan's targets against this return's figures (``core.returns.target_status``), and the task
    # completion of each period of the year up to this one: (period label, done, total). Printed (charts,
    # the targets appendix), frozen with the report, not part of the content that travels upward.
    targets: list[TargetResult] = field(default_factory=list)
    completion: list[tuple[str, int, int]] = field(default_factory=list)

    # ----------------------------------------------------------------- derived

    @property
    def status_label(self) -> str:
        return RETURN_STATUS_LABELS.get(self.status, self.status)

    @property
    def value_rows(self) -> list[ExportFormRow]:
        return [r for r in self.rows if r.is_value]

    def stale_sections(self) -> list[ExportSection]:
        """Hand-written sections whose figures changed after they were written, still to confirm
        (none in a frozen return: they were confirmed when it was submitted)."""
        return [] if self.frozen else [s for s in self.sections if s.stale]

    def empty_sections(self) -> list[ExportSection]:
        """Narrative sections that would print as a bare heading: no text of their own and none below
        them; a heading whose every sub-section is empty is named instead of its sub-sections."""
        kids: dict[str | None, list[ExportSection]] = {}
        for sec in self.sections:
            kids.setdefault(sec.parent, []).append(sec)
        by_key = {sec.key: sec for sec in self.sections}

        def empty(sec: ExportSection) -> bool:
            return not sec.text.strip() and all(empty(k) for k in kids.get(sec.key, []))

        return [sec for sec in self.sections
                if empty(sec) and (sec.parent not in by_key or not empty(by_key[sec.parent]))]

    def empty_sections_sentence(self) -> str:
        """"phần thuyết minh còn trống: I.4 (4. Về công tác tuyên truyền CCHC), III (III. Đánh giá chung)"."""
        return "phần thuyết minh còn trống: " + ", ".join(f"{sec.key} ({sec.title})" for sec in self.empty_sections())

    def totals(self) -> TaskTotals:
        return TaskTotals.of(self.tasks, self.rounding)

    def areas(self) -> list[tuple[str, str, list[ExportTask]]]:
        """Tasks grouped by the plan's areas, in plan order: [(numeral, title, tasks)]."""
        groups: dict[tuple[str, str], list[ExportTask]] = {}
        for t in self.tasks:
            groups.setdefault((t.area_numeral, t.area_title), []).append(t)
        return [(numeral, title, tasks) for (numeral, title), tasks in groups.items()]

    def file_stem(self) -> str:
        """``BaoCao_CCHC_MH_6_tháng_đầu_năm_2021``."""
        return export_file_stem(self.unit_code, self.period)

    @property
    def issuer_name(self) -> str:
        """The unit's name in full, as in running text: "Ủy ban nhân dân tỉnh Minh Họa"."""
        return full_unit_name(self.unit_name)

    def attached_to(self) -> str:
        """"(Kèm theo Báo cáo số      /BC-UBND ngày    /   /2021 của Ủy ban nhân dân tỉnh Minh Họa)"."""
        number = (self.header.document_number or "").strip(" ") or "…"  # keep the no-break blank of the number
        if self.header.issue_date:
            when = format_date(self.header.issue_date)
        else:
            gap = "\u00a0" * 4
            when = f"{gap}/{gap}/{self.period.year}"
        return f"(Kèm theo Báo cáo số {number} ngày {when} của {self.issuer_name})"

    # ----------------------------------------------------------------- machine-readable content

    def content(self) -> dict:
        """The return as data: what the level above imports. No timestamps, no app version."""
        return {
            "schema": CONTENT_SCHEMA,
            "unit": {"code": self.unit_code, "name": self.unit_name, "level": self.unit_level},
            "period": {"code": self.period.code, "label": self.period.label},
            "template": {"code": self.template_code, "version": self.template_version,
                         "sha256": self.template_sha256},
            "status": self.status,
            "consolidated": self.consolidated,
            "values": {r.code: {"value": _whole(r.value), "note": r.note or None} for r in self.value_rows},
            "plans": [
                {"title": p.title, "document_number": p.document_number,
                 "issue_date": p.issue_date.isoformat() if p.issue_date else None, "task_count": p.task_count}
                for p in self.plans
            ],
            "tasks": [
                {
                    "area": t.area_numeral, "area_title": t.area_title, "area_code": t.area_code,
                    "number": t.number, "title": t.title, "lead": t.lead, "partners": t.partners,
                    "timeframe": t.timeframe_text, "due_date": t.due_date.isoformat() if t.due_date else None,
                    "status": t.status, "percent_done": _whole(t.percent_done),
                    "completed_on": t.completed_on.isoformat() if t.completed_on else None,
                    "result": t.result_text, "difficulties": t.difficulties, "overdue": t.overdue,
                    "owner": t.owner, "counted": t.counted,
                    "evidence": [
                        {"document_number": e.document_number,
                         "document_date": e.document_date.isoformat() if e.document_date else None,
                         "summary": e.summary, "file_name": e.file_name, "sha256": e.sha256}
                        for e in t.evidence
                    ],
                }
                for t in self.tasks
            ],
            "sections": [{"key": s.key, "title": s.title, "text": s.text} for s in self.sections],
        }

    def content_sha256(self) -> str:
        return sha256_of_content(self.content())

    # ----------------------------------------------------------------- the whole report, frozen

    def snapshot(self) -> dict:
        """Everything the report shows, as data (see ``from_snapshot``)."""
        h = self.header
        return {
            "schema": SNAPSHOT_SCHEMA,
            "unit": {"code": self.unit_code, "name": self.unit_name, "level": self.unit_level},
            "period": self.period.code,
            "window": {"start": _iso(self.window_start), "cutoff": _iso(self.cutoff)},
            "template": {"code": self.template_code, "version": self.template_version,
                         "title": self.template_title, "sha256": self.template_sha256},
            "status": self.status,
            "consolidated": self.consolidated,
            "rounding": self.rounding,
            "header": {
                "issuing_body": h.issuing_body, "superior_body": h.superior_body,
                "document_number": h.document_number, "place": h.place, "signer_name": h.signer_name,
                "authority_line": h.authority_line, "acting_line": h.acting_line, "position": h.position,
                "recipients": list(h.recipients), "distribution": list(h.distribution),
                "issue_date": _iso(h.issue_date),
            },
            "rows": [_fields(r) for r in self.rows],
            "tasks": [{**_fields(t), "due_date": _iso(t.due_date), "completed_on": _iso(t.completed_on),
                       "evidence": [{**_fields(e), "document_date": _iso(e.document_date)} for e in t.evidence]}
                      for t in self.tasks],
            "plans": [{**_fields(p), "issue_date": _iso(p.issue_date)} for p in self.plans],
            "sections": [_fields(sec) for sec in self.sections],
            **({"targets": [t.as_dict() for t in self.targets]} if self.targets else {}),
            **({"completion": [list(c) for c in self.completion]} if self.completion else {}),
        }

    @classmethod
    def from_snapshot(cls, doc: dict) -> ReturnExport:
        """The report a snapshot describes, exactly as it was (``frozen``)."""
        if doc.get("schema") != SNAPSHOT_SCHEMA:
            raise ExportError("Bản khóa của báo cáo được lưu theo định dạng khác, chương trình này không đọc được.")
        h = doc["header"]
        return cls(
            unit_code=doc["unit"]["code"], unit_name=doc["unit"]["name"], unit_level=doc["unit"]["level"],
            period=parse_period_code(doc["period"]),
            template_code=doc["template"]["code"], template_version=int(doc["template"]["version"]),
            template_title=doc["template"]["title"], template_sha256=doc["template"]["sha256"],
            status=doc["status"],
            header=ReportHeaderInfo(**{**h, "recipients": list(h["recipients"]),
                                       "distribution": list(h["distribution"]), "issue_date": _day(h["issue_date"])}),
            rows=[ExportFormRow(**{**r, "number": _num(r["number"])}) for r in doc["rows"]],
            tasks=[ExportTask(**{
                **t, "due_date": _day(t["due_date"]), "completed_on": _day(t["completed_on"]),
                "percent_done": _num(t["percent_done"]),
                "evidence": tuple(ExportEvidence(**{**e, "document_date": _day(e["document_date"])})
                                  for e in t["evidence"]),
            }) for t in doc["tasks"]],
            plans=[ExportPlan(**{**p, "issue_date": _day(p["issue_date"])}) for p in doc["plans"]],
            sections=[ExportSection(**sec) for sec in doc["sections"]],
            cutoff=_day(doc["window"]["cutoff"]),
            consolidated=bool(doc["consolidated"]),
            window_start=_day(doc["window"]["start"]),
            rounding=doc.get("rounding") or HALF_UP,
            frozen=True,
            targets=[TargetResult.from_dict(t) for t in doc.get("targets", [])],
            completion=[(str(c[0]), int(c[1]), int(c[2])) for c in doc.get("completion", [])],
        )


def _fields(obj: object) -> dict:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}  # type: ignore[arg-type]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _num(x: float | int | None) -> float | None:
    return float(x) if x is not None else None  # canonical JSON writes 38.0 as 38


def _whole(x: object) -> object:
    """38.0 as 38, as the canonical JSON writes it anyway: the content then dumps the quick way."""
    return int(x) if type(x) is float and x.is_integer() else x


def canonical_json(content: object) -> str:
    """Sorted keys, no insignificant spaces, Unicode kept (NFC), floats as Python writes them."""
    # Text inside is NFC already (normalised where it came in) and a whole float is rare: dump as is, and
    # walk the tree only when the dump shows a reason to. NFC of the whole JSON equals the JSON of NFC
    # strings (its punctuation never composes), and a whole float always prints as "….0" or "…e+…".
    try:
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except TypeError:  # keys of mixed types, sorted only once they are text
        text = None
    if text is not None and not _MAY_HOLD_WHOLE_FLOAT.search(text) and not text.endswith(".0") \
            and unicodedata.is_normalized("NFC", text):
        return text
    return json.dumps(_nfc_tree(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


# Where a whole float (38.0, 1e+16) may print; also found inside a text, which only costs the slow way.
_MAY_HOLD_WHOLE_FLOAT = re.compile(r"\.0[,\]}]|e\+")


def sha256_of_content(content: object) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def _nfc_tree(obj: object) -> object:
    # Not a defensive copy of the boundary's work: a hash must not depend on how a text was spelt, and a
    # snapshot's content is hashed again, years later, from what the database gives back.
    # The exact types first: a province's content is hundreds of thousands of strings and small dicts.
    kind = type(obj)
    if kind is str:
        return unicodedata.normalize("NFC", obj)
    if kind is dict:
        return {unicodedata.normalize("NFC", k) if type(k) is str else nfc(str(k)): _nfc_tree(v)
                for k, v in obj.items()}
    if kind is int or obj is None or kind is bool:
        return obj
    if isinstance(obj, str):
        return nfc(obj)
    if isinstance(obj, dict):
        return {nfc(str(k)): _nfc_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_nfc_tree(v) for v in obj]
    if isinstance(obj, float) and obj.is_integer():
        return int(obj)  # 38.0 and 38 are the same value: hash them the same
    return obj
