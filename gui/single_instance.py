"""One window per database: a second start brings the first window to the front.

The first instance listens on a local socket (a named pipe on Windows) whose
name is a hash of the user and the database path. A second instance started on
the same database connects, sends ``activate`` and exits; the first raises its
window. This is a convenience only: the database's writer lock
(:mod:`db.lock`) remains the real guard against two writers, for example when
two instances start at the very same moment.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

__all__ = ["SingleInstance", "instance_key", "bring_to_front", "ACTIVATE"]

log = logging.getLogger(__name__)

ACTIVATE = b"activate"
REPLY = b"ok"


def instance_key(db_target: str | Path) -> str:
    """The socket name for a database: the same file gives the same key, however it was written."""
    target = str(db_target)
    if "://" not in target:
        target = os.path.normcase(str(Path(target).expanduser().resolve()))
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to fail
        user = ""
    digest = hashlib.sha256(f"{user}\0{target}".encode()).hexdigest()[:24]
    return f"cchc-{digest}"


class SingleInstance(QObject):
    """``notify_running()`` in a second instance; ``listen()`` and ``activated`` in the first."""

    activated = Signal()

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._server: QLocalServer | None = None

    # -- second instance ----------------------------------------------------

    def notify_running(self, timeout_ms: int = 1000) -> bool:
        """If an instance is listening on this key, ask it to come to the front and return True."""
        sock = QLocalSocket()
        sock.connectToServer(self.key)
        if not sock.waitForConnected(timeout_ms):
            return False
        _allow_foreground_switch()
        sock.write(ACTIVATE + b"\n")
        sock.flush()
        sock.waitForBytesWritten(timeout_ms)
        if sock.waitForReadyRead(timeout_ms):
            log.info("Another instance answered %r", bytes(sock.readAll().data()).strip())
        sock.disconnectFromServer()
        return True  # it is there even if it did not answer in time; the DB lock would refuse us anyway

    # -- first instance -----------------------------------------------------

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        ok = server.listen(self.key)
        if not ok and server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            # A socket file left by a crashed instance (Unix). Nobody answered notify_running(),
            # so it is stale: remove it and listen again.
            QLocalServer.removeServer(self.key)
            ok = server.listen(self.key)
        if not ok:
            log.warning("Single-instance server not started: %s", server.errorString())
            server.deleteLater()
            return False
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def close(self) -> None:
        # The server and its sockets are children of this object and go with it; no deleteLater()
        # here, which crashed PySide6 6.11 when the sockets were deleted with the server.
        if self._server is not None:
            self._server.close()
            self._server = None

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            # The socket stays a child of the server (a few bytes per activation); see close().
            sock.readyRead.connect(lambda s=sock: self._read(s))
            if sock.bytesAvailable():
                self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        while sock.canReadLine():
            line = bytes(sock.readLine().data()).strip()
            if line == ACTIVATE:
                sock.write(REPLY + b"\n")
                sock.flush()
                self.activated.emit()


def bring_to_front(window: QWidget) -> None:
    """Restore a minimised window and give it the focus."""
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def _allow_foreground_switch() -> None:
    """Windows only lets the process the user just started take the foreground; pass that right on."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
    except Exception:  # noqa: BLE001 - only a nicety
        pass
