"""Step 6: adding, renaming, moving and deleting priorities, objectives and actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QInputDialog,
    QMessageBox,
)

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import plural
from santeloc.domain.levers import plain_text
from santeloc.gui.ops import attempt, confirm, run_action, show_message
from santeloc.gui.pages.health_project.common import (
    ACTION,
    OBJECTIVE,
    PRIORITY,
    TAB_ACTIONS,
    TITLE,
    parse_day,
)
from santeloc.gui.pages.health_project.dialogs import (
    ConstatsDialog,
    LeverDialog,
)
from santeloc.gui.pages.health_project.host import Host
from santeloc.services import health_project as hp


class TreeEditsMixin(Host):
    """What changes the tree: add, rename, move, delete."""

    def _save_priority(self, **changes: str) -> None:
        chosen = self.selected()
        if self._loading or chosen is None or chosen[0] != PRIORITY:
            return
        priority = next((p for p in self.priorities if p.id == chosen[1]), None)
        if priority is None:
            return
        if "title" in changes and " ".join(changes["title"].split()) == priority.title:
            return
        if "description" in changes and changes["description"].strip() == priority.description:
            return
        if attempt(self, TITLE, lambda: hp.update_priority(self.ctx.uow(), chosen[1], **changes)):
            self._after_change(chosen)
        else:
            self._fill_priority_form(chosen[1])

    def _save_objective_title(self) -> None:
        chosen = self.selected()
        if self._loading or chosen is None or chosen[0] != OBJECTIVE:
            return
        title = self.objective_title.text()
        current = next((o for p in self.priorities for o in p.objectives if o.id == chosen[1]), None)
        if current is None or " ".join(title.split()) == current.title:
            return
        if attempt(self, TITLE, lambda: hp.update_objective(self.ctx.uow(), chosen[1], title)):
            self._after_change(chosen)
        else:
            self._fill_objective_form(chosen[1])

    def _move_objective(self) -> None:
        chosen = self.selected()
        target = self.objective_priority.currentData()
        if self._loading or chosen is None or chosen[0] != OBJECTIVE or target is None:
            return
        if self._priority_of(*chosen) == target:
            return
        if attempt(self, TITLE, lambda: hp.move_objective(self.ctx.uow(), chosen[1], int(target))):
            self._after_change(chosen)

    def _ask_text(self, title: str, label: str, on_text: Callable[[str], object], text: str = "") -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setObjectName("askTextDialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.setOkButtonText("Ajouter")
        dialog.setCancelButtonText("Annuler")
        dialog.resize(520, dialog.sizeHint().height())
        dialog.textValueSelected.connect(on_text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def ask_priority(self) -> None:
        """Ask the title of a new priority."""
        self._ask_text("Nouvelle priorité", "Intitulé de la priorité :", self.add_priority)

    def add_priority(self, title: str, description: str = "") -> int | None:
        """Add a priority at the end of the list and select it."""
        if self.project is None:
            return None
        project_id = self._project_id()
        new_id = run_action(self, TITLE, lambda: hp.add_priority(self.ctx.uow(), project_id, title, description))
        if new_id is not None:
            self._after_change((PRIORITY, new_id))
        return new_id

    def ask_priorities_from_constats(self) -> ConstatsDialog | None:
        """Offer the diagnostic's constats as priorities."""
        if self.project is None:
            return None
        self._read_context()
        if not self.constats:
            show_message(
                self,
                TITLE,
                "Aucun constat n'est encore retenu. Les constats se retiennent à l'étape 1 (onglet « Constats ») "
                "à partir des indicateurs, ou depuis l'enquête auprès des habitants.",
                QMessageBox.Icon.Information,
            )
            return None
        taken = {plain_text(p.title) for p in self.priorities}
        dialog = ConstatsDialog(self.constats, taken, self)
        dialog.ok_button.clicked.connect(lambda: self._constats_chosen(dialog))
        dialog.open()
        self.dialog = dialog
        return dialog

    def _constats_chosen(self, dialog: ConstatsDialog) -> None:
        chosen = dialog.chosen()
        if not chosen:
            show_message(dialog, TITLE, "Cochez au moins un constat.")
            return
        if self.add_priorities_from_constats(chosen) is not None:
            dialog.accept()

    def add_priorities_from_constats(self, constat_ids: Sequence[int]) -> list[int] | None:
        """One priority per constat (skipping those already priorities); the first one is selected."""
        if self.project is None:
            return None
        project_id = self._project_id()
        created = run_action(
            self, TITLE, lambda: hp.add_priorities_from_constats(self.ctx.uow(), project_id, list(constat_ids))
        )
        if created is not None:
            self._after_change((PRIORITY, created[0]) if created else None)
        return created

    def _target_priority(self) -> int | None:
        chosen = self.selected()
        if chosen is not None:
            return self._priority_of(*chosen)
        return self.priorities[0].id if len(self.priorities) == 1 else None

    def ask_objective(self) -> None:
        """Ask the title of a new objective of the priority selected."""
        priority_id = self._target_priority()
        if priority_id is None:
            show_message(self, TITLE, "Sélectionnez d'abord la priorité à laquelle ajouter un objectif.")
            return
        priority = next(p for p in self.priorities if p.id == priority_id)
        self._ask_text(
            "Nouvel objectif",
            f"Objectif de la priorité « {priority.title[:60]} » :",
            lambda title: self.add_objective(priority_id, title),
        )

    def add_objective(self, priority_id: int, title: str) -> int | None:
        """Add an objective to a priority and select it."""
        new_id = run_action(self, TITLE, lambda: hp.add_objective(self.ctx.uow(), priority_id, title))
        if new_id is not None:
            self._after_change((OBJECTIVE, new_id))
        return new_id

    def _target_objective(self) -> int | None:
        chosen = self.selected()
        if chosen is not None:
            found = self._objective_of(*chosen)
            if found is not None:
                return found
        choices = self._objective_choices()
        return choices[0][0] if len(choices) == 1 else None

    def ask_action(self) -> None:
        """Ask the title of a new fiche action under the objective selected."""
        objective_id = self._target_objective()
        if objective_id is None:
            show_message(self, TITLE, "Sélectionnez d'abord l'objectif que la fiche action doit servir.")
            return
        self._ask_text(
            "Nouvelle fiche action",
            "Intitulé de la fiche action :",
            lambda title: self.add_action(objective_id, title),
        )

    def add_action(self, objective_id: int, title: str) -> hp.ActionSheet | None:
        """Add an empty fiche action (a draft) under an objective and show its form."""
        draft = hp.ActionDraft(title=title)
        sheet = run_action(self, TITLE, lambda: hp.add_action(self.ctx.uow(), objective_id, draft, self.ctx.refdata))
        if sheet is not None:
            self._after_change((ACTION, sheet.id))
            self.tabs.setCurrentIndex(TAB_ACTIONS)
            self.action_objective.setFocus()
        return sheet

    def ask_lever(self, key: str | None = None) -> LeverDialog | None:
        """Open the catalogue of the guide's levers."""
        choices = self._objective_choices()
        if not choices:
            show_message(self, TITLE, "Ajoutez d'abord une priorité et un objectif : la fiche action sert un objectif.")
            return None
        dialog = LeverDialog(choices, self._target_objective(), self.project_pack_key is not None, self)
        if key:
            dialog.select(key)
        dialog.ok_button.clicked.connect(lambda: self._lever_chosen(dialog))
        dialog.open()
        self.dialog = dialog
        return dialog

    def _lever_chosen(self, dialog: LeverDialog) -> None:
        lever = dialog.chosen()
        if lever is None:
            return
        try:
            start = parse_day(dialog.start_edit.text(), "Début de l'action")
        except ValidationError as exc:
            show_message(dialog, TITLE, exc.message)
            return
        objective_id = dialog.objective_combo.currentData()
        sheet = self.add_action_from_lever(
            int(objective_id), lever.key, starts_on=start, link_suggested=dialog.link_check.isChecked()
        )
        if sheet is not None:
            dialog.accept()

    def add_action_from_lever(
        self, objective_id: int, lever_key: str, *, starts_on: date | None = None, link_suggested: bool = False
    ) -> hp.ActionSheet | None:
        """Add a fiche action prefilled from one of the guide's levers and show it."""
        sheet = run_action(
            self,
            TITLE,
            lambda: hp.add_action_from_lever(
                self.ctx.uow(),
                objective_id,
                lever_key,
                starts_on=starts_on,
                link_suggested=link_suggested,
                refdata=self.ctx.refdata,
            ),
        )
        if sheet is not None:
            self._after_change((ACTION, sheet.id))
            self.tabs.setCurrentIndex(TAB_ACTIONS)
            self.pilot_edit.setFocus()
        return sheet

    def move_selected(self, offset: int) -> None:
        """Move the priority or objective selected up (-1) or down (+1)."""
        chosen = self.selected()
        if chosen is None or self.project is None:
            return
        kind, item_id = chosen
        if kind == PRIORITY:
            ids = [p.id for p in self.priorities]
            project_id = self._project_id()

            def save(order: list[int]) -> None:
                hp.reorder_priorities(self.ctx.uow(), project_id, order)

        elif kind == OBJECTIVE:
            priority_id = self._priority_of(kind, item_id)
            priority = next((p for p in self.priorities if p.id == priority_id), None)
            if priority is None:
                return
            ids = [o.id for o in priority.objectives]

            def save(order: list[int]) -> None:
                hp.reorder_objectives(self.ctx.uow(), priority.id, order)

        else:
            return
        index = ids.index(item_id)
        target = index + offset
        if not 0 <= target < len(ids):
            return
        ids[index], ids[target] = ids[target], ids[index]
        if attempt(self, TITLE, lambda: save(ids)):
            self._after_change(chosen)
        else:
            self.reload_tree()

    def delete_selected(self) -> None:
        """Delete the item selected (with what hangs under it) after confirmation."""
        chosen = self.selected()
        if chosen is None:
            return
        kind, item_id = chosen
        if kind == PRIORITY:
            priority = next(p for p in self.priorities if p.id == item_id)
            actions = sum(o.action_count for o in priority.objectives)
            text = f"Supprimer la priorité « {priority.title} »"
            if priority.objectives:
                text += f" avec {plural(len(priority.objectives), 'objectif')}"
                if actions:
                    text += f" et {plural(actions, 'fiche action', 'fiches action')}"
            text += " ?"

            def delete() -> None:
                hp.delete_priority(self.ctx.uow(), item_id)

        elif kind == OBJECTIVE:
            objective = next(o for p in self.priorities for o in p.objectives if o.id == item_id)
            text = f"Supprimer l'objectif « {objective.title} »"
            if objective.action_count:
                text += f" avec {plural(objective.action_count, 'fiche action', 'fiches action')}"
            text += " ?"

            def delete() -> None:
                hp.delete_objective(self.ctx.uow(), item_id)

        else:
            sheet = self.sheets[item_id]
            text = f"Supprimer la fiche action « {sheet.title} » ?"

            def delete() -> None:
                hp.delete_action(self.ctx.uow(), item_id)

        def accepted() -> None:
            if attempt(self, TITLE, delete):
                self.form_action_id = None
                self._after_change(None)

        confirm(self, "Supprimer", text + " Cette suppression est définitive.", "Supprimer", accepted)
