"""A matplotlib figure shown in Qt, drawn off the GUI thread; the figure comes from santeloc.exports.

Building and drawing a chart or a map takes 0,05 to 1 s of matplotlib work: done on the GUI
thread it froze the window on the first visit of a step. Here a page hands the view a
*factory* (``view.show_figure(lambda: loan_chart(schedule))``, with plain data captured, never
a database object); one rendering thread builds the figure, fits its texts to the view's size
(titles wrap, legends narrow, map labels appear where they fit; the full text of what was cut
is the view's tooltip), puts French numbers on its axes and draws it with Agg into an image.
The view paints that image, keeps the previous one (scaled) while a new size is drawn, and on a
map names the commune under the cursor.
"""

from __future__ import annotations

import atexit
import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PySide6.QtCore import QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget
from shiboken6 import isValid

from santeloc.exports.chart_style import fit_texts, french_axes
from santeloc.exports.maps import place_at
from santeloc.gui.idle import gui_idle

Factory = Callable[[], Figure]
RESIZE_DELAY_MS = 120  # a window being resized is drawn again once it stops
HIDDEN_SIZE = QSize(640, 420)  # a view not shown yet is drawn at this size, then at its own
STOP_WAIT_S = 5.0  # at exit, the longest wait for a drawing under way to end


@dataclass
class _Job:
    """One drawing asked of the rendering thread."""

    view: FigureView
    generation: int
    factory: Factory | None  # None: draw the view's current figure again at a new size
    figure: Figure | None
    width: int  # device pixels
    height: int
    ratio: float


@dataclass
class _Drawn:
    """What the rendering thread hands back to the GUI thread."""

    job: _Job
    figure: Figure | None
    image: QImage | None
    cut_texts: list[str]
    error: str = ""


class _Renderer(QObject):
    """The one rendering thread, and the bridge that brings its images back to the GUI thread."""

    drawn = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._idle = gui_idle()
        self.drawn.connect(self._deliver, Qt.ConnectionType.QueuedConnection)  # to the GUI thread
        self._thread = threading.Thread(target=self._run, name="santeloc-charts", daemon=True)
        self._thread.start()
        atexit.register(self.stop)

    def stop(self) -> None:
        """End the rendering thread (at exit: it must not be inside Qt or Agg while Python
        finalises, which aborts the process)."""
        self._jobs.put(None)
        self._idle.release()
        self._thread.join(STOP_WAIT_S)

    def submit(self, job: _Job) -> None:
        """Queue a drawing (GUI thread). It starts once the GUI thread has finished what it is
        doing: the page that asked for it is laid out and painted first."""
        self._idle.busy()
        self._jobs.put(job)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            # Drawing and the GUI thread share the interpreter: a page being shown (thousands
            # of calls into Python from Qt) would wait for it at each call.
            self._idle.wait()
            if job.generation != job.view.generation:  # a newer drawing was asked meanwhile
                continue
            self.drawn.emit(draw(job))

    @Slot(object)
    def _deliver(self, result: _Drawn) -> None:
        view = result.job.view
        if isValid(view):
            view.receive(result)


def draw(job: _Job) -> _Drawn:
    """Build (if asked) and draw one figure at the job's size, in the rendering thread."""
    figure = job.figure
    try:
        if job.factory is not None:
            figure = job.factory()
            french_axes(figure)
            figure.set_dpi(figure.dpi * job.ratio)
        assert figure is not None
        figure.set_size_inches(job.width / figure.dpi, job.height / figure.dpi)
        canvas = FigureCanvasAgg(figure)
        cut = fit_texts(figure, canvas.get_renderer())
        canvas.draw()
        rgba = canvas.buffer_rgba()
        image = QImage(bytes(rgba), rgba.shape[1], rgba.shape[0], QImage.Format.Format_RGBA8888).copy()
        image.setDevicePixelRatio(job.ratio)
        release_renderer(figure, canvas)
        return _Drawn(job, figure, image, cut)
    except Exception as exc:  # shown in the view rather than lost in a thread
        traceback.print_exc()
        return _Drawn(job, figure, None, [], f"Graphique indisponible : {exc}")


def release_renderer(figure: Figure, canvas: FigureCanvasAgg) -> None:
    """Let the Agg buffer of a drawn figure go (width × height × 4 bytes, ~1 to 4 Mio a view).

    The canvas keeps it for a next drawing at the same size, and each text keeps it to measure
    itself later; the view keeps a copy as an image, and its next drawing is at another size.
    Both are matplotlib's caches, empty on a new figure: a new buffer is made when needed.
    """
    for text in figure.findobj(Text):
        text._renderer = None  # type: ignore[attr-defined]  # as set by Text.__init__
    canvas.renderer = None
    canvas._lastKey = None  # the size for which get_renderer() would reuse it


_renderer: _Renderer | None = None


