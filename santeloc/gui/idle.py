"""When the GUI thread has nothing left to do, for the threads that should not compete with it.

Background threads (drawing, completeness) share the interpreter with the GUI thread: while a
page is being laid out and painted — thousands of calls from Qt into Python — a thread doing
Python work makes each of those calls wait for the interpreter, and the window stalls. Such a
thread calls :meth:`GuiIdle.wait` before its work; the GUI thread calls :meth:`GuiIdle.busy`
when it asks for that work. The event is set again when the GUI thread's event loop is about
to wait (nothing left to process), or after a bounded wait.
"""

from __future__ import annotations

import functools
import threading

from PySide6.QtCore import QAbstractEventDispatcher, QObject
from shiboken6 import isValid

WAIT_S = 0.5  # the longest a background thread waits for the GUI thread to be idle


class GuiIdle(QObject):
    """Follows the GUI thread's event loop (build it in the GUI thread)."""

    def __init__(self) -> None:
        super().__init__()
        self._idle = threading.Event()
        self._dispatcher: QAbstractEventDispatcher | None = QAbstractEventDispatcher.instance()
        if self._dispatcher is not None:
            self._dispatcher.aboutToBlock.connect(self._on_idle)
        else:  # no event loop to follow: never wait
            self._idle.set()

    def _on_idle(self) -> None:
        self._idle.set()

    def busy(self) -> None:
        """GUI thread: work was just asked for; what the GUI thread does next comes first."""
        self._idle.clear()

    def wait(self, timeout: float = WAIT_S) -> bool:
        """Worker thread: wait (at most ``timeout`` seconds) for the GUI thread to be idle."""
        return self._idle.wait(timeout)

    def release(self) -> None:
        """Stop following the event loop and let every waiting thread go (at exit)."""
        if self._dispatcher is not None and isValid(self._dispatcher):
            self._dispatcher.aboutToBlock.disconnect(self._on_idle)
            self._dispatcher = None
        self._idle.set()


@functools.cache
def gui_idle() -> GuiIdle:
    """The one tracker, built on first use (from the GUI thread)."""
    return GuiIdle()
