"""The main window's pages, each built the first time it is shown or asked for (start-up speed:
the window is filled as soon as the page on screen is; the others' modules load in the background)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStackedWidget, QWidget

if TYPE_CHECKING:
    from gui.pages import Page

__all__ = ["LazyPages"]


class LazyPages:
    """``pages[i]`` builds page ``i`` (``factories[i]()``) in place of its empty slot in ``stack``,
    then calls ``on_built(i, page)``; iterating yields the pages built so far."""

    def __init__(self, stack: QStackedWidget, factories: list[tuple[str, Callable[[], Page]]],
                 on_built: Callable[[int, Page], None]) -> None:
        self._stack = stack
        self._factories = factories
        self._on_built = on_built
        self._pages: list[Page | None] = [None] * len(factories)
        self._slots: list[QWidget] = []
        for _ in factories:
            slot = QWidget()
            self._slots.append(slot)
            stack.addWidget(slot)

    def __len__(self) -> int:
        return len(self._factories)

    def __getitem__(self, i: int) -> Page:
        page = self._pages[i]
        if page is None:
            page = self._factories[i][1]()
            self._pages[i] = page
            slot = self._slots[i]
            index = self._stack.indexOf(slot)
            self._stack.insertWidget(index, page)
            self._stack.removeWidget(slot)
            slot.deleteLater()
            self._on_built(i, page)
        return page

    def __iter__(self) -> Iterator[Page]:
        return (p for p in self._pages if p is not None)

    def module_names(self) -> list[str]:
        """The modules of the pages not built yet (to import them ahead, off the GUI thread)."""
        return [name for (name, _), page in zip(self._factories, self._pages, strict=True) if page is None]


def import_modules(names: list[str]) -> None:
    """Import ``names`` (a background job's work: the next page opens without waiting for them)."""
    for name in names:
        importlib.import_module(name)
