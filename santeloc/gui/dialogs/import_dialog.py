"""Importing an indicator table: read the file, map its columns with a preview, check, save.

Reading, checking and saving run off the GUI thread with a progress bar; the import is all
or nothing, and a file with errors lists them by line number and imports nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import format_int, plural
from santeloc.domain.indicators import THEMES, Unit
from santeloc.gui.context import AppContext
from santeloc.gui.ops import show_message
from santeloc.gui.widgets import fit_dialog
from santeloc.gui.workers import BackgroundTask, Report
from santeloc.services import indicators as svc
from santeloc.services.tables import RawTable, guess_mapping

PREVIEW_ROWS = 15
NONE = -1
TITLE = "Importer des indicateurs"


class IndicatorImportDialog(QDialog):
    """Column mapping with a preview, then a checked, all-or-nothing import."""

    def __init__(
        self,
        ctx: AppContext,
        project_id: int,
        table: RawTable,
        path: Path,
        parent: QWidget | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.labels = labels
        self.rows_after: list[svc.IndicatorRow] | None = None
        self.ctx = ctx
        self.project_id = project_id
        self.table = table
        self.path = path
        self.task: BackgroundTask | None = None
        self.imported = 0
        self.setObjectName("indicatorImportDialog")
        self.setWindowTitle(TITLE)
        fit_dialog(self, 980, 720)
        layout = QVBoxLayout(self)

        details = f"{path.name} — {plural(len(table.rows), 'ligne')} de données"
        if table.sheet:
            details += f", feuille « {table.sheet} »"
        else:
            sep = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}.get(
                table.separator, table.separator
            )
            details += f", encodage {table.encoding}, séparateur {sep}"
        if table.skipped_lines:
            details += f" ; {plural(len(table.skipped_lines), 'ligne')} d'en-tête ou de notes ignorée(s)"
        info = QLabel(details)
        info.setWordWrap(True)
        layout.addWidget(info)

        mapping_box = QGroupBox("Correspondance des colonnes")
        form = QFormLayout(mapping_box)
        guessed = guess_mapping(table.headers)
        self.combos: dict[str, QComboBox] = {}
        for key, label in svc.IMPORT_FIELDS:
            combo = QComboBox()
            combo.setObjectName(f"map_{key}")
            combo.addItem("— aucune —", NONE)
            for index, header in enumerate(table.headers):
                combo.addItem(header or f"Colonne {index + 1}", index)
            if key in guessed:
                combo.setCurrentIndex(combo.findData(guessed[key]))
            combo.currentIndexChanged.connect(self._refresh_preview)
            self.combos[key] = combo
            form.addRow(label, combo)
        layout.addWidget(mapping_box)

        defaults = QGroupBox("Valeurs pour tout le fichier (quand la colonne manque ou est vide)")
        defaults_layout = QHBoxLayout(defaults)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("defaultUnit")
        self.unit_combo.addItem("— à lire dans le fichier —", "")
        for unit in Unit:
            self.unit_combo.addItem(unit.label, unit.value)
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("defaultYear")
        self.year_spin.setRange(1949, 2100)
        self.year_spin.setSpecialValueText("—")
        self.year_spin.setValue(1949)
        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("defaultSource")
        self.source_edit.setPlaceholderText("par exemple : ORS Bourgogne-Franche-Comté, 2024")
        self.theme_combo = QComboBox()
        self.theme_combo.addItem("— à lire dans le fichier —", "")
        for key, label in THEMES:
            self.theme_combo.addItem(label, key)
        for caption, widget in (("Unité", self.unit_combo), ("Année", self.year_spin), ("Source", self.source_edit),
                                ("Thème", self.theme_combo)):  # fmt: skip
            defaults_layout.addWidget(QLabel(caption))
            defaults_layout.addWidget(widget, 1 if widget is self.source_edit else 0)
        layout.addWidget(defaults)

        layout.addWidget(QLabel(f"Aperçu des {PREVIEW_ROWS} premières lignes, telles qu'elles seront lues :"))
        self.preview = QTableWidget()
        self.preview.setObjectName("importPreview")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setVisible(True)
        layout.addWidget(self.preview, 2)

        self.errors = QListWidget()
        self.errors.setObjectName("importErrors")
        self.errors.setVisible(False)
        self.errors_label = QLabel()
        self.errors_label.setWordWrap(True)
        self.errors_label.setStyleSheet("color: #a33;")
        self.errors_label.setVisible(False)
        layout.addWidget(self.errors_label)
        layout.addWidget(self.errors, 1)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Vérifier et importer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.check_and_import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._refresh_preview()

    def mapping(self) -> dict[str, int]:
        """Column index chosen for each field."""
        return {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData() != NONE}

    def _refresh_preview(self) -> None:
        mapping = self.mapping()
        fields = [(key, label) for key, label in svc.IMPORT_FIELDS if key in mapping]
        self.preview.setColumnCount(len(fields))
        self.preview.setHorizontalHeaderLabels([label for _key, label in fields])
        rows = self.table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        self.preview.setVerticalHeaderLabels([f"ligne {r.line}" for r in rows])
        for row_index, raw in enumerate(rows):
            for column, (key, _label) in enumerate(fields):
                index = mapping[key]
                text = raw.cells[index] if index < len(raw.cells) else ""
                self.preview.setItem(row_index, column, QTableWidgetItem(text))
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if fields:
            self.preview.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def check_and_import(self) -> None:
        """Check every row off the GUI thread; import all of them, or none and list the errors."""
        mapping = self.mapping()
        year = self.year_spin.value() if self.year_spin.value() > 1949 else None
        unit = self.unit_combo.currentData()
        source = self.source_edit.text().strip()
        theme = self.theme_combo.currentData()
        table, project_id, ctx, labels = self.table, self.project_id, self.ctx, self.labels

        def job(report: Report) -> svc.ImportPreview | tuple[svc.IndicatorSaveReport, list[svc.IndicatorRow]]:
            preview = svc.prepare_import(
                table, mapping, default_unit=unit, default_year=year, default_source=source,
                default_theme=theme, progress=report,
            )  # fmt: skip
            if not preview.ok:
                return preview
            saved = svc.save_indicators(ctx.uow(), project_id, preview)  # a re-import updates, never doubles
            # Read the new list here too, so the window only has to show it.
            return saved, svc.list_indicators(ctx.uow(), project_id, labels)

        self.import_button.setEnabled(False)
        self.task = BackgroundTask(self, TITLE, "Vérification des lignes…", job)
        self.task.done.connect(self._done)
        self.task.failed.connect(lambda _m: self.import_button.setEnabled(True))
        self.task.start()

    def _done(self, result: object) -> None:
        self.import_button.setEnabled(True)
        if isinstance(result, tuple):
            saved, self.rows_after = result
            self.imported = saved.total
            self.ctx.saved.emit("Import enregistré")
            show_message(
                self.parentWidget(),
                TITLE,
                f"{plural(self.imported, 'indicateur importé', 'indicateurs importés')} : {saved.summary()}.",
                QMessageBox.Icon.Information,
            )
            self.accept()
            return
        assert isinstance(result, svc.ImportPreview)
        self.errors.clear()
        for line, message in result.errors[:500]:
            self.errors.addItem(f"Ligne {line} : {message}" if line else message)
        more = len(result.errors) - 500
        if more > 0:
            self.errors.addItem(f"… et {format_int(more)} autre(s) erreur(s).")
        self.errors_label.setText(
            f"<b>Rien n'a été importé</b> : {plural(len(result.errors), 'ligne')} en erreur. "
            "Corrigez le fichier (ou la correspondance des colonnes) puis recommencez."
        )
        self.errors_label.setVisible(True)
        self.errors.setVisible(True)
        self.errors.setFocus(Qt.FocusReason.OtherFocusReason)
