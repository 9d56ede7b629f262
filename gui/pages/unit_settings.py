"""Cài đặt → Đơn vị: the unit tree with levels and dates; add, rename, move, close, merge communes.

The same core functions as ``main.py units add|rename|move|close|merge`` (``core.org.unit_edits``,
``core.org.unit_lifetimes.merge_units``): codes are never re-used, every change is audited, a refusal
is shown in Vietnamese and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import Refused
from core.org.units import LEVEL_LABELS
from core.vnformat import date_problem, format_date, nfc
from gui.screen_fit import fit_dialog

CODE_ROLE = Qt.ItemDataRole.UserRole


class UnitForm(QDialog):
    """One change to the tree: the fields it needs, checked by core when "Ghi" is pressed."""

    def __init__(self, parent: QWidget, title: str, apply: Callable[[UnitForm], str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._apply = apply
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #8b1a1a;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Ghi"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.message = ""
        fit_dialog(self, 560, 200)

    def line(self, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        self.form.addRow(label, edit)
        return edit

    def combo(self, label: str, items: list[tuple[str, object]], current: object = None) -> QComboBox:
        box = QComboBox()
        for text, data in items:
            box.addItem(text, data)
        if current is not None:
            box.setCurrentIndex(max(0, box.findData(current)))
        self.form.addRow(label, box)
        return box

    def day(self, edit: QLineEdit, label: str, required: bool = True) -> date | None:
        text = nfc(edit.text()).strip()
        if not text and not required:
            return None
        value, problem = date_problem(text)
        if problem:
            raise Refused(self.tr("{label}: “{text}” {problem}.").format(label=label, text=text, problem=problem))
        return value

    def try_accept(self) -> None:
        try:
            self.message = self._apply(self)
        except Refused as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()


class UnitSettingsSection(QWidget):
    units_changed = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:  # noqa: ANN001 - db.engine.Database
        super().__init__(parent)
        self.db = db
        self.form: UnitForm | None = None
        self.tree = QTreeWidget()
        self.tree.setObjectName("unit_tree")
        self.tree.setHeaderLabels([self.tr("Đơn vị"), self.tr("Mã"), self.tr("Cấp"), self.tr("Hiệu lực từ"),
                                   self.tr("Đến"), self.tr("Ghi chú")])
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 120), (2, 150), (3, 95), (4, 95), (5, 260)):
            self.tree.setColumnWidth(col, width)
        header.setStretchLastSection(False)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, slot in (("add", self.tr("Thêm đơn vị…"), self.add),
                                ("rename", self.tr("Đổi tên…"), self.rename),
                                ("move", self.tr("Chuyển…"), self.move),
                                ("close", self.tr("Đóng đơn vị…"), self.close_unit),
                                ("merge", self.tr("Sáp nhập xã…"), self.merge)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            if key == "move":
                button.setToolTip(self.tr("Chuyển đơn vị đang chọn sang trực thuộc đơn vị cha khác"))
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #1e5e2e;")
        intro = QLabel(self.tr("Cây đơn vị với cấp và thời gian hiệu lực. Mã đơn vị không được dùng lại; "
                               "đơn vị thôi tồn tại được đóng (giữ nguyên số liệu), không bị xóa. "
                               "Mọi thay đổi được ghi nhật ký."))
        intro.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(row)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.notice)
        self.refresh()

    # --- the tree ------------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        from core.org.unit_lifetimes import merge_map
        from core.org.units import unit_tree

        select = select or self.current_code()
        with self.db.session() as s:
            rows = unit_tree(s)
            olds, new = merge_map(s)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        today = date.today()
        for r in rows:
            notes = []
            if r.id in olds:
                notes.append(self.tr("sáp nhập từ {codes}").format(codes=", ".join(c for c, _ in olds[r.id])))
            if r.id in new:
                notes.append(self.tr("đã sáp nhập vào {code}").format(code=new[r.id][0]))
            item = QTreeWidgetItem([r.name, r.code, r.level_label, format_date(r.valid_from),
                                    format_date(r.valid_to), "; ".join(notes)])
            item.setData(0, CODE_ROLE, r.code)
            if not r.active_on(today):
                for col in range(6):
                    item.setForeground(col, Qt.GlobalColor.gray)
            parent = items.get(r.parent_code or "")
            (parent.addChild(item) if parent is not None else self.tree.addTopLevelItem(item))
            items[r.code] = item
        self.tree.expandAll()
        if select in items:
            self.tree.setCurrentItem(items[select])
        self._update_buttons()

    def current_code(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, CODE_ROLE) if item is not None else None

    def codes(self) -> list[str]:
        out = []

        def walk(item: QTreeWidgetItem) -> None:
            out.append(item.data(0, CODE_ROLE))
            for i in range(item.childCount()):
                walk(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        return out

    def _update_buttons(self) -> None:
        chosen = self.current_code() is not None
        for key in ("rename", "move", "close"):
            self.buttons[key].setEnabled(chosen)

    def _unit_choices(self, with_top: bool = False, level: str | None = None) -> list[tuple[str, object]]:
        from core.org.units import unit_tree

        with self.db.session() as s:
            rows = [r for r in unit_tree(s) if r.valid_to is None and (level is None or r.level == level)]
        top = [(self.tr("(cấp cao nhất)"), None)] if with_top else []
        return top + [("    " * r.depth + f"{r.name} ({r.code})", r.code) for r in rows]

    # --- the changes -----------------------------------------------------------------------------

    def _open(self, title: str, build: Callable[[UnitForm], Callable[[UnitForm], str]]) -> UnitForm:
        holder: dict = {}
        form = UnitForm(self, title, lambda f: holder["apply"](f))
        holder["apply"] = build(form)
        form.accepted.connect(lambda: self._done(form))
        self.form = form
        form.open()
        return form

    def _done(self, form: UnitForm) -> None:
        self.notice.setText(form.message)
        self.refresh(select=getattr(form, "selected_code", None))
        self.units_changed.emit()

    def _write(self, form: UnitForm, change: Callable, message: Callable[[object], str]) -> str:
        with self.db.transaction() as s:
            unit = change(s)
            form.selected_code = unit.code
            return message(unit)

    def add(self) -> UnitForm:
        def build(f: UnitForm) -> Callable[[UnitForm], str]:
            code = f.line(self.tr("Mã đơn vị (mới):"), placeholder=self.tr("ví dụ MH.XHB"))
            name = f.line(self.tr("Tên đơn vị:"), placeholder=self.tr("ví dụ UBND xã Hòa Bình"))
            level = f.combo(self.tr("Cấp:"), [(label, key) for key, label in LEVEL_LABELS.items()], "xa")
            parent = f.combo(self.tr("Trực thuộc:"), self._unit_choices(with_top=True), self.current_code())
            since = f.line(self.tr("Hiệu lực từ ngày:"), placeholder=self.tr("dd/mm/yyyy (để trống nếu không rõ)"))

            def apply(f: UnitForm) -> str:
                from core.org.unit_edits import add_unit

                day = f.day(since, self.tr("Hiệu lực từ ngày"), required=False)
                return self._write(f, lambda s: add_unit(s, code.text(), name.text(), level.currentData(),
                                                         parent.currentData(), day),
                                   lambda u: self.tr("Đã thêm {name} ({code}).").format(name=u.name, code=u.code))
            return apply

        return self._open(self.tr("Thêm đơn vị"), build)

    def rename(self) -> UnitForm | None:
        code = self.current_code()
        if code is None:
            return None
        current = self.tree.currentItem().text(0)

        def build(f: UnitForm) -> Callable[[UnitForm], str]:
            name = f.line(self.tr("Tên mới của {code}:").format(code=code), current)

            def apply(f: UnitForm) -> str:
                from core.org.unit_edits import rename_unit

                return self._write(f, lambda s: rename_unit(s, code, name.text()),
                                   lambda u: self.tr("Đã đổi tên {code} thành “{name}”.").format(code=u.code,
                                                                                                name=u.name))
            return apply

        return self._open(self.tr("Đổi tên đơn vị"), build)

    def move(self) -> UnitForm | None:
        code = self.current_code()
        if code is None:
            return None

        def build(f: UnitForm) -> Callable[[UnitForm], str]:
            parent = f.combo(self.tr("Trực thuộc đơn vị:"), self._unit_choices(with_top=True))

            def apply(f: UnitForm) -> str:
                from core.org.unit_edits import move_unit

                return self._write(f, lambda s: move_unit(s, code, parent.currentData()),
                                   lambda u: self.tr("{name} nay trực thuộc {parent}.").format(
                                       name=u.name, parent=u.parent.name if u.parent else self.tr("cấp cao nhất")))
            return apply

        return self._open(self.tr("Chuyển đơn vị {code}").format(code=code), build)

    def close_unit(self) -> UnitForm | None:
        code = self.current_code()
        if code is None:
            return None

        def build(f: UnitForm) -> Callable[[UnitForm], str]:
            last = f.line(self.tr("Ngày cuối cùng còn tồn tại:"), placeholder="dd/mm/yyyy")

            def apply(f: UnitForm) -> str:
                from core.org.unit_edits import close_unit

                day = f.day(last, self.tr("Ngày cuối cùng"))
                return self._write(f, lambda s: close_unit(s, code, day),
                                   lambda u: self.tr("{name} thôi tồn tại sau ngày {d}; số liệu được giữ.").format(
                                       name=u.name, d=format_date(u.valid_to)))
            return apply

        return self._open(self.tr("Đóng đơn vị {code}").format(code=code), build)

    def merge(self) -> UnitForm:
        def build(f: UnitForm) -> Callable[[UnitForm], str]:
            sources = QListWidget()
            sources.setMinimumHeight(140)
            for text, code in self._unit_choices(level="xa"):  # communes: the 2025 mergers
                item = QListWidgetItem(text.strip())
                item.setData(CODE_ROLE, code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if code == self.current_code() else Qt.CheckState.Unchecked)
                sources.addItem(item)
            f.form.addRow(self.tr("Các xã, phường cũ:"), sources)
            code = f.line(self.tr("Mã đơn vị mới:"), placeholder=self.tr("mã chưa từng dùng, ví dụ MH.XHB"))
            name = f.line(self.tr("Tên đơn vị mới:"), placeholder=self.tr("ví dụ UBND xã Hòa Bình"))
            on = f.line(self.tr("Ngày có hiệu lực:"), placeholder=self.tr("dd/mm/yyyy, ví dụ 01/07/2025"))
            f.form.addRow("", QLabel(self.tr("Các đơn vị cũ thôi tồn tại từ ngày hôm trước và giữ nguyên số liệu.")))
            fit_dialog(f, 640, 420)

            def apply(f: UnitForm) -> str:
                from core.org.unit_lifetimes import merge_units

                day = f.day(on, self.tr("Ngày có hiệu lực"))
                chosen = [sources.item(i).data(CODE_ROLE) for i in range(sources.count())
                          if sources.item(i).checkState() == Qt.CheckState.Checked]
                return self._write(f, lambda s: merge_units(s, code.text(), name.text(), chosen, day),
                                   lambda u: self.tr("Đã ghi nhận {name} ({code}) từ {d}, sáp nhập từ {olds}.").format(
                                       name=u.name, code=u.code, d=format_date(u.valid_from), olds=", ".join(chosen)))
            return apply

        return self._open(self.tr("Sáp nhập đơn vị"), build)

