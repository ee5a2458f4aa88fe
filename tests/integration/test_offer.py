"""Steps 2-3 on a real database: registry, RPPS extraction, table import, establishments, measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from santeloc.analysis.tabular import read_table
from santeloc.domain.errors import ConflictError, ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import offer as svc
from santeloc.services import projects as project_svc
from santeloc.services.territory import add_communes

HEADER = (
    "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|Libellé civilité d'exercice|"
    "Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|"
    "Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|"
    "Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|Numéro SIRET site|Numéro SIREN site|"
    "Numéro FINESS site|Numéro FINESS établissement juridique|Identifiant technique de la structure|Raison sociale site|"
    "Enseigne commerciale site|Complément destinataire (coord. structure)|Complément point géographique (coord. structure)|"
    "Numéro Voie (coord. structure)|Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|"
    "Libellé type de voie (coord. structure)|Libellé Voie (coord. structure)|Mention distribution (coord. structure)|"
    "Bureau cedex (coord. structure)|Code postal (coord. structure)|Code commune (coord. structure)|"
    "Libellé commune (coord. structure)|Code pays (coord. structure)|Libellé pays (coord. structure)|"
    "Téléphone (coord. structure)|Téléphone 2 (coord. structure)|Télécopie (coord. structure)|"
    "Adresse e-mail (coord. structure)|Code Département (structure)|Libellé Département (structure)|"
    "Ancien identifiant de la structure|Autorité d'enregistrement|Code secteur d'activité|Libellé secteur d'activité|"
    "Code section tableau pharmaciens|Libellé section tableau pharmaciens|"
)
COLUMNS = HEADER.rstrip("|").split("|")


def line(rpps: str, name: str, code: str, label: str, savoir: str, commune: str, postal: str = "", city: str = "",
         country: str = "", mode: str = "L") -> str:  # fmt: skip
    values = dict.fromkeys(COLUMNS, "")
    values.update({
        "Identification nationale PP": rpps, "Nom d'exercice": name, "Prénom d'exercice": "Camille",
        "Code profession": code, "Libellé profession": label, "Libellé savoir-faire": savoir,
        "Code mode exercice": mode, "Code commune (coord. structure)": commune,
        "Code postal (coord. structure)": postal, "Libellé commune (coord. structure)": city,
        "Code pays (coord. structure)": country,
    })  # fmt: skip
    return "|".join(values[c] for c in COLUMNS) + "|"


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "MSP")
    add_communes(uow, info.id, ["58227", "58012"], refdata=refdata)
    return info.id


def rpps_file(tmp_path: Path) -> Path:
    lines = [
        HEADER,
        line("810000000001", "MARTIN", "10", "Médecin", "Spécialiste en Médecine Générale", "58227"),
        # The same GP at a second site, given by postal code and town only.
        line("810000000001", "MARTIN", "10", "Médecin", "Spécialiste en Médecine Générale", "", "58310", "ARQUIAN"),
        line("810000000002", "DURAND", "60", "Infirmier", "", "58012"),
        line("810000000003", "PETIT", "10", "Médecin", "Cardiologie", "58227"),
        line("810000000004", "LOIN", "70", "Masseur-Kinésithérapeute", "", "75056"),  # Paris: outside
        line("810000000005", "ETRANGER", "60", "Infirmier", "", "", "", "BRUXELLES", "99131"),
        line("810000000006", "AUTRE", "99", "Opticien-Lunetier", "", "58227"),
    ]
    path = tmp_path / "PS_LibreAcces_Personne_activite_202611220000.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_rpps_extraction_keeps_the_territory(
    uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path
) -> None:
    report = svc.import_rpps(uow, project_id, rpps_file(tmp_path), refdata)
    assert report.imported == 3 and report.outside == 1 and report.foreign == 1 and report.other_professions == 1
    rows = {r.rpps: r for r in svc.list_professionals(uow, project_id)}
    assert rows["810000000001"].profession == "medecin_generaliste"
    assert rows["810000000001"].secondary_commune_code == "58012"
    assert rows["810000000003"].profession == "medecin_specialiste"
    assert "importé" in report.summary()
    again = svc.import_rpps(uow, project_id, rpps_file(tmp_path), refdata)
    assert again.imported == 0 and again.already_present == 3


def test_not_an_rpps_file(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    path = tmp_path / "autre.txt"
    path.write_text("a|b|c\n1|2|3\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="Annuaire santé"):
        svc.import_rpps(uow, project_id, path, refdata)


def test_registry_bad_input(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    gp = svc.add_professional(
        uow,
        project_id,
        refdata,
        profession="Généraliste",
        last_name="Martin",
        rpps="1",
        commune_code="58227",
        birth_year=1962,
    )
    with pytest.raises(ValidationError, match="Profession inconnue"):
        svc.add_professional(uow, project_id, refdata, profession="Astrologue")
    with pytest.raises(ValidationError, match="Commune inconnue"):
        svc.add_professional(uow, project_id, refdata, profession="infirmier", commune_code="99999")
    with pytest.raises(ValidationError, match="invraisemblable"):
        svc.add_professional(uow, project_id, refdata, profession="infirmier", birth_year=1890)
    with pytest.raises(ValidationError, match="1,5"):
        svc.add_professional(uow, project_id, refdata, profession="infirmier", fte=2.0)
    with pytest.raises(ValidationError, match="RPPS 1 figure déjà"):
        svc.add_professional(uow, project_id, refdata, profession="infirmier", rpps="1")
    row = svc.list_professionals(uow, project_id)[0]
    svc.update_professional(uow, gp, row.version, refdata, fte=0.8)
    with pytest.raises(ConflictError):
        svc.update_professional(uow, gp, row.version, refdata, fte=0.5)
    assert len(svc.list_professionals(uow, project_id)) == 1


def test_table_import_all_or_nothing(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    good = tmp_path / "pros.csv"
    good.write_text(
        "Profession;Nom;Prénom;RPPS;Commune;Âge;ETP\n"
        "Médecin généraliste;Martin;Paul;10;Saint-Amand-en-Puisaye;63;1\n"
        "Infirmière;Durand;Léa;11;58012;41;0,8\n",
        encoding="utf-8",
    )
    table = read_table(good)
    mapping = {"profession": 0, "last_name": 1, "first_name": 2, "rpps": 3, "commune": 4, "age": 5, "fte": 6}
    rows, errors = svc.prepare_professionals(table, mapping, refdata)
    assert errors == [] and len(rows) == 2
    assert svc.import_professionals(uow, project_id, rows) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Profession;Nom;Prénom;RPPS;Commune;Âge;ETP\n"
        "Sorcier;X;Y;20;58227;40;1\n"
        "Infirmier;A;B;21;Atlantis;40;1\n"
        "Infirmier;C;D;22;58227;140;1\n"
        "Infirmier;E;F;23;58227;40;2\n"
        "Infirmier;G;H;24;58227;40;1\n"
        "Infirmier;I;J;24;58227;45;1\n",
        encoding="utf-8",
    )
    rows, errors = svc.prepare_professionals(read_table(bad), mapping, refdata)
    # An unknown profession ("Sorcier") is kept as "autre" with its label, never refused.
    assert [line for line, _m in errors] == [3, 4, 5, 7]
    assert "déjà vu ligne 6" in errors[-1][1]
    with pytest.raises(ValidationError, match="déjà dans le registre"):
        svc.import_professionals(uow, project_id, [{"profession": "infirmier", "rpps": "10"}])
    assert len(svc.list_professionals(uow, project_id)) == 2


def test_establishments_and_measures(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    svc.add_establishment(
        uow, project_id, refdata, kind="ehpad", name="EHPAD Les Tilleuls", commune_code="58227", finess="580000000"
    )
    with pytest.raises(ValidationError, match="FINESS"):
        svc.add_establishment(uow, project_id, refdata, kind="ehpad", name="X", finess="12")
    assert svc.list_establishments(uow, project_id)[0].kind_label == "EHPAD"
    svc.set_measure(uow, project_id, "part_c2s", 6.5, source="CPAM de la Nièvre")
    with pytest.raises(ValidationError, match="100"):
        svc.set_measure(uow, project_id, "part_c2s", 120)
    with pytest.raises(ValidationError, match="négative"):
        svc.set_measure(uow, project_id, "delai_rdv_generaliste", -2)
    assert svc.list_measures(uow, project_id)["part_c2s"].value == 6.5
