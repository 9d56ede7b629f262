"""Plan tables as users paste them into Excel, built with openpyxl from the seeds.

- ``write_002``: the 2021 provincial appendix (seed 002, via resources/demo JSON): title rows,
  "Nhiệm vụ chung" holding the area on each area's first row, merged cells, a header repeated
  between pages and rows cut by a page break;
- ``seed_003_rows`` / ``write_003``: the Department of Education table (seed 003) read from the
  seed text itself: a two-row header, Roman area rows, nested STT 1, 1.1 and page-break rows;
- ``write_provincial``: the Mục tiêu / Nhiệm vụ / Hoạt động / Kinh phí layout (synthetic).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parents[2]
DEMO_JSON = ROOT / "resources" / "demo" / "ke_hoach_cchc_2021_gia_lai.json"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_002 = SEEDS / "002_9a68e51aa9fb9245.txt"
SEED_003 = SEEDS / "003_c1c80baf69d39fc9.txt"


def seed_text(path: Path) -> str:
    """A seed's text; the test is skipped with its reason where the seeds are not beside the repo."""
    if not path.is_file():
        pytest.skip(f"không có tệp mẫu (seed) {path.name}: cần thư mục ../shared/seeds cạnh kho mã")
    return path.read_text(encoding="utf-8")

HEADER_002 = ["Nhiệm vụ chung", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp/thực hiện",
              "Thời gian thực hiện"]


def demo_data() -> dict:
    return json.loads(DEMO_JSON.read_text(encoding="utf-8"))


def _split_words(text: str) -> tuple[str, str]:
    """Cut a text mid-sentence, as a page break does."""
    words = text.split(" ")
    half = max(1, len(words) // 2)
    return " ".join(words[:half]), " ".join(words[half:])


def write_002(path: Path, *, merge_area_column: bool = True, repeat_header_before: tuple[str, ...] = ("IV",),
              split_tasks: tuple[tuple[str, str], ...] = (("VI", "10"), ("V", "2"))) -> dict:
    """Seed 002's appendix as an .xlsx; returns what a correct import must find."""
    data = demo_data()
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["Phụ lục"])
    ws.append(["KẾ HOẠCH TRIỂN KHAI CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2021"])
    ws.append(["(Kèm theo Quyết định số: /QĐ-UBND ngày    tháng 12 năm 2020 của UBND tỉnh)"])
    ws.merge_cells("A1:F1")
    ws.merge_cells("A2:F2")
    ws.merge_cells("A3:F3")
    ws.append([])
    ws.append(HEADER_002)
    for c in ws[5]:
        c.font = Font(bold=True)
    expected: dict = {"areas": [], "leads": {}}
    for area in data["areas"]:
        if area["numeral"] in repeat_header_before:
            ws.append(HEADER_002)
        first_row = ws.max_row + 1
        origin: dict[int, int] = {}
        numbers: list[str] = []
        prev_number = None
        for i, t in enumerate(area["tasks"]):
            cells = [""] * 6
            if i == 0:
                cells[0] = f"{area['numeral']}. {area['title']}"
            task_cell = f"{t['number']}. {t['title']}"
            if t["activities"]:
                task_cell += "\n" + "\n".join(f"- {a}" for a in t["activities"])
            cells[1] = task_cell
            cells[2] = t["output"]
            for col, key in ((3, "lead"), (4, "partners"), (5, "timeframe")):
                cells[col] = "" if t["merged"][key] else t[key]
            continuation = None
            if (area["numeral"], t["number"]) in split_tasks and not t["activities"]:
                # a page break cuts the task cell and the product cell mid-sentence
                cells[1], tail = _split_words(task_cell)
                cells[2], out_tail = _split_words(t["output"])
                continuation = ["", tail, out_tail, "", "", ""]
            ws.append(cells)
            row = ws.max_row
            for col, key in ((3, "lead"), (4, "partners"), (5, "timeframe")):
                if t["merged"][key]:
                    continue
                origin[col] = row
            for col, key in ((3, "lead"), (4, "partners"), (5, "timeframe")):
                if t["merged"][key]:
                    start = origin[col]
                    # extend the vertical merge that starts at the last written cell
                    for rng in list(ws.merged_cells.ranges):
                        if rng.min_col == col + 1 and rng.min_row == start:
                            ws.unmerge_cells(str(rng))
                    ws.merge_cells(start_row=start, start_column=col + 1, end_row=row, end_column=col + 1)
            if continuation:
                ws.append(continuation)
            if t["number"] != prev_number:
                numbers.append(t["number"])
            prev_number = t["number"]
        last_row = ws.max_row
        if merge_area_column and last_row > first_row:
            ws.merge_cells(start_row=first_row, start_column=1, end_row=last_row, end_column=1)
        expected["areas"].append((area["numeral"], area["title"], numbers))
    for row in ws.iter_rows():
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
    expected["tasks"] = sum(len(n) for _, _, n in expected["areas"])
    expected["activities"] = sum(len(t["activities"]) for a in data["areas"] for t in a["tasks"])
    return expected


