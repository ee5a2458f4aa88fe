"""A matplotlib figure shown in Qt; the figure itself comes from santeloc.exports."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget


class FigureView(QWidget):
    """Holds one canvas and swaps its figure when the data change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.canvas: FigureCanvasQTAgg | None = None
        self.setMinimumSize(320, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_figure(self, figure: Figure) -> None:
        """Show ``figure`` in place of the previous one."""
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.setParent(None)
            self.canvas.deleteLater()
        self.canvas = FigureCanvasQTAgg(figure)
        # The figure follows the space the page gives, rather than imposing its own size
        # (a tall pyramid would otherwise push the whole page into a scroll area).
        self.canvas.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.canvas.setMinimumSize(200, 150)
        self._layout.addWidget(self.canvas)
        self.canvas.draw_idle()

    def clear(self) -> None:
        """Show nothing (another project's figure must not linger)."""
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.setParent(None)
            self.canvas.deleteLater()
            self.canvas = None

    @property
    def figure(self) -> Figure | None:
        """The figure shown, if any."""
        return self.canvas.figure if self.canvas is not None else None
