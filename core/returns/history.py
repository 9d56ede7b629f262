"""A unit's history: its indicators' values over periods and years.

One reading of the stored returns serves the trend (``trend`` in the CLI, the comparison table and
its .xlsx, the indicator chart), the side panel of the return grid (the last 12 periods and the same
period of earlier years) and the outlier rule of ``core.returns.validation``. Blank stays blank
(None), "Không phát sinh" is kept apart from 0, and a unit formed from others (a merged commune)
sees the values of its predecessors for the periods before it existed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Refused
from core.forms import current_template, ensure_standard_content
from core.periods import PeriodCodeError, PeriodSpec, parse_period_code
from core.values import KPS_TEXT, format_value, is_kps
from db.models import Indicator, IndicatorValue, Period, Return, Unit, UnitPredecessor

__all__ = ["HistoryError", "IndicatorHistory", "TrendPoint", "TrendTable", "earlier_returns", "indicator_history",
           "lineage", "period_order", "same_period", "trend_table"]

_KIND_ORDER = {"quarter": 0, "half": 1, "nine_months": 1, "year": 2}


class HistoryError(Refused, ValueError):
    """A history asked for wrongly (unknown unit, code or period); the message is Vietnamese."""


def period_order(spec: PeriodSpec) -> tuple:
    """Calendar order: Quý I, Quý II, 6 tháng, Quý III, 9 tháng, Quý IV, Năm."""
    return (spec.end_date, _KIND_ORDER.get(spec.kind, 3))


@dataclass(frozen=True)
class TrendPoint:
    period: PeriodSpec
    number: float | None  # None: blank, "Không phát sinh", or a text answer
    text: str | None
    display: str  # as the return screen writes it: "3.133", "72,8", "Không phát sinh", ""
    status: str  # the return's status (draft | submitted)

    @property
    def kps(self) -> bool:
        return is_kps(self.number, self.text)

    @property
    def value(self) -> int | float | str | None:
        """int when whole, float, "Không phát sinh", a text answer, or None (blank)."""
        if self.kps:
            return KPS_TEXT
        if self.number is None:
            return self.text or None
        return int(self.number) if float(self.number).is_integer() else float(self.number)


@dataclass
class TrendTable:
    """Values of some indicators of one unit over the periods that have a return, oldest first."""

    unit_code: str
    unit_name: str
    codes: list[str]
    names: dict[str, str]
    unit_labels: dict[str, str]
    periods: list[PeriodSpec] = field(default_factory=list)
    values: dict[str, dict[str, TrendPoint]] = field(default_factory=dict)  # code → period code → point
    statuses: dict[str, str] = field(default_factory=dict)  # period code → return status

    def point(self, code: str, period_code: str) -> TrendPoint | None:
        return self.values.get(code, {}).get(period_code)

    def as_dict(self) -> dict:
        def val(code: str, p: PeriodSpec) -> object:
            pt = self.point(code, p.code)
            return pt.value if pt else None

        return {
            "unit": self.unit_code,
            "unit_name": self.unit_name,
            "codes": list(self.codes),
            "indicators": [{"code": c, "name": self.names[c], "unit_label": self.unit_labels[c]} for c in self.codes],
            "periods": [
                {"period": p.code, "label": p.label, "status": self.statuses.get(p.code),
                 "values": {c: val(c, p) for c in self.codes},
                 "display": {c: (self.point(c, p.code).display if self.point(c, p.code) else "")
                             for c in self.codes}}
                for p in self.periods
            ],
            "series": {c: [{"period": p.code, "value": val(c, p)} for p in self.periods] for c in self.codes},
        }


def _unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise HistoryError(f"Không có đơn vị mã “{code}” trong danh mục.")
    return unit


def _spec(code: str) -> PeriodSpec:
    try:
        return parse_period_code(code)
    except PeriodCodeError as exc:
        raise HistoryError(str(exc)) from None


def lineage(session: Session, unit: Unit) -> list[int]:
    """The unit and, recursively, the units it was formed from (their data is its history)."""
    ids, todo = [unit.id], [unit.id]
    while todo:
        found = list(session.scalars(select(UnitPredecessor.predecessor_id).where(UnitPredecessor.unit_id.in_(todo))))
        todo = [i for i in found if i not in ids]
        ids += todo
    return ids


def _rows(session: Session, unit_ids: list[int], codes: list[str]):  # noqa: ANN202 - rows of a select
    return session.execute(
        select(Period.code, Return.status, Return.unit_id, Indicator.code, Indicator.value_type, Indicator.choices,
               IndicatorValue.value_num, IndicatorValue.value_text)
        .select_from(Return)
        .join(Period, Period.id == Return.period_id)
        .outerjoin(IndicatorValue, IndicatorValue.return_id == Return.id)
        .outerjoin(Indicator, (Indicator.id == IndicatorValue.indicator_id) & Indicator.code.in_(codes))
        .where(Return.unit_id.in_(unit_ids))
    ).all()


def trend_table(session: Session, unit_code: str, codes: list[str], from_code: str | None = None,
                to_code: str | None = None) -> TrendTable:
    """The values of ``codes`` for the unit in every period from ``from_code`` to ``to_code`` (both
    included, calendar order) that has a return of the unit (or of the units it was formed from)."""
    ensure_standard_content(session)
    unit = _unit(session, unit_code)
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        raise HistoryError("Chưa chọn chỉ tiêu nào (ví dụ --codes 1.1.1,1.1.2).")
    template = current_template(session)
    inds = {i.code: i for i in session.scalars(select(Indicator).where(Indicator.template_id == template.id,
                                                                       Indicator.code.in_(codes)))}
    unknown = [c for c in codes if c not in inds]
    if unknown:
        raise HistoryError(f"Không có chỉ tiêu mã {', '.join(f'“{c}”' for c in unknown)} trong biểu mẫu "
                           f"{template.code}.")
    lo = period_order(_spec(from_code)) if from_code else None
    hi = period_order(_spec(to_code)) if to_code else None
    if lo and hi and lo > hi:
        raise HistoryError(f"Kỳ đầu {from_code} ở sau kỳ cuối {to_code}.")
    table = TrendTable(unit.code, unit.name, codes, {c: inds[c].name for c in codes},
                       {c: inds[c].unit_label or "" for c in codes})
    units = lineage(session, unit)
    specs: dict[str, PeriodSpec] = {}
    own: dict[str, bool] = {}
    for period_code, status, unit_id, code, vtype, choices, num, text in _rows(session, units, codes):
        spec = parse_period_code(period_code)
        key = period_order(spec)
        if (lo and key < lo) or (hi and key > hi):
            continue
        mine = unit_id == unit.id
        if own.get(period_code) and not mine:
            continue  # the unit's own return wins over a predecessor's for the same period
        if mine and not own.get(period_code):
            own[period_code] = True
            for c in codes:
                table.values.setdefault(c, {}).pop(period_code, None)
        specs[period_code] = spec
        table.statuses[period_code] = status
        if code is None:
            continue
        table.values.setdefault(code, {})[period_code] = TrendPoint(
            spec, num, text, format_value(vtype, num, text, choices), status)
    table.periods = sorted(specs.values(), key=period_order)
    return table


def same_period(a: PeriodSpec, b: PeriodSpec) -> bool:
    """The same period of another year: Quý II and Quý II, 6 tháng and 6 tháng."""
    return a.kind == b.kind and a.number == b.number


def earlier_returns(session: Session, ret: Return) -> list[Return]:
    """The returns of the unit (and of the units it was formed from) on the same form (any version) for
    periods that ended before ``ret``'s, newest first (a quarter before the 6-month figure ending with it)."""
    from db.models import FormTemplate

    period = session.get(Period, ret.period_id)
    tpl = session.get(FormTemplate, ret.template_id)
    rows = list(session.scalars(
        select(Return)
        .join(Period, Period.id == Return.period_id)
        .join(FormTemplate, FormTemplate.id == Return.template_id)
        .where(Return.unit_id.in_(lineage(session, ret.unit)), Return.id != ret.id, FormTemplate.code == tpl.code,
               Period.end_date < period.end_date)
        .order_by(Period.end_date.desc(), Period.start_date.asc(), (Return.unit_id == ret.unit_id).desc())
    ))
    seen, out = set(), []
    for r in rows:  # one return per period: the unit's own before a predecessor's
        if r.period_id not in seen:
            seen.add(r.period_id)
            out.append(r)
    return out


