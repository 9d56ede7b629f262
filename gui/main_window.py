"""The main window: unit and period selectors, navigation between the pages, status bar.

Built in two steps so that the window appears before the database is open (issue #7, start-up):
``MainWindow(None)`` is the frame (toolbar, navigation, menus, "Đang mở cơ sở dữ liệu…");
``attach_database(db)`` adds the pages and loads units and periods. ``MainWindow(db)`` does both.
This module imports only Qt at load time; the database layer is imported when it is attached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
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
from gui import preferences
from gui.screen_fit import fit_main_window, fit_popup_to_items

if TYPE_CHECKING:
    from db.engine import Database
    from gui.pages import Page
    from gui.pages.settings_page import SettingsPage


# ``pages[i]`` is shown by navigation row i + 1: row 0 is Trang chủ (``home_page``), built with the window.
PLANS_PAGE, RETURNS_PAGE, CONSOLIDATION_PAGE, SETTINGS_PAGE, INDEX_PAGE = range(5)
PAGE_TYPES = ("PlansPage", "ReturnsPage", "ConsolidationPage", "SettingsPage", "IndexPage")
PAGE_MODULES = ("gui.pages.plans_page", "gui.pages.returns_page", "gui.pages.consolidation_page",
                "gui.pages.settings_page", "gui.pages.index_page")


def _page_factories(db: Database) -> list[tuple[str, Callable[[], Page]]]:
    """(module, build) per navigation row; a page's module is imported when it is first built."""

    def plans() -> Page:
        from gui.pages.plans_page import PlansPage
        return PlansPage(db)

    def returns() -> Page:
        from gui.pages.returns_page import ReturnsPage
        return ReturnsPage(db)

    def consolidation() -> Page:
        from gui.pages.consolidation_page import ConsolidationPage
        return ConsolidationPage(db)

    def settings() -> Page:
        from gui.pages.settings_page import SettingsPage
        return SettingsPage(db)

    def index() -> Page:
        from gui.pages.index_page import IndexPage
        return IndexPage(db)

    return list(zip(PAGE_MODULES, (plans, returns, consolidation, settings, index), strict=True))


