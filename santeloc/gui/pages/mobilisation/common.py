"""Constants and small widgets of step 5 (dates, yes/no answers, tables)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QLineEdit,
    QTableWidget,
    QWidget,
)

from santeloc.domain.enums import CommitmentStatus
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import (
    format_date,
    parse_date,
)
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


def calendar_icon(size: int = 16) -> QIcon:
    """A small calendar drawn for the date fields' button."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#4d5c57"))
    painter.setBrush(QColor("white"))
    painter.drawRect(1, 2, size - 3, size - 4)
    painter.fillRect(1, 2, size - 2, 4, QColor("#2e7d6b"))
    for row in range(2):
        for column in range(3):
            painter.fillRect(4 + 3 * column, 8 + 3 * row, 2, 2, QColor("#4d5c57"))
    painter.end()
    return QIcon(pixmap)


class DateField(QLineEdit):
    """A date typed jj/mm/aaaa or picked in a calendar; empty means "no date"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("jj/mm/aaaa")
        self.setToolTip("Date au format jj/mm/aaaa, ou choisie dans le calendrier")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 34)
        self.setMaximumWidth(self.minimumWidth() + 30)
        action = self.addAction(calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip("Choisir dans le calendrier")
        action.triggered.connect(self.show_calendar)
        self.calendar: QCalendarWidget | None = None

    def value(self) -> date | None:
        """The date typed (None when empty). Raises ValidationError when it is not one."""
        return parse_date(self.text())

    def set_value(self, value: date | None) -> None:
        """Show a date (or nothing)."""
        self.setText(format_date(value) if value is not None else "")

    def show_calendar(self) -> QCalendarWidget:
        """A calendar under the field; a click writes the date and ends the editing."""
        calendar = QCalendarWidget()
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        calendar.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        try:
            current = self.value() or date.today()
        except ValidationError:
            current = date.today()
        calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        calendar.show()
        self.calendar = calendar
        return calendar

    def _picked(self, picked: QDate) -> None:
        self.set_value(date(picked.year(), picked.month(), picked.day()))
        if self.calendar is not None:
            self.calendar.close()
            self.calendar = None
        self.editingFinished.emit()


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
