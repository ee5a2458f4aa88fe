"""Step 3, first tab: the DREES's APL of the territory's communes — the official figure, with its
unit, year, source and the 2,5 threshold, as an ARS instructor sees it on CartoSanté."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import format_int
from santeloc.exports.maps import choropleth_map
from santeloc.gui.context import AppContext
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.pages.base import cell, header_tips
from santeloc.gui.widgets import names_get_width
from santeloc.gui.workers import BackgroundTask
from santeloc.services.official_apl import AplImportReport, import_official_apl
from santeloc.services.official_apl_figures import OfficialAplFigures

TITLE = "APL officielle"
HEADERS = ("Commune", "Habitants", "APL", "< 65 ans", "Sous 2,5")
HEADER_TIPS = (
    "",
    "Population totale publiée par la DREES avec l'APL",
    "APL aux médecins généralistes, en consultations ou visites accessibles par habitant standardisé et par an",
    "APL aux seuls médecins de moins de 65 ans",
    "APL inférieure au seuil de 2,5, repère usuel de sous-densité",
)


class OfficialAplPanel(QWidget):
    """The official APL per commune and for the territory; a newer or another profession's DREES
    workbook can be imported here (``imported`` is emitted once it is stored)."""

    imported = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id: int | None = None
        self.figures: list[OfficialAplFigures] = []
        self.task: BackgroundTask | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.profession = QComboBox()
        self.profession.setObjectName("officialProfession")
        self.profession.currentIndexChanged.connect(self._show_current)
        self.import_button = QPushButton("Importer un classeur APL de la DREES…")
        self.import_button.setObjectName("importOfficialApl")
        self.import_button.setToolTip(
            "Un millésime plus récent, ou l'APL d'une autre profession (infirmiers, kinésithérapeutes…), "
            "tel que la DREES le publie (data.drees.solidarites-sante.gouv.fr)"
        )
        self.import_button.clicked.connect(self.choose_file)
        top.addWidget(QLabel("Profession"))
        top.addWidget(self.profession, 1)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QTextBrowser()
        self.summary.setObjectName("officialSummary")
        left_layout.addWidget(self.summary, 3)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("officialTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        names_get_width(self.table)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        left_layout.addWidget(self.table, 2)
        splitter.addWidget(left)
        self.map = FigureView()
        self.map.setObjectName("officialMap")
        splitter.addWidget(self.map)
        splitter.setSizes([560, 460])
        layout.addWidget(splitter, 1)

    def show_figures(self, project_id: int, figures: list[OfficialAplFigures]) -> None:
        """Show what :func:`official_apl_figures` returned for the project."""
        self.project_id = project_id
        current = self.profession.currentText()
        self.figures = figures
        self.profession.blockSignals(True)
        self.profession.clear()
        for item in figures:
            self.profession.addItem(item.profession[0].upper() + item.profession[1:])
        found = self.profession.findText(current)
        self.profession.setCurrentIndex(max(0, found))
        self.profession.blockSignals(False)
        self._show_current()

    def _show_current(self) -> None:
        index = self.profession.currentIndex()
        if not self.figures or index < 0:
            self.summary.setHtml("<p>Choisissez d'abord les communes du territoire (étape 0).</p>")
            self.table.setRowCount(0)
            self.map.clear()
            return
        item = self.figures[index]
        facts = item.facts()
        lines = [f"<p><b>{escape(item.title)}</b> — moyenne du territoire : <b>{escape(facts[0][2])}</b></p><ul>"]
        lines += [f"<li>{escape(label)} : {escape(text)}.</li>" for _key, label, text in facts[1:]]
        lines.append("</ul>")
        if item.threshold is not None:
            lines.append(
                "<p><i>Le seuil de 2,5 est un repère de sous-densité ; le zonage de l'ARS (zones d'intervention "
                "prioritaire, d'action complémentaire) est fixé par arrêté, sur plusieurs critères.</i></p>"
            )
        self.summary.setHtml("".join(lines))
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(item.communes))
        for row, commune in enumerate(item.communes):
            population = commune.total_population
            below = "oui" if commune.below(item.threshold) else ("—" if commune.value is None else "non")
            cells = (
                cell(commune.name),
                cell(format_int(round(population)) if population is not None else "—", right=True),
                cell(item.value_text(commune.value), right=True),
                cell(item.value_text(commune.value_under_65), right=True),
                cell(below if item.threshold is not None else "—"),
            )
            for column, item_cell in enumerate(cells):
                self.table.setItem(row, column, item_cell)
        self.table.setSortingEnabled(True)
        self.table.setHorizontalHeaderLabels([*HEADERS[:2], f"APL {item.year}", *HEADERS[3:]])
        header_tips(self.table, dict(enumerate(HEADER_TIPS)))
        values = {c.code: c.value if c.value is not None else float("nan") for c in item.communes}
        refdata, unit, threshold, title = self.ctx.refdata, item.unit, item.threshold, item.title
        self.map.show_figure(
            lambda: choropleth_map(refdata, values, title=title, legend_label=unit, threshold=threshold)
        )

    def choose_file(self) -> None:
        """Ask for a DREES workbook and import it."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Importer un classeur APL de la DREES", str(Path.home()), "Classeurs Excel (*.xlsx)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> BackgroundTask | None:
        """Import the workbook off the GUI thread (a national workbook takes a few seconds)."""
        if self.project_id is None:
            return None
        uow, refdata, project_id = self.ctx.uow(), self.ctx.refdata, self.project_id
        self.import_button.setEnabled(False)

        def done(report: object) -> None:
            self.import_button.setEnabled(True)
            assert isinstance(report, AplImportReport)
            self.imported.emit(report.summary())

        self.task = BackgroundTask(
            self, TITLE, "Lecture du classeur de la DREES…",
            lambda _report: import_official_apl(uow, project_id, path, refdata),
        )  # fmt: skip
        self.task.done.connect(done)
        self.task.failed.connect(lambda _message: self.import_button.setEnabled(True))
        self.task.start()
        return self.task
