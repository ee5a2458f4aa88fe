"""Word documents rendered from docxtpl templates, in a sandbox, written atomically.

* **Templates** are looked up first in the user's folder (``user_data_dir()/modeles``, where a
  user copies a shipped template to adapt it in Word or LibreOffice), then among the shipped
  ones (``templates/`` of the repository, bundled by the PyInstaller build).
* **Sandbox**: a user's template is code (Jinja2). It is rendered by a
  :class:`jinja2.sandbox.SandboxedEnvironment` that, on top of Jinja's own protections, only
  lets a template read the plain data of the context (dicts, lists, strings), so nothing in a
  template can reach the file system or the database. Autoescape is on: a project named
  « Lucé & Mainvilliers » stays valid XML.
* **Errors** are :class:`~santeloc.domain.errors.DomainError` subclasses with a French message
  naming the template and the place of the error (part of the document, paragraph, text).
* **Atomic write**: a document is written to a temporary file in the destination folder,
  then renamed over the destination; on any error nothing is left behind.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import threading
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from santeloc.domain.xml_text import xml_safe
from santeloc.exports import template_limits as limits
from santeloc.exports.context import ImageRef
from santeloc.exports.errors import ExportError, write_atomically
from santeloc.persistence.config import user_data_dir

TEMPLATE_FILES: dict[str, str] = {
    "diagnostic": "diagnostic.docx",
    "subvention": "demande_subvention.docx",
    "deliberation": "deliberation.docx",
}
"""Shipped Word templates, by document key."""

USER_TEMPLATES_FOLDER = "modeles"


class TemplateError(ExportError):
    """A template cannot be read or rendered; the message names the template and the place."""


# --- where templates live ---------------------------------------------------------------------


def shipped_templates_dir() -> Path:
    """The templates shipped with santeloc (``templates/``; bundled by PyInstaller)."""
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass:
        return Path(meipass) / "templates"
    return Path(__file__).resolve().parents[2] / "templates"


def user_templates_dir() -> Path:
    """The user's own templates: a file here replaces the shipped template of the same name."""
    return user_data_dir() / USER_TEMPLATES_FOLDER


def find_template(file_name: str) -> Path:
    """The template to use: the user's adapted copy when there is one, else the shipped one."""
    user = user_templates_dir() / file_name
    if user.is_file():
        return user
    shipped = shipped_templates_dir() / file_name
    if not shipped.is_file():
        raise TemplateError(
            f"Le modèle « {file_name} » est introuvable (ni dans {user_templates_dir()}, ni parmi les modèles "
            "fournis). Réinstallez santeloc ou recopiez le modèle."
        )
    return shipped


def copy_template_for_user(file_name: str) -> Path:
    """Copy a shipped template into the user's folder (to adapt it); returns the copy's path.

    An existing user copy is kept as it is (the user may have worked on it).
    """
    target = user_templates_dir() / file_name
    if target.exists():
        return target
    source = shipped_templates_dir() / file_name
    if not source.is_file():
        raise TemplateError(f"Le modèle fourni « {file_name} » est introuvable : réinstallez santeloc.")
    target.parent.mkdir(parents=True, exist_ok=True)

    def copy(temporary: Path) -> None:
        shutil.copyfile(source, temporary)

    write_atomically(target, copy)
    return target


# --- sandbox ----------------------------------------------------------------------------------

_SAFE_STR_METHODS = frozenset(
    {
        "upper",
        "lower",
        "title",
        "capitalize",
        "strip",
        "lstrip",
        "rstrip",
        "startswith",
        "endswith",
        "replace",
        "split",
        "format",
        "zfill",
    }
)
_SAFE_DICT_METHODS = frozenset({"items", "keys", "values", "get"})


