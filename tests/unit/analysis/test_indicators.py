"""Comparisons with reference levels, indice comparatif with its exact Poisson interval, pyramid."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from santeloc.analysis.indicators import (
    NOT_SIGNIFICANT,
    SIGNIFICANTLY_ABOVE,
    SIGNIFICANTLY_BELOW,
    AgeGroupCounts,
    age_pyramid_shares,
    chi2_quantile,
    compare,
    gamma_quantile,
    regularised_gamma,
    standardised_ratio,
)
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP, NNBSP
from santeloc.domain.indicators import Unit

# ------------------------------------------------------------------------------- compare


def test_compare_above_reads_like_a_report() -> None:
    result = compare(112.4, 100.0, "la Nièvre")
    assert result.direction == "supérieur"
    assert result.ratio == pytest.approx(1.124)
    assert result.difference == pytest.approx(12.4)
    assert result.relative_difference == pytest.approx(12.4)
    assert result.reference_label == "la Nièvre"
    assert result.sentence == (
        f"Le territoire est au-dessus de la Nièvre (+12,4{NBSP}%, soit 1,12 fois la valeur de référence)."
    )


def test_compare_below_with_article_contraction() -> None:
    result = compare(917.0, 1000.0, "le Calvados", unit=Unit.PER_100000)
    assert result.direction == "inférieur"
    assert result.sentence == (
        f"Le territoire est en dessous du Calvados (-8,3{NBSP}%, soit 0,92 fois la valeur de référence)."
    )
    assert "des Vosges" in compare(1.0, 2.0, "les Vosges").sentence
    assert "de l'Orne" in compare(1.0, 2.0, "l'Orne").sentence
    assert "d'Indre-et-Loire" in compare(1.0, 2.0, "Indre-et-Loire").sentence


def test_compare_equal_when_the_printed_gap_is_zero() -> None:
    result = compare(100.02, 100.0, "la France")
    assert result.direction == "égal"
    assert result.sentence == "Le territoire est au même niveau que la France."
    assert compare(5.0, 5.0, "l'Orne").sentence == "Le territoire est au même niveau que l'Orne."
    assert compare(5.0, 5.0, "Indre-et-Loire").sentence == "Le territoire est au même niveau qu'Indre-et-Loire."


def test_compare_percentages_in_points() -> None:
    result = compare(25.3, 23.0, "la région", unit=Unit.PERCENT)
    assert result.direction == "supérieur"
    assert result.difference == pytest.approx(2.3)
    assert (
        result.sentence
        == "Le territoire est au-dessus de la région (+2,3 points, soit 1,10 fois la valeur de référence)."
    )
    assert "(-1,0 point, soit" in compare(9.0, 10.0, "la France", unit=Unit.PERCENT).sentence


def test_compare_variations_have_no_ratio() -> None:
    result = compare(-0.3, 0.2, "la France", unit=Unit.VARIATION_PERCENT)
    assert result.ratio is None and result.relative_difference is None
    assert result.direction == "inférieur"
    assert result.difference == pytest.approx(-0.5)
    assert result.sentence == "Le territoire est en dessous de la France (-0,5 point)."


def test_compare_with_a_zero_reference() -> None:
    result = compare(3.2, 0.0, "la région", unit=Unit.PER_100000)
    assert result.ratio is None and result.relative_difference is None
    assert result.direction == "supérieur"
    assert result.difference == pytest.approx(3.2)
    assert result.sentence == (
        f"Le territoire est au-dessus de la région (+3,2 pour 100{NNBSP}000 habitants ; la valeur de référence "
        "étant nulle, l'écart ne peut pas être exprimé en pourcentage)."
    )
    both_zero = compare(0.0, 0.0, "la région")
    assert both_zero.direction == "égal" and both_zero.ratio is None


@pytest.mark.parametrize(("territory", "reference"), [(None, 10.0), (math.nan, 10.0)])
def test_compare_without_territory_value(territory: float | None, reference: float) -> None:
    result = compare(territory, reference, "la Nièvre")
    assert (result.ratio, result.difference, result.direction) == (None, None, None)
    assert result.sentence == "Valeur du territoire non renseignée : comparaison impossible."


def test_compare_without_reference_value() -> None:
    result = compare(12.0, None, "la Nièvre")
    assert result.direction is None
    assert result.sentence == "Valeur de référence non renseignée pour la Nièvre : comparaison impossible."


def test_compare_with_own_subject() -> None:
    sentence = compare(2.0, 1.0, "la France", territory_label="La communauté de communes").sentence
    assert sentence.startswith("La communauté de communes est au-dessus de la France (+100,0")


# ------------------------------------------------------------------ indice comparatif (SMR)

# Reference values computed independently with SciPy 1.17.1 (scipy.stats.chi2.ppf, Python 3.11)
# in a throwaway virtual environment (SciPy is not a project dependency), November 2026:
#     low  = 100 * chi2.ppf(alpha / 2, 2 * O) / 2 / E     (0 when O = 0)
#     high = 100 * chi2.ppf(1 - alpha / 2, 2 * O + 2) / 2 / E
# (observed, expected, confidence, index, low, high)
SCIPY_REFERENCE = [
    (0, 5.0, 0.95, 0.0, 0.0, 73.77758908227871),
    (1, 2.5, 0.95, 40.0, 1.012712319371596, 222.86573563755593),
    (10, 8.0, 0.95, 125.0, 59.942358701655415, 229.87945052522224),
    (45, 30.2, 0.95, 149.0066225165563, 108.68645294117373, 199.3825844270159),
    (250, 200.0, 0.95, 125.0, 109.98399781546864, 141.49385252115803),
    (1200, 1000.0, 0.95, 120.0, 113.30569154115635, 126.98655628012409),
    (3, 12.7, 0.95, 23.62204724409449, 4.871434038548044, 69.0336462184435),
    (0, 5.0, 0.99, 0.0, 0.0, 105.96634733096073),
    (1, 2.5, 0.99, 40.0, 0.20050167294177146, 297.20518001120485),
    (10, 8.0, 0.99, 125.0, 46.46152664333895, 267.4728437456784),
    (45, 30.2, 0.99, 149.0066225165563, 98.00712611867652, 216.35939295211278),
    (250, 200.0, 0.99, 125.0, 105.57584121558193, 146.84234416371493),
    (1200, 1000.0, 0.99, 120.0, 111.26495385983146, 129.21438962739043),
]


@pytest.mark.parametrize(("observed", "expected", "confidence", "index", "low", "high"), SCIPY_REFERENCE)
def test_exact_interval_matches_scipy(
    observed: int, expected: float, confidence: float, index: float, low: float, high: float
) -> None:
    result = standardised_ratio(observed, expected, confidence)
    assert result.index == pytest.approx(index, rel=1e-12)
    assert result.low == pytest.approx(low, rel=1e-6, abs=1e-12)
    assert result.high == pytest.approx(high, rel=1e-6)
    assert (result.observed, result.expected, result.confidence) == (observed, expected, confidence)


def test_exact_interval_matches_the_published_table() -> None:
    """Exact Poisson 95 % limits for 10 observed cases, as printed in the usual tables of exact
    Poisson confidence limits (e.g. Breslow & Day, *Statistical Methods in Cancer Research*,
    vol. II): 4.7954 – 18.3904. With E = 100 the index bounds are the limits on O."""
    result = standardised_ratio(10, 100.0)
    assert result.low == pytest.approx(4.7954, abs=5e-5)
    assert result.high == pytest.approx(18.3904, abs=5e-5)


def test_zero_observed_has_a_zero_lower_bound() -> None:
    result = standardised_ratio(0, 5.0)
    assert result.low == 0.0
    assert result.high == pytest.approx(100 * -math.log(0.025) / 5.0, rel=1e-12)  # closed form for O = 0
    assert result.verdict == SIGNIFICANTLY_BELOW


@pytest.mark.parametrize(
    ("observed", "expected", "verdict"),
    [
        (45, 30.2, SIGNIFICANTLY_ABOVE),
        (3, 12.7, SIGNIFICANTLY_BELOW),
        (10, 8.0, NOT_SIGNIFICANT),
        (10, 10.0, NOT_SIGNIFICANT),
    ],
)
def test_verdict(observed: int, expected: float, verdict: str) -> None:
    result = standardised_ratio(observed, expected)
    assert result.verdict == verdict
    assert result.significant is (verdict != NOT_SIGNIFICANT)


def test_verdict_strings() -> None:
    assert SIGNIFICANTLY_ABOVE == "significativement supérieur"
    assert SIGNIFICANTLY_BELOW == "significativement inférieur"
    assert NOT_SIGNIFICANT == "non significatif (différence pouvant être due au hasard)"


def test_smr_sentences() -> None:
    assert standardised_ratio(45, 30.2).sentence == (
        f"Indice comparatif de 149,0 (45 cas observés pour 30,2 attendus ; intervalle de confiance à 95{NBSP}% : "
        "108,7 à 199,4) : significativement supérieur à la référence (base 100)."
    )
    assert standardised_ratio(10, 8.0, reference_label="la France métropolitaine").sentence.endswith(
        "écart non significatif avec la référence (la France métropolitaine = 100), la différence pouvant être due au hasard."
    )
    assert f"1{NNBSP}200 cas observés" in standardised_ratio(1200, 1000.0).sentence
    assert "0 cas observé pour" in standardised_ratio(0, 2.0).sentence
    assert f"à 99{NBSP}%" in standardised_ratio(10, 8.0, 0.99).sentence


def test_observed_may_be_a_whole_float() -> None:
    assert standardised_ratio(45.0, 30.2).observed == 45


@pytest.mark.parametrize(
    ("observed", "expected", "confidence", "message"),
    [
        (-1, 10.0, 0.95, "Le nombre de cas observés doit être un entier positif ou nul (valeur reçue : -1)."),
        (12.5, 10.0, 0.95, "Le nombre de cas observés doit être un entier positif ou nul (valeur reçue : 12,5)."),
        (12, 0.0, 0.95, "Le nombre de cas attendus doit être strictement positif (valeur reçue : 0)."),
        (12, -3.5, 0.95, "Le nombre de cas attendus doit être strictement positif (valeur reçue : -3,5)."),
        (12, 10.0, 1.0, "Le niveau de confiance doit être compris strictement entre 0 et 1 (valeur reçue : 1)."),
        (math.nan, 10.0, 0.95, "Le nombre de cas observés « nan » n'est pas un nombre."),
        (12, math.inf, 0.95, "Le nombre de cas attendus « inf » n'est pas un nombre."),
    ],
)
def test_standardised_ratio_refuses_bad_input(
    observed: float, expected: float, confidence: float, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        standardised_ratio(observed, expected, confidence)
    assert error.value.message == message


# SciPy 1.17.1 again (same throwaway environment): float(scipy.stats.chi2.ppf(p, df)).
@pytest.mark.parametrize(
    ("probability", "df", "quantile"),
    [
        (0.025, 20, 9.590777392264867),
        (0.975, 22, 36.78071208403556),
        (0.975, 2, 7.377758908227871),
        (0.025, 2, 0.05063561596857975),
        (0.5, 7.3, 6.645251643816642),
        (0.001, 1, 1.5707971492624921e-06),
        (0.999, 400, 493.1317587399478),
    ],
)
def test_chi2_quantile_matches_scipy(probability: float, df: float, quantile: float) -> None:
    assert chi2_quantile(probability, df) == pytest.approx(quantile, rel=1e-10)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=20_000), st.sampled_from([0.001, 0.005, 0.025, 0.05, 0.1, 0.5]))
def test_gamma_quantile_inverts_the_incomplete_gamma(shape: int, tail: float) -> None:
    low = gamma_quantile(shape, tail)
    high = gamma_quantile(shape + 1, tail, upper_tail=True)
    assert regularised_gamma(shape, low)[0] == pytest.approx(tail, rel=1e-9)
    assert regularised_gamma(shape + 1, high)[1] == pytest.approx(tail, rel=1e-9)
    assert low < shape < high


@given(st.floats(min_value=0.05, max_value=5000), st.floats(min_value=0, max_value=10_000))
def test_incomplete_gamma_tails_add_up(shape: float, x: float) -> None:
    lower, upper = regularised_gamma(shape, x)
    assert 0.0 <= lower <= 1.0 and 0.0 <= upper <= 1.0
    assert lower + upper == pytest.approx(1.0, abs=1e-12)


# ---------------------------------------------------------------------------- age pyramid


def test_pyramid_shares_add_up_to_100_on_each_side() -> None:
    rows = [
        AgeGroupCounts("0-19 ans", 300, 280, 150_000, 143_000),
        AgeGroupCounts("20-64 ans", 800, 820, 380_000, 385_000),
        AgeGroupCounts("65 ans et plus", 400, 500, 120_000, 160_000),
    ]
    shares = age_pyramid_shares(rows)
    assert [share.label for share in shares] == ["0-19 ans", "20-64 ans", "65 ans et plus"]
    assert shares[0].territory_men == pytest.approx(100 * 300 / 3100)
    assert shares[2].reference_women == pytest.approx(100 * 160_000 / 1_338_000)
    assert sum(s.territory_men + s.territory_women for s in shares) == pytest.approx(100)
    assert sum((s.reference_men or 0) + (s.reference_women or 0) for s in shares) == pytest.approx(100)


def test_pyramid_without_reference() -> None:
    shares = age_pyramid_shares([AgeGroupCounts("0-59", 10, 10), AgeGroupCounts("60+", 0, 20)])
    assert shares[1].territory_women == pytest.approx(50.0)
    assert shares[0].reference_men is None and shares[1].reference_women is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "Aucune tranche d'âge"),
        ([AgeGroupCounts("0-19", -1, 10)], "Tranche « 0-19 » : l'effectif -1 est impossible"),
        ([AgeGroupCounts("0-19", 0, 0)], "La population du territoire est nulle"),
        ([AgeGroupCounts("0-19", 1, 1, 0, 0)], "La population de référence est nulle"),
        ([AgeGroupCounts("0-19", 1, 1, 5, 5), AgeGroupCounts("20+", 1, 1)], "pour toutes les tranches d'âge"),
    ],
)
def test_pyramid_refuses_bad_counts(rows: list[AgeGroupCounts], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        age_pyramid_shares(rows)
