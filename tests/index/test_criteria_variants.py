"""Other layouts a province's table takes: the Ministry's numbering (areas 1, criteria 1.1, sub-criteria 1.1.1,
no Roman numeral), and a short commune table (TT | Nội dung | Điểm chuẩn | Điểm tự chấm | Cách tính điểm) with
lettered sub-criteria, areas without a printed maximum and a deduction area."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from core.index.criteria_import import read_criteria_table


def _book(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_ministry_numbering_makes_the_first_level_the_areas(tmp_path: Path) -> None:
    path = _book(tmp_path / "bo.xlsx", [
        ["BẢNG 1"], ["TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"],
        ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Tài liệu kiểm chứng"],
        ["1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "5", None], ["1.1", "Kế hoạch CCHC năm", "2", None],
        ["1.1.1", "Ban hành kế hoạch", "1", "Kế hoạch"], ["1.1.2", "Mức độ hoàn thành", "1", "Báo cáo"],
        ["1.2", "Kiểm tra CCHC", "3", "Kế hoạch kiểm tra"], ["2", "CẢI CÁCH THỂ CHẾ", "4", None],
        ["2.1", "Xây dựng VBQPPL", "4", None], ["2.1.1", "Ban hành đúng hạn", "2,5", None],
        ["2.1.2", "Đúng quy trình", "1,5", None], ["3", "ĐIỂM ĐIỀU TRA XÃ HỘI HỌC", "10", None],
        ["3.1", "Mức độ hài lòng", "10", None], [None, "Tổng cộng", "19", None]])
    p = read_criteria_table(path, 2025, "so").preview()
    assert (p["areas"], p["criteria"], p["sub_criteria"], p["leaves"]) == (3, 4, 4, 6)
    assert [(a["stt"], a["max"], a["kind"]) for a in p["areas_list"]] == [
        ("1", "5", "self"), ("2", "4", "self"), ("3", "10", "survey")]
    assert p["total_max"] == "19" and p["mismatches"] == []


def test_lettered_sub_criteria_summed_areas_and_a_deduction_area(tmp_path: Path) -> None:
    path = _book(tmp_path / "xa.xlsx", [
        ["PHỤ LỤC"], ["BỘ TIÊU CHÍ ĐÁNH GIÁ CÔNG TÁC CCHC CỦA UBND CẤP XÃ"],
        ["TT", "Nội dung", "Điểm chuẩn", "Điểm tự chấm", "Cách tính điểm"],
        ["I", "Công tác chỉ đạo điều hành", None, None, None], ["1", "Kế hoạch CCHC", 3, None, None],
        ["a", "Ban hành kế hoạch đúng hạn", 1, None, "Đúng hạn: 1"], ["b", "Hoàn thành kế hoạch", 2, None, "100%: 2"],
        ["2", "Báo cáo định kỳ", 2, None, "Đủ, đúng hạn: 2"], ["II", "Điểm trừ", None, None, None],
        ["3", "Bị phê bình", -1, None, "Trừ 1 điểm"], ["", "Tổng số điểm", 5, None, None]])
    cset = read_criteria_table(path, 2025)
    p = cset.preview()
    assert p["level"] == "xa"  # "UBND CẤP XÃ" in the title
    assert (p["areas"], p["criteria"], p["sub_criteria"]) == (2, 3, 2)
    assert [(a["stt"], a["max"], a["kind"]) for a in p["areas_list"]] == [("I", "5", "self"), ("II", "1", "deduction")]
    by = {c.code: c for c in cset.criteria}
    assert (by["1.b"].parent, by["1.b"].stt, by["1.b"].scoring_guide) == ("1", "b)", "100%: 2")
    assert p["total_max"] == "5" and p["mismatches"] == []


def test_numbers_restarting_in_each_area_parts_and_worded_maxima(tmp_path: Path) -> None:
    path = _book(tmp_path / "huyen.xlsx", [
        ["BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND CẤP HUYỆN"],
        ["STT", "Tiêu chí", "Điểm tối đa", "Hướng dẫn chấm điểm"],
        ["A", "CÁC TIÊU CHÍ TỰ ĐÁNH GIÁ", None, None],
        ["I", "CÔNG TÁC CHỈ ĐẠO", "Tối đa 3 điểm", None], ["1", "Kế hoạch CCHC", "2đ", "Đúng hạn: 2"],
        ["2", "Báo cáo", "1", "Đủ: 1"],
        ["II", "CẢI CÁCH THỂ CHẾ", "3", None], ["1", "Ban hành văn bản", "1,5", None],
        ["1.1", "Đúng hạn", "1", None], ["1.2", "Đúng quy trình", "0,5", None], ["2", "Rà soát", "1,5", None],
        ["B", "ĐÁNH GIÁ CỦA NGƯỜI DÂN", None, None],
        ["III", "MỨC ĐỘ HÀI LÒNG (SIPAS)", "4", None], ["1", "Hài lòng về thủ tục", "4", None],
        ["", "TỔNG CỘNG", "10", None]])
    cset = read_criteria_table(path, 2025)
    p = cset.preview()
    assert p["level"] == "huyen"
    assert (p["areas"], p["criteria"], p["sub_criteria"]) == (3, 5, 2)
    assert p["max_per_area"] == {"I": "3", "II": "3", "III": "4"} and p["total_max"] == "10"
    assert p["max_by_kind"]["survey"] == "4" and p["mismatches"] == []
    codes = [c.code for c in cset.criteria]
    assert len(codes) == len(set(codes)) and "II.1" in codes and "II.1.1" in codes
