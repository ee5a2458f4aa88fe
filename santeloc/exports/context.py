"""Context builders of the dossiers: the domain turned into plain dicts of French text.

Each builder returns a ``dict`` of strings, booleans, lists and dicts (French number and
date formatting already applied) plus :class:`ImageRef` placeholders for charts and maps. The
Word renderer (:mod:`santeloc.exports.word`) swaps each :class:`ImageRef` for a docxtpl
``InlineImage``; the builders themselves know nothing of docxtpl, so they are tested as plain
data and every template's variables can be checked against them.

Charts are costly (a map draws hundreds of commune outlines), so they live in a
:class:`ChartSet`: the project's data is read once, each chart is rendered to PNG on first use
and the same bytes are reused by every document of a dossier (the four grant applications
share the financing chart with the délibération).

Variable names of the templates are French (users adapt the templates); identifiers of the
code stay English.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from santeloc.domain import financing as rules
from santeloc.domain.enums import PorteurType, ProjectType, QuestionKind
from santeloc.domain.formatting import format_cents, format_date, format_decimal, format_int, plural
from santeloc.domain.indicators import Unit
from santeloc.exports.apl_context import access_apl_context
from santeloc.exports.chart_style import finish
from santeloc.exports.charts import comparison_chart, population_pyramid, smr_chart
from santeloc.exports.financing_charts import loan_chart, resources_by_stage
from santeloc.exports.maps import choropleth_map, territory_map
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import access as access_svc
from santeloc.services import financing as financing_svc
from santeloc.services import health_project as health_svc
from santeloc.services import indicators as indicators_svc
from santeloc.services import meeting_minutes as minutes_svc
from santeloc.services import meetings as meetings_svc
from santeloc.services import offer as offer_svc
from santeloc.services import survey as survey_svc
from santeloc.services.access import AplReport
from santeloc.services.apl_scenarios import ScenarioResult, retained_scenario
from santeloc.services.demography import DemographyReport, demography_report
from santeloc.services.official_apl_figures import OfficialAplFigures, official_apl_figures
from santeloc.services.projects import ProjectInfo, get_project
from santeloc.services.territory import TerritorySummary, territory_summary

if TYPE_CHECKING:
    from santeloc.exports.review import Review

Context = dict[str, Any]

DEFAULT_DPI = 150
# Widths in the page (A4 portrait, 2 cm margins: 170 mm of text).
WIDE_MM = 165.0
MAP_MM = 140.0
PYRAMID_MM = 135.0

HIGHLIGHT_FILL = "FFE8A3"  # the funder's own row in a grant application
PLAIN_FILL = "FFFFFF"
TOTAL_FILL = "E3EFEB"

CHART_KEYS: tuple[str, ...] = ("carte", "comparaison", "significativite", "pyramide", "ressources", "emprunt")
"""Every chart a dossier may hold, by key."""


# --- data read once ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectData:
    """Everything the dossiers of one project show, read from the database in one go."""

    project: ProjectInfo
    territory: TerritorySummary
    labels: dict[str, str]
    indicators: list[indicators_svc.IndicatorRow]
    constats: list[indicators_svc.ConstatRow]
    ages: list[indicators_svc.AgeGroup]
    reference_ages: list[indicators_svc.AgeGroup]
    settings: dict[str, str]
    plan: financing_svc.PlanView
    today: date
    demography: DemographyReport
    apl: tuple[AplReport, ...]  # the stored APL runs, one per profession
    official_apl: tuple[OfficialAplFigures, ...] = ()  # the DREES's APL, GPs first
    apl_scenario: ScenarioResult | None = None  # the what-if retained for the diagnostic


def load_project_data(uow: UnitOfWork, project_id: int, refdata: RefData, *, today: date | None = None) -> ProjectData:
    """Read a project for its dossiers, without writing anything to the database.

    A project that has no financing plan yet, or whose funder catalogue was never seeded, gets
    an in-memory plan and the default catalogue: an export never changes the project.
    """
    project = get_project(uow, project_id)
    territory = territory_summary(uow, project_id, refdata)
    dep, region = territory.reference_departement, territory.reference_region
    labels = indicators_svc.reference_labels(
        f"la valeur départementale ({dep.name}, {dep.code})" if dep else None,
        f"la valeur régionale ({region.name})" if region else None,
    )
    return ProjectData(
        project=project,
        territory=territory,
        labels=labels,
        indicators=indicators_svc.list_indicators(uow, project_id, labels),
        constats=indicators_svc.list_constats(uow, project_id),
        ages=indicators_svc.age_table(uow, project_id, "territoire"),
        reference_ages=indicators_svc.age_table(uow, project_id, "reference"),
        settings=indicators_svc.get_settings(uow, project_id),
        plan=_reference_plan(uow, project),
        today=today or date.today(),
        demography=demography_report(uow, project_id, refdata, today),
        apl=tuple(access_svc.apl_runs(uow, project_id, refdata)),
        official_apl=tuple(official_apl_figures(uow, project_id, refdata)),
        apl_scenario=retained_scenario(uow, project_id, refdata),
    )


def _reference_plan(uow: UnitOfWork, project: ProjectInfo) -> financing_svc.PlanView:
    plans = financing_svc.list_plans(uow, project.id)  # the reference first
    owner_public = project.porteur_type.value in financing_svc.PUBLIC_OWNERS
    if plans:
        view = financing_svc.load_plan(uow, plans[0].id)
    else:
        view = financing_svc.PlanView(
            plan=financing_svc.PlanInfo(0, project.id, "Plan principal", True),
            expenses=(),
            resources=(),
            funders=(),
            loan=None,
            rent=None,
            analysis=rules.analyse(rules.Plan([], [], [])),
            owner_is_public=owner_public,
        )
    if view.funders:
        return view
    # Catalogue never seeded (step 7 not opened yet): analyse with the default one, in memory.
    funders = tuple(financing_svc.FunderRow(0, rule) for rule in rules.default_funders())
    analysis = rules.analyse(
        rules.Plan(
            expenses=[row.expense for row in view.expenses],
            resources=[row.resource for row in view.resources],
            funders=[row.rule for row in funders],
            maitre_ouvrage_is_public=owner_public,
            maitre_ouvrage_name=financing_svc.PUBLIC_OWNERS.get(project.porteur_type.value, "le maître d'ouvrage"),
        )
    )
    return financing_svc.PlanView(
        plan=view.plan,
        expenses=view.expenses,
        resources=view.resources,
        funders=funders,
        loan=view.loan,
        rent=view.rent,
        analysis=analysis,
        owner_is_public=owner_public,
    )


# --- charts, rendered once --------------------------------------------------------------------


@dataclass(frozen=True)
class ImageRef:
    """A chart to place in a document: its key, the width it takes and how to get its PNG.

    The PNG is asked for only when a template actually prints the chart (a délibération that
    shows no chart costs no chart), and the :class:`ChartSet` behind ``source`` renders each
    chart once for the whole dossier.
    """

    key: str
    width_mm: float
    source: Callable[[], bytes] = field(repr=False, compare=False)

    @property
    def png(self) -> bytes:
        """The chart as PNG (rendered on first use by its chart set)."""
        return self.source()


class ChartSet:
    """The charts and maps of one project as PNG, each rendered on first use and then reused."""

    def __init__(self, data: ProjectData, refdata: RefData, *, dpi: int = DEFAULT_DPI) -> None:
        self.data = data
        self.refdata = refdata
        self.dpi = dpi
        self._png: dict[str, bytes] = {}

    @classmethod
    def load(cls, uow: UnitOfWork, project_id: int, refdata: RefData, *, today: date | None = None) -> ChartSet:
        """Read the project and prepare its charts (none is drawn yet)."""
        return cls(load_project_data(uow, project_id, refdata, today=today), refdata)

    @property
    def project_id(self) -> int:
        """Id of the project the charts show."""
        return self.data.project.id

    def available(self, key: str) -> bool:
        """Whether the chart has something to show (else documents print a sentence instead)."""
        data = self.data
        if key == "carte":
            return not data.territory.is_empty
        if key == "comparaison":
            return any(r.value_territory is not None and _has_reference(r) for r in data.indicators)
        if key == "significativite":
            return any(r.smr is not None for r in data.indicators)
        if key == "pyramide":
            return sum(g.men + g.women for g in data.ages) > 0
        if key == "ressources":
            return any(not s.is_empty for s in data.plan.analysis.stages)
        if key == "emprunt":
            return bool(data.plan.schedule)
        if key.startswith("apl_officielle:"):
            item = data.official_apl[int(key.split(":", 1)[1])]
            return any(c.value is not None for c in item.communes)
        if key == "apl_scenario":
            return data.apl_scenario is not None and any(c.after is not None for c in data.apl_scenario.communes)
        if key.startswith("apl:"):
            return any(run.choice.profession == key[4:] for run in data.apl)
        raise KeyError(key)

    def figure(self, key: str) -> Figure:
        """A new matplotlib figure of the chart (also what the GUI would show)."""
        data = self.data
        if key == "carte":
            return territory_map(self.refdata, data.territory.codes, figsize=(6.0, 5.0))
        # No title on the charts: the documents put a heading above each.
        if key == "comparaison":
            return comparison_chart(data.indicators)
        if key == "significativite":
            return smr_chart(data.indicators)
        if key == "pyramide":
            label = data.labels["value_departement"] if data.reference_ages else "Référence"
            return population_pyramid(data.ages, data.reference_ages, label)
        if key == "ressources":
            return resources_by_stage(data.plan.analysis)
        if key == "emprunt":
            return _whole_years(loan_chart(data.plan.schedule))
        if key == "apl_scenario" and data.apl_scenario is not None:
            result = data.apl_scenario
            after = {c.code: c.after if c.after is not None else float("nan") for c in result.communes}
            sites = [change.commune_code for change in result.changes if change.commune_code in after]
            return choropleth_map(self.refdata, after, title="", legend_label="consultations par habitant "
                                  "standardisé et par an", threshold=result.threshold, sites=sites,
                                  sites_label="Changement")  # fmt: skip
        if key.startswith("apl_officielle:"):
            item = data.official_apl[int(key.split(":", 1)[1])]
            values = {c.code: c.value if c.value is not None else float("nan") for c in item.communes}
            return choropleth_map(self.refdata, values, title="", legend_label=item.unit, threshold=item.threshold)
        if key.startswith("apl:"):
            run = next(run for run in data.apl if run.choice.profession == key[4:])
            values = {c.code: c.value if c.value is not None else float("nan") for c in run.communes}
            return choropleth_map(self.refdata, values, title="", legend_label=run.unit_label, sites=list(run.sites))
        raise KeyError(key)

    def png(self, key: str) -> bytes:
        """The chart as PNG, rendered once."""
        if key not in self._png:
            buffer = io.BytesIO()
            finish(self.figure(key)).savefig(buffer, format="png", dpi=self.dpi, facecolor="white")
            self._png[key] = buffer.getvalue()
        return self._png[key]

    def image(self, key: str, width_mm: float = WIDE_MM) -> ImageRef | str:
        """The chart for a document, or ``""`` when it would be empty (templates test it)."""
        if not self.available(key):
            return ""
        return ImageRef(key, width_mm, lambda: self.png(key))

    @property
    def rendered(self) -> list[str]:
        """Keys of the charts rendered so far."""
        return list(self._png)

    def render_all(self, progress: Callable[[str], bool] | None = None) -> bool:
        """Render every chart that has data; ``progress(key)`` returning False stops (→ False)."""
        official = [f"apl_officielle:{index}" for index in range(len(self.data.official_apl))]
        official += ["apl_scenario"] if self.data.apl_scenario is not None else []
        for key in (
            *CHART_KEYS,
            *official,
            *(f"apl:{run.choice.profession}" for run in self.data.apl if not run.legacy),
        ):
            if progress is not None and not progress(key):
                return False
            if self.available(key):
                self.png(key)
        return True


def _whole_years(figure: Figure) -> Figure:
    """Instalment numbers as whole numbers (the chart's default ticks read « 2.5 »)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if figure.axes:
        axis = figure.axes[0].xaxis
        axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(FuncFormatter(lambda value, _pos: format_int(round(value))))
    return figure


def _has_reference(row: indicators_svc.IndicatorRow) -> bool:
    return any(v for v in (row.value_france, row.value_region, row.value_departement))


def dossier_review(uow: UnitOfWork, charts: ChartSet) -> Review:
    """The relecture of the dossier the charts belong to (computed once per chart set)."""
    cached = getattr(charts, "_review", None)
    if cached is None:
        cached = review_dossier(uow, charts.project_id, charts.data)
        charts._review = cached  # type: ignore[attr-defined]
    return cached


def mark_document(uow: UnitOfWork, charts: ChartSet, context: Context, key: str) -> Context:
    """Set the header of a document: its title, preceded by « PROJET — document incomplet » when the
    relecture lists something for it (a document is never presented as final when it is not)."""
    incomplete = not dossier_review(uow, charts).is_complete(key)
    title = context["document"].get("titre_court") or context["document"]["titre"]
    context["document"]["incomplet"] = incomplete
    context["document"]["entete"] = f"{INCOMPLETE_MARK} — {title}" if incomplete else title
    context["document"]["marque_brouillon"] = INCOMPLETE_MARK if incomplete else ""
    return context


def _charts(uow: UnitOfWork, project_id: int, refdata: RefData, images: ChartSet | None) -> ChartSet:
    if images is not None and images.project_id == project_id:
        return images
    return ChartSet.load(uow, project_id, refdata)


# --- shared pieces ----------------------------------------------------------------------------

_ASSEMBLIES: dict[str, tuple[str, str, str, str]] = {
    # porteur type → (assembly as subject, its name, the executive, the body as object)
    PorteurType.COMMUNE.value: ("Le conseil municipal", "conseil municipal", "le maire", "la commune"),
    PorteurType.EPCI.value: ("Le conseil communautaire", "conseil communautaire", "le président", "la communauté"),
    PorteurType.PAYS.value: ("Le comité syndical", "comité syndical", "le président", "le syndicat"),
    PorteurType.ASSOCIATION_PROFESSIONNELS.value: (
        "Le conseil d'administration",
        "conseil d'administration",
        "le président",
        "l'association",
    ),
    PorteurType.AUTRE.value: ("L'assemblée délibérante", "assemblée délibérante", "le président", "la structure"),
}

_PROJECT_NOUNS: dict[str, str] = {
    ProjectType.MSP_MONO_SITE.value: "maison de santé pluriprofessionnelle",
    ProjectType.MSP_MULTI_SITE.value: "pôle de santé (maison de santé pluriprofessionnelle multi-site)",
    ProjectType.CENTRE_SANTE.value: "centre de santé",
    ProjectType.PROJET_TERRITORIAL.value: "projet territorial de santé",
}

TO_COMPLETE = ""
"""What a missing value prints: nothing (the relecture names it; the header says the document is incomplete)."""
BLANK = "………………………………"
"""A name a sentence needs but the project lacks: the dotted line of a form filled in by hand."""


_ARTICLES: dict[str, str] = {
    # first word of a porteur's name → its article (names of places take none)
    "communauté": "la ", "commune": "la ", "ville": "la ", "métropole": "la ", "mairie": "la ",
    "association": "l'", "agglomération": "l'", "union": "l'",
    "syndicat": "le ", "pays": "le ", "pôle": "le ", "petr": "le ", "groupement": "le ", "centre": "le ",
    "sivom": "le ", "sivu": "le ", "conseil": "le ", "département": "le ", "comité": "le ",
    "agence": "l'", "région": "la ", "état": "l'", "ademe": "l'", "assurance": "l'",
}  # fmt: skip


def with_article(name: str) -> str:
    """``"Communauté de communes X"`` → ``"la Communauté de communes X"`` (place names unchanged)."""
    first = name.split(" ", 1)[0].split("-", 1)[0].lower()
    return _ARTICLES.get(first, "") + name


def of_name(name: str) -> str:
    """``"de la Communauté…"``, ``"du Syndicat…"``, ``"de l'Association…"``, ``"de Saint-Amand"``."""
    article = with_article(name)
    if article.startswith("le "):
        return "du " + article[3:]
    return "de " + article


def _porteur(project: ProjectInfo) -> Context:
    subject, body, executive, entity = _ASSEMBLIES.get(project.porteur_type.value, _ASSEMBLIES["autre"])
    name = project.porteur_name.strip()
    shown = name or TO_COMPLETE
    named = with_article(shown) if name else BLANK  # a sentence never reads « porté par . »
    return {
        "nom": shown,
        "le_nom": named,
        "sujet": named[:1].upper() + named[1:],
        "du_nom": of_name(shown) if name else f"de {BLANK}",
        "nom_ou_vide": name,
        "type": project.porteur_type.label,
        "est_public": project.porteur_type.value in financing_svc.PUBLIC_OWNERS,
        "assemblee": subject,
        "organe": body,
        "executif": executive,
        "executif_titre": executive[:1].upper() + executive[1:],
        "entite": entity,
    }


def french_sort_key(text: str) -> tuple[str, str]:
    """French alphabetical order: accents and case ignored first (« Égleny » after « Dracy »), then kept."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return (plain.casefold().replace("-", " ").replace("'", " "), text)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs separated by a blank line; inside one, a line starting with a dash is an item of its own."""
    shown: list[str] = []
    for part in text.replace("\r", "").split("\n\n"):
        current: list[str] = []
        for line in part.split("\n"):
            if line.lstrip().startswith(("– ", "- ", "• ")) and current:
                shown.append(" ".join(" ".join(current).split()))
                current = []
            current.append(line)
        if " ".join(current).strip():
            shown.append(" ".join(" ".join(current).split()))
    return shown


def _common(data: ProjectData, title: str) -> Context:
    """Variables every template may use: project, porteur, document, territory in brief."""
    project = data.project
    territory = data.territory
    dep, region = territory.reference_departement, territory.reference_region
    description = _paragraphs(project.description)
    return {
        "document": {
            "titre": title,
            "date": format_date(data.today),
            "date_longue": _long_date(data.today),
            "annee": str(data.today.year),
            "entete": title,
            "incomplet": False,
            "marque_brouillon": "",
            "auteur": data.project.porteur_name.strip(),
        },
        "projet": {
            "nom": project.name,
            "type": project.project_type.label,
            "nature": _PROJECT_NOUNS.get(project.project_type.value, "projet de santé"),
            "description": description,
            "a_une_description": bool(description),
        },
        "porteur": _porteur(project),
        "territoire": {
            "vide": territory.is_empty,
            "nb_communes": format_int(len(territory.communes)),
            "communes_texte": plural(len(territory.communes), "commune"),
            "population": format_int(territory.population),
            "habitants_texte": plural(territory.population, "habitant"),
            "annee_population": str(territory.population_year),
            "source_population": territory.population_source,
            "departement": f"{dep.name} ({dep.code})" if dep else "",
            "region": region.name if region else "",
            "departements": ", ".join(f"{d.name} ({d.code})" for d in territory.departements),
            "communes": [
                {
                    "nom": row.name,
                    "code": row.code,
                    "epci": row.epci_name or "—",
                    "population": format_int(row.population),
                }
                for row in sorted(territory.communes, key=lambda r: french_sort_key(r.name))
            ],
            "noms_communes": ", ".join(sorted((r.name for r in territory.communes), key=french_sort_key)),
        },
    }


# --- diagnostic -------------------------------------------------------------------------------


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == Unit.COUNT.value and float(value).is_integer():
        return format_int(int(value))
    return format_decimal(value, 1)


_LEVEL_WORDS = {"value_france": "à la France", "value_region": "à la région", "value_departement": "au département"}


def indicator_reading(row: indicators_svc.IndicatorRow) -> str:
    """A short reading of the row for the table: significance first, else the gap to France."""
    smr = row.smr
    if smr is not None:
        bounds = (
            f"{format_decimal(smr.index, 0)} (intervalle de confiance à 95 % : {format_decimal(smr.low, 0)} "
            f"à {format_decimal(smr.high, 0)})"
        )
        if smr.low > 100:
            return f"Indice {bounds} : significativement supérieur"
        if smr.high < 100:
            return f"Indice {bounds} : significativement inférieur"
        return f"Indice {bounds} : écart non significatif"
    comparisons = row.comparisons
    for key in ("value_france", "value_region", "value_departement"):
        comparison = comparisons.get(key)
        if comparison is not None and comparison.direction is not None:
            direction = comparison.direction
            word = "Égal" if direction == "égal" else direction.capitalize()
            return f"{word} {_LEVEL_WORDS[key]}"
    return "—"


def _unit_short(unit: str) -> str:
    try:
        return Unit(unit).short
    except ValueError:
        return unit


def _indicator_themes(rows: list[indicators_svc.IndicatorRow]) -> list[Context]:
    themes: dict[str, Context] = {}
    for row in rows:
        if not row.has_values:
            continue
        theme = themes.setdefault(row.theme_label, {"titre": row.theme_label, "indicateurs": []})
        unit = _unit_short(row.unit)
        theme["indicateurs"].append(
            {
                "libelle": row.label,
                "libelle_unite": f"{row.label} ({unit})" if unit else row.label,
                "unite": unit,
                "annee": str(row.year) if row.year else "—",
                "territoire": _value(row.value_territory, row.unit),
                "departement": _value(row.value_departement, row.unit),
                "region": _value(row.value_region, row.unit),
                "france": _value(row.value_france, row.unit),
                "lecture": indicator_reading(row),
                "source": row.source or "—",
            }
        )
    return list(themes.values())


def _sources(rows: list[indicators_svc.IndicatorRow]) -> str:
    sources = sorted({row.source.strip() for row in rows if row.has_values and row.source.strip()})
    return ", ".join(sources)


def diagnostic_context(uow: UnitOfWork, project_id: int, refdata: RefData, images: ChartSet | None = None) -> Context:
    """Context of the *diagnostic local de santé* (territory, population, health status, constats)."""
    charts = _charts(uow, project_id, refdata, images)
    data = charts.data
    context = _common(data, "Diagnostic local de santé")
    themes = _indicator_themes(data.indicators)
    counted = sum(len(t["indicateurs"]) for t in themes)
    context["territoire"]["carte"] = charts.image("carte", MAP_MM)
    total_ages = sum(g.men + g.women for g in data.ages)
    over_75 = sum(g.men + g.women for g in data.ages if g.age_min >= 75)
    over_60 = sum(g.men + g.women for g in data.ages if g.age_min >= 60)
    projection = data.settings.get(indicators_svc.PROJECTION_KEYS[0], "")
    projection_year = data.settings.get(indicators_svc.PROJECTION_KEYS[1], "")
    projection_text = ""
    if projection.isdigit() and projection_year.isdigit():
        projection_text = (
            f"La population attendue en {projection_year} est de {format_int(int(projection))} habitants "
            "(projection saisie par le porteur)."
        )
    context["population"] = {
        "pyramide": charts.image("pyramide", PYRAMID_MM),
        "a_une_pyramide": total_ages > 0,
        "part_60_ans": format_decimal(100 * over_60 / total_ages, 1) + "\u00a0%" if total_ages else "—",
        "part_75_ans": format_decimal(100 * over_75 / total_ages, 1) + "\u00a0%" if total_ages else "—",
        "effectif_table": format_int(total_ages),
        "projection": projection_text,
    }
    context["sante"] = {
        "a_des_indicateurs": counted > 0,
        "nb_indicateurs": plural(counted, "indicateur"),
        "themes": themes,
        "sources": _sources(data.indicators),
        "sources_phrase": f" (sources : {_sources(data.indicators)})" if _sources(data.indicators) else "",
        "graphique_comparaison": charts.image("comparaison", WIDE_MM),
        "graphique_significativite": charts.image("significativite", WIDE_MM),
    }
    context["constats"] = [
        {"numero": str(index), "titre": c.title, "commentaire": c.comment.strip()}
        for index, c in enumerate(data.constats, start=1)
    ]
    context["a_des_constats"] = bool(data.constats)
    context["offre"] = _offer_context(uow, project_id, data)
    context["accessibilite"] = _access_context(uow, project_id)
    context["accessibilite"].update(access_apl_context(data.official_apl, data.apl, charts, WIDE_MM, data.apl_scenario))
    context["enquete"] = _survey_context(uow, project_id)
    return mark_document(uow, charts, context, "diagnostic")


# --- projet de santé --------------------------------------------------------------------------

_YES_NO_LABELS = {"oui": "Oui", "non": "Non"}
_BLANK_SIGNATURES = 4  # blank signature rows printed when no professional is in the team yet


def _section_text(definition: health_svc.SectionDef, text: str) -> str:
    """The stored value of a section as the reader should see it (choice and oui/non labels)."""
    text = text.strip()
    if definition.kind == health_svc.CHOICE:
        return dict(definition.choices).get(text, text)
    if definition.kind == health_svc.YES_NO:
        return _YES_NO_LABELS.get(text, text)
    return text


def _section_context(definition: health_svc.SectionDef, text: str) -> Context:
    shown = _section_text(definition, text)
    return {
        "titre": definition.title,
        "valeur": shown or TO_COMPLETE,
        "renseigne": bool(shown),
        "paragraphes": _paragraphs(shown),
        "aide": " ".join(definition.guidance),
    }


def _indicator_value(value: float | None, year: int | None) -> str:
    if value is None:
        return "—"
    shown = format_int(int(value)) if float(value).is_integer() else format_decimal(value, 1)
    return f"{shown} ({year})" if year else shown


def _period(starts_on: date | None, ends_on: date | None) -> str:
    if starts_on and ends_on:
        return f"du {format_date(starts_on)} au {format_date(ends_on)}"
    if starts_on:
        return f"à partir du {format_date(starts_on)}"
    if ends_on:
        return f"jusqu'au {format_date(ends_on)}"
    return ""


_ACTION_ROWS = (
    ("priorite", "Priorité"),
    ("objectif_projet", "Objectif du projet"),
    ("objectif", "Objectif de l'action"),
    ("public", "Public visé"),
    ("pilote", "Pilote"),
    ("partenaires", "Partenaires"),
    ("periode", "Calendrier"),
    ("statut", "Statut"),
    ("budget", "Budget"),
)


def action_context(index: int, sheet: health_svc.ActionSheet) -> Context:
    """One fiche action for the documents (also used by the workbook)."""
    draft = sheet.draft
    indicators = [
        {
            "libelle": i.label,
            "unite": i.unit or "—",
            "reference": _indicator_value(i.baseline, i.baseline_year),
            "cible": _indicator_value(i.target, i.target_year),
            "source": i.source or "—",
        }
        for i in draft.indicators
    ]
    shown = {
        "priorite": sheet.priority_title,
        "objectif_projet": sheet.objective_title,
        "objectif": draft.objective.strip() or TO_COMPLETE,
        "public": draft.target_public.strip() or TO_COMPLETE,
        "pilote": draft.pilot.strip() or TO_COMPLETE,
        "partenaires": ", ".join(p.line for p in draft.partners) or "—",
        "periode": _period(draft.starts_on, draft.ends_on),
        "statut": sheet.status_label,
        "budget": format_cents(draft.budget_cents) if draft.budget_cents is not None else "—",
    }
    return shown | {
        "numero": str(index),
        "titre": draft.title,
        "rubriques": [{"titre": title, "valeur": shown[key]} for key, title in _ACTION_ROWS],
        "description": _paragraphs(draft.description),
        "jalons": [m.line for m in draft.milestones],
        "indicateurs": indicators,
        "a_des_indicateurs": bool(indicators),
    }


def projet_sante_context(uow: UnitOfWork, project_id: int, refdata: RefData, images: ChartSet | None = None) -> Context:
    """Context of the *projet de santé* in the ARS structure, with the team's signature blocks.

    Empty sections are left out (the relecture names them); the diagnostic préalable, when not
    written, is drafted from steps 1 to 3; every priority with its objectives and fiches.
    """
    charts = _charts(uow, project_id, refdata, images)
    data = charts.data
    context = _common(data, "Projet de santé")
    stored = health_svc.get_sections(uow, project_id)
    defaults = health_svc.default_sections(uow, project_id)
    # Section 2 not written: tables from the computed figures (see exports.health_diagnostic_context).
    from santeloc.exports.health_diagnostic_context import apl_sentences, structured_diagnostic

    apl = apl_sentences(data.official_apl, data.apl, data.apl_scenario)
    diagnostic = structured_diagnostic(uow, project_id, refdata, data.indicators, data.today, apl)
    written = stored.get("diagnostic.prealable", "").strip()
    drafted = health_svc.diagnostic_summary(uow, project_id, refdata, today=data.today).strip() if written else ""
    diagnostic["present"] = not written or written == drafted  # a draft left as drafted: the tables say it
    if diagnostic["present"]:
        stored = {**stored, "diagnostic.prealable": ""}
    defaults.pop("diagnostic.prealable", None)
    context["diagnostic"] = diagnostic
    parts: dict[str, list[Context]] = {key: [] for key, _label in health_svc.PARTS}
    for definition in health_svc.SECTIONS:
        text = stored.get(definition.key, "") or defaults.get(definition.key, "")
        row = _section_context(definition, text)
        if row["renseigne"]:
            parts.setdefault(definition.part, []).append(row)
    context["sections"] = {key: rows for key, rows in parts.items()}
    context["sections_renseignees"] = plural(sum(len(rows) for rows in parts.values()), "section renseignée")
    sheets = health_svc.list_actions(uow, project_id, refdata)
    actions = [action_context(index, sheet) for index, sheet in enumerate(sheets, start=1)]
    context["actions"] = actions
    context["a_des_actions"] = bool(actions)
    numbers = {sheet.id: index for index, sheet in enumerate(sheets, start=1)}
    context["priorites"] = [
        {
            "numero": str(position),
            "titre": p.title,
            "objectifs": [
                {
                    "titre": o.title,
                    "fiches": [f"Fiche {numbers[s.id]} — {s.draft.title}" for s in sheets if s.objective_id == o.id],
                }
                for o in p.objectives
            ],
        }
        for position, p in enumerate(health_svc.list_priorities(uow, project_id), start=1)
    ]
    context["a_des_priorites"] = bool(context["priorites"])
    team = health_svc.list_team(uow, project_id)
    members = [
        {
            "nom": m.name,
            "profession": m.profession_label,
            "engagement": m.commitment_label + (" (coordinateur du projet)" if m.is_leader else ""),
            "date": "",
        }
        for m in team
    ]
    signers = members  # every committed professional signs the projet de santé
    blank = {"nom": "", "profession": "", "engagement": "", "date": ""}
    context["equipe"] = {
        "membres": members,
        "a_des_membres": bool(members),
        "nombre": plural(len(members), "professionnel"),
        "signataires": signers or [dict(blank) for _ in range(_BLANK_SIGNATURES)],
    }
    context["constats"] = [
        {"numero": str(index), "titre": c.title, "commentaire": c.comment.strip()}
        for index, c in enumerate(data.constats, start=1)
    ]
    context["a_des_constats"] = bool(data.constats)
    return mark_document(uow, charts, context, "projet_sante")


# --- compte rendu de réunion ------------------------------------------------------------------


def list_meeting_ids(uow: UnitOfWork, project_id: int) -> list[tuple[int, str]]:
    """(id, title) of every meeting of the project: one *compte rendu* each."""
    return [(m.id, m.display_title) for m in meetings_svc.list_meetings(uow, project_id)]


def compte_rendu_context(
    uow: UnitOfWork,
    project_id: int,
    meeting_id: int | None,
    refdata: RefData,
    images: ChartSet | None = None,
) -> Context:
    """Context of the *compte rendu* of one meeting (``None``: a blank compte rendu to fill in)."""
    charts = _charts(uow, project_id, refdata, images)
    data = charts.data
    context = _common(data, "Compte rendu de réunion")
    if meeting_id is None:
        context["reunion"] = {
            "titre": "Réunion",
            "type": "",
            "date": "",
            "date_longue": "",
            "lieu": "",
            "ordre_du_jour": [],
            "decisions": [],
            "participants": [],
            "presents": [],
            "excuses": [],
            "absents": [],
            "a_des_excuses": False,
            "a_des_absents": False,
            "nb_participants": "",
            "secretaire": "",
            "prochaine_reunion": "",
            "taches": [],
        }
        context["document"]["incomplet"] = True
        context["document"]["entete"] = f"{INCOMPLETE_MARK} — Compte rendu de réunion"
        context["document"]["marque_brouillon"] = INCOMPLETE_MARK
        return context
    detail = meetings_svc.get_meeting(uow, meeting_id, today=data.today)
    meeting = detail.meeting
    record = minutes_svc.get_minutes(uow, meeting_id)

    def people(kind: str) -> list[Context]:
        return [
            {"nom": a.name, "role": a.role or "—", "organisation": a.organisation or "—"}
            for a in record.attendees
            if a.attendance == kind
        ]

    present, excused, absent = people("present"), people("excuse"), people("absent")
    context["reunion"] = {
        "titre": meeting.display_title,
        "type": meeting.kind_label,
        "date": format_date(meeting.held_on),
        "date_longue": _long_date(meeting.held_on),
        "lieu": meeting.place.strip(),
        "ordre_du_jour": _lines(meeting.agenda),
        "decisions": _lines(meeting.decisions),
        "participants": present,
        "presents": present,
        "excuses": excused,
        "absents": absent,
        "a_des_excuses": bool(excused),
        "a_des_absents": bool(absent),
        "nb_participants": plural(len(present), "participant"),
        "secretaire": record.secretary,
        "prochaine_reunion": record.next_meeting,
        "taches": [
            {
                "libelle": t.label,
                "responsable": t.owner or "—",
                "echeance": format_date(t.due_on) if t.due_on else "Sans échéance",
                "etat": t.state,
            }
            for t in record.tasks
        ],
    }
    context["document"]["titre"] = f"Compte rendu — {meeting.display_title}"
    context["document"]["titre_court"] = "Compte rendu de réunion"
    return mark_document(uow, charts, context, f"compte_rendu:{meeting_id}")


def _lines(text: str) -> list[str]:
    """Non-empty lines of a text, bullets (« - », « • ») dropped: one item each."""
    items = []
    for line in text.replace("\r", "").split("\n"):
        cleaned = line.strip().lstrip("-•*–").strip()
        if cleaned:
            items.append(cleaned)
    return items


# --- diagnostic, steps 2 to 4 -----------------------------------------------------------------


def _offer_context(uow: UnitOfWork, project_id: int, data: ProjectData) -> Context:
    """Professionals by profession (demography) and establishments of the territory (step 2)."""
    establishments = offer_svc.list_establishments(uow, project_id)
    names = {row.code: row.name for row in data.territory.communes}
    report = data.demography
    rows = [
        {
            "profession": d.label or d.profession,
            "effectif": format_int(d.heads),
            "etp": format_decimal(d.fte, 1) if d.fte is not None else "—",
            "densite": format_decimal(d.density_per_10000, 1) if d.density_per_10000 is not None else "—",
            "age_moyen": format_decimal(d.mean_age, 0) if d.mean_age is not None else "—",
            "part_60_ans": _percent(d.share_aged.get(60)),
            "departs_5_ans": format_int(d.departures.get(5, 0)),
            "departs_10_ans": format_int(d.departures.get(10, 0)),
            "phrases": d.sentences(),
        }
        for d in report.professions
    ]
    return {
        "a_des_professionnels": bool(rows),
        "nb_professionnels": plural(report.on_site, "professionnel"),
        "alentours": f" ; {plural(report.around, 'autre professionnel')} aux alentours" if report.around else "",
        "professions": rows,
        "regle_departs": report.rule,
        "a_des_etablissements": bool(establishments),
        "etablissements": [
            {
                "type": e.kind_label,
                "nom": e.name,
                "commune": names.get(e.commune_code, e.commune_code) or "—",
                "finess": e.finess or "—",
            }
            for e in establishments
        ],
    }


def _percent(value: float | None) -> str:
    return "—" if value is None else format_decimal(value, 0) + "\u00a0%"


def _measure_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit.startswith("oui"):
        return "Oui" if value else "Non"
    shown = format_int(int(value)) if float(value).is_integer() else format_decimal(value, 1)
    if unit == "%":
        return shown + "\u00a0%"
    return f"{shown} {unit}".strip()


def _access_context(uow: UnitOfWork, project_id: int) -> Context:
    """The guide's accessibility measures the user filled in (step 3)."""
    stored = offer_svc.list_measures(uow, project_id)
    rows = [
        {
            "libelle": label,
            "valeur": _measure_value(stored[key].value, unit),
            "source": stored[key].source or "—",
            "commentaire": stored[key].comment.strip(),
        }
        for key, label, unit in offer_svc.ACCESS_MEASURES
        if key in stored and (stored[key].value is not None or stored[key].comment.strip())
    ]
    return {"a_des_mesures": bool(rows), "mesures": rows}


def _survey_context(uow: UnitOfWork, project_id: int) -> Context:
    """Summary of the inhabitants' survey (step 4): each question's answers and shares."""
    respondents = survey_svc.response_count(uow, project_id)
    questions: list[Context] = []
    if respondents:
        for question in survey_svc.list_questions(uow, project_id):
            table = survey_svc.tabulate(uow, question.id)
            if question.kind == QuestionKind.TEXT.value:
                answers = plural(len(table.texts), "réponse libre", "réponses libres")
            else:
                ranked = sorted(table.rows, key=lambda r: -r.count)
                answers = " ; ".join(f"{r.label} : {format_decimal(r.share, 0)}\u00a0%" for r in ranked if r.count)
                if table.mean is not None and question.kind == QuestionKind.NUMBER.value:
                    answers += f" (moyenne {format_decimal(table.mean, 1)})"
            questions.append(
                {
                    "code": question.code,
                    "question": question.text,
                    "reponses": answers or "—",
                    "repondants": format_int(table.answered),
                }
            )
    return {
        "a_des_reponses": respondents > 0,
        "nb_questionnaires": plural(respondents, "questionnaire"),
        "questions": questions,
    }


def _long_date(day: date) -> str:
    from santeloc.exports.funding_context import long_date

    return long_date(day)


def review_dossier(uow: UnitOfWork, project_id: int, data: ProjectData) -> Review:
    """The relecture of a project's dossier (see :mod:`santeloc.exports.review`)."""
    from santeloc.exports.review import review_dossier as review

    return review(uow, project_id, data)


INCOMPLETE_MARK = "PROJET — document incomplet"

# The financing documents live in their own module; re-exported here for the callers of this one.
from santeloc.exports.funding_context import (  # noqa: E402
    deliberation_context,
    grant_funders,
    subvention_context,
    subvention_funders,
)

__all__ = [
    "ChartSet",
    "ImageRef",
    "ProjectData",
    "compte_rendu_context",
    "deliberation_context",
    "diagnostic_context",
    "grant_funders",
    "load_project_data",
    "mark_document",
    "projet_sante_context",
    "subvention_context",
    "subvention_funders",
]
