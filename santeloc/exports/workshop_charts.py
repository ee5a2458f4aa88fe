"""Charts of the workshop mode: one indicator per slide, and the result of the priority vote.

Built as matplotlib Figures (shown full screen in Qt for a projector, savable as PNG), with
large type: they are read from the back of a village hall."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from santeloc.domain.formatting import format_decimal
from santeloc.services.indicators import IndicatorRow

WINNER = "#2e7d6b"
OTHERS = "#8fbcb0"
INK = "#1b1b1b"
MUTED = "#555555"
WRAP = 50


def _number(value: float) -> str:
    """``12.0`` → ``12``, ``2.5`` → ``2,5`` (French decimal comma)."""
    return format_decimal(value, 0) if float(value).is_integer() else format_decimal(value, 1)


def vote_chart(scores: Mapping[str, float], *, unit: str = "points", title: str = "") -> Figure:
    """The candidate priorities as horizontal bars, best score on top, each bar labelled.

    ``scores``: score of each candidate by its title (points summed, or Borda points of a
    ranking vote); candidates with equal scores keep the order they are given in. The leading
    candidates (every one tied for first place) are drawn in the strong colour.
    """
    ordered = sorted(scores.items(), key=lambda item: -item[1])  # stable: ties keep their order
    figure = Figure(figsize=(8.0, max(2.8, 0.62 * len(ordered) + 1.2)), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    if not ordered:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Aucune priorité soumise au vote.", ha="center", va="center", fontsize=12, color=MUTED)
        return figure
    values = np.array([score for _title, score in ordered], dtype=float)
    y = np.arange(len(ordered))[::-1]
    best = values.max()
    colours = [WINNER if best > 0 and value == best else OTHERS for value in values]
    axes.barh(y, values, color=colours, height=0.68)
    top = best if best > 0 else 1.0
    for yi, value in zip(y, values, strict=True):
        axes.text(value + top * 0.015, yi, _number(value), va="center", ha="left", fontsize=12, fontweight="bold",
                  color=INK)  # fmt: skip
    labels = ["\n".join(textwrap.wrap(name, WRAP)) or name for name, _score in ordered]
    axes.set_yticks(y, labels, fontsize=10, color=INK)
    axes.set_xlim(0, top * 1.12)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _number(v)))
    axes.tick_params(axis="x", labelsize=9, colors=MUTED)
    axes.tick_params(axis="y", length=0)
    axes.set_xlabel(unit[:1].upper() + unit[1:], fontsize=10, color=MUTED)
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.grid(axis="x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    if title:
        axes.set_title(title, fontsize=13, loc="left", color=INK)
    return figure


ABOVE = "#c0392b"
BELOW = "#2471a3"
NEUTRAL = "#7f8c8d"
REFERENCE_COLOURS = ("#9fb5ae", "#bccbc6", "#d6dfdc")


def _value(value: float) -> str:
    """A value as the ORS print it, without trailing zeros: ``9,9``, ``312,5``, ``1 012``."""
    if float(value).is_integer():
        return format_decimal(value, 0)
    return format_decimal(value, 2 if abs(value) < 10 else 1).rstrip("0").rstrip(",")


def indicator_chart(row: IndicatorRow, *, departement: str = "Département", region: str = "Région") -> Figure:
    """One indicator for a slide: the territory's value beside its references (named), and,
    when the counts are known, its indice comparatif with the 95 % interval and the verdict.

    Large type for a projector; ``departement`` and ``region`` name the reference levels.
    """
    bars = [
        (name, value, colour)
        for name, value, colour in (
            ("Territoire", row.value_territory, WINNER),
            (departement, row.value_departement, REFERENCE_COLOURS[0]),
            (region, row.value_region, REFERENCE_COLOURS[1]),
            ("France", row.value_france, REFERENCE_COLOURS[2]),
        )
        if value is not None
    ]
    smr = row.smr
    panels = int(bool(bars)) + int(smr is not None)
    figure = Figure(figsize=(11.0, 3.6), dpi=100, layout="constrained")
    if panels == 0:
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Valeurs non renseignées.", ha="center", va="center", fontsize=14, color=MUTED)
        return figure
    grid = figure.add_gridspec(1, panels, width_ratios=[3, 2] if panels == 2 else [1])
    if bars:
        axes = figure.add_subplot(grid[0, 0])
        y = np.arange(len(bars))[::-1]
        values = [value for _name, value, _colour in bars]
        axes.barh(y, values, color=[colour for _n, _v, colour in bars], height=0.72)
        top = max(max(values), 0.0) or 1.0
        for yi, (name, value, _colour) in zip(y, bars, strict=True):
            axes.text(value + top * 0.015, yi, _value(value), va="center", ha="left", fontsize=15,
                      fontweight="bold" if name == "Territoire" else "normal", color=INK)  # fmt: skip
        axes.set_yticks(
            y,
            ["\n".join(textwrap.wrap(name, 24, break_on_hyphens=False)) for name, _v, _c in bars],
            fontsize=14,
            color=INK,
        )
        for tick, (name, _v, _c) in zip(axes.get_yticklabels(), bars, strict=True):
            if name == "Territoire":
                tick.set_fontweight("bold")
        axes.set_xlim(min(0.0, min(values) * 1.15), top * 1.18)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _value(v)))
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.tick_params(axis="x", labelsize=12, colors=MUTED)
        axes.tick_params(axis="y", length=0)
        axes.set_xlabel(row.unit_label, fontsize=12, color=MUTED)
        axes.spines[["top", "right", "left"]].set_visible(False)
        axes.grid(axis="x", color="#dddddd", linewidth=0.8)
        axes.set_axisbelow(True)
    if smr is not None:
        axes = figure.add_subplot(grid[0, panels - 1])
        colour = ABOVE if smr.low > 100 else BELOW if smr.high < 100 else NEUTRAL
        verdict = (
            "Significativement supérieur"
            if smr.low > 100
            else "Significativement inférieur"
            if smr.high < 100
            else "Écart non significatif"
        )
        axes.plot([smr.low, smr.high], [0, 0], color=colour, linewidth=6, solid_capstyle="butt")
        axes.plot([smr.index], [0], "o", color=colour, markersize=16, markeredgecolor="white", markeredgewidth=2)
        axes.axvline(100, color="#333333", linewidth=1.2, linestyle="--")
        axes.text(smr.index, 0.32, format_decimal(smr.index, 0), fontsize=20, fontweight="bold", color=colour,
                  ha="center", va="bottom")  # fmt: skip
        axes.text((smr.low + smr.high) / 2, -0.3, f"de {format_decimal(smr.low, 0)} à {format_decimal(smr.high, 0)}",
                  fontsize=13, color=INK, ha="center", va="top")  # fmt: skip
        low, high = min(smr.low, 100.0), max(smr.high, 100.0)
        pad = (high - low) * 0.15 or 10.0
        axes.set_xlim(low - pad, high + pad)
        axes.set_ylim(-1, 1)
        axes.set_yticks([])
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.tick_params(axis="x", labelsize=12, colors=MUTED)
        axes.spines[["top", "right", "left"]].set_visible(False)
        axes.set_xlabel(
            "Indice comparatif et son intervalle\nde confiance à 95 % (référence = 100)", fontsize=12, color=MUTED
        )
        axes.set_title(verdict, fontsize=16, fontweight="bold", color=colour, loc="left")
    return figure
