"""The help panel beside every step: what it is for, what to gather, pitfalls, field examples.

It renders :mod:`santeloc.workflow.guidance` in a :class:`QTextBrowser`. Internal links do not
leave the application: ``santeloc://step/N?tab=…`` emits :attr:`HelpPanel.navigate` (and
:attr:`HelpPanel.navigate_to_tab`), ``santeloc://glossaire/TERME`` emits
:attr:`HelpPanel.glossary_requested`, ``santeloc://manuel/N`` emits
:attr:`HelpPanel.manual_requested`. Acronyms of the glossary show their meaning as a tooltip when
hovered. The panel is collapsible and remembers, per user (``QSettings``), whether it was open.
On a small screen (below 1600 × 900) it is narrower and closed until the user opens it, so the
page beside it keeps the width it needs.
"""

from __future__ import annotations

import html
import re
import unicodedata

from PySide6.QtCore import QSettings, Qt, QUrl, QUrlQuery, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.widgets import is_small_screen
from santeloc.workflow.guidance import (
    ActionKind,
    FieldExample,
    NextAction,
    StepHelp,
    examples_for,
    lookup,
    step_help,
    terms_pattern,
    tooltip_line,
    typeset,
)
from santeloc.workflow.steps import STEPS_BY_ID, StepId

SCHEME = "santeloc"
SETTINGS_KEY = "helpPanel/open"
ACCENT = "#1d4a40"
WIDTHS = {False: (300, 420), True: (240, 280)}  # (minimum, maximum) width of the content, by small screen


# --------------------------------------------------------------------------- links


def step_url(step: StepId | int, tab_hint: str = "") -> str:
    """``santeloc://step/N`` (with ``?tab=…`` when a tab is named), percent-encoded."""
    url = QUrl(f"{SCHEME}://step/{int(step)}")
    if tab_hint:
        query = QUrlQuery()
        query.addQueryItem("tab", tab_hint)
        url.setQuery(query)
    return url.toString(QUrl.ComponentFormattingOption.FullyEncoded)


def glossary_url(term: str) -> str:
    """``santeloc://glossaire/TERME``, percent-encoded."""
    url = QUrl(f"{SCHEME}://glossaire")
    url.setPath("/" + term)
    return url.toString(QUrl.ComponentFormattingOption.FullyEncoded)


def parse_link(url: QUrl) -> tuple[str, str, str]:
    """``(kind, value, tab)`` of an internal link: ``("step", "7", "Recettes")``, ``("glossaire", "ARS", "")``.

    ``kind`` is "" for a link that is not santeloc's.
    """
    if url.scheme() != SCHEME:
        return "", "", ""
    value = url.path().lstrip("/")
    tab = QUrlQuery(url).queryItemValue("tab", QUrl.ComponentFormattingOption.FullyDecoded)
    return url.host(), value, tab


# --------------------------------------------------------------------------- HTML


def _rich(text: str) -> str:
    """Escape ``text`` and turn glossary acronyms into discreet internal links."""
    escaped = html.escape(typeset(text), quote=False)

    def link(match: re.Match[str]) -> str:
        term = match.group(1)
        entry = lookup(term)
        if entry is None:
            return term
        return f'<a href="{glossary_url(entry.term)}" style="color:{ACCENT}; text-decoration:none;">{term}</a>'

    return terms_pattern().sub(link, escaped)


def example_card_html(example: FieldExample) -> str:
    """One field example as a framed card."""
    figures = "".join(f"<li>{_rich(figure)}</li>" for figure in example.figures)
    steps = ", ".join(
        f'<a href="{step_url(step)}">{int(step)}. {html.escape(STEPS_BY_ID[step].title)}</a>' for step in example.steps
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="8" style="margin-top:8px;" bgcolor="#fff6dc" '
        'border="0"><tr><td>'
        f'<p style="margin:0;"><b>{html.escape(example.title)}</b><br>'
        f'<span style="color:#5b513a;">{html.escape(example.place)} — {html.escape(example.year)}</span></p>'
        f'<p style="margin-top:4px;">{_rich(example.what)}</p>'
        f'<ul style="margin-top:0;">{figures}</ul>'
        f'<p style="margin-top:2px;"><i>{_rich(example.lesson)}</i></p>'
        f'<p style="margin-top:2px; color:#5b513a;">Illustre : {steps}</p>'
        "</td></tr></table>"
    )


