"""Build the Word templates of the dossiers into ``templates/`` (python-docx + docxtpl tags).

    .venv/bin/python scripts/build_templates.py            # rebuilds templates/*.docx

The generated files are committed: users copy one into their templates folder
(``user_data_dir()/modeles``) and adapt it in Word or LibreOffice. This script is the
reference that rebuilds them; edit it rather than the .docx when changing the shipped models.

Every template has a cover page (no header or footer on it), a table of contents (a Word
``TOC`` field: Word refreshes it on opening since ``updateFields`` is set; the PDF export of
santeloc has LibreOffice update it), headings, the porteur's name in the header and « Page X
sur Y » fields in the footer. Jinja tags follow docxtpl: ``{{ var }}`` in a run, ``{%p … %}``
alone in a paragraph, ``{%tr … %}`` alone in a table row, ``{% cellbg … %}`` at the start of
a cell. The variables come from :mod:`santeloc.exports.context`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[1]
FONT = "Arial"  # everywhere in Word; LibreOffice uses the metric-compatible Liberation Sans
ACCENT = RGBColor(0x2E, 0x7D, 0x6B)
DARK = RGBColor(0x1F, 0x3B, 0x34)
GREY = RGBColor(0x66, 0x66, 0x66)
HEADER_FILL = "2E7D6B"
TOTAL_FILL = "E3EFEB"
NOTE_FILL = "F3F6F5"
TEXT_WIDTH_CM = 17.0


# --- low-level helpers ------------------------------------------------------------------------


def _set_font(element_style: object, name: str = FONT) -> None:
    """Set a style's font for every script, dropping theme fonts that would override it."""
    rpr = element_style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "", *, size: Pt | None = None) -> None:
    """A complex field (PAGE, NUMPAGES, TOC…) marked dirty so Word computes it on opening."""

    def run_with(child: OxmlElement) -> None:
        run = paragraph.add_run()
        if size is not None:
            run.font.size = size
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    run = paragraph.add_run(placeholder)
    if size is not None:
        run.font.size = size
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _cant_split(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    trpr.append(element)


def _widths(table: Table, widths: Sequence[float]) -> None:
    """Column widths for Word (cell widths) and LibreOffice (the table grid), fixed layout."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for table_row in table.rows:
        for cell, width in zip(table_row.cells, widths, strict=True):
            cell.width = Cm(width)
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(int(sum(widths) * 567)))
    total.set(qn("w:type"), "dxa")
    existing = tblpr.find(qn("w:tblW"))
    if existing is not None:
        tblpr.remove(existing)
    tblpr.append(total)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, align: str = "left", colour: RGBColor | None = None,
               size: float = 8.5) -> None:  # fmt: skip
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_before = Pt(1)
    paragraph.paragraph_format.space_after = Pt(1)
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "center": WD_ALIGN_PARAGRAPH.CENTER}[align]  # fmt: skip
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


# --- the document builder ---------------------------------------------------------------------


class Builder:
    """A Word template under construction, with the house style of santeloc's dossiers."""

    def __init__(self, running_title: str) -> None:
        self.doc: DocumentObject = Document()
        self._styles()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.header_distance, section.footer_distance = Mm(10), Mm(10)
        section.different_first_page_header_footer = True  # the cover has no header or footer
        self._header_footer(running_title)
        self._settings()

    # styles, header, footer, settings

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        _set_font(normal)
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15
        # French for spelling, hyphenation and quotes, in Word and LibreOffice alike.
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                lang = rpr.find(qn("w:lang"))
                if lang is None:
                    lang = OxmlElement("w:lang")
                    rpr.append(lang)
                lang.set(qn("w:val"), "fr-FR")
                lang.set(qn("w:eastAsia"), "fr-FR")
                lang.set(qn("w:bidi"), "ar-SA")
        for name, size, colour, before, after in (
            ("Heading 1", 16, ACCENT, 18, 8),
            ("Heading 2", 12.5, DARK, 12, 6),
            ("Heading 3", 11, DARK, 10, 4),
            ("Title", 26, ACCENT, 0, 12),
            ("Subtitle", 15, DARK, 0, 8),
            ("TOC Heading", 16, ACCENT, 0, 12),
        ):
            style = styles[name]
            _set_font(style)
            style.font.size = Pt(size)
            style.font.color.rgb = colour
            style.font.bold = name != "Subtitle"
            style.font.italic = False
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(after)
            style.paragraph_format.keep_with_next = True
        # The Subtitle of python-docx's default template is letter-spaced: keep it plain.
        for name in ("Title", "Subtitle"):
            spacing = styles[name].element.find(qn("w:rPr") + "/" + qn("w:spacing"))
            if spacing is not None:
                spacing.getparent().remove(spacing)
        # The Title style of python-docx's default template has a bottom border: keep it plain.
        title_ppr = styles["Title"].element.find(qn("w:pPr"))
        if title_ppr is not None:
            border = title_ppr.find(qn("w:pBdr"))
            if border is not None:
                title_ppr.remove(border)
        for name in ("Header", "Footer"):
            ppr = styles[name].element.get_or_add_pPr()
            tabs = ppr.find(qn("w:tabs"))
            if tabs is not None:
                ppr.remove(tabs)
            styles[name].paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
        for name in ("Header", "Footer", "List Bullet", "Caption"):
            _set_font(styles[name])
            styles[name].font.size = Pt(8.5 if name in ("Header", "Footer") else 10)
        styles["Header"].font.color.rgb = GREY
        styles["Caption"].font.color.rgb = GREY
        styles["Caption"].font.italic = True
        styles["Caption"].font.bold = False
        styles["Caption"].font.size = Pt(9)
        styles["Footer"].font.color.rgb = GREY
        note = styles.add_style("Note santeloc", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = normal
        note.font.italic = True
        note.font.color.rgb = GREY
        note.font.size = Pt(9.5)
        small = styles.add_style("Texte tableau", WD_STYLE_TYPE.PARAGRAPH)
        small.base_style = normal
        small.font.size = Pt(8.5)
        small.paragraph_format.space_after = Pt(0)
        # Table grid in light grey rather than black.
        grid = styles["Table Grid"].element
        for edge in grid.iter(qn("w:top"), qn("w:left"), qn("w:bottom"), qn("w:right"), qn("w:insideH"),
                              qn("w:insideV")):  # fmt: skip
            edge.set(qn("w:color"), "A6A6A6")
            edge.set(qn("w:sz"), "4")

    def _header_footer(self, running_title: str) -> None:
        section = self.doc.sections[0]
        first = section.first_page_header.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark = first.add_run("{{ document.marque_brouillon }}")
        mark.bold = True
        mark.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        header = section.header.paragraphs[0]
        header.add_run("{{ porteur.nom }}").bold = True
        header.add_run("\t{{ document.entete }}")
        self._bottom_border(header)
        footer = section.footer.paragraphs[0]
        footer.add_run("{{ projet.nom }}")
        footer.add_run("\tPage ")
        _field(footer, "PAGE", "1")
        footer.add_run(" sur ")
        _field(footer, "NUMPAGES", "1")

    @staticmethod
    def _bottom_border(paragraph: Paragraph) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", "A6A6A6")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        ppr.append(borders)

    def _settings(self) -> None:
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
        properties = self.doc.core_properties
        properties.author = ""
        properties.language = "fr-FR"

    # content

    def cover(self, title: str, subtitle: str, lines: Sequence[str], notice: Sequence[str] = ()) -> None:
        """Cover page: title, subtitle, a few lines of facts, an optional notice; then a page break."""
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_before = Cm(5)
        self.doc.add_paragraph(title, style="Title")
        self.doc.add_paragraph(subtitle, style="Subtitle")
        rule = self.doc.add_paragraph()
        self._bottom_border(rule)
        for line in lines:
            paragraph = self.doc.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(5)
            label, _, value = line.partition(" : ")
            if value:
                run = paragraph.add_run(label + " : ")
                run.bold = True
                run.font.size = Pt(11)
                run.font.color.rgb = DARK
                paragraph.add_run(value).font.size = Pt(11)
            else:
                paragraph.add_run(line).font.size = Pt(11)
        if notice:
            self.doc.add_paragraph()
            for line in notice:
                self.doc.add_paragraph(line, style="Note santeloc")
        self.page_break()

    def toc(self) -> None:
        """The table of contents: a Word TOC field over heading levels 1 to 2, then a page break."""
        self.doc.add_paragraph("Sommaire", style="TOC Heading")
        paragraph = self.doc.add_paragraph()
        _field(
            paragraph,
            'TOC \\o "1-2" \\h \\z \\u',
            "Sommaire",
        )
        self.page_break()

    def page_break(self) -> None:
        """A page break in a paragraph of its own."""
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def h1(self, text: str) -> None:
        """A chapter heading."""
        self.doc.add_heading(text, level=1)

    def h2(self, text: str) -> None:
        """A section heading."""
        self.doc.add_heading(text, level=2)

    def p(self, *parts: str | tuple[str, str], style: str | None = None, align: str = "") -> Paragraph:
        """A paragraph; a part given as ``(text, "b")`` is bold, ``(text, "i")`` italic."""
        paragraph = self.doc.add_paragraph(style=style)
        for part in parts:
            if isinstance(part, tuple):
                text, fmt = part
                run = paragraph.add_run(text)
                run.bold = "b" in fmt
                run.italic = "i" in fmt
            else:
                paragraph.add_run(part)
        if align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "justify":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return paragraph

    def label(self, text: str) -> None:
        """A bold coloured line that titles a table (not a heading: it stays out of the contents)."""
        paragraph = self.p((text, "b"))
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(8)
        for run in paragraph.runs:
            run.font.color.rgb = DARK

    def bullet(self, *parts: str | tuple[str, str]) -> Paragraph:
        """A bulleted paragraph."""
        return self.p(*parts, style="List Bullet")

    def tag(self, statement: str) -> None:
        """A docxtpl paragraph tag (``for x in y``, ``endfor``, ``if``, ``else``, ``endif``)."""
        self.doc.add_paragraph("{%p " + statement + " %}")

    def note(self, text: str) -> None:
        """A placeholder or explanation the user replaces (italic, grey, shaded)."""
        paragraph = self.doc.add_paragraph(text, style="Note santeloc")
        ppr = paragraph._p.get_or_add_pPr()
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), NOTE_FILL)
        ppr.append(shading)

    def image(self, variable: str) -> None:
        """A chart or map, centred."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("{{ " + variable + " }}")

    def table(
        self,
        headers: Sequence[str],
        loop: str,
        cells: Sequence[str],
        widths: Sequence[float],
        *,
        align: Sequence[str] = (),
        totals: Sequence[Sequence[str]] = (),
        cell_fill: str = "",
    ) -> Table:
        """A table: header row, one row repeated by ``{%tr for … %}``, then total rows.

        ``cell_fill`` is a docxtpl ``cellbg`` expression applied to each repeated cell (e.g.
        ``f.fond``), to highlight a row.
        """
        columns = len(headers)
        aligns = list(align) or ["left"] * columns
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        header = table.add_row()
        _repeat_header(header)
        for cell, text, how in zip(header.cells, headers, aligns, strict=True):
            _shade(cell, HEADER_FILL)
            _cell_text(cell, text, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF), align=how)
        table.add_row().cells[0].paragraphs[0].add_run("{%tr " + loop + " %}")
        row = table.add_row()
        _cant_split(row)
        for cell, text, how in zip(row.cells, cells, aligns, strict=True):
            prefix = "{% cellbg " + cell_fill + " %}" if cell_fill else ""
            _cell_text(cell, prefix + text, align=how)
        table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
        for total in totals:
            total_row = table.add_row()
            _cant_split(total_row)
            for cell, text, how in zip(total_row.cells, total, aligns, strict=True):
                _shade(cell, TOTAL_FILL)
                _cell_text(cell, text, bold=True, align=how)
        _widths(table, widths)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)
        return table

    def box(self, lines: Sequence[Sequence[str | tuple[str, str]]], fill: str = "FFE8A3") -> None:
        """A shaded one-cell table to make a key figure stand out."""
        table = self.doc.add_table(rows=1, cols=1)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell = table.rows[0].cells[0]
        _widths(table, [TEXT_WIDTH_CM])
        _shade(cell, fill)
        first = True
        for parts in lines:
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            paragraph.paragraph_format.space_before = Pt(3)
            paragraph.paragraph_format.space_after = Pt(3)
            for part in parts:
                if isinstance(part, tuple):
                    run = paragraph.add_run(part[0])
                    run.bold = "b" in part[1]
                    run.italic = "i" in part[1]
                else:
                    paragraph.add_run(part)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def signature(self, who: str) -> None:
        """Place, date and signature block, right-aligned, kept on one page."""
        place = self.p("Fait à ………………………………, le ……………………", align="right")
        place.paragraph_format.space_before = Pt(12)
        place.paragraph_format.keep_with_next = True
        self.p((who, "b"), align="right").paragraph_format.keep_with_next = True
        self.p(("(signature et cachet)", "i"), align="right")

    def _slim(self) -> None:
        """Drop what python-docx's default template carries and nobody needs.

        98 table styles (350 kB of styles.xml), the Word 2010 ``stylesWithEffects`` copy, a
        thumbnail of a blank page and a custom XML item: every rendered document would parse,
        copy and compress them again (a third of the rendering time of a grant application).
        """
        styles = self.doc.styles.element
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in ("TableGrid", "TableNormal"):
                styles.remove(style)
        for rels in (self.doc.part.package.rels, self.doc.part.rels):
            for key, rel in list(rels.items()):
                if rel.reltype.rsplit("/", 1)[-1] in ("thumbnail", "stylesWithEffects", "customXml"):
                    rels.pop(key)

    def save(self, path: Path, title: str) -> None:
        """Write the template."""
        self._slim()
        self.doc.core_properties.title = title
        self.doc.core_properties.subject = ""
        self.doc.save(str(path))


# --- shared blocks ----------------------------------------------------------------------------

EXPENSE_HEADERS = ("Dépense", "Catégorie", "Année", "Montant HT", "TVA", "Montant TTC")
EXPENSE_CELLS = ("{{ d.libelle }}", "{{ d.categorie }}", "{{ d.annee }}", "{{ d.ht }}", "{{ d.tva }}",
                 "{{ d.ttc }}")  # fmt: skip
EXPENSE_WIDTHS = (6.4, 2.6, 1.4, 2.4, 1.8, 2.4)
EXPENSE_ALIGN = ("left", "left", "center", "right", "right", "right")


def expenses_block(b: Builder) -> None:
    """Expense tables, one per volet of the plan, with the operation's cost HT and TTC."""
    b.tag("if not plan.vide")
    b.tag("for e in plan.etapes")
    b.label("Volet {{ e.libelle|lower }}")
    b.table(
        EXPENSE_HEADERS,
        "for d in e.depenses",
        EXPENSE_CELLS,
        EXPENSE_WIDTHS,
        align=EXPENSE_ALIGN,
        totals=[("Total du volet", "", "", "{{ e.total_ht }}", "{{ e.total_tva }}", "{{ e.total_ttc }}")],
    )
    b.tag("endfor")
    b.p("Coût total de l'opération : ", ("{{ plan.total_ht }} HT", "b"), ", soit {{ plan.total_ttc }} TTC.")
    b.tag("endif")


