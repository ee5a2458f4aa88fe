"""Canary for the Qt binding: PySide6 6.12.0 decremented None on item data calls until Python aborted."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QApplication, QTreeWidgetItem


def test_item_calls_do_not_eat_references_to_none(qapp: QApplication) -> None:
    item = QTreeWidgetItem(["a"] * 10)
    calls = (
        lambda: item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        lambda: item.data(0, Qt.ItemDataRole.UserRole),
        lambda: item.setData(0, Qt.ItemDataRole.UserRole, 5),
        lambda: QStandardItem("x").setData(5, Qt.ItemDataRole.UserRole),
    )
    for call in calls:
        before = sys.getrefcount(None)
        for _ in range(2_000):
            call()
        # A correct binding leaves None's count unchanged (a few cached references at most).
        assert sys.getrefcount(None) - before > -50


def test_modules_imported_after_qt_leave_no_source_in_memory(tmp_path, monkeypatch) -> None:
    """PySide6's feature hook reads each newly imported module's source: none of it may stay cached."""
    import linecache

    import santeloc.gui  # noqa: F401 (applies the workaround)

    feature = sys.modules["shibokensupport.feature"]
    (tmp_path / "uses_qt_for_test.py").write_text('"""Mentions PySide6 in its text."""\nVALUE = 1\n', "utf-8")
    (tmp_path / "plain_for_test.py").write_text("VALUE = 2\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name, verdict in (("uses_qt_for_test", 0), ("plain_for_test", -1)):
        __import__(name)  # the import statement's path, which PySide6 hooks (import_module is not)
        module = sys.modules[name]
        monkeypatch.delitem(sys.modules, name)
        assert feature.pyside_feature_dict[name] == verdict  # PySide6's answer, unchanged
        assert module.__file__ not in linecache.cache  # and the file's lines are not kept


def test_the_source_test_answers_as_pysides_own() -> None:
    import inspect
    import json
    import math

    import santeloc.domain.enums
    import santeloc.gui.app
    from santeloc.gui.qt_binding import module_mentions_pyside

    def pysides_own(module: object) -> bool:  # what shibokensupport.feature did, cache aside
        try:
            return "PySide6" in inspect.getsource(module)  # type: ignore[arg-type]
        except (TypeError, OSError):
            return False

    for module in (santeloc.gui.app, santeloc.domain.enums, json, math, sys):
        assert module_mentions_pyside(module) == pysides_own(module), module.__name__
    assert module_mentions_pyside(santeloc.gui.app)
