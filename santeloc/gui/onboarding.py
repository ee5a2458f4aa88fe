"""A short guided tour of the main window, shown on first start and replayable from the Aide menu.

:class:`OnboardingTour` is an overlay laid over the main window: it darkens everything but the
area it presents and shows a bubble with a title, a sentence or two, and the buttons "Passer la
visite", "Précédent" and "Suivant" / "Terminer" (keys: Échap, ←, → or Entrée). It finds the areas
by their object names (``projectTable``, ``demoBanner``, ``stepNavigation``, ``savedLabel``,
``helpPanel``…) and the Aide menu by its title, so it needs nothing from the window but its
widgets; an area that is not on screen is presented with a centred bubble.

Whether the tour was seen is remembered per user (:func:`should_show_onboarding`,
:func:`mark_onboarding_done`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.workflow.guidance import typeset

TOUR_VERSION = 1
"""Raise it when the tour changes enough to be shown again to everyone."""
SETTINGS_KEY = "onboarding/doneVersion"

Target = Callable[[], QRect | None]
"""Where the presented area is, in the main window's coordinates (None: nowhere on screen)."""


def should_show_onboarding() -> bool:
    """Whether this user has not yet seen (or skipped) the current tour."""
    value = QSettings().value(SETTINGS_KEY, 0)
    try:
        return int(value) < TOUR_VERSION  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return True


def mark_onboarding_done() -> None:
    """Remember that this user has seen (or skipped) the current tour."""
    settings = QSettings()
    settings.setValue(SETTINGS_KEY, TOUR_VERSION)
    settings.sync()


def reset_onboarding() -> None:
    """Forget that the tour was seen (it will show at next start)."""
    settings = QSettings()
    settings.remove(SETTINGS_KEY)
    settings.sync()


@dataclass(frozen=True)
class TourStep:
    """One stop of the tour: a title, a short text, the area shown, and what to do on arrival."""

    title: str
    text: str
    target: Target | None = None
    on_enter: Callable[[], None] | None = None


# --------------------------------------------------------------------------- finding the areas


def _rect_of(window: QWidget, widget: QWidget | None) -> QRect | None:
    if widget is None or not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return None
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(top_left, widget.size())


def _named(window: QWidget, *names: str) -> Target:
    """The first of the widgets called ``names`` that is on screen."""

    def find() -> QRect | None:
        for name in names:
            for widget in window.findChildren(QWidget, name):
                rect = _rect_of(window, widget)
                if rect is not None:
                    return rect
        return None

    return find


def _button(window: QWidget, *starts: str) -> Target:
    """The first visible button whose text starts with one of ``starts``."""

    def find() -> QRect | None:
        for start in starts:
            for button in window.findChildren(QPushButton):
                if button.text().replace("&", "").startswith(start):
                    rect = _rect_of(window, button)
                    if rect is not None:
                        return rect
        return None

    return find


def _first(*targets: Target) -> Target:
    def find() -> QRect | None:
        for target in targets:
            rect = target()
            if rect is not None:
                return rect
        return None

    return find


