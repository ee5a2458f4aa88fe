"""Step 6: the written sections of the health project and its signatories."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import ConflictError, DomainError
from santeloc.domain.formatting import format_int, plural
from santeloc.gui.fields import show_field_error
from santeloc.gui.ops import confirm, run_action, show_message
from santeloc.gui.pages.base import cell
from santeloc.gui.pages.health_project.common import (
    ALERT_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    SECTION_AUTOSAVE_MS,
    SIGNATORIES,
    TAB_TEXT,
    TITLE,
    TextEdit,
    style_combo,
    wrapped,
)
from santeloc.gui.pages.health_project.host import Host
from santeloc.gui.widgets import sizes_when_shown
from santeloc.services import health_project as hp
from santeloc.workflow.steps import StepId


class SectionsMixin(Host):
    """The sections tab: parts, section texts, diagnostic draft, team."""

    def _sections_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.sections_nav = QListWidget()
        self.sections_nav.setObjectName("sectionsNav")
        self.sections_nav.setWordWrap(True)
        self.sections_nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections_nav.setSpacing(2)
        self.sections_nav.setMinimumWidth(180)
        self.sections_stack = QStackedWidget()
        self.section_widgets: dict[str, QWidget] = {}
        self.section_timers: dict[str, QTimer] = {}
        self._part_scrolls: dict[str, QScrollArea] = {}
        # In the splitter before being filled: its size is computed once, when shown.
        splitter.addWidget(self.sections_nav)
        splitter.addWidget(self.sections_stack)
        for part, label in hp.PARTS:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, part)
            self.sections_nav.addItem(item)
            self.sections_stack.addWidget(self._part_page(part, label))
        item = QListWidgetItem("Signataires du projet de santé")
        item.setData(Qt.ItemDataRole.UserRole, SIGNATORIES)
        self.sections_nav.addItem(item)
        self.sections_stack.addWidget(self._signatories_page())
        splitter.setStretchFactor(1, 1)
        sizes_when_shown(splitter, [230, 730])
        layout.addWidget(splitter)
        self.sections_nav.currentRowChanged.connect(self._show_part)
        self.sections_nav.setCurrentRow(0)
        return tab

    def _part_page(self, part: str, label: str) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        layout = QVBoxLayout(page)
        # Given to the scroll area while still empty: its layout is then computed when the part
        # is first shown, not five times while the page is built.
        scroll.setWidget(page)
        title = QLabel(label)
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 12pt; font-weight: 600; color: #1d4a40;")
        layout.addWidget(title)
        if part == "diagnostic":
            row = QHBoxLayout()
            row.addWidget(
                wrapped(
                    "Le résumé des étapes 1 à 3 (territoire, indicateurs et constats, offre de soins, accessibilité) "
                    "sert de point de départ : complétez et réécrivez le texte autour des chiffres.",
                    f"color: {MUTED_COLOUR};",
                ),
                1,
            )
            self.diagnostic_button = QPushButton("Reprendre le diagnostic")
            self.diagnostic_button.setObjectName("diagnosticButton")
            self.diagnostic_button.setToolTip("Rédiger la section à partir des données des étapes 1 à 3")
            self.diagnostic_button.clicked.connect(self.ask_draft_diagnostic)
            row.addWidget(self.diagnostic_button, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(row)
        if part == "aci":
            layout.addWidget(
                wrapped(
                    "Le socle de l'accord conventionnel interprofessionnel (ACI) conditionne la rémunération "
                    "collective de la structure : répondez pour chaque critère.",
                    f"color: {MUTED_COLOUR};",
                )
            )
        for definition in (s for s in hp.SECTIONS if s.part == part):
            # The diagnostic is one long text: its editor takes the whole page.
            layout.addWidget(self._section_block(definition), 1 if part == "diagnostic" else 0)
        if part != "diagnostic":
            layout.addStretch(1)
        self._part_scrolls[part] = scroll
        return scroll

    def _section_block(self, definition: hp.SectionDef) -> QWidget:
        block = QWidget()
        block.setObjectName(f"section_{definition.key}")
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        title = QLabel(definition.title)
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: 600;")
        layout.addWidget(title)
        if definition.guidance:
            guidance = "<br>".join(f"• {question}" for question in definition.guidance)
            layout.addWidget(wrapped(guidance, f"color: {MUTED_COLOUR};"))
        key = definition.key
        widget: QWidget
        if definition.kind == hp.TEXT:
            lines = 12 if key == "diagnostic.prealable" else (3 if definition.part == "identification" else 5)
            editor = TextEdit(lines)
            if key == "diagnostic.prealable":
                editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(SECTION_AUTOSAVE_MS)
            timer.timeout.connect(lambda k=key: self._section_text_done(k))
            editor.textChanged.connect(lambda t=timer: None if self._loading else t.start())
            editor.editingFinished.connect(lambda k=key: self._section_text_done(k))
            self.section_timers[key] = timer
            widget = editor
        elif definition.kind in (hp.LINE, hp.DATE):
            line = QLineEdit()
            if definition.kind == hp.DATE:
                line.setPlaceholderText("jj/mm/aaaa")
                line.setMaximumWidth(160)
            line.editingFinished.connect(lambda k=key, e=line: self.save_section(k, e.text()))
            widget = line
        else:
            combo = style_combo(QComboBox())
            combo.addItem("— sans réponse —" if definition.kind == hp.YES_NO else "— à préciser —", "")
            choices = ((hp.YES, "Oui"), (hp.NO, "Non")) if definition.kind == hp.YES_NO else definition.choices
            for value, label in choices:
                combo.addItem(label, value)
            if definition.kind == hp.YES_NO:
                combo.setMaximumWidth(220)
            combo.activated.connect(lambda _i, k=key, c=combo: self.save_section(k, c.currentData()))
            widget = combo
        widget.setObjectName(f"sectionEdit_{key}")
        self.section_widgets[key] = widget
        layout.addWidget(widget, 1 if key == "diagnostic.prealable" else 0)
        return block

    def _signatories_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel("Signataires du projet de santé")
        title.setStyleSheet("font-size: 12pt; font-weight: 600; color: #1d4a40;")
        layout.addWidget(title)
        layout.addWidget(
            wrapped(
                "Les professionnels de l'équipe signent le projet de santé. Un professionnel du registre devient "
                "membre de l'équipe quand il s'engage par écrit (lettre d'intention ou signature) : ces "
                "engagements se suivent à l'étape 5.",
                f"color: {MUTED_COLOUR};",
            )
        )
        self.team_summary = wrapped("")
        self.team_summary.setObjectName("teamSummary")
        layout.addWidget(self.team_summary)
        self.team_table = QTableWidget(0, 4)
        self.team_table.setObjectName("teamTable")
        self.team_table.setHorizontalHeaderLabels(["Nom", "Profession", "Engagement", "A signé"])
        self.team_table.verticalHeader().setVisible(False)
        self.team_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.team_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.team_table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.team_button = QPushButton("Suivre les engagements (étape 5)")
        self.team_button.setObjectName("teamButton")
        self.team_button.clicked.connect(lambda: self.navigate.emit(int(StepId.PROFESSIONNELS)))
        row.addWidget(self.team_button)
        layout.addLayout(row)
        return page

    def refresh_sections(self) -> None:
        """Re-read the sections of the projet de santé and the team that signs it."""
        if self.project is None:
            return
        project_id = self._project_id()
        sections = run_action(self, TITLE, lambda: hp.get_sections(self.ctx.uow(), project_id))
        if sections is None:
            return
        self.sections = sections
        self.defaults = run_action(self, TITLE, lambda: hp.default_sections(self.ctx.uow(), project_id)) or {}
        for key in self.section_widgets:
            self._show_section(key)
        self._update_sections_nav()
        self._read_team()

    def _show_section(self, key: str) -> None:
        widget = self.section_widgets[key]
        value = self.sections.get(key, "")
        was_loading, self._loading = self._loading, True
        try:
            if isinstance(widget, TextEdit):
                if widget.toPlainText() != value:
                    widget.set_text(value)
            elif isinstance(widget, QLineEdit):
                widget.setText(value)
                default = self.defaults.get(key)
                if default:
                    widget.setPlaceholderText(f"{default} (nom du projet)")
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
                default = self.defaults.get(key)
                if default and not value:
                    label = dict(hp.SECTIONS_BY_KEY[key].choices).get(default, default)
                    widget.setItemText(0, f"— à préciser (d'après le projet : {label.split(' :')[0].lower()}) —")
        finally:
            self._loading = was_loading

    def _update_sections_nav(self) -> None:
        for row in range(self.sections_nav.count()):
            item = self.sections_nav.item(row)
            part = item.data(Qt.ItemDataRole.UserRole)
            if part == SIGNATORIES:
                members = [m for m in self.team if m.is_member]
                signed = sum(1 for m in members if m.has_signed)
                item.setText(
                    f"Signataires du projet de santé\n{plural(signed, 'signataire')} sur {plural(len(members), 'membre')}"
                )
                continue
            keys = [s.key for s in hp.SECTIONS if s.part == part]
            done = sum(1 for k in keys if self.sections.get(k, "").strip())
            word = "répondu(s)" if part == "aci" else "rempli(s)"
            item.setText(f"{hp.PART_LABELS[part]}\n{done} sur {len(keys)} {word}")
            item.setForeground(QBrush(QColor(OK_COLOUR if done == len(keys) else "#1d2b27")))

    def _show_part(self, row: int) -> None:
        if row < 0:
            return
        self.flush()
        self.sections_stack.setCurrentIndex(row)
        if self.sections_nav.item(row).data(Qt.ItemDataRole.UserRole) == SIGNATORIES:
            self._read_team()

    def show_section(self, key: str) -> None:
        """Show a section of the projet de santé and put the cursor in it."""
        definition = hp.SECTIONS_BY_KEY[key]
        self.tabs.setCurrentIndex(TAB_TEXT)
        parts = [p for p, _label in hp.PARTS]
        self.sections_nav.setCurrentRow(parts.index(definition.part))
        widget = self.section_widgets[key]
        scroll = self._part_scrolls[definition.part]
        QTimer.singleShot(0, lambda: scroll.ensureWidgetVisible(widget, 0, 60))
        widget.setFocus()

    def _section_text_done(self, key: str) -> None:
        timer = self.section_timers.get(key)
        if timer is not None:
            timer.stop()
        widget = self.section_widgets[key]
        assert isinstance(widget, TextEdit)
        if not self._loading:
            self.save_section(key, widget.toPlainText())

    def save_section(self, key: str, text: str) -> bool:
        """Save one section of the projet de santé (refused values are explained, the stored one shown again)."""
        if self.project is None or self._loading:
            return False
        current = self.sections.get(key, "")
        definition = hp.SECTIONS_BY_KEY[key]
        comparable = text.strip("\n").rstrip() if definition.kind == hp.TEXT else text.strip()
        if comparable == current:
            return True
        project_id = self._project_id()
        try:
            stored = hp.set_section(self.ctx.uow(), project_id, key, text, expected=current)
        except ConflictError as exc:
            show_message(self, TITLE, exc.message)
            self.refresh_sections()
            return False
        except DomainError as exc:  # explained beside the section's field, which keeps the value typed
            show_field_error(self.section_widgets[key], exc.message)
            return False
        self.sections[key] = stored
        if definition.kind != hp.TEXT:
            self._show_section(key)
        self._update_sections_nav()
        self.ctx.saved.emit("Enregistré")
        return True

    def ask_draft_diagnostic(self) -> None:
        """Draft the diagnostic section from steps 1 to 3 (asking before replacing a text)."""
        self.flush()
        if self.sections.get("diagnostic.prealable", "").strip():
            confirm(
                self,
                "Reprendre le diagnostic",
                "La section « Diagnostic préalable » contient déjà un texte. Le remplacer par le résumé des "
                "étapes 1 à 3 ? Le texte actuel sera perdu.",
                "Remplacer",
                self._overwrite_diagnostic,
            )
        else:
            self.draft_diagnostic()

    def _overwrite_diagnostic(self) -> None:
        self.draft_diagnostic(overwrite=True)

    def draft_diagnostic(self, *, overwrite: bool = False) -> str | None:
        """Write the automatic summary of steps 1 to 3 into the diagnostic section."""
        if self.project is None:
            return None
        project_id = self._project_id()
        text = run_action(
            self,
            TITLE,
            lambda: hp.draft_diagnostic_section(self.ctx.uow(), project_id, self.ctx.refdata, overwrite=overwrite),
        )
        if text is not None:
            self.sections["diagnostic.prealable"] = text
            self._show_section("diagnostic.prealable")
            self._update_sections_nav()
            self.ctx.saved.emit("Diagnostic repris")
        return text

    def _read_team(self) -> None:
        if self.project is None:
            return
        project_id = self._project_id()
        team = run_action(self, TITLE, lambda: hp.list_team(self.ctx.uow(), project_id, members_only=False))
        if team is None:
            return
        self.team = team
        members = [m for m in team if m.is_member]
        self.team_table.setRowCount(len(members))
        for row, member in enumerate(members):
            name = member.name + (" (leader)" if member.is_leader else "")
            signed = "oui" if member.has_signed else "pas encore"
            values = (name, member.profession_label, member.commitment_label, signed)
            for column, text in enumerate(values):
                item = cell(text)
                if column == 3:
                    item.setForeground(QBrush(QColor(OK_COLOUR if member.has_signed else ALERT_COLOUR)))
                self.team_table.setItem(row, column, item)
        others = len(team) - len(members)
        if not members:
            summary = "Aucun professionnel n'est encore engagé : le projet de santé n'a pas de signataires. " + (
                (
                    f"{plural(others, 'professionnel')} du registre "
                    + ("ne s'est pas encore engagé." if others == 1 else "ne se sont pas encore engagés.")
                )
                if others
                else ""
            )
        else:
            signed_count = sum(1 for m in members if m.has_signed)
            summary = f"{signed_count} signataire(s) sur {plural(len(members), 'membre')} de l'équipe."
            if others == 1:
                summary += " 1 autre professionnel du registre (contacté, rencontré ou intéressé) n'est pas membre."
            elif others:
                summary += (
                    f" {format_int(others)} autres professionnels du registre (contactés, rencontrés ou intéressés) "
                    "ne sont pas membres."
                )
        self.team_summary.setText(summary)
        self._update_sections_nav()

    def flush(self) -> None:
        """Save what is still being typed (texts waiting for their autosave, the field with focus)."""
        for key, timer in self.section_timers.items():
            if timer.isActive():
                self._section_text_done(key)
        focused = self.focusWidget()
        if isinstance(focused, TextEdit) and focused.document().isModified():
            focused.editingFinished.emit()
            focused.document().setModified(False)
