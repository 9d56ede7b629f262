"""Review of received returns (core.intake.review): pending → accepted / sent back; a newer version is pending
again; a return typed in on a shared database is reviewed too; the board, the grid and the sources
window count the same units."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.intake.completeness import completeness
from core.intake.consolidated_view import consolidated_grid, value_sources
from core.intake.consolidation import ConsolidationError, consolidate
from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.intake.review import ReviewRefused, accept_return, review_info, send_back_note, send_back_return
from core.returns.entry import find_unit_return
from core.returns.store import reopen, submit
from core.returns.workflow import audit_for_return
from tests.helpers.consolidation_helpers import Province
from tests.helpers.returns_helpers import with_kps

H1 = "2021-H1"
DISTRICT = "MH.HAB"


def _row(db, unit: str, parent: str = DISTRICT):  # noqa: ANN001, ANN202
    with db.session() as s:
        return next(r for r in completeness(s, parent, H1).rows if r.unit_code == unit)


def _submit(db, unit: str) -> None:  # noqa: ANN001
    with db.transaction() as s:
        submit(s, find_unit_return(s, unit, H1))


def test_a_newer_version_of_an_accepted_return_is_pending_again(province: Province) -> None:
    province.fill("MH.HAB.XAL", with_kps("xa", {"1.1.1": 5}))  # the other rows "Không phát sinh": submittable
    _submit(province.child, "MH.HAB.XAL")
    first = province.export("MH.HAB.XAL", H1, at=datetime(2021, 6, 18, 9, 30), name="v1.xlsx")
    import_returns(province.office, DISTRICT, [first])
    assert _row(province.office, "MH.HAB.XAL").review == "pending"
    with province.office.transaction() as s:
        info = accept_return(s, DISTRICT, "MH.HAB.XAL", H1)
    assert info.state == "accepted" and info.decided_by == "kiem.thu"
    with province.office.transaction() as s:
        assert consolidate(s, DISTRICT, H1).values[0].number == 5

    # The commune corrects its figure and sends a newer file.
    with province.child.transaction() as s:
        reopen(s, find_unit_return(s, "MH.HAB.XAL", H1), "Sửa số nhiệm vụ")
    province.fill("MH.HAB.XAL", {"1.1.1": 6})
    _submit(province.child, "MH.HAB.XAL")
    second = province.export("MH.HAB.XAL", H1, at=datetime(2021, 6, 19, 8, 0), name="v2.xlsx")
    report = import_returns(province.office, DISTRICT, [second])
    assert report.outcomes[0].outcome == "replaced"
    assert "Bản mới chờ xem xét lại (bản trước đã được chấp nhận)." in report.outcomes[0].reason
    row = _row(province.office, "MH.HAB.XAL")
    assert (row.review, row.counted, row.file_name) == ("pending", False, "v2.xlsx")
    assert row.review_text.startswith("Chờ xem xét (bản mới; bản trước đã chấp nhận ngày ")
    # The accepted version's numbers are gone with it: nothing accepted, nothing consolidated.
    with province.office.transaction() as s, pytest.raises(ConsolidationError, match="chờ xem xét 1"):
        consolidate(s, DISTRICT, H1)
    with province.office.transaction() as s:
        accept_return(s, DISTRICT, "MH.HAB.XAL", H1)
        result = consolidate(s, DISTRICT, H1)
    assert result.values[0].number == 6 and result.files_changed == ["UBND xã An Lạc"]


def test_a_return_typed_in_on_a_shared_database_is_reviewed_by_its_parent(province: Province) -> None:
    """One database for the district and its communes (as on a PostgreSQL server): the commune types
    its return in directly; once "Đã hoàn thành" it waits for the district's review."""
    db = province.office
    province.fill("MH.HAB.XAL", with_kps("xa", {"1.1.1": 8, "1.1.2": 3}), db=db)
    row = _row(db, "MH.HAB.XAL")
    assert not row.has_return and row.review is None  # a draft is not received
    _submit(db, "MH.HAB.XAL")
    row = _row(db, "MH.HAB.XAL")
    assert (row.has_return, row.received_basis, row.review, row.origin) == (True, "submitted", "pending", "entered")
    with db.transaction() as s:
        info = send_back_return(s, DISTRICT, "MH.HAB.XAL", H1, "Thiếu số liệu 1.1.3")
        ret_id = info.return_id
    assert info.file_name is None and info.source_text.startswith("báo cáo lập trên cơ sở dữ liệu này")
    with db.session() as s:
        log = audit_for_return(s, ret_id)
    assert [(a.action_label, a.old, a.new, a.reason) for a in log if a.action == "review"] == [
        ("Cấp trên xem xét báo cáo", "Chờ xem xét", "Trả lại", "UBND huyện An Bình: Thiếu số liệu 1.1.3")]

    # The commune reopens, fixes, submits again: a new submission, pending again.
    with db.transaction() as s:
        reopen(s, find_unit_return(s, "MH.HAB.XAL", H1), "Cấp trên trả lại: thiếu 1.1.3")
    assert not _row(db, "MH.HAB.XAL").has_return
    province.fill("MH.HAB.XAL", {"1.1.3": 2}, db=db)
    _submit(db, "MH.HAB.XAL")
    row = _row(db, "MH.HAB.XAL")
    assert row.review == "pending" and "bản trước đã trả lại ngày" in row.review_text
    with db.transaction() as s:
        accept_return(s, DISTRICT, "MH.HAB.XAL", H1)
        result = consolidate(s, DISTRICT, H1)
    values = {v.code: v.number for v in result.values}
    assert (values["1.1.1"], values["1.1.2"], values["1.1.3"]) == (8, 3, 2)

    # The province, in the same database, does not count the commune's return: it is not its child.
    with db.session() as s:
        assert "MH.HAB.XAL" not in [r.unit_code for r in completeness(s, "MH", H1).rows]


