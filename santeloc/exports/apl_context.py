"""The diagnostic's accessibility figures: the DREES's APL first, santeloc's own beside it.

Pure context builders (domain -> dict) for the diagnostic template; the charts are asked of
the caller's chart set by key (``apl_officielle:<n>``, ``apl:<profession>``).
"""

from __future__ import annotations

from typing import Any, Protocol

from santeloc.domain.formatting import format_date, format_decimal, format_int
from santeloc.services.access import AplReport
from santeloc.services.apl_comparison import compare_apl
from santeloc.services.apl_scenarios import ScenarioResult
from santeloc.services.official_apl_figures import OfficialAplFigures

Context = dict[str, Any]


class Images(Protocol):
    """What the builders need of a chart set."""

    def image(self, key: str, width_mm: float = ...) -> object:
        """The chart for a document, or ``""`` when it would be empty."""
        ...


def for_the_reader(text: str) -> str:
    """The APL method as a document states it: the method's name without « étapes » (a word the
    documents keep for nothing), and no advice meant for the app's user."""
    text = text.replace("méthode du bassin flottant à deux étapes", "méthode 2SFCA du bassin flottant")
    text = text.replace(
        " Paliers par défaut repris de la méthode de la DREES, à vérifier avec sa dernière publication.",
        " Paliers repris de la méthode de la DREES.",
    )
    return text.replace(" ; importez l'extraction RPPS des communes voisines pour les compter.", ".")


def official_context(index: int, item: OfficialAplFigures, charts: Images, width_mm: float) -> Context:
    """One profession's official APL: its mean, what is said of it, every commune, the map."""
    facts = item.facts()
    return {
        "titre": item.title,
        "annee": str(item.year),
        "unite": item.unit,
        "moyenne": facts[0][2],
        "phrases": [f"{label} : {text}." for _key, label, text in facts[1:]],
        "a_un_seuil": item.threshold is not None,
        "seuil": format_decimal(item.threshold, 1) if item.threshold is not None else "",
        "carte": charts.image(f"apl_officielle:{index}", width_mm),
        "communes": [
            {
                "commune": c.name,
                "population": format_int(round(c.total_population)) if c.total_population is not None else "—",
                "apl": item.value_text(c.value),
                "moins_de_65_ans": item.value_text(c.value_under_65),
                "sous_le_seuil": "oui" if c.below(item.threshold) else ("—" if c.value is None else "non"),
            }
            for c in sorted(item.communes, key=lambda c: (c.value is None, c.value or 0.0, c.name))
        ],
    }


def computed_context(run: AplReport, official: OfficialAplFigures | None, charts: Images, width_mm: float) -> Context:
    """One stored run: parameters and method, mean, date, every commune (lowest first) beside the
    official value when comparable, the comparison's reasons, the map."""
    comparison = compare_apl(run, official) if official is not None else None
    published = {row.code: row.official for row in comparison.rows} if comparison else {}
    return {
        "carte": charts.image(f"apl:{run.choice.profession}", width_mm),
        "profession": run.choice.profession_label,
        "moyenne": run.mean_text,
        "unite": run.unit_label,
        "calcule_le": format_date(run.computed_on),
        "methode": [for_the_reader(line) for line in run.method.split("\n") if line.strip()],
        "ecart": comparison.sentences() if comparison else [],
        "annee_officielle": str(official.year) if official is not None and comparison else "",
        "au_dela": list(run.beyond),
        "trois_quinze": run.fifteens,
        "communes": [
            {
                "commune": c.name,
                "population": format_int(c.population),
                "minutes": format_decimal(c.minutes, 0) if c.minutes is not None else "—",
                "apl": run.value_text(c.value),
                "officielle": run.value_text(published.get(c.code)) if comparison else "—",
            }
            for c in sorted(run.communes, key=lambda c: (c.value is None, c.value or 0.0, c.name))
        ],
    }


def scenario_context(result: ScenarioResult | None, charts: Images | None = None, width_mm: float = 0) -> Context:
    """The scenario retained for the diagnostic: its changes, the sentence, the map, each commune."""
    if result is None:
        return {"a_un_scenario": False, "scenario": {}}
    return {
        "a_un_scenario": True,
        "scenario": {
            "nom": result.scenario.name,
            "phrase": result.sentence,
            "methode": result.method,
            "carte": charts.image("apl_scenario", width_mm) if charts is not None else "",
            "changements": [change.text for change in result.changes],
            "communes": [
                {
                    "commune": c.name,
                    "avant": format_decimal(c.before, 2) if c.before is not None else "—",
                    "apres": format_decimal(c.after, 2) if c.after is not None else "—",
                    "ecart": (("+" if c.gain >= 0 else "") + format_decimal(c.gain, 2)) if c.gain is not None else "—",
                }
                for c in result.communes
            ],
        },
    }


def access_apl_context(
    official: tuple[OfficialAplFigures, ...],
    runs: tuple[AplReport, ...],
    charts: Images,
    width_mm: float,
    scenario: ScenarioResult | None = None,
) -> Context:
    """The APL part of the diagnostic's accessibility section. A GP run stored before santeloc
    followed the DREES (FTE per 100 000 inhabitants) is left out: not comparable, to compute again."""
    gp = next((item for item in official if item.threshold is not None), None)
    shown = [run for run in runs if not run.legacy]
    return {
        "a_un_apl_officiel": any(item.mean is not None for item in official),
        "apl_officielle": [official_context(i, item, charts, width_mm) for i, item in enumerate(official)],
        "a_un_apl": bool(shown),
        "apl": [computed_context(run, gp, charts, width_mm) for run in shown],
        **scenario_context(scenario, charts, width_mm),
    }
