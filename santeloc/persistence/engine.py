"""Opening the database: SQLite by default, PostgreSQL by URL, always migrated to the latest schema.

Every failure to open is turned into a :class:`~santeloc.domain.errors.DatabaseError` whose
message tells the user, in French, what is wrong and what to do; nothing is written to a
database that cannot be opened safely.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from santeloc.domain.errors import DatabaseError
from santeloc.persistence.files import french_reason

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# The newest migration of this version. Opening a database already at this revision needs no
# Alembic at all (it is imported only to migrate), which keeps start-up short;
# tests/test_static.py checks that it names the real head of the migration scripts.
HEAD_REVISION = "0011"


@dataclass(frozen=True)
class Database:
    """An opened, migrated database and where it lives (for the title bar and messages)."""

    engine: Engine
    url: str
    label: str

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite file."""
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(connection: Any | None = None) -> Config:
    """Alembic configuration pointing at the migrations shipped in the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every schema revision this version of santeloc knows (its migration scripts)."""
    from alembic.script import ScriptDirectory

    return frozenset(rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def head_revision() -> str:
    """The schema revision this version of santeloc writes, read from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _describe(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database or ":memory:")
    return f"PostgreSQL {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def _check_sqlite_file(path: Path) -> None:
    """Refuse early, in French, what SQLite would refuse later with an obscure message."""
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"Impossible de créer le dossier de la base de données « {folder} » : {french_reason(exc)}."
            ) from exc
    if path.exists():
        if not os.access(path, os.R_OK):
            raise DatabaseError(f"Le fichier de base de données « {path} » ne peut pas être lu (droits insuffisants).")
        if not os.access(path, os.W_OK):
            raise DatabaseError(
                f"Le fichier de base de données « {path} » est en lecture seule. "
                "Copiez-le dans un dossier où vous pouvez écrire, ou demandez les droits d'écriture."
            )
        with path.open("rb") as handle:
            magic = handle.read(16)
        if magic and magic != b"SQLite format 3\x00":
            raise DatabaseError(f"Le fichier « {path} » n'est pas une base de données santeloc (format inconnu).")
    elif not os.access(folder, os.W_OK):
        raise DatabaseError(
            f"Le dossier « {folder} » est en lecture seule : la base de données ne peut pas y être créée."
        )


def _translate(exc: Exception, label: str) -> DatabaseError:
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"La base de données « {label} » est verrouillée par un autre programme "
            "(une autre fenêtre de santeloc ?). Fermez-le puis réessayez."
        )
    if "readonly" in text or "read-only" in text or "read only" in text:
        return DatabaseError(f"La base de données « {label} » est en lecture seule.")
    if "not a database" in text or "malformed" in text:
        return DatabaseError(
            f"Le fichier « {label} » n'est pas une base de données santeloc valide ou il est endommagé."
        )
    if "password authentication" in text or "authentication failed" in text:
        return DatabaseError(f"Le serveur {label} a refusé l'identifiant ou le mot de passe.")
    if "role" in text and "does not exist" in text:
        return DatabaseError(
            f"L'utilisateur indiqué n'existe pas sur le serveur {label}. Vérifiez l'adresse de connexion ou demandez "
            "à l'administrateur de le créer."
        )
    if "does not exist" in text and "database" in text:
        return DatabaseError(f"La base {label} n'existe pas sur le serveur. Demandez à l'administrateur de la créer.")
    if "could not connect" in text or "connection refused" in text or "timeout" in text or "translate host" in text:
        return DatabaseError(
            f"Impossible de joindre le serveur {label}. Vérifiez l'adresse et le réseau, "
            "ou travaillez sur la base locale."
        )
    if "permission denied" in text:
        return DatabaseError(f"Le serveur {label} refuse l'accès : l'utilisateur n'a pas les droits sur cette base.")
    if "no such table" in text or "no such column" in text or "syntax error" in text:
        return DatabaseError(f"La base de données « {label} » n'a pas la structure attendue : elle est endommagée.")
    detail = " ".join(str(getattr(exc, "orig", exc)).split())[:160]
    return DatabaseError(f"Impossible d'ouvrir la base de données « {label} » (détail technique : {detail}).")


def create_db_engine(url: str, *, busy_timeout_s: float = 5.0) -> Engine:
    """Create an engine with the right options for SQLite or PostgreSQL (no connection yet)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"Adresse de base de données invalide : « {url} ».") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                _check_sqlite_file(Path(parsed.database))
            except PermissionError as exc:
                raise DatabaseError(
                    f"Accès refusé à la base de données « {parsed.database} » : vos droits ne permettent pas "
                    "de lire ce fichier ou son dossier."
                ) from exc
        engine = create_engine(url, connect_args={"timeout": busy_timeout_s})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    raise DatabaseError(f"Type de base de données non pris en charge : « {backend} » (SQLite ou PostgreSQL attendu).")


