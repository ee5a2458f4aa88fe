"""Running a user action: call the service, show a French message if it refuses.

Messages are shown window-modal with ``open()`` rather than ``exec()``: the event loop keeps
running (autosave timers, tests driving the window) and the box is a child of its window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from santeloc.domain.errors import DomainError
from santeloc.gui.widgets import busy

T = TypeVar("T")


def show_message(
    parent: QWidget | None, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning
) -> QMessageBox:
    """Show a message without blocking; returns the box (closed by the user or a test)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("santelocMessage")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm(parent: QWidget, title: str, text: str, accept_label: str, on_accept: Callable[[], None]) -> QMessageBox:
    """Ask a yes/no question without blocking; ``on_accept`` runs only if the user accepts."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("santelocConfirm")
    yes = box.addButton(accept_label, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished() -> None:
        if box.clickedButton() is yes:
            on_accept()

    box.finished.connect(finished)
    box.open()
    return box


def run_action(parent: QWidget | None, title: str, action: Callable[[], T]) -> T | None:
    """Run ``action``; on a :class:`DomainError` show its French message and return None.

    One call is one user action: the service behind it commits all or nothing, so after a
    refusal the database is exactly as it was. The wait cursor shows while it runs.
    """
    try:
        with busy():
            return action()
    except DomainError as exc:
        show_message(parent, title, exc.message)
    return None


def attempt(parent: QWidget | None, title: str, action: Callable[[], object]) -> bool:
    """Like :func:`run_action` for actions that return nothing: True when it went through."""
    try:
        with busy():
            action()
    except DomainError as exc:
        show_message(parent, title, exc.message)
        return False
    return True
