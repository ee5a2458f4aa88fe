"""Our 2SFCA against the PyPI package ``access`` (pysal) on the same inputs.

``access`` takes a long table of (origin, destination, cost) and a weight function of the
cost; its ``weights.step_fn({10: 1, 15: 2/3, 20: 1/3})`` returns the weight of the first bound
the cost does not exceed (``cost <= bound``), 0 beyond the last: exactly our steps, bounds
included. Its ``two_stage_fca`` sums ``demand × w(cost)`` per destination (``R_j = S_j / Σ``),
then ``R_j × w(cost)`` per origin. The cost table here comes from the dense
:func:`haversine_matrix`, not from our neighbour search, so the search is checked too.

``access`` is a test-only dependency (it brings pandas, geopandas, scipy): the application
never imports it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from access import Access, weights

from santeloc.analysis.accessibility import AplParameters, TravelModel, apl_full, haversine_matrix


def synthetic(seed: int, n: int = 400) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``n`` communes in a 100 km × 100 km square of Burgundy, a quarter of them with supply."""
    rng = np.random.default_rng(seed)
    lat = 47.0 + rng.uniform(-0.45, 0.45, n)
    lon = 3.5 + rng.uniform(-0.65, 0.65, n)
    population = rng.integers(50, 5000, n).astype(float)
    supply = np.where(rng.random(n) < 0.25, rng.uniform(0.2, 4.0, n), 0.0)
    return lat, lon, population, supply


def access_2sfca(
    lat: np.ndarray,
    lon: np.ndarray,
    population: np.ndarray,
    supply: np.ndarray,
    model: TravelModel,
    max_minutes: float,
    weight_fn: object,
) -> np.ndarray:
    n = len(lat)
    latlon = np.column_stack([lat, lon])
    minutes = model.minutes(haversine_matrix(latlon, latlon))
    origin, destination = np.nonzero(minutes <= max_minutes)
    cost = pd.DataFrame({"origin": origin, "dest": destination, "cost": minutes[origin, destination]})
    ids = pd.Index(np.arange(n), name="geoid")
    engine = Access(
        demand_df=pd.DataFrame({"pop": population}, index=ids),
        demand_index=True,
        demand_value="pop",
        supply_df=pd.DataFrame({"fte": supply}, index=ids),
        supply_index=True,
        supply_value="fte",
        cost_df=cost,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    result = engine.two_stage_fca(name="apl", max_cost=max_minutes, weight_fn=weight_fn)
    return result["apl_fte"].reindex(np.arange(n)).to_numpy(dtype=float)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_step_decay_equals_access(seed: int) -> None:
    lat, lon, population, supply = synthetic(seed)
    params = AplParameters()  # 1 up to 10 min, 2/3 up to 15, 1/3 up to 20
    model = TravelModel()
    ours = apl_full(lat, lon, population, supply, params, model)
    theirs = access_2sfca(lat, lon, population, supply, model, params.max_minutes, weights.step_fn(dict(params.steps)))
    assert not np.isnan(theirs).any()
    assert (ours > 0).sum() > 300  # a meaningful problem: most communes reach some supply
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=0)


def test_step_decay_equals_access_with_other_steps_and_model() -> None:
    lat, lon, population, supply = synthetic(4, 300)
    params = AplParameters(max_minutes=30, steps=((5, 1.0), (15, 0.6), (30, 0.1)))
    model = TravelModel(detour_factor=1.4, speed_kmh=50)
    ours = apl_full(lat, lon, population, supply, params, model)
    theirs = access_2sfca(lat, lon, population, supply, model, 30, weights.step_fn(dict(params.steps)))
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=0)


def test_no_decay_equals_access_plain_2sfca() -> None:
    lat, lon, population, supply = synthetic(5, 300)
    params = AplParameters(decay="none")
    ours = apl_full(lat, lon, population, supply, params, TravelModel())
    theirs = access_2sfca(lat, lon, population, supply, TravelModel(), 20, None)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=0)


def test_continuous_decay_aggregates_like_access() -> None:
    # access has no linear decay: it is handed ours, so this checks the two sums, not the curve.
    lat, lon, population, supply = synthetic(6, 300)
    params = AplParameters(decay="continuous")
    ours = apl_full(lat, lon, population, supply, params, TravelModel())
    theirs = access_2sfca(lat, lon, population, supply, TravelModel(), 20, params.weight_at)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=0)
