"""Exporting from the GUI: where to save, a progress dialog over a worker thread, what to do after.

- ``ask_save_path`` opens the save dialog in the folder used last time
  (QSettings ``export/last_dir``) with the conventional file name;
- ``ExportRunner`` runs an export job on a ``QThread``; a ``QProgressDialog``
  appears only when the job takes longer than 200 ms, and "Hủy" stops it cleanly
  (the exporters write to a temporary file, so nothing is left half-written);
- ``ask_after_export`` offers "Mở tệp" / "Mở thư mục" / "Đóng" and
  ``open_export`` acts on the choice through ``QDesktopServices``.

No file is written here: the job is a ``core`` function.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QStandardPaths, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from core.reports.files import ExportCancelled
from gui.refusals import show_failure

SETTINGS_KEY_LAST_DIR = "export/last_dir"
SHOW_PROGRESS_AFTER_MS = 200

_FILTERS = {
    "xlsx": ("Lưu báo cáo Excel", "Bảng tính Excel (*.xlsx)", ".xlsx"),
    "pdf": ("Lưu báo cáo PDF", "Tài liệu PDF (*.pdf)", ".pdf"),
    "zip": ("Lưu gói báo cáo gửi cấp trên", "Gói báo cáo (*.zip)", ".zip"),
}

Job = Callable[[Callable[[int, int], None]], object]


def tr(text: str) -> str:
    return QCoreApplication.translate("export", text)


# --------------------------------------------------------------------------- the folder


def last_export_dir() -> Path:
    """The folder of the last export, else Documents, else the home folder."""
    value = QSettings().value(SETTINGS_KEY_LAST_DIR)
    if value:
        folder = Path(str(value))
        if folder.is_dir():
            return folder
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path.home()


def remember_export_dir(folder: Path) -> None:
    QSettings().setValue(SETTINGS_KEY_LAST_DIR, str(folder))


def ask_save_path(parent: QWidget | None, kind: str, default_name: str) -> Path | None:
    """Ask where to save a ``kind`` ("xlsx" | "pdf" | "zip") file; remembers the folder. None = cancelled."""
    title, file_filter, suffix = _FILTERS[kind]
    start = str(last_export_dir() / f"{default_name}{suffix}")
    chosen, _ = QFileDialog.getSaveFileName(parent, tr(title), start, tr(file_filter))
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    remember_export_dir(path.parent)
    return path


# --------------------------------------------------------------------------- after the export


def ask_after_export(parent: QWidget | None, path: Path) -> str:
    """"Mở tệp" / "Mở thư mục" / "Đóng" → ``"file"`` | ``"folder"`` | ``"close"``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Đã xuất báo cáo"))
    box.setText(tr("Đã lưu tệp “{name}”.").format(name=path.name))
    box.setInformativeText(tr("Thư mục: {folder}").format(folder=str(path.parent)))
    open_file = box.addButton(tr("Mở tệp"), QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton(tr("Mở thư mục"), QMessageBox.ButtonRole.ActionRole)
    close = box.addButton(tr("Đóng"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_file)
    box.setEscapeButton(close)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_file:
        return "file"
    if clicked is open_folder:
        return "folder"
    return "close"


def open_export(path: Path, choice: str) -> bool:
    """Open the file or its folder with the system's program; False if nothing was opened."""
    if choice == "file":
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    if choice == "folder":
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
    return False


# --------------------------------------------------------------------------- running off the GUI thread


class _Worker(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception: a refusal, or a defect for the crash log
    cancelled = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self._stop = False

    def request_stop(self) -> None:
        self._stop = True  # read by the worker thread at its next progress report

    def _progress(self, done: int, total: int) -> None:
        if self._stop:
            raise ExportCancelled()
        self.progressed.emit(done, total)

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self._progress)
        except ExportCancelled:
            self.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, which shows it (gui.refusals)
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class ExportRunner(QObject):
    """Run ``job(progress)`` on a worker thread with a cancellable progress dialog.

    Emits ``succeeded(result)``, ``failed(exception)`` or ``cancelled()`` on the GUI
    thread, then ``finished()``.
    """

    succeeded = Signal(object)
    failed = Signal(object)  # the exception: a refusal, or a defect for the crash log
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QWidget, label: str, job: Job, *, show_after_ms: int = SHOW_PROGRESS_AFTER_MS,
                 title: str | None = None) -> None:
        super().__init__(parent)
        self.dialog = make_progress_dialog(parent, label, show_after_ms, title)
        self._thread = QThread(self)
        self._worker = _Worker(job)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progress)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self.dialog.canceled.connect(self._worker.request_stop, Qt.ConnectionType.DirectConnection)
        self._done = False

    def start(self) -> None:
        self.dialog.setValue(0)
        self._thread.start()

    @property
    def running(self) -> bool:
        return not self._done

    def _on_progress(self, done: int, total: int) -> None:
        if self._done:
            return
        if self.dialog.wasCanceled():
            self._worker.request_stop()
            return
        if total and self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        self.dialog.setValue(min(done, max(total - 1, 0)))  # the dialog closes itself at the maximum

    def _finish(self) -> None:
        self._done = True
        self.dialog.reset()
        self.dialog.hide()
        self._thread.quit()
        self._thread.wait()
        self.finished.emit()

    def _on_succeeded(self, result: object) -> None:
        self._finish()
        self.succeeded.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        self.failed.emit(exc)

    def _on_cancelled(self) -> None:
        self._finish()
        self.cancelled.emit()


def make_progress_dialog(parent: QWidget | None, label: str, show_after_ms: int = SHOW_PROGRESS_AFTER_MS,
                         title: str | None = None) -> QProgressDialog:
    dialog = QProgressDialog(label, tr("Hủy"), 0, 1000, parent)
    dialog.setWindowTitle(title or tr("Đang xuất báo cáo"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)  # shown only if the export is not done by then
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    return dialog


def run_export_with_feedback(
    parent: QWidget,
    label: str,
    job: Job,
    *,
    on_finished: Callable[[], None] | None = None,
) -> ExportRunner:
    """Start ``job``; afterwards offer to open the file (or show the error). Returns the runner."""
    runner = ExportRunner(parent, label, job)

    def done(result: object) -> None:
        files = list(getattr(result, "files", []) or [])
        if files:
            open_export(files[0], ask_after_export(parent, files[0]))

    def failed(exc: BaseException) -> None:
        show_failure(parent, exc, tr("Không xuất được báo cáo"))

    runner.succeeded.connect(done)
    runner.failed.connect(failed)
    if on_finished is not None:
        runner.finished.connect(on_finished)
    runner.start()
    return runner
