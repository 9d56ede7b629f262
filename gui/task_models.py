"""The task tree of a plan: areas → tasks (→ sub-tasks) → activities, over ``task_statuses`` rows
(``core.plans.task_list``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QTextLayout
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from core.plans.status import DONE_STATUSES
from core.plans.task_list import ActivityRow, TaskStatusRow
from core.vnformat import format_date, format_number

Index = QModelIndex | QPersistentModelIndex

TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2

# Highlight colours, shared with the legend under the tree and the overview.
OVERDUE_TEXT = QColor("#b3261e")
OVERDUE_TINT = QColor("#fde7e5")
SOON_TEXT = QColor("#8a5300")
SOON_TINT = QColor("#fff3d6")
DONE_TEXT = QColor("#1b7a2f")
AREA_TINT = QColor("#e8eef6")


@dataclass(eq=False)
class _Node:
    kind: str  # "root" | "area" | "task" | "activity"
    parent: _Node | None
    heading: str = ""
    task: TaskStatusRow | None = None
    activity: ActivityRow | None = None
    children: list[_Node] = field(default_factory=list)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


def area_heading(numeral: str | None, title: str | None) -> str:
    return ". ".join(filter(None, [numeral, title])) or QCoreApplication.translate("TaskTreeModel",
                                                                                 "(Chưa xếp lĩnh vực)")


class TaskTreeModel(QAbstractItemModel):
    """Read-only; rows come from core only. Area rows are headings (the view spans them)."""

    HEADERS = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện", "Hạn", "Trạng thái", "% hoàn thành")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = _Node("root", None)
        self._by_task: dict[int, _Node] = {}
        self.task_count = 0

    # --- filling ----------------------------------------------------------------------------------

    def set_rows(self, rows: list[TaskStatusRow]) -> None:
        """Group by area in plan order; a sub-task ("1.2") hangs under its task ("1") when that is shown."""
        self.beginResetModel()
        self._root = _Node("root", None)
        self._by_task = {}
        areas: dict[tuple[str | None, str | None], _Node] = {}
        for r in rows:
            key = (r.area_numeral, r.area_title)
            area = areas.get(key)
            if area is None:
                area = _Node("area", self._root, heading=area_heading(*key))
                self._root.children.append(area)
                areas[key] = area
            parent = self._by_task.get(r.parent_id) if r.parent_id else None
            node = _Node("task", parent or area, task=r)
            node.parent.children.append(node)
            node.children.extend(_Node("activity", node, activity=a) for a in r.activities)
            self._by_task[r.id] = node
        self.task_count = sum(1 for r in rows if not r.is_group)
        self.endResetModel()

    # --- lookups ----------------------------------------------------------------------------------

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root  # type: ignore[return-value]

    def index_of_task(self, task_id: int) -> QModelIndex:
        node = self._by_task.get(task_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def task_at(self, index: Index) -> TaskStatusRow | None:
        node = self._node(index)
        while node.kind == "activity" and node.parent is not None:
            node = node.parent
        return node.task

    def is_area(self, index: Index) -> bool:
        return self._node(index).kind == "area"

    def area_rows(self) -> list[QModelIndex]:
        return [self.index(i, 0) for i in range(len(self._root.children))]

    # --- QAbstractItemModel -----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if 0 <= row < len(node.children) and 0 <= column < len(self.HEADERS):
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()  # type: ignore[assignment]
        up = node.parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()  # type: ignore[assignment]
        col = index.column()
        if role == KIND_ROLE:
            return node.kind
        if role == TASK_ID_ROLE:
            task = self.task_at(index)
            return task.id if task else None
        if node.kind == "area":
            return self._area_data(node, col, role)
        if node.kind == "activity":
            return self._activity_data(node, col, role)
        return self._task_data(node, col, role)

    def _area_data(self, node: _Node, col: int, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and col == 0:
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("{area}: {n} nhiệm vụ").format(area=node.heading, n=_count(node))
            return node.heading
        if role == Qt.ItemDataRole.FontRole:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(AREA_TINT)
        return None

    def _task_data(self, node: _Node, col: int, role: int):
        r = node.task
        assert r is not None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._task_text(r, col)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._task_tooltip(r, col, text)
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (0, 4, 6):
                align = Qt.AlignmentFlag.AlignHCenter if col != 6 else Qt.AlignmentFlag.AlignRight
                return int(align | Qt.AlignmentFlag.AlignTop)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.overdue:
                return QBrush(OVERDUE_TEXT)
            if r.status in DONE_STATUSES and col in (5, 6):
                return QBrush(DONE_TEXT)
            if r.due_soon and col in (4, 5):
                return QBrush(SOON_TEXT)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.overdue:
                return QBrush(OVERDUE_TINT)
            if r.due_soon:
                return QBrush(SOON_TINT)
            return None
        if role == Qt.ItemDataRole.FontRole and (r.is_group or (col == 5 and r.overdue)):
            f = QFont()
            f.setBold(True)
            return f
        return None

    def _task_text(self, r: TaskStatusRow, col: int) -> str:
        if col == 0:
            return r.number or ""
        if col == 1:
            return r.title
        if col == 2:
            return r.lead_unit_name or r.lead or ""
        if col == 3:
            return r.timeframe_text or ""
        if col == 4:
            if r.due_date:
                return format_date(r.due_date) + (" ⚑" if r.timeframe_flagged else "")
            return self.tr("Chưa đọc được") if r.timeframe_flagged else ""
        if col == 5:
            return "" if r.is_group else r.status_label
        if col == 6:
            return "" if r.percent_done is None else format_number(r.percent_done) + "%"
        return ""

    def _task_tooltip(self, r: TaskStatusRow, col: int, text: str) -> str:
        if col == 4 and r.timeframe_flagged:
            return self.tr("Thời gian thực hiện có phần chưa đọc được; hãy đọc lại: {t}").format(
                t=r.timeframe_text or "")
        if col == 5:
            notes = []
            if r.overdue:
                notes.append(self.tr("Đã quá hạn {d} mà chưa hoàn thành").format(d=format_date(r.due_date)))
            elif r.due_soon:
                notes.append(self.tr("Sắp đến hạn (trong 30 ngày)"))
            if r.evidence_count:
                notes.append(self.tr("{n} tài liệu kiểm chứng").format(n=r.evidence_count))
            if r.carried_from:
                notes.append(self.tr("chuyển từ kỳ {p}").format(p=r.carried_from))
            return "; ".join([text] + notes)
        return text

    def _activity_data(self, node: _Node, col: int, role: int):
        a = node.activity
        assert a is not None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return "–"
            if col == 1:
                return self.tr("Hoạt động: {t}").format(t=a.title)
            if col == 2:
                return a.lead or ""
            if col == 3:
                return a.timeframe_text or ""
            if col == 4:
                return format_date(a.due_date)
            return ""
        if role == Qt.ItemDataRole.FontRole and col == 1:
            f = QFont()
            f.setItalic(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#444444"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignHCenter if col in (0, 4) else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignTop)
        return None


def _count(node: _Node) -> int:
    n = 0
    for c in node.children:
        if c.kind == "task":
            n += 0 if c.task and c.task.is_group else 1
            n += _count(c)
    return n


class WrapDelegate(QStyledItemDelegate):
    """Row heights from the text wrapped to the column's width (QTreeView does not do this by itself),
    at most ``max_lines`` lines, the last one ending in "…" when cut; the full text is in the tooltip."""

    def __init__(self, view: QTreeView, max_lines: int = 3) -> None:
        super().__init__(view)
        self.view = view
        self.max_lines = max_lines
        # Row heights depend on the column widths: lay the rows out again (once) after a resize.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(view.doItemsLayout)
        view.header().sectionResized.connect(lambda *_: self._relayout.start())

    def _text_width(self, index: Index) -> int:
        col = index.column()
        if self.view.isFirstColumnSpanned(index.row(), index.parent()):
            width = self.view.viewport().width()
        else:
            width = self.view.header().sectionSize(col)
        if col == 0:
            depth, up = 0, index.parent()
            while up.isValid():
                depth += 1
                up = up.parent()
            width -= self.view.indentation() * (depth + 1)
        return max(width - 12, 20)

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        if option.text:
            option.text = clamp_lines(option.text, option.font, self._text_width(index), self.max_lines)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt override
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        fm = QFontMetrics(opt.font)
        width = self._text_width(index)
        if not opt.text:
            return QSize(width, fm.lineSpacing() + 6)
        rect = fm.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), opt.text)
        return QSize(width, max(rect.height(), fm.lineSpacing()) + 6)


def clamp_lines(text: str, font: QFont, width: int, max_lines: int) -> str:
    """``text`` wrapped at ``width``: its first ``max_lines`` lines, the last elided with "…" if cut."""
    text = text.replace("\n", "\u2028")  # item views break lines at U+2028
    layout = QTextLayout(text, font)
    layout.beginLayout()
    starts: list[int] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
        if len(starts) > max_lines:
            break
    layout.endLayout()
    if len(starts) <= max_lines:
        return text
    start = starts[max_lines - 1]
    rest = text[start:].replace("\u2028", " ")
    return text[:start] + QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)


class TaskTreeView(QTreeView):
    """The task tree: a task's expand arrow beside its first line, not centred in a row of three lines
    (where it looked like a line of its own)."""

    def drawBranches(self, painter, rect, index) -> None:  # noqa: N802, ANN001 - Qt override
        line = self.fontMetrics().height() + 8  # the first text line and the delegate's padding
        super().drawBranches(painter, QRect(rect.x(), rect.y(), rect.width(), min(rect.height(), line)), index)
