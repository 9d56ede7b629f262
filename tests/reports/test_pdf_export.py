"""The PDF report of a return, checked through what poppler extracts from it."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.org.report_header import ReportHeaderInfo, header_info_from_settings
from core.org.settings import set_settings
from core.org.units import get_unit
from core.periods import parse_period_code
from core.reports.pdf_content import build_report_document, export_return_pdf, summary_line
from core.returns.entry import find_unit_return, open_return
from core.returns.narrative import set_section_text
from core.returns.report_collect import collect_return_export
from core.returns.workflow import reopen_return, submit_return

H1 = "2021-H1"
APPENDIX_MARK = "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ"


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} (poppler-utils) is required for this test but was not found on PATH")
    return exe


def _text(pdf: Path, *, raw: bool = False, first: int | None = None, last: int | None = None) -> str:
    args = [_tool("pdftotext"), "-raw" if raw else "-layout", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True).stdout.decode("utf-8")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).replace("\u00a0", " ")).strip()


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.replace("\u00a0", " ").splitlines() if ln.strip()]


@pytest.fixture
def exported(demo_db, tmp_path: Path):  # noqa: ANN001, ANN201
    # The demo's return is submitted, so frozen: reopened, given its number, date and signer, submitted again.
    with demo_db.transaction() as s:
        unit = get_unit(s, "MH")
        ret = find_unit_return(s, "MH", H1)
        reopen_return(s, ret.id, "Ghi số, ngày văn bản và người ký")
        set_settings(s, unit, {"report.issue_date": "18/06/2021", "report.document_number": "105/BC-UBND",
                               "report.signer_name": "Đỗ Tiến Đông"})
        submit_return(s, ret.id)
    with demo_db.session() as s:
        data = collect_return_export(s, "MH", H1)
    path = export_return_pdf(data, tmp_path / f"{data.file_stem()}.pdf")
    return path, data


def test_header_lines_exactly(exported) -> None:  # noqa: ANN001
    pdf, _ = exported
    lines = [re.sub(r"\s{2,}", "  ", ln) for ln in _lines(_text(pdf, first=1, last=1))]
    first_lines = "\n".join(lines[:8])
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 105/BC-UBND",
                     "Minh Họa, ngày 18 tháng 6 năm 2021", "BÁO CÁO", "Kính gửi: Bộ Nội vụ"):
        assert expected in first_lines, (expected, first_lines)
    assert lines[0].startswith("ỦY BAN NHÂN DÂN") and "TỈNH MINH HỌA" in lines[1]
    assert "BÁO CÁO" in lines
    folded = _fold(_text(pdf, first=1, last=1))
    assert "Tình hình, kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2021" in folded


def test_narrative_figures_in_vietnamese_format(exported) -> None:  # noqa: ANN001
    pdf, _ = exported
    body = _fold(_text(pdf, raw=True))
    # The drafted sentences, in the seed report's phrasing (core.returns.narrative).
    assert "Đến hết ngày 14/6/2021, đã hoàn thành 11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,95%)." in body
    assert "Quyết định số 751/QĐ-UBND ngày 26/12/2020, xác định 38 nhiệm vụ cụ thể" in body
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" in body and "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ CCHC 6 THÁNG CUỐI NĂM 2021" in body
    assert "Tổng số TTHC đang có hiệu lực là 1.964 thủ tục (cấp tỉnh 1.494, cấp huyện 297, cấp xã 173)." in body
    assert "đã xử lý xong 13/13 vấn đề (đạt 100%)" in body
    assert "kính báo cáo Bộ Nội vụ theo quy định./." in body
    assert "Nơi nhận:" in body and "- Như trên;" in body and "TM. ỦY BAN NHÂN DÂN" in body
    assert "Đỗ Tiến Đông" in body


def test_every_appendix_row_is_printed(exported) -> None:  # noqa: ANN001
    pdf, data = exported
    text = _fold(_text(pdf, raw=True))
    assert "Phụ lục I" in text and "Phụ lục II" in text
    assert "(Kèm theo Báo cáo số 105/BC-UBND ngày 18/06/2021 của Ủy ban nhân dân tỉnh Minh Họa)" in text
    for r in data.rows:
        assert f"{r.stt} {_fold(r.print_name)}".strip() in text, r.code
        if r.display:
            assert f"{_fold(r.unit_label)} {r.display}".strip() in text, r.code
        if r.note:
            assert _fold(r.note) in text, r.code
    for value in ("3.133", "1.964", "72,8", "69,13", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2"):
        assert value in text
    for t in data.tasks:
        assert _fold(f"{t.number} {t.title}") in text, (t.area_numeral, t.number)
        assert _fold(t.status_label) in text
        for e in t.evidence:
            assert _fold(e.label) in text
    assert "TỔNG CỘNG: 38 nhiệm vụ; hoàn thành 11/38 nhiệm vụ (đạt 28,95%)" in text


def test_fonts_embedded_and_a4(exported) -> None:  # noqa: ANN001
    pdf, _ = exported
    out = subprocess.run([_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes" and cols[-3] == "yes", row  # embedded, with a ToUnicode map
    reader = PdfReader(str(pdf))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert sizes[0] == (595, 842)
    assert set(sizes) == {(595, 842), (842, 595)}  # A4 portrait body, A4 landscape appendices
    first_appendix = next(i for i, p in enumerate(reader.pages) if APPENDIX_MARK in (p.extract_text() or ""))
    assert all(s == (595, 842) for s in sizes[:first_appendix])
    assert all(s == (842, 595) for s in sizes[first_appendix:])


def test_page_numbers_from_page_two_and_headers_repeat(exported) -> None:  # noqa: ANN001
    pdf, _ = exported
    assert not re.fullmatch(r"\d+", _lines(_text(pdf, first=1, last=1))[0])
    assert _lines(_text(pdf, first=2, last=2))[0] == "2"
    reader = PdfReader(str(pdf))
    start = next(i for i, p in enumerate(reader.pages) if APPENDIX_MARK in (p.extract_text() or "")) + 1
    for page in range(start, len(reader.pages) + 1):
        text = _fold(_text(pdf, raw=True, first=page, last=page))
        if re.match(r"\(\d+\) ", text):
            continue  # a page holding only the appendix's numbered notes, under the end of its table
        assert "STT" in text and ("Đơn vị tính" in text or "Nhiệm vụ Cơ quan chủ trì" in text), page


def test_rendered_first_page(exported, tmp_path: Path) -> None:  # noqa: ANN001
    pdf, _ = exported
    subprocess.run([_tool("pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                   check=True)
    assert list(tmp_path.glob("p-*1.png"))


def test_user_text_replaces_the_draft_and_drafts_fill_the_rest(demo_db, tmp_path: Path) -> None:
    with demo_db.transaction() as s:
        ret = open_return(s, "MH", "2021-Q3")
        set_section_text(s, ret, "I.2", "Đoạn một do người dùng viết.\n\nĐoạn hai.")
    with demo_db.session() as s:
        data = collect_return_export(s, "MH", "2021-Q3")
    doc = build_report_document(data)
    headings = [sec.heading for sec in doc.sections]
    assert headings[:2] == ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC"]
    assert "V. ĐỀ XUẤT, KIẾN NGHỊ" in headings
    i2 = next(sub for sub in doc.sections[0].subsections if sub.heading.startswith("2."))
    assert i2.paragraphs == ["Đoạn một do người dùng viết.", "Đoạn hai."]
    text = _fold(_text(export_return_pdf(data, tmp_path / "r.pdf"), raw=True))
    assert "Đoạn một do người dùng viết." in text
    assert "đã hoàn thành 11/38 nhiệm vụ trong Kế hoạch CCHC" in text  # I.1 still drafted from the plan


def test_summary_and_next_period_phrases() -> None:
    assert summary_line(parse_period_code("2022-Q1")) == (
        "Tình hình, kết quả thực hiện công tác cải cách hành chính Quý I năm 2022")
    assert parse_period_code("2022-Q1").next_phrase == "Quý II năm 2022"
    assert parse_period_code("2022-Q4").next_phrase == "năm 2023"
    assert parse_period_code("2021-H1").next_phrase == "6 tháng cuối năm 2021"
    assert parse_period_code("2021-9M").next_phrase == "Quý IV năm 2021"


def test_blank_number_and_date_are_left_to_fill_in(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as s:
        header = header_info_from_settings(s, get_unit(s, "MH"))
        data = collect_return_export(s, "MH", H1, header=header)
    assert isinstance(data.header, ReportHeaderInfo)
    text = _fold(_text(export_return_pdf(data, tmp_path / "blank.pdf"), first=1, last=1))
    assert "Số: /BC-UBND" in text
    assert "Minh Họa, ngày tháng năm 2021" in text
