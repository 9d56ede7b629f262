"""Long work and its progress: the one callback every long core function takes.

A long core function (import, consolidation, export, reading a big plan) takes a ``progress``
argument and calls ``progress(done, total, label)`` as it goes. The caller's callback may raise
``Cancelled`` (the user pressed "Hủy"); the function lets it pass, so the transaction it is in
rolls back and a cancelled job writes nothing. The GUI's callback lives in ``gui.jobs``; the CLI
passes none.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Cancelled", "Progress", "no_progress", "report"]


class Cancelled(Exception):  # noqa: N818 - the word the user pressed, not an error
    """Raised by a ``Progress`` callback when the user cancelled the work."""


class Progress(Protocol):
    def __call__(self, done: int, total: int, label: str = "") -> None:
        """``done`` of ``total`` steps; ``label`` says what is being done (Vietnamese), or ""."""


def no_progress(done: int, total: int, label: str = "") -> None:
    """A ``Progress`` that shows nothing and never cancels."""


def report(progress: Progress | None, done: int, total: int, label: str = "") -> None:
    """Call ``progress`` when there is one (core functions take ``progress=None``)."""
    if progress is not None:
        progress(done, total, label)
