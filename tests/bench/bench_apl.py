"""Benchmark of the APL engine (two-step floating catchment area) against ``access`` (pysal).

    .venv/bin/python tests/bench/bench_apl.py            # needs: .venv/bin/pip install access

Same inputs for both, in the same run: metropolitan communes with a known centre (nested
sets of the 2 000, 5 000, 10 000 and 20 000 communes nearest to the centre of France, then
all of them), population légale, a synthetic supply in every commune (0,9 ETP per
1 000 inhabitants + 0,05, times a seeded uniform noise 0,5–1,5), steps 1 / 2/3 / 1/3 up to
10 / 15 / 20 min, travel time estimated (× 1,3 ÷ 60 km/h).

- *santeloc, complet*: :func:`apl_full` end to end (neighbour search, weights, both sums);
- *santeloc, 2 étapes seules*: :func:`two_step_fca` on the pair table ``access`` receives;
- *access*: ``Access(...)`` + ``two_stage_fca(...)`` on that pair table (``access`` does no
  neighbour search: the table is built beforehand, outside its timing).

Each time is the median of 3 runs; the results are compared where both ran. Then one
territory of about 150 communes end to end (:func:`apl` with its surroundings, and the text
printed with it), and the nearest-professional time for every commune.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from santeloc.analysis.accessibility import (
    AplParameters,
    SupplyPoint,
    TravelModel,
    apl,
    apl_full,
    nearest_minutes,
    neighbour_pairs,
    supply_by_commune,
    two_step_fca,
)
from santeloc.domain.formatting import format_decimal, format_int
from santeloc.refdata.geo import load_refdata

RUNS = 3
SIZES = (2_000, 5_000, 10_000, 20_000)
CENTRE = (46.6, 2.4)  # near the geographic centre of metropolitan France
T = TypeVar("T")


def median_time(function: Callable[[], T], runs: int = RUNS) -> tuple[float, T]:
    times: list[float] = []
    result: T | None = None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    assert result is not None
    return statistics.median(times), result


def seconds(value: float) -> str:
    return f"{format_decimal(value, 3)} s"


def main() -> None:
    try:
        import pandas as pd
        from access import Access, weights
    except ImportError:
        raise SystemExit("Installez access pour ce banc : .venv/bin/pip install access") from None
    from importlib.metadata import version

    refdata = load_refdata()
    codes = [
        c.code
        for c in refdata.communes.values()
        if c.lat is not None and c.lon is not None and not c.departement.startswith(("97", "98"))
    ]
    latlon = refdata.centres(codes)
    population = np.array([refdata.communes[c].population for c in codes], dtype=float)
    rng = np.random.default_rng(2026)
    supply = (0.9 * population / 1000 + 0.05) * rng.uniform(0.5, 1.5, len(codes))
    params = AplParameters()
    model = TravelModel()
    step = weights.step_fn(dict(params.steps))
    reach = model.reach_km(params.max_minutes) * (1 + 1e-9)

    print(f"Banc APL — access {version('access')}, pandas {version('pandas')}, numpy {version('numpy')}")
    print(f"{format_int(len(codes))} communes métropolitaines avec un point central ; {params.describe()}")
    print(model.describe())
    print()
    header = f"{'communes':>9} | {'paires':>10} | {'santeloc complet':>16} | {'2 étapes seules':>15} | {'access':>9} | {'rapport':>7} | {'rapport 2':>9} | {'écart relatif max':>17}"
    print(header)
    print("-" * len(header))

    order = np.argsort((latlon[:, 0] - CENTRE[0]) ** 2 + ((latlon[:, 1] - CENTRE[1]) * 0.69) ** 2)
    for size in (*SIZES, len(codes)):
        idx = np.sort(order[:size])
        lat, lon, pop, sup = latlon[idx, 0], latlon[idx, 1], population[idx], supply[idx]
        ours_time, ours = median_time(
            lambda lat=lat, lon=lon, pop=pop, sup=sup: apl_full(lat, lon, pop, sup, params, model)
        )

        pairs = neighbour_pairs(latlon[idx], latlon[idx], reach)
        minutes = model.minutes(pairs.km)
        core_time, (core, _) = median_time(
            lambda pairs=pairs, minutes=minutes, pop=pop, sup=sup: two_step_fca(
                pairs.origin, pairs.destination, minutes, pop, sup, params
            )
        )
        cost = pd.DataFrame({"origin": pairs.origin, "dest": pairs.destination, "cost": minutes})
        ids = pd.Index(np.arange(size), name="geoid")

        def run_access(
            cost: pd.DataFrame = cost, ids: pd.Index = ids, pop: np.ndarray = pop, sup: np.ndarray = sup
        ) -> np.ndarray:
            engine = Access(
                demand_df=pd.DataFrame({"pop": pop}, index=ids),
                demand_index=True,
                demand_value="pop",
                supply_df=pd.DataFrame({"fte": sup}, index=ids),
                supply_index=True,
                supply_value="fte",
                cost_df=cost,
                cost_origin="origin",
                cost_dest="dest",
                cost_name="cost",
            )
            result = engine.two_stage_fca(name="apl", max_cost=params.max_minutes, weight_fn=step)
            return result["apl_fte"].reindex(np.arange(len(pop))).to_numpy(dtype=float)

        access_time, theirs = median_time(run_access)
        difference = float(np.max(np.abs(ours - theirs) / np.abs(theirs)))
        difference_core = float(np.max(np.abs(core - theirs) / np.abs(theirs)))
        print(
            f"{format_int(size):>9} | {format_int(len(pairs.km)):>10} | {seconds(ours_time):>16} | "
            f"{seconds(core_time):>15} | {seconds(access_time):>9} | {format_decimal(access_time / ours_time, 1):>7} | "
            f"{format_decimal(access_time / core_time, 0):>9} | {f'{max(difference, difference_core):.1e}'.replace('.', ','):>17}"
        )

    print()
    print("rapport = temps d'access ÷ santeloc complet ; rapport 2 = temps d'access ÷ 2 étapes seules")
    print("(access reçoit la table des paires toute faite, construite hors chronométrage).")

    # One territory of about 150 communes, end to end.
    metropolitan = [
        e for e in refdata.epcis.values() if not refdata.communes[e.communes[0]].departement.startswith(("97", "98"))
    ]
    epci = min(metropolitan, key=lambda e: (abs(len(e.communes) - 150), e.code))
    territory = list(epci.communes)
    supply_map = dict(zip(codes, supply.tolist(), strict=True))
    territory_time, result = median_time(
        lambda: (r := apl(territory, supply_map, refdata, params, model), r.describe())[0], 5
    )
    print()
    print(
        f"Un territoire : {epci.name} ({format_int(len(territory))} communes, "
        f"{format_int(result.surrounding_communes)} communes voisines dans la zone de calcul) — "
        f"APL, zone de calcul et texte compris : {seconds(territory_time)} (médiane de 5 ; cible < 0,2 s)"
    )
    print(f"  APL moyenne : {result.format_value(result.territory_mean)}")

    ages = rng.integers(28, 72, len(codes))
    professionals = [
        SupplyPoint(code, fte=float(s), age=int(a))
        for code, s, a in zip(codes, supply.tolist(), ages.tolist(), strict=True)
    ]
    supply_time, summary = median_time(lambda: supply_by_commune(professionals, params))
    print(
        f"Offre par commune à partir de {format_int(len(professionals))} professionnels (âge limite compris) : "
        f"{seconds(supply_time)} — {summary.describe()}"
    )

    holders = [c for c, keep in zip(codes, (rng.random(len(codes)) < 0.2).tolist(), strict=True) if keep]
    nearest_time, nearest = median_time(lambda: nearest_minutes(codes, holders, refdata, model))
    values = np.array(list(nearest.values()))
    print(
        f"Temps jusqu'au professionnel le plus proche, {format_int(len(codes))} communes vers "
        f"{format_int(len(holders))} : {seconds(nearest_time)} (médiane {format_decimal(float(np.median(values)), 1)} min)"
    )


if __name__ == "__main__":
    main()
