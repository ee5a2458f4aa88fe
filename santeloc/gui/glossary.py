"""The glossary of acronyms: a searchable dialog, and tooltips wherever an acronym is shown.

:func:`add_glossary_tooltips` walks a widget tree and adds, to each label, button, group box and
tab whose text contains an acronym of :data:`santeloc.workflow.guidance.GLOSSARY`, a tooltip line
per acronym. An existing tooltip is kept and the explanation appended; calling the function again
(after texts changed) replaces what it added before, never what others wrote.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.widgets import fit_dialog
from santeloc.workflow.guidance import (
    GLOSSARY,
    GlossaryEntry,
    find_terms,
    lookup,
    search_glossary,
    tooltip_line,
    typeset,
)

_TAGS = re.compile(r"<[^>]+>")
_BASE = "glossaryBaseToolTip"  # the tooltip before we added to it
_FULL = "glossaryFullToolTip"  # the tooltip as we left it
_TABS = "glossaryTabToolTips"  # per tab index: (base, full)


def _visible_text(text: str) -> str:
    """Text as the user reads it: without rich-text tags, entities or mnemonic ampersands."""
    without_tags = _TAGS.sub(" ", text)
    return html.unescape(without_tags).replace("&&", "\0").replace("&", "").replace("\0", "&")


def tooltip_for_text(text: str) -> str:
    """The glossary lines for the acronyms in ``text`` (plain text, one per line), or ""."""
    return "\n".join(tooltip_line(entry) for entry in find_terms(_visible_text(text)))


def _combine(base: str, addition: str) -> str:
    if not base:
        return addition
    if _TAGS.search(base):  # a rich-text tooltip: keep it rich
        return f"{base}<br><br>{html.escape(addition).replace(chr(10), '<br>')}"
    return f"{base}\n\n{addition}"


def _updated(current: str, previous_base: Any, previous_full: Any, text: str) -> tuple[str, str, str] | None:
    """``(base, full, tooltip to set)`` for a widget showing ``text``; None when nothing changes."""
    ours = isinstance(previous_full, str) and current == previous_full
    base = str(previous_base) if ours and isinstance(previous_base, str) else current
    addition = tooltip_for_text(text)
    if not addition:
        if ours:  # an acronym disappeared from the text: give the original tooltip back
            return base, base, base
        return None
    if not ours and addition in current:  # already explained (by hand or by a copy of ours)
        return None
    full = _combine(base, addition)
    return base, full, full


def _widget_text(widget: QWidget) -> str | None:
    if isinstance(widget, QLabel):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    if isinstance(widget, QGroupBox):
        return widget.title()
    return None


def _descendants(widget: QWidget, skip: Collection[QWidget]) -> Iterator[QWidget]:
    """``widget`` and the widgets under it, except those under a widget of ``skip``."""
    pending = [widget]
    while pending:
        current = pending.pop()
        yield current
        # Widgets only: wrapping every layout, timer and model for Python costs more than the walk.
        children = current.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        pending.extend(c for c in children if c not in skip)


def add_glossary_tooltips(widget: QWidget, skip: Collection[QWidget] = ()) -> int:
    """Explain, as tooltips, the acronyms shown by ``widget`` and its descendants.

    Covers :class:`QLabel`, buttons (:class:`QPushButton`, check boxes…), :class:`QGroupBox`
    titles and the tabs of :class:`QTabWidget`; leaves out what is under a widget of ``skip``
    (pages not shown). Returns how many tooltips were set or changed.
    """
    changed = 0
    for child in _descendants(widget, skip):
        text = _widget_text(child)
        if text:
            update = _updated(child.toolTip(), child.property(_BASE), child.property(_FULL), text)
            if update is not None:
                base, full, tip = update
                child.setProperty(_BASE, base)
                child.setProperty(_FULL, full)
                if child.toolTip() != tip:
                    child.setToolTip(tip)
                    changed += 1
        if isinstance(child, QTabWidget):
            changed += _tab_tooltips(child)
    return changed


def _tab_tooltips(tabs: QTabWidget) -> int:
    stored = tabs.property(_TABS)
    memory: dict[str, list[str]] = dict(stored) if isinstance(stored, dict) else {}
    changed = 0
    for index in range(tabs.count()):
        previous = memory.get(str(index), [None, None])
        update = _updated(tabs.tabToolTip(index), previous[0], previous[1], tabs.tabText(index))
        if update is None:
            continue
        base, full, tip = update
        memory[str(index)] = [base, full]
        if tabs.tabToolTip(index) != tip:
            tabs.setTabToolTip(index, tip)
            changed += 1
    tabs.setProperty(_TABS, memory)
    return changed


# --------------------------------------------------------------------------- the dialog


def entry_html(entry: GlossaryEntry) -> str:
    """One entry as rich text for the detail pane."""
    aliases = ""
    if entry.aliases:
        aliases = f"<p style='color:#4d5c57;'>Aussi écrit : {html.escape(', '.join(entry.aliases))}</p>"
    related = [e for e in find_terms(f"{entry.expansion} {entry.explanation}") if e.term != entry.term]
    see_also = ""
    if related:
        see_also = "<p style='color:#4d5c57;'>Voir aussi : " + ", ".join(html.escape(e.term) for e in related) + "</p>"
    return (
        f"<h3 style='color:#1d4a40;'>{html.escape(entry.term)}</h3>"
        f"<p><i>{html.escape(typeset(entry.expansion))}</i></p>"
        f"<p>{html.escape(typeset(entry.explanation))}</p>{aliases}{see_also}"
    )


class GlossaryDialog(QDialog):
    """Every acronym of the application, searchable (accents and case ignored)."""

    def __init__(self, parent: QWidget | None = None, term: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("glossaryDialog")
        self.setWindowTitle("Lexique des sigles")
        fit_dialog(self, 760, 520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Les sigles que santeloc affiche, avec leur sens et une phrase d'explication. Tapez un sigle ou un "
            "mot (« dotation », « Assurance Maladie »…) pour filtrer."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.search = QLineEdit()
        self.search.setObjectName("glossarySearch")
        self.search.setPlaceholderText("Rechercher un sigle ou un mot…")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)

        body = QHBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("glossaryList")
        self.list.setMinimumWidth(280)
        self.detail = QTextBrowser()
        self.detail.setObjectName("glossaryDetail")
        self.detail.setOpenLinks(False)
        body.addWidget(self.list, 2)
        body.addWidget(self.detail, 3)
        layout.addLayout(body, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("glossaryCount")
        self.count_label.setStyleSheet("color: #4d5c57;")
        layout.addWidget(self.count_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.search.textChanged.connect(self.set_filter)
        self.list.currentItemChanged.connect(self._show_current)
        self.set_filter("")
        if term:
            self.select_term(term)

    def set_filter(self, query: str) -> None:
        """Show only the entries matching ``query`` (best matches first)."""
        if self.search.text() != query:
            self.search.setText(query)  # re-enters through textChanged
            return
        entries = search_glossary(query)
        self.list.blockSignals(True)
        self.list.clear()
        for entry in entries:
            item = QListWidgetItem(f"{entry.term} — {entry.expansion}")
            item.setData(Qt.ItemDataRole.UserRole, entry.term)
            item.setToolTip(tooltip_line(entry))
            self.list.addItem(item)
        self.list.blockSignals(False)
        total = len(GLOSSARY)
        self.count_label.setText(f"{len(entries)} sigle(s) sur {total}" if query.strip() else f"{total} sigles")
        if entries:
            self.list.setCurrentRow(0)
        else:
            self.detail.setHtml(
                f"<p>Aucun sigle ne correspond à « {html.escape(query.strip())} ». Essayez un autre mot.</p>"
            )

    def visible_terms(self) -> list[str]:
        """The terms listed, in order."""
        return [str(self.list.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.list.count())]

    def select_term(self, term: str) -> bool:
        """Select and show a term (clearing the filter if it hides it); False if unknown."""
        entry = lookup(term)
        if entry is None:
            return False
        if entry.term not in self.visible_terms():
            self.set_filter("")
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == entry.term:
                self.list.setCurrentRow(row)
                return True
        return False

    def current_term(self) -> str:
        """The term shown in the detail pane ("" for none)."""
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def _show_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        entry = lookup(str(current.data(Qt.ItemDataRole.UserRole)))
        if entry is not None:
            self.detail.setHtml(entry_html(entry))