def _step_pages(window: QWidget) -> Target:
    """The stacked pages of the workspace: ``stepPages`` if named, else the stack beside the navigation."""

    def find() -> QRect | None:
        named = _named(window, "stepPages")()
        if named is not None:
            return named
        nav = window.findChild(QWidget, "stepNavigation")
        workspace = nav.parentWidget() if nav is not None else None
        if workspace is None:
            return None
        for stack in workspace.findChildren(QStackedWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            rect = _rect_of(window, stack)
            if rect is not None:
                return rect
        return None

    return find


def _help_menu(window: QWidget) -> Target:
    def find() -> QRect | None:
        if not isinstance(window, QMainWindow):
            return None
        bar = window.menuBar()
        for action in bar.actions():
            if action.text().replace("&", "") == "Aide":
                geometry = bar.actionGeometry(action)
                if geometry.isValid() and bar.isVisible():
                    return QRect(bar.mapTo(window, geometry.topLeft()), geometry.size())
        return None

    return find


def _open_example_if_needed(window: QWidget) -> Callable[[], None]:
    """Open the demo project when no project is shown, so the rest of the tour has something to show."""

    def enter() -> None:
        nav = window.findChild(QWidget, "stepNavigation")
        if nav is not None and nav.isVisible():
            return
        home = getattr(window, "home", None)
        open_demo = getattr(home, "open_demo", None)
        if callable(open_demo):
            open_demo()

    return enter


def default_steps(window: QWidget, open_example: Callable[[], None] | None = None) -> list[TourStep]:
    """The tour of santeloc's main window (7 stops).

    ``open_example`` is called on arriving at the navigation stop when no project is open (default:
    the home page's ``open_demo``), so that the step pages can be shown.
    """
    return [
        TourStep(
            "Vos projets",
            "Chaque projet — une maison de santé, un pôle, un centre de santé, un contrat local de santé — "
            "se crée avec « Nouveau projet… » et s'ouvre d'un double clic dans la liste. Le bouton « Tous les "
            "projets » ou le menu Fichier vous y ramènent à tout moment.",
            _first(_named(window, "projectTable"), _button(window, "Nouveau projet", "Tous les projets")),
        ),
        TourStep(
            "Le projet d'exemple",
            "Un cas réel du guide, la maison de santé de Saint-Amand-en-Puisaye (Nièvre), avec son territoire "
            "et son plan de financement. Explorez-le et modifiez-le sans crainte : il est là pour ça. Le "
            "bandeau jaune de l'accueil l'ouvre ; dans le projet, l'étiquette EXEMPLE le signale.",
            _named(window, "demoBanner", "demoBadge"),
        ),
        TourStep(
            "Les neuf étapes de la méthode",
            "Du territoire aux dossiers, les étapes du guide. La pastille dit où vous en êtes : grise à faire, "
            "orange en cours, verte complète. Allez à n'importe quelle étape, dans l'ordre qui vous convient.",
            _named(window, "stepNavigation"),
            open_example or _open_example_if_needed(window),
        ),
        TourStep(
            "La page de l'étape",
            "Ici vous saisissez, importez et lisez les résultats de l'étape choisie. Les onglets en haut de la "
            "page regroupent ses outils ; « Étape suivante » suit l'ordre du guide.",
            _step_pages(window),
        ),
        TourStep(
            "Enregistrement automatique",
            "Pas de bouton « Enregistrer » : chaque saisie est écrite aussitôt, et ce message dit quand. "
            "Ctrl+Z annule, Ctrl+Maj+Z rétablit.",
            _named(window, "savedLabel"),
        ),
        TourStep(
            "L'aide de chaque étape",
            "À quoi sert l'étape, quoi rassembler et auprès de qui, les pièges signalés par le guide et des "
            "exemples réels. La touche F1 ouvre ou ferme ce panneau.",
            _named(window, "helpPanel"),
        ),
        TourStep(
            "Le menu Aide",
            "Le manuel, le lexique des sigles (ARS, DETR, MSP…) et cette visite se retrouvent dans le menu "
            "Aide, même sans connexion.",
            _help_menu(window),
        ),
    ]


# --------------------------------------------------------------------------- the overlay


class OnboardingTour(QWidget):
    """The guided tour, as an overlay over ``window``.

    ``start()`` shows the first stop; ``next()``, ``previous()`` and ``skip()`` move through it;
    :attr:`finished` is emitted once, with True when the tour was followed to its end and False when
    skipped. Either way the tour is remembered as seen (unless ``remember=False``).
    """

    finished = Signal(bool)
    step_changed = Signal(int)

    def __init__(
        self,
        window: QWidget,
        steps: Sequence[TourStep] | None = None,
        *,
        remember: bool = True,
        open_example: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("onboardingTour")
        self._window = window
        self.steps: list[TourStep] = list(steps) if steps is not None else default_steps(window, open_example)
        if not self.steps:
            raise ValueError("a tour needs at least one step")
        self._remember = remember
        self._index = -1
        self._running = False
        self._hole: QRect | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()

        self.bubble = QFrame(self)
        self.bubble.setObjectName("onboardingBubble")
        self.bubble.setFixedWidth(380)
        self.bubble.setStyleSheet(
            "#onboardingBubble { background: white; border: 2px solid #24584c; border-radius: 8px; }"
            "#onboardingBubble QLabel { color: #1c2b27; }"
        )
        layout = QVBoxLayout(self.bubble)
        layout.setContentsMargins(16, 12, 16, 12)
        self.counter_label = QLabel()
        self.counter_label.setObjectName("onboardingCounter")
        self.counter_label.setStyleSheet("color: #4d5c57;")
        self.title_label = QLabel()
        self.title_label.setObjectName("onboardingTitle")
        self.title_label.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1d4a40;")
        self.text_label = QLabel()
        self.text_label.setObjectName("onboardingText")
        self.text_label.setWordWrap(True)
        buttons = QHBoxLayout()
        self.skip_button = QPushButton("Passer la visite")
        self.skip_button.setObjectName("onboardingSkip")
        self.previous_button = QPushButton("◀ Précédent")
        self.previous_button.setObjectName("onboardingPrevious")
        self.next_button = QPushButton("Suivant ▶")
        self.next_button.setObjectName("onboardingNext")
        self.next_button.setDefault(True)
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        for widget in (self.counter_label, self.title_label, self.text_label):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.skip_button.clicked.connect(self.skip)
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        window.installEventFilter(self)

    # --- driving

    def start(self) -> None:
        """Show the first stop."""
        self._running = True
        self.setGeometry(self._window.rect())
        self.show()
        self.raise_()
        self._go(0)

    def next(self) -> None:
        """Go to the next stop, or finish after the last one."""
        if not self._running:
            return
        if self._index >= len(self.steps) - 1:
            self._finish(True)
        else:
            self._go(self._index + 1)

    def previous(self) -> None:
        """Go back one stop."""
        if self._running and self._index > 0:
            self._go(self._index - 1)

    def skip(self) -> None:
        """Leave the tour now (it will not show again at start-up)."""
        if self._running:
            self._finish(False)

    def is_running(self) -> bool:
        """Whether the tour is on screen."""
        return self._running

    def current_index(self) -> int:
        """Index of the stop shown (-1 before start)."""
        return self._index

    def current_step(self) -> TourStep:
        """The stop shown."""
        return self.steps[max(self._index, 0)]

    def highlighted_rect(self) -> QRect | None:
        """The area presented, in the window's coordinates (None: centred bubble)."""
        return self._hole

    def _go(self, index: int) -> None:
        self._index = index
        step = self.steps[index]
        if step.on_enter is not None:
            step.on_enter()
        last = index == len(self.steps) - 1
        self.counter_label.setText(f"Visite guidée — {index + 1} sur {len(self.steps)}")
        self.title_label.setText(step.title)
        self.text_label.setText(typeset(step.text))
        self.previous_button.setEnabled(index > 0)
        self.next_button.setText("Terminer" if last else "Suivant ▶")
        self._place()
        self.setFocus()
        self.step_changed.emit(index)

    def _finish(self, completed: bool) -> None:
        self._running = False
        self.hide()
        if self._remember:
            mark_onboarding_done()
        self.finished.emit(completed)

    # --- geometry and painting

    def _place(self) -> None:
        self.setGeometry(self._window.rect())
        self.raise_()
        target = self.current_step().target
        hole = target() if target is not None else None
        if hole is not None:
            hole = hole.adjusted(-6, -6, 6, 6).intersected(self.rect())
            if hole.isEmpty():
                hole = None
        self._hole = hole
        layout = self.bubble.layout()
        assert layout is not None
        layout.activate()
        # Word-wrapped text: the height follows the fixed width (adjustSize would clip it).
        self.bubble.resize(self.bubble.width(), max(layout.totalHeightForWidth(self.bubble.width()), 120))
        self.bubble.move(self._bubble_position(hole))
        self.update()

    def _bubble_position(self, hole: QRect | None) -> QPoint:
        area = self.rect()
        size = self.bubble.size()
        margin = 16
        if hole is None:
            return QPoint((area.width() - size.width()) // 2, (area.height() - size.height()) // 2)
        candidates = (
            QPoint(hole.right() + margin, hole.top()),  # right of the area
            QPoint(hole.left() - margin - size.width(), hole.top()),  # left
            QPoint(hole.left(), hole.bottom() + margin),  # below
            QPoint(hole.left(), hole.top() - margin - size.height()),  # above
        )
        for point in candidates:
            if area.contains(QRect(point, size)):
                return point
        # Nowhere outside the area (it fills the window): inside it, bottom right.
        x = min(max(hole.right() - size.width() - margin, margin), area.width() - size.width() - margin)
        y = min(max(hole.bottom() - size.height() - margin, margin), area.height() - size.height() - margin)
        return QPoint(max(x, 0), max(y, 0))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Darken the window except the presented area, and outline it."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shade = QPainterPath()
        shade.addRect(QRectF(self.rect()))
        if self._hole is not None:
            hole = QPainterPath()
            hole.addRoundedRect(QRectF(self._hole), 6, 6)
            shade = shade.subtracted(hole)
        painter.fillPath(shade, QColor(16, 32, 28, 150))
        if self._hole is not None:
            painter.setPen(QPen(QColor("#f2c14e"), 3))
            painter.drawRoundedRect(QRectF(self._hole), 6, 6)
        painter.end()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Follow the window's size while the tour is on screen."""
        if watched is self._window and self._running and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Échap skips, → / Entrée / Espace go on, ← goes back."""
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.skip()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.next()
        elif key == Qt.Key.Key_Left:
            self.previous()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Clicks outside the bubble do nothing: the window stays untouched during the tour."""
        event.accept()
