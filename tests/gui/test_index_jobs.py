"""The "Chỉ số CCHC" page's long work, driven as a clerk does (file dialogs patched): importing a criteria
table, exporting the score workbook and the self-assessment PDF, receiving the communes' score workbooks
and exporting the ranking — each runs off the GUI thread (the tests wait for the job) and shows what it did;
a damaged score file is rejected in Vietnamese with no score stored; "Hủy" while receiving receives nothing;
a file that is not a criteria table is refused and nothing is stored.

Set CCHC_SCREENSHOTS=/some/folder to keep the screenshots for a look by eye.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from sqlalchemy import select

from core.index.scoring import assessment_for, criteria_of, set_score, submit_assessment
from core.index.workbook import read_score_workbook, write_score_workbook
from db.models import IndexAssessment, IndexImportedFile, IndexScore, Unit
from gui import export_actions
from gui.app import make_application
from gui.jobs import running_jobs
from gui.pages.index_page import IndexPage
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import screenshot
from tests.helpers.index_helpers import make_index_db
from tests.helpers.index_tables import main as write_tables

WAIT = 60_000
SCORE_TABLES = ("index_assessment", "index_score", "index_evidence")


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bang_tieu_chi")
    write_tables(folder)
    return folder


def open_page(qtbot, db, unit: str) -> IndexPage:  # noqa: ANN001
    make_application()
    p = IndexPage(db)
    qtbot.addWidget(p)
    p.resize(1280, 760)
    p.show()
    qtbot.waitExposed(p)
    with db.session() as s:
        p.set_context(s.scalar(select(Unit.id).where(Unit.code == unit)), "2025-Y")
    return p


@pytest.fixture
def shown(monkeypatch) -> dict[str, list]:  # noqa: ANN001
    """What the page told the user: message boxes by kind, and the files offered to open after an export."""
    seen: dict[str, list] = {"information": [], "warning": [], "question": [], "exported": []}
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *a, _k=kind, **k:
                            seen[_k].append((title, text)))

    def question(parent, title, text, *a, **k):  # noqa: ANN001, ANN202
        seen["question"].append((title, text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(export_actions, "ask_after_export", lambda parent, path: seen["exported"].append(path)
                        or "close")
    return seen


def score_all(db, unit: str, short: str | None = None, submit: bool = True) -> None:  # noqa: ANN001
    """Every self-scored leaf at its maximum (``short`` at 1 point)."""
    with db.transaction() as s:
        a = assessment_for(s, unit, 2025)
        for c in criteria_of(s, a):
            if c.is_leaf and c.depth and c.kind == "self":
                set_score(s, a, c.code, 1 if c.code == short else c.max_centi / 100, note="Chưa đạt")
        if submit:
            submit_assessment(s, a)


def test_importing_a_criteria_table_reads_it_asks_and_stores_it(qtbot, tmp_path: Path, tables: Path,
                                                                shown, monkeypatch) -> None:  # noqa: ANN001
    db = make_index_db(tmp_path / "xa.db")  # no criteria set yet
    try:
        page = open_page(qtbot, db, "H.X1")
        assert page.progress.text() == "Chưa có bảng điểm của đơn vị này." or not page.self_panel.rows
        page.tabs.setCurrentIndex(1)
        monkeypatch.setattr(QFileDialog, "getOpenFileName",
                            lambda *a, **k: (str(tables / "chiso_xa_2025.xlsx"), ""))
        page.buttons["import"].click()
        assert not page.buttons["import"].isEnabled()  # read off the GUI thread
        qtbot.waitUntil(lambda: bool(shown["question"]), timeout=WAIT)
        title, text = shown["question"][0]
        # the chosen table as read (tests/index/data/expected_counts.json), and the question
        assert title == "Nhập bộ tiêu chí" and text.endswith("Tổng điểm tối đa: 100\n\nLưu bộ tiêu chí này?")
        assert text.startswith("BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA ỦY BAN NHÂN DÂN CÁC XÃ, PHƯỜNG, ĐẶC KHU\n"
                               "9 lĩnh vực, 31 tiêu chí, 16 tiêu chí thành phần.\n")
        qtbot.waitUntil(lambda: running_jobs() == 0 and bool(page.self_panel.rows), timeout=WAIT)
        assert page.progress.text().startswith("Đã chấm 0/32 tiêu chí thành phần")
        assert page.buttons["import"].isEnabled() and not shown["warning"]

        # A workbook that is not a criteria table: refused in Vietnamese, nothing stored.
        before = dump_tables(db)
        other = tmp_path / "Danh sách cán bộ.xlsx"
        wb = openpyxl.Workbook()
        wb.active.append(["Họ và tên", "Chức vụ"])
        wb.active.append(["Nguyễn Văn A", "Chủ tịch"])
        wb.save(other)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
        page.buttons["import"].click()
        qtbot.waitUntil(lambda: bool(shown["warning"]) and running_jobs() == 0, timeout=WAIT)
        title, text = shown["warning"][0]
        assert title == "Không nhập được bộ tiêu chí" and "Traceback" not in text and text.strip()
        assert len(shown["question"]) == 1 and dump_tables(db) == before
    finally:
        db.close()


def test_the_score_workbook_and_the_pdf_are_exported_off_the_gui_thread(qtbot, tmp_path: Path, tables: Path,
                                                                         shown, monkeypatch) -> None:  # noqa: ANN001
    db = make_index_db(tmp_path / "xa.db", tables / "chiso_xa_2025.xlsx")
    try:
        score_all(db, "H.X1", short="1.2", submit=False)
        page = open_page(qtbot, db, "H.X1")
        xlsx, pdf = tmp_path / "Bảng điểm xã Ân Phú 1.xlsx", tmp_path / "Báo cáo tự đánh giá.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
        page.buttons["export"].click()
        qtbot.waitUntil(lambda: bool(shown["exported"]), timeout=WAIT)
        assert shown["exported"] == [xlsx] and page.buttons["export"].isEnabled()
        content = read_score_workbook(xlsx).content  # sealed and readable by the level above
        assert content["unit"]["code"] == "H.X1" and content["year"] == 2025
        assert {s["code"]: s["self"] for s in content["scores"]}["1.2"] == 100  # 1 point, in hundredths
        ws = openpyxl.load_workbook(xlsx)["Bảng điểm"]
        assert ws["A1"].value == "UBND XÃ ÂN PHÚ 1"
        rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
        assert rows["1.2"][1:4] == ("Mức độ hoàn thành Kế hoạch CCHC năm", 2, 1)  # maximum 2, scored 1

        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
        page.buttons["pdf"].click()
        qtbot.waitUntil(lambda: len(shown["exported"]) == 2, timeout=WAIT)
        assert shown["exported"][1] == pdf and not shown["warning"]
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout
            assert "KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM" in text and "Ân Phú 1" in text
    finally:
        db.close()


@pytest.fixture
def district(qtbot, tmp_path: Path, tables: Path):  # noqa: ANN001, ANN201
    """The district's database (criteria set known, no scores) and the communes' score workbooks, exported from
    the communes' own database: Ân Phú 1 full marks, Ân Phú 2 one point short on 1.2 (69/70)."""
    communes = make_index_db(tmp_path / "xa.db", tables / "chiso_xa_2025.xlsx")
    files = tmp_path / "bang_diem"
    files.mkdir()
    for unit, short in (("H.X1", None), ("H.X2", "1.2")):
        score_all(communes, unit, short)
        with communes.transaction() as s:
            write_score_workbook(s, assessment_for(s, unit, 2025), files / f"Bảng điểm {unit}.xlsx")
    communes.close()
    db = make_index_db(tmp_path / "huyen.db", tables / "chiso_xa_2025.xlsx")
    yield db, files
    db.close()