class MainWindow(QMainWindow):
    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self.pages: Sequence[Page] = []
        self.home_page: Page | None = None
        self._restoring = False
        self.setWindowTitle(APP_TITLE)

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
            self.tr("Cài đặt"), self.tr("Chỉ số CCHC"),
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
        """Second step: the pages over ``db`` (each built when first shown), the unit and period lists,
        the saved selection."""
        from gui.page_stack import LazyPages
        from gui.pages.home_page import HomePage

        self.db = db
        self.home_page = HomePage(db)  # the first screen: built now, the others when first shown
        self.home_page.open_requested.connect(self.open_target)
        self.stack.addWidget(self.home_page)
        self.pages = LazyPages(self.stack, _page_factories(db), self._page_built)
        self.stack.removeWidget(self.loading_label)
        self.loading_label.deleteLater()
        self.nav.currentRowChanged.connect(self._show_page)
        self._load_units()
        self._load_periods()
        self.unit_combo.currentIndexChanged.connect(lambda *_: self._context_changed())
        self.period_combo.currentIndexChanged.connect(lambda *_: self._context_changed())
        # The saved unit and period are chosen first, then each page reads them once (not once per combo
        # change): the page on screen as it is built, Trang chủ here.
        self._restoring = True
        try:
            self._restore_selection()  # builds the page on screen, which takes the selection as it is built
        finally:
            self._restoring = False
        self.home_page.set_context(self.unit_combo.currentData(), self.period_combo.currentData())
        self._set_database_ready(True)
        self._update_status()

    def _page_built(self, index: int, page: Page) -> None:
        if index == SETTINGS_PAGE:
            page.database_changed.connect(self._database_changed)
            page.unit_settings_changed.connect(self._context_changed)
            page.units_changed.connect(self._units_changed)
        elif index == PLANS_PAGE:
            page.units_changed.connect(self._units_changed)
        page.set_context(self.unit_combo.currentData(), self.period_combo.currentData())

    def first_page_module(self) -> str:
        """The module of the page the window will open on (the one shown when it was last closed)."""
        row = preferences.MAIN_PAGE.get() or 0
        return PAGE_MODULES[row - 1] if 1 <= row <= len(PAGE_MODULES) else "gui.pages.home_page"

    def when_filled(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the page on screen shows its data: Trang chủ's summary comes from a
        background job (start-up: the frame first, the numbers after); the other pages fill as they are built."""
        home = self.home_page
        if home is None or self.stack.currentWidget() is not home or home.is_loaded:
            callback()
            return

        def once() -> None:
            home.loaded.disconnect(once)
            callback()

        home.loaded.connect(once)

    def preload_pages(self) -> None:
        """Import the modules of the pages not shown yet in the background (once the window is filled)."""
        from gui.jobs import Job
        from gui.page_stack import import_modules

        names = self.pages.module_names() if self.db is not None else []
        if names:
            self._preload = Job(self, lambda _progress: import_modules(names)).run_in_background()

    def _set_database_ready(self, ready: bool) -> None:
        for widget in (self.unit_combo, self.period_combo, self.nav):
            widget.setEnabled(ready)
        self.backup_action.setEnabled(ready)
        self.import_plan_action.setEnabled(ready)
        self.about_action.setEnabled(ready)

    @property
    def settings_page(self) -> SettingsPage:
        return self.pages[SETTINGS_PAGE]  # type: ignore[return-value]

    def screens(self) -> list[Page]:
        """Every page in navigation order (Trang chủ first), each built if it was not yet."""
        return [self.home_page, *(self.pages[i] for i in range(len(self.pages)))]

    def page_of(self, type_name: str) -> Page:
        return self.pages[PAGE_TYPES.index(type_name)] if type_name in PAGE_TYPES else self.home_page

    def show_page(self, page: Page) -> None:
        """Show ``page`` (one of ``home_page`` and ``pages``) without building the others."""
        self.nav.setCurrentRow(0 if page is self.home_page else PAGE_TYPES.index(type(page).__name__) + 1)

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
        view_menu = self.menuBar().addMenu(self.tr("&Xem"))
        charts = QAction(self.tr("Biểu đồ…"), self)
        charts.triggered.connect(self._show_charts)
        view_menu.addAction(charts)
        self.charts_action = charts
        compare = QAction(self.tr("So sánh số liệu các kỳ…"), self)
        compare.triggered.connect(self._show_comparison)
        view_menu.addAction(compare)
        self.comparison_action = compare
        targets = QAction(self.tr("Chỉ tiêu kế hoạch…"), self)
        targets.triggered.connect(self._show_targets)
        view_menu.addAction(targets)
        self.targets_action = targets
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

    def _show_charts(self) -> None:
        from gui.chart_view import ChartsDialog

        unit_id, period = self.unit_combo.currentData(), self.period_combo.currentData()
        if unit_id is None or not period:
            return
        ChartsDialog(self.db, unit_id, period, self).exec()

    def _show_comparison(self) -> None:
        from gui.comparison_view import ComparisonDialog

        unit_id, period = self.unit_combo.currentData(), self.period_combo.currentData()
        if unit_id is None or not period:
            return
        ComparisonDialog(self.db, unit_id, period, self).exec()

    def _show_targets(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from core.periods import parse_period_code
        from core.plans.task_state import reporting_plans
        from gui.targets_dialog import TargetsDialog

        unit_id, period = self.unit_combo.currentData(), self.period_combo.currentData()
        if unit_id is None or not period:
            return
        with self.db.session() as s:
            plans = reporting_plans(s, unit_id, parse_period_code(period).year)
            plan_id = plans[0].id if plans else None
        if plan_id is None:
            QMessageBox.information(self, self.tr("Chỉ tiêu kế hoạch"),
                                    self.tr("Đơn vị chưa có kế hoạch CCHC cho năm của kỳ đang chọn."))
            return
        TargetsDialog(self.db, plan_id, self).exec()

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
        geometry = preferences.MAIN_GEOMETRY.get()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            fit_main_window(self, 1280, 800)

    def _restore_selection(self) -> None:
        unit = preferences.MAIN_UNIT.get()
        if unit is not None:
            i = self.unit_combo.findData(unit)
            if i >= 0:
                self.unit_combo.setCurrentIndex(i)
        self._select_start_period(preferences.MAIN_PERIOD.get())
        row = preferences.MAIN_PAGE.get() or 0
        self.nav.setCurrentRow(row if 0 <= row <= len(self.pages) else 0)
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
        from gui.jobs import wait_for_jobs

        wait_for_jobs()  # Trang chủ's summary may still be reading: the database is closed after the window
        preferences.MAIN_GEOMETRY.set(self.saveGeometry())
        if self.db is None:  # closed before the database was open: keep the saved selection
            super().closeEvent(event)
            return
        preferences.MAIN_UNIT.set(self.unit_combo.currentData())
        preferences.MAIN_PERIOD.set(self.period_combo.currentData())
        preferences.MAIN_PAGE.set(self.nav.currentRow())
        super().closeEvent(event)

    def _import_plan(self) -> None:
        self.nav.setCurrentRow(PLANS_PAGE + 1)
        self.pages[PLANS_PAGE].import_plan()  # type: ignore[attr-defined]

    def _units_changed(self) -> None:
        unit = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self._load_units()
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(unit)))
        self.unit_combo.blockSignals(False)

    def _show_page(self, row: int) -> None:
        if row == 0 and self.home_page is not None:
            self.stack.setCurrentWidget(self.home_page)
        elif 1 <= row <= len(self.pages):
            self.stack.setCurrentWidget(self.pages[row - 1])

    def _context_changed(self) -> None:
        if self._restoring:
            return
        unit_id = self.unit_combo.currentData()
        period = self.period_combo.currentData()
        for page in [self.home_page, *self.pages]:  # the pages built so far; the others take it when built
            if page is not None:
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
