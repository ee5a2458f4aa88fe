"""The documents of a dossier the user can choose, with their French labels (no library loaded)."""

from __future__ import annotations

DOCUMENTS: dict[str, str] = {
    "diagnostic": "Diagnostic local de santé (Word)",
    "subventions": "Dossiers de demande de subvention, un par financeur du plan (Word)",
    "deliberation": "Modèle de délibération (Word)",
    "projet_sante": "Projet de santé, avec les signatures des professionnels (Word)",
    "comptes_rendus": "Comptes rendus des réunions, un par réunion (Word)",
    "classeur": "Classeur du plan de financement, des indicateurs, de l'échéancier, des professionnels et des "
    "actions (Excel)",
    "zip": "Dossier complet : tous les fichiers dans une archive zip",
}
"""Documents the user can choose, with their French labels (for the export dialog)."""
