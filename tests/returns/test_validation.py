"""Validation: types and ranges, the form's rules with their importance, plan overrides, history."""

from __future__ import annotations

import pytest

from core.periods import ensure_period
from core.returns.entry import apply_edits, open_return
from core.returns.store import indicators_by_code, store_value
from core.returns.validation import (
    HISTORY_FACTOR,
    CellValue,
    check_values,
    history_problem,
    validate_return,
)
from core.values import ParsedValue
from tests.helpers.returns_helpers import PROVINCE, db_fixture, seed_rows


@pytest.fixture
def db(tmp_path):
    yield from db_fixture(tmp_path)


def _filled(s, period="2021-H1", changes=None, notes=None):
    ret = open_return(s, PROVINCE, period)
    changes, notes = changes or {}, notes or {}
    edits = [(c, changes.get(c, v), notes.get(c, n) or None) for c, v, n in seed_rows()]
    result = apply_edits(s, ret.id, edits)
    assert result.applied, result.errors
    return ret, result.report


def _codes(report):
    return [(p.severity, p.codes) for p in report.problems]


def test_the_seed_appendix_validates_clean(db):
    with db.transaction() as s:
        _, report = _filled(s)
        assert report.problems == []
        assert report.can_submit


def test_completed_above_planned_is_an_error_naming_both_codes(db):
    with db.transaction() as s:
        _, report = _filled(s, changes={"1.1.2": "40"})
    (p,) = report.problems
    assert (p.severity, p.codes, p.rule_id) == ("error", ("1.1.2", "1.1.1"), "le-1.1.2-1.1.1")
    assert p.message.startswith("Chỉ tiêu 1.1.2 (40) lớn hơn chỉ tiêu 1.1.1 (38).")
    assert p.blocking and not report.can_submit


def test_a_part_above_its_total(db):
    with db.transaction() as s:
        _, report = _filled(s, changes={"3.1.3.a": "2.494"})
    kinds = {(p.kind, p.codes[0]) for p in report.errors}
    assert ("breakdown", "3.1.3.a") in kinds  # the part is named first, so the panel jumps to it
    assert ("rule", "3.1.3") in kinds
    part = next(p for p in report.errors if p.kind == "breakdown")
    assert part.codes == ("3.1.3.a", "3.1.3")
    assert "Chỉ tiêu 3.1.3.a (2.494) lớn hơn tổng của nó là chỉ tiêu 3.1.3 (1.964)" in part.message


def test_trong_do_parts_must_add_up_to_the_total(db):
    with db.transaction() as s:
        _, report = _filled(s, changes={"3.1.3.c": "170"})
    (p,) = report.problems
    assert p.codes == ("3.1.3", "3.1.3.a", "3.1.3.b", "3.1.3.c")
    assert "Chỉ tiêu 3.1.3 = 1.964 nhưng 3.1.3.a + 3.1.3.b + 3.1.3.c = 1.961" in p.message


def test_a_partial_breakdown_is_only_checked_against_its_total(db):
    with db.transaction() as s:
        _, report = _filled(s, changes={"3.1.3.c": ""})
        assert report.problems == []
        _, report = _filled(s, changes={"3.1.3.c": "", "3.1.3.a": "1.800"})
    (p,) = [p for p in report.problems if p.kind == "rule"]
    assert p.codes == ("3.1.3", "3.1.3.a", "3.1.3.b") and "lớn hơn chỉ tiêu 3.1.3" in p.message


def test_two_percentages_over_100_together(db):
    with db.transaction() as s:
        _, report = _filled(s, changes={"7.6.2.b": "4"})
    (p,) = report.problems
    assert (p.severity, p.codes, p.rule_id) == ("error", ("7.6.2.a", "7.6.2.b"), "sumle100-7.6.2")


def test_a_warning_blocks_until_a_value_involved_has_a_note(db):
    with db.transaction() as s:
        ret, report = _filled(s, changes={"3.2.2": "2.000"})
        (p,) = report.problems
        assert (p.severity, p.codes, p.resolved, p.blocking) == ("warning", ("3.2.2", "3.2.1"), False, True)
        assert "Nếu số liệu đúng, hãy ghi chú giải thích." in p.message
        assert not report.can_submit
        report = apply_edits(s, ret.id, [("3.2.1", "1.850", "Số liệu Cổng DVC quốc gia chưa cập nhật")]).report
        (p,) = report.problems
        assert p.resolved and not p.blocking and report.can_submit


