"""Health-status indicators (step 1 of the methodology): units, themes, catalogue, validation.

Pure module: no I/O, no Qt. What it offers:

- :class:`Unit` — the unit and denominator of a value (per 10 000, per 100 000, %, index…), each
  with its French ``label``, a ``short`` form for tables, its ``max_value``, whether it
  ``allows_negative`` values and its ``base`` (10 000 for "per 10 000");
- :func:`parse_unit` — reads the unit as ORS / SCORE-Santé / Géodes files write it;
- :data:`THEMES` and :data:`CATALOGUE` — the indicators usually gathered for a *diagnostic local
  de santé*, ready to be filled (labels and usual producers only, no figures);
- :func:`validate_value` — the checks a value must pass before it is stored;
- :func:`parse_french_number` — ``"1 234,5"`` → ``1234.5``, ``"n.d."`` → ``None``.

Every error is a :class:`~santeloc.domain.errors.ValidationError` whose message is French and can
be shown as is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from santeloc.domain.enums import LabelledEnum
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NNBSP, format_decimal, format_int

# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


class Unit(LabelledEnum):
    """Unit (and denominator) of an indicator value; the value is what is stored."""

    PER_10000 = "pour_10000"
    PER_100000 = "pour_100000"
    PER_1000 = "pour_1000"
    PERCENT = "pourcent"
    VARIATION_PERCENT = "evolution_pourcent"
    INDEX = "indice"
    YEARS = "annees"
    COUNT = "nombre"
    RATIO = "ratio"
    EUROS = "euros"

    @property
    def label(self) -> str:
        """French label, e.g. ``pour 100 000 habitants``, ``%``, ``indice (base 100)``."""
        return _UNIT_INFO[self].label

    @property
    def short(self) -> str:
        """Short form for table headers, e.g. ``/100 000``, ``%``, ``‰``."""
        return _UNIT_INFO[self].short

    @property
    def max_value(self) -> float | None:
        """Largest possible value (100 for a percentage), ``None`` when unbounded."""
        return _UNIT_INFO[self].max_value

    @property
    def allows_negative(self) -> bool:
        """Whether a negative value makes sense (only for a variation)."""
        return _UNIT_INFO[self].allows_negative

    @property
    def base(self) -> int | None:
        """Denominator of a rate: 10 000 for "per 10 000", 100 for a percentage, else ``None``."""
        return _UNIT_INFO[self].base


@dataclass(frozen=True, slots=True)
class _UnitInfo:
    label: str
    short: str
    max_value: float | None = None
    allows_negative: bool = False
    base: int | None = None


_UNIT_INFO: dict[Unit, _UnitInfo] = {
    Unit.PER_10000: _UnitInfo(f"pour 10{NNBSP}000 habitants", f"/10{NNBSP}000", base=10_000),
    Unit.PER_100000: _UnitInfo(f"pour 100{NNBSP}000 habitants", f"/100{NNBSP}000", base=100_000),
    Unit.PER_1000: _UnitInfo(f"pour 1{NNBSP}000", "‰", base=1_000),
    Unit.PERCENT: _UnitInfo("%", "%", max_value=100.0, base=100),
    Unit.VARIATION_PERCENT: _UnitInfo("évolution en %", "évol. %", allows_negative=True),
    Unit.INDEX: _UnitInfo("indice (base 100)", "indice"),
    Unit.YEARS: _UnitInfo("années", "ans"),
    Unit.COUNT: _UnitInfo("nombre", "nb"),
    Unit.RATIO: _UnitInfo("ratio", "ratio"),
    Unit.EUROS: _UnitInfo("euros", "€"),
}


def _normalise(text: str) -> str:
    """Lower case, no accents, digit groups joined (``100 000`` → ``100000``), single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    plain = re.sub(r"(?<=\d)[\s.](?=\d{3}\b)", "", plain)  # 100 000 / 100.000 → 100000
    return " ".join(plain.split())


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z]+|\d+|%|‰|€", _normalise(text))


