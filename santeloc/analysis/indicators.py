"""Comparisons of health indicators with reference levels, and their statistical significance.

No Qt, no database. What it offers:

- :func:`compare` — territory value against one reference value (département, région,
  France): ratio, difference, direction and a plain French sentence;
- :func:`standardised_ratio` — the *indice comparatif* (standardised mortality / incidence
  ratio, base 100) with its **exact Poisson** confidence interval (Garwood) and the verdict
  "significativement supérieur / inférieur / non significatif";
- :func:`age_pyramid_shares` — the shares of each age group and sex, for the age pyramid.

The chi-square quantiles the exact interval needs are computed here (regularised incomplete
gamma function and its inverse) so that the application does not depend on SciPy; the tests
check them against SciPy's values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP, format_decimal, format_percent, plural
from santeloc.domain.indicators import Unit

Direction = Literal["supérieur", "inférieur", "égal"]

ABOVE: Direction = "supérieur"
BELOW: Direction = "inférieur"
EQUAL: Direction = "égal"

# --------------------------------------------------------------------------------------------
# Territory against a reference value
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    """Territory value against a reference value.

    Attributes:
        ratio: territory / reference; ``None`` when it has no meaning (missing value, reference
            zero or negative, or a variation unit).
        difference: territory − reference, in the unit of the values; ``None`` when a value is
            missing.
        relative_difference: (ratio − 1) × 100, in percent; ``None`` when ``ratio`` is.
        direction: ``"supérieur"``, ``"inférieur"`` or ``"égal"`` (the difference rounds to zero
            as it is printed); ``None`` when a value is missing.
        sentence: the comparison in plain French, ready for a report.
        reference_label: the reference as passed to :func:`compare` (``"la Nièvre"``).
    """

    ratio: float | None
    difference: float | None
    relative_difference: float | None
    direction: Direction | None
    sentence: str
    reference_label: str = "la référence"


def compare(
    territory: float | None,
    reference: float | None,
    reference_label: str = "la référence",
    *,
    unit: Unit | None = None,
    territory_label: str = "Le territoire",
) -> Comparison:
    """Compare the territory's value with a reference value (no significance: see
    :func:`standardised_ratio` for that).

    Args:
        territory: value of the territory (``None`` or NaN when unknown).
        reference: value of the reference level (``None`` or NaN when unknown).
        reference_label: the reference *with its article*, as it goes in a sentence:
            ``"la Nièvre"``, ``"le Calvados"`` (→ "du Calvados"), ``"l'Orne"``, ``"la France"``.
        unit: unit of both values. For ``%`` and ``évolution en %`` the gap is given in points
            (and no ratio for a variation); otherwise in percent of the reference.
        territory_label: subject of the sentence.

    Example:
        ``compare(112.4, 100.0, "la Nièvre").sentence`` →
        ``"Le territoire est au-dessus de la Nièvre (+12,4 %, soit 1,12 fois la valeur de référence)."``
    """
    territory = _known(territory)
    reference = _known(reference)
    if territory is None:
        return Comparison(
            None, None, None, None, "Valeur du territoire non renseignée : comparaison impossible.", reference_label
        )
    if reference is None:
        return Comparison(
            None,
            None,
            None,
            None,
            f"Valeur de référence non renseignée pour {reference_label} : comparaison impossible.",
            reference_label,
        )
    difference = territory - reference
    in_points = unit in (Unit.PERCENT, Unit.VARIATION_PERCENT)
    ratio = territory / reference if reference > 0 and territory >= 0 and unit is not Unit.VARIATION_PERCENT else None
    relative = (ratio - 1.0) * 100.0 if ratio is not None else None

    if in_points:
        shown = difference
        points = abs(round(difference, 1))
        detail = f"{_signed(difference)} {'point' if points < 2 else 'points'}"
    elif relative is not None:
        shown = relative
        detail = _signed(relative) + f"{NBSP}%"
    else:
        shown = difference
        detail = _signed(difference) + (f" {unit.label}" if unit is not None else "")
        if reference == 0:
            detail += " ; la valeur de référence étant nulle, l'écart ne peut pas être exprimé en pourcentage"
    if ratio is not None:
        detail += f", soit {format_decimal(ratio, 2)} fois la valeur de référence"

    rounded = round(shown, 1)
    if rounded > 0:
        direction: Direction = ABOVE
        sentence = f"{territory_label} est au-dessus {_de(reference_label)} ({detail})."
    elif rounded < 0:
        direction = BELOW
        sentence = f"{territory_label} est en dessous {_de(reference_label)} ({detail})."
    else:
        direction = EQUAL
        sentence = f"{territory_label} est au même niveau {_que(reference_label)}."
    return Comparison(ratio, difference, relative, direction, sentence, reference_label)


def _known(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _signed(value: float) -> str:
    """``12.44`` → ``+12,4``; ``-3.0`` → ``-3,0``; a value rounding to zero has no sign."""
    text = format_decimal(value, 1)
    if text.lstrip("-") == "0,0":
        return "0,0"
    return text if text.startswith("-") else "+" + text


def _starts_with_vowel(label: str) -> bool:
    return label[:1].lower() in "aâàeéèêiîoôuûyh"


def _de(label: str) -> str:
    """``"la Nièvre"`` → ``"de la Nièvre"``, ``"le Calvados"`` → ``"du Calvados"``, ``"les Vosges"`` → ``"des Vosges"``."""
    if label.startswith("le "):
        return "du " + label[3:]
    if label.startswith("les "):
        return "des " + label[4:]
    return ("d'" if _starts_with_vowel(label) else "de ") + label


def _que(label: str) -> str:
    return ("qu'" if _starts_with_vowel(label) else "que ") + label


# --------------------------------------------------------------------------------------------
# Standardised ratio (indice comparatif) with its exact Poisson interval
# --------------------------------------------------------------------------------------------

SIGNIFICANTLY_ABOVE = "significativement supérieur"
SIGNIFICANTLY_BELOW = "significativement inférieur"
NOT_SIGNIFICANT = "non significatif (différence pouvant être due au hasard)"


@dataclass(frozen=True, slots=True)
class SmrResult:
    """An *indice comparatif* (base 100) and its exact confidence interval.

    Attributes:
        observed: cases (deaths, admissions…) observed on the territory.
        expected: cases expected if the territory had the reference's age-specific rates.
        confidence: level of the interval (0.95).
        index: 100 × observed / expected.
        low, high: bounds of the interval of the index (base 100).
        verdict: :data:`SIGNIFICANTLY_ABOVE` (low > 100), :data:`SIGNIFICANTLY_BELOW`
            (high < 100) or :data:`NOT_SIGNIFICANT`.
        sentence: the result in plain French, ready for a report.
    """

    observed: int
    expected: float
    confidence: float
    index: float
    low: float
    high: float
    verdict: str
    sentence: str

    @property
    def significant(self) -> bool:
        """Whether the interval excludes 100."""
        return self.verdict != NOT_SIGNIFICANT


def standardised_ratio(
    observed: float, expected: float, confidence: float = 0.95, *, reference_label: str | None = None
) -> SmrResult:
    """The *indice comparatif* 100 × O / E with the exact (Garwood) Poisson interval on O.

    With α = 1 − confidence, the bounds on O are ``χ²(α/2; 2O) / 2`` (0 when O = 0) and
    ``χ²(1 − α/2; 2O + 2) / 2``; both are divided by E and multiplied by 100. E is taken as
    known (the usual practice of the ORS and of SCORE-Santé).

    Args:
        observed: observed cases, a whole number ≥ 0 (``12.0`` is accepted).
        expected: expected cases, > 0.
        confidence: level of the interval, strictly between 0 and 1.
        reference_label: the reference with its article (``"la France métropolitaine"``), named
            in the sentence when given.

    Raises:
        ValidationError: observed negative or not whole, expected not strictly positive,
            confidence outside ]0 ; 1[ (French messages).
    """
    if isinstance(observed, bool) or not isinstance(observed, int | float) or not math.isfinite(observed):
        raise ValidationError(f"Le nombre de cas observés « {observed} » n'est pas un nombre.")
    if observed < 0 or abs(observed - round(observed)) > 1e-9:
        raise ValidationError(
            f"Le nombre de cas observés doit être un entier positif ou nul (valeur reçue : {_plain(observed)})."
        )
    if isinstance(expected, bool) or not isinstance(expected, int | float) or not math.isfinite(expected):
        raise ValidationError(f"Le nombre de cas attendus « {expected} » n'est pas un nombre.")
    if expected <= 0:
        raise ValidationError(
            f"Le nombre de cas attendus doit être strictement positif (valeur reçue : {_plain(expected)})."
        )
    if not 0 < confidence < 1:
        raise ValidationError(
            f"Le niveau de confiance doit être compris strictement entre 0 et 1 (valeur reçue : {_plain(confidence)})."
        )
    cases = round(observed)
    alpha = 1.0 - confidence
    low_cases = 0.0 if cases == 0 else gamma_quantile(cases, alpha / 2)
    high_cases = gamma_quantile(cases + 1, alpha / 2, upper_tail=True)
    index = 100.0 * cases / expected
    low = 100.0 * low_cases / expected
    high = 100.0 * high_cases / expected
    if low > 100.0:
        verdict = SIGNIFICANTLY_ABOVE
    elif high < 100.0:
        verdict = SIGNIFICANTLY_BELOW
    else:
        verdict = NOT_SIGNIFICANT
    level = format_percent(confidence * 100, 0 if abs(confidence * 100 - round(confidence * 100)) < 1e-9 else 1)
    reference = f"la référence ({reference_label} = 100)" if reference_label else "la référence (base 100)"
    conclusion = (
        f"{verdict} à {reference}"
        if verdict != NOT_SIGNIFICANT
        else f"écart non significatif avec {reference}, la différence pouvant être due au hasard"
    )
    sentence = (
        f"Indice comparatif de {format_decimal(index, 1)} "
        f"({plural(cases, 'cas observé', 'cas observés')} pour {format_decimal(expected, 1)} attendus ; "
        f"intervalle de confiance à {level} : {format_decimal(low, 1)} à {format_decimal(high, 1)}) : {conclusion}."
    )
    return SmrResult(cases, float(expected), confidence, index, low, high, verdict, sentence)


def _plain(value: float) -> str:
    return format_decimal(value, 0) if float(value).is_integer() else format_decimal(value, 3).rstrip("0")


def chi2_quantile(probability: float, degrees_of_freedom: float) -> float:
    """Quantile of the chi-square distribution: the x such that P(χ²(df) ≤ x) = probability."""
    if not 0 < probability < 1:
        raise ValueError("probability must lie in ]0, 1[")
    if probability <= 0.5:
        return 2.0 * gamma_quantile(degrees_of_freedom / 2, probability)
    return 2.0 * gamma_quantile(degrees_of_freedom / 2, 1.0 - probability, upper_tail=True)


def regularised_gamma(a: float, x: float) -> tuple[float, float]:
    """``(P(a, x), Q(a, x))``, the regularised lower and upper incomplete gamma functions.

    Series expansion for x < a + 1, Lentz's continued fraction otherwise; each computes the tail
    it is accurate for and the other is its complement.
    """
    if a <= 0:
        raise ValueError("a must be positive")
    if x <= 0:
        return 0.0, 1.0
    log_prefactor = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        n = a
        for _ in range(100_000):
            n += 1.0
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        lower = total * math.exp(log_prefactor)
        return lower, 1.0 - lower
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    upper = math.exp(log_prefactor) * h
    return 1.0 - upper, upper


def gamma_quantile(a: float, probability: float, *, upper_tail: bool = False) -> float:
    """The x such that P(a, x) = probability (or Q(a, x) = probability if ``upper_tail``).

    Newton's method on the regularised incomplete gamma, kept inside a bisection bracket so
    that it always converges; started from the Wilson–Hilferty approximation. Relative
    precision about 1e-14.
    """
    if a <= 0 or not 0 < probability < 1:
        raise ValueError("a must be positive and probability in ]0, 1[")
    lower_probability = 1.0 - probability if upper_tail else probability

    def residual(x: float) -> float:
        """Increasing in x, zero at the quantile."""
        p, q = regularised_gamma(a, x)
        return probability - q if upper_tail else p - probability

    # Wilson–Hilferty: chi-square with 2a degrees of freedom, halved.
    z = NormalDist().inv_cdf(lower_probability)
    k = 1.0 / (9.0 * a)
    x = a * (1.0 - k + z * math.sqrt(k)) ** 3
    if not x > 0:
        # Small a and small probability: first term of the series, P ≈ x^a / Γ(a + 1).
        x = math.exp((math.log(lower_probability) + math.lgamma(a + 1.0)) / a)
    low, high = 0.0, math.inf
    for _ in range(500):
        f = residual(x)
        if f == 0:
            return x
        if f < 0:
            low = x
        else:
            high = x
        density = math.exp((a - 1.0) * math.log(x) - x - math.lgamma(a))
        step = f / density if density > 0 else math.inf
        candidate = x - step
        if not low < candidate < high:
            candidate = (low + high) / 2 if math.isfinite(high) else 2.0 * x
        if abs(candidate - x) <= 1e-15 * x:
            return candidate
        x = candidate
    return x


# --------------------------------------------------------------------------------------------
# Age pyramid
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgeGroupCounts:
    """Population of one age group by sex, on the territory and (optionally) the reference."""

    label: str
    territory_men: float
    territory_women: float
    reference_men: float | None = None
    reference_women: float | None = None


@dataclass(frozen=True, slots=True)
class PyramidShares:
    """Shares (in % of each population's total, both sexes) of one age group, for the pyramid.

    The reference shares are ``None`` when no reference counts were given.
    """

    label: str
    territory_men: float
    territory_women: float
    reference_men: float | None
    reference_women: float | None


def age_pyramid_shares(rows: Sequence[AgeGroupCounts]) -> list[PyramidShares]:
    """Per age group, the share of men and of women in the total population (both sexes, all
    ages) of the territory and of the reference — so that the two pyramids share one scale
    whatever their sizes. Shares of one population add up to 100.

    The reference is optional but all-or-nothing: give both reference counts on every row or
    on none.

    Raises:
        ValidationError: no row, a negative or non-finite count, a total of zero, reference
            counts given on some rows only.
    """
    if not rows:
        raise ValidationError("Aucune tranche d'âge : la pyramide des âges ne peut pas être tracée.")
    references = [(row.reference_men, row.reference_women) for row in rows]
    with_reference = all(men is not None and women is not None for men, women in references)
    if not with_reference and any(men is not None or women is not None for men, women in references):
        raise ValidationError(
            "Les effectifs de la référence doivent être donnés pour toutes les tranches d'âge et les deux sexes, ou pour aucune."
        )
    for row in rows:
        counts = [row.territory_men, row.territory_women]
        if with_reference:
            counts += [row.reference_men or 0.0, row.reference_women or 0.0]
        for count in counts:
            if not math.isfinite(count) or count < 0:
                raise ValidationError(
                    f"Tranche « {row.label} » : l'effectif {_plain(count) if math.isfinite(count) else count} "
                    "est impossible (un effectif est un nombre positif ou nul)."
                )
    territory_total = sum(row.territory_men + row.territory_women for row in rows)
    if territory_total <= 0:
        raise ValidationError("La population du territoire est nulle : la pyramide des âges ne peut pas être tracée.")
    reference_total = sum((row.reference_men or 0.0) + (row.reference_women or 0.0) for row in rows)
    if with_reference and reference_total <= 0:
        raise ValidationError("La population de référence est nulle : la pyramide des âges ne peut pas être tracée.")
    shares = []
    for row in rows:
        shares.append(
            PyramidShares(
                row.label,
                100.0 * row.territory_men / territory_total,
                100.0 * row.territory_women / territory_total,
                100.0 * (row.reference_men or 0.0) / reference_total if with_reference else None,
                100.0 * (row.reference_women or 0.0) / reference_total if with_reference else None,
            )
        )
    return shares
