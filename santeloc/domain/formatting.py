"""French formatting of numbers, money and dates (1 234 567,89 €, 22/11/2026).

Pure functions, shared by the GUI, the CLI and the exports, so that every figure the user
sees is written the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

NNBSP = "\u202f"  # narrow no-break space: the French thousands separator
NBSP = "\u00a0"  # no-break space: before units and the euro sign


def format_int(value: int) -> str:
    """``1234567`` → ``1 234 567`` (narrow no-break spaces)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", NNBSP)


def format_decimal(value: float | Decimal, digits: int = 1) -> str:
    """``1234.56`` → ``1 234,6`` with ``digits`` decimals, rounded half up."""
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    text = format_int(int(integer))
    return sign + (f"{text},{fraction}" if digits > 0 else text)


def format_cents(cents: int, *, with_cents: bool = False, unit: bool = True) -> str:
    """``79530500`` → ``795 305 €`` (or ``795 305,00 €``), rounded half up once, here.

    ``unit=False`` leaves out the « € » (a column whose header already says it)."""
    euros = Decimal(cents) / 100
    body = format_decimal(euros, 2) if with_cents else format_decimal(euros, 0)
    return f"{body}{NBSP}€" if unit else body


def format_percent(value: float | Decimal, digits: int = 1) -> str:
    """``25.0`` → ``25,0 %``."""
    return f"{format_decimal(value, digits)}{NBSP}%"


def format_date(value: date | datetime) -> str:
    """``2026-11-22`` → ``22/11/2026``."""
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime) -> str:
    """``2026-11-22 14:05`` → ``22/11/2026 à 14:05``."""
    return value.strftime("%d/%m/%Y à %H:%M")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(2, "commune")`` → ``2 communes``; French: 0 and 1 take the singular."""
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{format_int(count)} {word}"


def parse_cents(text: str) -> int:
    """``"1 234,56 €"`` → ``123456``: money typed the French way, exactly (no float on the way).

    Accepts spaces (including no-break ones) as thousands separators, a comma or a point as
    the decimal separator, and a trailing ``€``; refuses more than two decimals.
    """
    from santeloc.domain.errors import ValidationError

    cleaned = text.strip().removesuffix("€").strip()
    for space in (" ", NBSP, NNBSP, "\u2009"):
        cleaned = cleaned.replace(space, "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "")  # 1.234,56: the point separates thousands
    cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except ArithmeticError:
        raise ValidationError(f"« {text.strip()} » n'est pas un montant (par exemple 12 500 ou 12 500,50).") from None
    if not amount.is_finite():
        raise ValidationError(f"« {text.strip()} » n'est pas un montant.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"« {text.strip()} » a plus de deux décimales : un montant se donne au centime près.")
    return int(amount * 100)


def parse_percent_bp(text: str) -> int:
    """``"25"`` or ``"12,5 %"`` → basis points (2 500, 1 250), exactly."""
    from santeloc.domain.errors import ValidationError

    cleaned = text.strip().removesuffix("%").strip().replace(",", ".").replace(" ", "").replace(NBSP, "")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise ValidationError(f"« {text.strip()} » n'est pas un pourcentage (par exemple 25 ou 12,5).") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"« {text.strip()} » : deux décimales au plus pour un pourcentage.")
    return int(value * 100)


_FRENCH_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DIGITS_DATE = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})")  # 01092027, 010927
_WORDS_DATE = re.compile(r"(\d{1,2})(?:er)?\s+([a-zéèûô]+)\.?\s+(\d{4})")  # 1er sept. 2027
_MONTHS = {
    "janv": 1, "jan": 1, "fevr": 2, "fev": 2, "mars": 3, "mar": 3, "avr": 4, "mai": 5, "juin": 6,
    "juil": 7, "aout": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def _month(word: str) -> int | None:
    """« septembre », « sept. », « févr », « août » → the month's number (None if not a month)."""
    plain = word.lower().translate(str.maketrans("éèêûô", "eeeuo")).rstrip(".")
    for prefix in sorted(_MONTHS, key=len, reverse=True):
        full = {"janv": "janvier", "fevr": "fevrier", "avr": "avril", "juil": "juillet", "sept": "septembre",
                "oct": "octobre", "nov": "novembre", "dec": "decembre"}.get(prefix, prefix)  # fmt: skip
        if plain.startswith(prefix) and full.startswith(plain):
            return _MONTHS[prefix]
    return None


_PERIOD = re.compile(r"(\d{4})\s*(?:[-–—/]|à|a)\s*(\d{4})")


def parse_date(text: str, what: str = "") -> date | None:
    """A date typed the French way (``12/03/2026``, ``1/9/2027``, ``12.03.2026``, ``01092027``,
    ``1 sept. 2027``, ``1er septembre 2027``) or ISO (``2026-03-12``); None when empty. The one
    date parser of forms, imports and the CLI.

    Raises:
        ValidationError: not a date, or a day that does not exist (French, naming ``what``).
    """
    from santeloc.domain.errors import ValidationError

    stripped = text.strip()
    if not stripped:
        return None
    prefix = f"{what} : " if what else ""
    iso = _ISO_DATE.fullmatch(stripped)
    french = _FRENCH_DATE.fullmatch(stripped) or _DIGITS_DATE.fullmatch(stripped)
    words = _WORDS_DATE.fullmatch(stripped.lower())
    month_of_words = _month(words.group(2)) if words else None
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif french:
        day, month = int(french.group(1)), int(french.group(2))
        year = int(french.group(3)) + (2000 if len(french.group(3)) == 2 else 0)
    elif words and month_of_words is not None:
        day, month, year = int(words.group(1)), month_of_words, int(words.group(3))
    else:
        raise ValidationError(
            f"{prefix}« {stripped} » n'est pas une date : écrivez-la jj/mm/aaaa, par exemple 12/03/2026 ou 1 sept. 2026."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"{prefix}le « {stripped} » n'existe pas dans le calendrier.") from None


def parse_period(text: str, what: str = "") -> tuple[int, int] | None:
    """A year (``2019``) or a period of years (``2015-2019``, ``2015 à 2019``) → (first, last);
    None when empty. Mortality data are usually given over such periods."""
    from santeloc.domain.errors import ValidationError

    stripped = text.strip()
    if not stripped:
        return None
    prefix = f"{what} : " if what else ""
    if re.fullmatch(r"\d{4}", stripped):
        return int(stripped), int(stripped)
    match = _PERIOD.fullmatch(stripped)
    if match and int(match.group(1)) <= int(match.group(2)):
        return int(match.group(1)), int(match.group(2))
    raise ValidationError(f"{prefix}« {stripped} » n'est ni une année (2019) ni une période (2015-2019).")


def format_period(first: int, last: int) -> str:
    """``(2015, 2019)`` → ``2015-2019``; a single year → ``2019``."""
    return str(first) if first == last else f"{first}-{last}"
