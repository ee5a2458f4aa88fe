"""How a funder is named to a reader: "Région", "Assurance Maladie", "DETR" — never "ASSURANCE_MALADIE".

Funder codes are identifiers (stable, upper case, no accents); a person reads an acronym as is
(DETR, ARS, FEDER) and a word as the word, accented. Used by charts, combos and file names.
"""

from __future__ import annotations

import re
import unicodedata

WORDS: dict[str, str] = {
    "REGION": "Région",
    "DEPARTEMENT": "Département",
    "ASSURANCE_MALADIE": "Assurance Maladie",
    "EMPRUNT": "Emprunt",
    "AUTRE": "Autre financeur",
    "COMMUNE": "Commune",
    "INTERCOMMUNALITE": "Intercommunalité",
    "AUTOFINANCEMENT": "Autofinancement",
}
ACRONYM = re.compile(r"^[A-Z0-9]{2,7}$")


def funder_short_name(code: str, name: str = "") -> str:
    """A short name for a funder: its acronym, or the word its code stands for, accented.

    An unknown code that is not an acronym gives the funder's name (or the code made readable).
    """
    if code in WORDS:
        return WORDS[code]
    if ACRONYM.match(code):
        return code
    if name:
        return name
    return code.replace("_", " ").capitalize()


def funder_label(code: str, name: str) -> str:
    """The funder for a list or a legend: "DETR — État — Dotation…", "Conseil régional"."""
    short = funder_short_name(code, name)
    if not name or name == short:
        return short
    if ACRONYM.match(code) and code not in WORDS:
        return name if name.startswith(code) else f"{code} — {name}"
    return name


def file_safe(text: str) -> str:
    """``text`` for a file name: accents kept, spaces and punctuation turned into hyphens."""
    cleaned = re.sub(r"[^\w-]+", "-", unicodedata.normalize("NFC", text)).strip("-_")
    return cleaned or "financeur"


LOAN_FUNDERS = frozenset({"EMPRUNT"})
SELF_FUNDERS = frozenset({"AUTOFINANCEMENT"})


def resource_kind_for(funder_code: str) -> str | None:
    """The nature a resource takes from its funder: a loan for "EMPRUNT", a grant for a funder.

    ``None`` when no funder is chosen (loan or self-funding: the user says which).
    """
    code = funder_code.strip()
    if not code:
        return None
    if code in LOAN_FUNDERS:
        return "emprunt"
    if code in SELF_FUNDERS:
        return "autofinancement"
    return "subvention"
