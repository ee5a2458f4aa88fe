"""Step 5: the professionals' answers and their commitment history."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.enums import CommitmentStatus
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_decimal
from santeloc.domain.indicators import parse_french_number
from santeloc.gui.ops import attempt, confirm, explain, run_action, show_message
from santeloc.gui.pages.base import cell as item
from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.inhabitants.common import TextArea
from santeloc.gui.pages.mobilisation.common import (
    OVERDUE,
    OWNER_TENANT,
    PRO_COLUMNS,
    TITLE,
    YES_NO,
    DateField,
    _from_tri,
    _next_status,
    _select_data,
    _selected_data,
    _table,
    _tri,
    _yes_no,
)
from santeloc.gui.pages.mobilisation.host import Host
from santeloc.services import mobilisation as svc


class ProfessionalsMixin(Host):
    """The professionals tab."""

    def _professionals_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = wrapped(
            "Rencontrez chaque professionnel : ce qu'il souhaite (exercice en groupe, pluriprofessionnel, "
            "déménagement…), à quelles conditions, et jusqu'où il s'engage. Repérez un ou des leaders : leur "
            "implication est la clé de la réussite du projet.",
            hint=True,
        )
        layout.addWidget(intro)
        self.pro_empty = wrapped(
            "Aucun professionnel dans le registre : recensez-les d'abord à l'étape 2 (Offre de soins et "
            "démographie), y compris les paramédicaux."
        )
        self.pro_empty.setStyleSheet("color: #7a4b00; padding: 6px;")
        layout.addWidget(self.pro_empty)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.pro_table = _table(PRO_COLUMNS, "mobilisationTable")
        splitter.addWidget(self.pro_table)
        bottom = QWidget()
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self._answers_box(), 5)
        bottom_layout.addWidget(self._commitment_box(), 4)
        splitter.addWidget(bottom)
        splitter.setSizes([260, 340])
        layout.addWidget(splitter, 1)
        self.pro_table.itemSelectionChanged.connect(self._fill_professional)
        return tab

    def _answers_box(self) -> QWidget:
        box = QGroupBox("Ses réponses aux questions du guide")
        box.setObjectName("answersBox")
        grid = QGridLayout(box)
        self.answer_combos: dict[str, QComboBox] = {}
        labels = dict(svc.MOBILISATION_QUESTIONS)
        row = 0
        for key in ("wants_group_practice", "wants_pluriprofessional", "owns_premises", "ready_to_move"):
            combo = QComboBox()
            combo.setObjectName(f"answer_{key}")
            for value, text in OWNER_TENANT if key == "owns_premises" else YES_NO:
                combo.addItem(text, value)
            combo.activated.connect(lambda _i, k=key, c=combo: self._save_answers(**{k: _from_tri(c.currentData())}))
            self.answer_combos[key] = combo
            grid.addWidget(wrapped(labels[key]), row, 0)
            grid.addWidget(combo, row, 1)
            row += 1
        self.fte_edit = QLineEdit()
        self.fte_edit.setObjectName("mobilisationFte")
        self.fte_edit.setPlaceholderText("ex. 0,8")
        self.horizon_edit = QLineEdit()
        self.horizon_edit.setObjectName("horizonEdit")
        self.horizon_edit.setPlaceholderText("ex. 2027, dès l'ouverture")
        self.conditions_edit = TextArea("Ses conditions, ses attentes, ses craintes")
        self.conditions_edit.setObjectName("conditionsEdit")
        self.conditions_edit.setMaximumHeight(64)
        self.leader_check = QCheckBox("Leader du projet")
        self.leader_check.setObjectName("leaderCheck")
        self.leader_check.setToolTip("Moteur auprès de ses confrères")
        for widget, key in (
            (self.fte_edit, "fte"),
            (self.horizon_edit, "horizon"),
            (self.conditions_edit, "conditions"),
        ):
            grid.addWidget(wrapped(labels[key]), row, 0)
            grid.addWidget(widget, row, 1)
            row += 1
        # The explanation wraps beside the box (a check box's own text never wraps: the page would not narrow).
        leader_row = QHBoxLayout()
        leader_row.addWidget(self.leader_check)
        leader_row.addWidget(wrapped("(moteur auprès de ses confrères)", hint=True), 1)
        grid.addLayout(leader_row, row, 0, 1, 2)
        row += 1
        self.stay_hint = wrapped(
            "Ne souhaite pas déménager : une maison de santé multi-site (pôle de santé) lui conviendrait "
            "peut-être mieux.",
            hint=True,
        )
        grid.addWidget(self.stay_hint, row, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(row + 1, 1)
        self.fte_edit.editingFinished.connect(self._save_fte)
        self.horizon_edit.editingFinished.connect(lambda: self._save_answers(horizon=self.horizon_edit.text()))
        self.conditions_edit.editingFinished.connect(lambda: self._save_answers(conditions=self.conditions_edit.text()))
        self.leader_check.clicked.connect(lambda checked: self._save_answers(is_leader=bool(checked)))
        self.answers_box = box
        box.setEnabled(False)
        return box

    def _commitment_box(self) -> QWidget:
        box = QGroupBox("Son engagement")
        box.setObjectName("commitmentBox")
        layout = QVBoxLayout(box)
        self.status_label = wrapped("")
        self.status_label.setObjectName("commitmentStatus")
        layout.addWidget(self.status_label)
        grid = QGridLayout()
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusCombo")
        self.status_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status_combo.setMinimumContentsLength(16)
        for value, label in CommitmentStatus.choices():
            self.status_combo.addItem(label, value)
        self.status_date = DateField()
        self.status_date.setObjectName("statusDate")
        self.status_note = QLineEdit()
        self.status_note.setObjectName("statusNote")
        self.status_note.setPlaceholderText("Note (facultative) : lors de quelle rencontre, pourquoi…")
        self.status_button = QPushButton("Enregistrer ce changement")
        self.status_button.setObjectName("statusButton")
        # Status, date and note on their own lines: the page then fits beside the help panel.
        grid.addWidget(QLabel("Nouveau statut"), 0, 0)
        grid.addWidget(self.status_combo, 0, 1, 1, 2)
        grid.addWidget(QLabel("Date"), 1, 0)
        grid.addWidget(self.status_date, 1, 1)
        grid.addWidget(self.status_note, 2, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.status_button)
        layout.addLayout(buttons)
        self.status_feedback = wrapped("")
        self.status_feedback.setObjectName("statusFeedback")
        layout.addWidget(self.status_feedback)
        layout.addWidget(QLabel("Historique"))
        self.history_list = QListWidget()
        self.history_list.setObjectName("historyList")
        self.history_list.setWordWrap(True)
        layout.addWidget(self.history_list, 1)
        history_buttons = QHBoxLayout()
        history_buttons.addStretch(1)
        self.delete_step_button = QPushButton("Supprimer l'étape sélectionnée")
        self.delete_step_button.setToolTip("Une étape saisie par erreur : le statut revient à l'étape d'avant")
        history_buttons.addWidget(self.delete_step_button)
        layout.addLayout(history_buttons)
        self.status_button.clicked.connect(self._record_commitment)
        self.delete_step_button.clicked.connect(self.delete_history_step)
        self.history_list.itemSelectionChanged.connect(
            lambda: self.delete_step_button.setEnabled(bool(self.history_list.selectedItems()))
        )
        self.commitment_box = box
        box.setEnabled(False)
        return box

    def refresh_professionals(self) -> None:
        """The registry with each professional's answers and commitment."""
        if self.project is None:
            return
        rows = run_action(self, TITLE, lambda: svc.list_mobilisation(self.ctx.uow(), self._project_id()))
        if rows is None:
            return
        selected = _selected_data(self.pro_table)
        self.professionals = rows
        self.pro_table.blockSignals(True)
        self.pro_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = (
                item(row.profession_label, row.professional_id),
                item(row.name),
                item(row.commitment_label),
                item("Oui" if row.is_leader else ""),
                item(_yes_no(row.wants_group_practice)),
                item(_yes_no(row.ready_to_move)),
                item(row.horizon),
            )
            if row.is_committed:
                font = QFont(cells[2].font())
                font.setBold(True)
                cells[2].setFont(font)
                cells[2].setForeground(QBrush(QColor("#1d5c4d")))
            for column, cell in enumerate(cells):
                self.pro_table.setItem(index, column, cell)
        if selected is not None:
            _select_data(self.pro_table, selected)
        self.pro_table.blockSignals(False)
        self.pro_empty.setVisible(not rows)
        self._fill_professional()

    def current_professional(self) -> svc.MobilisationRow | None:
        """The professional selected."""
        wanted = _selected_data(self.pro_table)
        return next((r for r in self.professionals if r.professional_id == wanted), None)

    def select_professional(self, professional_id: int) -> None:
        """Select a professional's line."""
        _select_data(self.pro_table, professional_id)

    def _fill_professional(self) -> None:
        row = self.current_professional()
        self.answers_box.setEnabled(row is not None)
        self.commitment_box.setEnabled(row is not None)
        self._loading = True
        try:
            if row is None:
                self.status_label.setText("Choisissez un professionnel dans la liste.")
                self.history_list.clear()
                self.history = []
                self.stay_hint.hide()
                return
            for key, combo in self.answer_combos.items():
                combo.setCurrentIndex(max(0, combo.findData(_tri(getattr(row, key)))))
            self.fte_edit.setText(format_decimal(row.fte, 2).rstrip("0").rstrip(",") if row.fte is not None else "")
            self.horizon_edit.setText(row.horizon)
            self.conditions_edit.set_text(row.conditions)
            self.leader_check.setChecked(row.is_leader)
            self.stay_hint.setVisible(row.would_rather_stay)
            self.status_label.setText(f"{row.name} — statut actuel : <b>{row.commitment_label}</b>")
            following = _next_status(row.commitment_status)
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(following)))
            if not self.status_date.text():
                self.status_date.set_value(date.today())
            history = run_action(self, TITLE, lambda: svc.commitment_history(self.ctx.uow(), row.professional_id))
            self.history = history or []
            self.history_list.clear()
            for event in reversed(self.history):
                entry = QListWidgetItem(event.sentence)
                entry.setData(Qt.ItemDataRole.UserRole, event.id)
                if event.backwards:
                    entry.setForeground(QBrush(OVERDUE))
                self.history_list.addItem(entry)
            if not self.history:
                empty = QListWidgetItem("Aucune étape enregistrée : pas encore contacté.")
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                self.history_list.addItem(empty)
            self.delete_step_button.setEnabled(False)
        finally:
            self._loading = False

    def _save_answers(self, **changes: object) -> bool:
        row = self.current_professional()
        if row is None or self._loading:
            return False
        if all(getattr(row, key) == value for key, value in changes.items()):
            return True
        done = attempt(
            self,
            TITLE,
            lambda: svc.update_mobilisation(self.ctx.uow(), row.professional_id, row.version, **changes),
        )
        self.refresh_professionals()
        self.select_professional(row.professional_id)
        if done:
            self.refresh_summary()
            self._after_change()
        return done

    def save_answers(self, **changes: object) -> bool:
        """Record the selected professional's answers (keys of ``MOBILISATION_FIELDS``)."""
        return self._save_answers(**changes)

    def _save_fte(self) -> None:
        if self._loading or self.current_professional() is None:
            return
        text = self.fte_edit.text().strip()
        try:
            value = parse_french_number(text) if text else None
        except ValidationError as exc:
            show_message(self, TITLE, f"Temps de travail : {exc.message}")
            self._fill_professional()
            return
        self._save_answers(fte=value)

    def _record_commitment(self) -> None:
        try:
            on = self.status_date.value()
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
            return
        self.set_commitment(self.status_combo.currentData(), on, self.status_note.text())

    def set_commitment(self, status: str, on: date | None, note: str = "") -> svc.CommitmentChange | None:
        """Record the selected professional's change of commitment on a date (added to the history)."""
        row = self.current_professional()
        if row is None:
            return None
        change = run_action(
            self,
            TITLE,
            lambda: svc.set_commitment(
                self.ctx.uow(), row.professional_id, status, on, note, expected_version=row.version
            ),
        )
        if change is None:
            self.refresh_professionals()
            self.select_professional(row.professional_id)
            return None
        self.status_note.clear()
        self.refresh_professionals()
        self.select_professional(row.professional_id)
        self.status_feedback.setText(change.message)
        self.status_feedback.setStyleSheet("color: #b03a2e;" if change.backwards else "color: #1d5c4d;")
        self.refresh_summary()
        self._after_change()
        return change

    def delete_history_step(self) -> None:
        """Remove the history step selected (recorded by mistake), after confirmation."""
        entries = self.history_list.selectedItems()
        row = self.current_professional()
        if not entries or row is None:
            return
        event_id = entries[0].data(Qt.ItemDataRole.UserRole)

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_commitment_event(self.ctx.uow(), event_id)):
                self.refresh_professionals()
                self.select_professional(row.professional_id)
                self.status_feedback.setText("")
                self.refresh_summary()
                self._after_change()

        confirm(
            self,
            "Supprimer",
            f"Supprimer l'étape « {entries[0].text()} » de l'historique ? Le statut revient à l'étape d'avant.",
            "Supprimer",
            delete,
        )
