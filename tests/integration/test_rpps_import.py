"""RPPS extraction as the Annuaire santé publishes it: real lines, shared postal codes, zip, summary."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from santeloc.analysis.tabular import read_table
from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import offer as svc
from santeloc.services import projects as project_svc
from santeloc.services.column_guess import guess_professional_columns
from santeloc.services.rpps import import_rpps
from santeloc.services.territory import add_communes
from tests.integration.test_offer import COLUMNS, HEADER

REAL = Path(__file__).parents[1] / "data" / "real" / "PS_LibreAcces_Personne_activite_extrait.txt"


def row(rpps: str, code: str, label: str, **cells: str) -> str:
    values = dict.fromkeys(COLUMNS, "")
    values.update({
        "Identification nationale PP": rpps, "Nom d'exercice": f"NOM{rpps}", "Prénom d'exercice": "CAMILLE",
        "Code profession": code, "Libellé profession": label, "Code mode exercice": "L",
    })  # fmt: skip
    keys = {
        "commune": "Code commune (coord. structure)", "postal": "Code postal (coord. structure)",
        "city": "Libellé commune (coord. structure)", "cedex": "Bureau cedex (coord. structure)",
        "country": "Code pays (coord. structure)", "country_label": "Libellé pays (coord. structure)",
        "savoir": "Libellé savoir-faire",
    }  # fmt: skip
    values.update({keys[k]: v for k, v in cells.items()})
    return "|".join(values[c] for c in COLUMNS) + "|"


LINES = [
    row("1", "96", "Psychomotricien", commune="01248"),
    row("2", "95", "Diététicien", commune="01248"),
    row("3", "86", "Technicien de laboratoire médical", commune="01248"),
    row("4", "92", "Orthoptiste", cedex="01390 MIONNAY"),  # only the cedex office, postal code shared by 8
    row("5", "94", "Ergothérapeute", postal="01390", city="SAINT-ANDRE-DE-CORCY"),
    row("6", "60", "Infirmier", commune="01333", country="99000", country_label="France"),
    row("7", "70", "Masseur-Kinésithérapeute", country="99132", country_label="Royaume-uni", cedex="GL 5O 2QJ"),
    row("8", "60", "Infirmier"),  # no practice address at all
    row("9", "50", "Sage-Femme", postal="01390", city="ATLANTIS"),  # no such commune
    row("10", "70", "Masseur-Kinésithérapeute", commune="75056"),  # Paris: outside
    row("11", "95", "Psychomotricien", commune="01248"),  # code and label disagree: the label wins
    row("12", "77", "Naturopathe agréé", commune="01248"),  # unknown: kept as "autre" with its label
    row("1", "96", "Psychomotricien", commune="01333"),  # second practice site of person 1
    "0|123|trop court|",
    row("13", "10", "Médecin", commune="01248", savoir="Spécialiste en Médecine Générale", country="FR"),
]


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "Dombes")
    add_communes(uow, info.id, ["01248", "01333"], refdata=refdata)
    return info.id


def write(tmp_path: Path, lines: list[str], name: str = "PS_LibreAcces_Personne_activite_202611220000.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_every_line_is_accounted_for(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    report = import_rpps(uow, project_id, write(tmp_path, LINES), refdata, radius_km=0)
    assert report.lines == len(LINES) == report.accounted
    assert (report.kept_lines, report.other_professions, report.foreign, report.no_address) == (9, 1, 1, 1)
    assert (report.unresolved_lines, report.outside, report.malformed) == (1, 1, 1)
    assert report.unresolved == ["01390 ATLANTIS"]
    rows = {r.rpps: r for r in svc.list_professionals(uow, project_id)}
    assert rows["1"].profession == "psychomotricien" and rows["1"].secondary_commune_code == "01333"
    assert rows["2"].profession == "dieteticien"
    assert rows["4"].profession == "orthoptiste" and rows["4"].commune_code == "01248"
    assert rows["5"].profession == "ergotherapeute" and rows["5"].commune_code == "01333"
    assert rows["6"].commune_code == "01333"
    assert rows["11"].profession == "psychomotricien"
    assert rows["12"].profession == "autre" and rows["12"].speciality == "Naturopathe agréé"
    assert rows["13"].profession == "medecin_generaliste"
    assert "3" not in rows and len(rows) == 8
    text = report.summary()
    for part in ("15 ligne(s) lue(s)", "8 professionnel(s) importé(s)", "Technicien de laboratoire médical (1)", "01390 ATLANTIS",
                 "sans adresse", "à l'étranger", "Naturopathe agréé (1)", "incomplète"):  # fmt: skip
        assert part in text, (part, text)


def test_zip_as_distributed(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    text = write(tmp_path, LINES)
    archive = tmp_path / "PS_LibreAcces_202611220000.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(text, text.name)
        zf.writestr("PS_LibreAcces_Dipl_AutExerc_202611220000.txt", "a|b|\n")
    report = import_rpps(uow, project_id, archive, refdata, radius_km=0)
    assert report.imported == 8 and report.lines == len(LINES)
    empty = tmp_path / "vide.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("lisez-moi.pdf", "x")
    with pytest.raises(ValidationError, match="décompressez"):
        import_rpps(uow, project_id, empty, refdata)


def test_latin1_resave_and_reimport_keeps_data(
    uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path
) -> None:
    path = tmp_path / "resaved.txt"
    path.write_bytes(("\n".join([HEADER, *LINES[:2]]) + "\n").encode("cp1252"))
    first = import_rpps(uow, project_id, path, refdata, radius_km=0)
    assert first.imported == 2
    names = {r.profession for r in svc.list_professionals(uow, project_id)}
    assert names == {"psychomotricien", "dieteticien"}
    again = import_rpps(uow, project_id, write(tmp_path, LINES), refdata, radius_km=0)
    assert again.already_present == 2 and again.imported == 6
    assert len(svc.list_professionals(uow, project_id)) == 8


def test_real_extraction_lines(uow: UnitOfWork, refdata: RefData) -> None:
    info = project_svc.create_project(uow, "Doubs")
    add_communes(uow, info.id, ["25204"], refdata=refdata)  # Doubs (25300)
    report = import_rpps(uow, info.id, REAL, refdata, radius_km=0)
    assert report.lines == 3 == report.accounted
    assert (report.imported, report.outside, report.foreign) == (1, 1, 1)
    (audio,) = svc.list_professionals(uow, info.id)
    assert (audio.profession, audio.commune_code, audio.last_name) == ("audioprothesiste", "25204", "Petitguyot")


def test_table_import_of_the_extraction_maps_the_right_columns(
    uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path
) -> None:
    table = read_table(write(tmp_path, [LINES[0], LINES[11], LINES[5]]))
    mapping = guess_professional_columns(table.headers, svc.IMPORT_FIELDS)
    assert table.headers[mapping["profession"]] == "Libellé profession"
    assert table.headers[mapping["rpps"]] == "Identification nationale PP"
    assert "retirement_year" not in mapping and "sector" not in mapping and "birth_year" not in mapping
    rows, errors = svc.prepare_professionals(table, mapping, refdata)
    assert errors == []
    assert [r["profession"] for r in rows] == ["psychomotricien", "autre", "infirmier"]
    assert rows[1]["speciality"] == "Naturopathe agréé"
    assert svc.import_professionals(uow, project_id, rows) == 3


def test_osteopath_in_a_users_table(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("Profession;Nom;Commune\nOstéopathe;Martin;Mionnay\nKiné;Durand;01333\n60;Petit;01248\n", "utf-8")
    table = read_table(path)
    rows, errors = svc.prepare_professionals(
        table, guess_professional_columns(table.headers, svc.IMPORT_FIELDS), refdata
    )
    assert errors == []
    assert [(r["profession"], r["speciality"]) for r in rows] == [
        ("autre", "Ostéopathe"), ("masseur_kinesitherapeute", ""), ("infirmier", "")
    ]  # fmt: skip


def test_reimporting_the_same_file_says_nothing_changed(
    uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path
) -> None:
    """Issue 23: the same file again is not an error; it adds nothing and says so."""
    path = write(tmp_path, LINES)
    assert import_rpps(uow, project_id, path, refdata, radius_km=0).imported == 8
    again = import_rpps(uow, project_id, path, refdata, radius_km=0)
    assert (again.imported, again.already_present, again.already_elsewhere) == (0, 8, 0)
    assert again.summary().startswith("Rien de nouveau : chaque professionnel retenu est déjà dans le registre")
    assert len(svc.list_professionals(uow, project_id)) == 8
    moved = write(tmp_path, [row("2", "95", "Diététicien", commune="01333")], name="moved.txt")
    report = import_rpps(uow, project_id, moved, refdata, radius_km=0)
    assert (report.imported, report.already_present, report.already_elsewhere) == (0, 1, 1)
    assert "1 de ces professionnel(s) exerce(nt) dans une autre commune selon le fichier" in report.summary()
    rows = {r.rpps: r for r in svc.list_professionals(uow, project_id)}
    assert rows["2"].commune_code == "01248"  # the registry is left as it is


def test_damaged_archive_is_refused_in_french(
    uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path
) -> None:
    text = write(tmp_path, [f"{line}{n}" if n else line for n in range(200) for line in LINES[:1]])
    archive = tmp_path / "PS_LibreAcces_202611220000.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.write(text, text.name)
    whole = archive.read_bytes()
    truncated = tmp_path / "interrompu.zip"
    truncated.write_bytes(whole[: len(whole) // 2])  # an interrupted download
    late = bytearray(whole)
    position = whole.rindex(b"|", 0, whole.index(b"PK\x01\x02")) - 5  # the member's last line
    late[position] = ord("X")  # the CRC check fails at the end of the reading
    damaged = tmp_path / "abime.zip"
    damaged.write_bytes(bytes(late))
    for path in (truncated, damaged):
        with pytest.raises(ValidationError) as refused:
            import_rpps(uow, project_id, path, refdata, radius_km=0)
        assert refused.value.message.startswith(f"L'archive « {path.name} » est endommagée ou incomplète"), path
        assert "Rien n'a été importé" in refused.value.message
    assert svc.list_professionals(uow, project_id) == []