def parse_unit(text: str) -> Unit:
    """Read a unit as written in ORS / SCORE-Santé / Géodes files or typed by the user.

    Accepted (case, accents and punctuation ignored): ``pour 100 000``, ``p. 100 000 hab.``,
    ``taux pour 10000``, ``/100 000``, ``%``, ``pourcentage``, ``part``, ``‰``, ``pour mille``,
    ``indice``, ``ICM``, ``base 100``, ``années``, ``ans``, ``nb``, ``nombre``, ``effectif``,
    ``ratio``, ``évolution en %``, ``variation``, ``€``, ``euros`` — and each unit's value and label.

    Raises:
        ValidationError: the text names no known unit; the message lists the accepted units.
    """
    for unit in Unit:
        if text.strip() in (unit.value, unit.label):
            return unit
    words = set(_tokens(text))
    found: Unit | None = None
    if words & {"evolution", "evol", "variation", "var", "tcam"}:
        found = Unit.VARIATION_PERCENT
    elif "100000" in words:
        found = Unit.PER_100000
    elif "10000" in words:
        found = Unit.PER_10000
    elif words & {"1000", "‰", "mille"}:
        found = Unit.PER_1000
    elif words & {"%", "pourcent", "pourcentage", "pourcentages", "cent", "part", "proportion"} or (
        "100" in words and "base" not in words and "indice" not in words
    ):
        found = Unit.PERCENT
    elif words & {"indice", "indices", "icm", "icf", "smr", "sir", "base"}:
        found = Unit.INDEX
    elif words & {"annees", "annee", "ans", "an"}:
        found = Unit.YEARS
    elif words & {"nb", "nombre", "nbre", "effectif", "effectifs", "n"}:
        found = Unit.COUNT
    elif "ratio" in words or "rapport" in words:
        found = Unit.RATIO
    elif words & {"€", "euro", "euros", "eur"}:
        found = Unit.EUROS
    if found is None:
        accepted = " ; ".join(unit.label for unit in Unit)
        shown = text.strip()
        raise ValidationError(
            f"Unité « {shown} » non reconnue. Unités acceptées : {accepted}."
            if shown
            else f"L'unité est manquante. Unités acceptées : {accepted}."
        )
    return found


# --------------------------------------------------------------------------------------------
# Themes and catalogue
# --------------------------------------------------------------------------------------------

THEMES: tuple[tuple[str, str], ...] = (
    ("population", "Population et vieillissement"),
    ("social", "Situation sociale"),
    ("mortalite_generale", "Mortalité générale"),
    ("mortalite_prematuree", "Mortalité prématurée"),
    ("causes_deces", "Causes de décès"),
    ("ald", "Maladies chroniques (ALD)"),
    ("accidents", "Accidents"),
    ("comportements", "Comportements"),
    ("mere_enfant", "Santé de la mère et de l'enfant"),
)
"""Themes of the health-status diagnostic, in the order a report presents them: (key, label)."""

THEME_LABELS: dict[str, str] = dict(THEMES)
"""Theme key → French label."""


@dataclass(frozen=True, slots=True)
class IndicatorDefinition:
    """An indicator the user may fill for the territory and its reference levels.

    Attributes:
        key: stable identifier (stored in the database), ``snake_case`` ASCII.
        theme: key of one of :data:`THEMES`.
        label: French label shown to the user and printed in reports.
        unit: unit of the value.
        description: one French sentence saying what is measured.
        usual_source: who usually publishes it (to pre-fill the source field).
        higher_is_unfavourable: ``True`` when a higher value is a worse health situation
            (mortality), ``False`` when it is better (life expectancy), ``None`` when neutral.
    """

    key: str
    theme: str
    label: str
    unit: Unit
    description: str
    usual_source: str
    higher_is_unfavourable: bool | None = None


_INSEE_RP = "INSEE, recensement de la population"
_INSEE_FILOSOFI = "INSEE, Filosofi"
_INSEE_EC = "INSEE, état civil"
_CEPIDC = "Inserm-CépiDc (exploitation ORS, SCORE-Santé)"
_ALD = "CNAM / SNDS (exploitation ORS, SCORE-Santé)"
_CNAM = "CNAM / SNDS (Géodes, Rezone CPTS)"


