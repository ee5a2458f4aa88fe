"""French formatting: thousands with narrow no-break spaces, decimal commas, euros, dates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from santeloc.domain.formatting import (
    NBSP,
    NNBSP,
    format_cents,
    format_date,
    format_datetime,
    format_decimal,
    format_int,
    format_percent,
    plural,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (999, "999"), (1000, "1 000"), (795305, "795 305"), (-1234567, "-1 234 567")],
)
def test_format_int(value: int, expected: str) -> None:
    assert format_int(value) == expected.replace(" ", NNBSP)


def test_format_decimal_rounds_half_up_once() -> None:
    assert format_decimal(1234.56, 1) == f"1{NNBSP}234,6"
    assert format_decimal(Decimal("2.25"), 1) == "2,3"  # half up, not banker's rounding
    assert format_decimal(Decimal("-0.05"), 1) == "-0,1"
    assert format_decimal(12, 0) == "12"


def test_money_and_percent() -> None:
    assert format_cents(79_530_500) == f"795{NNBSP}305{NBSP}€"
    assert format_cents(12_345, with_cents=True) == f"123,45{NBSP}€"
    assert format_percent(Decimal("40.81")) == f"40,8{NBSP}%"


def test_dates() -> None:
    assert format_date(date(2005, 5, 23)) == "23/05/2005"
    assert format_datetime(datetime(2026, 11, 22, 9, 5)) == "22/11/2026 à 09:05"


def test_plural_follows_french_rules() -> None:
    assert plural(0, "commune") == "0 commune"
    assert plural(1, "commune") == "1 commune"
    assert plural(24, "commune") == "24 communes"
    assert plural(2, "bureau", "bureaux") == "2 bureaux"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_int_round_trips(value: int) -> None:
    assert int(format_int(value).replace(NNBSP, "")) == value


@given(st.integers(min_value=0, max_value=10**13))
def test_cents_display_is_the_rounded_euro(cents: int) -> None:
    shown = format_cents(cents).removesuffix(f"{NBSP}€").replace(NNBSP, "")
    expected = (Decimal(cents) / 100).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert Decimal(shown) == expected
