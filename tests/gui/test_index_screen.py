"""The "Chỉ số CCHC" screen driven as a clerk would: keys typed into the self-score column (Enter moves to the
next leaf), a score over the maximum refused with the database unchanged, a file dropped on a row attached as
evidence, the progress line, and the district's ranking with a tie."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox
from sqlalchemy import select

from core.index.appraisal import appraise
from core.index.scoring import assessment_for, criteria_of, set_score, submit_assessment
from db.models import IndexScore, Unit
from gui.app import make_application
from gui.pages.index_page import IndexPage
from tests.conftest import dump_tables
from tests.helpers.index_helpers import make_index_db
from tests.helpers.index_tables import main as write_tables


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bang_tieu_chi")
    write_tables(folder)
    return folder


@pytest.fixture
def page(qtbot, tmp_path: Path, tables: Path):
    make_application()
    db = make_index_db(tmp_path / "cchc.db", tables / "chiso_xa_2025.xlsx")
    p = IndexPage(db)
    qtbot.addWidget(p)
    p.resize(1280, 760)
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.close()
    db.close()


def unit_id(db, code: str) -> int:  # noqa: ANN001
    with db.session() as s:
        return s.scalar(select(Unit.id).where(Unit.code == code))


def leaf(p: IndexPage, code: str):  # noqa: ANN201
    return next(i for i in p.self_panel._leaf_items() if i.data(0, Qt.ItemDataRole.UserRole) == code)


def type_score(qtbot, p: IndexPage, code: str, text: str) -> None:
    tree = p.self_panel.tree
    tree.setCurrentItem(leaf(p, code), 3)
    tree.setFocus()
    qtbot.keyClicks(tree, text)  # the first key opens the editor, as in the return grid
    editor = QApplication.focusWidget()
    assert editor is not tree
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the delegate commits and closes the editor on the next turn of the event loop; the score is stored then
    qtbot.waitUntil(lambda: tree.state() != QAbstractItemView.State.EditingState)


def test_keyboard_entry_bounds_and_dropped_evidence(qtbot, page: IndexPage, tmp_path: Path, monkeypatch) -> None:
    page.set_context(unit_id(page.db, "H.X1"), "2025-Y")
    assert page.heading.text() == "Chỉ số CCHC năm 2025 — UBND xã Ân Phú 1"
    assert page.progress.text().startswith("Đã chấm 0/32 tiêu chí thành phần, 0 thiếu tài liệu kiểm chứng.")
    type_score(qtbot, page, "1.1", "1")
    assert page.progress.text().startswith("Đã chấm 1/32 tiêu chí thành phần, 1 thiếu tài liệu kiểm chứng.")
    assert page.self_panel.current_code() == "1.2"  # Enter moved on to the next leaf
    assert page.self_panel.guide.text().startswith("Hoàn thành 100% kế hoạch: 2")

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    before = dump_tables(page.db)
    type_score(qtbot, page, "1.2", "5")
    assert warnings and "phải từ 0 đến 2 điểm" in warnings[0]
    assert dump_tables(page.db) == before
    assert leaf(page, "1.2").text(3) == ""

    doc = tmp_path / "Kế hoạch CCHC 2025.pdf"
    doc.write_bytes(b"%PDF-1.4 ke hoach")
    tree = page.self_panel.tree
    rect = tree.visualItemRect(leaf(page, "1.1"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(doc))])
    event = QDropEvent(QPointF(rect.center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    tree.dropEvent(event)
    assert leaf(page, "1.1").text(5) == "1"
    assert page.progress.text().startswith("Đã chấm 1/32 tiêu chí thành phần, 0 thiếu tài liệu kiểm chứng.")
    assert "Kế hoạch CCHC 2025" in page.self_panel.evidence.item(0).text()
    page.grab().save(str(tmp_path / "chi_so.png"))


def test_the_district_sees_the_ranking_with_a_tie_and_appraises(qtbot, page: IndexPage) -> None:
    with page.db.transaction() as s:
        for code, short in (("H.X1", None), ("H.X2", "13"), ("H.X3", "12")):
            a = assessment_for(s, code, 2025)
            for c in criteria_of(s, a):
                if c.is_leaf and c.depth and c.kind == "self":
                    set_score(s, a, c.code, 1 if c.code == short else c.max_centi / 100, note="Chưa đạt")
            submit_assessment(s, a)
    page.set_context(unit_id(page.db, "H"), "2025-Y")
    page.tabs.setCurrentIndex(1)
    t = page.ranking_table
    rows = [[t.item(r, c).text() if t.item(r, c) else "" for c in (0, 1, 6, 7, 8)] for r in range(t.rowCount())]
    # X1 70/70 = 100%; X2 and X3 each 69/70 = 98,571… → 98,57%, sharing rank 2
    assert rows == [["", "UBND xã, phường, đặc khu", "", "", ""], ["1", "UBND xã Ân Phú 1", "70", "70", "100%"],
                    ["2 (đồng hạng)", "UBND xã Ân Phú 2", "69", "70", "98,57%"],
                    ["2 (đồng hạng)", "UBND xã Ân Phú 3", "69", "70", "98,57%"]]
    t.selectRow(1)
    panel = page.appraise_panel
    assert panel.unit_code == "H.X1" and panel.editable
    with page.db.transaction() as s:
        appraise(s, "H.X1", 2025, "1.1", "0,5", "Ban hành chậm")
    page.refresh()
    with page.db.session() as s:
        assert s.scalar(select(IndexScore.appraised_centi).where(IndexScore.appraisal_note == "Ban hành chậm")) == 50
    assert [t.item(1, c).text() for c in (1, 6, 8)] == ["UBND xã Ân Phú 1", "69,5", "99,29%"]
