"""Step 1 — État de santé des habitants: indicators, comparisons, charts, population, constats."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_decimal, format_int, plural
from santeloc.domain.indicators import THEMES, Unit, parse_french_number
from santeloc.exports.charts import comparison_chart, population_pyramid, smr_chart
from santeloc.gui.context import AppContext
from santeloc.gui.dialogs.import_dialog import IndicatorImportDialog
from santeloc.gui.dialogs.wide_table_dialog import WideTableDialog, indicator_import_dialog
from santeloc.gui.fields import select_all_on_focus
from santeloc.gui.indicator_model import IndicatorTreeModel
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, confirm, explain, run_action
from santeloc.gui.pages.base import StepPage
from santeloc.gui.pages.health_catalogue import CatalogueDialog
from santeloc.gui.widgets import names_get_width, sizes_when_shown, tidy_combos
from santeloc.gui.workers import BackgroundTask, Report
from santeloc.services import indicators as svc
from santeloc.services.changes import Kind
from santeloc.services.indicators import IndicatorRow
from santeloc.services.projects import ProjectInfo
from santeloc.services.tables import read_table
from santeloc.services.territory import territory_summary

TITLE = "État de santé des habitants"
COLUMNS = (
    "Indicateur",
    "Unité",
    "Année",
    "Territoire",
    "Département",
    "Région",
    "France",
    "Écart",
    "Indice comparatif",
    "Constat",
)
NUMBER_FIELDS = ("value_territory", "value_departement", "value_region", "value_france", "observed", "expected")
FILE_FILTER = "Tableaux (*.csv *.txt *.tsv *.xlsx);;Tous les fichiers (*)"


def number_text(value: float | None) -> str:
    """A value the French way, with as many decimals as it has (up to 2)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return format_int(int(value))
    return format_decimal(value, 2 if abs(value) < 100 else 1).rstrip("0").rstrip(",")


