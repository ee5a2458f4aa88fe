"""Step 4 — Ressenti des habitants: the questionnaire, its Word and Excel exports, the import of"""

from santeloc.gui.pages.inhabitants.page import InhabitantsPage

__all__ = ["InhabitantsPage"]
