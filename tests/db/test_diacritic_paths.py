"""File names with Vietnamese diacritics work for the database, its lock and its backups (issue #7)."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from core.forms import current_template, ensure_standard_content
from db.backup import check_backup_file, list_backups, uri_from_posix
from db.engine import open_database
from db.errors import DatabaseBusyError


@pytest.mark.sqlite_only(reason="the database file, its lock and backups in folders with diacritics")
@pytest.mark.parametrize("form", ["NFC", "NFD"])  # macOS-style decomposed names must work too
def test_database_and_backups_in_folders_with_diacritics(tmp_path, form):
    folder = tmp_path / unicodedata.normalize(form, "Phòng Nội vụ xã Đắk Đoa")
    db_path = folder / unicodedata.normalize(form, "Cơ sở dữ liệu CCHC năm 2025.db")
    db = open_database(db_path)
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
        with pytest.raises(DatabaseBusyError):
            open_database(db_path)  # the lock file beside it has a Vietnamese name too
        automatic = db.backup("startup")
        chosen = db.backup("manual", target=tmp_path / "Sao lưu dữ liệu" / "Bản sao ngày 05-01-2025.db")
    finally:
        db.close()
    assert automatic.parent.name.startswith(unicodedata.normalize(form, "Cơ sở dữ liệu"))
    assert [b.path for b in list_backups(db_path)] == [automatic]
    for backup in (automatic, chosen):
        assert check_backup_file(backup) is not None
        con = sqlite3.connect(str(backup))
        try:
            assert con.execute("SELECT count(*) FROM indicator").fetchone()[0] > 100
        finally:
            con.close()
    reopened = open_database(db_path)
    try:
        with reopened.session() as s:
            assert current_template(s).code == "BNV-TK-CCHC"
    finally:
        reopened.close()


@pytest.mark.sqlite_only(reason="SQLite's read-only file address")
def test_backup_of_a_database_in_a_folder_with_uri_characters(tmp_path):
    """``#``, ``?`` and ``%`` are legal in Windows folder names and must not cut the path short."""
    db_path = tmp_path / "Phòng #1 (đạt 50%)" / "dữ liệu.db"
    db = open_database(db_path)
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
        backup = db.backup("manual")
    finally:
        db.close()
    assert check_backup_file(backup) is not None  # was an empty file before read_only_uri()
    con = sqlite3.connect(str(backup))
    try:
        assert con.execute("SELECT count(*) FROM form_template").fetchone()[0] == 1
    finally:
        con.close()


@pytest.mark.parametrize(("posix", "uri"), [
    ("/home/an/Phòng #1/a.db", "file:///home/an/Ph%C3%B2ng%20%231/a.db?mode=ro"),
    ("C:/Users/Nguyễn/50% việc?.db", "file:///C:/Users/Nguy%E1%BB%85n/50%25%20vi%E1%BB%87c%3F.db?mode=ro"),
    ("//may-chu/chia se/a.db", "file:////may-chu/chia%20se/a.db?mode=ro"),  # UNC: empty authority
])
def test_read_only_uri_forms(posix, uri):
    assert uri_from_posix(posix) == uri
