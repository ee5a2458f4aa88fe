"""Step 1 on a real database (SQLite and PostgreSQL): indicators, import, constats, population."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from santeloc.analysis.tabular import guess_mapping, read_table
from santeloc.domain.errors import ConflictError, ValidationError
from santeloc.domain.indicators import CATALOGUE, Unit
from santeloc.domain.models import IndicatorValue
from santeloc.exports.charts import comparison_chart, population_pyramid, smr_chart
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import indicators as svc
from santeloc.services import projects as project_svc

ORS_FILE = (
    "Observatoire régional de santé — Diagnostic du canton\n"
    "Source : ORS, Inserm-CépiDc, INSEE ; traitement ORS 2024\n"
    "\n"
    "Indicateur;Unité;Année;Territoire;Département;Région;France;Observés;Attendus\n"
    "Mortalité prématurée (avant 65 ans);pour 100 000;2019;312,5;265,0;240,1;220,3;45;30,2\n"
    "Part des 75 ans et plus;%;2021;16,2;14,1;11,9;9,9;;\n"
    "Décès par suicide;pour 100 000;2019;25,4;19,8;17,7;13,4;8;5,9\n"
    "Bénéficiaires de la C2S;%;2022;6,1;8,4;7,2;11,0;;\n"
    "* Taux standardisés sur la population de France entière\n"
)


@pytest.fixture
def project_id(uow: UnitOfWork) -> int:
    return project_svc.create_project(uow, "Diagnostic").id


def write(path: Path, text: str, encoding: str = "cp1252") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def count(uow: UnitOfWork) -> int:
    with uow:
        return int(uow.session.execute(select(func.count()).select_from(IndicatorValue)).scalar_one())


def test_catalogue_then_values_comparisons_and_significance(uow: UnitOfWork, project_id: int) -> None:
    keys = [d.key for d in CATALOGUE[:3]]
    created = svc.add_from_catalogue(uow, project_id, keys)
    assert len(created) == 3
    assert svc.add_from_catalogue(uow, project_id, keys) == []  # already there: skipped
    row = svc.list_indicators(uow, project_id)[0]
    unit = Unit(row.unit)
    high = 50.0 if unit.max_value is None else min(50.0, unit.max_value)
    version = svc.update_indicator(
        uow, row.id, row.version, value_territory=high, value_departement=high / 2, value_france=high / 4, year=2021
    )
    svc.update_indicator(uow, row.id, version, observed=45, expected=30.2)
    row = next(r for r in svc.list_indicators(uow, project_id) if r.id == row.id)
    assert row.comparisons["value_departement"].direction == "supérieur"
    assert row.smr is not None and row.smr.low > 100
    assert row.smr.verdict.startswith("significativement supérieur")


def test_bad_values_are_refused_and_nothing_changes(uow: UnitOfWork, project_id: int) -> None:
    new_id = svc.add_custom(uow, project_id, "Part des fumeurs", "comportements", Unit.PERCENT.value)
    row = svc.list_indicators(uow, project_id)[0]
    with pytest.raises(ValidationError, match="100"):
        svc.update_indicator(uow, new_id, row.version, value_territory=120.0)
    with pytest.raises(ValidationError, match="négati"):
        svc.update_indicator(uow, new_id, row.version, value_france=-3.0)
    with pytest.raises(ValidationError, match=r"futur|avenir|postérieure"):
        svc.update_indicator(uow, new_id, row.version, year=date.today().year + 2)
    with pytest.raises(ValidationError, match="attendu"):
        svc.update_indicator(uow, new_id, row.version, observed=3, expected=0)
    with pytest.raises(ValidationError, match="vide"):
        svc.update_indicator(uow, new_id, row.version, label="  ")
    unchanged = svc.list_indicators(uow, project_id)[0]
    assert unchanged.value_territory is None and unchanged.version == row.version
    svc.update_indicator(uow, new_id, row.version, value_territory=21.5)
    with pytest.raises(ConflictError):
        svc.update_indicator(uow, new_id, row.version, value_territory=22.0)


def test_import_of_an_ors_file_in_windows_1252(uow: UnitOfWork, project_id: int, tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "ors.csv", ORS_FILE))
    mapping = guess_mapping(table.headers)
    preview = svc.prepare_import(table, mapping)
    assert preview.errors == [] and len(preview.rows) == 4
    assert svc.import_indicators(uow, project_id, preview) == 4
    rows = {r.label: r for r in svc.list_indicators(uow, project_id)}
    premature = rows["Mortalité prématurée (avant 65 ans)"]
    assert premature.value_territory == 312.5 and premature.year == 2019
    assert premature.smr is not None and premature.smr.low > 100  # 45 observed for 30,2 expected
    assert rows["Part des 75 ans et plus"].unit == Unit.PERCENT.value


def test_import_with_errors_lists_lines_and_imports_nothing(uow: UnitOfWork, project_id: int, tmp_path: Path) -> None:
    bad = ORS_FILE.replace("16,2", "116,2").replace("25,4", "vingt")
    bad = bad.replace("2022;6,1", f"{date.today().year + 3};6,1")
    table = read_table(write(tmp_path / "bad.csv", bad))
    preview = svc.prepare_import(table, guess_mapping(table.headers))
    lines = [line for line, _message in preview.errors]
    assert lines == [6, 7, 8]  # the lines as a text editor numbers them
    assert "100" in preview.errors[0][1]
    assert "vingt" in preview.errors[1][1]
    with pytest.raises(ValidationError, match="rien n'a été importé"):
        svc.import_indicators(uow, project_id, preview)
    assert count(uow) == 0


def test_mapping_without_label_or_values_is_explained(tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "ors.csv", ORS_FILE))
    with pytest.raises(ValidationError, match="libellé"):
        svc.prepare_import(table, {"value_territory": 3})
    with pytest.raises(ValidationError, match="valeurs du territoire"):
        svc.prepare_import(table, {"label": 0, "unit": 1})


def test_cancelled_import_saves_nothing(uow: UnitOfWork, project_id: int, tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "ors.csv", ORS_FILE))
    preview = svc.prepare_import(table, guess_mapping(table.headers), progress=lambda done, total: False)
    assert not preview.ok and "annulé" in preview.errors[0][1]
    assert count(uow) == 0


def test_constats(uow: UnitOfWork, project_id: int, tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "ors.csv", ORS_FILE))
    svc.import_indicators(uow, project_id, svc.prepare_import(table, guess_mapping(table.headers)))
    premature = next(r for r in svc.list_indicators(uow, project_id) if r.label.startswith("Mortalité prématurée"))
    constat_id = svc.constat_from_indicator(uow, premature, "À présenter au comité de pilotage")
    free_id = svc.add_constat(uow, project_id, "Les habitants du nord du canton renoncent aux soins dentaires")
    constats = svc.list_constats(uow, project_id)
    assert [c.id for c in constats] == [constat_id, free_id]
    assert "significativement supérieur" in constats[0].title
    marked = next(r for r in svc.list_indicators(uow, project_id) if r.id == premature.id)
    assert marked.constat_id == constat_id
    with pytest.raises(ValidationError, match="déjà retenu"):
        svc.constat_from_indicator(uow, marked)
    with pytest.raises(ValidationError, match="intitulé"):
        svc.add_constat(uow, project_id, "   ")
    svc.update_constat(uow, free_id, comment="Atelier habitants du 12 mars")
    # Deleting the indicator keeps the finding (it may already have been discussed).
    svc.delete_indicators(uow, [premature.id])
    kept = svc.list_constats(uow, project_id)
    assert len(kept) == 2 and kept[0].indicator_id is None
    svc.delete_constat(uow, free_id)
    assert len(svc.list_constats(uow, project_id)) == 1


def test_age_table_pyramid_and_projection(uow: UnitOfWork, project_id: int, tmp_path: Path) -> None:
    lines = ["Tranche d'âge;Hommes;Femmes"]
    for low in range(0, 95, 5):
        lines.append(f"{low}-{low + 4} ans;{100 + low};{110 + low}")
    lines.append("95 ans ou plus;12;40")
    lines.append("Ensemble;3000;3300")
    table = read_table(write(tmp_path / "ages.csv", "\n".join(lines) + "\n"))
    groups = svc.age_groups_from_table(table)
    assert len(groups) == 20 and groups[-1].age_max is None
    svc.set_age_table(uow, project_id, "territoire", groups, year=2021, source="INSEE")
    assert svc.age_table(uow, project_id, "territoire") == groups
    figure = population_pyramid(groups, groups, "Nièvre")
    assert len(figure.axes) == 1
    svc.set_population_projection(uow, project_id, 3100, 2035)
    assert svc.get_settings(uow, project_id)["population_projection"] == "3100"
    with pytest.raises(ValidationError, match="positif"):
        svc.set_population_projection(uow, project_id, -5, 2035)
    bad = read_table(write(tmp_path / "bad_ages.csv", "Âge;Hommes;Femmes\nbeaucoup;1;2\n"))
    with pytest.raises(ValidationError, match="illisible"):
        svc.age_groups_from_table(bad)


def test_charts_render_with_and_without_data(uow: UnitOfWork, project_id: int, tmp_path: Path) -> None:
    assert comparison_chart([]).axes  # says there is nothing to show, without failing
    table = read_table(write(tmp_path / "ors.csv", ORS_FILE))
    svc.import_indicators(uow, project_id, svc.prepare_import(table, guess_mapping(table.headers)))
    rows = svc.list_indicators(uow, project_id)
    for figure in (comparison_chart(rows, "Tous les thèmes"), smr_chart(rows)):
        figure.savefig(tmp_path / "chart.png")
        assert (tmp_path / "chart.png").stat().st_size > 5_000