def write_002_raw(path: Path, *, shift: int = 0) -> None:
    """Seed 002's appendix exactly as the text has it: HTML left in the cells, a header on every page,
    rows cut by page breaks, blank cells where the PDF merged them; ``shift`` blank columns on the left."""
    text = seed_text(SEED_002)
    lines = text[text.index("**Phụ lục**"):].split("\n")
    wb = Workbook()
    ws = wb.active
    for line in lines[:4]:
        if line.strip() and "\t" not in line:
            ws.append([""] * shift + [line.replace("**", "").strip()])
    for line in lines:
        if "\t" in line:
            ws.append([""] * shift + line.split("\t"))
    wb.save(path)


def write_002_word_paste(path: Path) -> None:
    """Seed 002 as Excel pastes a Word table: each paragraph of a cell on its own row, the cells with
    one paragraph merged down over the task's rows, the area cell merged over the area."""
    data = demo_data()
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH TRIỂN KHAI CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2021"])
    ws.append(HEADER_002)
    for area in data["areas"]:
        area_start = ws.max_row + 1
        for t in area["tasks"]:
            task_cell = [f"{t['number']}. {t['title']}"] + [f"- {a}" for a in t["activities"]]
            cols = [task_cell, t["output"].split("\n"), [t["lead"]], [t["partners"]], t["timeframe"].split("\n")]
            height = max(len(c) for c in cols)
            start = ws.max_row + 1
            for i in range(height):
                row = [f"{area['numeral']}. {area['title']}" if (start == area_start and i == 0) else ""]
                row += [c[i] if i < len(c) else "" for c in cols]
                ws.append(row)
            for j, c in enumerate(cols):
                if len(c) == 1 and height > 1:
                    ws.merge_cells(start_row=start, start_column=j + 2, end_row=ws.max_row, end_column=j + 2)
        if ws.max_row > area_start:
            ws.merge_cells(start_row=area_start, start_column=1, end_row=ws.max_row, end_column=1)
    wb.save(path)


# --- seed 003 --------------------------------------------------------------------------------------