RESOURCE_HEADERS = ("Financeur", "Statut", "Assiette éligible", "Taux", "Montant")
RESOURCE_CELLS = ("{{ r.financeur }}", "{{ r.statut }}", "{{ r.assiette }}", "{{ r.taux }}", "{{ r.montant }}")
RESOURCE_WIDTHS = (5.4, 4.0, 3.0, 1.8, 2.8)  # a grant shows one rate, of its base: no share of the volet beside it
RESOURCE_ALIGN = ("left", "left", "right", "right", "right")


def plan_block(b: Builder, highlight: bool = False) -> None:
    """The plan: per volet, every co-funder with status, base, rate, amount and share; public funding once."""
    b.tag("if not plan.vide")
    b.tag("for e in plan.etapes")
    b.label("Volet {{ e.libelle|lower }} : {{ e.total_depenses }} {{ plan.base }} de dépenses")
    b.table(
        RESOURCE_HEADERS,
        "for r in e.ressources",
        RESOURCE_CELLS,
        RESOURCE_WIDTHS,
        align=RESOURCE_ALIGN,
        totals=[("Total des ressources", "", "", "", "{{ e.total_ressources }}")],
        cell_fill="r.fond" if highlight else "",
    )
    b.p("{{ e.solde_texte }}", style="Note santeloc")
    b.tag("endfor")
    b.tag("if plan.plusieurs_etapes")
    b.p(
        "Ensemble de l'opération : ",
        ("{{ plan.total_ressources }}", "b"),
        " de ressources pour {{ plan.total_depenses }} {{ plan.base }} de dépenses. {{ plan.solde_texte }}",
    )
    b.tag("endif")
    b.p(
        "Le taux d'une subvention s'entend de son assiette éligible, hors taxes sauf mention contraire.",
        style="Note santeloc",
    )
    b.p("{{ plan.definition_financement_public }}", align="justify")
    b.tag("if plan.regle_participation")
    b.p("{{ plan.regle_participation }}", align="justify")
    b.tag("endif")
    b.tag("if plan.aides_publiques")
    b.p("{{ plan.aides_publiques }}", align="justify")
    b.tag("endif")
    b.tag("endif")


