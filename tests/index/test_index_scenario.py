"""The PAR-Index year across two databases, as a commune and its district live it.

Database A (the communes): the commune criteria set is imported; three communes score themselves (one through
the CLI with evidence), submit and export their score workbooks and the self-assessment PDF. Database B (the
district) never imported the set: it arrives inside the workbooks. The district imports the folder, appraises,
types in the survey points and ranks. Every number is worked out by hand below and compared with what the
exported xlsx and PDF show.

The commune set (chiso_xa_2025.xlsx): 32 self-scored leaves worth 70, six survey leaves worth 30 (27.1 5,
27.2 5, 27.3 6, 27.4 6, 27.5 3, 28 5) and three deductions.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

import main
from db.engine import open_database
from db.models import IndexAssessment, IndexImportedFile
from tests.conftest import dump_tables
from tests.helpers.index_helpers import make_index_db

YEAR = "2025"


def run(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    rc = main.main(["index", *args, "--db", str(db)])
    out, err = capsys.readouterr()
    return rc, out, err


def ok(capsys, db: Path, *args: str) -> str:
    rc, out, err = run(capsys, db, *args)
    assert rc == 0, out + err
    return out


def score_at_max(db_path: Path, unit: str, except_codes: set[str]) -> None:
    """Every self-scored leaf of ``unit`` at its maximum, except ``except_codes`` (scored by the test)."""
    from core.index.scoring import assessment_for, criteria_of, set_score

    db = open_database(db_path)
    with db.transaction() as s:
        a = assessment_for(s, unit, int(YEAR))
        for c in criteria_of(s, a):
            if c.is_leaf and c.depth and c.kind == "self" and c.code not in except_codes:
                set_score(s, a, c.code, c.max_centi / 100)
    db.close()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_commune_scores_on_a_the_district_appraises_and_ranks_on_b(capsys, tmp_path: Path, tables: Path) -> None:
    a_db, b_db = tmp_path / "xa.db", tmp_path / "huyen.db"
    make_index_db(a_db).close()
    make_index_db(b_db).close()  # the district has the units but not the criteria set
    ok(capsys, a_db, "import-criteria", str(tables / "chiso_xa_2025.xlsx"), "--year", YEAR, "--level", "xa")
    out_dir = tmp_path / "gui_len_huyen"
    out_dir.mkdir()

    # --- X1 on A: 1.2 at 1,5 of 2 with its evidence, 24.2 (1,5) không áp dụng, a 0,5 deduction (29)
    x1 = ["--unit", "H.X1", "--year", YEAR]
    evidence = tmp_path / "Báo cáo CCHC năm 2025.pdf"
    evidence.write_bytes(b"%PDF-1.4 bao cao nam")
    ok(capsys, a_db, "score", *x1, "--criterion", "1.2", "--points", "1,5", "--note", "Hoàn thành 18/20 nhiệm vụ",
       "--evidence-number", "25/BC-UBND", "--evidence-file", str(evidence))
    ok(capsys, a_db, "score", *x1, "--criterion", "24.2", "--not-applicable", "--note", "Không có đơn vị sự nghiệp")
    ok(capsys, a_db, "score", *x1, "--criterion", "29", "--points", "0,5")
    # a score over its maximum is refused and changes nothing
    before = dump_tables(a_db)
    rc, _, err = run(capsys, a_db, "score", *x1, "--criterion", "1.1", "--points", "2")
    assert rc == 1 and "phải từ 0 đến 1 điểm" in err
    assert dump_tables(a_db) == before
    score_at_max(a_db, "H.X1", {"1.2", "24.2"})
    # X2 all at the maximum; X3 all but 10.1, 2 of 4
    score_at_max(a_db, "H.X2", set())
    score_at_max(a_db, "H.X3", {"10.1"})
    ok(capsys, a_db, "score", "--unit", "H.X3", "--year", YEAR, "--criterion", "10.1", "--points", "2", "--note",
       "Tỷ lệ đúng hạn 93%")
    for unit in ("H.X1", "H.X2", "H.X3"):
        ok(capsys, a_db, "submit", "--unit", unit, "--year", YEAR)
        ok(capsys, a_db, "export", "--unit", unit, "--year", YEAR, "--xlsx", str(out_dir / f"Bảng điểm {unit}.xlsx"))
    pdf = tmp_path / "bao_cao_x1.pdf"
    ok(capsys, a_db, "export", *x1, "--pdf", str(pdf))

    # X1's self part: maximum 70 − 1,5 (24.2) = 68,5; points 68,5 − 0,5 (1.2) = 68, less the deduction 0,5 = 67,5;
    # 67,5 / 68,5 × 100 = 98,5401… → 98,54%
    wb = openpyxl.load_workbook(out_dir / "Bảng điểm H.X1.xlsx")
    ws = wb["Bảng điểm"]
    total = next(r for r in ws.iter_rows() if r[0].value == "TỔNG ĐIỂM TỰ CHẤM")
    assert (total[2].value, total[3].value, total[4].value) == (68.5, 67.5, "Chỉ số tự đánh giá: 98,54%")
    row_12 = next(r for r in ws.iter_rows() if r[0].value == "1.2")
    assert (row_12[2].value, row_12[3].value, row_12[4].value) == (2, 1.5, "Hoàn thành 18/20 nhiệm vụ")
    assert "25/BC-UBND" in row_12[5].value and "Báo cáo CCHC năm 2025.pdf" in row_12[5].value
    text = pdf_text(pdf)
    assert "Tổng điểm tự đánh giá: 67,5/68,5 điểm, đạt 98,54% (đã trừ 0,5 điểm)." in " ".join(text.split())
    assert "TỔNG ĐIỂM TỰ CHẤM" in text

    # --- B: the district receives the folder (a tampered copy and a draft are refused, the rest arrive)
    tampered = out_dir / "Bảng điểm sửa tay.xlsx"
    wb = openpyxl.load_workbook(out_dir / "Bảng điểm H.X2.xlsx")
    cell = next(r for r in wb["Bảng điểm"].iter_rows() if r[0].value == "13")[3]
    cell.value = 1
    wb.save(tampered)
    out = ok(capsys, b_db, "import-scores", "--unit", "H", str(out_dir), "--json")
    files = {f["file"]: (f["outcome"], f["reason"]) for f in json.loads(out)["files"]}
    assert files["Bảng điểm H.X1.xlsx"][0] == files["Bảng điểm H.X3.xlsx"][0] == "imported"
    assert files["Bảng điểm sửa tay.xlsx"][0] == "rejected"
    assert "điểm đã bị sửa trong Excel" in files["Bảng điểm sửa tay.xlsx"][1] and "tiêu chí 13: 2 → 1" in files[
        "Bảng điểm sửa tay.xlsx"][1]
    out = ok(capsys, b_db, "import-scores", "--unit", "H", str(out_dir / "Bảng điểm H.X1.xlsx"))
    assert "bỏ qua — Bảng điểm này đã nhận trước đó." in out
    shown = json.loads(ok(capsys, b_db, "show", *x1, "--json"))
    rows = {r["code"]: r for r in shown["rows"]}
    assert (rows["1.2"]["self"], rows["1.2"]["evidence"], rows["24.2"]["not_applicable"]) == ("1,5", 1, True)

    # appraisal: X1's 1.1 down to 0,5 (a reason is required); X2's 13 down to 0
    rc, _, err = run(capsys, b_db, "appraise", *x1, "--criterion", "1.1", "--points", "0,5")
    assert rc == 1 and "cần ghi lý do" in err
    rc, _, err = run(capsys, b_db, "appraise", *x1, "--criterion", "1.1", "--points", "1,5", "--note", "x")
    assert rc == 1 and "phải từ 0 đến 1 điểm" in err
    ok(capsys, b_db, "appraise", *x1, "--criterion", "1.1", "--points", "0,5", "--note", "Ban hành chậm 10 ngày")
    ok(capsys, b_db, "appraise", "--unit", "H.X2", "--year", YEAR, "--criterion", "13", "--points", "0", "--note",
       "Không có tài liệu kiểm chứng")
    # survey points, the same for the three: 4 + 4 + 5 + 5 + 2 + 4 = 24 of 30
    for unit in ("H.X1", "H.X2", "H.X3"):
        for code, points in (("27.1", "4"), ("27.2", "4"), ("27.3", "5"), ("27.4", "5"), ("27.5", "2"), ("28", "4")):
            ok(capsys, b_db, "appraise", "--unit", unit, "--year", YEAR, "--criterion", code, "--points", points,
               "--note", "Kết quả điều tra xã hội học năm 2025")

    # X1: appraised self part 68 − 0,5 = 67,5; + survey 24 − deduction 0,5 = 91; maximum 68,5 + 30 = 98,5;
    #     91 / 98,5 × 100 = 92,3857… → 92,39%
    # X2: 70 − 2 (13) = 68; + 24 = 92 of 100 → 92%
    # X3: 70 − 2 (10.1 scored 2 of 4) = 68; + 24 = 92 of 100 → 92%: X2 and X3 share rank 2, no rank 3
    xlsx = tmp_path / "xep_hang.xlsx"
    out = ok(capsys, b_db, "ranking", "--unit", "H", "--year", YEAR, "--json", "--xlsx", str(xlsx))
    ranked = json.loads(out)["groups"]["UBND xã, phường, đặc khu"]
    assert [(m["unit"], m["rank"], m["tied"], m["points"], m["max"], m["index"]) for m in ranked] == [
        ("H.X1", 1, False, "91", "98,5", "92,39%"),
        ("H.X2", 2, True, "92", "100", "92%"),
        ("H.X3", 2, True, "92", "100", "92%"),
    ]
    ws = openpyxl.load_workbook(xlsx)["Xếp hạng"]
    cells = [[c.value for c in r] for r in ws.iter_rows()]
    assert ["1", "UBND xã Ân Phú 1", "67,5", "67,5", "24", "0,5", "91", "98,5", "92,39%"] in cells
    assert ["2 (đồng hạng)", "UBND xã Ân Phú 3", "68", "68", "24", "0", "92", "100", "92%"] in cells
    rank_pdf = tmp_path / "xep_hang.pdf"
    ok(capsys, b_db, "ranking", "--unit", "H", "--year", YEAR, "--pdf", str(rank_pdf))
    text = " ".join(pdf_text(rank_pdf).split())
    assert "KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025" in text
    assert "92,39%" in text and "2 (đồng hạng)" in text

    db = open_database(b_db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(IndexAssessment)) == 3
        assert s.scalar(select(func.count()).select_from(IndexImportedFile).where(
            IndexImportedFile.outcome == "rejected")) == 1
    db.close()
