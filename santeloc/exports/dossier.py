"""The whole dossier of a project in one call: Word documents, workbook, PDFs, a zip.

Everything is produced in a hidden staging folder inside the destination, then moved into
place once complete; on cancellation (``progress`` returning False) or on error, the staging
folder is removed and the destination is left as it was.
"""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from santeloc.domain.errors import DomainError, ValidationError
from santeloc.exports import pdf as pdf_export
from santeloc.exports.context import (
    ChartSet,
    compte_rendu_context,
    deliberation_context,
    diagnostic_context,
    dossier_review,
    projet_sante_context,
    subvention_context,
    subvention_funders,
)
from santeloc.exports.documents import DOCUMENTS
from santeloc.exports.errors import ExportError, write_atomically, write_failure
from santeloc.exports.excel import load_registry, write_workbook
from santeloc.exports.word import find_template, render_document, render_named
from santeloc.persistence.files import clean_leftovers, owned_prefix
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import meetings as meetings_svc

Progress = Callable[[int, int, str], bool]
"""``progress(done, total, what)``: called before each step; returning False cancels."""


ALL_DOCUMENTS = frozenset(DOCUMENTS)

FILE_NAMES = {
    "diagnostic": "diagnostic-local-de-sante.docx",
    "deliberation": "deliberation.docx",
    "projet_sante": "projet-de-sante.docx",
    "classeur": "plan-de-financement.xlsx",
    "zip": "dossier-complet.zip",
}

EXTRA_TEMPLATE_FILES: dict[str, str] = {
    "projet_sante": "projet_sante.docx",
    "compte_rendu": "compte_rendu.docx",
}
"""Word templates of the dossier not (yet) listed in :data:`santeloc.exports.word.TEMPLATE_FILES`."""

CHARTS_BY_DOCUMENT: dict[str, tuple[str, ...]] = {
    "diagnostic": ("carte", "pyramide", "comparaison", "significativite"),
    "subventions": ("carte", "ressources", "emprunt"),
}
CHART_LABELS = {
    "carte": "Carte du territoire",
    "pyramide": "Pyramide des âges",
    "comparaison": "Graphique de comparaison des indicateurs",
    "significativite": "Graphique de significativité des écarts",
    "ressources": "Graphique des ressources par financeur",
    "emprunt": "Graphique de l'échéancier de l'emprunt",
}


class ExportCancelledError(DomainError):
    """The user cancelled the export: nothing was written."""


def subvention_file_name(funder_code: str, name: str = "") -> str:
    """``demande-de-subvention-Departement.docx``: the funder's display name (its short form when it
    has one in brackets, « DETR »), accents dropped so every file system and mail client keeps it."""
    import unicodedata

    shown = name.strip() or funder_code
    bracket = re.search(r"\(([^()]+)\)\s*$", shown)
    if bracket:
        shown = bracket.group(1)
    elif " — " in shown:
        shown = shown.split(" — ", 1)[0]
    plain = "".join(c for c in unicodedata.normalize("NFD", shown) if not unicodedata.combining(c))
    safe = re.sub(r"[^A-Za-z0-9_]+", "-", plain).strip("-") or "financeur"
    return f"demande-de-subvention-{safe}.docx"


def compte_rendu_file_name(meeting: meetings_svc.MeetingRow) -> str:
    """``compte-rendu-2026-03-12-7.docx``: the meeting's date, then its id (two meetings a day stay apart)."""
    return f"compte-rendu-{meeting.held_on.isoformat()}-{meeting.id}.docx"


def render_extra(key: str, context: dict[str, object], destination: Path) -> Path:
    """Render one of :data:`EXTRA_TEMPLATE_FILES` (the user's copy first, as :func:`render_named`)."""
    return render_document(find_template(EXTRA_TEMPLATE_FILES[key]), context, destination)


def _zip(files: list[Path], destination: Path) -> Path:
    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for path in files:
                archive.write(path, arcname=path.name)

    return write_atomically(destination, write)


