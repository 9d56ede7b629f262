"""Single-writer lock: one instance of the application writes to a database at a time."""

from __future__ import annotations

import getpass
import json
import os
import socket
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from db.errors import DatabaseBusyError


class WriterLock:
    """An OS-level lock file beside the database, plus a small note saying who holds it.

    The OS releases the lock if the process dies, so a crash never leaves the
    database locked for good; the note is only for the message.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.lock_path = self.db_path.with_name(self.db_path.name + ".lock")
        self.info_path = self.db_path.with_name(self.db_path.name + ".lock.info")
        self._lock = FileLock(str(self.lock_path), timeout=0)

    def acquire(self) -> None:
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise DatabaseBusyError(self._busy_message()) from None
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "user": getpass.getuser(),
            "since": datetime.now().strftime("%H:%M %d/%m/%Y"),
        }
        try:
            self.info_path.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # the note is a courtesy; the lock itself is what protects the data

    def release(self) -> None:
        if self._lock.is_locked:
            try:
                self.info_path.unlink(missing_ok=True)
            except OSError:
                pass
            self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def _busy_message(self) -> str:
        who = ""
        try:
            info = json.loads(self.info_path.read_text(encoding="utf-8"))
            who = (
                f" (người dùng {info.get('user')}, máy {info.get('host')}, "
                f"tiến trình {info.get('pid')}, từ {info.get('since')})"
            )
        except (OSError, ValueError):
            pass
        return (
            f"Cơ sở dữ liệu “{self.db_path}” đang được mở bởi một phiên làm việc khác{who}. "
            "Mỗi lúc chỉ một phiên được ghi vào cơ sở dữ liệu; hãy dùng cửa sổ đang mở "
            "hoặc đóng nó rồi thử lại."
        )
