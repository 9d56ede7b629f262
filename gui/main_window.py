"""The main window: unit and period selectors, navigation between the pages, status bar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from core.appdata import APP_TITLE
from core.periods import list_periods, parse_period_code, standard_codes
from core.units import unit_tree
from core.vnformat import format_date
from db.engine import Database
from gui.about import show_about
from gui.pages import Page
from gui.pages.consolidation_page import ConsolidationPage
from gui.pages.plans_page import PlansPage
from gui.pages.returns_page import ReturnsPage
from gui.pages.settings_page import SettingsPage


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(APP_TITLE)
        self.settings = QSettings()

        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(320)
        self.unit_combo.setAccessibleName(self.tr("Đơn vị"))
        self.period_combo = QComboBox()
        self.period_combo.setMinimumWidth(200)
        self.period_combo.setAccessibleName(self.tr("Kỳ báo cáo"))
        bar = QToolBar(self.tr("Chọn đơn vị và kỳ"))
        bar.setObjectName("context_bar")
        bar.setMovable(False)
        bar.addWidget(QLabel(self.tr(" Đơn vị: ")))
        bar.addWidget(self.unit_combo)
        bar.addWidget(QLabel(self.tr("   Kỳ báo cáo: ")))
        bar.addWidget(self.period_combo)
        self.addToolBar(bar)

        self.nav = QListWidget()
        self.nav.setFixedWidth(210)
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.pages: list[Page] = [
            PlansPage(db), ReturnsPage(db), ConsolidationPage(db), SettingsPage(db),
        ]
        for title, page in zip(
            (self.tr("Kế hoạch & nhiệm vụ"), self.tr("Báo cáo định kỳ"), self.tr("Tổng hợp"), self.tr("Cài đặt")),
            self.pages, strict=True,
        ):
            self.nav.addItem(title)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._show_page)
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel()
        self.backup_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.backup_label)
        self.settings_page.database_changed.connect(self._database_changed)
        self.pages[0].units_changed.connect(self._units_changed)

        self._build_menu()
        self._load_units()
        self._load_periods()
        self.unit_combo.currentIndexChanged.connect(lambda *_: self._context_changed())
        self.period_combo.currentIndexChanged.connect(lambda *_: self._context_changed())
        self._restore_state()
        self._update_status()
        self._context_changed()

    @property
    def settings_page(self) -> SettingsPage:
        return self.pages[3]  # type: ignore[return-value]

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Tệp"))
        import_plan = QAction(self.tr("Nhập kế hoạch từ Excel…"), self)
        import_plan.triggered.connect(self._import_plan)
        file_menu.addAction(import_plan)
        backup = QAction(self.tr("Sao lưu ngay"), self)
        backup.triggered.connect(self.settings_page.backup_now)
        file_menu.addAction(backup)
        quit_action = QAction(self.tr("Thoát"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Trợ giúp"))
        about = QAction(self.tr("Giới thiệu"), self)
        about.triggered.connect(lambda: show_about(self, self.db))
        help_menu.addAction(about)

    def _load_units(self) -> None:
        self.unit_combo.clear()
        with self.db.session() as s:
            for row in unit_tree(s):
                suffix = ""
                if row.valid_to and row.valid_to < date.today():
                    suffix = self.tr(" (hết hiệu lực {d})").format(d=format_date(row.valid_to))
                self.unit_combo.addItem("    " * row.depth + row.name + suffix, row.id)
        if self.unit_combo.count() == 0:
            self.unit_combo.addItem(self.tr("(Chưa có đơn vị — nhập danh mục đơn vị)"), None)

    def _load_periods(self) -> None:
        self.period_combo.clear()
        with self.db.session() as s:
            codes = [p.code for p in list_periods(s)]
        year = date.today().year
        for code in standard_codes(year) + standard_codes(year - 1):
            if code not in codes:
                codes.append(code)
        specs = sorted((parse_period_code(c) for c in codes), key=lambda p: (p.end_date, p.kind != "quarter"),
                       reverse=True)
        for spec in specs:
            self.period_combo.addItem(spec.label, spec.code)

    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        unit = self.settings.value("main/unit")
        if unit is not None:
            i = self.unit_combo.findData(int(unit))
            if i >= 0:
                self.unit_combo.setCurrentIndex(i)
        period = self.settings.value("main/period")
        if period:
            i = self.period_combo.findData(period)
            if i >= 0:
                self.period_combo.setCurrentIndex(i)
        self.nav.setCurrentRow(int(self.settings.value("main/page", 0)))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/unit", self.unit_combo.currentData())
        self.settings.setValue("main/period", self.period_combo.currentData())
        self.settings.setValue("main/page", self.nav.currentRow())
        super().closeEvent(event)

    def _import_plan(self) -> None:
        self.nav.setCurrentRow(0)
        self.pages[0].import_plan()  # type: ignore[attr-defined]

    def _units_changed(self) -> None:
        unit = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self._load_units()
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(unit)))
        self.unit_combo.blockSignals(False)

    def _show_page(self, row: int) -> None:
        self.stack.setCurrentIndex(row)

    def _context_changed(self) -> None:
        unit_id = self.unit_combo.currentData()
        period = self.period_combo.currentData()
        for page in self.pages:
            page.set_context(unit_id, period)

    def _database_changed(self) -> None:
        self._load_units()
        self._load_periods()
        self._update_status()
        self._context_changed()

    def _update_status(self) -> None:
        self.db_label.setText(self.tr("Cơ sở dữ liệu: {path}").format(path=self.db.target))
        last = self.db.last_backup()
        if last is None:
            self.backup_label.setText(self.tr("Chưa có bản sao lưu"))
        else:
            self.backup_label.setText(self.tr("Sao lưu gần nhất: {d} {t}").format(
                d=format_date(last.taken_at.date()), t=last.taken_at.strftime("%H:%M")))
        self.backup_label.setAlignment(Qt.AlignmentFlag.AlignRight)
