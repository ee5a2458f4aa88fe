"""Unit of work: one user action is one transaction, committed whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from santeloc.domain.errors import ConflictError, DatabaseError, DomainError
from santeloc.persistence.engine import Database

if TYPE_CHECKING:
    from sqlmodel import Session

_BOOKKEEPING = frozenset({"updated_at", "version"})

CONFLICT_MESSAGE = (
    "Quelqu'un d'autre a modifié ces données depuis leur affichage. "
    "Rien n'a été écrasé : les données à jour ont été rechargées, refaites votre modification."
)


class UnitOfWork:
    """A session around one user action.

    ``with uow: ...; uow.commit()`` — leaving the block without ``commit()`` (or with an
    exception) rolls everything back. Database failures become French
    :class:`~santeloc.domain.errors.DomainError` subclasses.

    Blocks nest: a service called inside another's ``with uow:`` joins its transaction (its
    ``commit()`` only flushes), so a use case made of several services — a workshop vote that
    creates priorities, scores them and records the meeting — is still one transaction.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._session: Session | None = None
        self._connection: Connection | None = None
        self._depth = 0
        self._touched: set[str] = set()
        self._touch_at_commit: set[int] = set()  # projects whose « dernière modification » moves at commit
        self.committed_tables: frozenset[str] = frozenset()
        """Tables the last committed transaction wrote (what :attr:`on_commit` received)."""
        self.on_commit: Callable[[frozenset[str]], None] | None = None
        """Called after each successful commit with the tables written (the GUI's change signal)."""

    @property
    def session(self) -> Session:
        """The ORM session (only inside ``with``), created on first use.

        The ORM (SQLModel, pydantic) is imported here, not when the module is: read-only
        queries that need only :attr:`connection` (the project list at start-up, the CLI) then
        never pay for it.
        """
        if self._depth == 0:
            raise RuntimeError("UnitOfWork used outside of a with block")
        if self._session is None:
            from sqlmodel import Session

            # Joined to the Core connection when one was opened first: one transaction.
            bind = self._connection if self._connection is not None else self.database.engine
            self._session = Session(bind, expire_on_commit=False, autoflush=True)
            self._track(self._session)
        return self._session

    def _track(self, session: Session) -> None:
        """Record the tables each flush and each bulk statement writes (see :attr:`committed_tables`)."""
        from sqlalchemy import event, inspect

        def flushing(session: Session, _context: object, _instances: object) -> None:
            for obj in (*session.new, *session.dirty, *session.deleted):
                name = getattr(type(obj), "__tablename__", None)
                if not isinstance(name, str):
                    continue
                if obj in session.dirty and obj not in session.deleted:
                    changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
                    if changed <= _BOOKKEEPING:
                        name += ":touched"  # only its « dernière modification » moved
                self._touched.add(name)

        def executing(state: Any) -> None:
            if state.is_insert or state.is_update or state.is_delete:
                table = getattr(state.statement, "table", None)
                name = getattr(table, "name", None)
                if isinstance(name, str):
                    # touch_project's UPDATE moves only « dernière modification »
                    self._touched.add(name + ":touched" if state.execution_options.get("santeloc_touch") else name)

        event.listen(session, "before_flush", flushing)
        event.listen(session, "do_orm_execute", executing)

    @property
    def connection(self) -> Connection:
        """A Core connection inside this unit of work's transaction (only inside ``with``)."""
        if self._depth == 0:
            raise RuntimeError("UnitOfWork used outside of a with block")
        if self._session is not None:
            return self._session.connection()
        if self._connection is None:
            self._connection = self.database.engine.connect()
        return self._connection

    def __enter__(self) -> UnitOfWork:
        self._depth += 1
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return  # an inner block: the outermost one commits or rolls back
        self._touched.clear()  # what was not committed did not happen
        self._touch_at_commit.clear()
        session, connection = self._session, self._connection
        try:
            if exc is not None:
                if session is not None:
                    session.rollback()
                if connection is not None:
                    connection.rollback()
        finally:
            # close() also rolls back whatever was not committed, but leaves loaded objects
            # readable (detached, not expired), so results can be used after the block.
            try:
                if session is not None:
                    session.close()
            finally:
                if connection is not None:
                    connection.close()
                self._session = None
                self._connection = None
        if exc is not None and not isinstance(exc, DomainError):
            translated = translate_error(exc, self.database.label)
            if translated is not None:
                raise translated from exc

    def flush(self) -> None:
        """Send pending changes now (to get ids), translating database errors."""
        try:
            self.session.flush()
        except Exception as exc:
            translated = translate_error(exc, self.database.label)
            if translated is None:
                raise
            raise translated from exc

    def touch_at_commit(self, project_id: int) -> None:
        """Move the project's « dernière modification » when this transaction commits: written last,
        so that the project's row is locked (PostgreSQL) only for an instant, never for the length of
        a long import; and without its version, so that it is nobody's conflict."""
        self._touch_at_commit.add(project_id)

    def _write_touches(self) -> None:
        from datetime import UTC, datetime

        from sqlalchemy import update

        from santeloc.domain.models import Project

        for project_id in sorted(self._touch_at_commit):
            self.session.execute(
                update(Project)
                .where(Project.id == project_id)  # type: ignore[arg-type]
                .values(updated_at=datetime.now(UTC))
                .execution_options(synchronize_session=False, santeloc_touch=True)
            )
        self._touch_at_commit.clear()

    def commit(self) -> None:
        """Commit the transaction; on failure nothing of it is kept. Inside a nested block: flush."""
        if self._depth > 1:
            self.flush()
            return
        try:
            if self._touch_at_commit:
                self._write_touches()
            if self._session is not None:
                self._session.commit()
            if self._connection is not None:
                self._connection.commit()
        except Exception as exc:
            self._touched.clear()
            self._touch_at_commit.clear()
            if self._session is not None:
                self._session.rollback()
            if self._connection is not None:
                self._connection.rollback()
            translated = translate_error(exc, self.database.label)
            if translated is None:
                raise
            raise translated from exc
        self.committed_tables = frozenset(self._touched)
        self._touched.clear()
        if self.on_commit is not None and self.committed_tables:
            self.on_commit(self.committed_tables)


