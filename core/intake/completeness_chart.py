"""Charts for a unit that receives returns: received on time / late / not received per period, and one
indicator across the units below (plain ``ChartData``, drawn by the PDF and the screens alike).

The counts are the completeness board's (``core.intake.completeness``): a return needing a decision is
counted as not yet received, as the board's headline does. The indicator across units reads the
accepted returns only — what the consolidation counts.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.intake.completeness import completeness, resolve_unit
from core.periods import parse_period_code, standard_codes
from core.reports.charts import PALETTE, ChartData, Series
from core.returns.history import period_order
from db.models import Indicator, IndicatorValue, Return

__all__ = ["children_indicator_chart", "receipt_chart"]

_RECEIPT = (("on_time", "Đúng hạn", "#2e7d32"), ("late", "Muộn hạn", "#ef6c00"), ("missing", "Chưa nhận", "#c62828"))


def receipt_chart(session: Session, parent: str | int, period_code: str) -> ChartData:
    """Per standard period of the year up to ``period_code``: how many units below sent on time, late,
    or have not (yet) sent — stacked bars."""
    unit = resolve_unit(session, parent)
    spec = parse_period_code(period_code)
    cats: list[str] = []
    counts: dict[str, list[float]] = {k: [] for k, _, _ in _RECEIPT}
    for code in standard_codes(spec.year):
        other = parse_period_code(code)
        if period_order(other) > period_order(spec):
            break
        board = completeness(session, unit.id, code)
        expected = [r for r in board.rows if r.expected]
        if not expected:
            continue
        cats.append(other.label)
        for key, _, _ in _RECEIPT:
            states = ("missing", "decision") if key == "missing" else (key,)
            counts[key].append(float(sum(r.state in states for r in expected)))
    return ChartData("stacked_bar", f"Tình hình nhận báo cáo của các đơn vị trực thuộc năm {spec.year}",
                     tuple(cats), tuple(Series(label, tuple(counts[key]), colour) for key, label, colour in _RECEIPT),
                     "đơn vị", note=f"Đơn vị nhận: {unit.name}")


def children_indicator_chart(session: Session, parent: str | int, period_code: str, code: str) -> ChartData:
    """Indicator ``code`` in each accepted return of the units below for the period (bars, by unit)."""
    from core.forms import current_template

    unit = resolve_unit(session, parent)
    spec = parse_period_code(period_code)
    board = completeness(session, unit.id, spec.code)
    template = current_template(session)
    ind = session.scalar(select(Indicator).where(Indicator.template_id == template.id, Indicator.code == code))
    name = ind.name if ind is not None else code
    ids = [r.return_id for r in board.rows if r.return_id is not None and r.review == "accepted"]
    values: dict[int, float] = {}
    if ids and ind is not None:
        rows = session.execute(
            select(Return.unit_id, IndicatorValue.value_num)
            .join(IndicatorValue, IndicatorValue.return_id == Return.id)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(Return.id.in_(ids), Indicator.code == code, IndicatorValue.value_num.is_not(None))
        ).all()
        values = {uid: float(v) for uid, v in rows}
    shown = [r for r in board.rows if r.expected]
    return ChartData("bar", f"Chỉ tiêu {code} của các đơn vị trực thuộc, {spec.label}: {name}",
                     tuple(r.unit_name for r in shown),
                     (Series(f"{code}. {name}", tuple(values.get(r.unit_id) for r in shown), PALETTE[0]),),
                     (ind.unit_label or "") if ind is not None else "",
                     percent=ind is not None and ind.value_type == "percent",
                     note="Chỉ tính báo cáo đã chấp nhận; đơn vị để trống là chưa có số liệu.")
