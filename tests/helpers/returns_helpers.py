"""Shared set-up for the return tests: a fresh database with the standard form and a small unit tree.

Imported explicitly by the return test modules (no conftest, so other branches' fixtures stay apart).
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from core.forms import ensure_standard_content
from core.paths import resource_path
from db.engine import Database, open_database
from db.models import Unit

SEED_VALUES = resource_path("demo", "so_lieu_6_thang_2021.csv")
PROVINCE, COMMUNE = "T", "X1"


def seed_rows() -> list[tuple[str, str, str]]:
    """(code, value, note) of the seed report's appendix, written the Vietnamese way."""
    with open(SEED_VALUES, encoding="utf-8", newline="") as fh:
        return [(r["code"], r["value"], r["note"]) for r in csv.DictReader(fh)]


def write_csv(path: Path, rows: list[tuple], header: tuple | None = ("code", "value", "note")) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path


def seed_with(changes: dict[str, object], notes: dict[str, str] | None = None) -> list[tuple[str, object, str]]:
    """The seed rows with some values (and notes) replaced."""
    notes = notes or {}
    return [(c, changes.get(c, v), notes.get(c, n)) for c, v, n in seed_rows()]


def make_db(tmp_path: Path) -> Database:
    db = open_database(tmp_path / "cchc.db")
    with db.transaction() as s:
        ensure_standard_content(s)
        province = Unit(code=PROVINCE, name="UBND tỉnh Thử Nghiệm", level="tinh")
        s.add(province)
        s.add(Unit(code=COMMUNE, name="UBND xã Một", level="xa", parent=province))
    return db


def db_fixture(tmp_path: Path) -> Iterator[Database]:
    """Body of each module's ``db`` fixture: ``yield from db_fixture(tmp_path)``."""
    database = make_db(tmp_path)
    try:
        yield database
    finally:
        database.close()


def dump(path: Path) -> list[str]:
    """Every row of a SQLite file as SQL text, to prove a refused command changed nothing."""
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def applicable_value_codes(level: str) -> list[str]:
    """The value rows of the standard form that a unit of ``level`` fills in (``core.forms`` levels)."""
    from core.forms import form_level, read_template_file, standard_template_files

    data = read_template_file(standard_template_files()[0]).data
    return [i["code"] for i in data["indicators"]
            if i.get("kind", "value") == "value" and (not i.get("levels") or form_level(level) in i["levels"])]


def with_kps(level: str, values: dict[str, object]) -> dict[str, object]:
    """``values`` with every other row of ``level`` answered "Không phát sinh", so the return can be submitted."""
    return {**{c: "KPS" for c in applicable_value_codes(level)}, **values}
