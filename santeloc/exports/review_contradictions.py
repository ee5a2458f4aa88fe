"""What an instructor finds by reading the dossier twice: contradictions between its pieces.

The relecture (:mod:`santeloc.exports.review`) lists what is missing; this module adds what
disagrees: a grant whose label quotes another rate than the plan's, operating costs in an
investment grant's base, a fiche action whose pilot is not in the team, a draft fiche, a constat
that calls significant what its indicator reads as not significant, a plan whose expenses total
0 €. Each item names where it is fixed (step and tab), as every relecture item does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

from santeloc.domain import financing as rules
from santeloc.domain.enums import FinancingStage, ResourceKind
from santeloc.domain.formatting import format_decimal
from santeloc.services import financing as financing_svc
from santeloc.services import health_project as health_svc
from santeloc.services import indicators as indicators_svc

_PERCENT = re.compile(r"(\d+(?:[,.]\d+)?)\s*%")
_SIGNIFICANT = re.compile(r"\bsignificati", re.IGNORECASE)
_NOT_SIGNIFICANT = re.compile(r"non significati|pas significati", re.IGNORECASE)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def plan_contradictions(view: financing_svc.PlanView) -> list[tuple[str, str]]:
    """(message, tab of step 7) for each contradiction of the financing plan."""
    items: list[tuple[str, str]] = []
    if view.expenses and view.analysis.overall.expenses_cents == 0:
        items.append(("Les dépenses du plan totalisent 0 € : indiquez leurs montants.", "Dépenses"))
    expenses = {row.expense.id: row.expense for row in view.expenses}
    for result in view.analysis.overall.resources:
        resource = result.resource
        if not result.counted or resource.kind != ResourceKind.SUBVENTION.value:
            continue
        quoted = [Decimal(m.replace(",", ".")) for m in _PERCENT.findall(resource.label)]
        if quoted and result.effective_rate_bp is not None:
            rate = Decimal(result.effective_rate_bp) / 100
            if all(abs(q - rate) > Decimal("0.05") for q in quoted):
                items.append(
                    (
                        f"La subvention « {resource.label} » annonce "
                        f"{', '.join(rules.rate_text(int(q * 100)) for q in quoted)} dans son libellé, mais le plan la calcule "
                        f"à {rules.rate_text(result.effective_rate_bp)} de son assiette : un même taux partout.",
                        "Ressources",
                    )
                )
        if resource.stage == FinancingStage.INVESTISSEMENT.value:
            operating = [
                expenses[i].label
                for i in sorted(resource.base_expense_ids)
                if i in expenses and expenses[i].stage == FinancingStage.FONCTIONNEMENT.value
            ]
            if operating:
                items.append(
                    (
                        f"L'assiette de la subvention d'investissement « {resource.label} » compte des dépenses de "
                        f"fonctionnement ({', '.join(f'« {label} »' for label in operating)}) : une aide à "
                        "l'investissement se calcule sur l'investissement hors taxes.",
                        "Ressources",
                    )
                )
    return items


def action_contradictions(
    actions: Sequence[health_svc.ActionSheet], team: Sequence[health_svc.TeamMember]
) -> list[tuple[str, str]]:
    """(message, tab of step 6) for fiches still in draft and pilots absent from the team."""
    items: list[tuple[str, str]] = []
    names = [_plain(member.name) for member in team]
    for sheet in actions:
        draft = sheet.draft
        if (draft.status or health_svc.DEFAULT_STATUS) == health_svc.DEFAULT_STATUS:
            items.append((f"La fiche action « {draft.title} » est encore au statut Brouillon.", "Fiches action"))
        pilot = draft.pilot.strip()
        if pilot and team and not _named_in(pilot, names):
            items.append(
                (
                    f"Le pilote de la fiche « {draft.title} » ({pilot}) n'est pas membre de l'équipe qui signe le "
                    "projet de santé.",
                    "Fiches action",
                )
            )
    return items


def _named_in(pilot: str, names: Iterable[str]) -> bool:
    """A pilot « Dr Martin » or « Claude Martin (médecin) » is a member named « Martin Claude »."""
    words = _identity(pilot)
    return any(words & _identity(name) for name in names)


_GENERIC = {"dr", "docteur", "madame", "monsieur", "mme", "m", "professionnel", "professionnelle", "fictif", "fictive"}


def _identity(text: str) -> set[str]:
    """The words that tell people apart (« Professionnel J (fictif) » → {« j »}); professions and titles left out."""
    from santeloc.domain.professions import PROFESSIONS

    plain = _plain(text)
    for profession in PROFESSIONS:  # « (chirurgien-dentiste) » names what, not who
        for word in (profession.label, profession.plural):
            plain = plain.replace(_plain(word), " ")
    return {w for w in re.split(r"[^\w]+", plain) if w and w not in _GENERIC}


def constat_contradictions(
    constats: Sequence[indicators_svc.ConstatRow], indicators: Sequence[indicators_svc.IndicatorRow]
) -> list[tuple[str, str]]:
    """(message, tab of step 1) for constats whose wording contradicts their indicator's significance."""
    by_id = {row.id: row for row in indicators}
    items: list[tuple[str, str]] = []
    for constat in constats:
        row = by_id.get(constat.indicator_id) if constat.indicator_id is not None else None
        if row is None:
            continue
        text = f"{constat.title} {constat.comment}"
        quoted = [Decimal(m.replace(",", ".")) for m in _PERCENT.findall(text)]
        if quoted and row.unit.strip() in ("%", "pourcent") and row.value_territory is not None:
            value = Decimal(str(row.value_territory))
            if all(abs(q - value) >= Decimal("0.05") for q in quoted):
                items.append(
                    (
                        f"Le constat « {constat.title} » cite {', '.join(format_decimal(q, 1) for q in quoted)} %, "
                        f"mais l'indicateur « {row.label} » vaut {format_decimal(row.value_territory, 1)} % sur le "
                        "territoire : un même chiffre partout.",
                        "Constats",
                    )
                )
        if row.smr is None:
            continue
        significant = row.smr.low > 100 or row.smr.high < 100
        says_significant = bool(_SIGNIFICANT.search(text)) and not _NOT_SIGNIFICANT.search(text)
        if says_significant and not significant:
            items.append(
                (
                    f"Le constat « {constat.title} » parle d'un écart significatif, mais l'indicateur « {row.label} » "
                    "a un écart non significatif (son intervalle de confiance contient 100).",
                    "Constats",
                )
            )
    return items
