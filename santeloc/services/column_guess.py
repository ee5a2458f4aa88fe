"""Which column of a user's table holds which field: whole words, in order of preference.

A word matches a header only as a whole word ("depart" does not match "Département",
"nom" does not match "Prénom"), headers naming a code ("Code profession") yield to the
header naming the label ("Libellé profession"), and each field can list words that rule a
header out ("type" for the RPPS number: "Type d'identifiant PP" is not a number).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence


def plain_header(text: str) -> str:
    """Lower case, no accents, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


def guess_columns(
    headers: Sequence[str],
    fields: Sequence[tuple[str, str]],
    words: Mapping[str, Sequence[str]],
    avoid: Mapping[str, Sequence[str]] | None = None,
    weak: Sequence[str] = ("code", "type", "id"),
) -> dict[str, int]:
    """The best column of each field (fields in order, a column used once)."""
    avoid = avoid or {}
    plain = [plain_header(h) for h in headers]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for key, _label in fields:
        best: tuple[int, int, int] | None = None
        for rank, word in enumerate(words.get(key, ())):
            pattern = re.compile(rf"(?<![a-z0-9]){re.escape(plain_header(word))}(?![a-z0-9])")
            for index, header in enumerate(plain):
                if index in taken or not pattern.search(header):
                    continue
                if any(re.search(rf"(?<![a-z0-9]){re.escape(a)}", header) for a in avoid.get(key, ())):
                    continue
                penalty = 1 if set(header.split()) & set(weak) else 0
                score = (rank, penalty, index)
                if best is None or score < best:
                    best = score
        if best is not None:
            mapping[key] = best[2]
            taken.add(best[2])
    return mapping


PROFESSIONAL_WORDS: dict[str, Sequence[str]] = {
    "profession": ("profession", "metier", "specialite", "professions"),
    "last_name": ("nom", "nom d exercice", "nom de famille"),
    "first_name": ("prenom", "prenoms"),
    "rpps": ("rpps", "identification nationale pp", "identification nationale", "identifiant pp", "adeli"),
    "commune": ("code commune", "commune", "ville", "insee", "lieu d exercice", "lieu"),
    "birth_year": ("annee de naissance", "naissance"),
    "age": ("age",),
    "fte": ("etp", "temps"),
    "sector": ("secteur conventionnel", "secteur"),
    "retirement_year": ("depart", "retraite", "annee de depart"),
}
PROFESSIONAL_AVOID: dict[str, Sequence[str]] = {
    "rpps": ("type", "technique", "ancien"),
    "commune": ("naissance", "pays"),
    "sector": ("activite",),
    "birth_year": ("commune", "pays", "lieu"),
    "last_name": ("usage",),
}


def guess_professional_columns(headers: Sequence[str], fields: Sequence[tuple[str, str]]) -> dict[str, int]:
    """The columns of a list of professionals, including the Annuaire santé's own headers."""
    return guess_columns(headers, fields, PROFESSIONAL_WORDS, PROFESSIONAL_AVOID)
