"""Charts of the inhabitants' questionnaire (step 4): one question's answers, and the same
answers by commune or by age group. Built as matplotlib Figures (shown in Qt, saved into dossiers)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from santeloc.domain.enums import QuestionKind
from santeloc.domain.formatting import format_decimal, format_int, plural
from santeloc.services.survey import CrossTabulation, Tabulation

BAR = "#2e7d6b"
WHOLE = "#7f8c8d"
PALETTE = ("#2e7d6b", "#e0a526", "#5d8aa8", "#c76b4a", "#8e6c8a", "#6b8e23", "#4a6fa5", "#b5838d", "#7f8c8d", "#3d5a80")
# From "not at all" (red) to "fully" (green); a scale of n levels takes n of them spread evenly.
SCALE_COLOURS = ("#b2182b", "#e0702e", "#f4c542", "#a6d96a", "#4aa564", "#1a7040")
WRAP = 34
TITLE_WRAP = 64
MIN_SLOTS = 6  # fewer bars than this are drawn as thin as six would be


def _wrap(text: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _empty(figure: Figure, message: str) -> Figure:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, _wrap(message, 50), ha="center", va="center", fontsize=11, color="#555555")
    return figure


def empty_chart(message: str) -> Figure:
    """A chart area saying why there is nothing to draw."""
    return _empty(Figure(figsize=(6.5, 3.0), dpi=100, layout="constrained"), message)


def _percent_axis(axes: Axes) -> None:
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{format_decimal(v, 0)} %"))


def _title(figure: Figure, code: str, text: str) -> None:
    """The question as the chart's title, from the figure's left edge (long questions wrap)."""
    figure.suptitle(_wrap(f"{code}. {text}", TITLE_WRAP), fontsize=10, x=0.01, ha="left")


def _slots(axes: Axes, count: int) -> None:
    """Keep bars thin when there are only a few of them."""
    spare = max(0.0, (MIN_SLOTS - count) / 2)
    axes.set_ylim(-0.6 - spare, count - 0.4 + spare)


def scale_colours(count: int) -> list[str]:
    """``count`` colours from red (lowest level) to green (highest)."""
    if count <= 1:
        return [SCALE_COLOURS[-1]]
    return [SCALE_COLOURS[round(i * (len(SCALE_COLOURS) - 1) / (count - 1))] for i in range(count)]


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    red, green, blue = to_rgb(colour)
    return "#1b1b1b" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.6 else "white"


def tabulation_chart(tab: Tabulation) -> Figure:
    """A question's answers as horizontal bars: the share of respondents giving each answer
    (choices, scale) or how many gave each value (numbers). Free answers are not charted."""
    question = tab.question
    figure = Figure(figsize=(6.5, max(2.8, 0.42 * len(tab.rows) + 1.6)), dpi=100, layout="constrained")
    if question.kind == QuestionKind.TEXT.value:
        return _empty(figure, "Réponses libres : elles se lisent dans la liste, sans graphique.")
    if not tab.answered or not tab.rows:
        return _empty(figure, f"Aucune réponse importée pour la question {question.code}.")
    axes = figure.add_subplot()
    y = np.arange(len(tab.rows))[::-1]
    if question.kind == QuestionKind.NUMBER.value:
        counts = [row.count for row in tab.rows]
        axes.barh(y, counts, color=BAR, height=0.7)
        for yi, count in zip(y, counts, strict=True):
            axes.text(count, yi, f" {format_int(count)}", va="center", fontsize=8)
        axes.set_xlabel(f"Nombre de répondants ({format_int(tab.answered)} en tout)", fontsize=8)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max(counts) * 1.2)
    else:
        shares = [row.share for row in tab.rows]
        scale = question.kind == QuestionKind.SCALE.value
        colours = scale_colours(len(shares)) if scale else [BAR] * len(shares)
        axes.barh(y, shares, color=colours, height=0.7)
        for yi, row in zip(y, tab.rows, strict=True):
            label = f" {format_decimal(row.share, 0)} % ({format_int(row.count)})"
            axes.text(row.share, yi, label, va="center", fontsize=8)
        multiple = question.kind == QuestionKind.MULTIPLE.value
        axes.set_xlim(0, max(100.0, max(shares) * 1.2) if multiple else 118)
        axes.set_xticks([0, 20, 40, 60, 80, 100])
        _percent_axis(axes)
        axes.set_xlabel(f"Part des {plural(tab.answered, 'répondant')}", fontsize=8)
    axes.set_yticks(y, [_wrap(row.label) for row in tab.rows], fontsize=8)
    _slots(axes, len(tab.rows))
    axes.tick_params(axis="x", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    _title(figure, question.code, question.text)
    return figure


def cross_tabulation_chart(cross: CrossTabulation) -> Figure:
    """A question's answers by commune or age group, beside the whole ("Ensemble").

    One answer per person (single choice, scale): each group's answers stacked as shares of its
    respondents. Several answers per person: a table of shares coloured by their size. Numbers:
    each group's mean.
    """
    question = cross.question
    rows = [*cross.rows, cross.total]
    figure = Figure(figsize=(6.5, max(3.0, 0.5 * len(rows) + 2.0)), dpi=100, layout="constrained")
    if not cross.total.answered:
        return _empty(figure, f"Aucune réponse importée pour la question {question.code}.")
    axes = figure.add_subplot()
    labels = [_wrap(f"{r.group} ({format_int(r.answered)})", 28) for r in rows]
    if question.kind == QuestionKind.MULTIPLE.value and cross.categories:
        _heatmap(figure, axes, cross.categories, [list(r.shares) for r in rows], labels)
    else:
        y = np.arange(len(rows))[::-1]
        if question.kind == QuestionKind.NUMBER.value or not cross.categories:
            _means(axes, y, [r.mean for r in rows])
        else:
            _stacked(figure, axes, y, cross.categories, [list(r.shares) for r in rows], question.kind)
        axes.set_yticks(y, labels, fontsize=8)
        _slots(axes, len(rows))
        axes.tick_params(axis="x", labelsize=8)
        axes.spines[["top", "right"]].set_visible(False)
    _title(figure, question.code, f"{question.text} — par {cross.by_label.lower()}")
    return figure


def _means(axes: Axes, y: np.ndarray, means: Sequence[float | None]) -> None:
    values = [m if m is not None else np.nan for m in means]
    colours = [BAR] * (len(values) - 1) + [WHOLE]
    axes.barh(y, values, color=colours, height=0.7)
    for yi, value in zip(y, values, strict=True):
        if not np.isnan(value):
            axes.text(value, yi, f" {format_decimal(value, 1)}", va="center", fontsize=8)
    axes.set_xlabel("Moyenne des réponses", fontsize=8)


def _stacked(
    figure: Figure, axes: Axes, y: np.ndarray, categories: Sequence[str], shares: list[list[float]], kind: str
) -> None:
    colours = (
        scale_colours(len(categories))
        if kind == QuestionKind.SCALE.value
        else [PALETTE[i % len(PALETTE)] for i in range(len(categories))]
    )
    left = np.zeros(len(shares))
    for index, (category, colour) in enumerate(zip(categories, colours, strict=True)):
        stack = np.array([row[index] if row else 0.0 for row in shares])
        axes.barh(y, stack, left=left, height=0.7, color=colour, label=_wrap(category, 30))
        for yi, start, value in zip(y, left, stack, strict=True):
            if value >= 8:
                axes.text(
                    start + value / 2, yi, format_decimal(value, 0), ha="center", va="center", fontsize=7,
                    color=_ink(colour),
                )  # fmt: skip
        left += stack
    axes.set_xlim(0, 100)
    _percent_axis(axes)
    axes.set_xlabel("Part des répondants de chaque groupe", fontsize=8)
    figure.legend(fontsize=7, loc="outside lower center", ncol=min(len(categories), 4), frameon=False)


def _heatmap(
    figure: Figure, axes: Axes, categories: Sequence[str], shares: list[list[float]], labels: list[str]
) -> None:
    matrix = np.array([row if row else [0.0] * len(categories) for row in shares], dtype=float)
    axes.imshow(matrix, cmap="Greens", vmin=0, vmax=max(100.0, float(matrix.max())), aspect="auto")
    for (row, column), value in np.ndenumerate(matrix):
        colour = "white" if value > 60 else "#1b1b1b"
        axes.text(column, row, f"{format_decimal(value, 0)} %", ha="center", va="center", fontsize=7, color=colour)
    ticks = ["\n".join(textwrap.wrap(c, 20, break_long_words=False)) or c for c in categories]
    axes.set_xticks(range(len(categories)), ticks, fontsize=7, rotation=35, ha="right", rotation_mode="anchor")
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.tick_params(length=0)
    axes.axhline(len(labels) - 1.5, color="white", linewidth=3)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_xlabel("Part des répondants du groupe ayant coché chaque réponse", fontsize=8)