def renderer() -> _Renderer:
    """The rendering thread, started on first use (from the GUI thread)."""
    global _renderer
    if _renderer is None:
        _renderer = _Renderer()
    return _renderer


class FigureView(QWidget):
    """Shows one figure, drawn in the rendering thread; swaps it when the data change."""

    drawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._figure: Figure | None = None
        self._image: QImage | None = None
        self._message = ""
        self._pending = False
        self._asked = QSize()
        self._shown_size = QSize()
        self.cut_texts: list[str] = []
        self._hovered = ""
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self._redraw_at_size)
        self.setMouseTracking(True)
        self.setMinimumSize(240, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- what pages call ---------------------------------------------------------------------
    def show_figure(self, factory: Factory) -> None:
        """Build ``factory()`` and show it in place of the previous figure (off the GUI thread).

        ``factory`` runs in the rendering thread: it must only use the plain data it captured.
        """
        self._ask(factory)

    def set_figure(self, figure: Figure) -> None:
        """Show a figure already built (drawn off the GUI thread all the same)."""
        self._ask(lambda: figure)

    def clear(self) -> None:
        """Show nothing (another project's figure must not linger)."""
        self.generation += 1
        self._figure, self._image, self._message, self._pending = None, None, "", False
        self.cut_texts = []
        self.setToolTip("")
        self.update()

    @property
    def figure(self) -> Figure | None:
        """The figure shown, once drawn."""
        return self._figure

    @property
    def pending(self) -> bool:
        """True while a drawing asked of the rendering thread has not come back."""
        return self._pending

    def settled(self) -> bool:
        """True once the figure asked for is drawn at the view's current size."""
        if self._pending or self._resize_timer.isActive():
            return False
        return self._figure is None or self._target() == self._asked

    @property
    def image(self) -> QImage | None:
        """The image shown (device pixels), once drawn."""
        return self._image

    @property
    def message(self) -> str:
        """The French explanation shown when a figure could not be drawn."""
        return self._message

    # -- drawing -----------------------------------------------------------------------------
    def _target(self) -> QSize:
        """The size to draw at: the view's own once shown, else the last one it had."""
        if self.isVisible():
            self._shown_size = self.size()
        size = self._shown_size if self._shown_size.isValid() else HIDDEN_SIZE
        return size.expandedTo(self.minimumSize())

    def _ask(self, factory: Factory | None) -> None:
        self.generation += 1
        self._pending = True
        self._asked = self._target()
        ratio = self.devicePixelRatioF() or 1.0
        job = _Job(
            self,
            self.generation,
            factory,
            self._figure if factory is None else None,
            max(1, round(self._asked.width() * ratio)),
            max(1, round(self._asked.height() * ratio)),
            ratio,
        )
        renderer().submit(job)
        self.update()

    def receive(self, result: _Drawn) -> None:
        """Back on the GUI thread: show what the rendering thread drew (unless outdated)."""
        if result.job.generation != self.generation:
            return
        self._pending = False
        self._figure = result.figure
        self._image = result.image
        self._message = result.error
        self.cut_texts = result.cut_texts
        self.setToolTip("\n".join(self.cut_texts))
        self.update()
        self.drawn.emit()
        if self._figure is not None and self._target() != self._asked:  # resized meanwhile
            self._resize_timer.start()

    def _redraw_at_size(self) -> None:
        if self._figure is not None and not self._pending and self._target() != self._asked:
            self._ask(None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._figure is not None:
            self._resize_timer.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._figure is not None and self._target() != self._asked:
            self._resize_timer.start()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(self.rect()), self._image, QRectF(self._image.rect()))
        text = self._message or ("Graphique en préparation…" if self._pending and self._image is None else "")
        if text:
            painter.setPen(QColor("#555555"))
            painter.drawText(
                self.rect().adjusted(8, 8, -8, -8), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text
            )
        painter.end()

    # -- maps: the commune under the cursor --------------------------------------------------
    def data_point(self, position: QPointF) -> tuple[float, float] | None:
        """Map coordinates under ``position`` (widget pixels), if it falls inside an axes."""
        figure, image = self._figure, self._image
        if figure is None or image is None or self._pending or self.width() <= 0 or self.height() <= 0:
            return None
        x = position.x() * image.width() / self.width()
        y = (self.height() - position.y()) * image.height() / self.height()
        for axes in figure.axes:
            if axes.bbox.contains(x, y):
                data_x, data_y = axes.transData.inverted().transform((x, y))
                return float(data_x), float(data_y)
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseMoveEvent(event)
        point = self.data_point(event.position())
        place = (place_at(self._figure, *point) or "") if point is not None and self._figure is not None else ""
        if place == self._hovered:
            return
        self._hovered = place
        if place:
            QToolTip.showText(event.globalPosition().toPoint(), place, self)
        else:
            QToolTip.hideText()
