"""Matching unit names written in plan cells to the catalogue (core.org.units)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.org.unit_names import UnitMatcher, create_units, guess_level, is_unit_group, split_unit_list
from core.org.units import get_unit
from db.engine import open_database
from tests.helpers.plan_tables import demo_db_copy


@pytest.fixture()
def session(tmp_path: Path):
    db = open_database(demo_db_copy(tmp_path / "cchc.db"))
    with db.transaction() as s:
        yield s
    db.close()


@pytest.mark.parametrize("written,code", [
    ("Sở Tư pháp", "MH.STP"),
    ("sở tư pháp", "MH.STP"),
    ("SO TU PHAP", "MH.STP"),
    ("Sở Tư pháp tỉnh", "MH.STP"),
    ("Tư pháp", "MH.STP"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "MH.VP"),
    ("VP UBND tỉnh", "MH.VP"),
    ("Văn phòng UBND tỉnh.", "MH.VP"),
    ("Ủy ban nhân dân tỉnh Minh Họa", "MH"),
    ("Uỷ ban nhân dân tỉnh Minh Hoạ", "MH"),  # old-style accent placement
    ("Sở TT&TT", "MH.STTTT"),
    ("Sở TTTT", "MH.STTTT"),
    ("Sở GD&ĐT", "MH.SGDDT"),
    ("Sở Giáo dục - Đào tạo", None),
    ("Sở KH&CN", "MH.SKHCN"),
    ("Phòng Cải cách hành chính (Sở Nội vụ)", "MH.SNV.CCHC"),
    ("MH.STC", "MH.STC"),
    ("Sở, ban, ngành tỉnh", None),
    ("UBND cấp huyện", None),
])
def test_match_name(session, written, code) -> None:
    unit = UnitMatcher(session).match_name(written)
    assert (unit.code if unit else None) == code


def test_cells_with_several_units(session) -> None:
    m = UnitMatcher(session)
    assert [u.code for u in m.match("Sở Nội vụ; Sở Tài chính")] == ["MH.SNV", "MH.STC"]
    assert [u.code for u in m.match("- Sở Nội vụ\n- Sở Tư pháp\n- Sở Nội vụ")] == ["MH.SNV", "MH.STP"]
    cell = ("Các đơn vị: Tư pháp, Khoa học và Công nghệ; Thông tin và Truyền thông, Tài nguyên và Môi trường; "
            "Văn phòng UBND tỉnh.")
    assert [u.code for u in m.match(cell)] == ["MH.STP", "MH.SKHCN", "MH.STTTT", "MH.VP"]
    assert m.unknown(cell) == ["Tài nguyên và Môi trường"]
    assert m.unknown("Văn phòng HĐND tỉnh; Các Sở, ban, ngành có liên quan") == ["Văn phòng HĐND tỉnh"]
    assert split_unit_list("Các Sở: Nội vụ; Tài chính") == ["Sở Nội vụ", "Sở Tài chính"]
    assert split_unit_list("Sở, ban, ngành tỉnh, UBND cấp huyện") == ["Sở, ban, ngành tỉnh, UBND cấp huyện"]


@pytest.mark.parametrize("name,group", [
    ("Các Sở, ban, ngành có liên quan", True), ("UBND các huyện, thị xã, thành phố", True),
    ("Sở, ban, ngành tỉnh, UBND cấp huyện", True), ("Theo Quyết định của Chủ tịch UBND tỉnh", True),
    ("Bưu điện tỉnh", False), ("Văn phòng HĐND tỉnh", False), ("Tổng đài 1022", False),
])
def test_groups_are_not_units(name, group) -> None:
    assert is_unit_group(name) is group


def test_create_units_under_the_plan_unit(session) -> None:
    sgd = get_unit(session, "MH.SGDDT")
    a, b, c = create_units(session, ["Phòng Tổ chức cán bộ", "Phòng Tổ chức cán bộ ", "Bưu điện tỉnh"], sgd)
    assert (a.code, a.level, a.parent) == ("MH.SGDDT.PTCCB", "phong", sgd)
    assert b.code == "MH.SGDDT.PTCCB2" and b.name == "Phòng Tổ chức cán bộ"
    assert c.code == "MH.SGDDT.BDT"
    assert guess_level("Sở Y tế", get_unit(session, "MH")) == "so"
    assert guess_level("UBND xã An Lạc", None) == "xa"
    assert guess_level("Văn phòng", get_unit(session, "MH")) == "so"
    assert UnitMatcher(session).match_name("phòng tổ chức cán bộ").code == "MH.SGDDT.PTCCB"