class DocumentSandbox(SandboxedEnvironment):
    """Jinja2 sandbox of the dossiers: templates read plain data and nothing else.

    Beyond :class:`SandboxedEnvironment` (no ``__class__``, ``__globals__``, ``mro``…), the only
    attributes a template may read are a few harmless methods of strings, dicts and lists:
    objects that are not plain data (an image placeholder, for instance) expose nothing.
    """

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}
        self._compiled_lock = threading.Lock()
        # Limits (time, steps, sizes: see template_limits), active inside render_limits() only.
        self.globals["range"] = limits.BoundedRange
        self.filters = {name: limits.bounded_filter(name, function) for name, function in self.filters.items()}

    def concat(self, values: Any) -> str:
        """Join a template's output, within the output size and time limits."""
        return limits.bounded_concat(values)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``**`` and ``+``, refused before computing a huge result."""
        limits.check_binop(operator, left, right)
        return limits.check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Every call of a template counts as a step; string methods cannot build huge strings."""
        limits.check_call(__obj, args, kwargs)
        return limits.check_size(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Every attribute read counts as a step (loops that print nothing still end)."""
        limits.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Every item read counts as a step."""
        limits.tick()
        return super().getitem(obj, argument)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> jinja2.Template:
        """Compile a template once per source: the grant applications share one template.

        docxtpl compiles the XML of every part of every document it renders; a dossier renders
        the same template once per funder, so compiling dominated the assembly time.
        """
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._compiled_lock:
            compiled = self._compiled.get(source)
        if compiled is None:
            compiled = super().from_string(source)
            with self._compiled_lock:
                if len(self._compiled) >= 64:
                    self._compiled.clear()
                self._compiled[source] = compiled
        return compiled

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Allow the whitelisted methods of plain data only."""
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, str):
            return attr in _SAFE_STR_METHODS
        if isinstance(obj, dict):
            return attr in _SAFE_DICT_METHODS
        if isinstance(obj, list | tuple):
            return attr in {"index", "count"}
        return False


_environment: DocumentSandbox | None = None


def document_environment() -> DocumentSandbox:
    """The Jinja2 environment every Word template is parsed and rendered with (one per process)."""
    global _environment
    if _environment is None:
        _environment = DocumentSandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    return _environment


def undeclared_variables(template_path: Path) -> set[str]:
    """Top-level variables a template uses (body, headers and footers), for contract tests."""
    template = _load(Path(template_path))
    try:
        return set(template.get_undeclared_template_variables(jinja_env=document_environment()))
    except jinja2.TemplateError as error:
        raise _template_failure(Path(template_path).name, error, template, None) from error


# --- errors in French -------------------------------------------------------------------------

_PART_NAMES = {"document": "dans le corps du document", "header": "dans l'en-tête", "footer": "dans le pied de page"}


def _part_words(partname: str) -> str:
    stem = Path(partname).stem.rstrip("0123456789")
    return _PART_NAMES.get(stem, f"dans la partie « {partname} »")


_RUNTIME_ERRORS: tuple[tuple[type[BaseException], str], ...] = (
    (ZeroDivisionError, "le modèle divise par zéro"),
    (RecursionError, "une macro du modèle s'appelle elle-même sans fin"),
    (MemoryError, "le modèle produit un document trop volumineux pour la mémoire"),
    (OverflowError, "le modèle calcule un nombre trop grand"),
    (TypeError, "le modèle combine des valeurs de types incompatibles (texte et nombre, par exemple)"),
    (ValueError, "le modèle reçoit une valeur qu'il ne peut pas traiter"),
    (LookupError, "le modèle lit un élément qui n'existe pas"),
)


def _translate(error: BaseException) -> str:
    if isinstance(error, limits.TemplateLimitError):
        return str(error.message)
    for kind, words in _RUNTIME_ERRORS:
        if isinstance(error, kind) and not isinstance(error, jinja2.TemplateError):
            return words
    text = str(getattr(error, "message", None) or error)
    if match := re.search(r"No filter named '([^']+)'", text):
        return f"le filtre « {match.group(1)} » n'existe pas"
    if match := re.search(r"No test named '([^']+)'", text):
        return f"le test « {match.group(1)} » n'existe pas"
    if "Unexpected end of template" in text:
        block = re.search(r"innermost block that needs to be closed is '(\w+)'", text)
        if block:
            return (
                f"une balise « {block.group(1)} » n'est jamais fermée (il manque "
                f"{{% end{block.group(1)} %}}, ou {{%p end{block.group(1)} %}} / {{%tr end{block.group(1)} %}})"
            )
        return "une balise n'est pas fermée avant la fin du document"
    if match := re.search(r"Encountered unknown tag '([^']+)'", text):
        return f"la balise « {match.group(1)} » est inconnue ou mal placée"
    if match := re.search(r"'([^']+)' is undefined", text):
        return f"la variable « {match.group(1)} » n'existe pas"
    if match := re.search(r"has no element (\S+)", text):
        return f"l'élément n° {match.group(1)} n'existe pas (la liste est plus courte)"
    if match := re.search(r"has no attribute '([^']+)'", text):
        return f"le champ « {match.group(1)} » n'existe pas"
    if isinstance(error, jinja2.exceptions.SecurityError):
        return "le modèle tente un accès interdit par le mode protégé"
    if isinstance(error, jinja2.TemplateSyntaxError):
        return "une balise {{ … }} ou {% … %} est mal écrite"
    return "le modèle ne peut pas être appliqué"


def _template_line(error: BaseException) -> int | None:
    lineno = getattr(error, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    traceback = error.__traceback__
    found = None
    while traceback is not None:  # Jinja rewrites runtime tracebacks to point into "<template>"
        if traceback.tb_frame.f_code.co_filename == "<template>":
            found = traceback.tb_lineno
        traceback = traceback.tb_next
    return found


def _snippet(template: DocxTemplate, part: Any, lineno: int | None, name: str = "") -> tuple[int | None, str]:
    """(paragraph number, text near the error) at a line of the XML Jinja saw.

    ``{%p …%}`` tags end up on the line of the paragraph before them, so when the line holds
    Jinja tags the one naming ``name`` (else the last one) is shown rather than the whole text.
    """
    if lineno is None or part is None:
        return None, ""
    try:
        if part is template.docx.part:
            xml = template.get_xml()
        else:
            xml = template.get_part_xml(part)
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))
    except Exception:  # the location is a courtesy: never hide the real error behind it
        return None, ""
    lines = xml.splitlines()
    if not 1 <= lineno <= len(lines):
        return None, ""
    paragraph = sum(1 for line in lines[:lineno] if line.startswith("<w:p ") or line.startswith("<w:p>"))
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1])
    text = " ".join(text.split())
    tags = re.findall(r"\{[{%].*?[}%]\}", text)
    if tags:
        named = [tag for tag in tags if name and re.search(rf"\b{re.escape(name)}\b", tag)]
        text = named[0] if named else tags[-1]
    if len(text) > 90:
        text = text[:87] + "…"
    return (paragraph or None), text


def _template_failure(name: str, error: BaseException, template: DocxTemplate, part: Any) -> TemplateError:
    where = _part_words(str(part.partname)) if part is not None else "dans le document"
    named = re.search(r"'([^']+)'", str(getattr(error, "message", None) or error))
    paragraph, text = _snippet(template, part, _template_line(error), named.group(1) if named else "")
    if paragraph is not None:
        where += f", paragraphe n° {paragraph}"
    if text:
        where += f", près de « {text} »"
    detail = str(getattr(error, "message", None) or error).strip()[:200]
    # Jinja's own text helps whoever fixes the template; Python's (« division by zero ») would not.
    technical = f" (Détail technique : {detail})" if _is_jinja_message(error) and detail else ""
    return TemplateError(
        f"Le modèle « {name} » contient une erreur {where} : {_translate(error)}. "
        f"Corrigez le modèle dans Word ou LibreOffice (ou retirez-le du dossier {user_templates_dir()} pour "
        f"revenir au modèle fourni) ; aucun document n'a été écrit.{technical}"
    )


def _is_jinja_message(error: BaseException) -> bool:
    return isinstance(error, jinja2.TemplateError) and not isinstance(error, limits.TemplateLimitError)


def _in_template(error: BaseException) -> bool:
    """Whether the error was raised while running a template's code (not by docxtpl or lxml after)."""
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            return True
        traceback = traceback.tb_next
    return False


# --- rendering --------------------------------------------------------------------------------


_patched: dict[str, str] = {}
_patched_lock = threading.Lock()


class _Template(DocxTemplate):
    """docxtpl's template, remembering the clean-up of each part's XML between renders.

    ``patch_xml`` (a few dozen regular expressions that turn Word's XML into Jinja source) is
    pure; the grant applications run it on the same template once per funder.
    """

    def patch_xml(self, src_xml: str) -> str:
        with _patched_lock:
            patched = _patched.get(src_xml)
        if patched is None:
            patched = super().patch_xml(src_xml)
            with _patched_lock:
                if len(_patched) >= 64:
                    _patched.clear()
                _patched[src_xml] = patched
        return patched


class _PackageFile:
    """python-docx's zip writer, except that images are stored as they are.

    A PNG does not deflate: compressing the charts again took a third of the time spent
    saving a grant application, for a file 1 % smaller.
    """

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        name = str(pack_uri.membername)
        stored = name.startswith("word/media/") and name.lower().endswith((".png", ".jpg", ".jpeg", ".gif"))
        self._zip.writestr(name, blob, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)

    def close(self) -> None:
        self._zip.close()


def _save(template: DocxTemplate, path: Path) -> None:
    """Save a rendered template (what ``DocxTemplate.save`` does, with :class:`_PackageFile`)."""
    try:
        from docx.opc.pkgwriter import PackageWriter

        write_types = PackageWriter._write_content_types_stream
        write_rels = PackageWriter._write_pkg_rels
        write_parts = PackageWriter._write_parts
    except (ImportError, AttributeError):  # another python-docx: its own writer is just slower
        template.save(str(path))
        return
    template.pre_processing()
    package = template.docx.part.package
    for part in package.parts:
        part.before_marshal()
    writer: Any = _PackageFile(path)  # duck-types python-docx's PhysPkgWriter
    try:
        write_types(writer, package.parts)
        write_rels(writer, package.rels)
        write_parts(writer, package.parts)
    finally:
        writer.close()
    template.is_saved = True


def _load(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise TemplateError(f"Le modèle « {path.name} » est introuvable ({path}).")
    try:
        template = _Template(str(path))
        template.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TemplateError(
            f"Le modèle « {path.name} » n'est pas un document Word (.docx) lisible : enregistrez-le au format "
            "« Document Word (.docx) » depuis Word ou LibreOffice."
        ) from error
    return template


class _ChartImage(InlineImage):
    """An ``InlineImage`` whose PNG is fetched only when the template prints it."""

    def __init__(self, template: DocxTemplate, chart: ImageRef) -> None:
        super().__init__(template, None, width=Mm(chart.width_mm))
        self._chart = chart

    def _insert_image(self) -> str:
        self.image_descriptor = io.BytesIO(self._chart.png)
        inserted: str = super()._insert_image()
        return inserted


def _with_images(value: Any, template: DocxTemplate) -> Any:
    """A copy of the context where each :class:`ImageRef` is an ``InlineImage`` of ``template``."""
    if isinstance(value, ImageRef):
        return _ChartImage(template, value)
    if isinstance(value, dict):
        return {key: _with_images(item, template) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_images(item, template) for item in value]
    return value


def render_document(template_path: Path, context: Mapping[str, Any], destination: Path) -> Path:
    """Render ``template_path`` with ``context`` into ``destination`` (written atomically)."""
    template_path = Path(template_path)
    context = xml_safe(context)  # the one place text enters a Word document (see xml_text)
    template = _load(template_path)
    environment = document_environment()
    try:
        with limits.render_limits():
            template.render(_with_images(dict(context), template), jinja_env=environment, autoescape=True)
    except (jinja2.TemplateError, RecursionError, MemoryError) as error:
        part = getattr(template, "current_rendering_part", None)
        raise _template_failure(template_path.name, error, template, part) from error
    except Exception as error:
        if _in_template(error):  # a runtime error of the template's code: division by zero…
            part = getattr(template, "current_rendering_part", None)
            raise _template_failure(template_path.name, error, template, part) from error
        if not isinstance(error, ValueError | TypeError | SyntaxError):
            raise
        # lxml: the rendered XML is not valid
        raise TemplateError(
            f"Le modèle « {template_path.name} » produit un document Word invalide (une balise coupe sans doute "
            "un tableau ou un paragraphe en deux) ; aucun document n'a été écrit. "
            f"(Détail technique : {error})"
        ) from error
    document_info = context.get("document")
    if isinstance(document_info, Mapping):
        set_properties(template.docx.core_properties, document_info)
    return write_atomically(Path(destination), lambda tmp: _save(template, tmp))


def set_properties(properties: Any, document_info: Mapping[str, Any]) -> None:
    """Title, author (the porteur), French, dated today: what the recipient's file properties show
    (never the library that wrote the file, nor the template's own dates)."""
    now = datetime.now().replace(microsecond=0)
    author = str(document_info.get("auteur") or "")
    properties.title = str(document_info.get("titre") or "")
    properties.author = author
    properties.last_modified_by = author
    properties.language = "fr-FR"
    properties.comments = ""
    properties.keywords = ""
    properties.subject = ""
    properties.category = ""
    properties.created = now
    properties.modified = now
    properties.revision = 1


def render_named(key: str, context: Mapping[str, Any], destination: Path) -> Path:
    """Render one of the dossier's templates (``"diagnostic"``, ``"subvention"``, ``"deliberation"``)."""
    return render_document(find_template(TEMPLATE_FILES[key]), context, destination)
