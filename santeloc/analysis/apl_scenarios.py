"""What-if on the official APL: exact increments of the DREES's two-step floating catchment.

With demand fixed, the 2SFCA is linear in supply: adding ``S`` consultations at commune ``j``
adds ``w(t_ij) · S / D_j`` to the APL of every commune ``i``, where
``D_j = Σ_k w(t_kj) · P_k`` over the communes ``k`` within reach of ``j`` (``P`` the standardised
population, ``w`` the DREES steps). Removing supply subtracts the same way. A scenario's APL is
therefore the official APL plus exact increments: no need to know every doctor of France.

Pure NumPy (no database, no Qt). The network holds the communes the sites can reach and the
pairs within the reach, with their weights; :func:`increments` applies supply changes and
:func:`rank_sites` scores every candidate site for a number of new practitioners.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from santeloc.analysis.accessibility import AplParameters, CommuneSource, DistanceMatrix, TravelModel, neighbour_pairs
from santeloc.domain.errors import ValidationError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class AplNetwork:
    """The communes a set of sites reaches, their official APL and populations, and the pairs
    ``(i, j)`` within the reach with their weight ``w(t_ij)`` (a commune with itself: weight 1)."""

    codes: tuple[str, ...]
    official: FloatArray  # the published APL (NaN: not published)
    standardised: FloatArray  # P, the standardised population
    total: FloatArray  # total population (the population under a threshold counts it)
    origin: IntArray  # i of each pair
    destination: IntArray  # j of each pair
    weight: FloatArray  # w(t_ij) > 0
    demand: FloatArray  # D_j = Σ_k w(t_kj) · P_k, exact for the sites (every k within reach is here)

    def position(self, code: str) -> int:
        """Index of a commune of the network (ValidationError when outside it)."""
        try:
            return self.codes.index(code)
        except ValueError:
            raise ValidationError(f"La commune {code} est hors de la zone du scénario.") from None


def build_network(
    sites: Sequence[str],
    refdata: CommuneSource,
    official: Callable[[str], tuple[float, float, float] | None],
    params: AplParameters | None = None,
    model: TravelModel | None = None,
    matrix: DistanceMatrix | None = None,
) -> AplNetwork:
    """The network of ``sites`` (where supply may change): every commune within twice the reach.

    ``official(code)``: ``(APL, standardised population, total population)`` as published, or
    None; a commune the source does not give counts its legal population for both populations
    and has no APL. Travel times are estimated with ``model``, or read from
    ``matrix`` where it has the pair.
    """
    params = params or AplParameters()
    model = model or TravelModel()
    unknown = [c for c in sites if c not in refdata.communes]
    if unknown:
        raise ValidationError(f"Code(s) INSEE inconnu(s) : {', '.join(unknown[:5])}.")
    all_codes = list(refdata.communes)
    index = {code: k for k, code in enumerate(all_codes)}
    latlon = refdata.centres(all_codes)
    site_ids = np.array([index[c] for c in dict.fromkeys(sites)], dtype=np.int64)
    reach_km = model.reach_km(params.max_minutes) * (1.0 + 1e-9)
    # Communes within reach of a site are those whose APL changes; D_j of a site needs the
    # communes within reach of it: the same set. Pairs among them give both.
    ring = neighbour_pairs(latlon[site_ids], latlon, reach_km)
    area = np.unique(np.concatenate([site_ids, ring.destination]))
    codes = tuple(all_codes[k] for k in area.tolist())
    inner = neighbour_pairs(latlon[area], latlon[area], reach_km)
    minutes = model.minutes(inner.km)
    if matrix is not None:
        imported = matrix.lookup_many([codes[i] for i in inner.origin], [codes[j] for j in inner.destination])
        minutes = np.where(np.isnan(imported), minutes, imported)
    minutes = np.where(inner.origin == inner.destination, 0.0, minutes)
    weight = params.weight(minutes)
    keep = weight > 0
    origin, destination, weight = inner.origin[keep], inner.destination[keep], weight[keep]
    published = [official(c) for c in codes]
    legal = [float(refdata.communes[c].population) for c in codes]
    values = np.array([p[0] if p else math.nan for p in published])
    standardised = np.array([p[1] if p else legal[k] for k, p in enumerate(published)])
    total = np.array([p[2] if p else legal[k] for k, p in enumerate(published)])
    demand = np.bincount(destination, weights=weight * standardised[origin], minlength=len(codes))
    return AplNetwork(codes, values, standardised, total, origin, destination, weight, demand.astype(np.float64))


def increments(network: AplNetwork, supply: Mapping[str, float]) -> FloatArray:
    """ΔA of every commune of the network for supply changes (consultations a year per commune,
    negative for departures): ``ΔA_i = Σ_j w(t_ij) · ΔS_j / D_j``."""
    delta_supply = np.zeros(len(network.codes))
    for code, value in supply.items():
        if value:
            delta_supply[network.position(code)] += float(value)
    ratio = np.divide(delta_supply, network.demand, out=np.zeros_like(delta_supply), where=network.demand > 0)
    return np.bincount(
        network.origin, weights=network.weight * ratio[network.destination], minlength=len(network.codes)
    ).astype(np.float64)


def apply(network: AplNetwork, delta: FloatArray) -> FloatArray:
    """The APL after the changes (never below 0: supply cannot go negative)."""
    return np.maximum(network.official + delta, 0.0)


@dataclass(frozen=True)
class SiteScore:
    """One candidate site for new practitioners, scored over the territory."""

    code: str
    lifted: float  # population (total) of the territory brought from under the threshold to above it
    still_below: float  # population of the territory left under the threshold
    mean_after: float  # territory's mean APL after (standardised weights)
    mean_gain: float  # its gain


def rank_sites(
    network: AplNetwork,
    candidates: Sequence[str],
    supply: float,
    territory: Sequence[str],
    threshold: float,
    base_delta: FloatArray | None = None,
) -> list[SiteScore]:
    """Every candidate scored for ``supply`` more consultations there, best first: most population
    lifted above ``threshold``, then the largest gain of the territory's mean (a maximal-coverage
    ranking). ``base_delta``: the increments of a scenario the new site comes on top of."""
    base = network.official + (base_delta if base_delta is not None else 0.0)
    mask = np.zeros(len(network.codes), dtype=np.bool_)
    for code in territory:
        if code in network.codes:
            mask[network.codes.index(code)] = True
    known = mask & np.isfinite(base)
    weights = network.standardised * known
    before_mean = float(np.nansum(base * weights) / weights.sum()) if weights.sum() > 0 else math.nan
    below_before = known & (base < threshold)
    order = np.argsort(network.destination, kind="stable")
    starts = np.searchsorted(network.destination[order], np.arange(len(network.codes) + 1))
    scores = []
    for code in dict.fromkeys(candidates):
        j = network.position(code)
        pairs = order[starts[j] : starts[j + 1]]
        after = base.copy()
        if network.demand[j] > 0:
            after[network.origin[pairs]] += network.weight[pairs] * supply / network.demand[j]
        lifted = float(network.total[below_before & (after >= threshold)].sum())
        still = float(network.total[known & (after < threshold)].sum())
        mean_after = float(np.nansum(after * weights) / weights.sum()) if weights.sum() > 0 else math.nan
        scores.append(SiteScore(code, lifted, still, mean_after, mean_after - before_mean))
    scores.sort(key=lambda s: (-s.lifted, -s.mean_gain, s.code))
    return scores
