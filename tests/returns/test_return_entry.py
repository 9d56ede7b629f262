"""The entry grid's services: rows with their state, and batches of edits that are all-or-nothing and undoable."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.errors import NotFound, Refused
from core.returns.entry import Edit, apply_edits, grid_rows, open_return
from core.returns.store import ReturnLockedError, submit, values_by_code
from db.models import AuditEntry, IndicatorValue
from tests.helpers.returns_helpers import PROVINCE, db_fixture, seed_rows, with_kps


@pytest.fixture
def db(tmp_path):
    yield from db_fixture(tmp_path)


def _state(s, ret):
    return {c: (v.value_num, v.value_text, v.note, v.source) for c, v in values_by_code(s, ret).items()}


def _audit_count(s):
    return s.scalar(select(func.count()).select_from(AuditEntry))


def test_rows_show_headings_values_notes_and_the_previous_period(db):
    with db.transaction() as s:
        q1 = open_return(s, PROVINCE, "2021-Q1")
        apply_edits(s, q1.id, [("3.1.1", "12"), ("7.3", "1")])
        q2 = open_return(s, PROVINCE, "2021-Q2")
        apply_edits(s, q2.id, [("3.1.1", "0", "Không phát sinh"), ("7.3", "Hoàn thành"), ("3.4.2", "72,8")])
        rows = {r.code: r for r in grid_rows(s, q2.id)}
    heading = rows["3.1"]
    assert heading.is_heading and not heading.editable and heading.value_display == ""
    r = rows["3.1.1"]
    assert (r.value_display, r.note, r.previous_display, r.unit_label, r.editable) == ("0", "Không phát sinh", "12",
                                                                                         "Thủ tục", True)
    assert (r.source, r.source_label) == ("manual", "Nhập tay")
    assert rows["3.1.2"].value_display == "" and rows["3.1.2"].number is None  # blank is not 0
    assert rows["7.3"].value_label == "2 – Hoàn thành" and rows["7.3"].previous_display == "1"
    assert rows["7.3"].choices == ((0, "Chưa"), (1, "Đang làm"), (2, "Hoàn thành"))
    assert rows["3.4.2"].value_display == "72,8"
    assert rows["3.1.3.a"].breakdown and rows["3.1.3.a"].depth == 3
    assert rows["1"].depth == 0 and rows["1.1.1"].depth == 2


def test_rows_carry_their_problems(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        apply_edits(s, ret.id, [("1.1.1", "10"), ("1.1.2", "12"), ("3.2.1", "5"), ("3.2.2", "9")])
        rows = {r.code: r for r in grid_rows(s, ret.id)}
    assert rows["1.1.2"].severity == "error" and rows["1.1.1"].severity == "error"
    assert rows["3.2.2"].severity == "warning"
    assert rows["2.1"].severity is None and rows["2.1"].problems == ()


def test_the_seed_appendix_pastes_in_one_batch(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        result = apply_edits(s, ret.id, [(c, v, n or None) for c, v, n in seed_rows()])
        assert result.applied and len(result.changes) == len(seed_rows())
        state = _state(s, ret)
    assert state["1.4.1"][0] == 3133 and state["3.4.2"][0] == 72.8 and state["4.3.1"][0] == 26407
    assert state["3.1.2"][2] == "Sửa đổi, bổ sung 53 TTHC; bãi bỏ 89 TTHC"
    assert state["3.4.5.c"][:2] == (None, None) and state["7.6.2"][:2] == (None, None)  # blank in the seed: no data
    assert state["7.6.2"][2] == "Báo cáo gốc để trống ô này"  # … with a note saying so


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (("2.4", "1x"), "Chỉ tiêu 2.4: “1x” không phải là số."),
        (("7.3", "5"), "Chỉ tiêu 7.3: “5” không thuộc danh sách mã trả lời"),
        (("1.5", "Có lẽ"), "Chỉ tiêu 1.5: “Có lẽ” không thuộc danh sách mã trả lời (Không = 0 / Có = 1)"),
        (("3.4.2", "172,8"), "Chỉ tiêu 3.4.2: tỷ lệ phần trăm phải từ 0 đến 100, không nhận 172,8%."),
        (("3.4.2", "-1"), "tỷ lệ phần trăm phải từ 0 đến 100"),
        (("2.4", "-3"), "Chỉ tiêu 2.4: số lượng không được âm"),
        (("2.4", "17,5"), "Chỉ tiêu 2.4: phải là số nguyên"),
        (("1.4.1", "3.13"), "Chỉ tiêu 1.4.1: “3.13” không phải là số viết đúng cách"),
        (("9.9", "1"), "Biểu mẫu không có chỉ tiêu mã “9.9”."),
        (("3.1", "1"), "Chỉ tiêu 3.1 là dòng tiêu đề nhóm"),
        (("3.4.4", "1"), "Chỉ tiêu 3.4.4 là dòng tiêu đề nhóm"),
        (("2.2", "8"), "Chỉ tiêu 2.2 xuất hiện hai lần (ô thứ 2 và 4)"),
    ],
)
def test_a_bad_cell_stores_nothing_from_the_batch(db, edit, fragment):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        apply_edits(s, ret.id, [("2.1", "5")])
        before, audits = _state(s, ret), _audit_count(s)
        result = apply_edits(s, ret.id, [("2.1", "17"), ("2.2", "8"), ("2.3", "94"), edit])
        assert not result.applied and result.changes == []
        (err,) = result.errors
        assert fragment in err.message and err.index == 3
        assert _state(s, ret) == before and _audit_count(s) == audits


def test_excel_cells_arrive_as_numbers(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        result = apply_edits(s, ret.id, [("1.4.1", 3133), ("3.4.2", 72.8), ("7.3", 2.0), ("1.5", True)])
        assert result.applied
        state = _state(s, ret)
    assert (state["1.4.1"][0], state["3.4.2"][0], state["7.3"][0], state["1.5"][0]) == (3133, 72.8, 2, 1)


def test_undo_and_redo_restore_values_notes_and_sources(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        apply_edits(s, ret.id, [("2.1", "17", "ghi chú cũ"), ("2.2", "8")])
        before = _state(s, ret)
        result = apply_edits(s, ret.id, [("2.1", "18", "ghi chú mới"), ("2.2", ""), ("2.3", "94")])
        changed = {c.code: (c.old_display, c.new_display) for c in result.changes}
        assert changed == {"2.1": ("17", "18"), "2.2": ("8", ""), "2.3": ("", "94")}
        undo = apply_edits(s, ret.id, result.inverse())
        assert undo.applied
        after_undo = _state(s, ret)
        assert {c: v for c, v in after_undo.items() if v[0] is not None} == before
        apply_edits(s, ret.id, result.redo_edits())
        assert _state(s, ret)["2.1"] == (18, None, "ghi chú mới", "manual")
        assert _state(s, ret)["2.3"][0] == 94


def test_note_only_edits_and_note_semantics(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        apply_edits(s, ret.id, [("2.1", "17", "ghi chú")])
        apply_edits(s, ret.id, [("2.1", "18", None)])  # a None note in a tuple keeps the note
        assert _state(s, ret)["2.1"][:3] == (18, None, "ghi chú")
        apply_edits(s, ret.id, [Edit("2.1", note="ghi  chú\u00a0 mới ")])  # only the note
        assert _state(s, ret)["2.1"][:3] == (18, None, "ghi chú mới")
        apply_edits(s, ret.id, [("2.1", "18", "")])  # "" removes it
        assert _state(s, ret)["2.1"][2] is None


def test_every_change_is_audited_with_old_and_new(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        apply_edits(s, ret.id, [("3.4.2", "72,8")], user="nva")
        apply_edits(s, ret.id, [("3.4.2", "73", "đã rà soát")], user="ttb")
        rows = s.scalars(select(AuditEntry).where(AuditEntry.field == "3.4.2").order_by(AuditEntry.id)).all()
    assert [(a.user, a.entity, a.old_value, a.new_value) for a in rows] == [
        ("nva", "value", "(trống)", "72,8"),
        ("ttb", "value", "72,8", "73"),
        ("ttb", "note", None, "đã rà soát"),
    ]


def test_a_submitted_return_refuses_edits(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        apply_edits(s, ret.id, list(with_kps("tinh", {"2.1": "17"}).items()))
        submit(s, ret)
        with pytest.raises(ReturnLockedError, match="Đã hoàn thành"):
            apply_edits(s, ret.id, [("2.1", "18")])
        assert _state(s, ret)["2.1"][0] == 17
        rows = grid_rows(s, ret.id)
    assert not any(r.editable for r in rows)


def test_blank_cells_do_not_create_rows(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        result = apply_edits(s, ret.id, [("2.1", ""), ("2.2", None)])
        assert result.applied and result.changes == []
        assert s.scalar(select(func.count()).select_from(IndicatorValue)) == 0


def test_malformed_edits_are_refused(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2021-H1")
        result = apply_edits(s, ret.id, [Edit("2.1", "17", source="đoán")])
        assert not result.applied and "Nguồn số liệu “đoán” không hợp lệ" in result.errors[0].message
        with pytest.raises(Refused, match="mã chỉ tiêu, giá trị"):
            apply_edits(s, ret.id, [("2.1",)])
        with pytest.raises(NotFound, match="Không có báo cáo số 999"):
            apply_edits(s, 999, [("2.1", "17")])
        with pytest.raises(NotFound):
            grid_rows(s, 999)
        assert values_by_code(s, ret) == {}
