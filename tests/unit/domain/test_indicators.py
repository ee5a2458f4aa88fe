"""Health indicators: units, themes, catalogue, value checks, French numbers."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP, NNBSP, format_decimal, format_int
from santeloc.domain.indicators import (
    CATALOGUE,
    CATALOGUE_BY_KEY,
    MISSING_MARKERS,
    THEME_LABELS,
    THEMES,
    IndicatorDefinition,
    Unit,
    format_unit_value,
    indicators_of_theme,
    parse_french_number,
    parse_unit,
    validate_value,
)

# ---------------------------------------------------------------------------------- units


def test_units_know_their_labels_and_bounds() -> None:
    assert Unit.PER_100000.label == f"pour 100{NNBSP}000 habitants"
    assert Unit.PER_10000.label == f"pour 10{NNBSP}000 habitants"
    assert Unit.PERCENT.label == "%"
    assert Unit.INDEX.label == "indice (base 100)"
    assert Unit.YEARS.label == "années"
    assert Unit.COUNT.label == "nombre"
    assert Unit.VARIATION_PERCENT.label == "évolution en %"
    assert Unit.PER_1000.short == "‰"
    assert Unit.PERCENT.max_value == 100
    assert Unit.PER_100000.max_value is None
    assert Unit.PER_10000.base == 10_000
    assert [unit for unit in Unit if unit.allows_negative] == [Unit.VARIATION_PERCENT]


def test_every_unit_has_label_and_short_form() -> None:
    for unit in Unit:
        assert unit.label and unit.short
    assert Unit.choices()[0] == (Unit.PER_10000.value, Unit.PER_10000.label)
    assert Unit("pour_100000") is Unit.PER_100000  # stored as its value


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("pour 100 000", Unit.PER_100000),
        ("p. 100 000 hab.", Unit.PER_100000),
        ("Taux pour 100 000 habitants", Unit.PER_100000),
        (f"pour 100{NNBSP}000 habitants", Unit.PER_100000),
        ("/100 000", Unit.PER_100000),
        ("taux standardisé p. 100.000", Unit.PER_100000),
        ("taux pour 10000", Unit.PER_10000),
        ("pour 10 000 hab.", Unit.PER_10000),
        ("%", Unit.PERCENT),
        ("en %", Unit.PERCENT),
        ("Pourcentage", Unit.PERCENT),
        ("pour cent", Unit.PERCENT),
        ("pour 100", Unit.PERCENT),
        ("‰", Unit.PER_1000),
        ("pour 1 000 naissances vivantes", Unit.PER_1000),
        ("pour mille", Unit.PER_1000),
        ("Indice", Unit.INDEX),
        ("ICM", Unit.INDEX),
        ("base 100", Unit.INDEX),
        ("Indice comparatif (base 100)", Unit.INDEX),
        ("années", Unit.YEARS),
        ("ANNEES", Unit.YEARS),
        ("ans", Unit.YEARS),
        ("nb", Unit.COUNT),
        ("Nombre", Unit.COUNT),
        ("effectif", Unit.COUNT),
        ("ratio", Unit.RATIO),
        ("Évolution annuelle en %", Unit.VARIATION_PERCENT),
        ("variation (%)", Unit.VARIATION_PERCENT),
        ("€", Unit.EUROS),
        ("euros", Unit.EUROS),
    ],
)
def test_parse_unit_reads_what_public_files_write(text: str, unit: Unit) -> None:
    assert parse_unit(text) is unit


@pytest.mark.parametrize("unit", list(Unit))
def test_parse_unit_reads_its_own_values_and_labels(unit: Unit) -> None:
    assert parse_unit(unit.value) is unit
    assert parse_unit(unit.label) is unit


@pytest.mark.parametrize("text", ["kg", "taux", "mmHg"])
def test_parse_unit_refuses_unknown_units_listing_the_accepted_ones(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_unit(text)
    assert f"Unité « {text} » non reconnue" in error.value.message
    assert "pour 100\u202f000 habitants" in error.value.message and "indice (base 100)" in error.value.message


def test_parse_unit_says_when_the_unit_is_missing() -> None:
    with pytest.raises(ValidationError, match="L'unité est manquante"):
        parse_unit("  ")


# ------------------------------------------------------------------------- themes, catalogue


def test_themes_in_report_order() -> None:
    assert [label for _key, label in THEMES] == [
        "Population et vieillissement",
        "Situation sociale",
        "Mortalité générale",
        "Mortalité prématurée",
        "Causes de décès",
        "Maladies chroniques (ALD)",
        "Accidents",
        "Comportements",
        "Santé de la mère et de l'enfant",
    ]
    assert THEME_LABELS["ald"] == "Maladies chroniques (ALD)"


def test_catalogue_is_complete_and_consistent() -> None:
    assert 35 <= len(CATALOGUE) <= 45
    assert len(CATALOGUE_BY_KEY) == len(CATALOGUE), "clés en double"
    theme_keys = [key for key, _ in THEMES]
    for definition in CATALOGUE:
        assert isinstance(definition, IndicatorDefinition)
        assert definition.key.isascii() and definition.key == definition.key.lower() and " " not in definition.key
        assert definition.theme in theme_keys
        assert definition.label[0].isupper() and definition.description.endswith(".")
        assert definition.usual_source
        assert isinstance(definition.unit, Unit)
    # grouped by theme, in theme order
    order = [theme_keys.index(definition.theme) for definition in CATALOGUE]
    assert order == sorted(order)
    for key in theme_keys:
        assert len(indicators_of_theme(key)) >= 3, key


@pytest.mark.parametrize(
    ("key", "unit"),
    [
        ("part_75_ans_plus", Unit.PERCENT),
        ("indice_vieillissement", Unit.RATIO),
        ("part_c2s", Unit.PERCENT),
        ("taux_chomage", Unit.PERCENT),
        ("tcm_generale", Unit.PER_100000),
        ("tcm_prematuree", Unit.PER_100000),
        ("tcm_prematuree_evitable", Unit.PER_100000),
        ("tcm_suicide", Unit.PER_100000),
        ("ald_diabete", Unit.PER_100000),
        ("ald_psychiatriques", Unit.PER_100000),
        ("tcm_accidents_circulation", Unit.PER_100000),
        ("tcm_alcool", Unit.PER_100000),
        ("taux_ivg", Unit.PER_1000),
        ("mortalite_infantile", Unit.PER_1000),
        ("esperance_vie_femmes", Unit.YEARS),
        ("icm_generale", Unit.INDEX),
    ],
)
def test_catalogue_holds_the_usual_indicators(key: str, unit: Unit) -> None:
    assert CATALOGUE_BY_KEY[key].unit is unit


def test_catalogue_names_the_usual_producers() -> None:
    sources = " ".join(definition.usual_source for definition in CATALOGUE)
    for producer in ("INSEE", "Inserm-CépiDc", "CNAM", "SNDS", "ORS", "SCORE-Santé", "Géodes"):
        assert producer in sources


# ---------------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "unit", "year"),
    [
        (0.0, Unit.PERCENT, 2020),
        (100.0, Unit.PERCENT, 2024),
        (1234.5, Unit.PER_100000, 1950),
        (-2.5, Unit.VARIATION_PERCENT, None),
        (82.1, Unit.YEARS, 2026),
        (None, Unit.INDEX, 2019),
    ],
)
def test_validate_value_accepts_plausible_values(value: float | None, unit: Unit, year: int | None) -> None:
    validate_value(value, unit, year=year, today_year=2026)


def test_validate_value_refuses_negative_values_where_impossible() -> None:
    with pytest.raises(ValidationError) as error:
        validate_value(-3.5, Unit.PER_100000, year=2020, today_year=2026)
    assert error.value.message == (
        f"La valeur -3,5 est négative : impossible pour une valeur exprimée en « pour 100{NNBSP}000 habitants »."
    )


def test_validate_value_refuses_a_percentage_above_100() -> None:
    with pytest.raises(ValidationError, match=r"La valeur 112,5 dépasse 100 : impossible .* « % »"):
        validate_value(112.5, Unit.PERCENT, year=2020, today_year=2026)


def test_validate_value_refuses_a_future_year() -> None:
    with pytest.raises(ValidationError) as error:
        validate_value(12.0, Unit.PERCENT, year=2031, today_year=2026)
    assert error.value.message == "L'année 2031 est dans le futur (nous sommes en 2026)."


def test_validate_value_refuses_a_year_before_1950() -> None:
    with pytest.raises(ValidationError, match="L'année 1949 est antérieure à 1950"):
        validate_value(12.0, Unit.PERCENT, year=1949, today_year=2026)
    with pytest.raises(ValidationError, match="antérieure à 1950"):
        validate_value(None, Unit.PERCENT, year=19, today_year=2026)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_validate_value_refuses_non_numbers(value: float) -> None:
    with pytest.raises(ValidationError, match="n'est pas un nombre utilisable"):
        validate_value(value, Unit.COUNT, year=None, today_year=2026)


def test_format_unit_value() -> None:
    assert format_unit_value(12.5, Unit.PERCENT) == f"12,5{NBSP}%"
    assert format_unit_value(2.0, Unit.VARIATION_PERCENT) == f"+2,0{NBSP}%"
    assert format_unit_value(1234.0, Unit.COUNT) == f"1{NNBSP}234"
    assert format_unit_value(345.04, Unit.PER_100000) == f"345,0 pour 100{NNBSP}000 habitants"
    assert format_unit_value(104.0, Unit.INDEX) == "104,0"


# --------------------------------------------------------------------------- French numbers


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("-3,2", -3.2),
        ("−3,2", -3.2),
        ("+4", 4.0),
        ("0", 0.0),
        (",5", 0.5),
        ("1 234", 1234.0),
        ("1 234,5", 1234.5),
        (f"1{NBSP}234,5", 1234.5),
        (f"1{NNBSP}234{NNBSP}567,89", 1234567.89),
        ("1\u2009234", 1234.0),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1,234.5", 1234.5),
        ("1.234", 1.234),
        ("1,234", 1.234),
        ("  12,5  ", 12.5),
        ("12,5 %", 12.5),
        ("1,5E-3", 0.0015),
        ("2.5e+02", 250.0),
        ("795 305 €", 795305.0),
    ],
)
def test_parse_french_number(text: str, number: float) -> None:
    assert parse_french_number(text) == pytest.approx(number, rel=1e-15)


@pytest.mark.parametrize(
    "text", ["", "   ", "NA", "na", "N/A", "nd", "ND", "n.d.", "nc", "s", "S", "secret", "x", "-", "–", "…", "..."]
)
def test_parse_french_number_reads_missing_markers_as_none(text: str) -> None:
    assert parse_french_number(text) is None


def test_missing_markers_are_lower_case() -> None:
    assert all(marker == marker.lower() for marker in MISSING_MARKERS)


@pytest.mark.parametrize("text", ["abc", "12,5,3", "1 23", "12 345 6", "1..2", "1e400", "12a", "%", "--3"])
def test_parse_french_number_refuses_text(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_french_number(text)
    assert error.value.message == f"« {text} » n'est pas un nombre."


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=0, max_value=4))
def test_french_formatting_then_parsing_gives_the_number_back(units: int, digits: int) -> None:
    value = Decimal(units).scaleb(-digits)
    text = format_decimal(value, digits)
    assert parse_french_number(text) == pytest.approx(float(value), rel=1e-15, abs=1e-12)
    for space in (" ", NBSP):
        assert parse_french_number(text.replace(NNBSP, space)) == pytest.approx(float(value), rel=1e-15, abs=1e-12)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=4))
def test_dot_thousands_with_decimal_comma_round_trip(units: int, digits: int) -> None:
    value = Decimal(units).scaleb(-digits)
    text = format_decimal(value, digits).replace(NNBSP, ".")
    assert parse_french_number(text) == pytest.approx(float(value), rel=1e-15, abs=1e-12)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_round_trip(number: int) -> None:
    assert parse_french_number(format_int(number)) == number


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_floats_round_trip_within_the_printed_precision(number: float) -> None:
    assert parse_french_number(format_decimal(number, 3)) == pytest.approx(number, abs=0.0005 + 1e-9)
