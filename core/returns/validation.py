"""Validation of a return's values: types and ranges, the form's cross-field rules, plan
overrides and values far outside the unit's own history.

Every check yields a ``Problem`` that names the codes involved (the first is the cell to
jump to) with a Vietnamese message. Importance:

- ``error`` (Lỗi): blocks submission — a value of the wrong type or out of range, a part
  above its total, a broken ``error`` rule of the form.
- ``warning`` (Cảnh báo): blocks submission until one of the values involved carries a
  note explaining it — a broken ``warning`` rule, a plan-derived value overridden by hand.
- ``notice`` (Cần xem lại): never blocks — a count far outside the unit's own history.

The rules themselves are data: the ``rules`` list of the form template (types ``le``,
``sum_le``, ``sum_eq``, ``sum_le_const``, each with a ``severity``). Checks that follow from
the value types (percent 0–100, whole non-negative counts, coded answers from their list)
and from the form's shape ("Trong đó" parts not above their total) need no rule entry.

Blank is "no data": a rule that involves a blank value is not checked, except that the
parts present of a "Trong đó" breakdown still may not add up to more than their total.
"Không phát sinh" carries no number, so rules treat it as they treat a blank.

Only the rows that apply to the unit's level are checked (``core.forms.applicable_indicators``).
The report also lists those rows that are still blank (``blank``): not a problem of the values,
but a return is not declared finished while any applicable row is blank without a note that
says why ("Chưa có số liệu, đơn vị … chưa báo cáo"): a row with nothing to report says so with
"Không phát sinh".
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.forms import applicable_codes, applicable_indicators
from core.periods import parse_period_code
from core.returns.history import earlier_returns, same_period
from core.vnformat import format_number
from db.models import FormTemplate, Indicator, IndicatorValue, Return

SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "notice": "Cần xem lại"}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}

# Values far outside the unit's own history (a second look, never a rejection).
#
# Definition: for a count (an ``integer`` indicator), take the unit's values for that code in
# its previous HISTORY_RETURNS returns of the same form (any period kind, newest first) and
# their median M. Flag the value when there are at least HISTORY_MIN past values and
#   value > HISTORY_FACTOR × max(M, 1)            (e.g. an extra digit: 1.964 typed as 19.640), or
#   value < M / HISTORY_FACTOR, when M ≥ HISTORY_SMALL (a digit dropped, or 0 for a steady count).
# Why: the median of four returns ignores one odd past return; a factor of 10 is what a typing
# slip produces and is wider than the honest spread between a quarter and a cumulative 6-month,
# 9-month or annual figure (at most 4×), so period kinds can share one history. Small counts
# (median under 10) swing between 0 and a few for real, so only a tenfold rise flags them.
# It is a notice, not a warning: real jumps happen (units merged in 2025, a new plan), and a
# forced comment on every legitimate jump would teach users to type anything into notes.
HISTORY_RETURNS = 4
HISTORY_MIN = 2
HISTORY_FACTOR = 10
HISTORY_SMALL = 10


@dataclass(frozen=True)
class Problem:
    """One finding. ``codes[0]`` is the cell a problem panel jumps to."""

    severity: str  # error | warning | notice
    kind: str  # type | range | rule | breakdown | plan | history
    codes: tuple[str, ...]
    message: str
    rule_id: str | None = None
    resolved: bool = False  # a warning that a note on one of its codes explains

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def needs_note(self) -> bool:
        return self.severity == "warning"

    @property
    def blocking(self) -> bool:
        """Whether this stops the return from being declared finished."""
        return self.severity == "error" or (self.severity == "warning" and not self.resolved)

    @property
    def code(self) -> str:
        return self.codes[0]

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "severity_label": self.severity_label,
            "kind": self.kind,
            "codes": list(self.codes),
            "rule": self.rule_id,
            "message": self.message,
            "needs_note": self.needs_note,
            "resolved": self.resolved,
            "blocking": self.blocking,
        }

    def line(self) -> str:
        state = " (đã có ghi chú)" if self.severity == "warning" and self.resolved else ""
        return f"[{self.severity_label}{state}] {', '.join(self.codes)}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    # Applicable value rows with no data (neither a value nor "Không phát sinh") and no note saying why.
    blank: tuple[str, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "notice"]

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def can_submit(self) -> bool:
        return not self.blocking and not self.blank

    def blank_sentence(self, limit: int = 20) -> str:
        """"còn 94 chỉ tiêu chưa có số liệu: 1.1.3, 1.2.3, …" ("" when none)."""
        if not self.blank:
            return ""
        shown = ", ".join(self.blank[:limit]) + (", …" if len(self.blank) > limit else "")
        return f"còn {len(self.blank)} chỉ tiêu chưa có số liệu: {shown}"

    def for_code(self, code: str) -> list[Problem]:
        return [p for p in self.problems if code in p.codes]

    def by_code(self) -> dict[str, list[Problem]]:
        out: dict[str, list[Problem]] = {}
        for p in self.problems:
            for c in p.codes:
                out.setdefault(c, []).append(p)
        return out

    def summary(self) -> str:
        blank = f" Còn {len(self.blank)} chỉ tiêu chưa có số liệu." if self.blank else ""
        if not self.problems:
            return "Không có lỗi hay cảnh báo nào." + blank
        unresolved = [w for w in self.warnings if not w.resolved]
        parts = [f"{len(self.errors)} lỗi", f"{len(self.warnings)} cảnh báo"]
        if unresolved:
            parts[-1] += f" ({len(unresolved)} chưa có ghi chú)"
        if self.notices:
            parts.append(f"{len(self.notices)} số liệu cần xem lại")
        return ", ".join(parts) + "." + blank

    def as_dict(self) -> dict:
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "unresolved_warnings": len([w for w in self.warnings if not w.resolved]),
            "notices": len(self.notices),
            "can_submit": self.can_submit,
            "blank": list(self.blank),
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class CellValue:
    """A value as validation sees it: stored, or about to be stored."""

    number: float | None = None
    text: str | None = None
    note: str | None = None
    source: str = "manual"
    source_value: float | None = None
    source_detail: str | None = None

    @property
    def blank(self) -> bool:
        return self.number is None and (self.text is None or self.text == "")

    @property
    def has_note(self) -> bool:
        return bool((self.note or "").strip())


def _n(x: float) -> str:
    return format_number(x)


# --------------------------------------------------------------------------- one cell


def cell_error(ind: Indicator, number: float | None, text: str | None = None) -> str | None:
    """The type/range problem of one value, or None. Shared by entry (refuse the cell) and validation."""
    code, vt = ind.code, ind.value_type
    if number is None:
        return None
    if vt == "percent" and not 0 <= number <= 100:
        return f"Chỉ tiêu {code}: tỷ lệ phần trăm phải từ 0 đến 100, không nhận {_n(number)}%."
    if vt == "integer":
        if number != int(number):
            return f"Chỉ tiêu {code}: phải là số nguyên, không nhận {_n(number)}."
        if number < 0:
            return f"Chỉ tiêu {code}: số lượng không được âm ({_n(number)})."
    if vt == "decimal" and number < 0:
        return f"Chỉ tiêu {code}: số liệu không được âm ({_n(number)})."
    if vt in ("choice", "yesno"):
        allowed = {int(c["code"]) for c in ind.choices or []}
        if number != int(number) or int(number) not in allowed:
            labels = " / ".join(f"{c['label']} = {c['code']}" for c in ind.choices or [])
            return f"Chỉ tiêu {code}: “{_n(number)}” không thuộc danh sách mã trả lời ({labels})."
    return None


# --------------------------------------------------------------------------- the whole form


def check_values(
    indicators: Iterable[Indicator],
    rules: Iterable[Mapping],
    values: Mapping[str, CellValue],
    history: Mapping[str, list[float] | Past] | None = None,
) -> ValidationReport:
    """All problems of a set of values against a form. Pure: no database access."""
    inds = {i.code: i for i in indicators}
    problems: list[Problem] = []

    def has_note(codes: Iterable[str]) -> bool:
        return any(values.get(c, CellValue()).has_note for c in codes)

    def num(code: str) -> float | None:
        v = values.get(code)
        return v.number if v is not None else None

    # Type and range.
    for code, v in values.items():
        ind = inds.get(code)
        if ind is None or ind.kind != "value":
            continue
        msg = cell_error(ind, v.number, v.text)
        if msg:
            kind = "range" if ind.value_type in ("percent", "integer", "decimal") else "type"
            problems.append(Problem("error", kind, (code,), msg, rule_id=f"type:{code}"))

    # "Trong đó" parts may not exceed their total (same kind of count only: 4.1.4.d is a percent).
    for ind in inds.values():
        if not ind.breakdown or ind.parent_code not in inds:
            continue
        parent = inds[ind.parent_code]
        if parent.kind != "value" or parent.value_type != ind.value_type or ind.value_type != "integer":
            continue
        pv, tv = num(ind.code), num(parent.code)
        if pv is not None and tv is not None and pv > tv + 1e-9:
            problems.append(Problem(
                "error", "breakdown", (ind.code, parent.code),
                f"Chỉ tiêu {ind.code} ({_n(pv)}) lớn hơn tổng của nó là chỉ tiêu {parent.code} ({_n(tv)}): "
                "phần “Trong đó” không thể lớn hơn tổng.",
                rule_id=f"part:{ind.code}",
            ))

    # The form's own rules.
    for rule in rules:
        p = _check_rule(rule, num)
        if p is not None:
            if p.severity == "warning":
                p = Problem(p.severity, p.kind, p.codes, p.message, p.rule_id, resolved=has_note(p.codes))
            problems.append(p)

    # Plan-derived values overridden by hand need a note.
    for code, v in values.items():
        if v.source_value is None or v.source == "plan":
            continue
        if v.number is not None and abs(v.number - v.source_value) < 1e-9:
            continue
        shown = _n(v.number) if v.number is not None else "để trống"
        detail = f" ({v.source_detail})" if v.source_detail else ""
        problems.append(Problem(
            "warning", "plan", (code,),
            f"Chỉ tiêu {code}: số liệu {shown} khác với số liệu lấy từ Kế hoạch là {_n(v.source_value)}{detail}. "
            "Cần ghi chú lý do điều chỉnh.",
            rule_id=f"plan:{code}", resolved=v.has_note,
        ))

    # Far outside the unit's own history.
    for code, past in (history or {}).items():
        ind, v = inds.get(code), values.get(code)
        if ind is None or ind.value_type != "integer" or v is None or v.number is None:
            continue
        p = history_problem(code, v.number, past)
        if p is not None:
            problems.append(p)

    order = {c: i for i, c in enumerate(inds)}
    problems.sort(key=lambda p: (_SEVERITY_ORDER[p.severity], order.get(p.codes[0], 1 << 30)))
    return ValidationReport(problems)


def history_problem(code: str, value: float, past: list[float] | Past) -> Problem | None:
    """A notice when ``value`` is far outside ``past`` (see HISTORY_* above)."""
    past = past if isinstance(past, Past) else Past(list(past))
    basis, listing, past = past.basis, past.listing, past.values
    if len(past) < HISTORY_MIN:
        return None
    med = statistics.median(past)
    high = HISTORY_FACTOR * max(med, 1)
    if value > high:
        what = f"lớn hơn {HISTORY_FACTOR} lần"
    elif med >= HISTORY_SMALL and value < med / HISTORY_FACTOR:
        what = f"nhỏ hơn 1/{HISTORY_FACTOR}"
    else:
        return None
    shown = ", ".join(_n(x) for x in past)
    return Problem(
        "notice", "history", (code,),
        f"Chỉ tiêu {code}: {_n(value)} {what} mức thường gặp của đơn vị (trung vị {len(past)} {basis} "
        f"là {_n(med)}; {listing}: {shown}). Hãy kiểm tra lại số liệu.",
        rule_id=f"history:{code}",
    )


def _check_rule(rule: Mapping, num) -> Problem | None:
    rtype, sev, rid = rule.get("type"), rule.get("severity", "error"), rule.get("id")
    text = rule.get("message", "")
    tail = " Nếu số liệu đúng, hãy ghi chú giải thích." if sev == "warning" else ""
    if rtype == "le":
        left, right = rule["left"], rule["right"]
        lv, rv = num(left), num(right)
        if lv is None or rv is None or lv <= rv + 1e-9:
            return None
        return Problem(sev, "rule", (left, right),
                       f"Chỉ tiêu {left} ({_n(lv)}) lớn hơn chỉ tiêu {right} ({_n(rv)}). {text}{tail}", rid)
    parts = list(rule.get("parts", []))
    present = {c: num(c) for c in parts if num(c) is not None}
    if not present:
        return None
    total = sum(present.values())
    parts_text = " + ".join(parts if len(present) == len(parts) else list(present))
    if rtype == "sum_le_const":
        limit = float(rule["limit"])
        if total <= limit + 1e-9:
            return None
        return Problem(sev, "rule", tuple(present),
                       f"Tổng {parts_text} = {_n(total)} vượt quá {_n(limit)}. {text}{tail}", rid)
    total_code = rule["total"]
    tv = num(total_code)
    if tv is None:
        return None
    codes = (total_code, *present)
    if total > tv + 1e-9:
        return Problem(sev, "rule", codes,
                       f"Tổng {parts_text} = {_n(total)} lớn hơn chỉ tiêu {total_code} ({_n(tv)}). {text}{tail}", rid)
    if rtype == "sum_eq" and len(present) == len(parts) and abs(total - tv) > 1e-9:
        return Problem(sev, "rule", codes,
                       f"Chỉ tiêu {total_code} = {_n(tv)} nhưng {parts_text} = {_n(total)}. {text}{tail}", rid)
    return None


# --------------------------------------------------------------------------- from the database


def cell_values(session: Session, ret: Return) -> dict[str, CellValue]:
    """The return's stored values of the rows that apply to its unit's level."""
    codes = applicable_codes(session, ret.template_id, ret.unit.level)
    rows = session.execute(
        select(Indicator.code, IndicatorValue)
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(IndicatorValue.return_id == ret.id)
    )
    return {
        code: CellValue(v.value_num, v.value_text, v.note, v.source, v.source_value, v.source_detail)
        for code, v in rows if code in codes
    }


@dataclass(frozen=True)
class Past:
    """The figures a value is compared with, newest first, and what they are ("kỳ trước" or "cùng kỳ
    các năm trước")."""

    values: list[float]
    basis: str = "kỳ trước"  # "trung vị 4 kỳ trước"
    listing: str = "các kỳ trước"  # "các kỳ trước: 80, 70, …"


def history_values(session: Session, ret: Return, limit: int = HISTORY_RETURNS) -> dict[str, Past]:
    """Code → the unit's past numbers (newest first), from the history the return screen shows beside
    each value (``core.returns.history``: the unit and the units it was formed from): the same period of
    up to ``limit`` earlier years when there are at least HISTORY_MIN of them — a cumulative 6-month or
    annual figure is compared with its like — else the ``limit`` latest earlier returns."""
    past = earlier_returns(session, ret)
    if not past:
        return {}
    spec = parse_period_code(ret.period.code)
    specs = {r.id: parse_period_code(r.period.code) for r in past}
    recent = past[:limit]
    same = [r for r in past if same_period(specs[r.id], spec)][:limit]
    wanted = {r.id for r in recent} | {r.id for r in same}
    rows = session.execute(
        select(Indicator.code, IndicatorValue.value_num, IndicatorValue.return_id)
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(IndicatorValue.return_id.in_(wanted), IndicatorValue.value_num.is_not(None))
    )
    by_code: dict[str, dict[int, float]] = {}
    for code, value, rid in rows:
        by_code.setdefault(code, {})[rid] = value
    out: dict[str, Past] = {}
    for code, vals in by_code.items():
        same_vals = [vals[r.id] for r in same if r.id in vals]
        if len(same_vals) >= HISTORY_MIN:
            out[code] = Past(same_vals, "năm trước (cùng kỳ)", "cùng kỳ các năm trước")
        else:
            out[code] = Past([vals[r.id] for r in recent if r.id in vals])
    return out


def validate_return(session: Session, ret: Return, values: Mapping[str, CellValue] | None = None) -> ValidationReport:
    """Every problem of ``ret`` (or of ``values`` proposed for it), over the rows of its unit's level,
    and the applicable value rows still blank."""
    tpl = session.get(FormTemplate, ret.template_id)
    indicators = applicable_indicators(session.scalars(
        select(Indicator).where(Indicator.template_id == tpl.id).order_by(Indicator.sort_order)
    ).all(), ret.unit.level)
    codes = {i.code for i in indicators}
    values = {c: v for c, v in (values if values is not None else cell_values(session, ret)).items() if c in codes}
    report = check_values(indicators, tpl.rules or [], values, history_values(session, ret))
    blank = tuple(i.code for i in indicators if i.kind == "value" and values.get(i.code, CellValue()).blank
                  and not values.get(i.code, CellValue()).has_note)
    return ValidationReport(report.problems, blank)