def _ind(
    key: str,
    theme: str,
    label: str,
    unit: Unit,
    description: str,
    source: str,
    unfavourable: bool | None = None,
) -> IndicatorDefinition:
    return IndicatorDefinition(key, theme, label, unit, description, source, unfavourable)


CATALOGUE: tuple[IndicatorDefinition, ...] = (
    # Population et vieillissement
    _ind(
        "population",
        "population",
        "Population municipale",
        Unit.COUNT,
        "Nombre d'habitants du territoire au dernier recensement.",
        _INSEE_RP,
    ),
    _ind(
        "evolution_population",
        "population",
        "Évolution annuelle moyenne de la population",
        Unit.VARIATION_PERCENT,
        "Variation moyenne par an du nombre d'habitants entre deux recensements.",
        _INSEE_RP,
    ),
    _ind(
        "part_moins_20_ans",
        "population",
        "Part des moins de 20 ans",
        Unit.PERCENT,
        "Proportion des habitants âgés de moins de 20 ans.",
        _INSEE_RP,
    ),
    _ind(
        "part_75_ans_plus",
        "population",
        "Part des 75 ans et plus",
        Unit.PERCENT,
        "Proportion des habitants âgés de 75 ans ou plus, premiers usagers des soins à domicile.",
        _INSEE_RP,
    ),
    _ind(
        "indice_vieillissement",
        "population",
        "Indice de vieillissement",
        Unit.RATIO,
        "Nombre de personnes de 65 ans et plus pour 100 jeunes de moins de 20 ans.",
        _INSEE_RP,
    ),
    _ind(
        "personnes_agees_seules",
        "population",
        "Part des 75 ans et plus vivant seuls à domicile",
        Unit.PERCENT,
        "Proportion des personnes de 75 ans et plus qui vivent seules dans leur logement.",
        _INSEE_RP,
        True,
    ),
    # Situation sociale
    _ind(
        "taux_chomage",
        "social",
        "Taux de chômage des 15-64 ans",
        Unit.PERCENT,
        "Part des chômeurs parmi les actifs de 15 à 64 ans, au sens du recensement.",
        _INSEE_RP,
        True,
    ),
    _ind(
        "revenu_median",
        "social",
        "Revenu disponible médian par unité de consommation",
        Unit.EUROS,
        "Revenu annuel, après impôts et prestations, qui partage les habitants en deux moitiés.",
        _INSEE_FILOSOFI,
        False,
    ),
    _ind(
        "taux_pauvrete",
        "social",
        "Taux de pauvreté",
        Unit.PERCENT,
        "Part des habitants vivant sous le seuil de pauvreté (60 % du revenu médian national).",
        _INSEE_FILOSOFI,
        True,
    ),
    _ind(
        "part_c2s",
        "social",
        "Part des bénéficiaires de la complémentaire santé solidaire (C2S)",
        Unit.PERCENT,
        "Proportion des assurés couverts par la C2S (ex-CMU-C), indicateur d'accès financier aux soins.",
        _CNAM,
        True,
    ),
    _ind(
        "part_sans_diplome",
        "social",
        "Part des 15 ans et plus non scolarisés sans diplôme",
        Unit.PERCENT,
        "Proportion des personnes sorties du système scolaire sans aucun diplôme.",
        _INSEE_RP,
        True,
    ),
    # Mortalité générale
    _ind(
        "esperance_vie_hommes",
        "mortalite_generale",
        "Espérance de vie à la naissance des hommes",
        Unit.YEARS,
        "Durée de vie moyenne d'une génération d'hommes soumise aux conditions de mortalité de la période.",
        "INSEE, état civil (ORS)",
        False,
    ),
    _ind(
        "esperance_vie_femmes",
        "mortalite_generale",
        "Espérance de vie à la naissance des femmes",
        Unit.YEARS,
        "Durée de vie moyenne d'une génération de femmes soumise aux conditions de mortalité de la période.",
        "INSEE, état civil (ORS)",
        False,
    ),
    _ind(
        "deces_annuels",
        "mortalite_generale",
        "Nombre annuel moyen de décès",
        Unit.COUNT,
        "Décès domiciliés sur le territoire, en moyenne par an sur la période.",
        _CEPIDC,
    ),
    _ind(
        "tcm_generale",
        "mortalite_generale",
        "Taux comparatif de mortalité générale",
        Unit.PER_100000,
        "Taux de décès toutes causes, standardisé sur l'âge pour comparer des territoires.",
        _CEPIDC,
        True,
    ),
    _ind(
        "icm_generale",
        "mortalite_generale",
        "Indice comparatif de mortalité générale",
        Unit.INDEX,
        "Décès observés rapportés aux décès attendus aux taux de la référence (base 100).",
        "ORS (à partir d'Inserm-CépiDc)",
        True,
    ),
    # Mortalité prématurée
    _ind(
        "tcm_prematuree",
        "mortalite_prematuree",
        "Taux comparatif de mortalité prématurée (avant 65 ans)",
        Unit.PER_100000,
        "Taux de décès survenus avant 65 ans, standardisé sur l'âge.",
        _CEPIDC,
        True,
    ),
    _ind(
        "icm_prematuree",
        "mortalite_prematuree",
        "Indice comparatif de mortalité prématurée",
        Unit.INDEX,
        "Décès avant 65 ans observés rapportés aux décès attendus (base 100).",
        "ORS (à partir d'Inserm-CépiDc)",
        True,
    ),
    _ind(
        "tcm_prematuree_evitable",
        "mortalite_prematuree",
        "Taux comparatif de mortalité prématurée évitable par la prévention",
        Unit.PER_100000,
        "Décès avant 65 ans liés à des causes sur lesquelles la prévention peut agir (tabac, alcool, accidents, suicides).",
        _CEPIDC,
        True,
    ),
    _ind(
        "part_deces_prematures",
        "mortalite_prematuree",
        "Part des décès survenus avant 65 ans",
        Unit.PERCENT,
        "Proportion des décès du territoire survenus avant l'âge de 65 ans.",
        _CEPIDC,
        True,
    ),
    # Causes de décès
    _ind(
        "tcm_cancers",
        "causes_deces",
        "Taux comparatif de mortalité par cancers",
        Unit.PER_100000,
        "Décès dont la cause initiale est une tumeur maligne, standardisés sur l'âge.",
        _CEPIDC,
        True,
    ),
    _ind(
        "tcm_cancer_poumon",
        "causes_deces",
        "Taux comparatif de mortalité par cancer du poumon",
        Unit.PER_100000,
        "Décès par cancer de la trachée, des bronches et du poumon, standardisés sur l'âge.",
        _CEPIDC,
        True,
    ),
    _ind(
        "tcm_cardiovasculaire",
        "causes_deces",
        "Taux comparatif de mortalité par maladies cardio-vasculaires",
        Unit.PER_100000,
        "Décès par maladies de l'appareil circulatoire (cardiopathies, accidents vasculaires cérébraux…).",
        _CEPIDC,
        True,
    ),
    _ind(
        "tcm_respiratoire",
        "causes_deces",
        "Taux comparatif de mortalité par maladies respiratoires",
        Unit.PER_100000,
        "Décès par maladies de l'appareil respiratoire, standardisés sur l'âge.",
        _CEPIDC,
        True,
    ),
    _ind(
        "tcm_suicide",
        "causes_deces",
        "Taux comparatif de mortalité par suicide",
        Unit.PER_100000,
        "Décès par suicide, standardisés sur l'âge.",
        _CEPIDC,
        True,
    ),
    # Maladies chroniques (ALD)
    _ind(
        "part_population_ald",
        "ald",
        "Part de la population en affection de longue durée",
        Unit.PERCENT,
        "Proportion des assurés bénéficiant d'une exonération au titre d'une ALD, toutes causes.",
        _CNAM,
        True,
    ),
    _ind(
        "ald_toutes_causes",
        "ald",
        "Taux comparatif d'admissions en ALD, toutes causes",
        Unit.PER_100000,
        "Nouvelles admissions en affection de longue durée dans l'année, standardisées sur l'âge.",
        _ALD,
        True,
    ),
    _ind(
        "ald_diabete",
        "ald",
        "Taux comparatif d'admissions en ALD pour diabète",
        Unit.PER_100000,
        "Nouvelles admissions en ALD pour diabète de type 1 ou 2, standardisées sur l'âge.",
        _ALD,
        True,
    ),
    _ind(
        "ald_cancers",
        "ald",
        "Taux comparatif d'admissions en ALD pour cancers",
        Unit.PER_100000,
        "Nouvelles admissions en ALD pour tumeur maligne, standardisées sur l'âge.",
        _ALD,
        True,
    ),
    _ind(
        "ald_cardiovasculaires",
        "ald",
        "Taux comparatif d'admissions en ALD pour maladies cardio-vasculaires",
        Unit.PER_100000,
        "Nouvelles admissions en ALD pour insuffisance cardiaque, maladie coronaire, AVC, artériopathie ou hypertension sévère.",
        _ALD,
        True,
    ),
    _ind(
        "ald_psychiatriques",
        "ald",
        "Taux comparatif d'admissions en ALD pour affections psychiatriques",
        Unit.PER_100000,
        "Nouvelles admissions en ALD pour affection psychiatrique de longue durée, standardisées sur l'âge.",
        _ALD,
        True,
    ),
    _ind(
        "ald_alzheimer",
        "ald",
        "Taux comparatif d'admissions en ALD pour maladie d'Alzheimer et autres démences",
        Unit.PER_100000,
        "Nouvelles admissions en ALD pour maladie d'Alzheimer ou autre démence, standardisées sur l'âge.",
        _ALD,
        True,
    ),
    # Accidents
    _ind(
        "tcm_accidents_circulation",
        "accidents",
        "Taux comparatif de mortalité par accident de la circulation",
        Unit.PER_100000,
        "Décès par accident de la route, standardisés sur l'âge.",
        _CEPIDC,
        True,
    ),
    _ind(
        "tcm_chutes_75_ans",
        "accidents",
        "Taux de mortalité par chute des 75 ans et plus",
        Unit.PER_100000,
        "Décès consécutifs à une chute chez les personnes de 75 ans et plus.",
        _CEPIDC,
        True,
    ),
    _ind(
        "hospitalisations_chutes_65_ans",
        "accidents",
        "Taux d'hospitalisation pour chute des 65 ans et plus",
        Unit.PER_100000,
        "Séjours hospitaliers pour traumatisme dû à une chute chez les 65 ans et plus.",
        "ATIH, PMSI (Géodes, ORS)",
        True,
    ),
    # Comportements
    _ind(
        "tcm_alcool",
        "comportements",
        "Taux comparatif de mortalité liée à l'alcool",
        Unit.PER_100000,
        "Décès par cancers des voies aérodigestives supérieures, cirrhose et psychose alcoolique, standardisés sur l'âge.",
        _CEPIDC,
        True,
    ),
    _ind(
        "tcm_tabac",
        "comportements",
        "Taux comparatif de mortalité liée au tabac",
        Unit.PER_100000,
        "Décès par cancer du poumon, bronchopneumopathie chronique obstructive et cardiopathie ischémique.",
        _CEPIDC,
        True,
    ),
    _ind(
        "depistage_cancer_sein",
        "comportements",
        "Participation au dépistage organisé du cancer du sein",
        Unit.PERCENT,
        "Part des femmes de 50 à 74 ans invitées ayant réalisé la mammographie de dépistage.",
        "Santé publique France / CNAM (Géodes)",
        False,
    ),
    _ind(
        "depistage_cancer_colorectal",
        "comportements",
        "Participation au dépistage organisé du cancer colorectal",
        Unit.PERCENT,
        "Part des 50-74 ans invités ayant réalisé le test de dépistage.",
        "Santé publique France / CNAM (Géodes)",
        False,
    ),
    _ind(
        "vaccination_grippe_65_ans",
        "comportements",
        "Couverture vaccinale contre la grippe des 65 ans et plus",
        Unit.PERCENT,
        "Part des personnes de 65 ans et plus vaccinées contre la grippe saisonnière.",
        "CNAM / SNDS (Géodes)",
        False,
    ),
    # Santé de la mère et de l'enfant
    _ind(
        "naissances_annuelles",
        "mere_enfant",
        "Nombre annuel moyen de naissances",
        Unit.COUNT,
        "Naissances vivantes de mères domiciliées sur le territoire, en moyenne par an.",
        _INSEE_EC,
    ),
    _ind(
        "taux_natalite",
        "mere_enfant",
        "Taux de natalité",
        Unit.PER_1000,
        "Naissances vivantes de l'année pour 1 000 habitants.",
        _INSEE_EC,
    ),
    _ind(
        "taux_ivg",
        "mere_enfant",
        "Taux de recours à l'IVG",
        Unit.PER_1000,
        "Interruptions volontaires de grossesse pour 1 000 femmes de 15 à 49 ans.",
        "DREES / SNDS (ORS)",
    ),
    _ind(
        "prematurite",
        "mere_enfant",
        "Part des naissances prématurées",
        Unit.PERCENT,
        "Proportion des naissances vivantes survenues avant 37 semaines d'aménorrhée.",
        "ATIH, PMSI / certificats de santé du 8e jour (ORS)",
        True,
    ),
    _ind(
        "mortalite_infantile",
        "mere_enfant",
        "Taux de mortalité infantile",
        Unit.PER_1000,
        "Décès d'enfants de moins d'un an pour 1 000 naissances vivantes.",
        _INSEE_EC,
        True,
    ),
)
"""Indicators of a diagnostic local de santé, grouped by theme in :data:`THEMES` order."""

