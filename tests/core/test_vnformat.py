from datetime import date
from decimal import Decimal

import pytest

from core.vnformat import (
    NumberParseError,
    format_date,
    format_date_long,
    format_number,
    format_percent,
    format_rate,
    format_ratio_sentence,
    from_roman,
    nfc,
    parse_number,
    round_rate,
    to_roman,
)


@pytest.mark.parametrize(
    "value, text",
    [(4156, "4.156"), (1964, "1.964"), (26407, "26.407"), (72.8, "72,8"), (69.13, "69,13"), (100, "100"),
     (0, "0"), (1000000, "1.000.000"), (-1234.5, "-1.234,5"), (None, "")],
)
def test_format_number_vietnamese(value, text):
    assert format_number(value) == text


def test_percent_and_ratio_sentences_follow_the_seed():
    assert format_percent(28.945) == "28,95%"
    assert format_percent(50) == "50%"
    # One rule: half up (issue 11); a unit may choose truncation, as seed 004 prints 11/38 as 28,94%.
    assert format_ratio_sentence(11, 38) == "11/38 (đạt 28,95%)"
    assert format_ratio_sentence(11, 38, rule="truncate") == "11/38 (đạt 28,94%)"
    assert format_rate(25, 35) == "71,43%" and format_rate(25, 35, "truncate") == "71,42%"
    assert format_rate(19, 39) == "48,72%" and format_rate(15, 17) == "88,24%"
    assert format_percent(28.945, rule="truncate") == "28,94%"
    assert round_rate(71.42857142857143) == Decimal("71.43")
    assert round_rate(71.42857142857143, "truncate") == Decimal("71.42")
    assert format_ratio_sentence(7, 14, pad=True) == "07/14 (đạt 50%)"
    assert format_ratio_sentence(183, 220) == "183/220 (đạt 83,18%)"
    assert format_ratio_sentence(15, 17) == "15/17 (đạt 88,24%)"
    assert format_ratio_sentence(0, 0) == "0/0 (đạt 0%)"


@pytest.mark.parametrize(
    "text, value",
    [("3.133", Decimal(3133)), ("72,8", Decimal("72.8")), ("1.000.000", Decimal(1000000)), ("0", Decimal(0)),
     (" 13 ", Decimal(13)), ("100%", Decimal(100)), ("-5", Decimal(-5)), (12, Decimal(12)), (0.5, Decimal("0.5"))],
)
def test_parse_number_vietnamese(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_is_no_data_not_zero(blank):
    assert parse_number(blank) is None


@pytest.mark.parametrize("bad", ["abc", "12a", "1.23", "1,2,3", "7,2.5", ".", True])
def test_parse_number_rejects_with_vietnamese_message(bad):
    with pytest.raises(NumberParseError) as exc:
        parse_number(bad)
    assert "số" in str(exc.value)


def test_dates_and_roman_numerals():
    assert format_date(date(2021, 6, 14)) == "14/06/2021"
    assert format_date_long(date(2022, 1, 5), "Gia Lai") == "Gia Lai, ngày 05 tháng 01 năm 2022"
    assert [to_roman(n) for n in (1, 4, 7, 9, 14)] == ["I", "IV", "VII", "IX", "XIV"]
    assert from_roman("vii") == 7 and from_roman("IIII") is None and from_roman("Cải") is None


def test_nfc_normalises_decomposed_text():
    decomposed = "Hoa\u0300n tha\u0300nh"
    assert nfc(decomposed) == "Hoàn thành"


@pytest.mark.parametrize("day, text", [
    (date(2022, 1, 5), "ngày 05 tháng 01 năm 2022"),
    (date(2021, 6, 15), "ngày 15 tháng 6 năm 2021"),
    (date(2021, 2, 28), "ngày 28 tháng 02 năm 2021"),
    (date(2021, 3, 9), "ngày 09 tháng 3 năm 2021"),
    (date(2021, 12, 31), "ngày 31 tháng 12 năm 2021"),
    (date(2021, 10, 1), "ngày 01 tháng 10 năm 2021"),
])
def test_date_line_pads_days_under_10_and_months_1_and_2_only(day, text):
    """Decree 30/2020/NĐ-CP: "ngày 05 tháng 01", "ngày 15 tháng 6" (never "tháng 06")."""
    assert format_date_long(day) == text
    assert format_date_long(day, "Gia Lai") == f"Gia Lai, {text}"


def test_an_unknown_rounding_rule_is_a_programming_error():
    with pytest.raises(ValueError):
        format_percent(1.5, rule="ROUND_DOWN")
