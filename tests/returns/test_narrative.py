"""Narrative sections: drafted sentences in the seed's phrasing; the user's text is never overwritten."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from core.app.demo import load_demo
from core.errors import NotFound
from core.org.settings import set_setting
from core.org.units import get_unit
from core.periods import parse_period_code
from core.reports.pdf_content import build_report_document
from core.reports.pdf_layout import ReportDocument, Signature, render_report_pdf
from core.returns.entry import apply_edits, find_unit_return, open_return
from core.returns.narrative import narrative_sections, regenerate_drafts, set_section_text
from core.returns.narrative_text import count, ratio
from core.returns.report_collect import live_export
from core.returns.store import ReturnLockedError, reopen
from db.engine import open_database
from tests.helpers.returns_helpers import PROVINCE, db_fixture


@pytest.fixture
def demo(tmp_path):
    database = open_database(tmp_path / "demo.db")
    with database.transaction() as s:
        load_demo(s)
        reopen(s, find_unit_return(s, "MH", "2021-H1"), "Viết phần thuyết minh")
    yield database
    database.close()


@pytest.fixture
def db(tmp_path):
    yield from db_fixture(tmp_path)


def _texts(s, ret):
    return {v.key: v for v in narrative_sections(s, ret)}


def test_numbers_in_words():
    assert (count(7), count(17), count(3133), count(0)) == ("07", "17", "3.133", "0")
    assert ratio(11, 38) == "11/38 (đạt 28,95%)"  # rounded half up (issue 11)
    assert ratio(11, 38, "truncate") == "11/38 (đạt 28,94%)"  # a unit that chose truncation, as seed 004
    assert ratio(7, 14) == "07/14 (đạt 50%)"


def test_sections_follow_the_report(demo):
    with demo.transaction() as s:
        views = narrative_sections(s, find_unit_return(s, "MH", "2021-H1"))
    titles = [v.title for v in views if v.level == 1]
    assert titles == ["I. Công tác chỉ đạo, điều hành", "II. Kết quả thực hiện công tác CCHC", "III. Đánh giá chung",
                      "IV. Phương hướng, nhiệm vụ CCHC 6 tháng cuối năm 2021", "V. Đề xuất, kiến nghị"]
    areas = [v.title for v in views if v.parent == "II"]
    assert areas == ["1. Cải cách thể chế", "2. Cải cách thủ tục hành chính",
                     "3. Cải cách tổ chức bộ máy hành chính nhà nước", "4. Cải cách chế độ công vụ",
                     "5. Cải cách tài chính công", "6. Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"]
    assert [v.title for v in views if v.parent == "III"] == ["1. Ưu điểm", "2. Hạn chế", "3. Nguyên nhân"]


@pytest.mark.parametrize(
    ("code", "phrase"),
    [("2022-Q1", "Quý II năm 2022"), ("2022-Q4", "năm 2023"), ("2022-H1", "6 tháng cuối năm 2022"),
     ("2022-9M", "Quý IV năm 2022"), ("2022-Y", "năm 2023")],
)
def test_next_period(code, phrase):
    assert parse_period_code(code).next_phrase == phrase


def test_drafts_restate_the_numbers_in_the_seeds_phrasing(demo):
    with demo.transaction() as s:
        set_setting(s, get_unit(s, "MH"), "inspection.planned_units.2021", 14)
        t = _texts(s, find_unit_return(s, "MH", "2021-H1"))
    assert ("Kế hoạch CCHC năm 2021 được ban hành kèm theo Quyết định số 751/QĐ-UBND ngày 26/12/2020, "
            "xác định 38 nhiệm vụ cụ thể.") in t["I.1"].text
    assert "Đến hết ngày 14/6/2021, đã hoàn thành 11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,95%)." in t["I.1"].text
    assert "đã kiểm tra 07/14 đơn vị (đạt 50%), gồm 06 sở, ngành và 01 UBND cấp huyện." in t["I.3"].text
    assert "Qua kiểm tra, phát hiện 13 vấn đề, đã xử lý xong 13/13 vấn đề (đạt 100%)." in t["I.3"].text
    tthc = t["II.tthc"].text
    assert ("Từ ngày 15/12/2020 đến ngày 14/6/2021, đã công bố mới 75 TTHC và bãi bỏ, thay thế 142 TTHC."
            in tthc)
    assert "Tổng số TTHC đang có hiệu lực là 1.964 thủ tục (cấp tỉnh 1.494, cấp huyện 297, cấp xã 173)." in tthc
    assert "do UBND cấp huyện tiếp nhận đạt 72,8%" in tthc
    assert "cấp tỉnh đạt 100%, cấp huyện đạt 58,5%." in tthc  # 3.4.5.c is blank: not written
    assert "kiểm tra theo thẩm quyền 08 văn bản QPPL" in t["II.the_che"].text
    assert "97% văn bản được gửi hoàn toàn dưới dạng điện tử" in t["II.chinh_phu_so"].text
    assert "Chưa có đơn vị sự nghiệp công lập chuyển đổi thành công ty cổ phần." in t["II.tai_chinh_cong"].text
    assert "không có lãnh đạo cấp tỉnh bị kỷ luật; không có lãnh đạo cấp sở" in t["II.cong_vu"].text
    for v in t.values():
        assert "None" not in v.text and "  " not in v.text
    assert t["III.1"].text == "" and t["IV"].text == ""  # only the user writes these


def test_without_an_inspection_plan_size_the_count_is_plain(demo):
    with demo.transaction() as s:
        t = _texts(s, find_unit_return(s, "MH", "2021-H1"))
    assert "Trong kỳ, đã kiểm tra 07 cơ quan, đơn vị (06 sở, ngành và 01 UBND cấp huyện)." in t["I.3"].text


def test_regenerating_never_overwrites_the_users_text(demo):
    with demo.transaction() as s:
        ret = find_unit_return(s, "MH", "2021-H1")
        narrative_sections(s, ret)
        mine = "Đến hết ngày 14/6/2021, tỉnh đã hoàn thành 11/38 nhiệm vụ, các nhiệm vụ còn lại chưa đến hạn."
        assert set_section_text(s, ret, "I.1", mine, user="nva")
        apply_edits(s, ret.id, [("1.1.2", "12", "cập nhật")])
        changes = regenerate_drafts(s, ret)
        assert [(c.key, c.user_text_kept) for c in changes] == [("I.1", True)]
        v = _texts(s, ret)["I.1"]
        assert v.user_text == mine and v.text == mine and v.edited
        assert "12/38" in v.draft_text and v.stale  # the figures moved after the user wrote
        other = _texts(s, ret)["II.tthc"]
        assert not other.edited and other.text == other.draft_text
        assert set_section_text(s, ret, "I.1", None)  # back to the draft
        v = _texts(s, ret)["I.1"]
        assert v.text == v.draft_text and not v.stale
        set_section_text(s, ret, "III.2", "")  # an empty section on purpose
        assert _texts(s, ret)["III.2"].edited


def test_section_edits_are_audited_and_locked_after_submit(demo):
    from core.returns.store import submit
    from core.returns.workflow import audit_for_return

    with demo.transaction() as s:
        ret = find_unit_return(s, "MH", "2021-H1")
        set_section_text(s, ret, "V", "Đề nghị Bộ Nội vụ sớm ban hành hướng dẫn.")
        submit(s, ret)
        with pytest.raises(ReturnLockedError):
            set_section_text(s, ret, "V", "Khác")
        with pytest.raises(ReturnLockedError):
            regenerate_drafts(s, ret)
        assert _texts(s, ret)["V"].text == "Đề nghị Bộ Nội vụ sớm ban hành hướng dẫn."
        log = [r for r in audit_for_return(s, ret.id) if r.entity == "section"]
    assert [(r.code, r.new) for r in log] == [("V", "Đề nghị Bộ Nội vụ sớm ban hành hướng dẫn.")]


def test_a_return_without_values_drafts_nothing(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2022-Q1")
        views = narrative_sections(s, ret)
    assert all(v.text == "" for v in views)
    assert [v.key for v in views if v.level == 1] == ["I", "II", "III", "IV", "V"]


def test_the_narrative_prints_into_the_pdf(demo, tmp_path):
    with demo.transaction() as s:
        # The sections as the export prints them (the one converter, core.reports.pdf_content).
        sections = build_report_document(live_export(s, find_unit_return(s, "MH", "2021-H1"))).sections
    doc = ReportDocument(
        superior_body="", issuing_body="Ủy ban nhân dân tỉnh Minh Họa", document_number="/BC-UBND",
        place="Minh Họa", issue_date=date(2021, 6, 15), year_hint=2021, doc_type="BÁO CÁO",
        summary="Tình hình, kết quả công tác cải cách hành chính 6 tháng đầu năm 2021", recipients=["Bộ Nội vụ"],
        sections=sections, signature=Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Tiến Đông"),
        distribution=["Như trên;", "Lưu: VT."],
    )
    path = render_report_pdf(doc, tmp_path / "bao_cao.pdf")
    text = " ".join((p.extract_text() or "") for p in PdfReader(str(path)).pages)
    text = " ".join(text.split())
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" in text
    assert "11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,95%)" in text


def test_an_unknown_section_is_refused(db):
    with db.transaction() as s:
        ret = open_return(s, PROVINCE, "2022-Q1")
        with pytest.raises(NotFound, match="không có phần “VI”"):
            set_section_text(s, ret, "VI", "x")
