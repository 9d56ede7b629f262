"""Nhập kế hoạch từ Excel: choose an .xlsx, look at what would be imported, correct the columns, import.

Reading the file (``core.plans.table_import.preview_plan_file``) and storing it (``import_plan_file`` in one
transaction) both run off the GUI thread behind a cancellable progress dialog. Nothing is stored
until "Nhập" succeeds; a bad file only shows core's Vietnamese message.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.import_mappings import mark_used, remember_mapping, saved_mapping
from core.jobs import Progress
from core.org.unit_names import fits_under
from core.plans.table_headers import FIELDS
from core.plans.table_import import PlanPreview, check_units, import_plan_file, preview_plan_file
from core.vnformat import format_date, format_number, nfc
from db.engine import Database
from db.models import SavedMapping, Unit
from gui.jobs import Job
from gui.refusals import is_refusal, show_failure, show_refusal
from gui.screen_fit import fit_dialog
from gui.task_models import AREA_TINT, OVERDUE_TEXT, OVERDUE_TINT, SOON_TEXT, SOON_TINT, WrapDelegate

__all__ = ["PlanImportDialog", "choose_plan_file"]

_BANNER_ERROR = "background: #fde7e5; color: #8c1d18; border: 1px solid #e4a5a0; padding: 8px; font-weight: bold;"
_BANNER_WARN = "background: #fff3d6; color: #6b4100; border: 1px solid #e8c77a; padding: 8px;"
_BANNER_OK = "background: #e6f4ea; color: #14532d; border: 1px solid #9fd4ae; padding: 8px;"
_CHOOSE = "__choose__"


def choose_plan_file(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, parent.tr("Chọn tệp Excel chứa bảng nhiệm vụ của kế hoạch"), "",
        parent.tr("Bảng tính Excel (*.xlsx *.xlsm);;Mọi tệp (*)"),
    )
    return path or None


class PlanImportDialog(QDialog):
    imported = Signal(int, list)  # plan id, names of the units created

    def __init__(self, db: Database, unit_id: int, path: str | Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit_id = unit_id
        self.path: Path | None = None
        self.preview: PlanPreview | None = None
        self.overrides: dict[str, str] = {}
        self.saved_tried = False  # the saved mapping for this file's header was looked up
        self.saved_from: tuple[int, str] | None = None  # (id, file) of the saved mapping in use
        self.headers: list[tuple[str, str]] = []
        self.year_override: int | None = None
        self.error_text = ""
        self.job: Job | None = None
        self.plan_id: int | None = None
        self.setWindowTitle(self.tr("Nhập kế hoạch từ Excel"))
        with db.session() as s:
            unit = s.get(Unit, unit_id)
            self.unit_name = unit.name if unit else ""
            self.unit_level = unit.level if unit else None

        # --- file and plan -----------------------------------------------------------------------
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.choose_button = QPushButton(self.tr("Chọn tệp…"))
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(self.tr("Tệp:")))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        self.title_edit = QLineEdit()
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText(self.tr("Ví dụ: 751/QĐ-UBND"))
        self.number_edit.setMaximumWidth(260)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setMaximumWidth(90)
        self.year_spin.setKeyboardTracking(False)
        self.year_spin.valueChanged.connect(self._year_changed)
        self.year_note = QLabel()
        self.year_note.setWordWrap(True)
        year_row = QHBoxLayout()
        year_row.addWidget(self.year_spin)
        year_row.addWidget(self.year_note, 1)
        plan_box = QGroupBox(self.tr("Kế hoạch của {unit}").format(unit=self.unit_name))
        form = QFormLayout(plan_box)
        form.addRow(self.tr("Tên kế hoạch:"), self.title_edit)
        form.addRow(self.tr("Số, ký hiệu:"), self.number_edit)
        form.addRow(self.tr("Năm:"), year_row)

        self.counts = QLabel()
        self.counts.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.source = QLabel()
        self.source.setStyleSheet("color: #555;")

        # --- preview tabs --------------------------------------------------------------------------
        self.tabs = QTabWidget()
        self.areas = QTreeWidget()
        self.areas.setColumnCount(5)
        self.areas.setHeaderLabels([self.tr("STT"), self.tr("Nhiệm vụ"), self.tr("Cơ quan chủ trì"),
                                    self.tr("Thời gian thực hiện"), self.tr("Hạn đọc được")])
        self.areas.setWordWrap(True)
        self.areas.setUniformRowHeights(False)
        self.areas.setItemDelegate(WrapDelegate(self.areas, max_lines=3))
        self.areas.setAlternatingRowColors(False)
        ah = self.areas.header()
        ah.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        ah.setStretchLastSection(False)
        for col, width in ((0, 70), (2, 190), (3, 220), (4, 110)):
            self.areas.setColumnWidth(col, width)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels([self.tr("Cột"), self.tr("Tiêu đề cột trong tệp"),
                                                self.tr("Dùng làm")])
        self.columns.verticalHeader().setVisible(False)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        ch = self.columns.horizontalHeader()
        ch.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.columns.setColumnWidth(0, 50)
        self.columns.setColumnWidth(2, 260)
        self.column_combos: dict[str, QComboBox] = {}
        self.review = QTreeWidget()
        self.review.setColumnCount(3)
        self.review.setHeaderLabels([self.tr("Dòng"), self.tr("Nội dung"), self.tr("Ghi chú")])
        self.review.setWordWrap(True)
        self.review.setUniformRowHeights(False)
        self.review.setItemDelegate(WrapDelegate(self.review, max_lines=4))
        rh = self.review.header()
        rh.setStretchLastSection(False)
        rh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.review.setColumnWidth(0, 110)
        self.review.setColumnWidth(2, 380)
        units_page = QWidget()
        ul = QVBoxLayout(units_page)
        self.units_hint = QLabel(self.tr(
            "Các tên dưới đây có trong bảng nhưng chưa có trong danh mục đơn vị. Đánh dấu “Tạo mới” để thêm "
            "vào danh mục (là đơn vị trực thuộc {unit}); không đánh dấu thì tên được giữ nguyên như trong "
            "bảng, chưa gắn với đơn vị nào.").format(unit=self.unit_name))
        self.units_hint.setWordWrap(True)
        self.units = QTableWidget(0, 2)
        self.units.setHorizontalHeaderLabels([self.tr("Tên trong bảng"), self.tr("Tạo mới")])
        self.units.verticalHeader().setVisible(False)
        self.units.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.units.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.units.setColumnWidth(1, 110)
        self.groups_note = QLabel()
        self.groups_note.setWordWrap(True)
        self.groups_note.setStyleSheet("color: #555;")
        ul.addWidget(self.units_hint)
        ul.addWidget(self.units, 1)
        ul.addWidget(self.groups_note)
        self.tabs.addTab(self.areas, self.tr("Lĩnh vực và nhiệm vụ"))
        self.tabs.addTab(self.columns, self.tr("Cột của bảng"))
        self.tabs.addTab(self.review, self.tr("Cần xem lại"))
        self.tabs.addTab(units_page, self.tr("Đơn vị chưa có"))

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("Nhập"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.do_import)
        self.cancel_button.clicked.connect(self.reject)

        self.placeholder = QLabel(self.tr(
            "Tệp cần có bảng nhiệm vụ, với dòng tiêu đề gồm các cột như “STT”, “Nhiệm vụ”, “Cơ quan chủ trì”, "
            "“Cơ quan phối hợp”, “Thời gian thực hiện” (bảng dán từ văn bản Word/PDF của kế hoạch vào Excel).\n"
            "Bấm “Chọn tệp…” để chọn tệp khác."))
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.placeholder.setStyleSheet("color: #444; padding: 8px;")
        self.body = QWidget()
        bl = QVBoxLayout(self.body)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(plan_box)
        summary = QHBoxLayout()
        summary.addWidget(self.counts)
        summary.addStretch(1)
        summary.addWidget(self.source)
        bl.addLayout(summary)
        bl.addWidget(self.tabs, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(file_row)
        lay.addWidget(self.banner)
        lay.addWidget(self.body, 1)
        lay.addWidget(self.placeholder, 1)
        lay.addWidget(self.buttons)
        fit_dialog(self, 1060, 720)
        self._set_state()
        if path:
            self.set_file(path)

    # --- reading -------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path = choose_plan_file(self)
        if path:
            self.set_file(path)

    def set_file(self, path: str | Path) -> None:
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self.overrides = {}
        self.saved_tried, self.saved_from = False, None
        self.year_override = None
        self.run_preview()

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.running

    def run_preview(self) -> None:
        if self.path is None:
            return
        path, mapping, year = self.path, dict(self.overrides), self.year_override
        self.preview = None
        self.error_text = ""
        self._set_state()
        job = Job(self, lambda _progress: preview_plan_file(path, mapping or None, year=year), self._preview_ready)
        job.with_progress(self.tr("Đang đọc bảng nhiệm vụ trong tệp “{name}”…").format(name=path.name))
        job.failure(self._preview_failed).on_cancel(self._preview_cancelled)
        self.job = job
        job.run_in_background()

    def _preview_ready(self, preview: PlanPreview) -> None:
        headers = [(c.letter, c.header) for c in preview.columns]
        with self.db.session() as s:
            check_units(preview, s)
            saved = saved_mapping(s, "plan", headers) if not self.overrides and not self.saved_tried else None
        self.saved_tried = True
        if saved is not None:
            # The columns this office's table was mapped with last time: offered (applied, and said so).
            self.overrides = dict(saved.mapping)
            self.saved_from = (saved.id, saved.file_name or "")
            self.run_preview()
            return
        self.headers = headers
        self.preview = preview
        self._show_preview(preview)
        self._set_state()

    def _preview_failed(self, exc: BaseException) -> None:
        if is_refusal(exc):
            self.error_text = str(exc)
        else:  # a defect: the crash log and dialog, not its English text
            self.error_text = self.tr("Không đọc được tệp “{name}”.").format(name=self.path.name if self.path else "")
        self.preview = None
        self._set_state()
        if not is_refusal(exc):
            show_failure(self, exc)

    def _preview_cancelled(self) -> None:
        self.error_text = self.tr("Đã dừng đọc tệp. Chưa nhập gì.")
        self.preview = None
        self._set_state()

    # --- showing the preview -------------------------------------------------------------------

    def _set_state(self) -> None:
        p = self.preview
        ok = p is not None and not p.ambiguous and p.task_count > 0 and not self.busy
        self.import_button.setEnabled(ok)
        self.body.setVisible(p is not None)
        self.placeholder.setVisible(p is None and not self.busy)
        if self.error_text:
            self._banner(self.error_text + "\n" + self.tr("Chưa nhập gì vào cơ sở dữ liệu."), _BANNER_ERROR)
        elif p is None:
            if self.path is None:
                self._banner(self.tr("Chọn tệp Excel (.xlsx) chứa bảng nhiệm vụ của kế hoạch."), _BANNER_WARN)
            else:
                self.banner.hide()
        elif p.ambiguous:
            self._banner(self.tr("Chưa rõ một số cột của bảng — hãy chọn ở thẻ “Cột của bảng” (ô tô đỏ):\n")
                         + "\n".join(a.message.split(" Chọn bằng --map")[0] for a in p.ambiguities), _BANNER_ERROR)
        elif p.task_count == 0:
            self._banner(self.tr("Không thấy nhiệm vụ nào dưới dòng tiêu đề. Kiểm tra lại cột “Nhiệm vụ” ở thẻ "
                                 "“Cột của bảng”."), _BANNER_ERROR)
        else:
            problems = len(p.unplaced) + len(p.flagged)
            if problems:
                self._banner(self.tr("Đọc được bảng. Có {n} dòng cần xem lại (thẻ “Cần xem lại”); vẫn có thể "
                                     "nhập, các dòng không xếp được sẽ không được nhập.").format(n=problems),
                             _BANNER_WARN)
            else:
                self._banner(self.tr("Đọc được bảng. Kiểm tra lại rồi bấm “Nhập”."), _BANNER_OK)
            if self.saved_from is not None:
                self.banner.setText(self.banner.text() + "\n" + self.tr(
                    "Dùng cách chọn cột đã lưu khi nhập tệp “{f}” (bảng có cùng dòng tiêu đề); có thể chọn lại ở "
                    "thẻ “Cột của bảng”.").format(f=self.saved_from[1]))

    def _banner(self, text: str, style: str) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(style)
        self.banner.show()

    def _show_preview(self, p: PlanPreview) -> None:
        self.title_edit.setText(p.draft.title)
        self.number_edit.setText(p.draft.document_number or "")
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(self.year_override or p.draft.year_from)
        self.year_spin.blockSignals(False)
        if p.draft.year_from != p.draft.year_to:
            note = self.tr("giai đoạn {a}–{b} (theo dòng tiêu đề); năm ghi ở đây dùng để đọc thời hạn không "
                           "ghi năm").format(a=p.draft.year_from, b=p.draft.year_to)
            self.year_note.setStyleSheet("")
        elif p.year_source == "none" and self.year_override is None:
            note = self.tr("không thấy năm của kế hoạch trong tệp: hãy chọn năm đúng")
            self.year_note.setStyleSheet(f"color: {SOON_TEXT.name()}; font-weight: bold;")
        else:
            note = self.tr("theo dòng tiêu đề") if p.year_source == "title" else self.tr("đã chọn")
            self.year_note.setStyleSheet("color: #555;")
        self.year_note.setText(note)
        self.counts.setText(self.tr("{a} lĩnh vực · {t} nhiệm vụ · {h} hoạt động").format(
            a=format_number(p.area_count), t=format_number(p.task_count), h=format_number(p.activity_count)))
        self.source.setText(self.tr("Trang tính “{sheet}”, dòng tiêu đề {rows}").format(
            sheet=p.sheet, rows=", ".join(map(str, p.header_rows))))
        self._fill_areas(p)
        self._fill_columns(p)
        self._fill_review(p)
        self._fill_units(p)
        if p.ambiguous:
            self.tabs.setCurrentIndex(1)

    def _fill_areas(self, p: PlanPreview) -> None:
        self.areas.clear()
        bold = QFont()
        bold.setBold(True)
        by_area: dict[tuple, list] = {}
        for t in p.tasks:
            by_area.setdefault((t.area_numeral, t.area_title), []).append(t)
        for numeral, title, numbers in p.tasks_per_area:
            head = QTreeWidgetItem([self.tr("{area} — {n} nhiệm vụ ({nums})").format(
                area=". ".join(filter(None, [numeral, title])) or self.tr("(Chưa xếp lĩnh vực)"), n=len(numbers),
                nums=", ".join(n or "?" for n in numbers))])
            head.setFont(0, bold)
            head.setToolTip(0, head.text(0))
            for c in range(5):
                head.setBackground(c, QBrush(AREA_TINT))
            self.areas.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for t in by_area.get((numeral, title or None), []):
                due = "; ".join(format_date(d) for d in t.due_dates)
                if t.flagged:
                    due = (due + " " if due else "") + self.tr("⚑ chưa đọc được")
                acts = self.tr(" (+{n} hoạt động)").format(n=t.activities) if t.activities else ""
                item = QTreeWidgetItem([t.number or "", t.title + acts, t.lead or "", t.timeframe_text or "", due])
                for c in range(5):
                    item.setToolTip(c, item.text(c))
                if t.flagged:
                    item.setForeground(4, QBrush(SOON_TEXT))
                    item.setBackground(4, QBrush(SOON_TINT))
                for c in range(5):
                    horizontal = Qt.AlignmentFlag.AlignHCenter if c == 0 else Qt.AlignmentFlag.AlignLeft
                    item.setTextAlignment(c, horizontal | Qt.AlignmentFlag.AlignTop)
                head.addChild(item)
        self.areas.expandAll()

    def _fill_columns(self, p: PlanPreview) -> None:
        ambiguous_cols = {c for a in p.ambiguities for c in a.columns}
        self.columns.setRowCount(0)
        self.column_combos = {}
        for info in p.columns:
            r = self.columns.rowCount()
            self.columns.insertRow(r)
            letter = QTableWidgetItem(info.letter)
            letter.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            header = QTableWidgetItem(info.header.replace("\n", " "))
            header.setToolTip(info.header)
            combo = QComboBox()
            if info.letter in ambiguous_cols:
                combo.addItem(self.tr("— Chọn —"), _CHOOSE)
                for name in info.candidates:
                    combo.addItem(self.tr("{field} (gợi ý)").format(field=FIELDS[name]), name)
                for c in (letter, header):
                    c.setBackground(QBrush(OVERDUE_TINT))
                    c.setForeground(QBrush(OVERDUE_TEXT))
            for code, label in FIELDS.items():
                if combo.findData(code) < 0:
                    combo.addItem(label, code)
            current = info.field or ("ignore" if info.letter not in ambiguous_cols else _CHOOSE)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.setAccessibleName(self.tr("Cột {c}").format(c=info.letter))
            combo.currentIndexChanged.connect(lambda _i, col=info.letter, cb=combo: self._column_changed(col, cb))
            self.columns.setItem(r, 0, letter)
            self.columns.setItem(r, 1, header)
            self.columns.setCellWidget(r, 2, combo)
            self.column_combos[info.letter] = combo
        n = len(ambiguous_cols)
        self.tabs.setTabText(1, self.tr("Cột của bảng") + (self.tr(" ({n} cần chọn)").format(n=n) if n else ""))

    def _fill_review(self, p: PlanPreview) -> None:
        self.review.clear()
        bold = QFont()
        bold.setBold(True)

        def group(title: str, rows: list[tuple[str, str, str]], colour: QColor | None) -> None:
            if not rows:
                return
            head = QTreeWidgetItem([f"{title} ({len(rows)})"])
            head.setFont(0, bold)
            self.review.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for row, text, note in rows:
                item = QTreeWidgetItem([row, text, note])
                for c in range(3):
                    item.setToolTip(c, item.text(c))
                if colour is not None:
                    item.setForeground(2, QBrush(colour))
                head.addChild(item)

        group(self.tr("Dòng không xếp được (sẽ không được nhập)"),
              [(self.tr("dòng {n}").format(n=n.row), n.text, n.reason) for n in p.unplaced], OVERDUE_TEXT)
        group(self.tr("Thời hạn chưa đọc được (giữ nguyên chữ, cần người đọc lại)"),
              [(self.tr("dòng {n}").format(n=t.source_row) if t.source_row else "",
                f"{t.area_numeral or ''}.{t.number or ''} {t.title}".strip(" ."), t.timeframe_text or "")
               for t in p.flagged], SOON_TEXT)
        group(self.tr("Ghi chú khi đọc bảng"),
              [(self.tr("dòng {n}").format(n=n.row), n.text, n.reason) for n in p.notes], None)
        if not self.review.topLevelItemCount():
            self.review.addTopLevelItem(QTreeWidgetItem([self.tr("Không có dòng nào cần xem lại.")]))
            self.review.topLevelItem(0).setFirstColumnSpanned(True)
        self.review.expandAll()
        n = len(p.unplaced) + len(p.flagged)
        self.tabs.setTabText(2, self.tr("Cần xem lại") + (f" ({n})" if n else ""))

    def _fill_units(self, p: PlanPreview) -> None:
        self.units.setRowCount(0)
        for name in p.unknown_units:
            r = self.units.rowCount()
            self.units.insertRow(r)
            self.units.setItem(r, 0, QTableWidgetItem(name))
            if self.unit_level is None or fits_under(name, Unit(name=self.unit_name, level=self.unit_level)):
                check = QTableWidgetItem(self.tr("Tạo mới"))
                check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                check.setCheckState(Qt.CheckState.Unchecked)
            else:  # a Sở or UBND under a commune: not offered; it belongs elsewhere in the tree
                check = QTableWidgetItem(self.tr("Không tạo ở đây (cơ quan cùng cấp hoặc cấp trên)"))
                check.setFlags(Qt.ItemFlag.ItemIsEnabled)
                check.setToolTip(self.tr("Thêm cơ quan này vào đúng chỗ trong cây đơn vị: Cài đặt → Đơn vị."))
            self.units.setItem(r, 1, check)
        self.groups_note.setText(
            self.tr("Tên chỉ nhóm đơn vị, giữ nguyên như trong bảng: {names}.").format(names="; ".join(p.group_names))
            if p.group_names else "")
        n = len(p.unknown_units)
        self.tabs.setTabText(3, self.tr("Đơn vị chưa có") + (f" ({n})" if n else ""))

    # --- corrections ---------------------------------------------------------------------------

    def _column_changed(self, letter: str, combo: QComboBox) -> None:
        value = combo.currentData()
        if value == _CHOOSE:
            self.overrides.pop(letter, None)
            self.saved_from = None  # the user's own choice from now on
        else:
            self.saved_from = None
            if value != "ignore":
                # one column per field: choosing it here takes it from any column chosen before
                self.overrides = {c: f for c, f in self.overrides.items() if f != value}
            self.overrides[letter] = value
        self.run_preview()

    def set_column(self, letter: str, field: str) -> None:
        combo = self.column_combos[letter]
        combo.setCurrentIndex(combo.findData(field))

    def _year_changed(self, value: int) -> None:
        self.year_override = value
        self.run_preview()

    def units_to_create(self) -> list[str]:
        names = []
        for r in range(self.units.rowCount()):
            item = self.units.item(r, 1)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and item.checkState() == Qt.CheckState.Checked:
                names.append(self.units.item(r, 0).text())
        return names

    # --- importing -----------------------------------------------------------------------------

    def do_import(self) -> None:
        p, path = self.preview, self.path
        if p is None or path is None or p.ambiguous or self.busy:
            return
        title = " ".join(nfc(self.title_edit.text()).split())
        if not title:
            QMessageBox.warning(self, self.tr("Thiếu tên kế hoạch"), self.tr("Hãy nhập tên kế hoạch."))
            self.title_edit.setFocus()
            return
        number = nfc(self.number_edit.text()).strip() or None
        create = self.units_to_create()
        unit_id, db = self.unit_id, self.db
        chosen = bool(self.overrides) and self.saved_from is None  # columns the user chose here
        saved_id = self.saved_from[0] if self.saved_from is not None else None
        headers = list(self.headers)

        def work(progress: Progress) -> int:
            with db.transaction() as s:
                unit = s.get(Unit, unit_id)
                plan = import_plan_file(s, path, unit, title=title, number=number, create_units=create or None,
                                        preview=p)
                if chosen:  # remembered for the next table with this header (Cài đặt lists it)
                    remember_mapping(s, "plan", headers, p.mapping, file_name=p.file_name)
                elif saved_id is not None and (row := s.get(SavedMapping, saved_id)) is not None:
                    mark_used(row)
                progress(1, 1)  # cancelled: leaving by the exception rolls everything back
                return plan.id

        job = Job(self, work, lambda plan_id: self._imported(plan_id, create))
        job.with_progress(self.tr("Đang nhập {n} nhiệm vụ…").format(n=format_number(p.task_count)))
        job.failure(self._import_failed).on_cancel(lambda: self._import_failed(None))
        job.on_finish(self._set_state_after_failure)
        self.job = job
        self.import_button.setEnabled(False)
        job.run_in_background()

    def _imported(self, plan_id: int, created: list[str]) -> None:
        self.plan_id = plan_id
        self.imported.emit(plan_id, created)
        self.accept()

    def _import_failed(self, exc: BaseException | None) -> None:
        if exc is None:
            text = self.tr("Đã hủy. Chưa nhập gì vào cơ sở dữ liệu.")
        elif is_refusal(exc):
            text = str(exc) + "\n" + self.tr("Chưa nhập gì vào cơ sở dữ liệu.")
        else:
            text = self.tr("Không nhập được kế hoạch vì chương trình gặp lỗi ngoài dự kiến. Chưa nhập gì vào cơ sở "
                           "dữ liệu.")
        self._banner(text, _BANNER_ERROR)
        self._set_state_after_failure()
        if exc is None:  # the person who pressed "Hủy" needs no message box
            return
        if is_refusal(exc):
            show_refusal(self, exc, self.tr("Chưa nhập kế hoạch"), note=self.tr("Chưa nhập gì vào cơ sở dữ liệu."))
        else:
            show_failure(self, exc)

    def _set_state_after_failure(self) -> None:
        p = self.preview
        self.import_button.setEnabled(p is not None and not p.ambiguous and p.task_count > 0)

    def reject(self) -> None:
        if self.busy and self.job is not None:
            self.job.cancel()
        super().reject()