def scores_of(db) -> dict[str, list]:  # noqa: ANN001
    dump = dump_tables(db)
    return {t: dump[t] for t in SCORE_TABLES}


def test_receiving_score_files_lists_each_outcome_and_a_damaged_one_stores_nothing(
        qtbot, district, shown, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    db, files = district
    damaged = files / "Bảng điểm hỏng.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    page = open_page(qtbot, db, "H")
    page.tabs.setCurrentIndex(1)
    assert page.missing.text().startswith("Chưa có bảng điểm: ")

    # The damaged file alone: rejected with its Vietnamese reason; no score stored.
    before = scores_of(db)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(damaged)], ""))
    page.buttons["receive"].click()
    qtbot.waitUntil(lambda: bool(shown["information"]) and running_jobs() == 0, timeout=WAIT)
    title, text = shown["information"].pop()
    assert title == "Kết quả nhận bảng điểm" and text.startswith("Bảng điểm hỏng.xlsx: từ chối — ") and "hỏng" in text
    assert scores_of(db) == before and page.ranking_table.rowCount() == 0
    with db.session() as s:  # the refusal is kept in the list of files received, as for returns
        assert [(f.file_name, f.outcome) for f in s.scalars(select(IndexImportedFile))] == [
            ("Bảng điểm hỏng.xlsx", "rejected")]

    # The two communes' files (and the damaged one again, which does not stop the rest).
    chosen = [str(files / "Bảng điểm H.X1.xlsx"), str(files / "Bảng điểm H.X2.xlsx"), str(damaged)]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (chosen, ""))
    page.buttons["receive"].click()
    qtbot.waitUntil(lambda: bool(shown["information"]) and running_jobs() == 0, timeout=WAIT)
    title, text = shown["information"].pop()
    lines = text.split("\n")
    assert lines[0].startswith("Bảng điểm H.X1.xlsx: đã nhận — Đã nhận bảng điểm.")
    assert lines[1].startswith("Bảng điểm H.X2.xlsx: đã nhận — Đã nhận bảng điểm.")
    assert lines[2].startswith("Bảng điểm hỏng.xlsx: từ chối — ")
    t = page.ranking_table
    rows = [[t.item(r, c).text() if t.item(r, c) else "" for c in (0, 1, 6, 7, 8)] for r in range(t.rowCount())]
    # Ân Phú 1: 70/70 = 100%; Ân Phú 2: 69/70 = 98,571… → 98,57%
    assert rows == [["", "UBND xã, phường, đặc khu", "", "", ""], ["1", "UBND xã Ân Phú 1", "70", "70", "100%"],
                    ["2", "UBND xã Ân Phú 2", "69", "70", "98,57%"]]
    assert page.missing.text() == "Chưa có bảng điểm: UBND xã Ân Phú 3"
    with db.session() as s:
        h_x2 = s.scalar(select(Unit.id).where(Unit.code == "H.X2"))
        assert s.scalar(select(IndexScore.self_centi).join(IndexAssessment).where(
            IndexAssessment.unit_id == h_x2, IndexScore.criterion.has(code="1.2"))) == 100

    # The ranking, exported as a workbook and as a PDF.
    out = tmp_path / "Xếp hạng.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.buttons["ranking"].click()
    qtbot.waitUntil(lambda: bool(shown["exported"]), timeout=WAIT)
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025"
    ranked = [[c for c in row[:2]] for row in ws.iter_rows(min_row=5, values_only=True) if row[1]]
    assert ranked[:2] == [["1", "UBND xã Ân Phú 1"], ["2", "UBND xã Ân Phú 2"]]
    pdf = tmp_path / "Xếp hạng.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    page.buttons["ranking"].click()
    qtbot.waitUntil(lambda: len(shown["exported"]) == 2, timeout=WAIT)
    assert shown["exported"] == [out, pdf] and not shown["warning"]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "UBND xã Ân Phú 1" in text and "98,57%" in text
    page.grab().save("/tmp/index_receive.png")


