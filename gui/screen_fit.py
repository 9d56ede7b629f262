"""Windows that fit the screen: the most common office PC is a 1366×768 laptop whose taskbar leaves
1366×728, often at 125 % scale (1093×582 logical points).

``fit_dialog`` is the one way a dialog gets its size: the size it would like, cut down to the screen's
free area (less room for the title bar), then centred on its parent window and kept on the screen —
never at y = 0 with its buttons behind the taskbar. ``fit_main_window`` does the same for the frame.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

FRAME = QSize(16, 40)  # a Windows title bar and borders around the client area


def screen_of(widget: QWidget) -> QScreen:
    parent = widget.parentWidget()
    window = parent.window() if parent is not None else widget
    return window.screen() or QGuiApplication.primaryScreen()


def available(widget: QWidget) -> QRect:
    """The screen's free area (without the taskbar) where ``widget`` will appear."""
    return screen_of(widget).availableGeometry()


def fitted_size(widget: QWidget, width: int, height: int) -> QSize:
    area = available(widget)
    return QSize(min(width, area.width() - FRAME.width()), min(height, area.height() - FRAME.height()))


def centre_on_parent(widget: QWidget) -> None:
    """Centre on the parent window (or the screen) and keep the whole frame on the free area."""
    area = available(widget)
    parent = widget.parentWidget()
    anchor = parent.window().frameGeometry() if parent is not None else area
    frame = widget.frameGeometry()
    x = anchor.center().x() - frame.width() // 2
    y = anchor.center().y() - frame.height() // 2
    # Kept on the screen with room for a title bar and borders the window system may not have added yet.
    width = max(frame.width(), widget.width() + FRAME.width())
    height = max(frame.height(), widget.height() + FRAME.height())
    x = max(area.left(), min(x, area.right() + 1 - width))
    y = max(area.top(), min(y, area.bottom() + 1 - height))
    widget.move(QPoint(x, y))


class _CentreOnShow(QObject):
    def eventFilter(self, obj: QObject, event) -> bool:  # noqa: N802, ANN001 - Qt override
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget):
            centre_on_parent(obj)
        return False


def fit_dialog(dialog: QWidget, width: int, height: int) -> None:
    """Size ``dialog`` to ``width``×``height`` or the screen's free area, whichever is smaller; its minimum
    size is capped too, and each time it is shown it is centred on its parent and kept on the screen."""
    size = fitted_size(dialog, width, height)
    minimum = dialog.minimumSize()
    dialog.setMinimumSize(min(minimum.width(), size.width()), min(minimum.height(), size.height()))
    dialog.resize(size)
    if not hasattr(dialog, "_centre_on_show"):
        dialog._centre_on_show = _CentreOnShow(dialog)  # kept alive by the dialog
        dialog.installEventFilter(dialog._centre_on_show)


def fit_main_window(window: QWidget, width: int = 1280, height: int = 800) -> None:
    """The first start: ``width``×``height`` centred if the screen has room, else maximised on the free
    area (a 1366×768 laptop: 1280×800 would put the status bar behind the taskbar)."""
    size = fitted_size(window, width, height)
    window.resize(size)
    centre_on_parent(window)
    if size != QSize(width, height):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def fits_screen(widget: QWidget) -> bool:
    """The widget's frame lies inside the screen's free area (for tests and snapshots)."""
    return available(widget).contains(widget.frameGeometry())


def fit_popup_to_items(combo) -> None:  # noqa: ANN001 - QComboBox
    """The drop-down list as wide as its longest item (within the screen): "… (hết hiệu lực 30/06/2025)" is
    never cut to "…30/06/202"."""
    metrics = combo.view().fontMetrics()
    widest = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0)
    combo.view().setMinimumWidth(min(widest + 48, available(combo).width() - FRAME.width()))
