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
    assert again.returncode == 1 and "Rien n'a été importé" in again.stderr and "déjà dans le registre" in again.stdout
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
