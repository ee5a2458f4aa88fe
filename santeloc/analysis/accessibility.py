"""Geographic accessibility to care (step 3 of the methodology): travel times and APL.

Pure computations (NumPy, no Qt, no database, no I/O). What it offers:

- :func:`haversine_matrix` — great-circle distances between two sets of points, computed by
  row blocks (and :func:`haversine_blocks` to stream larger problems);
- :func:`neighbour_pairs` — every (origin, destination) pair closer than a distance, found
  with a KD-tree on unit vectors instead of a dense matrix: the engine behind everything else;
- :class:`TravelModel` — straight-line distance × detour factor ÷ speed, the *estimation* used
  when no distance matrix is imported;
- :class:`DistanceMatrix` — imported travel times between communes (e.g. INSEE METRIC) that
  replace the estimate;
- :func:`nearest_minutes` and :func:`population_beyond` — travel time to the nearest commune
  holding a kind of professional, and the population beyond 15 / 20 / 30 minutes;
- :class:`AplParameters`, :func:`supply_by_commune`, :func:`apl`, :func:`apl_full` and
  :func:`two_step_fca` — the *accessibilité potentielle localisée* (two-step floating catchment
  area after the DREES): ``R_j = S_j / Σ_k w(t_kj)·P_k`` and ``A_i = Σ_j w(t_ij)·R_j``.

Neighbour search
----------------
Points become unit vectors of 3-D space; two points are within great-circle distance d when
their chord is at most ``2·sin(d / 2R)``, so SciPy's KD-tree (``cKDTree``) finds the candidate
pairs by chord length (a tiny relative margin keeps pairs at the limit), and the exact
haversine distance then decides. When origins and destinations are the same points (an APL
where every commune holds supply) each pair is searched and measured once
(``query_pairs``) and used in both directions. For all ~35 000 communes of metropolitan
France and a 20-minute reach that is about 2 million pairs. The distance is the haversine
formula on a sphere of radius ``EARTH_RADIUS_KM`` (6 371,0088 km, the IUGG mean radius).

Continuous decay
----------------
``decay="continuous"`` keeps the DREES plateau (weight 1 up to the first step, 10 min by
default) and then decreases **linearly** to 0 at ``max_minutes`` (20 min). With the default
steps (1 to 10 min, 2/3 to 15, 1/3 to 20) both curves have the same area (15 minute-weights), so
the two variants give values of the same order; the linear one removes the jumps at 10 and
15 minutes. A Gaussian was rejected: it never reaches 0 and would need an arbitrary cut.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, NamedTuple, Protocol, overload

import numpy as np
import numpy.typing as npt

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP, format_decimal, format_int, format_percent, plural

__all__ = [
    "DEFAULT_STEPS",
    "EARTH_RADIUS_KM",
    "AplParameters",
    "AplResult",
    "CommuneSource",
    "Decay",
    "DistanceMatrix",
    "NeighbourPairs",
    "PopulationBeyond",
    "Supply",
    "SupplyPoint",
    "SupplyUnit",
    "TravelModel",
    "apl",
    "apl_full",
    "calculation_area",
    "haversine_blocks",
    "haversine_matrix",
    "nearest_minutes",
    "neighbour_pairs",
    "population_beyond",
    "population_beyond_table",
    "standardised_demand",
    "supply_by_commune",
    "two_step_fca",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), the same as santeloc.refdata.geo
DEFAULT_STEPS: tuple[tuple[float, float], ...] = ((10.0, 1.0), (15.0, 2.0 / 3.0), (20.0, 1.0 / 3.0))

_CHUNK_CANDIDATES = 1_000_000  # no longer used by the neighbour search (kept: public default)
_DENSE_LIMIT = 25_000_000  # largest matrix haversine_matrix agrees to return (200 MB)
_BLOCK_ELEMENTS = 1_000_000  # elements per row block of the dense computations
_MARGIN = 1e-9  # relative margin on search radii: rounding never loses a pair at the limit
_SHOWN_MISSING = 5  # missing pairs quoted in an error message

Decay = Literal["steps", "continuous", "none"]
SupplyUnit = Literal["ETP", "consultations"]


class _CommuneLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def population(self) -> int: ...


class CommuneSource(Protocol):
    """What the functions need from the reference data (:class:`santeloc.refdata.geo.RefData`).

    Declared here because ``santeloc.analysis`` must not import ``santeloc.refdata``.
    """

    @property
    def communes(self) -> Mapping[str, _CommuneLike]: ...

    def centres(self, codes: Sequence[str]) -> FloatArray: ...


# ============================================================================================
# Distances
# ============================================================================================


def _as_latlon(points: npt.ArrayLike, what: str) -> FloatArray:
    array = np.asarray(points, dtype=np.float64)
    if array.size == 0:
        return np.empty((0, 2))
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"{what} must be an (n, 2) array of (lat, lon) degrees, got shape {array.shape}")
    return array


def _haversine_km(
    lat1: FloatArray, lon1: FloatArray, cos1: FloatArray, lat2: FloatArray, lon2: FloatArray, cos2: FloatArray
) -> FloatArray:
    """Great-circle distance in km from radians and precomputed cosines of latitude (broadcasts).

    The one kernel behind :func:`haversine_matrix` and :func:`neighbour_pairs`, so both give
    bit-identical distances for the same pair.
    """
    h = np.sin((lat2 - lat1) * 0.5) ** 2 + cos1 * cos2 * np.sin((lon2 - lon1) * 0.5) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def haversine_blocks(
    origins_latlon: npt.ArrayLike, destinations_latlon: npt.ArrayLike, *, block_elements: int = _BLOCK_ELEMENTS
) -> Iterator[tuple[int, FloatArray]]:
    """Great-circle distances (km) by blocks of rows: yields ``(first_row, block)``.

    ``block`` has shape ``(rows, m)``; NaN where a point is unknown. Memory stays bounded by
    ``block_elements`` whatever the size of the problem.
    """
    origins = np.radians(_as_latlon(origins_latlon, "origins_latlon"))
    destinations = np.radians(_as_latlon(destinations_latlon, "destinations_latlon"))
    n, m = len(origins), len(destinations)
    lat2, lon2 = destinations[:, 0][None, :], destinations[:, 1][None, :]
    cos2 = np.cos(lat2)
    rows = max(1, block_elements // max(m, 1))
    for start in range(0, n, rows):
        block = origins[start : start + rows]
        lat1, lon1 = block[:, 0][:, None], block[:, 1][:, None]
        yield start, _haversine_km(lat1, lon1, np.cos(lat1), lat2, lon2, cos2)


def haversine_matrix(
    origins_latlon: npt.ArrayLike, destinations_latlon: npt.ArrayLike, *, max_elements: int = _DENSE_LIMIT
) -> FloatArray:
    """Dense ``(n, m)`` matrix of great-circle distances in km between (lat, lon) degrees.

    Computed by row blocks, so the temporaries stay small; NaN rows/columns for unknown
    points. A result larger than ``max_elements`` (25 million, 200 MB) is refused: a
    35 000 × 35 000 problem must go through :func:`neighbour_pairs` (only the pairs within a
    radius) or :func:`haversine_blocks` (streamed), never through a dense matrix.
    """
    origins = _as_latlon(origins_latlon, "origins_latlon")
    destinations = _as_latlon(destinations_latlon, "destinations_latlon")
    n, m = len(origins), len(destinations)
    if n * m > max_elements:
        raise ValueError(
            f"A {n} x {m} distance matrix exceeds max_elements={max_elements}: "
            "use neighbour_pairs() or haversine_blocks() instead"
        )
    out = np.empty((n, m))
    for start, block in haversine_blocks(origins, destinations):
        out[start : start + len(block)] = block
    return out


class NeighbourPairs(NamedTuple):
    """Pairs found by :func:`neighbour_pairs`: indices into the origin and destination arrays."""

    origin: IntArray
    destination: IntArray
    km: FloatArray


def _unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)], axis=1)


def neighbour_pairs(
    origins_latlon: npt.ArrayLike,
    destinations_latlon: npt.ArrayLike,
    max_km: float,
    *,
    chunk_candidates: int = _CHUNK_CANDIDATES,
) -> NeighbourPairs:
    """Every (origin, destination) pair whose great-circle distance is at most ``max_km``.

    Points are (lat, lon) degrees; points with a NaN coordinate are ignored. Returns index
    arrays into the two inputs (sorted by origin) and the distances in km, identical to
    :func:`haversine_matrix` for the same pair. Memory and cost grow with the number of
    pairs, not with ``n × m``. ``chunk_candidates`` is accepted for compatibility and no longer
    used (the KD-tree yields only pairs within reach, no candidate table).
    """
    origins = _as_latlon(origins_latlon, "origins_latlon")
    destinations = _as_latlon(destinations_latlon, "destinations_latlon")
    empty = NeighbourPairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    if not max_km >= 0:
        raise ValueError(f"max_km must be a non-negative number, got {max_km}")
    o_ids = np.flatnonzero(np.isfinite(origins).all(axis=1))
    d_ids = np.flatnonzero(np.isfinite(destinations).all(axis=1))
    if len(o_ids) == 0 or len(d_ids) == 0:
        return empty
    o_rad = np.radians(origins[o_ids])
    d_rad = np.radians(destinations[d_ids])
    oi, dj, km = _pairs_within(o_rad, d_rad, max_km)
    order = np.argsort(oi, kind="stable")
    return NeighbourPairs(o_ids[oi[order]], d_ids[dj[order]], km[order])


def _chord_limit(max_km: float) -> float:
    """Chord between unit vectors for a great-circle distance, with the rounding margin."""
    return 2.0 * math.sin(min(max_km / EARTH_RADIUS_KM, math.pi) / 2.0) * (1.0 + _MARGIN) + 1e-12


def _pairs_within(o_rad: FloatArray, d_rad: FloatArray, max_km: float) -> tuple[IntArray, IntArray, FloatArray]:
    """Unsorted (origin, destination, km) within ``max_km``; finite (lat, lon) radians only."""
    from scipy.spatial import cKDTree  # loaded on the first computation, not with the module

    found = cKDTree(_unit_vectors(o_rad[:, 0], o_rad[:, 1])).sparse_distance_matrix(
        cKDTree(_unit_vectors(d_rad[:, 0], d_rad[:, 1])), _chord_limit(max_km), output_type="ndarray"
    )
    oi = found["i"].astype(np.int64, copy=False)
    dj = found["j"].astype(np.int64, copy=False)
    km = _haversine_km(
        o_rad[oi, 0], o_rad[oi, 1], np.cos(o_rad[oi, 0]), d_rad[dj, 0], d_rad[dj, 1], np.cos(d_rad[dj, 0])
    )
    keep = km <= max_km
    return oi[keep], dj[keep], km[keep]


def _pairs_within_same(rad: FloatArray, max_km: float) -> tuple[IntArray, IntArray, FloatArray]:
    """Like :func:`_pairs_within` for one set of points with itself: each pair measured once.

    ``query_pairs`` gives each unordered pair ``i < j`` once; the result lists it both ways
    and adds every point with itself (distance 0).
    """
    from scipy.spatial import cKDTree

    found = cKDTree(_unit_vectors(rad[:, 0], rad[:, 1])).query_pairs(_chord_limit(max_km), output_type="ndarray")
    i = found[:, 0].astype(np.int64, copy=False)
    j = found[:, 1].astype(np.int64, copy=False)
    cos = np.cos(rad[:, 0])
    km = _haversine_km(rad[i, 0], rad[i, 1], cos[i], rad[j, 0], rad[j, 1], cos[j])
    keep = km <= max_km
    i, j, km = i[keep], j[keep], km[keep]
    everyone = np.arange(len(rad), dtype=np.int64)
    return (
        np.concatenate([i, j, everyone]),
        np.concatenate([j, i, everyone]),
        np.concatenate([km, km, np.zeros(len(rad))]),
    )


def _nearest_km(origins: FloatArray, destinations: FloatArray) -> tuple[FloatArray, IntArray]:
    """Distance (km) to and index of the nearest destination of each origin (inf / -1 if none).

    Searches within 10 km, then doubles the radius for the origins still without a hit: an
    origin with a hit within radius r has its true nearest among the hits. Beyond 1 280 km the
    remaining origins are finished by streamed dense blocks.
    """
    n = len(origins)
    best = np.full(n, np.inf)
    arg = np.full(n, -1, dtype=np.int64)
    valid_o = np.isfinite(origins).all(axis=1)
    valid_d = np.isfinite(destinations).all(axis=1)
    if not valid_d.any():
        best[~valid_o] = np.nan
        return best, arg
    todo = np.flatnonzero(valid_o)
    radius = 10.0
    while len(todo) and radius <= 1280.0:
        pairs = neighbour_pairs(origins[todo], destinations, radius)
        if len(pairs.km):
            # Sort by (origin, distance, destination): the first row of each origin is its nearest.
            order = np.lexsort((pairs.destination, pairs.km, pairs.origin))
            first = np.ones(len(order), dtype=bool)
            first[1:] = pairs.origin[order][1:] != pairs.origin[order][:-1]
            chosen = order[first]
            hit = todo[pairs.origin[chosen]]
            best[hit] = pairs.km[chosen]
            arg[hit] = pairs.destination[chosen]
        todo = todo[~np.isfinite(best[todo])]
        radius *= 2.0
    if len(todo):
        d_ids = np.flatnonzero(valid_d)
        for start, block in haversine_blocks(origins[todo], destinations[d_ids]):
            rows = todo[start : start + len(block)]
            j = np.argmin(block, axis=1)
            best[rows] = block[np.arange(len(block)), j]
            arg[rows] = d_ids[j]
    best[~valid_o] = np.nan
    return best, arg


# ============================================================================================
# Travel time: estimate and imported matrix
# ============================================================================================


def _number(value: float, digits: int = 2) -> str:
    """French number with at most ``digits`` decimals and no trailing zeros: 1,3 · 60 · 0,25."""
    text = format_decimal(value, digits)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def _weight_text(value: float) -> str:
    """A weight as it is written in the DREES method: 1, 2/3, 1/3, else a decimal number."""
    fraction = Fraction(value).limit_denominator(12)
    if fraction.denominator != 1 and abs(float(fraction) - value) < 1e-9:
        return f"{fraction.numerator}/{fraction.denominator}"
    return _number(value)


@dataclass(frozen=True, slots=True)
class TravelModel:
    """Estimated travel time: straight-line distance × ``detour_factor`` ÷ ``speed_kmh``.

    Both parameters are shown with every result (:meth:`describe`); the estimate is replaced by
    an imported :class:`DistanceMatrix` where one is given.
    """

    detour_factor: float = 1.3
    speed_kmh: float = 60.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.detour_factor) and self.detour_factor >= 1.0):
            raise ValidationError(
                f"Le coefficient de détour doit être au moins égal à 1 (reçu : {_number(self.detour_factor)})."
            )
        if not (math.isfinite(self.speed_kmh) and self.speed_kmh > 0):
            raise ValidationError(
                f"La vitesse moyenne doit être un nombre positif de km/h (reçu : {_number(self.speed_kmh)})."
            )

    @overload
    def minutes(self, distance_km: float) -> float: ...

    @overload
    def minutes(self, distance_km: FloatArray) -> FloatArray: ...

    def minutes(self, distance_km: float | FloatArray) -> float | FloatArray:
        """Estimated minutes for a straight-line distance in km (scalar or array)."""
        if isinstance(distance_km, np.ndarray):
            return distance_km * self.detour_factor / self.speed_kmh * 60.0
        return float(distance_km) * self.detour_factor / self.speed_kmh * 60.0

    def reach_km(self, minutes: float) -> float:
        """Straight-line distance covered in ``minutes`` by the estimate."""
        return minutes / 60.0 * self.speed_kmh / self.detour_factor

    def describe(self) -> str:
        """``Temps de trajet estimé : distance à vol d'oiseau × 1,3 ÷ 60 km/h (estimation)``."""
        return (
            f"Temps de trajet estimé : distance à vol d'oiseau × {_number(self.detour_factor)} "
            f"÷ {_number(self.speed_kmh)}{NBSP}km/h (estimation)"
        )


