"""The return screen driven from the keyboard, as a clerk would (pytest-qt, offscreen, real demo database).

Every check of what was stored re-reads the database through ``core`` services.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
)

import gui.return_editor as return_editor
from core.org.settings import get_setting
from core.org.units import get_unit
from core.returns.entry import apply_edits, find_unit_return, grid_rows
from core.returns.narrative import narrative_sections
from core.returns.workflow import audit_for_value
from gui import export_actions
from gui.return_grid_model import COL_NOTE, COL_VALUE
from tests.helpers.gui_window import demo_window
from tests.helpers.returns_helpers import applicable_value_codes, seed_rows

DRAFT = "2021-Q3"  # the demo's draft return of UBND tỉnh Minh Họa (only the plan's task counts)
SUBMITTED = "2021-H1"


@pytest.fixture
def window(qtbot, tmp_path):
    with demo_window(qtbot, tmp_path) as w:
        w.period_combo.setCurrentIndex(w.period_combo.findData(DRAFT))
        w.nav.setCurrentRow(2)
        yield w


@pytest.fixture
def editor(window):
    return window.pages[1].editor


def stored(db, code: str, period: str = DRAFT, unit: str = "MH"):
    """(number or text, note) of a value as core reads it; (None, "") when blank."""
    with db.session() as s:
        ret = find_unit_return(s, unit, period)
        row = next(r for r in grid_rows(s, ret.id) if r.code == code)
    return (row.text if row.text is not None else row.number), row.note


def value(db, code: str, period: str = DRAFT):
    return stored(db, code, period)[0]


def fill_rest(db, skip: tuple[str, ...] = (), period: str = DRAFT) -> None:
    """The seed report's other values typed in (through core), so that the return can be submitted."""
    with db.transaction() as s:
        ret = find_unit_return(s, "MH", period)
        assert apply_edits(s, ret.id, [(c, v, n or None) for c, v, n in seed_rows() if c not in skip]).applied


def cell(editor, code: str, column: int = COL_VALUE):
    return editor.model.index(editor.model.row_of(code), column)


def type_text(widget, text: str) -> None:
    """Type ``text`` into a focused editor, Vietnamese included (QTest.keyClicks only knows Latin-1 keys):
    each character arrives as a key event carrying its text, as an input method delivers it."""
    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def type_in(qtbot, editor, code: str, text: str, column: int = COL_VALUE, key=Qt.Key.Key_Return):
    """Select the cell, type as in Excel (the first key opens the editor), then Enter (or Tab)."""
    grid = editor.grid
    editor.grid.go_to(code, column)
    qtbot.keyClick(grid, text[0])
    line = grid.indexWidget(grid.currentIndex())
    assert isinstance(line, QLineEdit), "typing did not start editing"
    type_text(line, text[1:])
    qtbot.keyClick(line, key)
    qtbot.waitUntil(lambda: grid.indexWidget(cell(editor, code, column)) is not line)  # committed and closed


# --------------------------------------------------------------------------- typing


def test_typing_a_value_stores_it_and_enter_moves_down_past_the_heading(window, editor, qtbot):
    db, grid = window.db, editor.grid
    assert value(db, "1.1.3") is None
    type_in(qtbot, editor, "1.1.3", "1234")
    qtbot.waitUntil(lambda: value(db, "1.1.3") == 1234)
    assert cell(editor, "1.1.3").data() == "1.234"
    # 1.2 is a group heading: Enter goes on to the next value row, same column.
    assert editor.model.row_at(grid.currentIndex().row()).code == "1.2.1"
    assert grid.currentIndex().column() == COL_VALUE
    assert "Đã có số liệu 3/98" in window.pages[1].info.text()


def test_decimal_comma_and_thousands_dot_are_read_by_core(window, editor, qtbot):
    type_in(qtbot, editor, "3.3.3", "72,8")
    qtbot.waitUntil(lambda: value(window.db, "3.3.3") == pytest.approx(72.8))
    assert cell(editor, "3.3.3").data() == "72,8"
    type_in(qtbot, editor, "3.1.3", "3.133")
    qtbot.waitUntil(lambda: value(window.db, "3.1.3") == 3133)
    assert cell(editor, "3.1.3").data() == "3.133"
    assert cell(editor, "3.1.3").data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_a_letter_in_a_number_cell_is_refused_with_the_message_and_nothing_stored(window, editor, qtbot):
    grid = editor.grid
    type_in(qtbot, editor, "1.1.3", "12a")
    qtbot.waitUntil(lambda: editor.message.isVisible())
    assert "Chỉ tiêu 1.1.3" in editor.message.text() and "không phải là số" in editor.message.text()
    assert value(window.db, "1.1.3") is None
    # The cursor stays on the cell with what was typed, to correct it; the cell says why.
    assert editor.model.row_at(grid.currentIndex().row()).code == "1.1.3"
    reopened = grid.indexWidget(grid.currentIndex())
    assert isinstance(reopened, QLineEdit) and reopened.text() == "12a"
    assert "không phải là số" in cell(editor, "1.1.3").data(Qt.ItemDataRole.ToolTipRole)
    qtbot.keyClick(reopened, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: grid.state() != QAbstractItemView.State.EditingState)
    assert value(window.db, "1.1.3") is None
    assert not editor.model.undo_stack.canUndo()


