"""The application context: one database, the reference data, and the one change signal."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # kept out of start-up: the main window is shown before these load
    from concurrent.futures import Future

    from santeloc.persistence.engine import Database
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.refdata.geo import RefData


class AppContext(QObject):
    """Composition root's product, handed to every window and page.

    Pages never hold a session: they call services with ``ctx.uow()``. Every unit of work made
    here announces, once committed, what it changed: :attr:`changed` carries an
    :class:`~santeloc.services.changes.OpChanges` (kinds of data touched, and the widget that
    acted), emitted on the GUI thread even when the work ran in a worker thread. Pages refresh
    from it, the navigation recomputes the steps' status from it; there is no other mechanism.
    """

    changed = Signal(object)  # OpChanges
    saved = Signal(str)  # a short French status message ("Enregistré")
    warmed_up = Signal()  # the start-up's background loading is over (emitted from its thread)

    def __init__(self, database: Database, refdata: RefData | Future[RefData]) -> None:
        super().__init__()
        self.database = database
        self._refdata = refdata
        self.active_view: QObject | None = None
        """The page the user is working on: a change with no explicit initiator is its own."""
        self.list_shown = threading.Event()
        """Set once the project list is painted: the start-up's background loading waits for it
        (so as not to compete with the list), or for the first use of :attr:`refdata`."""
        self.loaded = threading.Event()
        """Set when no start-up loading runs behind the list (see :meth:`begin_loading`)."""
        self.loaded.set()

    def begin_loading(self) -> None:
        """A background loading starts (modules and data a project needs): see :attr:`loaded`."""
        self.loaded.clear()

    def end_loading(self) -> None:
        """The background loading is over (from its thread): :attr:`loaded`, then :attr:`warmed_up`."""
        self.loaded.set()
        self.warmed_up.emit()

    @property
    def refdata(self) -> RefData:
        """The reference data; waits for it when it is still loading behind the project list."""
        from concurrent.futures import Future

        if isinstance(self._refdata, Future):
            self.list_shown.set()  # needed now: the background loading must not wait any longer
            self._refdata = self._refdata.result()
        return self._refdata

    def uow(self, owner: QObject | None = None) -> UnitOfWork:
        """A fresh unit of work on the application's database, announcing its commits as
        ``owner``'s changes (see :meth:`owned_by`)."""
        from santeloc.persistence.uow import UnitOfWork

        uow = UnitOfWork(self.database)
        uow.on_commit = lambda tables: self._committed(tables, owner)
        return uow

    def owned_by(self, owner: QObject) -> AppContext:
        """This context as ``owner`` (a page) sees it: what it commits is its own change, which
        it already shows, so the change signal does not make it reload itself."""
        return cast("AppContext", _OwnedContext(self, owner))

    def _committed(self, tables: frozenset[str], owner: QObject | None) -> None:
        from santeloc.gui.ops import current_initiator
        from santeloc.services.changes import OpChanges

        # The page whose context made the unit of work acted (its dialogs and workers included);
        # else the widget running the action on this thread; else the page the user is on.
        initiator = owner if owner is not None else current_initiator()
        if initiator is None:
            initiator = self.active_view
        changes = OpChanges.from_tables(tables, initiator)
        if changes.kinds:
            self.changed.emit(changes)


class _OwnedContext:
    """An :class:`AppContext` seen by one page: the same signals and data, its own units of work."""

    def __init__(self, ctx: AppContext, owner: QObject) -> None:
        self._ctx = ctx
        self._owner = owner

    def __getattr__(self, name: str) -> object:
        return getattr(self._ctx, name)

    def uow(self, owner: QObject | None = None) -> UnitOfWork:
        """A unit of work whose commits are the owner's changes."""
        return self._ctx.uow(owner if owner is not None else self._owner)

    def owned_by(self, owner: QObject) -> AppContext:
        """Another owner, on the same application context."""
        return self._ctx.owned_by(owner)
