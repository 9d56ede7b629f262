"""Charts on screen: the same ``ChartData`` and the same layout as the printed report, painted with QPainter.

QtCharts stays out of the bundle (``build.spec`` excludes it): the shapes of ``core.reports.chart_drawing``
are painted directly, so the screen and the PDF cannot drift apart. Each chart can be copied as an image
(Ctrl+C, or the button) and saved as PNG.

``ChartsDialog`` shows a unit's charts for a period: task status per reform area, completion over the
periods of the year, and an indicator's trend (chosen from the form).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPainter,
    QPen,
    QPolygonF,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.reports.chart_drawing import Dot, Line, PolyLine, Rect, Text, layout
from core.reports.charts import ChartData
from gui.screen_fit import fit_dialog


def paint_chart(painter: QPainter, chart: ChartData, width: float, height: float, *, compact: bool = False) -> None:
    """Paint ``chart`` in a ``width`` × ``height`` box at the painter's origin (``compact``: no title, no
    legend, small type — a trend line beside a value)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    base = QFont(painter.font())
    cache: dict[tuple[float, bool], QFont] = {}

    def font(size: float, bold: bool = False) -> QFont:
        key = (size, bold)
        if key not in cache:
            f = QFont(base)
            f.setPointSizeF(size)
            f.setBold(bold)
            cache[key] = f
        return cache[key]

    def measure(text: str, size: float) -> float:
        return QFontMetricsF(font(size)).horizontalAdvance(text)

    for s in layout(chart, width, height, measure, title=not compact, size=7.5 if compact else 9,
                    legend=not compact):
        if isinstance(s, Rect):
            painter.fillRect(QRectF(s.x, s.y, s.w, s.h), QColor(s.fill))
        elif isinstance(s, Line):
            painter.setPen(QPen(QColor(s.color), s.width))
            painter.drawLine(QPointF(s.x1, s.y1), QPointF(s.x2, s.y2))
        elif isinstance(s, PolyLine):
            painter.setPen(QPen(QColor(s.color), s.width))
            painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in s.points]))
        elif isinstance(s, Dot):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(s.fill))
            painter.drawEllipse(QPointF(s.x, s.y), s.r, s.r)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        elif isinstance(s, Text):
            f = font(s.size, s.bold)
            painter.setFont(f)
            painter.setPen(QColor(s.color))
            w = QFontMetricsF(f).horizontalAdvance(s.text)
            x = s.x - (w / 2 if s.anchor == "middle" else w if s.anchor == "end" else 0)
            painter.drawText(QPointF(x, s.y), s.text)


class ChartView(QWidget):
    """One chart, repainted at the widget's size; copy as image, save as PNG."""

    def __init__(self, chart: ChartData | None = None, parent: QWidget | None = None, *, compact: bool = False
                 ) -> None:
        super().__init__(parent)
        self._chart = chart
        self.compact = compact
        self.setMinimumSize(*((160, 60) if compact else (480, 300)))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor("white"))
        self.setPalette(pal)
        QShortcut(QKeySequence.StandardKey.Copy, self, self.copy_image)

    @property
    def chart(self) -> ChartData | None:
        return self._chart

    def set_chart(self, chart: ChartData | None) -> None:
        self._chart = chart
        self.setAccessibleName(chart.title if chart else "")
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        painter = QPainter(self)
        if self._chart is not None:
            paint_chart(painter, self._chart, self.width(), self.height(), compact=self.compact)
        painter.end()

    def image(self, width: int = 1200, height: int = 700) -> QImage:
        """The chart as an image at a print-friendly size, on white."""
        img = QImage(width, height, QImage.Format.Format_ARGB32)
        img.fill(QColor("white"))
        if self._chart is not None:
            painter = QPainter(img)
            painter.scale(width / 800, width / 800)
            paint_chart(painter, self._chart, 800, height * 800 / width)
            painter.end()
        return img

    def copy_image(self) -> None:
        QGuiApplication.clipboard().setImage(self.image())

    def save_png(self, path: Path | str) -> Path:
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        if not self.image().save(str(path), "PNG"):
            raise OSError(path)
        return path


