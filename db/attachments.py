"""The attachment folder beside a SQLite database, as the persistence layer sees it: its name, finding a
file in it, and carrying it along with the database (backups, restores, copies between databases).

A database ``cchc.db`` keeps its attached files (evidence, files received in return packages) in
``cchc.attachments/``; a row's ``stored_path`` is "cchc.attachments/12/QĐ 766.pdf". A file kept in the
database itself (a shared server) has ``stored_path`` "db:<id>" (table ``evidence_content``).

Backups: each backup ``X.db`` gets its copy of the folder as ``X.attachments/`` (the same rule, so a
backup is itself a database with its folder). Files are written once: a backup links (hard link) each
file that the previous backup in the same folder already holds unchanged, and copies only the new ones;
a link is never made to the live folder, so editing a live file cannot change a backup. Rotation deletes
a backup's folder with it. Restoring puts every file of the backup's folder back.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from db.files import replaced_atomically, sha256_of_file

IN_DATABASE = "db:"
FOLDER_SUFFIX = ".attachments"


def attachments_dir_for(db_path: Path | str) -> Path:
    """``<folder>/<name>.attachments`` beside the database file ``<folder>/<name>.db``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + FOLDER_SUFFIX)


def path_beside(db_path: Path | str, stored_path: str) -> Path:
    """Where a file kept beside the database is: in *this* database's folder, whatever the name of the
    database it was first attached to (a copy under another name, a restore, ``migrate-db``)."""
    parts = PurePosixPath(stored_path).parts
    base = attachments_dir_for(db_path)
    if len(parts) > 1 and parts[0].endswith(FOLDER_SUFFIX):
        return base.joinpath(*parts[1:])
    return base.parent / stored_path  # an older or hand-made path: relative to the database's folder


def _files(folder: Path) -> list[Path]:
    """The files of an attachment folder, without half-written copies (".name.partial")."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".partial"))


def _same(a: Path, b: Path) -> bool:
    sa, sb = a.stat(), b.stat()
    return sa.st_size == sb.st_size and sa.st_mtime_ns == sb.st_mtime_ns


def copy_folder(source_db: Path, target_db: Path, link_from: Path | None = None) -> int:
    """Give ``target_db`` a copy of ``source_db``'s attachment folder (replacing any it had); returns the
    number of files. A file unchanged in ``link_from`` (another copy's folder) is hard-linked from there."""
    src, dst = attachments_dir_for(source_db), attachments_dir_for(target_db)
    files = _files(src)
    part = dst.with_name(dst.name + ".part")
    shutil.rmtree(part, ignore_errors=True)
    if not files:
        if dst.is_dir():
            shutil.rmtree(dst, ignore_errors=True)  # a replaced backup must not keep another's files
        return 0
    for f in files:
        rel = f.relative_to(src)
        out = part / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        prev = link_from / rel if link_from is not None else None
        if prev is not None and prev.is_file() and _same(prev, f):
            try:
                os.link(prev, out)
                continue
            except OSError:  # another drive, FAT32, no permission: copy instead
                pass
        shutil.copy2(f, out)
    if dst.exists():
        old = dst.with_name(dst.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        dst.rename(old)
        part.rename(dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        part.rename(dst)
    return len(files)


def put_back(source_db: Path, target_db: Path) -> int:
    """Copy every file of ``source_db``'s folder into ``target_db``'s where it is missing or differs
    (never deleting one): a restore. Returns how many files were written."""
    src, dst = attachments_dir_for(source_db), attachments_dir_for(target_db)
    written = 0
    for f in _files(src):
        out = dst / f.relative_to(src)
        if out.is_file() and out.stat().st_size == f.stat().st_size and sha256_of_file(out) == sha256_of_file(f):
            continue
        with replaced_atomically(out) as tmp:
            shutil.copy2(f, tmp)
        written += 1
    return written


def remove_folder(db_path: Path) -> None:
    shutil.rmtree(attachments_dir_for(db_path), ignore_errors=True)
