"""The dialogs of step 5: a new contact, contacts from the registry, a new meeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.mobilisation.common import (
    DateField,
)
from santeloc.gui.widgets import tidy_combo
from santeloc.services import meetings as meeting_svc
from santeloc.services import mobilisation as svc


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
