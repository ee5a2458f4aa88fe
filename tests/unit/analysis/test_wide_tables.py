"""Territory × indicators tables: the unit and kind of each column, the level of the rows, the year."""

from __future__ import annotations

from pathlib import Path

import pytest

from santeloc.analysis.tabular import read_table
from santeloc.analysis.wide_tables import COUNT, RATE, classify_column, detect_wide
from santeloc.domain.indicators import Unit

LAYOUTS = Path(__file__).parents[2] / "data" / "layouts"
APL_UNITS = "En nombre de consultations/visites accessibles par habitant standardisé"


@pytest.mark.parametrize(
    ("header", "units", "unit", "kind"),
    [
        # What the issue found guessed wrong: a mortality rate in « ans », a poverty rate as a
        # ratio, a median income as a count, an APL per inhabitant summed as a count.
        ("Taux de mortalité prématurée (avant 65 ans) 2015-2019", "", Unit.PER_100000, RATE),
        ("Taux standardisé de mortalité 2015-2019", "", Unit.PER_100000, RATE),
        ("Taux de mortalité 2015-2021", "", Unit.PER_1000, RATE),
        ("Taux de pauvreté 2021", "", Unit.PERCENT, RATE),
        ("Médiane du niveau de vie 2021", "", Unit.EUROS, RATE),
        ("Salaire net EQTP mensuel moyen 2023", "", Unit.EUROS, RATE),
        ("APL aux médecins généralistes", APL_UNITS, Unit.RATIO, RATE),
        (
            "Population standardisée 2021 pour la médecine générale",
            "En nombre d'habitants standardisés",
            Unit.COUNT,
            COUNT,
        ),
        ("Population totale 2021", "En nombre d'habitants", Unit.COUNT, COUNT),
        ("Part des 75 ans ou plus 2021", "", Unit.PERCENT, RATE),
        ("Part des 75 ans ou plus (en %) 2021", "", Unit.PERCENT, RATE),
        ("Espérance de vie à la naissance des femmes 2019", "", Unit.YEARS, RATE),
        ("Indice comparatif de mortalité 2015-2019", "", Unit.INDEX, RATE),
        ("Densité de médecins généralistes pour 10 000 habitants 2023", "", Unit.PER_10000, RATE),
        ("Densité de population (historique depuis 1876) 2022", "", Unit.RATIO, RATE),
        ("Évol. annuelle moy. de la population 2017 - 2023 (en %)", "", Unit.VARIATION_PERCENT, RATE),
        ("Médecin généraliste (en nombre) 2024", "", Unit.COUNT, COUNT),
        ("Population municipale 2021", "", Unit.COUNT, COUNT),
        ("Logements 2022", "", Unit.COUNT, COUNT),
        ("Taux de pauvreté", "%", Unit.PERCENT, RATE),
        ("Mortalité par cancer", "pour 100 000 habitants", Unit.PER_100000, RATE),
        ("Quelque chose 2021", "", None, ""),
    ],
)
def test_classify_column(header: str, units: str, unit: Unit | None, kind: str) -> None:
    assert classify_column(header, units) == (unit, kind)


def _layout(tmp_path: Path, text: str):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    layout = detect_wide(table)
    assert layout is not None and layout.zoning is not None
    return table, layout


def test_the_metadata_line_tells_bassins_de_vie_from_communes(tmp_path: Path) -> None:
    rows = "Code;Libellé;Médecins généralistes (en nombre) 2023\n58227;Saint-Amand-en-Puisaye;3\n58086;Cosne;14\n"
    _table, communes = _layout(tmp_path, "Titre\n\n" + rows)
    assert (communes.level, communes.zoning.label) == ("commune", "communes")
    assert communes.zoning.from_codes  # only the shape of the codes said it
    _table, bassins = _layout(tmp_path, "CartoSanté\nRéférentiel géographique : France par bassin de vie\n\n" + rows)
    assert (bassins.level, bassins.zoning.label) == ("autre", "bassins de vie")
    assert bassins.zoning.evidence == "ligne « Référentiel géographique : France par bassin de vie »"
    assert not bassins.zoning.from_codes


