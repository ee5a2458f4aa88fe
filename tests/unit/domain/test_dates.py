"""The one French date and period parser of forms, imports and the CLI."""

from __future__ import annotations

from datetime import date

import pytest

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_period, parse_date, parse_period


@pytest.mark.parametrize("text", ["12/03/2026", "12/3/26", " 12.03.2026 ", "12-03-2026", "2026-03-12"])
def test_dates_the_french_way_and_iso(text: str) -> None:
    assert parse_date(text) == date(2026, 3, 12)


def test_empty_is_none_and_wrong_is_french() -> None:
    assert parse_date("  ") is None and parse_period("") is None
    with pytest.raises(ValidationError, match="Début : le « 31/02/2026 » n'existe pas"):
        parse_date("31/02/2026", "Début")
    with pytest.raises(ValidationError, match="jj/mm/aaaa"):
        parse_date("mars 2026")


@pytest.mark.parametrize(("text", "expected"), [("2019", (2019, 2019)), ("2015-2019", (2015, 2019)),
                                                ("2015 – 2019", (2015, 2019)), ("2015 à 2019", (2015, 2019))])  # fmt: skip
def test_years_and_periods(text: str, expected: tuple[int, int]) -> None:
    assert parse_period(text) == expected
    assert format_period(*expected) == (
        str(expected[0]) if expected[0] == expected[1] else f"{expected[0]}-{expected[1]}"
    )


def test_a_reversed_period_is_refused() -> None:
    with pytest.raises(ValidationError, match="ni une année"):
        parse_period("2019-2015")
