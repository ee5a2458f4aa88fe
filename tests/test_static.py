"""The project's own rules, checked with the suite: layering, lint, types, generated forms."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_import_contracts_are_kept() -> None:
    """PySide6 only under santeloc.gui, layers respected, no I/O in the domain."""
    result = run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ruff() -> None:
    result = run(str(BIN / "ruff"), "check", "santeloc", "tests", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("form", sorted((ROOT / "ui").glob("*.ui")), ids=lambda p: p.stem)
def test_generated_forms_are_up_to_date(form: Path, tmp_path: Path) -> None:
    """santeloc/gui/forms/ui_<name>.py is what pyside6-uic makes of ui/<name>.ui today."""
    generated = ROOT / "santeloc" / "gui" / "forms" / f"ui_{form.stem}.py"
    fresh = tmp_path / generated.name
    result = run(str(BIN / "pyside6-uic"), str(form), "-o", str(fresh))
    assert result.returncode == 0, result.stderr
    strip = lambda text: [line for line in text.splitlines() if "Created by: Qt User Interface Compiler" not in line]  # noqa: E731
    assert strip(fresh.read_text()) == strip(generated.read_text()), (
        f"Régénérez le formulaire : pyside6-uic {form.relative_to(ROOT)} -o {generated.relative_to(ROOT)}"
    )


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """Alembic autogenerate finds nothing to add: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    from santeloc.domain import models  # noqa: F401  (the tables, on SQLModel.metadata)
    from santeloc.persistence.engine import open_database

    database = open_database(f"sqlite:///{tmp_path}/m.db")
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
    database.dispose()
    assert diff == [], f"Modèles et migrations divergent : {diff}"


def test_sqlite_head_sql_is_what_the_migrations_make(tmp_path: Path) -> None:
    """A new SQLite file is created from migrations/sqlite_head.sql: the same schema as the
    migrations' (regenerate it with `python -m santeloc.persistence.sqlite_schema`)."""
    import sqlite3

    from santeloc.persistence.engine import migrate_with_alembic, open_database
    from santeloc.persistence.sqlite_schema import schema_statements

    migrate_with_alembic(f"sqlite:///{tmp_path}/migrated.db")
    open_database(f"sqlite:///{tmp_path}/created.db").dispose()
    dumps = []
    for name in ("migrated.db", "created.db"):
        connection = sqlite3.connect(tmp_path / name)
        # Batch migrations may list a table's constraints in another order: same schema.
        dumps.append(
            sorted(
                sorted(line.strip().rstrip(",") for line in sql.splitlines()) for sql in schema_statements(connection)
            )
        )
        connection.close()
    assert dumps[0] == dumps[1], "Régénérez le schéma : python -m santeloc.persistence.sqlite_schema"


def test_head_revision_constant_names_the_real_head() -> None:
    """engine.HEAD_REVISION lets start-up skip Alembic; it must follow every new migration."""
    from santeloc.persistence.engine import HEAD_REVISION, head_revision

    assert head_revision() == HEAD_REVISION