def translate_error(exc: BaseException, label: str) -> DomainError | None:
    """A French error for a database failure, or None when it is a programming error."""
    from sqlalchemy.orm.exc import StaleDataError  # the ORM is loaded by then if it can raise this

    if isinstance(exc, StaleDataError):
        return ConflictError(CONFLICT_MESSAGE)
    if isinstance(exc, IntegrityError):
        return ConflictError(
            f"L'enregistrement a été refusé : {_integrity_reason(str(exc.orig).lower())}. Rien n'a été modifié."
        )
    if isinstance(exc, OperationalError | DBAPIError):
        text = str(exc.orig).lower()
        if "locked" in text or "busy" in text:
            return DatabaseError(
                f"La base de données « {label} » est occupée par un autre programme ; "
                "la modification n'a pas été enregistrée. Réessayez dans un instant."
            )
        if "readonly" in text or "read-only" in text:
            return DatabaseError(f"La base de données « {label} » est en lecture seule : rien n'a été enregistré.")
        if "disk" in text and "full" in text:
            return DatabaseError("Le disque est plein : la modification n'a pas été enregistrée.")
        if "server closed" in text or "connection" in text or "terminating" in text or "timeout" in text:
            return DatabaseError(
                f"La connexion au serveur {label} a été perdue : la modification n'a pas été enregistrée. "
                "Vérifiez le réseau puis réessayez."
            )
        if "out of range" in text or "too long" in text or "invalid input" in text:
            return DatabaseError(
                f"La base de données « {label} » a refusé une valeur hors limites : rien n'a été modifié."
            )
        detail = " ".join(str(exc.orig).split())[:160]
        return DatabaseError(
            f"La base de données « {label} » a refusé l'opération (détail technique : {detail}). Rien n'a été modifié."
        )
    return None


def _integrity_reason(text: str) -> str:
    """What a constraint violation means for the user, in French."""
    if "unique" in text or "duplicate" in text:
        return "un élément identique (même nom ou même code) existe déjà, peut-être saisi depuis un autre poste"
    if "foreign key" in text:
        return "il renvoie à un élément qui a été supprimé entre-temps (depuis un autre poste ?)"
    if "not null" in text or "null value" in text:
        return "une information obligatoire manque"
    if "check" in text:
        return "une valeur est hors des limites permises"
    return "il entre en conflit avec des données existantes"


UowFactory = Callable[[], UnitOfWork]
