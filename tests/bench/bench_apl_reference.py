"""Benchmark: santeloc's APL engine end to end against a plain NumPy/SciPy reference (issue 16).

    .venv/bin/python tests/bench/bench_apl_reference.py

The baseline is the straightforward implementation of the same two-step floating catchment
area on the same inputs (all metropolitan communes with a known centre, population légale,
a synthetic supply in every commune), written as anyone would with SciPy:

1. candidates: ``cKDTree.query_pairs`` on 3-D unit vectors, radius = the chord of the reach;
2. exact great-circle (haversine) distance on the candidates, keep those within the reach;
3. travel time = distance × detour ÷ speed, weight ``w(t)`` (steps), then ``bincount`` for
   step 1 (``R_j = S_j / Σ_k w·P_k``) and step 2 (``A_i = Σ_j w·R_j``).

santeloc runs :func:`santeloc.analysis.accessibility.apl_full` (neighbour search included).
Median of 7 runs each, interleaved; the results must agree to 1e-12 (relative). Target:
santeloc ≤ 1,5 × the reference.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import __version__ as scipy_version
from scipy.spatial import cKDTree

from santeloc.analysis.accessibility import EARTH_RADIUS_KM, AplParameters, TravelModel, apl_full
from santeloc.domain.formatting import format_decimal, format_int
from santeloc.refdata.geo import load_refdata

RUNS = 7
FloatArray = npt.NDArray[np.float64]


def reference_apl(
    lat: FloatArray,
    lon: FloatArray,
    population: FloatArray,
    supply: FloatArray,
    params: AplParameters,
    model: TravelModel,
) -> FloatArray:
    """The plain reference: KD-tree candidates, exact haversine, two bincounts."""
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    xyz = np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])
    reach_km = model.reach_km(params.max_minutes)
    chord = 2.0 * np.sin(reach_km / (2.0 * EARTH_RADIUS_KM))
    ij = cKDTree(xyz).query_pairs(chord * (1.0 + 1e-9), output_type="ndarray")
    i, j = ij[:, 0], ij[:, 1]
    h = np.sin((phi[j] - phi[i]) / 2.0) ** 2 + cos_phi[i] * cos_phi[j] * np.sin((lam[j] - lam[i]) / 2.0) ** 2
    km = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    keep = km <= reach_km * (1.0 + 1e-9)
    i, j, km = i[keep], j[keep], km[keep]
    n = len(lat)
    everyone = np.arange(n)
    origin = np.concatenate([i, j, everyone])  # both directions, and each commune to itself
    destination = np.concatenate([j, i, everyone])
    w = params.weight(model.minutes(np.concatenate([km, km, np.zeros(n)])))
    reached = np.bincount(destination, weights=w * population[origin], minlength=n)
    ratio = np.divide(supply, reached, out=np.zeros(n), where=reached > 0)
    return np.bincount(origin, weights=w * ratio[destination], minlength=n).astype(np.float64)


def timed(function: Callable[[], FloatArray]) -> tuple[float, FloatArray]:
    """Wall time of one call and its result."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main() -> None:
    refdata = load_refdata()
    codes = [
        c.code
        for c in refdata.communes.values()
        if c.lat is not None and c.lon is not None and not c.departement.startswith(("97", "98"))
    ]
    latlon = refdata.centres(codes)
    lat, lon = latlon[:, 0].copy(), latlon[:, 1].copy()
    population = np.array([refdata.communes[c].population for c in codes], dtype=float)
    rng = np.random.default_rng(2026)
    supply = (0.9 * population / 1000 + 0.05) * rng.uniform(0.5, 1.5, len(codes))
    params = AplParameters()
    model = TravelModel()

    print(f"Banc APL contre la référence NumPy {np.__version__} / SciPy {scipy_version}")
    print(f"{format_int(len(codes))} communes métropolitaines ; {params.describe()}")
    print(model.describe())
    print(
        f"Distance : grand cercle (haversine) sur une sphère de rayon {format_decimal(EARTH_RADIUS_KM, 4)} km "
        "(rayon moyen de l'UGGI) ; portée "
        f"{format_decimal(model.reach_km(params.max_minutes), 2)} km à vol d'oiseau pour {format_decimal(params.max_minutes, 0)} min"
    )
    ours_times: list[float] = []
    ref_times: list[float] = []
    ours = theirs = np.empty(0)
    for _ in range(RUNS):  # interleaved
        elapsed, theirs = timed(lambda: reference_apl(lat, lon, population, supply, params, model))
        ref_times.append(elapsed)
        elapsed, ours = timed(lambda: apl_full(lat, lon, population, supply, params, model))
        ours_times.append(elapsed)
    difference = float(np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-300)))
    ref, mine = statistics.median(ref_times), statistics.median(ours_times)
    print(f"  référence (cKDTree.query_pairs + haversine + bincount) : {format_decimal(ref, 3)} s (médiane de {RUNS})")
    print(f"  santeloc apl_full, de bout en bout                     : {format_decimal(mine, 3)} s")
    print(f"  rapport santeloc ÷ référence : {format_decimal(mine / ref, 2)} ; écart relatif maximal {difference:.1e}")
    verdict = "tenue" if mine / ref <= 1.5 and difference <= 1e-12 else "NON tenue"
    print(f"Cible ≤ 1,5 × la référence, résultats identiques à 1e-12 : {verdict}")


if __name__ == "__main__":
    main()
