"""Step 5: the project's contacts."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.ops import attempt, confirm, run_action
from santeloc.gui.pages.base import cell as item
from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.mobilisation.common import (
    CONTACT_COLUMNS,
    TITLE,
    _select_data,
    _selected_data,
    _table,
)
from santeloc.gui.pages.mobilisation.dialogs import (
    ContactDialog,
    RegistryDialog,
)
from santeloc.gui.pages.mobilisation.host import Host
from santeloc.services import mobilisation as svc


class ContactsMixin(Host):
    """The contacts tab."""

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
