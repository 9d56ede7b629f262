"""The main window: unit and period selectors, navigation between the pages, status bar.

Built in two steps so that the window appears before the database is open (issue #7, start-up):
``MainWindow(None)`` is the frame (toolbar, navigation, menus, "Đang mở cơ sở dữ liệu…");
``attach_database(db)`` adds the pages and loads units and periods. ``MainWindow(db)`` does both.
This module imports only Qt at load time; the database layer is imported when it is attached.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

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
from core.vnformat import format_date
from gui.screen_fit import fit_main_window, fit_popup_to_items

if TYPE_CHECKING:
    from db.engine import Database
    from gui.pages import Page
    from gui.pages.settings_page import SettingsPage


class MainWindow(QMainWindow):
    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self.pages: list[Page] = []
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
        # On the menu bar's line, not a toolbar row of its own: every point of height goes to the grids
        # on a 1366×768 laptop.
        self.menuBar().setCornerWidget(bar, Qt.Corner.TopRightCorner)
        self.context_bar = bar

        self.nav = QListWidget()
        self.nav.setFixedWidth(180)
        self.nav.setObjectName("navigation")
        self.nav.addItems([
            self.tr("Trang chủ"), self.tr("Kế hoạch & nhiệm vụ"), self.tr("Báo cáo định kỳ"), self.tr("Tổng hợp"),
            self.tr("Cài đặt"),
        ])
        self.stack = QStackedWidget()
        self.loading_label = QLabel(self.tr("Đang mở cơ sở dữ liệu…"))
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading_label)
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(4, 2, 4, 0)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(self.tr("Đang mở cơ sở dữ liệu…"))
        self.backup_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.backup_label)

        self._build_menu()
        self._restore_geometry()
        self._set_database_ready(False)
        if db is not None:
            self.attach_database(db)

    def attach_database(self, db: Database) -> None:
        """Second step: the pages over ``db``, the unit and period lists, the saved selection."""
        from gui.pages.consolidation_page import ConsolidationPage
        from gui.pages.home_page import HomePage
        from gui.pages.plans_page import PlansPage
        from gui.pages.returns_page import ReturnsPage
        from gui.pages.settings_page import SettingsPage

        self.db = db
        self.pages = [PlansPage(db), ReturnsPage(db), ConsolidationPage(db), SettingsPage(db)]
        # Trang chủ is the first row of the navigation; ``pages`` keeps the other screens' order.
        self.home_page = HomePage(db)
        self.home_page.open_requested.connect(self.open_target)
        self.stack.removeWidget(self.loading_label)
        self.loading_label.deleteLater()
        for page in self.screens():
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._show_page)
        self.settings_page.database_changed.connect(self._database_changed)
        self.settings_page.unit_settings_changed.connect(self._context_changed)
        self.settings_page.units_changed.connect(self._units_changed)
        self.page_of("PlansPage").units_changed.connect(self._units_changed)
        self._load_units()
        self._load_periods()
        self.unit_combo.currentIndexChanged.connect(lambda *_: self._context_changed())
        self.period_combo.currentIndexChanged.connect(lambda *_: self._context_changed())
        self._restore_selection()
        self._set_database_ready(True)
        self._update_status()
        self._context_changed()

    def _set_database_ready(self, ready: bool) -> None:
        for widget in (self.unit_combo, self.period_combo, self.nav):
            widget.setEnabled(ready)
        self.backup_action.setEnabled(ready)
        self.import_plan_action.setEnabled(ready)
        self.about_action.setEnabled(ready)

    @property
    def settings_page(self) -> SettingsPage:
        return self.page_of("SettingsPage")  # type: ignore[return-value]

    def screens(self) -> list[Page]:
        """Every page in navigation order (Trang chủ first)."""
        return [self.home_page, *self.pages]

    def page_of(self, type_name: str) -> Page:
        return next(p for p in self.screens() if type(p).__name__ == type_name)

    def show_page(self, page: Page) -> None:
        self.nav.setCurrentRow(self.screens().index(page))

    def open_target(self, target: str) -> None:
        """A line of Trang chủ opens the screen behind it."""
        if target.startswith("plans"):
            plans = self.page_of("PlansPage")
            self.show_page(plans)
            if target == "plans_overdue":
                plans.clear_filters()
                plans.overdue_filter.setChecked(True)
                plans.tabs.setCurrentIndex(1)
            else:  # the overview lists the deadlines of the next days
                plans.tabs.setCurrentIndex(0)
        elif target.startswith("return"):
            returns = self.page_of("ReturnsPage")
            self.show_page(returns)
            returns.editor.tabs.setCurrentIndex(0)
            if target == "return_problems":
                returns.editor.problems.setVisible(True)
        elif target == "consolidation":
            self.show_page(self.page_of("ConsolidationPage"))

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Tệp"))
        import_plan = QAction(self.tr("Nhập kế hoạch từ Excel…"), self)
        import_plan.triggered.connect(self._import_plan)
        file_menu.addAction(import_plan)
        self.import_plan_action = import_plan
        backup = QAction(self.tr("Sao lưu ngay"), self)
        backup.triggered.connect(lambda: self.settings_page.backup_now())
        file_menu.addAction(backup)
        self.backup_action = backup
        quit_action = QAction(self.tr("Thoát"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Trợ giúp"))
        guide = QAction(self.tr("Hướng dẫn sử dụng"), self)
        guide.setShortcut(QKeySequence(Qt.Key.Key_F1))
        guide.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # also over the dialogs
        guide.triggered.connect(lambda: self.show_guide())
        help_menu.addAction(guide)
        self.guide_action = guide
        self.help_window = None
        about = QAction(self.tr("Giới thiệu"), self)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)
        self.about_action = about

    def show_guide(self, section: str | None = None):  # noqa: ANN201 - gui.help_window.HelpWindow
        """The guide, at ``section`` or at the section of the dialog in front / the page shown (F1)."""
        from gui.help_window import HelpWindow, active_window, section_for

        if section is None:
            front = active_window()
            owner = front
            while owner is not None and owner is not self:  # only a dialog of this window counts
                owner = owner.parentWidget()
            if owner is None or front is self or front is self.help_window:
                front = None
            page = self.stack.currentWidget() if self.db is not None else None
            section = section_for(front, page)
        if self.help_window is None:
            self.help_window = HelpWindow(self)
        self.help_window.show_section(section)
        return self.help_window

    def _show_about(self) -> None:
        from gui.about import show_about

        show_about(self, self.db)

    def _load_units(self) -> None:
        from core.org.units import unit_tree

        self.unit_combo.clear()
        with self.db.session() as s:
            for row in unit_tree(s):
                suffix = ""
                if row.valid_to and row.valid_to < date.today():
                    suffix = self.tr(" (hết hiệu lực {d})").format(d=format_date(row.valid_to))
                self.unit_combo.addItem("    " * row.depth + row.name + suffix, row.id)
        if self.unit_combo.count() == 0:
            self.unit_combo.addItem(self.tr("(Chưa có đơn vị — nhập danh mục đơn vị)"), None)
        fit_popup_to_items(self.unit_combo)

    def _load_periods(self) -> None:
        from core.periods import period_choices

        self.period_combo.clear()
        with self.db.session() as s:
            specs = period_choices(s)
        for spec in specs:
            self.period_combo.addItem(spec.label, spec.code)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            fit_main_window(self, 1280, 800)

    def _restore_selection(self) -> None:
        unit = self.settings.value("main/unit")
        if unit is not None:
            i = self.unit_combo.findData(int(unit))
            if i >= 0:
                self.unit_combo.setCurrentIndex(i)
        self._select_start_period(self.settings.value("main/period"))
        self.nav.setCurrentRow(int(self.settings.value("main/page", 0)))
        self._show_page(self.nav.currentRow())

    def _select_start_period(self, saved: str | None) -> None:
        """The period last worked on if it has data, else the current one or the latest with data
        (``core.app.home.start_period``): the demo opens on 2021, not on an empty year."""
        from core.app.home import periods_with_data, start_period

        with self.db.session() as s:
            unit_id = self.unit_combo.currentData()
            with_data = {p.code for p in periods_with_data(s, unit_id)}
            code = saved if saved in with_data else start_period(s, unit_id).code
        i = self.period_combo.findData(code)
        if i < 0:
            self.period_combo.addItem(code, code)  # pragma: no cover - period_choices lists every period in use
            i = self.period_combo.count() - 1
        self.period_combo.setCurrentIndex(i)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.settings.setValue("main/geometry", self.saveGeometry())
        if self.db is None:  # closed before the database was open: keep the saved selection
            super().closeEvent(event)
            return
        self.settings.setValue("main/unit", self.unit_combo.currentData())
        self.settings.setValue("main/period", self.period_combo.currentData())
        self.settings.setValue("main/page", self.nav.currentRow())
        super().closeEvent(event)

    def _import_plan(self) -> None:
        plans = self.page_of("PlansPage")
        self.show_page(plans)
        plans.import_plan()  # type: ignore[attr-defined]

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
        for page in self.screens():
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
