"""Town names as public files write them: "01390 MIONNAY", "ST ANDRE DE CORCY", "25300 DOUBS CEDEX".

Pure text functions (no reference data), shared by the RPPS and FINESS imports.
"""

from __future__ import annotations

import re
import unicodedata

_CEDEX = re.compile(r"\s+CEDEX(\s+\d+)?$")
_ORDINAL = re.compile(r"\s+(\d+)\s*(E|ER|EME|EMME)?(\s+ARRONDISSEMENT)?$")
_LEADING_POSTAL = re.compile(r"^(\d[\dAB]\d{3})\s+(.*)$")
# Municipal arrondissements are counted under their city in the reference data.


_PUNCTUATION = str.maketrans({c: " " for c in "-'’`.,/"})


def plain_place(text: str) -> str:
    """A town name reduced for comparison: capitals, no accents, hyphens or apostrophes, "ST" spelt out."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = " ".join(text.upper().translate(_PUNCTUATION).split())
    if "CEDEX" in bare:
        bare = _CEDEX.sub("", bare)
    if "ST" in bare:
        bare = re.sub(
            r"(^|\s)(ST|STE)(?=\s)", lambda m: m.group(1) + ("SAINT" if m.group(2) == "ST" else "SAINTE"), bare
        )
    return bare.strip()


def split_postal(text: str) -> tuple[str, str]:
    """("01390", "MIONNAY") from "01390 MIONNAY"; ("", text) when no postal code leads."""
    match = _LEADING_POSTAL.match(text.strip())
    if match is None:
        return "", text.strip()
    return match.group(1), match.group(2).strip()


# Country codes and labels meaning France in public extractions (INSEE "99100", RPPS "99000", ISO).
FRANCE_COUNTRY = frozenset({"", "99000", "99100", "FR", "FRA", "FRANCE"})