class HealthPage(StepPage):
    """The page of step 1. Every field is saved as soon as it is left."""

    WATCHES = frozenset({Kind.HEALTH, Kind.TERRITORY})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[IndicatorRow] = []
        self.current: IndicatorRow | None = None
        self._constat_versions: dict[int, int] = {}  # constat id → version shown
        self.task: BackgroundTask | None = None
        self.labels = svc.reference_labels(None, None)
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("healthTabs")
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._build_indicators_tab(), "Indicateurs")
        self.tabs.addTab(self._build_charts_tab(), "Graphiques")
        self.tabs.addTab(self._build_population_tab(), "Population")
        self.tabs.addTab(self._build_constats_tab(), "Constats")
        self.tabs.currentChanged.connect(self._tab_changed)
        tidy_combos(self)

    # --- building ------------------------------------------------------------------------

    def _build_indicators_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        self.catalogue_button = QPushButton("Catalogue…")
        self.catalogue_button.setToolTip("Ajouter des indicateurs du catalogue, classés par thème")
        self.custom_button = QPushButton("Nouvel indicateur…")
        self.custom_button.setToolTip("Ajouter un indicateur qui n'est pas au catalogue")
        self.import_button = QPushButton("Importer (CSV, Excel)…")
        self.import_button.setToolTip("Importer le tableau transmis par l'ORS, SCORE-Santé ou Géodes")
        self.delete_button = QPushButton("Supprimer")
        self.constat_button = QPushButton("Retenir comme constat")
        for button in (self.catalogue_button, self.custom_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.constat_button)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = IndicatorTreeModel(COLUMNS, self._cells)
        self.tree = QTreeView()
        self.tree.setObjectName("indicatorTree")
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        names_get_width(self.tree, name_minimum=220)
        # « Taux comparatif de mortalit… » told five indicators apart badly: cut in the middle, the end
        # of a long name (« …prématurée (avant 65 ans) ») stays readable.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.empty_label = QLabel(
            "Aucun indicateur pour l'instant. Ajoutez ceux du catalogue (mortalité, maladies chroniques, "
            "situation sociale…), puis saisissez leurs valeurs ou importez le tableau que vous a transmis "
            "l'observatoire régional de santé (ORS)."
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #4d5c57; padding: 8px;")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.empty_label)
        top_layout.addWidget(self.tree)
        splitter.addWidget(top)
        # The list gets the height; the form scrolls when the window is short (a 1366 × 768 laptop).
        detail_area = QScrollArea()
        detail_area.setObjectName("indicatorDetailArea")
        detail_area.setWidgetResizable(True)
        detail_area.setFrameShape(QFrame.Shape.NoFrame)
        detail_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        detail_area.setWidget(self._build_detail())
        splitter.addWidget(detail_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        sizes_when_shown(splitter, [480, 300])
        layout.addWidget(splitter, 1)

        self.catalogue_button.clicked.connect(self.open_catalogue)
        self.custom_button.clicked.connect(self.add_custom)
        self.import_button.clicked.connect(self.choose_import_file)
        self.delete_button.clicked.connect(self.delete_selected)
        self.constat_button.clicked.connect(self.make_constat)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        return tab

    def _build_detail(self) -> QWidget:
        box = QGroupBox("Indicateur sélectionné")
        box.setObjectName("indicatorDetail")
        outer_v = QVBoxLayout(box)
        outer = QHBoxLayout()
        outer_v.addLayout(outer)
        left = QFormLayout()
        right = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        self.label_edit = QLineEdit()
        self.theme_combo = QComboBox()
        self.theme_combo.setEditable(True)
        for key, label in THEMES:
            self.theme_combo.addItem(label, key)
        self.unit_combo = QComboBox()
        for unit in Unit:
            self.unit_combo.addItem(unit.label, unit.value)
        self.year_edit = QLineEdit()
        self.year_edit.setPlaceholderText("ex. 2021 ou 2015-2019")
        self.source_edit = QLineEdit()
        left.addRow("Libellé", self.label_edit)
        left.addRow("Thème", self.theme_combo)
        left.addRow("Unité", self.unit_combo)
        left.addRow("Année", self.year_edit)
        left.addRow("Source", self.source_edit)
        captions = {
            "value_territory": "Valeur du territoire",
            "value_departement": "Département",
            "value_region": "Région",
            "value_france": "France",
            "observed": "Effectif observé",
            "expected": "Effectif attendu",
        }
        for key in NUMBER_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"field_{key}")
            edit.setPlaceholderText("nombre, ex. 12,5")
            self.fields[key] = edit
            right.addRow(captions[key], edit)
            edit.editingFinished.connect(lambda k=key: self._save_number(k))
            select_all_on_focus(edit)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setPlaceholderText("Commentaire (facultatif)")
        self.comment_edit.setMaximumHeight(60)
        self.comment_timer = QTimer(self)
        self.comment_timer.setSingleShot(True)
        self.comment_timer.setInterval(600)
        self.comment_timer.timeout.connect(lambda: self._save("comment", self.comment_edit.toPlainText()))
        self.comment_edit.textChanged.connect(lambda: None if self._loading else self.comment_timer.start())
        self.reading = QLabel()
        self.reading.setObjectName("indicatorReading")
        self.reading.setWordWrap(True)
        self.reading.setTextFormat(Qt.TextFormat.RichText)
        column = QVBoxLayout()
        column.addLayout(left)
        column.addWidget(self.comment_edit)
        outer.addLayout(column, 3)
        outer.addLayout(right, 2)
        # Reserved room for the comparison sentences: when they appear, nothing above them moves.
        self.reading.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        reading_area = QScrollArea()
        reading_area.setObjectName("indicatorReadingArea")
        reading_area.setWidgetResizable(True)
        reading_area.setFrameShape(QFrame.Shape.NoFrame)
        reading_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        reading_area.setWidget(self.reading)
        reading_area.setFixedHeight(self.reading.fontMetrics().lineSpacing() * 5 + 6)
        outer_v.addWidget(reading_area)
        self.label_edit.editingFinished.connect(lambda: self._save("label", self.label_edit.text()))
        self.source_edit.editingFinished.connect(lambda: self._save("source", self.source_edit.text()))
        self.year_edit.editingFinished.connect(self._save_year)
        self.theme_combo.activated.connect(lambda _i: self._save("theme", self._theme_value()))
        self.unit_combo.activated.connect(lambda _i: self._save("unit", self.unit_combo.currentData()))
        self.detail = box
        box.setEnabled(False)
        return box

    def _build_charts_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("Thème :"))
        self.chart_theme = QComboBox()
        self.chart_theme.setObjectName("chartTheme")
        self.chart_theme.currentIndexChanged.connect(lambda _i: self.refresh_charts())
        row.addWidget(self.chart_theme, 1)
        layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.comparison_view = FigureView()
        self.comparison_view.setObjectName("comparisonChart")
        self.smr_view = FigureView()
        self.smr_view.setObjectName("smrChart")
        splitter.addWidget(self.comparison_view)
        splitter.addWidget(self.smr_view)
        layout.addWidget(splitter, 1)
        return tab

    def _build_population_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        left = QVBoxLayout()
        self.population_label = QLabel()
        self.population_label.setObjectName("populationLabel")
        self.population_label.setWordWrap(True)
        left.addWidget(self.population_label)
        ages = QGroupBox("Table des âges (INSEE)")
        ages_layout = QVBoxLayout(ages)
        ages_hint = QLabel(
            "Importez un tableau à trois colonnes : tranche d'âge, hommes, femmes (par exemple "
            "l'export « Population par sexe et âge » de l'INSEE pour vos communes, additionnées)."
        )
        ages_hint.setWordWrap(True)
        ages_layout.addWidget(ages_hint)
        self.import_ages_button = QPushButton("Importer la table du territoire…")
        self.import_reference_ages_button = QPushButton("Importer la table de référence…")
        ages_layout.addWidget(self.import_ages_button)
        ages_layout.addWidget(self.import_reference_ages_button)
        left.addWidget(ages)
        projection = QGroupBox("Projection de population")
        form = QFormLayout(projection)
        self.projection_spin = QSpinBox()
        self.projection_spin.setObjectName("projectionSpin")
        self.projection_spin.setRange(0, 10_000_000)
        self.projection_spin.setGroupSeparatorShown(True)
        self.projection_spin.setSpecialValueText("non renseignée")
        self.projection_spin.setSuffix(" habitants")
        self.projection_year = QSpinBox()
        self.projection_year.setObjectName("projectionYear")
        self.projection_year.setRange(2000, 2100)
        self.projection_year.setValue(2035)
        form.addRow("Population attendue", self.projection_spin)
        form.addRow("à l'horizon", self.projection_year)
        hint = QLabel("Elle servira à projeter la densité de professionnels (étape 2).")
        hint.setWordWrap(True)
        form.addRow(hint)
        left.addWidget(projection)
        left.addStretch(1)
        layout.addLayout(left, 2)
        self.pyramid_view = FigureView()
        self.pyramid_view.setObjectName("pyramidChart")
        layout.addWidget(self.pyramid_view, 3)
        self.import_ages_button.clicked.connect(lambda: self.choose_age_file("territoire"))
        self.import_reference_ages_button.clicked.connect(lambda: self.choose_age_file("reference"))
        self.projection_spin.editingFinished.connect(self._save_projection)
        self.projection_year.editingFinished.connect(self._save_projection)
        return tab

    def _build_constats_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = QLabel(
            "Les constats sont ce que le diagnostic retient : ils nourriront le choix des priorités. "
            "Un diagnostic utile ne s'arrête pas à une liste de chiffres."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        buttons = QHBoxLayout()
        self.add_constat_button = QPushButton("Nouveau constat…")
        self.delete_constat_button = QPushButton("Supprimer le constat")
        buttons.addWidget(self.add_constat_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_constat_button)
        layout.addLayout(buttons)
        self.constats_table = QTableWidget(0, 3)
        self.constats_table.setObjectName("constatsTable")
        self.constats_table.setHorizontalHeaderLabels(["Constat", "Commentaire", "Origine"])
        self.constats_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.constats_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.constats_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.constats_table.verticalHeader().setVisible(False)
        self.constats_table.setWordWrap(True)
        self.constats_table.itemChanged.connect(self._constat_edited)
        layout.addWidget(self.constats_table, 1)
        self.add_constat_button.clicked.connect(self.add_free_constat)
        self.delete_constat_button.clicked.connect(self.delete_selected_constat)
        return tab

    # --- loading -------------------------------------------------------------------------

    def load(self, project: ProjectInfo) -> None:
        """Show a project's step 1."""
        self.project = project
        summary = territory_summary(self.ctx.uow(), project.id, self.ctx.refdata)
        dep = summary.reference_departement
        region = summary.reference_region
        self.labels = svc.reference_labels(
            f"la valeur départementale ({dep.name}, {dep.code})" if dep else None,
            f"la valeur régionale ({region.name})" if region else None,
        )
        self.summary = summary
        self.refresh()

    def refresh(self, rows: list[IndicatorRow] | None = None) -> None:
        """Re-read everything of the step from the database (``rows``: indicators just read)."""
        if self.project is None:
            return
        if rows is None:
            rows = run_action(self, TITLE, lambda: svc.list_indicators(self.ctx.uow(), self._project_id(), self.labels))
        if rows is None:
            return
        self.rows = rows
        self._fill_tree()
        self._fill_chart_themes()
        self.refresh_constats()
        self.refresh_population()
        if self.tabs.currentIndex() == 1:
            self.refresh_charts()

    def _fill_tree(self) -> None:
        selected = {row.id for row in self.selected_rows()}
        self.model.set_rows(self.rows)
        self.model.expand_in(self.tree)  # not expandAll: a 100 000-row theme froze the window
        for indicator_id in selected:
            self._select(indicator_id, clear=False)
        self.empty_label.setVisible(not self.rows)
        self.tree.setVisible(bool(self.rows))
        self._selection_changed()

    def _cells(self, row: IndicatorRow) -> list[str]:
        difference = ""
        main = row.comparisons.get("value_departement") or row.comparisons.get("value_france")
        if main is not None and main.relative_difference is not None:
            gap = main.relative_difference
            difference = f"{'+' if gap >= 0 else ''}{format_decimal(gap, 1)} %"
        smr = ""
        if row.smr is not None:
            smr = f"{format_decimal(row.smr.index, 0)} [{format_decimal(row.smr.low, 0)} ; {format_decimal(row.smr.high, 0)}]"
            if row.smr.low > 100:
                smr += " ▲"
            elif row.smr.high < 100:
                smr += " ▼"
        return [
            row.label,
            row.unit_label,
            row.year_label,
            number_text(row.value_territory),
            number_text(row.value_departement),
            number_text(row.value_region),
            number_text(row.value_france),
            difference,
            smr,
            "✓" if row.constat_id else "",
        ]

    def selected_rows(self) -> list[IndicatorRow]:
        """Indicators selected in the tree."""
        rows = [self.model.indicator(index) for index in self.tree.selectionModel().selectedRows()]
        return [row for row in rows if row is not None]

    def select_indicator(self, indicator_id: int) -> None:
        """Select an indicator's line (and only it)."""
        self._select(indicator_id, clear=True)

    def _select(self, indicator_id: int, *, clear: bool) -> None:
        index = self.model.index_of(indicator_id)
        if not index.isValid():
            return
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        if clear:
            flags |= QItemSelectionModel.SelectionFlag.Clear
        self.tree.selectionModel().select(index, flags)
        self.tree.scrollTo(index)

    def _selection_changed(self) -> None:
        rows = self.selected_rows()
        self.delete_button.setEnabled(bool(rows))
        self.constat_button.setEnabled(len(rows) == 1 and rows[0].constat_id is None and rows[0].has_values)
        self.current = rows[0] if len(rows) == 1 else None
        self._fill_detail()

    def _fill_detail(self) -> None:
        row = self.current
        self.detail.setEnabled(row is not None)
        self._loading = True
        try:
            if row is None:
                for edit in (self.label_edit, self.year_edit, self.source_edit, *self.fields.values()):
                    edit.clear()
                self.comment_edit.setPlainText("")
                self.reading.setText("Sélectionnez un indicateur pour le compléter.")
                return
            self.label_edit.setText(row.label)
            index = self.theme_combo.findData(row.theme)
            if index < 0:
                self.theme_combo.setEditText(row.theme)
            else:
                self.theme_combo.setCurrentIndex(index)
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(row.unit)))
            self.year_edit.setText(row.year_label)
            self.source_edit.setText(row.source)
            for key, edit in self.fields.items():
                edit.setText(number_text(getattr(row, key)))
            self.comment_edit.setPlainText(row.comment)
            self.reading.setText(self._reading(row))
        finally:
            self._loading = False

    def _reading(self, row: IndicatorRow) -> str:
        parts = []
        for comparison in row.comparisons.values():
            parts.append(f"• {comparison.sentence}")
        if row.smr is not None:
            parts.append(f"• <b>{row.smr.sentence}</b>")
        if not parts:
            parts.append(
                "Saisissez la valeur du territoire et au moins une valeur de référence pour comparer ; "
                "avec les effectifs observés et attendus, santeloc calcule l'indice comparatif et dit "
                "si l'écart est significatif."
            )
        return "<br>".join(parts)

    # --- saving --------------------------------------------------------------------------

    def _theme_value(self) -> str:
        text = self.theme_combo.currentText()
        for key, label in THEMES:
            if label == text:
                return key
        return text

    def _save(self, key: str, value: object) -> bool:
        row = self.current
        if row is None or self._loading:
            return False
        if getattr(row, key) == value:
            return True
        version = run_action(
            self, TITLE, lambda: svc.update_indicator(self.ctx.uow(), row.id, row.version, **{key: value})
        )
        self.refresh()
        self.select_indicator(row.id)
        if version is None:
            return False
        self.ctx.saved.emit("Enregistré")
        return True

    def _save_number(self, key: str) -> None:
        if self.current is None or self._loading:
            return
        text = self.fields[key].text().strip()
        try:
            value = parse_french_number(text) if text else None
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
            self._fill_detail()
            return
        self._save(key, value)

    def _save_year(self) -> None:
        if self.current is None or self._loading:
            return
        text = self.year_edit.text().strip()
        if text != self.current.year_label:  # a year or a period such as 2015-2019 (issue 14)
            self._save("period", text)

    # --- actions -------------------------------------------------------------------------

    def open_catalogue(self) -> None:
        """Let the user pick catalogue indicators."""
        dialog = CatalogueDialog({row.code for row in self.rows if row.code}, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_from_catalogue(dialog.chosen())

    def add_from_catalogue(self, keys: list[str]) -> None:
        """Add the given catalogue indicators."""
        if not keys or self.project is None:
            return
        if (
            run_action(self, TITLE, lambda: svc.add_from_catalogue(self.ctx.uow(), self._project_id(), keys))
            is not None
        ):
            self._after_change()

    def add_custom(self) -> None:
        """Add an indicator of the user's own, named in a small dialog."""
        label, ok = QInputDialog.getText(self, "Indicateur personnalisé", "Libellé de l'indicateur :")
        if ok:
            self.add_custom_named(label, "", Unit.PERCENT.value)

    def add_custom_named(self, label: str, theme: str, unit: str) -> int | None:
        """Add a custom indicator and select it."""
        new_id = run_action(self, TITLE, lambda: svc.add_custom(self.ctx.uow(), self._project_id(), label, theme, unit))
        if new_id is not None:
            self._after_change()
            self.select_indicator(new_id)
        return new_id

    def delete_selected(self) -> None:
        """Delete the selected indicators after confirmation."""
        rows = self.selected_rows()
        if not rows:
            return
        ids = [row.id for row in rows]

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_indicators(self.ctx.uow(), ids)):
                self._after_change()

        confirm(
            self, "Supprimer", f"Supprimer {plural(len(rows), 'indicateur')} et leurs valeurs ?", "Supprimer", delete
        )

    def make_constat(self) -> None:
        """Keep the selected indicator as a finding of the diagnostic."""
        row = self.current
        if row is None:
            return
        if run_action(self, TITLE, lambda: svc.constat_from_indicator(self.ctx.uow(), row)) is not None:
            self._after_change()
            self.select_indicator(row.id)

    def choose_import_file(self) -> None:
        """Ask for a file, then read it off the GUI thread."""
        path, _filter = QFileDialog.getOpenFileName(
            self, "Importer un tableau d'indicateurs", str(Path.home()), FILE_FILTER
        )
        if path:
            self.read_import_file(Path(path))

    def read_import_file(self, path: Path) -> BackgroundTask:
        """Read a table in the background, then open the column-mapping dialog."""

        def job(report: Report) -> object:
            report(0, 0)
            return read_table(path)

        self.task = BackgroundTask(self, "Importer des indicateurs", f"Lecture de {path.name}…", job)
        self.task.done.connect(lambda table: self.open_import_dialog(table, path))
        self.task.start()
        return self.task

    def open_import_dialog(self, table: object, path: Path) -> IndicatorImportDialog | WideTableDialog:
        """The column-mapping step (non-blocking, so imports never freeze the window)."""
        # Issue 14: a territory x indicators table gets its own dialog; workbooks offer their sheets.
        dialog = indicator_import_dialog(self.ctx, self._project_id(), table, path, self, self.labels)  # type: ignore[arg-type]
        dialog.accepted.connect(lambda: self._after_change(rows=dialog.rows_after))
        dialog.open()
        self.import_dialog = dialog
        return dialog

    def _after_change(self, rows: list[IndicatorRow] | None = None) -> None:
        self.refresh(rows)
        self.ctx.saved.emit("Enregistré")

    # --- charts ---------------------------------------------------------------------------

    def _fill_chart_themes(self) -> None:
        current = self.chart_theme.currentData()
        self.chart_theme.blockSignals(True)
        self.chart_theme.clear()
        self.chart_theme.addItem("Tous les thèmes", "")
        for theme in dict.fromkeys(row.theme for row in self.rows):
            label = svc.THEME_LABELS.get(theme, theme or "Autres indicateurs")
            self.chart_theme.addItem(label, theme)
        index = self.chart_theme.findData(current)
        self.chart_theme.setCurrentIndex(max(index, 0))
        self.chart_theme.blockSignals(False)

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.refresh_charts()

    def refresh_charts(self) -> None:
        """Redraw the comparison and significance charts for the chosen theme."""
        theme = self.chart_theme.currentData()
        rows = [row for row in self.rows if not theme or row.theme == theme]
        title = self.chart_theme.currentText()
        self.comparison_view.show_figure(lambda: comparison_chart(rows, title))
        self.smr_view.show_figure(lambda: smr_chart(rows, "Significativité des écarts"))

    # --- population -----------------------------------------------------------------------

    def refresh_population(self) -> None:
        """Population total, age pyramid and projection."""
        if self.project is None:
            return
        summary = self.summary
        if summary.is_empty:
            self.population_label.setText("Choisissez d'abord les communes du territoire (étape 0).")
        else:
            self.population_label.setText(
                f"<b>{format_int(summary.population)} habitants</b> dans {plural(len(summary.communes), 'commune')} "
                f"(population municipale {summary.population_year}, INSEE)."
            )
        territory = svc.age_table(self.ctx.uow(), self._project_id(), "territoire")
        reference = svc.age_table(self.ctx.uow(), self._project_id(), "reference")
        ref_label = self.labels["value_departement"] if reference else "Référence"
        self.pyramid_view.show_figure(lambda: population_pyramid(territory, reference, ref_label))
        settings = svc.get_settings(self.ctx.uow(), self._project_id())
        self.projection_spin.blockSignals(True)
        self.projection_spin.setValue(int(settings.get(svc.PROJECTION_KEYS[0]) or 0))
        year = settings.get(svc.PROJECTION_KEYS[1])
        if year:
            self.projection_year.setValue(int(year))
        self.projection_spin.blockSignals(False)

    def _save_projection(self) -> None:
        if self.project is None:
            return
        population = self.projection_spin.value() or None
        year = self.projection_year.value()
        done = attempt(
            self, TITLE, lambda: svc.set_population_projection(self.ctx.uow(), self._project_id(), population, year)
        )
        if done:
            self.ctx.saved.emit("Enregistré")

    def choose_age_file(self, level: str) -> None:
        """Ask for an age table file and import it."""
        path, _filter = QFileDialog.getOpenFileName(self, "Importer une table des âges", str(Path.home()), FILE_FILTER)
        if path:
            self.import_age_file(Path(path), level)

    def import_age_file(self, path: Path, level: str) -> bool:
        """Read and save an age table (small files: done at once, all or nothing)."""

        def load() -> bool:
            from santeloc.services.table_formats import age_groups_from_file  # issue 14: INSEE tables too

            summary = territory_summary(self.ctx.uow(), self._project_id(), self.ctx.refdata)
            communes = None if level == "reference" else list(summary.codes)
            groups = age_groups_from_file(path, communes)
            svc.set_age_table(self.ctx.uow(), self._project_id(), level, groups, year=None, source=path.name)
            return True

        if run_action(self, "Table des âges", load):
            self.refresh_population()
            self.ctx.saved.emit("Table des âges enregistrée")
            return True
        return False

    # --- constats ---------------------------------------------------------------------------

    def refresh_constats(self) -> None:
        """List the findings."""
        if self.project is None:
            return
        constats = run_action(self, TITLE, lambda: svc.list_constats(self.ctx.uow(), self._project_id()))
        if constats is None:
            return
        self._constat_versions = {constat.id: constat.version for constat in constats}
        self.constats_table.blockSignals(True)
        self.constats_table.setRowCount(len(constats))
        for row_index, constat in enumerate(constats):
            origin = "Indicateur" if constat.indicator_id else "Constat libre"
            for column, text in enumerate((constat.title, constat.comment, origin)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, constat.id)
                if column == 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.constats_table.setItem(row_index, column, item)
        self.constats_table.resizeRowsToContents()
        self.constats_table.blockSignals(False)
        self.tabs.setTabText(3, f"Constats ({len(constats)})")

    def add_free_constat(self) -> None:
        """Write a finding that no indicator carries (e.g. heard in a meeting)."""
        title, ok = QInputDialog.getText(self, "Nouveau constat", "Intitulé du constat :")
        if ok:
            self.add_constat_titled(title)

    def add_constat_titled(self, title: str, comment: str = "") -> int | None:
        """Add a free finding."""
        new_id = run_action(self, TITLE, lambda: svc.add_constat(self.ctx.uow(), self._project_id(), title, comment))
        if new_id is not None:
            self._after_change()
        return new_id

    def _constat_edited(self, item: QTableWidgetItem) -> None:
        constat_id = item.data(Qt.ItemDataRole.UserRole)
        seen = self._constat_versions.get(constat_id)  # a save over someone else's is refused
        field = "title" if item.column() == 0 else "comment"
        version = run_action(self, TITLE, lambda: svc.update_constat(self.ctx.uow(), constat_id,
                                                                     expected_version=seen, **{field: item.text()}))  # fmt: skip
        if version is not None:
            self._constat_versions[constat_id] = version
            self.ctx.saved.emit("Enregistré")
        else:
            self.refresh_constats()

    def delete_selected_constat(self) -> None:
        """Delete the selected finding."""
        rows = self.constats_table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.constats_table.item(rows[0].row(), 0)
        if item is None:
            return
        constat_id = item.data(Qt.ItemDataRole.UserRole)
        if attempt(self, TITLE, lambda: svc.delete_constat(self.ctx.uow(), constat_id)):
            self._after_change()
