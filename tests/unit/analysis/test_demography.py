"""Demography of professionals: density, age structure, departures, projection, three 15s."""

from __future__ import annotations

import pytest

from santeloc.analysis.demography import (
    ProfessionalRecord,
    age_pyramid,
    demography,
    project_population,
    three_fifteens,
)
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP, NNBSP

GP = "Médecins généralistes"
NURSE = "Infirmiers"

# Five GPs and two nurses on a territory of 4 000 inhabitants, diagnostic in 2026.
RECORDS = [
    ProfessionalRecord(GP, age=66, fte=1.0),  # reaches 67 in 2027: within 5 years
    ProfessionalRecord(GP, age=61, fte=0.8),  # 67 in 2032: within 10 years only
    ProfessionalRecord(GP, age=45, fte=1.0, retirement_year=2029),  # announced: within 5 years
    ProfessionalRecord(GP, age=52, fte=None, retirement_year=2040),  # announced beyond 10 years
    ProfessionalRecord(GP, age=None, fte=0.5),  # unknown age, nothing announced: not estimable
    ProfessionalRecord(NURSE, age=30, fte=1.0, commune_code="58227"),
    ProfessionalRecord(NURSE, age=58, fte=1.0, retirement_year=2020, commune_code="58227"),  # past date: now
]


def test_density_in_heads_and_fte() -> None:
    result = demography(RECORDS, 4000, today_year=2026)
    gp = result[GP]
    assert gp.heads == 5
    assert gp.density_per_10000 == pytest.approx(12.5)  # 5 / 4 000 × 10 000
    assert gp.density_per_100000 == pytest.approx(125.0)
    assert gp.fte == pytest.approx(3.3)  # FTE known for 4 of the 5
    assert gp.fte_known == 4
    assert gp.fte_density_per_10000 is None  # not every FTE is known
    nurses = result[NURSE]
    assert nurses.fte_density_per_10000 == pytest.approx(5.0)
    assert list(result) == [GP, NURSE]


def test_age_structure() -> None:
    gp = demography(RECORDS, 4000, today_year=2026)[GP]
    assert (gp.known_age, gp.unknown_age) == (4, 1)
    assert gp.count_aged == {50: 3, 55: 2, 60: 2, 65: 1}
    assert gp.share_aged == pytest.approx({50: 75.0, 55: 50.0, 60: 50.0, 65: 25.0})
    assert gp.mean_age == pytest.approx((66 + 61 + 45 + 52) / 4)


def test_departures_at_5_and_10_years_with_announced_dates() -> None:
    result = demography(RECORDS, 4000, today_year=2026)
    gp = result[GP]
    # Within 5 years (≤ 2031): the 66-year-old (2027) and the announced 2029.
    # Within 10 years (≤ 2036): plus the 61-year-old (2032); 2040 is beyond.
    assert gp.departures == {5: 2, 10: 3}
    assert gp.announced_departures == 2
    assert gp.departures_unknown == 1
    # An announced year already past counts as a departure now.
    assert result[NURSE].departures == {5: 1, 10: 1}


def test_retirement_age_is_a_parameter() -> None:
    gp = demography(RECORDS, 4000, today_year=2026, retirement_age=62)[GP]
    # At 62: the 66- and 61-year-olds leave within 5 years, with the announced 2029.
    assert gp.departures == {5: 3, 10: 3}
    assert f"l'année des 62{NBSP}ans" in gp.describe()


def test_projected_density_with_a_population_projection() -> None:
    gp = demography(RECORDS, 4000, today_year=2026, projection=(2036, 3000))[GP]
    five, ten = gp.projections[5], gp.projections[10]
    # Population interpolated: 4 000 → 3 000 in 10 years, so 3 500 in 2031.
    assert (five.year, five.heads, five.population) == (2031, 3, pytest.approx(3500.0))
    assert five.density_per_10000 == pytest.approx(3 / 3500 * 10_000)
    assert (ten.year, ten.heads, ten.population) == (2036, 2, pytest.approx(3000.0))
    assert ten.density_per_10000 == pytest.approx(2 / 3000 * 10_000)
    assert five.population_projected
    assert "population projetée" in five.sentence


def test_projection_without_population_projection_keeps_todays_population() -> None:
    gp = demography(RECORDS, 4000, today_year=2026)[GP]
    assert gp.projections[10].population == 4000
    assert gp.projections[10].density_per_10000 == pytest.approx(2 / 4000 * 10_000)
    assert not gp.projections[10].population_projected


