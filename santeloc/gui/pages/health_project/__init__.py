"""Step 6 — Priorités et projet de santé: priorities, objectives and fiches action, the projet de"""

from santeloc.gui.pages.health_project.page import HealthProjectPage

__all__ = ["HealthProjectPage"]
