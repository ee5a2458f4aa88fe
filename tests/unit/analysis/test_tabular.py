"""Reading the files users bring: real files written under tmp_path, as public portals make them."""

from __future__ import annotations

import codecs
import re
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from santeloc.analysis.tabular import ColumnRole, RawRow, RawTable, guess_mapping, read_table
from santeloc.domain.errors import ValidationError

ORS_CSV_LINES = [
    "Taux comparatifs de mortalité — CC du Morvan (2015-2019)",
    "Source : Inserm-CépiDc, Insee ; exploitation ORS;;;;",
    "",
    "Indicateur;Territoire;Nièvre;Bourgogne-Franche-Comté;France",
    "Mortalité générale;1 012,5;950,3;880,1;820,0",
    '"Cancers; toutes localisations";312,4;nd;290,2;270,0',
    "Suicides;22,1;s;19,0;15,3",
    ";;;;",
    "Source : Inserm-CépiDc;;;;",
    "(1) taux pour 100 000 habitants, standardisés sur la population France 2006",
    "Exploitation ORS Bourgogne-Franche-Comté",
]


def write_lines(path: Path, lines: list[str], encoding: str, newline: str = "\r\n", bom: bytes = b"") -> Path:
    path.write_bytes(bom + newline.join(lines).encode(encoding) + newline.encode(encoding))
    return path


# --------------------------------------------------------------------------------- CSV


def test_windows_1252_semicolon_file_with_metadata_and_footnotes(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "ors.csv", ORS_CSV_LINES, "cp1252")
    table = read_table(path)
    assert isinstance(table, RawTable)
    assert table.encoding == "windows-1252"
    assert table.separator == ";"
    assert table.sheet is None and table.sheet_names == []
    assert table.headers == ["Indicateur", "Territoire", "Nièvre", "Bourgogne-Franche-Comté", "France"]
    assert table.header_line == 4
    assert table.rows == [
        RawRow(5, ["Mortalité générale", "1 012,5", "950,3", "880,1", "820,0"]),
        RawRow(6, ["Cancers; toutes localisations", "312,4", "nd", "290,2", "270,0"]),
        RawRow(7, ["Suicides", "22,1", "s", "19,0", "15,3"]),
    ]
    assert table.skipped_lines == [
        (1, "Taux comparatifs de mortalité — CC du Morvan (2015-2019)"),
        (2, "Source : Inserm-CépiDc, Insee ; exploitation ORS"),
        (9, "Source : Inserm-CépiDc"),
        (10, "(1) taux pour 100 000 habitants, standardisés sur la population France 2006"),
        (11, "Exploitation ORS Bourgogne-Franche-Comté"),
    ]
    assert not table.truncated


def test_utf8_bom_comma_file(tmp_path: Path) -> None:
    lines = [
        "Libellé,Valeur,Dép.,Région,France,Année",
        'Part des 75 ans et plus,"14.2",12.1,11.0,9.4,2020',
        "Taux de chômage,9.1,10.2,8.5,8.0,2020",
    ]
    path = write_lines(tmp_path / "geodes.csv", lines, "utf-8", newline="\n", bom=codecs.BOM_UTF8)
    table = read_table(path)
    assert table.encoding == "utf-8-sig"
    assert table.separator == ","
    assert table.headers[0] == "Libellé"  # no BOM left in the first title
    assert table.rows[0] == RawRow(2, ["Part des 75 ans et plus", "14.2", "12.1", "11.0", "9.4", "2020"])
    assert table.skipped_lines == []


