"""Messages stay French: no system or server text in English reaches the user for the usual failures."""

from __future__ import annotations

import errno
import json
import os
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from santeloc.domain.errors import ConflictError, DatabaseError, DomainError
from santeloc.persistence.engine import open_database
from santeloc.persistence.files import FileWriteError, french_reason, write_atomically
from santeloc.persistence.uow import translate_error
from santeloc.services import project_file
from tests.conftest import PG_URL

ENGLISH = ("Read-only file system", "No space", "Permission denied", "Input/output", "FATAL", "UNIQUE constraint",
           "violates", "does not exist", "No such file")  # fmt: skip


@pytest.mark.parametrize("code", [errno.EIO, errno.EACCES, errno.EROFS, errno.ENOSPC, errno.ENAMETOOLONG, errno.EBUSY])
def test_file_write_failures_are_french(tmp_path: Path, code: int) -> None:
    def fail(_temporary: Path) -> None:
        raise OSError(code, os.strerror(code))

    with pytest.raises(FileWriteError) as caught:
        write_atomically(tmp_path / "plan.xlsx", fail)
    assert not any(words in caught.value.message for words in ENGLISH), caught.value.message
    assert french_reason(OSError(code, "x")) != "x"


@pytest.mark.parametrize(
    ("orig", "words"),
    [
        ("UNIQUE constraint failed: funder.project_id, funder.code", "existe déjà"),
        ('duplicate key value violates unique constraint "uq_funder_code"', "existe déjà"),
        ("FOREIGN KEY constraint failed", "supprimé entre-temps"),
        ('null value in column "label" violates not-null constraint', "obligatoire"),
    ],
)
def test_constraint_violations_are_explained_in_french(orig: str, words: str) -> None:
    error = translate_error(IntegrityError("INSERT …", {}, Exception(orig)), "base")
    assert isinstance(error, ConflictError) and words in error.message
    assert not any(english in error.message for english in ENGLISH), error.message


def test_a_lost_server_is_said_in_french() -> None:
    error = translate_error(OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly")),
                            "PostgreSQL serveur:5432/santeloc")  # fmt: skip
    assert isinstance(error, DatabaseError) and "connexion au serveur" in error.message


@pytest.mark.skipif(not PG_URL, reason="SANTELOC_TEST_PG_URL non défini")
@pytest.mark.postgres
def test_an_unknown_postgresql_role_is_said_in_french() -> None:
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL).set(username="personne_inconnue")
    with pytest.raises(DatabaseError) as caught:
        open_database(url.render_as_string(hide_password=False))
    assert "L'utilisateur indiqué n'existe pas" in caught.value.message
    assert "FATAL" not in caught.value.message


def test_a_project_file_of_an_unknown_schema_is_said_newer(tmp_path: Path) -> None:
    path = tmp_path / "futur.santeloc"
    manifest = {"format": project_file.FORMAT, "format_version": 1, "schema": "0042_futur", "application": "santeloc 9"}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("projet.json", json.dumps({"project": []}))
    with pytest.raises(DomainError, match="version plus récente de santeloc"):
        project_file.read_project_file(path)
    manifest["schema"] = "0003"  # an older schema this version knows: read on
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("projet.json", json.dumps({"project": []}))
    with pytest.raises(DomainError, match="exactement un projet"):
        project_file.read_project_file(path)
