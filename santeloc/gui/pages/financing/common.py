"""Constants and small helpers of step 7 (parsing, formatting, tables)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QTableWidget,
)

from santeloc.domain import financing as rules
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import (
    format_decimal,
    parse_date,  # noqa: F401 (the one French date parser)
)
from santeloc.gui.widgets import names_get_width
from santeloc.services import financing as svc

TITLE = "Plan de financement"

if TYPE_CHECKING:
    from santeloc.gui.pages.financing.host import Host


SEVERITY = {"erreur": ("Erreur", "#a93226"), "alerte": ("Alerte", "#b9770e"), "info": ("Information", "#1f618d")}


def stages_from_text(text: str) -> str:
    """« Investissement, ingénierie » (or « toutes ») → the stored list of stage codes."""
    labels = {label.lower(): value for value, label in svc.STAGE_CHOICES}
    values = {value for value, _label in svc.STAGE_CHOICES}
    chosen = []
    for part in text.replace(";", ",").split(","):
        word = part.strip().lower()
        if not word or word in ("toutes", "tous"):
            continue
        code = labels.get(word) or (word if word in values else None)
        if code is None:
            choices = ", ".join(label for _value, label in svc.STAGE_CHOICES)
            raise ValidationError(f"Étape inconnue : « {part.strip()} ». Étapes possibles : {choices} (ou « toutes »).")
        chosen.append(code)
    return rules.code_list_text(chosen)


def bp_text(bp: int | None) -> str:
    """Basis points as a French percentage, or empty."""
    return "" if bp is None else rules.format_bp(bp)


def euros_text(cents: int | None) -> str:
    """Cents as euros for an input field (``12 500,50``), or empty."""
    if cents is None:
        return ""
    return format_decimal(Decimal(cents) / 100, 2).removesuffix(",00")


def table(columns: list[str], stretch: int = 0) -> QTableWidget:
    """A read-only, row-selecting table whose ``stretch`` column takes the width the others leave."""
    widget = QTableWidget(0, len(columns))
    widget.setHorizontalHeaderLabels(columns)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    widget.setAlternatingRowColors(True)
    names_get_width(widget, name_column=stretch, name_minimum=110)  # the label gets the width left
    return widget


def line_plan_id(page: Host) -> int:
    """Id of the plan a page shows (after a refused edit, to show the saved values again)."""
    assert page.view is not None
    return page.view.plan.id