def calendar_block(b: Builder) -> None:
    """Dates of the operation and of the works, requests and decisions."""
    b.tag("if a_un_calendrier")
    b.table(("Date", "Événement"), "for k in calendrier", ("{{ k.periode }}", "{{ k.evenement }}"), (4.0, 13.0))
    b.tag("endif")


# --- the templates ----------------------------------------------------------------------


def diagnostic() -> Builder:
    """Diagnostic local de santé."""
    b = Builder("Diagnostic local de santé")
    b.cover(
        "Diagnostic local de santé",
        "{{ projet.nom }}",
        [
            "Porteur : {{ porteur.nom }} — {{ porteur.type }}",
            "Projet : {{ projet.type }}",
            "Territoire : {{ territoire.communes_texte }}, {{ territoire.habitants_texte }}",
            "Document établi le {{ document.date }}",
        ],
    )
    b.toc()

    b.h1("Introduction")
    b.p(
        "Ce diagnostic local de santé a été établi par {{ porteur.le_nom }} pour le projet « {{ projet.nom }} » "
        "({{ projet.nature }}). Il rassemble ce que l'on sait du territoire, de sa population et de l'état "
        "de santé de ses habitants, et les constats qui fondent le projet. Il se partage avec les "
        "professionnels de santé, les habitants et les financeurs.",
        align="justify",
    )
    b.tag("for d in projet.description")
    b.p("{{ d }}", align="justify")
    b.tag("endfor")

    b.h1("1. Le territoire")
    b.tag("if not territoire.vide")
    b.p(
        "Le territoire du projet compte ",
        ("{{ territoire.communes_texte }}", "b"),
        " et ",
        ("{{ territoire.habitants_texte }}", "b"),
        " (population municipale {{ territoire.annee_population }}). Il relève de : {{ territoire.departements }} "
        "({{ territoire.region }}). Ses valeurs sont comparées à celles du département de référence, "
        "{{ territoire.departement }}, de la région et de la France.",
        align="justify",
    )
    b.tag("if territoire.carte")
    b.image("territoire.carte")
    b.p("Carte : communes du territoire (en vert) et communes voisines.", style="Caption", align="center")
    b.tag("endif")
    b.h2("Les communes du territoire")
    b.table(
        ("Commune", "Code INSEE", "Intercommunalité", "Population"),
        "for c in territoire.communes",
        ("{{ c.nom }}", "{{ c.code }}", "{{ c.epci }}", "{{ c.population }}"),
        (5.0, 2.2, 7.3, 2.5),
        align=("left", "center", "left", "right"),
        totals=[("Total", "", "", "{{ territoire.population }}")],
    )
    b.p("Source : {{ territoire.source_population }}.", style="Note santeloc")
    b.tag("endif")

    b.h1("2. La population")
    b.tag("if population.a_une_pyramide")
    b.p(
        "Dans la table des âges saisie ({{ population.effectif_table }} habitants), {{ population.part_60_ans }} "
        "des habitants ont 60 ans ou plus et {{ population.part_75_ans }} ont 75 ans ou plus.",
        align="justify",
    )
    b.image("population.pyramide")
    b.tag("endif")
    b.tag("if population.projection")
    b.p("{{ population.projection }}")
    b.tag("endif")

    b.h1("3. L'état de santé des habitants")
    b.tag("if sante.a_des_indicateurs")
    b.p(
        "Le diagnostic s'appuie sur {{ sante.nb_indicateurs }}{{ sante.sources_phrase }}. Pour chacun, la "
        "valeur du territoire est rapprochée de celles du département, de la région et de la France ; quand les "
        "effectifs observés et attendus sont connus, l'indice comparatif dit si l'écart est significatif.",
        align="justify",
    )
    b.tag("for t in sante.themes")
    b.h2("{{ t.titre }}")
    b.table(
        ("Indicateur (unité)", "Territoire", "Départ.", "Région", "France", "Lecture", "Source et année"),
        "for i in t.indicateurs",
        (
            "{{ i.libelle_unite }}",
            "{{ i.territoire }}",
            "{{ i.departement }}",
            "{{ i.region }}",
            "{{ i.france }}",
            "{{ i.lecture }}",
            "{{ i.source }}, {{ i.annee }}",
        ),
        (4.3, 1.7, 1.5, 1.5, 1.5, 3.3, 3.2),
        align=("left", "right", "right", "right", "right", "left", "left"),
    )
    b.tag("endfor")
    b.tag("if sante.graphique_comparaison")
    b.h2("Le territoire comparé à ses références")
    b.image("sante.graphique_comparaison")
    b.tag("endif")
    b.tag("if sante.graphique_significativite")
    b.h2("Significativité des écarts")
    b.image("sante.graphique_significativite")
    b.tag("endif")
    b.tag("endif")

    b.h1("4. L'offre de services de santé")
    b.tag("if offre.a_des_professionnels")
    b.p(
        "Le répertoire des professionnels compte {{ offre.nb_professionnels }} exerçant sur le territoire"
        "{{ offre.alentours }}. Densité pour 10 000 habitants ; départs prévisibles selon l'âge (retraite à "
        "67 ans) ou la date de départ annoncée.",
        align="justify",
    )
    b.table(
        ("Profession", "Effectif", "ETP", "Densité", "Âge moyen", "60 ans et +", "Départs 5 ans", "Départs 10 ans"),
        "for d in offre.professions",
        ("{{ d.profession }}", "{{ d.effectif }}", "{{ d.etp }}", "{{ d.densite }}", "{{ d.age_moyen }}",
         "{{ d.part_60_ans }}", "{{ d.departs_5_ans }}", "{{ d.departs_10_ans }}"),
        (4.4, 1.6, 1.4, 1.7, 1.8, 2.0, 2.0, 2.1),
        align=("left", "right", "right", "right", "right", "right", "right", "right"),
    )  # fmt: skip
    b.tag("endif")
    b.h2("Établissements et services")
    b.tag("if offre.a_des_etablissements")
    b.table(
        ("Type", "Nom", "Commune", "FINESS"),
        "for e in offre.etablissements",
        ("{{ e.type }}", "{{ e.nom }}", "{{ e.commune }}", "{{ e.finess }}"),
        (4.2, 6.6, 3.8, 2.4),
    )
    b.tag("endif")

    b.h1("5. L'accessibilité des soins")
    b.tag("if accessibilite.a_des_mesures")
    b.table(
        ("Mesure", "Valeur", "Source", "Commentaire"),
        "for m in accessibilite.mesures",
        ("{{ m.libelle }}", "{{ m.valeur }}", "{{ m.source }}", "{{ m.commentaire }}"),
        (6.4, 2.2, 3.4, 5.0),
        align=("left", "right", "left", "left"),
    )
    b.tag("endif")
    b.tag("for o in accessibilite.apl_officielle")
    b.h2("{{ o.titre }}")
    b.p("Moyenne du territoire : ", ("{{ o.moyenne }}", "b"), ".", align="justify")
    b.tag("for phrase in o.phrases")
    b.bullet("{{ phrase }}")
    b.tag("endfor")
    b.tag("if o.carte")
    b.image("o.carte")
    b.tag("endif")
    b.table(
        ("Commune", "Population totale", "APL {{ o.annee }}", "Médecins de moins de 65 ans", "Sous le seuil"),
        "for c in o.communes",
        ("{{ c.commune }}", "{{ c.population }}", "{{ c.apl }}", "{{ c.moins_de_65_ans }}", "{{ c.sous_le_seuil }}"),
        (5.6, 2.6, 2.4, 3.4, 3.0),
        align=("left", "right", "right", "right", "center"),
    )
    b.p("APL en {{ o.unite }}.", align="justify")
    b.tag("endfor")
    b.tag("if accessibilite.a_un_scenario")
    b.h2("Scénario étudié : {{ accessibilite.scenario.nom }}")
    b.tag("for ligne in accessibilite.scenario.changements")
    b.bullet("{{ ligne }}")
    b.tag("endfor")
    b.p("{{ accessibilite.scenario.phrase }}", align="justify")
    b.table(
        ("Commune", "APL officielle", "Avec le scénario", "Écart"),
        "for c in accessibilite.scenario.communes",
        ("{{ c.commune }}", "{{ c.avant }}", "{{ c.apres }}", "{{ c.ecart }}"),
        (6.4, 3.4, 3.8, 3.2),
        align=("left", "right", "right", "right"),
    )
    b.tag("if accessibilite.scenario.carte")
    b.image("accessibilite.scenario.carte")
    b.tag("endif")
    b.p("{{ accessibilite.scenario.methode }}", align="justify")
    b.tag("endif")
    b.tag("for a in accessibilite.apl")
    b.h2("Indice d'accessibilité calculé pour le projet : {{ a.profession }}")
    b.p("Indice moyen du territoire : ", ("{{ a.moyenne }}", "b"), " (calcul du {{ a.calcule_le }}).")
    b.tag("for ligne in a.ecart")
    b.bullet("{{ ligne }}")
    b.tag("endfor")
    b.p("Méthode et paramètres :")
    b.tag("for ligne in a.methode")
    b.bullet("{{ ligne }}")
    b.tag("endfor")
    b.tag("for phrase in a.au_dela")
    b.p("{{ phrase }}", align="justify")
    b.tag("endfor")
    b.p("{{ a.trois_quinze }}", align="justify")
    b.tag("if a.carte")
    b.image("a.carte")
    b.tag("endif")
    b.table(
        (
            "Commune",
            "Population",
            "Minutes au plus proche",
            "Indice calculé",
            "APL officielle {{ a.annee_officielle }}",
        ),
        "for c in a.communes",
        ("{{ c.commune }}", "{{ c.population }}", "{{ c.minutes }}", "{{ c.apl }}", "{{ c.officielle }}"),
        (5.4, 2.4, 3.0, 3.0, 3.2),
        align=("left", "right", "right", "right", "right"),
    )
    b.p("Indice en {{ a.unite }}.", align="justify")
    b.tag("endfor")

    b.h1("6. Le ressenti des habitants")
    b.tag("if enquete.a_des_reponses")
    b.p("L'enquête auprès des habitants a recueilli {{ enquete.nb_questionnaires }}. Les parts sont calculées sur "
        "les répondants de chaque question.", align="justify")  # fmt: skip
    b.table(
        ("N°", "Question", "Réponses (part des répondants)", "Répondants"),
        "for q in enquete.questions",
        ("{{ q.code }}", "{{ q.question }}", "{{ q.reponses }}", "{{ q.repondants }}"),
        (1.0, 6.0, 8.0, 2.0),
        align=("center", "left", "left", "right"),
    )
    b.tag("endif")

    b.h1("7. Les constats")
    b.tag("if a_des_constats")
    b.p("Le diagnostic conduit aux constats suivants, qui fondent les priorités du projet de santé :")
    b.tag("for c in constats")
    b.p(("Constat {{ c.numero }}. {{ c.titre }}", "b"))
    b.tag("if c.commentaire")
    b.p("{{ c.commentaire }}", align="justify")
    b.tag("endif")
    b.tag("endfor")
    b.tag("endif")

    b.h1("Sources et méthode")
    b.bullet("Communes, intercommunalités, populations et contours : {{ territoire.source_population }}.")
    b.bullet("Indicateurs de santé : valeurs saisies ou importées par le porteur, avec leur source et leur année.")
    b.bullet(
        "Indice comparatif : 100 × effectif observé ÷ effectif attendu, avec un intervalle de confiance exact "
        "à 95 % ; l'écart est dit significatif quand l'intervalle exclut 100."
    )
    return b


