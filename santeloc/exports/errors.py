"""The export error and the atomic write every document shares, without the Word or Excel libraries.

Kept apart from :mod:`santeloc.exports.word` so that what only needs to name the error or write
a file (the PDF converter, the dossiers page) does not load python-docx and docxtpl.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from santeloc.domain.errors import DomainError
from santeloc.persistence import files


class ExportError(DomainError):
    """A document could not be produced or written (message in French, ready to show)."""


def write_failure(error: OSError, destination: Path) -> DomainError:
    """The French message for a failed write of ``destination`` (read-only, full disk…)."""
    return files.write_failure(error, destination, ExportError)


def write_atomically(destination: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file renamed over ``destination``; failures are ExportError."""
    return files.write_atomically(destination, write, ExportError)
