"""Per-unit settings: period rules (Decree 09/2019 defaults, overrides, inheritance) and report header."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.org.settings import (
    SettingError,
    all_settings,
    get_setting,
    period_rules_for,
    report_header_for,
    set_setting,
    set_settings,
)
from core.org.units import get_unit
from core.periods import PeriodRules, parse_period_code
from db.models import AuditEntry, UnitSetting
from tests.helpers.returns_helpers import COMMUNE, PROVINCE, db_fixture


@pytest.fixture
def db(tmp_path):
    yield from db_fixture(tmp_path)


@pytest.mark.parametrize(
    ("code", "start", "end", "due"),
    [
        ("2021-Q1", date(2020, 12, 15), date(2021, 3, 14), date(2021, 3, 20)),
        ("2021-H1", date(2020, 12, 15), date(2021, 6, 14), date(2021, 6, 20)),
        ("2021-Q2", date(2021, 3, 15), date(2021, 6, 14), date(2021, 6, 20)),
        ("2021-Q3", date(2021, 6, 15), date(2021, 9, 14), date(2021, 9, 20)),
        ("2021-9M", date(2020, 12, 15), date(2021, 9, 14), date(2021, 9, 20)),
        ("2021-Q4", date(2021, 9, 15), date(2021, 12, 14), date(2021, 12, 20)),
        ("2021-Y", date(2020, 12, 15), date(2021, 12, 14), date(2021, 12, 20)),
    ],
)
def test_decree_09_windows_and_due_dates(code, start, end, due):
    spec = parse_period_code(code)
    assert spec.data_window(PeriodRules()) == (start, end)
    assert spec.due_date(PeriodRules()) == due


def test_window_text_is_written_as_the_report_writes_it():
    assert parse_period_code("2021-H1").window_text() == "Từ ngày 15/12/2020 đến ngày 14/6/2021"


def test_defaults_follow_decree_09(db):
    with db.session() as s:
        unit = get_unit(s, PROVINCE)
        assert period_rules_for(s, unit) == PeriodRules(14, 20)
        assert get_setting(s, unit, "report.recipients") == []


def test_override_changes_the_window_and_due_date(db):
    with db.transaction() as s:
        unit = get_unit(s, PROVINCE)
        assert set_settings(s, unit, {"period.cutoff_day": "10", "period.due_day": 25}) == [
            "period.cutoff_day", "period.due_day"]
    with db.session() as s:
        rules = period_rules_for(s, get_unit(s, PROVINCE))
    spec = parse_period_code("2021-H1")
    assert spec.window_text(rules) == "Từ ngày 11/12/2020 đến ngày 10/6/2021"
    assert spec.due_date(rules) == date(2021, 6, 25)


def test_period_rules_are_inherited_by_lower_units_until_they_set_their_own(db):
    with db.transaction() as s:
        set_setting(s, get_unit(s, PROVINCE), "period.cutoff_day", 12)
    with db.session() as s:
        assert period_rules_for(s, get_unit(s, COMMUNE)) == PeriodRules(12, 20)
    with db.transaction() as s:
        set_setting(s, get_unit(s, COMMUNE), "period.cutoff_day", 8)
    with db.session() as s:
        assert period_rules_for(s, get_unit(s, COMMUNE)) == PeriodRules(8, 20)
        assert period_rules_for(s, get_unit(s, PROVINCE)) == PeriodRules(12, 20)
    with db.transaction() as s:  # blank goes back to the inherited value
        set_setting(s, get_unit(s, COMMUNE), "period.cutoff_day", "")
    with db.session() as s:
        assert period_rules_for(s, get_unit(s, COMMUNE)) == PeriodRules(12, 20)


def test_header_details_are_not_inherited(db):
    with db.transaction() as s:
        set_setting(s, get_unit(s, PROVINCE), "report.place", "Gia Lai")
    with db.session() as s:
        assert get_setting(s, get_unit(s, COMMUNE), "report.place") == ""


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"period.cutoff_day": 0}, "từ 1 đến 28"),
        ({"period.cutoff_day": 29}, "từ 1 đến 28"),
        ({"period.cutoff_day": "mười"}, "không phải là số nguyên"),
        ({"period.due_day": 14}, "phải sau ngày chốt số liệu"),
        ({"period.cutoff_day": 20, "period.due_day": 18}, "phải sau ngày chốt số liệu"),
        ({"report.title_prefix": "TT."}, "TM., KT., Q., TL., TUQ."),
        ({"report.tieu_de": "x"}, "Không có mục cài đặt"),
        ({"inspection.planned_units": 14}, "cần kèm năm"),
        ({"report.place": "Gia Lai", "period.due_day": 99}, "từ 1 đến 31"),
        # issue 15: a day that does not exist is named as such, not as a bad format
        ({"report.issue_date": "31/02/2021"}, "“31/02/2021” tháng 2 năm 2021 không có ngày 31 (tháng này có 28 ngày)"),
        ({"period.cutoff_day": 40, "report.issue_date": "29/02/2023"},
         "Chưa lưu vì:\n- Ngày chốt số liệu (trong tháng cuối kỳ): phải từ 1 đến 28, không nhận 40."),
        ({"report.issue_date": "2021-06-18"}, "không phải là ngày dạng dd/mm/yyyy"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(db, values, fragment):
    with db.transaction() as s:
        with pytest.raises(SettingError) as exc:
            set_settings(s, get_unit(s, PROVINCE), values)
        assert fragment in str(exc.value)
    with db.session() as s:
        assert s.scalars(select(UnitSetting)).all() == []


def test_changes_are_audited(db):
    with db.transaction() as s:
        set_setting(s, get_unit(s, PROVINCE), "report.signer_name", "Đỗ Tiến Đông", user="nva")
        assert set_setting(s, get_unit(s, PROVINCE), "report.signer_name", " Đỗ  Tiến Đông ") is False
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "setting")).one()
        assert (entry.user, entry.field, entry.old_value, entry.new_value) == (
            "nva", "report.signer_name", None, "Đỗ Tiến Đông")


def test_report_header_of_the_seed_report(db):
    with db.transaction() as s:
        set_settings(s, get_unit(s, PROVINCE), {
            "report.issuing_body": "Ủy ban nhân dân tỉnh Gia Lai",
            "report.document_number": "Số: 25/BC-UBND",
            "report.place": "Gia Lai",
            "report.title_prefix": "KT.",
            "report.collective_body": "Ủy ban nhân dân",
            "report.head_title": "Chủ tịch",
            "report.position": "Phó Chủ tịch",
            "report.signer_name": "Đỗ Tiến Đông",
            "report.recipients": ["Bộ Nội vụ"],
            "report.distribution": "Như trên;\nChính phủ;\nTT. Tỉnh ủy; TT. HĐND tỉnh;\n\nLưu: VT, HCQT, NC.",
        })
    with db.session() as s:
        header = report_header_for(s, get_unit(s, PROVINCE))
    assert header.document_number == "25/BC-UBND"
    assert header.signature_lines() == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Tiến Đông")
    assert header.recipients == ["Bộ Nội vụ"]
    assert header.distribution == ["Như trên;", "Chính phủ;", "TT. Tỉnh ủy; TT. HĐND tỉnh;", "Lưu: VT, HCQT, NC."]
    assert header.missing == []


@pytest.mark.parametrize(
    ("prefix", "collective", "expected"),
    [
        ("TM.", "Ủy ban nhân dân", ("TM. ỦY BAN NHÂN DÂN", "", "CHỦ TỊCH")),
        ("", "", ("", "", "CHỦ TỊCH")),
        ("Q.", "", ("", "Q. CHỦ TỊCH", "CHỦ TỊCH")),
        ("TUQ.", "", ("", "TUQ. CHỦ TỊCH", "CHỦ TỊCH")),
    ],
)
def test_signature_prefixes(db, prefix, collective, expected):
    with db.transaction() as s:
        set_settings(s, get_unit(s, PROVINCE), {"report.title_prefix": prefix, "report.collective_body": collective,
                                                "report.head_title": "Chủ tịch", "report.position": "Chủ tịch"})
        assert report_header_for(s, get_unit(s, PROVINCE)).signature_lines()[:3] == expected


def test_missing_header_details_are_listed(db):
    with db.session() as s:
        missing = report_header_for(s, get_unit(s, PROVINCE)).missing
    assert "Họ và tên người ký" in missing and "Kính gửi" in missing


def test_per_year_setting(db):
    with db.transaction() as s:
        set_setting(s, get_unit(s, PROVINCE), "inspection.planned_units.2021", "14")
    with db.session() as s:
        unit = get_unit(s, PROVINCE)
        assert get_setting(s, unit, "inspection.planned_units.2021") == 14
        assert get_setting(s, unit, "inspection.planned_units.2022") is None
        assert all_settings(s, unit)["inspection.planned_units.2021"] == 14
