"""Charts of the financing plan: resources by funder per stage, remaining to find, loan schedule."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from santeloc.domain.financing import LoanPeriod, PlanAnalysis
from santeloc.domain.formatting import format_cents, format_int
from santeloc.domain.funder_names import funder_short_name

PALETTE = ("#2e7d6b", "#5d8aa8", "#e0a526", "#8e6c8a", "#c76b4a", "#6b8e23", "#4a6fa5", "#b5838d", "#7f8c8d", "#3d5a80")
MISSING = "#f2d7d5"


def _euros_axis(axes: object) -> None:
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{format_int(round(v / 1000))} k€"))  # type: ignore[attr-defined]
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4))  # type: ignore[attr-defined]  # "800 k€" labels are wide


def resources_by_stage(analysis: PlanAnalysis, title: str = "Ressources par étape et par financeur") -> Figure:
    """Stacked bars per stage: each funder's amount, then what remains to find (hatched)."""
    stages = [s for s in analysis.stages if not s.is_empty]
    figure = Figure(figsize=(7.5, max(2.6, 1.0 * len(stages) + 1.8)), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    if not stages:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Saisissez des dépenses et des recettes pour voir le plan.", ha="center", va="center",
                  fontsize=11, color="#555555")  # fmt: skip
        return figure
    funders: dict[str, str] = {}
    for stage in stages:
        for share in stage.funders:
            funders.setdefault(share.code, share.name)
    colours = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(funders)}
    y = np.arange(len(stages))[::-1]
    for yi, stage in zip(y, stages, strict=True):
        left = 0.0
        for share in stage.funders:
            euros = share.amount_cents / 100
            axes.barh(yi, euros, left=left, color=colours[share.code], edgecolor="white", height=0.55)
            if stage.expenses_cents and share.amount_cents / stage.expenses_cents > 0.12:
                axes.text(left + euros / 2, yi, funder_short_name(share.code, share.name), ha="center", va="center",
                          fontsize=7, color="white", clip_on=True)  # fmt: skip
            left += euros
        missing = stage.remaining_to_finance_cents / 100
        if missing:
            axes.barh(yi, missing, left=left, color=MISSING, edgecolor="#c0392b", hatch="//", height=0.55)
            axes.text(left + missing, yi, f"  reste {format_cents(stage.remaining_to_finance_cents)}", va="center",
                      fontsize=8, color="#a93226")  # fmt: skip
        axes.plot([stage.expenses_cents / 100] * 2, [yi - 0.35, yi + 0.35], color="#222222", linewidth=1.5)
    axes.set_yticks(y, [f"{s.label}\n{format_cents(s.expenses_cents)}" for s in stages], fontsize=8)
    _euros_axis(axes)
    axes.set_xlabel("Montant (le trait noir marque le total des dépenses de l'étape)", fontsize=8)
    # Short names (DDR, Département, Emprunt): the legend fits a narrow pane and a Word page.
    handles = [axes.bar(0, 0, color=colours[c], label=funder_short_name(c, n)) for c, n in funders.items()]
    if any(s.remaining_to_finance_cents for s in stages):
        handles.append(axes.bar(0, 0, color=MISSING, hatch="//", edgecolor="#c0392b", label="Reste à financer"))
    figure.legend(handles=handles, fontsize=7, loc="outside lower center", ncol=3, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title, fontsize=11, loc="left")
    return figure


def loan_chart(schedule: Sequence[LoanPeriod], title: str = "Échéancier de l'emprunt") -> Figure:
    """Yearly repayment split into principal and interest, with the capital remaining."""
    figure = Figure(figsize=(7.0, 3.4), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    if not schedule:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Aucun emprunt dans ce plan.", ha="center", va="center", fontsize=11, color="#555555")
        return figure
    years = np.array([p.number for p in schedule])
    principal = np.array([p.principal_cents for p in schedule]) / 100
    interest = np.array([p.interest_cents for p in schedule]) / 100
    axes.bar(years, principal, color="#2e7d6b", label="Capital remboursé")
    axes.bar(years, interest, bottom=principal, color="#e0a526", label="Intérêts")
    axes.set_xlabel("Échéance")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{format_int(round(v))} €"))
    remaining = axes.twinx()
    remaining.plot(years, np.array([p.remaining_cents for p in schedule]) / 100, color="#333333", linewidth=1.5,
                   label="Capital restant dû")  # fmt: skip
    remaining.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{format_int(round(v / 1000))} k€"))
    lines = axes.get_legend_handles_labels()
    more = remaining.get_legend_handles_labels()
    axes.legend(lines[0] + more[0], lines[1] + more[1], fontsize=7, loc="upper right")
    axes.set_title(title, fontsize=11, loc="left")
    return figure
