"""PDF of the dossiers with LibreOffice headless, and a recalculation helper for workbooks.

LibreOffice runs with a private profile (``-env:UserInstallation``), so parallel runs and a
LibreOffice the user has open do not clash. The profile carries a small Python macro that,
for each document, updates the indexes (the table of contents of the Word templates) or
recalculates every formula (workbooks), then exports: a plain ``--convert-to pdf`` leaves
the table of contents as the template's placeholder. When the macro cannot run (no Python
scripting in this LibreOffice, e.g. Debian without ``libreoffice-script-provider-python``),
the plain conversion is used instead.

Every failure is an :class:`~santeloc.exports.errors.ExportError` with a French message, and
PDFs are written atomically (nothing is left behind on error, timeout or cancellation).
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from santeloc.exports.errors import ExportError, write_atomically

DEFAULT_TIMEOUT_S = 180.0
ENV_SOFFICE = "SANTELOC_SOFFICE"

MISSING_MESSAGE = (
    "LibreOffice est introuvable : il faut l'installer pour produire les PDF (https://fr.libreoffice.org, "
    "ou le paquet libreoffice-writer et libreoffice-calc sous Linux). Les documents Word et Excel sont, eux, "
    "produits sans LibreOffice : vous pouvez les ouvrir et les enregistrer en PDF depuis Word ou Excel."
)

_MACRO = r'''
"""santeloc: update indexes or recalculate, then export (run inside LibreOffice)."""
import json
import os
import time
import traceback

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def run_jobs(*_args):
    # Started ahead of its documents (PdfConverter): wait for the list of jobs.
    deadline = time.monotonic() + float(os.environ.get("SANTELOC_WAIT_S", "0"))
    while not os.path.exists(os.environ["SANTELOC_JOBS"]) and time.monotonic() < deadline:
        time.sleep(0.02)
    with open(os.environ["SANTELOC_JOBS"], encoding="utf-8") as handle:
        jobs = json.load(handle)
    desktop = XSCRIPTCONTEXT.getDesktop()
    results = []
    for source, target, filter_name in jobs:
        try:
            document = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(source), "_blank", 0, (_prop("Hidden", True), _prop("ReadOnly", True))
            )
            if document is None:
                raise RuntimeError("document illisible")
            try:
                if hasattr(document, "getDocumentIndexes"):
                    indexes = document.getDocumentIndexes()
                    for index in range(indexes.getCount()):
                        indexes.getByIndex(index).update()
                    document.refresh()
                if hasattr(document, "calculateAll"):
                    document.calculateAll()
                document.storeToURL(uno.systemPathToFileUrl(target), (_prop("FilterName", filter_name),))
            finally:
                document.close(True)
            results.append({"source": source, "ok": True})
        except Exception as error:
            results.append({"source": source, "ok": False, "error": str(error), "trace": traceback.format_exc()})
    with open(os.environ["SANTELOC_STATUS"], "w", encoding="utf-8") as handle:
        json.dump(results, handle)


g_exportedScripts = (run_jobs,)
'''

# Recalculate workbooks written by other programs on load (openpyxl stores no cached values),
# and format numbers the French way (1 234,56 €) whatever the machine's locale.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>fr-FR</value></prop></item>
</oor:items>
"""

_PDF_FILTERS = {".docx": "writer_pdf_Export", ".doc": "writer_pdf_Export", ".odt": "writer_pdf_Export",
                ".xlsx": "calc_pdf_Export", ".xls": "calc_pdf_Export", ".ods": "calc_pdf_Export"}  # fmt: skip
