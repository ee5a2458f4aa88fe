"""Step 3 — Accessibilité: the guide's four measures, travel times, APL index, three 15s, maps."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from santeloc.analysis.accessibility import (
    AplParameters,
    AplResult,
    DistanceMatrix,
    SupplyPoint,
    TravelModel,
    apl,
    nearest_minutes,
    population_beyond_table,
    supply_by_commune,
)
from santeloc.analysis.demography import three_fifteens
from santeloc.domain.errors import DomainError, ValidationError
from santeloc.domain.formatting import format_decimal, format_int
from santeloc.domain.indicators import parse_french_number
from santeloc.domain.professions import PROFESSIONS
from santeloc.exports.maps import choropleth_map
from santeloc.exports.survey_charts import empty_chart
from santeloc.gui.context import AppContext
from santeloc.gui.dialogs.mapping_dialog import MappingDialog, guess
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, run_action, show_message
from santeloc.gui.widgets import busy, names_get_width, tidy_combos
from santeloc.services import indicators as settings_svc
from santeloc.services import offer as svc
from santeloc.services.projects import ProjectInfo
from santeloc.services.territory import territory_summary

TITLE = "Accessibilité"
SETTINGS_KEY = "apl_parameters"
DECAYS = (
    ("steps", "Paliers (DREES : 1 jusqu'à 10 min, 2/3 à 15, 1/3 à 20)"),
    ("continuous", "Décroissance continue"),
    ("none", "Aucune (tout ou rien)"),
)


def cell(text: str, right: bool = False) -> QTableWidgetItem:
    """A read-only cell."""
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class AccessPage(QWidget):
    """The page of step 3."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project: ProjectInfo | None = None
        self.result: AplResult | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("accessTabs")
        self.tabs.addTab(self._measures_tab(), "Les quatre mesures du guide")
        self.tabs.addTab(self._computed_tab(), "Temps d'accès et indice APL")
        layout.addWidget(self.tabs)
        tidy_combos(self, 14)

    def _measures_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = QLabel(
            "Le guide mesure l'accès aux soins de quatre façons : le délai pour obtenir un rendez-vous, le "
            "temps de trajet (onglet suivant), la permanence des soins le soir et le week-end, et l'accès "
            "financier (bénéficiaires de la C2S, part des médecins en secteur 1). Saisissez ce que vous avez "
            "recueilli auprès des cabinets, de l'ARS et de la CPAM, avec la source."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Mesure</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Valeur</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Source</b>"), 0, 2)
        self.measure_edits: dict[str, tuple[QLineEdit, QLineEdit]] = {}
        for row, (key, label, unit) in enumerate(svc.ACCESS_MEASURES, start=1):
            caption = QLabel(f"{label} ({unit})")
            caption.setWordWrap(True)
            value = QLineEdit()
            value.setObjectName(f"measure_{key}")
            value.setMaximumWidth(120)
            source = QLineEdit()
            source.setPlaceholderText("ex. enquête auprès des cabinets, mars 2027")
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
            grid.addWidget(source, row, 2)
            self.measure_edits[key] = (value, source)
            value.editingFinished.connect(lambda k=key: self._save_measure(k))
            source.editingFinished.connect(lambda k=key: self._save_measure(k))
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        layout.addLayout(grid)
        layout.addStretch(1)
        return tab

    def _computed_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        box = QGroupBox("Paramètres (toujours imprimés avec les résultats)")
        form = QGridLayout(box)
        self.profession = QComboBox()
        self.profession.setObjectName("aplProfession")
        for profession in PROFESSIONS[:-1]:
            self.profession.addItem(profession.plural, profession.key)
        self.decay = QComboBox()
        for value, label in DECAYS:
            self.decay.addItem(label, value)
        self.max_minutes = QSpinBox()
        self.max_minutes.setRange(5, 60)
        self.max_minutes.setValue(20)
        self.max_minutes.setSuffix(" min")
        self.age_cap = QSpinBox()
        self.age_cap.setRange(50, 99)
        self.age_cap.setValue(65)
        self.age_cap.setSuffix(" ans")
        self.detour = QDoubleSpinBox()
        self.detour.setRange(1.0, 3.0)
        self.detour.setSingleStep(0.1)
        self.detour.setValue(1.3)
        self.speed = QSpinBox()
        self.speed.setRange(10, 130)
        self.speed.setValue(60)
        self.speed.setSuffix(" km/h")
        self.compute_button = QPushButton("Calculer")
        self.compute_button.setObjectName("computeButton")
        # Two pairs per row, so the parameters fit a 1366 × 768 screen with the help open.
        pairs = (
            ("Profession", self.profession),
            ("Pondération", self.decay),
            ("Au-delà de", self.max_minutes),
            ("Exclure à partir de", self.age_cap),
            ("Détour routier", self.detour),
            ("Vitesse moyenne", self.speed),
        )
        for index, (caption, widget) in enumerate(pairs):
            form.addWidget(QLabel(caption), index // 2, (index % 2) * 2)
            form.addWidget(widget, index // 2, (index % 2) * 2 + 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        form.addWidget(self.compute_button, 0, 4, 3, 1)
        self.matrix_label = QLabel()
        self.matrix_label.setObjectName("matrixLabel")
        self.matrix_label.setWordWrap(True)
        self.matrix_button = QPushButton("Importer un distancier…")
        self.matrix_button.setToolTip("Temps de trajet entre communes (par exemple le distancier METRIC de l'INSEE)")
        self.clear_matrix_button = QPushButton("Revenir à l'estimation")
        form.addWidget(self.matrix_label, 3, 0, 1, 3)
        form.addWidget(self.matrix_button, 3, 3)
        form.addWidget(self.clear_matrix_button, 3, 4)
        self.matrix_button.clicked.connect(self.choose_matrix_file)
        self.clear_matrix_button.clicked.connect(self.clear_matrix)
        layout.addWidget(box)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QTextBrowser()
        self.summary.setObjectName("accessSummary")
        left_layout.addWidget(self.summary, 2)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("accessTable")
        self.table.setHorizontalHeaderLabels(["Commune", "Population", "Minutes au plus proche", "Indice APL"])
        names_get_width(self.table)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        left_layout.addWidget(self.table, 3)
        splitter.addWidget(left)
        maps = QTabWidget()
        self.apl_map = FigureView()
        self.apl_map.setObjectName("aplMap")
        self.time_map = FigureView()
        self.time_map.setObjectName("timeMap")
        maps.addTab(self.apl_map, "Carte de l'indice APL")
        maps.addTab(self.time_map, "Carte des temps d'accès")
        splitter.addWidget(maps)
        splitter.setSizes([520, 480])
        layout.addWidget(splitter, 1)
        self.compute_button.clicked.connect(self.compute)
        return tab

    # --- loading -------------------------------------------------------------------------

    def load(self, project: ProjectInfo) -> None:
        """Show a project's step 3 (measures, saved parameters, last computation)."""
        self.project = project
        self._loading = True
        try:
            measures = svc.list_measures(self.ctx.uow(), project.id)
            for key, (value, source) in self.measure_edits.items():
                row = measures.get(key)
                value.setText(format_decimal(row.value, 1).removesuffix(",0") if row and row.value is not None else "")
                source.setText(row.source if row else "")
            saved = settings_svc.get_settings(self.ctx.uow(), project.id).get(SETTINGS_KEY)
            if saved:
                self._apply_parameters(json.loads(saved))
        finally:
            self._loading = False
        self.result = None
        self.summary.setHtml("<p>Choisissez une profession et cliquez sur « Calculer ».</p>")
        self.table.setRowCount(0)
        self._show_matrix_state()
        if saved:  # the last computation, redone from its saved parameters (never another project's maps)
            with busy():
                self.compute(quiet=True)
        if self.result is None:
            for view in (self.apl_map, self.time_map):
                view.set_figure(empty_chart("Choisissez une profession et cliquez sur « Calculer »."))

    def _show_matrix_state(self) -> None:
        pairs = svc.travel_times(self.ctx.uow(), self._project_id())
        self.clear_matrix_button.setEnabled(bool(pairs))
        if pairs:
            self.matrix_label.setText(
                f"Distancier importé : {format_int(len(pairs))} trajets ; il remplace l'estimation."
            )
        else:
            self.matrix_label.setText("Temps de trajet estimés à vol d'oiseau (pas de distancier importé).")

    def choose_matrix_file(self) -> None:
        """Ask for a travel-time table and import it."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Importer un distancier", str(Path.home()), "Tableaux (*.csv *.txt *.xlsx)"
        )
        if path:
            self.import_matrix(Path(path))

    def import_matrix(self, path: object) -> MappingDialog | None:
        """Column mapping, then an all-or-nothing import of the travel times."""
        from pathlib import Path

        from santeloc.analysis.tabular import read_table

        table = run_action(self, TITLE, lambda: read_table(Path(str(path))))
        if table is None:
            return None
        words = {"origin": ("depart", "origine", "codgeo", "commune 1"), "destination": ("arrivee", "destination", "commune 2"),
                 "minutes": ("minute", "duree", "temps")}  # fmt: skip
        dialog = MappingDialog(
            "Importer un distancier", table, svc.MATRIX_FIELDS, guess(table.headers, svc.MATRIX_FIELDS, words), self
        )

        def save() -> None:
            try:
                count, errors = svc.import_travel_times(
                    self.ctx.uow(), self._project_id(), table, dialog.mapping(), self.ctx.refdata
                )
            except DomainError as exc:
                dialog.show_errors([(0, exc.message)])
                return
            if errors:
                dialog.show_errors(errors)
                return
            dialog.accept()
            self._show_matrix_state()
            self.ctx.saved.emit(f"{count} trajets enregistrés")

        dialog.ok_button.clicked.connect(save)
        dialog.open()
        self.matrix_dialog = dialog
        return dialog

    def clear_matrix(self) -> None:
        """Use the estimate again."""
        if attempt(self, TITLE, lambda: svc.clear_travel_times(self.ctx.uow(), self._project_id())):
            self._show_matrix_state()

    def _apply_parameters(self, data: dict[str, object]) -> None:
        self.profession.setCurrentIndex(max(0, self.profession.findData(data.get("profession"))))
        self.decay.setCurrentIndex(max(0, self.decay.findData(data.get("decay"))))
        self.max_minutes.setValue(int(data.get("max_minutes", 20)))  # type: ignore[call-overload]
        self.age_cap.setValue(int(data.get("age_cap", 65)))  # type: ignore[call-overload]
        self.detour.setValue(float(data.get("detour", 1.3)))  # type: ignore[arg-type]
        self.speed.setValue(int(data.get("speed", 60)))  # type: ignore[call-overload]

    def _project_id(self) -> int:
        assert self.project is not None
        return self.project.id

    # --- measures ------------------------------------------------------------------------

    def _save_measure(self, key: str) -> None:
        if self._loading or self.project is None:
            return
        value_edit, source_edit = self.measure_edits[key]
        text = value_edit.text().strip()
        try:
            value = parse_french_number(text) if text else None
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
            return
        if attempt(
            self,
            TITLE,
            lambda: svc.set_measure(self.ctx.uow(), self._project_id(), key, value, source=source_edit.text().strip()),
        ):
            self.ctx.saved.emit("Enregistré")
            self.changed.emit()

    # --- computation ---------------------------------------------------------------------

    def parameters(self) -> tuple[AplParameters, TravelModel]:
        """The parameters chosen on the page."""
        max_minutes = float(self.max_minutes.value())
        decay = self.decay.currentData()
        steps = ((max_minutes / 2, 1.0), (max_minutes * 3 / 4, 2 / 3), (max_minutes, 1 / 3))
        params = AplParameters(max_minutes=max_minutes, decay=decay, steps=steps, age_cap=self.age_cap.value())
        return params, TravelModel(detour_factor=self.detour.value(), speed_kmh=float(self.speed.value()))

    def compute(self, quiet: bool = False) -> AplResult | None:
        """Travel time to the nearest professional and APL index of each commune.

        ``quiet``: redone on opening the step from the saved parameters (no message, nothing saved).
        """
        say = (lambda text: None) if quiet else (lambda text: show_message(self, TITLE, text))
        if self.project is None:
            return None
        summary = territory_summary(self.ctx.uow(), self._project_id(), self.ctx.refdata)
        if summary.is_empty:
            say("Choisissez d'abord les communes du territoire (étape 0).")
            return None
        profession = self.profession.currentData()
        year = date.today().year
        rows = [r for r in svc.list_professionals(self.ctx.uow(), self._project_id()) if r.profession == profession]
        points = []
        for row in rows:
            for code in filter(None, (row.commune_code, row.secondary_commune_code)):
                share = 0.5 if row.secondary_commune_code else 1.0  # a second site splits the time
                points.append(SupplyPoint(code, (row.fte or 1.0) * share, None, row.age(year)))
        if not points:
            say("Aucun professionnel de cette profession n'est recensé (étape 2) : rien à calculer.")
            return None
        try:
            params, model = self.parameters()
            supply = supply_by_commune(points, params)
            pairs = svc.travel_times(self.ctx.uow(), self._project_id())
            matrix = DistanceMatrix.from_pairs(pairs, source="distancier importé") if pairs else None
            result = apl(summary.codes, supply, self.ctx.refdata, params, model, matrix)
            minutes = nearest_minutes(
                summary.codes, sorted({p.commune_code for p in points}), self.ctx.refdata, model, matrix
            )
        except DomainError as exc:
            say(exc.message)
            return None
        self.result = result
        if not quiet:
            settings_svc.set_setting(self.ctx.uow(), self._project_id(), SETTINGS_KEY, json.dumps({
                "profession": profession, "decay": params.decay, "max_minutes": self.max_minutes.value(),
                "age_cap": params.age_cap, "detour": model.detour_factor, "speed": self.speed.value()}))  # fmt: skip
        population = {commune.code: float(commune.population) for commune in summary.communes}
        beyond = population_beyond_table(minutes, population)
        fifteens = three_fifteens(summary.population, len(rows), max(minutes.values()) if minutes else None)
        lines = [f"<p><b>{self.profession.currentText()}</b> — indice moyen du territoire : "
                 f"<b>{result.format_value(result.territory_mean)}</b></p>"]  # fmt: skip
        lines += [f"<p>{line}</p>" for line in result.describe().split("\n") if line.strip()]
        lines += [f"<p>{item.sentence}</p>" for item in beyond]
        lines.append(f"<p><i>{fifteens.sentence}</i></p>")
        self.summary.setHtml("".join(lines))
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(summary.communes))
        for index, commune in enumerate(summary.communes):
            value = result.by_commune.get(commune.code, float("nan"))
            time = minutes.get(commune.code, float("nan"))
            self.table.setItem(index, 0, cell(commune.name))
            self.table.setItem(index, 1, cell(format_int(commune.population), right=True))
            self.table.setItem(index, 2, cell(format_decimal(time, 0) if time == time else "—", right=True))
            self.table.setItem(
                index, 3, cell(format_decimal(value * result.scale, 1) if value == value else "—", right=True)
            )
        self.table.setSortingEnabled(True)
        self.table.setHorizontalHeaderLabels(
            ["Commune", "Population", "Minutes au plus proche", f"APL ({result.unit_label})"]
        )
        sites = [p.commune_code for p in points]
        scale = result.scale
        self.apl_map.set_figure(choropleth_map(
            self.ctx.refdata, {c: v * scale for c, v in result.by_commune.items() if c in population},
            title=f"Indice APL — {self.profession.currentText()}", legend_label=result.unit_label, sites=sites))  # fmt: skip
        self.time_map.set_figure(choropleth_map(
            self.ctx.refdata, {c: minutes.get(c, float("nan")) for c in population},
            title=f"Temps d'accès — {self.profession.currentText()}", legend_label="minutes (estimation)",
            sites=sites, reverse=True))  # fmt: skip
        if not quiet:
            self.ctx.saved.emit("Calcul enregistré")
        return result
