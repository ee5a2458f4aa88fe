"""Section 2 of the projet de santé (« Diagnostic préalable ») as tables and bullets, from the computed figures.

When the user has not written the section, it is built from the same values the diagnostic and
the tables print: the significant indicators with their unit and source, the professionals by
profession (density, mean age, departures within 5 and 10 years from
:func:`santeloc.services.demography.demography_report`), the accessibility measures with their
unit (« Oui », « 9 jours », never « 1,0 oui = 1 / non = 0 »), the team that carries the project
and the premises. One computation, so a sentence and a table never give two numbers for one fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from santeloc.domain.enums import FinancingStage
from santeloc.domain.formatting import NBSP, format_cents, format_decimal, format_int, plural
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import financing as financing_svc
from santeloc.services import health_project as health_svc
from santeloc.services import indicators as indicators_svc
from santeloc.services import offer as offer_svc
from santeloc.services.access import AplReport
from santeloc.services.apl_scenarios import ScenarioResult
from santeloc.services.demography import demography_report
from santeloc.services.official_apl_figures import OfficialAplFigures

Context = dict[str, Any]

YES_NO_UNIT = "oui = 1 / non = 0"


def measure_text(value: float, unit: str) -> str:
    """A measure as a reader expects it: « Oui », « 9 jours », « 8,5 % », « 2,5 consultations »."""
    if unit.strip().lower() == YES_NO_UNIT:
        return "Oui" if value >= 0.5 else "Non"
    digits = 0 if float(value).is_integer() else 1
    number = format_decimal(value, digits)
    if unit.strip() == "%":
        return f"{number}{NBSP}%"
    return f"{number} {unit}".strip()


def _source(row: indicators_svc.IndicatorRow) -> str:
    """« ORS Bourgogne-Franche-Comté, 2015-2019 »: the period once, never « 2015-2019, 2019 »."""
    when = row.year_label or (str(row.year) if row.year else "")
    source = row.source.strip()
    if when and when in source:  # « taux standardisés 2015-2019 » already says when
        when = ""
    return ", ".join(part for part in (source, when) if part)


def _value(row: indicators_svc.IndicatorRow) -> str:
    if row.smr is not None:
        return f"indice {format_decimal(row.smr.index, 0)}"
    if row.value_territory is None:
        return "—"
    unit = row.unit.strip()
    digits = 0 if float(row.value_territory).is_integer() else 1
    shown = format_decimal(row.value_territory, digits)
    return f"{shown}{NBSP}%" if unit == "%" else f"{shown} {unit}".strip()


def structured_diagnostic(
    uow: UnitOfWork,
    project_id: int,
    refdata: RefData,
    indicators: list[indicators_svc.IndicatorRow],
    today: date,
    apl: list[str],
) -> Context:
    """Tables of section 2: indicators, offer, accessibility, team, premises (each list may be empty)."""
    from santeloc.exports.context import indicator_reading  # the reading the diagnostic prints

    significant = [row for row in indicators if row.smr is not None and row.smr.significant]
    report = demography_report(uow, project_id, refdata, today)
    offer = [
        {
            "profession": d.label,
            "effectif": format_int(d.heads),
            "densite": format_decimal(d.density_per_10000, 1) if d.density_per_10000 is not None else "—",
            "age": f"{format_decimal(d.mean_age, 0)} ans" if d.mean_age is not None else "—",
            "departs5": format_int(d.departures.get(5, 0)),
            "departs10": format_int(d.departures.get(10, 0)),
        }
        for d in report.professions
    ]
    total5 = sum(d.departures.get(5, 0) for d in report.professions)
    total10 = sum(d.departures.get(10, 0) for d in report.professions)
    measures = offer_svc.list_measures(uow, project_id)
    access = [
        {"mesure": label, "valeur": measure_text(measures[key].value or 0.0, measures[key].unit or unit)}
        for key, label, unit in offer_svc.ACCESS_MEASURES
        if key in measures and measures[key].value is not None
    ]
    professionals = {p.id: p for p in offer_svc.list_professionals(uow, project_id)}
    team = []
    for member in health_svc.list_team(uow, project_id):
        row = professionals.get(member.id)
        commune = refdata.communes.get(row.commune_code) if row is not None and row.commune_code else None
        team.append(
            {
                "nom": member.name,
                "profession": member.profession_label,
                "lieu": commune.name if commune is not None else "—",
                "temps": format_decimal(row.fte, 1) if row is not None and row.fte is not None else "—",
                "engagement": member.commitment_label + (" (coordination)" if member.is_leader else ""),
            }
        )
    return {
        "present": True,
        "indicateurs": [
            {"libelle": row.label, "valeur": _value(row), "lecture": indicator_reading(row), "source": _source(row)}
            for row in significant
        ],
        "offre": offer,
        "departs": (
            f"Au total, {plural(total5, 'départ')} d'ici 5{NBSP}ans et {plural(total10, 'départ')} d'ici 10{NBSP}ans "
            "sont à anticiper (à l'année annoncée, sinon à 67 ans)."
        )
        if offer
        else "",
        "acces": access,
        "apl": apl,
        "equipe": team,
        "locaux": premises(uow, project_id),
    }


def apl_sentences(
    official: Sequence[OfficialAplFigures], runs: Sequence[AplReport], scenario: ScenarioResult | None
) -> list[str]:
    """The official APL (DREES), the project's own computation and the retained scenario, as the
    diagnostic quotes them (all read once with the project's data)."""
    lines = [" ".join(item.sentences()) for item in official]
    for run in runs:
        if run.legacy:
            continue  # FTE per 100 000 inhabitants: not comparable with the official APL
        lines.append(
            f"Indice d'accessibilité calculé pour le projet ({run.choice.profession_label.lower()}, méthode de la "
            f"DREES, registre du projet) : {run.mean_text} en moyenne sur le territoire."
        )
    if scenario is not None:
        lines.append(f"Effet attendu du projet — {scenario.expected_effect} {scenario.method}")
    return lines


def premises(uow: UnitOfWork, project_id: int) -> list[str]:
    """The premises as the plan describes them: the investment's works and equipment, and the rent."""
    plans = financing_svc.list_plans(uow, project_id)
    if not plans:
        return []
    view = financing_svc.load_plan(uow, plans[0].id)
    lines = [
        f"{row.expense.label} : {format_cents(row.expense.amount_ht_cents)} HT"
        + (f" ({row.expense.year})" if row.expense.year else "")
        for row in view.expenses
        if row.expense.stage == FinancingStage.INVESTISSEMENT.value
    ]
    rent = view.rent_plan()
    if rent is not None and rent.comparison_sentence:
        lines.append(rent.comparison_sentence)
    return lines
