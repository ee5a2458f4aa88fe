"""Reading a file a user brings for an import: the table as found and the suggested mapping.

The GUI reaches the reader through this module (``santeloc.gui`` never imports
``santeloc.analysis``: pages go through services), so the mapping dialog, the import use cases
and the CLI read files one way.
"""

from __future__ import annotations

from santeloc.analysis.tabular import RawRow, RawTable, guess_mapping, read_table
from santeloc.analysis.wide_tables import WideLayout, detect_wide

__all__ = ["RawRow", "RawTable", "WideLayout", "detect_wide", "guess_mapping", "read_table"]
