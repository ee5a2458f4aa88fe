"""``santeloc-cli importer {rpps,finess,indicateurs,apl-drees,distancier,ages,plan} FICHIER --projet N``.

The same detection and the same summaries as the application; column choices as options when
detection is not enough; exit code 1 with a French message when nothing was imported. Heavy
modules are imported inside the commands, so ``santeloc-cli --help`` stays quick.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from santeloc.domain.errors import ValidationError

KINDS = ("rpps", "finess", "indicateurs", "apl-drees", "distancier", "ages", "plan")


def add_import_command(sub: Any, open_database: Callable[[argparse.Namespace], Any]) -> None:
    """Register ``importer`` on the CLI's sub-parsers."""
    parser = sub.add_parser(
        "importer",
        help="importe un fichier public dans un projet (RPPS, FINESS, indicateurs, APL, distancier, âges)",
        description="Importe un fichier tel qu'il est publié, avec la même détection et le même résumé que "
        "l'application. Rien n'est enregistré si l'import échoue.",
    )
    parser.add_argument("kind", choices=KINDS, metavar="type", help=f"type de fichier : {', '.join(KINDS)}")
    parser.add_argument("file", metavar="FICHIER", help="fichier à lire (.txt, .csv, .zip, .xlsx selon le type)")
    parser.add_argument("--projet", type=int, required=True, dest="project_id", help="numéro du projet (voir « list »)")
    parser.add_argument("--rayon", type=float, default=15.0, help="RPPS, FINESS : alentours gardés, en km (15)")
    parser.add_argument("--feuille", help="indicateurs, âges : feuille du classeur à lire")
    parser.add_argument(
        "--niveau",
        choices=("commune", "epci", "departement", "region", "autre"),
        help="indicateurs : niveau des codes du fichier (deviné sinon)",
    )
    parser.add_argument("--colonnes", help="indicateurs : numéros des colonnes d'indicateurs à garder (1,4,5)")
    parser.add_argument(
        "--lignes",
        help="indicateurs : codes des lignes qui forment le territoire (bassins de vie, cantons-villes, EPCI…), "
        "séparés par des virgules (58227,58086)",
    )
    parser.add_argument(
        "--rapport",
        action="append",
        default=[],
        metavar="NUM,DEN[,BASE]",
        help="indicateurs : taux recalculé depuis deux colonnes (numéros), base 100 par défaut ; répétable",
    )
    parser.add_argument("--source", default="", help="indicateurs, plan : source à citer")
    parser.add_argument("--titre", help="plan : titre du plan régional")
    parser.add_argument("--debut", type=int, help="plan : première année du plan")
    parser.add_argument("--fin", type=int, help="plan : dernière année du plan")
    parser.add_argument("--origine", type=int, help="distancier : numéro de la colonne de départ (1 = première)")
    parser.add_argument("--destination", type=int, help="distancier : numéro de la colonne d'arrivée")
    parser.add_argument("--minutes", type=int, help="distancier : numéro de la colonne des minutes")
    parser.set_defaults(func=lambda args: run_import(args, open_database))


def run_import(args: argparse.Namespace, open_database: Callable[[argparse.Namespace], Any]) -> int:
    """Run one import and print its summary; DomainErrors go back to ``main`` (exit code 1)."""
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import load_refdata

    path = Path(args.file)
    if not path.exists():
        raise ValidationError(f"Fichier introuvable : {path}.")
    uow = UnitOfWork(open_database(args))
    refdata = load_refdata()
    handler = {
        "rpps": _rpps, "finess": _finess, "indicateurs": _indicators, "apl-drees": _apl,
        "distancier": _travel, "ages": _ages, "plan": _plan,
    }[args.kind]  # fmt: skip
    summary, count = handler(args, uow, refdata, path)
    print(summary)
    if count == 0:
        raise ValidationError("Rien n'a été importé.")
    return 0


