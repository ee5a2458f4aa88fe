"""Step 2 — Offre de soins et démographie: registry of professionals, establishments, demography."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.enums import PracticeMode
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_decimal, format_int
from santeloc.domain.indicators import parse_french_number
from santeloc.domain.professions import ESTABLISHMENT_KINDS, PROFESSIONS
from santeloc.exports.offer_charts import density_outlook, professionals_pyramid
from santeloc.gui.context import AppContext
from santeloc.gui.dialogs.mapping_dialog import MappingDialog
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, confirm, explain, run_action, show_message
from santeloc.gui.pages.base import StepPage
from santeloc.gui.widgets import fit_dialog, names_get_width, offer_choices, tidy_combos
from santeloc.gui.workers import BackgroundTask, Report
from santeloc.refdata.geo import Commune
from santeloc.services import demography as demography_svc
from santeloc.services import offer as svc
from santeloc.services.changes import Kind
from santeloc.services.column_guess import guess_professional_columns
from santeloc.services.projects import ProjectInfo
from santeloc.services.tables import read_table
from santeloc.services.territory import territory_codes

TITLE = "Offre de soins et démographie"
COLUMNS = ["Profession", "Nom", "Commune", "Âge", "Mode d'exercice", "Secteur", "ETP", "Départ annoncé"]
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def item(text: str, data: object = None, right: bool = False) -> QTableWidgetItem:
    """A read-only cell."""
    cell = QTableWidgetItem(text)
    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        cell.setData(Qt.ItemDataRole.UserRole, data)
    if right:
        cell.setTextAlignment(RIGHT)
    return cell


class OfferPage(StepPage):
    """The page of step 2. Fields are saved as soon as they are left."""

    WATCHES = frozenset({Kind.OFFER, Kind.TERRITORY, Kind.PROJECT})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[svc.ProfessionalRow] = []
        self.task: BackgroundTask | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("offerTabs")
        self.tabs.addTab(self._registry_tab(), "Professionnels")
        self.tabs.addTab(self._establishments_tab(), "Établissements et services")
        self.tabs.addTab(self._demography_tab(), "Démographie")
        self.tabs.currentChanged.connect(lambda index: self.refresh_demography() if index == 2 else None)
        layout.addWidget(self.tabs)
        tidy_combos(self)

    # --- building ------------------------------------------------------------------------

    def _registry_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Nouveau professionnel")
        self.rpps_button = QPushButton("Importer l'extraction RPPS…")
        self.rpps_button.setToolTip("Fichier « PS_LibreAcces_Personne_activite » de l'Annuaire santé")
        self.table_import_button = QPushButton("Importer un tableau…")
        self.table_import_button.setToolTip("Liste de professionnels en CSV ou Excel (profession, nom, commune, âge…)")
        self.delete_button = QPushButton("Supprimer")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.rpps_button)
        buttons.addWidget(self.table_import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("professionalFilter")
        self.filter_edit.setPlaceholderText("Filtrer : profession, nom ou commune")
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("professionalsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        names_get_width(self.table, name_column=1)
        self.empty_label = QLabel(
            "Aucun professionnel recensé. Importez l'extraction RPPS de l'Annuaire santé (santeloc garde le "
            "territoire et ses alentours) ou ajoutez-les un à un ; n'oubliez pas les paramédicaux, pas "
            "seulement les médecins. Leur âge se recueille auprès d'eux : c'est le premier indicateur d'avenir."
        )
        self.empty_label.setWordWrap(True)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.empty_label)
        top_layout.addWidget(self.table)
        splitter.addWidget(top)
        splitter.addWidget(self._form())
        layout.addWidget(splitter, 1)
        self.add_button.clicked.connect(self.add_professional)
        self.rpps_button.clicked.connect(self.choose_rpps_file)
        self.table_import_button.clicked.connect(self.choose_table_file)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemSelectionChanged.connect(self._fill_form)
        self.filter_edit.textChanged.connect(self._apply_filter)
        return tab

    def _form(self) -> QWidget:
        box = QGroupBox("Professionnel sélectionné")
        grid = QGridLayout(box)
        self.profession_combo = QComboBox()
        for profession in PROFESSIONS:
            self.profession_combo.addItem(profession.label, profession.key)
        self.last_name = QLineEdit()
        self.first_name = QLineEdit()
        self.rpps_edit = QLineEdit()
        self.commune_edit = QLineEdit()
        self.commune_edit.setPlaceholderText("nom ou code INSEE")
        self.secondary_edit = QLineEdit()
        self.secondary_edit.setPlaceholderText("site secondaire (facultatif)")
        self.birth_year = QLineEdit()
        self.birth_year.setObjectName("birthYear")
        self.birth_year.setPlaceholderText("ex. 1961")
        self.mode_combo = QComboBox()
        self.mode_combo.addItem("—", "")
        for value, label in PracticeMode.choices():
            self.mode_combo.addItem(label, value)
        self.sector_combo = QComboBox()
        for sector, sector_label in ((None, "—"), (1, "Secteur 1"), (2, "Secteur 2"), (3, "Non conventionné")):
            self.sector_combo.addItem(sector_label, sector)
        self.fte_edit = QLineEdit()
        self.fte_edit.setObjectName("fteEdit")
        self.fte_edit.setPlaceholderText("1 = temps plein")
        self.retirement_edit = QLineEdit()
        self.retirement_edit.setObjectName("retirementYear")
        self.retirement_edit.setPlaceholderText("année annoncée")
        self.notes_edit = QLineEdit()
        left = (("Profession", self.profession_combo), ("Nom", self.last_name), ("Prénom", self.first_name),
                ("N° RPPS", self.rpps_edit), ("Commune d'exercice", self.commune_edit), ("Site secondaire", self.secondary_edit))  # fmt: skip
        right = (("Année de naissance", self.birth_year), ("Mode d'exercice", self.mode_combo), ("Secteur", self.sector_combo),
                 ("Équivalent temps plein", self.fte_edit), ("Départ en retraite annoncé", self.retirement_edit), ("Notes", self.notes_edit))  # fmt: skip
        for row, (caption, widget) in enumerate(left):
            grid.addWidget(QLabel(caption), row, 0)
            grid.addWidget(widget, row, 1)
        for row, (caption, widget) in enumerate(right):
            grid.addWidget(QLabel(caption), row, 2)
            grid.addWidget(widget, row, 3)
        self.form_box = box
        self.profession_combo.activated.connect(lambda _i: self._save(profession=self.profession_combo.currentData()))
        self.mode_combo.activated.connect(lambda _i: self._save(practice_mode=self.mode_combo.currentData()))
        self.sector_combo.activated.connect(lambda _i: self._save(sector=self.sector_combo.currentData()))
        for edit, key in (
            (self.last_name, "last_name"),
            (self.first_name, "first_name"),
            (self.rpps_edit, "rpps"),
            (self.notes_edit, "notes"),
        ):
            edit.editingFinished.connect(lambda e=edit, k=key: self._save(**{k: e.text().strip()}))
        self.commune_edit.editingFinished.connect(lambda: self._save_commune("commune_code", self.commune_edit))
        self.secondary_edit.editingFinished.connect(
            lambda: self._save_commune("secondary_commune_code", self.secondary_edit)
        )
        self.birth_year.editingFinished.connect(self._save_birth_year)
        self.fte_edit.editingFinished.connect(self._save_fte)
        self.retirement_edit.editingFinished.connect(self._save_retirement)
        return box

    def _establishments_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.kind_combo = QComboBox()
        for value, label in ESTABLISHMENT_KINDS:
            self.kind_combo.addItem(label, value)
        self.establishment_name = QLineEdit()
        self.establishment_name.setPlaceholderText("Nom de l'établissement ou du service")
        self.establishment_commune = QLineEdit()
        self.establishment_commune.setPlaceholderText("Commune")
        self.establishment_finess = QLineEdit()
        self.establishment_finess.setObjectName("establishmentFiness")
        self.establishment_finess.setPlaceholderText("N° FINESS (facultatif)")
        self.establishment_finess.setMaxLength(9)
        self.add_establishment_button = QPushButton("Ajouter")
        self.import_finess_button = QPushButton("Importer le fichier FINESS…")
        self.import_finess_button.setObjectName("importFinessButton")
        self.delete_establishment_button = QPushButton("Supprimer")
        for widget in (
            self.kind_combo,
            self.establishment_name,
            self.establishment_commune,
            self.establishment_finess,
            self.add_establishment_button,
        ):
            row.addWidget(widget, 1 if widget is self.establishment_name else 0)
        layout.addLayout(row)
        self.establishments = QTableWidget(0, 4)
        self.establishments.setObjectName("establishmentsTable")
        self.establishments.setHorizontalHeaderLabels(["Type", "Nom", "Commune", "FINESS"])
        names_get_width(self.establishments, name_column=1)
        self.establishments.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.establishments.verticalHeader().setVisible(False)
        layout.addWidget(self.establishments, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.import_finess_button)
        bottom.addStretch(1)
        bottom.addWidget(self.delete_establishment_button)
        layout.addLayout(bottom)
        self.add_establishment_button.clicked.connect(self.add_establishment)
        self.import_finess_button.clicked.connect(self.choose_finess_file)
        self.delete_establishment_button.clicked.connect(self.delete_establishment)
        return tab

    def _demography_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.demography_table = QTableWidget(0, 8)
        self.demography_table.setObjectName("demographyTable")
        self.demography_table.setHorizontalHeaderLabels(
            [
                "Profession",
                "Effectif",
                "ETP",
                "Pour 10 000 hab.",
                "Âge moyen",
                "60 ans et +",
                "Départs à 5 ans",
                "Départs à 10 ans",
            ]
        )
        names_get_width(self.demography_table)
        self.demography_table.verticalHeader().setVisible(False)
        self.demography_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        refs = QHBoxLayout()
        refs_hint = QLabel(
            "Densités de référence (pour 10 000 habitants) : département, région, France — à reprendre de l'ORS ou de la DREES."
        )
        refs_hint.setWordWrap(True)
        self.references_button = QPushButton("Saisir les densités de référence…")
        self.references_button.setObjectName("referencesButton")
        refs.addWidget(refs_hint, 1)
        refs.addWidget(self.references_button)
        layout.addLayout(refs)
        self.references_button.clicked.connect(self.edit_references)
        splitter.addWidget(self.demography_table)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        self.demography_text = QTextBrowser()
        self.demography_text.setObjectName("demographyText")
        self.pyramid_view = FigureView()
        self.outlook_view = FigureView()
        bottom.addWidget(self.demography_text)
        # The two charts share one pane, one at a time: each keeps a readable size at 1366 × 768.
        self.demography_charts = QTabWidget()
        self.demography_charts.setObjectName("demographyCharts")
        self.demography_charts.addTab(self.pyramid_view, "Âge des professionnels")
        self.demography_charts.addTab(self.outlook_view, "Densité à 0, 5 et 10 ans")
        bottom.addWidget(self.demography_charts)
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 3)
        splitter.addWidget(bottom)
        splitter.setSizes([220, 420])
        layout.addWidget(splitter)
        return tab

    # --- loading -------------------------------------------------------------------------

    def load(self, project: ProjectInfo) -> None:
        """Show a project's step 2."""
        self.project = project
        self.refresh()

    def _project_id(self) -> int:
        assert self.project is not None
        return self.project.id

    def refresh(self) -> None:
        """Re-read the registry and the establishments."""
        if self.project is None:
            return
        rows = run_action(self, TITLE, lambda: svc.list_professionals(self.ctx.uow(), self._project_id()))
        if rows is None:
            return
        self.rows = rows
        selected = self._selected_ids()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        year = date.today().year
        for index, row in enumerate(rows):
            commune = self.ctx.refdata.communes.get(row.commune_code)
            age = row.age(year)
            cells = (
                item(row.profession_label, row.id),
                item(row.name),
                item(commune.name if commune else row.commune_code),
                item(str(age) if age is not None else "", right=True),
                item(
                    PracticeMode(row.practice_mode).label
                    if row.practice_mode in {m.value for m in PracticeMode}
                    else ""
                ),
                item({1: "1", 2: "2", 3: "NC"}.get(row.sector or 0, ""), right=True),
                item(format_decimal(row.fte, 1) if row.fte is not None else "", right=True),
                item(str(row.retirement_date.year) if row.retirement_date else ""),
            )
            for column, cell in enumerate(cells):
                self.table.setItem(index, column, cell)
        self.table.setSortingEnabled(True)
        self.empty_label.setVisible(not rows)
        for index in range(self.table.rowCount()):
            first = self.table.item(index, 0)
            if first is not None and first.data(Qt.ItemDataRole.UserRole) in selected:
                self.table.selectRow(index)
        self._apply_filter(self.filter_edit.text())
        self._fill_form()
        self._fill_establishments()
        if self.tabs.currentIndex() == 2:
            self.refresh_demography()

    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        for index in range(self.table.rowCount()):
            cells = [self.table.item(index, column) for column in (0, 1, 2)]
            line = " ".join(c.text().lower() for c in cells if c is not None)
            self.table.setRowHidden(index, not all(word in line for word in words))

    def _selected_ids(self) -> set[int]:
        ids = set()
        for index in self.table.selectionModel().selectedRows():
            cell = self.table.item(index.row(), 0)
            if cell is not None:
                ids.add(cell.data(Qt.ItemDataRole.UserRole))
        return ids

    def current(self) -> svc.ProfessionalRow | None:
        """The professional selected (one only)."""
        ids = self._selected_ids()
        if len(ids) != 1:
            return None
        wanted = next(iter(ids))
        return next((r for r in self.rows if r.id == wanted), None)

    def select_professional(self, professional_id: int) -> None:
        """Select a professional's line."""
        for index in range(self.table.rowCount()):
            cell = self.table.item(index, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == professional_id:
                self.table.selectRow(index)
                return

    def _fill_form(self) -> None:
        row = self.current()
        self.form_box.setEnabled(row is not None)
        self.delete_button.setEnabled(bool(self._selected_ids()))
        if row is None:
            return
        self._loading = True
        try:
            self.profession_combo.setCurrentIndex(max(0, self.profession_combo.findData(row.profession)))
            self.last_name.setText(row.last_name)
            self.first_name.setText(row.first_name)
            self.rpps_edit.setText(row.rpps)
            for edit, code in (
                (self.commune_edit, row.commune_code),
                (self.secondary_edit, row.secondary_commune_code),
            ):
                commune = self.ctx.refdata.communes.get(code)
                edit.setText(f"{commune.name} ({code})" if commune else code)
            self.birth_year.setText(str(row.birth_year or ""))
            self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(row.practice_mode)))
            self.sector_combo.setCurrentIndex(max(0, self.sector_combo.findData(row.sector)))
            self.fte_edit.setText(format_decimal(row.fte, 2).rstrip("0").rstrip(",") if row.fte is not None else "")
            self.retirement_edit.setText(str(row.retirement_date.year) if row.retirement_date else "")
            self.notes_edit.setText(row.notes)
        finally:
            self._loading = False

    # --- saving --------------------------------------------------------------------------

    def _save(self, **changes: object) -> bool:
        row = self.current()
        if row is None or self._loading:
            return False
        if all(getattr(row, key, None) == value for key, value in changes.items()):
            return True
        done = attempt(
            self,
            TITLE,
            lambda: svc.update_professional(self.ctx.uow(), row.id, row.version, self.ctx.refdata, **changes),
        )
        self.refresh()
        self.select_professional(row.id)
        if done:
            self.ctx.saved.emit("Enregistré")
        return done

    def _save_commune(self, key: str, edit: QLineEdit) -> None:
        if self._loading or self.current() is None:
            return
        text = edit.text().strip()
        if text.endswith(")") and "(" in text:
            text = text[text.rindex("(") + 1 : -1]
        code = ""
        if text:
            try:
                code = svc.resolve_commune(text, self.ctx.refdata)
            except ValidationError as exc:
                if self.offer_communes(edit, text, lambda chosen: self._save(**{key: chosen})):
                    return  # the field keeps what was typed until a candidate is picked
                explain(self, TITLE, f"Commune : {exc.message}.")
                self._fill_form()
                return
        self._save(**{key: code})

    def offer_communes(self, edit: QLineEdit, text: str, save: Callable[[str], object]) -> bool:
        """When ``text`` names several communes, offer them under ``edit`` (the territory's first)."""
        territory = set(territory_codes(self.ctx.uow(), self._project_id()))
        candidates = svc.commune_candidates(text, self.ctx.refdata, territory)
        if len(candidates) < 2:
            return False
        choices = []
        for commune in candidates:
            departement = self.ctx.refdata.departements.get(commune.departement)
            where = f"{departement.name} ({commune.departement})" if departement else commune.departement
            inside = " — dans le territoire" if commune.code in territory else ""
            choices.append((f"{commune.name} ({commune.code}), {where}{inside}", commune))

        def chosen(value: object) -> None:
            assert isinstance(value, Commune)
            edit.setText(f"{value.name} ({value.code})")
            save(value.code)

        self.candidates_menu = offer_choices(edit, choices, chosen)
        return True

    def _number(self, edit: QLineEdit, what: str) -> tuple[bool, float | None]:
        text = edit.text().strip()
        try:
            return True, parse_french_number(text) if text else None
        except ValidationError as exc:
            explain(self, TITLE, f"{what} : {exc.message}")
            self._fill_form()
            return False, None

    def _save_birth_year(self) -> None:
        if self._loading:
            return
        ok, value = self._number(self.birth_year, "Année de naissance")
        if ok:
            self._save(birth_year=int(value) if value is not None else None)

    def _save_fte(self) -> None:
        if self._loading:
            return
        ok, value = self._number(self.fte_edit, "Équivalent temps plein")
        if ok:
            self._save(fte=value)

    def _save_retirement(self) -> None:
        if self._loading:
            return
        ok, value = self._number(self.retirement_edit, "Année de départ")
        if ok:
            self._save(retirement_date=date(int(value), 12, 31) if value is not None else None)

    # --- actions ---------------------------------------------------------------------------

    def add_professional(self) -> int | None:
        """Add a professional to fill in (a GP by default)."""
        new_id = run_action(
            self,
            TITLE,
            lambda: svc.add_professional(
                self.ctx.uow(), self._project_id(), self.ctx.refdata, profession="medecin_generaliste"
            ),
        )
        if new_id is not None:
            self.refresh()
            self.select_professional(new_id)
            self.last_name.setFocus()
        return new_id

    def delete_selected(self) -> None:
        """Remove the selected professionals after confirmation."""
        ids = self._selected_ids()
        if not ids:
            return

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_professionals(self.ctx.uow(), ids)):
                self.refresh()

        confirm(self, "Supprimer", f"Retirer {len(ids)} professionnel(s) du registre ?", "Supprimer", delete)

    def choose_rpps_file(self) -> None:
        """Ask for the RPPS extraction file and import it in the background."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Extraction RPPS de l'Annuaire santé",
            str(Path.home()),
            "Extraction RPPS (*.txt *.csv *.zip);;Tous les fichiers (*)",
        )
        if path:
            radius, ok = QInputDialog.getInt(
                self, "Alentours du territoire", "Garder aussi les professionnels à moins de (km) :", 15, 0, 100
            )
            if ok:
                self.import_rpps(Path(path), radius)

    def import_rpps(self, path: Path, radius_km: float = 15) -> BackgroundTask:
        """Stream the extraction off the GUI thread; all or nothing."""
        project_id, ctx = self._project_id(), self.ctx

        def job(report: Report) -> svc.RppsReport:
            return svc.import_rpps(ctx.uow(), project_id, path, ctx.refdata, radius_km=radius_km, progress=report)

        self.task = BackgroundTask(self, "Import RPPS", f"Lecture de {path.name}…", job)
        self.task.done.connect(self._rpps_done)
        self.task.start()
        return self.task

    def _rpps_done(self, report: object) -> None:
        assert isinstance(report, svc.RppsReport)
        self.refresh()
        self.ctx.saved.emit("Import enregistré")
        show_message(self, "Import RPPS", report.summary(), QMessageBox.Icon.Information)

    def choose_table_file(self) -> None:
        """Ask for a CSV/XLSX list of professionals and open the column mapping."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Importer des professionnels", str(Path.home()), "Tableaux (*.csv *.txt *.xlsx)"
        )
        if path:
            self.open_table_import(Path(path))

    def open_table_import(self, path: Path) -> MappingDialog | None:
        """Read the table and show the mapping step (small files: read at once)."""
        table = run_action(self, TITLE, lambda: read_table(path))
        if table is None:
            return None
        dialog = MappingDialog(
            "Importer des professionnels",
            table,
            svc.IMPORT_FIELDS,
            guess_professional_columns(table.headers, svc.IMPORT_FIELDS),
            self,
        )
        dialog.ok_button.clicked.connect(lambda: self._import_table(dialog))
        dialog.open()
        self.mapping_dialog = dialog
        return dialog

    def _import_table(self, dialog: MappingDialog) -> None:
        try:
            rows, errors = svc.prepare_professionals(dialog.table, dialog.mapping(), self.ctx.refdata)
        except ValidationError as exc:
            dialog.show_errors([(0, exc.message)])
            return
        if errors:
            dialog.show_errors(errors)
            return
        count = run_action(dialog, TITLE, lambda: svc.import_professionals(self.ctx.uow(), self._project_id(), rows))
        if count is not None:
            dialog.accept()
            self.refresh()
            self.ctx.saved.emit("Import enregistré")
            show_message(self, TITLE, f"{count} professionnel(s) importé(s).", QMessageBox.Icon.Information)

    # --- establishments ----------------------------------------------------------------------

    def _fill_establishments(self) -> None:
        rows = svc.list_establishments(self.ctx.uow(), self._project_id())
        self.establishments.setRowCount(len(rows))
        for index, row in enumerate(rows):
            commune = self.ctx.refdata.communes.get(row.commune_code)
            for column, text in enumerate((row.kind_label, row.name, commune.name if commune else "", row.finess)):
                self.establishments.setItem(index, column, item(text, row.id))

    def add_establishment(self) -> int | None:
        """Add the establishment typed in the row above the table."""
        text = self.establishment_commune.text().strip()
        if text.endswith(")") and "(" in text:  # "Saint-Privé (89365)", as a picked candidate shows it
            text = text[text.rindex("(") + 1 : -1]
        try:
            code = svc.resolve_commune(text, self.ctx.refdata) if text else ""
        except ValidationError as exc:
            if not self.offer_communes(self.establishment_commune, text, lambda _code: self.add_establishment()):
                explain(self, TITLE, f"Commune : {exc.message}.")
            return None
        new_id = run_action(self, TITLE, lambda: svc.add_establishment(
            self.ctx.uow(), self._project_id(), self.ctx.refdata, kind=self.kind_combo.currentData(),
            name=self.establishment_name.text(), commune_code=code,
            finess=self.establishment_finess.text().strip().upper()))  # fmt: skip
        if new_id is not None:
            self.establishment_name.clear()
            self.establishment_commune.clear()
            self.establishment_finess.clear()
            self._fill_establishments()
            self.ctx.saved.emit("Enregistré")
        return new_id

    def choose_finess_file(self) -> None:
        """Ask for the etalab FINESS extraction and import the territory's establishments."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Extraction FINESS (etalab)",
            str(Path.home()),
            "Extraction FINESS (*.csv *.zip);;Tous les fichiers (*)",
        )
        if path:
            self.import_finess(Path(path))

    def import_finess(self, path: Path, radius_km: float = 15) -> BackgroundTask:
        """Read the extraction off the GUI thread; all or nothing."""
        project_id, ctx = self._project_id(), self.ctx

        def job(report: Report) -> object:
            from santeloc.services.finess import import_finess

            return import_finess(ctx.uow(), project_id, path, ctx.refdata, radius_km=radius_km)

        self.task = BackgroundTask(self, "Import FINESS", f"Lecture de {path.name}…", job)
        self.task.done.connect(self._finess_done)
        self.task.start()
        return self.task

    def _finess_done(self, report: object) -> None:
        self._fill_establishments()
        self.ctx.saved.emit("Import enregistré")
        show_message(self, "Import FINESS", report.summary(), QMessageBox.Icon.Information)  # type: ignore[attr-defined]

    def delete_establishment(self) -> None:
        """Remove the selected establishment."""
        rows = self.establishments.selectionModel().selectedRows()
        if not rows:
            return
        cell = self.establishments.item(rows[0].row(), 0)
        if cell is not None and attempt(
            self, TITLE, lambda: svc.delete_establishment(self.ctx.uow(), cell.data(Qt.ItemDataRole.UserRole))
        ):
            self._fill_establishments()

    # --- demography --------------------------------------------------------------------------

    def stored_references(self) -> dict[str, dict[str, float]]:
        """Reference densities typed by the user: profession → level → density per 10 000."""
        return demography_svc.reference_densities(self.ctx.uow(), self._project_id())

    def set_references(self, values: dict[str, dict[str, float]]) -> bool:
        """Save reference densities (each between 0 and 1 000 per 10 000 inhabitants)."""
        done = attempt(
            self, TITLE, lambda: demography_svc.set_reference_densities(self.ctx.uow(), self._project_id(), values)
        )
        if done:
            self.refresh_demography()
            self.ctx.saved.emit("Enregistré")
        return done

    def edit_references(self) -> None:
        """A small table of reference densities per profession and level."""
        dialog = QDialog(self)
        dialog.setWindowTitle("Densités de référence pour 10 000 habitants")
        fit_dialog(dialog, 640, 520)
        layout = QVBoxLayout(dialog)
        grid = QTableWidget(len(PROFESSIONS) - 1, 3)
        grid.setHorizontalHeaderLabels(["Département", "Région", "France"])
        grid.setVerticalHeaderLabels([p.plural for p in PROFESSIONS[:-1]])
        stored = self.stored_references()
        for row, profession in enumerate(PROFESSIONS[:-1]):
            for column, (level, _caption, _sentence) in enumerate(demography_svc.LEVELS):
                value = stored.get(profession.key, {}).get(level)
                grid.setItem(row, column, QTableWidgetItem(format_decimal(value, 1) if value is not None else ""))
        layout.addWidget(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(buttons)
        buttons.rejected.connect(dialog.reject)

        def save() -> None:
            values: dict[str, dict[str, float]] = {}
            for row, profession in enumerate(PROFESSIONS[:-1]):
                for column, (level, _caption, _sentence) in enumerate(demography_svc.LEVELS):
                    cell = grid.item(row, column)
                    text = cell.text().strip() if cell is not None else ""
                    if not text:
                        continue
                    try:
                        number = parse_french_number(text)
                    except ValidationError as exc:
                        show_message(dialog, TITLE, f"{profession.plural} : {exc.message}")
                        return
                    if number is not None:
                        values.setdefault(profession.key, {})[level] = number
            if self.set_references(values):
                dialog.accept()

        buttons.accepted.connect(save)
        dialog.open()

    def refresh_demography(self) -> None:
        """Head counts, densities, ages, departures and projections, with their charts."""
        if self.project is None:
            return
        report = demography_svc.demography_report(self.ctx.uow(), self._project_id(), self.ctx.refdata)
        labels = report.labels
        self.demography_table.setRowCount(len(report.professions))
        for index, d in enumerate(report.professions):
            values = (
                labels.get(d.profession, d.profession),
                format_int(d.heads),
                format_decimal(d.fte, 1) if d.fte is not None else "—",
                format_decimal(d.density_per_10000, 1) if d.density_per_10000 is not None else "—",
                format_decimal(d.mean_age, 1) if d.mean_age is not None else "—",
                f"{d.count_aged.get(60, 0)}" + (f" sur {d.known_age}" if d.unknown_age else ""),
                format_int(d.departures.get(5, 0)),
                format_int(d.departures.get(10, 0)),
            )
            for column, text in enumerate(values):
                self.demography_table.setItem(index, column, item(text, right=column > 0))
        lines = [
            f"<p><b>{format_int(report.on_site)} professionnel(s) exercent sur le territoire</b> "
            f"({format_int(report.population)} habitants)"
            + (f" ; {report.around} autre(s) aux alentours, hors du calcul de densité." if report.around else ".")
            + "</p>"
        ]
        lines += ["<p>" + "<br>".join(d.sentences()) + "</p>" for d in report.professions]
        if not report.professions:
            lines.append("<p>Aucun professionnel recensé sur les communes du territoire.</p>")
        lines.append(f"<p><i>{report.rule}</i></p>")
        self.demography_text.setHtml("".join(lines))
        pyramid, outlook = report.pyramid, {d.profession: d for d in report.professions}
        self.pyramid_view.show_figure(lambda: professionals_pyramid(pyramid, labels))
        self.outlook_view.show_figure(lambda: density_outlook(outlook, labels))