def help_html(step: StepId | int) -> str:
    """The whole help of a step as rich text (Qt's HTML subset)."""
    step_id = StepId(step)
    helped: StepHelp = step_help(step_id)
    definition = STEPS_BY_ID[step_id]
    gather = "".join(
        f"<li>{_rich(what)} <span style='color:#4d5c57;'>— {_rich(who)}</span></li>" for what, who in helped.gather
    )
    pitfalls = "".join(f"<li>{_rich(p)}</li>" for p in helped.pitfalls)
    links = "".join(
        f'<li><a href="{step_url(target, tab)}">{html.escape(label)}</a>'
        + (f" <span style='color:#4d5c57;'>(étape {int(target)})</span>" if target != step_id else "")
        + "</li>"
        for label, target, tab in helped.links
    )
    cards = "".join(example_card_html(example) for example in examples_for(step_id))
    parts = [
        f'<h3 style="color:{ACCENT}; margin-bottom:2px;">{int(step_id)}. {html.escape(definition.title)}</h3>',
        f"<p>{_rich(helped.purpose)}</p>",
        f'<h4 style="color:{ACCENT};">Ce qu\'il faut rassembler, et auprès de qui</h4><ul>{gather}</ul>',
        f'<h4 style="color:{ACCENT};">Ce qui est réussi</h4><p>{_rich(helped.good_looks_like)}</p>',
        f'<h4 style="color:#9a3b12;">Les pièges signalés par le guide</h4><ul>{pitfalls}</ul>',
        f'<h4 style="color:{ACCENT};">Où le faire dans santeloc</h4><ul>{links}</ul>',
    ]
    if cards:
        parts.append(f'<h4 style="color:{ACCENT};">Exemples du terrain</h4>{cards}')
    parts.append(
        f'<p style="margin-top:12px; color:#4d5c57;">Un sigle vous arrête ? Survolez-le, ou ouvrez le '
        f'<a href="{SCHEME}://glossaire/">lexique des sigles</a>. Le '
        f'<a href="{SCHEME}://manuel/{int(step_id)}">manuel</a> détaille cette étape.</p>'
    )
    return "".join(parts)


def next_actions_html(actions: list[NextAction]) -> str:
    """ "What to do next" as rich text for a :class:`QLabel`, each item a link to its step.

    Connect the label's ``linkActivated`` to :meth:`HelpPanel.activate_link` to follow the links.
    """
    if not actions:
        return ""
    items = []
    for action in actions:
        colour = "#9a3b12" if action.kind is ActionKind.WARNING else ACCENT
        go = f'<a href="{step_url(action.step, action.tab_hint)}">aller à l\'étape {int(action.step)}</a>'
        items.append(f"<li><span style='color:{colour};'>{html.escape(typeset(action.text))}</span> — {go}</li>")
    return f"<b>À faire ensuite</b><ul style='margin-top:2px;'>{''.join(items)}</ul>"


# --------------------------------------------------------------------------- tabs


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("&", ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def select_tab(page: QWidget, tab_hint: str) -> bool:
    """Show, in ``page``, the tab whose title starts with ``tab_hint`` (accents and case ignored).

    Looks at every :class:`QTabWidget` of the page, outermost first; returns whether a tab was found.
    """
    if not tab_hint:
        return False
    wanted = _plain(tab_hint)
    tab_widgets = ([page] if isinstance(page, QTabWidget) else []) + page.findChildren(QTabWidget)
    for tabs in tab_widgets:
        for index in range(tabs.count()):
            if _plain(tabs.tabText(index)).startswith(wanted):
                tabs.setCurrentIndex(index)
                return True
    return False


_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QAbstractButton)


def focus_field(page: QWidget, field: str = "") -> QWidget | None:
    """Focus, in ``page``, the widget named ``field`` or else the first enabled input shown (tabs already
    chosen with :func:`select_tab`); returns it (None when the page shows nothing to type into)."""
    wanted = page.findChild(QWidget, field) if field else None
    candidates = [wanted] if wanted is not None else [w for w in page.findChildren(QWidget) if isinstance(w, _INPUTS)]
    for widget in candidates:
        if widget.isEnabled() and widget.isVisibleTo(page) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return widget
    return None


# --------------------------------------------------------------------------- the panel


