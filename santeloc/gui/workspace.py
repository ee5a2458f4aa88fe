"""Inside a project: the steps of the method in a side navigation, one page per step.

Why not ``QWizard``: the method is followed over months, back and forth, and a user must
reach any step at once from the navigation; ``QWizard`` only walks pages in sequence. The
navigation logic stays in :mod:`santeloc.workflow.steps` (no Qt); this widget renders it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import cast

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import DomainError
from santeloc.gui.context import AppContext
from santeloc.gui.glossary import add_glossary_tooltips
from santeloc.gui.help_panel import HelpPanel, focus_field, next_actions_html, select_tab
from santeloc.gui.idle import gui_idle
from santeloc.gui.ops import run_action
from santeloc.gui.pages.access_page import AccessPage
from santeloc.gui.pages.base import StepPage
from santeloc.gui.pages.dossiers_page import DossiersPage
from santeloc.gui.pages.financing import FinancingPage
from santeloc.gui.pages.health_page import HealthPage
from santeloc.gui.pages.health_project import HealthProjectPage
from santeloc.gui.pages.inhabitants import InhabitantsPage
from santeloc.gui.pages.mobilisation import MobilisationPage
from santeloc.gui.pages.offer_page import OfferPage
from santeloc.gui.pages.step_placeholder_page import StepPlaceholderPage
from santeloc.gui.pages.territory_page import TerritoryPage
from santeloc.gui.widgets import is_small_screen, reset_view
from santeloc.services.changes import Kind, OpChanges
from santeloc.services.progress import ProjectCounts, project_counts
from santeloc.services.projects import ProjectInfo, get_project
from santeloc.workflow.guidance import next_best_actions
from santeloc.workflow.readiness import Readiness, readiness_checklist
from santeloc.workflow.steps import (
    STEPS,
    STEPS_BY_ID,
    Completeness,
    StepId,
    StepState,
    assess,
    next_step,
    previous_step,
)

STATE_COLOURS = {
    StepState.TODO: "#c9d1ce",
    StepState.PARTIAL: "#e0a526",
    StepState.DONE: "#2e7d6b",
    StepState.UNAVAILABLE: "#ffffff",
}


def state_icon(state: StepState, size: int = 14) -> QIcon:
    """A small disc showing a step's state (hollow when the step is not available yet)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#7d8b86"))
    painter.setBrush(QColor(STATE_COLOURS[state]))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class _Pages(dict[StepId, QWidget]):
    """Step -> page; a missing page is built by ``factory`` on first access."""

    def __init__(self, factory: Callable[[StepId], QWidget]) -> None:
        super().__init__()
        self._factory = factory

    def __missing__(self, step: StepId) -> QWidget:
        page = self._factory(step)
        self[step] = page
        return page


SAVED_TEXT = "Tout est enregistré automatiquement."
NAV_CHROME = 16 + 12 + 14 + 10 + 16  # list and item paddings, the icon, its gap, the view's text margins
BUILD_AFTER_MS = 500  # a step shown this long: the pages not built yet are built, one by one
BUILD_GAP_MS = 50  # between two of them, the event loop runs
NAV_COMPACT_MAX = 210  # on a small screen, longer titles wrap onto a second line


def _nav_metrics(nav: QListWidget) -> QFontMetrics:
    font = QFont(nav.font())
    font.setPointSizeF(10.5)  # the navigation's style sheet size
    return QFontMetrics(font)


def navigation_width(nav: QListWidget, compact: bool) -> int:
    """The width the step titles need (one line each), capped on a small screen where they wrap."""
    widest = max(_nav_metrics(nav).horizontalAdvance(step.number_title) for step in STEPS)
    width = widest + NAV_CHROME
    return min(width, NAV_COMPACT_MAX) if compact else width


def nav_title(nav: QListWidget, title: str, width: int) -> str:
    """``title`` broken onto lines of at most ``width`` pixels, at spaces (Qt's own wrapping of a
    styled list item cuts the end off instead)."""
    metrics = _nav_metrics(nav)
    room = width - NAV_CHROME
    lines: list[str] = []
    for word in title.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