def test_project_population_interpolates_and_extends() -> None:
    assert project_population(4000, 2026, (2031, 3500), 2028) == (pytest.approx(3800.0), True)
    assert project_population(4000, 2026, (2031, 3500), 2036) == (pytest.approx(3000.0), True)  # trend extended
    assert project_population(4000, 2026, None, 2036) == (4000, False)


def test_comparison_with_reference_densities() -> None:
    result = demography(
        RECORDS,
        4000,
        {GP: {"la Nièvre": 8.9, "la France": 9.0}, NURSE: {"la Nièvre": 15.0}},
        today_year=2026,
    )
    gp = result[GP]
    assert [c.reference_label for c in gp.comparisons] == ["la Nièvre", "la France"]
    assert gp.comparisons[0].direction == "supérieur"
    assert "au-dessus de la Nièvre" in gp.comparisons[0].sentence
    assert result[NURSE].comparisons[0].direction == "inférieur"
    # One mapping for every profession:
    shared = demography(RECORDS, 4000, {"la France": 9.0}, today_year=2026)
    assert len(shared[GP].comparisons) == len(shared[NURSE].comparisons) == 1


def test_sentences_are_french() -> None:
    gp = demography(RECORDS, 4000, today_year=2026, projection=(2036, 3000))[GP]
    text = gp.describe()
    assert f"{GP} : 5 professionnels, soit 12,5 pour 10{NNBSP}000 habitants (125,0 pour 100{NNBSP}000)." in text
    assert f"75,0{NBSP}% ont 50{NBSP}ans ou plus" in text
    assert f"2 départs d'ici 5{NBSP}ans et 3 départs d'ici 10{NBSP}ans (dont 2 dates annoncées)" in text
    assert "non estimable pour 1" in text
    assert f"En 2036 (dans 10{NBSP}ans), sans nouvelle installation : 2 professionnels" in text
    assert f"l'année des 67{NBSP}ans" in text


def test_zero_population_and_bad_input() -> None:
    gp = demography(RECORDS, 0, today_year=2026)[GP]
    assert gp.density_per_10000 is None
    assert "non calculable" in gp.sentences()[0]
    with pytest.raises(ValidationError, match="invraisemblable"):
        demography([ProfessionalRecord(GP, age=7)], 1000, today_year=2026)
    with pytest.raises(ValidationError, match="population"):
        demography(RECORDS, -5, today_year=2026)


def test_age_pyramid() -> None:
    pyramid = age_pyramid(RECORDS)
    assert pyramid.labels[0] == f"moins de 25{NBSP}ans"
    assert pyramid.labels[1] == f"25 à 29{NBSP}ans"
    assert pyramid.labels[-1] == f"70{NBSP}ans et plus"
    assert len(pyramid.labels) == 11
    gp = dict(zip(pyramid.labels, pyramid.counts[GP], strict=True))
    assert gp[f"65 à 69{NBSP}ans"] == 1
    assert gp[f"60 à 64{NBSP}ans"] == 1
    assert gp[f"50 à 54{NBSP}ans"] == 1
    assert gp[f"45 à 49{NBSP}ans"] == 1
    assert sum(pyramid.counts[GP]) == 4
    assert pyramid.unknown == {GP: 1, NURSE: 0}
    assert sum(pyramid.total()) == 6
    custom = age_pyramid(RECORDS, bins=(40, 60))
    assert custom.labels == (f"moins de 40{NBSP}ans", f"40 à 59{NBSP}ans", f"60{NBSP}ans et plus")
    assert custom.counts[NURSE] == (1, 1, 0)
    with pytest.raises(ValidationError):
        age_pyramid(RECORDS, bins=(60, 40))


def test_three_fifteens_is_an_indicative_check() -> None:
    check = three_fifteens(9800, 12, 22)
    assert check.sentence.startswith("Repère indicatif, pas un verdict : ")
    assert "URML de Basse-Normandie" in check.sentence
    assert check.population.status == "en dessous du repère"
    assert check.professionals.status == "proche du repère"
    assert check.travel.status == "au-delà du repère"
    assert f"9{NNBSP}800 habitants (en dessous du repère)" in check.sentence
    good = three_fifteens(15_400, 16, 14)
    assert all(c.met for c in good.criteria)
    unknown = three_fifteens(None, None, None)
    assert all(c.met is None for c in unknown.criteria)
    assert "non renseigné" in unknown.sentence
