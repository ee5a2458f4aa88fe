"""Shipped geographic reference data: communes, EPCI, départements, régions.

The data files live in ``resources/refdata/`` and are rebuilt by
``scripts/build_refdata.py`` (sources, licences and fixes in ``resources/refdata/SOURCES.md``):

* ``communes.tables.gz``: the communes column by column (codes, names, postal codes,
  membership, legal population, centre point), with régions, départements and EPCI — see
  :mod:`santeloc.refdata.tables`;
* ``outlines.npz``: simplified commune outlines, loaded lazily on the first call to
  :meth:`RefData.outlines`.

This module needs only the standard library and numpy (no Qt). Loading builds the tables
only; NumPy and the search and distance indexes are loaded on first use, so a caller that
needs only names and populations (the project list, ``santeloc-cli list``) does not pay
for them.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from santeloc.refdata.tables import NONE_INDEX, CommuneColumns
from santeloc.refdata.tables import read as read_table

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

__all__ = [
    "Commune",
    "Departement",
    "Epci",
    "RefData",
    "Region",
    "UnknownCodeError",
    "UnknownCommuneError",
    "load_refdata",
    "normalize_text",
    "resources_dir",
]

COMMUNES_FILE = "communes.tables.gz"
OUTLINES_FILE = "outlines.npz"
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


class UnknownCodeError(KeyError):
    """A code (commune, EPCI, département) absent from the reference data.

    ``str()`` gives a French message meant for the user.
    """

    kind = "Code"

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"{self.kind} inconnu : « {self.code} »"


class UnknownCommuneError(UnknownCodeError):
    """An INSEE commune code absent from the reference data."""

    kind = "Code INSEE"


class _UnknownEpciError(UnknownCodeError):
    """An EPCI SIREN code absent from the reference data."""

    kind = "Code EPCI"


class _UnknownDepartementError(UnknownCodeError):
    """A département code absent from the reference data."""

    kind = "Code de département"


@dataclass(frozen=True, slots=True)
class Commune:
    """A current commune (commune actuelle) with its legal population and centre point.

    ``code`` is the INSEE code, always a string (``"01001"``, ``"2A004"``). ``epci`` is the
    SIREN code of its EPCI à fiscalité propre, ``None`` for the few communes outside any.
    ``lat``/``lon`` (WGS84 degrees) are the town hall or the outline's centroid, ``None``
    when no geometry is known.
    """

    code: str
    name: str
    postal_codes: tuple[str, ...]
    epci: str | None
    departement: str
    region: str
    population: int
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Epci:
    """An EPCI à fiscalité propre: SIREN code, name, kind and member communes (INSEE codes).

    ``kind`` is ``"CC"``, ``"CA"``, ``"CU"``, ``"METRO"``, ``"MET69"`` or ``""`` if unknown.
    """

    code: str
    name: str
    kind: str
    communes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Departement:
    """A département (or overseas collectivity listed as such) and its région code."""

    code: str
    name: str
    region: str


@dataclass(frozen=True, slots=True)
class Region:
    """A région (or overseas collectivity listed as such)."""

    code: str
    name: str


# --------------------------------------------------------------------------- search helpers

_LIGATURES = (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"), ("ß", "ss"))
_NON_ALNUM = re.compile(r"[^a-z0-9\n]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_CODE_QUERY = re.compile(r"^(?:\d{1,5}|2[AB]\d{0,3})$")


def _normalize_lines(text: str) -> str:
    """Normalise each line of ``text`` (see :func:`normalize_text`), keeping newlines.

    Working on all names joined by newlines at once is several times faster than one
    call per name, which matters for the load time.
    """
    for ligature, replacement in _LIGATURES:
        if ligature in text:
            text = text.replace(ligature, replacement)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = _NON_ALNUM.sub(" ", text)
    return text.replace("\n ", "\n").replace(" \n", "\n").strip(" ")


def normalize_text(text: str) -> str:
    """Lower-case ASCII form used for matching: no accents, hyphens or apostrophes.

    ``"L'Île-d'Yeu"`` becomes ``"l ile d yeu"``.
    """
    return _normalize_lines(text.replace("\n", " "))


def _normalize_query(text: str) -> str:
    """Normalise a user query and expand ``st``/``ste`` into ``saint``/``sainte``."""
    return " ".join(_ABBREVIATIONS.get(w, w) for w in normalize_text(text).split())


# --------------------------------------------------------------------------- locations


def resources_dir() -> Path:
    """Folder holding the application's resources (``resources/``).

    In a PyInstaller build it is ``sys._MEIPASS/resources`` (the spec must bundle the
    repository's ``resources`` folder under that name); otherwise the repository's
    ``resources`` folder, found relative to this package.
    """
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass:
        return Path(meipass) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def _default_refdata_dir() -> Path:
    return resources_dir() / "refdata"


# --------------------------------------------------------------------------- RefData

_LAZY_INDEXES = frozenset(
    {
        "_index", "_population", "_lat", "_lon", "_lat_rad", "_lon_rad", "_by_departement", "_names_blob",
        "_name_lengths", "_name_starts", "_blob_bytes", "_sorted_codes", "_postal_keys", "_postal_idx",
    }
)  # fmt: skip


class _Communes(Mapping[str, Commune]):
    """INSEE code -> :class:`Commune`, each object made on its first lookup (read-only)."""

    def __init__(self, table: CommuneColumns) -> None:
        self._table = table
        self._codes = table.codes
        self.positions: dict[str, int] = dict(zip(self._codes, range(len(self._codes)), strict=True))
        self._made: list[Commune | None] = [None] * len(self._codes)

    def at(self, i: int) -> Commune:
        """The commune at position ``i`` (reference data order)."""
        commune = self._made[i]
        if commune is None:
            t = self._table
            epci = t.epci[i]
            lat, lon = t.lat[i], t.lon[i]
            commune = Commune(
                self._codes[i],
                t.names[i],
                tuple(t.postal_codes[i].split()),
                None if epci == NONE_INDEX else t.epci_codes[epci],
                t.departement_codes[t.departement[i]],
                t.region_codes[t.region[i]],
                t.population[i],
                None if math.isnan(lat) else lat,
                None if math.isnan(lon) else lon,
            )
            self._made[i] = commune  # a race only makes an equal object twice
        return commune

    def __getitem__(self, code: str) -> Commune:
        return self.at(self.positions[code])

    def __contains__(self, code: object) -> bool:
        return code in self.positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


class RefData:
    """Communes, EPCI, départements and régions, with search and distance helpers.

    Build it with :func:`load_refdata`. All dictionaries are keyed by code (strings) and
    must be treated as read-only.
    """

    population_year: int
    source_label: str
    communes: Mapping[str, Commune]
    epcis: dict[str, Epci]
    departements: dict[str, Departement]
    regions: dict[str, Region]

    def __init__(self, header: dict[str, Any], table: CommuneColumns, folder: Path) -> None:
        """Build the tables from the communes table file's header and columns."""
        self._folder = folder
        self.population_year = int(header["population_year"])
        self.source_label = str(header["source_label"])
        self.generated: str = str(header.get("generated", ""))
        self.regions = {c: Region(c, n) for c, n in header["regions"]}
        self.departements = {c: Departement(c, n, r) for c, n, r in header["departements"]}
        self._epci_rows: list[list[str]] = header["epcis"]  # the EPCI are made on first use
        # Commune objects are made on first lookup: building all ~35,000 frozen dataclasses
        # up front took longer than reading the file, and most callers need a few hundred.
        self._communes = _Communes(table)
        self.communes = self._communes
        self._codes = table.codes
        self._table = table  # kept for the indexes built on first use
        self._index_lock = threading.Lock()

        self._outlines_lock = threading.Lock()
        self._outlines: _Outlines | None = None

    def _build_indexes(self) -> None:
        """Parallel NumPy arrays, name and code search indexes (first search or distance)."""
        import numpy as np

        with self._index_lock:
            if "_postal_idx" in self.__dict__:
                return
            table = self._table
            codes = self._codes
            self._index = self._communes.positions
            self._population = np.frombuffer(table.population, dtype=np.int32).astype(np.int64)
            self._lat = np.frombuffer(table.lat, dtype=np.float64)  # NaN when unknown (read-only view)
            self._lon = np.frombuffer(table.lon, dtype=np.float64)
            self._lat_rad = np.radians(self._lat)
            self._lon_rad = np.radians(self._lon)

            by_dep: dict[str, list[str]] = {}
            for code, dep in zip(codes, table.departement, strict=True):
                by_dep.setdefault(table.departement_codes[dep], []).append(code)
            self._by_departement = by_dep

            # Name search: one string of all normalised names, one per line.
            self._names_blob = _normalize_lines("\n".join(table.names))
            names = self._names_blob.split("\n")  # not kept: a name is a slice of the blob
            self._name_lengths = np.fromiter(map(len, names), dtype=np.int64, count=len(names))
            starts = np.zeros(len(names), dtype=np.int64)
            del names
            if len(starts):
                starts[1:] = np.cumsum(self._name_lengths[:-1] + 1)
            self._name_starts = starts
            self._blob_bytes = np.frombuffer(self._names_blob.encode("ascii"), dtype=np.uint8)

            # Code search: sorted INSEE codes and sorted (postal code, index) pairs.
            self._sorted_codes = sorted(codes)
            postal_cols = table.postal_codes  # space-separated 5-digit codes
            per_commune = np.fromiter(((len(p) + 1) // 6 for p in postal_cols), dtype=np.int64, count=len(postal_cols))
            postal_keys = np.array(" ".join(postal_cols).split(), dtype="<U5")
            postal_idx = np.repeat(np.arange(len(postal_cols)), per_commune)
            order = np.argsort(postal_keys, kind="stable")
            # Kept as arrays (5 bytes a key), not as ~40,000 Python strings and integers.
            self._postal_keys = postal_keys[order].astype("S5")
            # Set last: its presence tells that every index is built.
            self._postal_idx = postal_idx[order].astype(np.int32)

    def _build_epcis(self) -> None:
        """The EPCI and their members: the communes that name them, in INSEE code order."""
        with self._index_lock:
            if "epcis" in self.__dict__:
                return
            table = self._table
            members: list[list[str]] = [[] for _ in table.epci_codes]
            for code, epci in zip(table.codes, table.epci, strict=True):
                if epci != NONE_INDEX:
                    members[epci].append(code)
            rows = zip(self._epci_rows, members, strict=True)
            self.epcis = {c: Epci(c, n, k, tuple(m)) for (c, n, k), m in rows}

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set yet: the indexes built on first use.
        if name in _LAZY_INDEXES:
            self._build_indexes()
            return self.__dict__[name]
        if name == "epcis":
            self._build_epcis()
            return self.__dict__[name]
        raise AttributeError(name)

    # ------------------------------------------------------------------ lookups

    def __repr__(self) -> str:
        return f"RefData({len(self.communes)} communes, {len(self.epcis)} EPCI, population_year={self.population_year})"

    def commune(self, code: str) -> Commune:
        """Return the commune with this INSEE code, or raise :class:`UnknownCommuneError`."""
        try:
            return self.communes[code]
        except KeyError:
            raise UnknownCommuneError(code) from None

    def communes_of_epci(self, code: str) -> list[Commune]:
        """Member communes of an EPCI (SIREN code), in INSEE code order.

        Raises :class:`UnknownCodeError` (a ``KeyError``) for an unknown EPCI.
        """
        try:
            epci = self.epcis[code]
        except KeyError:
            raise _UnknownEpciError(code) from None
        return [self.communes[c] for c in epci.communes]

    def communes_of_departement(self, code: str) -> list[Commune]:
        """Communes of a département (``"58"``, ``"2A"``, ``"971"``), in INSEE code order.

        Raises :class:`UnknownCodeError` (a ``KeyError``) for an unknown département.
        """
        if code not in self.departements:
            raise _UnknownDepartementError(code)
        return [self.communes[c] for c in self._by_departement.get(code, [])]

    # ------------------------------------------------------------------ search

    def search(self, query: str, limit: int = 50) -> list[Commune]:
        """Find communes by name, INSEE code or postal code.

        Names match ignoring case, accents, hyphens and apostrophes (``"st"``/``"ste"``
        stand for ``"saint"``/``"sainte"``), ranked exact name > name prefix > word prefix
        > substring > all words present, then by population (largest first). A query made
        of up to 5 digits (or ``2A``/``2B`` and digits) is a code: exact INSEE code first,
        then exact postal code, then INSEE and postal code prefixes.
        """
        if limit <= 0:
            return []
        compact = "".join(query.split()).upper()
        if _CODE_QUERY.match(compact):
            return self._search_code(compact, limit)
        q = _normalize_query(query)
        if not q:
            return []
        return self._search_name(q, limit)

    def _search_code(self, q: str, limit: int) -> list[Commune]:
        rank: dict[int, int] = {}

        def add(idx: int, r: int) -> None:
            if r < rank.get(idx, 99):
                rank[idx] = r

        lo = bisect.bisect_left(self._sorted_codes, q)
        hi = bisect.bisect_left(self._sorted_codes, q + "~")
        for code in self._sorted_codes[lo:hi]:
            add(self._index[code], 0 if code == q else 2)
        key_q = q.encode("ascii")  # the query matched _CODE_QUERY: ASCII, at most 5 characters
        lo = int(self._postal_keys.searchsorted(key_q, side="left"))
        hi = lo
        while hi < len(self._postal_keys) and self._postal_keys[hi].startswith(key_q):
            hi += 1
        for key, idx in zip(self._postal_keys[lo:hi].tolist(), self._postal_idx[lo:hi].tolist(), strict=True):
            add(idx, 1 if key == key_q else 3)
        order = sorted(rank, key=lambda i: (rank[i], -int(self._population[i]), self._codes[i]))
        return [self._communes.at(i) for i in order[:limit]]

    def _occurrences(self, q: str) -> Iterator[int]:
        """Start offsets of ``q`` in the names blob, overlapping occurrences included."""
        blob = self._names_blob
        if len(q) == 1:  # many hits, none can overlap: the regex engine is faster
            yield from (m.start() for m in re.finditer(re.escape(q), blob))
            return
        i = blob.find(q)
        while i != -1:
            yield i
            i = blob.find(q, i + 1)

    def _normalized_name(self, i: int) -> str:
        start = int(self._name_starts[i])
        return self._names_blob[start : start + int(self._name_lengths[i])]

    def _search_name(self, q: str, limit: int) -> list[Commune]:
        import numpy as np

        pos = np.fromiter(self._occurrences(q), dtype=np.int64)
        idx_parts: list[npt.NDArray[np.int64]] = []
        cat_parts: list[npt.NDArray[np.int64]] = []
        if len(pos):
            idx = np.searchsorted(self._name_starts, pos, side="right") - 1
            at_start = pos == self._name_starts[idx]
            prev = self._blob_bytes[np.maximum(pos - 1, 0)]
            at_word = ~at_start & (prev == ord(" "))
            exact = at_start & (self._name_lengths[idx] == len(q))
            cat = np.where(exact, 0, np.where(at_start, 1, np.where(at_word, 2, 3)))
            idx_parts.append(idx)
            cat_parts.append(cat.astype(np.int64))
        words = q.split()
        if len(words) > 1:
            # Words in another order or not contiguous ("amand puisaye").
            longest = np.fromiter(self._occurrences(max(words, key=len)), dtype=np.int64)
            candidates = np.unique(np.searchsorted(self._name_starts, longest, "right") - 1)
            extra = [i for i in candidates.tolist() if all(w in self._normalized_name(i) for w in words)]
            if extra:
                idx_parts.append(np.asarray(extra, dtype=np.int64))
                cat_parts.append(np.full(len(extra), 4, dtype=np.int64))
        if not idx_parts:
            return []
        all_idx = np.concatenate(idx_parts)
        all_cat = np.concatenate(cat_parts)
        # Best category per commune, then rank by category and population.
        best = np.full(len(self._codes), 99, dtype=np.int64)
        np.minimum.at(best, all_idx, all_cat)
        found = np.flatnonzero(best < 99)
        order = np.lexsort((found, -self._population[found], best[found]))
        return [self._communes.at(i) for i in found[order[:limit]].tolist()]

    # ------------------------------------------------------------------ distances

    def centres(self, codes: Sequence[str]) -> FloatArray:
        """Centre points as an ``(n, 2)`` array of (lat, lon) degrees.

        Rows are NaN for communes without a known centre and for codes absent from the
        reference data, so the result can feed distance matrices directly.
        """
        import numpy as np

        idx = np.fromiter((self._index.get(c, -1) for c in codes), dtype=np.int64)
        out = np.full((len(idx), 2), np.nan)
        ok = idx >= 0
        out[ok, 0] = self._lat[idx[ok]]
        out[ok, 1] = self._lon[idx[ok]]
        return out

    def _haversine_from(self, i: int) -> FloatArray:
        import numpy as np

        lat1, lon1 = self._lat_rad[i], self._lon_rad[i]
        dlat = self._lat_rad - lat1
        dlon = self._lon_rad - lon1
        h = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(self._lat_rad) * np.sin(dlon / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))

    def within_km(self, code: str, km: float) -> list[Commune]:
        """Communes whose centre is within ``km`` of this commune's centre (great circle).

        Includes the commune itself, sorted by increasing distance. Empty if the commune has
        no known centre. Raises :class:`UnknownCommuneError` for an unknown code.
        """
        import numpy as np

        self.commune(code)
        i = self._index[code]
        if np.isnan(self._lat[i]):
            return []
        d = self._haversine_from(i)
        hits = np.flatnonzero(d <= km)  # NaN distances compare False
        order = hits[np.lexsort((hits, d[hits]))]
        return [self._communes.at(j) for j in order.tolist()]

    def distance_km(self, a: str, b: str) -> float | None:
        """Great-circle distance in km between two commune centres, ``None`` if unknown.

        Raises :class:`UnknownCommuneError` for an unknown code.
        """
        import numpy as np

        self.commune(a)
        self.commune(b)
        i, j = self._index[a], self._index[b]
        if np.isnan(self._lat[i]) or np.isnan(self._lat[j]):
            return None
        return float(self._haversine_from(i)[j])

    # ------------------------------------------------------------------ outlines

    def prepare(self) -> None:
        """Build the search and distance indexes and read the outlines now (e.g. in a
        background thread) rather than on first use."""
        self._build_indexes()
        self._build_epcis()
        self._load_outlines()

    def _load_outlines(self) -> None:
        with self._outlines_lock:
            if self._outlines is None:
                self._outlines = _Outlines(self._folder / OUTLINES_FILE, self._communes.positions)

    def outlines(self, codes: Iterable[str]) -> dict[str, list[FloatArray]]:
        """Simplified outlines: for each code, a list of rings, each an ``(n, 2)`` array.

        Rings hold (lon, lat) degrees, closed (last point = first point); outer rings run
        counter-clockwise, holes clockwise. The arrays are read-only. A commune without
        geometry maps to an empty list. The outline file is read on the first call.
        Raises :class:`UnknownCommuneError` for an unknown code.
        """
        self._load_outlines()
        assert self._outlines is not None
        result: dict[str, list[FloatArray]] = {}
        for code in codes:
            self.commune(code)
            result[code] = self._outlines.rings(self._communes.positions[code])
        return result


class _Outlines:
    """Every commune's outline, kept encoded: a ring is decoded when asked for.

    The file holds each ring as its first point followed by the steps to the next points, in
    units of ``1 / scale`` degree. The steps fit in 16 bits (a simplified outline has no step
    of 0,33 degree): they are kept so, the first points apart in 32 bits — a quarter of the
    decoded points, and no decoding peak. Rings are found by commune position (the reference
    data's order), not by a dictionary of codes.
    """

    def __init__(self, path: Path, positions: Mapping[str, int]) -> None:
        import numpy as np

        with np.load(path, allow_pickle=False) as npz:
            codes = npz["codes"].tolist()
            commune_rings = npz["commune_ring_offsets"].astype(np.int64)
            ring_points = npz["ring_point_offsets"].astype(np.int64)
            deltas = npz["deltas"]  # int32, (points, 2), delta-encoded per ring
            self._scale = float(npz["scale"][0])
        starts = ring_points[:-1]
        filled = starts < ring_points[1:]
        self._firsts = np.zeros((len(starts), 2), dtype=np.int32)
        self._firsts[filled] = deltas[starts[filled]]
        steps = deltas.copy()
        steps[starts[filled]] = 0
        small = int(np.abs(steps).max(initial=0)) <= np.iinfo(np.int16).max
        self._steps = steps.astype(np.int16) if small else steps
        self._steps.flags.writeable = False
        self._ring_offsets = ring_points
        # Rings of the commune at position i: ring_first[i] to ring_end[i] (none if equal).
        self._ring_first = np.zeros(len(positions), dtype=np.int32)
        self._ring_end = np.zeros(len(positions), dtype=np.int32)
        for k, code in enumerate(codes):
            i = positions.get(code)
            if i is not None:
                self._ring_first[i] = commune_rings[k]
                self._ring_end[i] = commune_rings[k + 1]

    def rings(self, position: int) -> list[FloatArray]:
        """The rings of the commune at ``position``, (lon, lat) degrees, read-only."""
        import numpy as np

        rings: list[FloatArray] = []
        for r in range(int(self._ring_first[position]), int(self._ring_end[position])):
            encoded = self._steps[self._ring_offsets[r] : self._ring_offsets[r + 1]].astype(np.int64)
            if len(encoded):
                encoded[0] = self._firsts[r]
            ring = np.cumsum(encoded, axis=0) / self._scale
            ring.flags.writeable = False
            rings.append(ring)
        return rings


# --------------------------------------------------------------------------- loading


@functools.lru_cache(maxsize=4)
def _load_cached(folder: Path) -> RefData:
    header, table = read_table(folder / COMMUNES_FILE)
    return RefData(header, table, folder)


def load_refdata(path: Path | None = None) -> RefData:
    """Load the reference data (cached: later calls return the same object).

    ``path`` is the folder holding ``communes.tables.gz`` and ``outlines.npz``; by default
    ``resources/refdata`` (see :func:`resources_dir`, which also works in a PyInstaller
    build). Outlines are not read until :meth:`RefData.outlines` is called.
    """
    folder = _default_refdata_dir() if path is None else Path(path)
    return _load_cached(folder.resolve())
