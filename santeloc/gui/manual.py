"""The user manual (``docs/manuel.md``), readable offline from the Aide menu.

The Markdown is rendered by :class:`QTextBrowser` with ``docs/`` as search path, so the
screenshots it references by file name show. In a PyInstaller build the folder is
``<bundle>/docs`` (next to ``<bundle>/resources``): the spec must bundle the repository's
``docs`` folder under that name.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.widgets import fit_dialog

MANUAL_NAME = "manuel.md"


def docs_dir() -> Path:
    """The folder of the manual and its screenshots, in the repository or in the packaged build."""
    if getattr(sys, "frozen", False):
        from santeloc.refdata.geo import resources_dir

        return resources_dir().parent / "docs"
    return Path(__file__).resolve().parents[2] / "docs"


def manual_path() -> Path:
    """``docs/manuel.md``."""
    return docs_dir() / MANUAL_NAME


@dataclass(frozen=True)
class Heading:
    """A heading of the manual: level (1 = title), text, position in the document."""

    level: int
    text: str
    position: int


class ManualDialog(QDialog):
    """The manual with its table of contents and a search field."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualDialog")
        self.setWindowTitle("Manuel de santeloc")
        fit_dialog(self, 1100, 760)
        self.path = path if path is not None else manual_path()
        self.headings: list[Heading] = []

        layout = QVBoxLayout(self)
        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("manualSearch")
        self.search.setPlaceholderText("Rechercher dans le manuel…")
        self.search.setClearButtonEnabled(True)
        self.find_previous_button = QPushButton("◀")
        self.find_previous_button.setToolTip("Occurrence précédente")
        self.find_next_button = QPushButton("▶")
        self.find_next_button.setToolTip("Occurrence suivante (Entrée)")
        self.search_status = QLabel()
        self.search_status.setObjectName("manualSearchStatus")
        self.search_status.setStyleSheet("color: #4d5c57;")
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.find_previous_button)
        search_row.addWidget(self.find_next_button)
        search_row.addWidget(self.search_status)
        layout.addLayout(search_row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.contents = QListWidget()
        self.contents.setObjectName("manualContents")
        self.browser = QTextBrowser()
        self.browser.setObjectName("manualBrowser")
        self.browser.setOpenExternalLinks(True)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([270, 830])
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.search.returnPressed.connect(self.find_next)
        self.search.textChanged.connect(lambda _text: self.search_status.clear())
        self.find_next_button.clicked.connect(self.find_next)
        self.find_previous_button.clicked.connect(lambda: self.find_next(backward=True))
        self.contents.itemClicked.connect(self._on_contents_item)
        self.contents.currentItemChanged.connect(
            lambda current, _previous: self._on_contents_item(current) if current is not None else None
        )
        self.load()

    def load(self) -> bool:
        """Read and render the manual; say so plainly when it is missing. Returns whether it loaded."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            self.browser.setHtml(
                "<h2>Manuel introuvable</h2>"
                f"<p>Le fichier <code>{self.path}</code> est absent de cette installation. Réinstallez santeloc, "
                "ou lisez le manuel dans le dossier <code>docs</code> des sources.</p>"
            )
            self.headings = []
            self.contents.clear()
            return False
        self.browser.setSearchPaths([str(self.path.parent)])
        self.browser.document().setBaseUrl(self.path.parent.as_uri() + "/")
        self.browser.setMarkdown(text)
        self._build_contents()
        return True

    def _build_contents(self) -> None:
        self.headings = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level and block.text().strip():
                self.headings.append(Heading(level, block.text().strip(), block.position()))
            block = block.next()
        self.contents.blockSignals(True)
        self.contents.clear()
        for heading in self.headings:
            if heading.level > 3:
                continue
            item = QListWidgetItem(("    " * max(heading.level - 2, 0)) + heading.text)
            item.setData(Qt.ItemDataRole.UserRole, heading.position)
            if heading.level <= 2:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.contents.addItem(item)
        self.contents.blockSignals(False)

    def _on_contents_item(self, item: QListWidgetItem) -> None:
        self.scroll_to_position(int(item.data(Qt.ItemDataRole.UserRole)))

    def scroll_to_position(self, position: int) -> None:
        """Bring the block at ``position`` to the top of the view."""
        document = self.browser.document()
        block = document.findBlock(position)
        cursor = QTextCursor(block)
        self.browser.setTextCursor(cursor)
        rect = document.documentLayout().blockBoundingRect(block)
        self.browser.verticalScrollBar().setValue(int(rect.top()))

    def show_section(self, starts_with: str) -> bool:
        """Scroll to the first heading starting with ``starts_with`` (case ignored)."""
        wanted = starts_with.casefold()
        for heading in self.headings:
            if heading.text.casefold().startswith(wanted):
                self.scroll_to_position(heading.position)
                return True
        return False

    def show_step(self, step: int) -> bool:
        """Scroll to the chapter of a step of the method (« Étape N — … »)."""
        return self.show_section(f"Étape {int(step)}")

    def find_next(self, backward: bool = False) -> bool:
        """Find the search text after (or before) the cursor, wrapping around once."""
        text = self.search.text().strip()
        if not text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.browser.find(text, flags):
            self.search_status.clear()
            return True
        cursor = self.browser.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        if self.browser.find(text, flags):
            self.search_status.setText("Recherche reprise au début" if not backward else "Recherche reprise à la fin")
            return True
        self.search_status.setText(f"« {text} » introuvable")
        return False

    def image_names(self) -> list[str]:
        """File names of the images the manual shows (for tests and the packaging check)."""
        names: list[str] = []
        block = self.browser.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and fragment.charFormat().isImageFormat():
                    names.append(fragment.charFormat().toImageFormat().name())
                iterator += 1
            block = block.next()
        return names
