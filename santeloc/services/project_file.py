"""A whole project in one file (.santeloc), to share work between colleagues offline.

The file is a zip holding ``manifest.json`` (format, versions, counts) and ``projet.json``
(every row of the project, table by table). Nothing is ever extracted to disk: the two
members are read in memory, after checking their declared and real sizes, so a crafted
archive (paths escaping the folder, a decompression bomb) can do no harm. Importing creates
a new project (a copy when the name exists) in one transaction.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel, col

from santeloc import __version__
from santeloc.domain.errors import DomainError, ValidationError
from santeloc.domain.models import Project, utcnow
from santeloc.persistence.engine import HEAD_REVISION, known_revisions
from santeloc.persistence.files import clean_leftovers, french_reason, owned_prefix
from santeloc.persistence.uow import UnitOfWork
from santeloc.services.project_file_checks import check_rows
from santeloc.services.projects import (
    ProjectInfo,
    _free_copy_name,
    clean_name,
    get_project,
    insert_project_rows,
    read_project_rows,
)

FORMAT = "santeloc-projet"
FORMAT_VERSION = 1
EXTENSION = ".santeloc"
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # far above a real project (a 100 000-row import is ~40 MB)
MEMBERS = ("manifest.json", "projet.json")


class ProjectFileError(DomainError):
    """A project file that cannot be written or read, with a French message."""


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decoders() -> dict[str, dict[str, type]]:
    """Per table, the columns that hold dates or datetimes (JSON has no such types)."""
    result: dict[str, dict[str, type]] = {}
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            kind = getattr(column.type, "impl", column.type)  # UTCDateTime decorates DateTime
            if isinstance(kind, DateTime):
                result.setdefault(table.name, {})[column.name] = datetime
            elif isinstance(kind, Date):
                result.setdefault(table.name, {})[column.name] = date
    return result


def export_project(uow: UnitOfWork, project_id: int, path: Path) -> Path:
    """Write a project to one file; written to a temporary file first, then renamed."""
    info = get_project(uow, project_id)
    with uow:
        rows = read_project_rows(uow, project_id)
    payload = {name: [{k: _encode(v) for k, v in row.items()} for row in table] for name, table in rows.items()}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": HEAD_REVISION,
        "application": f"santeloc {__version__}",
        "exported_at": utcnow().isoformat(),
        "project": info.name,
        "rows": {name: len(table) for name, table in rows.items() if table},
    }
    path = Path(path)
    if path.suffix != EXTENSION:
        path = path.with_name(path.name + EXTENSION)
    try:
        clean_leftovers(path.parent)
        handle, temporary = tempfile.mkstemp(prefix=owned_prefix("santeloc-"), suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ProjectFileError(f"Impossible d'écrire dans « {path.parent} » : {french_reason(exc)}.") from exc
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            archive.writestr("projet.json", json.dumps(payload, ensure_ascii=False))
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ProjectFileError(
            f"Le fichier « {path.name} » n'a pas pu être écrit ({french_reason(exc)}) : rien n'a été laissé."
        ) from exc
    return path


def _read_member(archive: zipfile.ZipFile, name: str) -> Any:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise ProjectFileError(
            "Ce fichier projet est anormalement volumineux une fois décompressé : il a été refusé. Rien n'a été importé."
        )
    with archive.open(info) as stream:
        data = stream.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise ProjectFileError(
            "Ce fichier projet est anormalement volumineux une fois décompressé : il a été refusé. Rien n'a été importé."
        )
    return json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"JSON constant {name} is not allowed")  # NaN, Infinity: not numbers a project holds


def _check_manifest(manifest: dict[str, Any], file_name: str) -> None:
    version = manifest.get("format_version")
    schema = manifest.get("schema", "")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProjectFileError(
            f"« {file_name} » est endommagé : version du format illisible "
            f"(champ « format_version » : « {str(version)[:40]} »). Rien n'a été importé."
        )
    if not isinstance(schema, str):
        raise ProjectFileError(
            f"« {file_name} » est endommagé : version du schéma illisible "
            f"(champ « schema » : « {str(schema)[:40]} »). Rien n'a été importé."
        )
    # Revision ids are names, not ordered numbers: a schema this version does not know is newer.
    if version > FORMAT_VERSION or len(schema) > 64 or (schema and schema not in known_revisions()):
        application = str(manifest.get("application", "?"))[:80]
        raise ProjectFileError(
            f"« {file_name} » a été créé par une version plus récente de santeloc "
            f"({application}). Installez la dernière version pour l'ouvrir ; rien n'a été importé."
        )


def read_project_file(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Check and read a project file; (manifest, rows by table) or a French error."""
    path = Path(path)
    if not path.is_file():
        raise ProjectFileError(f"Le fichier « {path.name} » est introuvable. Rien n'a été importé.")
    try:
        if not zipfile.is_zipfile(path):
            raise ProjectFileError(
                f"« {path.name} » n'est pas un fichier projet santeloc (ou il est tronqué). Rien n'a été importé."
            )
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not set(MEMBERS) <= names:
                raise ProjectFileError(
                    f"« {path.name} » n'est pas un fichier projet santeloc : contenu inattendu. Rien n'a été importé."
                )
            manifest = _read_member(archive, "manifest.json")
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise ProjectFileError(f"« {path.name} » n'est pas un fichier projet santeloc. Rien n'a été importé.")
            _check_manifest(manifest, path.name)
            rows = _read_member(archive, "projet.json")
    except RecursionError as exc:  # JSON nested thousands of levels deep
        raise ProjectFileError(
            f"« {path.name} » est endommagé : ses données sont imbriquées trop profondément. Rien n'a été importé."
        ) from exc
    except DomainError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        KeyError,
        UnicodeDecodeError,
        json.JSONDecodeError,
        ValueError,
        TypeError,
        OverflowError,
        NotImplementedError,  # an unknown compression method
        RuntimeError,  # an encrypted member
        OSError,  # zlib.error is not one, but a truncated member read can be
        zlib.error,
    ) as exc:
        raise ProjectFileError(f"« {path.name} » est endommagé ou tronqué : rien n'a été importé.") from exc
    if not isinstance(rows, dict) or not isinstance(rows.get("project"), list) or len(rows["project"]) != 1:
        raise ProjectFileError(
            f"« {path.name} » est endommagé : il doit contenir exactement un projet. Rien n'a été importé."
        )
    decoders = _decoders()
    known = {table.name for table in SQLModel.metadata.sorted_tables}
    clean: dict[str, list[dict[str, Any]]] = {}
    for table, records in rows.items():
        if table not in known or not isinstance(records, list):
            continue  # a table of a later format version: ignored rather than guessed
        converted = []
        for record in records:
            if not isinstance(record, dict) or not isinstance(record.get("id"), int):
                raise ProjectFileError(
                    f"« {path.name} » est endommagé (ligne illisible dans « {table} »). Rien n'a été importé."
                )
            for column, kind in decoders.get(table, {}).items():
                value = record.get(column)
                if isinstance(value, str):
                    try:
                        record[column] = (
                            datetime.fromisoformat(value) if kind is datetime else date.fromisoformat(value)
                        )
                    except ValueError:
                        raise ProjectFileError(
                            f"« {path.name} » est endommagé (table « {table} », champ « {column} » : "
                            f"date illisible « {value[:40]} »). Rien n'a été importé."
                        ) from None
            converted.append(record)
        clean[table] = converted
    try:
        check_rows(clean)
    except ValidationError as exc:
        raise ProjectFileError(f"« {path.name} » est refusé : {exc.message} Rien n'a été importé.") from exc
    return manifest, clean


def import_project(uow: UnitOfWork, path: Path, *, name: str | None = None) -> ProjectInfo:
    """Import a project file as a new project (named « … (copie) » when the name is taken)."""
    manifest, rows = read_project_file(path)
    wanted = clean_name(name or str(rows["project"][0].get("name") or manifest.get("project") or "Projet importé"))
    with uow:
        taken = {n.lower() for n in uow.session.execute(select(col(Project.name))).scalars()}
        final = wanted if wanted.lower() not in taken else _free_copy_name(uow, wanted)
        try:
            new_id = insert_project_rows(uow, rows, {"name": final, "is_demo": False})
            uow.commit()
        except ValidationError as exc:
            raise ProjectFileError(f"« {Path(path).name} » : {exc.message} Rien n'a été importé.") from exc
        except DBAPIError as exc:  # a duplicate the checks could not see: rolled back
            raise ProjectFileError(
                f"« {Path(path).name} » contient des données incohérentes (doublon ou valeur refusée par la base) : "
                "rien n'a été importé."
            ) from exc
    return get_project(uow, new_id)
