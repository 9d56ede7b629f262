"""Reporting periods (Kỳ báo cáo): codes, Vietnamese labels, data windows and due dates.

Data windows follow Decree 09/2019/NĐ-CP and the Ministry of Home Affairs' CCHC
guidance: from the 15th of the month before the period to the 14th of its last
month. The report is due on the 20th of the last month. Provinces may set other
days, so both are per-unit settings (``PeriodRules``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import Refused
from core.vnformat import to_roman
from db.dialect import savepoint
from db.models import Period

KINDS = ("quarter", "half", "nine_months", "year")
_CODE_RE = re.compile(r"^\s*(\d{4})\s*-\s*(Q[1-4]|H1|9M|Y)\s*$", re.IGNORECASE)


class PeriodCodeError(Refused):
    """An unknown period code; the message is Vietnamese."""


@dataclass(frozen=True)
class PeriodRules:
    """Per-unit settings: the last day of the data window and the due day (both in the last month)."""

    cutoff_day: int = 14
    due_day: int = 20


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    kind: str
    year: int
    number: int  # quarter number, else 1

    @property
    def first_month(self) -> int:
        return 3 * (self.number - 1) + 1 if self.kind == "quarter" else 1

    @property
    def last_month(self) -> int:
        return {"quarter": 3 * self.number, "half": 6, "nine_months": 9, "year": 12}[self.kind]

    @property
    def start_date(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end_date(self) -> date:
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def label(self) -> str:
        """"Quý I/2022", "6 tháng đầu năm 2022", "9 tháng năm 2022", "Năm 2022"."""
        if self.kind == "quarter":
            return f"Quý {to_roman(self.number)}/{self.year}"
        if self.kind == "half":
            return f"6 tháng đầu năm {self.year}"
        if self.kind == "nine_months":
            return f"9 tháng năm {self.year}"
        return f"Năm {self.year}"

    @property
    def title_phrase(self) -> str:
        """The phrase in a report title: "Quý I năm 2022", "6 tháng đầu năm 2022", "năm 2022"."""
        if self.kind == "quarter":
            return f"Quý {to_roman(self.number)} năm {self.year}"
        if self.kind == "year":
            return f"năm {self.year}"
        return self.label

    @property
    def next_phrase(self) -> str:
        """The period a report looks ahead to: "Quý II năm 2022", "6 tháng cuối năm 2021", "năm 2023"."""
        if self.kind == "quarter":
            return f"Quý {to_roman(self.number + 1)} năm {self.year}" if self.number < 4 else f"năm {self.year + 1}"
        if self.kind == "half":
            return f"6 tháng cuối năm {self.year}"
        if self.kind == "nine_months":
            return f"Quý IV năm {self.year}"
        return f"năm {self.year + 1}"

    def data_window(self, rules: PeriodRules | None = None) -> tuple[date, date]:
        """(first, last) day of data counted in this period."""
        rules = rules or PeriodRules()
        end = _day_in_month(self.year, self.last_month, rules.cutoff_day)
        # Q1, H1, 9M and the year all start counting right after the previous year's cut-off.
        first_month = self.first_month if self.kind == "quarter" else 1
        y, m = (self.year - 1, 12) if first_month == 1 else (self.year, first_month - 1)
        start_day = rules.cutoff_day + 1
        start = _day_in_month(y, m, start_day)
        return start, end

    def due_date(self, rules: PeriodRules | None = None) -> date:
        rules = rules or PeriodRules()
        return _day_in_month(self.year, self.last_month, rules.due_day)

    def window_text(self, rules: PeriodRules | None = None) -> str:
        """"Từ ngày 15/12/2020 đến ngày 14/6/2021" (the seed writes months without a leading zero)."""
        return window_words(*self.data_window(rules))

    def previous(self) -> PeriodSpec:
        """The same kind of period one step earlier (Q1 → previous Q4; H1/9M/Y → previous year)."""
        if self.kind == "quarter":
            if self.number == 1:
                return PeriodSpec(f"{self.year - 1}-Q4", "quarter", self.year - 1, 4)
            return PeriodSpec(f"{self.year}-Q{self.number - 1}", "quarter", self.year, self.number - 1)
        return parse_period_code(f"{self.year - 1}-{self.code.split('-')[1]}")


def window_words(start: date, end: date) -> str:
    """"Từ ngày 15/12/2020 đến ngày 14/6/2021": a data window as the screens and the seed write it."""
    return f"Từ ngày {_short(start)} đến ngày {_short(end)}"


def _short(d: date) -> str:
    return f"{d.day:02d}/{d.month}/{d.year}"


def _day_in_month(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def parse_period_code(code: str) -> PeriodSpec:
    """``"2022-Q1"`` → PeriodSpec. Accepts ``Q1..Q4``, ``H1``, ``9M``, ``Y`` (any case)."""
    m = _CODE_RE.match(code or "")
    if not m:
        raise PeriodCodeError(
            f"Mã kỳ báo cáo “{code}” không hợp lệ. Dùng dạng 2022-Q1…2022-Q4 (quý), "
            "2022-H1 (6 tháng đầu năm), 2022-9M (9 tháng) hoặc 2022-Y (năm)."
        )
    year, part = int(m.group(1)), m.group(2).upper()
    if part.startswith("Q"):
        return PeriodSpec(f"{year}-{part}", "quarter", year, int(part[1]))
    kind = {"H1": "half", "9M": "nine_months", "Y": "year"}[part]
    return PeriodSpec(f"{year}-{part}", kind, year, 1)


def spec_of(period: Period) -> PeriodSpec:
    return parse_period_code(period.code)


def ensure_period(session: Session, code: str) -> Period:
    """The Period row for ``code``, created if missing."""
    spec = parse_period_code(code)
    found = session.scalar(select(Period).where(Period.code == spec.code))
    if found:
        return found
    period = Period(
        code=spec.code,
        kind=spec.kind,
        year=spec.year,
        number=spec.number,
        start_date=spec.start_date,
        end_date=spec.end_date,
    )
    try:
        with savepoint(session):  # on a shared database someone may create it at the same moment
            session.add(period)
            session.flush()
    except IntegrityError:
        found = session.scalar(select(Period).where(Period.code == spec.code))
        if found is None:
            raise
        return found
    return period


def list_periods(session: Session) -> list[Period]:
    """Periods in the database, newest first."""
    return list(session.scalars(select(Period).order_by(Period.end_date.desc(), Period.code.desc())))


def standard_codes(year: int) -> list[str]:
    """The periods a unit reports on in a year, in calendar order."""
    return [f"{year}-Q1", f"{year}-H1", f"{year}-Q3", f"{year}-9M", f"{year}-Q4", f"{year}-Y"]


def period_choices(session: Session, today: date | None = None) -> list[PeriodSpec]:
    """The periods a user can pick, newest first: every standard period of this year, last year and
    any year that has periods or plans in the database (so an old plan's year-end report is reachable)."""
    from db.models import Plan

    today = today or date.today()
    years = {today.year, today.year - 1}
    years |= {p.year for p in list_periods(session)}
    for plan in session.scalars(select(Plan)):
        years |= set(range(plan.year_from, plan.year_to + 1))
    codes = {p.code for p in list_periods(session)}
    for year in years:
        codes |= set(standard_codes(year))
    return sorted((parse_period_code(c) for c in codes), key=lambda p: (p.end_date, p.kind != "quarter"),
                  reverse=True)