def subvention() -> Builder:
    """Demande de subvention to one funder, with its note explicative and attestation de non-commencement."""
    b = Builder("Demande de subvention")
    b.doc.add_paragraph("Demande de subvention", style="Title")
    b.doc.add_paragraph("{{ financeur.nom }}", style="Subtitle")
    b.box(
        [
            ["Opération : ", ("{{ projet.nom }}", "b")],
            ["Maître d'ouvrage : ", ("{{ porteur.nom }}", "b"), " — {{ porteur.type }}"],
            [
                "{{ financeur.libelle_cout }} ({{ financeur.volets }}) : ",
                ("{{ financeur.cout_operation }} {{ financeur.base_cout }}", "b"),
            ],
            [
                "Subvention sollicitée : ",
                ("{{ financeur.montant }}", "b"),
                "{% if financeur.taux_phrase %}, soit {{ financeur.taux_phrase }}{% endif %}",
            ],
            ["Demande établie le {{ financeur.date_demande }}"],
        ],
        fill="EEF4F2",
    )
    b.tag("for l in financeur.lignes")
    b.bullet(
        "{{ l.libelle }} (volet {{ l.volet|lower }}) : ",
        ("{{ l.montant }}", "b"),
        "{% if l.taux_phrase %}, soit {{ l.taux_phrase }}{% endif %}.",
    )
    b.tag("endfor")
    b.tag("for l in financeur.acquis")
    b.bullet("{{ l.libelle }} (volet {{ l.volet|lower }}) : {{ l.montant }} — {{ l.statut|lower }}, non compris dans "
             "la présente demande.")  # fmt: skip
    b.tag("endfor")

    b.h1("1. Note explicative")
    b.h2("Le projet")
    b.tag("for d in projet.description")
    b.p("{{ d }}", align="justify")
    b.tag("endfor")
    b.tag("if not territoire.vide")
    b.h2("Le territoire et ses besoins")
    b.p(
        "Le projet concerne {{ territoire.communes_texte }} ({{ territoire.noms_communes }}), soit "
        "{{ territoire.habitants_texte }} (population municipale {{ territoire.annee_population }}), "
        "département {{ territoire.departement }}, région {{ territoire.region }}.",
        align="justify",
    )
    b.tag("if a_des_constats")
    b.p("Le diagnostic local de santé a établi les constats suivants :")
    b.tag("for c in constats")
    b.bullet("{{ c.titre }}")
    b.tag("endfor")
    b.tag("endif")
    b.tag("endif")
    b.tag("if effet_attendu.present")
    b.h2("L'effet attendu sur l'accès aux soins")
    b.p("{{ effet_attendu.texte }}", align="justify")
    b.p("{{ effet_attendu.methode }}", align="justify")
    b.tag("endif")
    b.tag("if a_des_objectifs")
    b.h2("Les objectifs du projet de santé")
    b.p("Les professionnels et les habitants ont retenu les priorités suivantes, déclinées en objectifs et en "
        "actions :", align="justify")  # fmt: skip
    b.tag("for o in objectifs")
    b.bullet(("{{ o.titre }}", "b"), "{% if o.objectifs %} : {{ o.objectifs|join(' ; ') }}{% endif %}"
             "{% if o.fiches %} (action : {{ o.fiches|join(' ; ') }}){% endif %}.")  # fmt: skip
    b.tag("endfor")
    b.tag("endif")
    b.tag("if equipe.present")
    b.h2("L'équipe")
    b.p(
        "{{ equipe.nombre }} sont engagés dans le projet ({{ equipe.composition }}), dont "
        "{{ equipe.signataires }} du projet de santé.",
        align="justify",
    )
    b.tag("endif")

    b.h1("2. Coût de l'opération")
    expenses_block(b)

    b.h1("3. Plan de financement prévisionnel")
    b.p("Les lignes surlignées sont celles de la présente demande.", style="Note santeloc")
    plan_block(b, highlight=True)
    b.tag("if financeur.mention")
    b.p("{{ financeur.mention }}", align="justify")
    b.tag("endif")

    b.h1("4. Calendrier de l'opération")
    b.tag("if travaux.connus")
    b.p(
        "Les travaux commenceront le ",
        ("{{ travaux.debut_travaux }}", "b"),
        " et s'achèveront le ",
        ("{{ travaux.fin_travaux }}", "b"),
        " ; l'opération s'étend du {{ travaux.debut_operation }} au {{ travaux.fin_operation }}.",
        align="justify",
    )
    b.tag("endif")
    calendar_block(b)

    b.tag("if emprunt.present")
    b.h1("5. Emprunt et loyers")
    b.p(
        "{{ emprunt.libelle }} : {{ emprunt.capital }} sur {{ emprunt.duree }} au taux de {{ emprunt.taux }} "
        "({{ emprunt.mode }}), soit une annuité de {{ emprunt.annuite }} et {{ emprunt.interets }} d'intérêts "
        "au total."
    )
    b.tag("if emprunt.loyer")
    b.p("{{ emprunt.loyer }}")
    b.tag("endif")
    b.tag("endif")

    b.h1("Pièces jointes")
    b.tag("for a in financeur.pieces")
    b.bullet("{{ a }}")
    b.tag("endfor")
    b.signature("{{ porteur.executif_titre }} {{ porteur.du_nom }}")

    b.tag("if financeur.investissement")
    b.page_break()
    b.doc.add_paragraph("Attestation de non-commencement", style="Title")
    b.p(
        "Je soussigné(e), {{ porteur.executif }} {{ porteur.du_nom }}, maître d'ouvrage de l'opération "
        "« {{ projet.nom }} », atteste que cette opération n'a reçu aucun commencement d'exécution à la date de la "
        "présente demande de subvention « {{ financeur.nom_court }} », établie le {{ financeur.date_demande }} : "
        "aucun marché de travaux n'est signé et aucun ordre de service n'est donné.",
        align="justify",
    )
    b.tag("if travaux.debut_travaux")
    b.p("Le commencement des travaux est prévu le {{ travaux.debut_travaux }}.", align="justify")
    b.tag("endif")
    b.p(
        "Je m'engage à ne pas commencer l'opération avant que le dossier ait été déclaré complet, sauf autorisation "
        "expresse du financeur.",
        align="justify",
    )
    b.signature("{{ porteur.executif_titre }} {{ porteur.du_nom }}")
    b.tag("endif")
    return b


