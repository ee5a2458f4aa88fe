"""A new SQLite database is created from the head schema's SQL, not by replaying migrations.

Replaying the nine Alembic migrations on a new file imports Alembic and runs each step
(about 0,4 s of a first start that should cost no more than a normal one). The head schema's
``CREATE`` statements are kept in ``migrations/sqlite_head.sql``; a new database is written
under a temporary name next to its final place and linked there only once complete, so that

- two santeloc started at once on the same new file both succeed (the second to finish finds
  the file there and uses it);
- a creation that fails (full disk, read-only folder) leaves no file behind.

``tests/test_static.py`` checks that the SQL is exactly what the migrations produce; after a
new migration, regenerate it with ``python -m santeloc.persistence.sqlite_schema``.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

HEAD_SQL = Path(__file__).with_name("migrations") / "sqlite_head.sql"


def schema_statements(connection: sqlite3.Connection) -> list[str]:
    """The database's schema as SQL statements, in creation order, with its Alembic revision."""
    rows = connection.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
    ).fetchall()
    statements = [str(sql) for (sql,) in rows]
    revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    statements += [f"INSERT INTO alembic_version (version_num) VALUES ('{rev}')" for (rev,) in revisions]
    return statements


def create_sqlite_file(path: Path) -> None:
    """Create the database at ``path`` at the head schema, all at once or not at all.

    Raises ``OSError`` or ``sqlite3.Error`` when it cannot; nothing is left behind then. When
    another process created ``path`` meanwhile, its file is kept and used.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.creation")
    try:
        connection = sqlite3.connect(partial, isolation_level=None)
        try:
            connection.execute("BEGIN")
            for statement in HEAD_SQL.read_text(encoding="utf-8").split(";\n"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute("COMMIT")
        finally:
            connection.close()
        try:
            os.link(partial, path)  # atomic, and never replaces a database created meanwhile
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(partial, path)
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)


def write_head_sql(database: Path) -> None:
    """Write ``sqlite_head.sql`` from a database migrated to the head by Alembic."""
    connection = sqlite3.connect(database)
    try:
        HEAD_SQL.write_text(";\n".join(schema_statements(connection)) + ";\n", encoding="utf-8")
    finally:
        connection.close()


if __name__ == "__main__":
    import tempfile

    from santeloc.persistence.engine import migrate_with_alembic

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "head.db"
        migrate_with_alembic(f"sqlite:///{target}")
        write_head_sql(target)
    print(f"Écrit : {HEAD_SQL}")
