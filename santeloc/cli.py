"""santeloc-cli: the headless commands (demo, list, check).

Every message is in French; the exit code is 0 on success, 1 on an error the user can fix
(the message says how), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from santeloc import __version__
from santeloc.domain.errors import DomainError
from santeloc.domain.formatting import format_int
from santeloc.persistence.config import resolve_database_url
from santeloc.persistence.engine import Database, head_revision, open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import load_refdata, resources_dir
from santeloc.refdata.prs import list_packs, region_summary
from santeloc.services.demo import create_demo_project
from santeloc.services.projects import list_projects
from santeloc.services.territory import territory_summary


def _open(args: argparse.Namespace) -> Database:
    return open_database(resolve_database_url(args.database_url))


def cmd_demo(args: argparse.Namespace) -> int:
    """Create the demo project if missing."""
    database = _open(args)
    info = create_demo_project(UnitOfWork(database))
    print(f"Projet d'exemple prêt : « {info.name} » ({info.commune_count} communes).")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List the projects with their territory's population."""
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

    from santeloc.services.project_file import export_project

    database = _open(args)
    path = export_project(UnitOfWork(database), args.project_id, Path(args.file))
    print(f"Projet exporté : {path}")
    return 0


def cmd_import_project(args: argparse.Namespace) -> int:
    """Import a .santeloc file as a new project."""
    from pathlib import Path

    from santeloc.services.project_file import import_project

    database = _open(args)
    info = import_project(UnitOfWork(database), Path(args.file))
    print(f"Projet importé : « {info.name} » (n° {info.id}).")
    return 0


def cmd_dossier(args: argparse.Namespace) -> int:
    """Produce the dossiers of a project into a folder."""
    from pathlib import Path

    from santeloc.exports.dossier import ALL_DOCUMENTS, export_dossier

    database = _open(args)
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = export_dossier(UnitOfWork(database), args.project_id, load_refdata(), folder, ALL_DOCUMENTS, args.pdf)
    for path in files:
        print(path)
    print(f"{len(files)} fichier(s) produit(s) dans {folder}.")
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
    dossier.set_defaults(func=cmd_dossier)
    from santeloc.cli_import import add_import_command  # issue 14: the imports live in their own module

    add_import_command(sub, _open)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of santeloc-cli."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DomainError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
