"""The floor for start-up timing: a bare PySide6 main window, nothing else.

bench/package_check.py freezes this file with build.spec (same excludes, plug-in
filter and stripping as the app) and starts it exactly as it starts the app.
With CCHC_EXIT_AFTER_SHOW=1 it does what gui/app.py does up to its
"shown" marker: show the window, let Qt process the resulting events (paint),
print the marker; then it quits.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

SHOWN_MARKER = "CCHC_MAIN_WINDOW_SHOWN"  # the same line gui.app prints


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("PySide6")
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    if os.environ.get("CCHC_EXIT_AFTER_SHOW", "") not in ("", "0"):
        if sys.stdout is not None:
            print(SHOWN_MARKER, flush=True)
        QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
