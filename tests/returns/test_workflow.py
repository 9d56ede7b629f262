"""Workflow Nháp → Đã hoàn thành and the audit log per return and per value."""

from __future__ import annotations

import pytest

from core.errors import Refused
from core.returns.entry import apply_edits, open_return
from core.returns.store import ReturnLockedError, SubmitRefusedError, set_value
from core.returns.workflow import audit_for_return, audit_for_value, reopen_return, submit_return
from tests.helpers.returns_helpers import PROVINCE, db_fixture, seed_rows


@pytest.fixture
def db(tmp_path):
    yield from db_fixture(tmp_path)


def _seeded(s, **changes):
    ret = open_return(s, PROVINCE, "2021-H1")
    assert apply_edits(s, ret.id, [(c, changes.get(c, v), n or None) for c, v, n in seed_rows()]).applied
    return ret


def test_submit_is_refused_while_an_error_exists(db):
    with db.transaction() as s:
        ret = _seeded(s)
        apply_edits(s, ret.id, [("1.1.2", "40")])
        with pytest.raises(SubmitRefusedError) as exc:
            submit_return(s, ret.id)
        assert ret.status == "draft"
    assert "còn 1 lỗi" in str(exc.value) and "1.1.2, 1.1.1" in str(exc.value)
    assert [p.codes for p in exc.value.report.blocking] == [("1.1.2", "1.1.1")]


def test_a_warning_needs_a_note_before_submit(db):
    with db.transaction() as s:
        ret = _seeded(s)
        apply_edits(s, ret.id, [("5.1.2", "900")])  # more units with approved posts than units: a warning
        with pytest.raises(SubmitRefusedError, match="1 cảnh báo chưa có ghi chú"):
            submit_return(s, ret.id)
        apply_edits(s, ret.id, [("5.1.2", "900", "Gồm 39 đơn vị đã giải thể trong kỳ, vị trí việc làm đã duyệt")])
        report = submit_return(s, ret.id, user="nva")
        assert ret.status == "submitted" and ret.submitted_by == "nva"
    assert [p.resolved for p in report.warnings] == [True]


def test_locked_until_reopened_with_a_reason(db):
    with db.transaction() as s:
        ret = _seeded(s)
        submit_return(s, ret.id)
        with pytest.raises(ReturnLockedError):
            apply_edits(s, ret.id, [("2.1", "18")])
        with pytest.raises(ReturnLockedError):
            set_value(s, ret, "2.1", "18")
        with pytest.raises(ReturnLockedError):
            submit_return(s, ret.id)
        with pytest.raises(Refused, match="Cần ghi lý do"):
            reopen_return(s, ret.id, "   ")
        reopen_return(s, ret.id, "Sở Tư pháp điều chỉnh số văn bản QPPL", user="ttb")
        assert ret.status == "draft"
        assert apply_edits(s, ret.id, [("2.1", "18")]).applied
        with pytest.raises(Refused, match="không cần mở lại"):
            reopen_return(s, ret.id, "lần nữa")


def test_the_log_shows_each_step(db):
    with db.transaction() as s:
        ret = _seeded(s)
        submit_return(s, ret.id, user="nva")
        reopen_return(s, ret.id, "Sửa số liệu 2.1", user="ttb")
        apply_edits(s, ret.id, [("2.1", "18", "Bổ sung 01 quyết định")], user="ttb")
        submit_return(s, ret.id, user="ttb")
        log = audit_for_return(s, ret.id)
        history = audit_for_value(s, ret.id, "2.1")
    labels = [r.action_label for r in log]
    assert labels[0] == "Tạo báo cáo"
    assert labels[-7:] == ["Hoàn thành báo cáo", "Lưu bản khóa", "Mở lại báo cáo", "Sửa số liệu", "Sửa ghi chú",
                           "Hoàn thành báo cáo", "Lưu bản khóa"]
    assert log[-1].user == "ttb" and log[-1].new.startswith("mã kiểm tra nội dung ")
    reopen_row = log[-5]
    assert (reopen_row.user, reopen_row.old, reopen_row.new, reopen_row.reason) == (
        "ttb", "Đã hoàn thành", "Nháp", "Sửa số liệu 2.1")
    assert "Mở lại báo cáo: Đã hoàn thành → Nháp (lý do: Sửa số liệu 2.1)" in reopen_row.line()
    assert [(r.action_label, r.old, r.new) for r in history] == [
        ("Sửa số liệu", "(trống)", "17"), ("Sửa số liệu", "17", "18"), ("Sửa ghi chú", None, "Bổ sung 01 quyết định")]
    assert history[1].user == "ttb" and history[1].as_dict()["code"] == "2.1"