def deliberation() -> Builder:
    """Délibération approving the project and its plan: the extrait du registre, then the plan annexed."""
    b = Builder("Délibération")
    b.p(("{{ porteur.nom|upper }}", "b"), align="center")
    b.p(("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU {{ porteur.organe|upper }}", "b"), align="center")
    b.p("Séance du ……………………………… à …… h ……", align="center")
    b.p(
        "Nombre de membres en exercice : ………  Présents : ………  Représentés : ………  Votants : ………",
        align="center",
    )
    b.p("Date de la convocation : ………………………………", align="center")
    b.p("Secrétaire de séance : ………………………………", align="center")
    b.p(("Objet : ", "b"), "{{ deliberation.objet }}", align="justify")
    b.p(("{{ porteur.assemblee }},", "b"))
    b.tag("for v in deliberation.vus")
    b.p("Vu {{ v }} ;", align="justify")
    b.tag("endfor")
    b.tag("for c in deliberation.considerants")
    b.p("Considérant {{ c }} ;", align="justify")
    b.tag("endfor")
    b.p("Après en avoir délibéré, par ……… voix pour, ……… voix contre et ……… abstentions,", align="justify")
    b.p(("DÉCIDE :", "b"), align="center")
    b.p(
        ("Article 1 : ", "b"),
        "D'approuver le projet de {{ projet.nature }} « {{ projet.nom }} », porté par {{ porteur.le_nom }}.",
        align="justify",
    )
    b.p(
        ("Article 2 : ", "b"),
        "D'approuver le plan de financement prévisionnel de l'opération, d'un coût total de "
        "{{ plan.total_ht }} HT ({{ plan.total_ttc }} TTC), annexé à la présente délibération.",
        align="justify",
    )
    b.tag("if deliberation.a_des_sollicitations")
    b.p(("Article 3 : ", "b"), "De solliciter les subventions suivantes :")
    b.tag("for s in deliberation.sollicitations")
    b.bullet("{{ s.nom }} : {{ s.montant }}, soit {{ s.taux_phrase }} (volet {{ s.volet }}) ;")
    b.tag("endfor")
    b.tag("endif")
    b.p(
        ("Article {% if deliberation.a_des_sollicitations %}4{% else %}3{% endif %} : ", "b"),
        "D'assurer la part restant à la charge {{ porteur.du_nom }}, soit {{ deliberation.participation }}"
        "{% if deliberation.moyens_propres %}, {{ deliberation.moyens_propres }}{% endif %}"
        "{% if deliberation.part_participation %}, {{ deliberation.part_participation }}{% endif %}"
        ", de prendre en charge les éventuels dépassements et la part "
        "des subventions qui ne serait pas obtenue, et d'inscrire les crédits correspondants "
        "{{ deliberation.budget }}.{% if deliberation.tiers %} {{ deliberation.tiers }}{% endif %}",
        align="justify",
    )
    b.p(
        ("Article {% if deliberation.a_des_sollicitations %}5{% else %}4{% endif %} : ", "b"),
        "D'autoriser {{ porteur.executif }} à signer les demandes de subvention, les conventions et toutes les "
        "pièces relatives à cette opération.",
        align="justify",
    )
    b.p("Ainsi fait et délibéré les jour, mois et an susdits. Pour extrait certifié conforme.")
    b.signature("{{ porteur.executif_titre }}")
    b.p(
        "La présente délibération peut faire l'objet d'un recours devant le tribunal administratif dans un délai "
        "de deux mois à compter de sa publication et de sa transmission au représentant de l'État.",
        style="Note santeloc",
    )

    b.page_break()
    b.h1("Annexe : plan de financement prévisionnel")
    expenses_block(b)
    plan_block(b)
    return b


