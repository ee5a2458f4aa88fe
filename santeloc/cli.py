"""santeloc-cli: the headless commands (demo, list, check, project files, dossiers).

Every message is in French; the exit code is 0 on success, 1 on an error the user can fix
(the message says how), 2 on a usage error.

Start-up time rule: this module imports only the standard library at the top. Each command
imports what it uses inside its function, so ``santeloc-cli list`` does not pay for the ORM,
the exports or matplotlib (``tests/bench/bench_cli.py`` measures it; keep new commands so).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from santeloc import __version__

if TYPE_CHECKING:
    from santeloc.persistence.engine import Database

_ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et quitte",
    "show program's version number and exit": "affiche la version et quitte",
    "the following arguments are required: %s": "arguments manquants : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (au choix : %(choices)s)",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur est attendue",
}


def _french(message: str) -> str:
    return _ARGPARSE_FR.get(message, message)


argparse._ = _french  # type: ignore[attr-defined]  # argparse's own messages, in French


def _open(args: argparse.Namespace) -> Database:
    from santeloc.persistence.config import resolve_database_url
    from santeloc.persistence.engine import open_database

    return open_database(resolve_database_url(args.database_url))


def cmd_demo(args: argparse.Namespace) -> int:
    """Create the demo project if missing."""
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.services.demo import create_demo_project

    database = _open(args)
    info = create_demo_project(UnitOfWork(database))
    print(f"Projet d'exemple prêt : « {info.name} » ({info.commune_count} communes).")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List the projects with their territory's population."""
    from santeloc.domain.formatting import format_int
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import load_refdata
    from santeloc.services.overview import list_projects
    from santeloc.services.territory import territory_summary

    database = _open(args)
    projects = list_projects(UnitOfWork(database))
    if not projects:
        print("Aucun projet. Créez-en un dans l'application, ou lancez « santeloc-cli demo ».")
        return 0
    refdata = load_refdata()
    for info in projects:
        summary = territory_summary(UnitOfWork(database), info.id, refdata)
        tag = " [exemple]" if info.is_demo else ""
        print(
            f"{info.id:>4}  {info.name}{tag} — {info.project_type.label} — "
            f"{len(summary.communes)} commune(s), {format_int(summary.population)} habitants"
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check the installation: database, schema, reference data, plan packs."""
    from santeloc.domain.formatting import format_int
    from santeloc.persistence.engine import head_revision
    from santeloc.refdata.geo import load_refdata, resources_dir
    from santeloc.refdata.prs import list_packs, region_summary

    started = time.perf_counter()
    database = _open(args)
    print(f"Base de données : {database.label} (schéma {head_revision()}) — OK")
    refdata = load_refdata()
    print(
        f"Données de référence : {format_int(len(refdata.communes))} communes, "
        f"{format_int(len(refdata.epcis))} intercommunalités, {len(refdata.departements)} départements, "
        f"{len(refdata.regions)} régions (population {refdata.population_year}) — OK"
    )
    packs = list_packs()
    print(f"Plans régionaux de santé : {len(packs)} ({region_summary(packs)}) — OK")
    print(f"Ressources : {resources_dir()}")
    elapsed = f"{time.perf_counter() - started:.2f}".replace(".", ",")
    print(f"santeloc {__version__} : installation vérifiée en {elapsed} s.")
    return 0


def cmd_export_project(args: argparse.Namespace) -> int:
    """Write a project to a .santeloc file."""
    from pathlib import Path

    from santeloc.persistence.uow import UnitOfWork
    from santeloc.services.project_file import export_project

    database = _open(args)
    path = export_project(UnitOfWork(database), args.project_id, Path(args.file))
    print(f"Projet exporté : {path}")
    return 0


def cmd_import_project(args: argparse.Namespace) -> int:
    """Import a .santeloc file as a new project."""
    from pathlib import Path

    from santeloc.persistence.uow import UnitOfWork
    from santeloc.services.project_file import import_project

    database = _open(args)
    info = import_project(UnitOfWork(database), Path(args.file))
    print(f"Projet importé : « {info.name} » (n° {info.id}).")
    return 0


def cmd_dossier(args: argparse.Namespace) -> int:
    """Produce the dossiers of a project into a folder."""
    from pathlib import Path

    from santeloc.domain.formatting import plural
    from santeloc.exports.dossier import ALL_DOCUMENTS, export_dossier
    from santeloc.exports.review import document_keys, relecture_lines, review_project
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import load_refdata

    database = _open(args)
    refdata = load_refdata()
    review = review_project(UnitOfWork(database), args.project_id, refdata)
    items = relecture_lines(review, document_keys(review, ALL_DOCUMENTS))
    if items and not args.brouillon:
        print("Dossier incomplet : aucun document n'a été produit. Relecture :", file=sys.stderr)
        for line in items:
            print(line, file=sys.stderr)
        print("Complétez ces points, ou ajoutez `--brouillon` pour produire des documents marqués "
              "« PROJET — document incomplet ».", file=sys.stderr)  # fmt: skip
        return 1
    if items:
        print(f"Relecture : {plural(len(items), 'point')} à reprendre ; documents marqués « PROJET — document "
              "incomplet ».")  # fmt: skip
        for line in items:
            print(line)
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = export_dossier(UnitOfWork(database), args.project_id, refdata, folder, ALL_DOCUMENTS, args.pdf)
    for path in files:
        print(path)
    print(f"{len(files)} fichier(s) produit(s) dans {folder}.")
    return 0


def cmd_apl(args: argparse.Namespace) -> int:
    """Compute and store the APL of a project, print its parameters, mean and lowest communes."""
    from santeloc.domain.formatting import format_decimal
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import load_refdata
    from santeloc.services import access
    from santeloc.services.apl_comparison import compare_apl
    from santeloc.services.official_apl_figures import official_apl_figures

    database = _open(args)
    uow = UnitOfWork(database)
    last = access.last_choice(uow, args.project_id, args.profession)
    age_cap = last.age_cap
    if args.age_limite is not None:
        age_cap = None if args.age_limite.strip().lower() in ("aucune", "0") else _int(args.age_limite, "--age-limite")
    choice = access.AplChoice(
        profession=args.profession or last.profession,
        decay=args.ponderation or last.decay,
        max_minutes=args.minutes if args.minutes is not None else last.max_minutes,
        age_cap=age_cap,
        detour=args.detour if args.detour is not None else last.detour,
        speed=args.vitesse if args.vitesse is not None else last.speed,
        activity=args.activite if args.activite is not None else last.activity,
    )
    refdata = load_refdata()
    report = access.compute_apl(uow, args.project_id, refdata, choice)
    official = next((f for f in official_apl_figures(uow, args.project_id, refdata) if f.threshold is not None), None)
    if official is not None and choice.drees_units:
        print(f"{official.title} : {official.mean_text} en moyenne sur le territoire (chiffre officiel).")
    print(f"APL calculée par santeloc — {choice.profession_label} : {report.mean_text} en moyenne sur le territoire.")
    for line in report.method.splitlines():
        print(f"  {line}")
    comparison = compare_apl(report, official) if official is not None else None
    if comparison is not None:
        head, intro, *reasons = comparison.sentences()
        print(f"  {head} {intro}")
        for line in reasons:
            print(f"    – {line}")
    lowest = report.lowest(args.communes)
    if lowest:
        print(f"Communes les moins bien dotées selon ce calcul ({report.unit_label}) :")
        published = {c.code: c for c in official.communes} if official is not None and comparison else {}
        for commune in lowest:
            minutes = format_decimal(commune.minutes, 0) if commune.minutes is not None else "—"
            line = f"  {commune.name} : {report.value_text(commune.value)} ({minutes} min du plus proche)"
            if commune.code in published:
                line += f" ; APL officielle {official.year if official else ''} : "
                line += f"{report.value_text(published[commune.code].value)}"
            print(line)
    print("Calcul enregistré : il figure dans le diagnostic.")
    return 0


def _int(text: str, option: str) -> int:
    from santeloc.domain.errors import ValidationError

    try:
        return int(text)
    except ValueError:
        raise ValidationError(f"{option} attend un nombre entier d'années ou « aucune » (lu : « {text} »).") from None


def cmd_scenarios(args: argparse.Namespace) -> int:
    """Each what-if scenario on the official APL, and where K new doctors would help most."""
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import load_refdata
    from santeloc.services import apl_scenarios as svc

    uow, refdata = UnitOfWork(_open(args)), load_refdata()
    for info in svc.list_scenarios(uow, args.project_id):
        result = svc.evaluate_scenario(uow, info.id, refdata)
        print(f"Scénario « {info.name} »" + (" (repris dans le diagnostic)" if info.retained else "") + " :")
        for change in result.changes:
            print(f"  – {change.text}")
        print(f"  {result.sentence}")
    ranking = svc.rank_candidate_sites(uow, args.project_id, refdata, args.medecins, args.rayon)
    for line in ranking.sentences():
        print(line)
    return 0


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, float]]:
    """« 58227:2 » → (« 58227 », 2.0), refused in French with the option's name."""
    from santeloc.domain.errors import ValidationError

    pairs = []
    for value in values or []:
        code, _, count = value.partition(":")
        try:
            pairs.append((code.strip().upper(), float((count or "1").replace(",", "."))))
        except ValueError:
            raise ValidationError(f"{option} attend CODE_INSEE:NOMBRE (par exemple 58227:2), lu « {value} ».") from None
    return pairs


def cmd_simulate(args: argparse.Namespace) -> int:
    """A what-if on the official APL, not stored: before/after, and a CSV of every commune."""
    import csv

    from santeloc.domain.errors import ValidationError
    from santeloc.domain.formatting import format_decimal, format_int
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import load_refdata
    from santeloc.services import apl_scenarios as svc

    if args.profession != "medecin_generaliste":
        raise ValidationError(
            "L'APL officielle livrée est celle des médecins généralistes : --profession medecin_generaliste."
        )
    uow, refdata = UnitOfWork(_open(args)), load_refdata()
    if args.classer is not None:
        ranking = svc.rank_candidate_sites(uow, args.project_id, refdata, args.classer, args.rayon)
        for line in ranking.sentences():
            print(line)
        return 0
    result = svc.simulate(
        uow, args.project_id, refdata, _pairs(args.ajout, "--ajout"), _pairs(args.depart, "--depart"), args.departs_a
    )
    for change in result.changes:
        print(f"– {change.text}")
    if result.mean_before is not None and result.mean_after is not None:
        print(
            f"APL moyenne du territoire (DREES {result.year}, pondérée par la population standardisée) : "
            f"{format_decimal(result.mean_before, 2)} avant, {format_decimal(result.mean_after, 2)} après."
        )
    print(
        f"Population sous le seuil de {format_decimal(result.threshold, 1)} : "
        f"{format_int(round(result.below_before))} habitants avant, {format_int(round(result.below_after))} après."
    )
    print(result.sentence)
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["code", "commune", "APL avant", "APL après", "population"])
            for c in result.communes:
                writer.writerow([
                    c.code, c.name,
                    format_decimal(c.before, 3) if c.before is not None else "",
                    format_decimal(c.after, 3) if c.after is not None else "",
                    round(c.total_population),
                ])  # fmt: skip
        print(f"Tableau par commune écrit : {args.csv}")
    return 0


