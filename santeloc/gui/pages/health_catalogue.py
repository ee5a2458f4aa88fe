"""Step 1: the dialog choosing catalogue indicators to add."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.indicators import CATALOGUE, THEMES
from santeloc.gui.widgets import fit_dialog, names_get_width


class CatalogueDialog(QDialog):
    """Choose catalogue indicators to add, grouped by theme."""

    def __init__(self, present: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogueDialog")
        self.setWindowTitle("Catalogue des indicateurs de santé")
        fit_dialog(self, 720, 640)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Cochez les indicateurs à suivre ; vous saisirez ou importerez leurs valeurs ensuite."))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Indicateur", "Unité", "Source habituelle"])
        for key, label in THEMES:
            theme_item = QTreeWidgetItem([label])
            theme_item.setFlags(theme_item.flags() | Qt.ItemFlag.ItemIsAutoTristate | Qt.ItemFlag.ItemIsUserCheckable)
            font = QFont(theme_item.font(0))
            font.setBold(True)
            theme_item.setFont(0, font)
            for definition in (d for d in CATALOGUE if d.theme == key):
                child = QTreeWidgetItem([definition.label, definition.unit.label, definition.usual_source])
                child.setData(0, Qt.ItemDataRole.UserRole, definition.key)
                child.setToolTip(0, definition.description)
                present_already = definition.key in present
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Checked if present_already else Qt.CheckState.Unchecked)
                if present_already:
                    child.setDisabled(True)
                theme_item.addChild(child)
            self.tree.addTopLevelItem(theme_item)
        self.tree.expandAll()
        names_get_width(self.tree, name_minimum=260)
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox()
        buttons.addButton("Ajouter", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        """Keys of the checked, not yet present indicators."""
        keys = []
        for i in range(self.tree.topLevelItemCount()):
            theme = self.tree.topLevelItem(i)
            assert theme is not None
            for j in range(theme.childCount()):
                child = theme.child(j)
                if child is not None and child.checkState(0) == Qt.CheckState.Checked and not child.isDisabled():
                    keys.append(child.data(0, Qt.ItemDataRole.UserRole))
        return keys