def test_utf8_without_bom(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.csv", ["Indicateur;Valeur", "Espérance de vie;82,3"], "utf-8", newline="\n")
    table = read_table(path)
    assert table.encoding == "utf-8"
    assert table.rows == [RawRow(2, ["Espérance de vie", "82,3"])]


def test_tab_file(tmp_path: Path) -> None:
    lines = [
        "Indicateur\tTerritoire\tFrance\tUnité",
        "ALD diabète\t512,3\t480,0\tpour 100 000",
        "IVG\t14,1\t15,6\tpour 1 000",
    ]
    for name in ("indicateurs.tsv", "indicateurs.txt"):
        table = read_table(write_lines(tmp_path / name, lines, "utf-8"))
        assert table.separator == "\t"
        assert table.headers == ["Indicateur", "Territoire", "France", "Unité"]
        assert table.rows[1] == RawRow(3, ["IVG", "14,1", "15,6", "pour 1 000"])


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    lines = ["Indicateur\tValeur", "Mortalité prématurée\t215,4"]
    path = tmp_path / "export.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    table = read_table(path)
    assert table.encoding == "utf-16"
    assert table.rows == [RawRow(2, ["Mortalité prématurée", "215,4"])]


def test_pipe_file_with_trailing_separator_like_the_rpps(tmp_path: Path) -> None:
    lines = [
        "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Libellé profession|Code commune (coord. structure)|",
        "8|10001234567|810001234567|Médecin|58062|",
        "8|10007654321|810007654321|Infirmier||",
    ]
    table = read_table(write_lines(tmp_path / "PS_LibreAcces_Personne_activite_202611220000.txt", lines, "utf-8", "\n"))
    assert table.separator == "|"
    assert len(table.headers) == 5 and table.headers[-1] == "Code commune (coord. structure)"
    assert table.rows[0].cells == ["8", "10001234567", "810001234567", "Médecin", "58062"]
    assert table.rows[1].cells == ["8", "10007654321", "810007654321", "Infirmier", ""]


def test_semicolon_wins_over_decimal_commas(tmp_path: Path) -> None:
    # Every value has exactly one decimal comma: both separators split the data rows in 3.
    lines = ["Indicateur;Territoire;France", "A;12,5;13,4", "B;1,5;2,5", "C;0,5;0,7"]
    table = read_table(write_lines(tmp_path / "a.csv", lines, "utf-8"))
    assert table.separator == ";"
    assert table.rows[0].cells == ["A", "12,5", "13,4"]


def test_quoted_fields_with_line_breaks_keep_file_line_numbers(tmp_path: Path) -> None:
    lines = ["Indicateur;Commentaire;Valeur", 'A;"sur deux', 'lignes";1,0', "B;;2,0"]
    table = read_table(write_lines(tmp_path / "a.csv", lines, "utf-8", "\n"))
    assert table.rows == [RawRow(2, ["A", "sur deux\nlignes", "1,0"]), RawRow(4, ["B", "", "2,0"])]


@pytest.mark.parametrize("count", [5, 80])
def test_unbalanced_quote_does_not_swallow_the_file(tmp_path: Path, count: int) -> None:
    lines = ["Indicateur;Valeur", '"Écran 12;1,0'] + [f"L{n};{n}" for n in range(count)]
    table = read_table(write_lines(tmp_path / "a.csv", lines, "utf-8", "\n"))
    assert table.headers == ["Indicateur", "Valeur"]
    assert table.rows[0] == RawRow(2, ['"Écran 12', "1,0"])
    assert table.rows[-1] == RawRow(count + 2, [f"L{count - 1}", str(count - 1)])


def test_header_with_an_empty_corner_and_year_titles(tmp_path: Path) -> None:
    lines = ["Évolution du taux de mortalité", ";2015;2016;2017", "Territoire;10,2;10,0;9,8", "France;9,1;9,0;8,9"]
    table = read_table(write_lines(tmp_path / "a.csv", lines, "utf-8"))
    assert table.headers == ["Colonne 1", "2015", "2016", "2017"]
    assert table.header_line == 2
    assert [row.line for row in table.rows] == [3, 4]


def test_key_value_metadata_lines_are_not_headers(tmp_path: Path) -> None:
    lines = ["Territoire :;CC du Morvan", "Indicateur;Valeur", "A;1", "B;2", "C;3"]
    table = read_table(write_lines(tmp_path / "a.csv", lines, "utf-8"))
    assert table.headers == ["Indicateur", "Valeur"]
    assert table.skipped_lines == [(1, "Territoire :;CC du Morvan")]  # as in the file


def test_rows_are_padded_to_the_header_and_repeated_headers_skipped(tmp_path: Path) -> None:
    lines = ["Indicateur;Territoire;France", "A;1", "Indicateur;Territoire;France", "B;2;3;", "C;4;5;6"]
    table = read_table(write_lines(tmp_path / "a.csv", lines, "utf-8"))
    assert table.rows == [RawRow(2, ["A", "1", ""]), RawRow(4, ["B", "2", "3"]), RawRow(5, ["C", "4", "5", "6"])]
    assert table.skipped_lines == [(3, "Indicateur;Territoire;France")]


def test_max_rows_for_a_preview(tmp_path: Path) -> None:
    lines = ["Indicateur;Valeur"] + [f"L{n};{n}" for n in range(50)] + ["Source : test"]
    path = write_lines(tmp_path / "a.csv", lines, "utf-8")
    preview = read_table(path, max_rows=10)
    assert len(preview.rows) == 10 and preview.truncated
    assert preview.rows[-1] == RawRow(11, ["L9", "9"])
    whole = read_table(path, max_rows=50)
    assert len(whole.rows) == 50 and not whole.truncated
    assert whole.skipped_lines == [(52, "Source : test")]


def test_undecodable_bytes_never_stop_the_reading(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"Indicateur;Valeur\r\nCaf\xe9 \x81\x8d;1\r\nNUL\x00;2\r\n")
    table = read_table(path)
    assert table.encoding == "windows-1252"
    assert table.rows[0].cells[0] == "Café \ufffd\ufffd"
    assert table.rows[1].cells == ["NUL", "2"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_give_a_table_or_a_french_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    try:
        table = read_table(path)
    except ValidationError as error:
        assert error.message.startswith(("Le fichier est vide.", "Aucune ligne d'en-tête reconnue"))
    else:
        assert len(table.headers) >= 2


def test_empty_file(tmp_path: Path) -> None:
    for content in (b"", b"\r\n\r\n  \n", codecs.BOM_UTF8, b";;;\n;;;\n"):
        path = tmp_path / "vide.csv"
        path.write_bytes(content)
        with pytest.raises(ValidationError) as error:
            read_table(path)
        assert error.value.message == "Le fichier est vide."


def test_file_with_only_metadata(tmp_path: Path) -> None:
    lines = ["Diagnostic local de santé", "Source : ORS", "Mise à jour : 2026"]
    path = write_lines(tmp_path / "notes.csv", lines, "utf-8")
    with pytest.raises(ValidationError) as error:
        read_table(path)
    assert error.value.message.startswith("Aucune ligne d'en-tête reconnue dans « notes.csv »")


def test_only_numbers_is_no_header(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "n.csv", ["1;2;3", "4,5;6;7"], "utf-8")
    with pytest.raises(ValidationError, match="Aucune ligne d'en-tête reconnue"):
        read_table(path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a.pdf", "Format de fichier non pris en charge (.pdf) : utilisez un fichier .csv, .txt, .tsv ou .xlsx."),
        ("a", "Format de fichier non pris en charge (sans extension)"),
        ("a.xls", "« a.xls » est au format Excel 97-2003 (.xls), qui n'est pas pris en charge"),
        ("a.ods", "« a.ods » est un classeur OpenDocument (.ods)"),
    ],
)
def test_unsupported_extensions(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(ValidationError) as error:
        read_table(path)
    assert error.value.message.startswith(message)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=re.escape("« absent.csv » est introuvable")):
        read_table(tmp_path / "absent.csv")


def test_100000_rows_in_a_few_seconds(tmp_path: Path) -> None:
    lines = [
        "Export Géodes",
        "Source : SNDS",
        "Indicateur;Code commune;Année;Territoire;Département;Région;France;Unité",
    ]
    lines += [
        f"Indicateur {n % 45};{58000 + n % 300:05d};{2010 + n % 12};{n % 997},{n % 10};12,5;11,8;10,9;pour 100 000"
        for n in range(100_000)
    ]
    lines += ["Note : données provisoires"]
    path = write_lines(tmp_path / "gros.csv", lines, "cp1252")
    start = time.perf_counter()
    table = read_table(path)
    elapsed = time.perf_counter() - start
    print(f"100 000 lignes lues en {elapsed:.2f} s")
    assert len(table.rows) == 100_000
    assert table.rows[-1].line == 100_003
    assert table.skipped_lines[-1] == (100_004, "Note : données provisoires")  # time: bench_import.py


# ------------------------------------------------------------------------------- workbooks


def build_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Sommaire"
    summary["A1"] = "Diagnostic local de santé — indicateurs"
    summary["A3"] = "Feuille « Mortalité » : taux comparatifs"
    data = workbook.create_sheet("Mortalité")
    data["A1"] = "Taux comparatifs de mortalité, 2015-2019"
    data.append([])
    data.append(["Indicateur", "Territoire", "Département", "France", "Année", "Mis à jour"])
    data.append(["Mortalité générale", 1012.5, 950.25, 820, 2019, date(2026, 3, 1)])
    data.append([])
    data.append(["Suicides", 22.1, None, 15.3, 2019.0, None])
    data.append(["Source : Inserm-CépiDc"])
    workbook.create_sheet("Vide")
    workbook.save(path)
    return path


def test_xlsx_default_sheet_is_the_first_holding_a_table(tmp_path: Path) -> None:
    table = read_table(build_workbook(tmp_path / "ors.xlsx"))
    assert table.sheet == "Mortalité"
    assert table.sheet_names == ["Sommaire", "Mortalité", "Vide"]
    assert table.encoding == "" and table.separator == ""
    assert table.headers == ["Indicateur", "Territoire", "Département", "France", "Année", "Mis à jour"]
    assert table.header_line == 3
    assert table.rows == [
        RawRow(4, ["Mortalité générale", "1012.5", "950.25", "820", "2019", "01/03/2026"]),
        RawRow(6, ["Suicides", "22.1", "", "15.3", "2019", ""]),
    ]
    assert table.skipped_lines == [(1, "Taux comparatifs de mortalité, 2015-2019"), (7, "Source : Inserm-CépiDc")]


def test_xlsx_chosen_sheet(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "ors.xlsx")
    assert read_table(path, sheet="Mortalité", max_rows=1).rows == [
        RawRow(4, ["Mortalité générale", "1012.5", "950.25", "820", "2019", "01/03/2026"])
    ]
    with pytest.raises(
        ValidationError, match=re.escape("Aucune ligne d'en-tête reconnue dans « ors.xlsx — feuille Sommaire »")
    ):
        read_table(path, sheet="Sommaire")
    with pytest.raises(ValidationError) as error:
        read_table(path, sheet="Vide")
    assert error.value.message == "La feuille « Vide » est vide."
    with pytest.raises(ValidationError) as error:
        read_table(path, sheet="ALD")
    assert (
        error.value.message
        == "La feuille « ALD » n'existe pas dans « ors.xlsx » (feuilles : Sommaire, Mortalité, Vide)."
    )


def test_xlsx_without_any_table(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.save(tmp_path / "vide.xlsx")
    with pytest.raises(ValidationError) as error:
        read_table(tmp_path / "vide.xlsx")
    assert error.value.message == "Le fichier est vide."


def test_unreadable_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "faux.xlsx"
    path.write_bytes(b"Indicateur;Valeur\r\nA;1\r\n")
    with pytest.raises(ValidationError) as error:
        read_table(path)
    assert error.value.message.startswith("« faux.xlsx » n'est pas un classeur Excel lisible")


# ------------------------------------------------------------------------------ mapping


def test_guess_mapping_from_usual_headers() -> None:
    headers = [
        "Libellé",
        "Valeur",
        "Dép.",
        "Région",
        "France métropolitaine",
        "Année",
        "Unité",
        "Source",
        "Effectif observé",
        "Attendus",
        "Thème",
    ]
    assert guess_mapping(headers) == {
        "label": 0,
        "value_territory": 1,
        "value_departement": 2,
        "value_region": 3,
        "value_france": 4,
        "year": 5,
        "unit": 6,
        "source": 7,
        "observed": 8,
        "expected": 9,
        "theme": 10,
    }


def test_guess_mapping_ignores_case_accents_and_prefers_specific_words() -> None:
    headers = [
        "INDICATEUR",
        "Valeur département",
        "Valeur",
        "valeur REGION",
        "Valeur France",
        "Periode",
        "Nombre de décès observés",
    ]
    assert guess_mapping(headers) == {
        "label": 0,
        "value_departement": 1,
        "value_territory": 2,
        "value_region": 3,
        "value_france": 4,
        "year": 5,
        "observed": 6,
    }


def test_guess_mapping_with_names_known_to_the_project() -> None:
    headers = ["Indicateur", "CC du Morvan", "Nièvre", "Bourgogne-Franche-Comté", "France", "Source de l'indicateur"]
    guessed = guess_mapping(
        headers,
        known_names={
            ColumnRole.TERRITORY: ["CC du Morvan"],
            ColumnRole.DEPARTEMENT: ["Nièvre", "58"],
            ColumnRole.REGION: ["Bourgogne-Franche-Comté"],
        },
    )
    assert guessed == {
        "label": 0,
        "value_territory": 1,
        "value_departement": 2,
        "value_region": 3,
        "value_france": 4,
        "source": 5,
    }
    assert guess_mapping(headers) == {"label": 0, "value_france": 4, "source": 5}


def test_guess_mapping_leaves_unknown_columns_out() -> None:
    assert guess_mapping(["Code INSEE", "Commentaire", ""]) == {}
    assert guess_mapping(["Île-de-France", "France"]) == {"value_region": 0, "value_france": 1}


def test_column_roles_have_french_labels() -> None:
    assert ColumnRole.OBSERVED.label == "Effectif observé"
    assert [value for value, _ in ColumnRole.choices()][:2] == ["label", "value_territory"]


def test_guess_mapping_on_a_table_read_from_a_file(tmp_path: Path) -> None:
    table = read_table(write_lines(tmp_path / "ors.csv", ORS_CSV_LINES, "cp1252"))
    assert guess_mapping(table.headers, known_names={"value_departement": ["Nièvre"]}) == {
        "label": 0,
        "value_territory": 1,
        "value_departement": 2,
        "value_france": 4,
    }
