"""A clerk's year of task progress, through the CLI as a clerk's scripts would drive it (issue 11, item 2).

A 2022 plan of six counted tasks (II.1 is a heading over II.1.1 and II.1.2) gets progress in Quý I,
is carried to Quý II, changes in Quý III and Quý IV. In every quarter ``task --json``, ``overview``,
the plan-derived 1.1.1/1.1.2 of the return, the exported Phụ lục II cells (re-read with openpyxl) and
the PDF text (pdftotext) must give the counts worked out by hand below. Then the unit switches to
truncation and the same quarter prints 66,66% everywhere.

Deadlines: I.1 31/03, I.2 none (Thường xuyên), I.3 10/07, II.1.1 30/06, II.1.2 30/09, II.2 30/11/2022.
Cut-offs (Decree 09): Quý I 14/03, Quý II 14/06, Quý III 14/09, Quý IV 14/12/2022.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from openpyxl import Workbook

from cli import run
from core.reports.workbook_format import DATA_SHEET, STATS_SHEET, TASKS_SHEET
from tests.helpers.plan_tables import demo_db_copy
from tests.reports.test_pdf_export import _fold, _text

TASKS = [  # (area, STT, task, timeframe)
    ("I", "1", "Rà soát văn bản quy phạm pháp luật", "Quý I/2022"),
    ("I", "2", "Theo dõi tình hình thi hành pháp luật", "Thường xuyên"),
    ("I", "3", "Báo cáo kết quả rà soát", "Trước ngày 10/7/2022"),
    ("II", "1", "Công bố, công khai thủ tục hành chính", ""),
    ("II", "1.1", "Công bố danh mục TTHC", "Tháng 6/2022"),
    ("II", "1.2", "Niêm yết công khai TTHC tại bộ phận một cửa", "Quý III/2022"),
    ("II", "2", "Số hóa hồ sơ, kết quả giải quyết TTHC", "Tháng 11/2022"),
]
AREAS = {"I": "Cải cách thể chế", "II": "Cải cách thủ tục hành chính"}

# (period, done, headline, status counts) worked out by hand from the dates above.
EXPECTED = {
    # I.1 done 10/03 ≤ 31/03: on time. I.2 at 30%. Nothing else is due by 14/03.
    "2022-Q1": (1, "hoàn thành 1/6 nhiệm vụ (đạt 16,67%)",
                {"done_on_time": 1, "done_late": 0, "in_progress": 1, "not_started": 4, "overdue": 0}),
    # carried unchanged; II.1.1 (30/06) is not yet due on 14/06
    "2022-Q2": (1, "hoàn thành 1/6 nhiệm vụ (đạt 16,67%)",
                {"done_on_time": 1, "done_late": 0, "in_progress": 1, "not_started": 4, "overdue": 0}),
    # II.1.1 done 05/07 > 30/06: late. I.3 (10/07) not done by 14/09: overdue. I.2 now 60%.
    "2022-Q3": (2, "hoàn thành 2/6 nhiệm vụ (đạt 33,33%)",
                {"done_on_time": 1, "done_late": 1, "in_progress": 1, "not_started": 2, "overdue": 1}),
    # I.3 done 01/10 > 10/07: late. II.1.2 done 20/09 ≤ 30/09: on time. II.2 (30/11) overdue on 14/12.
    "2022-Q4": (4, "hoàn thành 4/6 nhiệm vụ (đạt 66,67%)",
                {"done_on_time": 2, "done_late": 2, "in_progress": 1, "not_started": 0, "overdue": 1}),
}
CUTOFF = {"2022-Q1": "14/3/2022", "2022-Q2": "14/6/2022", "2022-Q3": "14/9/2022", "2022-Q4": "14/12/2022"}


def _plan_file(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"])
    ws.append([])
    ws.append(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện"])
    area = None
    for numeral, number, title, timeframe in TASKS:
        if numeral != area:
            ws.append([numeral, AREAS[numeral]])
            area = numeral
        ws.append([number, title, "Sở Tư pháp" if numeral == "I" else "Văn phòng UBND tỉnh", timeframe or None])
    wb.save(path)
    return path


class Clerk:
    def __init__(self, db: Path, folder: Path, capsys) -> None:  # noqa: ANN001
        self.base, self.folder, self.capsys = ["--db", str(db)], folder, capsys

    def ok(self, *args: str) -> dict:
        code = run([*self.base, *args, "--json"])
        out = self.capsys.readouterr()
        assert code == 0, out.err
        return json.loads(out.out)

    def export(self, period: str, tag: str = "") -> tuple[Path, Path]:
        xlsx, pdf = self.folder / f"{period}{tag}.xlsx", self.folder / f"{period}{tag}.pdf"
        # The report's narrative is not the point here: its empty sections are exported on purpose.
        assert run([*self.base, "export", "--allow-empty-sections", "--unit", "MH", "--period", period, "--xlsx",
                    str(xlsx), "--pdf", str(pdf)]) == 0, self.capsys.readouterr().err
        self.capsys.readouterr()
        return xlsx, pdf


def _appendix(xlsx: Path) -> tuple[dict[str, object], dict[str, list], list[str]]:
    """(Phụ lục I values by code, Phụ lục II rows by "area.STT", Phụ lục II total lines)."""
    wb = openpyxl.load_workbook(xlsx)
    refs = {r[1]: r[3] for r in wb[DATA_SHEET].iter_rows(values_only=True) if r[0] == "cell"}
    values = {code: wb[STATS_SHEET][ref].value for code, ref in refs.items()}
    rows = [[c.value for c in r] for r in wb[TASKS_SHEET].iter_rows(min_row=7)]
    tasks = {f"{r[0]}.{r[1]}": r for r in rows if r[0] and r[1] and r[2]}
    totals = [r[1] for r in rows if isinstance(r[1], str) and r[1].startswith(("Cộng lĩnh vực", "TỔNG CỘNG"))]
    return values, tasks, totals


def test_a_year_of_task_progress_agrees_everywhere(tmp_path: Path, capsys) -> None:
    db = demo_db_copy(tmp_path / "cchc.db")
    clerk = Clerk(db, tmp_path, capsys)
    plan = clerk.ok("import-plan", str(_plan_file(tmp_path / "Kế hoạch CCHC 2022.xlsx")), "--unit", "MH",
                    "--number", "15/KH-UBND")
    assert (plan["year_from"], plan["tasks"]) == (2022, 7)
    ids = {f"{t['area_numeral']}.{t['number']}": t["id"]
           for t in clerk.ok("tasks", "--plan", str(plan["plan_id"]))["tasks"]}
    values_file = tmp_path / "so lieu.csv"
    values_file.write_text("code,value\n1.1.3,2\n", encoding="utf-8")
    evidence = tmp_path / "Quyết định 100-QĐ-UBND.pdf"
    evidence.write_bytes(b"%PDF-1.4 quyet dinh 100")

    def progress(key: str, period: str, *more: str) -> dict:
        return clerk.ok("progress", "--task", str(ids[key]), "--period", period, *more)

    def check(period: str) -> tuple[Path, Path]:
        done, headline, counts = EXPECTED[period]
        ov = clerk.ok("overview", "--unit", "MH", "--period", period)
        assert (ov["done"], ov["total"], ov["headline"]) == (done, 6, headline), period
        assert {k: v for k, v in ov["totals"].items()} == counts, period
        states = {k: clerk.ok("task", "--task", str(i), "--period", period) for k, i in ids.items() if k != "II.1"}
        assert sum(s["done"] for s in states.values()) == done, period
        assert sum(s["overdue"] for s in states.values()) == counts["overdue"], period
        clerk.ok("set-values", "--unit", "MH", "--period", period, "--from", str(values_file))
        xlsx, pdf = clerk.export(period)
        values, rows, totals = _appendix(xlsx)
        assert (values["1.1.1"], values["1.1.2"]) == (6, done), period
        assert len(rows) == 7 and rows["II.1"][5] is None  # the heading is listed, not counted
        for key, st in states.items():
            assert rows[key][5] == st["status_label"], (period, key)
        line = (f"TỔNG CỘNG: 6 nhiệm vụ; {headline}; đang thực hiện {counts['in_progress']}; "
                f"chưa triển khai {counts['not_started']}; quá hạn {counts['overdue']}.")
        assert totals[-1] == line, period
        text = _fold(_text(pdf))
        assert line in text, period
        rate = headline.rsplit("(đạt ", 1)[1].rstrip(")")
        # the total's padding ("/6" or "/06") is the narrative formatter's business; the figures are ours
        assert re.search(rf"Đến hết ngày {CUTOFF[period]}, đã hoàn thành {done:02d}/0?6 nhiệm vụ trong Kế hoạch "
                         rf"CCHC \(đạt {rate}\)\.", text), period
        assert "xác định 06 nhiệm vụ cụ thể" in text
        return xlsx, pdf

    # Quý I: I.1 done with its decision; I.2 under way.
    progress("I.1", "2022-Q1", "--status", "hoàn thành", "--completed-on", "10/03/2022",
             "--result", "Đã rà soát 42 văn bản", "--evidence-number", "Quyết định số 100/QĐ-UBND",
             "--evidence-file", str(evidence))
    progress("I.2", "2022-Q1", "--status", "đang thực hiện", "--percent", "30")
    check("2022-Q1")

    # Quý II: carried forward as one action; nothing else changes.
    carried = clerk.ok("carry-forward", "--plan", str(plan["plan_id"]), "--from", "2022-Q1", "--to", "2022-Q2")
    assert sorted(carried["copied"]) == sorted([ids["I.1"], ids["I.2"]])
    i1 = clerk.ok("task", "--task", str(ids["I.1"]), "--period", "2022-Q2")
    assert (i1["record_period"], i1["carried_from"], i1["recorded_in_period"]) == ("2022-Q2", "2022-Q1", False)
    assert [(e["document_number"], e["file_name"], e["source"]["period"]) for e in i1["evidence"]] == [
        ("Quyết định số 100/QĐ-UBND", "Quyết định 100-QĐ-UBND.pdf", "2022-Q1")]
    check("2022-Q2")

    # Quý III: recorded without carrying; saving I.1 untouched changes nothing.
    progress("II.1.1", "2022-Q3", "--status", "hoàn thành", "--completed-on", "05/07/2022")
    progress("I.2", "2022-Q3", "--status", "đang thực hiện", "--percent", "60", "--difficulties", "Thiếu người")
    same = progress("I.1", "2022-Q3", "--status", "hoàn thành", "--percent", "100", "--completed-on", "10/03/2022",
                    "--result", "Đã rà soát 42 văn bản")
    assert same["changed"] is False and same["state"]["carried_from"] == "2022-Q2"
    i2 = clerk.ok("task", "--task", str(ids["I.2"]), "--period", "2022-Q3")
    assert (i2["percent_done"], i2["sources"]["percent_done"]["kind"], i2["sources"]["entered_status"]["period"]) == (
        60.0, "recorded", "2022-Q1")
    check("2022-Q3")

    # Quý IV: two more done; I.2 stays at 60% carried from Quý III.
    progress("I.3", "2022-Q4", "--status", "hoàn thành", "--completed-on", "01/10/2022")
    progress("II.1.2", "2022-Q4", "--status", "hoàn thành", "--completed-on", "20/09/2022")
    i2 = clerk.ok("task", "--task", str(ids["I.2"]), "--period", "2022-Q4")
    assert (i2["percent_done"], i2["difficulties"], i2["carried_from"]) == (60.0, "Thiếu người", "2022-Q3")
    xlsx, pdf = check("2022-Q4")
    _, rows, totals = _appendix(xlsx)
    assert rows["I.3"][5] == "Hoàn thành quá hạn" and rows["II.2"][5] == "Quá hạn chưa hoàn thành"
    # area II: II.1.1 late, II.1.2 on time, II.2 overdue → 2/3
    assert totals[1].startswith("Cộng lĩnh vực II: 3 nhiệm vụ; hoàn thành 2/3 nhiệm vụ (đạt 66,67%)")

    # The unit chooses truncation: 4/6 = 66,666… prints 66,66% in every place.
    clerk.ok("settings", "--unit", "MH", "--set", "report.rounding=truncate")
    assert clerk.ok("overview", "--unit", "MH", "--period", "2022-Q4")["headline"] == (
        "hoàn thành 4/6 nhiệm vụ (đạt 66,66%)")
    xlsx, pdf = clerk.export("2022-Q4", "-cat")
    _, _, totals = _appendix(xlsx)
    assert totals[-1].startswith("TỔNG CỘNG: 6 nhiệm vụ; hoàn thành 4/6 nhiệm vụ (đạt 66,66%)")
    text = _fold(_text(pdf))
    assert re.search(r"đã hoàn thành 04/0?6 nhiệm vụ trong Kế hoạch CCHC \(đạt 66,66%\)\.", text)
    assert "66,67%" not in text
