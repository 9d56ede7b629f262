"""Moving a whole database: a unit's SQLite file into the shared PostgreSQL server and back again,
with every table's row count and checksum compared on both sides.

The round trip SQLite → PostgreSQL → SQLite must give identical content: every row of every
table, compared with ``sqlite3`` directly on the two files. Without a server the same copy runs
SQLite → SQLite, so the copying itself is checked on every run.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import main
from core.app.demo import load_demo
from core.org import auth
from core.returns.entry import apply_edits, open_return
from core.returns.workflow import submit_return
from db.engine import open_database
from db.models import AuditEntry, FormTemplate, Indicator, Unit
from db.transfer import TransferError, copy_database, database_checksums
from tests.helpers import pg_backend
from tests.helpers.returns_helpers import seed_rows


@pytest.fixture(autouse=True)
def _real_files(monkeypatch) -> None:  # noqa: ANN001
    """Paths in these tests are real SQLite files, also on the PostgreSQL run."""
    monkeypatch.setattr(pg_backend, "paused", True)


def _rich_database(path: Path) -> Path:
    """The demo (plan, progress, evidence rows, two returns), a submitted return, a unit whose
    parent has a higher id, users, JSON both SQL NULL and JSON null, Vietnamese text."""
    db = open_database(path)
    with db.transaction() as s:
        load_demo(s)
        late_parent = Unit(code="Z.CHA", name="Đơn vị cha tạo sau", level="so")
        s.add(late_parent)
        s.flush()
        child = s.scalar(select(Unit).where(Unit.parent_id.is_not(None)).order_by(Unit.id))
        child.parent_id = late_parent.id  # a child with a smaller id than its parent
        ret = open_return(s, "MH", "2022-Q1")
        assert apply_edits(s, ret.id, [(c, v, n or None) for c, v, n in seed_rows()]).applied
        submit_return(s, ret.id)
        auth.create_user(s, "quantri", "mật khẩu dài", role="admin", full_name="Quản trị viên")
        ind = s.scalar(select(Indicator).where(Indicator.choices.is_not(None)).limit(1))
        s.execute(text("UPDATE indicator SET aggregation = NULL WHERE id = :i"), {"i": ind.id})  # the app writes 'null'
    db.close()
    return path


def _sqlite_rows(path: Path) -> dict[str, list]:
    """Every row of every table of a SQLite file, exactly as stored (types included)."""
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()


def _middle(tmp_path: Path) -> str:
    return pg_backend.fresh_url() if pg_backend.ENABLED else str(tmp_path / "giữa.db")


def test_round_trip_through_the_server_gives_identical_content(tmp_path: Path) -> None:
    source = _rich_database(tmp_path / "đơn vị.db")
    middle = _middle(tmp_path)
    there = copy_database(source, middle)
    back = copy_database(middle, tmp_path / "trở về.db")
    assert there.ok and back.ok and there.total_rows == back.total_rows > 700
    assert {t.table: t.source_rows for t in there.tables} == {t.table: t.target_rows for t in back.tables}
    assert [t.source_checksum for t in there.tables] == [t.target_checksum for t in back.tables]
    before, after = _sqlite_rows(source), _sqlite_rows(tmp_path / "trở về.db")
    assert before.keys() == after.keys()
    for table in before:
        assert after[table] == before[table], table
    assert database_checksums(source) == database_checksums(middle) == database_checksums(tmp_path / "trở về.db")


def test_the_copy_works_and_gets_new_ids_afterwards(tmp_path: Path) -> None:
    source = _rich_database(tmp_path / "a.db")
    middle = _middle(tmp_path)
    copy_database(source, middle)
    db = open_database(middle)
    try:
        with db.transaction() as s:
            top = s.scalar(select(func.max(Unit.id)))
            unit = Unit(code="MOI", name="Đơn vị mới", level="xa")
            s.add(unit)
            s.flush()
            assert unit.id == top + 1  # sequences were moved on past the copied ids
            ret = open_return(s, "MH", "2022-Q2")
            assert apply_edits(s, ret.id, [("1.1.3", "5")]).applied
            assert auth.verify_login(s, "quantri", "mật khẩu dài").role == "admin"
            # JSON: SQL NULL and a JSON null came across as they were.
            raw = dict(s.execute(text("SELECT id, CAST(aggregation AS TEXT) FROM indicator")).all())
            assert "null" in raw.values() and None in raw.values()
            assert s.scalar(select(func.count()).select_from(FormTemplate)) == 1
    finally:
        db.close()


def test_a_target_with_data_is_refused_unless_replaced(tmp_path: Path) -> None:
    source = _rich_database(tmp_path / "a.db")
    target = tmp_path / "đích.db"
    other = open_database(target)
    with other.transaction() as s:
        s.add(Unit(code="KHAC", name="Dữ liệu khác", level="tinh"))
    other.close()
    before = _sqlite_rows(target)
    with pytest.raises(TransferError, match="đã có dữ liệu. Dùng --replace"):
        copy_database(source, target)
    assert _sqlite_rows(target) == before
    report = copy_database(source, target, replace=True)
    assert report.replaced and report.target_backup is not None and report.target_backup.exists()
    assert _sqlite_rows(target) == _sqlite_rows(source)
    assert "KHAC" in str(_sqlite_rows(report.target_backup)["unit"])  # the replaced data was backed up


def test_values_the_server_would_refuse_are_listed_and_nothing_is_copied(pg_url: str, tmp_path: Path) -> None:
    source = tmp_path / "dài.db"
    db = open_database(source)
    with db.transaction() as s:
        s.add(Unit(code="X" * 70, name="Mã quá dài (SQLite không giới hạn)", level="xa"))
        s.add(AuditEntry(user="a", action="update", entity="value", new_value="có\x00ký tự NUL"))
    db.close()
    with pytest.raises(TransferError) as caught:
        copy_database(source, pg_url)
    message = str(caught.value)
    assert "Không chép được: 2 giá trị" in message and "đích không thay đổi" in message
    assert "bảng unit, dòng id=1, cột code: dài 70 ký tự, quá giới hạn 64." in message
    assert "bảng audit_entry, dòng id=1, cột new_value: có ký tự NUL" in message
    assert database_checksums(pg_url)["unit"] == (0, "0" * 64)


def test_migrate_db_command_both_ways(tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    source = _rich_database(tmp_path / "xa.db")
    middle = _middle(tmp_path)
    back = tmp_path / "lại.db"
    assert main.main(["migrate-db", "--from", str(source), "--to", middle]) == 0
    text_out = capsys.readouterr().out
    assert "Đã chép" in text_out and "số dòng và tổng kiểm tra của từng bảng khớp ở hai phía" in text_out
    assert "indicator_value" in text_out and "KHÔNG KHỚP" not in text_out
    monkeypatch.setenv("CCHC_PASSWORD", "mật khẩu dài")  # the copied database has users: a server wants a login
    assert main.main(["--user", "quantri", "migrate-db", "--from", middle, "--to", str(back), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and all(t["ok"] for t in report["tables"])
    assert next(t for t in report["tables"] if t["table"] == "unit")["source_rows"] == 16
    assert main.main(["--user", "quantri", "migrate-db", "--from", str(source), "--to", middle, "--json"]) == 1
    assert "đã có dữ liệu" in json.loads(capsys.readouterr().out)["error"]
    assert _sqlite_rows(back) == _sqlite_rows(source)


def test_copying_a_server_with_users_needs_its_administrator(pg_url: str, tmp_path: Path, capsys,  # noqa: ANN001
                                                             monkeypatch) -> None:
    copy_database(_rich_database(tmp_path / "a.db"), pg_url)
    db = open_database(pg_url)
    with db.transaction() as s:
        admin = auth.verify_login(s, "quantri", "mật khẩu dài")
    with db.session_factory(info={"principal": admin}) as s, s.begin():
        auth.create_user(s, "nva", "mật khẩu dài", unit=s.scalar(select(Unit).where(Unit.code == "MH")))
    db.close()
    out = tmp_path / "ra.db"
    assert main.main(["migrate-db", "--from", pg_url, "--to", str(out)]) == 1
    assert "cần tài khoản quản trị của mọi đơn vị (--user TÊN)" in capsys.readouterr().err
    monkeypatch.setenv("CCHC_PASSWORD", "mật khẩu dài")
    assert main.main(["--user", "nva", "migrate-db", "--from", pg_url, "--to", str(out)]) == 1
    assert "cần tài khoản quản trị của mọi đơn vị" in capsys.readouterr().err
    assert main.main(["--user", "quantri", "migrate-db", "--from", pg_url, "--to", str(out)]) == 0
