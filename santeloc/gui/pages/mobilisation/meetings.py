"""Step 5: the meetings and their participants."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_date, format_int
from santeloc.gui.ops import attempt, confirm, explain, run_action, show_message
from santeloc.gui.pages.base import cell as item
from santeloc.gui.pages.inhabitants.common import TextArea
from santeloc.gui.pages.mobilisation.common import (
    MEETING_COLUMNS,
    OVERDUE,
    TASK_COLUMNS,
    TITLE,
    DateField,
    _select_data,
    _selected_data,
    _table,
)
from santeloc.gui.pages.mobilisation.dialogs import (
    MeetingDialog,
)
from santeloc.gui.pages.mobilisation.host import Host
from santeloc.services import meetings as meeting_svc


class MeetingsMixin(Host):
    """The meetings tab."""

    def _meetings_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        self.add_meeting_button = QPushButton("Nouvelle réunion…")
        self.delete_meeting_button = QPushButton("Supprimer la réunion")
        buttons.addWidget(self.add_meeting_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_meeting_button)
        layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.meetings_table = _table(MEETING_COLUMNS, "meetingsTable", stretch=2)
        splitter.addWidget(self.meetings_table)
        splitter.addWidget(self._meeting_detail())
        splitter.setSizes([150, 480])
        layout.addWidget(splitter, 1)
        self.add_meeting_button.clicked.connect(self.open_meeting_dialog)
        self.delete_meeting_button.clicked.connect(self.delete_selected_meeting)
        self.meetings_table.itemSelectionChanged.connect(self._fill_meeting)
        return tab

    def _meeting_detail(self) -> QWidget:
        box = QGroupBox("Réunion sélectionnée")
        box.setObjectName("meetingDetail")
        layout = QVBoxLayout(box)
        grid = QGridLayout()
        self.meeting_date = DateField()
        self.meeting_date.setObjectName("meetingDate")
        self.meeting_kind = QComboBox()
        self.meeting_kind.setObjectName("meetingKind")
        for key, label in meeting_svc.MEETING_KINDS:
            self.meeting_kind.addItem(label, key)
        self.meeting_title = QLineEdit()
        self.meeting_title.setPlaceholderText("facultatif")
        self.meeting_place = QLineEdit()
        grid.addWidget(QLabel("Date"), 0, 0)
        grid.addWidget(self.meeting_date, 0, 1)
        grid.addWidget(QLabel("Type"), 0, 2)
        grid.addWidget(self.meeting_kind, 0, 3)
        grid.addWidget(QLabel("Titre"), 1, 0)
        grid.addWidget(self.meeting_title, 1, 1)
        grid.addWidget(QLabel("Lieu"), 1, 2)
        grid.addWidget(self.meeting_place, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        middle = QHBoxLayout()
        participants = QVBoxLayout()
        participants.addWidget(QLabel("Participants"))
        self.participants_list = QListWidget()
        self.participants_list.setObjectName("participantsList")
        self.participants_list.setWordWrap(True)
        self.participants_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.participants_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        participants.addWidget(self.participants_list, 1)
        pick = QHBoxLayout()
        self.participant_combo = QComboBox()
        self.participant_combo.setObjectName("participantCombo")
        self.add_participant_button = QPushButton("Ajouter")
        self.remove_participant_button = QPushButton("Retirer")
        pick.addWidget(self.participant_combo, 1)
        pick.addWidget(self.add_participant_button)
        pick.addWidget(self.remove_participant_button)
        participants.addLayout(pick)
        middle.addLayout(participants, 4)
        self.meeting_agenda = TextArea("Un point par ligne")
        self.meeting_agenda.setObjectName("meetingAgenda")
        self.meeting_decisions = TextArea("Ce qui a été décidé")
        self.meeting_decisions.setObjectName("meetingDecisions")
        for caption, edit in (("Ordre du jour", self.meeting_agenda), ("Décisions", self.meeting_decisions)):
            column = QVBoxLayout()
            column.addWidget(QLabel(caption))
            column.addWidget(edit, 1)
            middle.addLayout(column, 3)
        layout.addLayout(middle, 2)
        layout.addWidget(QLabel("Tâches de suivi"))
        self.tasks_table = QTableWidget(0, len(TASK_COLUMNS))
        self.tasks_table.setObjectName("tasksTable")
        self.tasks_table.setHorizontalHeaderLabels(TASK_COLUMNS)
        self.tasks_table.verticalHeader().setVisible(False)
        self.tasks_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tasks_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tasks_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tasks_table.setToolTip(
            "Double-cliquez une cellule pour la corriger ; cochez « Faite » une fois la tâche faite"
        )
        layout.addWidget(self.tasks_table, 2)
        add_task = QHBoxLayout()
        self.task_label = QLineEdit()
        self.task_label.setObjectName("taskLabel")
        self.task_label.setPlaceholderText("Nouvelle tâche : ce qu'il faut faire")
        self.task_owner = QLineEdit()
        self.task_owner.setObjectName("taskOwner")
        self.task_owner.setPlaceholderText("Qui s'en charge")
        self.task_due = DateField()
        self.task_due.setObjectName("taskDue")
        self.task_due.setToolTip("Échéance (facultative), jj/mm/aaaa")
        self.add_task_button = QPushButton("Ajouter la tâche")
        self.delete_task_button = QPushButton("Supprimer la tâche")
        add_task.addWidget(self.task_label, 3)
        add_task.addWidget(self.task_owner, 2)
        add_task.addWidget(self.task_due, 1)
        add_task.addWidget(self.add_task_button)
        add_task.addWidget(self.delete_task_button)
        layout.addLayout(add_task)
        self.meeting_date.editingFinished.connect(self._save_meeting_date)
        self.meeting_kind.activated.connect(lambda _i: self._save_meeting(kind=self.meeting_kind.currentData()))
        self.meeting_title.editingFinished.connect(lambda: self._save_meeting(title=self.meeting_title.text()))
        self.meeting_place.editingFinished.connect(lambda: self._save_meeting(place=self.meeting_place.text()))
        self.meeting_agenda.editingFinished.connect(lambda: self._save_meeting(agenda=self.meeting_agenda.text()))
        self.meeting_decisions.editingFinished.connect(
            lambda: self._save_meeting(decisions=self.meeting_decisions.text())
        )
        self.add_participant_button.clicked.connect(self._add_chosen_participant)
        self.remove_participant_button.clicked.connect(self._remove_chosen_participant)
        self.add_task_button.clicked.connect(self._add_typed_task)
        self.task_label.returnPressed.connect(self._add_typed_task)
        self.delete_task_button.clicked.connect(self.delete_selected_task)
        self.tasks_table.itemChanged.connect(self._task_edited)
        self.meeting_box = box
        box.setEnabled(False)
        return box

    def refresh_meetings(self) -> None:
        """The meetings in date order, and the one selected."""
        if self.project is None:
            return
        rows = run_action(self, TITLE, lambda: meeting_svc.list_meetings(self.ctx.uow(), self._project_id()))
        if rows is None:
            return
        self.meetings = rows
        selected = _selected_data(self.meetings_table)
        self.meetings_table.blockSignals(True)
        self.meetings_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = (
                item(format_date(row.held_on), row.id),
                item(row.kind_label),
                item(row.display_title),
                item(format_int(row.participant_count), right=True),
                item(format_int(row.open_tasks) if row.open_tasks else "", right=True),
            )
            for column, cell in enumerate(cells):
                self.meetings_table.setItem(index, column, cell)
        if selected is not None:
            _select_data(self.meetings_table, selected)
        self.meetings_table.blockSignals(False)
        self.tabs.setTabText(3, f"Réunions ({len(rows)})" if rows else "Réunions")
        self._fill_meeting()

    def current_meeting_id(self) -> int | None:
        """Id of the meeting selected."""
        value = _selected_data(self.meetings_table)
        return int(value) if isinstance(value, int) else None

    def select_meeting(self, meeting_id: int) -> None:
        """Select a meeting's line and show its detail."""
        _select_data(self.meetings_table, meeting_id)

    def _fill_meeting(self) -> None:
        meeting_id = self.current_meeting_id()
        self.meeting_box.setEnabled(meeting_id is not None)
        self.delete_meeting_button.setEnabled(meeting_id is not None)
        self.meeting = None
        if meeting_id is not None:
            self.meeting = run_action(self, TITLE, lambda: meeting_svc.get_meeting(self.ctx.uow(), meeting_id))
        self._loading = True
        self.tasks_table.blockSignals(True)
        try:
            detail = self.meeting
            if detail is None:
                for edit in (self.meeting_date, self.meeting_title, self.meeting_place):
                    edit.clear()
                self.meeting_agenda.set_text("")
                self.meeting_decisions.set_text("")
                self.participants_list.clear()
                self.tasks_table.setRowCount(0)
                self._fill_participant_choices()
                return
            meeting = detail.meeting
            self.meeting_date.set_value(meeting.held_on)
            self.meeting_kind.setCurrentIndex(max(0, self.meeting_kind.findData(meeting.kind)))
            self.meeting_title.setText(meeting.title)
            self.meeting_title.setPlaceholderText(f"facultatif ; sinon « {meeting.display_title} »")
            self.meeting_place.setText(meeting.place)
            self.meeting_agenda.set_text(meeting.agenda)
            self.meeting_decisions.set_text(meeting.decisions)
            self.participants_list.clear()
            for participant in detail.participants:
                details = ", ".join(part for part in (participant.role, participant.organisation) if part)
                entry = QListWidgetItem(f"{participant.name} ({details})" if details else participant.name)
                entry.setData(Qt.ItemDataRole.UserRole, participant.contact_id)
                self.participants_list.addItem(entry)
            self._fill_participant_choices()
            self.tasks_table.setRowCount(len(detail.tasks))
            for index, task in enumerate(detail.tasks):
                label = QTableWidgetItem(task.label)
                label.setData(Qt.ItemDataRole.UserRole, task.id)
                owner = QTableWidgetItem(task.owner)
                due = QTableWidgetItem(format_date(task.due_on) if task.due_on else "")
                if task.overdue:
                    due.setForeground(QBrush(OVERDUE))
                    due.setToolTip(task.due_label)
                done = QTableWidgetItem("")
                done.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                )
                done.setCheckState(Qt.CheckState.Checked if task.done else Qt.CheckState.Unchecked)
                for column, cell in enumerate((label, owner, due, done)):
                    self.tasks_table.setItem(index, column, cell)
        finally:
            self.tasks_table.blockSignals(False)
            self._loading = False

    def refresh_meeting_detail(self) -> None:
        """Re-read the selected meeting (participants' names may have changed)."""
        self._fill_meeting()

    def _fill_participant_choices(self) -> None:
        present = {p.contact_id for p in self.meeting.participants} if self.meeting is not None else set()
        self.participant_combo.clear()
        for contact in self.contacts:
            if contact.id not in present:
                self.participant_combo.addItem(contact.name, contact.id)
                self.participant_combo.setItemData(
                    self.participant_combo.count() - 1, contact.display_name, Qt.ItemDataRole.ToolTipRole
                )
        if not self.contacts:
            self.participant_combo.addItem("Ajoutez d'abord des contacts (onglet « Contacts »)", None)
        self.add_participant_button.setEnabled(self.participant_combo.currentData() is not None)

    def open_meeting_dialog(self) -> MeetingDialog:
        """The new-meeting dialog (non-blocking)."""
        dialog = MeetingDialog(self)

        def create() -> None:
            try:
                held_on = dialog.date_edit.value()
            except ValidationError as exc:
                show_message(dialog, TITLE, exc.message)
                return
            new_id = self.add_meeting(
                dialog.kind_combo.currentData(),
                held_on,
                dialog.title_edit.text(),
                dialog.place_edit.text(),
                parent=dialog,
            )
            if new_id is not None:
                dialog.accept()

        dialog.ok_button.clicked.connect(create)
        dialog.open()
        self.dialog = dialog
        return dialog

    def add_meeting(
        self,
        kind: str,
        held_on: date | None,
        title: str = "",
        place: str = "",
        participant_ids: Iterable[int] = (),
        parent: QWidget | None = None,
    ) -> int | None:
        """Create a meeting (a date is required; a contact given twice is refused)."""
        ids = list(participant_ids)
        new_id = run_action(
            parent or self,
            TITLE,
            lambda: meeting_svc.add_meeting(
                self.ctx.uow(), self._project_id(), kind=kind, held_on=held_on, title=title, place=place,
                participant_ids=ids,
            ),
        )  # fmt: skip
        if new_id is not None:
            self.refresh_meetings()
            self.select_meeting(new_id)
            self._after_change()
        return new_id

    def _save_meeting(self, **changes: object) -> bool:
        detail = self.meeting
        if detail is None or self._loading:
            return False
        if all(getattr(detail.meeting, key) == value for key, value in changes.items()):
            return True
        meeting_id = detail.meeting.id
        done = attempt(self, TITLE, lambda: meeting_svc.update_meeting(self.ctx.uow(), meeting_id, **changes))
        self.refresh_meetings()
        self.select_meeting(meeting_id)
        if done:
            self.refresh_pending()
            self._after_change()
        return done

    def edit_meeting(self, **changes: object) -> bool:
        """Change the selected meeting (kind, title, held_on, place, agenda, decisions)."""
        return self._save_meeting(**changes)

    def _save_meeting_date(self) -> None:
        if self._loading or self.meeting is None:
            return
        try:
            held_on = self.meeting_date.value()
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
            self._fill_meeting()
            return
        self._save_meeting(held_on=held_on)

    def delete_selected_meeting(self) -> None:
        """Remove the selected meeting with its participants and tasks, after confirmation."""
        detail = self.meeting
        if detail is None:
            return
        meeting_id = detail.meeting.id

        def delete() -> None:
            if attempt(self, TITLE, lambda: meeting_svc.delete_meeting(self.ctx.uow(), meeting_id)):
                self.refresh_meetings()
                self.refresh_pending()
                self._after_change()

        confirm(
            self,
            "Supprimer",
            f"Supprimer la réunion « {detail.meeting.display_title} », ses participants et ses tâches ?",
            "Supprimer",
            delete,
        )

    def _add_chosen_participant(self) -> None:
        contact_id = self.participant_combo.currentData()
        if contact_id is not None:
            self.add_participant(int(contact_id))

    def add_participant(self, contact_id: int) -> bool:
        """Add a contact to the selected meeting (refused in French if already there)."""
        detail = self.meeting
        if detail is None:
            return False
        meeting_id = detail.meeting.id
        done = attempt(self, TITLE, lambda: meeting_svc.add_participant(self.ctx.uow(), meeting_id, contact_id))
        if done:
            self.refresh_meetings()
            self.select_meeting(meeting_id)
            self._after_change()
        return done

    def _remove_chosen_participant(self) -> None:
        entries = self.participants_list.selectedItems()
        if entries:
            self.remove_participant(int(entries[0].data(Qt.ItemDataRole.UserRole)))

    def remove_participant(self, contact_id: int) -> bool:
        """Remove a contact from the selected meeting's participants."""
        detail = self.meeting
        if detail is None:
            return False
        meeting_id = detail.meeting.id
        done = attempt(self, TITLE, lambda: meeting_svc.remove_participant(self.ctx.uow(), meeting_id, contact_id))
        if done:
            self.refresh_meetings()
            self.select_meeting(meeting_id)
            self._after_change()
        return done
