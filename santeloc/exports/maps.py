"""Maps drawn from the shipped commune outlines, with matplotlib and no network.

Figures are built without pyplot, so the same :class:`~matplotlib.figure.Figure` is shown in
the GUI (``FigureCanvasQTAgg``) and saved as PNG into the dossiers.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from santeloc.domain.formatting import format_decimal
from santeloc.exports.chart_style import add_optional_label
from santeloc.refdata.geo import RefData

TERRITORY_COLOUR = "#2e7d6b"
TERRITORY_EDGE = "#ffffff"
CONTEXT_COLOUR = "#e4e8e6"
CONTEXT_EDGE = "#ffffff"
MARGIN_RATIO = 0.25
MAX_LABELS = 400  # commune names considered for a label (the most populated first); each shows if it fits


@dataclass(frozen=True)
class _Place:
    """A commune's outline and what to say when the cursor is over it."""

    label: str
    path: Path
    box: Bbox


_PLACES: WeakKeyDictionary[Figure, list[_Place]] = WeakKeyDictionary()


def _register_places(figure: Figure, places: list[tuple[str, list[np.ndarray]]]) -> None:
    """Remember each commune's outline so :func:`place_at` can name it under the cursor."""
    found = _PLACES.setdefault(figure, [])
    for label, rings in places:
        for ring in rings:
            path = Path(ring)
            found.append(_Place(label, path, path.get_extents()))


def place_at(figure: Figure, x: float, y: float) -> str | None:
    """The commune (and its value, on a choropleth) at ``(x, y)`` in map coordinates, if any."""
    for place in _PLACES.get(figure, []):
        if place.box.contains(x, y) and place.path.contains_point((x, y)):
            return place.label
    return None