class ChartPanel(QWidget):
    """A chart with its two buttons: "Sao chép hình" and "Lưu ảnh PNG…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = ChartView()
        self.copy_button = QPushButton(self.tr("Sao chép hình"))
        self.copy_button.setToolTip(self.tr("Chép biểu đồ dạng hình ảnh để dán vào Word, Excel (Ctrl+C)"))
        self.save_button = QPushButton(self.tr("Lưu ảnh PNG…"))
        self.copy_button.clicked.connect(self.view.copy_image)
        self.save_button.clicked.connect(self._save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addLayout(buttons)

    def _save(self) -> None:
        chart = self.view.chart
        name = "BieuDo.png" if chart is None else f"Biểu đồ – {chart.title[:60]}.png".replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu biểu đồ"), name, self.tr("Ảnh PNG (*.png)"))
        if not path:
            return
        try:
            saved = self.view.save_png(path)
        except OSError:
            QMessageBox.warning(self, self.tr("Không lưu được"),
                                self.tr("Không ghi được tệp ảnh; hãy chọn thư mục khác."))
            return
        QMessageBox.information(self, self.tr("Đã lưu"), self.tr("Đã lưu biểu đồ: {0}").format(saved.name))


class ChartsDialog(QDialog):
    """A unit's charts for a period (tabs), read once when opened."""

    def __init__(self, db, unit_id: int, period_code: str, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle(self.tr("Biểu đồ"))
        fit_dialog(self, 900, 600)  # centred, never larger than the screen (1366×728)
        self._db = db
        self._unit_id = unit_id
        self._period = period_code
        self.tabs = QTabWidget()
        self.status_panel = ChartPanel()
        self.completion_panel = ChartPanel()
        self.trend_panel = ChartPanel()
        self.code_combo = QComboBox()
        trend = QWidget()
        tl = QVBoxLayout(trend)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Chỉ tiêu:")))
        row.addWidget(self.code_combo, 1)
        tl.addLayout(row)
        tl.addWidget(self.trend_panel, 1)
        self.tabs.addTab(self.status_panel, self.tr("Nhiệm vụ theo lĩnh vực"))
        self.tabs.addTab(self.completion_panel, self.tr("Hoàn thành qua các kỳ"))
        self.tabs.addTab(trend, self.tr("Chỉ tiêu qua các kỳ"))
        # For a unit with units below: receipts per period and one indicator across them.
        self.receipt_panel = ChartPanel()
        self.children_panel = ChartPanel()
        self.children_combo = QComboBox()
        below = QWidget()
        bl = QVBoxLayout(below)
        brow = QHBoxLayout()
        brow.addWidget(QLabel(self.tr("Chỉ tiêu:")))
        brow.addWidget(self.children_combo, 1)
        bl.addLayout(brow)
        bl.addWidget(self.children_panel, 1)
        self._below_tabs = [(self.receipt_panel, self.tr("Nhận báo cáo")),
                            (below, self.tr("Các đơn vị trực thuộc"))]
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        box = QVBoxLayout(self)
        box.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        box.addLayout(bottom)
        self._load()
        self.code_combo.currentIndexChanged.connect(lambda *_: self._load_trend())
        self.children_combo.currentIndexChanged.connect(lambda *_: self._load_children())
        self._load_trend()
        self._load_children()

    def _load(self) -> None:
        from sqlalchemy import select

        from core.forms import current_template
        from core.org.settings import rounding_rule
        from core.periods import parse_period_code
        from core.plans.overview import overview
        from core.reports.charts import completion_chart, overview_status_chart
        from core.returns.report_collect import year_completion
        from db.models import Indicator, Unit

        spec = parse_period_code(self._period)
        with self._db.session() as s:
            unit = s.get(Unit, self._unit_id)
            self._unit_code = unit.code
            self.status_panel.view.set_chart(overview_status_chart(overview(s, unit.id, spec.code)))
            self.completion_panel.view.set_chart(
                completion_chart(year_completion(s, unit, spec), spec.year, rounding_rule(s, unit)))
            template = current_template(s)
            rows = s.execute(select(Indicator.code, Indicator.name).where(
                Indicator.template_id == template.id, Indicator.kind == "value",
                Indicator.value_type.in_(("integer", "decimal", "percent"))).order_by(Indicator.sort_order)).all()
            self.has_children = bool(s.scalar(select(Unit.id).where(Unit.parent_id == unit.id).limit(1)))
            if self.has_children:
                from core.intake.completeness_chart import receipt_chart

                self.receipt_panel.view.set_chart(receipt_chart(s, unit.id, spec.code))
        for code, name in rows:
            self.code_combo.addItem(f"{code}. {name}", code)
            self.children_combo.addItem(f"{code}. {name}", code)
        if self.has_children:
            for widget, title in self._below_tabs:
                self.tabs.addTab(widget, title)

    def _load_children(self) -> None:
        from core.intake.completeness_chart import children_indicator_chart

        code = self.children_combo.currentData()
        if not code or not self.has_children:
            return
        with self._db.session() as s:
            self.children_panel.view.set_chart(children_indicator_chart(s, self._unit_id, self._period, code))

    def _load_trend(self) -> None:
        from core.reports.charts import indicator_trend_chart
        from core.returns.history import trend_table

        code = self.code_combo.currentData()
        if not code:
            return
        with self._db.session() as s:
            table = trend_table(s, self._unit_code, [code], None, self._period)
        self.trend_panel.view.set_chart(indicator_trend_chart(table))