def _rpps(args: argparse.Namespace, uow: Any, refdata: Any, path: Path) -> tuple[str, int]:
    from santeloc.services.rpps import import_rpps

    report = import_rpps(uow, args.project_id, path, refdata, radius_km=args.rayon)
    # Professionals already in the registry count as found: a re-import exits 0 and says so.
    return report.summary(), report.imported + report.already_present


def _finess(args: argparse.Namespace, uow: Any, refdata: Any, path: Path) -> tuple[str, int]:
    from santeloc.services.finess import import_finess

    report = import_finess(uow, args.project_id, path, refdata, radius_km=args.rayon)
    return report.summary(), report.imported


def _indicators(args: argparse.Namespace, uow: Any, refdata: Any, path: Path) -> tuple[str, int]:
    from santeloc.analysis.tabular import guess_mapping, read_table
    from santeloc.services import indicators as svc
    from santeloc.services.indicator_tables import (
        RowsNeededError,
        detect_table,
        import_wide_table,
        prepare_wide_import,
        territory_codes,
    )

    table = read_table(path, sheet=args.feuille)
    layout = detect_table(table, refdata)
    if layout is None:  # one row per indicator: the classic mapping
        try:
            preview = svc.prepare_import(table, guess_mapping(table.headers), default_source=args.source)
        except ValidationError as exc:
            raise ValidationError(_not_a_table(path, table, exc.message)) from None
        _fail_on_errors(preview.errors)
        report = svc.save_indicators(uow, args.project_id, preview)
        return f"{report.total} indicateur(s) lu(s) (une ligne par indicateur) : {report.summary()}.", report.total
    columns = [int(c) - 1 for c in args.colonnes.split(",")] if args.colonnes else None
    ratios = [_ratio(text) for text in args.rapport]
    if ratios and columns is None:
        columns = []  # only the recomputed rates, unless --colonnes says otherwise
    chosen = [c.strip() for c in args.lignes.split(",")] if args.lignes else []
    try:
        prepared = prepare_wide_import(
            table, layout, refdata, territory_codes(uow, args.project_id), level=args.niveau or layout.level,
            columns=columns, chosen_rows=chosen, source=args.source, ratios=ratios,
        )  # fmt: skip
    except RowsNeededError as exc:
        raise ValidationError(_rows_message(exc)) from None
    _fail_on_errors(prepared.preview.errors)
    if not prepared.preview.rows:
        raise ValidationError(f"{prepared.summary()} Rien n'a été importé.")
    count = import_wide_table(uow, args.project_id, prepared)
    summary = prepared.summary()
    if prepared.rows_hint:
        summary += (
            f" Si ces lignes forment bien votre territoire, ajoutez `--lignes {','.join(prepared.rows_hint)}` "
            "pour les retenir."
        )
    return summary, count


def _rows_message(exc: Any) -> str:
    """The service's question about the territory's rows, answered with the CLI option."""
    example = ",".join(code for code, _name in exc.candidates[:3]) or "CODE1,CODE2"
    shown = " ; ".join(f"{code} {name}".strip() for code, name in exc.candidates[:8])
    candidates = f" Lignes qui portent le code ou le nom d'une commune du territoire : {shown}." if shown else ""
    return (
        f"{exc.message} Ajoutez `--lignes {example}` (codes de la colonne « {exc.code_header} », séparés par des "
        f"virgules).{candidates}"
    )


def _not_a_table(path: Path, table: Any, reason: str) -> str:
    """Why a file is neither a table by territory nor one row per indicator, with the CLI's way out."""
    where = f"la feuille « {table.sheet} » de « {path.name} »" if table.sheet else f"« {path.name} »"
    text = (
        f"{where} n'est ni un tableau par territoire (une colonne « Code » et une colonne par indicateur) ni un "
        f"tableau à une ligne par indicateur ({reason[:1].lower()}{reason[1:].rstrip('.')})."
    )
    others = [name for name in table.sheet_names if name != table.sheet]
    if others:
        text += f" Choisissez une autre feuille avec `--feuille` : {', '.join(f'« {name} »' for name in others)}."
    return text