def _field_table(b: Builder, part: str) -> None:
    """The fields of a part of the projet de santé as a two-column table."""
    b.table(("Rubrique", "Renseignement"), f"for s in sections.{part}", ("{{ s.titre }}", "{{ s.valeur }}"),
            (5.5, 11.5))  # fmt: skip


def _text_sections(b: Builder, part: str) -> None:
    """The free-text sections of a part: a heading each, the text or a guided placeholder."""
    b.tag(f"for s in sections.{part}")
    b.h2("{{ s.titre }}")
    b.tag("if s.renseigne")
    b.tag("for t in s.paragraphes")
    b.p("{{ t }}", align="justify")
    b.tag("endfor")
    b.tag("endif")
    b.tag("endfor")


def projet_sante() -> Builder:
    """Projet de santé in the ARS structure, with the signatures of the team."""
    b = Builder("Projet de santé")
    b.cover(
        "Projet de santé",
        "{{ projet.nom }}",
        [
            "Porteur : {{ porteur.nom }} — {{ porteur.type }}",
            "Projet : {{ projet.type }}",
            "Territoire : {{ territoire.communes_texte }}, {{ territoire.habitants_texte }}",
            "Équipe : {{ equipe.nombre }}",
            "Document établi le {{ document.date }}",
        ],
    )
    b.toc()

    b.h1("1. Identification de la structure")
    _field_table(b, "identification")
    b.p(
        "Le projet est porté par {{ porteur.le_nom }} ({{ porteur.type }}) sur un territoire de "
        "{{ territoire.communes_texte }} et {{ territoire.habitants_texte }}.",
        align="justify",
    )
    b.tag("for d in projet.description")
    b.p("{{ d }}", align="justify")
    b.tag("endfor")

    b.h1("2. Diagnostic préalable")
    _text_sections(b, "diagnostic")
    b.tag("if diagnostic.present")
    b.p(
        "Le territoire du projet réunit {{ territoire.communes_texte }} et {{ territoire.habitants_texte }} "
        "(population municipale {{ territoire.annee_population }}){% if territoire.departement %}, département "
        "{{ territoire.departement }}{% endif %}.",
        align="justify",
    )
    b.tag("if diagnostic.indicateurs")
    b.h2("État de santé : écarts significatifs")
    b.table(
        ("Indicateur", "Valeur", "Lecture", "Source"),
        "for i in diagnostic.indicateurs",
        ("{{ i.libelle }}", "{{ i.valeur }}", "{{ i.lecture }}", "{{ i.source }}"),
        (5.5, 2.2, 5.3, 4.0),
    )
    b.tag("endif")
    b.tag("if diagnostic.offre")
    b.h2("Offre de soins sur le territoire")
    b.table(
        ("Profession", "Effectif", "Pour 10 000 hab.", "Âge moyen", "Départs d'ici 5 ans", "Départs d'ici 10 ans"),
        "for o in diagnostic.offre",
        ("{{ o.profession }}", "{{ o.effectif }}", "{{ o.densite }}", "{{ o.age }}", "{{ o.departs5 }}",
         "{{ o.departs10 }}"),
        (5.0, 1.8, 2.6, 2.2, 2.7, 2.7),
        align=("left", "right", "right", "right", "right", "right"),
    )  # fmt: skip
    b.p("{{ diagnostic.departs }}", align="justify")
    b.tag("endif")
    b.tag("if diagnostic.acces")
    b.h2("Accessibilité")
    b.table(("Mesure", "Valeur"), "for a in diagnostic.acces", ("{{ a.mesure }}", "{{ a.valeur }}"), (12.0, 5.0))
    b.tag("endif")
    b.tag("for t in diagnostic.apl")
    b.p("{{ t }}", align="justify")
    b.tag("endfor")
    b.tag("endif")
    b.tag("if diagnostic.equipe")
    b.h2("L'équipe")
    b.table(
        ("Nom", "Profession", "Lieu d'exercice", "Temps (ETP)", "Engagement"),
        "for m in diagnostic.equipe",
        ("{{ m.nom }}", "{{ m.profession }}", "{{ m.lieu }}", "{{ m.temps }}", "{{ m.engagement }}"),
        (3.6, 3.8, 3.6, 2.0, 4.0),
    )
    b.tag("endif")
    b.tag("if diagnostic.locaux")
    b.h2("Les locaux")
    b.tag("for l in diagnostic.locaux")
    b.bullet("{{ l }}")
    b.tag("endfor")
    b.tag("endif")
    b.h2("Les constats retenus")
    b.tag("if a_des_constats")
    b.tag("for c in constats")
    b.bullet(("{{ c.titre }}", "b"))
    b.tag("endfor")
    b.tag("endif")

    b.h1("3. Projet de soins")
    _text_sections(b, "projet_de_soins")

    b.h1("4. Projet professionnel")
    _text_sections(b, "projet_professionnel")

    b.h1("5. Critères socle de l'accord conventionnel interprofessionnel")
    _field_table(b, "aci")

    b.h1("6. Priorités, objectifs et actions")
    b.tag("for p in priorites")
    b.p(("Priorité {{ p.numero }} : {{ p.titre }}", "b"))
    b.tag("for o in p.objectifs")
    b.bullet("Objectif : {{ o.titre }}{% if o.fiches %} — {{ o.fiches|join(' ; ') }}{% endif %}")
    b.tag("endfor")
    b.tag("endfor")

    b.h1("7. Les fiches action")
    b.tag("if a_des_actions")
    b.tag("for a in actions")
    b.h2("Fiche action {{ a.numero }} : {{ a.titre }}")
    b.table(
        ("Rubrique", "Contenu"),
        "for r in a.rubriques",
        ("{{ r.titre }}", "{{ r.valeur }}"),
        (4.5, 12.5),
    )
    b.tag("for t in a.description")
    b.p("{{ t }}", align="justify")
    b.tag("endfor")
    b.tag("if a.jalons")
    b.label("Jalons")
    b.tag("for j in a.jalons")
    b.bullet("{{ j }}")
    b.tag("endfor")
    b.tag("endif")
    b.label("Indicateurs d'évaluation")
    b.tag("if a.a_des_indicateurs")
    b.table(
        ("Indicateur", "Unité", "Valeur de référence", "Cible", "Source"),
        "for i in a.indicateurs",
        ("{{ i.libelle }}", "{{ i.unite }}", "{{ i.reference }}", "{{ i.cible }}", "{{ i.source }}"),
        (5.6, 2.0, 3.0, 3.0, 3.4),
        align=("left", "left", "right", "right", "left"),
    )
    b.tag("endif")
    b.tag("endfor")
    b.tag("endif")

    b.h1("8. Les professionnels signataires")
    b.tag("if equipe.a_des_membres")
    b.p(
        "Le présent projet de santé est élaboré et porté par les {{ equipe.nombre }} suivants, qui s'engagent à "
        "le mettre en œuvre.",
        align="justify",
    )
    b.tag("endif")
    signatures = b.table(
        ("Nom et prénom", "Profession", "Date", "Signature"),
        "for m in equipe.signataires",
        ("{{ m.nom }}", "{{ m.profession }}", "{{ m.date }}", ""),
        (5.0, 4.4, 2.6, 5.0),
    )
    signatures.rows[2].height = Cm(1.8)
    b.p("Fait à ………………………………, le ……………………", align="right")
    b.p(("Pour le porteur du projet, {{ porteur.executif_titre }} {{ porteur.du_nom }}", "b"), align="right")
    b.p(("(signature et cachet)", "i"), align="right")
    return b


