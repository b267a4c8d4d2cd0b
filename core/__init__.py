"""Emendo's Qt-free core: model, project file, operations, importers, editions, CLI."""
from __future__ import annotations

__version__ = "0.1.0"
