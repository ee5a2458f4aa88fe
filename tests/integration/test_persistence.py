"""Opening databases: migrations, old files, and every way opening can fail (French messages)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from santeloc.domain.errors import DatabaseError
from santeloc.persistence.engine import Database, alembic_config, head_revision, open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import projects as svc
from santeloc.services.territory import territory_codes

DATA = Path(__file__).parent.parent / "data"


def test_schema_is_at_head_with_every_table(database: Database) -> None:
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
        tables = set(inspect(conn).get_table_names())
    for expected in (
        "project",
        "territorycommune",
        "indicatorvalue",
        "professional",
        "meeting",
        "action",
        "resourceline",
    ):
        assert expected in tables


def test_migrations_go_down_and_up_again(database: Database) -> None:
    with database.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    with database.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    reopened = open_database(database.url)
    reopened.dispose()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path}/a.db")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    db.dispose()


@pytest.mark.parametrize("fixture", sorted(DATA.glob("santeloc-*.sqlite")), ids=lambda p: p.stem)
def test_database_from_an_older_version_opens_with_its_data(tmp_path: Path, fixture: Path) -> None:
    """Files written by each released version are kept in tests/data and must keep opening."""
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    db = open_database(f"sqlite:///{copy}")
    uow = UnitOfWork(db)
    projects = svc.list_projects(uow)
    demo = next(p for p in projects if p.is_demo)
    assert "Saint-Amand" in demo.name
    assert "58227" in territory_codes(uow, demo.id)
    db.dispose()


def test_there_is_an_older_version_fixture() -> None:
    assert list(DATA.glob("santeloc-*.sqlite")), "tests/data must hold a database of each released version"


def test_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db = open_database(f"sqlite:///{path}")
    svc.create_project(UnitOfWork(db), "Projet du futur")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.dispose()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="version plus récente de santeloc"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_read_only_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # the ordinary user below must reach the file: /tmp itself, not pytest's 0700 folder
        tmp_path = Path(tempfile.mkdtemp(prefix="santeloc-ro-"))
    path = tmp_path / "ro.db"
    open_database(f"sqlite:///{path}").dispose()
    os.chmod(path, 0o444)
    if os.geteuid() != 0:
        with pytest.raises(DatabaseError, match="est en lecture seule"):
            open_database(f"sqlite:///{path}")
        return
    # Root ignores file modes: check in a forked child that has dropped to an ordinary user.
    os.chmod(tmp_path, 0o755)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(reader)
        message = "aucune erreur"
        try:
            os.setgid(65534)
            os.setuid(65534)
            open_database(f"sqlite:///{path}")
        except DatabaseError as exc:
            message = exc.message
        except BaseException as exc:  # report anything else to the parent, never run its tests
            message = repr(exc)
        os.write(writer, message.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        message = pipe.read()
    os.waitpid(pid, 0)
    assert "est en lecture seule" in message, message


def test_locked_database(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    open_database(f"sqlite:///{path}").dispose()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError, match="verrouillée par un autre programme"):
            open_database(f"sqlite:///{path}", busy_timeout_s=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_write_while_locked_loses_nothing_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    db = open_database(f"sqlite:///{path}", busy_timeout_s=0.2)
    uow = UnitOfWork(db)
    info = svc.create_project(uow, "Avant")
    holder = sqlite3.connect(path, isolation_level=None, timeout=0.2)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseError, match="occupée par un autre programme"):
            svc.rename_project(uow, info.id, "Après")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert svc.get_project(uow, info.id).name == "Avant"
    db.dispose()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("ceci n'est pas une base de données\n" * 10)
    with pytest.raises(DatabaseError, match="n'est pas une base de données santeloc"):
        open_database(f"sqlite:///{path}")


def test_foreign_tables_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE clients (id INTEGER)")
    with pytest.raises(DatabaseError, match="ne sont pas celles de santeloc"):
        open_database(f"sqlite:///{path}")


def test_unreachable_postgresql() -> None:
    # Port 9 on loopback: nothing listens there, the refusal is immediate.
    with pytest.raises(DatabaseError, match=r"Impossible de joindre le serveur PostgreSQL 127\.0\.0\.1:9"):
        open_database("postgresql+psycopg2://santeloc@127.0.0.1:9/santeloc")


def test_unknown_backend_and_bad_url() -> None:
    with pytest.raises(DatabaseError, match="non pris en charge"):
        open_database("mysql://x@localhost/db")
    with pytest.raises(DatabaseError, match="Adresse de base de données invalide"):
        open_database("pas une url ://")


def test_upgrade_from_0001_keeps_rows_of_altered_tables(database: Database) -> None:
    """Columns added to tables that already hold rows get their defaults (both backends)."""
    with database.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO project (id, name, is_demo, porteur_type, porteur_name, project_type, "
                "description, plan_pack_key, created_at, updated_at, version) VALUES (1, 'P', false, "
                "'epci', '', 'msp_mono_site', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO funder (project_id, code, name, is_public, eligible_stages, counts_ttc, "
                "conditions) VALUES (1, 'DETR', 'DETR', true, '', false, '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO indicatorvalue (project_id, theme, code, label, unit, source, comment, version) "
                "VALUES (1, '', '', 'Indicateur', '', '', '', 1)"
            )
        )
    reopened = open_database(database.url)
    with reopened.engine.connect() as conn:
        assert conn.execute(text("SELECT eligible_categories FROM funder")).scalar_one() == ""
        assert conn.execute(text("SELECT position FROM indicatorvalue")).scalar_one() == 0
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
    reopened.dispose()
