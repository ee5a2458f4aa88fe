"""What-if scenarios on the official APL, stored with the project (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.apl import load_apl_baseline
from santeloc.refdata.geo import RefData
from santeloc.services import apl_scenarios as sc
from santeloc.services import offer as offer_svc
from santeloc.services import projects as project_svc
from santeloc.services.demo_data import DEMO_COMMUNES
from santeloc.services.territory import add_communes

YEAR = date.today().year


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "Puisaye")
    add_communes(uow, info.id, list(DEMO_COMMUNES), refdata=refdata)
    offer_svc.add_professional(uow, info.id, refdata, last_name="ANCIEN", commune_code="58227", birth_year=YEAR - 66)
    offer_svc.add_professional(uow, info.id, refdata, last_name="JEUNE", commune_code="58036", birth_year=YEAR - 40)
    return info.id


def gp(uow: UnitOfWork, project_id: int, name: str) -> int:
    return next(r.id for r in offer_svc.list_professionals(uow, project_id) if r.last_name == name)


def test_empty_scenario_is_the_official_apl(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    info = sc.create_scenario(uow, project_id, "Aujourd'hui")
    result = sc.evaluate_scenario(uow, info.id, refdata)
    vintage = load_apl_baseline().vintages[2023]
    for commune in result.communes:
        assert commune.before == commune.after == vintage.figures(commune.code).apl  # type: ignore[union-attr]
    assert result.mean_before == pytest.approx(2.8105, abs=1e-4) and result.below_before == 306 + 445 + 361
    assert "2,81" in result.sentence and "1 112" in result.sentence.replace("\u202f", " ")


def test_two_doctors_at_saint_amand_and_the_departures(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    info = sc.create_scenario(uow, project_id, "Deux médecins")
    sc.add_change(uow, info.id, refdata, "arrivee", commune_code="58227", practitioners=2)
    result = sc.evaluate_scenario(uow, info.id, refdata)
    assert result.changes[0].supply == {"58227": 10800.0}
    assert all(c.gain is not None and c.gain > 0 for c in result.communes)
    assert result.mean_after is not None and result.mean_before is not None
    assert result.mean_after > result.mean_before and result.below_after < result.below_before
    assert "passerait de 2,81 à" in result.sentence
    # The doctor aged 66 leaves within 5 years (retirement at 67): the gain shrinks.
    sc.add_change(uow, info.id, refdata, "departs_attendus", horizon=5)
    second = sc.evaluate_scenario(uow, info.id, refdata)
    assert second.changes[1].supply == {"58227": -5400.0} and "ANCIEN" in second.changes[1].text
    assert second.mean_after is not None and second.mean_after < result.mean_after
    # Removing the change gives the first result back.
    sc.remove_change(uow, second.changes[1].id)
    assert sc.evaluate_scenario(uow, info.id, refdata).mean_after == pytest.approx(result.mean_after)


def test_moves_second_sites_and_copies(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    info = sc.create_scenario(uow, project_id, "Regrouper")
    sc.add_change(
        uow, info.id, refdata, "demenagement", commune_code="58227", professional_id=gp(uow, project_id, "JEUNE")
    )
    sc.add_change(
        uow, info.id, refdata, "second_site", commune_code="58270", professional_id=gp(uow, project_id, "ANCIEN")
    )
    result = sc.evaluate_scenario(uow, info.id, refdata)
    assert result.changes[0].supply == {"58036": -5400.0, "58227": 5400.0}
    assert result.changes[1].supply == {"58227": -2700.0, "58270": 2700.0}
    copy = sc.duplicate_scenario(uow, info.id)
    assert copy.name == "Regrouper (copie)"
    assert [c.text for c in sc.evaluate_scenario(uow, copy.id, refdata).changes] == [c.text for c in result.changes]
    sc.rename_scenario(uow, copy.id, "Regrouper à Saint-Amand")
    sc.retain_scenario(uow, copy.id, project_id)
    assert [(s.name, s.retained) for s in sc.list_scenarios(uow, project_id)] == [
        ("Regrouper", False),
        ("Regrouper à Saint-Amand", True),
    ]
    # A duplicated project keeps its scenarios.
    twin = project_svc.duplicate_project(uow, project_id, "Puisaye bis")
    assert [s.name for s in sc.list_scenarios(uow, twin.id)] == ["Regrouper", "Regrouper à Saint-Amand"]
    sc.delete_scenario(uow, info.id)
    assert [s.name for s in sc.list_scenarios(uow, project_id)] == ["Regrouper à Saint-Amand"]


def test_refusals_are_french_and_change_nothing(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    info = sc.create_scenario(uow, project_id, "A")
    with pytest.raises(ValidationError, match="déjà"):
        sc.create_scenario(uow, project_id, " A ")
    with pytest.raises(ValidationError, match="commune"):
        sc.add_change(uow, info.id, refdata, "arrivee", commune_code="ZZZZZ")
    with pytest.raises(ValidationError, match="0,5 à 50"):
        sc.add_change(uow, info.id, refdata, "arrivee", commune_code="58227", practitioners=1e9)
    nurse = offer_svc.add_professional(uow, project_id, refdata, profession="infirmier", commune_code="58227")
    with pytest.raises(ValidationError, match="médecins généralistes"):
        sc.add_change(uow, info.id, refdata, "depart", professional_id=nurse)
    assert sc.evaluate_scenario(uow, info.id, refdata).changes == ()


def test_where_to_open_it(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    ranking = sc.rank_candidate_sites(uow, project_id, refdata, practitioners=2, radius_km=10)
    assert len(ranking.sites) == 5 and ranking.candidates > 6
    best_name, best = ranking.sites[0]
    assert all(best.lifted >= s.lifted for _n, s in ranking.sites)
    # The best site's figures are those of a scenario with the same change (one truth).
    info = sc.create_scenario(uow, project_id, "Meilleur site")
    sc.add_change(uow, info.id, refdata, "arrivee", commune_code=best.code, practitioners=2)
    result = sc.evaluate_scenario(uow, info.id, refdata)
    assert result.mean_after == pytest.approx(best.mean_after)
    assert result.below_before - result.below_after == pytest.approx(best.lifted)
    assert ranking.sentences()[1].startswith(f"1. {best_name}")


def test_simulate_adds_exactly_w_times_supply_over_demand(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    """Two doctors at Saint-Amand: each commune gains w(t_ij) × 2 × 5 400 / D_j, D_j summed by hand
    over every commune within 20 minutes of Saint-Amand (the app's travel model, the DREES's
    standardised populations)."""
    from santeloc.analysis.accessibility import AplParameters, TravelModel, haversine_matrix

    result = sc.simulate(uow, project_id, refdata, arrivals=[("58227", 2)])
    vintage = load_apl_baseline().vintages[2023]
    model, params = TravelModel(), AplParameters()
    codes = list(refdata.communes)
    minutes = model.minutes(haversine_matrix(refdata.centres(["58227"]), refdata.centres(codes))[0])
    demand = 0.0
    for code, t in zip(codes, minutes.tolist(), strict=True):
        w = 1.0 if code == "58227" else params.weight_at(t)
        if w > 0:
            figures = vintage.figures(code)
            demand += w * (figures.standardised_population if figures else refdata.communes[code].population)
    for commune in result.communes:
        t = 0.0 if commune.code == "58227" else float(minutes[codes.index(commune.code)])
        w = 1.0 if commune.code == "58227" else params.weight_at(t)
        assert commune.after - commune.before == pytest.approx(w * 2 * 5400 / demand, abs=1e-9)  # type: ignore[operator]


def test_simuler_command_writes_every_commune(tmp_path: object, refdata: RefData) -> None:
    """santeloc-cli simuler on the demo: before/after printed, one CSV row per commune."""
    import csv
    import os
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(str(tmp_path))
    env = dict(os.environ, SANTELOC_DATABASE_URL=f"sqlite:///{folder / 'demo.db'}")
    run = [sys.executable, "-m", "santeloc.cli"]
    subprocess.run([*run, "demo"], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [*run, "simuler", "1", "--profession", "medecin_generaliste", "--ajout", "58227:2", "--csv",
         str(folder / "sim.csv")], env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert "2,81 avant" in out and "Population sous le seuil de 2,5 : 1\u202f112 habitants avant" in out
    with open(folder / "sim.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [r["code"] for r in rows] == sorted(DEMO_COMMUNES, key=lambda c: refdata.communes[c].name)
    saint_amand = next(r for r in rows if r["code"] == "58227")
    assert saint_amand["APL avant"] == "3,383" and float(saint_amand["APL après"].replace(",", ".")) > 3.383
    refused = subprocess.run([*run, "simuler", "1", "--ajout", "ZZZZZ:2"], env=env, capture_output=True, text=True)
    assert refused.returncode == 1 and "Code INSEE inconnu" in refused.stderr and "Traceback" not in refused.stderr
