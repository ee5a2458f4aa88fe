"""Constants and small widgets of step 5 (dates, yes/no answers, tables)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QTableWidget,
)

from santeloc.domain.enums import CommitmentStatus
from santeloc.domain.formatting import format_date, parse_date  # noqa: F401 (the panels' date helpers)
from santeloc.gui.fields import DateField, calendar_icon  # noqa: F401 (shared by every step's dates)
from santeloc.gui.widgets import names_get_width

TITLE = "Mobilisation des professionnels"


# Two-line headers for the yes/no columns: their answers are short, the names need the width.
PRO_COLUMNS = ["Profession", "Nom", "Engagement", "Leader", "Exercice\nen groupe", "Prêt à\ndéménager", "Horizon"]


CONTACT_COLUMNS = ["Type", "Nom", "Rôle", "Organisation", "Téléphone", "E-mail"]


MEETING_COLUMNS = ["Date", "Type", "Titre", "Participants", "Tâches en cours"]


TASK_COLUMNS = ["Tâche", "Responsable", "Échéance", "Faite"]


PENDING_COLUMNS = ["Échéance", "Tâche", "Responsable", "Décidée lors de"]


YES_NO = (("", "Non renseigné"), ("oui", "Oui"), ("non", "Non"))


OWNER_TENANT = (("", "Non renseigné"), ("oui", "Propriétaire"), ("non", "Locataire"))


OVERDUE = QColor("#b03a2e")


REACHED_STYLE = "background: #e3f1ec; color: #1d5c4d; border: 1px solid #9cc3b8;"


MISSING_STYLE = "background: #fdf1e0; color: #7a4b00; border: 1px solid #e0b873;"


def _tri(value: bool | None) -> str:
    return "" if value is None else "oui" if value else "non"


def _from_tri(key: str) -> bool | None:
    return None if not key else key == "oui"


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "Oui" if value else "Non"


def _table(columns: Sequence[str], name: str, stretch: int = 1) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    names_get_width(table, name_column=stretch, name_minimum=120)  # names get the width, in full as tooltips
    return table


def _selected_data(table: QTableWidget) -> object:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    cell = table.item(rows[0].row(), 0)
    return cell.data(Qt.ItemDataRole.UserRole) if cell is not None else None


def _select_data(table: QTableWidget, value: object) -> bool:
    for index in range(table.rowCount()):
        cell = table.item(index, 0)
        if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == value:
            table.selectRow(index)
            return True
    return False


def _next_status(status: str) -> str:
    """The status that usually follows (the same one at the last step)."""
    order = [s.value for s in CommitmentStatus]
    if not status:
        return order[0]
    index = order.index(status) if status in order else -1
    return order[min(index + 1, len(order) - 1)]
