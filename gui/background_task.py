"""Running slow core work (reading a big plan file, importing it) off the GUI thread.

``BackgroundTask`` runs ``fn(token)`` in a worker thread and shows a cancellable, busy
``QProgressDialog`` once the work takes longer than ``delay_ms``. Cancelling sets the token:
work that writes checks ``token.check()`` before it commits, so a cancelled import stores
nothing; work that only reads is simply left to finish and its result is dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

__all__ = ["Cancelled", "CancelToken", "BackgroundTask"]


class Cancelled(Exception):
    """Raised inside the work when the user pressed "Hủy"."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class _Worker(QThread):
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[CancelToken], object], token: CancelToken) -> None:
        super().__init__()
        self._fn = fn
        self._token = token

    def run(self) -> None:
        try:
            result = self._fn(self._token)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


# Threads still running after their dialog was closed stay referenced here until they end.
_RUNNING: set[_Worker] = set()


class BackgroundTask(QObject):
    """One piece of work; connect ``finished``/``failed``/``cancelled`` then call ``start()``."""

    finished = Signal(object)  # the result
    failed = Signal(object)  # the exception
    cancelled = Signal()
    # The work completed although "Hủy" was pressed (it had already committed): say so, never hide it.
    finished_after_cancel = Signal(object)

    def __init__(self, parent: QWidget, label: str, fn: Callable[[CancelToken], object], *,
                 delay_ms: int = 200) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self.done = False
        self.was_cancelled = False
        self.progress = QProgressDialog(label, self.tr("Hủy"), 0, 0, parent)
        self.progress.setWindowTitle(self.tr("Xin chờ"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(delay_ms)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self._cancel)
        self._worker = _Worker(fn, self.token)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._worker.finished.connect(self._thread_ended)

    def start(self) -> None:
        _RUNNING.add(self._worker)
        self.progress.setValue(0)  # starts the timer that shows the dialog after ``delay_ms``
        self._worker.start()

    @property
    def running(self) -> bool:
        return not self.done

    def _thread_ended(self) -> None:
        worker = self._worker
        _RUNNING.discard(worker)
        worker.deleteLater()

    def _close_progress(self) -> None:
        self.progress.canceled.disconnect(self._cancel)
        self.progress.hide()
        self.progress.deleteLater()

    def cancel(self) -> None:
        """As if "Hủy" was pressed."""
        self._cancel()

    def _cancel(self) -> None:
        if self.done:
            return
        self.done = True
        self.was_cancelled = True
        self.token.cancel()
        self._close_progress()
        self.cancelled.emit()

    def _succeeded(self, result: object) -> None:
        if self.done:
            if self.was_cancelled:
                self.finished_after_cancel.emit(result)
            return
        self.done = True
        self._close_progress()
        self.finished.emit(result)

    def _failed(self, exc: object) -> None:
        if self.done:
            return
        self.done = True
        self._close_progress()
        if isinstance(exc, Cancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(exc)
