"""Cài đặt › Thông tin báo cáo của đơn vị: the printed report's header and signature block
(Decree 30/2020/NĐ-CP), the unit's period rules (data cut-off day, due day) and how it rounds rates.

Values are stored through ``core.org.settings.set_settings``: every field is checked first and one
bad value stores nothing; the refusal is the core's Vietnamese message. The cut-off and due day
are inherited: an empty box follows the parent unit (or Decree 09/2019/NĐ-CP: 14 and 20).
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.org.report_header import header_info_from_settings
from core.org.settings import (
    SPECS,
    TITLE_PREFIXES,
    SettingError,
    all_settings,
    get_setting,
    period_rules_for,
    set_settings,
    setting_origin,
)
from core.periods import parse_period_code
from core.reports.pdf_layout import Signature, signature_block_lines
from core.vnformat import ROUNDING_RULES, dates_in_full, format_date
from db.engine import Database
from db.models import Unit

PREFIX_HELP = {
    "": "(không có)",
    "TM.": "TM. — thay mặt tập thể",
    "KT.": "KT. — ký thay người đứng đầu",
    "Q.": "Q. — quyền",
    "TL.": "TL. — thừa lệnh",
    "TUQ.": "TUQ. — thừa ủy quyền",
}
PLACEHOLDERS = {
    "report.superior_body": "Ví dụ: UBND TỈNH MINH HỌA",
    "report.issuing_body": "Ví dụ: SỞ NỘI VỤ",
    "report.document_number": "Ví dụ: 25/BC-UBND",
    "report.place": "Ví dụ: Gia Lai",
    "report.issue_date": "dd/mm/yyyy — để trống để ghi tay khi ký",
    "report.collective_body": "Ví dụ: ỦY BAN NHÂN DÂN",
    "report.head_title": "Ví dụ: CHỦ TỊCH",
    "report.position": "Ví dụ: PHÓ CHỦ TỊCH",
    "report.signer_name": "Ví dụ: Nguyễn Văn A",
    "report.recipients": "Mỗi dòng một nơi nhận, ví dụ:\nBộ Nội vụ\nUBND tỉnh",
    "report.distribution": "Mỗi dòng một mục, ví dụ:\nNhư trên;\nLưu: VT, NC.",
}
DOCUMENT_KEYS = ("report.superior_body", "report.issuing_body", "report.document_number", "report.place",
                 "report.issue_date", "report.recipients")
SIGNER_KEYS = ("report.title_prefix", "report.collective_body", "report.head_title", "report.position",
               "report.signer_name", "report.distribution")
PERIOD_KEYS = ("period.cutoff_day", "period.due_day")
RATE_KEYS = ("report.rounding",)


class ReportSettingsSection(QWidget):
    saved = Signal()  # settings of the unit changed: pages that show its periods refresh

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit_id: int | None = None
        self.period_code: str | None = None
        self.fields: dict[str, QWidget] = {}
        self.inherited_hints: dict[str, QLabel] = {}
        self.unit_label = QLabel()
        self.unit_label.setWordWrap(True)

        def group(title: str, keys: tuple[str, ...]) -> QGroupBox:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for key in keys:
                spec = SPECS[key]
                w = self._make_field(key)
                label = QLabel(self.tr(spec.label) + ":")
                label.setBuddy(w)
                if spec.help:
                    w.setToolTip(self.tr(spec.help))
                    label.setToolTip(self.tr(spec.help))
                if key in PERIOD_KEYS:
                    hint = QLabel()
                    hint.setStyleSheet("color: #555;")
                    self.inherited_hints[key] = hint
                    row = QHBoxLayout()
                    row.addWidget(w)
                    row.addWidget(hint, 1)
                    form.addRow(label, row)
                else:
                    form.addRow(label, w)
            return box

        self.document_box = group(self.tr("Văn bản báo cáo (thể thức theo Nghị định 30/2020/NĐ-CP)"), DOCUMENT_KEYS)
        self.signer_box = group(self.tr("Người ký và nơi nhận"), SIGNER_KEYS)
        self.period_box = group(self.tr("Kỳ báo cáo của đơn vị"), PERIOD_KEYS)
        rate_form = self.period_box.layout()
        for key in RATE_KEYS:
            w = self._make_field(key)
            w.setToolTip(self.tr(SPECS[key].help))
            rate_form.addRow(QLabel(self.tr(SPECS[key].label) + ":"), w)
        self.period_preview = QLabel()
        self.period_preview.setWordWrap(True)
        self.period_preview.setStyleSheet("color: #444;")
        self.period_box.layout().addRow(self.period_preview)
        self.signature_preview = QLabel()
        self.signature_preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.signature_preview.setStyleSheet("font-family: 'Liberation Serif', 'Times New Roman', serif;")
        preview_box = QGroupBox(self.tr("Khối chữ ký sẽ in"))
        QVBoxLayout(preview_box).addWidget(self.signature_preview)

        self.save_button = QPushButton(self.tr("Lưu cài đặt"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Hoàn lại"))
        self.revert_button.setToolTip(self.tr("Bỏ các thay đổi chưa lưu"))
        self.revert_button.clicked.connect(self.revert)
        self.message = QLabel()
        self.message.setObjectName("settings_message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.message, 1)

        grid = QGridLayout()
        grid.addWidget(self.document_box, 0, 0)
        grid.addWidget(self.period_box, 0, 1)
        grid.addWidget(self.signer_box, 1, 0)
        grid.addWidget(preview_box, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        inner = QWidget()
        v = QVBoxLayout(inner)
        v.addWidget(self.unit_label)
        v.addLayout(grid)
        v.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll, 1)
        lay.addLayout(buttons)

    def _make_field(self, key: str) -> QWidget:
        spec = SPECS[key]
        if spec.kind == "choice":
            w = QComboBox()
            labels = ROUNDING_RULES if key == "report.rounding" else {c: PREFIX_HELP.get(c, c) for c in TITLE_PREFIXES}
            for c, label in labels.items():
                w.addItem(self.tr(label), c)
        elif spec.kind == "list":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setFixedHeight(76)
            w.setPlaceholderText(self.tr(PLACEHOLDERS.get(key, "")))
        else:
            w = QLineEdit()
            w.setPlaceholderText(self.tr(PLACEHOLDERS.get(key, "")))
            if spec.kind == "int":
                w.setFixedWidth(60)
                w.setAlignment(Qt.AlignmentFlag.AlignRight)
        w.setObjectName(key)
        self.fields[key] = w
        return w

    # ----------------------------------------------------------------- load / save

    def set_unit(self, unit_id: int | None, period_code: str | None = None) -> None:
        if unit_id != self.unit_id:
            self.message.clear()
        self.unit_id, self.period_code = unit_id, period_code
        self.load()

    def revert(self) -> None:
        self.message.clear()
        self.load()

    def load(self) -> None:
        enabled = self.unit_id is not None
        for w in (self.document_box, self.signer_box, self.period_box, self.save_button, self.revert_button):
            w.setEnabled(enabled)
        if self.unit_id is None:
            self.unit_label.setText(self.tr("Chọn đơn vị ở thanh phía trên."))
            return
        with self.db.session() as s:
            unit = s.get(Unit, self.unit_id)
            values = all_settings(s, unit)
            own = {k: (o := setting_origin(s, unit, k)) is not None and o.id == unit.id for k in PERIOD_KEYS}
            fallback = {}  # what an empty box means: the parent's value (or the default) and where it comes from
            for k in PERIOD_KEYS:
                origin = setting_origin(s, unit.parent, k) if unit.parent is not None else None
                value = get_setting(s, unit.parent, k) if unit.parent is not None else SPECS[k].default
                fallback[k] = (value, origin.name if origin is not None else None)
            unit_name = unit.name
            printed = header_info_from_settings(s, unit)  # what the PDF prints now, defaults included
        self.unit_label.setText(self.tr(
            "Thông tin in trên báo cáo của <b>{unit}</b>. Các mục này dùng cho báo cáo Excel và PDF.").format(
            unit=unit_name))
        for key, w in self.fields.items():
            value = values.get(key)
            if isinstance(w, QComboBox):
                w.setCurrentIndex(max(w.findData(value or ""), 0))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText("\n".join(value or []))
            elif key in PERIOD_KEYS:
                w.setText(str(value) if own[key] else "")
                w.setPlaceholderText(str(value))
                v, who = fallback[key]
                self.inherited_hints[key].setText(
                    self.tr("Để trống: ngày {v}, theo {who}").format(v=v, who=who) if who
                    else self.tr("Để trống: ngày {v} (mặc định)").format(v=v))
            else:
                w.setText("" if value is None else str(value))
        self._show_defaults(printed)
        self._update_previews()

    def _show_defaults(self, printed) -> None:  # noqa: ANN001 - core.org.report_header.ReportHeaderInfo
        """An empty field shows what will print in its place (the defaults of core.org.report_header)."""
        collective = printed.authority_line[4:] if printed.authority_line.startswith("TM. ") else ""
        head = printed.acting_line.partition(" ")[2]
        defaults = {
            "report.superior_body": printed.superior_body, "report.issuing_body": printed.issuing_body,
            "report.document_number": printed.document_number.strip(), "report.place": printed.place,
            "report.collective_body": collective, "report.head_title": head, "report.position": printed.position,
            "report.recipients": "\n".join(printed.recipients), "report.distribution": "\n".join(printed.distribution),
        }
        for key, value in defaults.items():
            w = self.fields[key]
            text = (self.tr("Để trống sẽ in:\n{v}") if isinstance(w, QPlainTextEdit) else
                    self.tr("Để trống sẽ in: {v}")).format(v=value) if value else self.tr(PLACEHOLDERS.get(key, ""))
            w.setPlaceholderText(text)
        if not printed.superior_body:
            self.fields["report.superior_body"].setPlaceholderText(self.tr("Để trống: không in dòng cơ quan chủ quản"))
        if not head:
            self.fields["report.head_title"].setPlaceholderText(
                self.tr("Chỉ cần khi ký KT., Q., TL., TUQ.: ví dụ CHỦ TỊCH"))
        self.fields["report.signer_name"].setPlaceholderText(self.tr("Chưa có: PDF để trống chỗ ghi họ tên"))
        prefix = printed.authority_line.split(" ")[0] if printed.authority_line else ""
        combo = self.fields["report.title_prefix"]
        combo.setItemText(0, self.tr("(để trống: in “{p}”)").format(p=prefix) if prefix in TITLE_PREFIXES and prefix
                          else self.tr(PREFIX_HELP[""]))

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, w in self.fields.items():
            if isinstance(w, QComboBox):
                out[key] = w.currentData() or ""
            elif isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText().splitlines()
            else:
                out[key] = w.text()
        return out

    def save(self) -> bool:
        if self.unit_id is None:
            return False
        try:
            with self.db.transaction() as s:
                changed = set_settings(s, s.get(Unit, self.unit_id), self.values())
        except SettingError as exc:
            self._show(str(exc), error=True)
            return False
        self.load()
        if changed:
            labels = ", ".join(self.tr(SPECS[k].label) for k in changed)
            self._show(self.tr("Đã lưu: {labels}.").format(labels=labels), error=False)
            self.saved.emit()
        else:
            self._show(self.tr("Không có gì thay đổi."), error=False)
        return True

    def _show(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "color: #1b5e20;")

    def _update_previews(self) -> None:
        with self.db.session() as s:
            unit = s.get(Unit, self.unit_id)
            printed = header_info_from_settings(s, unit)
            rules = period_rules_for(s, unit)
        # The same lines the PDF prints (core.reports.pdf_layout.signature_block_lines), defaults included.
        lines, name = signature_block_lines(
            Signature(printed.authority_line, printed.acting_line, printed.position, printed.signer_name))
        top = "<br>".join(f"<b>{escape(line)}</b>" for line in lines)
        signer = escape(name) if name else self.tr("<i>(họ và tên người ký)</i>")
        self.signature_preview.setText(top + f"<br><br><br><br><b>{signer}</b>")
        example = parse_period_code(self.period_code or f"{date.today().year}-H1")
        self.period_preview.setText(self.tr("Ví dụ, kỳ {period}: {window}; hạn gửi báo cáo {due}.").format(
            period=example.label, window=dates_in_full(example.window_text(rules)),
            due=format_date(example.due_date(rules))))
