"""Builders for the PAR-Index tests: a unit tree and a database with a criteria set imported."""

from __future__ import annotations

from pathlib import Path

from core.forms import ensure_standard_content
from core.index.criteria import store_set
from core.index.criteria_import import read_criteria_table
from db.engine import Database, open_database
from db.models import Unit

PROVINCE, DISTRICT, DEPARTMENT = "T", "H", "S1"
COMMUNES = ("H.X1", "H.X2", "H.X3")


def make_units(db: Database) -> None:
    with db.transaction() as s:
        ensure_standard_content(s)
        t = Unit(code=PROVINCE, name="UBND tỉnh Thử Nghiệm", level="tinh")
        h = Unit(code=DISTRICT, name="UBND huyện Đồi Thông", level="huyen", parent=t)
        s.add_all([t, h, Unit(code=DEPARTMENT, name="Sở Tư pháp", level="so", parent=t)])
        for i, code in enumerate(COMMUNES, 1):
            s.add(Unit(code=code, name=f"UBND xã Ân Phú {i}", level="xa", parent=h))


def make_index_db(path: Path, *tables: Path, year: int = 2025) -> Database:
    """A database with the unit tree and the given criteria tables imported for ``year``."""
    db = open_database(path)
    make_units(db)
    for table in tables:
        cset = read_criteria_table(table, year)
        with db.transaction() as s:
            store_set(s, cset)
    return db
