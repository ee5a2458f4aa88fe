"""Find the INSEE commune of an address as public files write it ("01390 MIONNAY", "25300 DOUBS CEDEX").

The RPPS and FINESS extractions often leave the INSEE code empty and give a postal code and a
town name instead, sometimes glued together in one field. A postal code can be shared by
several communes (01390 covers eight), so the name decides, compared without accents, hyphens,
apostrophes or case; when two communes still fit, a commune of the territory is preferred.
"""

from __future__ import annotations

from collections.abc import Collection

from santeloc.analysis.place_names import _ORDINAL, plain_place, split_postal
from santeloc.refdata.geo import RefData

_CITY_OF_ARRONDISSEMENT = (("751", "75056"), ("6938", "69123"), ("132", "13055"))


class CommuneFinder:
    """Resolves INSEE codes, or postal code + name, against the shipped reference data.

    ``preferred`` (the territory and its surroundings) breaks ties between communes of the
    same name. Results are cached, so a file of two million lines costs one lookup per place.
    """

    def __init__(self, refdata: RefData, preferred: Collection[str] = ()) -> None:
        self.refdata = refdata
        self.preferred = frozenset(preferred)
        self._postal: dict[str, list[str]] = {}
        self._names: dict[str, list[str]] = {}
        for commune in refdata.communes.values():
            for postal in commune.postal_codes:
                self._postal.setdefault(postal, []).append(commune.code)
            self._names.setdefault(plain_place(commune.name), []).append(commune.code)
        self._cache: dict[tuple[str, str, str], str | None] = {}

    def _pick(self, codes: list[str]) -> str | None:
        if len(codes) == 1:
            return codes[0]
        liked = [c for c in codes if c in self.preferred]
        return liked[0] if len(liked) == 1 else None

    def _by_name(self, postal: str, name: str) -> str | None:
        wanted = plain_place(name)
        if not wanted:
            return None
        candidates = self._postal.get(postal, []) if postal else []
        for variant in (wanted, _ORDINAL.sub("", wanted)):
            named = [c for c in candidates if plain_place(self.refdata.communes[c].name) == variant]
            if named:
                return self._pick(named)
            national = self._names.get(variant, [])
            if postal:  # a cedex office's postal code: same département at least
                national = [c for c in national if c[:2] == postal[:2]]
            if national:
                return self._pick(national)
        return None

    def resolve(self, code: str, postal: str = "", name: str = "") -> str | None:
        """The INSEE code of a commune, or None when the address does not say which one.

        ``code`` is an INSEE code (may be empty), ``postal`` a postal code (may be empty),
        ``name`` a town name, possibly preceded by its postal code ("01390 MIONNAY").
        """
        key = (code, postal, name)
        if key in self._cache:
            return self._cache[key]
        found = self._resolve(code.strip().upper(), postal.strip(), name.strip())
        if len(self._cache) < 200_000:
            self._cache[key] = found
        return found

    def _resolve(self, code: str, postal: str, name: str) -> str | None:
        communes = self.refdata.communes
        if code in communes:
            return code
        for prefix, city in _CITY_OF_ARRONDISSEMENT:
            if code.startswith(prefix) and len(code) == 5:
                return city
        glued, rest = split_postal(name)
        if glued:
            postal, name = postal or glued, rest
        if len(postal) == 4 and postal.isdigit():  # a spreadsheet ate the leading zero
            postal = "0" + postal
        found = self._by_name(postal, name)
        if found is not None:
            return found
        candidates = self._postal.get(postal, [])
        # A postal code of one commune only: the name may be a distribution office's.
        return candidates[0] if len(candidates) == 1 else None


def report_text(parts: list[str]) -> str:
    """An import's summary: its first sentence, then one line per category ("• …")."""
    return parts[0] + "." + "".join(f"\n• {part[:1].upper()}{part[1:]}" for part in parts[1:])
