"""Step 4: the results (tabulations, crossings, constats)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.enums import QuestionKind
from santeloc.domain.formatting import format_decimal, format_int, plural
from santeloc.exports.survey_charts import cross_tabulation_chart, empty_chart, tabulation_chart
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import run_action, show_message
from santeloc.gui.pages.base import cell as item
from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.inhabitants.common import (
    NBSP,
    NO_CROSS,
    TITLE,
    _number,
    quoted,
)
from santeloc.gui.pages.inhabitants.host import Host
from santeloc.services import survey as svc


class ResultsMixin(Host):
    """The results tab."""

    def _results_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("Question :"))
        self.result_question = QComboBox()
        self.result_question.setObjectName("resultQuestion")
        row.addWidget(self.result_question, 1)
        row.addWidget(QLabel("Croiser par :"))
        self.cross_combo = QComboBox()
        self.cross_combo.setObjectName("crossCombo")
        self.cross_combo.addItem("Ne pas croiser", NO_CROSS)
        self.cross_combo.addItem("Commune", svc.ROLE_COMMUNE)
        self.cross_combo.addItem("Tranche d'âge", svc.ROLE_AGE_GROUP)
        row.addWidget(self.cross_combo)
        layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.results_table = QTableWidget(0, 3)
        self.results_table.setObjectName("resultsTable")
        self.results_table.verticalHeader().setVisible(False)
        self.results_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_table.setWordWrap(False)
        self.results_table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        left_layout.addWidget(self.results_table, 1)
        self.note_label = wrapped("", hint=True)
        self.note_label.setObjectName("resultsNote")
        left_layout.addWidget(self.note_label)
        constat = QGroupBox("Constat du diagnostic")
        self.constat_box = constat
        constat_layout = QVBoxLayout(constat)
        constat_layout.addWidget(wrapped("La part des habitants qui ont donné cette réponse :", hint=True))
        self.answer_combo = QComboBox()
        self.answer_combo.setObjectName("constatAnswer")
        constat_layout.addWidget(self.answer_combo)
        self.constat_button = QPushButton("Retenir comme constat")
        self.constat_button.setObjectName("constatButton")
        self.constat_button.setToolTip("Le constat rejoint ceux du diagnostic, qui nourriront le choix des priorités")
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.constat_button)
        constat_layout.addLayout(button_row)
        left_layout.addWidget(constat)
        left_layout.addStretch(0)
        splitter.addWidget(left)
        self.chart_view = FigureView()
        self.chart_view.setObjectName("surveyChart")
        splitter.addWidget(self.chart_view)
        splitter.setSizes([430, 540])
        self.results_splitter = splitter
        layout.addWidget(splitter, 1)
        self.result_question.currentIndexChanged.connect(lambda _i: self.show_results())
        self.cross_combo.currentIndexChanged.connect(lambda _i: self.show_results())
        self.constat_button.clicked.connect(lambda: self.make_constat())
        return tab

    def _fill_result_questions(self) -> None:
        current = self.result_question.currentData()
        self.result_question.blockSignals(True)
        self.result_question.clear()
        for question in self.questions:
            self.result_question.addItem(f"{question.code}. {question.short_text}", question.id)
            self.result_question.setItemData(
                self.result_question.count() - 1, question.text, Qt.ItemDataRole.ToolTipRole
            )
        index = self.result_question.findData(current)
        self.result_question.setCurrentIndex(max(index, 0) if self.questions else -1)
        self.result_question.blockSignals(False)

    def select_result_question(self, question_id: int, by: str = NO_CROSS) -> None:
        """Show the results of a question, crossed by ``commune`` or ``age_group`` if asked."""
        self.tabs.setCurrentIndex(2)
        self.result_question.blockSignals(True)
        self.cross_combo.blockSignals(True)
        self.result_question.setCurrentIndex(max(0, self.result_question.findData(question_id)))
        self.cross_combo.setCurrentIndex(max(0, self.cross_combo.findData(by)))
        self.result_question.blockSignals(False)
        self.cross_combo.blockSignals(False)
        self.show_results()

    def _set_table(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1, stretch_first: bool = True
    ) -> None:
        table = self.results_table
        table.clear()
        table.setColumnCount(len(headers))
        # Long answers head their column on a few short lines rather than widening it.
        table.setHorizontalHeaderLabels(["\n".join(textwrap.wrap(h, 12)) or h for h in headers])
        for column, name in enumerate(headers):
            cell = table.horizontalHeaderItem(column)
            if cell is not None:
                cell.setToolTip(name)
        table.setRowCount(len(rows))
        for index, values in enumerate(rows):
            for column, text in enumerate(values):
                table.setItem(index, column, item(text, right=column >= right_from))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch_first:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(False)
        table.resizeRowsToContents()
        # As tall as its lines (the note and the constat then sit right under it), at most the space left.
        height = (
            max(header.height(), header.sizeHint().height())
            + 2 * table.frameWidth()
            + sum(table.rowHeight(r) for r in range(len(rows)))
        )
        fits = stretch_first or self._widen_for_table(len(headers))
        scrollbar = 0 if fits else table.horizontalScrollBar().sizeHint().height()
        table.setMaximumHeight(max(height + scrollbar + 4, 80))

    def _widen_for_table(self, columns: int) -> bool:
        """Give a cross-tabulation the width of its columns (up to 60 % of the tab) rather than a scroll
        bar; True when it then fits."""
        table, header = self.results_table, self.results_table.horizontalHeader()
        needed = 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width() + 4
        needed += sum(max(header.sectionSizeHint(c), table.sizeHintForColumn(c)) for c in range(columns))
        sizes = self.results_splitter.sizes()
        total = sum(sizes)
        if total <= 0:  # not laid out yet: keep room for a scroll bar
            return False
        if needed > sizes[0]:
            left = min(needed, int(total * 0.6))
            self.results_splitter.setSizes([left, total - left])
            return needed <= left
        return True

    def show_results(self) -> None:
        """Tabulate (or cross-tabulate) the chosen question and draw its chart."""
        if self.project is None:
            return
        question_id = self.result_question.currentData()
        self.tabulation = self.cross = None
        self.answer_combo.clear()
        self.constat_button.setEnabled(False)
        if question_id is None:
            self._set_table(["Réponse", "Nombre", "Part"], [])
            self.note_label.setText("Ajoutez des questions, puis importez les réponses saisies.")
            self.chart_view.show_figure(lambda: empty_chart("Aucune question pour l'instant."))
            return
        tab = run_action(self, TITLE, lambda: svc.tabulate(self.ctx.uow(), question_id))
        if tab is None:
            return
        self.tabulation = tab
        by = self.cross_combo.currentData()
        question = tab.question
        free = question.kind == QuestionKind.TEXT.value
        self.chart_view.setVisible(not free)  # free answers are read, not charted: the list takes the width
        self.constat_box.setVisible(not free)
        self.cross_combo.setEnabled(not free)
        if by and question.kind != QuestionKind.TEXT.value:
            cross = run_action(
                self, TITLE, lambda: svc.cross_tabulate(self.ctx.uow(), question_id, by, self.ctx.refdata)
            )
            if cross is None:
                return
            self.cross = cross
            self._show_cross(cross)
        else:
            self._show_tabulation(tab)
        self._fill_answers(tab)

    def _show_tabulation(self, tab: svc.Tabulation) -> None:
        question = tab.question
        if question.kind == QuestionKind.TEXT.value:
            self._set_table(["Réponses libres"], [[text] for text in sorted(tab.texts, key=str.casefold)], right_from=1)
            self.note_label.setText(
                f"{plural(tab.answered, 'réponse libre', 'réponses libres')} sur "
                f"{plural(tab.respondents, 'questionnaire')}. Une réponse libre ne se compte pas : relisez-les et "
                f"rédigez vous-même les constats qu'elles inspirent (étape{NBSP}1, onglet {quoted('Constats')})."
            )
        else:
            self._set_table(
                ["Réponse" if question.kind != QuestionKind.NUMBER.value else "Valeur", "Nombre", "Part"],
                [[r.label, format_int(r.count), f"{format_decimal(r.share, 1)} %"] for r in tab.rows],
            )
            note = tab.note if tab.respondents else "Aucun questionnaire importé pour l'instant."
            if tab.answered and question.kind == QuestionKind.NUMBER.value and tab.mean is not None:
                note += (
                    f" Moyenne : {format_decimal(tab.mean, 1)} ; médiane : {_number(tab.median)} ; "
                    f"de {_number(tab.minimum)} à {_number(tab.maximum)}."
                )
            elif tab.answered and question.kind == QuestionKind.SCALE.value and tab.mean is not None:
                note += f" Niveau moyen : {format_decimal(tab.mean, 1)} sur {len(question.choices)}."
            self.note_label.setText(note)
        self.chart_view.show_figure(lambda: tabulation_chart(tab))

    def _show_cross(self, cross: svc.CrossTabulation) -> None:
        question = cross.question
        rows = [*cross.rows, cross.total]
        if question.kind == QuestionKind.NUMBER.value or not cross.categories:
            headers = [cross.by_label, "Répondants", "Moyenne"]
            values = [[r.group, format_int(r.answered), _number(r.mean, 1)] for r in rows]
        else:
            headers = [cross.by_label, "Répondants", *cross.categories]
            if question.kind == QuestionKind.SCALE.value:
                headers.append("Niveau moyen")
            values = []
            for r in rows:
                line = [r.group, format_int(r.answered)]
                line += [f"{format_decimal(s, 0)} % ({format_int(c)})" for s, c in zip(r.shares, r.counts, strict=True)]
                if question.kind == QuestionKind.SCALE.value:
                    line.append(_number(r.mean, 1))
                values.append(line)
        self._set_table(headers, values, stretch_first=False)
        self.note_label.setText(
            f"Parts calculées sur les répondants de chaque groupe ; {quoted('Ensemble')} rassemble les "
            f"{plural(cross.total.answered, 'répondant')} à la question."
            + (
                " Plusieurs réponses possibles : le total d'une ligne dépasse 100 %."
                if question.kind == QuestionKind.MULTIPLE.value
                else ""
            )
        )
        self.chart_view.show_figure(lambda: cross_tabulation_chart(cross))

    def _fill_answers(self, tab: svc.Tabulation) -> None:
        question = tab.question
        self.answer_combo.clear()
        if question.kind == QuestionKind.TEXT.value:
            self.answer_combo.addItem("Réponse libre : rédigez le constat vous-même")
            self.answer_combo.setEnabled(False)
            return
        if question.kind == QuestionKind.NUMBER.value:
            self.answer_combo.addItem("Moyenne et médiane", None)
        else:
            for row in tab.rows:
                self.answer_combo.addItem(f"{row.label} ({format_decimal(row.share, 0)} %)", row.label)
        self.answer_combo.setEnabled(question.kind != QuestionKind.NUMBER.value and bool(tab.answered))
        self.constat_button.setEnabled(bool(tab.answered))

    def make_constat(self, choice: str | None = None, comment: str = "") -> int | None:
        """Keep an answer's share (the one chosen in the list unless ``choice`` is given) as a constat."""
        tab = self.tabulation
        if tab is None:
            return None
        answer = choice if choice is not None else self.answer_combo.currentData()
        new_id = run_action(
            self, TITLE, lambda: svc.answer_to_constat(self.ctx.uow(), tab.question.id, answer, comment)
        )
        if new_id is not None:
            self.ctx.saved.emit("Constat retenu")
            show_message(
                self, TITLE, "Constat retenu : il figure désormais parmi les constats du diagnostic, qui "
                "nourriront le choix des priorités.", QMessageBox.Icon.Information,
            )  # fmt: skip
        return new_id
