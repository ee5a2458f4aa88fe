"""Timeline (Gantt) chart of the fiches action of step 6, built as a matplotlib Figure.

One row per fiche action, grouped under its priority (one colour per priority): a bar from its
start to its end date, its milestones as diamonds, French month labels and a line for today.
Fiches whose dates are missing or in the wrong order keep their row, with a note, so that the
chart also shows what is left to plan. No Qt here: the GUI shows the figure, the dossiers save it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter

from santeloc.domain.formatting import format_date
from santeloc.services.health_project import ActionSheet

PALETTE = ("#2e7d6b", "#5d8aa8", "#e0a526", "#8e6c8a", "#c76b4a", "#6b8e23", "#4a6fa5", "#b5838d", "#7f8c8d", "#3d5a80")
TODAY = "#c0392b"
PROBLEM = "#a93226"
MUTED = "#6b7a75"
MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
LABEL_WIDTH = 34
EMPTY_MESSAGE = (
    "Aucune fiche action n'a encore de dates : indiquez la date de début et la date de fin des fiches pour voir "
    "le calendrier."
)


def month_label(day: date, *, with_year: bool = True) -> str:
    """``2026-03-01`` → ``mars 2026`` (French abbreviations)."""
    name = MONTHS[day.month - 1]
    return f"{name} {day.year}" if with_year else name


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_ticks(start: date, end: date, max_ticks: int = 9) -> list[date]:
    """First days of months between ``start`` and ``end``, every 1, 2, 3, 6 or 12 months."""
    first = _month_start(start)
    span = (end.year - first.year) * 12 + end.month - first.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24) if span / s <= max_ticks), 36)
    if step >= 12:
        first = date(first.year, 1, 1)
    elif first.month % step != 1 % step:
        first = _add_months(first, (step - (first.month - 1) % step) % step)
    ticks: list[date] = []
    current = first
    while current <= end:
        if current >= _month_start(start):
            ticks.append(current)
        current = _add_months(current, step)
    return ticks


def _groups(sheets: Sequence[ActionSheet]) -> list[tuple[str, str, list[ActionSheet]]]:
    """(priority title, colour, its sheets) in the order the sheets come (priorities' order)."""
    groups: dict[int, tuple[str, list[ActionSheet]]] = {}
    for sheet in sheets:
        groups.setdefault(sheet.priority_id, (sheet.priority_title, []))[1].append(sheet)
    return [(title, PALETTE[index % len(PALETTE)], members) for index, (title, members) in enumerate(groups.values())]


def _dates(sheets: Sequence[ActionSheet]) -> list[date]:
    found: list[date] = []
    for sheet in sheets:
        draft = sheet.draft
        found.extend(d for d in (draft.starts_on, draft.ends_on) if d is not None)
        found.extend(m.on for m in draft.milestones)
    return found


def gantt_chart(
    sheets: Sequence[ActionSheet], title: str = "Calendrier des actions", *, today: date | None = None
) -> Figure:
    """The fiches action on a timeline, grouped and coloured by priority.

    Bars run from the start to the end date; milestones are diamonds on the bar's row; a dashed
    red line marks ``today`` (default: the current date) when it falls in the period shown. A
    fiche without dates, with only one of them, or ending before it starts keeps its row with
    a note in words.
    """
    today = today or date.today()
    groups = _groups(sheets)
    rows_count = len(sheets) + len(groups)
    figure = Figure(figsize=(9.0, max(3.0, 0.42 * rows_count + 1.9)), dpi=100, layout="constrained")
    known = _dates(sheets)
    if not sheets or not known:
        axes = figure.add_subplot()
        axes.set_axis_off()
        message = "\n".join(textwrap.wrap(EMPTY_MESSAGE, 60))
        if not sheets:
            message = "Aucune fiche action : ajoutez-en dans l'onglet « Priorités et actions »."
        axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555555")
        return figure

    low, high = min(known), max(known)
    if low <= today <= high + timedelta(days=93) or high < today <= high + timedelta(days=31):
        high = max(high, today)
    if today < low and (low - today).days <= 93:
        low = today
    low, high = _month_start(low), _add_months(_month_start(high), 1)
    x_low, x_high = date2num(low), date2num(high)
    width = x_high - x_low

    axes = figure.add_subplot()
    y = 0.0
    ticks: list[float] = []
    labels: list[str] = []
    styles: list[tuple[bool, str]] = []
    handles: list[object] = []
    for priority_title, colour, members in groups:
        header = y
        ticks.append(header)
        labels.append(_short(priority_title, LABEL_WIDTH + 4))
        styles.append((True, colour))
        handles.append(Patch(color=colour, label=_short(priority_title, 48)))
        for sheet in members:
            y += 1
            ticks.append(y)
            labels.append(_short(sheet.title))
            styles.append((False, colour))
            _draw_action(axes, sheet, y, colour, x_low, width)
        axes.axhspan(header - 0.45, y + 0.45, color=colour, alpha=0.07, linewidth=0)
        y += 1.3
    y -= 1.3
    if x_low <= date2num(today) <= x_high:
        axes.axvline(date2num(today), color=TODAY, linestyle="--", linewidth=1.2, zorder=5)
        axes.text(
            date2num(today), -0.9, f" Aujourd'hui ({format_date(today)})", color=TODAY, fontsize=7,
            va="bottom", ha="left",
        )  # fmt: skip
        handles.append(Line2D([], [], color=TODAY, linestyle="--", label="Aujourd'hui"))
    handles.append(
        Line2D([], [], marker="D", linestyle="none", color="#333333", markerfacecolor="white", label="Jalon")
    )

    axes.set_ylim(y + 0.7, -1.0)
    axes.set_xlim(x_low, x_high)
    axes.set_yticks(ticks, labels, fontsize=8)
    for tick_label, (bold, colour) in zip(axes.get_yticklabels(), styles, strict=True):
        if bold:
            tick_label.set_fontweight("bold")
            tick_label.set_color(colour)
    month_days = month_ticks(low, high)
    show_months = len({d.month for d in month_days}) > 1
    axes.xaxis.set_major_locator(FixedLocator([date2num(d) for d in month_days]))
    axes.xaxis.set_major_formatter(
        FuncFormatter(
            lambda v, _p: _tick_text(v, show_months),
        )
    )
    axes.tick_params(axis="x", labelsize=8)
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.set_title(title, fontsize=11, loc="left")
    figure.legend(handles=handles, fontsize=7, loc="outside lower center", ncol=min(3, len(handles)), frameon=False)
    return figure


def _tick_text(value: float, show_months: bool) -> str:
    from matplotlib.dates import num2date

    day = num2date(value).date()
    return month_label(day) if show_months else str(day.year)


def _draw_action(ax: Axes, sheet: ActionSheet, y: float, colour: str, x_low: float, width: float) -> None:
    draft = sheet.draft
    start = date2num(draft.starts_on) if draft.starts_on is not None else None
    end = date2num(draft.ends_on) if draft.ends_on is not None else None
    note = ""
    if start is not None and end is not None and end >= start:
        ax.barh(y, max(end - start, width * 0.004), left=start, height=0.5, color=colour, zorder=3)
    elif start is not None and end is not None:
        ax.barh(y, start - end, left=end, height=0.5, color="#f2d7d5", edgecolor=PROBLEM, hatch="//", zorder=3)
        note = "fin avant le début"
    elif start is not None:
        ax.plot([start], [y], marker=">", color=colour, markersize=7, zorder=4)
        note = "date de fin à préciser"
    elif end is not None:
        ax.plot([end], [y], marker="<", color=colour, markersize=7, zorder=4)
        note = "date de début à préciser"
    else:
        note = "dates à préciser"
    for milestone in draft.milestones:
        x = date2num(milestone.on)
        ax.plot(
            [x], [y], marker="D", markersize=6, color="#333333", markerfacecolor="white", markeredgewidth=1.2, zorder=6
        )
        ax.text(
            x, y - 0.3, _short(milestone.label, 22), fontsize=6, color="#333333", ha="center", va="bottom", zorder=6
        )
    if note:
        anchor = max(v for v in (start, end, x_low) if v is not None)
        colour_note = PROBLEM if note == "fin avant le début" else MUTED
        ax.text(anchor + width * 0.015, y, note, fontsize=7, color=colour_note, va="center", style="italic", zorder=6)
