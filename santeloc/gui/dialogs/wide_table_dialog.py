"""Importing a territory × indicators table (INSEE Statistiques locales, CartoSanté, Odissé…).

The user confirms the level of the codes (or picks the rows of their territory for another
zoning, from a searchable list), ticks the indicator columns, and sees the summary the service
returns: what was aggregated, how many cells were "not available". All figures come from
``services.indicator_tables``; this dialog only shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import DomainError
from santeloc.gui.context import AppContext
from santeloc.gui.dialogs.import_dialog import IndicatorImportDialog
from santeloc.gui.ops import show_message
from santeloc.services import indicators as svc
from santeloc.services.indicator_tables import (
    LEVELS,
    RowsNeededError,
    detect_table,
    import_wide_table,
    prepare_wide_import,
    territory_codes,
)
from santeloc.services.tables import RawTable, WideLayout, read_table

TITLE = "Importer un tableau par territoire"


class WideTableDialog(QDialog):
    """Level, rows and indicator columns of a wide table; checked then saved all or nothing."""

    def __init__(
        self,
        ctx: AppContext,
        project_id: int,
        table: RawTable,
        layout: WideLayout,
        path: Path,
        parent: QWidget | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wideTableDialog")
        self.setWindowTitle(TITLE)
        self.resize(900, 680)
        self.ctx, self.project_id, self.table, self.wide, self.path, self.labels = (
            ctx, project_id, table, layout, path, labels,
        )  # fmt: skip
        self.rows_after: list[svc.IndicatorRow] | None = None
        box = QVBoxLayout(self)
        code_header = table.headers[layout.code_column]
        intro = QLabel(
            f"{path.name} : un territoire par ligne ({len(layout.data_rows)} lignes), un indicateur par colonne ; "
            f"codes dans la colonne « {code_header} »."
        )
        intro.setWordWrap(True)
        box.addWidget(intro)
        if layout.zoning is not None:  # what the level was recognised from (metadata line, codes…)
            level_note = QLabel(
                f"Niveau reconnu : {layout.zoning.label} (d'après "
                f"{'la' if layout.zoning.evidence.startswith(('ligne', 'colonne')) else 'les'} "
                f"{layout.zoning.evidence})."
            )
            level_note.setObjectName("wideLevelNote")
            level_note.setWordWrap(True)
            box.addWidget(level_note)
        form = QFormLayout()
        self.sheet_combo = sheet_combo(table)
        if self.sheet_combo is not None:
            form.addRow("Feuille", self.sheet_combo)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("wideLevel")
        for key, label in LEVELS:
            self.level_combo.addItem(label, key)
        self.level_combo.setCurrentIndex(max(self.level_combo.findData(layout.level), 0))
        form.addRow("Les codes désignent", self.level_combo)
        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("wideSource")
        self.source_edit.setPlaceholderText("par exemple : Insee, Statistiques locales, 2024")
        self.source_edit.setText(layout.source)  # recognised from the file's title lines
        form.addRow("Source", self.source_edit)
        box.addLayout(form)
        self.rows_label = QLabel("Lignes de votre territoire (cochez-les) :")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Chercher un nom ou un code…")
        self.rows_list = QListWidget()
        self.rows_list.setObjectName("wideRows")
        name = layout.name_column
        for i in layout.data_rows:
            cells = table.rows[i].cells
            code = cells[layout.code_column].strip()
            text = f"{code} — {cells[name].strip()}" if name is not None and name < len(cells) else code
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, code)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.rows_list.addItem(entry)
        for widget in (self.rows_label, self.search, self.rows_list):
            box.addWidget(widget)
        box.addWidget(QLabel("Indicateurs à importer :"))
        self.columns = QListWidget()
        self.columns.setObjectName("wideColumns")
        for column in layout.indicators:
            details = ", ".join(part for part in (column.unit.label if column.unit else "", column.period) if part)
            missing = f" — {column.missing} case(s) non disponible(s)" if column.missing else ""
            entry = QListWidgetItem(f"{column.label}" + (f" ({details})" if details else "") + missing)
            entry.setData(Qt.ItemDataRole.UserRole, column.index)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked)
            self.columns.addItem(entry)
        box.addWidget(self.columns, 1)
        self.message = QLabel()
        self.message.setObjectName("wideMessage")
        self.message.setWordWrap(True)
        box.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("Vérifier et importer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("wideImportButton")
        buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.check_and_import)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.level_combo.currentIndexChanged.connect(self._level_changed)
        if self.sheet_combo is not None:
            self.sheet_combo.currentTextChanged.connect(lambda name: reopen_on_sheet(self, name))
        self._level_changed()

    def _level_changed(self) -> None:
        other = self.level_combo.currentData() == "autre"
        for widget in (self.rows_label, self.search, self.rows_list):
            widget.setVisible(other)

    def _filter(self, text: str) -> None:
        wanted = text.strip().lower()
        for i in range(self.rows_list.count()):
            entry = self.rows_list.item(i)
            entry.setHidden(bool(wanted) and wanted not in entry.text().lower())

    def _tick(self, codes: Iterable[str]) -> None:
        """Tick the rows of these codes (the rows proposed as the territory's)."""
        wanted = set(codes)
        for i in range(self.rows_list.count()):
            entry = self.rows_list.item(i)
            if entry.data(Qt.ItemDataRole.UserRole) in wanted:
                entry.setCheckState(Qt.CheckState.Checked)

    def _chosen_rows(self) -> list[str]:
        """The ticked rows, when the list is shown (another zoning, or rows asked for)."""
        return [] if self.rows_list.isHidden() else [str(c) for c in self._checked(self.rows_list)]

    def _checked(self, widget: QListWidget) -> list[object]:
        return [
            widget.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        ]

    def check_and_import(self) -> int:
        """Check the choices, save all indicators or none; returns how many were imported."""
        try:
            prepared = prepare_wide_import(
                self.table, self.wide, self.ctx.refdata, territory_codes(self.ctx.uow(), self.project_id),
                level=str(self.level_combo.currentData()), columns=[int(str(c)) for c in self._checked(self.columns)],
                chosen_rows=self._chosen_rows(), source=self.source_edit.text().strip(),
            )  # fmt: skip
            if prepared.preview.errors:
                errors = " ; ".join(m for _l, m in prepared.preview.errors[:8])
                self.message.setText(f"<b>Rien n'a été importé</b> : {errors}")
                return 0
            count = import_wide_table(self.ctx.uow(), self.project_id, prepared)
        except RowsNeededError as exc:
            for widget in (self.rows_label, self.search, self.rows_list):
                widget.setVisible(True)  # the rows to tick, whatever the level
            self._tick(code for code, _name in exc.candidates)
            self.message.setText(
                f"<b>Rien n'a été importé</b> : {exc.message} Cochez-les dans la liste des lignes"
                + (
                    " (les lignes qui portent le nom ou le code d'une commune du territoire sont cochées)."
                    if exc.candidates
                    else "."
                )
            )
            return 0
        except DomainError as exc:
            self.message.setText(f"<b>Rien n'a été importé</b> : {exc.message}")
            return 0
        self.rows_after = svc.list_indicators(self.ctx.uow(), self.project_id, self.labels)
        self.ctx.saved.emit("Import enregistré")
        show_message(self.parentWidget(), TITLE, prepared.summary(), QMessageBox.Icon.Information)
        self.accept()
        return count


def sheet_combo(table: RawTable) -> QComboBox | None:
    """A choice of the workbook's sheets, when it has more than one."""
    if len(table.sheet_names) < 2:
        return None
    combo = QComboBox()
    combo.setObjectName("sheetCombo")
    combo.addItems(table.sheet_names)
    combo.setCurrentText(table.sheet or table.sheet_names[0])
    return combo


def indicator_import_dialog(
    ctx: AppContext,
    project_id: int,
    table: RawTable,
    path: Path,
    parent: QWidget | None = None,
    labels: dict[str, str] | None = None,
) -> IndicatorImportDialog | WideTableDialog:
    """The import dialog a table needs: by territory (wide) or one row per indicator (mapping)."""
    layout = detect_table(table, ctx.refdata)
    if layout is not None:
        return WideTableDialog(ctx, project_id, table, layout, path, parent, labels)
    dialog = IndicatorImportDialog(ctx, project_id, table, path, parent, labels)
    combo = sheet_combo(table)
    if combo is not None:
        dialog.layout().insertWidget(1, QLabel("Feuille du classeur :"))  # type: ignore[union-attr]
        dialog.layout().insertWidget(2, combo)  # type: ignore[union-attr]
        combo.currentTextChanged.connect(lambda name: reopen_on_sheet(dialog, name))
    return dialog


def reopen_on_sheet(dialog: QDialog, sheet: str) -> QDialog | None:
    """Read another sheet and replace the dialog by the one it needs (its result is forwarded)."""
    path: Path = dialog.path  # type: ignore[attr-defined]
    try:
        table = read_table(path, sheet=sheet)
    except DomainError as exc:
        show_message(dialog, TITLE, exc.message)
        return None
    ctx, project_id, labels = dialog.ctx, dialog.project_id, dialog.labels  # type: ignore[attr-defined]
    replacement = indicator_import_dialog(ctx, project_id, table, path, dialog.parentWidget(), labels)

    def forward() -> None:
        dialog.rows_after = replacement.rows_after  # type: ignore[attr-defined]
        dialog.accepted.emit()

    replacement.accepted.connect(forward)
    dialog.replacement = replacement  # type: ignore[attr-defined]
    dialog.hide()
    replacement.open()
    return replacement