def test_a_decision_is_made_on_the_version_seen(province: Province) -> None:
    province.fill("MH.HAB.XAL", {"1.1.1": 5})
    import_returns(province.office, DISTRICT, [province.export("MH.HAB.XAL", H1)])
    seen = _row(province.office, "MH.HAB.XAL").version
    province.fill("MH.HAB.XAL", {"1.1.1": 7})
    import_returns(province.office, DISTRICT, [province.export("MH.HAB.XAL", H1, at=datetime(2021, 6, 19),
                                                               name="moi.xlsx")])
    with province.office.transaction() as s, pytest.raises(ReviewRefused, match="vừa có bản mới"):
        accept_return(s, DISTRICT, "MH.HAB.XAL", H1, note="Đồng ý", seen_version=seen)
    assert _row(province.office, "MH.HAB.XAL").review == "pending"


def test_a_unit_outside_the_list_counts_only_once_its_file_is_taken_in_and_accepted(province: Province) -> None:
    province.fill("MH.SNV.CCHC", {"1.1.1": 4})
    path = province.export("MH.SNV.CCHC", H1)
    import_returns(province.office, "MH", [path])  # refused: not a child of the province
    with province.office.transaction() as s, pytest.raises(ReviewRefused, match="đang cần quyết định"):
        accept_return(s, "MH", "MH.SNV.CCHC", H1, note="x")
    import_returns(province.office, "MH", [path], ImportPolicy(other_units="accept"))
    with province.office.session() as s:
        board = completeness(s, "MH", H1)
    assert board.counts()["scope"] == 9 and board.review_sentence() == "đã chấp nhận 0/9 đơn vị, chờ xem xét 1"
    with province.office.transaction() as s:
        accept_return(s, "MH", "MH.SNV.CCHC", H1, note="Phòng CCHC gửi trực tiếp theo yêu cầu")
    with province.office.session() as s:
        board = completeness(s, "MH", H1)
    assert [r.unit_code for r in board.accepted_rows] == ["MH.SNV.CCHC"]


