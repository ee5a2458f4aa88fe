"""Workarounds for the Qt binding (PySide6), applied once when ``santeloc.gui`` is imported.

PySide6's ``__feature__`` support (``from __feature__ import snake_case``) asks, after every
module imported once PySide6 is loaded, whether that module's source mentions "PySide6". It
reads the source with ``inspect.getsource``, which keeps every line of every file in
``linecache`` for the life of the process: in santeloc, about 840 files (SQLAlchemy, NumPy,
matplotlib, santeloc itself…) and 44 MiB, a sixth of the application's memory, for an answer
of one bit per module. :func:`read_sources_without_keeping_them` gives PySide6 the same answer
from the file's bytes, kept nowhere.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6  # noqa: F401 (loads shiboken's support modules, among which the feature hook)

FEATURE_MODULE = "shibokensupport.feature"


def module_mentions_pyside(module: ModuleType) -> bool:
    """Whether the module's source file mentions "PySide6" (PySide6's own test, without a cache).

    A module without a ``.py`` file (built in, compiled, sourceless) does not, as for PySide6.
    """
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def read_sources_without_keeping_them() -> bool:
    """Replace PySide6's source test by :func:`module_mentions_pyside`; False if it has none."""
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False  # another version of PySide6: nothing to replace
    setattr(feature, "_mod_uses_pyside", module_mentions_pyside)  # noqa: B010 (a private name of PySide6)
    return True
