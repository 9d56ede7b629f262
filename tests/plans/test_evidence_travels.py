"""Evidence travels and survives (issue 12, item 6, and "Evidence does not travel"): attached files are
in every backup (a side folder, rotated with it), come back with a restore, and go with ``migrate-db``
both ways. Before: backups held the rows only, a restore brought back rows whose files were gone,
and migrate-db left the files behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from core.plans.evidence import evidence_file, remove_evidence
from db import backup as backups
from db.attachments import attachments_dir_for
from db.engine import open_database
from db.models import Evidence, EvidenceContent
from main import main
from tests.conftest import make_demo_db
from tests.helpers import pg_backend
from tests.helpers.evidence_helpers import commune_plan_with_evidence

sqlite_only = pytest.mark.sqlite_only(reason="attachment folders beside SQLite files, and their backups")


@pytest.fixture(autouse=True)
def _real_files(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(pg_backend, "paused", True)


@pytest.fixture
def commune(demo_db_file, tmp_path):  # noqa: ANN001, ANN201
    """The demo database with a commune's evidence files attached (in cchc.attachments/)."""
    path = tmp_path / "cchc.db"
    if pg_backend.ENABLED:  # the shared demo file is then a server database: make a real file
        make_demo_db(tmp_path).close()
        (tmp_path / "demo.db").rename(path)
    else:
        shutil.copy2(demo_db_file, path)
    db = open_database(path)
    files = commune_plan_with_evidence(db, tmp_path / "giay_to")
    db.close()
    return path, files


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _evidence_bytes(db_path) -> dict[str, bytes]:  # noqa: ANN001
    """Each evidence row's file as the program opens it (file name → bytes); b"" where the file is gone."""
    db = open_database(db_path)
    try:
        with db.session() as s:
            out = {}
            for ev in s.scalars(select(Evidence).where(Evidence.stored_path.is_not(None))):
                path = evidence_file(ev, db.path)
                out[ev.file_name] = path.read_bytes() if path is not None and path.is_file() else b""
            return out
    finally:
        db.close()


@sqlite_only
def test_a_backup_carries_the_attached_files_and_rotation_removes_them_together(commune) -> None:
    path, files = commune
    live = attachments_dir_for(path)
    assert sorted(p.name for p in live.rglob("*") if p.is_file()) == sorted(files)
    first = backups.make_backup(path, "startup")
    second = backups.make_backup(path, "startup")
    for b in (first, second):
        copies = {p.name: p.read_bytes() for p in attachments_dir_for(b).rglob("*") if p.is_file()}
        assert copies == files
    # Each file is stored once: the second backup links the first one's copy, never the live file.
    for f in attachments_dir_for(second).rglob("*"):
        if f.is_file():
            rel = f.relative_to(attachments_dir_for(second))
            assert f.stat().st_ino == (attachments_dir_for(first) / rel).stat().st_ino
            assert f.stat().st_ino != (live / rel).stat().st_ino
    for _ in range(backups.KEEP_AUTOMATIC + 1):
        backups.make_backup(path, "exit")
    kept = backups.list_backups(path)
    assert len(kept) == backups.KEEP_AUTOMATIC
    folders = sorted(p.name for p in backups.backup_dir_for(path).iterdir() if p.is_dir())
    assert folders == sorted(attachments_dir_for(b.path).name for b in kept)  # rotated together, no orphan
    assert not attachments_dir_for(first).exists()
    # What was linked is still whole in the backups that remain.
    newest = attachments_dir_for(kept[0].path)
    assert {p.name: p.read_bytes() for p in newest.rglob("*") if p.is_file()} == files


@sqlite_only
def test_restore_brings_back_the_rows_and_their_files(commune, capsys) -> None:
    path, files = commune
    code = main(["--db", str(path), "--json", "backup"])
    saved = Path(json.loads(capsys.readouterr().out)["backup"])
    assert attachments_dir_for(saved).is_dir()
    # Then things go wrong: an evidence is removed, the attachment folder is lost.
    db = open_database(path)
    with db.transaction() as s:
        ev = s.scalar(select(Evidence).where(Evidence.file_name == "Báo cáo kiểm tra TTHC quý I.docx"))
        remove_evidence(s, ev.id)
    db.close()
    shutil.rmtree(attachments_dir_for(path))
    assert _evidence_bytes(path) == {"Quyết định 15 ban hành kế hoạch CCHC.pdf": b""}

    code = main(["--db", str(path), "--json", "restore", str(saved)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert _evidence_bytes(path) == files  # both rows, and both files, byte for byte
    # The state before the restore was kept too: its rows, and its (empty) attachment folder.
    safety = Path(out["safety_backup"])
    assert safety.exists() and not attachments_dir_for(safety).exists()


@sqlite_only
def test_migrate_db_between_files_carries_the_files(commune, tmp_path, capsys) -> None:
    path, files = commune
    target = tmp_path / "Đơn vị khác.db"
    assert main(["migrate-db", "--from", str(path), "--to", str(target), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["attachments_carried"] == len(files) and report["attachments_missing"] == []
    # The rows name "cchc.attachments/…": the copy finds them in its own folder.
    assert _evidence_bytes(target) == files
    assert attachments_dir_for(target).name == "Đơn vị khác.attachments"


def test_migrate_db_to_a_server_and_back_carries_the_files(commune, pg_url, tmp_path, capsys) -> None:
    path, files = commune
    assert main(["migrate-db", "--from", str(path), "--to", pg_url, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["attachments_carried"] == len(files)
    server = open_database(pg_url)
    try:
        with server.session() as s:
            stored = {ev.file_name: ev.stored_path for ev in s.scalars(select(Evidence).where(
                Evidence.stored_path.is_not(None)))}
            assert all(p.startswith("db:") for p in stored.values())
            blobs = {c.sha256: bytes(c.content) for c in s.scalars(select(EvidenceContent))}
        assert {_sha(v) for v in files.values()} <= set(blobs)
    finally:
        server.close()
    back = tmp_path / "trở về.db"
    assert main(["migrate-db", "--from", pg_url, "--to", str(back), "--json"]) == 0
    capsys.readouterr()
    assert _evidence_bytes(back) == files  # opened from the copied database content
