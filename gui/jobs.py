"""The one way to run long work from the GUI (in the shape of Anki's ``QueryOp``/``CollectionOp``).

    Job(parent, work, success=show_result) \\
        .failure(on_error)                    # optional: default = the one way of showing a failure
        .with_progress("Đang tổng hợp số liệu…")  # optional: one cancellable progress dialog
        .run_in_background()

``work(progress)`` runs on a worker thread and must not touch widgets; it gets a
``core.jobs.Progress``. ``progress(done, total, label)`` moves the dialog; once the user pressed
"Hủy" it raises ``core.jobs.Cancelled``, which the work lets through so its transaction rolls back:
a cancelled job writes nothing. On the GUI thread, ``on_finish()`` runs first (the job is
over: buttons come back), then one of ``success(result)``, ``failure(exc)`` or ``on_cancel()``.

Failures (``show_failure``): a refusal (``core.errors.Refused``) is shown as its Vietnamese message, or
handed to ``failure(fn)``; anything else is a defect and goes to the crash log and the crash dialog.

Work that ends after "Hủy" was pressed without reaching another ``progress`` call (its
transaction had committed) still reports ``success``: the screen must show what was written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from core.jobs import Cancelled, Progress
from gui.refusals import is_refusal, show_failure

__all__ = ["Job", "is_refusal", "running_jobs", "show_failure", "wait_for_jobs"]

SHOW_PROGRESS_AFTER_MS = 200
_EMIT_EVERY_S = 0.05  # progress reaches the GUI at most 20 times a second


def tr(text: str) -> str:
    return QCoreApplication.translate("jobs", text)


class _Worker(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._work = work
        self.cancel_requested = threading.Event()
        self._last_emit = 0.0

    def progress(self, done: int, total: int, label: str = "") -> None:
        """The ``Progress`` the work gets; runs on the worker thread."""
        if self.cancel_requested.is_set():
            raise Cancelled()
        now = time.monotonic()
        if label or done >= total or now - self._last_emit >= _EMIT_EVERY_S:
            self._last_emit = now
            self.progressed.emit(done, total, label)

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class _Unstoppable(QProgressDialog):
    """A progress dialog without "Hủy" that neither Esc nor its close button takes away."""

    def __init__(self, label: str, parent: QWidget) -> None:
        super().__init__(label, "", 0, 0, parent)
        self.setCancelButton(None)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if event.key() != Qt.Key.Key_Escape:
            super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        event.ignore()  # the job hides it when the work is over


# Worker threads stay referenced here until they end (also after their job's parent has gone).
_RUNNING: set[_Worker] = set()


def _thread_ended(worker: _Worker) -> None:
    _RUNNING.discard(worker)
    worker.deleteLater()


def wait_for_jobs() -> None:
    """Let every worker thread end (the program is quitting: a thread must not outlive Qt)."""
    for worker in list(_RUNNING):
        worker.wait()


def running_jobs() -> int:
    """How many worker threads have not ended yet (tests wait for 0)."""
    return len(_RUNNING)


class Job(QObject):
    """One piece of background work; see the module's docstring. The signals mirror the callbacks."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()  # before succeeded, failed or cancelled
    progressed = Signal(int, int, str)

    def __init__(self, parent: QWidget, work: Callable[[Progress], Any],
                 success: Callable[[Any], None] | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._on_finish: Callable[[], None] | None = None
        self._failure_title: str | None = None
        self.dialog: QProgressDialog | None = None
        self.done = False
        self.was_cancelled = False
        self.result: Any = None
        self._worker = _Worker(work)
        self._worker.progressed.connect(self._progressed)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._worker.finished.connect(partial(_thread_ended, self._worker))  # also after the job is gone

    # ------------------------------------------------------------------ building

    def failure(self, fn: Callable[[BaseException], None] | None = None, *, title: str | None = None) -> Job:
        """Handle a refusal yourself (``fn``), or only title the default message box. A defect always
        goes to the crash log and dialog."""
        self._failure = fn
        self._failure_title = title
        return self

    def on_cancel(self, fn: Callable[[], None]) -> Job:
        self._on_cancel = fn
        return self

    def on_finish(self, fn: Callable[[], None]) -> Job:
        self._on_finish = fn
        return self

    def with_progress(self, label: str, *, title: str | None = None, show_after_ms: int | None = None,
                      cancellable: bool = True) -> Job:
        """A modal progress dialog with "Hủy", shown only if the work lasts longer than ``show_after_ms``
        (``SHOW_PROGRESS_AFTER_MS`` unless given).

        ``cancellable=False``: work that cannot stop half-way (replacing the database under the window):
        the dialog has no "Hủy" and ignores Esc and its close button; unless ``show_after_ms`` is given it is
        shown at once, so the window takes no input until the work is over."""
        dialog = QProgressDialog(label, tr("Hủy"), 0, 0, self._parent) if cancellable else _Unstoppable(
            label, self._parent)
        if show_after_ms is None:
            show_after_ms = SHOW_PROGRESS_AFTER_MS if cancellable else 0
        dialog.setWindowTitle(title or tr("Xin chờ"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(show_after_ms)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(460)
        if cancellable:
            dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        self._label = label
        return self

    def run_in_background(self) -> Job:
        _RUNNING.add(self._worker)
        if self.dialog is not None:
            self.dialog.setValue(0)  # starts the timer that shows the dialog after its delay
            if self.dialog.minimumDuration() == 0:
                self.dialog.show()  # before the work starts: no click reaches the window meanwhile
        self._worker.start()
        return self

    # ------------------------------------------------------------------ state

    @property
    def running(self) -> bool:
        return not self.done

    def cancel(self) -> None:
        """As if "Hủy" was pressed: the work stops at its next ``progress`` call."""
        if self.done:
            return
        self.done = True
        self.was_cancelled = True
        self._worker.cancel_requested.set()
        self._close_dialog()
        self._finish()
        if self._on_cancel is not None:
            self._on_cancel()
        self.cancelled.emit()

    # ------------------------------------------------------------------ from the worker (GUI thread)

    def _progressed(self, done: int, total: int, label: str) -> None:
        if self.done:
            return
        self.progressed.emit(done, total, label)
        dialog = self.dialog
        if dialog is None:
            return
        if label:
            dialog.setLabelText(f"{self._label}\n{label}" if label != self._label else label)
        if total > 0:
            if dialog.maximum() != total:
                dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def _succeeded(self, result: object) -> None:
        late = self.done  # "Hủy" was pressed but the work had already written: still show it
        self.done = True
        self.result = result
        self._close_dialog()
        if not late:
            self._finish()
        if self._success is not None:
            self._success(result)
        self.succeeded.emit(result)

    def _failed(self, exc: object) -> None:
        if self.done:
            return  # after "Hủy": the Cancelled (or anything else) raised on the way out is expected
        self.done = True
        self._close_dialog()
        self._finish()
        if isinstance(exc, Cancelled):
            self.was_cancelled = True
            if self._on_cancel is not None:
                self._on_cancel()
            self.cancelled.emit()
            return
        if self._failure is not None and is_refusal(exc):  # type: ignore[arg-type]
            self._failure(exc)  # type: ignore[arg-type]
        else:
            show_failure(self._parent, exc, self._failure_title)  # type: ignore[arg-type]
        self.failed.emit(exc)

    def _finish(self) -> None:
        if self._on_finish is not None:
            self._on_finish()
        self.finished.emit()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            if not isinstance(self.dialog, _Unstoppable):
                self.dialog.canceled.disconnect(self.cancel)
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
