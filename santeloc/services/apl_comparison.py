"""santeloc's own APL beside the DREES's: the same unit, commune by commune, and why they differ.

The official figure always comes first; the computation is shown beside it, never instead of
it. Only a general practitioners' run computed with the DREES's method (consultations per
standardised inhabitant) is comparable; an older run in FTE per 100 000 inhabitants is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from santeloc.domain.formatting import format_decimal, format_int, plural
from santeloc.services.access import GP_KEY, AplReport
from santeloc.services.official_apl_figures import OfficialAplFigures, weighted_mean


@dataclass(frozen=True)
class AplGap:
    """One commune: the official APL, santeloc's and the difference (own − official)."""

    code: str
    name: str
    official: float | None
    own: float | None

    @property
    def gap(self) -> float | None:
        """Own minus official, when both are known."""
        return None if self.official is None or self.own is None else self.own - self.official


@dataclass(frozen=True)
class AplComparison:
    """santeloc's run against the official vintage, for the same doctors (all, or under 65)."""

    year: int
    doctors: str  # « tous les médecins » or « médecins de moins de 65 ans »
    official_mean: float | None
    own_mean: float | None
    rows: tuple[AplGap, ...]
    reasons: tuple[str, ...]

    def sentences(self) -> list[str]:
        """The comparison in French, with the reasons the two figures differ."""
        if self.official_mean is None or self.own_mean is None:
            return []
        gap = self.own_mean - self.official_mean
        if abs(gap) < 0.005:
            head = "L'indice calculé pour le projet est égal à l'APL officielle"
        else:
            head = (
                f"L'indice calculé pour le projet est {'inférieur' if gap < 0 else 'supérieur'} de "
                f"{format_decimal(abs(gap), 2)} à l'APL officielle"
            )
        return [
            f"{head} de {self.year} ({self.doctors}) : {format_decimal(self.own_mean, 2)} contre "
            f"{format_decimal(self.official_mean, 2)} en moyenne sur le territoire, dans la même unité.",
            "Les deux diffèrent par :",
            *self.reasons,
        ]


def _weighted(rows: tuple[AplGap, ...], weights: dict[str, float], official: bool) -> float | None:
    return weighted_mean(((r.official if official else r.own), weights.get(r.code, 0.0)) for r in rows)


def compare_apl(report: AplReport, official: OfficialAplFigures) -> AplComparison | None:
    """The comparison, or None when the run is not a GP run in the DREES's unit."""
    if report.choice.profession != GP_KEY or report.legacy or official.threshold is None:
        return None
    under_65 = report.choice.age_cap == 65
    published = {
        c.code: (c.value_under_65 if under_65 else c.value, c.standardised_population) for c in official.communes
    }
    rows = tuple(AplGap(c.code, c.name, published.get(c.code, (None, None))[0], c.value) for c in report.communes)
    # Both means over the same communes, weighted by the same standardised population.
    weights = {code: std for code, (_value, std) in published.items() if std}
    reasons = [
        f"l'offre : le calcul compte les {plural(report.professionals, 'médecin')} du registre du projet ; la DREES "
        "compte tous les médecins généralistes en activité que l'Assurance maladie recense, communes voisines "
        "comprises ;",
        f"l'activité : le calcul impute {format_int(report.choice.activity)} consultations par an à chaque médecin à "
        f"temps plein ; la DREES prend l'activité réelle de chacun en {official.year} (SNIIR-AM) ;",
        "les trajets : "
        + (
            "le calcul les estime à vol d'oiseau (détour et vitesse moyenne) ; la DREES prend les temps de route du "
            "distancier Metric de l'INSEE ;"
            if "distancier importé" not in report.method
            else "le calcul prend le distancier importé ; la DREES celui de l'INSEE (Metric) ;"
        ),
        *(
            [
                f"l'âge : le calcul exclut les médecins de {report.choice.age_cap} ans et plus ; la DREES les compte tous ;"
            ]
            if report.choice.age_cap not in (None, 65)
            else []
        ),
        f"la date : le registre tel qu'il est au {report.computed_on.strftime('%d/%m/%Y')} ; l'APL officielle "
        f"décrit l'année {official.year}.",
    ]
    return AplComparison(
        year=official.year,
        doctors="médecins de moins de 65 ans" if under_65 else "tous les médecins",
        official_mean=_weighted(rows, weights, official=True),
        own_mean=_weighted(rows, weights, official=False),
        rows=rows,
        reasons=tuple(reasons),
    )
