"""Issue 15: the signature block follows Decree 30 (TM./KT./Q./TL./TUQ. with the titles each requires),
every bad field is named at once, the preview shows what the PDF prints (the same lines, defaults
included), and empty fields show the default that will print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from core.org.settings import SettingError, set_settings
from core.org.units import get_unit
from core.reports.files import export_return_files
from tests.conftest import dump_tables


@pytest.fixture
def section(qtbot, demo_db):
    from gui.app import make_application
    from gui.pages.report_settings import ReportSettingsSection

    make_application()
    w = ReportSettingsSection(demo_db)
    qtbot.addWidget(w)
    with demo_db.session() as s:
        w.set_unit(get_unit(s, "MH").id, "2021-H1")
    w.show()
    return w


def _pdf_lines(pdf: Path) -> list[str]:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext (poppler-utils) is required for this test")
    text = subprocess.run([exe, "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
    return [ln.strip() for ln in text.decode("utf-8").replace("\u00a0", " ").splitlines() if ln.strip()]


@pytest.mark.parametrize(("prefix", "fields", "message"), [
    ("KT.", {"report.position": "Phó Chủ tịch"},
     "Ký thay (KT.) cần chức danh người đứng đầu, ví dụ “KT. CHỦ TỊCH”, “KT. GIÁM ĐỐC”."),
    ("TM.", {}, "Thay mặt (TM.) cần tên tập thể lãnh đạo, ví dụ “TM. ỦY BAN NHÂN DÂN”."),
    ("TL.", {"report.head_title": "Giám đốc"}, "Thừa lệnh (TL.) cần chức vụ của người ký, ví dụ “CHÁNH VĂN PHÒNG”."),
    ("TUQ.", {"report.position": "Chánh Văn phòng"}, "Thừa ủy quyền (TUQ.) cần chức danh người đứng đầu"),
    ("Q.", {}, "Quyền (Q.) cần chức danh người đứng đầu"),
])
def test_a_signature_block_decree_30_does_not_allow_is_refused_and_nothing_is_stored(demo_db, prefix, fields,
                                                                                     message):
    before = dump_tables(demo_db)
    with pytest.raises(SettingError) as refused, demo_db.transaction() as s:
        set_settings(s, get_unit(s, "MH"), {"report.title_prefix": prefix, **fields})
    assert message in str(refused.value)
    assert dump_tables(demo_db) == before


def test_every_bad_setting_is_named_at_once(section, demo_db):
    before = dump_tables(demo_db)
    section.fields["report.title_prefix"].setCurrentIndex(section.fields["report.title_prefix"].findData("KT."))
    section.fields["report.issue_date"].setText("31/02/2021")
    section.fields["period.cutoff_day"].setText("40")
    assert not section.save()
    shown = section.message.text()
    assert shown.startswith("Chưa lưu vì:")
    assert "“31/02/2021” tháng 2 năm 2021 không có ngày 31 (tháng này có 28 ngày)" in shown
    assert "phải từ 1 đến 28, không nhận 40" in shown or "không nhận 40" in shown
    assert "Ký thay (KT.) cần chức danh người đứng đầu" in shown or "Ký thay" not in shown
    assert dump_tables(demo_db) == before


def test_the_preview_and_the_empty_fields_show_what_the_pdf_prints(section, demo_db, tmp_path):
    # Nothing set for the province: Decree 30's default for a People's Committee.
    preview = section.signature_preview.text()
    assert "<b>TM. ỦY BAN NHÂN DÂN</b><br><b>CHỦ TỊCH</b>" in preview
    assert "Chưa có thông tin người ký" not in preview
    assert section.fields["report.issuing_body"].placeholderText() == "Để trống sẽ in: ỦY BAN NHÂN DÂN TỈNH MINH HỌA"
    assert section.fields["report.position"].placeholderText() == "Để trống sẽ in: CHỦ TỊCH"
    assert section.fields["report.collective_body"].placeholderText() == "Để trống sẽ in: ỦY BAN NHÂN DÂN"
    assert not any(w.placeholderText().startswith("Ví dụ") for k, w in section.fields.items()
                   if k in ("report.issuing_body", "report.place", "report.position", "report.document_number"))
    pdf = tmp_path / "bc.pdf"
    export_return_files(demo_db, "MH", "2021-H1", pdf=pdf)
    lines = _pdf_lines(pdf)
    i = lines.index("TM. ỦY BAN NHÂN DÂN")
    assert lines[i + 1] == "CHỦ TỊCH"

    # A deputy signing for the chairman: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH, as the seed report prints.
    for key, value in (("report.collective_body", "Ủy ban nhân dân"), ("report.head_title", "Chủ tịch"),
                       ("report.position", "Phó Chủ tịch"), ("report.signer_name", "Đỗ Tiến Đông")):
        section.fields[key].setText(value)
    section.fields["report.title_prefix"].setCurrentIndex(section.fields["report.title_prefix"].findData("KT."))
    assert section.save(), section.message.text()
    preview = section.signature_preview.text()
    assert ("<b>TM. ỦY BAN NHÂN DÂN</b><br><b>KT. CHỦ TỊCH</b><br><b>PHÓ CHỦ TỊCH</b><br><br><br><br>"
            "<b>Đỗ Tiến Đông</b>") in preview
    pdf = tmp_path / "q3.pdf"  # the draft Quý III return: a submitted one prints what it froze
    export_return_files(demo_db, "MH", "2021-Q3", pdf=pdf)
    lines = _pdf_lines(pdf)
    i = lines.index("TM. ỦY BAN NHÂN DÂN")
    assert lines[i + 1:i + 3] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert "Đỗ Tiến Đông" in lines[i + 3:]
