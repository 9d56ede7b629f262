"""Exporting from the GUI: where to save, a progress dialog over a worker thread, what to do after.

- ``ask_save_path`` opens the save dialog in the folder used last time
  (``gui.preferences.LAST_EXPORT_DIR``) with the conventional file name;
- ``run_export_with_feedback`` runs an export as a ``gui.jobs.Job`` (its progress dialog appears
  only when the job takes longer than 200 ms, and "Hủy" stops it cleanly: the exporters write to
  a temporary file, so nothing is left half-written);
- ``ask_after_export`` offers "Mở tệp" / "Mở thư mục" / "Đóng" and
  ``open_export`` acts on the choice through ``QDesktopServices``.

No file is written here: the job is a ``core`` function.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from core.jobs import Progress
from gui import preferences
from gui.jobs import Job

_FILTERS = {
    "xlsx": ("Lưu báo cáo Excel", "Bảng tính Excel (*.xlsx)", ".xlsx"),
    "pdf": ("Lưu báo cáo PDF", "Tài liệu PDF (*.pdf)", ".pdf"),
    "zip": ("Lưu gói báo cáo gửi cấp trên", "Gói báo cáo (*.zip)", ".zip"),
}

def tr(text: str) -> str:
    return QCoreApplication.translate("export", text)


# --------------------------------------------------------------------------- the folder


def last_export_dir() -> Path:
    """The folder of the last export, else Documents, else the home folder."""
    value = preferences.LAST_EXPORT_DIR.get()
    if value:
        folder = Path(str(value))
        if folder.is_dir():
            return folder
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path.home()


def remember_export_dir(folder: Path) -> None:
    preferences.LAST_EXPORT_DIR.set(str(folder))


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


def run_export_with_feedback(
    parent: QWidget,
    label: str,
    job: Callable[[Progress], object],
    *,
    on_finished: Callable[[], None] | None = None,
) -> Job:
    """Run ``job(progress)`` as a ``gui.jobs.Job``; afterwards offer to open the file (``job`` returns the
    ``Path`` written, or a result with ``files``). Returns the job."""

    def done(result: object) -> None:
        files = [result] if isinstance(result, Path) else list(getattr(result, "files", []) or [])
        if files:
            open_export(files[0], ask_after_export(parent, files[0]))

    running = Job(parent, job, done).failure(title=tr("Không xuất được báo cáo"))
    running.with_progress(label, title=tr("Đang xuất báo cáo"))
    if on_finished is not None:
        running.on_finish(on_finished)
    return running.run_in_background()
