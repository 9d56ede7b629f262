from datetime import date

import pytest

from core.periods import PeriodCodeError, PeriodRules, ensure_period, parse_period_code


@pytest.mark.parametrize(
    "code, label, start, end, due",
    [
        ("2022-Q1", "Quý I/2022", date(2021, 12, 15), date(2022, 3, 14), date(2022, 3, 20)),
        ("2021-H1", "6 tháng đầu năm 2021", date(2020, 12, 15), date(2021, 6, 14), date(2021, 6, 20)),
        ("2021-Q3", "Quý III/2021", date(2021, 6, 15), date(2021, 9, 14), date(2021, 9, 20)),
        ("2021-9M", "9 tháng năm 2021", date(2020, 12, 15), date(2021, 9, 14), date(2021, 9, 20)),
        ("2021-Y", "Năm 2021", date(2020, 12, 15), date(2021, 12, 14), date(2021, 12, 20)),
        ("2022-q4", "Quý IV/2022", date(2022, 9, 15), date(2022, 12, 14), date(2022, 12, 20)),
    ],
)
def test_decree_09_windows_and_due_dates(code, label, start, end, due):
    spec = parse_period_code(code)
    assert spec.label == label
    assert spec.data_window() == (start, end)
    assert spec.due_date() == due


def test_window_text_as_the_report_writes_it():
    assert parse_period_code("2021-H1").window_text() == "Từ ngày 15/12/2020 đến ngày 14/6/2021"


def test_unit_rules_override_cutoff_and_due_day():
    rules = PeriodRules(cutoff_day=10, due_day=15)
    spec = parse_period_code("2022-Q2")
    assert spec.data_window(rules) == (date(2022, 3, 11), date(2022, 6, 10))
    assert spec.due_date(rules) == date(2022, 6, 15)


@pytest.mark.parametrize("bad", ["2022-Q5", "Q1-2022", "2022", "", "2022-H2"])
def test_bad_period_codes_are_refused_in_vietnamese(bad):
    with pytest.raises(PeriodCodeError, match="Mã kỳ báo cáo"):
        parse_period_code(bad)


def test_ensure_period_is_idempotent(db_path):
    from db.engine import open_database

    db = open_database(db_path)
    try:
        with db.transaction() as s:
            a = ensure_period(s, "2022-Q1")
            b = ensure_period(s, "2022-q1")
            assert a.id == b.id and a.start_date == date(2022, 1, 1) and a.end_date == date(2022, 3, 31)
    finally:
        db.close()


def test_period_choices_reach_every_year_with_a_plan(demo_db):
    from core.periods import period_choices

    with demo_db.session() as s:
        codes = [p.code for p in period_choices(s, today=date(2026, 11, 24))]
    assert {"2021-Q1", "2021-H1", "2021-Q3", "2021-9M", "2021-Q4", "2021-Y"} <= set(codes)  # the demo plan's year
    assert "2026-Q4" in codes and "2025-Y" in codes and "2024-Y" not in codes
    assert codes.index("2021-Y") < codes.index("2021-Q4") < codes.index("2021-Q3")  # newest first
