"""Travel times, nearest professional, population beyond a time and the APL (2SFCA)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pytest

from santeloc.analysis.accessibility import (
    EARTH_RADIUS_KM,
    AplParameters,
    DistanceMatrix,
    SupplyPoint,
    TravelModel,
    apl,
    apl_full,
    calculation_area,
    haversine_matrix,
    nearest_minutes,
    neighbour_pairs,
    population_beyond,
    population_beyond_table,
    standardised_demand,
    supply_by_commune,
    two_step_fca,
)
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP
from santeloc.refdata.geo import RefData

FloatArray = np.ndarray

# ------------------------------------------------------------------------ a toy territory
#
# Four communes on the equator, at 0, 8, 14 and 30 km from A. With a detour factor of 1 and
# 60 km/h, minutes equal kilometres, so the travel times are:
#
#          A    B    C    D
#     A    0    8   14   30
#     B    8    0    6   22
#     C   14    6    0   16
#     D   30   22   16    0
#
# Step weights (1 up to 10 min, 2/3 up to 15, 1/3 up to 20, 0 beyond):
#     w(0) = w(6) = w(8) = 1 ; w(14) = 2/3 ; w(16) = 1/3 ; w(22) = w(30) = 0.


def degrees_for_km(km: float) -> float:
    """Longitude on the equator at ``km`` from longitude 0 (great circle = R × Δλ)."""
    return math.degrees(km / EARTH_RADIUS_KM)


@dataclass(frozen=True)
class ToyCommune:
    name: str
    population: int


class ToyRefData:
    """Just what the accessibility functions need from RefData."""

    def __init__(self, places: Mapping[str, tuple[str, int, float | None]]) -> None:
        self.communes = {code: ToyCommune(name, pop) for code, (name, pop, _) in places.items()}
        self._km = {code: km for code, (_, _, km) in places.items()}

    def centres(self, codes: Sequence[str]) -> FloatArray:
        out = np.full((len(codes), 2), np.nan)
        for k, code in enumerate(codes):
            km = self._km.get(code)
            if km is not None:
                out[k] = (0.0, degrees_for_km(km))
        return out


TOY = ToyRefData(
    {
        "A": ("Ambly", 1000, 0.0),
        "B": ("Bourg", 2000, 8.0),
        "C": ("Cerisy", 500, 14.0),
        "D": ("Dampierre", 1500, 30.0),
    }
)
MINUTES_EQUAL_KM = TravelModel(detour_factor=1.0, speed_kmh=60.0)
TOY_SUPPLY = {"A": 2.0, "C": 1.0, "D": 1.0}
TOY_TIMES = {
    ("A", "B"): 8.0,
    ("A", "C"): 14.0,
    ("A", "D"): 30.0,
    ("B", "C"): 6.0,
    ("B", "D"): 22.0,
    ("C", "D"): 16.0,
}

# Step 1, R_j = S_j / Σ_k w(t_kj)·P_k:
#   R_A = 2 / (1·1000 + 1·2000 + 2/3·500 + 0·1500) = 2 / (10 000/3) = 6/10 000
#   R_C = 1 / (2/3·1000 + 1·2000 + 1·500 + 1/3·1500) = 1 / (11 000/3) = 3/11 000
#   R_D = 1 / (0·1000 + 0·2000 + 1/3·500 + 1·1500) = 1 / (5 000/3) = 3/5 000
# Step 2, A_i = Σ_j w(t_ij)·R_j:
#   A_A = 1·R_A + 2/3·R_C + 0·R_D = 6/10 000 + 2/11 000
#   A_B = 1·R_A + 1·R_C + 0·R_D = 6/10 000 + 3/11 000
#   A_C = 2/3·R_A + 1·R_C + 1/3·R_D = 4/10 000 + 3/11 000 + 2/10 000
#   A_D = 0·R_A + 1/3·R_C + 1·R_D = 1/11 000 + 6/10 000
EXPECTED_STEPS = {
    "A": 6 / 10_000 + 2 / 11_000,
    "B": 6 / 10_000 + 3 / 11_000,
    "C": 4 / 10_000 + 3 / 11_000 + 2 / 10_000,
    "D": 1 / 11_000 + 6 / 10_000,
}


def toy_arrays() -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    codes = ["A", "B", "C", "D"]
    latlon = TOY.centres(codes)
    population = np.array([TOY.communes[c].population for c in codes], dtype=float)
    supply = np.array([TOY_SUPPLY.get(c, 0.0) for c in codes])
    return latlon[:, 0], latlon[:, 1], population, supply


def full_toy_matrix(overrides: Mapping[tuple[str, str], float] | None = None) -> DistanceMatrix:
    times = {**TOY_TIMES, **(overrides or {})}
    return DistanceMatrix.from_pairs(((a, b, t) for (a, b), t in times.items()), symmetric=True)


# ------------------------------------------------------------------------ distances


def test_haversine_matrix_known_distances_and_nan() -> None:
    paris, lyon = (48.8566, 2.3522), (45.7640, 4.8357)
    d = haversine_matrix([paris, lyon, (math.nan, math.nan)], [paris, lyon])
    assert d.shape == (3, 2)
    assert d[0, 0] == 0.0
    assert d[0, 1] == pytest.approx(391.5, abs=1.0)
    assert d[0, 1] == d[1, 0]
    assert np.isnan(d[2]).all()


def test_haversine_matrix_matches_refdata(refdata: RefData) -> None:
    codes = ["58227", "58194", "14118", "2A004"]
    d = haversine_matrix(refdata.centres(codes), refdata.centres(codes))
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            assert d[i, j] == pytest.approx(refdata.distance_km(a, b), rel=1e-12, abs=1e-9)


def test_haversine_matrix_refuses_a_country_sized_dense_matrix() -> None:
    points = np.zeros((35_000, 2))
    with pytest.raises(ValueError, match="neighbour_pairs"):
        haversine_matrix(points, points)


@pytest.mark.parametrize(
    ("centre", "spread", "radius"),
    [
        ((47.0, 2.5), 3.0, 15.0),  # France-like
        ((46.0, 179.9), 1.0, 30.0),  # across the antimeridian
        ((84.0, 0.0), 2.0, 40.0),  # high latitude: wide longitude columns
        ((88.5, 0.0), 1.4, 40.0),  # near the pole: one longitude column
        ((47.0, 2.5), 0.05, 0.0),  # zero radius: only identical points
    ],
)
def test_neighbour_pairs_equal_the_dense_filter(centre: tuple[float, float], spread: float, radius: float) -> None:
    rng = np.random.default_rng(7)
    origins = np.column_stack(
        [centre[0] + rng.uniform(-spread, spread, 400), centre[1] + rng.uniform(-spread, spread, 400)]
    )
    destinations = np.column_stack(
        [centre[0] + rng.uniform(-spread, spread, 300), centre[1] + rng.uniform(-spread, spread, 300)]
    )
    origins[:, 1] = (origins[:, 1] + 180.0) % 360.0 - 180.0
    destinations[:, 1] = (destinations[:, 1] + 180.0) % 360.0 - 180.0
    destinations[:20] = origins[:20]  # identical points
    origins[5] = (math.nan, math.nan)
    dense = haversine_matrix(origins, destinations)
    expected = set(zip(*np.nonzero(dense <= radius), strict=True))
    pairs = neighbour_pairs(origins, destinations, radius, chunk_candidates=5_000)
    found = set(zip(pairs.origin.tolist(), pairs.destination.tolist(), strict=True))
    assert found == expected
    assert len(found) == len(pairs.km)  # no duplicate
    assert np.array_equal(pairs.km, dense[pairs.origin, pairs.destination])  # bit-identical distances


# ------------------------------------------------------------------------ travel model and matrix


def test_travel_model_estimate_and_description() -> None:
    model = TravelModel()
    assert model.minutes(10.0) == pytest.approx(13.0)  # 10 km × 1,3 ÷ 60 km/h = 13 min
    assert model.minutes(np.array([0.0, 30.0])) == pytest.approx([0.0, 39.0])
    assert model.reach_km(20.0) == pytest.approx(20.0 / 1.3)
    assert model.describe() == f"Temps de trajet estimé : distance à vol d'oiseau × 1,3 ÷ 60{NBSP}km/h (estimation)"
    assert "× 1,25 ÷ 45" in TravelModel(1.25, 45).describe()
    with pytest.raises(ValidationError, match="détour"):
        TravelModel(detour_factor=0.8)
    with pytest.raises(ValidationError, match="vitesse"):
        TravelModel(speed_kmh=0)


def test_distance_matrix_lookup_symmetry_and_missing_pairs() -> None:
    matrix = DistanceMatrix.from_pairs([("14118", "14047", 12.5), ("14047", "14327", 7)])
    assert matrix.lookup("14118", "14047") == 12.5
    assert matrix.lookup("14047", "14118") is None  # directed
    assert matrix.lookup("14118", "14118") == 0.0  # a commune to itself
    assert matrix.missing_pairs(["14118", "14047"], ["14047", "14327"]) == [("14118", "14327")]
    symmetric = DistanceMatrix.from_pairs([("14118", "14047", 12.5)], symmetric=True)
    assert symmetric.lookup("14047", "14118") == 12.5
    assert len(symmetric) == 2
    assert "2 trajets" in symmetric.describe()


def test_distance_matrix_rejects_bad_times() -> None:
    with pytest.raises(ValidationError, match="invalide"):
        DistanceMatrix.from_pairs([("A", "B", -3)])
    with pytest.raises(ValidationError, match="invalide"):
        DistanceMatrix.from_pairs([("A", "B", "n.d.")])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="deux fois"):
        DistanceMatrix.from_pairs([("A", "B", 3), ("A", "B", 4)])


# ------------------------------------------------------------------------ nearest, population beyond


def test_nearest_minutes_estimate() -> None:
    minutes = nearest_minutes(["A", "B", "C", "D"], ["C"], TOY, MINUTES_EQUAL_KM)
    assert minutes == pytest.approx({"A": 14.0, "B": 6.0, "C": 0.0, "D": 16.0})
    assert nearest_minutes(["A"], [], TOY, MINUTES_EQUAL_KM) == {"A": math.inf}


def test_nearest_minutes_with_matrix_and_missing_pair() -> None:
    # The road from D to C is long (25 min) but D to B is short (12 min): B holds supply too.
    matrix = DistanceMatrix.from_pairs(
        [("A", "B", 10.0), ("A", "C", 9.0), ("B", "C", 6.0), ("D", "C", 25.0), ("D", "B", 12.0)]
    )
    minutes = nearest_minutes(["A", "B", "D"], ["B", "C"], TOY, MINUTES_EQUAL_KM, matrix)
    assert minutes == pytest.approx({"A": 9.0, "B": 0.0, "D": 12.0})
    # A → B (8 km, the nearest as the crow flies) is not in the matrix:
    matrix = DistanceMatrix.from_pairs([("A", "C", 9.0)])
    with pytest.raises(ValidationError, match=r"Ambly \(A\) → Bourg \(B\)"):
        nearest_minutes(["A"], ["B", "C"], TOY, MINUTES_EQUAL_KM, matrix)
    minutes = nearest_minutes(["A"], ["B", "C"], TOY, MINUTES_EQUAL_KM, matrix, allow_estimate_for_missing=True)
    assert minutes["A"] == pytest.approx(8.0)


def test_nearest_minutes_on_real_communes(refdata: RefData) -> None:
    codes = [c.code for c in refdata.within_km("58227", 25)]
    supply = codes[::7]
    minutes = nearest_minutes(codes, supply, refdata)
    dense = haversine_matrix(refdata.centres(codes), refdata.centres(supply)).min(axis=1)
    assert list(minutes.values()) == pytest.approx(TravelModel().minutes(dense).tolist())


def test_population_beyond_thresholds() -> None:
    minutes = {"A": 14.0, "B": 6.0, "C": 0.0, "D": 16.0, "E": math.inf, "F": math.nan}
    population = {"A": 1000, "B": 2000, "C": 500, "D": 1500, "E": 500, "F": 300}
    # Beyond 15 min (strictly): D and E (no supply at all) = 2 000 of 5 500 located inhabitants.
    assert population_beyond(15, minutes, population) == pytest.approx((2000.0, 2000 / 5500))
    assert population_beyond(16, minutes, population) == pytest.approx((500.0, 500 / 5500))
    rows = population_beyond_table(minutes, population)
    assert [r.threshold_minutes for r in rows] == [15, 20, 30]
    assert rows[0].unknown_population == 300
    assert rows[0].sentence.startswith("2\u202f000 habitants (36,4\u00a0%) à plus de 15\u00a0minutes")


# ------------------------------------------------------------------------ weights and parameters


def test_step_weights_include_the_upper_bound() -> None:
    params = AplParameters()
    t = np.array([0.0, 10.0, 10.000001, 15.0, 15.5, 20.0, 20.000001, math.nan])
    assert params.weight(t).tolist() == pytest.approx([1, 1, 2 / 3, 2 / 3, 1 / 3, 1 / 3, 0, 0])


def test_continuous_decay_is_a_plateau_then_linear() -> None:
    params = AplParameters(decay="continuous")
    t = np.array([0.0, 10.0, 12.5, 14.0, 16.0, 20.0, 21.0])
    assert params.weight(t).tolist() == pytest.approx([1, 1, 0.75, 0.6, 0.4, 0, 0])
    # Same area under the curve as the default steps: 10 + 5·2/3 + 5·1/3 = 15 minute-weights.
    grid = np.linspace(0, 25, 250_001)
    steps_area = np.trapezoid(AplParameters().weight(grid), grid)
    linear_area = np.trapezoid(params.weight(grid), grid)
    assert steps_area == pytest.approx(15.0, abs=1e-3)
    assert linear_area == pytest.approx(15.0, abs=1e-3)
    assert "décroissance linéaire jusqu'à 0 à 20" in params.describe()


def test_no_decay_is_the_original_2sfca() -> None:
    params = AplParameters(decay="none")
    assert params.weight(np.array([0.0, 19.9, 20.0, 20.1])).tolist() == [1, 1, 1, 0]


def test_parameters_describe_in_french() -> None:
    text = AplParameters().describe()
    assert f"1 jusqu'à 10{NBSP}min, 2/3 de 10 à 15{NBSP}min, 1/3 de 15 à 20{NBSP}min, 0 au-delà" in text
    assert f"professionnels de 65{NBSP}ans et plus exclus" in text
    assert "DREES" in text
    consultations = AplParameters(supply_unit="consultations", age_cap=None, standardise_demand=True).describe()
    assert "consultations" in consultations and "exclus" not in consultations and "standardisée" in consultations


def test_parameters_are_checked() -> None:
    with pytest.raises(ValidationError, match="dernier palier"):
        AplParameters(max_minutes=30)
    with pytest.raises(ValidationError, match="décroître"):
        AplParameters(steps=((10, 0.5), (20, 1.0)))
    with pytest.raises(ValidationError, match="croissantes"):
        AplParameters(steps=((15, 1.0), (10, 0.5), (20, 0.2)))
    custom = AplParameters(max_minutes=30, steps=((15, 1.0), (30, 0.5)))
    assert custom.weight_at(29) == 0.5


# ------------------------------------------------------------------------ supply


def test_supply_excludes_professionals_at_the_age_cap() -> None:
    professionals = [
        SupplyPoint("A", fte=1.0, age=64),
        SupplyPoint("A", fte=0.5, age=65),  # excluded: 65 or older
        SupplyPoint("A", fte=0.8, age=70),  # excluded
        SupplyPoint("C", fte=None, age=None),  # unknown FTE counts as 1, unknown age is kept
        SupplyPoint("C", fte=0.6, age=40),
    ]
    supply = supply_by_commune(professionals, AplParameters())
    assert supply.by_commune == pytest.approx({"A": 1.0, "C": 1.6})
    assert (supply.included, supply.excluded_by_age, supply.unknown_age, supply.assumed_full_time) == (3, 2, 1, 1)
    assert "2 exclu(s) en raison de l'âge" in supply.describe()
    everyone = supply_by_commune(professionals, AplParameters(age_cap=None))
    assert everyone.by_commune == pytest.approx({"A": 2.3, "C": 1.6})


def test_supply_in_consultations() -> None:
    professionals = [SupplyPoint("A", consultations=4500, age=50), SupplyPoint("A", consultations=None, age=50)]
    supply = supply_by_commune(professionals, AplParameters(supply_unit="consultations"))
    assert supply.by_commune == {"A": 4500.0}
    assert supply.missing_consultations == 1


def test_age_cap_changes_the_apl() -> None:
    professionals = [
        SupplyPoint("A", fte=2.0, age=50),
        SupplyPoint("C", fte=1.0, age=66),
        SupplyPoint("D", fte=1.0, age=30),
    ]
    capped = apl(["A", "B", "C", "D"], supply_by_commune(professionals), TOY, model=MINUTES_EQUAL_KM)
    full = apl(["A", "B", "C", "D"], TOY_SUPPLY, TOY, model=MINUTES_EQUAL_KM)
    assert full.by_commune == pytest.approx(EXPECTED_STEPS, rel=1e-12)
    assert capped.by_commune["B"] == pytest.approx(6 / 10_000)  # C's GP (66) no longer counts
    assert capped.by_commune["B"] < full.by_commune["B"]


# ------------------------------------------------------------------------ 2SFCA


def test_two_step_fca_hand_computed() -> None:
    lat, lon, population, supply = toy_arrays()
    access = apl_full(lat, lon, population, supply, AplParameters(), MINUTES_EQUAL_KM)
    assert access.tolist() == pytest.approx([EXPECTED_STEPS[c] for c in "ABCD"], rel=1e-12)
    # All supply is used by people inside the area: Σ A_i·P_i = Σ S_j = 4 ETP.
    assert float(access @ population) == pytest.approx(4.0, rel=1e-12)


def test_two_step_fca_on_explicit_pairs_returns_ratios() -> None:
    # Pairs as (origin, destination, minutes); destination indexes supply (A, C, D → 0, 2, 3).
    codes = "ABCD"
    times = {**TOY_TIMES, **{(b, a): t for (a, b), t in TOY_TIMES.items()}, **{(c, c): 0.0 for c in codes}}
    origin = np.array([codes.index(a) for a, _ in times])
    destination = np.array([codes.index(b) for _, b in times])
    minutes = np.array(list(times.values()))
    _, _, population, supply = toy_arrays()
    access, ratio = two_step_fca(origin, destination, minutes, population, supply, AplParameters())
    assert ratio.tolist() == pytest.approx([6 / 10_000, 0.0, 3 / 11_000, 3 / 5_000], rel=1e-12)
    assert access.tolist() == pytest.approx([EXPECTED_STEPS[c] for c in codes], rel=1e-12)


def test_step_and_continuous_decay_differ_but_conserve_supply() -> None:
    lat, lon, population, supply = toy_arrays()
    steps = apl_full(lat, lon, population, supply, AplParameters(), MINUTES_EQUAL_KM)
    continuous = apl_full(lat, lon, population, supply, AplParameters(decay="continuous"), MINUTES_EQUAL_KM)
    # Continuous weights: w(14) = 0,6, w(16) = 0,4 (instead of 2/3 and 1/3).
    #   R_A = 2 / (1000 + 2000 + 0,6·500) = 2/3 300 ; R_C = 1 / (0,6·1000 + 2000 + 500 + 0,4·1500) = 1/3 700
    #   R_D = 1 / (0,4·500 + 1500) = 1/1 700 ; A_A = R_A + 0,6·R_C
    assert continuous[0] == pytest.approx(2 / 3300 + 0.6 / 3700, rel=1e-12)
    assert continuous[3] == pytest.approx(0.4 / 3700 + 1 / 1700, rel=1e-12)
    assert not np.allclose(steps, continuous)
    assert float(continuous @ population) == pytest.approx(4.0, rel=1e-12)


def test_points_without_centre_take_no_part() -> None:
    lat, lon, population, supply = toy_arrays()
    lat = np.append(lat, math.nan)
    lon = np.append(lon, math.nan)
    access = apl_full(lat, lon, np.append(population, 9999), np.append(supply, 5.0), AplParameters(), MINUTES_EQUAL_KM)
    assert math.isnan(access[4])
    assert access[:4].tolist() == pytest.approx([EXPECTED_STEPS[c] for c in "ABCD"], rel=1e-12)


def test_apl_includes_communes_around_the_territory() -> None:
    # The territory is A and B only; C and D lie outside, but A's and B's inhabitants use C's
    # GP, who also serves D's inhabitants: the result must be the one of the whole area.
    result = apl(["A", "B"], TOY_SUPPLY, TOY, model=MINUTES_EQUAL_KM)
    assert result.by_commune == pytest.approx({"A": EXPECTED_STEPS["A"], "B": EXPECTED_STEPS["B"]}, rel=1e-12)
    assert result.surrounding_communes == 2
    mean = (1000 * EXPECTED_STEPS["A"] + 2000 * EXPECTED_STEPS["B"]) / 3000
    assert result.territory_mean == pytest.approx(mean, rel=1e-12)
    # Without the surroundings C's and D's supply and D's patients would be ignored:
    alone = apl(["A", "B"], TOY_SUPPLY, TOY, model=MINUTES_EQUAL_KM, buffer_minutes=0)
    assert alone.surrounding_communes == 0
    assert alone.by_commune["A"] == pytest.approx(2 / 3000)
    text = result.describe()
    assert "Zone de calcul : les 2 communes du territoire et 2 communes voisines" in text
    assert "Temps de trajet estimé : distance à vol d'oiseau × 1 ÷ 60" in text
    assert "APL moyenne du territoire" in text and "ETP pour 100\u202f000 habitants" in text


def test_territory_apl_equals_the_national_computation(refdata: RefData) -> None:
    codes = list(refdata.communes)
    latlon = refdata.centres(codes)
    population = np.array([refdata.communes[c].population for c in codes], dtype=float)
    rng = np.random.default_rng(3)
    supply = np.where(rng.random(len(codes)) < 0.2, rng.uniform(0.5, 3.0, len(codes)), 0.0)
    supply[np.isnan(latlon[:, 0])] = 0.0
    national = apl_full(latlon[:, 0], latlon[:, 1], population, supply)
    index = {c: i for i, c in enumerate(codes)}
    territory = [c.code for c in refdata.communes_of_epci(refdata.communes["58227"].epci or "")]
    result = apl(territory, {c: s for c, s in zip(codes, supply.tolist(), strict=True) if s > 0}, refdata)
    assert result.surrounding_communes > 0
    for code in territory:
        assert result.by_commune[code] == pytest.approx(national[index[code]], rel=1e-12)


def test_apl_with_a_distance_matrix_overriding_the_estimate() -> None:
    # The road A–C takes 9 min (estimate: 14), and D–A 18 min (estimate: 30, out of reach).
    matrix = full_toy_matrix({("A", "C"): 9.0, ("A", "D"): 18.0})
    result = apl(["A", "B", "C", "D"], TOY_SUPPLY, TOY, model=MINUTES_EQUAL_KM, matrix=matrix)
    # Weights now: w(AC) = 1, w(AD) = 1/3.
    #   R_A = 2 / (1000 + 2000 + 500 + 1/3·1500) = 2/4000
    #   R_C = 1 / (1000 + 2000 + 500 + 1/3·1500) = 1/4000
    #   R_D = 1 / (1/3·1000 + 1/3·500 + 1500) = 1/2000
    #   A_A = R_A + R_C + 1/3·R_D ; A_D = 1/3·R_A + 1/3·R_C + R_D
    assert result.by_commune["A"] == pytest.approx(2 / 4000 + 1 / 4000 + 1 / 6000, rel=1e-12)
    assert result.by_commune["D"] == pytest.approx(2 / 12_000 + 1 / 12_000 + 1 / 2000, rel=1e-12)
    assert result.estimated_pairs == 0
    assert "Temps de trajet importés" in result.describe()


def test_apl_missing_pairs_raise_unless_estimate_allowed() -> None:
    times = {k: v for k, v in TOY_TIMES.items() if k != ("B", "C")}
    matrix = DistanceMatrix.from_pairs(((a, b, t) for (a, b), t in times.items()), symmetric=True)
    with pytest.raises(ValidationError) as error:
        apl(["A", "B", "C", "D"], TOY_SUPPLY, TOY, model=MINUTES_EQUAL_KM, matrix=matrix)
    message = str(error.value)
    assert "Bourg (B) → Cerisy (C)" in message
    assert "ne contient pas 1 trajet nécessaire" in message
    result = apl(
        ["A", "B", "C", "D"], TOY_SUPPLY, TOY, model=MINUTES_EQUAL_KM, matrix=matrix, allow_estimate_for_missing=True
    )
    assert result.by_commune == pytest.approx(EXPECTED_STEPS, rel=1e-12)
    assert result.estimated_pairs == 1  # B → C; C → B is not needed (B holds no supply)
    assert "1 trajet absent du distancier" in result.describe()


def test_apl_standardised_demand() -> None:
    # Two age groups, consumption 1 and 3: A is young, D is old.
    by_age = {"A": [1000, 0], "B": [1000, 1000], "C": [250, 250], "D": [0, 1500]}
    raw = standardised_demand(by_age, [1.0, 3.0], normalise=False)
    assert raw == {"A": 1000.0, "B": 4000.0, "C": 1000.0, "D": 4500.0}
    demand = standardised_demand(by_age, [1.0, 3.0])
    assert sum(demand.values()) == pytest.approx(5000.0)
    params = AplParameters(standardise_demand=True)
    result = apl(["A", "B", "C", "D"], TOY_SUPPLY, TOY, params, MINUTES_EQUAL_KM, demand=demand)
    lat, lon, _, supply = toy_arrays()
    expected = apl_full(lat, lon, np.array([demand[c] for c in "ABCD"]), supply, params, MINUTES_EQUAL_KM)
    assert list(result.by_commune.values()) == pytest.approx(expected.tolist(), rel=1e-12)
    with pytest.raises(ValidationError, match="standardisée"):
        apl(["A"], TOY_SUPPLY, TOY, params, MINUTES_EQUAL_KM)
    with pytest.raises(ValidationError, match="standardisée"):
        apl(["A"], TOY_SUPPLY, TOY, AplParameters(), MINUTES_EQUAL_KM, demand=demand)


def test_apl_rejects_unknown_codes_and_reports_missing_centres() -> None:
    with pytest.raises(ValidationError, match="inconnu"):
        apl(["Z"], TOY_SUPPLY, TOY)
    toy = ToyRefData({"A": ("Ambly", 1000, 0.0), "B": ("Bourg", 2000, 8.0), "X": ("Sans-Centre", 50, None)})
    result = apl(["A", "B", "X"], {"A": 1.0}, toy, model=MINUTES_EQUAL_KM)
    assert math.isnan(result.by_commune["X"])
    assert result.territory_mean == pytest.approx(1 / 3000)  # X weighs nothing in the mean
    assert result.without_centre == ("X",)
    assert "Sans point central connu, non calculées : X" in result.describe()


def test_apl_result_formats_consultations() -> None:
    supply = {"A": 9000.0, "C": 4500.0}
    result = apl(["A", "B"], supply, TOY, AplParameters(supply_unit="consultations"), MINUTES_EQUAL_KM)
    assert result.format_value(2.456) == "2,46 consultations par an et par habitant"  # two decimals, as the DREES
    assert "2,5\u00a0consultations" in result.describe()  # the DREES benchmark is recalled


def test_calculation_area_and_supply_that_cannot_be_placed() -> None:
    assert calculation_area(["A"], TOY, model=MINUTES_EQUAL_KM) == ["A", "B", "C", "D"]  # 2 × 20 min
    assert calculation_area(["A"], TOY, model=MINUTES_EQUAL_KM, buffer_minutes=10) == ["A", "B"]
    with pytest.raises(ValidationError, match="inconnu"):
        calculation_area(["Z"], TOY)
    toy = ToyRefData({"A": ("Ambly", 1000, 0.0), "B": ("Bourg", 2000, 8.0), "X": ("Sans-Centre", 50, None)})
    result = apl(["A", "B"], {"A": 1.0, "X": 2.0}, toy, model=MINUTES_EQUAL_KM)
    assert result.supply_without_centre == ("X",)
    assert result.by_commune["A"] == pytest.approx(1 / 3000)
    assert "Offre non prise en compte, faute de point central connu pour sa commune : X." in result.describe()