def cmd_state(args: argparse.Namespace) -> int:
    """Print every step's status and the key figures the dossier will carry."""
    from santeloc.exports.review import items_by_step, review_project
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import load_refdata
    from santeloc.workflow.state import project_state

    database = _open(args)
    refdata = load_refdata()
    review = review_project(UnitOfWork(database), args.project_id, refdata)
    state = project_state(UnitOfWork(database), args.project_id, refdata, items_by_step(review))
    print(f"Projet n° {state.project.id} : « {state.project.name} »")
    for step_id, title, completeness in state.steps:
        print(f"  {int(step_id)}. {title} — {completeness.state.label} : {completeness.detail}")
    print("Chiffres clés du dossier :")
    for figure in state.figures:
        print(f"  {figure.label} : {figure.text}")
    print(f"Prêt pour l'ARS : {state.readiness.summary()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (French help)."""
    parser = argparse.ArgumentParser(
        prog="santeloc-cli",
        description="santeloc sans interface graphique : projet d'exemple, liste des projets, vérification.",
    )
    parser.add_argument("--version", action="version", version=f"santeloc {__version__}")
    parser.add_argument(
        "--database-url",
        help="adresse de la base (sqlite:///chemin.db ou postgresql://…) ; "
        "par défaut SANTELOC_DATABASE_URL, sinon la base locale de l'utilisateur",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="commande")
    sub.add_parser("demo", help="crée le projet d'exemple s'il n'existe pas").set_defaults(func=cmd_demo)
    sub.add_parser("list", help="liste les projets").set_defaults(func=cmd_list)
    sub.add_parser("check", help="vérifie la base, les données de référence et les plans régionaux").set_defaults(
        func=cmd_check
    )
    export = sub.add_parser("export-projet", help="écrit un projet dans un fichier .santeloc")
    export.add_argument("project_id", type=int, help="numéro du projet (voir « list »)")
    export.add_argument("file", help="fichier à écrire")
    export.set_defaults(func=cmd_export_project)
    imported = sub.add_parser("import-projet", help="importe un fichier .santeloc comme nouveau projet")
    imported.add_argument("file", help="fichier à lire")
    imported.set_defaults(func=cmd_import_project)
    dossier = sub.add_parser("dossier", help="produit les dossiers Word et Excel d'un projet")
    dossier.add_argument("project_id", type=int, help="numéro du projet (voir « list »)")
    dossier.add_argument("folder", help="dossier de destination")
    dossier.add_argument("--pdf", action="store_true", help="ajoute les PDF (LibreOffice)")
    dossier.add_argument(
        "--brouillon",
        action="store_true",
        help="produit aussi un dossier incomplet (documents marqués « PROJET — document incomplet »)",
    )
    dossier.set_defaults(func=cmd_dossier)
    apl = sub.add_parser("apl", help="calcule et enregistre l'indice APL d'un projet (paramètres imprimés)")
    apl.add_argument("project_id", type=int, help="numéro du projet (voir « list »)")
    apl.add_argument(
        "--profession", help="profession (par défaut : celle du dernier calcul, sinon medecin_generaliste)"
    )
    apl.add_argument("--ponderation", choices=("steps", "continuous", "none"), help="paliers, continue ou aucune")
    apl.add_argument("--minutes", type=int, help="temps de trajet au-delà duquel l'offre ne compte plus (5 à 60)")
    apl.add_argument(
        "--age-limite",
        help="âge à partir duquel un médecin est exclu (50 à 99 ; « aucune » : tous, comme l'APL principale "
        "de la DREES ; 65 : sa variante « moins de 65 ans »)",
    )
    apl.add_argument(
        "--activite", type=int, help="consultations par an imputées à un médecin à temps plein (DREES : 5 400)"
    )
    apl.add_argument("--detour", type=float, help="détour routier (1 à 3)")
    apl.add_argument("--vitesse", type=int, help="vitesse moyenne en km/h (10 à 130)")
    apl.add_argument("--communes", type=int, default=5, help="nombre de communes les moins dotées à afficher")
    apl.set_defaults(func=cmd_apl)
    scenarios = sub.add_parser(
        "scenarios", help="scénarios « et si » sur l'APL officielle, et où installer de nouveaux médecins"
    )
    scenarios.add_argument("project_id", type=int, help="numéro du projet (voir « list »)")
    scenarios.add_argument("--medecins", type=float, default=2.0, help="nombre de médecins à installer (défaut 2)")
    scenarios.add_argument("--rayon", type=float, default=10.0, help="communes voisines jusqu'à N km (défaut 10)")
    scenarios.set_defaults(func=cmd_scenarios)
    simulate = sub.add_parser(
        "simuler", help="et si… : l'APL officielle avec des médecins en plus ou en moins, sans rien enregistrer"
    )
    simulate.add_argument("project_id", type=int, help="numéro du projet (voir « list »)")
    simulate.add_argument("--profession", default="medecin_generaliste", help="medecin_generaliste (APL de la DREES)")
    simulate.add_argument(
        "--ajout", action="append", metavar="CODE:N", help="N médecins s'installent à la commune CODE"
    )
    simulate.add_argument("--depart", action="append", metavar="CODE:N", help="N médecins quittent la commune CODE")
    simulate.add_argument(
        "--departs-a", type=int, choices=(5, 10), help="départs attendus d'après les âges du registre"
    )
    simulate.add_argument("--csv", help="écrit une ligne par commune (code, commune, APL avant, APL après, population)")
    simulate.add_argument("--classer", type=float, metavar="K", help="classe les communes candidates pour K médecins")
    simulate.add_argument("--rayon", type=float, default=10.0, help="avec --classer : voisines jusqu'à N km (10)")
    simulate.set_defaults(func=cmd_simulate)
    state = sub.add_parser("etat", help="état de chaque étape et chiffres clés que porteront les dossiers")
    state.add_argument("project_id", type=int, help="numéro du projet (voir « list »)")
    state.set_defaults(func=cmd_state)
    from santeloc.cli_import import add_import_command  # issue 14: the imports live in their own module

    add_import_command(sub, _open)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of santeloc-cli."""
    from santeloc.domain.errors import DomainError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DomainError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
