"""Blanks are explicit (issue 11, item 5): rows by unit level, "Không phát sinh", no submit with blanks.

The form file says which levels a row is for; a commune (xã) fills 48 of the 98 value rows, a
province all 98. "Không phát sinh" (KPS) is an answer that is neither blank nor 0. ``submit``
refuses while an applicable row is blank, naming how many and which.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, text, update

import main
from core.forms import ensure_standard_content, read_template_file, standard_template_files
from core.intake.consolidation import consolidate
from core.reports.files import write_exports
from core.reports.workbook_format import STATS_SHEET
from core.reports.workbook_reader import read_return_workbook
from core.returns.entry import apply_edits, find_unit_return, grid_rows, open_return
from core.returns.report_collect import collect_return_export
from core.returns.store import values_by_code
from core.returns.validation import validate_return
from db import migrate
from db.engine import make_engine, open_database
from db.models import Indicator, Unit
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import accept_all
from tests.helpers.returns_helpers import COMMUNE, PROVINCE, applicable_value_codes, make_db, with_kps, write_csv

H1 = "2021-H1"
FORM = Path(__file__).resolve().parents[2] / "resources" / "forms" / "bnv_tk_cchc_v1.json"
V1_SHA256 = "f58c2c9d9d2c8ab66449bea188915defbb06abb8aa11b6f4498d1e28b35c48aa"  # the v1 file before level lists


def cli(capsys, *args: str) -> tuple[int, dict]:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    out, err = capsys.readouterr()
    return rc, json.loads(out or err)


@pytest.fixture
def dbp(tmp_path: Path) -> str:
    db = make_db(tmp_path)
    with db.transaction() as s:
        province = s.scalar(select(Unit).where(Unit.code == PROVINCE))
        s.add(Unit(code="X2", name="UBND phường Hai", level="xa", parent=province))
    db.close()
    return str(tmp_path / "cchc.db")


# --------------------------------------------------------------------------- the form says who fills what


def test_level_lists_do_not_change_the_forms_identity() -> None:
    tf = read_template_file(FORM)
    assert any("levels" in i for i in tf.data["indicators"])
    # Returns exchanged before the level lists existed carry this hash: they still import.
    assert tf.sha256 == V1_SHA256
    by_code = {i["code"]: i for i in tf.data["indicators"]}
    assert by_code["1.2.2"]["name"] == "Số UBND cấp huyện đã kiểm tra" and by_code["1.2.2"]["levels"] == ["tinh"]
    assert "levels" not in by_code["1.1.1"]  # every level: tasks in the unit's own plan
    # 98 value rows for a province; a department (and a section) 74, a district 62, a commune 48.
    assert [len(applicable_value_codes(lv)) for lv in ("tinh", "so", "huyen", "xa", "phong")] == [98, 74, 62, 48, 74]


def test_the_migration_fills_the_same_levels_as_the_form_file() -> None:
    path = next(Path(migrate.__file__).parent.glob("migrations/versions/*_return_snapshot.py"))
    spec = importlib.util.spec_from_file_location("m_snapshot", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from_file = {i["code"]: i["levels"] for i in read_template_file(FORM).data["indicators"] if "levels" in i}
    assert module._LEVELS_V1 == from_file


_INDICATOR_0008 = ("id, template_id, code, parent_code, sort_order, name, hint, unit_label, kind, value_type, "
                   "breakdown, source_code")


def _indicators_0008(path: Path) -> list[tuple]:
    """The indicator rows in the columns they had at 0008 (0009 adds ``levels``)."""
    engine = make_engine(path)
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text(f"SELECT {_INDICATOR_0008} FROM indicator ORDER BY id"))]
    finally:
        engine.dispose()


@pytest.mark.sqlite_only(reason="an old-schema SQLite file upgraded on opening")
def test_upgrading_fills_the_levels_and_keeps_every_row(tmp_path: Path) -> None:
    """A database at 0008 (the head before 0009) with a row in the tables of every earlier step — a submitted
    return, a received file, its review, a trusted certificate, a file received in a package — keeps every
    row on the upgrade to 0009; the bundled form's rows get their level lists; a downgrade drops only what
    0009 added."""
    path = tmp_path / "cu.db"
    engine = make_engine(path)
    migrate.upgrade(engine, "0008")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (id, code, name, level) VALUES (1, 'T', 'UBND tỉnh Thử', 'tinh')"))
        c.execute(text("INSERT INTO unit (id, code, name, level, parent_id) VALUES (2, 'T.X', 'UBND xã Ân', 'xa', 1)"))
        c.execute(text("INSERT INTO form_template (id, code, version, title, content_sha256, rules, loaded_at) "
                       "VALUES (1, 'BNV-TK-CCHC', 1, 'Biểu', :sha, '[]', '2021-01-01')"), {"sha": V1_SHA256})
        for iid, code in ((1, "1.1.1"), (2, "1.2.2")):
            c.execute(text("INSERT INTO indicator (id, template_id, code, sort_order, name, kind, value_type, "
                           "breakdown) VALUES (:i, 1, :c, :i, 'Chỉ tiêu', 'value', 'integer', 0)"),
                      {"i": iid, "c": code})
        c.execute(text("INSERT INTO period (id, code, kind, year, number, start_date, end_date) "
                       "VALUES (1, '2021-H1', 'half', 2021, 1, '2021-01-01', '2021-06-30')"))
        c.execute(text("INSERT INTO \"return\" (id, unit_id, period_id, template_id, status, origin, created_at, "
                       "updated_at, version) VALUES (1, 1, 1, 1, 'submitted', 'entered', '2021-06-15', "
                       "'2021-06-15', 2)"))
        c.execute(text("INSERT INTO \"return\" (id, unit_id, period_id, template_id, status, origin, created_at, "
                       "updated_at, version) VALUES (2, 2, 1, 1, 'submitted', 'imported', '2021-06-18', "
                       "'2021-06-18', 1)"))
        c.execute(text("INSERT INTO indicator_value (id, return_id, indicator_id, value_num, note, source, "
                       "updated_at, version) VALUES (1, 1, 2, 6, 'Có dấu', 'manual', '2021-06-15', 1)"))
        c.execute(text("INSERT INTO indicator_value (id, return_id, indicator_id, value_text, source, "
                       "updated_at, version) VALUES (2, 2, 1, 'Không phát sinh', 'import', '2021-06-18', 1)"))
        c.execute(text("INSERT INTO imported_file (id, parent_unit_id, unit_id, unit_code, period_code, kind, "
                       "file_name, file_sha256, imported_at, outcome, reason, return_id, details) VALUES (1, 1, 2, "
                       "'T.X', '2021-H1', 'product', 'Báo cáo xã.zip', 'ab', '2021-06-18', 'imported', 'Đã nhập', "
                       "2, '{\"status\": \"submitted\"}')"))
        c.execute(text("INSERT INTO return_review (id, parent_unit_id, unit_id, period_code, return_id, "
                       "imported_file_id, state, decided_at) VALUES (1, 1, 2, '2021-H1', 2, 1, 'accepted', "
                       "'2021-06-19')"))
        c.execute(text("INSERT INTO trusted_certificate (id, unit_id, kind, subject, sha256, der, added_at) "
                       "VALUES (1, 1, 'cert', 'CA Thử nghiệm', 'ef', X'30', '2021-06-01')"))
        c.execute(text("INSERT INTO received_file (id, imported_file_id, unit_id, period_code, role, package_path, "
                       "file_name, sha256, file_size, stored_path, added_at) VALUES (1, 1, 2, '2021-H1', 'evidence', "
                       "'TaiLieuKiemChung/QĐ.pdf', 'QĐ.pdf', 'cd', 3, 'db:1', '2021-06-18')"))
    engine.dispose()
    before = dump_tables(path)
    indicators_before = _indicators_0008(path)
    assert all(before[t] for t in ("return_review", "trusted_certificate", "received_file", "imported_file"))
    db = open_database(path)
    try:
        assert db.upgraded_from == "0008"
        with db.session() as s:
            levels = dict(s.execute(select(Indicator.code, Indicator.levels)).all())
        assert levels == {"1.1.1": None, "1.2.2": ["tinh"]}
    finally:
        db.close()
    after = dump_tables(path)
    assert after["return_snapshot"] == []  # frozen on first use, not by the migration
    for table, rows in before.items():
        if table not in ("alembic_version", "indicator"):  # 0009 gives indicators their level lists
            assert after[table] == rows, table
    assert _indicators_0008(path) == indicators_before

    from alembic import command

    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0008")
    finally:
        engine.dispose()
    down = dump_tables(path)
    assert "return_snapshot" not in down
    for table, rows in before.items():
        if table != "alembic_version":
            assert down[table] == rows, table


def test_loading_the_form_keeps_the_level_lists_in_step(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    try:
        with db.transaction() as s:
            s.execute(update(Indicator).values(levels=None))
        with db.transaction() as s:
            ensure_standard_content(s)  # as at every start of the program
            assert s.scalar(select(Indicator.levels).where(Indicator.code == "4.1.1")) == ["tinh"]
    finally:
        db.close()
    assert len(standard_template_files()) == 1


def test_a_commune_sees_only_its_rows(dbp: str) -> None:
    db = open_database(dbp)
    try:
        with db.transaction() as s:
            rows = grid_rows(s, open_return(s, COMMUNE, H1).id)
    finally:
        db.close()
    codes = [r.code for r in rows]
    assert [r.code for r in rows if r.kind == "value"] == applicable_value_codes("xa")
    for province_only in ("1.2.1", "1.2.2", "1.3.1", "3.1.3", "4.1.1", "4.1.4.c", "7.1", "7.7.1"):
        assert province_only not in codes
    assert "1.3" not in codes and "4.1" not in codes  # no heading with nothing under it
    assert {"1.2", "1.2.3", "3.4", "3.4.3", "3.4.5", "3.4.5.c"} <= set(codes)


# --------------------------------------------------------------------------- submit refuses blanks (case 5)


def test_a_return_with_four_values_is_not_submitted_and_the_blanks_are_named(capsys, dbp: str, tmp_path) -> None:  # noqa: ANN001
    four = write_csv(tmp_path / "bon.csv", [("1.1.1", "12", ""), ("1.1.2", "5", ""), ("2.1", "3", ""),
                                            ("3.3.3", "100", "")])
    target = ["--db", dbp, "--unit", PROVINCE, "--period", H1]
    assert cli(capsys, "set-values", *target, "--from", str(four))[0] == 0
    before = dump_tables(Path(dbp))
    rc, out = cli(capsys, "submit", *target)
    # The province fills all 98 value rows: 98 - 4 = 94 are blank.
    assert rc == 1 and len(out["blank"]) == 94
    assert out["blank"][:4] == ["1.1.3", "1.2.1", "1.2.2", "1.2.3"]
    assert "còn 94 chỉ tiêu chưa có số liệu: 1.1.3, 1.2.1, 1.2.2, 1.2.3," in out["error"]
    assert "Không phát sinh" in out["error"]
    assert dump_tables(Path(dbp)) == before

    # A commune answers 48 rows: 4 given, 44 blank, none of them a district or province row.
    commune = ["--db", dbp, "--unit", COMMUNE, "--period", H1]
    assert cli(capsys, "set-values", *commune, "--from", str(four))[0] == 0
    rc, out = cli(capsys, "submit", *commune)
    assert rc == 1 and len(out["blank"]) == 44 and "1.2.2" not in out["blank"]
    assert set(out["blank"]) == set(applicable_value_codes("xa")) - {"1.1.1", "1.1.2", "2.1", "3.3.3"}
    rc, out = cli(capsys, "validate", *commune)
    assert rc == 0 and len(out["blank"]) == 44 and not out["can_submit"]  # blanks are not errors of the values


def test_a_blank_with_a_note_saying_why_and_kps_for_the_rest_submits(capsys, dbp: str, tmp_path) -> None:  # noqa: ANN001
    rows = [(c, "KPS", "") for c in applicable_value_codes("xa")]
    rows[0] = ("1.1.1", "", "Chưa có kế hoạch CCHC năm 2021 của xã")  # blank, said why
    path = write_csv(tmp_path / "xa.csv", rows)
    commune = ["--db", dbp, "--unit", COMMUNE, "--period", H1]
    assert cli(capsys, "set-values", *commune, "--from", str(path))[0] == 0
    rc, out = cli(capsys, "submit", *commune)
    assert rc == 0 and out["blank"] == []


def test_a_province_row_is_refused_for_a_commune(capsys, dbp: str, tmp_path) -> None:  # noqa: ANN001
    path = write_csv(tmp_path / "xa.csv", [("1.1.1", "3", ""), ("1.2.2", "1", "")])
    commune = ["--db", dbp, "--unit", COMMUNE, "--period", H1]
    before = dump_tables(Path(dbp))
    rc, out = cli(capsys, "set-values", *commune, "--from", str(path))
    assert rc == 1 and out["stored"] is False
    assert out["bad_rows"][0]["code"] == "1.2.2"
    assert "Chỉ tiêu 1.2.2 (Số UBND cấp huyện đã kiểm tra) không áp dụng cho đơn vị cấp xã, phường, đặc khu" in (
        out["error"])
    assert dump_tables(Path(dbp)) == before


# --------------------------------------------------------------------------- "Không phát sinh"


@pytest.mark.parametrize("typed", ["KPS", "kps", "Không phát sinh", "KHÔNG PHÁT SINH", "không  phát sinh",
                                   unicodedata.normalize("NFD", "Không phát sinh")])
def test_kps_is_typed_many_ways_and_is_neither_blank_nor_zero(capsys, dbp: str, tmp_path, typed: str) -> None:  # noqa: ANN001
    path = write_csv(tmp_path / "kps.csv", [("1.2.3", typed, ""), ("1.2.4", "0", ""), ("3.3.3", typed, ""),
                                            ("1.4.2", typed, ""), ("1.5", typed, "")])
    rc, out = cli(capsys, "set-values", "--db", dbp, "--unit", COMMUNE, "--period", H1, "--from", str(path))
    assert rc == 0, out
    db = open_database(dbp)
    try:
        with db.transaction() as s:
            ret = find_unit_return(s, COMMUNE, H1)
            stored = {c: (v.value_num, v.value_text) for c, v in values_by_code(s, ret).items()}
            report = validate_return(s, ret)
            shown = {r.code: r.value_display for r in grid_rows(s, ret.id)}
    finally:
        db.close()
    for code in ("1.2.3", "3.3.3", "1.4.2", "1.5"):  # a count, a rate, a coded answer, a yes/no
        assert stored[code] == (None, "Không phát sinh") and shown[code] == "Không phát sinh"
        assert code not in report.blank
    assert stored["1.2.4"] == (0.0, None) and shown["1.2.4"] == "0"  # 0 stays a zero
    assert not report.errors  # 0 problems dealt with out of "nothing happened": no rule is broken


def test_kps_prints_as_such_and_consolidates_to_nothing_added(dbp: str, tmp_path: Path) -> None:
    db = open_database(dbp)
    try:
        with db.transaction() as s:
            # X1 found 5 problems, X2 none happened; neither issued a legal document (KPS); rates 80 / KPS.
            x1 = open_return(s, COMMUNE, H1)
            assert apply_edits(s, x1.id, list(with_kps("xa", {"1.2.3": "5", "1.2.4": "5", "3.3.3": "80",
                                                                "1.4.2": "1"}).items())).applied
            x2 = open_return(s, "X2", H1)
            assert apply_edits(s, x2.id, list(with_kps("xa", {}).items())).applied
            from core.org.settings import set_settings
            from core.returns.workflow import submit_return

            set_settings(s, x1.unit, {"report.signer_name": "Trần Văn Ký"})  # the PDF of a submitted return
            submit_return(s, x1.id)
            submit_return(s, x2.id)
        with db.session() as s:
            data = collect_return_export(s, COMMUNE, H1)
        result = write_exports(data, xlsx=tmp_path / "xa.xlsx", pdf=tmp_path / "xa.pdf")
        assert sorted(accept_all(db, PROVINCE, H1)) == [COMMUNE, "X2"]  # the province takes both in
        with db.transaction() as s:
            outcome = consolidate(s, PROVINCE, H1)
    finally:
        db.close()
    # The commune's workbook: 48 value rows, "Không phát sinh" in the value column and in the data sheet.
    ws = openpyxl.load_workbook(result.xlsx)[STATS_SHEET]
    cells = {str(r[0].value).rstrip("."): r[3].value for r in ws.iter_rows(min_row=8) if r[0].value}
    assert cells["2.1"] == "Không phát sinh" and cells["1.2.3"] == 5
    assert "1.2.2" not in cells and "4.1.1" not in cells
    book = read_return_workbook(result.xlsx)
    assert book.hash_ok and book.values["2.1"] == "Không phát sinh" and len(book.values) == 48
    pdf = subprocess.run([shutil.which("pdftotext"), "-layout", "-enc", "UTF-8", str(result.pdf), "-"],
                         check=True, capture_output=True).stdout.decode("utf-8")
    assert "Không phát sinh" in pdf and "Số UBND cấp huyện đã kiểm tra" not in pdf
    # Consolidated: KPS adds nothing; all units KPS gives KPS; a coded answer counts only real answers.
    got = {v.code: v for v in outcome.values}
    assert (got["1.2.3"].number, got["1.2.3"].covered) == (5.0, 2)  # 5 + nothing
    assert "1 đơn vị không phát sinh" in got["1.2.3"].detail
    assert got["2.1"].number is None and got["2.1"].text == "Không phát sinh"
    assert got["3.3.3"].number == 80.0  # the mean of the one rate given, not (80 + 0) / 2
    assert got["1.4.2"].number == 1.0 and got["1.5"].text == "Không phát sinh"