CATALOGUE_BY_KEY: dict[str, IndicatorDefinition] = {definition.key: definition for definition in CATALOGUE}
"""Indicator key → definition."""


def indicators_of_theme(theme: str) -> list[IndicatorDefinition]:
    """Catalogue indicators of one theme (by key), in catalogue order."""
    return [definition for definition in CATALOGUE if definition.theme == theme]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

FIRST_YEAR = 1950
"""Earliest year accepted for an indicator value."""


def validate_value(value: float | None, unit: Unit, *, year: int | None, today_year: int) -> None:
    """Check a value before it is stored; ``year`` is the year (or last year of the period).

    Args:
        value: the number, in ``unit``; ``None`` when unknown (only the year is checked then).
        unit: its unit.
        year: year of the data, ``None`` when unknown (not checked then).
        today_year: the current year (passed in: the domain does not read the clock).

    Raises:
        ValidationError: not a finite number, negative where the unit forbids it, above the
            unit's maximum (a percentage above 100), year in the future or before 1950.
    """
    if value is not None:
        _validate_number(value, unit)
    if year is not None:
        if year > today_year:
            raise ValidationError(f"L'année {year} est dans le futur (nous sommes en {today_year}).")
        if year < FIRST_YEAR:
            raise ValidationError(f"L'année {year} est antérieure à {FIRST_YEAR} : vérifiez la saisie.")


