"""Writes a new Alembic migration from the difference between the models and the current schema.

    .venv/bin/python scripts/new_migration.py "add opening hours to projects"

Then read the generated file, and set HEAD_REVISION in santeloc/persistence/engine.py.
"""

from __future__ import annotations

import sys
import tempfile

from alembic import command

from santeloc.persistence.engine import HEAD_REVISION, alembic_config, open_database

if len(sys.argv) != 2:
    sys.exit(__doc__)
with tempfile.TemporaryDirectory() as folder:
    database = open_database(f"sqlite:///{folder}/head.db")  # a database at the current head
    with database.engine.begin() as connection:
        # Sequential ids (0001, 0002…) so that the order of migrations reads at a glance.
        rev_id = f"{int(HEAD_REVISION) + 1:04d}"
        command.revision(alembic_config(connection), message=sys.argv[1], autogenerate=True, rev_id=rev_id)
    database.dispose()