def test_blank_and_zero_are_different_and_delete_makes_a_cell_blank(window, editor, qtbot):
    db, grid = window.db, editor.grid
    type_in(qtbot, editor, "2.1", "0")
    qtbot.waitUntil(lambda: value(db, "2.1") == 0)
    assert value(db, "2.1") is not None and cell(editor, "2.1").data() == "0"
    grid.go_to("2.1")
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: value(db, "2.1") is None)
    assert cell(editor, "2.1").data() == ""
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert value(db, "2.1") == 0


def test_tab_moves_to_the_note_then_the_next_rows_value(window, editor, qtbot):
    grid = editor.grid
    type_in(qtbot, editor, "2.4", "3", key=Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: value(window.db, "2.4") == 3)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (editor.model.row_of("2.4"), COL_NOTE)
    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (editor.model.row_of("2.5"), COL_VALUE)
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    assert grid.currentIndex().row() == editor.model.row_of("2.4")


def test_an_arrow_key_while_typing_stores_and_moves_once(window, editor, qtbot):
    grid = editor.grid
    grid.go_to("2.3")
    qtbot.keyClick(grid, "7")
    qtbot.keyClick(grid.indexWidget(grid.currentIndex()), Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: value(window.db, "2.3") == 7)
    assert editor.model.row_at(grid.currentIndex().row()).code == "2.2"
    assert grid.state() != QAbstractItemView.State.EditingState


def test_typing_on_a_heading_or_a_label_column_explains_instead_of_searching(window, editor, qtbot):
    grid = editor.grid
    grid.go_to("1.2")
    qtbot.keyClick(grid, "5")
    assert editor.message.text() == "Dòng 1.2 là tiêu đề nhóm, không nhập số liệu (chỉ ghi chú)."
    grid.go_to("1.2.1", 1)
    qtbot.keyClick(grid, "5")
    assert editor.message.text() == "Chỉ nhập được vào cột Số liệu và cột Ghi chú."
    assert editor.model.row_at(grid.currentIndex().row()).code == "1.2.1"


def test_a_group_row_takes_a_note(window, editor, qtbot):
    """Seed 004 notes group row 3.4 ("Số liệu tính đến ngày 14/3/2021…"): typed in its Ghi chú cell, stored."""
    type_in(qtbot, editor, "3.4", "Số liệu tính đến ngày 14/3/2021", column=COL_NOTE)
    qtbot.waitUntil(lambda: stored(window.db, "3.4") == (None, "Số liệu tính đến ngày 14/3/2021"))
    assert cell(editor, "3.4", COL_NOTE).data() == "Số liệu tính đến ngày 14/3/2021"
    assert not cell(editor, "3.4").flags() & Qt.ItemFlag.ItemIsEditable  # still no value


def test_undoing_an_override_gives_back_the_plans_figure(window, editor, qtbot):
    type_in(qtbot, editor, "1.1.2", "12")
    assert "1.1.2" in editor.problems.codes()
    assert cell(editor, "1.1.2").data(Qt.ItemDataRole.ToolTipRole).startswith(
        "Số liệu từ Kế hoạch là 11; đã sửa tay thành 12.")
    editor.undo_button.click()
    assert value(window.db, "1.1.2") == 11 and editor.model.row_at(editor.model.row_of("1.1.2")).source == "plan"
    assert editor.problems.codes() == []
    editor.redo_button.click()
    assert value(window.db, "1.1.2") == 12


def test_a_coded_answer_is_chosen_from_a_combo_with_a_blank_entry(window, editor, qtbot):
    grid = editor.grid
    grid.go_to("7.3")
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    combo = grid.indexWidget(grid.currentIndex())
    assert isinstance(combo, QComboBox)
    combo.hidePopup()
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == ["(để trống)", "Chưa = 0", "Đang làm = 1", "Hoàn thành = 2", "Không phát sinh"]
    qtbot.keyClick(combo, "2")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: value(window.db, "7.3") == 2)
    assert cell(editor, "7.3").data() == "2 – Hoàn thành"
    # A code not in the list is refused with the core's message.
    grid.go_to("7.3")
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    combo = grid.indexWidget(grid.currentIndex())
    combo.hidePopup()
    qtbot.keyClick(combo, "5")
    assert editor.message.text() == ("Chỉ tiêu 7.3: “5” không thuộc danh sách mã trả lời "
                                      "(Chưa = 0 / Đang làm = 1 / Hoàn thành = 2).")
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    assert value(window.db, "7.3") == 2
    # Typing the code on the cell (no F2) works too, as does blanking it.
    grid.go_to("7.3")
    qtbot.keyClick(grid, "1")
    qtbot.keyClick(grid.indexWidget(grid.currentIndex()), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: value(window.db, "7.3") == 1)
    grid.go_to("7.3")
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert value(window.db, "7.3") is None


