"""French for the few strings of Qt's own dialogs that ``qtbase_fr.qm`` does not translate.

Qt 6 labels its file dialog "&Look in:" and "Files of &type:" (with a keyboard shortcut), while
the French catalogue shipped with PySide6 still translates the older "Look in:" and "Files of
type:"; without this, the non-native file dialog is half English.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

NBSP = "\u00a0"
MISSING: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): f"&Voir dans{NBSP}:",
    ("QFileDialog", "Files of &type:"): f"Fichiers de &type{NBSP}:",
}


class MissingQtFrench(QTranslator):
    """A translator for the strings listed in :data:`MISSING`; every other string falls through."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        """The French text of a missing string, or None (a null string: ask the next translator)."""
        return MISSING.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 (Qt override)
        """Never empty, so that Qt consults it."""
        return False
