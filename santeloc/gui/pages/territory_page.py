"""Step 0 — Projet et territoire: porteur, project type and the communes of the territory."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QListWidgetItem, QPlainTextEdit, QWidget

from santeloc.domain.enums import PorteurType, ProjectType, TerritorySource
from santeloc.domain.formatting import format_int, plural
from santeloc.exports.maps import territory_map
from santeloc.gui.context import AppContext
from santeloc.gui.forms.ui_territory_page import Ui_TerritoryPage
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import confirm, run_action, show_message
from santeloc.gui.pages.base import StepPage
from santeloc.gui.widgets import names_get_width
from santeloc.refdata.geo import Commune
from santeloc.services import projects as project_service
from santeloc.services import territory as territory_service
from santeloc.services.changes import Kind
from santeloc.services.commune_search import FAR_KM, Candidate, far_from_territory, search_near
from santeloc.services.projects import ProjectInfo
from santeloc.services.territory import TerritoryChange, TerritorySummary

AUTOSAVE_DELAY_MS = 400
SEARCH_LIMIT = 50
TITLE = "Projet et territoire"

COLUMNS = ("Commune", "Code INSEE", "Code postal", "Population", "Intercommunalité")
CODE_COLUMN = 1
POPULATION_COLUMN = 3


class TerritoryChangeCommand(QUndoCommand):
    """Undoable add or remove of communes (redo re-applies the same change)."""

    def __init__(self, page: TerritoryPage, text: str, change: TerritoryChange, added: bool) -> None:
        super().__init__(text)
        self.page = page
        self.change = change
        self.added = added
        self._first = True

    def redo(self) -> None:
        """Apply the change (already applied the first time, when the user acted)."""
        if self._first:
            self._first = False
            return
        self.page.apply_change(self.change, add=self.added)

    def undo(self) -> None:
        """Revert the change."""
        self.page.apply_change(self.change, add=not self.added)


class FieldCommand(QUndoCommand):
    """Undoable change of one project field."""

    def __init__(self, page: TerritoryPage, text: str, field: str, old: str, new: str) -> None:
        super().__init__(text)
        self.page, self.field, self.old, self.new = page, field, old, new
        self._first = True

    def redo(self) -> None:
        """Set the new value (already saved the first time)."""
        if self._first:
            self._first = False
            return
        self.page.save_field(self.field, self.new, record=False)

    def undo(self) -> None:
        """Set the old value back."""
        self.page.save_field(self.field, self.old, record=False)


class TerritoryPage(StepPage):
    """The page of step 0. Every edit is saved at once; nothing waits for a save button."""

    WATCHES = frozenset({Kind.TERRITORY, Kind.PROJECT})

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.undo_stack = undo_stack
        self.summary: TerritorySummary | None = None
        self._loading = False
        self.ui = Ui_TerritoryPage()
        self.ui.setupUi(self)
        self.map_view = FigureView(self)
        self.map_view.setObjectName("territoryMap")
        self.ui.mapLayout.addWidget(self.map_view)
        self.ui.splitter.setStretchFactor(0, 3)
        self.ui.splitter.setStretchFactor(1, 2)
        self.ui.splitter.setSizes([640, 420])

        for value, label in PorteurType.choices():
            self.ui.porteurTypeCombo.addItem(label, value)
        for value, label in ProjectType.choices():
            self.ui.projectTypeCombo.addItem(label, value)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.ui.communesTable.setModel(self.proxy)
        self.ui.communesTable.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        names_get_width(self.ui.communesTable)
        self.ui.communesTable.setWordWrap(False)
        self.ui.communesTable.verticalHeader().setVisible(False)

        self._name_timer = QTimer(self)
        self._name_timer.setSingleShot(True)
        self._name_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._name_timer.timeout.connect(self.flush)
        self._saved_porteur_name = ""
        # The project's presentation: the « Le projet » section of every request and of the diagnostic.
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("projectDescriptionEdit")
        self.description_edit.setPlaceholderText(
            "Qui porte le projet, à la demande de qui, ce qui sera construit et où, les professionnels réunis. "
            "Séparez les paragraphes par une ligne vide."
        )
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMinimumHeight(70)
        self.description_edit.setMaximumHeight(120)
        self.ui.projectForm.addRow("Présentation du projet", self.description_edit)
        self._saved_description = ""
        self.description_edit.textChanged.connect(lambda: None if self._loading else self._name_timer.start())

        self.ui.porteurNameEdit.textEdited.connect(lambda _text: self._name_timer.start())
        self.ui.porteurNameEdit.editingFinished.connect(self.flush)
        self.ui.porteurTypeCombo.currentIndexChanged.connect(
            lambda _i: self._combo_changed("porteur_type", self.ui.porteurTypeCombo.currentData())
        )
        self.ui.projectTypeCombo.currentIndexChanged.connect(
            lambda _i: self._combo_changed("project_type", self.ui.projectTypeCombo.currentData())
        )
        self.ui.searchEdit.textChanged.connect(self.update_search)
        self.ui.searchEdit.returnPressed.connect(self.enter_in_search)
        self._results_query: str | None = None  # the query the results listed are for
        self.ui.resultsList.itemDoubleClicked.connect(lambda _item: self.add_selected_communes())
        self.ui.resultsList.itemSelectionChanged.connect(self._update_buttons)
        self.ui.communesTable.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.ui.addCommuneButton.clicked.connect(self.add_selected_communes)
        self.ui.addEpciButton.clicked.connect(self.add_epci_of_selection)
        self.ui.addDepartementButton.clicked.connect(self.add_departement_of_selection)
        self.ui.addRadiusButton.clicked.connect(self.add_radius_of_selection)
        self.ui.removeButton.clicked.connect(self.remove_selected)
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------

    def load(self, project: ProjectInfo) -> None:
        """Show ``project`` (read from the database, never kept as the only copy)."""
        self._loading = True
        try:
            self.project = project
            self._saved_porteur_name = project.porteur_name
            self.ui.porteurNameEdit.setText(project.porteur_name)
            self._saved_description = project.description
            if self.description_edit.toPlainText() != project.description:
                self.description_edit.setPlainText(project.description)
            self.ui.porteurTypeCombo.setCurrentIndex(self.ui.porteurTypeCombo.findData(project.porteur_type.value))
            self.ui.projectTypeCombo.setCurrentIndex(self.ui.projectTypeCombo.findData(project.project_type.value))
        finally:
            self._loading = False
        self.refresh_territory()

    def reload_project(self) -> None:
        """Read the project again (after a conflict or an undo)."""
        if self.project is None:
            return
        fresh = run_action(self, TITLE, lambda: project_service.get_project(self.ctx.uow(), self._project_id()))
        if fresh is not None:
            self.load(fresh)

    def refresh_territory(self) -> None:
        """Re-read the territory, then update the table, the summary and the map."""
        if self.project is None:
            return
        summary = run_action(
            self,
            TITLE,
            lambda: territory_service.territory_summary(self.ctx.uow(), self._project_id(), self.ctx.refdata),
        )
        if summary is None:
            return
        self.summary = summary
        self._fill_table(summary)
        self._fill_summary(summary)
        refdata, codes = self.ctx.refdata, list(summary.codes)
        self.map_view.show_figure(lambda: territory_map(refdata, codes))
        self._update_buttons()

    def _fill_table(self, summary: TerritorySummary) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for row in summary.communes:
            postal = ", ".join(row.postal_codes[:2]) + ("…" if len(row.postal_codes) > 2 else "")
            values: list[tuple[str, object]] = [
                (row.name, row.name),
                (row.code, row.code),
                (postal, postal),
                (format_int(row.population), row.population),
                (row.epci_name, row.epci_name),
            ]
            items = []
            for text, sort_key in values:
                item = QStandardItem(text)
                item.setData(sort_key, Qt.ItemDataRole.UserRole)
                item.setToolTip(f"{row.name} ({row.code}) — {row.epci_name} — origine : {row.source.label}")
                items.append(item)
            items[POPULATION_COLUMN].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(items)
        self.ui.communesBox.setTitle(f"Communes du territoire ({format_int(len(summary.communes))})")
        self.ui.emptyTerritoryLabel.setVisible(summary.is_empty)
        if summary.missing_codes:
            self.ui.emptyTerritoryLabel.setVisible(True)
            self.ui.emptyTerritoryLabel.setText(
                "Communes absentes des données de référence (fusionnées depuis ?) : " + ", ".join(summary.missing_codes)
            )

    def _fill_summary(self, summary: TerritorySummary) -> None:
        if summary.is_empty:
            self.ui.populationValue.setText("Choisissez au moins une commune.")
            self.ui.referencesValue.setText("Les niveaux de comparaison découlent des communes choisies.")
            return
        self.ui.populationValue.setText(
            f"<b>{format_int(summary.population)} habitants</b> — {plural(len(summary.communes), 'commune')}<br>"
            f"<span style='color:#555'>{summary.population_source}</span>"
        )
        parts = []
        if summary.reference_departement is not None:
            dep = summary.reference_departement
            parts.append(f"Département : {dep.name} ({dep.code})")
        if summary.reference_region is not None:
            parts.append(f"Région : {summary.reference_region.name}")
        parts.append("France entière")
        text = "<br>".join(parts)
        if len(summary.departements) > 1:
            others = ", ".join(f"{d.name} ({d.code})" for d in summary.departements[1:])
            text += f"<br><span style='color:#8a5a00'>Le territoire déborde aussi sur : {others}. Le département de référence est celui où vit la majorité des habitants.</span>"
        self.ui.referencesValue.setText(text)

    # --- project fields ------------------------------------------------------------------

    def flush(self) -> None:
        """Save the porteur's name and the presentation now if edited (called on close too)."""
        self._name_timer.stop()
        if self.project is None or self._loading:
            return
        text = self.ui.porteurNameEdit.text()
        if text.strip() != self._saved_porteur_name.strip():
            self.save_field("porteur_name", text, record=True)
        description = self.description_edit.toPlainText()
        if self.project is not None and description.strip() != self._saved_description.strip():
            self.save_field("description", description, record=True)

    def _combo_changed(self, field: str, value: str) -> None:
        if self._loading or self.project is None or value is None:
            return
        current = getattr(self.project, field).value
        if value != current:
            self.save_field(field, value, record=True)

    def save_field(self, field: str, value: str, *, record: bool) -> None:
        """Save one project field at once; ``record`` pushes it on the undo stack."""
        if self.project is None:
            return
        old_project = self.project
        kwargs: dict[str, object] = {}
        if field == "porteur_type":
            kwargs[field] = PorteurType(value)
        elif field == "project_type":
            kwargs[field] = ProjectType(value)
        else:
            kwargs[field] = value
        saved = run_action(
            self,
            TITLE,
            lambda: project_service.update_project(self.ctx.uow(), old_project.id, old_project.version, **kwargs),  # type: ignore[arg-type]
        )
        if saved is None:
            self.reload_project()
            return
        self.project = saved
        old_value = getattr(old_project, field)
        old_text = old_value.value if hasattr(old_value, "value") else str(old_value)
        if field == "porteur_name":
            self._saved_porteur_name = saved.porteur_name
        if field == "description":
            self._saved_description = saved.description
        if record:
            labels = {
                "porteur_name": "le nom du porteur",
                "porteur_type": "le type de porteur",
                "project_type": "le type de projet",
                "description": "la présentation du projet",
            }
            self.undo_stack.push(FieldCommand(self, f"Modifier {labels[field]}", field, old_text, value))
        else:
            self.load(saved)
        self.ctx.saved.emit("Enregistré")

    # --- search and territory changes -----------------------------------------------------

    def update_search(self, text: str) -> None:
        """Show the communes matching ``text`` (name, INSEE code or postal code)."""
        self.ui.resultsList.clear()
        query = text.strip()
        self._results_query = text
        if len(query) < 2:
            self._update_buttons()
            return
        territory = list(self.summary.codes) if self.summary else []
        for candidate in search_near(self.ctx.refdata, query, territory, SEARCH_LIMIT):
            item = QListWidgetItem(self._describe(candidate))
            item.setData(Qt.ItemDataRole.UserRole, candidate.commune.code)
            self.ui.resultsList.addItem(item)
        if self.ui.resultsList.count():
            self.ui.resultsList.setCurrentRow(0)
        self._update_buttons()

    def enter_in_search(self) -> None:
        """Enter adds the selected result only if the results are those of the whole query typed
        (never the top result of a half-typed, stale one: the results are brought up to date)."""
        if self._results_query != self.ui.searchEdit.text():
            self.update_search(self.ui.searchEdit.text())
            return
        self.add_selected_communes()

    def _describe(self, candidate: Candidate) -> str:
        commune = candidate.commune
        postal = commune.postal_codes[0] if commune.postal_codes else ""
        if candidate.in_territory:
            suffix = " — déjà dans le territoire"
        elif candidate.distance_km is not None:
            suffix = f" — à {format_int(round(candidate.distance_km))} km du territoire"
        else:
            suffix = ""
        return (
            f"{commune.name} ({postal}, {candidate.departement} – {commune.departement}) — "
            f"{format_int(commune.population)} hab. — INSEE {commune.code}{suffix}"
        )

    def _selected_results(self) -> list[str]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.ui.resultsList.selectedItems()]

    def _single_selected(self) -> Commune | None:
        codes = self._selected_results()
        return self.ctx.refdata.communes.get(codes[0]) if codes else None

    def _change(self, text: str, action: Callable[[], TerritoryChange], added: bool = True) -> TerritoryChange | None:
        change = run_action(self, TITLE, action)
        if change is None:
            return None
        if change.codes:
            self.undo_stack.push(TerritoryChangeCommand(self, text, change, added))
        elif added:
            show_message(self, TITLE, "Ces communes font déjà partie du territoire : rien n'a été ajouté.")
        self._after_territory_change()
        return change

    def _after_territory_change(self) -> None:
        self.refresh_territory()
        self.update_search(self.ui.searchEdit.text())
        self.ctx.saved.emit("Enregistré")

    def apply_change(self, change: TerritoryChange, *, add: bool) -> None:
        """Add or remove exactly the communes of an earlier change (undo/redo)."""
        if add:
            run_action(
                self,
                TITLE,
                lambda: territory_service.add_communes(
                    self.ctx.uow(), self._project_id(), change.codes, change.sources, self.ctx.refdata
                ),
            )
        else:
            run_action(
                self, TITLE, lambda: territory_service.remove_communes(self.ctx.uow(), self._project_id(), change.codes)
            )
        self._after_territory_change()

    def add_selected_communes(self) -> None:
        """Add the communes selected in the search results."""
        codes = self._selected_results()
        if not codes or self.project is None:
            return

        def add() -> None:
            self._change(
                f"Ajouter {plural(len(codes), 'commune')}",
                lambda: territory_service.add_communes(
                    self.ctx.uow(), self._project_id(), codes, TerritorySource.MANUAL, self.ctx.refdata
                ),
            )

        territory = list(self.summary.codes) if self.summary else []
        far = far_from_territory(self.ctx.refdata, territory, codes)
        if not far:
            add()
            return
        names = ", ".join(
            f"{commune.name} ({commune.departement}), à {format_int(round(km))} km" for commune, km in far
        )
        confirm(
            self,
            "Commune éloignée",
            f"{names} de la commune la plus proche du territoire (plus de {format_int(round(FAR_KM))} km). "
            "Est-ce bien la commune voulue, et non une homonyme ?",
            "Ajouter quand même",
            add,
        )

    def add_epci_of_selection(self) -> None:
        """Add the whole intercommunalité of the selected commune."""
        commune = self._single_selected()
        if commune is None or self.project is None:
            return
        if not commune.epci:
            show_message(
                self, TITLE, f"{commune.name} n'appartient à aucune intercommunalité dans les données de référence."
            )
            return
        epci_code = commune.epci
        epci = self.ctx.refdata.epcis[epci_code]
        self._change(
            f"Ajouter {epci.name}",
            lambda: territory_service.add_epci(self.ctx.uow(), self._project_id(), epci_code, self.ctx.refdata),
        )

    def add_departement_of_selection(self) -> None:
        """Add every commune of the selected commune's département."""
        commune = self._single_selected()
        if commune is None or self.project is None:
            return
        dep_code = commune.departement
        dep = self.ctx.refdata.departements[dep_code]
        self._change(
            f"Ajouter le département {dep.name}",
            lambda: territory_service.add_departement(self.ctx.uow(), self._project_id(), dep_code, self.ctx.refdata),
        )

    def add_radius_of_selection(self) -> None:
        """Add every commune within the chosen radius of the selected commune."""
        commune = self._single_selected()
        if commune is None or self.project is None:
            return
        km = float(self.ui.radiusSpin.value())
        code = commune.code
        self._change(
            f"Ajouter les communes à moins de {km:g} km de {commune.name}",
            lambda: territory_service.add_within_km(self.ctx.uow(), self._project_id(), code, km, self.ctx.refdata),
        )

    def selected_territory_codes(self) -> list[str]:
        """INSEE codes of the rows selected in the territory table."""
        rows = {self.proxy.mapToSource(index).row() for index in self.ui.communesTable.selectionModel().selectedRows()}
        return [self.model.item(row, CODE_COLUMN).text() for row in sorted(rows)]

    def remove_selected(self) -> None:
        """Remove the selected communes from the territory (undoable)."""
        codes = self.selected_territory_codes()
        if not codes or self.project is None:
            return
        self._change(
            f"Retirer {plural(len(codes), 'commune')}",
            lambda: territory_service.remove_communes(self.ctx.uow(), self._project_id(), codes),
            added=False,
        )

    def _update_buttons(self) -> None:
        has_result = bool(self.ui.resultsList.selectedItems())
        for button in (
            self.ui.addCommuneButton,
            self.ui.addEpciButton,
            self.ui.addDepartementButton,
            self.ui.addRadiusButton,
        ):
            button.setEnabled(has_result)
        self.ui.removeButton.setEnabled(self.ui.communesTable.selectionModel().hasSelection())
