"""Charts in the printed report: vector drawings in the embedded serif font, captioned "Biểu đồ N: …", their
labels extractable as text; the targets appendix; and a clerk's quarter end to end (scenario)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import main
from core.org.units import get_unit
from core.plans.store import AreaDraft, PlanDraft, TaskDraft, store_plan
from tests.helpers.returns_helpers import PROVINCE, make_db, seed_with, write_csv


def pdf_text(path: Path, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_of(path: Path, words: str) -> int:
    pages = pdf_text(path).split("\f")
    return next(i for i, p in enumerate(pages, 1) if words in p)


def test_demo_pdf_has_captioned_vector_charts_with_text_labels(demo_db_file: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "demo.db"
    shutil.copy2(demo_db_file, db)
    pdf = tmp_path / "báo cáo.pdf"
    assert main.main(["export", "--db", str(db), "--unit", "MH", "--period", "2021-H1", "--pdf", str(pdf),
                      "--allow-empty-sections"]) == 0  # the demo leaves I.4, III, IV, V to the clerk
    text = pdf_text(pdf)
    assert "Biểu đồ 1: Tình hình thực hiện nhiệm vụ theo lĩnh vực CCHC, 6 tháng đầu năm 2021" in text
    assert "Biểu đồ 2: Tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC qua các kỳ năm 2021" in text
    n = page_of(pdf, "Biểu đồ 1:")
    page = pdf_text(pdf, n)
    for label in ("Lĩnh vực I", "Lĩnh vực VII", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Đang thực hiện",
                  "Quá hạn", "Chưa đến hạn", "(nhiệm vụ)"):
        assert label in page, label
    # By hand from the demo (seed 004's 11 completed tasks): area VI has 13 tasks, 5 done on time, 8 in
    # progress; area VII 6 tasks, 3 done; the stacks are labelled with their totals.
    assert re.search(r"\b13\b", page) and "28,95%" in pdf_text(pdf, n, n + 1)
    # Vectors, not pictures: no image on the chart page; every font embedded (no Helvetica fallback).
    images = subprocess.run(["pdfimages", "-list", "-f", str(n), "-l", str(n), str(pdf)], capture_output=True,
                            text=True).stdout.splitlines()
    assert len(images) <= 2  # the header lines of the listing only
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in f for f in fonts), fonts


def test_scenario_values_over_periods_target_submit_export(tmp_path: Path, capsys) -> None:
    """A province's year: a plan of 4 tasks in two areas, values for Quý I and 6 tháng, a target set,
    the return submitted, the PDF exported: the charts and the targets appendix as worked out by hand."""
    db = make_db(tmp_path)
    with db.transaction() as s:
        draft = PlanDraft(title="Kế hoạch CCHC năm 2022", year_from=2022, year_to=2022, areas=[
            AreaDraft("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", tasks=[
                TaskDraft(number="1", title="Ban hành kế hoạch kiểm tra", timeframe_text="Tháng 3/2022"),
                TaskDraft(number="2", title="Tuyên truyền CCHC", timeframe_text="Tháng 12/2022")]),
            AreaDraft("II", "CẢI CÁCH THỂ CHẾ", tasks=[
                TaskDraft(number="1", title="Rà soát văn bản QPPL", timeframe_text="Tháng 5/2022"),
                TaskDraft(number="2", title="Kiểm tra văn bản", timeframe_text="Tháng 11/2022")]),
        ])
        store_plan(s, get_unit(s, PROVINCE), draft)
    db.close()
    dbp = str(tmp_path / "cchc.db")
    common = ["--db", dbp]
    # Progress: I.1 done 10/03/2022 (on time), II.1 done 20/05/2022 (on time); the rest in progress.
    tasks = json.loads(_run(capsys, "tasks", *common, "--plan", "1", "--period", "2022-H1", "--json"))["tasks"]
    ids = {(t["area_numeral"], t["number"]): t["id"] for t in tasks}
    assert main.main(["progress", *common, "--task", str(ids[("I", "1")]), "--period", "2022-Q1", "--status",
                      "hoàn thành", "--completed-on", "10/03/2022"]) == 0
    assert main.main(["progress", *common, "--task", str(ids[("II", "1")]), "--period", "2022-H1", "--status",
                      "hoàn thành", "--completed-on", "20/05/2022"]) == 0
    for key in (("I", "2"), ("II", "2")):
        assert main.main(["progress", *common, "--task", str(ids[key]), "--period", "2022-H1", "--status",
                          "đang thực hiện"]) == 0
    capsys.readouterr()
    # Values: Quý I 7.8.3 = 90,5; 6 tháng 7.8.3 = 96,5 (the whole seed appendix, so the return can be submitted).
    # 1.1.1/1.1.2 as the plan gives them: 4 tasks, 1 then 2 done.
    for period, rate, done in (("2022-Q1", "90,5", 1), ("2022-H1", "96,5", 2)):
        path = write_csv(tmp_path / f"{period}.csv", seed_with({"7.8.3": rate, "1.1.1": 4, "1.1.2": done}))
        main.main(["set-values", *common, "--unit", PROVINCE, "--period", period, "--from", str(path)])
    assert main.main(["targets", "add", *common, "--plan", "1", "--code", "7.8.3", "--op", "ge", "--value", "95",
                      "--label", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn"]) == 0
    # The year's inspection plan: 14 units (sở, ngành); the seed's figures check 6 + 1 = 7 of them.
    assert main.main(["targets", "add", *common, "--plan", "1", "--code", "1.2.1", "--op", "ge", "--value", "14",
                      "--label", "Số cơ quan, đơn vị được kiểm tra CCHC theo kế hoạch"]) == 0
    trend = json.loads(_run(capsys, "trend", *common, "--unit", PROVINCE, "--codes", "7.8.3", "--json"))
    assert [(p["period"], p["values"]["7.8.3"]) for p in trend["periods"]] == [("2022-Q1", 90.5), ("2022-H1", 96.5)]
    # A submitted return's PDF names its signer (issue 17).
    assert main.main(["settings", *common, "--unit", PROVINCE, "--set", "report.signer_name=Nguyễn Văn Ký"]) == 0
    assert main.main(["submit", *common, "--unit", PROVINCE, "--period", "2022-H1", "--confirm-stale"]) == 0
    pdf = tmp_path / "bc.pdf"
    assert main.main(["export", *common, "--unit", PROVINCE, "--period", "2022-H1", "--pdf", str(pdf),
                      "--allow-empty-sections"]) == 0
    text = pdf_text(pdf)
    # Charts: area I = 1 done on time + 1 in progress; area II the same. Completion: Quý I 1/4 = 25%,
    # 6 tháng 2/4 = 50%.
    assert "Biểu đồ 1: Tình hình thực hiện nhiệm vụ theo lĩnh vực CCHC, 6 tháng đầu năm 2022" in text
    assert "Biểu đồ 2: Tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC qua các kỳ năm 2022" in text
    chart2 = pdf_text(pdf, page_of(pdf, "Biểu đồ 2:"))
    assert "25%" in chart2 and "50%" in chart2 and "Quý I/2022" in chart2
    # The appendix: 96,5% against ≥ 95%: met.
    appendix = pdf_text(pdf, page_of(pdf, "KẾT QUẢ THỰC HIỆN CHỈ TIÊU KẾ HOẠCH"))
    assert "Phụ lục III" in appendix
    row = next(line for line in appendix.splitlines() if "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" in line)
    assert "≥ 95%" in row and "96,5%" in row and "Đạt" in row
    assert "Tổng số: 2 chỉ tiêu; đạt 1, chưa đạt 1, chưa có số liệu 0." in appendix
    # The narrative states the same, in the seed report's words: "đã kiểm tra 07/14 đơn vị (đạt 50%)".
    flat = " ".join(text.split())
    assert "tỷ lệ hồ sơ TTHC giải quyết đúng hạn: đạt 96,5%, vượt chỉ tiêu 95%" in flat
    assert "đã kiểm tra 07/14 đơn vị (đạt 50%)" in flat
    # Frozen: a target added after submitting does not change the submitted report.
    assert main.main(["targets", "add", *common, "--plan", "1", "--code", "7.8.4", "--op", "ge", "--value", "50"]) == 0
    again = tmp_path / "bc2.pdf"
    assert main.main(["export", *common, "--unit", PROVINCE, "--period", "2022-H1", "--pdf", str(again),
                      "--allow-empty-sections"]) == 0
    assert pdf_text(again) == text


def _run(capsys, *args: str) -> str:
    capsys.readouterr()
    main.main(list(args))
    return capsys.readouterr().out
