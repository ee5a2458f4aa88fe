"""A matplotlib figure shown in Qt; the figure itself comes from santeloc.exports.

The view keeps the figure's texts inside the canvas at every size (titles wrap, legends narrow,
map labels appear where they fit; the full text of what was cut is the canvas' tooltip), puts
French numbers on its axes, and on a map names the commune under the cursor.
"""

from __future__ import annotations

from matplotlib.backend_bases import Event, MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QSizePolicy, QToolTip, QVBoxLayout, QWidget

from santeloc.exports.chart_style import fit_texts, french_axes
from santeloc.exports.maps import place_at


class FigureView(QWidget):
    """Holds one canvas and swaps its figure when the data change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.canvas: FigureCanvasQTAgg | None = None
        self.cut_texts: list[str] = []
        self._hovered = ""
        self.setMinimumSize(240, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_figure(self, figure: Figure) -> None:
        """Show ``figure`` in place of the previous one."""
        if self.canvas is not None:
            # Hidden and deleted while still a child: a parentless canvas could show as a window.
            self._layout.removeWidget(self.canvas)
            self.canvas.hide()
            self.canvas.deleteLater()
        french_axes(figure)
        self.canvas = FigureCanvasQTAgg(figure)
        # The figure follows the space the page gives, rather than imposing its own size
        # (a tall pyramid would otherwise push the whole page into a scroll area).
        self.canvas.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.canvas.setMinimumSize(200, 150)
        self.canvas.mpl_connect("resize_event", self._on_resize)
        self.canvas.mpl_connect("motion_notify_event", self._on_motion)
        self._layout.addWidget(self.canvas)
        self.fit()
        self.canvas.draw_idle()

    def clear(self) -> None:
        """Show nothing (another project's figure must not linger)."""
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.hide()
            self.canvas.deleteLater()
            self.canvas = None
            self.cut_texts = []

    @property
    def figure(self) -> Figure | None:
        """The figure shown, if any."""
        return self.canvas.figure if self.canvas is not None else None

    def fit(self) -> None:
        """Fit the figure's texts to the canvas' current size; cut texts go to the tooltip."""
        if self.canvas is None:
            return
        self.cut_texts = fit_texts(self.canvas.figure, self.canvas.get_renderer())
        self.canvas.setToolTip("\n".join(self.cut_texts))

    def _on_resize(self, _event: Event) -> None:
        self.fit()
        if self.canvas is not None:
            self.canvas.draw_idle()

    def _on_motion(self, event: Event) -> None:
        """On a map, the name of the commune under the cursor (and its value) as a tooltip."""
        if self.canvas is None or not isinstance(event, MouseEvent):
            return
        place = ""
        if event.inaxes is not None and event.xdata is not None and event.ydata is not None:
            place = place_at(self.canvas.figure, event.xdata, event.ydata) or ""
        if place == self._hovered:
            return
        self._hovered = place
        if place:
            QToolTip.showText(QCursor.pos(), place, self.canvas)
        else:
            QToolTip.hideText()
