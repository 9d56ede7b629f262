"""Bench: importing a 500-task plan table, against a raw openpyxl read of the same file.

Run: python bench/bench_plan_import.py [--tasks 500] [--runs 5]

The floor is ``openpyxl.load_workbook(read_only=True)`` iterating every cell value of the
same file, measured in the same run. The import is ``preview_plan_file`` + ``import_plan_file``
into a fresh SQLite database (created and migrated before the clock starts), committed.
Prints medians and the ratio; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# openpyxl as the product runs it (core/__init__.py; the bundle has no lxml), not on lxml: set before it loads.
os.environ.setdefault("OPENPYXL_LXML", "False")

import openpyxl  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment  # noqa: E402

from core.plans.table_import import import_plan_file, preview_plan_file
from core.vnformat import to_roman  # noqa: E402
from db.engine import open_database  # noqa: E402
from db.models import Unit  # noqa: E402

AREAS = ["Công tác chỉ đạo, điều hành", "Cải cách thể chế", "Cải cách thủ tục hành chính",
         "Cải cách tổ chức bộ máy hành chính nhà nước", "Cải cách chế độ công vụ", "Cải cách tài chính công",
         "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"]
LEADS = ["Sở Nội vụ", "Sở Tư pháp", "Văn phòng UBND tỉnh", "Sở Tài chính", "Sở Thông tin và Truyền thông"]
TIMES = ["Quý I/2022", "Trước ngày 30/6/2022", "Trong năm 2022", "Thường xuyên", "Tháng 9/2022",
         "- Ban hành kế hoạch trước ngày 31/01/2022\n- Báo cáo kết quả trong Quý IV/2022"]


def make_plan(path: Path, tasks: int) -> None:
    """A 2022 provincial plan in the 2021 appendix layout: area rows, bullets, merged lead cells."""
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"])
    ws.append(["(Kèm theo Quyết định số 100/QĐ-UBND ngày 30/12/2021 của UBND tỉnh)"])
    ws.merge_cells("A1:G1")
    ws.merge_cells("A2:G2")
    ws.append(["STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện",
               "Kinh phí"])
    per_area = -(-tasks // len(AREAS))
    made = 0
    for a, area in enumerate(AREAS):
        ws.append([f"{to_roman(a + 1)}. {area}"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
        for n in range(1, per_area + 1):
            if made == tasks:
                break
            made += 1
            title = f"Nhiệm vụ số {n} về {area.lower()}: triển khai, kiểm tra và báo cáo kết quả thực hiện"
            if n % 4 == 0:
                title += "\n- Xây dựng kế hoạch chi tiết\n- Tổ chức thực hiện và báo cáo"
            lead = "" if n % 5 == 2 else LEADS[n % len(LEADS)]
            ws.append([str(n), title, "Báo cáo kết quả thực hiện; Quyết định ban hành", lead,
                       "Sở, ban, ngành tỉnh; UBND cấp huyện", TIMES[n % len(TIMES)], "50" if n % 3 == 0 else ""])
            if n % 5 == 2:
                ws.merge_cells(start_row=ws.max_row - 1, start_column=4, end_row=ws.max_row, end_column=4)
    for row in ws.iter_rows(min_row=4):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)


def raw_read(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += sum(1 for v in row if v is not None)
    wb.close()
    return cells


def fresh_db(folder: Path, i: int):
    db = open_database(folder / f"bench{i}.db")
    with db.transaction() as s:
        s.add(Unit(code="MH", name="UBND tỉnh Minh Họa", level="tinh"))
        for k, name in enumerate(LEADS):
            s.add(Unit(code=f"MH.{k}", name=name, level="so"))
    return db


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        folder = Path(tmp)
        path = folder / "ke_hoach_500.xlsx"
        make_plan(path, args.tasks)
        size = path.stat().st_size

        raw_times, preview_times, import_times = [], [], []
        counts = None
        raw_read(path)  # warm the OS cache and imports for both sides
        for i in range(args.runs):
            t0 = time.perf_counter()
            raw_read(path)
            raw_times.append(time.perf_counter() - t0)

            db = fresh_db(folder, i)
            try:
                t0 = time.perf_counter()
                preview = preview_plan_file(path)
                t1 = time.perf_counter()
                with db.transaction() as s:
                    unit = s.query(Unit).filter_by(code="MH").one()
                    import_plan_file(s, path, unit, preview=preview)
                t2 = time.perf_counter()
            finally:
                db.close()
            preview_times.append(t1 - t0)
            import_times.append(t2 - t0)
            counts = (preview.area_count, preview.task_count, preview.activity_count)

        raw = statistics.median(raw_times)
        prev = statistics.median(preview_times)
        full = statistics.median(import_times)
        print(f"file: {args.tasks}-task plan, {size / 1024:.0f} KB; imported {counts[0]} areas, {counts[1]} tasks, "
              f"{counts[2]} activities; median of {args.runs} runs")
        print(f"raw openpyxl read (read_only, every cell):   {raw * 1000:8.1f} ms")
        print(f"preview_plan_file:                           {prev * 1000:8.1f} ms  ({prev / raw:.1f}x raw)")
        print(f"preview + import_plan_file + commit:         {full * 1000:8.1f} ms  ({full / raw:.1f}x raw)")
        print(f"ratio (preview + import + commit) / raw openpyxl: {full / raw:.2f}   (goal, issue 13: at most 3; "
              "9.1 before the renovation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
