"""A column-mapping step with a preview, for the tables users bring (professionals…)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.widgets import fit_dialog
from santeloc.services.tables import RawTable

NONE = -1
PREVIEW_ROWS = 12


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def guess(
    headers: Sequence[str], fields: Sequence[tuple[str, str]], words: Mapping[str, Sequence[str]]
) -> dict[str, int]:
    """First column whose title contains one of a field's words (accents and case aside)."""
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for key, _label in fields:
        for index, header in enumerate(headers):
            if index not in taken and any(word in _plain(header) for word in words.get(key, ())):
                mapping[key] = index
                taken.add(index)
                break
    return mapping


class MappingDialog(QDialog):
    """Choose which column holds each field; the errors of a check are shown below, by line."""

    def __init__(
        self,
        title: str,
        table: RawTable,
        fields: Sequence[tuple[str, str]],
        guessed: dict[str, int],
        parent: QWidget | None = None,
        *,
        question: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mappingDialog")
        self.setWindowTitle(title)
        fit_dialog(self, 860, 640)
        self.table = table
        self.fields = list(fields)
        layout = QVBoxLayout(self)
        if question:  # e.g. a file without a header row: one short sentence, in bold
            asked = QLabel(f"<b>{question}</b>")
            asked.setObjectName("mappingQuestion")
            asked.setWordWrap(True)
            layout.addWidget(asked)
        layout.addWidget(QLabel(f"{len(table.rows)} ligne(s) de données. Indiquez la colonne de chaque information :"))
        box = QGroupBox("Correspondance des colonnes")
        form = QFormLayout(box)
        self.combos: dict[str, QComboBox] = {}
        for key, label in self.fields:
            combo = QComboBox()
            combo.setObjectName(f"map_{key}")
            combo.addItem("— aucune —", NONE)
            for index, header in enumerate(table.headers):
                combo.addItem(header or f"Colonne {index + 1}", index)
            if key in guessed:
                combo.setCurrentIndex(combo.findData(guessed[key]))
            form.addRow(label, combo)
            self.combos[key] = combo
        layout.addWidget(box)
        self.preview = QTableWidget(min(PREVIEW_ROWS, len(table.rows)), len(table.headers))
        self.preview.setHorizontalHeaderLabels(table.headers)
        self.preview.setVerticalHeaderLabels([f"ligne {row.line}" for row in table.rows[:PREVIEW_ROWS]])
        for row_index, row in enumerate(table.rows[:PREVIEW_ROWS]):
            for column, text in enumerate(row.cells[: len(table.headers)]):
                self.preview.setItem(row_index, column, QTableWidgetItem(text))
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.preview, 1)
        self.errors_label = QLabel()
        self.errors_label.setWordWrap(True)
        self.errors_label.setStyleSheet("color: #a33;")
        self.errors = QListWidget()
        self.errors.setObjectName("mappingErrors")
        self.errors_label.hide()
        self.errors.hide()
        layout.addWidget(self.errors_label)
        layout.addWidget(self.errors, 1)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Vérifier et importer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def mapping(self) -> dict[str, int]:
        """Column index chosen for each field."""
        return {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData() != NONE}

    def show_errors(self, errors: Sequence[tuple[int, str]]) -> None:
        """List the errors by line; nothing was imported."""
        self.errors.clear()
        for line, message in errors[:500]:
            self.errors.addItem(f"Ligne {line} : {message}" if line else message)
        self.errors_label.setText(
            f"<b>Rien n'a été importé</b> : {len(errors)} ligne(s) en erreur. Corrigez le fichier puis recommencez."
        )
        self.errors_label.show()
        self.errors.show()