def _ratio(text: str) -> Any:
    from santeloc.services.indicator_tables import Ratio

    parts = [part.strip() for part in text.split(",")]
    try:
        numerator, denominator = int(parts[0]) - 1, int(parts[1]) - 1
        base = float(parts[2].replace(" ", "")) if len(parts) > 2 else 100.0
    except (ValueError, IndexError):
        raise ValidationError(
            f"--rapport « {text} » : attendu NUMÉRATEUR,DÉNOMINATEUR[,BASE], par exemple 3,4,100."
        ) from None
    return Ratio(numerator, denominator, base)


def _fail_on_errors(errors: list[tuple[int, str]]) -> None:
    if errors:
        shown = " ; ".join(f"ligne {line} : {message}" if line else message for line, message in errors[:10])
        raise ValidationError(f"{len(errors)} erreur(s), rien n'a été importé — {shown}")


def _apl(args: argparse.Namespace, uow: Any, refdata: Any, path: Path) -> tuple[str, int]:
    from santeloc.services.official_apl import import_official_apl

    report = import_official_apl(uow, args.project_id, path, refdata)
    return report.summary(), report.values


def _travel(args: argparse.Namespace, uow: Any, refdata: Any, path: Path) -> tuple[str, int]:
    from santeloc.services import offer as svc
    from santeloc.services.table_formats import HEADERLESS_QUESTION, guess_travel_columns, read_any_table

    table, headerless = read_any_table(path)
    given = {"origin": args.origine, "destination": args.destination, "minutes": args.minutes}
    mapping = {} if headerless else guess_travel_columns(table.headers, svc.MATRIX_FIELDS)
    mapping.update({key: number - 1 for key, number in given.items() if number})
    if len(mapping) < 3:
        hint = HEADERLESS_QUESTION if headerless else "Colonnes non reconnues."
        raise ValidationError(f"{hint} Précisez --origine, --destination et --minutes (numéros de colonnes).")
    count, errors = svc.import_travel_times(uow, args.project_id, table, mapping, refdata)
    _fail_on_errors(errors)
    names = ", ".join(f"{key} = « {table.headers[index]} »" for key, index in mapping.items())
    return f"{count} trajet(s) importé(s) ({names}).", count


def _ages(args: argparse.Namespace, uow: Any, refdata: Any, path: Path) -> tuple[str, int]:
    from santeloc.services import indicators as svc
    from santeloc.services.indicator_tables import territory_codes
    from santeloc.services.table_formats import insee_age_groups, read_any_table

    table, _headerless = read_any_table(path, sheet=args.feuille)
    try:
        groups, communes = insee_age_groups(table, territory_codes(uow, args.project_id))
        detail = f"somme de {communes} commune(s) du territoire"
    except ValidationError:
        groups, detail = svc.age_groups_from_table(table), "table du territoire"
    svc.set_age_table(uow, args.project_id, "territoire", groups, year=None, source=path.name)
    return f"{len(groups)} tranche(s) d'âge enregistrée(s) pour la pyramide ({detail}).", len(groups)


def _plan(args: argparse.Namespace, uow: Any, refdata: Any, path: Path) -> tuple[str, int]:
    from santeloc.services.regional_plans import import_plan

    pack = import_plan(
        uow, args.project_id, path, refdata, title=args.titre or "", period_start=args.debut, period_end=args.fin,
        source=args.source,
    )  # fmt: skip
    count = sum(1 for _objective in pack.walk())
    levels = " → ".join(pack.level_labels)
    return (
        f"Plan « {pack.title} » ({pack.region_name}, {pack.period_start}-{pack.period_end}) enregistré dans le projet : "
        f"{count} élément(s) ({levels}).",
        count,
    )