def test_the_board_the_grid_and_the_sources_window_count_the_same_units(province: Province) -> None:
    # The district: An Lạc accepted (1.1.1 = 10), thị trấn An Bình sent back (1.1.1 = 20), and the
    # province's own file refused. The province's submitted return sits in the same database.
    province.fill("MH.HAB.XAL", {"1.1.1": 10})
    province.fill("MH.HAB.TTAB", {"1.1.1": 20})
    files = [province.export(u, H1) for u in ("MH.HAB.XAL", "MH.HAB.TTAB", "MH")]
    report = import_returns(province.office, DISTRICT, files)
    assert [o.outcome for o in report.outcomes] == ["imported", "imported", "rejected"]
    with province.office.transaction() as s:
        accept_return(s, DISTRICT, "MH.HAB.XAL", H1, note="Bản nháp, số liệu đã đối chiếu")
        back = send_back_return(s, DISTRICT, "MH.HAB.TTAB", H1, "Thiếu số liệu chỉ tiêu 1.1.2")
        result = consolidate(s, DISTRICT, H1)
    with province.office.session() as s:
        board = completeness(s, DISTRICT, H1)
        ret, grid = consolidated_grid(s, DISTRICT, H1)
        head, sources = value_sources(s, ret.id, "1.1.1")
    # Hand count: units measured = the 2 communes (the province is outside and refused); accepted = 1.
    assert board.headline().endswith("; đã chấp nhận 1/2 đơn vị, trả lại 1.")
    assert "đã được xác nhận" not in board.headline()
    assert [r.unit_code for r in board.accepted_rows] == ["MH.HAB.XAL"]
    row_1_1_1 = next(g for g in grid if g.code == "1.1.1")
    assert row_1_1_1.value_display == "10" and row_1_1_1.coverage_text == "1/2" == head.coverage_text
    assert [(r.unit_code, r.state_label) for r in sources] == [("MH.HAB.XAL", "Có số liệu"),
                                                               ("MH.HAB.TTAB", "Trả lại, chưa tính")]
    assert sources[1].note.startswith("Trả lại ngày ") and sources[1].note.endswith("Thiếu số liệu chỉ tiêu 1.1.2 "
                                                                                     "— bản Nháp")
    assert result.summary() == ("Tổng hợp báo cáo 6 tháng đầu năm 2021 của UBND huyện An Bình từ 1 đơn vị đã "
                                "chấp nhận; đã nhận 2/2 đơn vị (đạt 100%). Chưa tính: trả lại 1 (UBND thị trấn "
                                "An Bình).")
    assert result.values[0].detail == "Cộng: 1/2 đơn vị; 1 đơn vị bị trả lại"
    # The note the clerk sends down.
    note = send_back_note(back)
    assert note.splitlines()[1:4] == [
        "Kính gửi: UBND thị trấn An Bình (MH.HAB.TTAB)",
        f"UBND huyện An Bình trả lại báo cáo 6 tháng đầu năm 2021 của đơn vị (tệp “{files[1].name}” (xuất lúc "
        f"18/06/2021 09:30), bản Nháp) ngày {back.decided_at:%d/%m/%Y} để chỉnh sửa.",
        "Lý do: Thiếu số liệu chỉ tiêu 1.1.2"]
    # Accepting the one sent back later: the sources window says the figures must be run again.
    with province.office.transaction() as s:
        accept_return(s, DISTRICT, "MH.HAB.TTAB", H1, note="Đơn vị bổ sung bằng điện thoại")
    with province.office.session() as s:
        _, sources = value_sources(s, ret.id, "1.1.1")
        from core.intake.consolidated_view import changed_since_run

        assert changed_since_run(s, ret, completeness(s, DISTRICT, H1)) == ["UBND thị trấn An Bình"]
    assert sources[1].state_label == "Đã chấp nhận sau lần tổng hợp"


def test_review_info_of_a_unit_without_a_return_is_refused(province: Province) -> None:
    with province.office.session() as s, pytest.raises(ReviewRefused) as exc:
        review_info(s, DISTRICT, "MH.HAB.XAL", H1)
    assert str(exc.value) == "Chưa nhận báo cáo 6 tháng đầu năm 2021 của UBND xã An Lạc nên chưa có gì để xem xét."