class HelpPanel(QWidget):
    """Collapsible help of the current step, with its field examples.

    Closed, it shrinks to a narrow "Aide" button; :meth:`toggle` (F1) opens or closes it, and the
    choice is remembered for the user.
    """

    navigate = Signal(int)  # step to show
    navigate_to_tab = Signal(int, str)  # step, tab title hint ("" for none), after `navigate`
    glossary_requested = Signal(str)  # a term, or "" for the whole glossary
    manual_requested = Signal(int)  # the step whose chapter to open
    open_changed = Signal(bool)

    def __init__(
        self, parent: QWidget | None = None, step: StepId = StepId.TERRITOIRE, compact: bool | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("helpPanel")
        self._step = StepId(step)
        self._open = True
        self.compact = is_small_screen() if compact is None else compact

        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.open_button = QToolButton()
        self.open_button.setObjectName("helpOpenButton")
        self.open_button.setText("?\nAide")
        self.open_button.setToolTip("Afficher l'aide de cette étape (F1)")
        self.open_button.setStyleSheet(
            "#helpOpenButton { background: #eef2f0; border: none; border-left: 1px solid #c9d1ce; "
            f"color: {ACCENT}; font-weight: 600; padding: 8px 4px; }}"
        )
        self.open_button.clicked.connect(lambda: self.set_open(True))
        outer.addWidget(self.open_button)

        self.content = QFrame()
        self.content.setObjectName("helpContent")
        self.content.setStyleSheet("#helpContent { background: #f7f9f8; border-left: 1px solid #c9d1ce; }")
        minimum, maximum = WIDTHS[self.compact]
        self.content.setMinimumWidth(minimum)
        self.content.setMaximumWidth(maximum)
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(10, 8, 6, 8)
        header = QHBoxLayout()
        self.title_label = QLabel()
        self.title_label.setObjectName("helpTitle")
        self.title_label.setStyleSheet(f"font-weight: 600; color: {ACCENT};")
        self.close_button = QToolButton()
        self.close_button.setObjectName("helpCloseButton")
        self.close_button.setText("Masquer")
        self.close_button.setToolTip("Masquer l'aide (F1 pour la rouvrir)")
        self.close_button.clicked.connect(lambda: self.set_open(False))
        header.addWidget(self.title_label, 1)
        header.addWidget(self.close_button)
        content_layout.addLayout(header)

        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.anchorClicked.connect(self._on_link)
        self.browser.highlighted.connect(self._on_hover)
        content_layout.addWidget(self.browser, 1)
        outer.addWidget(self.content, 1)

        self.set_step(self._step)
        self.set_open(_remembered_open(default=not self.compact), remember=False)

    # --- content

    def step(self) -> StepId:
        """The step whose help is shown."""
        return self._step

    def set_step(self, step: StepId | int) -> None:
        """Show the help of ``step``."""
        self._step = StepId(step)
        self.title_label.setText(f"Aide — étape {int(self._step)}")
        self.browser.setHtml(help_html(self._step))

    def html(self) -> str:
        """The rich text shown (as generated, before Qt rewrites it)."""
        return help_html(self._step)

    def activate_link(self, url: str | QUrl) -> None:
        """Follow an internal link as if the user had clicked it."""
        self._on_link(url if isinstance(url, QUrl) else QUrl(url))

    def _on_link(self, url: QUrl) -> None:
        kind, value, tab = parse_link(url)
        if kind == "step" and value.isdigit() and int(value) in set(map(int, StepId)):
            self.navigate.emit(int(value))
            self.navigate_to_tab.emit(int(value), tab)
        elif kind == "glossaire":
            self.glossary_requested.emit(value)
        elif kind == "manuel":
            self.manual_requested.emit(int(value) if value.isdigit() else int(self._step))

    def _on_hover(self, url: QUrl) -> None:
        kind, value, _tab = parse_link(url)
        entry = lookup(value) if kind == "glossaire" and value else None
        if entry is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), tooltip_line(entry), self.browser)

    # --- open / closed

    def is_open(self) -> bool:
        """Whether the help is shown (rather than the narrow button)."""
        return self._open

    def set_open(self, open_: bool, remember: bool = True) -> None:
        """Open or close the panel; remember the choice for the user unless told not to."""
        self._open = bool(open_)
        self.content.setVisible(self._open)
        self.open_button.setVisible(not self._open)
        if remember:
            settings = QSettings()
            settings.setValue(SETTINGS_KEY, self._open)
            settings.sync()
        if self._open and remember and self.isVisible():  # opened by the user: ready to scroll with the keys
            self.browser.setFocus()
        self.open_changed.emit(self._open)

    def toggle(self) -> None:
        """Open the panel if closed, close it if open (bound to F1)."""
        self.set_open(not self._open)


def _remembered_open(default: bool = True) -> bool:
    """The user's last choice; the first time, ``default`` (open on a large screen, to introduce the method)."""
    value = QSettings().value(SETTINGS_KEY, default)
    if isinstance(value, str):  # some QSettings back-ends give strings back
        return value.lower() not in ("false", "0", "")
    return bool(value)
