"""santeloc-cli importer: real processes, the same summaries as the application, exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli import cli
from tests.integration.test_offer import rpps_file
from tests.integration.test_official_apl import workbook

REAL = Path(__file__).parents[1] / "data" / "real"


def test_importer_commands(tmp_path: Path) -> None:
    assert cli("demo", data_dir=tmp_path).returncode == 0
    rpps = cli("importer", "rpps", str(rpps_file(tmp_path)), "--projet", "1", data_dir=tmp_path)
    assert rpps.returncode == 0, rpps.stderr
    assert "professionnel(s) importé(s) sur 7 ligne(s) lue(s)" in rpps.stdout
    again = cli("importer", "rpps", str(rpps_file(tmp_path)), "--projet", "1", data_dir=tmp_path)
    # Nothing new is not an error (issue 23): exit 0, and the summary says so.
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Rien de nouveau : chaque professionnel retenu est déjà dans le registre")
    assert (
        "0 professionnel(s) importé(s)" in again.stdout and "déjà dans le registre (laissés tels quels)" in again.stdout
    )
    finess = cli(
        "importer", "finess", str(REAL / "etalab-cs1100507-stock-extrait.csv"), "--projet", "1", data_dir=tmp_path
    )
    assert finess.returncode == 1 and "0 établissement(s) importé(s) sur 6" in finess.stdout
    table = tmp_path / "statistiques-locales.csv"
    table.write_text(
        "Statistiques locales\n\nCode;Libellé;Médecin généraliste (en nombre) 2024;Taux de mortalité 2015-2019\n"
        "58227;Saint-Amand-en-Puisaye;3;N/A - secret statistique\n58012;Arquian;0;9,5\n",
        encoding="utf-8",
    )
    indicators = cli("importer", "indicateurs", str(table), "--projet", "1", data_dir=tmp_path)
    assert indicators.returncode == 0, indicators.stderr
    assert "2 indicateur(s)" in indicators.stdout and "1 case(s) « non disponible »" in indicators.stdout
    twice = cli("importer", "indicateurs", str(table), "--projet", "1", data_dir=tmp_path)
    assert twice.returncode == 0, twice.stderr
    assert "Rien de nouveau : le projet avait déjà ces valeurs (0 indicateur mis à jour, 0 ajouté, 2 inchangés)" in (
        twice.stdout
    )
    ratio = cli("importer", "indicateurs", str(table), "--projet", "1", "--rapport", "3,3,100", data_dir=tmp_path)
    assert ratio.returncode == 0 and "1 indicateur(s)" in ratio.stdout, ratio.stderr
    apl = workbook(tmp_path, {2023: [["58227", "Saint-Amand", 2.4, 2.0, 1.8, 1.4, 1000, 1100]]})
    official = cli("importer", "apl-drees", str(apl), "--projet", "1", data_dir=tmp_path)
    assert official.returncode == 0 and "année(s) 2023" in official.stdout
    travel = tmp_path / "distancier.csv"
    travel.write_text("58227;58012;12,3;10;11\n", encoding="utf-8")
    asked = cli("importer", "distancier", str(travel), "--projet", "1", data_dir=tmp_path)
    assert asked.returncode == 1 and "n'a pas de ligne de titres" in asked.stderr
    given = cli("importer", "distancier", str(travel), "--projet", "1", "--origine", "1", "--destination", "2",
                "--minutes", "4", data_dir=tmp_path)  # fmt: skip
    assert given.returncode == 0 and "1 trajet(s) importé(s)" in given.stdout
    missing = cli("importer", "rpps", str(tmp_path / "absent.txt"), "--projet", "1", data_dir=tmp_path)
    assert missing.returncode == 1 and "introuvable" in missing.stderr


LAYOUTS = Path(__file__).parents[1] / "data" / "layouts"


def test_indicator_tables_by_level_on_the_command_line(tmp_path: Path) -> None:
    """Levels said in the summary; CLI messages name CLI options (`--lignes`, `--feuille`)."""
    assert cli("demo", data_dir=tmp_path).returncode == 0
    departements = cli(
        "importer", "indicateurs", str(LAYOUTS / "statistiques_locales_departements.csv"), "--projet", "1",
        data_dir=tmp_path,
    )  # fmt: skip
    assert departements.returncode == 0, departements.stderr
    assert departements.stdout.startswith("Niveau géographique : départements (d'après la ligne « Référentiel")
    assert "Valeur du territoire laissée vide : la ligne 58 Nièvre couvre plus que le territoire" in departements.stdout
    assert "0 indicateur mis à jour, 6 ajoutés, 0 inchangé" in departements.stdout
    bassins = LAYOUTS / "cartosante_bassins_de_vie.csv"
    asked = cli("importer", "indicateurs", str(bassins), "--projet", "1", data_dir=tmp_path)
    assert asked.returncode == 1
    assert "Ce tableau donne des bassins de vie" in asked.stderr and "Ajoutez `--lignes 58227`" in asked.stderr
    assert "colonne « Code »" in asked.stderr and "cochez" not in asked.stderr.lower()
    chosen = cli("importer", "indicateurs", str(bassins), "--projet", "1", "--lignes", "58227", data_dir=tmp_path)
    assert chosen.returncode == 0, chosen.stderr
    assert "Niveau géographique : bassins de vie" in chosen.stdout and "Territoire = 1 ligne choisie" in chosen.stdout
    workbook = REAL / "drees_apl_generalistes_extrait.xlsx"
    no_sheet = cli("importer", "indicateurs", str(workbook), "--projet", "1", data_dir=tmp_path)
    assert no_sheet.returncode == 1 and "`--feuille`" in no_sheet.stderr and "« APL 2023 »" in no_sheet.stderr
    apl = cli("importer", "indicateurs", str(workbook), "--projet", "1", "--feuille", "APL 2023", data_dir=tmp_path)
    assert apl.returncode == 0, apl.stderr
    assert "moyenne" not in apl.stderr and "4 ajoutés" in apl.stdout
    damaged = tmp_path / "abime.xlsx"
    damaged.write_bytes(workbook.read_bytes()[:5000])
    refused = cli("importer", "indicateurs", str(damaged), "--projet", "1", data_dir=tmp_path)
    assert refused.returncode == 1 and "n'est pas un classeur Excel lisible" in refused.stderr
    assert "Traceback" not in refused.stderr and "zip" not in refused.stderr.lower()
