"""A criteria set (Bộ chỉ số CCHC) as data: areas (lĩnh vực) → criteria (tiêu chí) → sub-criteria (tiêu chí
thành phần), each with its code, printed number, name, kind (self-scored, survey, deduction), maximum,
scoring guide and the evidence asked for; the checks a set must pass; storing it as a new version.

A stored set is never changed: scores are made against one set, and its SHA-256 (of the canonical JSON
of its content) travels in every score workbook sent upward.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.index.points import format_points
from core.returns.report_model import canonical_json, sha256_of_content
from db.models import IndexCriteriaSet, IndexCriterion

__all__ = ["CRITERIA_LEVELS", "CriteriaError", "CriteriaSet", "Criterion", "Mismatch", "set_from_content",
           "store_set"]

CRITERIA_LEVELS = {"so": "sở, ban, ngành", "huyen": "UBND cấp huyện", "xa": "UBND xã, phường, đặc khu"}
KINDS = {"self": "tự chấm", "survey": "điều tra xã hội học", "deduction": "điểm trừ"}


class CriteriaError(Refused):
    """A criteria table or set that cannot be used; the message is Vietnamese."""


@dataclass
class Criterion:
    code: str
    stt: str
    parent: str | None
    depth: int  # 0 area, 1 criterion, 2+ sub-criterion
    name: str
    kind: str
    max_centi: int | None  # a deduction's maximum is positive; None: not printed (a parent's is summed)
    is_leaf: bool = True
    scoring_guide: str = ""
    evidence_required: str = ""
    source_row: int | None = None
    auto_source: str | None = None

    def label(self) -> str:
        short = self.name if len(self.name) <= 60 else self.name[:57].rstrip() + "…"
        return f"{self.stt} “{short}”"


@dataclass(frozen=True)
class Mismatch:
    """A parent whose printed maximum is not the sum of its children's."""

    row: int | None
    stt: str
    name: str
    printed: int
    children_sum: int
    blocking: bool = True

    def message(self) -> str:
        where = f"dòng {self.row}: " if self.row else ""
        return (f"{where}{self.stt} “{self.name[:60]}”: điểm tối đa {format_points(self.printed)} khác tổng các mục "
                f"con {format_points(self.children_sum)}")


