"""Step 5 — Mobilisation des professionnels: professionals, contacts, meetings and tasks, summary."""

from santeloc.gui.pages.mobilisation.page import MobilisationPage

__all__ = ["MobilisationPage"]
