"""Shared fixtures: real databases (a SQLite file, a PostgreSQL database), reference data.

The ``database`` fixture is parametrised over both backends, so every integration test runs
against SQLite and PostgreSQL. PostgreSQL comes from ``SANTELOC_TEST_PG_URL`` (set by
``test.sh``, which starts a throwaway server); under CI its absence is an error, not a skip.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator

import pytest

# Before anything imports Qt or reads the user's folders.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_session_home = tempfile.mkdtemp(prefix="santeloc-tests-")
os.environ["SANTELOC_DATA_DIR"] = os.path.join(_session_home, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_session_home, "config")
os.environ.pop("SANTELOC_DATABASE_URL", None)

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from santeloc.persistence.engine import Database, open_database  # noqa: E402
from santeloc.persistence.uow import UnitOfWork  # noqa: E402
from santeloc.refdata.geo import RefData, load_refdata  # noqa: E402

PG_URL = os.environ.get("SANTELOC_TEST_PG_URL", "")
_TEMPLATE = f"santeloc_tpl_{os.getpid()}"


def pytest_configure(config: pytest.Config) -> None:
    """Under CI, the PostgreSQL half of the suite must run."""
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI : SANTELOC_TEST_PG_URL manque, la moitié PostgreSQL des tests ne tournerait pas.")


@pytest.fixture(scope="session")
def refdata() -> RefData:
    """The shipped reference data (real files)."""
    return load_refdata()


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[object]:
    """An autocommit engine on the test server, with a migrated template database."""
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}"'))
        conn.execute(text(f'CREATE DATABASE "{_TEMPLATE}"'))
    template = open_database(str(make_url(PG_URL).set(database=_TEMPLATE)))
    template.dispose()
    yield engine
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}"'))
    engine.dispose()


def new_pg_database(admin: object) -> str:
    """A fresh, migrated PostgreSQL database copied from the template; returns its URL."""
    name = f"santeloc_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:  # type: ignore[attr-defined]
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE}"'))
    return str(make_url(PG_URL).set(database=name))


def drop_pg_database(admin: object, url: str) -> None:
    """Drop a test database, closing whatever still uses it."""
    name = make_url(url).database
    with admin.connect() as conn:  # type: ignore[attr-defined]
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="SANTELOC_TEST_PG_URL non défini")],
    ),
]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """URL of an empty database: a SQLite file under tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/santeloc.db"
        return
    admin = request.getfixturevalue("pg_admin")
    url = new_pg_database(admin)
    yield url
    drop_pg_database(admin, url)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An opened, migrated database on each backend."""
    db = open_database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def uow(database: Database) -> UnitOfWork:
    """A unit of work on the test database (reusable: each ``with`` opens a new session)."""
    return UnitOfWork(database)


@pytest.fixture
def sqlite_database(tmp_path: object) -> Iterator[Database]:
    """A SQLite database file only (GUI tests)."""
    db = open_database(f"sqlite:///{tmp_path}/santeloc.db")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's soffice: skipped without it, except under CI where it must be there."""
    from santeloc.exports import pdf

    found = pdf.find_soffice()
    if found is None:
        message = (
            "LibreOffice (soffice) est introuvable : installez libreoffice-writer-nogui et libreoffice-calc-nogui "
            "(scripts/setup.sh --test)."
        )
        if os.environ.get("CI"):
            pytest.fail("CI : " + message)
        pytest.skip(message)
    return found
