"""Step 6 — Priorités et projet de santé: priorities, objectives, fiches action, sections, timeline, coherence, readiness."""

from santeloc.gui.pages.health_project.page import HealthProjectPage

__all__ = ["HealthProjectPage"]
