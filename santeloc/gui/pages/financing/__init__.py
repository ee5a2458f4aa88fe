"""Step 7 — Plan de financement: expenses, resources, live rules, loan and rent, scenarios."""

from santeloc.gui.pages.financing.page import FinancingPage

__all__ = ["FinancingPage"]