def _name_communes(axes: Axes, figure: Figure, refdata: RefData, codes: Sequence[str]) -> None:
    """Commune names, each shown only where it fits its commune at the figure's current size."""
    outlines = refdata.outlines(list(codes))
    communes = [refdata.communes[c] for c in codes if c in refdata.communes]
    communes.sort(key=lambda c: -(c.population or 0))
    for commune in communes[:MAX_LABELS]:
        rings = outlines.get(commune.code, [])
        if commune.lat is None or commune.lon is None or not rings:
            continue
        stacked = np.vstack(rings)
        area = Bbox([stacked.min(axis=0), stacked.max(axis=0)])
        text = axes.text(
            commune.lon,
            commune.lat,
            commune.name,
            fontsize=7,
            ha="center",
            va="center",
            color="#1b1b1b",
            clip_on=True,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
        add_optional_label(figure, text, area, priority=float(commune.population or 0))


def _rings(refdata: RefData, codes: Sequence[str]) -> list[np.ndarray]:
    outlines = refdata.outlines(codes)
    return [ring for code in codes for ring in outlines.get(code, [])]


def _context_codes(refdata: RefData, codes: set[str], bounds: tuple[float, float, float, float]) -> list[str]:
    """Communes around the territory, drawn in grey so the reader sees where it lies."""
    lon_min, lon_max, lat_min, lat_max = bounds
    candidates = refdata.centres(list(refdata.communes))
    inside = (
        (candidates[:, 0] >= lat_min)
        & (candidates[:, 0] <= lat_max)
        & (candidates[:, 1] >= lon_min)
        & (candidates[:, 1] <= lon_max)
    )
    all_codes = list(refdata.communes)
    return [all_codes[i] for i in np.flatnonzero(inside) if all_codes[i] not in codes]


def territory_map(
    refdata: RefData,
    codes: Sequence[str],
    *,
    title: str = "",
    figsize: tuple[float, float] = (6.0, 5.0),
    labels: bool = True,
) -> Figure:
    """Map of a territory: its communes in colour over their neighbours in grey.

    An empty territory gives a figure that says so, rather than an empty frame.
    """
    figure = Figure(figsize=figsize, dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.set_axis_off()
    rings = _rings(refdata, codes)
    if not rings:
        message = "Aucune commune dans le territoire" if not codes else "Contours des communes indisponibles"
        axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555555", transform=axes.transAxes)
        return figure
    stacked = np.vstack(rings)
    lon_min, lat_min = stacked.min(axis=0)
    lon_max, lat_max = stacked.max(axis=0)
    pad_lon = max((lon_max - lon_min) * MARGIN_RATIO, 0.02)
    pad_lat = max((lat_max - lat_min) * MARGIN_RATIO, 0.02)
    bounds = (lon_min - pad_lon, lon_max + pad_lon, lat_min - pad_lat, lat_max + pad_lat)
    context = _context_codes(refdata, set(codes), bounds)
    context_rings = _rings(refdata, context)
    if context_rings:
        axes.add_collection(
            PolyCollection(context_rings, facecolors=CONTEXT_COLOUR, edgecolors=CONTEXT_EDGE, linewidths=0.6)
        )
    axes.add_collection(
        PolyCollection(rings, facecolors=TERRITORY_COLOUR, edgecolors=TERRITORY_EDGE, linewidths=0.8, alpha=0.9)
    )
    outlines = refdata.outlines(list(codes))
    _register_places(figure, [(_name(refdata, c), outlines.get(c, [])) for c in codes])
    neighbours = refdata.outlines(context)
    _register_places(figure, [(f"{_name(refdata, c)} (hors territoire)", neighbours.get(c, [])) for c in context])
    if labels:
        _name_communes(axes, figure, refdata, codes)
    axes.set_xlim(bounds[0], bounds[1])
    axes.set_ylim(bounds[2], bounds[3])
    # Equirectangular view corrected for latitude, so shapes are not stretched.
    mid_lat = (lat_min + lat_max) / 2
    axes.set_aspect(1 / math.cos(math.radians(mid_lat)))
    _scale_bar(axes, bounds, mid_lat)
    if title:
        axes.set_title(title, fontsize=11)
    return figure


def _value_text(value: float) -> str:
    if value != value:
        return "non calculé"
    return format_decimal(value, 1 if abs(value) >= 10 else 2)


def _name(refdata: RefData, code: str) -> str:
    commune = refdata.communes.get(code)
    return commune.name if commune is not None else code


def _scale_bar(axes: object, bounds: tuple[float, float, float, float], mid_lat: float) -> None:
    """A simple kilometre scale in the lower left corner."""
    lon_min, lon_max, lat_min, lat_max = bounds
    km_per_degree = 111.32 * math.cos(math.radians(mid_lat))
    width_km = (lon_max - lon_min) * km_per_degree
    target = width_km / 5
    nice = min((1, 2, 5, 10, 20, 50, 100, 200), key=lambda v: abs(v - target))
    x0 = lon_min + (lon_max - lon_min) * 0.05
    y0 = lat_min + (lat_max - lat_min) * 0.05
    x1 = x0 + nice / km_per_degree
    axes.plot([x0, x1], [y0, y0], color="#333333", linewidth=2)  # type: ignore[attr-defined]
    axes.text((x0 + x1) / 2, y0 + (lat_max - lat_min) * 0.015, f"{nice} km", ha="center", va="bottom", fontsize=7)  # type: ignore[attr-defined]


def choropleth_map(
    refdata: RefData,
    values: dict[str, float],
    *,
    title: str,
    legend_label: str,
    sites: Sequence[str] = (),
    reverse: bool = False,
    figsize: tuple[float, float] = (6.0, 5.0),
    threshold: float | None = None,
    sites_label: str = "Lieu d'exercice",
) -> Figure:
    """Communes coloured by a value (accessibility, travel time, density), with a colour bar.

    ``sites``: communes where professionals practise, marked with a dot. ``reverse``: higher is
    worse (travel time), so the colours run the other way. Communes without a value are grey.
    ``threshold`` (e.g. the APL's 2,5): colours turn from red to green at it, communes under it
    are hatched and the colour bar marks it.
    """
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    figure = Figure(figsize=figsize, dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.set_axis_off()
    codes = list(values)
    finite = [v for v in values.values() if v == v]
    rings_by_code = refdata.outlines(codes)
    if not codes or not finite or not any(rings_by_code.values()):
        axes.text(0.5, 0.5, "Rien à cartographier pour l'instant", ha="center", va="center", transform=axes.transAxes)
        return figure
    cmap = colormaps["RdYlGn_r" if reverse else "RdYlGn"]
    norm: Normalize = Normalize(vmin=min(finite), vmax=max(finite) if max(finite) > min(finite) else min(finite) + 1)
    if threshold is not None:
        from matplotlib.colors import TwoSlopeNorm

        spread = max(abs(v - threshold) for v in finite) or 1.0
        norm = TwoSlopeNorm(vcenter=threshold, vmin=min(min(finite), threshold - spread),
                            vmax=max(max(finite), threshold + spread))  # fmt: skip
    rings, colours = [], []
    for code in codes:
        value = values[code]
        colour = cmap(norm(value)) if value == value else (0.8, 0.8, 0.8, 1.0)
        for ring in rings_by_code.get(code, []):
            rings.append(ring)
            colours.append(colour)
    axes.add_collection(PolyCollection(rings, facecolors=colours, edgecolors="white", linewidths=0.5))
    if threshold is not None:
        below = [
            ring for c in codes if values[c] == values[c] and values[c] < threshold for ring in rings_by_code.get(c, [])
        ]
        if below:
            axes.add_collection(PolyCollection(below, facecolors="none", edgecolors="#4d4d4d", linewidths=0.0,
                                               hatch="///", label=f"Sous le seuil de {format_decimal(threshold, 1)}"))  # fmt: skip
    _register_places(
        figure,
        [(f"{_name(refdata, c)} — {legend_label} : {_value_text(values[c])}", rings_by_code.get(c, [])) for c in codes],
    )
    _name_communes(axes, figure, refdata, codes)
    stacked = np.vstack(rings)
    lon_min, lat_min = stacked.min(axis=0)
    lon_max, lat_max = stacked.max(axis=0)
    pad = max(lon_max - lon_min, lat_max - lat_min) * 0.05
    axes.set_xlim(lon_min - pad, lon_max + pad)
    axes.set_ylim(lat_min - pad, lat_max + pad)
    mid_lat = (lat_min + lat_max) / 2
    axes.set_aspect(1 / math.cos(math.radians(mid_lat)))
    points = [refdata.communes[c] for c in dict.fromkeys(sites) if c in refdata.communes]
    located = [(c.lon, c.lat) for c in points if c.lat is not None and c.lon is not None]
    if located:
        xs = [float(lon) for lon, _lat in located]
        ys = [float(lat) for _lon, lat in located]
        axes.scatter(xs, ys, s=14, color="#1b1b1b", zorder=3, label=sites_label)
    if located or threshold is not None:
        handles, _labels = axes.get_legend_handles_labels()
        if handles:
            axes.legend(fontsize=7, loc="lower right")
    bar = figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=axes, shrink=0.7)
    bar.set_label("\n".join(textwrap.wrap(legend_label, 36)), fontsize=8)  # a long unit on two lines, not cut
    if threshold is not None:
        bar.ax.axhline(threshold, color="#1b1b1b", linewidth=1.5)
        bar.ax.text(-0.15, threshold, f"seuil {format_decimal(threshold, 1)}", transform=bar.ax.get_yaxis_transform(),
                    ha="right", va="center", fontsize=7)  # fmt: skip
    _scale_bar(axes, (lon_min - pad, lon_max + pad, lat_min - pad, lat_max + pad), mid_lat)
    axes.set_title(title, fontsize=11)
    return figure
