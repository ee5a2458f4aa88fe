"""Workshop: the slides (title, constats, map, vote, results) and moving between them."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import NBSP, format_decimal, format_int, plural
from santeloc.exports.maps import territory_map
from santeloc.exports.workshop_charts import indicator_chart
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.workshop.common import (
    BASE_HEIGHT,
    BASE_WIDTH,
    CHART_DPI,
    HINT,
    MAX_CANDIDATE,
    MAX_PARTICIPANT,
    PAPER,
    RECORD_KINDS,
    _label,
    _Slide,
    _stylesheet,
    _WrappingList,
    long_date,
)
from santeloc.gui.workshop.host import Host
from santeloc.services.indicators import ConstatRow, IndicatorRow
from santeloc.workflow.steps import STEPS_BY_ID, StepId


class SlidesMixin(Host):
    """Builds the slides and shows one at a time."""

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        band = QFrame()
        band.setObjectName("band")
        band.setFixedHeight(10)
        outer.addWidget(band)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        footer = QHBoxLayout()
        footer.setContentsMargins(40, 6, 40, 14)
        self.hint = _label(HINT, "hint", wrap=False)
        self.counter = _label("", "counter", wrap=False)
        self.counter.setObjectName("counter")
        footer.addWidget(self.hint)
        footer.addStretch(1)
        footer.addWidget(self.counter)
        outer.addLayout(footer)

        self._add_slide(self._title_slide())
        if self.constats:
            for number, constat in enumerate(self.constats, start=1):
                self._add_slide(self._constat_slide(number, constat))
        else:
            page, layout = self._page()
            layout.addWidget(_label("Le diagnostic", "kicker"))
            layout.addWidget(_label("Aucun constat n'a encore été retenu", "title"))
            layout.addWidget(
                _label(
                    "Les constats se retiennent à l'étape 1 (indicateurs de santé) et à l'étape 4 (questionnaire "
                    "des habitants). Pendant le vote, la salle peut proposer ses propres priorités.",
                    "body",
                )
            )
            layout.addStretch(1)
            self._add_slide(_Slide("constat", page))
        self._add_slide(self._map_slide())
        self._add_slide(self._vote_slide())
        self._add_slide(self._results_slide())
        self._done_slide = self._make_done_slide()

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(72, 36, 72, 12)
        layout.setSpacing(14)
        return page, layout

    def _add_slide(self, slide: _Slide) -> None:
        self._slides.append(slide)
        self.stack.addWidget(slide.widget)

    def _title_slide(self) -> _Slide:
        page, layout = self._page()
        layout.addStretch(2)
        layout.addWidget(_label("Diagnostic local de santé · atelier de priorisation", "subtitle"))
        layout.addWidget(_label(self.project.name, "hero"))
        layout.addSpacing(18)
        summary = self.summary
        if summary.is_empty:
            layout.addWidget(_label("Territoire à définir (étape 0).", "body"))
        else:
            names = [row.name for row in summary.communes]
            shown = ", ".join(names[:8]) + (f" et {plural(len(names) - 8, 'autre commune')}" if len(names) > 8 else "")
            layout.addWidget(_label(f"{plural(len(names), 'commune')} : {shown}", "body"))
            layout.addWidget(
                _label(
                    f"{format_int(summary.population)}{NBSP}habitants "
                    f"(population légale {summary.population_year}, INSEE)",
                    "strong",
                )
            )
        if self.project.porteur_name:
            layout.addWidget(_label(f"Porteur : {self.project.porteur_name}", "body"))
        layout.addSpacing(18)
        date_text = long_date(self.today)
        layout.addWidget(_label(date_text[0].upper() + date_text[1:], "note"))
        layout.addStretch(3)
        return _Slide("title", page)

    def _constat_slide(self, number: int, constat: ConstatRow) -> _Slide:
        page, layout = self._page()
        try:
            step_title = STEPS_BY_ID[StepId(constat.step)].title
        except ValueError:
            step_title = "Diagnostic"
        layout.addWidget(_label(f"Constat {number} sur {len(self.constats)} · {step_title}", "kicker"))
        row = self.indicators.get(constat.indicator_id) if constat.indicator_id is not None else None
        slide = _Slide("constat", page)
        comment = constat.comment.strip()
        if row is not None and row.has_values:
            layout.addWidget(_label(constat.title, "title"))
            reading = self._reading(row)
            if reading:
                layout.addWidget(_label(reading, "body"))
            view = FigureView()
            layout.addWidget(view, 1)
            dep, region = self.summary.reference_departement, self.summary.reference_region
            build = partial(
                indicator_chart,
                row,
                departement=dep.name if dep else "Département",
                region=region.name if region else "Région",
            )
            slide.views.append((view, build, 1.0))
            if comment:
                layout.addWidget(_label(comment, "note"))
            origin = ", ".join(part for part in (row.source, str(row.year) if row.year else "") if part)
            if origin:
                layout.addWidget(_label(f"Source : {origin}" if row.source else f"Données {row.year}", "note"))
        else:
            # A finding in words: set in the middle of the slide, the comment as its explanation.
            layout.addStretch(1)
            layout.addWidget(_label(constat.title, "title"))
            if comment:
                layout.addSpacing(12)
                layout.addWidget(_label(comment, "body"))
            layout.addStretch(2)
        return slide

    @staticmethod
    def _reading(row: IndicatorRow) -> str:
        """One sentence the room can read aloud (the chart shows the figures)."""
        if row.smr is not None:
            smr = row.smr
            cases = "cas observé" if smr.observed < 2 else "cas observés"
            return (
                f"{format_int(smr.observed)} {cases} sur le territoire, pour {format_decimal(smr.expected, 1)} "
                "attendus s'il avait les taux de la référence."
            )
        main = row.comparisons.get("value_departement") or next(iter(row.comparisons.values()), None)
        return main.sentence if main is not None else ""

    def _map_slide(self) -> _Slide:
        page, layout = self._page()
        layout.addWidget(_label("Le territoire du projet", "title"))
        summary = self.summary
        if not summary.is_empty:
            layout.addWidget(
                _label(
                    f"{plural(len(summary.communes), 'commune')} · {format_int(summary.population)}{NBSP}habitants",
                    "body",
                )
            )
        view = FigureView()
        layout.addWidget(view, 1)
        codes = summary.codes
        slide = _Slide("map", page)
        slide.views.append((view, lambda: territory_map(self.ctx.refdata, codes, figsize=(8.0, 5.0)), 1.9))
        return slide

    def _vote_slide(self) -> _Slide:
        page, layout = self._page()
        layout.setSpacing(10)
        layout.addWidget(_label("Vote des priorités", "title"))
        columns = QHBoxLayout()
        columns.setSpacing(32)

        left = QVBoxLayout()
        left.addWidget(_label("Priorités soumises au vote", "section"))
        self.candidate_list = _WrappingList()
        self.candidate_list.setWordWrap(True)
        self.candidate_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.candidate_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.candidate_list.setSpacing(4)
        self.candidate_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.candidate_list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.candidate_list.itemChanged.connect(self._on_candidate_checked)
        left.addWidget(self.candidate_list, 1)
        add_row = QHBoxLayout()
        self.candidate_edit = QLineEdit()
        self.candidate_edit.setPlaceholderText("Proposition de la salle")
        self.candidate_edit.setMaxLength(MAX_CANDIDATE)
        self.candidate_edit.returnPressed.connect(self._add_candidate_from_edit)
        self.add_candidate_button = QPushButton("Ajouter")
        self.add_candidate_button.clicked.connect(self._add_candidate_from_edit)
        add_row.addWidget(self.candidate_edit, 1)
        add_row.addWidget(self.add_candidate_button)
        left.addLayout(add_row)
        columns.addLayout(left, 4)

        right = QVBoxLayout()
        mode_row = QHBoxLayout()
        mode_row.addWidget(_label("Mode :", "section", wrap=False))
        self.points_radio = QRadioButton("Points")
        self.ranks_radio = QRadioButton("Classement (1 = la plus importante)")
        self.points_radio.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.points_radio)
        self.mode_group.addButton(self.ranks_radio)
        self.points_radio.toggled.connect(self._on_mode_toggled)
        mode_row.addWidget(self.points_radio)
        mode_row.addWidget(self.ranks_radio)
        mode_row.addStretch(1)
        right.addLayout(mode_row)
        participant_row = QHBoxLayout()
        self.participant_edit = QLineEdit()
        self.participant_edit.setPlaceholderText("Participant ou groupe")
        self.participant_edit.setMaxLength(MAX_PARTICIPANT)
        self.participant_edit.returnPressed.connect(self._add_participant_from_edit)
        self.add_participant_button = QPushButton("Ajouter")
        self.add_participant_button.clicked.connect(self._add_participant_from_edit)
        self.remove_participant_button = QPushButton("Retirer")
        self.remove_participant_button.clicked.connect(self._remove_current_participant)
        participant_row.addWidget(self.participant_edit, 1)
        participant_row.addWidget(self.add_participant_button)
        participant_row.addWidget(self.remove_participant_button)
        right.addLayout(participant_row)
        self.table = QTableWidget()
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemChanged.connect(self._on_cell_changed)
        right.addWidget(self.table, 1)
        self.mode_hint = _label("", "note")
        right.addWidget(self.mode_hint)
        self.vote_error = _label("", "error")
        self.vote_error.hide()
        right.addWidget(self.vote_error)
        columns.addLayout(right, 6)
        layout.addLayout(columns, 1)

        buttons = QHBoxLayout()
        back = QPushButton("← Revoir le diagnostic")
        back.clicked.connect(lambda: self._go(self._vote_index() - 1))
        self.results_button = QPushButton("Voir les résultats →")
        self.results_button.setProperty("role", "primary")
        self.results_button.clicked.connect(self.next_slide)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.results_button)
        layout.addLayout(buttons)
        self._fill_candidates()
        self._fill_table()
        return _Slide("vote", page)

    def _results_slide(self) -> _Slide:
        page, layout = self._page()
        layout.addWidget(_label("Résultat du vote", "title"))
        self.results_summary = _label("", "body")
        self.record_combo = QComboBox()
        for key, label in RECORD_KINDS:
            self.record_combo.addItem(label, key)
        self.record_combo.setToolTip("Consigner la séance parmi les réunions du projet, avec le résultat du vote")
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.results_summary, 1)
        summary_row.addWidget(self.record_combo)
        layout.addLayout(summary_row)
        view = FigureView()
        layout.addWidget(view, 1)
        buttons = QHBoxLayout()
        back = QPushButton("← Modifier les votes")
        back.clicked.connect(self.start_vote)
        self.save_button = QPushButton("Enregistrer comme priorités du projet")
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.save_priorities)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        slide = _Slide("results", page)
        slide.views.append((view, self._vote_figure, 1.45))
        self.results_view = view
        return slide

    def _make_done_slide(self) -> _Slide:
        page, layout = self._page()
        layout.addWidget(_label("Priorités du projet enregistrées", "title"))
        self.done_box = QWidget()
        self.done_rows = QVBoxLayout(self.done_box)
        self.done_rows.setContentsMargins(0, 8, 0, 8)
        self.done_rows.setSpacing(10)
        layout.addWidget(self.done_box)
        self.done_note = _label("", "note")
        layout.addWidget(self.done_note)
        layout.addStretch(1)
        layout.addWidget(_label("Appuyez sur Échap pour quitter l'atelier.", "note"))
        return _Slide("done", page)

    def _compute_scale(self) -> float:
        width, height = max(self.width(), 1), max(self.height(), 1)
        return max(0.6, min(width / BASE_WIDTH, height / BASE_HEIGHT))

    def _apply_scale(self, *, force: bool = False) -> None:
        scale = self._compute_scale()
        if not force and abs(scale - self._scale) < 0.03:
            return
        self._scale = scale
        self.setStyleSheet(_stylesheet(scale))
        if hasattr(self, "candidate_list"):
            # Wrapped items keep the height measured in the former font: lay them out again.
            self._fill_candidates()
            self._fill_table()
        for slide in self._slides:
            slide.rendered_at = 0.0
        if self._slides:
            self._render(self._slides[self._index])

    def _render(self, slide: _Slide) -> None:
        """Draw the slide's charts for the current screen size (fonts grow with the screen)."""
        if slide.rendered_at == self._scale:
            return
        for view, build, zoom in slide.views:
            figure = build()
            figure.set_facecolor(PAPER)
            for axes in figure.axes:
                axes.set_facecolor("none")
            figure.set_dpi(CHART_DPI * zoom * self._scale)
            view.set_figure(figure)
        slide.rendered_at = self._scale

    def current_index(self) -> int:
        """Index of the slide shown (0: the title slide)."""
        return self._index

    def slide_count(self) -> int:
        """Number of slides: title, constats, map, vote, results (and the confirmation once saved)."""
        return len(self._slides)

    def current_kind(self) -> str:
        """Kind of the slide shown: title, constat, map, vote, results or done."""
        return self._slides[self._index].kind

    def next_slide(self) -> None:
        """Go to the next slide (the results are counted when the vote is left)."""
        self._go(self._index + 1)

    def previous_slide(self) -> None:
        """Go back one slide."""
        self._go(self._index - 1)

    def start_vote(self) -> None:
        """Go straight to the vote."""
        self._go(self._vote_index())

    def _vote_index(self) -> int:
        return next(i for i, slide in enumerate(self._slides) if slide.kind == "vote")

    def _go(self, index: int) -> None:
        index = max(0, min(index, len(self._slides) - 1))
        if self._slides[index].kind == "results" and not self._prepare_results():
            index = self._vote_index()
        self._index = index
        slide = self._slides[index]
        self.stack.setCurrentWidget(slide.widget)
        if slide.kind == "vote":
            self.candidate_list.fit_items()  # measured for the width they are shown at
        self._render(slide)
        self.counter.setText(f"{index + 1} / {len(self._slides)}")
        self.hint.setVisible(slide.kind in ("title", "constat", "map"))
        if slide.kind != "vote" or self.focusWidget() is None:
            self.setFocus()
