"""Creating a database: two first starts at once both succeed, a failure leaves nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from santeloc.domain.errors import DatabaseError
from santeloc.persistence import sqlite_schema
from santeloc.persistence.engine import HEAD_REVISION, open_database

OPENER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    go = Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.001)
    from santeloc.persistence.engine import open_database
    open_database(sys.argv[1]).dispose()
    print("ouverte")
    """
)


def open_at_once(url: str, go: Path, count: int) -> list[subprocess.CompletedProcess[str]]:
    """``count`` processes that open ``url`` together, once ``go`` exists (imports done)."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, url, str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(count)
    ]
    time.sleep(2)  # their imports, so that they meet at the creation (not a limit: a head start)
    go.touch()
    results = []
    for child in children:
        out, err = child.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(child.args, child.returncode, out, err))
    return results


def test_two_first_starts_on_the_same_new_sqlite_file_both_succeed(tmp_path: Path) -> None:
    for attempt in range(3):
        path = tmp_path / f"neuve{attempt}.db"
        results = open_at_once(f"sqlite:///{path}", tmp_path / f"go{attempt}", 3)
        assert all(r.returncode == 0 for r in results), [r.stderr[-600:] for r in results]
        assert path.exists() and not list(tmp_path.glob(f".neuve{attempt}*"))  # no temporary file left


@pytest.mark.postgres
def test_two_first_starts_on_the_same_empty_postgresql_database_both_succeed(tmp_path: Path, pg_admin: object) -> None:
    from tests.conftest import drop_pg_database, new_pg_database

    url = new_pg_database(pg_admin)
    try:
        results = open_at_once(url, tmp_path / "go", 3)
        assert all(r.returncode == 0 for r in results), [r.stderr[-600:] for r in results]
        database = open_database(url)
        with database.engine.connect() as connection:
            from sqlalchemy import text

            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
        database.dispose()
    finally:
        drop_pg_database(pg_admin, url)


def test_a_failed_creation_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "casse.sql"
    broken.write_text(sqlite_schema.HEAD_SQL.read_text(encoding="utf-8") + "CREATE TABLE;\n", encoding="utf-8")
    monkeypatch.setattr(sqlite_schema, "HEAD_SQL", broken)
    folder = tmp_path / "donnees"
    folder.mkdir()
    with pytest.raises(DatabaseError) as caught:
        open_database(f"sqlite:///{folder / 'neuve.db'}")
    assert "Aucun fichier n'a été laissé" in caught.value.message
    assert list(folder.iterdir()) == []


def test_a_full_disk_during_creation_is_said_in_french_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = sqlite_schema.sqlite3.connect

    def tiny(path: object, **kwargs: object) -> object:
        connection = real_connect(path, **kwargs)  # type: ignore[arg-type]
        connection.execute("PRAGMA max_page_count = 8")  # a disk full after 8 pages
        return connection

    monkeypatch.setattr(sqlite_schema.sqlite3, "connect", tiny)
    with pytest.raises(DatabaseError) as caught:
        open_database(f"sqlite:///{tmp_path / 'neuve.db'}")
    assert "le disque est plein" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_new_file_opens_at_the_head_without_alembic(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'neuve.db'}")
    from sqlalchemy import text

    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    database.dispose()