def _validate_number(value: float, unit: Unit) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"La valeur « {value} » n'est pas un nombre utilisable.")
    if value < 0 and not unit.allows_negative:
        raise ValidationError(
            f"La valeur {format_decimal(value, _digits(value))} est négative : impossible pour une valeur "
            f"exprimée en « {unit.label} »."
        )
    if unit.max_value is not None and value > unit.max_value:
        raise ValidationError(
            f"La valeur {format_decimal(value, _digits(value))} dépasse {format_decimal(unit.max_value, 0)} : "
            f"impossible pour une valeur exprimée en « {unit.label} »."
            + (" Vérifiez l'unité : s'agit-il d'un taux pour 1 000 ou 10 000 ?" if unit is Unit.PERCENT else "")
        )


def _digits(value: float) -> int:
    """Decimals needed to show ``value`` without hiding what makes it wrong (at most 3)."""
    for digits in range(4):
        if abs(round(value, digits) - value) < 1e-9:
            return digits
    return 3


# --------------------------------------------------------------------------------------------
# French numbers
# --------------------------------------------------------------------------------------------

MISSING_MARKERS: frozenset[str] = frozenset(
    {
        "",
        "na",
        "n/a",
        "#n/a",
        "nd",
        "n.d.",
        "n.d",
        "nc",
        "n.c.",
        "n.c",
        "s",
        "secret",
        "x",
        "-",
        "--",
        "–",
        "—",
        "…",
        "...",
    }
)
"""Cell contents meaning "no value" (non disponible, non communiqué, secret statistique), lower case."""

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]")
_EXPONENT = r"(?:[eE][+-]?\d+)?"
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    # (pattern, thousands separator to remove, decimal separator to turn into ".")
    (re.compile(rf"\d+(?:,\d*)?{_EXPONENT}|,\d+{_EXPONENT}"), "", ","),  # 12 / 12,5 / ,5 / 1,5E-3
    (re.compile(rf"\d+\.\d*{_EXPONENT}|\.\d+{_EXPONENT}"), "", "."),  # 12.5 / 1.234 (a decimal)
    (re.compile(r"\d{1,3}(?: \d{3})+(?:,\d+)?"), " ", ","),  # 1 234 / 1 234,5
    (re.compile(r"\d{1,3}(?: \d{3})+\.\d+"), " ", "."),  # 1 234.5
    (re.compile(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}"), ".", ","),  # 1.234,5 / 1.234.567
    (re.compile(r"\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}"), ",", "."),  # 1,234.5 / 1,234,567
)


