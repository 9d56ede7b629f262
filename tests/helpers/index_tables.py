# ruff: noqa: E501, B905 - long Vietnamese criteria texts, as the decisions print them
"""Decision appendices "pasted into Excel": criteria tables of a Bộ chỉ số CCHC, for the importer's tests.

Built at test time by tests/index (``write_all``); the example set and the expected counts are in tests/index/data.

Writes (default: next to this script) four workbooks and ``expected_counts.json``:

- ``chiso_so_2025_chuan.xlsx``      departments (sở), the example set of example_criteria_so_2025.json:
  title rows, two-row header with merged cells, merged area rows, the header repeated after a page break,
  I / 1 / 1.1 numbering, wrapped multi-line scoring guides, maxima written 2 / "1,5" / "0,5",
  vertically merged evidence cells, a deduction area with negative maxima, a total row and a note row;
- ``chiso_so_2025_lech_tong.xlsx``  the same table with printed maxima that do not add up (the importer
  must name the rows);
- ``chiso_xa_2025.xlsx``            communes (xã, phường, đặc khu): another header (Điểm over Tối đa | Tự chấm |
  Thẩm định, a column-number row), area rows merged over STT and name, every maximum as text, sub-criterion
  numbers stored as numbers (1.1) as an en-US Excel turns them;
- ``chiso_so_2025_dong_huong_dan.xlsx``  (extra) the older layout seen in real appendices where each scoring
  option is its own row under the criterion (blank STT and maximum), numbering with trailing dots
  ("I.", "1.", "1.1."), area maxima as "12 điểm", and an evidence cell cut by a page break.

The counts a correct import must find are computed from the same trees and written to expected_counts.json;
README.md explains each variant. Only openpyxl is used; nothing here touches the product.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.pagebreak import Break

HERE = Path(__file__).resolve().parents[1] / "index" / "data"
SO_JSON = HERE / "example_criteria_so_2025.json"
FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


# --------------------------------------------------------------------------- the trees

def so_tree() -> list[dict]:
    """Areas → criteria → sub-criteria from the example JSON (nodes: stt, name, kind, max, guide, evidence, children)."""
    data = json.loads(SO_JSON.read_text(encoding="utf-8"))
    nodes = {}
    roots = []
    kind_of = {}
    for it in data["criteria"]:
        kind = it.get("kind") or kind_of[it["parent"]]
        kind_of[it["code"]] = kind
        n = {"stt": it["stt"], "name": it["name"], "kind": kind, "max": Decimal(str(it["max_points"])),
             "guide": it.get("scoring_guide", ""), "evidence": it.get("evidence_required", []), "children": []}
        nodes[it["code"]] = n
        (nodes[it["parent"]]["children"] if it["parent"] else roots).append(n)
    return roots


def _leaf(name, mx, guide, evidence=()):
    return {"name": name, "max": Decimal(str(mx)), "guide": guide, "evidence": list(evidence), "children": []}


def _crit(name, *children):
    return {"name": name, "children": list(children)}


# Communes (xã, phường, đặc khu) after 1/7/2025: illustrative content, consistent sums (70 + 30, deductions 4).
XA_AREAS = [
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", "self", [
        _crit("Kế hoạch cải cách hành chính năm",
              _leaf("Ban hành Kế hoạch CCHC năm của UBND xã", 1,
                    "Ban hành đúng thời hạn: 1\nBan hành chậm: 0,5\nKhông ban hành: 0", ["Kế hoạch CCHC năm"]),
              _leaf("Mức độ hoàn thành Kế hoạch CCHC năm", 2,
                    "Hoàn thành 100% kế hoạch: 2\nTừ 80% đến dưới 100% kế hoạch: 1\nDưới 80% kế hoạch: 0",
                    ["Báo cáo CCHC năm"])),
        _leaf("Thực hiện chế độ báo cáo CCHC định kỳ", 2,
              "Đầy đủ, đúng thời hạn: 2\nCó 01 báo cáo chậm: 1\nTừ 02 báo cáo chậm trở lên hoặc thiếu báo cáo: 0",
              ["Các báo cáo CCHC định kỳ"]),
        _leaf("Thông tin, tuyên truyền về CCHC", 2,
              "Có kế hoạch và thực hiện đầy đủ: 2\nCó kế hoạch nhưng thực hiện chưa đầy đủ: 1\nKhông có kế hoạch: 0",
              ["Kế hoạch tuyên truyền", "Tin, bài trên Trang thông tin điện tử, hệ thống truyền thanh cơ sở"]),
        _leaf("Tự kiểm tra công tác CCHC và khắc phục tồn tại", 2,
              "Có tự kiểm tra và khắc phục 100% tồn tại: 2\nCó tự kiểm tra nhưng khắc phục chưa đầy đủ: 1\nKhông tự kiểm tra: 0",
              ["Kế hoạch, báo cáo tự kiểm tra"]),
        _leaf("Thực hiện nhiệm vụ cấp trên giao về CCHC", 3,
              "100% nhiệm vụ hoàn thành đúng hạn: 3\nTừ 80% đến dưới 100%: 1,5\nDưới 80%: 0",
              ["Báo cáo kết quả thực hiện nhiệm vụ được giao"]),
    ]),
    ("II", "CẢI CÁCH THỂ CHẾ", "self", [
        _crit("Ban hành văn bản quy phạm pháp luật của HĐND, UBND xã",
              _leaf("Ban hành VBQPPL theo kế hoạch được giao", 2,
                    "Hoàn thành 100% kế hoạch: 2\nTừ 80% đến dưới 100%: 1\nDưới 80%: 0", ["Văn bản đã ban hành"]),
              _leaf("Bảo đảm trình tự, thủ tục ban hành", 1,
                    "Đúng trình tự, thủ tục: 1\nCó văn bản không đúng trình tự, thủ tục: 0", ["Hồ sơ ban hành văn bản"])),
        _leaf("Rà soát, tự kiểm tra văn bản", 2,
              "Thực hiện đầy đủ, xử lý 100% văn bản sai sót: 2\nXử lý chưa đầy đủ: 1\nKhông thực hiện: 0",
              ["Báo cáo rà soát, tự kiểm tra văn bản"]),
        _leaf("Phổ biến, giáo dục pháp luật và hòa giải ở cơ sở", 3,
              "Hoàn thành 100% kế hoạch: 3\nTừ 80% đến dưới 100%: 1,5\nDưới 80%: 0",
              ["Kế hoạch, báo cáo phổ biến, giáo dục pháp luật", "Sổ theo dõi hòa giải"]),
    ]),
    ("III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "self", [
        _leaf("Công khai thủ tục hành chính tại Bộ phận Một cửa", 3,
              "Công khai đầy đủ, đúng quy định: 3\nCông khai chưa đầy đủ: 1\nKhông công khai: 0",
              ["Hình ảnh nơi niêm yết", "Biên bản kiểm tra"]),
        _crit("Thực hiện cơ chế một cửa, một cửa liên thông",
              _leaf("Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn", 4,
                    "Đạt 100%: 4\nTừ 95% đến dưới 100%: 3\nTừ 90% đến dưới 95%: 1,5\nDưới 90%: 0",
                    ["Số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh"]),
              _leaf("Thực hiện xin lỗi đối với hồ sơ quá hạn", 1,
                    "Xin lỗi 100% hồ sơ quá hạn (hoặc không có hồ sơ quá hạn): 1\nKhông xin lỗi đầy đủ: 0",
                    ["Phiếu xin lỗi và hẹn lại ngày trả kết quả"]),
              _leaf("Số hóa hồ sơ, kết quả giải quyết TTHC", 2,
                    "Từ 80% trở lên: 2\nTừ 50% đến dưới 80%: 1\nDưới 50%: 0",
                    ["Số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh"])),
        _leaf("Tiếp nhận, xử lý phản ánh, kiến nghị của người dân, tổ chức", 2,
              "100% được xử lý đúng hạn (hoặc không phát sinh): 2\nTừ 80% đến dưới 100%: 1\nDưới 80%: 0",
              ["Sổ theo dõi phản ánh, kiến nghị"]),
        _leaf("Bố trí Bộ phận Một cửa bảo đảm cơ sở vật chất, trang thiết bị theo quy định", 2,
              "Bảo đảm đầy đủ: 2\nChưa bảo đảm đầy đủ: 1\nKhông bảo đảm: 0", ["Biên bản kiểm tra cơ sở vật chất"]),
        _leaf("Kết quả đánh giá theo Bộ chỉ số phục vụ người dân, doanh nghiệp", 2,
              "Từ 90 điểm trở lên: 2\nTừ 80 đến dưới 90 điểm: 1\nDưới 80 điểm: 0", ["Kết quả công bố trên Cổng Dịch vụ công"]),
    ]),
    ("IV", "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC", "self", [
        _leaf("Kiện toàn tổ chức, phân công nhiệm vụ các phòng chuyên môn thuộc UBND xã", 3,
              "Đúng quy định, kịp thời: 3\nĐúng quy định nhưng chậm: 1,5\nKhông thực hiện: 0",
              ["Quyết định kiện toàn, phân công nhiệm vụ"]),
        _leaf("Quản lý, sử dụng biên chế và người hoạt động không chuyên trách", 3,
              "Không vượt số lượng được giao: 3\nVượt số lượng được giao: 0", ["Báo cáo số lượng cán bộ, công chức"]),
    ]),
    ("V", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", "self", [
        _leaf("Bố trí cán bộ, công chức theo vị trí việc làm", 3,
              "Bố trí 100% theo vị trí việc làm: 3\nCó trường hợp bố trí chưa đúng: 1,5\nChưa thực hiện: 0",
              ["Danh sách bố trí cán bộ, công chức"]),
        _leaf("Đào tạo, bồi dưỡng cán bộ, công chức", 2,
              "Hoàn thành 100% kế hoạch: 2\nTừ 80% đến dưới 100%: 1\nDưới 80%: 0", ["Báo cáo đào tạo, bồi dưỡng"]),
        _leaf("Đánh giá, xếp loại chất lượng cán bộ, công chức đúng quy định", 2,
              "Đúng quy định, đúng thời hạn: 2\nKhông đúng quy định hoặc thời hạn: 0", ["Quyết định công nhận kết quả"]),
        _crit("Chấp hành kỷ luật, kỷ cương hành chính",
              _leaf("Không có cán bộ, công chức bị kỷ luật", 1.5,
                    "Không có: 1,5\nCó cán bộ, công chức bị kỷ luật: 0", ["Quyết định kỷ luật (nếu có)"]),
              _leaf("Thực hiện quy định về văn hóa công vụ", 1.5,
                    "Thực hiện tốt, không bị phản ánh: 1,5\nCó phản ánh được xác minh đúng: 0", ["Báo cáo của UBND xã"])),
    ]),
    ("VI", "CẢI CÁCH TÀI CHÍNH CÔNG", "self", [
        _leaf("Lập, công khai dự toán, quyết toán ngân sách xã", 2,
              "Đúng quy định, đúng thời hạn: 2\nChậm hoặc chưa đầy đủ: 1\nKhông thực hiện: 0", ["Quyết định công khai ngân sách"]),
        _leaf("Thu ngân sách trên địa bàn đạt dự toán được giao", 2,
              "Đạt từ 100% trở lên: 2\nTừ 90% đến dưới 100%: 1\nDưới 90%: 0", ["Báo cáo thu ngân sách của Kho bạc"]),
        _leaf("Quản lý, sử dụng tài sản công đúng quy định", 2,
              "Đúng quy định: 2\nCó sai phạm bị kết luận: 0", ["Báo cáo kê khai tài sản công"]),
    ]),
    ("VII", "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ", "self", [
        _leaf("Tỷ lệ văn bản đi được gửi dưới dạng điện tử có ký số", 3,
              "Từ 95% trở lên: 3\nTừ 90% đến dưới 95%: 1,5\nDưới 90%: 0", ["Số liệu trên Hệ thống quản lý văn bản"]),
        _crit("Cung cấp dịch vụ công trực tuyến",
              _leaf("Tỷ lệ hồ sơ trực tuyến toàn trình", 2.5,
                    "Từ 80% trở lên: 2,5\nTừ 50% đến dưới 80%: 1,5\nDưới 50%: 0", ["Số liệu trên Cổng Dịch vụ công"]),
              _leaf("Tỷ lệ hồ sơ thanh toán trực tuyến", 1.5,
                    "Từ 50% trở lên: 1,5\nTừ 30% đến dưới 50%: 0,5\nDưới 30%: 0", ["Số liệu trên Cổng Dịch vụ công"])),
        _leaf("Sử dụng Hệ thống thông tin báo cáo, hệ thống họp trực tuyến", 2,
              "Sử dụng đầy đủ: 2\nChưa đầy đủ: 1\nKhông sử dụng: 0", ["Số liệu thống kê trên các hệ thống"]),
        _leaf("Vận hành Trang thông tin điện tử và bảo đảm an toàn thông tin", 3,
              "Cập nhật đầy đủ, không để xảy ra sự cố: 3\nCập nhật chưa đầy đủ: 1,5\nKhông cập nhật hoặc để xảy ra sự cố: 0",
              ["Đường dẫn Trang thông tin điện tử", "Báo cáo an toàn thông tin"]),
    ]),
    ("VIII", "ĐIỂM ĐÁNH GIÁ QUA ĐIỀU TRA XÃ HỘI HỌC", "survey", [
        _crit("Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của UBND xã",
              _leaf("Tiếp cận dịch vụ", 5, "Điểm = tỷ lệ hài lòng (%) × 5"),
              _leaf("Thủ tục hành chính", 5, "Điểm = tỷ lệ hài lòng (%) × 5"),
              _leaf("Công chức trực tiếp giải quyết công việc", 6, "Điểm = tỷ lệ hài lòng (%) × 6"),
              _leaf("Kết quả giải quyết công việc", 6, "Điểm = tỷ lệ hài lòng (%) × 6"),
              _leaf("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị", 3, "Điểm = tỷ lệ hài lòng (%) × 3")),
        _leaf("Đánh giá của đại biểu HĐND xã, đại diện Ủy ban MTTQ Việt Nam xã", 5,
              "Điểm = tỷ lệ ý kiến đánh giá tích cực (%) × 5"),
    ]),
    ("IX", "ĐIỂM TRỪ", "deduction", [
        _leaf("Chậm gửi báo cáo CCHC định kỳ hoặc theo yêu cầu", 1.5, "Trừ 0,5 điểm/báo cáo, tối đa trừ 1,5 điểm",
              ["Văn bản đôn đốc"]),
        _leaf("Để hồ sơ TTHC quá hạn mà không thực hiện xin lỗi", 1, "Trừ 0,25 điểm/hồ sơ, tối đa trừ 1 điểm",
              ["Số liệu trên Hệ thống thông tin giải quyết TTHC"]),
        _leaf("Bị cấp trên phê bình bằng văn bản về công tác CCHC", 1.5, "Trừ 0,5 điểm/lần, tối đa trừ 1,5 điểm",
              ["Văn bản phê bình"]),
    ]),
]


def xa_tree() -> list[dict]:
    roots = []
    crit_no = 0
    for numeral, name, kind, crits in XA_AREAS:
        area = {"stt": numeral, "name": name, "kind": kind, "children": [], "guide": "", "evidence": []}
        for c in crits:
            crit_no += 1
            c = dict(c, stt=str(crit_no), kind=kind, guide=c.get("guide", ""), evidence=c.get("evidence", []))
            kids = []
            for j, sub in enumerate(c["children"], start=1):
                kids.append(dict(sub, stt=f"{crit_no}.{j}", kind=kind))
            c["children"] = kids
            if kids:
                c["max"] = sum(k["max"] for k in kids)
            area["children"].append(c)
        area["max"] = sum(c["max"] for c in area["children"])
        roots.append(area)
    return roots


# --------------------------------------------------------------------------- formatting helpers

def vn(d: Decimal) -> str:
    d = Decimal(d).normalize()
    return f"{d:f}".replace(".", ",")


def points_cell(d: Decimal, *, kind: str, style: str):
    """How a maximum is written: 'mixed' (integers as numbers, decimals as '1,5' text), 'text' (always text),
    'diem' (text with ' điểm'). Deduction maxima are written negative ('-1,5')."""
    sign = "-" if kind == "deduction" else ""
    if style == "mixed" and d == d.to_integral_value() and not sign:
        return int(d)
    text = sign + vn(d)
    return text + " điểm" if style == "diem" else text


def evidence_text(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return "\n".join(f"- {e}" for e in items)


def style_row(ws, row: int, ncols: int, *, bold=False, italic=False, center_cols=(1, 3)):
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.border = BOX
        cell.font = Font(name=FONT, size=12, bold=bold, italic=italic)
        cell.alignment = CENTER if col in center_cols else WRAP_TOP


def title_rows(ws, ncols: int, lines: list[tuple[str, dict]]) -> None:
    last = chr(ord("A") + ncols - 1)
    for i, (text, font) in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=text).font = Font(name=FONT, size=13, **font)
        ws.cell(row=i, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(f"A{i}:{last}{i}")


def page_setup(ws, header_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows


# --------------------------------------------------------------------------- counting (what an import must find)

def counts(tree: list[dict], printed_overrides: dict[str, Decimal] | None = None) -> dict:
    areas = len(tree)
    criteria = sum(len(a["children"]) for a in tree)
    subs = sum(len(c["children"]) for a in tree for c in a["children"])
    leaves = sum(len(c["children"]) or 1 for a in tree for c in a["children"])
    per_area = {a["stt"]: {"name": a["name"], "kind": a["kind"], "max": vn(a["max"])} for a in tree}
    total = sum(a["max"] for a in tree if a["kind"] != "deduction")
    ded = sum(a["max"] for a in tree if a["kind"] == "deduction")
    by_kind = {}
    for a in tree:
        by_kind[a["kind"]] = vn(Decimal(by_kind.get(a["kind"], "0").replace(",", ".")) + a["max"])
    return {"areas": areas, "criteria": criteria, "sub_criteria": subs, "leaves": leaves,
            "max_per_area": per_area, "total_max": vn(total), "deduction_max": vn(ded), "max_by_kind": by_kind}


# --------------------------------------------------------------------------- writers

SO_TITLE = [
    ("PHỤ LỤC I", {"bold": True}),
    ("BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ, BAN, NGÀNH", {"bold": True}),
    ("(Kèm theo Quyết định số        /QĐ-UBND ngày      tháng 8 năm 2025 của UBND tỉnh Gia Lai)", {"italic": True}),
]


def so_header(ws, top: int) -> None:
    """Two-row header: STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối đa | Phương pháp đánh giá
    (over Hướng dẫn chấm điểm | Tài liệu kiểm chứng)."""
    r1, r2 = top, top + 1
    ws.cell(row=r1, column=1, value="STT")
    ws.cell(row=r1, column=2, value="Lĩnh vực/Tiêu chí/Tiêu chí thành phần")
    ws.cell(row=r1, column=3, value="Điểm tối đa")
    ws.cell(row=r1, column=4, value="Phương pháp đánh giá")
    ws.cell(row=r2, column=4, value="Hướng dẫn chấm điểm")
    ws.cell(row=r2, column=5, value="Tài liệu kiểm chứng")
    for col in "ABC":
        ws.merge_cells(f"{col}{r1}:{col}{r2}")
    ws.merge_cells(f"D{r1}:E{r1}")
    for r in (r1, r2):
        for col in range(1, 6):
            c = ws.cell(row=r, column=col)
            c.font = Font(name=FONT, size=12, bold=True)
            c.alignment = CENTER
            c.border = BOX


def write_so(path: Path, tree: list[dict], *, printed: dict[str, Decimal] | None = None,
             page_break_before: str = "IV") -> dict:
    """The departments' appendix. ``printed`` maps an STT to a (wrong) printed maximum for the mismatch variant.
    Returns the sheet row of every STT, the total row and the mismatches the printed values produce."""
    printed = printed or {}
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục I"
    for col, width in zip("ABCDE", (7, 52, 10, 50, 38)):
        ws.column_dimensions[col].width = width
    title_rows(ws, 5, SO_TITLE)
    so_header(ws, 5)
    page_setup(ws, "5:6")
    rows: dict[str, int] = {}
    shown: dict[str, Decimal] = {}
    merges_done = []
    r = 7
    for area in tree:
        if area["stt"] == page_break_before:
            ws.row_breaks.append(Break(id=r - 1))
            so_header(ws, r)
            r += 2
        mx = printed.get(area["stt"], area["max"])
        shown[area["stt"]] = mx
        ws.cell(row=r, column=1, value=area["stt"])
        ws.cell(row=r, column=2, value=area["name"])
        ws.cell(row=r, column=3, value=points_cell(mx, kind=area["kind"], style="mixed"))
        style_row(ws, r, 5, bold=True)
        ws.merge_cells(f"D{r}:E{r}")
        rows[area["stt"]] = r
        r += 1
        for crit in area["children"]:
            mx = printed.get(crit["stt"], crit["max"])
            shown[crit["stt"]] = mx
            ws.cell(row=r, column=1, value=int(crit["stt"]))
            ws.cell(row=r, column=2, value=crit["name"])
            ws.cell(row=r, column=3, value=points_cell(mx, kind=crit["kind"], style="mixed" if crit["children"] else "text"))
            if not crit["children"]:
                ws.cell(row=r, column=4, value=crit["guide"])
                ws.cell(row=r, column=5, value=evidence_text(crit["evidence"]))
            style_row(ws, r, 5, bold=bool(crit["children"]))
            rows[crit["stt"]] = r
            r += 1
            first_sub, prev_ev = None, None
            for sub in crit["children"]:
                mx = printed.get(sub["stt"], sub["max"])
                shown[sub["stt"]] = mx
                ws.cell(row=r, column=1, value=sub["stt"])
                ws.cell(row=r, column=2, value=sub["name"])
                ws.cell(row=r, column=3, value=points_cell(mx, kind=sub["kind"], style="text"))
                ws.cell(row=r, column=4, value=sub["guide"])
                ev = evidence_text(sub["evidence"])
                # identical evidence of consecutive sub-criteria is one vertically merged cell, as in Word tables
                if ev and ev == prev_ev:
                    merges_done.append((first_sub, r))
                else:
                    ws.cell(row=r, column=5, value=ev)
                    first_sub, prev_ev = r, ev
                style_row(ws, r, 5, italic=False)
                rows[sub["stt"]] = r
                r += 1
    # consecutive equal evidence → one merge over the run
    runs: dict[int, int] = {}
    for start, end in merges_done:
        runs[start] = max(end, runs.get(start, start))
    for start, end in runs.items():
        ws.merge_cells(f"E{start}:E{end}")
    total_printed = Decimal(100)
    ws.cell(row=r, column=1, value="TỔNG ĐIỂM (I + II + III + IV + V + VI + VII + VIII)")
    ws.merge_cells(f"A{r}:B{r}")
    ws.cell(row=r, column=3, value=int(total_printed))
    style_row(ws, r, 5, bold=True)
    ws.merge_cells(f"D{r}:E{r}")
    total_row = r
    r += 2
    ws.cell(row=r, column=1, value="Ghi chú: Tiêu chí, tiêu chí thành phần không phát sinh trong năm đánh giá thì không "
                                   "chấm điểm và được trừ khỏi tổng điểm tối đa khi tính Chỉ số của cơ quan.")
    ws.cell(row=r, column=1).font = Font(name=FONT, size=12, italic=True)
    ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A{r}:E{r}")
    ws.row_dimensions[r].height = 32
    wb.save(path)
    # mismatches as the printed table shows them
    mism = []
    for area in tree:
        for node in [area] + area["children"]:
            if node["children"]:
                s = sum(shown[k["stt"]] for k in node["children"])
                if s != shown[node["stt"]]:
                    mism.append({"row": rows[node["stt"]], "stt": node["stt"], "printed": vn(shown[node["stt"]]),
                                 "sum_of_children": vn(s)})
    s_areas = sum(shown[a["stt"]] for a in tree if a["kind"] != "deduction")
    if s_areas != total_printed:
        mism.append({"row": total_row, "stt": "TỔNG ĐIỂM", "printed": vn(total_printed), "sum_of_children": vn(s_areas)})
    return {"rows": rows, "total_row": total_row, "mismatches": mism, "shown": shown}


XA_TITLE = [
    ("PHỤ LỤC II", {"bold": True}),
    ("BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA ỦY BAN NHÂN DÂN CÁC XÃ, PHƯỜNG, ĐẶC KHU", {"bold": True}),
    ("(Kèm theo Quyết định số        /QĐ-UBND ngày      tháng 8 năm 2025 của UBND tỉnh Gia Lai)", {"italic": True}),
]


def xa_header(ws, top: int) -> None:
    """STT | Lĩnh vực, tiêu chí, tiêu chí thành phần | Điểm (Tối đa | Tự chấm | Thẩm định) | Hướng dẫn chấm điểm |
    Tài liệu kiểm chứng, then a row of column numbers (1)…(7)."""
    r1, r2, r3 = top, top + 1, top + 2
    heads = {1: "STT", 2: "Lĩnh vực, tiêu chí, tiêu chí thành phần", 6: "Hướng dẫn chấm điểm", 7: "Tài liệu kiểm chứng"}
    for col, text in heads.items():
        ws.cell(row=r1, column=col, value=text)
        ws.merge_cells(start_row=r1, start_column=col, end_row=r2, end_column=col)
    ws.cell(row=r1, column=3, value="Điểm")
    ws.merge_cells(start_row=r1, start_column=3, end_row=r1, end_column=5)
    for col, text in ((3, "Tối đa"), (4, "Tự chấm"), (5, "Thẩm định")):
        ws.cell(row=r2, column=col, value=text)
    for col in range(1, 8):
        ws.cell(row=r3, column=col, value=f"({col})")
    for r in (r1, r2, r3):
        for col in range(1, 8):
            c = ws.cell(row=r, column=col)
            c.font = Font(name=FONT, size=12, bold=r != r3, italic=r == r3)
            c.alignment = CENTER
            c.border = BOX


def write_xa(path: Path, tree: list[dict], *, page_break_before: str = "V") -> dict:
    wb = Workbook()
    ws = wb.active
    ws.title = "PL II - Cấp xã"
    for col, width in zip("ABCDEFG", (7, 50, 8, 8, 9, 46, 34)):
        ws.column_dimensions[col].width = width
    title_rows(ws, 7, XA_TITLE)
    xa_header(ws, 5)
    page_setup(ws, "5:7")
    rows = {}
    r = 8
    for area in tree:
        if area["stt"] == page_break_before:
            ws.row_breaks.append(Break(id=r - 1))
            xa_header(ws, r)
            r += 3
        ws.cell(row=r, column=1, value=f"{area['stt']}. {area['name']}")
        ws.merge_cells(f"A{r}:B{r}")
        ws.cell(row=r, column=3, value=points_cell(area["max"], kind=area["kind"], style="text"))
        style_row(ws, r, 7, bold=True, center_cols=(3,))
        ws.merge_cells(f"F{r}:G{r}")
        rows[area["stt"]] = r
        r += 1
        for crit in area["children"]:
            ws.cell(row=r, column=1, value=crit["stt"])
            ws.cell(row=r, column=2, value=crit["name"])
            ws.cell(row=r, column=3, value=points_cell(crit["max"], kind=crit["kind"], style="text"))
            if not crit["children"]:
                ws.cell(row=r, column=6, value=crit["guide"])
                ws.cell(row=r, column=7, value=evidence_text(crit["evidence"]))
            style_row(ws, r, 7, bold=bool(crit["children"]), center_cols=(1, 3, 4, 5))
            rows[crit["stt"]] = r
            r += 1
            for sub in crit["children"]:
                # pasted into an en-US Excel, "1.1" became the number 1.1 (no sub-criterion here reaches .10)
                ws.cell(row=r, column=1, value=float(sub["stt"]))
                ws.cell(row=r, column=2, value=sub["name"])
                ws.cell(row=r, column=3, value=points_cell(sub["max"], kind=sub["kind"], style="text"))
                ws.cell(row=r, column=6, value=sub["guide"])
                ws.cell(row=r, column=7, value=evidence_text(sub["evidence"]))
                style_row(ws, r, 7, center_cols=(1, 3, 4, 5))
                rows[sub["stt"]] = r
                r += 1
    ws.cell(row=r, column=1, value="Tổng cộng")
    ws.merge_cells(f"A{r}:B{r}")
    ws.cell(row=r, column=3, value="100")
    style_row(ws, r, 7, bold=True, center_cols=(1, 3))
    wb.save(path)
    return {"rows": rows, "total_row": r}


def write_guide_rows(path: Path, tree: list[dict], *, page_break_before: str = "V", cut_evidence_of: str = "13.1") -> dict:
    """Older layout: STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối đa | Tài liệu kiểm chứng, each scoring
    option on its own row (blank STT and maximum) under the item it scores, trailing dots in STT, "12 điểm"."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục I"
    for col, width in zip("ABCD", (8, 70, 11, 42)):
        ws.column_dimensions[col].width = width
    title_rows(ws, 4, SO_TITLE)
    header = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Tài liệu kiểm chứng"]

    def put_header(row):
        for col, text in enumerate(header, start=1):
            c = ws.cell(row=row, column=col, value=text)
            c.font = Font(name=FONT, size=12, bold=True)
            c.alignment = CENTER
            c.border = BOX

    put_header(5)
    page_setup(ws, "5:5")
    rows, guide_rows = {}, 0
    r = 6

    def leaf_lines(node):
        nonlocal r, guide_rows
        for line in node["guide"].split("\n"):
            ws.cell(row=r, column=2, value=line)
            style_row(ws, r, 4, italic=True)
            r += 1
            guide_rows += 1

    for area in tree:
        if area["stt"] == page_break_before:
            ws.row_breaks.append(Break(id=r - 1))
            put_header(r)
            r += 1
        ws.cell(row=r, column=1, value=f"{area['stt']}.")
        ws.cell(row=r, column=2, value=area["name"])
        ws.cell(row=r, column=3, value=points_cell(area["max"], kind=area["kind"], style="diem"))
        style_row(ws, r, 4, bold=True)
        rows[area["stt"]] = r
        r += 1
        for crit in area["children"]:
            ws.cell(row=r, column=1, value=f"{crit['stt']}.")
            ws.cell(row=r, column=2, value=crit["name"])
            ws.cell(row=r, column=3, value=points_cell(crit["max"], kind=crit["kind"], style="text"))
            ws.cell(row=r, column=4, value=evidence_text(crit["evidence"]))
            style_row(ws, r, 4, bold=True)
            rows[crit["stt"]] = r
            r += 1
            if not crit["children"]:
                leaf_lines(crit)
            for sub in crit["children"]:
                ws.cell(row=r, column=1, value=f"{sub['stt']}.")
                ws.cell(row=r, column=2, value=sub["name"])
                ws.cell(row=r, column=3, value=points_cell(sub["max"], kind=sub["kind"], style="text"))
                ev = evidence_text(sub["evidence"])
                cut = None
                if sub["stt"] == cut_evidence_of and " " in ev:
                    words = ev.split(" ")
                    ev, cut = " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2:])
                ws.cell(row=r, column=4, value=ev)
                style_row(ws, r, 4)
                rows[sub["stt"]] = r
                r += 1
                if cut:
                    # a page break cut the evidence cell: its tail is on a row of its own, all else blank
                    ws.row_breaks.append(Break(id=r - 1))
                    ws.cell(row=r, column=4, value=cut)
                    style_row(ws, r, 4)
                    r += 1
                leaf_lines(sub)
    ws.cell(row=r, column=2, value="Tổng cộng")
    ws.cell(row=r, column=3, value="100 điểm")
    style_row(ws, r, 4, bold=True)
    wb.save(path)
    return {"rows": rows, "guide_rows": guide_rows, "total_row": r}


