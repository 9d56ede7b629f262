"""Whether a period met the plan's targets: met / not met / not yet known, with the actual figure.

The actual figure of a target is the return's value of its indicator, or the ratio of two
(``code``/``of_code`` × 100) rounded by the unit's rule (``core.vnformat.round_rate``), exactly the
figure printed beside it. It is compared as printed: "đạt 95%" meets "≥ 95%". Blank, "Không phát
sinh", no return yet, or a ratio over 0: not yet known (``met`` None). The return screen, the home
overview, the PDF appendix "Kết quả thực hiện chỉ tiêu kế hoạch" and the narrative all read this.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Refused
from core.periods import PeriodCodeError, parse_period_code
from core.plans.targets import list_targets, op_symbol
from core.values import is_kps
from core.vnformat import HALF_UP, format_number, format_percent, round_rate
from db.models import Indicator, IndicatorValue, Period, Return, Unit

__all__ = ["TargetResult", "evaluate", "target_results", "target_sentence"]

MET_LABELS = {True: "Đạt", False: "Chưa đạt", None: "Chưa có số liệu"}


@dataclass(frozen=True)
class TargetResult:
    """One target in one period (plain data: a frozen report keeps it as it was)."""

    id: int
    code: str
    of_code: str | None
    op: str
    target: float
    label: str
    actual: float | None
    met: bool | None
    percent: bool = False  # a ratio, or an indicator counted in %: printed "96,5%"

    @property
    def phrase(self) -> str:
        """"1.1.2/1.1.1 ≥ 95%", "7.8.3 ≥ 95%" (an indicator counted in %), "1.2.1 ≤ 5"."""
        what = f"{self.code}/{self.of_code}" if self.of_code else self.code
        return f"{what} {self.target_display}"

    @property
    def target_display(self) -> str:
        """"≥ 95%"."""
        return f"{op_symbol(self.op)} {self._fmt(self.target)}"

    @property
    def actual_display(self) -> str:
        return "" if self.actual is None else self._fmt(self.actual)

    @property
    def met_label(self) -> str:
        return MET_LABELS[self.met]

    def _fmt(self, x: float) -> str:
        return format_percent(x) if self.percent else format_number(x)

    def as_dict(self) -> dict:
        return {"id": self.id, "code": self.code, "of": self.of_code, "op": self.op, "target": self.target,
                "label": self.label, "actual": self.actual, "met": self.met, "phrase": self.phrase,
                "target_display": self.target_display, "actual_display": self.actual_display,
                "met_label": self.met_label, "percent": self.percent}

    @classmethod
    def from_dict(cls, d: dict) -> TargetResult:
        return cls(int(d["id"]), d["code"], d.get("of"), d["op"], float(d["target"]), d["label"],
                   None if d.get("actual") is None else float(d["actual"]), d.get("met"),
                   bool(d.get("percent")))


def evaluate(op: str, target: float, actual: Decimal | float | None) -> bool | None:
    if actual is None:
        return None
    a, t = Decimal(str(actual)), Decimal(str(target))
    return {"ge": a >= t, "le": a <= t, "eq": a == t}[op]


def _actual(values: dict[str, tuple[float | None, str | None]], code: str, of_code: str | None,
            rounding: str) -> Decimal | None:
    num, text = values.get(code, (None, None))
    if num is None or is_kps(num, text):
        return None
    if of_code is None:
        return Decimal(repr(float(num)))
    den, dtext = values.get(of_code, (None, None))
    if den is None or is_kps(den, dtext) or float(den) == 0:
        return None
    return round_rate(Decimal(repr(float(num))) * 100 / Decimal(repr(float(den))), rounding)


def results_for_values(targets: list, values: dict[str, tuple[float | None, str | None]],
                       rounding: str = HALF_UP, percent_codes: set[str] | None = None) -> list[TargetResult]:
    """Each target (``PlanTarget`` rows) against a return's values (code → (number, text));
    ``percent_codes``: the indicators counted in % (their targets print with "%")."""
    out = []
    for t in targets:
        actual = _actual(values, t.code, t.of_code, rounding)
        out.append(TargetResult(t.id, t.code, t.of_code, t.op, float(t.value), t.label or t.code,
                                None if actual is None else float(actual), evaluate(t.op, t.value, actual),
                                bool(t.of_code) or t.code in (percent_codes or set())))
    return out


def _percent_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Indicator.code).where(Indicator.value_type == "percent")))


def _values(session: Session, ret: Return | None) -> dict[str, tuple[float | None, str | None]]:
    if ret is None:
        return {}
    rows = session.execute(
        select(Indicator.code, IndicatorValue.value_num, IndicatorValue.value_text)
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(IndicatorValue.return_id == ret.id)
    ).all()
    return {code: (num, text) for code, num, text in rows}


def target_results(session: Session, unit: Unit | str, period_code: str) -> list[TargetResult]:
    """The unit's targets for the period's year with the period's actual figures."""
    from core.org.settings import rounding_rule

    if isinstance(unit, str):
        found = session.scalar(select(Unit).where(Unit.code == unit))
        if found is None:
            raise Refused(f"Không có đơn vị mã “{unit}” trong danh mục.")
        unit = found
    try:
        spec = parse_period_code(period_code)
    except PeriodCodeError as exc:
        raise Refused(str(exc)) from None
    targets = list_targets(session, unit_id=unit.id, year=spec.year)
    ret = session.scalar(
        select(Return).join(Period, Period.id == Return.period_id)
        .where(Return.unit_id == unit.id, Period.code == spec.code).order_by(Return.template_id.desc())
    )
    return results_for_values(targets, _values(session, ret), rounding_rule(session, unit), _percent_codes(session))


def target_sentence(r: TargetResult) -> str:
    """"Tỷ lệ …: đạt 96,5%, vượt chỉ tiêu 95%" (the narrative's words for one target)."""
    goal = r._fmt(r.target)
    if r.actual is None:
        return f"{r.label}: chưa có số liệu để đánh giá (chỉ tiêu {op_symbol(r.op)} {goal})"
    got = r.actual_display
    if r.met is False:
        return f"{r.label}: đạt {got}, chưa đạt chỉ tiêu {goal}"
    if r.op == "ge" and r.actual > r.target:
        return f"{r.label}: đạt {got}, vượt chỉ tiêu {goal}"
    if r.op == "le" and r.actual < r.target:
        return f"{r.label}: {got}, trong giới hạn chỉ tiêu (tối đa {goal})"
    return f"{r.label}: đạt {got}, đạt chỉ tiêu {goal}"