def test_blank_is_not_zero(db):
    with db.transaction() as s:
        ret, report = _filled(s, changes={"1.1.1": ""})
        assert report.problems == []  # 1.1.2 cannot be compared with "no data"
        report = apply_edits(s, ret.id, [("1.1.1", "0")]).report
        assert _codes(report) == [("error", ("1.1.2", "1.1.1"))]


def test_values_stored_by_other_paths_are_type_and_range_checked(db):
    """Consolidation and imports write through store_value; validation still catches a bad value."""
    with db.transaction() as s:
        ret, _ = _filled(s)
        inds = indicators_by_code(s, ret.template_id)
        store_value(s, ret, inds["3.4.2"], ParsedValue(172.8, None), source="consolidated")
        store_value(s, ret, inds["7.3"], ParsedValue(5.0, None), source="consolidated")
        store_value(s, ret, inds["2.1"], ParsedValue(17.5, None), source="consolidated")
        report = validate_return(s, ret)
    found = {p.codes[0]: p for p in report.errors}
    assert set(found) == {"3.4.2", "7.3", "2.1"}
    assert "tỷ lệ phần trăm phải từ 0 đến 100, không nhận 172,8%" in found["3.4.2"].message
    assert "không thuộc danh sách mã trả lời (Chưa = 0 / Đang làm = 1 / Hoàn thành = 2)" in found["7.3"].message
    assert "phải là số nguyên" in found["2.1"].message


def test_a_plan_value_overridden_without_a_note_is_a_warning(db):
    with db.transaction() as s:
        ret, _ = _filled(s)
        inds = indicators_by_code(s, ret.template_id)
        store_value(s, ret, inds["1.1.2"], ParsedValue(12.0, None), source="manual", source_value=11.0,
                    source_detail="Từ Kế hoạch 751/QĐ-UBND: 11/38 nhiệm vụ hoàn thành đến 14/6/2021")
        (p,) = validate_return(s, ret).problems
        assert (p.severity, p.kind, p.codes, p.blocking) == ("warning", "plan", ("1.1.2",), True)
        assert "khác với số liệu lấy từ Kế hoạch là 11 (Từ Kế hoạch 751/QĐ-UBND" in p.message


# ---------------------------------------------------------------- history


@pytest.mark.parametrize(
    ("value", "past", "flagged"),
    [
        (1500, [100, 120, 110, 90], True),  # an extra digit
        (1050, [100, 120, 110, 90], False),  # under 10× the median (105)
        (5, [100, 120, 110, 90], True),  # a digit dropped
        (0, [100, 120, 110, 90], True),  # zero for a steady count
        (0, [5, 3, 4, 6], False),  # small counts swing to 0 for real
        (11, [0, 1, 0, 0], True),  # 10 × max(median, 1)
        (9, [0, 1, 0, 0], False),
        (5000, [100], False),  # one past value is not a history
    ],
)
def test_history_rule(value, past, flagged):
    p = history_problem("3.1.1", value, past)
    assert (p is not None) == flagged
    if p:
        assert (p.severity, p.kind, p.codes, p.blocking) == ("notice", "history", ("3.1.1",), False)


def test_history_uses_the_units_previous_returns_and_does_not_block(db):
    with db.transaction() as s:
        for code, new in (("2020-Q2", "80"), ("2020-Q3", "70"), ("2020-Q4", "75"), ("2021-Q1", "90")):
            ensure_period(s, code)
            ret = open_return(s, PROVINCE, code)
            apply_edits(s, ret.id, [("3.1.1", new)])
        ret, report = _filled(s, changes={"3.1.1": "750"})
        assert report.problems == []  # under 10 × 77,5
        report = apply_edits(s, ret.id, [("3.1.1", "7.500")]).report
        (p,) = report.problems
        assert p.kind == "history" and p.codes == ("3.1.1",) and report.can_submit
        assert f"lớn hơn {HISTORY_FACTOR} lần" in p.message and "trung vị 4 kỳ trước là 77,5" in p.message


def test_check_values_is_pure_and_orders_errors_first(db):
    with db.session() as s:
        from core.forms import current_template

        tpl = current_template(s)
        values = {"3.2.1": CellValue(10.0), "3.2.2": CellValue(20.0), "1.1.1": CellValue(1.0), "1.1.2": CellValue(2.0)}
        report = check_values(tpl.indicators, tpl.rules, values)
    assert [p.severity for p in report.problems] == ["error", "warning"]
    assert report.summary() == "1 lỗi, 1 cảnh báo (1 chưa có ghi chú)."
    assert report.as_dict()["can_submit"] is False