@pytest.mark.parametrize(
    ("line", "level", "label"),
    [
        ("Référentiel géographique : France par département", "departement", "départements"),
        ("Référentiel géographique : France par commune", "commune", "communes"),
        ("Référentiel géographique : France par canton-ville", "autre", "cantons-villes"),
        ("Référentiel géographique : France par EPCI", "epci", "intercommunalités (EPCI)"),
        ("Découpage : Commune ; Niveau : Commune", "commune", "communes"),
        ("Référentiel géographique : France par région", "region", "régions"),
        ("Référentiel géographique : France par zone d'emploi", "autre", "zones d'emploi"),
    ],
)
def test_metadata_lines(tmp_path: Path, line: str, level: str, label: str) -> None:
    _table, layout = _layout(tmp_path, f"Titre\n{line}\n\nCode;Libellé;Population 2021\n84;X;12\n93;Y;15\n")
    assert (layout.level, layout.zoning.label) == (level, label)


def test_code_column_title_and_row_names(tmp_path: Path) -> None:
    _table, by_header = _layout(tmp_path, "Code bassin de vie;Libellé;Population 2021\n58227;Saint-Amand;6383\n")
    assert (by_header.level, by_header.zoning.evidence) == ("autre", "colonne « Code bassin de vie »")
    _table, by_name = _layout(tmp_path, "Code;Libellé;Population 2021\n58227;BV Saint-Amand;6383\n58086;BV Cosne;2\n")
    assert by_name.level == "autre"
    _table, epci = _layout(tmp_path, "Code;Libellé;Population 2021\n200067213;CC Puisaye-Forterre;35000\n")
    assert epci.level == "epci" and epci.zoning.evidence == "codes SIREN à 9 chiffres"


def test_departement_export_fixture() -> None:
    table = read_table(LAYOUTS / "statistiques_locales_departements.csv")
    layout = detect_wide(table)
    assert layout is not None and layout.level == "departement" and layout.source == "Insee, Statistiques locales"
    units = {c.label: (c.unit, c.kind) for c in layout.indicators}
    assert units["Médecin généraliste (en nombre)"] == (Unit.COUNT, COUNT)
    assert units["Taux de mortalité prématurée (avant 65 ans)"] == (Unit.PER_100000, RATE)
    assert units["Médiane du niveau de vie"] == (Unit.EUROS, RATE)
    assert layout.population_column == table.headers.index("Population municipale 2021")


def test_year_and_weights_from_the_drees_layout(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "APL 2023"
    sheet.append(["Indicateur d'accessibilité potentielle localisée (APL) 2023 aux médecins généralistes"])
    sheet.append([])
    sheet.append(["Millésime : 2023"])
    sheet.append(["Sources : … Traitements Drees."])
    sheet.append(["Note : Pour calculer un APL moyen (…), l'APL communal doit être pondéré par la population "
                  "standardisée. \nPour comptabiliser la population sous un seuil…"])  # fmt: skip
    sheet.append([])
    sheet.append(["Code commune INSEE", "Commune", "APL aux médecins généralistes",
                  "Population standardisée 2021 pour la médecine générale", "Population totale 2021"])  # fmt: skip
    sheet.append([None, None, APL_UNITS, "En nombre d'habitants standardisés", "En nombre d'habitants"])
    sheet.append(["58227", "Saint-Amand-en-Puisaye", 3.383, 1418.731, 1218])
    path = tmp_path / "apl.xlsx"
    book.save(path)
    table = read_table(path)
    layout = detect_wide(table)
    assert layout is not None and layout.source == "DREES" and layout.units_row == 0
    apl = layout.indicators[0]
    assert (apl.label, apl.year, apl.unit, apl.kind, apl.units_text) == (
        "APL aux médecins généralistes",
        2023,
        Unit.RATIO,
        RATE,
        APL_UNITS,
    )
    assert layout.standardised_rule and layout.standardised_column == 3 and layout.population_column == 4
