"""Benchmark of the what-if on the official APL against recomputing the 2SFCA, in the same run.

    .venv/bin/python tests/bench/bench_apl_scenarios.py

On the demo (six communes, two GPs arriving at Saint-Amand-en-Puisaye, the departures at 5
years) and on a larger territory (the 57 communes of the Puisaye-Forterre EPCI):

- *référence*: the DREES's 2SFCA computed again with the new supply over the calculation
  area (:func:`apl` with the standardised demand, as santeloc's own computation does);
- *scénario*: :func:`evaluate_scenario` (official APL + exact increments), reading the
  project from a real SQLite file;
- *classement*: :func:`rank_candidate_sites` for two doctors, every commune of the territory
  and its neighbours within 10 km;
- *classement par recalcul*: the same ranking done by recomputing the 2SFCA once per candidate.

Each time is the median of 5 runs after one warm-up (the reference data and the shipped
DREES table are loaded once per process, as in the application).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from santeloc.analysis.accessibility import AplParameters, TravelModel, apl, calculation_area
from santeloc.domain.formatting import format_decimal
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.apl import load_apl_baseline
from santeloc.refdata.geo import load_refdata
from santeloc.services import apl_scenarios as sc
from santeloc.services import projects as project_svc
from santeloc.services.demo_data import DEMO_COMMUNES
from santeloc.services.territory import add_communes

T = TypeVar("T")
RUNS = 5


def median_time(function: Callable[[], T]) -> tuple[float, T]:
    function()
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    assert result is not None
    return statistics.median(times), result


def reference(codes: list[str], extra: dict[str, float]) -> float:
    """The 2SFCA computed again with supply added at ``extra`` (the increments' baseline)."""
    refdata = load_refdata()
    vintage = load_apl_baseline().latest
    params = AplParameters(supply_unit="consultations", standardise_demand=True, age_cap=None)
    model = TravelModel()
    area = calculation_area(codes, refdata, params, model)
    demand = {}
    for code in area:
        figures = vintage.figures(code)
        demand[code] = figures.standardised_population if figures else float(refdata.communes[code].population)
    result = apl(codes, extra, refdata, params, model, demand=demand)
    return result.territory_mean


def main() -> None:
    refdata = load_refdata()
    load_apl_baseline().latest.prepare()
    folder = Path(tempfile.mkdtemp(prefix="santeloc-bench-"))
    uow = UnitOfWork(open_database(f"sqlite:///{folder / 'bench.db'}"))
    epci = refdata.communes["58227"].epci or ""
    territories = {
        "démo (6 communes)": list(DEMO_COMMUNES),
        "EPCI de Puisaye-Forterre": sorted(c for c, row in refdata.communes.items() if row.epci == epci),
    }
    print(f"{'territoire':<28} {'mesure':<26} {'médiane (s)':>12} {'rapport':>9}")
    for label, codes in territories.items():
        info = project_svc.create_project(uow, label)
        add_communes(uow, info.id, codes, refdata=refdata)
        scenario = sc.create_scenario(uow, info.id, "Deux médecins")
        sc.add_change(uow, scenario.id, refdata, "arrivee", commune_code="58227", practitioners=2)
        base_time, _ = median_time(lambda codes=codes: reference(codes, {"58227": 10800.0}))
        eval_time, result = median_time(lambda s=scenario.id: sc.evaluate_scenario(uow, s, refdata))
        rank_time, ranking = median_time(lambda p=info.id: sc.rank_candidate_sites(uow, p, refdata, 2, 10))
        print(f"{label:<28} {'référence (2SFCA recalculé)':<26} {base_time:>12.3f} {'1,00':>9}")
        print(
            f"{'':<28} {'scénario (incréments)':<26} {eval_time:>12.3f} {format_decimal(eval_time / base_time, 2):>9}"
        )
        recompute = base_time * ranking.candidates
        print(
            f"{'':<28} {'classement':<26} {rank_time:>12.3f} {format_decimal(rank_time / base_time, 2):>9}"
            f"   ({ranking.candidates} communes ; par recalcul ≈ {recompute:.1f} s)"
        )
        print(f"{'':<28} {result.sentence[:90]}…")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
