"""santeloc-cli: demo, list, check — real processes, French output, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SANTELOC_DATA_DIR": str(data_dir)}
    env.pop("SANTELOC_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "santeloc.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_demo_list_check_on_the_default_database(tmp_path: Path) -> None:
    result = cli("demo", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Projet d'exemple prêt" in result.stdout and "6 communes" in result.stdout
    assert (tmp_path / "santeloc.db").exists()
    listed = cli("list", data_dir=tmp_path)
    assert "Saint-Amand-en-Puisaye [exemple]" in listed.stdout
    assert "3\u202f284 habitants" in listed.stdout
    check = cli("check", data_dir=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "communes" in check.stdout and "Pays de la Loire" in check.stdout


def test_database_url_option_and_errors(tmp_path: Path) -> None:
    other = tmp_path / "autre.db"
    assert cli("--database-url", f"sqlite:///{other}", "list", data_dir=tmp_path).stdout.startswith("Aucun projet")
    assert other.exists()
    refused = cli("--database-url", "postgresql+psycopg2://x@127.0.0.1:9/x", "list", data_dir=tmp_path)
    assert refused.returncode == 1
    assert "Erreur : Impossible de joindre le serveur" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_gui_start_with_an_unreachable_server_explains_in_french(tmp_path: Path) -> None:
    env = {**os.environ, "SANTELOC_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "santeloc.gui.app", "--smoke", "--database-url", "postgresql+psycopg2://x@127.0.0.1:9/x"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Erreur : Impossible de joindre le serveur PostgreSQL 127.0.0.1:9/x" in result.stderr
    assert "Traceback" not in result.stderr


def test_gui_smoke_start_opens_the_demo_and_draws_its_map(tmp_path: Path) -> None:
    """The start-up check of packaged builds, from the sources: the demo, opened during the
    start-up's background loading, opens once it ends; nothing is left to fail at exit."""
    env = {**os.environ, "SANTELOC_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    env.pop("SANTELOC_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "santeloc.gui.app", "--smoke"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Démarrage : OK" in result.stdout
    assert "Traceback" not in result.stderr


def test_project_file_and_dossier_commands(tmp_path: Path) -> None:
    assert cli("demo", data_dir=tmp_path).returncode == 0
    exported = cli("export-projet", "1", str(tmp_path / "saint-amand.santeloc"), data_dir=tmp_path)
    assert exported.returncode == 0, exported.stderr
    other = tmp_path / "collegue"
    imported = cli("import-projet", str(tmp_path / "saint-amand.santeloc"), data_dir=other)
    assert imported.returncode == 0 and "Projet importé" in imported.stdout
    broken = tmp_path / "casse.santeloc"
    broken.write_bytes(b"PK\x03\x04 pas un vrai zip")
    refused = cli("import-projet", str(broken), data_dir=other)
    assert refused.returncode == 1 and "Erreur :" in refused.stderr and "Traceback" not in refused.stderr
    dossier = cli("dossier", "1", str(tmp_path / "dossier"), data_dir=tmp_path)
    assert dossier.returncode == 0, dossier.stderr
    assert (tmp_path / "dossier" / "plan-de-financement.xlsx").exists()
