"""Step 5 — Mobilisation des professionnels: the guide's questions to each professional and their"""

from santeloc.gui.pages.mobilisation.page import MobilisationPage

__all__ = ["MobilisationPage"]
