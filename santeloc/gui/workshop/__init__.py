"""Workshop mode: the diagnostic presented full screen to a meeting, then the priority vote."""

from santeloc.gui.workshop.window import WorkshopWindow

__all__ = ["WorkshopWindow"]
