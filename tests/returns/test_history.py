"""A unit's history beside each value: the last periods and the same period of earlier years; the outlier
rule compares a value with that history (a year's figure with earlier years' figures, not with quarters)."""

from __future__ import annotations

from datetime import date

import pytest

from core.org.units import get_unit, link_predecessors
from core.returns.entry import apply_edits, open_return
from core.returns.history import indicator_history, trend_table
from db.models import Unit
from tests.helpers.returns_helpers import PROVINCE, db_fixture


@pytest.fixture
def db(tmp_path):
    yield from db_fixture(tmp_path)


def _enter(s, values: dict[str, str], code: str = "3.1.1", unit: str = PROVINCE):
    report = None
    for period, v in values.items():
        ret = open_return(s, unit, period)
        report = apply_edits(s, ret.id, [(code, v)]).report
    return report


def _history_notices(report):
    return [p for p in report.problems if p.kind == "history"]


def test_a_years_figure_is_compared_with_earlier_years_not_with_quarters(db):
    with db.transaction() as s:
        # Quarters of about 10 cases, years of about 120 (cumulative).
        _enter(s, {"2020-Y": "120", "2021-Y": "130", "2022-Y": "110", "2022-Q4": "10", "2023-Q1": "10",
                   "2023-Q2": "10", "2023-Q3": "10"})
        # The last four returns (10, 10, 10 and 110) have a median of 10: 125 > 10 × 10 would be flagged.
        # The same period of earlier years (110, 130, 120) has a median of 120: 125 is ordinary.
        assert _history_notices(_enter(s, {"2023-Y": "125"})) == []
        # 1.250 is more than 10 × 120: flagged, against the earlier years, named.
        (p,) = _history_notices(_enter(s, {"2023-Y": "1.250"}))
        assert "trung vị 3 năm trước (cùng kỳ) là 120" in p.message
        assert "cùng kỳ các năm trước: 110, 130, 120" in p.message and p.severity == "notice"


def test_side_panel_history_last_periods_and_same_period_of_earlier_years(db):
    with db.transaction() as s:
        _enter(s, {"2021-Q2": "5", "2021-H1": "9", "2022-Q1": "4", "2022-H1": "KPS", "2023-Q1": "6", "2023-H1": "8"})
        h = indicator_history(s, PROVINCE, "3.1.1", "2023-H1")
        assert [(p.period.code, p.value) for p in h.recent] == [
            ("2021-Q2", 5), ("2021-H1", 9), ("2022-Q1", 4), ("2022-H1", "Không phát sinh"), ("2023-Q1", 6)]
        assert [(p.period.code, p.display) for p in h.same_period] == [("2021-H1", "9"), ("2022-H1", "Không phát sinh")]
        assert h.numbers() == [5.0, 9.0, 4.0, 6.0]  # "Không phát sinh" is not a number


def test_a_merged_commune_sees_its_predecessors_earlier_values(db):
    with db.transaction() as s:
        province = get_unit(s, PROVINCE)
        s.add_all([Unit(code="A", name="UBND xã A", level="xa", parent=province, valid_to=date(2025, 6, 30)),
                   Unit(code="C", name="UBND xã C", level="xa", parent=province, valid_from=date(2025, 7, 1))])
        s.flush()
        link_predecessors(s, get_unit(s, "C"), [get_unit(s, "A")], date(2025, 7, 1))
        _enter(s, {"2024-Y": "40", "2025-Q1": "12"}, code="2.1", unit="A")
        _enter(s, {"2025-Q3": "15"}, code="2.1", unit="C")
        table = trend_table(s, "C", ["2.1"])
        assert [(p.code, table.point("2.1", p.code).value) for p in table.periods] == [
            ("2024-Y", 40), ("2025-Q1", 12), ("2025-Q3", 15)]