def export_dossier(
    uow: UnitOfWork,
    project_id: int,
    refdata: RefData,
    folder: Path,
    documents: set[str] | frozenset[str],
    pdf: bool,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> list[Path]:
    """Produce the chosen documents of a project into ``folder``; returns the files written.

    ``documents`` is a subset of :data:`DOCUMENTS`: ``"subventions"`` gives one grant
    application per funder of the reference plan; ``"zip"`` adds an archive of everything
    produced. With ``pdf``, each Word and Excel file also gets its PDF (LibreOffice).

    Raises :class:`ExportCancelledError` when ``progress`` returns False (nothing is left behind),
    :class:`~santeloc.exports.errors.ExportError` / ``TemplateError`` with a French message on
    failure (nothing is left behind either), ``ValidationError`` for an empty choice.
    """
    unknown = set(documents) - ALL_DOCUMENTS
    if unknown:
        raise ValueError(f"unknown documents: {sorted(unknown)}")
    if not set(documents) - {"zip"}:
        raise ValidationError("Choisissez au moins un document à produire.")
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(f"Le dossier « {folder} » n'existe pas : choisissez un dossier existant.")
    if pdf and not pdf_export.is_available():
        raise ExportError(pdf_export.MISSING_MESSAGE)

    def report(done: int, total: int, what: str) -> None:
        if progress is not None and not progress(done, total, what):
            raise ExportCancelledError("Export annulé : aucun fichier n'a été écrit.")

    report(0, 1, "Lecture du projet")
    charts = ChartSet.load(uow, project_id, refdata, today=today)
    funders = subvention_funders(uow, project_id, refdata, charts) if "subventions" in documents else []
    meetings = meetings_svc.list_meetings(uow, project_id) if "comptes_rendus" in documents else []

    def chart(key: str, _stage: Path) -> list[Path]:
        charts.png(key)  # ahead of the documents that show it: keeps cancelling responsive
        return []

    def diagnostic(stage: Path) -> list[Path]:
        context = diagnostic_context(uow, project_id, refdata, charts)
        return [render_named("diagnostic", context, stage / FILE_NAMES["diagnostic"])]

    names = dict(funders)

    def subvention(code: str, stage: Path) -> list[Path]:
        context = subvention_context(uow, project_id, code, refdata, charts)
        return [render_named("subvention", context, stage / subvention_file_name(code, names.get(code, "")))]

    def deliberation(stage: Path) -> list[Path]:
        context = deliberation_context(uow, project_id, refdata, charts)
        return [render_named("deliberation", context, stage / FILE_NAMES["deliberation"])]

    def projet_sante(stage: Path) -> list[Path]:
        context = projet_sante_context(uow, project_id, refdata, charts)
        return [render_extra("projet_sante", context, stage / FILE_NAMES["projet_sante"])]

    def compte_rendu(meeting: meetings_svc.MeetingRow, stage: Path) -> list[Path]:
        context = compte_rendu_context(uow, project_id, meeting.id, refdata, charts)
        return [render_extra("compte_rendu", context, stage / compte_rendu_file_name(meeting))]

    def workbook(stage: Path) -> list[Path]:
        destination = stage / FILE_NAMES["classeur"]
        write_workbook(
            charts.data,
            destination,
            load_registry(uow, project_id, refdata),
            incomplete=not dossier_review(uow, charts).is_complete("classeur"),
        )
        return [destination]

    steps: list[tuple[str, Callable[[Path], list[Path]]]] = []
    wanted_charts = [key for doc in sorted(documents) for key in CHARTS_BY_DOCUMENT.get(doc, ())]
    for key in dict.fromkeys(wanted_charts):
        if charts.available(key):
            steps.append((CHART_LABELS[key], functools.partial(chart, key)))
    if "diagnostic" in documents:
        steps.append(("Diagnostic local de santé", diagnostic))
    for code, name in funders:
        steps.append((f"Demande de subvention — {name}", functools.partial(subvention, code)))
    if "deliberation" in documents:
        steps.append(("Modèle de délibération", deliberation))
    if "projet_sante" in documents:
        steps.append(("Projet de santé", projet_sante))
    for meeting in meetings:
        steps.append((f"Compte rendu — {meeting.display_title}", functools.partial(compte_rendu, meeting)))
    if "classeur" in documents:
        steps.append(("Classeur Excel", workbook))

    produced: list[Path] = []
    total = len(steps) + (1 if pdf else 0) + (1 if "zip" in documents else 0) + 1
    try:
        clean_leftovers(folder)  # staging folders of an export killed earlier
        staging = Path(tempfile.mkdtemp(prefix=owned_prefix("santeloc-export-"), dir=folder))
    except OSError as error:
        raise write_failure(error, folder / FILE_NAMES["zip"]) from error
    converter: pdf_export.PdfConverter | None = None
    try:
        if pdf:  # LibreOffice (seconds to start) is launched first and loads while the files are written
            converter = pdf_export.PdfConverter()
        done = 1
        for label, step in steps:
            report(done, total, label)
            produced += step(staging)
            done += 1
        if converter is not None:
            report(done, total, "Conversion en PDF (LibreOffice)")
            produced += converter.convert(list(produced), staging)
            done += 1
        if "zip" in documents:
            report(done, total, "Archive du dossier complet")
            produced.append(_zip(produced, staging / FILE_NAMES["zip"]))
            done += 1
        report(done, total, "Enregistrement des fichiers")
        final = []
        for path in produced:
            target = folder / path.name
            try:
                path.replace(target)
            except OSError as error:
                raise write_failure(error, target) from error
            final.append(target)
        if progress is not None:
            progress(total, total, "Terminé")
        return final
    finally:
        if converter is not None:
            converter.close()
        shutil.rmtree(staging, ignore_errors=True)
