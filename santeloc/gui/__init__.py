"""The desktop application (PySide6): the only package that imports Qt."""

from santeloc.gui.qt_binding import read_sources_without_keeping_them

read_sources_without_keeping_them()
