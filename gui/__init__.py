"""Emendo's desktop window (PySide6): a thin Qt layer over emendo.core."""