def test_cancelling_the_receiving_receives_nothing(qtbot, district, shown, monkeypatch) -> None:  # noqa: ANN001
    db, files = district
    # Many files, so that "Hủy" lands while they are being read.
    for i in range(12):
        shutil.copy(files / "Bảng điểm H.X1.xlsx", files / f"Bảng điểm H.X1 bản {i}.xlsx")
    page = open_page(qtbot, db, "H")
    page.tabs.setCurrentIndex(1)
    before = dump_tables(db)
    chosen = sorted(str(p) for p in files.iterdir())
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (chosen, ""))
    page.buttons["receive"].click()
    job = next(iter(page._jobs))
    assert job.dialog.labelText() == f"Đang nhận {len(chosen)} bảng điểm…"
    with qtbot.waitSignal(job.progressed, timeout=WAIT):
        pass
    screenshot(job.dialog, "index_receive_progress.png")
    next(b for b in job.dialog.findChildren(QPushButton) if b.text() == "Hủy").click()
    qtbot.waitUntil(lambda: running_jobs() == 0 and bool(shown["information"]), timeout=WAIT)
    assert shown["information"] == [("Nhận bảng điểm", "Đã hủy: chưa nhận bảng điểm nào.")]
    assert dump_tables(db) == before  # not even the list of files received
    assert page.ranking_table.rowCount() == 0 and page.buttons["receive"].isEnabled()
