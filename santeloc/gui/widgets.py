"""Small widget helpers shared by the step pages."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget


def tidy_combo(combo: QComboBox, length: int = 12) -> QComboBox:
    """A combo that never widens the page beyond its items' first ``length`` characters."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(length)
    return combo


def tidy_combos(root: QWidget, length: int = 12) -> None:
    """:func:`tidy_combo` on every combo box under ``root`` (long funder or theme names…)."""
    for combo in root.findChildren(QComboBox):
        tidy_combo(combo, length)
