"""santeloc — du diagnostic local de santé au projet de santé financé."""

__version__ = "0.1.0"