XLSX_FILTER = "Calc MS Excel 2007 XML"
_MACRO_URL = "vnd.sun.star.script:santeloc_export.py$run_jobs?language=Python&location=user"


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice``: ``SANTELOC_SOFFICE``, the PATH, then usual places."""
    override = os.environ.get(ENV_SOFFICE)
    if override:
        return override if Path(override).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates: list[Path] = []
    if sys.platform == "win32":
        for base in (os.environ.get("PROGRAMFILES", r"C:\Program Files"), os.environ.get("PROGRAMFILES(X86)", "")):
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    else:
        candidates += [Path("/usr/lib/libreoffice/program/soffice"), Path("/opt/libreoffice/program/soffice")]
    return next((str(c) for c in candidates if c.is_file()), None)


def is_available() -> bool:
    """Whether PDFs can be produced on this machine."""
    return find_soffice() is not None


# --- the private profile ----------------------------------------------------------------------

_lock = threading.Lock()
_profile: Path | None = None


def _profile_dir() -> Path:
    """This process's LibreOffice profile (created once, removed at exit), with the macro."""
    global _profile
    if _profile is None:
        root = Path(tempfile.mkdtemp(prefix="santeloc-lo-"))
        scripts = root / "user" / "Scripts" / "python"
        scripts.mkdir(parents=True)
        (scripts / "santeloc_export.py").write_text(_MACRO, encoding="utf-8")
        (root / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        atexit.register(shutil.rmtree, root, True)
        _profile = root
    return _profile


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if sys.platform != "win32":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _start(arguments: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Launch LibreOffice on this process's profile (the caller holds ``_lock``)."""
    soffice = find_soffice()
    if soffice is None:
        raise ExportError(MISSING_MESSAGE)
    command = [soffice, f"-env:UserInstallation={_profile_dir().as_uri()}", "--headless", "--norestore",
               "--nologo", "--nolockcheck", *arguments]  # fmt: skip
    try:
        return subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=sys.platform != "win32",
        )
    except OSError as error:
        raise ExportError(f"LibreOffice n'a pas pu être lancé ({soffice}) : {error.strerror or error}.") from error


def _finish(process: subprocess.Popen[bytes], timeout: float) -> tuple[int, str]:
    """Wait for LibreOffice to end (killed after ``timeout`` seconds)."""
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise ExportError(
            f"LibreOffice n'a pas terminé la conversion en {timeout:.0f} secondes : elle a été interrompue. "
            "Fermez les fenêtres de LibreOffice restées ouvertes et réessayez."
        ) from None
    return process.returncode, output.decode("utf-8", "replace")


def _run(arguments: list[str], timeout: float, env: dict[str, str] | None = None) -> tuple[int, str]:
    return _finish(_start(arguments, env), timeout)


def _convert_jobs(jobs: Sequence[tuple[Path, Path, str]], timeout: float) -> None:
    """Run ``(source, target, filter)`` jobs in one LibreOffice; targets appear only on success."""
    work = Path(tempfile.mkdtemp(prefix="santeloc-conv-"))
    try:
        staged = _staged(jobs, work)
        with _lock:
            results = _run_macro(staged, work, timeout)
            if results is None:
                _run_plain(staged, work, timeout)
        _collect(jobs, staged, results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _staged(jobs: Sequence[tuple[Path, Path, str]], work: Path) -> list[tuple[Path, Path, str]]:
    return [(source, work / f"{index}{target.suffix}", filter_name)
            for index, (source, target, filter_name) in enumerate(jobs)]  # fmt: skip


def _collect(
    jobs: Sequence[tuple[Path, Path, str]],
    staged: Sequence[tuple[Path, Path, str]],
    results: list[dict[str, Any]] | None,
) -> None:
    """Move what LibreOffice produced to the targets; a French error naming what failed."""
    failures = []
    for (source, target, _filter), (_src, produced, _f) in zip(jobs, staged, strict=True):
        if not produced.is_file() or produced.stat().st_size == 0:
            reason = ""
            if results is not None:
                reason = next((r.get("error", "") for r in results if r["source"] == str(source)), "")
            failures.append(f"« {source.name} »" + (f" ({reason})" if reason else ""))
            continue
        write_atomically(target, functools.partial(_copy, produced))
    if failures:
        raise ExportError(
            "LibreOffice n'a pas pu convertir " + ", ".join(failures) + " : le fichier est peut-être "
            "endommagé, ou ouvert dans une autre application."
        )


def _copy(source: Path, temporary: Path) -> None:
    shutil.copyfile(source, temporary)


def _run_macro(jobs: Sequence[tuple[Path, Path, str]], work: Path, timeout: float) -> list[dict[str, Any]] | None:
    """Convert through the profile's macro; ``None`` when the macro could not run at all."""
    jobs_file, status_file = work / "jobs.json", work / "status.json"
    jobs_file.write_text(json.dumps([[str(s), str(t), f] for s, t, f in jobs]), encoding="utf-8")
    _run([_MACRO_URL], timeout, {"SANTELOC_JOBS": str(jobs_file), "SANTELOC_STATUS": str(status_file)})
    return _read_status(status_file)


def _read_status(status_file: Path) -> list[dict[str, Any]] | None:
    """The macro's report, or ``None`` when it could not run at all."""
    if not status_file.is_file():
        return None
    results: list[dict[str, Any]] = json.loads(status_file.read_text(encoding="utf-8"))
    return results


def _run_plain(jobs: Sequence[tuple[Path, Path, str]], work: Path, timeout: float) -> None:
    """``soffice --convert-to`` fallback (the table of contents keeps its placeholder)."""
    for source, target, filter_name in jobs:
        extension = target.suffix.lstrip(".")
        out = work / f"out-{target.stem}"
        out.mkdir()
        code, _output = _run(["--convert-to", f"{extension}:{filter_name}", "--outdir", str(out), str(source)],
                             timeout)  # fmt: skip
        produced = out / f"{source.stem}.{extension}"
        if code == 0 and produced.is_file():
            shutil.move(str(produced), target)


def _pdf_jobs(sources: Sequence[Path], outdir: Path | None) -> list[tuple[Path, Path, str]]:
    jobs = []
    for source in sources:
        source = Path(source)
        filter_name = _PDF_FILTERS.get(source.suffix.lower())
        if filter_name is None:
            raise ExportError(f"« {source.name} » ne peut pas être converti en PDF (format non pris en charge).")
        if not source.is_file():
            raise ExportError(f"« {source} » n'existe pas : rien à convertir en PDF.")
        folder = Path(outdir) if outdir is not None else source.parent
        jobs.append((source.resolve(), (folder / f"{source.stem}.pdf").resolve(), filter_name))
    return jobs


def convert_to_pdf(
    sources: Sequence[Path], outdir: Path | None = None, *, timeout: float = DEFAULT_TIMEOUT_S
) -> list[Path]:
    """Convert .docx / .xlsx files to PDF (one LibreOffice run for all); returns the PDFs' paths.

    Each PDF is named after its source, in ``outdir`` (default: beside the source).
    """
    jobs = _pdf_jobs(sources, outdir)
    if not jobs:
        return []
    _convert_jobs(jobs, timeout)
    return [target for _source, target, _filter in jobs]


class PdfConverter:
    """One LibreOffice started before the documents exist: it loads while they are written.

    ``with PdfConverter() as converter: ...write the files...; converter.convert(files, folder)``.
    LibreOffice takes seconds to start; started first, it is ready when the Word and Excel
    files are. Its macro waits for the list of jobs (at most ``timeout`` seconds); leaving the
    block without converting stops it. Holds the profile's lock meanwhile (one LibreOffice
    per profile).
    """

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.timeout = timeout
        _lock.acquire()
        try:
            self._work = Path(tempfile.mkdtemp(prefix="santeloc-conv-"))
            self._jobs_file = self._work / "jobs.json"
            self._status_file = self._work / "status.json"
            self._process: subprocess.Popen[bytes] | None = _start(
                [_MACRO_URL],
                {"SANTELOC_JOBS": str(self._jobs_file), "SANTELOC_STATUS": str(self._status_file),
                 "SANTELOC_WAIT_S": f"{timeout:.0f}"},
            )  # fmt: skip
        except BaseException:
            shutil.rmtree(self._work, ignore_errors=True)
            _lock.release()
            raise
        self._open = True

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def convert(self, sources: Sequence[Path], outdir: Path | None = None) -> list[Path]:
        """Hand the files to the started LibreOffice, wait, and return the PDFs' paths (once)."""
        if not self._open or self._process is None:
            raise RuntimeError("PdfConverter already used or closed")
        try:
            jobs = _pdf_jobs(sources, outdir)
            staged = _staged(jobs, self._work)
            pending = self._jobs_file.with_suffix(".tmp")
            pending.write_text(json.dumps([[str(s), str(t), f] for s, t, f in staged]), encoding="utf-8")
            os.replace(pending, self._jobs_file)  # the macro sees the whole list or nothing
            process, self._process = self._process, None
            _finish(process, self.timeout)
            results = _read_status(self._status_file)
            if results is None:  # no Python scripting in this LibreOffice: one plain run per file
                _run_plain(staged, self._work, self.timeout)
            _collect(jobs, staged, results)
            return [target for _source, target, _filter in jobs]
        finally:
            self.close()

    def close(self) -> None:
        """Stop LibreOffice if it still runs, remove the work folder, release the profile."""
        if not self._open:
            return
        self._open = False
        try:
            if self._process is not None and self._process.poll() is None:
                _kill(self._process)
        finally:
            self._process = None
            shutil.rmtree(self._work, ignore_errors=True)
            _lock.release()


def recalculate_xlsx(path: Path, *, timeout: float = DEFAULT_TIMEOUT_S) -> dict[str, Any]:
    """Values of every cell once LibreOffice has recalculated the workbook (for tests).

    Keys are ``"Sheet!A1"``; formula cells hold LibreOffice's result.
    """
    from openpyxl import load_workbook

    work = Path(tempfile.mkdtemp(prefix="santeloc-recalc-"))
    try:
        target = work / "recalcule.xlsx"
        _convert_jobs([(Path(path).resolve(), target, XLSX_FILTER)], timeout)
        workbook = load_workbook(target, data_only=True)
        values: dict[str, Any] = {}
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        values[f"{sheet.title}!{cell.coordinate}"] = cell.value
        workbook.close()
        return values
    finally:
        shutil.rmtree(work, ignore_errors=True)
