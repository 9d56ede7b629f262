"""The charts dialog (Xem → Biểu đồ…): the same chart data as the PDF, painted with QPainter; copy as
image and save as PNG."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication, QImage
from sqlalchemy import select

from db.models import Unit
from gui.chart_view import ChartsDialog


def test_charts_dialog_shows_the_demo_and_saves_png(qtbot, demo_db, tmp_path: Path) -> None:
    with demo_db.session() as s:
        uid = s.scalar(select(Unit.id).where(Unit.code == "MH"))
    dialog = ChartsDialog(demo_db, uid, "2021-H1")
    qtbot.addWidget(dialog)
    status = dialog.status_panel.view.chart
    # By hand from the demo: area VI has 13 tasks (5 done on time, 8 in progress).
    i = status.categories.index("Lĩnh vực VI")
    assert {s.name: s.values[i] for s in status.series}["Hoàn thành đúng hạn"] == 5
    assert sum(s.values[i] for s in status.series) == 13
    assert dialog.completion_panel.view.chart.series[0].values == (0.0, 28.95)  # Quý I 0/38, 6 tháng 11/38
    assert dialog.trend_panel.view.chart.series[0].values == (38.0,)  # 1.1.1 in 6 tháng đầu năm 2021
    saved = dialog.status_panel.view.save_png(tmp_path / "Biểu đồ nhiệm vụ")
    assert saved.suffix == ".png" and not QImage(str(saved)).isNull()
    dialog.status_panel.copy_button.click()
    assert not QGuiApplication.clipboard().image().isNull()


def test_return_grid_side_panel_shows_history_and_targets(qtbot, demo_db, tmp_path: Path) -> None:
    from core.plans.targets import add_target
    from gui.return_editor import ReturnEditor

    with demo_db.transaction() as s:
        uid = s.scalar(select(Unit.id).where(Unit.code == "MH"))
        add_target(s, plan_id=1, code="1.1.2", of_code="1.1.1", op="ge", value="25")  # 11/38 = 28,95% → met
        add_target(s, plan_id=1, code="1.1.2", of_code="1.1.1", op="ge", value="95")  # → not met
    editor = ReturnEditor(demo_db)
    qtbot.addWidget(editor)
    editor.resize(1200, 760)
    editor.load(uid, "2021-Q3")
    editor.grid.go_to("1.1.2")
    panel = editor.history_panel
    assert panel.code == "1.1.2" and "Số nhiệm vụ đã hoàn thành" in panel.title.text()
    assert [(panel.recent.item(r, 0).text(), panel.recent.item(r, 1).text()) for r in range(panel.recent.rowCount())] \
        == [("6 tháng đầu năm 2021", "11")]
    assert panel.same.text() == "(chưa có)"  # no Quý III of an earlier year
    text = panel.targets.text()
    assert "(1.1.2/1.1.1 ≥ 25%): <span style='color:#1b5e20'><b>Đạt</b></span> (28,95%)" in text
    assert "(1.1.2/1.1.1 ≥ 95%): <span style='color:#b71c1c'><b>Chưa đạt</b></span> (28,95%)" in text
    editor.grab().save(str(tmp_path / "return_screen.png"))


def test_home_overview_lists_the_targets_met_or_not(qtbot, demo_db) -> None:
    from core.plans.targets import add_target
    from gui.main_window import MainWindow

    with demo_db.transaction() as s:
        add_target(s, plan_id=1, code="1.1.2", of_code="1.1.1", op="ge", value="25")  # 11/38 = 28,95% → met
        add_target(s, plan_id=1, code="7.8.3", op="ge", value="95", label="Tỷ lệ hồ sơ giải quyết đúng hạn")  # 69,13
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.period_combo.setCurrentIndex(window.period_combo.findData("2021-H1"))
    overview = window.page_of("PlansPage").overview
    table = overview.targets
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert rows == [
        ["Tỷ lệ số nhiệm vụ đã hoàn thành trên số nhiệm vụ đề ra trong kế hoạch", "1.1.2/1.1.1 ≥ 25%", "28,95%", "Đạt"],
        ["Tỷ lệ hồ sơ giải quyết đúng hạn", "7.8.3 ≥ 95%", "69,13%", "Chưa đạt"],
    ]
    assert overview.targets_box.title() == "Chỉ tiêu kế hoạch: đạt 1/2"


def test_comparison_table_across_periods_and_its_xlsx(qtbot, demo_db, tmp_path: Path) -> None:
    import openpyxl

    from gui.comparison_view import ComparisonDialog

    with demo_db.session() as s:
        uid = s.scalar(select(Unit.id).where(Unit.code == "MH"))
    dialog = ComparisonDialog(demo_db, uid, "2021-Q3")
    qtbot.addWidget(dialog)
    t = dialog.table
    assert [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())] == [
        "STT", "Chỉ tiêu", "Đơn vị tính", "6 tháng đầu năm 2021", "Quý III/2021"]
    assert [t.item(0, c).text() for c in (0, 3, 4)] == ["1.1.1", "38", "38"]
    row = next(r for r in range(t.rowCount()) if t.item(r, 0).text() == "1.4.1")
    assert [t.item(row, c).text() for c in (3, 4)] == ["3.133", ""]  # seed 004: 3.133 survey forms; Quý III blank
    assert "3.4.5.c" not in [t.item(r, 0).text() for r in range(t.rowCount())]  # blank in every period
    ws = openpyxl.load_workbook(dialog.export_to(tmp_path / "So sánh.xlsx")).active
    assert ws.cell(4, 4).value == "6 tháng đầu năm 2021" and ws.cell(5, 1).value == "1.1.1"
    dialog.mode.setCurrentIndex(1)  # the same period of each year: only Quý III/2021
    assert [t.horizontalHeaderItem(c).text() for c in range(3, t.columnCount())] == ["Quý III/2021"]


def test_targets_dialog_proposes_from_the_plan_text_and_stores_only_what_is_confirmed(
        qtbot, demo_db, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from core.plans.targets import list_targets
    from gui.targets_dialog import COL_VALUE, TargetsDialog

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: told.append(text))
    text = tmp_path / "kế hoạch.txt"
    text.write_text("II. MỤC TIÊU\n2.1. Mục tiêu\n- Tỷ lệ hồ sơ TTHC do các sở, ngành tiếp nhận được giải quyết đúng "
                    "hạn đạt trên 98%.\n- Hoàn thành 100% nhiệm vụ của Kế hoạch.\n", encoding="utf-8")
    dialog = TargetsDialog(demo_db, 1)
    qtbot.addWidget(dialog)
    assert dialog.read_text_file(text)
    # the kept text first, then the demo plan's own tasks that state a percentage ("hoàn thành 100% Kế hoạch …")
    assert len(dialog.proposals) > 2
    assert [p.clause for p in dialog.proposals[:2]] == [
        "Tỷ lệ hồ sơ TTHC do các sở, ngành tiếp nhận được giải quyết đúng hạn đạt trên 98%",
        "Hoàn thành 100% nhiệm vụ của Kế hoạch"]
    assert dialog.table.cellWidget(0, COL_VALUE).text() == "98%"
    with demo_db.session() as s:
        assert list_targets(s, plan_id=1) == []  # read, proposed, never stored by itself
    # Ticked but not linked: refused, nothing stored.
    dialog.table.item(1, 0).setCheckState(dialog.table.item(1, 0).checkState().Checked)
    dialog.check(0, "3.4.1")
    assert dialog.save_checked() == 0 and "dòng 2: chưa gắn với chỉ tiêu thống kê" in told[-1]
    with demo_db.session() as s:
        assert list_targets(s, plan_id=1) == []
    dialog.check(1, "1.1.2", "1.1.1")  # "100% nhiệm vụ": 1.1.2/1.1.1 ≥ 100%
    assert dialog.save_checked() == 2
    rows = [[dialog.confirmed.item(r, c).text() for c in range(2)] for r in range(dialog.confirmed.rowCount())]
    assert rows == [
        ["Tỷ lệ hồ sơ TTHC do các sở, ngành tiếp nhận được giải quyết đúng hạn đạt trên 98%", "3.4.1 ≥ 98%"],
        ["Hoàn thành 100% nhiệm vụ của Kế hoạch", "1.1.2/1.1.1 ≥ 100%"]]
    dialog.grab().save(str(tmp_path / "targets.png"))
