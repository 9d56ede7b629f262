"""File names that leave the PC, and the report header read from unit settings."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from core.filenames import export_file_stem, period_file_part, safe_filename
from core.org.report_header import BLANK_NUMBER, header_info_from_settings
from core.org.settings import set_settings
from core.org.units import get_unit
from core.periods import parse_period_code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2022-Q1", "Quý_I_năm_2022"),
        ("2021-H1", "6_tháng_đầu_năm_2021"),
        ("2021-9M", "9_tháng_năm_2021"),
        ("2022-Y", "Năm_2022"),
    ],
)
def test_period_part(code: str, expected: str) -> None:
    assert period_file_part(parse_period_code(code)) == expected


def test_export_stem_keeps_diacritics_in_nfc() -> None:
    stem = export_file_stem("MH.SNV", parse_period_code("2022-Q1"))
    assert stem == "BaoCao_CCHC_MH.SNV_Quý_I_năm_2022"
    assert unicodedata.is_normalized("NFC", stem)


def test_safe_filename() -> None:
    nfd = unicodedata.normalize("NFD", "Báo cáo: Quý I/2022?.xlsx")
    name = safe_filename(nfd)
    assert name == "Báo cáo- Quý I-2022-.xlsx"
    assert unicodedata.is_normalized("NFC", name)
    assert not any(ch in name for ch in '<>:"/\\|?*')
    assert safe_filename("CON.pdf") == "_CON.pdf"
    assert safe_filename("báo cáo . ") == "báo cáo"
    assert safe_filename("a\x00b\tc.pdf") == "a-b-c.pdf"
    assert len(safe_filename("x" * 400 + ".xlsx")) <= 130


def test_header_defaults_for_the_province(demo_db) -> None:
    with demo_db.session() as s:
        h = header_info_from_settings(s, get_unit(s, "MH"))
    assert h.issuing_body == "ỦY BAN NHÂN DÂN TỈNH MINH HỌA"
    assert h.superior_body == ""
    assert h.document_number == f"{BLANK_NUMBER}/BC-UBND" and h.number_symbol == "BC-UBND"
    assert h.place == "Minh Họa"
    assert (h.authority_line, h.acting_line, h.position) == ("TM. ỦY BAN NHÂN DÂN", "", "CHỦ TỊCH")
    assert h.recipients == ["Bộ Nội vụ"]
    assert h.distribution == ["Như trên;", "Lưu: VT."]
    assert h.issue_date is None and h.signer_name == "Nguyễn Văn Minh"  # the demo names its signer


def test_header_defaults_for_a_department_and_a_commune(demo_db) -> None:
    with demo_db.session() as s:
        snv = header_info_from_settings(s, get_unit(s, "MH.SNV"))
        xa = header_info_from_settings(s, get_unit(s, "MH.HAB.XAL"))
    assert snv.issuing_body == "SỞ NỘI VỤ" and snv.superior_body == "UBND TỈNH MINH HỌA"
    assert snv.document_number.endswith("/BC-SNV") and snv.position == "GIÁM ĐỐC"
    assert snv.place == "Minh Họa"
    assert snv.recipients == ["Ủy ban nhân dân tỉnh Minh Họa"]
    assert xa.issuing_body == "ỦY BAN NHÂN DÂN XÃ AN LẠC" and xa.place == "An Lạc"


def test_header_from_unit_settings(demo_db) -> None:
    with demo_db.transaction() as s:
        set_settings(s, get_unit(s, "MH"), {
            "report.document_number": "25/BC-UBND",
            "report.place": "Gia Lai",
            "report.issue_date": "05/01/2022",
            "report.signer_name": "Đỗ Tiến Đông",
            "report.title_prefix": "KT.",
            "report.collective_body": "Ủy ban nhân dân",
            "report.head_title": "Chủ tịch",
            "report.position": "Phó Chủ tịch",
            "report.recipients": "Bộ Nội vụ;\r\nVăn phòng Chính phủ.\n",
            "report.distribution": "Như trên;\nSở Nội vụ;\nLưu: VT, NC.",
        })
    with demo_db.session() as s:
        h = header_info_from_settings(s, get_unit(s, "MH"))
    assert h.document_number == "25/BC-UBND"
    assert h.place == "Gia Lai"
    assert h.issue_date == date(2022, 1, 5)
    assert (h.acting_line, h.position, h.signer_name) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Tiến Đông")
    assert h.authority_line == "TM. ỦY BAN NHÂN DÂN"
    assert h.recipients == ["Bộ Nội vụ;", "Văn phòng Chính phủ."]
    assert h.distribution == ["Như trên;", "Sở Nội vụ;", "Lưu: VT, NC."]