def open_database(url: str, *, busy_timeout_s: float = 5.0) -> Database:
    """Open (and create or upgrade) the database at ``url``.

    Raises :class:`DatabaseError` when the database is locked, read-only, unreachable, not a
    santeloc database, or made by a newer version of santeloc; an older schema is upgraded in
    one transaction, so a failure leaves it as it was.
    """
    engine = create_db_engine(url, busy_timeout_s=busy_timeout_s)
    label = _describe(url)
    try:
        new_file = _new_sqlite_file(url)
        if new_file is not None:
            _create_sqlite(new_file, label)
        with engine.begin() as connection:
            if _current_revision(connection) != HEAD_REVISION:
                _lock_schema(connection)
                # Another santeloc may have created or upgraded it while this one waited.
                if _current_revision(connection) != HEAD_REVISION:
                    from alembic import command

                    _refuse_foreign_or_newer(connection, label)
                    command.upgrade(alembic_config(connection), "head")
    except DatabaseError:
        engine.dispose()
        raise
    except (OperationalError, DBAPIError, sqlite3.Error) as exc:
        engine.dispose()
        raise _translate(exc, label) from exc
    return Database(engine=engine, url=url, label=label)


def _new_sqlite_file(url: str) -> Path | None:
    """The SQLite file ``url`` names when it does not exist yet (it is then created whole)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def _create_sqlite(path: Path, label: str) -> None:
    from santeloc.persistence.sqlite_schema import create_sqlite_file

    try:
        create_sqlite_file(path)
    except OSError as exc:
        raise DatabaseError(
            f"Impossible de créer la base de données « {label} » : {french_reason(exc)}. Aucun fichier n'a été laissé."
        ) from exc
    except sqlite3.Error as exc:
        reason = "le disque est plein" if "full" in str(exc).lower() else f"détail technique : {exc}"
        raise DatabaseError(
            f"Impossible de créer la base de données « {label} » ({reason}). Aucun fichier n'a été laissé."
        ) from exc


# Any fixed number: PostgreSQL's advisory lock that serialises santeloc's schema changes.
_SCHEMA_LOCK_KEY = 5_847_120_028


def _lock_schema(connection: Any) -> None:
    """Hold the schema for this transaction: a second santeloc creating or upgrading the same
    database waits for the first instead of meeting its half-made tables."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK_KEY})"))
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, until the commit


def migrate_with_alembic(url: str) -> None:
    """Bring the database at ``url`` to the head by running every migration (tests, tools)."""
    from alembic import command

    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()


def _current_revision(connection: Any) -> str | None:
    """The schema revision recorded in the database, without loading Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _refuse_foreign_or_newer(connection: Any, label: str) -> None:
    from alembic.script import ScriptDirectory

    current = _current_revision(connection)
    tables = set(inspect(connection).get_table_names())
    if current is None:
        if tables - {"alembic_version"}:
            raise DatabaseError(
                f"La base « {label} » contient déjà des tables qui ne sont pas celles de santeloc : "
                "choisissez une base vide ou une base santeloc."
            )
        return
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise DatabaseError(
            f"La base « {label} » a été créée par une version plus récente de santeloc "
            f"(schéma {current}). Installez la dernière version de santeloc pour l'ouvrir ; "
            "rien n'y a été modifié."
        )
