"""Step 5: the tasks decided in meetings and the list of pending ones."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_date, format_int, plural
from santeloc.gui.ops import attempt, explain, run_action, show_message
from santeloc.gui.pages.base import cell as item
from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.mobilisation.common import (
    OVERDUE,
    PENDING_COLUMNS,
    TITLE,
    _selected_data,
    _table,
    parse_date,
)
from santeloc.gui.pages.mobilisation.host import Host
from santeloc.services import meetings as meeting_svc


class TasksMixin(Host):
    """A meeting's tasks and the pending tasks tab."""

    def _pending_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.pending_label = wrapped("")
        self.pending_label.setObjectName("pendingLabel")
        layout.addWidget(self.pending_label)
        self.pending_table = _table(PENDING_COLUMNS, "pendingTable", stretch=1)
        layout.addWidget(self.pending_table, 1)
        buttons = QHBoxLayout()
        self.open_meeting_button = QPushButton("Voir la réunion")
        self.done_button = QPushButton("Marquer comme faite")
        self.done_button.setObjectName("doneButton")
        buttons.addStretch(1)
        buttons.addWidget(self.open_meeting_button)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)
        self.open_meeting_button.clicked.connect(self._open_pending_meeting)
        self.done_button.clicked.connect(lambda: self.mark_task_done())
        return tab

    def _add_typed_task(self) -> None:
        try:
            due_on = self.task_due.value()
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
            return
        if self.add_task(self.task_label.text(), self.task_owner.text(), due_on) is not None:
            self.task_label.clear()
            self.task_owner.clear()
            self.task_due.clear()
            self.task_label.setFocus()

    def add_task(self, label: str, owner: str = "", due_on: date | None = None) -> int | None:
        """Add a follow-up task to the selected meeting."""
        detail = self.meeting
        if detail is None:
            return None
        meeting_id = detail.meeting.id
        new_id = run_action(
            self, TITLE, lambda: meeting_svc.add_task(self.ctx.uow(), meeting_id, label, owner=owner, due_on=due_on)
        )
        if new_id is not None:
            self.refresh_meetings()
            self.select_meeting(meeting_id)
            self.refresh_pending()
            self._after_change()
        return new_id

    def _task_edited(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        first = self.tasks_table.item(cell.row(), 0)
        if first is None:
            return
        task_id = int(first.data(Qt.ItemDataRole.UserRole))
        column = cell.column()
        if column == 3:
            self.set_task_done(task_id, cell.checkState() == Qt.CheckState.Checked)
            return
        if column == 2:
            try:
                due_on = parse_date(cell.text())
            except ValidationError as exc:
                explain(self, TITLE, exc.message)
                self._fill_meeting()
                return
            self.update_task(task_id, due_on=due_on)
            return
        self.update_task(task_id, **{"label" if column == 0 else "owner": cell.text()})

    def update_task(self, task_id: int, **changes: object) -> bool:
        """Change a task's label, owner or due date."""
        done = attempt(self, TITLE, lambda: meeting_svc.update_task(self.ctx.uow(), task_id, **changes))
        meeting_id = self.current_meeting_id()
        self.refresh_meetings()
        if meeting_id is not None:
            self.select_meeting(meeting_id)
        if done:
            self.refresh_pending()
            self._after_change()
        return done

    def set_task_done(self, task_id: int, done: bool = True) -> bool:
        """Mark a task as done (or not done again)."""
        return self.update_task(task_id, done=done)

    def delete_selected_task(self) -> None:
        """Remove the task selected in the meeting's list."""
        rows = self.tasks_table.selectionModel().selectedRows()
        if not rows:
            return
        first = self.tasks_table.item(rows[0].row(), 0)
        if first is None:
            return
        task_id = int(first.data(Qt.ItemDataRole.UserRole))
        if attempt(self, TITLE, lambda: meeting_svc.delete_task(self.ctx.uow(), task_id)):
            meeting_id = self.current_meeting_id()
            self.refresh_meetings()
            if meeting_id is not None:
                self.select_meeting(meeting_id)
            self.refresh_pending()
            self._after_change()

    def refresh_pending(self) -> None:
        """Tasks not done yet, by due date, the overdue ones in red."""
        if self.project is None:
            return
        rows = run_action(self, TITLE, lambda: meeting_svc.pending_tasks(self.ctx.uow(), self._project_id()))
        if rows is None:
            return
        self.pending = rows
        self.pending_table.setRowCount(len(rows))
        bold = QFont(self.pending_table.font())
        bold.setBold(True)
        for index, task in enumerate(rows):
            cells = (
                item(task.due_label, task.id),
                item(task.label),
                item(task.owner),
                item(f"{task.meeting_title}" if task.meeting_title.endswith(format_date(task.meeting_on))
                     else f"{task.meeting_title} ({format_date(task.meeting_on)})"),
            )  # fmt: skip
            for column, cell in enumerate(cells):
                if task.overdue:
                    cell.setForeground(QBrush(OVERDUE))
                    if column == 0:
                        cell.setFont(bold)
                self.pending_table.setItem(index, column, cell)
        overdue = sum(1 for t in rows if t.overdue)
        if not rows:
            self.pending_label.setText("Aucune tâche en cours : tout ce qui a été décidé en réunion est fait.")
        else:
            text = f"<b>{plural(len(rows), 'tâche en cours', 'tâches en cours')}</b>"
            if overdue:
                text += f", dont <span style='color: #b03a2e;'><b>{format_int(overdue)} en retard</b></span>"
            self.pending_label.setText(text + ", par échéance.")
        self.tabs.setTabText(4, f"Tâches en cours ({len(rows)})" if rows else "Tâches en cours")
        self.done_button.setEnabled(bool(rows))
        self.open_meeting_button.setEnabled(bool(rows))

    def _pending_selected(self) -> meeting_svc.TaskRow | None:
        wanted = _selected_data(self.pending_table)
        return next((t for t in self.pending if t.id == wanted), None)

    def mark_task_done(self, task_id: int | None = None) -> bool:
        """Mark a pending task as done (the one selected unless ``task_id`` is given)."""
        if task_id is None:
            task = self._pending_selected()
            if task is None:
                show_message(self, TITLE, "Choisissez d'abord une tâche dans la liste.", QMessageBox.Icon.Information)
                return False
            task_id = task.id
        return self.set_task_done(task_id, True)

    def _open_pending_meeting(self) -> None:
        task = self._pending_selected()
        if task is not None:
            self.tabs.setCurrentIndex(3)
            self.select_meeting(task.meeting_id)
