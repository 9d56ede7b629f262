"""Kế hoạch & nhiệm vụ: the overview of the period, the unit's plans and their task tree with filters.

Every row comes from core (``overview``, ``plans_for_unit``, ``task_statuses``); editing a task's
progress opens ``gui.task_detail``; "Nhập kế hoạch từ Excel…" opens ``gui.plan_import_dialog``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.org.units import fold
from core.periods import ensure_period, parse_period_code
from core.plans.overview import overview
from core.plans.progress import carry_forward, carry_targets
from core.plans.status import STATUS_LABELS
from core.plans.store import plans_for_unit
from core.plans.task_list import TaskStatusRow, task_statuses
from core.vnformat import format_number
from gui.pages import Page
from gui.plan_overview import PlanOverview
from gui.refusals import show_refusal
from gui.task_detail import TaskDetailDialog

if TYPE_CHECKING:
    from gui.plan_import_dialog import PlanImportDialog
from gui.task_models import (
    DONE_TEXT,
    OVERDUE_TEXT,
    OVERDUE_TINT,
    SOON_TEXT,
    SOON_TINT,
    TaskTreeModel,
    TaskTreeView,
    WrapDelegate,
)

_ALL = "__all__"


def _legend(text: str, fg, bg) -> QLabel:
    label = QLabel(text)
    style = f"color: {fg.name()}; padding: 2px 8px; border-radius: 3px;"
    if bg is not None:
        style += f" background: {bg.name()};"
    label.setStyleSheet(style)
    return label


class PlansPage(Page):
    units_changed = Signal()  # an import added units to the catalogue

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, parent)
        self._plan_id: int | None = None
        self._all_rows: list[TaskStatusRow] = []
        self.detail_dialog: TaskDetailDialog | None = None
        self.import_dialog: PlanImportDialog | None = None
        self.carry_box: QMessageBox | None = None

        title = QLabel(self.tr("<b>Kế hoạch cải cách hành chính</b>"))
        self.import_button = QPushButton(self.tr("Nhập kế hoạch từ Excel…"))
        self.import_button.clicked.connect(self.import_plan)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.import_button)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setStyleSheet("font-size: 12pt; font-weight: bold; color: #1f3b63;")
        self.headline.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color: {DONE_TEXT.name()};")
        self.notice.hide()

        # --- tab 1: overview -------------------------------------------------------------------
        self.overview = PlanOverview()
        self.overview.task_requested.connect(self.select_task)
        self.overview.area_requested.connect(self._show_area)

        # --- tab 2: plans and tasks --------------------------------------------------------------
        self.plan_table = QTableWidget(0, 4)
        self.plan_table.setHorizontalHeaderLabels([self.tr("Số, ký hiệu"), self.tr("Tên kế hoạch"),
                                                   self.tr("Năm / giai đoạn"), self.tr("Số nhiệm vụ")])
        self.plan_table.verticalHeader().setVisible(False)
        self.plan_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plan_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.plan_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        ph = self.plan_table.horizontalHeader()
        ph.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.plan_table.setColumnWidth(0, 150)
        self.plan_table.setColumnWidth(2, 120)
        self.plan_table.setColumnWidth(3, 100)
        self.plan_table.verticalHeader().setDefaultSectionSize(26)
        self.plan_table.itemSelectionChanged.connect(self._plan_selected)

        # The first item of each list names it ("Tất cả lĩnh vực"): no separate labels, so the bar stays narrow.
        self.area_filter = QComboBox()
        self.area_filter.setAccessibleName(self.tr("Lọc theo lĩnh vực"))
        self.lead_filter = QComboBox()
        self.lead_filter.setAccessibleName(self.tr("Lọc theo cơ quan chủ trì"))
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("Lọc theo trạng thái"))
        self.status_filter.addItem(self.tr("Tất cả trạng thái"), _ALL)
        for code, label in STATUS_LABELS.items():
            self.status_filter.addItem(self.tr(label), code)
        for combo in (self.area_filter, self.lead_filter, self.status_filter):
            combo.setMinimumContentsLength(10)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.overdue_filter = QCheckBox(self.tr("Quá hạn"))
        self.due_filter = QCheckBox(self.tr("Đến hạn trong kỳ"))
        self.due_filter.setToolTip(self.tr("Nhiệm vụ có thời hạn nằm trong khoảng thời gian lấy số liệu của kỳ"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Tìm theo tên nhiệm vụ, STT, cơ quan…"))
        self.search.setClearButtonEnabled(True)
        self.clear_filters_button = QPushButton(self.tr("Bỏ lọc"))
        self.clear_filters_button.clicked.connect(self.clear_filters)
        for combo in (self.area_filter, self.lead_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda *_: self._filters_changed())
        for box in (self.overdue_filter, self.due_filter):
            box.toggled.connect(lambda *_: self._filters_changed())
        self.search.textChanged.connect(lambda *_: self._filters_changed())
        row1 = QHBoxLayout()
        row1.addWidget(QLabel(self.tr("Lọc:")))
        row1.addWidget(self.area_filter, 4)
        row1.addWidget(self.lead_filter, 3)
        row1.addWidget(self.status_filter, 2)
        row2 = QHBoxLayout()
        row2.addWidget(self.overdue_filter)
        row2.addWidget(self.due_filter)
        row2.addSpacing(12)
        row2.addWidget(QLabel(self.tr("Tìm:")))
        row2.addWidget(self.search, 1)
        row2.addWidget(self.clear_filters_button)

        self.model = TaskTreeModel(self)
        self.tree = TaskTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setIndentation(14)
        self.tree.setItemDelegate(WrapDelegate(self.tree))
        self.tree.activated.connect(self._activated)
        self.tree.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 50), (2, 150), (3, 165), (4, 84), (5, 125), (6, 100)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(col, width)

        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.open_button = QPushButton(self.tr("Cập nhật tiến độ…"))
        self.open_button.setToolTip(self.tr("Mở nhiệm vụ đang chọn (hoặc nhấp đúp, hoặc nhấn Enter)"))
        self.open_button.clicked.connect(self.open_current_task)
        self.carry_button = QPushButton(self.tr("Chuyển tiến độ sang kỳ sau"))
        self.carry_button.clicked.connect(self.carry_forward)
        bottom = QHBoxLayout()
        bottom.addWidget(_legend(self.tr("Quá hạn"), OVERDUE_TEXT, OVERDUE_TINT))
        bottom.addWidget(_legend(self.tr("Sắp đến hạn (30 ngày)"), SOON_TEXT, SOON_TINT))
        bottom.addWidget(_legend(self.tr("Hoàn thành"), DONE_TEXT, None))
        bottom.addWidget(self.count_label, 1)
        plan_buttons = QVBoxLayout()
        plan_buttons.addWidget(self.open_button)
        plan_buttons.addWidget(self.carry_button)
        plan_buttons.addStretch(1)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan_table, 1)
        plan_row.addLayout(plan_buttons)

        tasks_tab = QWidget()
        tl = QVBoxLayout(tasks_tab)
        tl.addLayout(plan_row)
        tl.addLayout(row1)
        tl.addLayout(row2)
        tl.addWidget(self.tree, 1)
        tl.addLayout(bottom)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, self.tr("Tổng quan"))
        self.tabs.addTab(tasks_tab, self.tr("Nhiệm vụ"))
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.headline)
        lay.addWidget(self.notice)
        lay.addWidget(self.tabs, 1)
        self._update_buttons()

    # --- loading ---------------------------------------------------------------------------------

    @property
    def plan_id(self) -> int | None:
        return self._plan_id

    def refresh(self) -> None:
        self._load_overview()
        self._load_plans()

    def _period(self):
        return parse_period_code(self.period_code) if self.period_code else None

    def _load_overview(self) -> None:
        spec = self._period()
        if self.unit_id is None:
            self.headline.setText(self.tr("Chưa chọn đơn vị."))
            self.overview.show_message(self.tr("Chọn đơn vị và kỳ báo cáo ở thanh trên cùng."))
            return
        if spec is None:
            self.headline.setText("")
            self.overview.show_message(self.tr("Chọn kỳ báo cáo ở thanh trên cùng."))
            return
        from core.returns.target_status import target_results
        from db.models import Unit

        with self.db.session() as s:
            o = overview(s, self.unit_id, spec.code)
            has_plans = bool(plans_for_unit(s, self.unit_id))
            targets = target_results(s, s.get(Unit, self.unit_id), spec.code)
        if o.total:
            self.headline.setText(self.tr("{label}: {headline}").format(label=spec.label, headline=o.headline))
            self.overview.set_overview(o)
            self.overview.set_targets(targets)
        else:
            self.headline.setText(self.tr("{label}: đơn vị chưa có kế hoạch CCHC cho năm {y}.").format(
                label=spec.label, y=spec.year) if has_plans else self.tr("Đơn vị chưa có kế hoạch CCHC nào."))
            self.overview.show_message(
                self.tr("Đơn vị chưa có kế hoạch CCHC nào. Bấm “Nhập kế hoạch từ Excel…” để nhập bảng nhiệm vụ "
                        "của kế hoạch.") if not has_plans else
                self.tr("Không có kế hoạch nào của đơn vị áp dụng cho năm {y}. Chọn kỳ báo cáo khác, hoặc xem "
                        "thẻ “Nhiệm vụ”.").format(y=spec.year))

    def _load_plans(self) -> None:
        spec = self._period()
        self.plan_table.blockSignals(True)
        self.plan_table.setRowCount(0)
        chosen = -1
        fallback = -1
        if self.unit_id is not None:
            with self.db.session() as s:
                for p in plans_for_unit(s, self.unit_id):
                    r = self.plan_table.rowCount()
                    self.plan_table.insertRow(r)
                    span = str(p.year_from) if p.year_from == p.year_to else f"{p.year_from}–{p.year_to}"
                    cells = [p.document_number or "", p.title, span, format_number(len(p.tasks))]
                    for c, text in enumerate(cells):
                        item = QTableWidgetItem(text)
                        item.setToolTip(text)
                        if c in (2, 3):
                            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                        if c == 0:
                            item.setData(Qt.ItemDataRole.UserRole, p.id)
                        self.plan_table.setItem(r, c, item)
                    if p.id == self._plan_id:
                        chosen = r
                    if fallback < 0 and spec is not None and p.year_from <= spec.year <= p.year_to:
                        fallback = r
        self.plan_table.blockSignals(False)
        rows = min(max(self.plan_table.rowCount(), 1), 4)
        self.plan_table.setFixedHeight(self.plan_table.horizontalHeader().height() + 26 * rows + 4)
        if self.plan_table.rowCount() == 0:
            self._plan_id = None
            self._show_tasks()
            return
        row = chosen if chosen >= 0 else max(fallback, 0)
        if self.plan_table.currentRow() == row:
            self._plan_selected()
        else:
            self.plan_table.selectRow(row)

    def _plan_selected(self) -> None:
        row = self.plan_table.currentRow()
        item = self.plan_table.item(row, 0) if row >= 0 else None
        self._plan_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        self._show_tasks()

    def _show_tasks(self) -> None:
        """Fetch the plan's rows for the period (unfiltered: for the filter lists), then the filtered rows."""
        self._all_rows = []
        if self._plan_id is not None:
            with self.db.session() as s:
                self._all_rows = task_statuses(s, self._plan_id, self.period_code)
        self._fill_filter_lists()
        self._apply_filters()

    def _fill_filter_lists(self) -> None:
        area = self.area_filter.currentData()
        lead = self.lead_filter.currentData()
        for combo in (self.area_filter, self.lead_filter):
            combo.blockSignals(True)
            combo.clear()
        self.area_filter.addItem(self.tr("Tất cả lĩnh vực"), _ALL)
        self.lead_filter.addItem(self.tr("Tất cả cơ quan chủ trì"), _ALL)
        areas: dict[str, str] = {}
        leads: dict[tuple, str] = {}
        for r in self._all_rows:
            key = r.area_numeral or r.area_title or ""
            if key and key not in areas:
                areas[key] = ". ".join(filter(None, [r.area_numeral, r.area_title]))
            name = r.lead_unit_name or r.lead
            if name:
                leads.setdefault((r.lead_unit_id, None if r.lead_unit_id else r.lead), name)
        for key, label in areas.items():
            self.area_filter.addItem(label, key)
            self.area_filter.setItemData(self.area_filter.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        for key, name in sorted(leads.items(), key=lambda kv: fold(kv[1])):
            short = name if len(name) <= 60 else name[:57] + "…"
            self.lead_filter.addItem(short.replace("\n", " "), key)
            self.lead_filter.setItemData(self.lead_filter.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        for combo, value in ((self.area_filter, area), (self.lead_filter, lead)):
            i = combo.findData(value) if value is not None else 0
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)

    # --- filters ---------------------------------------------------------------------------------

    def _filters_changed(self) -> None:
        if self._plan_id is not None:
            self._apply_filters()

    def filters_active(self) -> bool:
        return (self.area_filter.currentData() not in (None, _ALL) or self.lead_filter.currentData() not in (None, _ALL)
                or self.status_filter.currentData() != _ALL or self.overdue_filter.isChecked()
                or self.due_filter.isChecked() or bool(self.search.text().strip()))

    def _apply_filters(self) -> None:
        current = self.current_task_id()
        rows: list[TaskStatusRow] = []
        if self._plan_id is not None and not self.filters_active():
            rows = list(self._all_rows)  # no filter: the rows just read for the filter lists
        elif self._plan_id is not None:
            area = self.area_filter.currentData()
            lead = self.lead_filter.currentData()
            status = self.status_filter.currentData()
            lead_id = lead[0] if isinstance(lead, tuple) and lead[0] else None
            with self.db.session() as s:
                rows = task_statuses(
                    s, self._plan_id, self.period_code,
                    area=None if area in (None, _ALL) else area, lead_unit_id=lead_id,
                    status=None if status == _ALL else status,
                    overdue_only=self.overdue_filter.isChecked(), due_in_period=self.due_filter.isChecked(),
                )
            if isinstance(lead, tuple) and not lead[0]:
                rows = [r for r in rows if r.lead_unit_id is None and r.lead == lead[1]]
            words = fold(self.search.text()).split()
            if words:
                rows = [r for r in rows if all(w in _haystack(r) for w in words)]
        self.model.set_rows(rows)
        for index in self.model.area_rows():
            self.tree.setFirstColumnSpanned(index.row(), QModelIndex(), True)
        self.tree.expandAll()
        total = sum(1 for r in self._all_rows if not r.is_group)
        shown = self.model.task_count
        if self._plan_id is None:
            self.count_label.setText(self.tr("Chưa có kế hoạch nào."))
        elif self.filters_active():
            self.count_label.setText(self.tr("Đang lọc: {n}/{t} nhiệm vụ").format(n=shown, t=total))
        else:
            self.count_label.setText(self.tr("{t} nhiệm vụ").format(t=total))
        self.clear_filters_button.setEnabled(self.filters_active())
        if current is not None:
            self._select_in_tree(current)
        self._update_buttons()

    def clear_filters(self) -> None:
        widgets = (self.area_filter, self.lead_filter, self.status_filter, self.overdue_filter, self.due_filter,
                   self.search)
        for w in widgets:
            w.blockSignals(True)
        self.area_filter.setCurrentIndex(0)
        self.lead_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        self.overdue_filter.setChecked(False)
        self.due_filter.setChecked(False)
        self.search.clear()
        for w in widgets:
            w.blockSignals(False)
        self._apply_filters()

    def _show_area(self, numeral: str, status: str) -> None:
        """From the overview's area table: that area (and status) of the plan in the tree."""
        if self._plan_id is None:
            return
        self.clear_filters()
        for combo, value in ((self.area_filter, numeral), (self.status_filter, status)):
            if value:
                i = combo.findData(value)
                if i >= 0:
                    combo.setCurrentIndex(i)
        self.tabs.setCurrentIndex(1)

    # --- selection -------------------------------------------------------------------------------

    def current_task_id(self) -> int | None:
        index = self.tree.currentIndex()
        task = self.model.task_at(index) if index.isValid() else None
        return task.id if task else None

    def _select_in_tree(self, task_id: int) -> bool:
        index = self.model.index_of_task(task_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def select_task(self, plan_id: int | None, task_id: int) -> None:
        """Show a task in the tree (switching plan, and clearing filters that hide it)."""
        if plan_id is not None and plan_id != self._plan_id:
            for r in range(self.plan_table.rowCount()):
                if self.plan_table.item(r, 0).data(Qt.ItemDataRole.UserRole) == plan_id:
                    self.plan_table.selectRow(r)
                    break
        self.tabs.setCurrentIndex(1)
        if not self._select_in_tree(task_id):
            self.clear_filters()
            self._select_in_tree(task_id)
        self.tree.setFocus()

    def _update_buttons(self) -> None:
        has_task = self.current_task_id() is not None
        self.open_button.setEnabled(has_task and bool(self.period_code))
        self.carry_button.setEnabled(self._plan_id is not None and bool(self.period_code))

    # --- task detail -----------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        task = self.model.task_at(index)
        if task is not None:
            self.open_task(task.id)

    def open_current_task(self) -> None:
        task_id = self.current_task_id()
        if task_id is not None:
            self.open_task(task_id)

    def open_task(self, task_id: int) -> TaskDetailDialog | None:
        if not self.period_code:
            QMessageBox.information(self, self.tr("Chưa chọn kỳ"), self.tr("Hãy chọn kỳ báo cáo để ghi tiến độ."))
            return None
        if self.detail_dialog is not None and self.detail_dialog.isVisible():
            self.detail_dialog.reject()  # asks first when there are unsaved changes
            if self.detail_dialog.isVisible():
                return None
        dlg = TaskDetailDialog(self.db, self)
        dlg.load(task_id, parse_period_code(self.period_code).code, self.unit_id)
        dlg.panel.saved.connect(self._task_changed)
        dlg.panel.evidence_changed.connect(self._task_changed)
        self.detail_dialog = dlg
        dlg.open()
        return dlg

    def _task_changed(self, task_id: int) -> None:
        self._load_overview()
        self._show_tasks()
        self._select_in_tree(task_id)

    # --- carry forward ---------------------------------------------------------------------------

    def carry_forward(self) -> QMessageBox | None:
        """Ask where to carry the plan's progress (``core.plans.progress.carry_targets``): one period is
        confirmed with Có/Không; after 6 tháng đầu năm the person picks Quý III or 9 tháng."""
        if self._plan_id is None or not self.period_code:
            return None
        spec = parse_period_code(self.period_code)
        targets = [parse_period_code(c) for c in carry_targets(spec.code)]
        what = self.tr("Chép tiến độ (trạng thái, tỉ lệ, kết quả, khó khăn và tài liệu kiểm chứng) của các nhiệm vụ "
                       "trong kế hoạch đang chọn từ kỳ {src} sang kỳ {dst}?\n\nNhiệm vụ đã có tiến độ ở kỳ nhận "
                       "được giữ nguyên. Trạng thái quá hạn được xác định lại theo kỳ mới.")
        if len(targets) == 1:
            answer = QMessageBox.question(self, self.tr("Chuyển tiến độ sang kỳ sau"),
                                          what.format(src=spec.label, dst=targets[0].label))
            if answer == QMessageBox.StandardButton.Yes:
                self._carry(spec.code, targets[0].code)
            return None
        either = self.tr(" hoặc ").join(t.label for t in targets)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Chuyển tiến độ sang kỳ sau"),
                          what.format(src=spec.label, dst=either), parent=self)
        box.setInformativeText(self.tr("Chọn kỳ nhận: đơn vị báo cáo Quý III hay 9 tháng thì chọn kỳ đó."))
        for t in targets:
            button = box.addButton(self.tr("Sang {p}").format(p=t.label), QMessageBox.ButtonRole.AcceptRole)
            button.setProperty("period_code", t.code)
        box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(
            lambda b: b.property("period_code") and self._carry(spec.code, b.property("period_code")))
        self.carry_box = box
        box.open()
        return box

    def _carry(self, source: str, target: str) -> None:
        try:
            with self.db.transaction() as s:
                src = ensure_period(s, source)
                dst = ensure_period(s, target)
                result = carry_forward(s, self._plan_id, src.id, dst.id)
        except Refused as exc:
            show_refusal(self, exc, self.tr("Chưa chuyển được tiến độ"))
            return
        self.show_notice(result.message + self.tr(" Chọn kỳ {dst} ở thanh trên cùng để xem.").format(
            dst=parse_period_code(target).label))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # --- import ----------------------------------------------------------------------------------

    def import_plan(self) -> PlanImportDialog | None:
        from gui.plan_import_dialog import PlanImportDialog, choose_plan_file  # openpyxl: loaded when needed

        if self.unit_id is None:
            QMessageBox.information(self, self.tr("Chưa chọn đơn vị"),
                                    self.tr("Hãy chọn đơn vị ban hành kế hoạch ở thanh trên cùng."))
            return None
        path = choose_plan_file(self)
        if not path:
            return None
        dlg = PlanImportDialog(self.db, self.unit_id, path, self)
        dlg.imported.connect(self._plan_imported)
        self.import_dialog = dlg
        dlg.open()
        return dlg

    def _plan_imported(self, plan_id: int, created: list) -> None:
        self._plan_id = plan_id
        self.clear_filters()
        self.refresh()
        self.tabs.setCurrentIndex(1)
        n = sum(1 for r in self._all_rows if not r.is_group)
        text = self.tr("Đã nhập kế hoạch: {n} nhiệm vụ.").format(n=n)
        if created:
            text += " " + self.tr("Đã thêm vào danh mục đơn vị: {names}.").format(names="; ".join(created))
            self.units_changed.emit()
        self.show_notice(text)


def _haystack(r: TaskStatusRow) -> str:
    parts = [r.number, r.title, r.lead, r.lead_unit_name, r.partners, r.timeframe_text]
    parts += [a.title for a in r.activities]
    if r.area_numeral and r.number:
        parts.append(f"{r.area_numeral}.{r.number}")
    return fold(" ".join(p for p in parts if p))