def _strip_tags(cell: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


def seed_003_rows() -> tuple[list[str], list[list[str]]]:
    """The title lines and the table rows of seed 003's appendix, exactly as the text has them
    (header rows repeated on every page, rows cut by page breaks)."""
    text = seed_text(SEED_003)
    start = text.index("**BẢNG TRIỂN KHAI")
    lines = text[start:].split("\n")
    titles = [_strip_tags(x.replace("**", "")) for x in lines[:4] if x.strip()]
    rows = [line.split("\t") for line in lines if "\t" in line]
    return titles, rows


def expected_003() -> dict:
    """Areas and task numbers of seed 003, read from the text independently of the importer."""
    _, rows = seed_003_rows()
    areas: list[list] = []
    for cells in rows:
        first = _strip_tags(cells[0])
        m = re.match(r"^([IVX]+)\.\s+(.+)$", first)
        if m:
            areas.append([m.group(1), m.group(2), [], {}])
        elif re.fullmatch(r"\d+(?:\.\d+)*", first):
            number = ".".join(str(int(p)) for p in first.split("."))
            areas[-1][2].append(number)
            areas[-1][3][number] = _strip_tags(cells[2]) or None
    return {"areas": [(a[0], a[1], a[2]) for a in areas], "leads": {(a[0], n): lead for a in areas
                                                                     for n, lead in a[3].items()}}


def write_003(path: Path, *, raw_html: bool = False) -> dict:
    titles, rows = seed_003_rows()
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng nhiệm vụ"
    for t in titles:
        ws.append([t])
    ws.append([])
    for cells in rows:
        ws.append([c if raw_html else _strip_tags(c) for c in cells])
    # the first header: STT and Nhiệm vụ merged over two rows, "Trách nhiệm cụ thể" over two columns
    header = len(titles) + 2
    ws.merge_cells(start_row=header, start_column=1, end_row=header + 1, end_column=1)
    ws.merge_cells(start_row=header, start_column=2, end_row=header + 1, end_column=2)
    ws.merge_cells(start_row=header, start_column=3, end_row=header, end_column=4)
    wb.save(path)
    return expected_003()


# --- a provincial annual plan (synthetic) --------------------------------------------------------

PROVINCIAL_HEADER = ["STT", "Mục tiêu", "Nhiệm vụ", "Hoạt động", "Kết quả - Sản phẩm", "Cơ quan chủ trì",
                     "Cơ quan phối hợp", "Thời gian thực hiện", "Kinh phí (triệu đồng)"]

PROVINCIAL = [
    ("I", "Công tác chỉ đạo, điều hành", [
        ("1", "Nâng cao hiệu quả chỉ đạo, điều hành CCHC", "Ban hành và triển khai kế hoạch CCHC năm 2022", [
            ("Xây dựng Kế hoạch CCHC năm 2022", "Quyết định ban hành Kế hoạch", "Sở Nội vụ",
             "Văn phòng UBND tỉnh", "Trước ngày 31/12/2021", "10"),
            ("Kiểm tra công tác CCHC tại các sở, ngành", "Báo cáo kết quả kiểm tra", "Sở Nội vụ",
             "Sở Tư pháp; Sở Tài chính", "Quý III/2022", "50"),
        ]),
        ("2", "", "Tuyên truyền cải cách hành chính", [
            ("Xây dựng chuyên mục CCHC trên Cổng thông tin điện tử tỉnh", "Chuyên mục", "Sở TT&TT",
             "Sở Nội vụ", "Quý II/2022", "20"),
        ]),
    ]),
    ("II", "Cải cách thủ tục hành chính", [
        ("1", "Giảm thời gian giải quyết TTHC", "Rà soát, đơn giản hóa TTHC", [
            ("Rà soát quy định, TTHC thuộc thẩm quyền", "Báo cáo rà soát", "VP UBND tỉnh",
             "Các sở, ban, ngành", "Trước 15/8/2022", ""),
            ("Công bố danh mục TTHC được sửa đổi", "Quyết định công bố", "Văn phòng Ủy ban nhân dân tỉnh",
             "Sở Tư pháp", "Tháng 10/2022", ""),
            ("Cập nhật TTHC lên Cơ sở dữ liệu quốc gia", "TTHC được cập nhật", "VP UBND tỉnh",
             "Bưu điện tỉnh", "Quý IV/2022", "5"),
        ]),
    ]),
]


def write_provincial(path: Path, *, merge: bool = True) -> dict:
    """STT / Mục tiêu / Nhiệm vụ / Hoạt động / … / Kinh phí; task cells merged (or left blank)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["ỦY BAN NHÂN DÂN TỈNH MINH HỌA"])
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"])
    ws.append([])
    ws.append(PROVINCIAL_HEADER)
    ws.append([f"({i})" for i in range(1, 10)])
    expected = {"areas": [], "activities": 0, "tasks": 0}
    for numeral, title, tasks in PROVINCIAL:
        ws.append([numeral, title])
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=9)
        numbers = []
        objective_start = None
        for number, objective, task, activities in tasks:
            first = ws.max_row + 1
            for j, (act, out, lead, partners, time, money) in enumerate(activities):
                ws.append([
                    number if j == 0 else "",
                    objective if j == 0 else "",
                    task if j == 0 else "",
                    f"- {act}", out, lead, partners, time, money,
                ])
            last = ws.max_row
            if merge and last > first:
                for col in (1, 3):
                    ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
            if objective:
                objective_start = first
            elif merge and objective_start:
                # the objective cell spans this task too
                for rng in list(ws.merged_cells.ranges):
                    if rng.min_col == 2 and rng.min_row == objective_start:
                        ws.unmerge_cells(str(rng))
                ws.merge_cells(start_row=objective_start, start_column=2, end_row=last, end_column=2)
            if merge and objective and last > first:
                ws.merge_cells(start_row=first, start_column=2, end_row=last, end_column=2)
            numbers.append(number)
            expected["activities"] += len(activities)
        expected["areas"].append((numeral, title, numbers))
        expected["tasks"] += len(numbers)
    wb.save(path)
    return expected


# --- a database with the demo content, built once per test run -----------------------------------

_DEMO_DB: Path | None = None


def demo_db_copy(target: Path) -> Path:
    """A fresh copy of a database holding the demo units and plan (loading it once is slow with fsync)."""
    import shutil
    import tempfile

    from core.app.demo import load_demo
    from db.engine import open_database

    global _DEMO_DB
    if _DEMO_DB is None or not _DEMO_DB.exists():
        path = Path(tempfile.mkdtemp(prefix="cchc-demo-")) / "demo.db"
        db = open_database(path)
        with db.transaction() as s:
            load_demo(s)
        db.close()
        _DEMO_DB = path
    shutil.copyfile(_DEMO_DB, target)
    return target
