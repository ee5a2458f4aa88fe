"""Step 5 — Mobilisation des professionnels: the guide's questions to each professional and their
commitment, the summary against the MSP minimum, contacts and partners, meetings and their tasks."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.enums import CommitmentStatus
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_date, format_decimal, format_int, plural
from santeloc.domain.indicators import parse_french_number
from santeloc.gui.context import AppContext, DataKind
from santeloc.gui.ops import attempt, confirm, run_action, show_message
from santeloc.gui.pages.base import StepPage, wrapped
from santeloc.gui.pages.base import cell as item
from santeloc.gui.pages.inhabitants_page import PageTabs, TextArea
from santeloc.gui.widgets import tidy_combo
from santeloc.services import meetings as meeting_svc
from santeloc.services import mobilisation as svc
from santeloc.services.projects import ProjectInfo

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


# --- dates -----------------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """A date typed the French way (``12/03/2026``, ``12/3/26``, ``12.03.2026``), or None when empty.

    Raises:
        ValidationError: not a date, or a day that does not exist (French message with an example).
    """
    stripped = text.strip()
    if not stripped:
        return None
    french = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})", stripped)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", stripped)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif french:
        day, month = int(french.group(1)), int(french.group(2))
        year = int(french.group(3)) + (2000 if len(french.group(3)) == 2 else 0)
    else:
        raise ValidationError(f"« {stripped} » n'est pas une date : écrivez-la jj/mm/aaaa, par exemple 12/03/2026.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"Le « {stripped} » n'existe pas dans le calendrier.") from None


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


# --- helpers -----------------------------------------------------------------------------------


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
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
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


class ContactDialog(QDialog):
    """A new contact or partner: kind, name, role, organisation, phone and e-mail."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactDialog")
        self.setWindowTitle("Nouveau contact")
        self.resize(520, 300)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind_combo = tidy_combo(QComboBox())
        for key, label, _group in svc.CONTACT_KINDS:
            if key != "professionnel":
                self.kind_combo.addItem(label, key)
        self.kind_combo.addItem(svc.CONTACT_LABELS["professionnel"], "professionnel")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Prénom et nom, ou nom du service")
        self.role_edit = QLineEdit()
        self.role_edit.setPlaceholderText("ex. Chargée de mission premier recours")
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setPlaceholderText("ex. ARS — délégation départementale de la Nièvre")
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("ex. 03 86 12 34 56")
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText("ex. prenom.nom@ars.sante.fr")
        form.addRow("Type", self.kind_combo)
        form.addRow("Nom", self.name_edit)
        form.addRow("Rôle", self.role_edit)
        form.addRow("Organisation", self.organisation_edit)
        form.addRow("Téléphone", self.phone_edit)
        form.addRow("E-mail", self.email_edit)
        layout.addLayout(form)
        hint = wrapped(
            "Pour un professionnel du registre (étape 2), utilisez plutôt « Ajouter depuis le registre » : "
            "sa fiche contact lui restera reliée.",
            hint=True,
        )
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Ajouter le contact", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        """The fields typed, keyed as the service expects them."""
        return {
            "kind": self.kind_combo.currentData(),
            "name": self.name_edit.text(),
            "role": self.role_edit.text(),
            "organisation": self.organisation_edit.text(),
            "phone": self.phone_edit.text(),
            "email": self.email_edit.text(),
        }


class RegistryDialog(QDialog):
    """Professionals of the registry who have no contact card yet, to tick."""

    def __init__(self, rows: Sequence[svc.MobilisationRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registryDialog")
        self.setWindowTitle("Ajouter des contacts depuis le registre")
        self.resize(520, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                "Cochez les professionnels à ajouter aux contacts (ceux qui ont déjà une fiche n'apparaissent pas). "
                "Complétez ensuite leur téléphone et leur e-mail."
            )
        )
        self.list = QListWidget()
        self.list.setObjectName("registryList")
        for row in rows:
            entry = QListWidgetItem(f"{row.name} — {row.profession_label}")
            entry.setData(Qt.ItemDataRole.UserRole, row.professional_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(entry)
        layout.addWidget(self.list, 1)
        ticks = QHBoxLayout()
        self.all_button = QPushButton("Tout cocher")
        self.none_button = QPushButton("Tout décocher")
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addStretch(1)
        layout.addLayout(ticks)
        self.all_button.clicked.connect(lambda: self.tick_all(True))
        self.none_button.clicked.connect(lambda: self.tick_all(False))
        if not rows:
            layout.addWidget(wrapped("Tous les professionnels du registre ont déjà une fiche contact.", hint=True))
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Ajouter aux contacts", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(bool(rows))
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def tick_all(self, ticked: bool) -> None:
        """Tick (or untick) every professional of the list."""
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        for index in range(self.list.count()):
            entry = self.list.item(index)
            if entry is not None:
                entry.setCheckState(state)

    def chosen(self) -> list[int]:
        """Ids of the ticked professionals."""
        ids = []
        for index in range(self.list.count()):
            entry = self.list.item(index)
            if entry is not None and entry.checkState() == Qt.CheckState.Checked:
                ids.append(int(entry.data(Qt.ItemDataRole.UserRole)))
        return ids


class MeetingDialog(QDialog):
    """A new meeting: its kind, date, title and place (participants and the rest come after)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self.setWindowTitle("Nouvelle réunion")
        self.resize(520, 240)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind_combo = tidy_combo(QComboBox())
        for key, label in meeting_svc.MEETING_KINDS:
            self.kind_combo.addItem(label, key)
        self.date_edit = DateField()
        self.date_edit.set_value(date.today())
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("facultatif (sinon : le type et la date de la réunion)")
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText("ex. Salle du conseil, mairie")
        form.addRow("Type", self.kind_combo)
        form.addRow("Date", self.date_edit)
        form.addRow("Titre", self.title_edit)
        form.addRow("Lieu", self.place_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Créer la réunion", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# --- the page ----------------------------------------------------------------------------------


class MobilisationPage(StepPage):
    """The page of step 5. Fields are saved as soon as they are left."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.professionals: list[svc.MobilisationRow] = []
        self.history: list[svc.CommitmentEventRow] = []
        self.contacts: list[svc.ContactRow] = []
        self.meetings: list[meeting_svc.MeetingRow] = []
        self.meeting: meeting_svc.MeetingDetail | None = None
        self.pending: list[meeting_svc.TaskRow] = []
        self.summary: svc.MobilisationSummary | None = None
        self.dialog: QDialog | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = PageTabs()
        self.tabs.setObjectName("mobilisationTabs")
        self.tabs.addTab(self._professionals_tab(), "Professionnels")
        self.tabs.addTab(self._summary_tab(), "Synthèse")
        self.tabs.addTab(self._contacts_tab(), "Contacts")
        self.tabs.addTab(self._meetings_tab(), "Réunions")
        self.tabs.addTab(self._pending_tab(), "Tâches en cours")
        layout.addWidget(self.tabs)
        for combo in self.findChildren(QComboBox):
            tidy_combo(combo)

    # --- building: professionals -----------------------------------------------------------

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

    # --- building: summary -------------------------------------------------------------------

    def _summary_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.msp_label = wrapped("")
        self.msp_label.setObjectName("mspSentence")
        font = QFont(self.msp_label.font())
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.45)
        font.setBold(True)
        self.msp_label.setFont(font)
        layout.addWidget(self.msp_label)
        self.counts_label = wrapped("")
        self.counts_label.setObjectName("summaryCounts")
        layout.addWidget(self.counts_label)
        self.leaders_label = wrapped("")
        self.leaders_label.setObjectName("leadersLabel")
        layout.addWidget(self.leaders_label)
        self.summary_table = QTableWidget(0, 0)
        self.summary_table.setObjectName("summaryTable")
        self.summary_table.verticalHeader().setVisible(False)
        self.summary_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_table.setAlternatingRowColors(True)
        layout.addWidget(self.summary_table, 1)
        layout.addWidget(
            wrapped(
                "Sont comptés comme engagés les professionnels qui ont envoyé une lettre d'intention ou signé le "
                "projet de santé. Minimum d'une maison de santé pluriprofessionnelle : 2 médecins généralistes et "
                "1 professionnel paramédical.",
                hint=True,
            )
        )
        return tab

    # --- building: contacts ------------------------------------------------------------------

    def _contacts_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        self.add_contact_button = QPushButton("Nouveau contact…")
        self.registry_button = QPushButton("Ajouter depuis le registre…")
        self.registry_button.setToolTip("Une fiche contact pour des professionnels du registre de l'étape 2")
        self.contact_filter = QComboBox()
        self.contact_filter.setObjectName("contactFilter")
        self.contact_filter.addItem("Tous les contacts", "")
        for group, label in svc.CONTACT_GROUP_LABELS.items():
            self.contact_filter.addItem(label, group)
        self.delete_contact_button = QPushButton("Supprimer")
        buttons.addWidget(self.add_contact_button)
        buttons.addWidget(self.registry_button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Afficher :"))
        buttons.addWidget(self.contact_filter)
        buttons.addWidget(self.delete_contact_button)
        layout.addLayout(buttons)
        self.contacts_empty = wrapped(
            "Aucun contact. Ajoutez les professionnels du registre, les institutions (ARS, CPAM ou MSA, ordres, "
            "URPS, conseil départemental, région, préfecture) et les élus qui portent le projet.",
            hint=True,
        )
        layout.addWidget(self.contacts_empty)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.contacts_table = _table(CONTACT_COLUMNS, "contactsTable", stretch=1)
        self.contacts_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        splitter.addWidget(self.contacts_table)
        splitter.addWidget(self._contact_form())
        splitter.setSizes([380, 200])
        layout.addWidget(splitter, 1)
        self.add_contact_button.clicked.connect(self.open_contact_dialog)
        self.registry_button.clicked.connect(self.open_registry_dialog)
        self.delete_contact_button.clicked.connect(self.delete_selected_contact)
        self.contact_filter.currentIndexChanged.connect(lambda _i: self.refresh_contacts())
        self.contacts_table.itemSelectionChanged.connect(self._fill_contact)
        return tab

    def _contact_form(self) -> QWidget:
        box = QGroupBox("Contact sélectionné")
        grid = QGridLayout(box)
        self.contact_kind = QComboBox()
        self.contact_kind.setObjectName("contactKind")
        for key, label, _group in svc.CONTACT_KINDS:
            self.contact_kind.addItem(label, key)
        self.contact_name = QLineEdit()
        self.contact_role = QLineEdit()
        self.contact_organisation = QLineEdit()
        self.contact_phone = QLineEdit()
        self.contact_phone.setPlaceholderText("ex. 03 86 12 34 56")
        self.contact_email = QLineEdit()
        self.contact_email.setPlaceholderText("ex. prenom.nom@mairie-exemple.fr")
        left = (("Type", self.contact_kind), ("Nom", self.contact_name), ("Rôle", self.contact_role))
        right = (
            ("Organisation", self.contact_organisation),
            ("Téléphone", self.contact_phone),
            ("E-mail", self.contact_email),
        )
        for row, (caption, widget) in enumerate(left):
            grid.addWidget(QLabel(caption), row, 0)
            grid.addWidget(widget, row, 1)
        for row, (caption, widget) in enumerate(right):
            grid.addWidget(QLabel(caption), row, 2)
            grid.addWidget(widget, row, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.contact_link = wrapped("", hint=True)
        grid.addWidget(self.contact_link, 3, 0, 1, 4)
        self.contact_kind.activated.connect(lambda _i: self._save_contact(kind=self.contact_kind.currentData()))
        for edit, key in (
            (self.contact_name, "name"),
            (self.contact_role, "role"),
            (self.contact_organisation, "organisation"),
            (self.contact_phone, "phone"),
            (self.contact_email, "email"),
        ):
            edit.editingFinished.connect(lambda e=edit, k=key: self._save_contact(**{k: e.text()}))
        self.contact_box = box
        box.setEnabled(False)
        return box

    # --- building: meetings ------------------------------------------------------------------

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

    # --- building: pending tasks -------------------------------------------------------------

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

    # --- loading -------------------------------------------------------------------------

    def load(self, project: ProjectInfo) -> None:
        """Show a project's step 5."""
        self.project = project
        self.refresh()

    def refresh(self) -> None:
        """Re-read everything of the step."""
        if self.project is None:
            return
        self.refresh_professionals()
        self.refresh_summary()
        self.refresh_contacts()
        self.refresh_meetings()
        self.refresh_pending()

    def _after_change(self) -> None:
        self.ctx.saved.emit("Enregistré")
        self.ctx.notify(DataKind.PROJECT, self._project_id())
        self.changed.emit()

    # --- professionals -----------------------------------------------------------------------

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
            show_message(self, TITLE, exc.message)
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

    # --- summary -----------------------------------------------------------------------------

    def refresh_summary(self) -> None:
        """Counts by profession and status, leaders, and the MSP minimum."""
        if self.project is None:
            return
        summary = run_action(self, TITLE, lambda: svc.mobilisation_summary(self.ctx.uow(), self._project_id()))
        if summary is None:
            return
        self.summary = summary
        self.msp_label.setText(summary.sentence)
        self.msp_label.setStyleSheet(
            f"QLabel {{ {REACHED_STYLE if summary.reaches_msp_minimum else MISSING_STYLE} "
            "padding: 12px; border-radius: 6px; }"
        )
        self.counts_label.setText(
            f"{plural(summary.total, 'professionnel recensé', 'professionnels recensés')} au registre, dont "
            f"<b>{plural(summary.committed, 'engagé', 'engagés')}</b> (lettre d'intention ou signature du projet "
            "de santé)."
        )
        if summary.leaders:
            self.leaders_label.setText("<b>Leaders</b> : " + ", ".join(summary.leaders) + ".")
        else:
            self.leaders_label.setText(
                "<b>Aucun leader identifié</b> : un ou deux professionnels moteurs, reconnus de leurs confrères, "
                "sont la clé de la réussite du projet."
            )
        statuses = summary.statuses
        headers = [
            "Profession",
            "Recensés",
            *[textwrap.fill(label, 14) for _s, label in statuses],
            "Engagés",
            "Leaders",
        ]
        table = self.summary_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(summary.professions) + 1)
        lines: list[tuple[str, int, list[int], int, int]] = [
            (p.plural_label, p.total, [p.by_status.get(s, 0) for s, _l in statuses], p.committed, p.leaders)
            for p in summary.professions
        ]
        lines.append(
            (
                "Ensemble",
                summary.total,
                [sum(p.by_status.get(s, 0) for p in summary.professions) for s, _l in statuses],
                summary.committed,
                len(summary.leaders),
            )
        )
        bold = QFont(table.font())
        bold.setBold(True)
        for index, (label, total, counts, committed, leaders) in enumerate(lines):
            values = [label, format_int(total), *[format_int(c) if c else "" for c in counts], format_int(committed)]
            values.append(format_int(leaders) if leaders else "")
            for column, text in enumerate(values):
                cell = item(text, right=column > 0)
                if index == len(lines) - 1 or column == len(values) - 2:
                    cell.setFont(bold)
                table.setItem(index, column, cell)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    # --- contacts ----------------------------------------------------------------------------

    def refresh_contacts(self) -> None:
        """The contacts and partners, by group."""
        if self.project is None:
            return
        group = self.contact_filter.currentData() or None
        rows = run_action(self, TITLE, lambda: svc.list_contacts(self.ctx.uow(), self._project_id()))
        if rows is None:
            return
        self.contacts = rows
        shown = [r for r in rows if group is None or r.group == group]
        selected = _selected_data(self.contacts_table)
        self.contacts_table.blockSignals(True)
        self.contacts_table.setRowCount(len(shown))
        for index, row in enumerate(shown):
            cells = (
                item(row.kind_label, row.id),
                item(row.name),
                item(row.role),
                item(row.organisation),
                item(row.phone),
                item(row.email),
            )
            cells[0].setToolTip(row.kind_label)
            for column, cell in enumerate(cells):
                self.contacts_table.setItem(index, column, cell)
        if selected is not None:
            _select_data(self.contacts_table, selected)
        self.contacts_table.blockSignals(False)
        self.contacts_empty.setVisible(not rows)
        self.tabs.setTabText(2, f"Contacts ({len(rows)})" if rows else "Contacts")
        self._fill_contact()
        self._fill_participant_choices()

    def current_contact(self) -> svc.ContactRow | None:
        """The contact selected."""
        wanted = _selected_data(self.contacts_table)
        return next((c for c in self.contacts if c.id == wanted), None)

    def select_contact(self, contact_id: int) -> None:
        """Select a contact's line (showing every group if needed)."""
        if not _select_data(self.contacts_table, contact_id):
            self.contact_filter.setCurrentIndex(0)
            _select_data(self.contacts_table, contact_id)

    def _fill_contact(self) -> None:
        row = self.current_contact()
        self.contact_box.setEnabled(row is not None)
        self.delete_contact_button.setEnabled(row is not None)
        if row is None:
            return
        self._loading = True
        try:
            self.contact_kind.setCurrentIndex(max(0, self.contact_kind.findData(row.kind)))
            for edit, value in (
                (self.contact_name, row.name),
                (self.contact_role, row.role),
                (self.contact_organisation, row.organisation),
                (self.contact_phone, row.phone),
                (self.contact_email, row.email),
            ):
                edit.setText(value)
            self.contact_link.setText(
                "Relié au registre des professionnels (étape 2)." if row.professional_id is not None else ""
            )
        finally:
            self._loading = False

    def _save_contact(self, **changes: object) -> bool:
        row = self.current_contact()
        if row is None or self._loading:
            return False
        if all(getattr(row, key) == value for key, value in changes.items()):
            return True
        done = attempt(self, TITLE, lambda: svc.update_contact(self.ctx.uow(), row.id, **changes))
        self.refresh_contacts()
        self.select_contact(row.id)
        if done:
            self.refresh_meeting_detail()
            self._after_change()
        return done

    def edit_contact(self, **changes: object) -> bool:
        """Change the selected contact's fields (what the form does when a field is left)."""
        return self._save_contact(**changes)

    def open_contact_dialog(self) -> ContactDialog:
        """The new-contact dialog (non-blocking)."""
        dialog = ContactDialog(self)

        def add() -> None:
            if self.add_contact(**dialog.values(), parent=dialog) is not None:
                dialog.accept()

        dialog.ok_button.clicked.connect(add)
        dialog.open()
        self.dialog = dialog
        return dialog

    def add_contact(
        self,
        kind: str,
        name: str,
        role: str = "",
        organisation: str = "",
        phone: str = "",
        email: str = "",
        parent: QWidget | None = None,
    ) -> int | None:
        """Add a contact or partner; refused in French (no name, wrong phone or e-mail)."""
        new_id = run_action(
            parent or self,
            TITLE,
            lambda: svc.add_contact(
                self.ctx.uow(), self._project_id(), kind=kind, name=name, role=role, organisation=organisation,
                phone=phone, email=email,
            ),
        )  # fmt: skip
        if new_id is not None:
            self.refresh_contacts()
            self.select_contact(new_id)
            self._after_change()
        return new_id

    def open_registry_dialog(self) -> RegistryDialog:
        """Tick professionals of the registry to add to the contacts (non-blocking)."""
        self.refresh_professionals()
        dialog = RegistryDialog([r for r in self.professionals if r.contact_id is None], self)
        dialog.ok_button.clicked.connect(
            lambda: dialog.accept() if self.add_contacts_from_registry(dialog.chosen()) is not None else None
        )
        dialog.open()
        self.dialog = dialog
        return dialog

    def add_contacts_from_registry(self, professional_ids: Iterable[int]) -> list[int] | None:
        """A contact card for each of these professionals that has none yet."""
        ids = list(professional_ids)
        created = run_action(self, TITLE, lambda: svc.contacts_from_registry(self.ctx.uow(), self._project_id(), ids))
        if created is not None:
            self.refresh_contacts()
            self.refresh_professionals()
            if created:
                self.select_contact(created[0])
            self._after_change()
        return created

    def delete_selected_contact(self) -> None:
        """Remove the selected contact (and its presence in meetings) after confirmation."""
        row = self.current_contact()
        if row is None:
            return

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_contact(self.ctx.uow(), row.id)):
                self.refresh_contacts()
                self.refresh_meetings()
                self._after_change()

        confirm(
            self,
            "Supprimer",
            f"Supprimer le contact « {row.name} » ? Il disparaîtra aussi des participants des réunions.",
            "Supprimer",
            delete,
        )

    # --- meetings ----------------------------------------------------------------------------

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
            show_message(self, TITLE, exc.message)
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

    # --- tasks -------------------------------------------------------------------------------

    def _add_typed_task(self) -> None:
        try:
            due_on = self.task_due.value()
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
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
                show_message(self, TITLE, exc.message)
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

    # --- pending tasks -----------------------------------------------------------------------

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


def _next_status(status: str) -> str:
    """The status that usually follows (the same one at the last step)."""
    order = [s.value for s in CommitmentStatus]
    if not status:
        return order[0]
    index = order.index(status) if status in order else -1
    return order[min(index + 1, len(order) - 1)]
