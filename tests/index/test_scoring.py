"""Self-scoring through the CLI: bounds (refused in Vietnamese, database unchanged), the explanation a score
below the maximum needs, "không áp dụng" taken out of the maximum, totals as sums of the leaves, evidence,
submit/lock/reopen with the audit of every score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

import main
from db.engine import open_database
from db.models import AuditEntry
from tests.conftest import dump_tables
from tests.helpers.index_helpers import make_index_db

UNIT = ["--unit", "H.X1", "--year", "2025"]


@pytest.fixture
def dbp(tmp_path: Path, tables: Path) -> str:
    make_index_db(tmp_path / "cchc.db", tables / "chiso_xa_2025.xlsx").close()
    return str(tmp_path / "cchc.db")


def cli(capsys, dbp: str, *args: str) -> tuple[int, str, str]:
    rc = main.main(["index", *args, "--db", dbp])
    out, err = capsys.readouterr()
    return rc, out, err


def show(capsys, dbp: str) -> dict:
    rc, out, _ = cli(capsys, dbp, "show", *UNIT, "--json")
    assert rc == 0
    return json.loads(out)


@pytest.mark.parametrize(("points", "message"), [
    ("3", "Điểm 3 của tiêu chí 1.2 “Mức độ hoàn thành Kế hoạch CCHC năm” không hợp lệ: phải từ 0 đến 2 điểm."),
    ("-1", "phải từ 0 đến 2 điểm"),
    ("2,001", "có quá hai chữ số thập phân"),
    ("hai", "không phải là số"),
])
def test_a_score_outside_its_bounds_is_refused_and_nothing_changes(capsys, dbp: str, points: str,
                                                                    message: str) -> None:
    cli(capsys, dbp, "show", *UNIT)  # the assessment exists before: the refusal must not touch it
    before = dump_tables(dbp)
    rc, _, err = cli(capsys, dbp, "score", *UNIT, "--criterion", "1.2", "--points", points, "--note", "x")
    assert rc == 1 and message in err and "Traceback" not in err
    assert dump_tables(dbp) == before


@pytest.mark.parametrize(("args", "message"), [
    (["--criterion", "1.2", "--points", "1,5"], "cần giải trình lý do chưa đạt điểm tối đa (--note)"),
    (["--criterion", "1", "--points", "3"], "có các tiêu chí thành phần"),
    (["--criterion", "27.1", "--points", "4"], "được chấm qua điều tra xã hội học"),
    (["--criterion", "99", "--points", "1"], "không có tiêu chí mã “99”"),
    (["--criterion", "24.2", "--not-applicable"], "cần ghi lý do"),
])
def test_other_refusals_change_nothing(capsys, dbp: str, args: list[str], message: str) -> None:
    cli(capsys, dbp, "show", *UNIT)
    before = dump_tables(dbp)
    rc, _, err = cli(capsys, dbp, "score", *UNIT, *args)
    assert rc == 1 and message in err, err
    assert dump_tables(dbp) == before


def test_totals_are_the_sums_of_the_leaves_and_not_applicable_leaves_the_maximum(capsys, dbp: str,
                                                                                  tmp_path: Path) -> None:
    doc = tmp_path / "Báo cáo CCHC năm.pdf"
    doc.write_bytes(b"%PDF-1.4 bao cao")
    assert cli(capsys, dbp, "score", *UNIT, "--criterion", "1.1", "--points", "1")[0] == 0
    rc, out, _ = cli(capsys, dbp, "score", *UNIT, "--criterion", "1.2", "--points", "1,5", "--note",
                     "Hoàn thành 18/20 nhiệm vụ", "--evidence-number", "25/BC-UBND", "--evidence-file", str(doc))
    assert rc == 0 and "Tổng lĩnh vực I: 2,5" in out
    assert cli(capsys, dbp, "score", *UNIT, "--criterion", "24.2", "--not-applicable", "--note",
               "Xã không có đơn vị sự nghiệp")[0] == 0
    assert cli(capsys, dbp, "score", *UNIT, "--criterion", "29", "--points", "0,5")[0] == 0
    p = show(capsys, dbp)
    rows = {r["code"]: r for r in p["rows"]}
    # criterion 1 = 1.1 + 1.2 = 1 + 1,5; area I adds nothing else yet
    assert (rows["1"]["self"], rows["I"]["self"]) == ("2,5", "2,5")
    assert rows["1.2"]["evidence"] == 1 and rows["24.2"]["not_applicable"] is True
    # self part: maximum 70 less 24.2's 1,5 = 68,5; points 2,5; the deduction 0,5 is kept apart
    t = p["totals"]
    assert (t["self"], t["self_max"], t["self_deduction"]) == ("2,5", "68,5", "0,5")
    # (2,5 − 0,5) / 68,5 × 100 = 2,9197… → 2,92%
    assert t["self_index"] == "2,92%"
    assert p["progress"] == "đã chấm 3/32 tiêu chí thành phần, 1 thiếu tài liệu kiểm chứng"


def _score_all(dbp: str) -> None:
    from core.index.scoring import assessment_for, criteria_of, set_score

    db = open_database(dbp)
    with db.transaction() as s:
        a = assessment_for(s, "H.X1", 2025)
        for c in criteria_of(s, a):
            if c.is_leaf and c.depth and c.kind == "self":
                set_score(s, a, c.code, c.max_centi / 100)
    db.close()


def test_submit_locks_reopen_needs_a_reason_and_every_change_is_audited(capsys, dbp: str) -> None:
    rc, _, err = cli(capsys, dbp, "submit", *UNIT)
    assert rc == 1 and "còn 32 tiêu chí thành phần chưa chấm điểm" in err
    _score_all(dbp)
    assert cli(capsys, dbp, "submit", *UNIT)[0] == 0
    before = dump_tables(dbp)
    rc, _, err = cli(capsys, dbp, "score", *UNIT, "--criterion", "1.1", "--points", "1")
    assert rc == 1 and "đã nộp và đang khóa" in err
    rc, _, err = cli(capsys, dbp, "reopen", *UNIT)
    assert rc == 1 and "cần ghi lý do" in err
    assert dump_tables(dbp) == before
    assert cli(capsys, dbp, "reopen", *UNIT, "--reason", "Bổ sung tài liệu kiểm chứng")[0] == 0
    assert cli(capsys, dbp, "score", *UNIT, "--criterion", "1.1", "--points", "0,5", "--note", "Ban hành chậm")[0] == 0
    db = open_database(dbp)
    with db.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.entity.in_(("index_score", "index_assessment")))))
        assert [e.action for e in entries if e.entity == "index_assessment"] == ["create", "submit", "reopen"]
        assert any(e.reason == "Bổ sung tài liệu kiểm chứng" for e in entries)
        change = [e for e in entries if e.field == "tự chấm 1.1"][-1]
        assert (change.old_value, change.new_value) == ("1", "0,5 (Ban hành chậm)")
    db.close()
