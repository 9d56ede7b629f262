"""Plan import from pasted Excel tables (core.plans.table_import), on tables built from the seeds."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from core.app.demo import demo_plan_draft
from core.org.units import get_unit
from core.plans.store import store_plan
from core.plans.table_headers import PlanImportError, parse_mapping
from core.plans.table_import import import_plan_file, preview_plan_file
from core.plans.timeframe import parse_timeframe
from db.engine import open_database
from db.models import Activity, Task, Unit
from tests.helpers.plan_tables import (
    HEADER_002,
    PROVINCIAL,
    SEED_002,
    SEED_003,
    demo_data,
    demo_db_copy,
    write_002,
    write_002_raw,
    write_002_word_paste,
    write_003,
    write_provincial,
)

needs_003 = pytest.mark.skipif(not SEED_003.is_file(), reason="seed 003 not available")


@pytest.fixture()
def db(tmp_path: Path):
    database = open_database(demo_db_copy(tmp_path / "cchc.db"))
    yield database
    database.close()


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _numbers(preview) -> list[tuple[str | None, list[str | None]]]:
    return [(n, nums) for n, _t, nums in preview.tasks_per_area]


# --- seed 002: the 2021 provincial appendix ----------------------------------------------------------

def test_002_counts_numbers_and_cells(tmp_path: Path) -> None:
    path = tmp_path / "ke_hoach_2021.xlsx"
    expected = write_002(path)
    p = preview_plan_file(path)
    assert not p.ambiguous
    assert p.mapping == {"A": "area", "B": "task", "C": "output", "D": "lead", "E": "partners", "F": "timeframe"}
    assert (p.area_count, p.task_count, p.activity_count) == (7, 38, 2)
    assert [(n, t, nums) for n, t, nums in p.tasks_per_area] == expected["areas"]
    assert p.unplaced == []
    # every cell equals the transcription the demo uses (merged cells filled, split rows rejoined)
    demo = demo_plan_draft()
    for got_area, want_area in zip(p.draft.areas, demo.areas, strict=True):
        assert (got_area.numeral, got_area.title) == (want_area.numeral, want_area.title)
        for got, want in zip(got_area.tasks, want_area.tasks, strict=True):
            where = f"{got_area.numeral}.{got.number}"
            for key in ("number", "title", "output", "lead", "partners", "timeframe_text"):
                assert _squash(getattr(got, key)) == _squash(getattr(want, key)), (where, key)
            assert [a.title for a in got.activities] == [a.title for a in want.activities], where


def test_002_title_year_and_the_two_rows_of_task_one(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    write_002(path)
    p = preview_plan_file(path)
    assert p.draft.title == "KẾ HOẠCH TRIỂN KHAI CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2021"
    assert (p.draft.year_from, p.draft.year_to, p.year_source) == (2021, 2021, "title")
    assert p.draft.document_number is None  # "Số: /QĐ-UBND" is blank in the source
    first = p.draft.areas[0].tasks[0]
    assert first.number == "1"
    assert first.output.startswith("1. Quyết định") and "\n2. Nghị quyết của HĐND tỉnh" in first.output
    assert first.lead == "Sở Tư pháp"
    assert any("trùng số thứ tự 1" in n.reason for n in p.notes)


def test_002_lead_units_and_due_dates_after_import(db, tmp_path: Path) -> None:
    path = tmp_path / "ke hoạch năm 2021.xlsx"
    write_002(path)
    data = demo_data()
    with db.transaction() as s:
        unit = get_unit(s, "MH")
        plan = import_plan_file(s, path, unit)
        plan_id = plan.id
    with db.session() as s:
        tasks = s.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.sort_order)).all()
        assert len(tasks) == 38
        assert s.query(Activity).join(Task).where(Task.plan_id == plan_id).count() == 2
        by_key = {(t.area_numeral, t.number): t for t in tasks}
        # the right lead units: linked to the catalogue where it has them
        assert by_key[("I", "2")].lead_unit.code == "MH.STP"
        assert by_key[("II", "1")].lead_unit.code == "MH.VP"
        assert by_key[("IV", "1")].lead_unit.code == "MH.SNV"
        assert by_key[("V", "3")].lead_unit.code == "MH.STC"  # merged cell "same as above"
        assert by_key[("VI", "5")].lead_unit.code == "MH.STTTT"
        assert by_key[("IV", "3")].lead_unit.code == "MH.SNV"  # "Sở Nội vụ; Sở Giáo dục và Đào tạo": first named
        assert by_key[("III", "1")].lead_unit is None  # "Sở, ban, ngành tỉnh, UBND cấp huyện" is a group
        assert by_key[("III", "1")].lead_unit_text == "Sở, ban, ngành tỉnh, UBND cấp huyện"
        assert {u.code for u in by_key[("V", "1")].partners} == set()
        assert {u.code for u in by_key[("IV", "1")].partners} == set()
        assert {u.code for u in by_key[("VI", "6")].partners} == {"MH.STTTT"}
        # the right parsed due dates: as the timeframe parser reads the same text for 2021
        for area in data["areas"]:
            for t in area["tasks"]:
                task = by_key[(area["numeral"], t["number"])]
                assert task.due_date == parse_timeframe(task.timeframe_text, 2021).due_date
        assert by_key[("II", "1")].due_date == date(2020, 12, 31)
        assert by_key[("I", "2")].due_date == date(2021, 12, 31)
        assert by_key[("IV", "4")].due_date == date(2021, 11, 30)  # "trước tháng 12/2021"
        assert by_key[("V", "1")].due_date == date(2022, 3, 31)
        assert by_key[("VI", "4")].due_date == date(2021, 12, 31)  # merged "Trong năm 2021"
        assert by_key[("I", "1")].due_date is None and not by_key[("I", "1")].timeframe_flagged
        assert tasks[0].plan.source_file == "ke hoạch năm 2021.xlsx"
        assert by_key[("I", "2")].source_row == 8


def test_002_matches_the_demo_import(db, tmp_path: Path) -> None:
    """Importing the table gives the same tasks, leads and dates as the bundled demo plan."""
    path = tmp_path / "a.xlsx"
    write_002(path, merge_area_column=False, repeat_header_before=("II", "V", "VII"), split_tasks=())
    with db.transaction() as s:
        unit = get_unit(s, "MH")
        plan = import_plan_file(s, path, unit)
        demo = store_plan(s, unit, demo_plan_draft())
        ours = [(t.area_numeral, t.number, t.lead_unit_id, t.due_date, tuple(m.due_date for m in t.milestones))
                for t in plan.tasks]
        theirs = [(t.area_numeral, t.number, t.lead_unit_id, t.due_date, tuple(m.due_date for m in t.milestones))
                  for t in demo.tasks]
        assert ours == theirs


# --- seed 003: nested STT, two-row header --------------------------------------------------------------

@needs_003
@pytest.mark.parametrize("raw_html", [False, True])
def test_003_nested_numbers_leads_and_years(tmp_path: Path, raw_html: bool) -> None:
    path = tmp_path / "sgddt.xlsx"
    expected = write_003(path, raw_html=raw_html)
    p = preview_plan_file(path)
    assert not p.ambiguous
    assert p.mapping == {"A": "stt", "B": "task", "C": "lead", "D": "partners", "E": "output", "F": "timeframe"}
    assert p.header_rows == (5, 6)
    assert [(n, t, nums) for n, t, nums in p.tasks_per_area] == expected["areas"]
    assert p.area_count == 6
    assert p.task_count == sum(len(nums) for _, _, nums in expected["areas"]) == 46
    assert _numbers(p)[5] == ("VI", ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "2.4", "3", "3.1", "3.2",
                                     "3.3", "4", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "5", "5.1", "5.2", "5.3",
                                     "5.4"])
    assert _numbers(p)[1][1] == ["1", "2", "3", "4", "5", "6", "7", "8"]  # written 01 … 08
    leads = {(t.area_numeral, t.number): t.lead for t in p.tasks}
    assert leads == expected["leads"]
    assert p.unplaced == []
    assert (p.draft.year_from, p.draft.year_to) == (2021, 2025)
    assert p.draft.parse_year is None  # a 5-year plan: a date without a year is not completed
    titles = {(t.area_numeral, t.number): t.title for t in p.tasks}
    # rows cut by a page break are joined back
    assert titles[("II", "4")] == ("Thực hiện triển khai Đề án đổi mới việc thực hiện cơ chế một cửa, một cửa liên "
                                   "thông theo Quyết định số 258/QĐ-UBND ngày 29/4/2021 của UBND tỉnh")
    assert titles[("VI", "4.1")].endswith("do Chính phủ, Thủ tướng Chính phủ giao")
    partners = {(t.area_numeral, t.number): t.partners for t in p.tasks}
    assert partners[("VI", "1.3")] == "Các phòng chuyên môn, nghiệp vụ; Bưu điện tỉnh"
    due = {(t.area_numeral, t.number): t.due_date for t in p.tasks}
    assert due[("IV", "1")] == date(2022, 6, 30)  # Quý II/2022
    assert due[("VI", "5.1")] == date(2022, 12, 31)
    assert due[("I", "1")] is None  # "Hàng năm"
    assert p.draft.title.startswith("BẢNG TRIỂN KHAI THỰC HIỆN") and p.draft.title.endswith("ĐẾN NĂM 2030")


@needs_003
def test_003_parents_are_linked_and_units_offered(db, tmp_path: Path) -> None:
    path = tmp_path / "sgddt.xlsx"
    write_003(path)
    with db.session() as s:
        p = preview_plan_file(path, session=s)
    assert "Phòng Tổ chức cán bộ (pháp chế)" in p.unknown_units
    assert "Bưu điện tỉnh" in p.unknown_units
    assert not any(n.startswith("Các ") for n in p.unknown_units)  # groups are never offered
    assert "Các chuyên môn, phòng nghiệp vụ" in p.group_names
    with db.transaction() as s:
        sgd = get_unit(s, "MH.SGDDT")
        plan = import_plan_file(s, path, sgd, create_units=["Phòng Tổ chức cán bộ", "Văn phòng"],
                                title="Kế hoạch CCHC của Sở GD&ĐT giai đoạn 2021-2025", number="12/KH-SGDĐT")
        tasks = {(t.area_numeral, t.number): t for t in plan.tasks}
        assert tasks[("VI", "1.2")].parent_task is tasks[("VI", "1")]
        assert tasks[("VI", "5.4")].parent_task is tasks[("VI", "5")]
        created = s.scalar(select(Unit).where(Unit.name == "Phòng Tổ chức cán bộ"))
        assert created is not None and created.parent is sgd and created.level == "phong"
        assert tasks[("III", "1")].lead_unit is created
        # "(pháp chế)" is a note on the same section
        assert tasks[("I", "1")].lead_unit is created
        assert tasks[("II", "1")].lead_unit.name == "Văn phòng"
        assert plan.title == "Kế hoạch CCHC của Sở GD&ĐT giai đoạn 2021-2025"
        assert plan.document_number == "12/KH-SGDĐT"
        assert (plan.year_from, plan.year_to) == (2021, 2025)


def test_create_units_must_be_unknown_names(db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    write_002(path)
    with db.transaction() as s:
        with pytest.raises(PlanImportError, match="Sở Nội vụ"):
            import_plan_file(s, path, get_unit(s, "MH"), create_units=["Sở Nội vụ"])


# --- the provincial layout: Mục tiêu / Nhiệm vụ / Hoạt động / Kinh phí ------------------------------

@pytest.mark.parametrize("merge", [True, False])
def test_provincial_activities_merged_or_blank(tmp_path: Path, merge: bool) -> None:
    path = tmp_path / "tinh.xlsx"
    expected = write_provincial(path, merge=merge)
    p = preview_plan_file(path)
    assert set(p.mapping.values()) == {"stt", "objective", "task", "activity", "output", "lead", "partners",
                                      "timeframe", "budget"}
    assert (p.area_count, p.task_count, p.activity_count) == (2, 3, 6) == (
        len(expected["areas"]), expected["tasks"], expected["activities"])
    assert [(n, t, nums) for n, t, nums in p.tasks_per_area] == expected["areas"]
    t1 = p.draft.areas[0].tasks[0]
    assert t1.title == "Ban hành và triển khai kế hoạch CCHC năm 2022"
    assert t1.objective == "Nâng cao hiệu quả chỉ đạo, điều hành CCHC"
    assert [a.title for a in t1.activities] == [x[0] for x in PROVINCIAL[0][2][0][3]]
    assert t1.activities[1].output == "Báo cáo kết quả kiểm tra"
    assert t1.activities[1].timeframe_text == "Quý III/2022"
    assert t1.activities[1].partners == "Sở Tư pháp; Sở Tài chính"
    assert t1.activities[0].budget == "10"
    assert t1.budget == "60"  # the sum of its activities
    assert t1.lead == "Sở Nội vụ"
    # the second task keeps the objective above it (merged, or blank = same as above)
    assert p.draft.areas[0].tasks[1].objective == t1.objective
    due = {(t.area_numeral, t.number): t.due_date for t in p.tasks}
    assert due[("I", "1")] == date(2022, 9, 30)
    assert due[("II", "1")] == date(2022, 12, 31)


def test_provincial_import_stores_activity_fields(db, tmp_path: Path) -> None:
    path = tmp_path / "tinh.xlsx"
    write_provincial(path)
    with db.transaction() as s:
        plan = import_plan_file(s, path, get_unit(s, "MH"))
        task = plan.tasks[2]
        assert task.lead_unit.code == "MH.VP"  # "VP UBND tỉnh"
        acts = task.activities
        assert [a.due_date for a in acts] == [date(2022, 8, 15), date(2022, 10, 31), date(2022, 12, 31)]
        assert acts[1].lead_unit_text == "Văn phòng Ủy ban nhân dân tỉnh"
        assert acts[2].budget == "5"
        assert plan.tasks[1].lead_unit.code == "MH.STTTT"  # "Sở TT&TT"


# --- tolerance: header variants, area rows, blanks, bullets, spaces -----------------------------------

def _save(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def test_header_in_any_order_case_and_without_diacritics(tmp_path: Path) -> None:
    path = _save(tmp_path / "a.xlsx", [
        ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA UBND HUYỆN AN BÌNH"],
        ["(Kèm theo Kế hoạch số 15/KH-UBND ngày 10/01/2022)"],
        [],
        ["thoi han hoan thanh", "  CO QUAN  CHU TRI ", "Noi dung nhiem vu", "So TT", "Don vi phoi hop", "Ghi chú"],
        ["Quý I/2022", "UBND huyện An Bình", "Ban hành kế hoạch", "1", "Phòng Nội vụ", "x"],
        ["Tháng 6", "UBND huyện An Bình", "Kiểm tra CCHC", "2", "", ""],
    ])
    p = preview_plan_file(path)
    assert p.mapping == {"A": "timeframe", "B": "lead", "C": "task", "D": "stt", "E": "partners", "F": "note"}
    assert p.header_rows == (4,)
    assert p.task_count == 2 and p.area_count == 1
    assert p.draft.document_number == "15/KH-UBND"
    assert p.draft.parse_year == 2022
    assert [t.due_date for t in p.tasks] == [date(2022, 3, 31), date(2022, 6, 30)]
    assert p.tasks[1].partners is None  # a blank partners cell is not copied from above


def test_area_rows_in_every_shape(tmp_path: Path) -> None:
    path = _save(tmp_path / "a.xlsx", [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện"],
        ["I", "Cải cách thể chế", "", ""],  # a Roman numeral in its own cell
        ["1", "Rà soát văn bản QPPL", "Sở Tư pháp", "Quý II/2022"],
        ["II. Cải cách thủ tục hành chính"],  # merged across the row
        ["1", "Công bố TTHC", "Văn phòng UBND tỉnh", "Quý III/2022"],
        ["III.Cải cách tổ chức bộ máy", "", "", ""],
        ["1", "Sắp xếp tổ chức", "Sở Nội vụ", "Năm 2022"],
        ["Cải cách tài chính công"],  # a catalogue name alone, no numeral
        ["1", "Tự chủ tài chính", "Sở Tài chính", "Năm 2022"],
    ], merges=("A4:D4",))
    p = preview_plan_file(path)
    assert [(n, t) for n, t, _ in p.tasks_per_area] == [
        ("I", "Cải cách thể chế"), ("II", "Cải cách thủ tục hành chính"), ("III", "Cải cách tổ chức bộ máy"),
        (None, "Cải cách tài chính công")]
    assert p.task_count == 4 and p.unplaced == []


def test_blank_or_merged_stt_and_task_cells_mean_same_as_above(tmp_path: Path) -> None:
    rows = [
        ["STT", "Nhiệm vụ", "Hoạt động", "Sản phẩm", "Chủ trì", "Thời gian"],
        ["I. Cải cách thể chế"],
        ["1", "Rà soát văn bản", "Rà soát nghị quyết", "Báo cáo", "Sở Tư pháp", "Quý I/2022"],
        ["", "", "Rà soát quyết định", "Báo cáo", "Sở Tư pháp", "Quý II/2022"],
        ["1", "Rà soát văn bản", "Công bố kết quả", "Quyết định", "Sở Tư pháp", "Quý III/2022"],
        ["2", "Kiểm tra", "", "Kết luận", "Sở Tư pháp", "Quý IV/2022"],
    ]
    p = preview_plan_file(_save(tmp_path / "a.xlsx", rows))
    assert p.task_count == 2
    assert [a.title for a in p.draft.areas[0].tasks[0].activities] == [
        "Rà soát nghị quyết", "Rà soát quyết định", "Công bố kết quả"]
    assert p.draft.areas[0].tasks[1].activities == []
    assert p.tasks[0].due_date == date(2022, 9, 30)


def test_line_breaks_bullets_and_stray_spaces(tmp_path: Path) -> None:
    rows = [
        ["Nhiệm vụ chung", "Nhiệm vụ cụ thể", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
        ["I.  Cải cách   thể chế ", "1.   Công tác  pháp chế\r\n-  Ban hành kế hoạch \n\n• Kiểm tra việc thực hiện",
         " Sở  Tư pháp ", "Sở Nội vụ;\nSở Tài chính ", "  Trước ngày\n 31/3/2021 "],
        ["", "2.\u00a0Theo dõi thi hành pháp luật\u200b", "Sở Tư pháp", "", "Quý IV/2021"],
    ]
    path = _save(tmp_path / "a.xlsx", [["KẾ HOẠCH CCHC NĂM 2021"], *rows])
    p = preview_plan_file(path)
    area = p.draft.areas[0]
    assert (area.numeral, area.title) == ("I", "Cải cách thể chế")
    t1, t2 = area.tasks
    assert t1.title == "Công tác pháp chế"
    assert [a.title for a in t1.activities] == ["Ban hành kế hoạch", "Kiểm tra việc thực hiện"]
    assert t1.lead == "Sở Tư pháp"
    assert t1.partners == "Sở Nội vụ;\nSở Tài chính"
    assert p.tasks[0].due_date == date(2021, 3, 31)
    assert t2.number == "2" and t2.title == "Theo dõi thi hành pháp luật"


def test_nested_numbers_typed_as_numbers_or_turned_into_dates(tmp_path: Path) -> None:
    rows = [
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"],
        ["I. Chính quyền số"],
        [1, "Hạ tầng số", "", ""],
        [1.1, "Mạng truyền dẫn", "Văn phòng", "Năm 2022"],
        [datetime(2022, 2, 1), "Dữ liệu", "Văn phòng", "Năm 2022"],  # Excel read "1.2" as 1 February
        [2, "Ứng dụng", "Văn phòng", "Năm 2022"],
    ]
    p = preview_plan_file(_save(tmp_path / "a.xlsx", [["KẾ HOẠCH NĂM 2022"], *rows]))
    assert _numbers(p) == [("I", ["1", "1.1", "1.2", "2"])]
    assert any("Excel đã đổi STT thành ngày" in n.reason for n in p.notes)


def test_rows_it_cannot_place_are_listed(tmp_path: Path) -> None:
    rows = [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện"],
        ["", "Dòng ghi chú trước mọi nhiệm vụ.", "", ""],
        ["I. Cải cách thể chế"],
        ["1", "Rà soát văn bản.", "Sở Tư pháp", "Quý I/2022"],
        ["", "Một nhiệm vụ không đánh số.", "Sở Nội vụ", "Quý II/2022"],
        ["3", "", "", ""],
        ["Nơi nhận:", "", "", ""],
    ]
    p = preview_plan_file(_save(tmp_path / "a.xlsx", [["KẾ HOẠCH NĂM 2022"], *rows]))
    assert p.task_count == 1
    got = {(n.row, n.reason.split(":")[0].split(" (")[0]) for n in p.unplaced}
    assert {r for r, _ in got} == {3, 6, 7, 8}
    assert any("không có số thứ tự" in n.reason for n in p.unplaced)
    assert all(n.text for n in p.unplaced)


def test_ambiguous_columns_need_a_mapping(db, tmp_path: Path) -> None:
    rows = [
        ["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Cơ quan thực hiện", "Thời gian"],
        ["1", "Rà soát", "Sở Tư pháp", "Sở Nội vụ", "Quý I/2022"],
    ]
    path = _save(tmp_path / "a.xlsx", [["KẾ HOẠCH NĂM 2022"], *rows])
    p = preview_plan_file(path)
    assert p.ambiguous
    (amb,) = p.ambiguities
    assert amb.field == "lead" and amb.columns == ("C", "D")
    assert "--map C=lead" in p.ambiguity_message()
    with db.transaction() as s, pytest.raises(PlanImportError, match="cột của bảng chưa rõ"):
        import_plan_file(s, path, get_unit(s, "MH"))
    mapping = parse_mapping(["d=lead", "C=partners"])
    p2 = preview_plan_file(path, mapping)
    assert not p2.ambiguous
    assert p2.draft.areas[0].tasks[0].lead == "Sở Nội vụ"
    assert p2.draft.areas[0].tasks[0].partners == "Sở Tư pháp"
    with pytest.raises(PlanImportError, match="COT=TRUONG"):
        parse_mapping(["E:lead"])
    with pytest.raises(PlanImportError, match="không có cột"):
        preview_plan_file(path, {"Z": "lead"})


def test_year_argument_and_plan_without_a_year(tmp_path: Path) -> None:
    rows = [["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"], ["1", "Rà soát", "Sở Tư pháp", "Tháng 3"],
            ["2", "Kiểm tra", "Sở Nội vụ", "Quý II/2023"]]
    path = _save(tmp_path / "a.xlsx", rows)
    p = preview_plan_file(path)
    assert p.year_source == "none" and p.draft.parse_year is None
    assert p.tasks[0].due_date is None and p.tasks[0].flagged  # shown, never guessed
    assert p.flagged == [p.tasks[0]]
    p = preview_plan_file(path, year=2023)
    assert p.year_source == "argument" and p.tasks[0].due_date == date(2023, 3, 31)


def test_first_sheet_with_a_table_is_used(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Ghi chú"
    wb.active.append(["Bảng này chỉ là ghi chú"])
    ws = wb.create_sheet("Phụ lục")
    ws.append(["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"])
    ws.append(["1", "Rà soát", "Sở Tư pháp", "Quý I/2022"])
    wb.save(tmp_path / "a.xlsx")
    p = preview_plan_file(tmp_path / "a.xlsx")
    assert p.sheet == "Phụ lục" and p.task_count == 1


def test_preview_as_dict_is_json_ready(tmp_path: Path) -> None:
    import json

    path = tmp_path / "a.xlsx"
    write_002(path)
    d = preview_plan_file(path).as_dict()
    text = json.dumps(d, ensure_ascii=False)
    assert d["areas"] == 7 and d["tasks"] == 38 and d["activities"] == 2
    assert d["tasks_per_area"][0] == {"numeral": "I", "title": "Cải cách thể chế", "numbers": ["1", "2", "3", "4"]}
    assert "Cải cách thể chế" in text
    assert HEADER_002[0] in [c["header"] for c in d["columns"]]


def test_areas_numbered_with_arabic_numerals_like_seed_001(tmp_path: Path) -> None:
    rows = [
        ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2026 - 2030"],
        ["STT", "Nhiệm vụ, giải pháp", "Đơn vị chủ trì", "Thời gian thực hiện"],
        ["1", "Công tác chỉ đạo điều hành cải cách hành chính", "", ""],
        ["1.1", "Thiết lập cơ chế theo dõi, đôn đốc, kiểm soát tiến độ", "Phòng Hành chính - Tổ chức",
         "Hằng năm"],
        ["1.2", "Tham mưu các giải pháp nâng cao chỉ số PAR INDEX", "Phòng Hành chính - Tổ chức", "Năm 2026"],
        ["2. Cải cách thể chế"],
        ["2.1", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "Phòng Pháp chế", "Quý IV/2026"],
        ["7", "Chuyển đổi số trong các cơ quan nhà nước", "", ""],
        ["7.1", "Đẩy mạnh điều hành dựa trên dữ liệu", "Trung tâm Tin học - Công báo", "Năm 2027"],
        ["8", "Hoàn thiện môi trường pháp lý", "", ""],
        ["8.1", "Rà soát khung pháp lý", "Văn phòng", "Năm 2027"],
    ]
    p = preview_plan_file(_save(tmp_path / "a.xlsx", rows))
    assert [(n, t) for n, t, _ in p.tasks_per_area] == [
        ("1", "Công tác chỉ đạo điều hành cải cách hành chính"), ("2", "Cải cách thể chế"),
        ("7", "Chuyển đổi số trong các cơ quan nhà nước")]
    assert _numbers(p) == [("1", ["1.1", "1.2"]), ("2", ["2.1"]), ("7", ["7.1", "8", "8.1"])]
    assert (p.draft.year_from, p.draft.year_to) == (2026, 2030)


@pytest.mark.skipif(not SEED_002.is_file(), reason="seed 002 not available")
@pytest.mark.parametrize("shape", ["raw", "raw-shifted", "word-paste"])
def test_002_other_shapes_give_the_demo_transcription(tmp_path: Path, shape: str) -> None:
    """The seed's own rows (HTML, page breaks, repeated headers, blank merged cells), also two columns
    to the right; and the table as Excel pastes it from Word (a row per paragraph, merged cells)."""
    path = tmp_path / "raw.xlsx"
    if shape == "word-paste":
        write_002_word_paste(path)
    else:
        write_002_raw(path, shift=2 if shape == "raw-shifted" else 0)
    p = preview_plan_file(path)
    assert (p.area_count, p.task_count, p.activity_count, p.unplaced) == (7, 38, 2, [])
    demo = demo_plan_draft()
    for got_area, want_area in zip(p.draft.areas, demo.areas, strict=True):
        assert (got_area.numeral, got_area.title) == (want_area.numeral, want_area.title)
        for got, want in zip(got_area.tasks, want_area.tasks, strict=True):
            for key in ("number", "title", "output", "lead", "partners", "timeframe_text"):
                assert _squash(getattr(got, key)) == _squash(getattr(want, key)), (got_area.numeral, got.number, key)
            assert [a.title for a in got.activities] == [a.title for a in want.activities]
    assert [t.due_date for t in p.tasks] == [
        parse_timeframe(t.timeframe_text, 2021).due_date for a in demo.areas for t in a.tasks]


def test_word_table_pasted_into_excel_one_paragraph_per_row(tmp_path: Path) -> None:
    """Excel puts each paragraph of a Word cell on its own row and merges the other cells down."""
    rows = [
        ["KẾ HOẠCH CCHC NĂM 2021"],
        ["Nhiệm vụ chung", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan chủ trì", "Thời gian thực hiện"],
        ["I. Cải cách thể chế", "1. Ban hành kế hoạch pháp chế.", "1. Kế hoạch.", "Sở Tư pháp", "- Quý I/2021."],
        ["", "Tổ chức thực hiện kế hoạch.", "2. Báo cáo.", "", "- Quý IV/2021."],
        ["", "- Kiểm tra việc thực hiện", "", "", ""],
        ["", "2. Theo dõi thi hành pháp luật", "Báo cáo", "Sở Tư pháp", "Năm 2021"],
    ]
    path = _save(tmp_path / "a.xlsx", rows, merges=("D3:D5", "A3:A6"))
    p = preview_plan_file(path)
    assert p.unplaced == []
    t1, t2 = p.draft.areas[0].tasks
    assert t1.title == "Ban hành kế hoạch pháp chế. Tổ chức thực hiện kế hoạch."
    assert [a.title for a in t1.activities] == ["Kiểm tra việc thực hiện"]
    assert t1.output == "1. Kế hoạch.\n2. Báo cáo." and t1.lead == "Sở Tư pháp"
    assert p.tasks[0].due_dates == (date(2021, 3, 31), date(2021, 12, 31))
    assert t2.number == "2"