class _CompletenessWorker(QObject):
    """Computes the step statuses and the readiness checklist in a worker thread.

    Only the latest request counts: a result computed for an older one is dropped.
    """

    ready = Signal(int, object, object)  # project id, ProjectCounts, Readiness | None

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._lock = threading.Lock()
        self._wanted: int | None = None
        self._running = False

    def compute(self, project_id: int) -> None:
        """Ask for the statuses of ``project_id`` (coalesced with requests still pending)."""
        with self._lock:
            self._wanted = project_id
            if self._running:
                return
            self._running = True
        gui_idle().busy()
        threading.Thread(target=self._run, name="completeness", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                project_id, self._wanted = self._wanted, None
                if project_id is None:
                    self._running = False
                    return
            # The page that asked is laid out and painted first (the interpreter is shared).
            gui_idle().wait()
            try:
                counts = project_counts(self.ctx.uow(), project_id)
                # A step is complete only when the relecture agrees (one set of rules for both).
                from santeloc.exports.review import items_by_step, review_project

                review = review_project(self.ctx.uow(), project_id, self.ctx.refdata)
                counts = replace(counts, relecture=items_by_step(review))
                ready: Readiness | None = readiness_checklist(self.ctx.uow(), project_id, self.ctx.refdata)
            except DomainError:
                continue  # the project was deleted meanwhile, or the database is busy: try next time
            try:
                self.ready.emit(project_id, counts, ready)
            except RuntimeError:  # the window was closed meanwhile (the application is quitting)
                return


class ProjectWorkspace(QWidget):
    """Navigation + pages of one project."""

    close_requested = Signal()

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.undo_stack = undo_stack
        self.project: ProjectInfo | None = None
        self.completeness: dict[StepId, Completeness] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QFrame()
        header.setObjectName("projectHeader")
        header.setStyleSheet("#projectHeader { background: #24584c; } #projectHeader QLabel { color: white; }")
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(16, 10, 16, 10)
        self.title_label = QLabel()
        self.title_label.setObjectName("projectTitle")
        self.title_label.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.subtitle_label = QLabel()
        self.demo_badge = QLabel("EXEMPLE")
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setToolTip("Projet d'exemple tiré du guide méthodologique : modifiez-le librement.")
        self.demo_badge.setStyleSheet(
            "background: #f2c14e; color: #3a2c00; font-weight: 700; padding: 2px 8px; border-radius: 8px;"
        )
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        header_layout.addLayout(titles, 1)
        header_layout.addWidget(self.demo_badge, 0, Qt.AlignmentFlag.AlignTop)
        self.back_button = QPushButton("Tous les projets")
        self.back_button.setToolTip("Revenir à la liste des projets (tout est déjà enregistré)")
        self.back_button.clicked.connect(self.close_requested)
        header_layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addWidget(header)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("stepNavigation")
        self.nav.setIconSize(QSize(14, 14))
        self.nav.setWordWrap(True)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideNone)  # a long title wraps, it is never cut
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setSpacing(2)
        self.nav.setStyleSheet(
            "#stepNavigation { background: #eef2f0; border: none; padding: 8px; font-size: 10.5pt; }"
            "#stepNavigation::item { padding: 8px 6px; border-radius: 4px; }"
            "#stepNavigation::item:selected { background: #cfe3dc; color: #10352c; }"
        )
        nav_width = navigation_width(self.nav, compact=is_small_screen())
        self.nav_titles = {step.id: nav_title(self.nav, step.number_title, nav_width) for step in STEPS}
        for step in STEPS:
            item = QListWidgetItem(self.nav_titles[step.id])
            item.setData(Qt.ItemDataRole.UserRole, int(step.id))
            self.nav.addItem(item)
        self.nav.setFixedWidth(nav_width)
        body.addWidget(self.nav)

        right = QVBoxLayout()
        right.setContentsMargins(16, 12, 16, 12)
        self.step_title = QLabel()
        self.step_title.setObjectName("stepTitle")
        self.step_title.setStyleSheet("font-size: 15pt; font-weight: 600; color: #1d4a40;")
        self.step_state = QLabel()
        self.step_state.setObjectName("stepState")
        self.step_state.setWordWrap(True)
        right.addWidget(self.step_title)
        right.addWidget(self.step_state)
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)

        footer = QHBoxLayout()
        self.previous_button = QPushButton("◀ Étape précédente")
        self.next_button = QPushButton("Étape suivante ▶")
        self.saved_label = QLabel(SAVED_TEXT)
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setStyleSheet("color: #4d5c57;")
        footer.addWidget(self.previous_button)
        footer.addStretch(1)
        footer.addWidget(self.saved_label)
        footer.addStretch(1)
        footer.addWidget(self.next_button)
        right.addLayout(footer)
        body.addLayout(right, 1)
        self.stack.setObjectName("stepPages")
        self.help_panel = HelpPanel(self)
        body.addWidget(self.help_panel)
        self.help_panel.navigate.connect(lambda s: self.go_to(StepId(s)))
        self.help_panel.navigate_to_tab.connect(lambda s, t: select_tab(self.pages[StepId(s)], t))
        self.next_label = QLabel()
        self.next_label.setObjectName("nextActions")
        self.next_label.setWordWrap(True)
        self.next_label.linkActivated.connect(self.help_panel.activate_link)
        right.insertWidget(2, self.next_label)
        outer.addLayout(body, 1)

        # Pages are built on first visit (see _build_page): opening a project builds and loads
        # the page shown only, so the first page appears at once whatever the number of steps.
        self.pages: dict[StepId, QWidget] = _Pages(self._build_page)
        self._loaded_for: dict[StepId, int] = {}  # step -> id of the project its page shows
        self._scrolls: dict[StepId, QScrollArea] = {}
        self._page_index: dict[StepId, int] = {}
        for step in STEPS:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            self._scrolls[step.id] = scroll
            self._page_index[step.id] = self.stack.addWidget(scroll)

        self.nav.currentRowChanged.connect(lambda row: self.go_to(StepId(row)))
        self.previous_button.clicked.connect(self._previous)
        self.next_button.clicked.connect(self._next)
        ctx.changed.connect(self._on_changes)
        # Step statuses are recomputed off the GUI thread, once for a burst of changes.
        self._completeness_timer = QTimer(self)
        self._completeness_timer.setSingleShot(True)
        self._completeness_timer.setInterval(300)
        self._completeness_timer.timeout.connect(self.refresh_completeness)
        self._completeness = _CompletenessWorker(ctx)
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.timeout.connect(self._build_next_page)
        self._completeness.ready.connect(self._show_completeness)

    # ------------------------------------------------------------------ pages, built on first visit

    def _build_page(self, step: StepId) -> QWidget:
        """Create the page of ``step`` (once), put it in its scroll area and wire it."""
        ctx = self.ctx
        factories: dict[StepId, Callable[[], QWidget]] = {
            StepId.TERRITOIRE: lambda: TerritoryPage(ctx, self.undo_stack),
            StepId.ETAT_SANTE: lambda: HealthPage(ctx),
            StepId.OFFRE: lambda: OfferPage(ctx),
            StepId.ACCESSIBILITE: lambda: AccessPage(ctx),
            StepId.HABITANTS: lambda: InhabitantsPage(ctx),
            StepId.PROFESSIONNELS: lambda: MobilisationPage(ctx),
            StepId.PROJET_SANTE: lambda: HealthProjectPage(ctx),
            StepId.FINANCEMENT: lambda: FinancingPage(ctx),
            StepId.DOSSIERS: lambda: DossiersPage(ctx),
        }
        factory = factories.get(step)
        page = factory() if factory is not None else StepPlaceholderPage(STEPS_BY_ID[step])
        if isinstance(page, HealthProjectPage):
            page.navigate.connect(lambda target: self.go_to(StepId(target)))
        if isinstance(page, DossiersPage):
            page.navigate.connect(self._go_to_tab)
        self._scrolls[step].setWidget(page)
        return page

    def is_built(self, step: StepId) -> bool:
        """True once the page of ``step`` has been created."""
        return step in self.pages

    @property
    def equipped(self) -> dict[StepId, QWidget]:
        """The pages built so far that can load a project."""
        return {s: p for s, p in self.pages.items() if hasattr(p, "load")}

    @property
    def territory_page(self) -> TerritoryPage:
        """Step 0 page (built on first use)."""
        return cast(TerritoryPage, self.pages[StepId.TERRITOIRE])

    @property
    def health_page(self) -> HealthPage:
        """Step 1 page (built on first use)."""
        return cast(HealthPage, self.pages[StepId.ETAT_SANTE])

    @property
    def offer_page(self) -> OfferPage:
        """Step 2 page (built on first use)."""
        return cast(OfferPage, self.pages[StepId.OFFRE])

    @property
    def access_page(self) -> AccessPage:
        """Step 3 page (built on first use)."""
        return cast(AccessPage, self.pages[StepId.ACCESSIBILITE])

    @property
    def inhabitants_page(self) -> InhabitantsPage:
        """Step 4 page (built on first use)."""
        return cast(InhabitantsPage, self.pages[StepId.HABITANTS])

    @property
    def mobilisation_page(self) -> MobilisationPage:
        """Step 5 page (built on first use)."""
        return cast(MobilisationPage, self.pages[StepId.PROFESSIONNELS])

    @property
    def health_project_page(self) -> HealthProjectPage:
        """Step 6 page (built on first use)."""
        return cast(HealthProjectPage, self.pages[StepId.PROJET_SANTE])

    @property
    def financing_page(self) -> FinancingPage:
        """Step 7 page (built on first use)."""
        return cast(FinancingPage, self.pages[StepId.FINANCEMENT])

    @property
    def dossiers_page(self) -> DossiersPage:
        """Step 8 page (built on first use)."""
        return cast(DossiersPage, self.pages[StepId.DOSSIERS])

    # ------------------------------------------------------------------ project

    def open_project(self, project: ProjectInfo, step: StepId = StepId.TERRITOIRE, *, states: bool = True) -> None:
        """Show ``project`` at ``step``; only that step's page is loaded now, others on first visit.

        ``states=False`` leaves the steps' states (about 30 queries) to the caller, who shows
        the page first and then calls :meth:`refresh_completeness`.
        """
        self.project = project
        self._loaded_for.clear()
        self._update_header(project)
        # A project opens on a fresh view: not the previous one's tab, scroll or messages.
        reset_view(self.stack)
        self.saved_label.setText(SAVED_TEXT)
        if self.nav.currentRow() == int(step):
            self.go_to(step)
        else:
            self.nav.setCurrentRow(int(step))  # go_to() through currentRowChanged
        if states:
            self.refresh_completeness()

    def _update_header(self, project: ProjectInfo) -> None:
        self.title_label.setText(project.name)
        porteur = project.porteur_name or "porteur à préciser"
        self.subtitle_label.setText(f"{project.project_type.label} — {porteur}")
        self.demo_badge.setVisible(project.is_demo)

    def _on_changes(self, changes: OpChanges) -> None:
        """The one change signal: header, pages' project, step statuses."""
        if self.project is None:
            return
        if changes.touches(Kind.PROJECT):
            fresh = run_action(self, "Projet", lambda: get_project(self.ctx.uow(), self.project.id))  # type: ignore[union-attr]
            if fresh is not None:
                self.project = fresh
                self._update_header(fresh)
                for page in self.equipped.values():
                    if getattr(page, "project", None) is not None:
                        page.project = fresh  # type: ignore[attr-defined]
        self._completeness_timer.start()

    def current_step(self) -> StepId:
        """The step shown (the first one before any is chosen)."""
        return StepId(max(self.nav.currentRow(), 0))

    def _go_to_tab(self, step: int, tab: str, field: str = "") -> QWidget | None:
        """Show a step and, in it, the tab whose title starts with ``tab`` and the field that fixes a relecture
        item (``field``, an object name; else the tab's first enabled input), focused; returns that widget."""
        self.go_to(StepId(step))
        page = self.pages[StepId(step)]
        select_tab(page, tab)
        return focus_field(page, field)

    def go_to(self, step: StepId) -> None:
        """Show a step's page."""
        if self.nav.currentRow() != int(step):
            self.nav.setCurrentRow(int(step))
            return
        definition = STEPS_BY_ID[step]
        # A project opens on a fresh view: not the previous one's tab, scroll or messages.
        reset_view(self.stack)
        self.saved_label.setText(SAVED_TEXT)
        page = self.pages[step]
        project = self.project
        if project is not None and hasattr(page, "load"):
            if self._loaded_for.get(step) != project.id:
                page.load(project)  # first visit for this project
                self._loaded_for[step] = project.id
            elif isinstance(page, StepPage):
                page.ensure_fresh()  # catch up with what other steps changed meanwhile
        self.ctx.active_view = page
        self.stack.setCurrentIndex(self._page_index[step])
        self.step_title.setText(definition.number_title)
        self._show_state(step)
        self.previous_button.setEnabled(previous_step(step) is not None)
        self.next_button.setEnabled(next_step(step) is not None)
        self.help_panel.set_step(step)
        self.next_label.setVisible(step is StepId.TERRITOIRE)  # the project's home: what to do next
        # The pages not shown are left out: each is explained when it is shown.
        add_glossary_tooltips(self, skip=[scroll for other, scroll in self._scrolls.items() if other != step])
        self._build_timer.start(BUILD_AFTER_MS)

    def _build_next_page(self) -> None:
        """While the user reads a step, build the page of a step not built yet (its widgets
        only: the project is read into it when it is shown), the next step first, one page at
        a time."""
        if self.project is None or not self.isVisible() or QApplication.activeModalWidget() is not None:
            return
        current = self.current_step()
        following = next_step(current)
        order = ([following] if following is not None else []) + [s.id for s in STEPS if s.id != following]
        missing = [step for step in order if not self.is_built(step)]
        if missing:
            _ = self.pages[missing[0]]  # built by _Pages.__missing__
            if len(missing) > 1:
                self._build_timer.start(BUILD_GAP_MS)

    def _show_state(self, step: StepId) -> None:
        completeness = self.completeness.get(step)
        if completeness is not None:
            self.step_state.setText(f"<i>{completeness.state.label} — {completeness.detail}</i>")

    def _previous(self) -> None:
        target = previous_step(self.current_step())
        if target is not None:
            self.go_to(target)

    def _next(self) -> None:
        target = next_step(self.current_step())
        if target is not None:
            self.go_to(target)

    def refresh_completeness(self) -> None:
        """Recompute each step's completeness off the GUI thread; the navigation follows."""
        if self.project is not None:
            self._completeness.compute(self.project.id)

    def _show_completeness(self, project_id: int, counts: ProjectCounts, ready: Readiness | None) -> None:
        if self.project is None or project_id != self.project.id:
            return  # a result for a project no longer shown
        actions = next_best_actions(counts, ready.items if ready is not None else None, limit=3)
        self.next_label.setText(next_actions_html(actions))
        for step in STEPS:
            completeness = assess(step, counts)
            self.completeness[step.id] = completeness
            item = self.nav.item(int(step.id))
            item.setIcon(state_icon(completeness.state))
            item.setToolTip(f"{completeness.state.label} — {completeness.detail}")
            if completeness.state is StepState.UNAVAILABLE:
                item.setForeground(QColor("#7d8b86"))
                item.setText(f"{self.nav_titles[step.id]}\n      bientôt disponible")
        self._show_state(self.current_step())

    def set_saved_message(self, text: str) -> None:
        """Show when the last change was saved."""
        self.saved_label.setText(text)

    def flush(self) -> None:
        """Save whatever is still pending in the pages (before closing or switching project)."""
        for step in (StepId.TERRITOIRE, StepId.PROJET_SANTE):
            if self.is_built(step):
                self.pages[step].flush()  # type: ignore[attr-defined]