# --------------------------------------------------------------------------- main

def main(out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    so = so_tree()
    xa = xa_tree()
    expected: dict = {}

    info = write_so(out_dir / "chiso_so_2025_chuan.xlsx", so)
    assert not info["mismatches"], info["mismatches"]
    expected["chiso_so_2025_chuan.xlsx"] = {
        "level": "so", **counts(so), "header_rows": [5, 6], "repeated_header_rows": [info["rows"]["IV"] - 2,
                                                                                 info["rows"]["IV"] - 1],
        "total_row": info["total_row"], "mismatches": [],
        "merged_evidence": "27.1–27.2 và 28.1–28.2 dùng chung một ô tài liệu kiểm chứng (gộp dọc)",
        "first_rows": {k: info["rows"][k] for k in ("I", "1", "1.1", "IX", "35")},
    }

    # The mismatch variant: 13.3 printed 1 instead of 2 (so 13 ≠ 13.1 + 13.2 + 13.3), area II printed 9 instead of 8
    # (so II ≠ 7 + 8 + 9 + 10, and the TỔNG ĐIỂM row ≠ the sum of the areas).
    wrong = {"13.3": Decimal(1), "II": Decimal(9)}
    info_b = write_so(out_dir / "chiso_so_2025_lech_tong.xlsx", so, printed=wrong)
    shown_areas = {a["stt"]: {"name": a["name"], "kind": a["kind"], "max": vn(info_b["shown"][a["stt"]])} for a in so}
    expected["chiso_so_2025_lech_tong.xlsx"] = {
        "level": "so", **counts(so), "max_per_area": shown_areas,
        "total_max_printed": "100",
        "total_max_sum_of_printed_areas": vn(sum(info_b["shown"][a["stt"]] for a in so if a["kind"] != "deduction")),
        "mismatches": info_b["mismatches"],
        "printed_changes": {k: vn(v) for k, v in wrong.items()},
    }

    info_c = write_xa(out_dir / "chiso_xa_2025.xlsx", xa)
    expected["chiso_xa_2025.xlsx"] = {
        "level": "xa", **counts(xa), "header_rows": [5, 6, 7],
        "repeated_header_rows": [info_c["rows"]["V"] - 3, info_c["rows"]["V"] - 2, info_c["rows"]["V"] - 1],
        "total_row": info_c["total_row"], "mismatches": [],
        "ignored_columns": ["Tự chấm", "Thẩm định"],
        "numeric_stt": "STT của tiêu chí thành phần là số thực (1.1, 10.1), như khi dán vào Excel en-US",
    }

    info_d = write_guide_rows(out_dir / "chiso_so_2025_dong_huong_dan.xlsx", so)
    expected["chiso_so_2025_dong_huong_dan.xlsx"] = {
        "level": "so", **counts(so), "guide_rows": info_d["guide_rows"], "total_row": info_d["total_row"],
        "mismatches": [], "evidence_cut_by_page_break": "13.1",
        "note": "Các dòng hướng dẫn chấm điểm (STT và điểm để trống) là hướng dẫn của mục đứng trên, không phải tiêu chí.",
    }
    (out_dir / "expected_counts.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                                  encoding="utf-8")
    return expected


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    exp = main(out)
    for name, e in exp.items():
        print(f"{name}: {e['areas']} lĩnh vực, {e['criteria']} tiêu chí, {e['sub_criteria']} tiêu chí thành phần, "
              f"tổng {e.get('total_max', e.get('total_max_printed'))}, lệch: {len(e['mismatches'])}")