@dataclass(frozen=True)
class IndicatorHistory:
    """One indicator of one unit around a period: the last periods before it (up to 12, oldest first)
    and the same period of earlier years (oldest first)."""

    code: str
    name: str
    current: PeriodSpec
    recent: list[TrendPoint]
    same_period: list[TrendPoint]

    def numbers(self) -> list[float]:
        """The earlier figures (recent and same period of earlier years), each period once."""
        seen: dict[str, float] = {}
        for p in [*self.recent, *self.same_period]:
            if p.number is not None and not p.kps:
                seen[p.period.code] = float(p.number)
        return list(seen.values())


def indicator_history(session: Session, unit_code: str, code: str, period_code: str,
                      recent: int = 12) -> IndicatorHistory:
    """The history of one indicator before ``period_code``: its value in the last ``recent`` periods
    that have a return, and in the same period of every earlier year."""
    current = _spec(period_code)
    table = trend_table(session, unit_code, [code], None, period_code)
    before = [p for p in table.periods if period_order(p) < period_order(current)]
    points = [table.point(code, p.code) or TrendPoint(p, None, None, "", table.statuses.get(p.code, ""))
              for p in before]
    same = [pt for pt in points if pt.period.kind == current.kind and pt.period.number == current.number]
    return IndicatorHistory(code, table.names[code], current, points[-recent:], same)
