"""Migration 0007 (return review): a database at 0006 with received returns upgrades keeping every row;
returns imported before (and still current) are accepted, a draft file stays pending, a return typed
in and finished by a unit below is accepted for its parent."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text

from core.intake.completeness import completeness
from core.intake.consolidation import consolidate
from core.intake.importer import import_returns
from core.returns.entry import find_unit_return
from core.returns.store import reopen, submit
from db import migrate
from db.engine import make_engine, open_database
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import Province
from tests.helpers.returns_helpers import with_kps


def _indicators(target: str) -> list[tuple]:
    """The indicator rows in the columns they had at 0006."""
    engine = make_engine(target)
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text(
                "SELECT id, template_id, code, parent_code, sort_order, name, hint, unit_label, kind, value_type, "
                "breakdown, source_code FROM indicator ORDER BY id"))]
    finally:
        engine.dispose()

H1 = "2021-H1"


def test_upgrade_from_0006_keeps_every_row_and_decides_each_received_returns_state(demo_db_file,
                                                                                    tmp_path: Path) -> None:
    p = Province(demo_db_file, tmp_path / "p")
    try:
        # Received by the province before the upgrade: Sở Nội vụ's finished return (a first file, then a
        # newer one), Sở Tư pháp's draft, and Văn phòng's return typed in directly on the province's
        # database and finished.
        for at, value in ((datetime(2021, 6, 17, 8, 0), 3), (datetime(2021, 6, 18, 9, 0), 4)):
            p.fill("MH.SNV", with_kps("so", {"1.1.1": value}))  # no blank rows: it can be submitted
            with p.child.transaction() as s:
                ret = find_unit_return(s, "MH.SNV", H1)
                if ret.status == "draft":
                    submit(s, ret)
            import_returns(p.office, "MH", [p.export("MH.SNV", H1, at=at, name=f"snv_{value}.xlsx")])
            with p.child.transaction() as s:
                reopen(s, find_unit_return(s, "MH.SNV", H1), "Sửa số liệu")
        p.fill("MH.STP", {"1.1.1": 5})
        import_returns(p.office, "MH", [p.export("MH.STP", H1)])
        p.fill("MH.VP", with_kps("so", {"1.1.1": 6}), db=p.office)
        with p.office.transaction() as s:
            submit(s, find_unit_return(s, "MH.VP", H1))
        target = p.office.target
    finally:
        p.close()

    db = open_database(target)
    with db.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0006")
    db.close()
    before = dump_tables(target)
    assert "return_review" not in before and before["imported_file"]
    indicators_before = _indicators(target)

    db = open_database(target)  # upgrades to head, after a backup
    try:
        assert db.upgraded_from == "0006"
        after = dump_tables(target)
        for table, rows in before.items():
            if table == "plan":  # 0011 adds two columns, NULL for existing plans
                assert [r.replace(", None, None)", ")") for r in after[table]] == rows, table
            elif table not in ("alembic_version", "indicator"):  # 0009 gives indicators their level lists
                assert after[table] == rows, table
        assert _indicators(target) == indicators_before
        with db.engine.connect() as c:
            reviews = c.execute(text(
                "SELECT u.code, r.state, r.imported_file_id IS NULL, r.reason, r.decided_by FROM return_review r "
                "JOIN unit u ON u.id = r.unit_id ORDER BY u.code")).all()
        assert [(code, state, typed) for code, state, typed, _, _ in reviews] == [
            ("MH.SNV", "accepted", 0),  # the current file only (the first one was replaced)
            ("MH.VP", "accepted", 1)]  # typed in and finished on this database
        assert reviews[0][3].startswith("Chấp nhận khi nâng cấp chương trình") and reviews[0][4] == "nâng cấp dữ liệu"
        with db.session() as s:
            board = completeness(s, "MH", H1)
        rows = {r.unit_code: r for r in board.rows}
        assert (rows["MH.SNV"].review, rows["MH.SNV"].file_name) == ("accepted", "snv_4.xlsx")
        assert rows["MH.STP"].review == "pending" and rows["MH.STP"].draft  # a draft waits for a person
        assert rows["MH.VP"].review == "accepted"
        # Consolidation after the upgrade, by hand: 1.1.1 = 4 (Sở Nội vụ's newer file) + 6 (Văn phòng) = 10;
        # Sở Tư pháp's draft (5) waits for a person's review.
        with db.transaction() as s:
            reopen(s, find_unit_return(s, "MH", H1), "Tổng hợp lại sau nâng cấp")
            result = consolidate(s, "MH", H1, take_computed={"1.1.1"})
        assert next(v for v in result.values if v.code == "1.1.1").number == 10
        assert result.pending == [("MH.STP", "Sở Tư pháp")]
    finally:
        db.close()
