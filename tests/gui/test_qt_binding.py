"""Canary for the Qt binding: PySide6 6.12.0 decremented None on item data calls until Python aborted."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QApplication, QTreeWidgetItem


def test_item_calls_do_not_eat_references_to_none(qapp: QApplication) -> None:
    item = QTreeWidgetItem(["a"] * 10)
    calls = (
        lambda: item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        lambda: item.data(0, Qt.ItemDataRole.UserRole),
        lambda: item.setData(0, Qt.ItemDataRole.UserRole, 5),
        lambda: QStandardItem("x").setData(5, Qt.ItemDataRole.UserRole),
    )
    for call in calls:
        before = sys.getrefcount(None)
        for _ in range(2_000):
            call()
        # A correct binding leaves None's count unchanged (a few cached references at most).
        assert sys.getrefcount(None) - before > -50
