"""Finding a commune to add to a territory, without surprises (issue 25, point 3).

Namesakes are many in France (a dozen Saint-Privat, several Ronchères): the one meant is the
one near the territory. Results keep the search's order of match (exact name first, then
names starting with the query, then the rest) and, within each, come nearest the territory
first — its communes' centre, else its EPCI's or département's when given. A commune far from
all the others is named with its distance, so that adding it can be confirmed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from santeloc.refdata.geo import Commune, RefData, normalize_text

FAR_KM = 40.0  # a commune further than this from every other one of the territory is asked about
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True)
class Candidate:
    """A commune found for a query, with what tells it from its namesakes."""

    commune: Commune
    departement: str  # its département's name (or code)
    distance_km: float | None  # from the territory's centre (None: no territory, or no position)
    in_territory: bool


def _query_words(text: str) -> str:
    return " ".join(ABBREVIATIONS.get(word, word) for word in normalize_text(text).split())


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _position(commune: Commune) -> tuple[float, float] | None:
    return (commune.lat, commune.lon) if commune.lat is not None and commune.lon is not None else None


def territory_centre(
    refdata: RefData, codes: Iterable[str], fallback_codes: Iterable[str] = ()
) -> tuple[float, float] | None:
    """The mean position of the territory's communes (of ``fallback_codes`` — its EPCI's or
    département's — when none has a position)."""
    for group in (codes, fallback_codes):
        points = [p for code in group if (c := refdata.communes.get(code)) and (p := _position(c))]
        if points:
            return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return None


def search_near(
    refdata: RefData, query: str, territory: Sequence[str], limit: int = 50, fallback_codes: Iterable[str] = ()
) -> list[Candidate]:
    """The communes matching ``query``, the nearest to the territory first among equal matches."""
    found = refdata.search(query, max(limit, 200))
    centre = territory_centre(refdata, territory, fallback_codes)
    words = _query_words(query)
    inside = set(territory)

    def distance(commune: Commune) -> float | None:
        position = _position(commune)
        return _km(centre, position) if centre is not None and position is not None else None

    def tier(commune: Commune) -> int:
        name = _query_words(commune.name)
        if commune.code == query.strip() or name == words:
            return 0
        return 1 if name.startswith(words) else 2

    candidates = []
    for rank, commune in enumerate(found):
        dep = refdata.departements.get(commune.departement)
        candidates.append(
            (
                Candidate(commune, dep.name if dep else commune.departement, distance(commune), commune.code in inside),
                rank,
            )
        )
    if centre is not None:
        candidates.sort(key=lambda pair: (tier(pair[0].commune), pair[0].distance_km or math.inf, pair[1]))
    return [candidate for candidate, _rank in candidates[:limit]]


def far_from_territory(
    refdata: RefData, territory: Sequence[str], new_codes: Iterable[str], limit_km: float = FAR_KM
) -> list[tuple[Commune, float]]:
    """The communes of ``new_codes`` further than ``limit_km`` from every commune of the
    territory, with that shortest distance (nothing when the territory is still empty)."""
    points = [p for code in territory if (c := refdata.communes.get(code)) and (p := _position(c))]
    if not points:
        return []
    far = []
    for code in new_codes:
        commune = refdata.communes.get(code)
        position = _position(commune) if commune is not None else None
        if commune is None or position is None or code in territory:
            continue
        nearest = min(_km(position, point) for point in points)
        if nearest > limit_km:
            far.append((commune, nearest))
    return far
