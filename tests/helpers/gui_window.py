"""The main window on a fresh copy of the demo database, opened as a clerk opens it (the tests' QSettings
folder is their own already: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def demo_window(qtbot, folder: Path, size: tuple[int, int] | None = (1280, 800)) -> Iterator:  # noqa: ANN001
    """Yield the shown ``MainWindow`` (``size``: None keeps the window's own); close it and its database after."""
    from gui.app import make_application, open_for_gui
    from gui.main_window import MainWindow

    make_application()
    db = open_for_gui(folder / "gui.db", demo=True)
    window = MainWindow(db)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    try:
        yield window
    finally:
        window.close()
        db.close()
