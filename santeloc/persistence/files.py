"""Writing user files safely: to a temporary file beside the destination, then renamed over it.

Shared by the exports (dossiers, workbook) and the services that write files (the survey's
entry sheet and printable questionnaire), so a failed or cancelled write never leaves half a
file, and a full disk or a read-only folder always gets the same French message.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import socket
import sys
import tempfile
import time
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
    return kind(f"Impossible d'écrire « {name} » dans « {folder} » : {french_reason(error)}.")


_REASONS = {
    errno.EACCES: "droits insuffisants",
    errno.EPERM: "opération non permise",
    errno.EROFS: "le disque est en lecture seule",
    errno.ENOSPC: "le disque est plein",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EEXIST: "le fichier existe déjà",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EBUSY: "le fichier est occupé par un autre programme",
    errno.EIO: "erreur de lecture ou d'écriture sur le disque",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.EXDEV: "déplacement impossible d'un disque à un autre",
    errno.EINVAL: "nom ou paramètre invalide",
}


def french_reason(error: OSError) -> str:
    """Why a file operation failed, in French (never the system's English text)."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    if getattr(errno, "EDQUOT", None) == error.errno:
        return "quota de disque dépassé"
    return f"erreur système n° {error.errno}" if error.errno else "erreur système"


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


_FILE_MODE = 0o666 & ~_umask()  # what a plain open() would give (mkstemp makes 0600 files)


# --- leftovers of a killed export -------------------------------------------------------------

_HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_OWNED = re.compile(r"^\.~?santeloc-(?:export-)?(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-")
_OURS = re.compile(r"^\.(?:~santeloc-|santeloc-export-|santeloc-.*\.tmp$)")
FOREIGN_LEFTOVER_AGE_S = 24 * 3600
"""Age past which a leftover of another computer (a shared network folder) is removed."""
ANONYMOUS_LEFTOVER_AGE_S = 3600
"""Age past which a leftover of an older version of santeloc (no owner in its name) is removed."""


def owned_prefix(kind: str = "") -> str:
    """Prefix of a temporary file or staging folder that names its owner (computer, process).

    ``.~santeloc-<host>-<pid>-`` for a file, ``.santeloc-export-<host>-<pid>-`` for a staging
    folder: :func:`clean_leftovers` knows from the name whether its owner still runs.
    """
    return f".{kind or '~santeloc-'}{_HOST}-{os.getpid()}-"


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - no os.kill(pid, 0) probe there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, under another user
        return True
    return True


def _is_leftover(path: Path, now: float) -> bool:
    try:
        age = now - path.lstat().st_mtime
    except OSError:
        return False
    owned = _OWNED.match(path.name)
    if owned is None:
        return age > ANONYMOUS_LEFTOVER_AGE_S
    if owned["host"] != _HOST:
        return age > FOREIGN_LEFTOVER_AGE_S
    return not _process_alive(int(owned["pid"]))


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove the staging folders and temporary files a killed export left in ``folder``.

    Only santeloc's own hidden names are considered, and only when their owner is gone: a
    process of this computer that no longer runs, or a file older than a day from another
    computer (or an hour, from a version that did not name its owner). Returns what was removed;
    never raises (a folder that cannot be read or cleaned is left as it is).
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for path in entries:
        if not _OURS.match(path.name) or not _is_leftover(path, now):
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def write_atomically(
    destination: Path, write: Callable[[Path], object], kind: type[DomainError] = FileWriteError
) -> Path:
    """Call ``write(temporary_path)``, then rename the temporary file over ``destination``.

    The temporary file sits in the destination folder (so the rename is atomic); it is removed
    on any error. Write failures become ``kind`` errors with a French message.
    """
    destination = Path(destination)
    clean_leftovers(destination.parent)  # what an export killed earlier left in this folder
    try:
        handle, name = tempfile.mkstemp(prefix=owned_prefix(), suffix=destination.suffix, dir=destination.parent)
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