def parse_french_number(text: str) -> float | None:
    """Read a number as French users and public files write it.

    Accepted: ``12,5``, ``12.5``, ``-3,2`` (also with ``−`` or ``+``), ``1 234`` and ``1 234,5``
    (regular, no-break or narrow no-break spaces), ``1.234,5``, ``1.234.567``, ``1,234.5``,
    ``1,5E-3``; a trailing ``%``, ``‰`` or ``€`` is ignored. ``1.234`` alone is read as a decimal
    (1,234), as machine exports write it.

    Returns:
        The number, or ``None`` for an empty cell or a "no value" marker (``NA``, ``nd``,
        ``n.d.``, ``nc``, ``s``, ``secret``, ``x``, ``-``, ``…``: see :data:`MISSING_MARKERS`).

    Raises:
        ValidationError: ``« abc » n'est pas un nombre.``
    """
    stripped = text.strip()
    if stripped.lower() in MISSING_MARKERS:
        return None
    body = stripped.rstrip("%‰€").strip()
    sign = 1.0
    if body[:1] in ("-", "−", "+"):
        sign = -1.0 if body[0] != "+" else 1.0
        body = body[1:].lstrip()
    body = _SPACES.sub(" ", body)
    for pattern, thousands, decimal in _PATTERNS:
        if pattern.fullmatch(body):
            plain = body.replace(thousands, "") if thousands else body
            number = sign * float(plain.replace(decimal, "."))
            if math.isfinite(number):
                return number
            break
    raise ValidationError(f"« {stripped} » n'est pas un nombre.")


def format_unit_value(value: float, unit: Unit, digits: int = 1) -> str:
    """``(12.5, PERCENT)`` → ``12,5 %``; ``(345.0, PER_100000)`` → ``345,0 pour 100 000 habitants``.

    Counts are written without decimals.
    """
    if unit is Unit.COUNT and float(value).is_integer():
        return format_int(int(value))
    text = format_decimal(value, digits)
    if unit in (Unit.PERCENT, Unit.VARIATION_PERCENT):
        sign = "+" if unit is Unit.VARIATION_PERCENT and value > 0 else ""
        return f"{sign}{text}\u00a0%"
    if unit in (Unit.INDEX, Unit.RATIO):
        return text
    if unit is Unit.EUROS:
        return f"{text}\u00a0€"
    return f"{text} {unit.label}"
