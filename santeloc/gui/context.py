"""The application context: one database, the reference data, and change notifications."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # kept out of start-up: the main window is shown before these load
    from concurrent.futures import Future

    from santeloc.persistence.engine import Database
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import RefData


class DataKind(StrEnum):
    """Kinds of data whose change widgets listen to."""

    PROJECTS = "projects"
    PROJECT = "project"
    TERRITORY = "territory"
    INDICATORS = "indicators"
    CONSTATS = "constats"
    POPULATION = "population"


class AppContext(QObject):
    """Composition root's product, handed to every window and page.

    Pages never hold a session: they call services with ``ctx.uow()`` and refresh when
    :attr:`data_changed` announces their kind of data.
    """

    data_changed = Signal(str, int)  # kind, project id (0 for all)
    saved = Signal(str)  # a short French status message ("Enregistré")

    def __init__(self, database: Database, refdata: RefData | Future[RefData]) -> None:
        super().__init__()
        self.database = database
        self._refdata = refdata

    @property
    def refdata(self) -> RefData:
        """The reference data; waits for it when it is still loading behind the project list."""
        from concurrent.futures import Future

        if isinstance(self._refdata, Future):
            self._refdata = self._refdata.result()
        return self._refdata

    def uow(self) -> UnitOfWork:
        """A fresh unit of work on the application's database."""
        from santeloc.persistence.uow import UnitOfWork

        return UnitOfWork(self.database)

    def notify(self, kind: DataKind, project_id: int = 0) -> None:
        """Announce that some data changed."""
        self.data_changed.emit(kind.value, project_id)
