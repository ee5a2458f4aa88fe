"""Step 3, « Et si… » tab: what-if scenarios on the official APL and where to open the maison de
santé. Every figure comes from :mod:`santeloc.services.apl_scenarios`; computations run off the
GUI thread."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import format_decimal, format_int
from santeloc.domain.team import GP_KEY
from santeloc.exports.maps import choropleth_map
from santeloc.gui.context import AppContext
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, run_action
from santeloc.gui.pages.base import cell
from santeloc.gui.widgets import names_get_width
from santeloc.gui.workers import BackgroundTask
from santeloc.services import apl_scenarios as svc
from santeloc.services import offer as offer_svc

TITLE = "Scénarios"
NEEDS = {  # which fields each kind of change asks for
    "arrivee": {"commune", "count", "activity"},
    "depart": {"professional"},
    "departs_attendus": {"horizon"},
    "demenagement": {"professional", "commune"},
    "second_site": {"professional", "commune"},
}


class ScenarioPanel(QWidget):
    """Scenarios of the project: their changes, their result, the ranking of candidate sites."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id: int | None = None
        self.result: svc.ScenarioResult | None = None
        self.ranking: svc.SiteRanking | None = None
        self.task: BackgroundTask | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._scenario_bar())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._left_column())
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.sentence = QLabel()
        self.sentence.setObjectName("scenarioSentence")
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right_layout.addWidget(self.sentence)
        right_layout.addLayout(self._ranking_row())
        right_layout.addWidget(self.sites)
        self.map = FigureView()
        self.map.setObjectName("scenarioMap")
        right_layout.addWidget(self.map, 1)
        splitter.addWidget(right)
        splitter.setSizes([560, 470])
        layout.addWidget(splitter, 1)

    # --- layout --------------------------------------------------------------------------

    def _scenario_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.scenario = QComboBox()
        self.scenario.setObjectName("scenarioChoice")
        self.scenario.currentIndexChanged.connect(lambda _i: self.evaluate())
        self.retained = QCheckBox("Repris dans le diagnostic")
        self.retained.toggled.connect(self._retain)
        bar.addWidget(QLabel("Scénario"))
        bar.addWidget(self.scenario, 1)
        for label, slot in (("Nouveau…", self.new_scenario), ("Dupliquer", self.duplicate),
                            ("Renommer…", self.rename), ("Supprimer", self.delete),
                            ("Comparer…", self.compare)):  # fmt: skip
            button = QPushButton(label)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.retained)
        return bar

    def _left_column(self) -> QWidget:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("Changements de l'offre de médecine générale")
        grid = QGridLayout(box)
        self.changes = QListWidget()
        self.changes.setObjectName("scenarioChanges")
        self.changes.setWordWrap(True)
        self.changes.setMaximumHeight(72)
        grid.addWidget(self.changes, 0, 0, 1, 4)
        self.kind = QComboBox()
        for key, label in svc.KINDS:
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self._show_fields)
        self.commune = QComboBox()
        self.commune.setObjectName("scenarioCommune")
        self.professional = QComboBox()
        self.count = QDoubleSpinBox()
        self.count.setRange(0.5, svc.MAX_PRACTITIONERS)
        self.count.setSingleStep(0.5)
        self.count.setValue(2.0)
        self.count.setDecimals(1)
        self.activity = QSpinBox()
        self.activity.setRange(251, 10_000)
        self.activity.setValue(5400)
        self.activity.setSuffix(" consult./an")
        self.horizon = QComboBox()
        self.horizon.addItem("d'ici 5 ans", 5)
        self.horizon.addItem("d'ici 10 ans", 10)
        self.add_button = QPushButton("Ajouter")
        self.add_button.setObjectName("addChange")
        self.add_button.clicked.connect(self.add_change)
        remove = QPushButton("Retirer")
        remove.clicked.connect(self.remove_change)
        self.fields = {"commune": self.commune, "professional": self.professional, "count": self.count,
                       "activity": self.activity, "horizon": self.horizon}  # fmt: skip
        grid.addWidget(self.kind, 1, 0, 1, 2)
        grid.addWidget(self.add_button, 1, 2)
        grid.addWidget(remove, 1, 3)
        grid.addWidget(self.professional, 2, 0, 1, 2)
        grid.addWidget(self.commune, 2, 2, 1, 2)
        grid.addWidget(self.count, 3, 0)
        grid.addWidget(self.activity, 3, 1)
        grid.addWidget(self.horizon, 3, 2, 1, 2)
        column.addWidget(box)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("scenarioTable")
        self.table.setHorizontalHeaderLabels(["Commune", "APL officielle", "Avec le scénario", "Écart"])
        names_get_width(self.table)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        column.addWidget(self.table, 1)
        self._show_fields()
        return left

    def _ranking_row(self) -> QHBoxLayout:
        where = QHBoxLayout()
        self.site_count = QDoubleSpinBox()
        self.site_count.setRange(0.5, svc.MAX_PRACTITIONERS)
        self.site_count.setSingleStep(0.5)
        self.site_count.setDecimals(1)
        self.site_count.setValue(2.0)
        self.site_count.setSuffix(" méd.")
        self.site_count.setToolTip("Nombre de médecins généralistes à installer")
        self.radius = QSpinBox()
        self.radius.setRange(0, 50)
        self.radius.setValue(10)
        self.radius.setSuffix(" km")
        self.radius.setToolTip("Les communes voisines comparées : jusqu'à cette distance du territoire")
        self.rank_button = QPushButton("Où les installer ?")
        self.rank_button.setToolTip(
            "Classe les communes du territoire et des voisines par habitants passés au-dessus de 2,5"
        )
        self.rank_button.setObjectName("rankSites")
        self.rank_button.clicked.connect(self.rank)
        where.addWidget(self.site_count)
        where.addWidget(self.radius)
        where.addWidget(self.rank_button)
        where.setStretch(0, 1)
        where.setStretch(1, 1)
        self.sites = QTextBrowser()
        self.sites.setObjectName("scenarioSites")
        self.sites.setMaximumHeight(66)  # the map keeps the height; the list scrolls
        return where

    def _show_fields(self) -> None:
        needed = NEEDS.get(self.kind.currentData(), set())
        for name, widget in self.fields.items():
            widget.setVisible(name in needed)

    # --- loading -------------------------------------------------------------------------

    def load(self, project_id: int) -> None:
        """Read the project's scenarios, communes and GPs (the result is computed in the background)."""
        self.project_id = project_id
        uow, refdata = self.ctx.uow(), self.ctx.refdata
        from santeloc.services.territory import territory_summary

        summary = territory_summary(uow, project_id, refdata)
        gps = [r for r in offer_svc.list_professionals(uow, project_id) if r.profession == GP_KEY]
        chosen_commune, chosen_gp = self.commune.currentData(), self.professional.currentData()  # kept on refresh
        self.commune.clear()
        codes = list(dict.fromkeys([*summary.codes, *(r.commune_code for r in gps if r.commune_code)]))
        for code in sorted(codes, key=lambda c: refdata.communes[c].name if c in refdata.communes else c):
            if code in refdata.communes:
                self.commune.addItem(refdata.communes[code].name, code)
        self.professional.clear()
        for row in gps:
            place = refdata.communes[row.commune_code].name if row.commune_code in refdata.communes else "—"
            self.professional.addItem(f"{row.name} ({place})", row.id)
        self.commune.setCurrentIndex(max(0, self.commune.findData(chosen_commune)))
        self.professional.setCurrentIndex(max(0, self.professional.findData(chosen_gp)))
        self._fill_scenarios(svc.list_scenarios(uow, project_id))

    def _fill_scenarios(self, scenarios: list[svc.ScenarioInfo], select: int | None = None) -> None:
        current = select if select is not None else self.scenario.currentData()
        self.scenario.blockSignals(True)
        self.scenario.clear()
        for info in scenarios:
            self.scenario.addItem(info.name + (" (repris dans le diagnostic)" if info.retained else ""), info.id)
        found = self.scenario.findData(current)
        self.scenario.setCurrentIndex(found if found >= 0 else 0)
        self.scenario.blockSignals(False)
        self.evaluate()

    def _scenario_id(self) -> int | None:
        data = self.scenario.currentData()
        return int(data) if data is not None else None

    # --- scenarios -----------------------------------------------------------------------

    def new_scenario(self) -> None:
        """Ask for a name and create an empty scenario."""
        if self.project_id is None:
            return
        name, ok = QInputDialog.getText(self, TITLE, "Nom du scénario :")
        if ok:
            self.create_named(name)

    def create_named(self, name: str) -> svc.ScenarioInfo | None:
        """Create a scenario named ``name`` and show it."""
        assert self.project_id is not None
        project_id = self.project_id
        info = run_action(self, TITLE, lambda: svc.create_scenario(self.ctx.uow(), project_id, name))
        if info is not None:
            self._fill_scenarios(svc.list_scenarios(self.ctx.uow(), project_id), select=info.id)
        return info

    def duplicate(self) -> None:
        """Copy the current scenario."""
        scenario_id = self._scenario_id()
        if scenario_id is None or self.project_id is None:
            return
        info = run_action(self, TITLE, lambda: svc.duplicate_scenario(self.ctx.uow(), scenario_id))
        if info is not None:
            self._fill_scenarios(svc.list_scenarios(self.ctx.uow(), self.project_id), select=info.id)

    def rename(self) -> None:
        """Rename the current scenario."""
        scenario_id = self._scenario_id()
        if scenario_id is None or self.project_id is None:
            return
        name, ok = QInputDialog.getText(
            self, TITLE, "Nouveau nom :", text=self.result.scenario.name if self.result else ""
        )
        if ok and attempt(self, TITLE, lambda: svc.rename_scenario(self.ctx.uow(), scenario_id, name)):
            self._fill_scenarios(svc.list_scenarios(self.ctx.uow(), self.project_id))

    def delete(self) -> None:
        """Delete the current scenario."""
        scenario_id = self._scenario_id()
        if scenario_id is None or self.project_id is None:
            return
        if attempt(self, TITLE, lambda: svc.delete_scenario(self.ctx.uow(), scenario_id)):
            self._fill_scenarios(svc.list_scenarios(self.ctx.uow(), self.project_id))

    def _retain(self, checked: bool) -> None:
        scenario_id, project_id = self._scenario_id(), self.project_id
        if project_id is None or scenario_id is None or self.result is None or self.result.scenario.retained == checked:
            return
        chosen = scenario_id if checked else None
        if attempt(self, TITLE, lambda: svc.retain_scenario(self.ctx.uow(), chosen, project_id)):
            self._fill_scenarios(svc.list_scenarios(self.ctx.uow(), project_id))

    def add_change(self) -> None:
        """Add the change described by the fields to the current scenario."""
        scenario_id = self._scenario_id()
        if scenario_id is None:
            info = self.create_named("Scénario 1") if self.project_id is not None else None
            if info is None:
                return
            scenario_id = info.id
        kind = self.kind.currentData()
        needed = NEEDS[kind]
        commune = self.commune.currentData() if "commune" in needed else ""
        professional = self.professional.currentData() if "professional" in needed else None
        done = attempt(self, TITLE, lambda: svc.add_change(
            self.ctx.uow(), scenario_id, self.ctx.refdata, kind, commune_code=commune or "",
            practitioners=self.count.value(), activity=self.activity.value(), professional_id=professional,
            horizon=self.horizon.currentData()))  # fmt: skip
        if done:
            self.evaluate()

    def remove_change(self) -> None:
        """Remove the selected change."""
        item = self.changes.currentItem()
        if item is None:
            return
        change_id = int(item.data(Qt.ItemDataRole.UserRole))
        if attempt(self, TITLE, lambda: svc.remove_change(self.ctx.uow(), change_id)):
            self.evaluate()

    # --- results -------------------------------------------------------------------------

    def evaluate(self) -> BackgroundTask | None:
        """Compute the current scenario off the GUI thread, then show it (:attr:`result`)."""
        scenario_id = self._scenario_id()
        if scenario_id is None:
            self.result = None
            self.changes.clear()
            self.table.setRowCount(0)
            self.sentence.setText("Créez un scénario (« Nouveau… ») ou ajoutez directement un changement.")
            self.map.clear()
            return None
        uow, refdata = self.ctx.uow(), self.ctx.refdata
        self.task = BackgroundTask(
            self, TITLE, "Calcul du scénario…", lambda _report: svc.evaluate_scenario(uow, scenario_id, refdata)
        )
        self.task.done.connect(self.show_result)
        self.task.start()
        return self.task

    def show_result(self, result: object) -> None:
        """Show a computed scenario."""
        assert isinstance(result, svc.ScenarioResult)
        self.result = result
        self.retained.blockSignals(True)
        self.retained.setChecked(result.scenario.retained)
        self.retained.blockSignals(False)
        self.changes.clear()
        for change in result.changes:
            item = QListWidgetItem(change.text)
            item.setData(Qt.ItemDataRole.UserRole, change.id)
            self.changes.addItem(item)
        self.sentence.setText(f"<b>{escape(result.sentence)}</b>")
        self.table.setRowCount(len(result.communes))
        for row, commune in enumerate(result.communes):
            gain = commune.gain
            cells = (
                cell(commune.name),
                cell(format_decimal(commune.before, 2) if commune.before is not None else "—", right=True),
                cell(format_decimal(commune.after, 2) if commune.after is not None else "—", right=True),
                cell(("+" if gain is not None and gain >= 0 else "") + format_decimal(gain, 2) if gain is not None
                      else "—", right=True),
            )  # fmt: skip
            for column, item_cell in enumerate(cells):
                self.table.setItem(row, column, item_cell)
        self._draw(result, sites=[c.commune_code for c in result.changes if c.commune_code], label="Changement")

    def _draw(self, result: svc.ScenarioResult, sites: list[str], label: str) -> None:
        refdata = self.ctx.refdata
        # The territory and the communes the changes name: the map stays the territory's.
        shown = {c.code for c in result.communes} | set(sites)
        values = {code: value for code, value in result.map_values.items() if code in shown}
        self.map.show_figure(lambda: choropleth_map(
            refdata, values, title="APL avec le scénario", legend_label="consultations par habitant standardisé "
            "et par an", sites=sites, threshold=result.threshold, sites_label=label))  # fmt: skip

    def rank(self) -> BackgroundTask | None:
        """Rank the candidate communes for the chosen number of doctors (on top of the scenario)."""
        if self.project_id is None:
            return None
        project_id, scenario_id = self.project_id, self._scenario_id()
        count, radius = self.site_count.value(), float(self.radius.value())
        uow, refdata = self.ctx.uow(), self.ctx.refdata
        self.task = BackgroundTask(
            self, TITLE, "Classement des communes…",
            lambda _report: svc.rank_candidate_sites(uow, project_id, refdata, count, radius, scenario_id=scenario_id),
        )  # fmt: skip
        self.task.done.connect(self.show_ranking)
        self.task.start()
        return self.task

    def show_ranking(self, ranking: object) -> None:
        """Show the five best sites and put them on the map."""
        assert isinstance(ranking, svc.SiteRanking)
        self.ranking = ranking
        head, *lines = ranking.sentences()
        self.sites.setHtml(f"<p>{escape(head)}</p>" + "".join(f"<p>{escape(line)}</p>" for line in lines))
        if self.result is not None:
            self._draw(self.result, sites=[s.code for _name, s in ranking.sites], label="Sites les mieux placés")

    def compare(self) -> BackgroundTask | None:
        """Every scenario side by side (computed off the GUI thread), in a dialog."""
        if self.project_id is None:
            return None
        project_id, uow, refdata = self.project_id, self.ctx.uow(), self.ctx.refdata
        self.task = BackgroundTask(
            self, TITLE, "Calcul des scénarios…", lambda _report: svc.compare_scenarios(uow, project_id, refdata)
        )
        self.task.done.connect(self.show_comparison)
        self.task.start()
        return self.task

    def show_comparison(self, results: object) -> QDialog:
        """The scenarios' figures in one table: the territory's mean and its population under 2,5."""
        assert isinstance(results, list)
        dialog = QDialog(self)
        dialog.setObjectName("scenarioComparison")
        dialog.setWindowTitle("Scénarios comparés")
        layout = QVBoxLayout(dialog)
        table = QTableWidget(len(results) + 1, 3)
        table.setHorizontalHeaderLabels(["Scénario", "APL moyenne du territoire", "Habitants sous 2,5"])
        table.verticalHeader().setVisible(False)
        names_get_width(table)
        first = results[0] if results else None
        rows = [("Aujourd'hui (APL officielle)", first.mean_before if first else None, first.below_before if first
                 else None)] + [(r.scenario.name, r.mean_after, r.below_after) for r in results]  # fmt: skip
        for row, (name, mean, below) in enumerate(rows):
            table.setItem(row, 0, cell(name))
            table.setItem(row, 1, cell(format_decimal(mean, 2) if mean is not None else "—", right=True))
            table.setItem(row, 2, cell(format_int(round(below)) if below is not None else "—", right=True))
        layout.addWidget(table)
        close = QPushButton("Fermer")
        close.clicked.connect(dialog.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        dialog.resize(720, 260)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.comparison = dialog
        return dialog
