"""Files written whole or not at all, and the SHA-256 of a file: the one way to do each.

A file the program writes (an export, a backup, an attached file, the remembered connection) is
written under a temporary name in the target's own folder and renamed over the target only once it
is complete: a crash, a cancelled export or a full disk leaves the previous file untouched and no
half-written file under the final name. The temporary name starts with a dot and ends in
``.partial``, so the copy of an attachment folder (``db.attachments``) never takes one along.

It lives in ``db/`` (the lowest layer) so that the database's own backups and ``core`` share it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from db.errors import FileWriteError

__all__ = ["TEMP_SUFFIX", "replaced_atomically", "sha256_of_file", "write_atomically"]

TEMP_SUFFIX = ".partial"


@contextmanager
def replaced_atomically(target: Path | str, *, busy: str | None = None) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; renamed over ``target`` when the block ends
    without an exception, removed when it raises (the exception goes on).

    ``busy`` marks a file the user chose (an export): it completes the Vietnamese message of the
    ``FileWriteError`` raised when the target cannot be replaced, usually because another program has
    it open ("trong Excel hoặc chương trình khác"), and a folder that cannot be written to is refused the
    same way; without it the operating system's error goes on as it is.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=str(target.parent))
    except OSError as exc:
        if busy is None:
            raise
        raise FileWriteError(f"Không ghi được tệp “{target.name}” vào thư mục “{target.parent}”: thư mục không "
                             "ghi được (không có quyền ghi, đầy hoặc không phải là thư mục). Hãy chọn nơi lưu "
                             "khác rồi thử lại.") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            if busy is None:
                raise
            raise FileWriteError(f"Không ghi được tệp “{target.name}”: tệp có thể đang mở {busy}. "
                                  "Hãy đóng tệp rồi thử lại.") from exc
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def write_atomically(target: Path | str, data: bytes | str) -> Path:
    """``data`` (text is written as UTF-8) under ``target``, whole or not at all."""
    target = Path(target)
    with replaced_atomically(target) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return target


def sha256_of_file(path: Path | str) -> str:
    """The SHA-256 of a file's bytes (hex), read in 1 MB pieces."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
