"""Repair of text that lost its Vietnamese marks, with a syllable n-gram model."""

from cchc.repair.diacritics import DiacriticModel, restore_diacritics

__all__ = ["DiacriticModel", "restore_diacritics"]
