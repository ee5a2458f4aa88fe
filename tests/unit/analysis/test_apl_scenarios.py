"""A what-if's increments equal the DREES's 2SFCA computed again with the new supply."""

from __future__ import annotations

import pytest

from santeloc.analysis.accessibility import AplParameters, apl
from santeloc.analysis.apl_scenarios import apply, build_network, increments, rank_sites
from santeloc.domain.errors import ValidationError
from tests.unit.analysis.test_accessibility import MINUTES_EQUAL_KM, TOY

PARAMS = AplParameters(supply_unit="consultations", standardise_demand=True, age_cap=None)
DEMAND = {"A": 1200.0, "B": 1800.0, "C": 600.0, "D": 1500.0}
TOTAL = {"A": 1000.0, "B": 2000.0, "C": 500.0, "D": 1500.0}
SUPPLY = {"A": 11400.0, "C": 3600.0, "D": 2000.0}


def official_of(supply: dict[str, float]) -> dict[str, float]:
    return apl(list(TOY.communes), supply, TOY, PARAMS, MINUTES_EQUAL_KM, demand=DEMAND).by_commune


def network(sites: list[str]):  # type: ignore[no-untyped-def]
    official = official_of(SUPPLY)
    return build_network(sites, TOY, lambda c: (official[c], DEMAND[c], TOTAL[c]), PARAMS, MINUTES_EQUAL_KM)


@pytest.mark.parametrize(
    "change",
    [{"B": 5400.0}, {"A": -5400.0}, {"C": -3600.0, "B": 3600.0}, {"D": 10800.0, "A": 2000.0}],
)
def test_increments_equal_the_full_computation(change: dict[str, float]) -> None:
    net = network(list(change))
    after = apply(net, increments(net, change))
    new_supply = dict(SUPPLY)
    for code, value in change.items():
        new_supply[code] = new_supply.get(code, 0.0) + value
    expected = official_of(new_supply)
    for k, code in enumerate(net.codes):
        assert after[k] == pytest.approx(expected[code], rel=1e-12, abs=1e-12)
    official = official_of(SUPPLY)
    for code in set(TOY.communes) - set(net.codes):  # out of reach of every change: unchanged
        assert expected[code] == pytest.approx(official[code], rel=1e-12)


def test_demand_of_a_site_is_hand_computed() -> None:
    """D_B = 1·1 200 (A, 8 min) + 1·1 800 (B) + 1·600 (C, 6 min) + 0 (D, 22 min) = 3 600."""
    net = network(["B"])
    assert net.demand[net.codes.index("B")] == pytest.approx(3600.0)
    # 5 400 consultations at B add 5 400 / 3 600 = 1,5 to A, B and C, nothing to D.
    delta = increments(net, {"B": 5400.0})
    assert [round(delta[net.codes.index(c)], 9) for c in "ABC"] == [1.5, 1.5, 1.5]
    assert "D" not in net.codes  # 22 minutes away: beyond the reach, untouched


def test_rank_sites_prefers_the_site_that_lifts_most_people() -> None:
    net = network(list("ABCD"))
    official = official_of(SUPPLY)
    threshold = sorted(official.values())[2]  # two communes under it
    scores = rank_sites(net, list("ABCD"), 5400.0, list("ABCD"), threshold)
    assert len(scores) == 4
    best = scores[0]
    # Recompute the best site's lifted population by hand from the full computation.
    supply = dict(SUPPLY)
    supply[best.code] = supply.get(best.code, 0.0) + 5400.0
    after = official_of(supply)
    lifted = sum(TOTAL[c] for c in "ABCD" if official[c] < threshold <= after[c])
    assert best.lifted == pytest.approx(lifted)
    assert all(best.lifted >= s.lifted for s in scores)


def test_unknown_commune_is_refused() -> None:
    net = network(["A"])
    with pytest.raises(ValidationError, match="hors de la zone"):
        increments(net, {"Z": 1.0})
