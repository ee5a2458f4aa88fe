"""Charts of the diagnostic, built as matplotlib Figures (shown in Qt, saved into dossiers)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from santeloc.domain.formatting import format_decimal
from santeloc.services.indicators import AgeGroup, IndicatorRow

TERRITORY = "#2e7d6b"
DEPARTEMENT = "#9cc3b8"
REGION = "#c9d8d3"
ABOVE = "#c0392b"
BELOW = "#2471a3"
NEUTRAL = "#7f8c8d"
WRAP = 42


def _empty(figure: Figure, message: str) -> Figure:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555555", wrap=True)
    return figure


def _french_ticks(axes: object, digits: int = 0) -> None:
    from matplotlib.ticker import FuncFormatter

    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_decimal(v, digits)))  # type: ignore[attr-defined]


def comparison_chart(rows: Sequence[IndicatorRow], title: str = "", reference_label: str = "France") -> Figure:
    """Each indicator of the territory and its département and région, as an index (France = 100).

    Indicators without a France value are compared with the région, then the département; a
    marker says when the territory's indice comparatif is significantly above or below.
    """
    usable = [r for r in rows if r.value_territory is not None and _base(r) is not None]
    height = max(2.6, 0.62 * len(usable) + 1.4)
    figure = Figure(figsize=(7.5, height + 0.5), dpi=100, layout="constrained")
    if not usable:
        return _empty(figure, "Aucun indicateur avec une valeur du territoire et une valeur de référence.")
    axes = figure.add_subplot()
    labels = ["\n".join(textwrap.wrap(r.label, WRAP)) for r in usable]
    y = np.arange(len(usable))[::-1]
    width = 0.26
    series = (
        ("value_territory", "Territoire", TERRITORY, -width),
        ("value_departement", "Département", DEPARTEMENT, 0.0),
        ("value_region", "Région", REGION, width),
    )
    for key, name, colour, offset in series:
        values = [_index(getattr(r, key), r) for r in usable]
        axes.barh(y - offset, values, height=width, color=colour, label=name)
    axes.axvline(100, color="#333333", linewidth=1, linestyle="--")
    for yi, row in zip(y, usable, strict=True):
        value = _index(row.value_territory, row)
        marker, colour = _significance(row)
        text = f"{format_decimal(value, 0)}" + (f"  {marker}" if marker else "")
        axes.text(value, yi + width, f" {text}", va="center", fontsize=8, color=colour)
    axes.set_yticks(y, labels, fontsize=8)
    axes.set_xlabel(f"Indice ({reference_label} = 100, sinon région ou département = 100)", fontsize=8)
    _french_ticks(axes)
    handles: list[Patch | Line2D] = [Patch(color=c, label=n) for _k, n, c, _o in series]
    handles.append(Line2D([], [], color=ABOVE, marker="$▲$", linestyle="", label="significativement supérieur"))
    handles.append(Line2D([], [], color=BELOW, marker="$▼$", linestyle="", label="significativement inférieur"))
    axes.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.45, -0.14), ncol=3, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    if title:
        axes.set_title(title, fontsize=11, loc="left")
    return figure


def _index(value: float | None, row: IndicatorRow) -> float:
    """``value`` as an index of the row's base reference (France, else région, else département)."""
    base = _base(row)
    if value is None or not base:
        return float("nan")
    return 100 * value / base


def _base(row: IndicatorRow) -> float | None:
    for value in (row.value_france, row.value_region, row.value_departement):
        if value:
            return value
    return None


def _significance(row: IndicatorRow) -> tuple[str, str]:
    if row.smr is None:
        return "", "#1b1b1b"
    if row.smr.low > 100:
        return "▲", ABOVE
    if row.smr.high < 100:
        return "▼", BELOW
    return "", "#1b1b1b"


def smr_chart(rows: Sequence[IndicatorRow], title: str = "") -> Figure:
    """Indices comparatifs with their 95 % confidence intervals (100 = reference)."""
    usable = [r for r in rows if r.smr is not None]
    figure = Figure(figsize=(7.5, max(2.4, 0.5 * len(usable) + 1.4)), dpi=100, layout="constrained")
    if not usable:
        return _empty(figure, "Aucun indicateur avec effectifs observés et attendus.")
    axes = figure.add_subplot()
    y = np.arange(len(usable))[::-1]
    for yi, row in zip(y, usable, strict=True):
        smr = row.smr
        assert smr is not None
        colour = ABOVE if smr.low > 100 else BELOW if smr.high < 100 else NEUTRAL
        axes.plot([smr.low, smr.high], [yi, yi], color=colour, linewidth=2)
        axes.plot([smr.index], [yi], "o", color=colour)
        axes.text(smr.high, yi, f"  {format_decimal(smr.index, 0)} [{format_decimal(smr.low, 0)} ; {format_decimal(smr.high, 0)}]",
                  va="center", fontsize=8)  # fmt: skip
    axes.axvline(100, color="#333333", linewidth=1, linestyle="--")
    axes.set_yticks(y, ["\n".join(textwrap.wrap(r.label, WRAP)) for r in usable], fontsize=8)
    axes.set_xlabel("Indice comparatif et intervalle de confiance à 95 %\n(référence = 100)", fontsize=8)
    _french_ticks(axes)
    axes.spines[["top", "right"]].set_visible(False)
    if title:
        axes.set_title(title, fontsize=11, loc="left")
    return figure


def population_pyramid(
    territory: Sequence[AgeGroup], reference: Sequence[AgeGroup] = (), reference_label: str = "Référence"
) -> Figure:
    """Age pyramid of the territory in shares of its population, the reference as an outline."""
    figure = Figure(figsize=(6.5, max(3.0, 0.28 * len(territory) + 1.6)), dpi=100, layout="constrained")
    total = sum(g.men + g.women for g in territory)
    if not territory or total == 0:
        return _empty(figure, "Importez la table des âges du territoire (INSEE) pour voir sa pyramide.")
    axes = figure.add_subplot()
    y = np.arange(len(territory))
    men = np.array([100 * g.men / total for g in territory])
    women = np.array([100 * g.women / total for g in territory])
    axes.barh(y, -men, color="#5d8aa8", height=0.9, label="Hommes (territoire)")
    axes.barh(y, women, color="#d98c8c", height=0.9, label="Femmes (territoire)")
    ref_total = sum(g.men + g.women for g in reference)
    if reference and ref_total and len(reference) == len(territory):
        ref_men = np.array([100 * g.men / ref_total for g in reference])
        ref_women = np.array([100 * g.women / ref_total for g in reference])
        edges = np.append(y - 0.45, y[-1] + 0.45)
        axes.stairs(-ref_men, edges, orientation="horizontal", color="#222222", linewidth=1.2, label=reference_label)
        axes.stairs(ref_women, edges, orientation="horizontal", color="#222222", linewidth=1.2)
    axes.set_yticks(y, [g.label for g in territory], fontsize=8)
    limit = max(men.max(), women.max()) * 1.15
    axes.set_xlim(-limit, limit)
    from matplotlib.ticker import FuncFormatter

    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{format_decimal(abs(v), 0)} %"))
    axes.set_xlabel("Part de la population (%)")
    axes.axvline(0, color="#333333", linewidth=0.8)
    axes.legend(fontsize=7, loc="upper right")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title("Pyramide des âges", fontsize=11, loc="left")
    return figure