def compte_rendu() -> Builder:
    """Compte rendu of a meeting or workshop: who came, decisions, tasks as they stood, next meeting."""
    b = Builder("Compte rendu de réunion")
    b.doc.add_paragraph("Compte rendu", style="Title")
    b.doc.add_paragraph("{{ reunion.titre }}", style="Subtitle")
    b.box(
        [
            ["Projet : ", ("{{ projet.nom }}", "b")],
            ["Porteur : {{ porteur.nom }}"],
            ["Réunion : {{ reunion.type }}, le {{ reunion.date_longue }}{% if reunion.lieu %}, {{ reunion.lieu }}"
             "{% endif %}"],
            ["Secrétaire de séance : {{ reunion.secretaire }}"],
        ],
        fill="EEF4F2",
    )  # fmt: skip

    b.h1("1. Participants")
    b.tag("if reunion.presents")
    b.label("Présents ({{ reunion.nb_participants }})")
    b.table(
        ("Nom", "Fonction", "Structure"),
        "for p in reunion.presents",
        ("{{ p.nom }}", "{{ p.role }}", "{{ p.organisation }}"),
        (5.5, 5.0, 6.5),
    )
    b.tag("endif")
    b.tag("if reunion.a_des_excuses")
    b.label("Excusés")
    b.table(("Nom", "Fonction", "Structure"), "for p in reunion.excuses",
            ("{{ p.nom }}", "{{ p.role }}", "{{ p.organisation }}"), (5.5, 5.0, 6.5))  # fmt: skip
    b.tag("endif")
    b.tag("if reunion.a_des_absents")
    b.label("Absents")
    b.table(("Nom", "Fonction", "Structure"), "for p in reunion.absents",
            ("{{ p.nom }}", "{{ p.role }}", "{{ p.organisation }}"), (5.5, 5.0, 6.5))  # fmt: skip
    b.tag("endif")

    b.tag("if reunion.ordre_du_jour")
    b.h1("2. Ordre du jour")
    b.tag("for o in reunion.ordre_du_jour")
    b.bullet("{{ o }}")
    b.tag("endfor")
    b.tag("endif")

    b.tag("if reunion.decisions")
    b.h1("3. Décisions")
    b.tag("for d in reunion.decisions")
    b.bullet("{{ d }}")
    b.tag("endfor")
    b.tag("endif")

    b.tag("if reunion.taches")
    b.h1("4. Suites à donner")
    b.p("État de chaque tâche au {{ reunion.date_longue }}, date de la réunion.", style="Note santeloc")
    b.table(
        ("Tâche", "Responsable", "Échéance", "État"),
        "for t in reunion.taches",
        ("{{ t.libelle }}", "{{ t.responsable }}", "{{ t.echeance }}", "{{ t.etat }}"),
        (7.6, 4.0, 3.0, 2.4),
        align=("left", "left", "center", "center"),
    )
    b.tag("endif")

    b.tag("if reunion.prochaine_reunion")
    b.h1("Prochaine réunion")
    b.p("{{ reunion.prochaine_reunion }}.")
    b.tag("endif")
    b.p("Compte rendu établi le {{ document.date_longue }}{% if reunion.secretaire %} par "
        "{{ reunion.secretaire }}, secrétaire de séance{% endif %}.", style="Note santeloc")  # fmt: skip
    return b


BUILDERS = {
    "diagnostic.docx": (diagnostic, "Diagnostic local de santé"),
    "demande_subvention.docx": (subvention, "Dossier de demande de subvention"),
    "deliberation.docx": (deliberation, "Délibération"),
    "projet_sante.docx": (projet_sante, "Projet de santé"),
    "compte_rendu.docx": (compte_rendu, "Compte rendu de réunion"),
}


def build(folder: Path) -> list[Path]:
    """Write every template into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (make, title) in BUILDERS.items():
        path = folder / name
        make().save(path, title)
        written.append(path)
    return written


def main() -> None:
    """Command line: rebuild the templates."""
    parser = argparse.ArgumentParser(description="Construit les modèles Word des dossiers dans templates/.")
    parser.add_argument("--out", default=str(ROOT / "templates"), help="dossier de destination")
    folder = Path(parser.parse_args().out)
    for path in build(folder):
        print(f"écrit : {path}")


if __name__ == "__main__":
    main()
