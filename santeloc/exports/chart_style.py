"""What every chart and map shares: French numbers on the axes, texts that fit their figure.

* :func:`french_axes` replaces matplotlib's default tick formatter (``0.25``, ``12000``) by a
  French one (``0,25``, ``12 000`` with a narrow no-break space) on every axis that still has it.
* :func:`fit_texts` wraps a title or an axis label, wraps or cuts legend labels when they overflow the
  figure at its current size (a chart shown in a narrow pane), and shows or hides optional
  labels (commune names on a map) depending on whether they fit their place. It returns the
  full texts it had to cut, for a tooltip.

No Qt here: the GUI calls :func:`fit_texts` when a canvas is resized, the exports before saving.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.ticker import ScalarFormatter
from matplotlib.transforms import Bbox

NNBSP = "\u202f"  # narrow no-break space: the French thousands separator
PAD = 4.0  # pixels kept free at the figure's edges
_GROUPS = re.compile(r"(\d)(?=(\d{3})+(?!\d))")


def french_number_text(text: str) -> str:
    """``"12000.5"`` → ``"12 000,5"``: decimal comma, narrow spaces between thousands."""

    def fix(match: re.Match[str]) -> str:
        whole, _dot, decimals = match.group(0).partition(".")
        grouped = _GROUPS.sub(r"\1" + NNBSP, whole)
        return grouped + ("," + decimals if decimals else "")

    return re.sub(r"\d+(?:\.\d+)?", fix, text)


class FrenchFormatter(ScalarFormatter):
    """matplotlib's default tick formatter, with French decimal commas and thousands separators."""

    def __init__(self) -> None:
        super().__init__(useOffset=False)
        self.set_scientific(False)

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The tick label of ``x``, in French."""
        return french_number_text(super().__call__(x, pos))


def french_axes(figure: Figure) -> Figure:
    """Put :class:`FrenchFormatter` on every axis of ``figure`` that has matplotlib's default one."""
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(FrenchFormatter())
    return figure


# --------------------------------------------------------------------------- fitting texts


@dataclass
class _Optional:
    """A label drawn only when it fits ``area`` (data coordinates of its axes) without overlap."""

    text: Text
    area: Bbox
    priority: float


_FULL: WeakKeyDictionary[Text, str] = WeakKeyDictionary()  # what a title or legend label says in full
_OPTIONAL: WeakKeyDictionary[Figure, list[_Optional]] = WeakKeyDictionary()
_LEGEND_FULL: WeakKeyDictionary[Legend, list[str]] = WeakKeyDictionary()  # a legend's labels in full
_NCOLS: WeakKeyDictionary[Legend, int] = WeakKeyDictionary()  # a legend's columns as designed


def add_optional_label(figure: Figure, text: Text, area: Bbox, priority: float = 0.0) -> None:
    """Register ``text`` as shown only where it fits ``area`` (higher ``priority`` placed first)."""
    _OPTIONAL.setdefault(figure, []).append(_Optional(text, area, priority))


def optional_labels(figure: Figure) -> list[Text]:
    """The optional labels of ``figure`` (visible or not)."""
    return [entry.text for entry in _OPTIONAL.get(figure, [])]


def titles(figure: Figure) -> Iterator[Text]:
    """The titles of ``figure``: its suptitle, each axes' left, centre and right titles and x label."""
    suptitle: Text | None = getattr(figure, "_suptitle", None)  # no public getter in matplotlib
    if suptitle is not None and suptitle.get_text():
        yield suptitle
    for axes in figure.axes:
        candidates = (
            axes.title,
            getattr(axes, "_left_title", None),
            getattr(axes, "_right_title", None),
            axes.xaxis.label,
        )
        for text in candidates:
            if isinstance(text, Text) and text.get_text():
                yield text


def legends(figure: Figure) -> list[Legend]:
    """Every legend of ``figure`` (the figure's and the axes'), shown or hidden by :func:`fit_texts`."""
    found = list(figure.legends)
    for axes in figure.axes:
        legend = axes.get_legend()
        if legend is not None:
            found.append(legend)
    return found


def renderer_of(figure: Figure) -> RendererBase:
    """A renderer for ``figure`` (an Agg canvas is attached to a figure that has none)."""
    if not hasattr(figure.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(figure)
    return figure.canvas.get_renderer()  # type: ignore[attr-defined]


def overflows(extent: Bbox, figure: Figure) -> bool:
    """Whether ``extent`` (display pixels) leaves the figure."""
    box = figure.bbox
    return extent.x0 < box.x0 - 0.5 or extent.x1 > box.x1 + 0.5 or extent.y0 < box.y0 - 0.5 or extent.y1 > box.y1 + 0.5


def _layout(figure: Figure) -> None:
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)


def _room(text: Text, extent: Bbox, figure: Figure) -> float:
    """How wide ``text`` may be where it is anchored (left, centre or right) inside the figure."""
    box = figure.bbox
    align = text.get_horizontalalignment()
    if align == "left":
        return box.x1 - PAD - max(extent.x0, box.x0 + PAD)
    if align == "right":
        return min(extent.x1, box.x1 - PAD) - box.x0 - PAD
    centre = (extent.x0 + extent.x1) / 2
    return 2 * (min(centre - box.x0, box.x1 - centre) - PAD)


