"""The DREES's APL method on a hand-computed example: activity bounds, age weights, time steps."""

from __future__ import annotations

import pytest

from santeloc.analysis.accessibility import AplParameters, SupplyPoint, apl, standardised_demand, supply_by_commune
from santeloc.analysis.drees_apl import NEW_DOCTOR_ACTIVITY, counted_activity
from santeloc.domain.errors import ValidationError
from santeloc.refdata.apl import load_apl_baseline
from tests.unit.analysis.test_accessibility import MINUTES_EQUAL_KM, TOY


@pytest.mark.parametrize(
    ("activity", "counted"),
    [(None, 5400.0), (0, 0.0), (249, 0.0), (251, 3600.0), (1200, 3600.0), (3600, 3600.0), (3601, 3601.0),
     (4500, 4500.0), (6000, 6000.0), (6001, 6000.0), (9000, 6000.0)],
)  # fmt: skip
def test_activity_bounds_of_the_parameters_sheet(activity: float | None, counted: float) -> None:
    assert counted_activity(activity) == counted


def test_activity_refuses_nonsense() -> None:
    with pytest.raises(ValidationError, match="Activité invalide"):
        counted_activity(-5)
    with pytest.raises(ValidationError):
        counted_activity(float("inf"))
    assert NEW_DOCTOR_ACTIVITY == 5400 and counted_activity(None, new_doctor=4000) == 4000


def test_age_weights_are_those_of_the_workbook() -> None:
    """Standardised population of a commune of 100 under 5 and 100 aged 90 or more, 2023 weights:
    100 × 1,12 + 100 × 2,26 = 338 (not normalised), the DREES's own definition."""
    weights = [w for _band, w in load_apl_baseline().age_weights(2023)]
    assert len(weights) == 19 and weights[0] == 1.12 and weights[-1] == 2.26
    groups = [100.0] + [0.0] * 17 + [100.0]
    assert standardised_demand({"X": groups}, weights, normalise=False) == {"X": pytest.approx(338.0)}
    # The 2022 weights differ (0,93 under 5; 2,39 over 90).
    assert load_apl_baseline().age_weights(2022)[0][1] == 0.93


def test_drees_apl_hand_computed() -> None:
    """Toy communes on a line (1 km = 1 min): A at 0, B at 8, C at 14, D at 30 minutes.

    Supply (consultations, DREES bounds): A has one doctor at 7 000 → 6 000 and one new doctor
    → 5 400 (11 400); C one doctor at 3 000 → 3 600; D one at 200 → 0.
    Standardised demand: A 1 200, B 1 800, C 600, D 1 500.
    Steps: w = 1 up to 10 min, 2/3 up to 15, 1/3 up to 20, 0 beyond.
      R_A = 11 400 / (1·1 200 + 1·1 800 + 2/3·600 + 0·1 500) = 11 400 / 3 400
      R_C = 3 600 / (2/3·1 200 + 1·1 800 + 1·600 + 1/3·1 500) = 3 600 / 3 700
      A_A = 1·R_A + 2/3·R_C ;  A_B = R_A + R_C ;  A_C = 2/3·R_A + R_C ;  A_D = 1/3·R_C
    The territory's mean weights communes by standardised population.
    """
    params = AplParameters(supply_unit="consultations", standardise_demand=True, age_cap=None)
    points = [
        SupplyPoint("A", consultations=counted_activity(7000)),
        SupplyPoint("A", consultations=counted_activity(None)),
        SupplyPoint("C", consultations=counted_activity(3000)),
        SupplyPoint("D", consultations=counted_activity(200)),
    ]
    supply = supply_by_commune(points, params)
    assert supply.by_commune == {"A": 11400.0, "C": 3600.0, "D": 0.0}
    demand = {"A": 1200.0, "B": 1800.0, "C": 600.0, "D": 1500.0}
    result = apl(["A", "B", "C", "D"], supply, TOY, params, MINUTES_EQUAL_KM, demand=demand)
    r_a, r_c = 11400 / 3400, 3600 / 3700
    expected = {"A": r_a + 2 / 3 * r_c, "B": r_a + r_c, "C": 2 / 3 * r_a + r_c, "D": 1 / 3 * r_c}
    for code, value in expected.items():
        assert result.by_commune[code] == pytest.approx(value, rel=1e-12)
    mean = sum(expected[c] * demand[c] for c in demand) / sum(demand.values())
    assert result.territory_mean == pytest.approx(mean, rel=1e-12)
    assert result.unit_label == "consultations ou visites accessibles par habitant standardisé et par an"
    assert result.format_value(result.by_commune["B"]).startswith("4,33 ")
