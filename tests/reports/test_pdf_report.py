"""PDF renderer for Decree-30 reports: asserts on what a reader sees in the PDF."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.paths import resource_path
from core.reports import fonts as fonts_mod
from core.reports.fonts import resolve_serif_fonts
from core.reports.pdf_layout import (
    AppendixTable,
    ReportDocument,
    ReportParagraph,
    ReportSection,
    Signature,
    build_date_line,
    render_report_pdf,
)

SUMMARY = "Tình hình, kết quả thực hiện công tác cải cách hành chính Quý I năm 2022"
SENTENCE_11_38 = (
    "Ủy ban nhân dân tỉnh (UBND tỉnh) ban hành Quyết định số 751/QĐ-UBND ngày 26/12/2020 về Kế hoạch "
    "CCHC năm 2021 của tỉnh Gia Lai, xác định 38 nhiệm vụ cụ thể. Đến hết ngày 15/6/2021, tỉnh đã hoàn "
    "thành 11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,94%), các nhiệm vụ còn lại chưa đến thời gian hoàn thành."
)

# (code, name, unit, value, note); a code ending in "." with no unit is a group heading (bold).
APPENDIX_ROWS: list[tuple[str, str, str, str, str]] = [
    ("1.", "Công tác chỉ đạo điều hành CCHC", "", "", ""),
    ("1.1.", "Kế hoạch CCHC", "", "", ""),
    ("1.1.1.", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "38", ""),
    ("1.1.2.", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "11", ""),
    ("1.1.3.", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "13", ""),
    ("1.2.", "Kiểm tra CCHC", "", "", ""),
    ("1.2.1.", "Số sở, ngành đã kiểm tra", "Cơ quan, đơn vị", "6", ""),
    ("1.2.2.", "Số UBND cấp huyện đã kiểm tra", "Cơ quan, đơn vị", "1", ""),
    ("1.2.3.", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "13", "Số liệu tạm tính đến ngày 09/6/2021"),
    ("1.2.4.", "Số vấn đề phát hiện đã xử lý xong", "Vấn đề", "13", ""),
    ("1.3.", "Thực hiện nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao", "", "", ""),
    ("1.3.1.", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "13", ""),
    ("1.3.2.", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ", "6", ""),
    ("1.3.3.", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Nhiệm vụ", "0", ""),
    ("1.4.", "Khảo sát sự hài lòng của người dân, tổ chức", "", "", ""),
    ("1.4.1.", "Số lượng phiếu khảo sát", "Số lượng", "3.133", ""),
    ("1.4.2.", "Hình thức khảo sát", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", "1", ""),
    ("1.5.", "Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp", "Không = 0 Có = 1", "1", ""),
    ("2.", "Cải cách thể chế", "", "", ""),
    ("2.1.", "Số VBQPPL đã ban hành/tham mưu ban hành", "Văn bản", "17", ""),
    ("2.2.", "Số VBQPPL đã kiểm tra theo thẩm quyền", "Văn bản", "8", ""),
    ("2.3.", "Số VBQPPL đã rà soát", "Văn bản", "94", ""),
    ("2.4.", "Số VBQPPL đã kiến nghị xử lý sau kiểm tra, rà soát", "Văn bản", "39", ""),
    ("2.5.", "Số VBQPPL có kiến nghị xử lý đã được xử lý xong", "Văn bản", "19", ""),
    ("3.", "Cải cách thủ tục hành chính", "", "", ""),
    ("3.1.", "Thống kê TTHC", "", "", ""),
    ("3.1.1.", "Số TTHC công bố mới", "Thủ tục", "75", ""),
    ("3.1.2.", "Số TTHC bãi bỏ, thay thế", "Thủ tục", "142", "Sửa đổi, bổ sung 53 TTHC; bãi bỏ 89 TTHC"),
    ("3.1.3.", "Tổng số TTHC đang có hiệu lực", "Thủ tục", "1.964", "Số liệu đến ngày 14/6/2021"),
    ("3.2.", "Vận hành Cổng dịch vụ công", "", "", ""),
    ("3.2.1.", "Số TTHC đã cập nhật, công khai trên Cổng DVC quốc gia", "Thủ tục", "1.850", ""),
    ("3.2.2.", "Số TTHC mức độ 3 và 4 đã tích hợp lên Cổng DVC quốc gia", "Thủ tục", "540", ""),
    ("3.3.", "Thực hiện cơ chế một cửa, một cửa liên thông", "", "", ""),
    ("3.3.1.", "Số TTHC liên thông cùng cấp", "Thủ tục", "133", ""),
    ("3.3.2.", "Số TTHC liên thông giữa các cấp chính quyền", "Thủ tục", "102", ""),
    ("3.3.3.", "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ", "%", "100", ""),
    ("3.3.4.", "Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hóa", "%", "100", ""),
    ("3.4.", "Kết quả giải quyết TTHC", "", "", "Số liệu tính đến ngày 14/3/2021"),
    ("3.4.1.", "Tỷ lệ hồ sơ TTHC do các sở, ngành tiếp nhận được giải quyết đúng hạn", "%", "70", ""),
    ("3.4.2.", "Tỷ lệ hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn", "%", "72,8", ""),
    ("3.4.3.", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", "%", "87,8", ""),
    ("4.", "Cải cách tổ chức bộ máy hành chính nhà nước", "", "", ""),
    ("4.1.", "Cơ cấu tổ chức bộ máy", "", "", ""),
    ("4.1.1.", "Số cơ quan chuyên môn cấp tỉnh", "Cơ quan, đơn vị", "19", ""),
    ("4.1.2.", "Số ban quản lý trực thuộc UBND cấp tỉnh", "Cơ quan, đơn vị", "01", ""),
    ("4.1.3.", "Số tổ chức liên ngành do cấp tỉnh thành lập", "Cơ quan, đơn vị", "01", ""),
    ("4.1.4.", "Tổng số đơn vị sự nghiệp công lập trên địa bàn tỉnh", "Cơ quan, đơn vị", "861", ""),
    ("4.2.", "Số liệu về biên chế công chức", "", "", ""),
    ("4.2.1.", "Tổng số biên chế được giao trong năm", "Người", "2.673", "Cấp tỉnh: 1.300; cấp huyện 1.373"),
    ("4.2.2.", "Tổng số biên chế có mặt tại thời điểm báo cáo", "Người", "2.567", "Số liệu đến ngày 30/5/2021"),
    ("4.2.3.", "Số hợp đồng lao động làm việc tại cơ quan hành chính nhà nước", "Người", "192",
     "Cấp tỉnh 117; cấp huyện 75"),
    ("4.2.4.", "Số biên chế đã tinh giản trong kỳ báo cáo", "Người", "304", ""),
    ("5.", "Cải cách chế độ công vụ", "", "", ""),
    ("5.1.", "Vị trí việc làm của công chức, viên chức", "", "", ""),
    ("5.1.1.", "Số cơ quan, tổ chức hành chính đã được phê duyệt vị trí việc làm theo quy định",
     "Cơ quan, đơn vị", "19", ""),
    ("5.1.2.", "Số đơn vị sự nghiệp đã được phê duyệt vị trí việc làm theo quy định", "Cơ quan, đơn vị", "861", ""),
    ("5.2.", "Tuyển dụng công chức, viên chức", "", "", ""),
    ("5.2.1.", "Số công chức được tuyển dụng (thi tuyển, xét tuyển)", "Người", "138", ""),
    ("5.2.2.", "Số công chức được tuyển dụng theo trường hợp đặc biệt", "Người", "5", "Số liệu đến ngày 10/6/2021"),
    ("6.", "Cải cách tài chính công", "", "", ""),
    ("6.1.", "Số đơn vị SNCL đã thực hiện tự chủ 100% chi thường xuyên và chi đầu tư", "Cơ quan, đơn vị", "4",
     "Cấp tỉnh 04 đơn vị; cấp huyện 0 đơn vị"),
    ("7.", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "", "", ""),
    ("7.1.", "Cập nhật Kiến trúc chính quyền điện tử phiên bản 2.0", "Chưa = 0 Hoàn thành = 1", "1", ""),
    ("7.2.", "Tỷ lệ hồ sơ xử lý trực tuyến mức độ 3 & 4 (<Cổng DVC>)", "%", "69,13", ""),
]


def _is_group(row: tuple[str, str, str, str, str]) -> bool:
    return row[2] == "" and row[3] == "" and row[0].count(".") <= 2


def make_sample_document(issue_date: date | None = date(2022, 1, 5)) -> ReportDocument:
    """A realistic quarterly report, built from sentences of the Gia Lai seed report."""
    rows = [list(r) for r in APPENDIX_ROWS]
    appendix = AppendixTable(
        title_lines=[
            "Phụ lục",
            "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN",
            "CÔNG TÁC CẢI CÁCH HÀNH CHÍNH TỈNH GIA LAI",
        ],
        subtitle="(Kèm theo Báo cáo số 25/BC-UBND ngày 05/01/2022 của Ủy ban nhân dân tỉnh Gia Lai)",
        header_rows=[
            ["STT", "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)",
             "Kết quả thống kê", None, "Ghi chú"],
            [None, None, "Đơn vị tính", "Số liệu", None],
        ],
        spans=[((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (3, 0)), ((4, 0), (4, 1))],
        rows=rows,
        bold_rows={i for i, r in enumerate(APPENDIX_ROWS) if _is_group(r)},
        italic_rows=set(),
        col_widths_mm=[18, 110, 45, 30, 59],
        align=["CENTER", "LEFT", "CENTER", "RIGHT", "LEFT"],
        landscape=True,
    )
    sections = [
        ReportSection(
            heading="I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
            paragraphs=[],
            subsections=[
                ReportSection("1. Về xây dựng kế hoạch cải cách hành chính (CCHC)", [SENTENCE_11_38]),
                ReportSection("2. Về tổ chức chỉ đạo, điều hành CCHC", [
                    "Trong 6 tháng đầu năm 2021, UBND tỉnh ban hành kịp thời các văn bản chỉ đạo, điều hành "
                    "triển khai kế hoạch CCHC năm 2021 của tỉnh.",
                    "Về thẩm định Chỉ số CCHC của tỉnh năm 2020: Ngày 22/02/2021, UBND tỉnh ban hành Báo cáo số "
                    "25/BC-UBND về kết quả tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần xác định Chỉ số "
                    "CCHC năm 2020 của tỉnh Gia Lai, đồng thời hoàn thành việc nhập dữ liệu kết quả và tài liệu "
                    "kiểm chứng (lần 1, lần 2) vào phần mềm Quản lý chấm điểm xác định Chỉ số CCHC của Bộ Nội vụ.",
                ]),
                ReportSection("3. Về kiểm tra CCHC", [
                    "Ngày 08/02/2021, UBND tỉnh ban hành Quyết định số 104/QĐ-UBND về Kế hoạch kiểm tra công tác "
                    "CCHC trên địa bàn tỉnh Gia Lai năm 2021. Từ ngày 24/3/2021 đến hết ngày 09/6/2021 đã hoàn thành "
                    "kiểm tra (đợt 1) tại 07/14 đơn vị, địa phương (đạt 50%).",
                ]),
            ],
        ),
        ReportSection(
            heading="II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC",
            paragraphs=[],
            subsections=[
                ReportSection("1. Cải cách thể chế", [], [
                    ReportSection("a) Xây dựng và ban hành văn bản quy phạm pháp luật (viết tắt là QPPL)", [
                        "UBND tỉnh ban hành 17 văn bản QPPL đảm bảo đúng trình tự, thủ tục ban hành văn bản QPPL "
                        "theo quy định của Luật Ban hành văn bản QPPL, Luật Sửa đổi, bổ sung một số điều của Luật "
                        "Ban hành văn bản QPPL và các văn bản quy định chi tiết, hướng dẫn thi hành luật.",
                    ]),
                    ReportSection("b) Rà soát văn bản QPPL", [
                        ReportParagraph("- Các cơ quan, đơn vị thực hiện việc rà soát văn bản QPPL thường xuyên "
                                        "theo quy định tại Nghị định số 34/2016/NĐ-CP ngày 14/5/2016."),
                        ReportParagraph("+ Đến thời điểm báo cáo, đã hoàn thành xử lý 01/17 văn bản; đang xử lý "
                                        "12/17 văn bản và chưa xử lý 04/17 văn bản."),
                    ]),
                ]),
                ReportSection("2. Cải cách thủ tục hành chính (TTHC)", [
                    "Từ ngày 15/12/2020 đến ngày 14/6/2021, Chủ tịch UBND tỉnh ban hành 40 quyết định công bố danh "
                    "mục TTHC thuộc thẩm quyền giải quyết, tiếp nhận trên địa bàn tỉnh (công bố mới 82 TTHC, công "
                    "bố sửa đổi, bổ sung 53 TTHC, công bố bãi bỏ 96 TTHC).",
                    "Từ ngày 15/12/2020 đến 14/6/2021, Văn phòng UBND tỉnh nhận được 18 phản ánh, kiến nghị trong "
                    "đó 07 phản ánh, kiến nghị không thuộc thẩm quyền của tỉnh nên tỉnh đã từ chối tiếp nhận và 11 "
                    "phản ánh, kiến nghị trong các lĩnh vực như đất đai, đăng ký kinh doanh, thuế, căn cước công "
                    "dân, đến nay các phản ánh, kiến nghị đã được xử lý xong.",
                ]),
            ],
        ),
        ReportSection(
            heading="III. PHƯƠNG HƯỚNG, NHIỆM VỤ CCHC QUÝ II NĂM 2022",
            paragraphs=[
                "1. Ban hành Chương trình tổng thể CCHC nhà nước tỉnh Gia Lai giai đoạn 2021-2030. Ban hành các "
                "kế hoạch CCHC, kế hoạch tuyên truyền CCHC năm 2022 của tỉnh. Tiếp tục kiểm tra theo kế hoạch và "
                "đột xuất các lĩnh vực CCHC.",
                "2. Tiếp tục thực hiện rà soát văn bản QPPL, kịp thời phát hiện, xử lý những văn bản có nội dung "
                "mâu thuẫn, chồng chéo, không phù hợp với quy định của cơ quan nhà nước cấp trên và tình hình "
                "thực tiễn địa phương nhằm xây dựng một hệ thống pháp luật hoàn thiện, thống nhất, đồng bộ.",
                "3. Tiếp tục triển khai Kiến trúc Chính quyền điện tử tỉnh Gia Lai phiên bản 2.0 tiến tới xây dựng "
                "Chính quyền số trong những giai đoạn tiếp theo và triển khai kế hoạch chuyển đổi số của tỉnh.",
                "4. Tiếp tục nhân rộng mô hình chuyển giao bộ phận tiếp nhận và trả kết quả sang bưu điện ở cấp "
                "huyện và cấp xã.",
            ],
        ),
        ReportSection(
            heading="IV. ĐỀ XUẤT, KIẾN NGHỊ",
            paragraphs=["Không có."],
        ),
        ReportSection(
            heading="",
            paragraphs=[
                "Trên đây là báo cáo tình hình, kết quả công tác CCHC Quý I năm 2022, UBND tỉnh Gia Lai báo cáo "
                "Bộ Nội vụ theo quy định./.",
            ],
        ),
    ]
    return ReportDocument(
        superior_body="",
        issuing_body="Ủy ban nhân dân tỉnh Gia Lai",
        document_number="25/BC-UBND",
        place="Gia Lai",
        issue_date=issue_date,
        year_hint=2022,
        doc_type="BÁO CÁO",
        summary=SUMMARY,
        recipients=["Bộ Nội vụ"],
        sections=sections,
        signature=Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Tiến Đông"),
        distribution=["Như trên;", "Chính phủ;", "Văn phòng Chính phủ;", "TT. Tỉnh ủy; TT. HĐND tỉnh;",
                      "CT, các PCT. UBND tỉnh;", "Sở Nội vụ;", "Lưu: VT, HCQT, NC."],
        appendices=[appendix],
        title_for_metadata="Báo cáo CCHC Quý I năm 2022",
    )


# --------------------------------------------------------------------------- helpers


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} (poppler-utils) is required for this test but was not found on PATH")
    return exe


def _pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = [_tool("pdftotext"), "-layout", "-enc", "UTF-8"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, list[tuple[int, int]]]:
    out = tmp_path_factory.mktemp("pdf") / "Báo cáo CCHC Quý I.pdf"
    calls: list[tuple[int, int]] = []
    t0 = time.perf_counter()
    result = render_report_pdf(make_sample_document(), out, progress=lambda d, t: calls.append((d, t)))
    elapsed = time.perf_counter() - t0
    assert result == out
    return out, elapsed, calls


# --------------------------------------------------------------------------- tests


def test_text_is_extractable_and_complete(rendered: tuple[Path, float, list]) -> None:
    pdf, _, _ = rendered
    reader = PdfReader(str(pdf))
    text = _fold(" ".join(page.extract_text() or "" for page in reader.pages))
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 25/BC-UBND",
        "Gia Lai, ngày 05 tháng 01 năm 2022",
        "BÁO CÁO",
        SUMMARY,
        "Kính gửi: Bộ Nội vụ",
        "ỦY BAN NHÂN DÂN TỈNH GIA LAI",
        "11/38",
        "28,94%",
        "Nơi nhận:",
        "- Như trên;",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Đỗ Tiến Đông",
        "Kết quả thống kê",
        "Đơn vị tính",
        "Số liệu",
    ]:
        assert _fold(expected) in text, expected
    # The body sentence survives intact (line breaks folded).
    assert "hoàn thành 11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,94%)" in text
    # Every appendix row's code and name, including escaped markup characters.
    for code, name, *_ in APPENDIX_ROWS:
        assert code in text, code
        assert _fold(name) in text, name


def test_page_sizes_and_orientation(rendered: tuple[Path, float, list]) -> None:
    pdf, _, _ = rendered
    reader = PdfReader(str(pdf))
    boxes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert len(boxes) >= 4, boxes
    w, h = boxes[0]
    assert 595 <= w < 596 and 841 <= h < 842
    appendix_pages = [i for i, p in enumerate(reader.pages) if "THỐNG KÊ SỐ LIỆU" in _fold(p.extract_text())]
    assert appendix_pages, "appendix title not found"
    first_appendix = appendix_pages[0]
    assert first_appendix >= 2  # body spans two pages before the appendix
    for i, (pw, ph) in enumerate(boxes):
        if i < first_appendix:
            assert pw < ph, f"page {i + 1} should be portrait"
        else:
            assert 841 <= pw < 842 and 595 <= ph < 596, f"page {i + 1} should be landscape A4"
    assert len(boxes) - first_appendix >= 2, "the 60-row appendix should span at least two pages"


def test_appendix_header_repeats_on_every_page(rendered: tuple[Path, float, list]) -> None:
    pdf, _, _ = rendered
    reader = PdfReader(str(pdf))
    pages = [_fold(p.extract_text()) for p in reader.pages]
    first = next(i for i, t in enumerate(pages) if "THỐNG KÊ SỐ LIỆU" in t)
    for i in range(first, len(pages)):
        assert "Kết quả thống kê" in pages[i] and "Đơn vị tính" in pages[i] and "Ghi chú" in pages[i], i + 1


def test_metadata(rendered: tuple[Path, float, list]) -> None:
    pdf, _, _ = rendered
    meta = PdfReader(str(pdf)).metadata
    assert meta is not None
    assert meta.title == "Báo cáo CCHC Quý I năm 2022"
    assert meta.author == "ỦY BAN NHÂN DÂN TỈNH GIA LAI"


def test_all_fonts_embedded(rendered: tuple[Path, float, list]) -> None:
    pdf, _, _ = rendered
    out = subprocess.run([_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()[2:]
    assert lines, out
    for line in lines:
        cols = line.split()
        # columns: name type encoding emb sub uni object-ID (2 tokens); count from the end
        assert cols[-5] == "yes", f"font not embedded: {line}"
        assert cols[-3] == "yes", f"font without ToUnicode map: {line}"
    assert "Helvetica" not in out and "Times-Roman" not in out


def _top_lines(pdf: Path, page: int, n: int = 1) -> list[str]:
    lines = [ln.strip() for ln in _pdftotext(pdf, page, page).splitlines() if ln.strip()]
    return lines[:n]


def test_page_numbers_from_page_two(rendered: tuple[Path, float, list]) -> None:
    pdf, _, _ = rendered
    assert _top_lines(pdf, 2) == ["2"]
    first = _top_lines(pdf, 1, 3)
    assert not any(re.fullmatch(r"\d+", ln) for ln in first), first
    assert "ỦY BAN NHÂN DÂN" in first[0]
    # Each appendix is numbered on its own: no number on its first page, "2" on its second.
    reader = PdfReader(str(pdf))
    start = next(i for i, p in enumerate(reader.pages) if "THỐNG KÊ SỐ LIỆU" in _fold(p.extract_text())) + 1
    assert _top_lines(pdf, start) == ["Phụ lục"]
    assert _top_lines(pdf, start + 1) == ["2"]


def test_progress_reported(rendered: tuple[Path, float, list]) -> None:
    _, elapsed, calls = rendered
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert all(d <= t for d, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    print(f"render time for the sample report: {elapsed:.3f} s")


def test_blank_date_line() -> None:
    assert _fold(build_date_line("Gia Lai", None, 2022)) == "Gia Lai, ngày tháng năm 2022"
    assert "\u00a0" in build_date_line("Gia Lai", None, 2022)
    assert build_date_line("Gia Lai", date(2022, 1, 5)) == "Gia Lai, ngày 05 tháng 01 năm 2022"


def test_blank_date_and_several_recipients_render(tmp_path: Path) -> None:
    doc = make_sample_document(issue_date=None)
    doc.recipients = ["Bộ Nội vụ;", "Văn phòng Chính phủ."]
    doc.superior_body = "UBND tỉnh Gia Lai"
    doc.issuing_body = "Sở Nội vụ"
    doc.document_number = "      /BC-SNV"
    doc.appendices = []
    out = render_report_pdf(doc, tmp_path / "b.pdf")
    text = _fold(" ".join(p.extract_text() for p in PdfReader(str(out)).pages))
    assert "Gia Lai, ngày tháng năm 2022" in text
    assert "UBND TỈNH GIA LAI" in text and "SỞ NỘI VỤ" in text
    assert "Số: /BC-SNV" in text
    assert "Kính gửi:" in text and "- Bộ Nội vụ;" in text and "- Văn phòng Chính phủ." in text


def test_failed_render_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "hỏng.pdf"
    calls = 0

    def broken_progress(done: int, total: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 25:  # mid-build, after the first page is laid out
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        render_report_pdf(make_sample_document(), target, progress=broken_progress)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_failed_save_removes_partial_temp_and_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfgen.canvas import Canvas

    target = tmp_path / "báo cáo.pdf"
    target.write_bytes(b"OLD")

    def half_save(self: Canvas) -> None:
        with open(self._filename, "wb") as fh:  # a half-written PDF under the temp name
            fh.write(b"%PDF-1.4\n%half")
        raise OSError("disk full")

    monkeypatch.setattr(Canvas, "save", half_save)
    with pytest.raises(OSError, match="disk full"):
        render_report_pdf(make_sample_document(), target)
    assert target.read_bytes() == b"OLD"
    assert [p.name for p in tmp_path.iterdir()] == ["báo cáo.pdf"]


# --------------------------------------------------------------------------- fonts


_LIBERATION = ["LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
               "LiberationSerif-BoldItalic.ttf"]


def test_bundled_fonts_and_licence_present() -> None:
    for name in _LIBERATION:
        assert resource_path("fonts", name).is_file(), name
    licence = resource_path("fonts", "LICENSE-LiberationSerif.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Red Hat" in licence


def test_resource_path_uses_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("fonts", "x.ttf") == tmp_path / "resources" / "fonts" / "x.ttf"


def test_resolve_serif_fonts_bundled_on_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    fonts = resolve_serif_fonts()
    assert fonts.family_name == "LiberationSerif"
    assert fonts.regular == resource_path("fonts", "LiberationSerif-Regular.ttf")
    assert fonts.bold_italic.name == "LiberationSerif-BoldItalic.ttf"


def _fake_windir(tmp_path: Path, names: list[str]) -> Path:
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    for src, dst in zip(_LIBERATION, names, strict=False):
        shutil.copy(resource_path("fonts", src), windir / "Fonts" / dst)
    return windir


def test_resolve_serif_fonts_prefers_windows_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    windir = _fake_windir(tmp_path, ["times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"])
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(windir))
    fonts = resolve_serif_fonts()
    assert fonts.family_name == "TimesNewRoman"
    assert fonts.regular == windir / "Fonts" / "times.ttf"
    assert fonts.bold == windir / "Fonts" / "timesbd.ttf"
    assert fonts.italic == windir / "Fonts" / "timesi.ttf"
    assert fonts.bold_italic == windir / "Fonts" / "timesbi.ttf"


def test_resolve_serif_fonts_falls_back_when_a_style_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    windir = _fake_windir(tmp_path, ["times.ttf", "timesbd.ttf", "timesi.ttf"])
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(windir))
    assert resolve_serif_fonts().family_name == "LiberationSerif"


def test_register_pdf_fonts_is_idempotent() -> None:
    from reportlab.pdfbase import pdfmetrics

    family = fonts_mod.register_pdf_fonts()
    assert fonts_mod.register_pdf_fonts() == family
    for suffix in ("", "-Bold", "-Italic", "-BoldItalic"):
        assert pdfmetrics.getFont(family + suffix) is not None
    assert os.path.basename(str(resolve_serif_fonts().regular)).lower().endswith(".ttf")


def test_oversize_note_splits_without_empty_pages(tmp_path: Path) -> None:
    """A note longer than a page is split inside its row; no page holds only the header."""
    doc = make_sample_document()
    ap = doc.appendices[0]
    long_note = (
        "Số liệu 6 tháng theo quy định tại điểm a, Khoản 4, Điều 10 Thông tư số 01/2020/TT-VPCP quy định "
        "đến hết ngày 19/6/2021 cấp huyện mới báo cáo số liệu 6 tháng về cho cấp tỉnh. "
    ) * 12 + "HẾT GHI CHÚ."
    ap.rows[37][4] = long_note
    for is_landscape, widths in ((True, ap.col_widths_mm), (False, [12, 70, 28, 20, 35])):
        ap.landscape, ap.col_widths_mm = is_landscape, widths
        out = render_report_pdf(doc, tmp_path / f"long-{is_landscape}.pdf")
        reader = PdfReader(str(out))
        pages = [_fold(p.extract_text()) for p in reader.pages]
        first = next(i for i, t in enumerate(pages) if "THỐNG KÊ SỐ LIỆU" in t)
        for i in range(first, len(pages)):
            body = pages[i].split("Đơn vị tính Số liệu", 1)[-1]
            assert len(body.strip()) > 40, f"page {i + 1} holds only the table header"
        text = " ".join(pages)
        assert "HẾT GHI CHÚ." in text
        for _code, name, *_ in APPENDIX_ROWS:
            assert _fold(name) in text, name