class DistanceMatrix:
    """Imported travel times in minutes between communes (INSEE codes), e.g. INSEE METRIC.

    A pair is directed (origin → destination). With ``symmetric=True`` a missing direction
    takes the value of the other one. A commune to itself is 0 minutes unless given.
    """

    def __init__(
        self, codes: list[str], origin: IntArray, destination: IntArray, minutes: FloatArray, source: str
    ) -> None:
        self._codes = codes
        self._index = {code: i for i, code in enumerate(codes)}
        n = max(len(codes), 1)
        keys = origin * n + destination
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._origin = origin[order]
        self._destination = destination[order]
        self._minutes = minutes[order]
        self.source = source

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[str, str, float]],
        *,
        symmetric: bool = False,
        source: str = "distancier importé",
    ) -> DistanceMatrix:
        """Build from ``(origin_code, destination_code, minutes)`` triples.

        Raises :class:`ValidationError` (French) for a negative or non-numeric time, or for a
        pair given twice with different times.
        """
        index: dict[str, int] = {}
        values: dict[tuple[int, int], float] = {}
        for origin_code, destination_code, minutes in pairs:
            try:
                value = float(minutes)
            except (TypeError, ValueError):
                value = math.nan
            if not (math.isfinite(value) and value >= 0):
                raise ValidationError(
                    f"Temps de trajet invalide de {origin_code} vers {destination_code} : « {minutes} » "
                    "(un nombre de minutes positif ou nul est attendu)."
                )
            key = (index.setdefault(str(origin_code), len(index)), index.setdefault(str(destination_code), len(index)))
            previous = values.get(key)
            if previous is not None and previous != value:
                raise ValidationError(
                    f"Le trajet de {origin_code} vers {destination_code} figure deux fois avec des temps "
                    f"différents ({_number(previous, 1)} et {_number(value, 1)}{NBSP}min)."
                )
            values[key] = value
        if symmetric:
            for (a, b), value in list(values.items()):
                values.setdefault((b, a), value)
        codes = list(index)
        origin = np.fromiter((k[0] for k in values), dtype=np.int64, count=len(values))
        destination = np.fromiter((k[1] for k in values), dtype=np.int64, count=len(values))
        minutes_array = np.fromiter(values.values(), dtype=np.float64, count=len(values))
        return cls(codes, origin, destination, minutes_array, source)

    def __len__(self) -> int:
        return len(self._keys)

    def lookup(self, origin: str, destination: str) -> float | None:
        """Minutes from ``origin`` to ``destination``; 0 for a commune to itself; ``None`` if absent."""
        value = float(self.lookup_many([origin], [destination])[0])
        return None if math.isnan(value) else value

    def lookup_many(self, origins: Sequence[str], destinations: Sequence[str]) -> FloatArray:
        """Vectorised :meth:`lookup` over paired sequences; NaN where absent."""
        o = np.fromiter((self._index.get(c, -1) for c in origins), dtype=np.int64, count=len(origins))
        d = np.fromiter((self._index.get(c, -1) for c in destinations), dtype=np.int64, count=len(destinations))
        out = self._lookup_ids(o, d)
        same = np.fromiter((a == b for a, b in zip(origins, destinations, strict=True)), dtype=bool, count=len(o))
        out[same & np.isnan(out)] = 0.0
        return out

    def _lookup_ids(self, o: IntArray, d: IntArray) -> FloatArray:
        out = np.full(len(o), np.nan)
        known = (o >= 0) & (d >= 0)
        if not known.any() or not len(self._keys):
            return out
        keys = o[known] * max(len(self._codes), 1) + d[known]
        pos = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        hit = self._keys[pos] == keys
        values = np.where(hit, self._minutes[pos], np.nan)
        out[known] = values
        return out

    def _translate(self, codes: Sequence[str]) -> IntArray:
        """Matrix ids of ``codes`` (-1 for a code the matrix never mentions)."""
        return np.fromiter((self._index.get(c, -1) for c in codes), dtype=np.int64, count=len(codes))

    def pairs_among(
        self, origin_codes: Sequence[str], destination_codes: Sequence[str]
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Pairs of the matrix from ``origin_codes`` to ``destination_codes``, as positions in those lists."""
        n_codes = len(self._codes)
        o_pos = np.full(n_codes + 1, -1, dtype=np.int64)
        d_pos = np.full(n_codes + 1, -1, dtype=np.int64)
        o_ids = self._translate(origin_codes)
        d_ids = self._translate(destination_codes)
        o_pos[np.where(o_ids >= 0, o_ids, n_codes)] = np.arange(len(origin_codes))
        d_pos[np.where(d_ids >= 0, d_ids, n_codes)] = np.arange(len(destination_codes))
        o_pos[n_codes] = d_pos[n_codes] = -1
        oi, dj = o_pos[self._origin], d_pos[self._destination]
        keep = (oi >= 0) & (dj >= 0)
        return oi[keep], dj[keep], self._minutes[keep]

    def missing_pairs(self, origins: Iterable[str], destinations: Iterable[str]) -> list[tuple[str, str]]:
        """Pairs (origin ≠ destination) of the cross product that the matrix does not hold."""
        origin_list, destination_list = list(origins), list(destinations)
        o = [o for o in origin_list for _ in destination_list]
        d = destination_list * len(origin_list)
        values = self.lookup_many(o, d)
        return [(a, b) for a, b, v in zip(o, d, values.tolist(), strict=True) if math.isnan(v)]

    def describe(self) -> str:
        """French description for outputs."""
        return f"Temps de trajet importés ({self.source}, {plural(len(self), 'trajet')})"


def _missing_message(missing: Sequence[tuple[str, str]], total: int, names: Mapping[str, str] | None = None) -> str:
    def label(code: str) -> str:
        name = names.get(code) if names else None
        return f"{name} ({code})" if name else code

    shown = " ; ".join(f"{label(a)} → {label(b)}" for a, b in missing[:_SHOWN_MISSING])
    more = " ; …" if total > _SHOWN_MISSING else ""
    return (
        f"Le distancier importé ne contient pas {plural(total, 'trajet nécessaire', 'trajets nécessaires')} "
        f"au calcul, par exemple : {shown}{more}. Complétez le distancier ou autorisez l'estimation à vol "
        "d'oiseau pour les trajets manquants."
    )


# ============================================================================================
# Nearest professional and population beyond a time
# ============================================================================================


def nearest_minutes(
    origin_codes: Sequence[str],
    supply_codes: Iterable[str],
    refdata: CommuneSource,
    model: TravelModel | None = None,
    matrix: DistanceMatrix | None = None,
    *,
    allow_estimate_for_missing: bool = False,
) -> dict[str, float]:
    """Minutes from each origin commune to the nearest commune holding supply (e.g. a GP).

    0 for a commune holding supply itself, ``inf`` when there is no supply at all, NaN for a
    commune without known centre (unless the matrix has its pairs). With a ``matrix``, the time
    is the shortest imported time to a supply commune; the pair to the nearest supply commune
    *as the crow flies* must be in the matrix (otherwise :class:`ValidationError`, or the
    estimate if ``allow_estimate_for_missing``).
    """
    model = model or TravelModel()
    origins = list(dict.fromkeys(origin_codes))
    supplies = sorted(set(supply_codes))
    if not origins:
        return {}
    if not supplies:
        return dict.fromkeys(origins, math.inf)
    km, arg = _nearest_km(refdata.centres(origins), refdata.centres(supplies))
    minutes = model.minutes(km)
    if matrix is not None:
        has = arg >= 0
        o_has = [origins[i] for i in np.flatnonzero(has).tolist()]
        s_has = [supplies[j] for j in arg[has].tolist()]
        imported = matrix.lookup_many(o_has, s_has)
        missing = np.isnan(imported)
        if missing.any() and not allow_estimate_for_missing:
            pairs = [(o_has[k], s_has[k]) for k in np.flatnonzero(missing).tolist()]
            names = {
                c: refdata.communes[c].name for pair in pairs[:_SHOWN_MISSING] for c in pair if c in refdata.communes
            }
            raise ValidationError(_missing_message(pairs, len(pairs), names))
        values = minutes[has]
        values[~missing] = imported[~missing]
        minutes[has] = values
        oi, _, imported_all = matrix.pairs_among(origins, supplies)
        if len(oi):
            best = np.full(len(origins), np.inf)
            np.minimum.at(best, oi, imported_all)
            minutes = np.where(np.isnan(minutes), best, np.fmin(minutes, best))
            minutes[np.isinf(minutes) & np.isnan(km)] = np.nan
    supply_set = set(supplies)
    result = dict(zip(origins, minutes.tolist(), strict=True))
    for code in origins:
        if code in supply_set:
            result[code] = 0.0
    return result


@dataclass(frozen=True, slots=True)
class PopulationBeyond:
    """Population of the communes farther than ``threshold_minutes`` (strictly)."""

    threshold_minutes: float
    population: float
    share: float  # fraction 0–1 of the population of the communes with a known time
    unknown_population: float  # population of the communes whose time is unknown (no centre)

    @property
    def sentence(self) -> str:
        """``12 345 habitants (8,2 %) à plus de 15 minutes du professionnel le plus proche``."""
        text = (
            f"{format_int(round(self.population))} habitants ({format_percent(100.0 * self.share)}) "
            f"à plus de {_number(self.threshold_minutes, 1)}{NBSP}minutes du professionnel le plus proche"
        )
        if self.unknown_population > 0:
            text += f" (temps inconnu pour {format_int(round(self.unknown_population))} habitants)"
        return text


def _population_beyond(
    threshold_minutes: float, minutes_by_commune: Mapping[str, float], population_by_commune: Mapping[str, float]
) -> PopulationBeyond:
    beyond = known = unknown = 0.0
    for code, minutes in minutes_by_commune.items():
        population = float(population_by_commune.get(code, 0.0))
        if math.isnan(minutes):
            unknown += population
            continue
        known += population
        if minutes > threshold_minutes:
            beyond += population
    return PopulationBeyond(threshold_minutes, beyond, beyond / known if known > 0 else 0.0, unknown)


def population_beyond(
    threshold_minutes: float, minutes_by_commune: Mapping[str, float], population_by_commune: Mapping[str, float]
) -> tuple[float, float]:
    """``(population, share)`` of the communes more than ``threshold_minutes`` away (strictly).

    ``share`` is a fraction (0–1) of the population of the communes whose time is known;
    communes with a NaN time (no centre) are left out of both, ``inf`` (no supply) counts as
    beyond. See :func:`population_beyond_table` for the sentences.
    """
    result = _population_beyond(threshold_minutes, minutes_by_commune, population_by_commune)
    return result.population, result.share


def population_beyond_table(
    minutes_by_commune: Mapping[str, float],
    population_by_commune: Mapping[str, float],
    thresholds: Sequence[float] = (15.0, 20.0, 30.0),
) -> list[PopulationBeyond]:
    """:func:`population_beyond` for each threshold (15, 20 and 30 minutes by default)."""
    return [_population_beyond(t, minutes_by_commune, population_by_commune) for t in thresholds]


# ============================================================================================
# APL: parameters, supply, demand
# ============================================================================================


@dataclass(frozen=True, slots=True)
class AplParameters:
    """Parameters of the APL (two-step floating catchment area); :meth:`describe` goes with results.

    Attributes:
        max_minutes: travel time beyond which the weight is 0 (20 min).
        decay: ``"steps"`` (DREES paliers), ``"continuous"`` (plateau then linear decrease to 0
            at ``max_minutes``, see the module docstring) or ``"none"`` (weight 1 up to
            ``max_minutes``: the original 2SFCA).
        steps: ``(upper bound in minutes, weight)`` pairs, bounds increasing and included
            (1 up to 10 min, 2/3 above 10 and up to 15, 1/3 above 15 and up to 20); the last
            bound must equal ``max_minutes``.
        plateau_minutes: for ``"continuous"``: end of the weight-1 plateau (defaults to the
            first step bound, 10 min).
        age_cap: professionals of this age or older are left out of the supply (``None``: none).
        supply_unit: ``"ETP"`` (full-time equivalents) or ``"consultations"`` (per year).
        standardise_demand: the demand is an age-standardised population the caller gives
            (:func:`standardised_demand`) instead of the legal population.
    """

    max_minutes: float = 20.0
    decay: Decay = "steps"
    steps: tuple[tuple[float, float], ...] = DEFAULT_STEPS
    plateau_minutes: float | None = None
    age_cap: int | None = 65
    supply_unit: SupplyUnit = "ETP"
    standardise_demand: bool = False
    _thresholds: FloatArray = field(init=False, repr=False, compare=False)
    _weights: FloatArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.max_minutes) and self.max_minutes > 0):
            raise ValidationError("Le temps de trajet maximal doit être un nombre de minutes positif.")
        if self.decay not in ("steps", "continuous", "none"):
            raise ValidationError(f"Pondération inconnue : « {self.decay} » (paliers, continue ou aucune).")
        if self.supply_unit not in ("ETP", "consultations"):
            raise ValidationError(f"Unité d'offre inconnue : « {self.supply_unit} » (ETP ou consultations).")
        steps = tuple((float(t), float(w)) for t, w in self.steps)
        if self.decay == "steps":
            if not steps:
                raise ValidationError("La pondération par paliers demande au moins un palier.")
            bounds = [t for t, _ in steps]
            weights = [w for _, w in steps]
            if any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)) or bounds[0] <= 0:
                raise ValidationError("Les bornes des paliers doivent être positives et croissantes.")
            if any(not 0 <= w <= 1 for w in weights) or any(b > a for a, b in zip(weights, weights[1:], strict=False)):
                raise ValidationError(
                    "Les poids des paliers doivent être compris entre 0 et 1 et décroître avec le temps."
                )
            if abs(bounds[-1] - self.max_minutes) > 1e-9:
                raise ValidationError(
                    f"Le dernier palier ({_number(bounds[-1], 1)}{NBSP}min) doit correspondre au temps maximal "
                    f"({_number(self.max_minutes, 1)}{NBSP}min)."
                )
        if self.decay == "continuous":
            plateau = self._plateau()
            if not 0 <= plateau < self.max_minutes:
                raise ValidationError(
                    "Le palier à poids 1 de la pondération continue doit être plus court que le temps maximal."
                )
        if self.age_cap is not None and not 0 < self.age_cap < 150:
            raise ValidationError(f"Âge limite invalide : {self.age_cap}.")
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "_thresholds", np.array([t for t, _ in steps], dtype=np.float64))
        object.__setattr__(self, "_weights", np.array([w for _, w in steps], dtype=np.float64))

    def _plateau(self) -> float:
        if self.plateau_minutes is not None:
            return float(self.plateau_minutes)
        return float(self.steps[0][0]) if self.steps else self.max_minutes / 2.0

    def weight(self, minutes: FloatArray) -> FloatArray:
        """``w(t)`` for an array of minutes: decreasing, 0 beyond ``max_minutes`` (and for NaN)."""
        t = np.asarray(minutes, dtype=np.float64)
        inside = t <= self.max_minutes  # False for NaN
        if self.decay == "steps":
            idx = np.searchsorted(self._thresholds, t, side="left")
            values = self._weights[np.minimum(idx, len(self._weights) - 1)]
            return np.where(inside & (idx < len(self._weights)), values, 0.0)
        if self.decay == "continuous":
            plateau = self._plateau()
            values = np.clip((self.max_minutes - t) / (self.max_minutes - plateau), 0.0, 1.0)
            return np.where(inside, values, 0.0)
        return np.where(inside, 1.0, 0.0)

    def weight_at(self, minutes: float) -> float:
        """``w(t)`` for one time in minutes."""
        return float(self.weight(np.array([minutes]))[0])

    @property
    def uses_default_steps(self) -> bool:
        return self.decay == "steps" and self.steps == DEFAULT_STEPS and self.max_minutes == 20.0

    def describe(self) -> str:
        """The method and its parameters in French, to print with every result."""
        limit = _number(self.max_minutes, 1)
        if self.decay == "steps":
            parts: list[str] = []
            lower: float | None = None
            for bound, weight in self.steps:
                upper = _number(bound, 1)
                if lower is None:
                    parts.append(f"{_weight_text(weight)} jusqu'à {upper}{NBSP}min")
                else:
                    parts.append(f"{_weight_text(weight)} de {_number(lower, 1)} à {upper}{NBSP}min")
                lower = bound
            weighting = "pondération par paliers : " + ", ".join(parts) + ", 0 au-delà"
        elif self.decay == "continuous":
            plateau = _number(self._plateau(), 1)
            weighting = (
                f"pondération continue : 1 jusqu'à {plateau}{NBSP}min, puis décroissance linéaire "
                f"jusqu'à 0 à {limit}{NBSP}min"
            )
        else:
            weighting = f"sans pondération : poids 1 jusqu'à {limit}{NBSP}min, 0 au-delà"
        if self.supply_unit == "ETP":
            supply = "offre en équivalents temps plein (ETP)"
        else:
            supply = "offre en nombre de consultations et visites par an"
        if self.age_cap is not None:
            supply += f", professionnels de {self.age_cap}{NBSP}ans et plus exclus"
        demand = (
            "demande : population standardisée selon la consommation de soins par âge"
            if self.standardise_demand
            else "demande : population municipale, non standardisée par âge"
        )
        text = (
            "Accessibilité potentielle localisée (APL, méthode du bassin flottant à deux étapes) : "
            f"{supply} ; {demand} ; trajets pris en compte jusqu'à {limit}{NBSP}min ; {weighting}."
        )
        if self.uses_default_steps:
            text += " Paliers de la DREES (feuille « Paramètres » de son classeur APL 2022-2023)."
        return text


@dataclass(frozen=True, slots=True)
class SupplyPoint:
    """One professional as the APL sees it: where, how much and how old.

    ``fte``: full-time equivalent (``None``: unknown, counted as 1); ``consultations``: per year
    (``None``: unknown, the professional is left out when the unit is consultations); ``age``
    in years (``None``: unknown, kept).
    """

    commune_code: str
    fte: float | None = 1.0
    consultations: float | None = None
    age: int | None = None


@dataclass(frozen=True, slots=True)
class Supply:
    """Supply ``S_j`` per commune and what was left out to compute it."""

    by_commune: dict[str, float]
    unit: SupplyUnit
    included: int
    excluded_by_age: int
    unknown_age: int
    assumed_full_time: int
    missing_consultations: int

    def describe(self) -> str:
        """French summary: who is counted and who is not."""
        unit = "ETP" if self.unit == "ETP" else "consultations par an"
        total = sum(self.by_commune.values())
        parts = [
            f"{plural(self.included, 'professionnel retenu', 'professionnels retenus')} "
            f"({format_decimal(total, 1 if self.unit == 'ETP' else 0)} {unit})"
        ]
        if self.excluded_by_age:
            parts.append(f"{format_int(self.excluded_by_age)} exclu(s) en raison de l'âge")
        if self.unknown_age:
            parts.append(f"{format_int(self.unknown_age)} d'âge inconnu, retenu(s)")
        if self.assumed_full_time:
            parts.append(f"{format_int(self.assumed_full_time)} sans ETP connu, compté(s) à temps plein")
        if self.missing_consultations:
            parts.append(f"{format_int(self.missing_consultations)} sans nombre de consultations, non compté(s)")
        return "Offre : " + " ; ".join(parts) + "."


def supply_by_commune(professionals: Iterable[SupplyPoint], params: AplParameters | None = None) -> Supply:
    """Sum the supply per commune in the unit of ``params`` (ETP or consultations).

    Professionals aged ``params.age_cap`` or more are excluded; an unknown age is kept; an
    unknown FTE counts as 1; an unknown number of consultations excludes the professional when
    the unit is consultations. Negative values raise :class:`ValidationError`.
    """
    params = params or AplParameters()
    totals: dict[str, float] = {}
    included = excluded = unknown_age = assumed = missing = 0
    for p in professionals:
        if p.age is None:
            unknown_age += 1
        elif params.age_cap is not None and p.age >= params.age_cap:
            excluded += 1
            continue
        if params.supply_unit == "ETP":
            if p.fte is None:
                assumed += 1
                value = 1.0
            else:
                value = float(p.fte)
        else:
            if p.consultations is None:
                missing += 1
                continue
            value = float(p.consultations)
        if not (math.isfinite(value) and value >= 0):
            raise ValidationError(
                f"Valeur d'offre invalide pour un professionnel de la commune {p.commune_code} : {value}."
            )
        totals[p.commune_code] = totals.get(p.commune_code, 0.0) + value
        included += 1
    return Supply(totals, params.supply_unit, included, excluded, unknown_age, assumed, missing)


def standardised_demand(
    population_by_age: Mapping[str, Sequence[float]],
    consumption_weights: Sequence[float],
    *,
    normalise: bool = True,
) -> dict[str, float]:
    """Age-standardised demand per commune: ``P_k = Σ_g population_kg × weight_g``.

    ``population_by_age`` gives each commune's population by age group, in the order of
    ``consumption_weights`` (e.g. the average consultations per inhabitant of each age group).
    With ``normalise`` the weights are rescaled so that the total demand equals the total
    population (the weights then read as "relative consumption", as in the DREES APL).
    """
    weights = np.asarray(consumption_weights, dtype=np.float64)
    if weights.ndim != 1 or (weights < 0).any() or not np.isfinite(weights).all():
        raise ValidationError("Les poids de consommation par âge doivent être des nombres positifs.")
    result: dict[str, float] = {}
    total_population = 0.0
    for code, groups in population_by_age.items():
        values = np.asarray(groups, dtype=np.float64)
        if values.shape != weights.shape:
            raise ValidationError(
                f"Commune {code} : {len(values)} tranches d'âge au lieu de {len(weights)}, comme les poids."
            )
        result[code] = float(values @ weights)
        total_population += float(values.sum())
    total_demand = sum(result.values())
    if normalise and total_demand > 0:
        factor = total_population / total_demand
        result = {code: value * factor for code, value in result.items()}
    return result


# ============================================================================================
# APL: computation
# ============================================================================================


def two_step_fca(
    origin: IntArray,
    destination: IntArray,
    minutes: FloatArray,
    demand: FloatArray,
    supply: FloatArray,
    params: AplParameters,
) -> tuple[FloatArray, FloatArray]:
    """The two steps on a list of pairs; returns ``(A, R)``.

    ``origin[p]`` indexes ``demand`` (the communes where people live), ``destination[p]``
    indexes ``supply`` (the communes holding supply) and ``minutes[p]`` is the travel time of
    pair ``p``; pairs absent from the list weigh 0. Step 1: ``R_j = S_j / Σ_k w(t_kj)·P_k``
    (0 when no one is within reach of ``j``); step 2: ``A_i = Σ_j w(t_ij)·R_j``.
    """
    w = params.weight(minutes)
    used = w > 0
    o, d, w = origin[used], destination[used], w[used]
    reached = np.bincount(d, weights=w * demand[o], minlength=len(supply)).astype(np.float64, copy=False)
    ratio = np.divide(supply, reached, out=np.zeros(len(supply)), where=reached > 0)
    access = np.bincount(o, weights=w * ratio[d], minlength=len(demand)).astype(np.float64, copy=False)
    return access, ratio


def _estimated_pairs(
    latlon: FloatArray, supply: FloatArray, params: AplParameters, model: TravelModel
) -> tuple[IntArray, IntArray, FloatArray]:
    """Pairs (origin point, supply point) within ``max_minutes`` by the estimate, unsorted.

    ``destination`` indexes the same point array as ``origin``. When every known point holds
    supply (the whole country), each pair is measured once and used both ways.
    """
    reach = model.reach_km(params.max_minutes) * (1.0 + _MARGIN)
    known = np.flatnonzero(np.isfinite(latlon).all(axis=1))
    holders = np.flatnonzero(supply > 0)
    if len(known) == 0 or len(holders) == 0:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0)
    rad = np.radians(latlon[known])
    if len(holders) == len(known) and np.array_equal(holders, known):
        oi, dj, km = _pairs_within_same(rad, reach)
        return known[oi], known[dj], model.minutes(km)
    holders = holders[np.isfinite(latlon[holders]).all(axis=1)]
    oi, dj, km = _pairs_within(rad, np.radians(latlon[holders]), reach)
    return known[oi], holders[dj], model.minutes(km)


def apl_full(
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    demand: npt.ArrayLike,
    supply: npt.ArrayLike,
    params: AplParameters | None = None,
    model: TravelModel | None = None,
) -> FloatArray:
    """APL ``A_i`` for every point of plain arrays (the whole country in about a second).

    ``lat``/``lon`` in degrees (NaN: unknown point, ``A`` is NaN there and the point takes no
    part), ``demand`` the population (or standardised demand) ``P``, ``supply`` ``S`` in the
    unit of ``params``. Travel times are estimated with ``model``.
    """
    params = params or AplParameters()
    model = model or TravelModel()
    latlon = np.column_stack([np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)])
    demand_array = np.nan_to_num(np.asarray(demand, dtype=np.float64))
    supply_array = np.nan_to_num(np.asarray(supply, dtype=np.float64))
    if not (len(latlon) == len(demand_array) == len(supply_array)):
        raise ValueError("lat, lon, demand and supply must have the same length")
    origin, destination, minutes = _estimated_pairs(latlon, supply_array, params, model)
    access, _ = two_step_fca(origin, destination, minutes, demand_array, supply_array, params)
    access[~np.isfinite(latlon).all(axis=1)] = np.nan
    return access


@dataclass(frozen=True, slots=True)
class AplResult:
    """APL of each commune of a territory, the territory's mean and how it was computed."""

    by_commune: dict[str, float]  # A_i per inhabitant (NaN: commune without centre)
    territory_mean: float  # population-weighted mean of A_i over the territory
    params: AplParameters
    model: TravelModel
    matrix: DistanceMatrix | None
    estimated_pairs: int  # pairs estimated because the matrix lacked them
    territory_communes: int
    surrounding_communes: int  # communes of the calculation area outside the territory
    buffer_minutes: float
    without_centre: tuple[str, ...]
    supply: Supply | None = None
    supply_without_centre: tuple[str, ...] = ()  # communes whose supply cannot be placed on the map

    @property
    def scale(self) -> float:
        """Factor applied to ``A`` for display: 100 000 for ETP, 1 for consultations."""
        return 100_000.0 if self.params.supply_unit == "ETP" else 1.0

    @property
    def unit_label(self) -> str:
        standardised = self.params.standardise_demand
        if self.params.supply_unit == "ETP":
            return f"ETP pour {format_int(100_000)} habitants" + (" standardisés" if standardised else "")
        if standardised:
            return "consultations ou visites accessibles par habitant standardisé et par an"
        return "consultations par an et par habitant"

    def format_value(self, value: float) -> str:
        """``A`` as shown to the user: ``87,4 ETP pour 100 000 habitants`` or ``3,2 consultations…``."""
        if math.isnan(value):
            return "non calculable"
        digits = 1 if self.params.supply_unit == "ETP" else 2  # consultations: as the DREES's 2,81
        return f"{format_decimal(value * self.scale, digits)} {self.unit_label}"

    def describe(self) -> str:
        """Method, parameters, travel times, calculation area and the territory's mean, in French."""
        lines = [self.params.describe()]
        if self.matrix is not None:
            lines.append(self.matrix.describe() + ".")
            if self.estimated_pairs:
                lines.append(
                    f"{plural(self.estimated_pairs, 'trajet absent', 'trajets absents')} du distancier : "
                    f"{self.model.describe()}."
                )
        else:
            lines.append(self.model.describe() + ".")
        lines.append(
            f"Zone de calcul : les {plural(self.territory_communes, 'commune')} du territoire et "
            f"{plural(self.surrounding_communes, 'commune voisine', 'communes voisines')} "
            f"(jusqu'à {_number(self.buffer_minutes, 1)}{NBSP}min, estimation), car patients et professionnels "
            "franchissent les limites du territoire."
        )
        if self.supply is not None:
            lines.append(self.supply.describe())
        weighting = "la population standardisée" if self.params.standardise_demand else "la population"
        lines.append(
            f"APL moyenne du territoire (communes pondérées par {weighting}) : "
            f"{self.format_value(self.territory_mean)}."
        )
        if self.params.supply_unit == "consultations":
            lines.append(
                f"Repère pour les médecins généralistes : 2,5{NBSP}consultations par habitant et par an, seuil "
                "usuel de sous-densité (le zonage de l'ARS, lui, est fixé par arrêté sur plusieurs critères)."
            )
        if self.without_centre:
            lines.append(f"Sans point central connu, non calculées : {', '.join(self.without_centre)}.")
        if self.supply_without_centre:
            lines.append(
                "Offre non prise en compte, faute de point central connu pour sa commune : "
                f"{', '.join(self.supply_without_centre)}."
            )
        return "\n".join(lines)


def _rows_with_nan(latlon: FloatArray) -> BoolArray:
    return np.asarray(np.isnan(latlon).any(axis=1), dtype=np.bool_)


def _calculation_area(territory: Sequence[str], refdata: CommuneSource, model: TravelModel, buffer: float) -> list[str]:
    all_codes = list(refdata.communes)
    all_latlon = refdata.centres(all_codes)
    index = {code: i for i, code in enumerate(all_codes)}
    territory_ids = np.array([index[c] for c in territory], dtype=np.int64)
    ring = neighbour_pairs(all_latlon[territory_ids], all_latlon, model.reach_km(buffer) * (1.0 + _MARGIN))
    study_ids = np.unique(np.concatenate([territory_ids, ring.destination]))
    return [all_codes[i] for i in study_ids.tolist()]


def calculation_area(
    territory_codes: Sequence[str],
    refdata: CommuneSource,
    params: AplParameters | None = None,
    model: TravelModel | None = None,
    buffer_minutes: float | None = None,
) -> list[str]:
    """Codes of the communes :func:`apl` computes over: the territory and its surroundings.

    Useful to know for which communes a standardised demand must be given. Raises
    :class:`ValidationError` for an unknown code.
    """
    params = params or AplParameters()
    model = model or TravelModel()
    buffer = 2.0 * params.max_minutes if buffer_minutes is None else float(buffer_minutes)
    territory = list(dict.fromkeys(territory_codes))
    _check_codes(territory, refdata)
    return _calculation_area(territory, refdata, model, buffer)


def _check_codes(codes: Iterable[str], refdata: CommuneSource) -> None:
    unknown = sorted({c for c in codes if c not in refdata.communes})
    if unknown:
        raise ValidationError(
            f"Code(s) INSEE inconnu(s) : {', '.join(unknown[:_SHOWN_MISSING])}"
            + (" …" if len(unknown) > _SHOWN_MISSING else "")
        )


def apl(
    territory_codes: Sequence[str],
    supply: Supply | Mapping[str, float],
    refdata: CommuneSource,
    params: AplParameters | None = None,
    model: TravelModel | None = None,
    matrix: DistanceMatrix | None = None,
    buffer_minutes: float | None = None,
    *,
    demand: Mapping[str, float] | None = None,
    allow_estimate_for_missing: bool = False,
) -> AplResult:
    """APL of each commune of a territory, counting the communes around it.

    The calculation area is the territory plus every commune within ``buffer_minutes`` (by the
    estimate) of one of its communes. The default, twice ``max_minutes``, makes the result
    exactly the one a computation over the whole country would give: the supply a territory
    commune reaches lies within ``max_minutes`` of it, and the people who share that supply
    within ``max_minutes`` of the supply.

    Travel times come from ``matrix`` where given. The pairs the estimate puts within
    ``max_minutes`` must then be in the matrix — else :class:`ValidationError` listing the first
    missing ones, or the estimate for them with ``allow_estimate_for_missing`` — and pairs the
    matrix puts within reach count even when the estimate does not.

    ``supply``: :func:`supply_by_commune`'s result or ``S_j`` per commune code. ``demand``: the
    standardised demand per commune (required when ``params.standardise_demand``, refused
    otherwise); the legal population is used by default and always weights the territory mean.
    """
    params = params or AplParameters()
    model = model or TravelModel()
    buffer = 2.0 * params.max_minutes if buffer_minutes is None else float(buffer_minutes)
    if not (math.isfinite(buffer) and buffer >= 0):
        raise ValidationError("La marge autour du territoire doit être un nombre de minutes positif.")
    if params.standardise_demand and demand is None:
        raise ValidationError("La demande standardisée par âge est demandée mais n'a pas été fournie.")
    if not params.standardise_demand and demand is not None:
        raise ValidationError("Une demande standardisée est fournie alors que les paramètres ne la prévoient pas.")
    supply_info = supply if isinstance(supply, Supply) else None
    supply_map = supply.by_commune if isinstance(supply, Supply) else supply

    communes = refdata.communes
    territory = list(dict.fromkeys(territory_codes))
    _check_codes([*territory, *supply_map], refdata)
    if not territory:
        raise ValidationError("Le territoire ne contient aucune commune.")

    study_codes = _calculation_area(territory, refdata, model, buffer)
    study_latlon = refdata.centres(study_codes)
    n = len(study_codes)
    supply_centres = refdata.centres(list(supply_map))
    unplaced = tuple(
        c
        for c, row in zip(supply_map, _rows_with_nan(supply_centres).tolist(), strict=True)
        if row and supply_map[c] > 0
    )

    supply_array = np.array([float(supply_map.get(c, 0.0)) for c in study_codes])
    if demand is not None:
        missing_demand = [c for c in study_codes if c not in demand]
        if missing_demand:
            raise ValidationError(
                "Demande standardisée manquante pour "
                f"{plural(len(missing_demand), 'commune')} de la zone de calcul, dont "
                f"{', '.join(missing_demand[:_SHOWN_MISSING])}."
            )
        demand_array = np.array([float(demand[c]) for c in study_codes])
    else:
        demand_array = np.array([float(communes[c].population) for c in study_codes])
    population_array = np.array([float(communes[c].population) for c in study_codes])
    located = ~_rows_with_nan(study_latlon)
    demand_array[~located] = 0.0  # people without a known place cannot be put in a catchment

    origin, destination, minutes = _estimated_pairs(study_latlon, supply_array, params, model)
    estimated = 0
    if matrix is not None:
        origin, destination, minutes, estimated = _apply_matrix(
            matrix,
            study_codes,
            origin,
            destination,
            minutes,
            supply_array,
            params,
            communes,
            allow_estimate_for_missing,
        )
    access, _ = two_step_fca(origin, destination, minutes, demand_array, supply_array, params)
    access[~located] = np.nan

    position = {code: k for k, code in enumerate(study_codes)}
    t_pos = np.array([position[c] for c in territory], dtype=np.int64)
    values = access[t_pos]
    # The DREES rule: a mean over communes weights each by the demand (standardised population) when given.
    weights = (demand_array if demand is not None else population_array)[t_pos]
    ok = np.isfinite(values)
    mean = float(values[ok] @ weights[ok] / weights[ok].sum()) if weights[ok].sum() > 0 else math.nan
    return AplResult(
        by_commune=dict(zip(territory, values.tolist(), strict=True)),
        territory_mean=mean,
        params=params,
        model=model,
        matrix=matrix,
        estimated_pairs=estimated,
        territory_communes=len(territory),
        surrounding_communes=n - len(territory),
        buffer_minutes=buffer,
        without_centre=tuple(c for c, good in zip(territory, located[t_pos].tolist(), strict=True) if not good),
        supply_without_centre=unplaced,
        supply=supply_info,
    )


def _apply_matrix(
    matrix: DistanceMatrix,
    codes: list[str],
    origin: IntArray,
    destination: IntArray,
    estimate: FloatArray,
    supply: FloatArray,
    params: AplParameters,
    communes: Mapping[str, _CommuneLike],
    allow_estimate_for_missing: bool,
) -> tuple[IntArray, IntArray, FloatArray, int]:
    """Replace estimated times by imported ones and add the imported pairs within reach."""
    n = len(codes)
    ids = matrix._translate(codes)
    imported = matrix._lookup_ids(ids[origin], ids[destination])
    imported[(origin == destination) & np.isnan(imported)] = 0.0
    missing = np.isnan(imported)
    n_missing = int(missing.sum())
    if n_missing and not allow_estimate_for_missing:
        sample = [
            (codes[a], codes[b])
            for a, b in zip(origin[missing][:_SHOWN_MISSING], destination[missing][:_SHOWN_MISSING], strict=True)
        ]
        names = {c: communes[c].name for pair in sample for c in pair}
        raise ValidationError(_missing_message(sample, n_missing, names))
    minutes = np.where(missing, estimate, imported)
    # Imported pairs within reach that the estimate left out (the road is shorter than it thinks).
    holders = np.flatnonzero(supply > 0)
    oi, dj, extra_minutes = matrix.pairs_among(codes, [codes[j] for j in holders.tolist()])
    dj = holders[dj]
    known_keys = origin * n + destination
    extra = (extra_minutes <= params.max_minutes) & ~np.isin(oi * n + dj, known_keys)
    return (
        np.concatenate([origin, oi[extra]]),
        np.concatenate([destination, dj[extra]]),
        np.concatenate([minutes, extra_minutes[extra]]),
        n_missing,
    )