def _fit_title(text: Text, figure: Figure, renderer: RendererBase) -> bool:
    """Wrap a title or an axis label until it fits the figure's width; whether it had to."""
    full = _FULL.setdefault(text, text.get_text())
    text.set_text(full)
    extent = text.get_window_extent(renderer)
    if not overflows(extent, figure):
        return False
    longest = max(len(line) for line in full.splitlines())
    width = max(8, int(longest * _room(text, extent, figure) / max(extent.width, 1.0)))
    for _attempt in range(6):
        text.set_text(textwrap.fill(" ".join(full.split()), width))
        if not overflows(text.get_window_extent(renderer), figure) or width <= 8:
            break
        width = max(8, int(width * 0.85))
    return True


def _columns(legend: Legend) -> int:
    return int(getattr(legend, "_ncols", 1))


def _relayout(legend: Legend, labels: list[str], ncols: int) -> None:
    """Lay a legend out again with ``ncols`` columns and ``labels`` (matplotlib does it only when made)."""
    legend.set_ncols(ncols)
    init = getattr(legend, "_init_legend_box", None)
    if init is None:  # a future matplotlib: keep the columns, change the texts
        for text, label in zip(legend.get_texts(), labels, strict=False):
            text.set_text(label)
        return
    init(list(legend.legend_handles), labels)


def _too_wide(extent: Bbox, figure: Figure) -> bool:
    return extent.x0 < figure.bbox.x0 - 0.5 or extent.x1 > figure.bbox.x1 + 0.5


def _too_tall(extent: Bbox, figure: Figure) -> bool:
    return extent.y0 < figure.bbox.y0 - 0.5 or extent.y1 > figure.bbox.y1 + 0.5


def _fit_legend(legend: Legend, figure: Figure, renderer: RendererBase) -> bool:
    """Fewer columns, then wrapped or cut labels, until a legend fits; whether it had to.

    A legend that cannot fit the figure's height even so (forty communes in a small pane) is
    hidden; its labels go to the tooltip, and it comes back when the figure is larger.
    """
    full = _LEGEND_FULL.setdefault(legend, [t.get_text() for t in legend.get_texts()])
    designed = _NCOLS.setdefault(legend, _columns(legend))
    legend.set_visible(True)
    if _columns(legend) != designed or [t.get_text() for t in legend.get_texts()] != full:
        _relayout(legend, full, designed)

    def extent() -> Bbox:  # where the legend now lands (its place is only computed when drawn)
        figure.draw_without_rendering()
        return legend.get_window_extent(renderer)

    if not overflows(extent(), figure):
        return False
    while _columns(legend) > 1 and _too_wide(extent(), figure):
        _relayout(legend, full, _columns(legend) - 1)
        if _too_tall(extent(), figure):
            _relayout(legend, full, _columns(legend) + 1)
            break
    width = max((len(label) for label in full), default=0)
    while _too_wide(extent(), figure) and width > 6:
        width = int(width * 0.8)
        for text, label in zip(legend.get_texts(), full, strict=False):
            lines = textwrap.wrap(label, width) or [label]
            if len(lines) > 2:
                lines = [lines[0], _cut(" ".join(lines[1:]), width)]
            text.set_text("\n".join(lines))
    if overflows(extent(), figure):
        legend.set_visible(False)
        figure.draw_without_rendering()
    return True


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)].rstrip() + "…"


def _fit_optional(figure: Figure, renderer: RendererBase) -> None:
    """Show each optional label only inside its area and away from the labels already shown."""
    entries = sorted(_OPTIONAL.get(figure, []), key=lambda e: -e.priority)
    placed: list[Bbox] = []
    for entry in entries:
        entry.text.set_visible(True)
        extent = entry.text.get_window_extent(renderer)
        axes = entry.text.axes
        area = entry.area.transformed(axes.transData) if isinstance(axes, Axes) else figure.bbox
        fits = (
            extent.width <= area.width * 1.15
            and extent.height <= area.height * 1.3
            and not overflows(extent, figure)
            and not any(extent.overlaps(other) for other in placed)
        )
        entry.text.set_visible(fits)
        if fits:
            placed.append(extent.padded(2))


def fit_texts(figure: Figure, renderer: RendererBase | None = None) -> list[str]:
    """Make the titles, legends and optional labels of ``figure`` fit it at its current size.

    Returns the full texts of the titles and legend labels that had to be wrapped or cut.
    """
    renderer = renderer or renderer_of(figure)
    cut: list[str] = []
    for _pass in range(3):
        _layout(figure)
        changed = False
        for text in titles(figure):
            before = text.get_text()
            _fit_title(text, figure, renderer)
            changed = changed or text.get_text() != before
        for legend in legends(figure):
            before_texts = [t.get_text() for t in legend.get_texts()]
            _fit_legend(legend, figure, renderer)
            changed = changed or before_texts != [t.get_text() for t in legend.get_texts()]
        if not changed:
            break
    _layout(figure)
    _fit_optional(figure, renderer)
    for text in titles(figure):
        if text.get_text() != _FULL.get(text, text.get_text()):
            cut.append(_FULL[text])
    for legend in legends(figure):
        full = _LEGEND_FULL.get(legend, [])
        if not legend.get_visible():
            cut.append("Légende : " + " ; ".join(full))
            continue
        cut.extend(label for text, label in zip(legend.get_texts(), full, strict=False) if text.get_text() != label)
    return cut


def finish(figure: Figure) -> Figure:
    """French axes and fitted texts: what every figure gets before it is saved or shown."""
    french_axes(figure)
    fit_texts(figure)
    return figure