# --------------------------------------------------------------------------- paste, copy, undo


def paste(qtbot, editor, code: str, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    editor.grid.go_to(code)
    qtbot.keyClick(editor.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_pasting_an_excel_block_stores_it_and_one_undo_restores_all_of_it(window, editor, qtbot):
    db = window.db
    codes = ("3.3.2", "3.3.3", "3.3.4")
    paste(qtbot, editor, "3.3.2", "3.133\r\n72,8\r\n1\r\n")
    assert [value(db, c) for c in codes] == [3133, pytest.approx(72.8), 1]
    assert [cell(editor, c).data() for c in codes] == ["3.133", "72,8", "1"]
    assert editor.model.undo_stack.count() == 1
    qtbot.keyClick(editor.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [value(db, c) for c in codes] == [None, None, None]
    qtbot.keyClick(editor.grid, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert [value(db, c) for c in codes] == [3133, pytest.approx(72.8), 1]
    qtbot.keyClick(editor.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor.grid, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert value(db, "3.3.3") == pytest.approx(72.8)
    # Undo and redo are saved and audited like any edit.
    with db.session() as s:
        ret = find_unit_return(s, "MH", DRAFT)
        history = audit_for_value(s, ret.id, "3.3.3")
    assert [(h.old, h.new) for h in history] == [("(trống)", "72,8"), ("72,8", "(trống)"), ("(trống)", "72,8"),
                                                 ("72,8", "(trống)"), ("(trống)", "72,8")]


def test_a_bad_cell_in_a_pasted_block_stores_nothing_and_names_the_code(window, editor, qtbot):
    db = window.db
    paste(qtbot, editor, "3.3.2", "5\tghi chú một\r\n1O5\r\n7\r\n")
    assert [stored(db, c) for c in ("3.3.2", "3.3.3", "3.3.4")] == [(None, ""), (None, ""), (None, "")]
    assert editor.message.isVisible()
    assert "3.3.3" in editor.message.text() and "Không ghi ô nào" in editor.message.text()
    assert not editor.model.undo_stack.canUndo()
    # A percent over 100 is refused the same way (the core's range check).
    paste(qtbot, editor, "3.3.3", "101\r\n")
    assert value(db, "3.3.3") is None and "3.3.3" in editor.message.text()


def test_paste_with_notes_and_copy_gives_tab_separated_vietnamese_numbers(window, editor, qtbot):
    db = window.db
    paste(qtbot, editor, "3.3.2", "5\tTheo báo cáo của Văn phòng\r\n")
    assert stored(db, "3.3.2") == (5, "Theo báo cáo của Văn phòng")
    paste(qtbot, editor, "3.1.3", "4.156\r\n")
    grid = editor.grid
    grid.go_to("3.1.3")
    sel = grid.selectionModel()
    sel.select(cell(editor, "3.1.3", COL_NOTE), sel.SelectionFlag.Select)
    assert grid.copy_selection() == "4.156\t\r\n"
    assert QGuiApplication.clipboard().text() == "4.156\t\r\n"


def test_decomposed_text_typed_or_pasted_into_the_grid_is_stored_nfc(window, editor, qtbot):
    """An input method or a web page may hand over decomposed letters ("o" + U+0302 + U+0301): the grid is where
    text comes in, so it is stored NFC and reads as the same words (a KPS answer is still recognised)."""
    db = window.db
    nfd = unicodedata.normalize("NFD", "Theo báo cáo của Văn phòng")
    assert nfd != "Theo báo cáo của Văn phòng"
    type_in(qtbot, editor, "2.4", "3", key=Qt.Key.Key_Tab)
    type_in(qtbot, editor, "2.4", nfd, column=COL_NOTE)
    qtbot.waitUntil(lambda: stored(db, "2.4")[1] != "")
    assert stored(db, "2.4") == (3, "Theo báo cáo của Văn phòng")
    assert editor.model.setData(cell(editor, "3.3.3"), unicodedata.normalize("NFD", "Không phát sinh"))
    assert stored(db, "3.3.3") == ("Không phát sinh", "")
    paste(qtbot, editor, "3.3.2", unicodedata.normalize("NFD", "5\tSố liệu của Sở Tư pháp\r\n"))
    assert stored(db, "3.3.2") == (5, "Số liệu của Sở Tư pháp")
    with db.session() as s:
        ret = find_unit_return(s, "MH", DRAFT)
        notes = [r.note for r in grid_rows(s, ret.id) if r.note]
    assert notes and all(unicodedata.is_normalized("NFC", n) for n in notes)


# --------------------------------------------------------------------------- problems panel, provenance


def test_problems_panel_lists_a_broken_rule_and_double_click_goes_to_the_cell(window, editor, qtbot):
    db, panel = window.db, editor.problems
    assert value(db, "1.1.1") == 38  # from the plan
    assert "Từ Kế hoạch" in cell(editor, "1.1.1").data(Qt.ItemDataRole.ToolTipRole)
    type_in(qtbot, editor, "1.1.2", "40")
    qtbot.waitUntil(lambda: "1.1.2" in panel.codes())
    texts = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert any(t.startswith("Lỗi — Chỉ tiêu 1.1.2 (40) lớn hơn chỉ tiêu 1.1.1 (38)") for t in texts)
    # Overriding the plan's figure leaves the warning that asks for a note, and the screen says so.
    assert any(t.startswith("Cảnh báo — Chỉ tiêu 1.1.2: số liệu 40 khác với số liệu lấy từ Kế hoạch là 11")
               for t in texts)
    assert "ghi chú lý do" in editor.message.text()
    red = cell(editor, "1.1.2").data(Qt.ItemDataRole.BackgroundRole).color().name()
    amber = cell(editor, "1.1.2", COL_NOTE).data(Qt.ItemDataRole.BackgroundRole).color().name()
    assert (red, amber) == ("#f7c9c9", "#fde3a7")
    editor.grid.go_to("2.1")
    item = next(panel.list.item(i) for i in range(panel.list.count()) if panel.list.item(i).text().startswith("Lỗi"))
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.grid.currentIndex().row() == editor.model.row_of("2.1")  # one click only selects the line
    qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.grid.currentIndex().row() == editor.model.row_of("1.1.2")
    # A note explains the warning; the error stays until the figure is right.
    type_in(qtbot, editor, "1.1.2", "Gồm cả nhiệm vụ phát sinh", column=COL_NOTE)
    qtbot.waitUntil(lambda: stored(db, "1.1.2")[1] == "Gồm cả nhiệm vụ phát sinh")
    assert "(đã có ghi chú)" in " ".join(panel.list.item(i).text() for i in range(panel.list.count()))
    type_in(qtbot, editor, "1.1.2", "11")
    qtbot.waitUntil(lambda: "1.1.2" not in panel.codes())
    assert panel.codes() == []


# --------------------------------------------------------------------------- workflow


def test_submit_locks_the_grid_and_reopening_with_a_reason_unlocks_it(window, editor, qtbot, monkeypatch):
    db, grid, page = window.db, editor.grid, window.pages[1]
    monkeypatch.setattr(return_editor, "ask_confirmation", lambda *a: True)
    fill_rest(db, skip=("1.1.1", "1.1.2", "1.1.3"))
    editor.reload()
    # Refused while an error stands: the listed problems are shown and nothing changes.
    type_in(qtbot, editor, "1.1.2", "40")
    assert not editor.submit()
    assert editor.refusal_box is not None and "1.1.2" in editor.refusal_box.informativeText()
    assert "Nháp" in page.info.text()
    editor.refusal_box.close()
    type_in(qtbot, editor, "1.1.2", "11")
    type_in(qtbot, editor, "1.1.3", "5")
    assert editor.submit()
    assert "Đã hoàn thành" in page.info.text()
    assert editor.locked_banner.isVisible() and not editor.submit_button.isEnabled()
    assert not (cell(editor, "1.1.3").flags() & Qt.ItemFlag.ItemIsEditable)
    assert cell(editor, "1.1.3").data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f1f1f1"
    # Typing, Delete and paste are refused with a message; nothing is stored.
    grid.go_to("1.1.3")
    qtbot.keyClick(grid, "9")
    assert grid.state() != QAbstractItemView.State.EditingState
    assert "Mở lại báo cáo" in editor.message.text()
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    paste(qtbot, editor, "1.1.3", "9\r\n")
    assert value(db, "1.1.3") == 5
    # Reopening asks for a reason and refuses an empty one.
    dlg = editor.reopen()
    dlg.reason.setText("   ")
    dlg.ok_button.click()
    assert dlg.isVisible() and dlg.error.text() == "Cần ghi lý do mở lại báo cáo."
    assert "Đã hoàn thành" in page.info.text()
    dlg.reason.setText("Sở Nội vụ đề nghị bổ sung số liệu")
    dlg.ok_button.click()
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert "Nháp" in page.info.text() and cell(editor, "1.1.3").flags() & Qt.ItemFlag.ItemIsEditable
    type_in(qtbot, editor, "1.1.3", "6")
    qtbot.waitUntil(lambda: value(db, "1.1.3") == 6)
    # The log lists every step: who, when (dd/mm/yyyy HH:MM), what, old → new, reason.
    log = editor.show_log().texts()
    actions = [row[2] for row in log]
    assert actions[0] == "Tạo báo cáo" and "Hoàn thành báo cáo" in actions and "Mở lại báo cáo" in actions
    reopen_row = next(row for row in log if row[2] == "Mở lại báo cáo")
    assert reopen_row[1] == "kiem.thu" and reopen_row[4] == "Đã hoàn thành → Nháp"
    assert reopen_row[5] == "Sở Nội vụ đề nghị bổ sung số liệu"
    assert ["Sửa số liệu", "1.1.3", "5 → 6"] == log[-1][2:5]
    assert len(log[-1][0]) == 16 and log[-1][0][2] == "/" and log[-1][0][5] == "/"
    history = editor.show_value_history("1.1.3").texts()
    assert [row[4] for row in history] == ["(trống) → 5", "5 → 6"]


def test_a_unit_without_a_return_gets_a_button_that_creates_it(window, editor, qtbot):
    db = window.db
    window.unit_combo.setCurrentIndex(window.unit_combo.findText("    Sở Nội vụ"))
    assert editor.create_button.isVisible() and "Chưa có báo cáo của Sở Nội vụ" in editor.empty_text.text()
    assert "Chưa lập" in window.pages[1].info.text()
    qtbot.mouseClick(editor.create_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert find_unit_return(s, "MH.SNV", DRAFT) is not None
    assert editor.tabs.isVisible() and editor.model.rowCount() > 80
    # A department's form: no province-only rows ("Số UBND cấp huyện đã kiểm tra").
    assert editor.model.row_of("1.2.2") is None and editor.model.row_of("1.2.3") is not None
    assert "Nháp" in window.pages[1].info.text()


def test_a_submitted_return_shows_greyed_values(window, editor):
    window.period_combo.setCurrentIndex(window.period_combo.findData(SUBMITTED))
    assert editor.model.locked and editor.reopen_button.isEnabled()
    assert cell(editor, "1.4.1").data() == "3.133"
    assert cell(editor, "1.4.1").data(Qt.ItemDataRole.ForegroundRole).color().name() == "#6b6b6b"


# --------------------------------------------------------------------------- narrative


def test_narrative_user_text_survives_regenerating_the_drafts(window, editor, qtbot):
    db = window.db
    editor.tabs.setCurrentIndex(1)
    nar = editor.narrative
    nar.select("I.1")
    assert "đã hoàn thành 11/38 nhiệm vụ" in nar.draft.toPlainText()
    nar.user.setFocus()
    type_text(nar.user, "Đã ban hành Kế hoạch CCHC năm 2021.")
    nar.sections.setFocus()  # focus-out saves
    qtbot.waitUntil(lambda: nar.saved.text().startswith("Đã lưu"))

    def user_text():
        with db.session() as s:
            views = narrative_sections(s, find_unit_return(s, "MH", DRAFT), regenerate=False)
        return next(v for v in views if v.key == "I.1").user_text

    assert user_text() == "Đã ban hành Kế hoạch CCHC năm 2021."
    editor.tabs.setCurrentIndex(0)
    type_in(qtbot, editor, "1.1.2", "12")
    editor.tabs.setCurrentIndex(1)
    qtbot.mouseClick(nar.regenerate_button, Qt.MouseButton.LeftButton)
    nar.select("I.1")
    assert "12/38" in nar.draft.toPlainText()
    assert nar.user.toPlainText() == "Đã ban hành Kế hoạch CCHC năm 2021."
    assert user_text() == "Đã ban hành Kế hoạch CCHC năm 2021."
    assert nar.stale.isVisible()
    # Emptying the box goes back to the draft; "Dùng bản nháp" copies the draft only when asked.
    nar.user.setPlainText("")
    nar.save()
    assert user_text() is None
    qtbot.mouseClick(nar.use_draft_button, Qt.MouseButton.LeftButton)
    assert user_text() == nar.draft.toPlainText() == nar.user.toPlainText()


def test_narrative_text_is_saved_when_leaving_the_tab(window, editor, qtbot):
    editor.tabs.setCurrentIndex(1)
    nar = editor.narrative
    nar.select("IV")
    nar.user.setPlainText("Tiếp tục triển khai Kế hoạch CCHC năm 2021.")
    editor.tabs.setCurrentIndex(0)
    with window.db.session() as s:
        views = narrative_sections(s, find_unit_return(s, "MH", DRAFT), regenerate=False)
    assert next(v for v in views if v.key == "IV").user_text == "Tiếp tục triển khai Kế hoạch CCHC năm 2021."


def test_narrative_saves_after_a_pause_in_typing(window, editor, qtbot):
    editor.tabs.setCurrentIndex(1)
    nar = editor.narrative
    nar.timer.setInterval(10)
    nar.select("V")
    nar.user.setFocus()
    type_text(nar.user, "Đề nghị Bộ Nội vụ hướng dẫn.")
    qtbot.waitUntil(lambda: nar.saved.text().startswith("Đã lưu"))
    with window.db.session() as s:
        views = narrative_sections(s, find_unit_return(s, "MH", DRAFT), regenerate=False)
    assert next(v for v in views if v.key == "V").user_text == "Đề nghị Bộ Nội vụ hướng dẫn."


# --------------------------------------------------------------------------- settings


def test_settings_page_saves_the_signer_and_refuses_cutoff_day_40(window, qtbot):
    db = window.db
    window.nav.setCurrentRow(4)
    section = window.pages[3].report_settings
    f = section.fields
    f["report.title_prefix"].setCurrentIndex(f["report.title_prefix"].findData("KT."))
    f["report.collective_body"].setText("Ủy ban nhân dân")
    f["report.head_title"].setText("Chủ tịch")
    f["report.position"].setText("Phó Chủ tịch")
    f["report.signer_name"].setText("Đỗ Tiến Đông")
    f["report.recipients"].setPlainText("Bộ Nội vụ\nUBND tỉnh")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        unit = get_unit(s, "MH")
        assert get_setting(s, unit, "report.signer_name") == "Đỗ Tiến Đông"
        assert get_setting(s, unit, "report.title_prefix") == "KT."
        assert get_setting(s, unit, "report.recipients") == ["Bộ Nội vụ", "UBND tỉnh"]
    assert section.message.text().startswith("Đã lưu")
    preview = section.signature_preview.text()
    assert "TM. ỦY BAN NHÂN DÂN" in preview and "KT. CHỦ TỊCH" in preview and "Đỗ Tiến Đông" in preview
    # One bad value stores nothing, with the core's message.
    f["report.signer_name"].setText("Nguyễn Văn B")
    f["period.cutoff_day"].setText("40")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    assert "phải từ 1 đến 28, không nhận 40" in section.message.text()
    with db.session() as s:
        unit = get_unit(s, "MH")
        assert get_setting(s, unit, "period.cutoff_day") == 14
        assert get_setting(s, unit, "report.signer_name") == "Đỗ Tiến Đông"
    # A good cut-off day moves the data window shown on the return screen.
    f["report.signer_name"].setText("Đỗ Tiến Đông")
    f["period.cutoff_day"].setText("10")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    assert "Ngày chốt số liệu" in section.message.text()
    assert "đến ngày 10/09/2021" in window.pages[1].info.text()


def test_a_value_changed_elsewhere_meanwhile_is_not_overwritten(window, editor, qtbot):
    """Another window (or user) saves 1.1.3 after this grid was loaded: typing over it is refused
    with the Vietnamese message, the grid reloads the newer value, and nothing is lost."""
    from core.returns.entry import Edit
    from gui.return_grid_model import ReturnGridModel

    db = window.db
    stale = ReturnGridModel(db)
    stale.load(editor.model.return_id)
    type_in(qtbot, editor, "1.1.3", "5")  # saved from the main window after ``stale`` was loaded
    assert value(db, "1.1.3") == 5
    refusals: list[str] = []
    stale.refused.connect(refusals.append)
    assert stale.apply_without_undo([Edit("1.1.3", "7")]) is None
    assert refusals and "vừa được người khác sửa" in refusals[0] and "tải lại" in refusals[0]
    assert value(db, "1.1.3") == 5  # the first save is kept
    assert stale.rows[stale.row_of("1.1.3")].number == 5  # the stale grid now shows it
    assert stale.apply_without_undo([Edit("1.1.3", "7")])  # after the reload a deliberate change goes through
    assert value(db, "1.1.3") == 7


# --------------------------------------------------------------------------- issue 11: one truth on screen and paper


def shot(widget, name: str, tmp_path) -> None:  # noqa: ANN001
    """A screenshot; CCHC_SCREENSHOTS=/folder keeps it for a look by eye."""
    QApplication.processEvents()  # the layout follows the texts just set (a label that grew wraps)
    assert widget.grab().save(str(tmp_path / name))
    keep = os.environ.get("CCHC_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(keep) / name))


def pdf_words(pdf: Path) -> str:
    out = subprocess.run([shutil.which("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    lines = [ln for ln in out.replace("\u00a0", " ").replace("\x0c", "\n").splitlines() if not ln.strip().isdigit()]
    return " ".join(" ".join(lines).split())  # page numbers (top of page 2 on) left out


def export_pdf(window, qtbot, monkeypatch, path: Path) -> Path:  # noqa: ANN001
    """"Xuất PDF" with the save dialog answered by ``path``; waits for the worker thread to finish."""
    page = window.pages[1]
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: asked.append(a) or (str(path), a[-1]))
    monkeypatch.setattr(export_actions, "ask_after_export", lambda parent, p: "close")
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: pytest.fail(text))
    monkeypatch.setattr(return_editor, "confirm_empty_sections", lambda *a: True)  # exported on purpose
    qtbot.mouseClick(page.export_pdf_button, Qt.MouseButton.LeftButton)
    if asked:
        qtbot.waitUntil(lambda: page._runner is None and path.is_file(), timeout=60_000)
    return path


def test_case3_the_pdf_prints_the_corrected_figure_not_the_one_the_narrative_was_opened_with(
        window, editor, qtbot, monkeypatch, tmp_path):
    """Issue 11, case 3: "Nội dung báo cáo" opened while 1.2.4 = 2000, corrected in the grid, submitted,
    exported: the PDF said "2000/1234 (162,07%)". It must say what the appendix says: 1 of 1.234."""
    db = window.db
    fill_rest(db, skip=("1.1.1", "1.1.2", "1.2.3", "1.2.4"))
    with db.transaction() as s:
        apply_edits(s, find_unit_return(s, "MH", DRAFT).id, [("1.2.3", "1234"), ("1.2.4", "2000")])
    editor.reload()
    editor.tabs.setCurrentIndex(1)
    nar = editor.narrative
    nar.select("I.3")
    assert "đã xử lý xong 2.000/1.234 vấn đề (đạt 162,07%)" in nar.draft.toPlainText()  # as the figures stand
    editor.tabs.setCurrentIndex(0)
    type_in(qtbot, editor, "1.2.4", "1")
    qtbot.waitUntil(lambda: value(db, "1.2.4") == 1)
    monkeypatch.setattr(return_editor, "ask_confirmation", lambda *a: True)
    assert editor.submit(), editor.refusal_box and editor.refusal_box.informativeText()
    text = pdf_words(export_pdf(window, qtbot, monkeypatch, tmp_path / "quy3.pdf"))
    # 1/1234 = 0,081…%: "01/1.234 … (đạt 0,08%)", the numbers written as the appendix writes them.
    assert "Qua kiểm tra, phát hiện 1.234 vấn đề, đã xử lý xong 01/1.234 vấn đề (đạt 0,08%)." in text
    assert "162,07" not in text and "2000" not in text and "2.000/1.234" not in text and "/1234" not in text
    # The screen says what the paper says.
    editor.tabs.setCurrentIndex(1)
    nar.select("I.3")
    assert "01/1.234 vấn đề (đạt 0,08%)" in nar.draft.toPlainText()


def test_a_hand_written_section_the_figures_moved_under_is_flagged_and_asked_about(
        window, editor, qtbot, monkeypatch, tmp_path):
    db = window.db
    fill_rest(db)
    editor.reload()
    editor.tabs.setCurrentIndex(1)
    nar = editor.narrative
    nar.select("I.3")
    nar.user.setPlainText("Đã kiểm tra 07 cơ quan, đơn vị; đã xử lý xong 13/13 vấn đề phát hiện qua kiểm tra.")
    nar.save()
    editor.tabs.setCurrentIndex(0)
    type_in(qtbot, editor, "1.2.4", "12")  # 12 of the 13 problems now
    editor.tabs.setCurrentIndex(1)
    nar.select("I.3")
    assert nar.stale.isVisible() and "cần xem lại" in nar._items["I.3"].text(0)
    assert "12/13" in nar.draft.toPlainText()
    shot(editor, "narrative_stale_section.png", tmp_path)
    asked = []
    monkeypatch.setattr(return_editor, "confirm_stale", lambda parent, sections, action: asked.append(
        ([s.title for s in sections], action)) or False)
    # Exporting names the section and, told "Xem lại nội dung", exports nothing and shows it.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: pytest.fail("asked for a file"))
    editor.tabs.setCurrentIndex(0)
    window.pages[1].export("pdf")
    assert asked == [(["3. Về kiểm tra CCHC"], "Xuất PDF")]
    assert editor.tabs.currentWidget() is nar and nar._key == "I.3"
    # Submitting: the same question; "Xem lại nội dung" leaves the return a draft.
    monkeypatch.setattr(return_editor, "ask_confirmation", lambda *a: True)
    assert not editor.submit() and "Nháp" in window.pages[1].info.text()
    assert asked[-1] == (["3. Về kiểm tra CCHC"], "Hoàn thành báo cáo")
    # "Giữ nội dung đã viết" confirms the words for the figures of now: no longer asked.
    qtbot.mouseClick(nar.keep_button, Qt.MouseButton.LeftButton)
    assert not nar.stale.isVisible() and "cần xem lại" not in nar._items["I.3"].text(0)
    assert editor.submit() and len(asked) == 2
    assert "Đã hoàn thành" in window.pages[1].info.text()


def test_a_submitted_return_says_it_is_frozen_and_shows_the_narrative_its_pdf_prints(
        window, editor, qtbot, monkeypatch, tmp_path):
    """The demo's 6-month return: the narrative tab used to say "chưa có phần thuyết minh" while its PDF
    had a full narrative. Now the tab shows the frozen sections, word for word what the PDF prints."""
    window.period_combo.setCurrentIndex(window.period_combo.findData(SUBMITTED))
    banner = editor.locked_banner.text()
    assert editor.locked_banner.isVisible() and "khóa nguyên trạng" in banner
    assert "kỳ số liệu (từ ngày 15/12/2020 đến ngày 14/6/2021)" in banner and "BNV-TK-CCHC phiên bản 1" in banner
    assert "dù cài đặt thay đổi sau này" in banner
    shot(window, "return_frozen.png", tmp_path)
    editor.tabs.setCurrentIndex(1)
    nar = editor.narrative
    assert nar.body.currentWidget() is not nar.empty
    nar.select("I.1")
    shot(editor, "narrative_frozen.png", tmp_path)
    printed = pdf_words(export_pdf(window, qtbot, monkeypatch, tmp_path / "h1.pdf"))
    for v in nar.views:
        for paragraph in filter(None, v.text.split("\n")):
            assert " ".join(paragraph.split()) in printed, (v.key, paragraph)
    assert "Đến hết ngày 14/6/2021, đã hoàn thành 11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,95%)." in [
        line for v in nar.views for line in v.text.split("\n")]
    assert nar.user.isReadOnly() and not nar.regenerate_button.isEnabled()


def test_reopening_says_which_settings_the_return_now_takes_up(window, editor, qtbot, tmp_path):
    window.period_combo.setCurrentIndex(window.period_combo.findData(SUBMITTED))
    with window.db.transaction() as s:
        from core.org.settings import set_settings

        set_settings(s, get_unit(s, "MH"), {"report.signer_name": "Trần Văn B", "period.cutoff_day": 10})
    editor.reload()
    assert "khóa nguyên trạng" in editor.locked_banner.text()  # the settings did not move the frozen return
    dlg = editor.reopen()
    assert "Khi mở lại, báo cáo sẽ lấy ngày chốt số liệu" in dlg.findChild(QLabel).text()
    dlg.reason.setText("Cập nhật người ký")
    dlg.ok_button.click()
    qtbot.waitUntil(lambda: not dlg.isVisible())
    text = editor.reopened_banner.text()
    assert editor.reopened_banner.isVisible() and not editor.locked_banner.isVisible()
    assert "lý do: Cập nhật người ký" in text and "Khi mở lại, báo cáo lấy ngày chốt số liệu" in text
    assert "• Người ký: “Nguyễn Văn Minh” → “Trần Văn B”" in text  # the demo names its signer
    assert "• Kỳ số liệu: Từ ngày 15/12/2020 đến ngày 14/6/2021 → Từ ngày 11/12/2020 đến ngày 10/6/2021" in text
    shot(window, "return_reopened.png", tmp_path)


def test_kps_is_typed_or_marked_and_shown_as_such(window, editor, qtbot, tmp_path):
    db = window.db
    type_in(qtbot, editor, "2.1", "kps")
    qtbot.waitUntil(lambda: value(db, "2.1") == "Không phát sinh")
    assert cell(editor, "2.1").data() == "Không phát sinh"
    editor.grid.go_to("2.2")
    qtbot.keyClick(editor.grid, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: value(db, "2.2") == "Không phát sinh")
    type_in(qtbot, editor, "2.3", "0")  # 0 stays a zero
    assert value(db, "2.3") == 0 and cell(editor, "2.3").data() == "0"
    qtbot.keyClick(editor.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo, as any edit
    qtbot.waitUntil(lambda: value(db, "2.3") is None)
    editor.grid.go_to("2.1")
    shot(editor, "grid_kps.png", tmp_path)


def test_a_communes_grid_has_only_its_rows(window, editor, qtbot, tmp_path):
    window.unit_combo.setCurrentIndex(window.unit_combo.findData(
        next(window.unit_combo.itemData(i) for i in range(window.unit_combo.count())
             if window.unit_combo.itemText(i).strip().startswith("UBND xã An Lạc"))))
    qtbot.mouseClick(editor.create_button, Qt.MouseButton.LeftButton)
    codes = [r.code for r in editor.model.rows]
    assert "1.2.2" not in codes and "4.1.1" not in codes and "7.1" not in codes
    assert [r.code for r in editor.model.rows if r.kind == "value"] == applicable_value_codes("xa")
    assert "/48 chỉ tiêu" in window.pages[1].info.text()
    editor.grid.go_to("1.2.3")
    shot(window, "grid_commune.png", tmp_path)
