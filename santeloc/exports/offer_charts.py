"""Charts of the care offer: professionals' age pyramid and density now and at 5 and 10 years."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from santeloc.analysis.demography import AgePyramid, ProfessionDemography
from santeloc.domain.formatting import format_decimal

PALETTE = ("#2e7d6b", "#5d8aa8", "#e0a526", "#8e6c8a", "#c76b4a", "#6b8e23", "#4a6fa5", "#b5838d", "#7f8c8d", "#3d5a80")


def _empty(figure: Figure, message: str) -> Figure:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555555")
    return figure


def professionals_pyramid(pyramid: AgePyramid, labels: Mapping[str, str]) -> Figure:
    """Professionals by age band, stacked by profession; unknown ages said below."""
    figure = Figure(figsize=(6.5, 4.0), dpi=100, layout="constrained")
    if not pyramid.counts or not any(sum(v) for v in pyramid.counts.values()):
        return _empty(figure, "Âges inconnus : saisissez l'année de naissance des professionnels.")
    axes = figure.add_subplot()
    y = np.arange(len(pyramid.labels))
    left = np.zeros(len(pyramid.labels))
    for index, (profession, counts) in enumerate(pyramid.counts.items()):
        values = np.array(counts, dtype=float)
        axes.barh(y, values, left=left, color=PALETTE[index % len(PALETTE)], label=labels.get(profession, profession))
        left += values
    axes.set_yticks(y, list(pyramid.labels), fontsize=8)
    axes.set_xlabel("Nombre de professionnels")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    unknown = sum(pyramid.unknown.values())
    title = "Âge des professionnels"
    if unknown:
        title += f" (âge inconnu pour {unknown})"
    axes.set_title(title, fontsize=11, loc="left")
    figure.legend(fontsize=6, loc="outside lower center", ncol=2, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def density_outlook(demographies: Mapping[str, ProfessionDemography], labels: Mapping[str, str]) -> Figure:
    """Density per 10 000 inhabitants today and at 5 and 10 years, without new settlement."""
    rows = [d for d in demographies.values() if d.density_per_10000 is not None]
    figure = Figure(figsize=(6.5, max(2.6, 0.55 * len(rows) + 1.4)), dpi=100, layout="constrained")
    if not rows:
        return _empty(figure, "Aucun professionnel recensé sur le territoire.")
    axes = figure.add_subplot()
    y = np.arange(len(rows))[::-1]
    width = 0.26
    series = [("Aujourd'hui", [d.density_per_10000 for d in rows], "#2e7d6b")]
    for horizon, colour in ((5, "#e0a526"), (10, "#c0392b")):
        values = [d.projections[horizon].density_per_10000 if horizon in d.projections else None for d in rows]
        series.append((f"Dans {horizon} ans", values, colour))
    for offset, (name, values, colour) in zip((-width, 0.0, width), series, strict=True):
        numbers = [v if v is not None else np.nan for v in values]
        axes.barh(y - offset, numbers, height=width, color=colour, label=name)
        for yi, value in zip(y - offset, numbers, strict=True):
            if not np.isnan(value):
                axes.text(value, yi, f" {format_decimal(value, 1)}", va="center", fontsize=7)
    axes.set_yticks(y, [labels.get(d.profession, d.profession) for d in rows], fontsize=8)
    axes.set_xlabel("Pour 10 000 habitants, sans nouvelle installation", fontsize=8)
    axes.legend(fontsize=7, loc="lower right")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title("Densité à 0, 5 et 10 ans", fontsize=10, loc="left")
    return figure