@dataclass
class CriteriaSet:
    title: str
    year: int
    level: str
    criteria: list[Criterion]
    source_document: str = ""
    printed_total: int | None = None
    total_row: int | None = None
    mismatches: list[Mismatch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    # --- shape ----------------------------------------------------------------------------------
    def areas(self) -> list[Criterion]:
        return [c for c in self.criteria if c.depth == 0]

    def leaves(self) -> list[Criterion]:
        return [c for c in self.criteria if c.is_leaf and c.depth > 0]

    def children(self, code: str) -> list[Criterion]:
        return [c for c in self.criteria if c.parent == code]

    def counts(self) -> dict[str, int]:
        return {
            "areas": sum(1 for c in self.criteria if c.depth == 0),
            "criteria": sum(1 for c in self.criteria if c.depth == 1),
            "sub_criteria": sum(1 for c in self.criteria if c.depth >= 2),
            "leaves": len(self.leaves()),
        }

    def max_by_kind(self) -> dict[str, int]:
        out = {k: 0 for k in KINDS}
        for a in self.areas():
            out[a.kind] += a.max_centi or 0
        return out

    def total_max(self) -> int:
        """The 100 points: every area but the deductions."""
        by_kind = self.max_by_kind()
        return by_kind["self"] + by_kind["survey"]

    def blocking(self) -> list[Mismatch]:
        return [m for m in self.mismatches if m.blocking]

    # --- checks ---------------------------------------------------------------------------------
    def check_sums(self) -> None:
        """Fill parents' missing maxima from their children and name every parent whose printed maximum
        differs from the sum of its children's (a deduction area is a cap, so only warned about)."""
        self.mismatches = []
        by_code = {c.code: c for c in self.criteria}
        for c in reversed(self.criteria):  # children before parents
            kids = self.children(c.code)
            c.is_leaf = not kids
            if not kids:
                continue
            total = sum(k.max_centi or 0 for k in kids)
            if c.max_centi is None:
                c.max_centi = total
            elif c.max_centi != total:
                self.mismatches.append(Mismatch(c.source_row, c.stt, c.name, c.max_centi, total,
                                                blocking=c.kind != "deduction"))
        self.mismatches.sort(key=lambda m: m.row or 0)
        if self.printed_total is not None and self.printed_total != self.total_max():
            self.mismatches.append(Mismatch(self.total_row, "Tổng", "Tổng điểm", self.printed_total,
                                            self.total_max(), blocking=False))
        del by_code

    # --- the stored form ------------------------------------------------------------------------
    def content(self) -> dict:
        return {
            "format": 1,
            "title": self.title,
            "year": self.year,
            "level": self.level,
            "source_document": self.source_document,
            "criteria": [{k: v for k, v in asdict(c).items() if k != "source_row"} for c in self.criteria],
        }

    def sha256(self) -> str:
        return sha256_of_content(self.content())

    def preview(self) -> dict:
        """What the import shows before anything is stored (and ``--json`` prints)."""
        return {
            "title": self.title,
            "year": self.year,
            "level": self.level,
            "source_document": self.source_document,
            **self.counts(),
            "areas_list": [
                {"stt": a.stt, "name": a.name, "kind": a.kind, "max": format_points(a.max_centi),
                 "criteria": sum(1 for c in self.criteria if c.parent == a.code),
                 "row": a.source_row}
                for a in self.areas()
            ],
            "max_per_area": {a.stt: format_points(a.max_centi) for a in self.areas()},
            "max_by_kind": {k: format_points(v) for k, v in self.max_by_kind().items()},
            "total_max": format_points(self.total_max()),
            "printed_total": format_points(self.printed_total) if self.printed_total is not None else None,
            "mismatches": [{"row": m.row, "stt": m.stt, "name": m.name, "printed": format_points(m.printed),
                            "children_sum": format_points(m.children_sum), "blocking": m.blocking,
                            "message": m.message()} for m in self.mismatches],
            "warnings": list(self.warnings),
        }


def set_from_content(content: dict) -> CriteriaSet:
    """The set a stored (or received) canonical content describes."""
    try:
        rows = [Criterion(**{k: v for k, v in r.items() if k in Criterion.__dataclass_fields__})
                for r in content["criteria"]]
        s = CriteriaSet(title=content["title"], year=int(content["year"]), level=content["level"], criteria=rows,
                        source_document=content.get("source_document") or "")
    except (KeyError, TypeError, ValueError):
        raise CriteriaError("Bộ tiêu chí kèm theo tệp không đọc được (thiếu hoặc sai nội dung).") from None
    if not rows or s.level not in CRITERIA_LEVELS:
        raise CriteriaError("Bộ tiêu chí kèm theo tệp không đọc được (thiếu hoặc sai nội dung).")
    return s


def find_stored(session: Session, sha256: str) -> IndexCriteriaSet | None:
    return session.scalar(select(IndexCriteriaSet).where(IndexCriteriaSet.content_sha256 == sha256).limit(1))


def store_set(session: Session, cset: CriteriaSet, *, source_file: str | None = None,
              user: str | None = None) -> tuple[IndexCriteriaSet, bool]:
    """Store ``cset`` as the next version for its year and level; (the stored set, whether it is new).

    The same content already stored is reused; a set whose parents do not add up is refused."""
    bad = cset.blocking()
    if bad:
        raise CriteriaError("Không lưu bộ tiêu chí: điểm tối đa của mục cha khác tổng các mục con ở "
                            + "; ".join(m.message() for m in bad) + ".")
    sha = cset.sha256()
    found = find_stored(session, sha)
    if found is not None:
        return found, False
    latest = session.scalar(select(func.max(IndexCriteriaSet.version)).where(
        IndexCriteriaSet.year == cset.year, IndexCriteriaSet.level == cset.level)) or 0
    row = IndexCriteriaSet(year=cset.year, level=cset.level, version=latest + 1, title=cset.title,
                           source_document=cset.source_document or None, source_file=source_file,
                           content_sha256=sha, content=canonical_json(cset.content()),
                           imported_by=audit.user_of(session, user))
    for i, c in enumerate(cset.criteria):
        row.criteria.append(IndexCriterion(
            code=c.code, stt=c.stt, parent_code=c.parent, depth=c.depth, sort_order=i, name=c.name, kind=c.kind,
            max_centi=c.max_centi or 0, is_leaf=c.is_leaf, scoring_guide=c.scoring_guide or None,
            evidence_required=c.evidence_required or None, may_not_apply=True, auto_source=c.auto_source,
            source_row=c.source_row))
    session.add(row)
    session.flush()
    audit.record(session, "import", "index_criteria_set", row.id, user=user,
                 new=f"{cset.title} ({cset.year}, {CRITERIA_LEVELS[cset.level]}, phiên bản {row.version})")
    return row, True


def load_set(row: IndexCriteriaSet) -> CriteriaSet:
    return set_from_content(json.loads(row.content))
