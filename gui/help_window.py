"""Trợ giúp → Hướng dẫn sử dụng: the bundled Vietnamese guide (resources/guide/huong_dan.html), offline.

F1 anywhere opens it at the section of what is on the screen: the dialog in front (by its class) or
the page shown in the main window (``SECTIONS``).
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from core.paths import resource_path
from gui.screen_fit import fit_dialog

GUIDE = resource_path("guide", "huong_dan.html")
# A screen (page or dialog class name) → the guide's section (an id in huong_dan.html).
SECTIONS = {
    "HomePage": "trang-chu", "PlansPage": "ke-hoach", "TaskDetailDialog": "nhiem-vu", "EvidenceDialog": "nhiem-vu",
    "PlanImportDialog": "nhap-ke-hoach", "ReturnsPage": "bao-cao", "ReopenDialog": "bao-cao",
    "AuditDialog": "bao-cao", "SigningDialog": "xuat", "ConsolidationPage": "tong-hop", "ImportDialog": "tong-hop",
    "ReviewDialog": "tong-hop", "HandmadeDialog": "tong-hop", "SourcesDialog": "tong-hop",
    "ReceivedFilesDialog": "tong-hop", "SettingsPage": "cai-dat", "UnitForm": "don-vi",
}


class HelpWindow(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hướng dẫn sử dụng"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(GUIDE.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(GUIDE)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        fit_dialog(self, 900, 700)

    def show_section(self, section: str | None) -> None:
        self.browser.setSource(QUrl.fromLocalFile(str(GUIDE)))
        if section:
            self.browser.scrollToAnchor(section)
        self.section = section
        self.show()
        self.raise_()
        self.activateWindow()


def section_for(widget: QWidget | None, page: QWidget | None) -> str | None:
    """The guide's section for the dialog in front (or any dialog it came from), else the page shown."""
    while widget is not None:
        found = SECTIONS.get(type(widget).__name__)
        if found:
            return found
        widget = widget.parentWidget()
    return SECTIONS.get(type(page).__name__) if page is not None else None


def active_window() -> QWidget | None:
    return QApplication.activeModalWidget() or QApplication.activeWindow()
