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
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, select
from sqlmodel import SQLModel, col

from santeloc import __version__
from santeloc.domain.errors import DomainError, ValidationError
from santeloc.domain.models import Project, utcnow
from santeloc.persistence.engine import HEAD_REVISION
from santeloc.persistence.uow import UnitOfWork
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
        handle, temporary = tempfile.mkstemp(prefix=".santeloc-", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ProjectFileError(f"Impossible d'écrire dans « {path.parent} » : {exc.strerror}.") from exc
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            archive.writestr("projet.json", json.dumps(payload, ensure_ascii=False))
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ProjectFileError(
            f"Le fichier « {path.name} » n'a pas pu être écrit ({exc.strerror}) : rien n'a été laissé."
        ) from exc
    return path


def _read_member(archive: zipfile.ZipFile, name: str) -> Any:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise ProjectFileError("Ce fichier projet est anormalement volumineux une fois décompressé : il a été refusé.")
    with archive.open(info) as stream:
        data = stream.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise ProjectFileError("Ce fichier projet est anormalement volumineux une fois décompressé : il a été refusé.")
    return json.loads(data.decode("utf-8"))


def read_project_file(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Check and read a project file; (manifest, rows by table) or a French error."""
    path = Path(path)
    if not path.is_file():
        raise ProjectFileError(f"Le fichier « {path.name} » est introuvable.")
    try:
        if not zipfile.is_zipfile(path):
            raise ProjectFileError(f"« {path.name} » n'est pas un fichier projet santeloc (ou il est tronqué).")
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not set(MEMBERS) <= names:
                raise ProjectFileError(f"« {path.name} » n'est pas un fichier projet santeloc : contenu inattendu.")
            manifest = _read_member(archive, "manifest.json")
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise ProjectFileError(f"« {path.name} » n'est pas un fichier projet santeloc.")
            if (
                int(manifest.get("format_version", 0)) > FORMAT_VERSION
                or str(manifest.get("schema", "")) > HEAD_REVISION
            ):
                raise ProjectFileError(
                    f"« {path.name} » a été créé par une version plus récente de santeloc "
                    f"({manifest.get('application', '?')}). Installez la dernière version pour l'ouvrir ; rien n'a été importé."
                )
            rows = _read_member(archive, "projet.json")
    except (
        zipfile.BadZipFile,
        EOFError,
        KeyError,
        UnicodeDecodeError,
        json.JSONDecodeError,
        ValueError,
        TypeError,
    ) as exc:
        if isinstance(exc, DomainError):
            raise
        raise ProjectFileError(f"« {path.name} » est endommagé ou tronqué : rien n'a été importé.") from exc
    if not isinstance(rows, dict) or not isinstance(rows.get("project"), list) or len(rows["project"]) != 1:
        raise ProjectFileError(f"« {path.name} » est endommagé : il doit contenir exactement un projet.")
    decoders = _decoders()
    known = {table.name for table in SQLModel.metadata.sorted_tables}
    clean: dict[str, list[dict[str, Any]]] = {}
    for table, records in rows.items():
        if table not in known or not isinstance(records, list):
            continue  # a table of a later format version: ignored rather than guessed
        converted = []
        for record in records:
            if not isinstance(record, dict) or not isinstance(record.get("id"), int):
                raise ProjectFileError(f"« {path.name} » est endommagé (ligne illisible dans « {table} »).")
            for column, kind in decoders.get(table, {}).items():
                value = record.get(column)
                if isinstance(value, str):
                    try:
                        record[column] = (
                            datetime.fromisoformat(value) if kind is datetime else date.fromisoformat(value)
                        )
                    except ValueError:
                        raise ProjectFileError(
                            f"« {path.name} » est endommagé (date illisible : « {value} »)."
                        ) from None
            converted.append(record)
        clean[table] = converted
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
        except ValidationError as exc:
            raise ProjectFileError(f"« {Path(path).name} » : {exc.message} Rien n'a été importé.") from exc
        uow.commit()
    return get_project(uow, new_id)
