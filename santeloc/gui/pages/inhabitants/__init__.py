"""Step 4 — Ressenti des habitants: the questionnaire, collecting the answers, the results."""

from santeloc.gui.pages.inhabitants.page import InhabitantsPage

__all__ = ["InhabitantsPage"]
