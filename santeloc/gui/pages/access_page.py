"""Step 3 — Accessibilité: the guide's four measures, travel times, APL index, three 15s, maps."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import DomainError
from santeloc.domain.formatting import format_date, format_decimal, format_int
from santeloc.domain.indicators import parse_french_number
from santeloc.exports.maps import choropleth_map
from santeloc.gui.context import AppContext
from santeloc.gui.dialogs.mapping_dialog import MappingDialog
from santeloc.gui.fields import clear_field_error, show_field_error
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, run_action, show_message
from santeloc.gui.pages.access_official import OfficialAplPanel
from santeloc.gui.pages.access_scenarios import ScenarioPanel
from santeloc.gui.pages.base import StepPage, cell, header_tips
from santeloc.gui.widgets import names_get_width, tidy_combos
from santeloc.gui.workers import BackgroundTask
from santeloc.services import access as access_svc
from santeloc.services import offer as svc
from santeloc.services.access import APL_PROFESSIONS, DECAYS, AplChoice, AplReport
from santeloc.services.apl_comparison import compare_apl
from santeloc.services.changes import Kind
from santeloc.services.official_apl_figures import OfficialAplFigures, official_apl_figures
from santeloc.services.projects import ProjectInfo

TITLE = "Accessibilité"
NO_AGE_CAP = 49  # the age spin box's lowest value, shown as « aucun âge »: every doctor counted


class AccessPage(StepPage):
    """The page of step 3."""

    WATCHES = frozenset({Kind.ACCESS, Kind.OFFER, Kind.TERRITORY})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.result: AplReport | None = None
        self.official_figures: list[OfficialAplFigures] = []
        self._activity = AplChoice.activity  # not on the page: kept from the last run (CLI --activite)
        self.task: BackgroundTask | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("accessTabs")
        # The official figure first: the DREES's APL, as the ARS reads it.
        self.official = OfficialAplPanel(ctx)
        self.official.imported.connect(self._official_imported)
        self.tabs.addTab(self.official, "APL officielle (DREES)")
        self.tabs.addTab(self._measures_tab(), "Les quatre mesures du guide")
        self.tabs.addTab(self._computed_tab(), "Temps d'accès et indice calculé")
        self.scenarios = ScenarioPanel(ctx)
        self.tabs.addTab(self.scenarios, "Et si… (scénarios)")
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
        for key, label in APL_PROFESSIONS:
            self.profession.addItem(label, key)
        self.decay = QComboBox()
        for value, label in DECAYS:
            self.decay.addItem(label, value)
        self.max_minutes = QSpinBox()
        self.max_minutes.setRange(5, 60)
        self.max_minutes.setValue(20)
        self.max_minutes.setSuffix(" min")
        self.age_cap = QSpinBox()
        self.age_cap.setObjectName("aplAgeCap")
        self.age_cap.setRange(NO_AGE_CAP, 99)
        self.age_cap.setSpecialValueText("aucun âge")  # shown at NO_AGE_CAP: every doctor, the DREES main APL
        self.age_cap.setValue(NO_AGE_CAP)
        self.age_cap.setSuffix(" ans")
        self.age_cap.setToolTip(
            "« aucun âge » : tous les médecins, comme l'APL principale de la DREES ; 65 ans : sa variante "
            "« médecins de moins de 65 ans »"
        )
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
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("accessTable")
        self.table.setHorizontalHeaderLabels(["Commune", "Habitants", "Minutes", "Calculé", "Officielle"])
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
        maps.addTab(self.apl_map, "Carte de l'indice calculé")
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
            self._apply_choice(access_svc.last_choice(self.ctx.uow(), project.id))
        finally:
            self._loading = False
        self.official_figures = official_apl_figures(self.ctx.uow(), project.id, self.ctx.refdata)
        self.official.show_figures(project.id, self.official_figures)
        self.scenarios.load(project.id)
        self.result = access_svc.latest_apl(self.ctx.uow(), project.id, self.ctx.refdata)
        if self.result is None:
            self.summary.setHtml("<p>Choisissez une profession et cliquez sur « Calculer ».</p>")
            self.table.setRowCount(0)
            self.apl_map.clear()
            self.time_map.clear()
        else:
            self.show_report(self.result)
        self._show_matrix_state()

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

        from santeloc.services.table_formats import read_travel_table

        # Issue 14: COM1/COM2/HC, Métric, origin/destination/minutes recognised; headerless files asked about.
        loaded = run_action(self, TITLE, lambda: read_travel_table(Path(str(path))))
        if loaded is None:
            return None
        table, guessed, question = loaded
        dialog = MappingDialog("Importer un distancier", table, svc.MATRIX_FIELDS, guessed, self, question=question)

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

    def _apply_choice(self, choice: AplChoice) -> None:
        self.profession.setCurrentIndex(max(0, self.profession.findData(choice.profession)))
        self.decay.setCurrentIndex(max(0, self.decay.findData(choice.decay)))
        self.max_minutes.setValue(choice.max_minutes)
        self.age_cap.setValue(NO_AGE_CAP if choice.age_cap is None else choice.age_cap)
        self.detour.setValue(choice.detour)
        self.speed.setValue(choice.speed)
        self._activity = choice.activity

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
            svc.set_measure(self.ctx.uow(), self._project_id(), key, value, source=source_edit.text().strip())
        except DomainError as exc:  # explained beside the value, which stays as typed
            show_field_error(value_edit, exc.message)
            return
        clear_field_error(value_edit)
        self.ctx.saved.emit("Enregistré")

    # --- computation ---------------------------------------------------------------------

    def choice(self) -> AplChoice:
        """The parameters chosen on the page."""
        return AplChoice(
            profession=self.profession.currentData(),
            decay=self.decay.currentData(),
            max_minutes=self.max_minutes.value(),
            age_cap=None if self.age_cap.value() == NO_AGE_CAP else self.age_cap.value(),
            activity=self._activity,
            detour=round(self.detour.value(), 2),
            speed=self.speed.value(),
        )

    def compute(self) -> BackgroundTask | None:
        """Compute and store the APL for the chosen parameters off the GUI thread, then show it
        (:attr:`result` holds it once done)."""
        if self.project is None:
            return None
        project_id, choice = self._project_id(), self.choice()
        uow, refdata = self.ctx.uow(), self.ctx.refdata
        self.compute_button.setEnabled(False)

        def done(report: object) -> None:
            self.compute_button.setEnabled(True)
            assert isinstance(report, AplReport)
            self.result = report
            self.show_report(report)
            self.ctx.saved.emit("Calcul enregistré")

        self.task = BackgroundTask(
            self,
            TITLE,
            "Calcul de l'indice APL…",
            lambda _report: access_svc.compute_apl(uow, project_id, refdata, choice),
        )
        self.task.done.connect(done)
        self.task.failed.connect(lambda _message: self.compute_button.setEnabled(True))
        self.task.start()
        return self.task

    def _official_imported(self, summary: str) -> None:
        if self.project is not None:
            self.load(self.project)
        show_message(self, TITLE, summary, QMessageBox.Icon.Information)
        self.ctx.saved.emit("APL officielle importée")

    def show_report(self, report: AplReport) -> None:
        """Show a stored run: its parameters, the territory's mean beside the official one, the
        table and the maps."""
        label = report.choice.profession_label
        gp = next((item for item in self.official_figures if item.threshold is not None), None)
        comparison = compare_apl(report, gp) if gp is not None else None
        lines = []
        if report.legacy:
            lines.append(
                "<p><b>Ce calcul date d'avant la méthode de la DREES (ETP pour 100 000 habitants) : il n'est pas "
                "comparable à l'APL officielle et n'est repris dans aucun document. Cliquez sur « Calculer ».</b></p>"
            )
        elif gp is not None and report.choice.drees_units:
            lines.append(f"<p>{escape(gp.title)} (chiffre officiel) : <b>{escape(gp.mean_text)}</b>.</p>")
        lines.append(
            f"<p><b>{label}</b> — indice calculé pour le projet : <b>{report.mean_text}</b> "
            f"<i>(calculé le {format_date(report.computed_on)})</i></p>"
        )
        if comparison is not None:
            head, intro, *reasons = comparison.sentences()
            lines.append(f"<p>{escape(head)} {escape(intro)}</p><ul>")
            lines += [f"<li>{escape(reason)}</li>" for reason in reasons]
            lines.append("</ul>")
        lines += [f"<p>{escape(line)}</p>" for line in report.method.split("\n") if line.strip()]
        lines += [f"<p>{sentence}</p>" for sentence in report.beyond]
        lines.append(f"<p><i>{report.fifteens}</i></p>")
        self.summary.setHtml("".join(lines))
        official = {row.code: row.official for row in comparison.rows} if comparison else {}
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(report.communes))
        for index, commune in enumerate(report.communes):
            self.table.setItem(index, 0, cell(commune.name))
            self.table.setItem(index, 1, cell(format_int(commune.population), right=True))
            minutes = format_decimal(commune.minutes, 0) if commune.minutes is not None else "—"
            self.table.setItem(index, 2, cell(minutes, right=True))
            self.table.setItem(index, 3, cell(report.value_text(commune.value), right=True))
            self.table.setItem(index, 4, cell(report.value_text(official.get(commune.code)), right=True))
        self.table.setSortingEnabled(True)
        self.table.setHorizontalHeaderLabels(["Commune", "Habitants", "Minutes", "Calculé", "Officielle"])
        tips = (
            "",
            "Population légale",
            "Minutes jusqu'au professionnel le plus proche",
            f"Indice calculé pour le projet, en {report.unit_label}",
            f"APL officielle de la DREES ({gp.year}), même unité"
            if comparison and gp
            else "Pas d'APL officielle comparable",
        )
        header_tips(self.table, dict(enumerate(tips)))
        sites = list(report.sites)
        values = {c.code: c.value if c.value is not None else float("nan") for c in report.communes}
        minutes_by = {c.code: c.minutes if c.minutes is not None else float("nan") for c in report.communes}
        refdata, unit = self.ctx.refdata, report.unit_label
        self.apl_map.show_figure(lambda: choropleth_map(
            refdata, values, title=f"Indice APL — {label}", legend_label=unit, sites=sites))  # fmt: skip
        self.time_map.show_figure(lambda: choropleth_map(
            refdata, minutes_by, title=f"Temps d'accès — {label}", legend_label="minutes (estimation)",
            sites=sites, reverse=True))  # fmt: skip
