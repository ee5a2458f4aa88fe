"""Writing user files safely: to a temporary file beside the destination, then renamed over it.

Shared by the exports (dossiers, workbook) and the services that write files (the survey's
entry sheet and printable questionnaire), so a failed or cancelled write never leaves half a
file, and a full disk or a read-only folder always gets the same French message.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from santeloc.domain.errors import DomainError, ValidationError


class FileWriteError(ValidationError):
    """A file could not be written (read-only folder, full disk…); nothing was left behind."""


def write_failure(error: OSError, destination: Path, kind: type[DomainError] = FileWriteError) -> DomainError:
    """The French message for a failed write of ``destination``, as a ``kind`` error."""
    folder = destination.parent
    name = destination.name
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return kind(
            f"Le dossier « {folder} » est en lecture seule : « {name} » n'a pas pu y être écrit. "
            "Choisissez un autre dossier (par exemple dans vos Documents)."
        )
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return kind(
            f"Le disque est plein : « {name} » n'a pas pu être écrit dans « {folder} ». "
            "Libérez de la place ou choisissez un autre dossier ; aucun fichier incomplet n'a été laissé."
        )
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return kind(f"Le dossier « {folder} » n'existe pas (ou plus) : choisissez un autre dossier.")
    reason = error.strerror or str(error)
    return kind(f"Impossible d'écrire « {name} » dans « {folder} » : {reason}.")


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


_FILE_MODE = 0o666 & ~_umask()  # what a plain open() would give (mkstemp makes 0600 files)


def write_atomically(
    destination: Path, write: Callable[[Path], object], kind: type[DomainError] = FileWriteError
) -> Path:
    """Call ``write(temporary_path)``, then rename the temporary file over ``destination``.

    The temporary file sits in the destination folder (so the rename is atomic); it is removed
    on any error. Write failures become ``kind`` errors with a French message.
    """
    destination = Path(destination)
    try:
        handle, name = tempfile.mkstemp(prefix=".~santeloc-", suffix=destination.suffix, dir=destination.parent)
    except OSError as error:
        raise write_failure(error, destination, kind) from error
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        if sys.platform != "win32":
            os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, destination)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise write_failure(error, destination, kind) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return destination
