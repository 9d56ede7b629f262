"""Every table model of the GUI passes pytest-qt's ``qtmodeltester`` (Qt's QAbstractItemModelTester),
each filled with real data: the demo database, returns exported and imported as a province office
receives them, a consolidation, a hand-typed appendix, the backups of the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.intake.completeness import completeness
from core.intake.consolidated_view import consolidated_grid, value_sources
from core.intake.consolidation import consolidate
from core.intake.handmade import read_handmade
from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.org.units import get_unit
from core.plans.store import plans_for_unit
from core.plans.task_list import task_statuses
from core.returns.entry import find_unit_return
from db.backup import list_backups
from gui.consolidation_models import (
    BoardModel,
    ConsolidatedModel,
    EditedCellsModel,
    HandmadeLinesModel,
    OutcomeModel,
    SourcesModel,
)
from gui.pages.settings_page import BackupsModel
from gui.return_grid_model import ReturnGridModel
from gui.table_model import TableModel
from gui.task_models import TaskTreeModel
from tests.gui.test_gui_consolidation import Q2, _files
from tests.helpers.consolidation_helpers import accept_all, write_seed_appendix


@pytest.fixture
def received(province):  # noqa: ANN001, ANN201, F811
    """Four files imported by the province office, two accepted and consolidated."""
    files = _files(province)
    report = import_returns(province.office, "MH", list(files.values()),
                            ImportPolicy(period_code=Q2, edits="ask", other_units="ask"))
    accept_all(province.office, "MH", Q2)
    with province.office.transaction() as s:
        consolidate(s, "MH", Q2)
    return province, report


def _check(qtmodeltester, model) -> None:  # noqa: ANN001
    assert model.rowCount() > 0, "a model is checked with rows in it"
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_board_model(qtmodeltester, received) -> None:  # noqa: ANN001
    p, _ = received
    model = BoardModel()
    with p.office.session() as s:
        model.set_rows(completeness(s, "MH", Q2).rows)
    _check(qtmodeltester, model)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Mã"


def test_outcome_model(qtmodeltester, received) -> None:  # noqa: ANN001
    _, report = received
    model = OutcomeModel()
    for outcome in report.outcomes:
        model.append(outcome)
    _check(qtmodeltester, model)
    assert {model.data(model.index(r, 3)) for r in range(model.rowCount())} >= {"Đã nhập", "Chờ quyết định"}


def test_edited_cells_model(qtmodeltester, received) -> None:  # noqa: ANN001
    _, report = received
    pending = next(o for o in report.outcomes if o.outcome == "pending")
    model = EditedCellsModel()
    model.set_rows(pending.inspection.edited)
    _check(qtmodeltester, model)
    assert model.data(model.index(0, 4), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_consolidated_and_sources_models(qtmodeltester, received) -> None:  # noqa: ANN001
    p, _ = received
    with p.office.session() as s:
        ret, grid = consolidated_grid(s, "MH", Q2)
        _, sources = value_sources(s, ret.id, "1.1.1")
    model = ConsolidatedModel()
    model.set_rows(grid)
    model.editable = True
    _check(qtmodeltester, model)
    rows = SourcesModel()
    rows.set_rows(sources)
    _check(qtmodeltester, rows)


def test_handmade_lines_model(qtmodeltester, province, tmp_path: Path) -> None:  # noqa: ANN001, F811
    path = write_seed_appendix(tmp_path / "Báo cáo Sở Tư pháp quý 2.xlsx")
    with province.office.session() as s:
        preview = read_handmade(s, path, parent="MH")
    model = HandmadeLinesModel()
    model.set_rows(preview.matched)
    _check(qtmodeltester, model)


def test_return_grid_model(qtmodeltester, demo_db) -> None:  # noqa: ANN001
    with demo_db.session() as s:
        return_id = find_unit_return(s, "MH", "2021-H1").id
    model = ReturnGridModel(demo_db)
    model.load(return_id)
    assert isinstance(model, TableModel)
    _check(qtmodeltester, model)


def test_task_tree_model(qtmodeltester, demo_db) -> None:  # noqa: ANN001
    """The one tree (areas → tasks → activities): not a table, checked all the same."""
    with demo_db.session() as s:
        plan = plans_for_unit(s, get_unit(s, "MH").id)[0]
        rows = task_statuses(s, plan.id, "2021-H1")
    model = TaskTreeModel()
    model.set_rows(rows)
    _check(qtmodeltester, model)


@pytest.mark.sqlite_only(reason="backup files belong to a SQLite database (a server is backed up by its own tools)")
def test_backups_model(qtmodeltester, demo_db) -> None:  # noqa: ANN001
    demo_db.backup("manual")
    model = BackupsModel()
    model.set_rows(list_backups(Path(demo_db.target)))
    _check(qtmodeltester, model)
    assert model.data(model.index(0, 1)) == "Sao lưu thủ công"
