"""Writes tests/data/santeloc-<version>.sqlite: a database as this version leaves it (with the demo).

Run once per release and commit the file; tests open every such file with the current code,
which proves that a database made by an older version opens in a newer one.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from santeloc import __version__
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services.demo import create_demo_project

target = Path(__file__).resolve().parents[1] / "tests" / "data" / f"santeloc-{__version__}.sqlite"
if target.exists():
    sys.exit(f"{target} exists already: fixtures of released versions are never rewritten.")
database = open_database(f"sqlite:///{target}")
create_demo_project(UnitOfWork(database))
database.dispose()
with sqlite3.connect(target) as conn:  # fold the WAL into the file so it is self-contained
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
print(f"écrit : {target}")
